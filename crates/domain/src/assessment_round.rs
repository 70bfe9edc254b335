//! The half-yearly round in which partners (SSP leader groups, social services) submit their
//! assessments of the areas of their own districts (docs/safety-index.md "Assessments by
//! partners"): which half-year is open, its deadline, whether a submission is late, and what a
//! submitted assessment must hold. Pure rules; the store keeps the deadlines and submissions.

use crate::half_year::HalfYear;
use chrono::{Duration, NaiveDate};

/// Days after a half-year's last day until its assessments are due, unless the secretariat set
/// another deadline for it: 15, so that the SSP leader groups' meeting in the first fortnight
/// after the half-year can still report.
pub const DEFAULT_DEADLINE_DAYS: i64 = 15;

/// The longest text of one area's assessment, in characters.
pub const MAX_ASSESSMENT_TEXT: usize = 1000;

/// The half-year open for assessments on `today`: the one that ended last. An assessment says
/// how a half-year went, so it is made once the half-year is over; the round stays open (late
/// after the deadline) until the next half-year ends and its round opens.
pub fn open_half_year(today: NaiveDate) -> HalfYear {
    HalfYear::of(today).previous()
}

/// The deadline of `half` when none was set: [`DEFAULT_DEADLINE_DAYS`] after its last day.
pub fn default_deadline(half: HalfYear) -> NaiveDate {
    half.last_day() + Duration::days(DEFAULT_DEADLINE_DAYS)
}

/// Whether a submission on `day` misses `deadline` (the deadline day itself is on time). Late
/// submissions are accepted and marked, so that the picture is complete and the secretariat
/// sees who was late.
pub fn is_late(day: NaiveDate, deadline: NaiveDate) -> bool {
    day > deadline
}

/// One area's assessment: a level from 1 (calm) to 5 (serious unrest) and an optional text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaScore {
    pub area: String,
    level: u8,
    pub text: Option<String>,
}

/// Why an area's assessment is refused; the field is the form's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScoreError {
    #[error("the assessment must be a level from 1 to 5")]
    Level,
    #[error("the text may be at most {MAX_ASSESSMENT_TEXT} characters")]
    TooLong,
}

impl AreaScore {
    /// An area's assessment from the level and text as typed (an empty text is none).
    pub fn new(area: &str, level: &str, text: &str) -> Result<Self, ScoreError> {
        let level =
            level.trim().parse::<u8>().ok().filter(|l| (1..=5).contains(l)).ok_or(ScoreError::Level)?;
        let text = text.trim();
        if text.chars().count() > MAX_ASSESSMENT_TEXT {
            return Err(ScoreError::TooLong);
        }
        let text = (!text.is_empty()).then(|| text.to_owned());
        Ok(Self { area: area.to_owned(), level, text })
    }

    /// 1 (calm) … 5 (serious unrest).
    pub fn level(&self) -> u8 {
        self.level
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_open_half_year_is_the_one_that_ended_last() {
        assert_eq!(open_half_year(day(2013, 7, 1)).to_string(), "2013H1");
        assert_eq!(open_half_year(day(2013, 12, 31)).to_string(), "2013H1");
        assert_eq!(open_half_year(day(2014, 1, 1)).to_string(), "2013H2");
        assert_eq!(open_half_year(day(2014, 6, 30)).to_string(), "2013H2");
    }

    #[test]
    fn the_default_deadline_is_fifteen_days_after_the_half_year_and_that_day_is_on_time() {
        let h1: HalfYear = "2013H1".parse().unwrap();
        assert_eq!(default_deadline(h1), day(2013, 7, 15));
        assert_eq!(default_deadline(h1.next()), day(2014, 1, 15));
        assert!(!is_late(day(2013, 7, 15), default_deadline(h1)));
        assert!(is_late(day(2013, 7, 16), default_deadline(h1)));
    }

    #[test]
    fn an_area_score_is_a_level_from_one_to_five_with_an_optional_text() {
        let score = AreaScore::new("A1", " 3 ", "  ").unwrap();
        assert_eq!((score.level(), score.text), (3, None));
        assert_eq!(AreaScore::new("A1", "0", ""), Err(ScoreError::Level));
        assert_eq!(AreaScore::new("A1", "6", ""), Err(ScoreError::Level));
        assert_eq!(AreaScore::new("A1", "", ""), Err(ScoreError::Level));
        assert_eq!(AreaScore::new("A1", "2", &"x".repeat(1001)), Err(ScoreError::TooLong));
        assert_eq!(
            AreaScore::new("A1", "5", "Uro ved torvet").unwrap().text.as_deref(),
            Some("Uro ved torvet")
        );
    }
}

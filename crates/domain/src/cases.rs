//! The case model (docs/domain.md §4) as plain records, and the rules that hold for them regardless
//! of where they are stored: the target-group age check and when a follow-up falls due.

use crate::calendar::{add_months, age_in_months};
use crate::codes::{Anchor, CodeLists};
use crate::portfolio::{DataSource, Initiative, TargetGroup};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A citizen as the case pages show them. `cpr_masked` is always safe to show; the full number
/// is only fetched for roles that need it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citizen {
    pub id: i64,
    pub cpr_masked: String,
    pub birth_date: NaiveDate,
    /// `M` or `K`, from the CPR number's last digit.
    pub sex: String,
    pub name: Option<String>,
    pub area_id: Option<String>,
    pub substitute_number: bool,
    pub modulus11_warning: bool,
}

/// A citizen's course in one initiative (forløb).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrollment {
    pub id: String,
    pub citizen_id: i64,
    pub initiative: String,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub end_reason: Option<String>,
    /// `BIF` when BIF holds the case, else the other unit (tovholder).
    pub lead: String,
    pub caseworker_code: Option<String>,
    pub centre: Option<String>,
    /// Who confirmed an enrollment outside the age band, and when, if anyone had to.
    pub age_warning_confirmed: Option<String>,
}

/// An offer (tilbud) inside an enrollment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    pub id: String,
    pub enrollment_id: String,
    pub offer_type: String,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub end_reason: Option<String>,
}

/// A leisure-job placement (fritidsjob).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    pub id: String,
    pub citizen_id: i64,
    pub employer: Option<String>,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

/// A life event: remand, conviction, release, job or education start, SSP category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LifeEvent {
    pub id: String,
    pub citizen_id: i64,
    pub kind: String,
    pub date: NaiveDate,
    pub value: Option<i64>,
}

/// A follow-up (opfølgning) on an anchor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    pub id: String,
    pub citizen_id: i64,
    pub anchor: Anchor,
    pub anchor_id: String,
    pub due: NaiveDate,
    pub done: Option<NaiveDate>,
    pub status: Option<String>,
    pub done_by: Option<String>,
    /// True when the system scheduled it from its anchor.
    pub scheduled: bool,
}

impl FollowUp {
    /// Due but not done by `as_of`: counted as `ukendt` by the criteria, listed as overdue.
    pub fn is_overdue(&self, as_of: NaiveDate) -> bool {
        self.done.is_none() && self.due < as_of
    }
}

/// Where a person's age stands against a target group's band on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum AgeCheck {
    Inside,
    /// Younger than the band's lower limit (age and limit in months).
    Below {
        age_months: i32,
        min_months: u32,
    },
    /// At or past the band's exclusive upper limit.
    Above {
        age_months: i32,
        max_months: u32,
    },
}

impl TargetGroup {
    /// Checks an age in completed months on `on` against the band (lower inclusive, upper
    /// exclusive). An initiative without a band accepts every age.
    pub fn check_age(&self, birth: NaiveDate, on: NaiveDate) -> AgeCheck {
        let age = age_in_months(birth, on);
        match (self.min_age_months, self.max_age_months) {
            (Some(min), _) if age < min as i32 => AgeCheck::Below { age_months: age, min_months: min },
            (_, Some(max)) if age >= max as i32 => AgeCheck::Above { age_months: age, max_months: max },
            _ => AgeCheck::Inside,
        }
    }
}

/// Formats months of age the way the memo does: "17½ år", "25 år", "17 år og 3 mdr.".
pub fn format_age_months(months: u32) -> String {
    match months % 12 {
        0 => format!("{} år", months / 12),
        6 => format!("{}½ år", months / 12),
        rest => format!("{} år og {rest} mdr.", months / 12),
    }
}

/// The number of months after `anchor` that a follow-up falls due for an enrollment in
/// `initiative`, or `None` when no rule schedules one.
pub fn follow_up_months(codes: &CodeLists, initiative: &Initiative, anchor: Anchor) -> Option<u32> {
    let opera = initiative.data_source == DataSource::Opera;
    codes
        .rules_for(initiative.code.as_str(), opera)
        .find(|rule| rule.anchor == anchor)
        .map(|rule| rule.months)
}

/// The due date of a follow-up: the anchor date plus the rule's calendar months, clamped to
/// the month's last day (30 Nov + 3 months = 28/29 Feb).
pub fn follow_up_due(anchor_date: NaiveDate, months: u32) -> NaiveDate {
    add_months(anchor_date, months as i32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn band(min: Option<u32>, max: Option<u32>) -> TargetGroup {
        TargetGroup {
            description: String::new(),
            min_age_months: min,
            max_age_months: max,
            age_band_assumed: false,
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn ssp_plus_accepts_from_seventeen_and_a_half_until_the_25th_birthday() {
        let ssp = band(Some(210), Some(300));
        let birth = d(1995, 1, 15);
        assert!(matches!(ssp.check_age(birth, d(2012, 7, 14)), AgeCheck::Below { age_months: 209, .. }));
        assert_eq!(ssp.check_age(birth, d(2012, 7, 15)), AgeCheck::Inside);
        assert_eq!(ssp.check_age(birth, d(2020, 1, 14)), AgeCheck::Inside);
        assert!(matches!(ssp.check_age(birth, d(2020, 1, 15)), AgeCheck::Above { .. }));
        assert_eq!(band(None, None).check_age(birth, d(2012, 1, 1)), AgeCheck::Inside);
    }

    #[test]
    fn a_follow_up_anchored_on_30_november_falls_due_at_the_end_of_february() {
        assert_eq!(follow_up_due(d(2011, 11, 30), 3), d(2012, 2, 29));
        assert_eq!(follow_up_due(d(2012, 11, 30), 3), d(2013, 2, 28));
    }

    #[test]
    fn ages_read_like_the_memo() {
        assert_eq!(format_age_months(210), "17½ år");
        assert_eq!(format_age_months(300), "25 år");
        assert_eq!(format_age_months(207), "17 år og 3 mdr.");
    }

    #[test]
    fn opera_initiatives_get_an_enrollment_end_follow_up_and_domte_one_on_release() {
        let seed = crate::seed::load().unwrap();
        let domte = seed.portfolio.get("DOMTE").unwrap();
        let vink = seed.portfolio.get("VINK").unwrap();
        let codes = &seed.code_lists;
        assert_eq!(follow_up_months(codes, domte, Anchor::Loesladelse), Some(3));
        assert_eq!(follow_up_months(codes, domte, Anchor::ForloebSlut), Some(3));
        assert_eq!(follow_up_months(codes, domte, Anchor::TilbudSlut), None);
        assert_eq!(follow_up_months(codes, vink, Anchor::ForloebSlut), None);
    }
}

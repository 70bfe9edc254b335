//! The rules one row of the area data can be checked by alone: required values, whole numbers,
//! years, decimals with `.` or `,`, answers 1–5, flags 0/1, half-years, known districts. A row
//! that passes becomes a typed [`Row`]; one that fails gives every reason at once.

use super::files::TryghedFile;
use super::read::RawFile;
use sikkerby_domain::half_year::HalfYear;
use std::collections::HashSet;

/// An area's population in one year (`omraader.csv`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AreaRow {
    pub area: String,
    pub name: String,
    pub district: String,
    pub year: i32,
    pub population: i64,
}

/// Police reports of one offence group (`anmeldelser.csv`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ReportRow {
    pub area: String,
    pub year: i32,
    pub group: String,
    pub citizen_facing: bool,
    pub count: i64,
}

/// One survey answer (`survey.csv`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SurveyRow {
    pub respondent: String,
    pub area: String,
    pub year: i32,
    pub weight: f64,
    pub neighbourhood: i64,
    pub night: i64,
    pub victimised: bool,
}

/// One half-yearly assessment (`vurderinger.csv`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AssessmentRow {
    pub area: String,
    pub half_year: HalfYear,
    pub source: String,
    pub assessment: i64,
    pub text: Option<String>,
}

/// A checked row of any of the four files.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Row {
    Area(AreaRow),
    Report(ReportRow),
    Survey(SurveyRow),
    Assessment(AssessmentRow),
}

impl Row {
    /// The area the row is about.
    pub fn area(&self) -> &str {
        match self {
            Row::Area(r) => &r.area,
            Row::Report(r) => &r.area,
            Row::Survey(r) => &r.area,
            Row::Assessment(r) => &r.area,
        }
    }

    /// The row's key as text (the columns of [`TryghedFile::key_columns`]).
    pub fn key(&self) -> String {
        match self {
            Row::Area(r) => format!("{}|{}", r.area, r.year),
            Row::Report(r) => format!("{}|{}|{}|{}", r.area, r.year, r.group, u8::from(r.citizen_facing)),
            Row::Survey(r) => format!("{}|{}", r.respondent, r.year),
            Row::Assessment(r) => format!("{}|{}|{}", r.area, r.half_year, r.source),
        }
    }
}

/// The plausibility limits of the inputs (docs/import-limits.md): beyond them a value is an error
/// of the extract, not a fact, and would distort the index (a weight of 10^26 outweighs every
/// other answer; a count of billions makes every area "intensiveret").
pub mod limits {
    /// Largest survey weight: weights scale a respondent to the population, a few units at most.
    pub const MAX_SURVEY_WEIGHT: f64 = 100.0;
    /// Largest count of reports of one group in one area and year.
    pub const MAX_REPORTS: i64 = 100_000;
    /// Largest population of one area (all of Copenhagen is about 660,000).
    pub const MAX_POPULATION: i64 = 1_000_000;
    /// Earliest year of any row.
    pub const FIRST_YEAR: i64 = 1970;
    /// Longest text of a field, in characters; an assessment's free text may be longer.
    pub const MAX_TEXT: usize = 200;
    pub const MAX_ASSESSMENT_TEXT: usize = 2000;
}

/// Reasons a row was rejected: (column, reason).
pub(crate) type Reasons = Vec<(Option<String>, String)>;

/// A value as it may appear in a reason: quoted and cut short.
pub(crate) fn quoted(value: &str) -> String {
    let shown: String = value.chars().take(60).collect();
    let more = if value.chars().count() > 60 { "…" } else { "" };
    format!("\"{shown}{more}\"")
}

/// Reads the fields of one row, collecting the reasons it fails.
struct Check<'a> {
    raw: &'a RawFile,
    fields: &'a [String],
    reasons: Reasons,
}

impl Check<'_> {
    fn fail(&mut self, column: &str, reason: String) {
        self.reasons.push((Some(column.to_owned()), reason));
    }

    fn text(&mut self, column: &str) -> String {
        match self.raw.get(self.fields, column) {
            Some(v) => {
                self.check_length(column, v, limits::MAX_TEXT);
                v.to_owned()
            }
            None => {
                self.fail(column, "a value is required".into());
                String::new()
            }
        }
    }

    fn check_length(&mut self, column: &str, value: &str, max: usize) {
        let length = value.chars().count();
        if length > max {
            self.fail(column, format!("at most {max} characters, this one has {length}"));
        }
    }

    /// An area id: letters, digits, `_`, `-` or `.`, at most 64 characters (it is part of URLs).
    fn area_id(&mut self, column: &str) -> String {
        let id = self.text(column);
        let valid = id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b));
        if !id.is_empty() && !valid {
            self.fail(column, format!("{} is not an area id (letters, digits, _ - . only)", quoted(&id)));
        }
        id
    }

    fn whole(&mut self, column: &str, range: std::ops::RangeInclusive<i64>, what: &str) -> i64 {
        let text = self.text(column);
        if text.is_empty() {
            return 0;
        }
        match text.parse::<i64>() {
            Ok(n) if range.contains(&n) => n,
            _ => {
                self.fail(column, format!("{} is not {what}", quoted(&text)));
                0
            }
        }
    }

    /// A year from [`limits::FIRST_YEAR`] to next year (figures are not reported in advance).
    fn year(&mut self) -> i32 {
        let next = i64::from(chrono::Datelike::year(&chrono::Local::now().date_naive())) + 1;
        let what = format!("a year from {} to {next}", limits::FIRST_YEAR);
        self.whole("aar", limits::FIRST_YEAR..=next, &what) as i32
    }

    fn flag(&mut self, column: &str) -> bool {
        self.whole(column, 0..=1, "0 or 1") == 1
    }

    fn answer(&mut self, column: &str) -> i64 {
        self.whole(column, 1..=5, "an answer from 1 to 5")
    }

    /// A non-negative decimal written with `.` or `,` (no thousands separators, no exponent), at
    /// most `max`.
    fn decimal(&mut self, column: &str, max: f64) -> f64 {
        let text = self.text(column);
        if text.is_empty() {
            return 0.0;
        }
        match parse_decimal(&text) {
            Some(v) if v > max => {
                self.fail(column, format!("{} is above {max}, not a plausible value", quoted(&text)));
                0.0
            }
            Some(v) => v,
            None => {
                self.fail(
                    column,
                    format!("{} is not a decimal number ≥ 0 (like 1.25 or 1,25)", quoted(&text)),
                );
                0.0
            }
        }
    }
}

/// Parses `12`, `1.25`, `1,25`, `.5`; `None` for anything else (signs, exponents, two marks).
pub(crate) fn parse_decimal(text: &str) -> Option<f64> {
    let normalised = text.replace(',', ".");
    let mut parts = normalised.split('.');
    let (whole, fraction) = (parts.next()?, parts.next().unwrap_or(""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if parts.next().is_some()
        || !digits(whole)
        || !digits(fraction)
        || (whole.is_empty() && fraction.is_empty())
    {
        return None;
    }
    normalised.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Checks one row of `raw` given its fields; `districts` are the known district ids.
pub(crate) fn check(raw: &RawFile, fields: &[String], districts: &HashSet<String>) -> Result<Row, Reasons> {
    let mut c = Check { raw, fields, reasons: Vec::new() };
    let row = match raw.file {
        TryghedFile::Omraader => Row::Area(area_row(&mut c, districts)),
        TryghedFile::Anmeldelser => Row::Report(ReportRow {
            area: c.area_id("omraade_id"),
            year: c.year(),
            group: c.text("gruppe"),
            citizen_facing: c.flag("borgervendt"),
            count: c.whole(
                "antal",
                0..=limits::MAX_REPORTS,
                &format!("a count from 0 to {}", limits::MAX_REPORTS),
            ),
        }),
        TryghedFile::Survey => Row::Survey(SurveyRow {
            respondent: c.text("respondent_id"),
            area: c.area_id("omraade_id"),
            year: c.year(),
            weight: c.decimal("vaegt", limits::MAX_SURVEY_WEIGHT),
            neighbourhood: c.answer("tryg_nabolag"),
            night: c.answer("tryg_nat"),
            victimised: c.flag("offer"),
        }),
        TryghedFile::Vurderinger => Row::Assessment(assessment_row(&mut c)),
    };
    if c.reasons.is_empty() {
        Ok(row)
    } else {
        Err(c.reasons)
    }
}

fn area_row(c: &mut Check<'_>, districts: &HashSet<String>) -> AreaRow {
    let area = c.area_id("omraade_id");
    let name = c.text("navn");
    let district = c.text("bydel");
    if !district.is_empty() && !districts.contains(&district) {
        let mut known: Vec<&str> = districts.iter().map(String::as_str).collect();
        known.sort_unstable();
        c.fail(
            "bydel",
            format!("{} is not a district; the districts are {}", quoted(&district), known.join(", ")),
        );
    }
    let year = c.year();
    let what = format!("a population from 0 to {}", limits::MAX_POPULATION);
    let population = c.whole("befolkning", 0..=limits::MAX_POPULATION, &what);
    AreaRow { area, name, district, year, population }
}

fn assessment_row(c: &mut Check<'_>) -> AssessmentRow {
    let area = c.area_id("omraade_id");
    let text = c.text("halvaar");
    let half_year = match text.parse::<HalfYear>() {
        Ok(h) => h,
        Err(_) => {
            if !text.is_empty() {
                c.fail("halvaar", format!("{} is not a half-year like 2012H2", quoted(&text)));
            }
            HalfYear::new(2000, 1).unwrap_or_else(|| unreachable!("a valid half-year"))
        }
    };
    AssessmentRow {
        area,
        half_year,
        source: c.text("kilde"),
        assessment: c.whole("vurdering", 1..=5, "an assessment from 1 to 5"),
        text: c.raw.get(c.fields, "tekst").map(str::to_owned).inspect(|t| {
            c.check_length("tekst", t, limits::MAX_ASSESSMENT_TEXT);
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_decimal;

    #[test]
    fn decimals_take_a_point_or_a_comma_and_nothing_else() {
        assert_eq!(parse_decimal("1,25"), Some(1.25));
        assert_eq!(parse_decimal("1.25"), Some(1.25));
        assert_eq!(parse_decimal("3"), Some(3.0));
        assert_eq!(parse_decimal(",5"), Some(0.5));
        for bad in ["", "-1", "1e3", "1.000,5", "inf", "NaN", ".", "1 000"] {
            assert_eq!(parse_decimal(bad), None, "{bad}");
        }
    }
}

//! The rules one row can be checked by alone: required values, dates, CPR numbers, codes, end
//! not before start, an end reason with every end, a status with every done follow-up, SSP
//! categories 1–4. A checked row becomes the values of its staging row, in the column order of
//! [`super::stage::columns`]; a rejected row is staged too (marked not ok) so that the rows
//! referring to it can say why they are rejected.

use super::catalog::Catalog;
use super::files::OperaFile;
use super::read::Fields;
use chrono::NaiveDate;
use sikkerby_domain::calendar::parse_date;
use sikkerby_domain::codes::{Anchor, EventKind};
use sikkerby_domain::cpr::{Cpr, CprWarning, ParsedCpr, Sex};

/// Longest value of a field, in characters (names, codes, employers; 1 MB names were accepted).
pub(crate) const MAX_TEXT: usize = 200;
/// Earliest date of any field.
const FIRST_DATE: (i32, u32, u32) = (1900, 1, 1);

/// The latest plausible date of a column, from today: what happened (an event, a follow-up
/// done) cannot be later than tomorrow (time zones); a start may be planned up to a year ahead;
/// an end or a due date up to ten years (events dated 2099 were accepted and counted).
fn latest_date(column: &str, today: NaiveDate) -> NaiveDate {
    let months = match column {
        "dato" | "udfoert" => 0,
        "start" => 12,
        _ => 120,
    };
    let base = if months == 0 { today + chrono::Days::new(1) } else { today };
    sikkerby_domain::calendar::add_months(base, months)
}

/// A value of a staging column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value {
    Text(Option<String>),
    Int(Option<i64>),
}

/// A row after its own checks: staged values, reasons to reject it, warnings to report.
#[derive(Debug, Default)]
pub(crate) struct Checked {
    pub values: Vec<Value>,
    pub errors: Vec<(&'static str, String)>,
    pub warnings: Vec<(&'static str, String)>,
}

/// Checks one row of `file`.
pub(crate) fn check(file: OperaFile, fields: &Fields<'_>, catalog: &Catalog) -> Checked {
    let mut row = Row { fields, catalog, out: Checked::default() };
    match file {
        OperaFile::Borgere => row.citizen(),
        OperaFile::Forloeb => row.enrollment(),
        OperaFile::Tilbud => row.offer(),
        OperaFile::Fritidsjob => row.placement(),
        OperaFile::Haendelser => row.event(),
        OperaFile::Opfoelgninger => row.follow_up(),
    }
    row.out
}

/// A user's value as it may appear in a reason: quoted, cut short, and with anything shaped
/// like a CPR number masked, because a value in the wrong column could be one.
pub(crate) fn shown(value: &str) -> String {
    let chars: Vec<char> = value.chars().take(60).collect();
    let mut out = String::from("\"");
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        let hyphenated = run == 6
            && chars.get(i + 6) == Some(&'-')
            && chars[(i + 7).min(chars.len())..].iter().take_while(|c| c.is_ascii_digit()).count() >= 4;
        if run >= 10 || hyphenated {
            out.extend(&chars[i..i + 6]);
            out.push_str("-xxxx");
            i += if hyphenated { 11 } else { run };
        } else {
            let take = run.max(1);
            out.extend(&chars[i..i + take]);
            i += take;
        }
    }
    if value.chars().count() > chars.len() {
        out.push('…');
    }
    out.push('"');
    out
}

/// The masked form of a stored ten-digit CPR number, for reasons.
pub(crate) fn masked_cpr(digits: &str) -> String {
    format!("{}-xxxx", digits.get(..6).unwrap_or("??????"))
}

struct Row<'r, 'f> {
    fields: &'r Fields<'f>,
    catalog: &'r Catalog,
    out: Checked,
}

impl Row<'_, '_> {
    fn fail(&mut self, column: &'static str, reason: String) {
        self.out.errors.push((column, reason));
    }

    /// A value, refused (and taken as absent) when longer than [`MAX_TEXT`].
    fn optional(&mut self, column: &'static str) -> Option<String> {
        let value = self.fields.get(column)?;
        let length = value.chars().count();
        if length > MAX_TEXT {
            self.fail(column, format!("at most {MAX_TEXT} characters, this one has {length}"));
            return None;
        }
        Some(value.to_owned())
    }

    fn required(&mut self, column: &'static str) -> Option<String> {
        let value = self.optional(column);
        if value.is_none() {
            self.fail(column, "a value is required".to_owned());
        }
        value
    }

    /// A date from 1900 to [`latest_date`] of the column.
    fn date(&mut self, column: &'static str, required: bool) -> Option<NaiveDate> {
        let text = if required { self.required(column)? } else { self.optional(column)? };
        let date = parse_date(&text).map_err(|e| self.fail(column, e.to_string())).ok()?;
        let (y, m, d) = FIRST_DATE;
        let first = NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN);
        let latest = latest_date(column, self.catalog.today);
        if !(first..=latest).contains(&date) {
            self.fail(column, format!("{date} is not a plausible date (from {first} to {latest})"));
            return None;
        }
        Some(date)
    }

    fn cpr(&mut self, column: &'static str) -> Option<ParsedCpr> {
        let text = self.required(column)?;
        Cpr::parse_on(&text, self.catalog.today).map_err(|e| self.fail(column, e.to_string())).ok()
    }

    /// A code that must be in a list; `what` names the list in the reason.
    fn code(
        &mut self,
        column: &'static str,
        required: bool,
        what: &str,
        known: impl Fn(&Catalog, &str) -> bool,
    ) -> Option<String> {
        let code = if required { self.required(column)? } else { self.optional(column)? };
        if known(self.catalog, &code) {
            Some(code)
        } else {
            self.fail(column, format!("unknown {what} {}", shown(&code)));
            None
        }
    }

    /// Start and end columns, with the end not before the start.
    fn period(&mut self) -> (Option<NaiveDate>, Option<NaiveDate>) {
        let start = self.date("start", true);
        let end = self.date("slut", false);
        if let (Some(start), Some(end)) = (start, end) {
            if end < start {
                self.fail("slut", format!("end {end} is before start {start}"));
            }
        }
        (start, end)
    }

    fn push_text(&mut self, value: Option<String>) {
        self.out.values.push(Value::Text(value));
    }

    fn push_date(&mut self, value: Option<NaiveDate>) {
        self.push_text(value.map(|d| d.to_string()));
    }

    fn push_cpr(&mut self, cpr: Option<&ParsedCpr>) {
        self.push_text(cpr.map(|p| p.cpr.as_digits()));
    }

    fn citizen(&mut self) {
        let parsed = self.cpr("cpr");
        for warning in parsed.iter().flat_map(|p| &p.warnings) {
            let message = match warning {
                CprWarning::Modulus11Failed => {
                    "the CPR number fails the modulus-11 check; accepted and flagged"
                }
                CprWarning::SubstituteNumber => "the CPR number is a substitute number; accepted and flagged",
            };
            self.out.warnings.push(("cpr", message.to_owned()));
        }
        let cpr = parsed.as_ref().map(|p| p.cpr);
        self.push_cpr(parsed.as_ref());
        self.push_date(cpr.map(|c| c.birth_date()));
        let sex = cpr.map(|c| if c.sex() == Sex::Male { "M" } else { "K" });
        self.push_text(sex.map(str::to_owned));
        let (name, area) = (self.optional("navn"), self.optional("omraade"));
        self.push_text(name);
        self.push_text(area);
        let flag = |w: CprWarning| parsed.as_ref().map(|p| i64::from(p.warnings.contains(&w)));
        self.out.values.push(Value::Int(flag(CprWarning::SubstituteNumber)));
        self.out.values.push(Value::Int(flag(CprWarning::Modulus11Failed)));
    }

    fn enrollment(&mut self) {
        let id = self.required("forloeb_id");
        let cpr = self.cpr("cpr");
        let initiative = self.code("indsats", true, "initiative", Catalog::is_initiative);
        let (start, end) = self.period();
        let reason = self.code("afslutningsaarsag", false, "end reason", Catalog::is_end_reason);
        if end.is_some() && self.fields.get("afslutningsaarsag").is_none() {
            self.fail("afslutningsaarsag", "an end reason is required when slut is set".to_owned());
        }
        let lead = self.required("tovholder");
        let (caseworker, centre) = (self.optional("sagsbehandlerkode"), self.optional("center"));
        self.push_text(id);
        self.push_cpr(cpr.as_ref());
        self.push_text(initiative);
        self.push_date(start);
        self.push_date(end);
        self.push_text(reason);
        self.push_text(lead);
        self.push_text(caseworker);
        self.push_text(centre);
    }

    fn offer(&mut self) {
        let id = self.required("tilbud_id");
        let enrollment = self.required("forloeb_id");
        let kind = self.code("tilbudstype", true, "offer type", Catalog::is_offer_type);
        let (start, end) = self.period();
        let reason = self.code("afslutningsaarsag", false, "end reason", Catalog::is_end_reason);
        self.push_text(id);
        self.push_text(enrollment);
        self.push_text(kind);
        self.push_date(start);
        self.push_date(end);
        self.push_text(reason);
    }

    fn placement(&mut self) {
        let id = self.required("fritidsjob_id");
        let cpr = self.cpr("cpr");
        let employer = self.optional("arbejdsgiver");
        let (start, end) = self.period();
        self.push_text(id);
        self.push_cpr(cpr.as_ref());
        self.push_text(employer);
        self.push_date(start);
        self.push_date(end);
    }

    fn event(&mut self) {
        let id = self.required("haendelse_id");
        let cpr = self.cpr("cpr");
        let kind = self.required("haendelse").and_then(|text| {
            EventKind::parse(&text)
                .ok_or_else(|| self.fail("haendelse", format!("unknown event kind {}", shown(&text))))
                .ok()
        });
        let date = self.date("dato", true);
        let value = kind.and_then(|kind| self.event_value(kind));
        self.push_text(id);
        self.push_cpr(cpr.as_ref());
        self.push_text(kind.map(|k| k.code().to_owned()));
        self.push_date(date);
        self.out.values.push(Value::Int(value));
    }

    /// `vaerdi`: required in its range for the kinds that carry one (SSP category 1–4), absent
    /// for the others.
    fn event_value(&mut self, kind: EventKind) -> Option<i64> {
        let text = self.optional("vaerdi");
        match (kind.value_range(), text) {
            (None, None) => None,
            (None, Some(_)) => {
                let reason = format!("an event of kind {} takes no value", kind.code());
                self.fail("vaerdi", reason);
                None
            }
            (Some(range), text) => {
                let value = text.as_deref().and_then(|t| t.parse::<i64>().ok());
                match value.filter(|v| range.contains(v)) {
                    Some(v) => Some(v),
                    None => {
                        let (low, high) = (range.start(), range.end());
                        let reason = format!("{} needs a value from {low} to {high}", kind.code());
                        self.fail("vaerdi", reason);
                        None
                    }
                }
            }
        }
    }

    fn follow_up(&mut self) {
        let id = self.required("opfoelgning_id");
        let cpr = self.cpr("cpr");
        let anchor = self.required("anker").and_then(|text| {
            Anchor::parse(&text)
                .ok_or_else(|| self.fail("anker", format!("unknown anchor {}", shown(&text))))
                .ok()
        });
        let anchor_id = self.required("anker_id");
        let due = self.date("forfald", true);
        let done = self.date("udfoert", false);
        let status = self.code("status", false, "follow-up status", Catalog::is_status);
        if done.is_some() && self.fields.get("status").is_none() {
            self.fail("status", "a status is required when udfoert is set".to_owned());
        }
        self.push_text(id);
        self.push_cpr(cpr.as_ref());
        self.push_text(anchor.map(|a| a.code().to_owned()));
        self.push_text(anchor_id);
        self.push_date(due);
        self.push_date(done);
        self.push_text(status);
        let range = due.and_then(|due| self.catalog.anchor_range(due));
        self.push_date(range.map(|r| r.0));
        self.push_date(range.map(|r| r.1));
    }
}

#[cfg(test)]
mod tests {
    use super::shown;

    #[test]
    fn shown_values_never_carry_a_cpr_number() {
        assert_eq!(shown("0101801234"), "\"010180-xxxx\"");
        assert_eq!(shown("x 010180-1234 y"), "\"x 010180-xxxx y\"");
        assert_eq!(shown("EXIT"), "\"EXIT\"");
        assert_eq!(shown("12345"), "\"12345\"");
    }
}

//! What changed between an approved report and its correction: compared by criterion id and
//! field, each side as the report prints it.

use crate::display;
use crate::model::{Change, CriterionRow, Report};

fn rows(report: &Report) -> Vec<&CriterionRow> {
    report.goal.iter().chain(report.initiatives.iter().flat_map(|s| &s.criteria)).collect()
}

fn fields(row: &CriterionRow, k: u64) -> [(&'static str, String); 7] {
    [
        ("status", display::status_word(row.status).to_owned()),
        ("værdi", display::value(row, k)),
        ("tæller", display::count(row.numerator, k)),
        ("nævner", display::count(row.denominator, k)),
        ("ukendt", display::count(row.unknown, k)),
        ("mål", display::target(row)),
        ("interval", display::interval(row)),
    ]
}

/// The figures of `new` that differ from `old`, in the order of `new`, then criteria dropped.
pub fn changes(old: &Report, new: &Report) -> Vec<Change> {
    let before = rows(old);
    let after = rows(new);
    let mut out = Vec::new();
    for row in &after {
        let now = fields(row, new.threshold);
        match before.iter().find(|r| r.id == row.id) {
            Some(old_row) => {
                let then = fields(old_row, old.threshold);
                for ((field, a), (_, b)) in then.iter().zip(now.iter()) {
                    if a != b {
                        out.push(change(&row.id, field, a, b));
                    }
                }
            }
            None => out.push(change(&row.id, "kriterium", "–", "tilføjet")),
        }
    }
    for row in before.iter().filter(|r| !after.iter().any(|n| n.id == r.id)) {
        out.push(change(&row.id, "kriterium", "med", "udgået"));
    }
    out
}

fn change(criterion: &str, field: &str, before: &str, after: &str) -> Change {
    Change {
        criterion: criterion.to_owned(),
        field: field.to_owned(),
        before: before.to_owned(),
        after: after.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Figure, Measure};
    use crate::period::{ReportKind, ReportPeriod};
    use sikkerby_domain::engine::Status;

    fn report(value: f64, status: Status) -> Report {
        let row = CriterionRow {
            id: "C5".into(),
            initiative: "FRITIDSJOB".into(),
            words: String::new(),
            status,
            measure: Measure::Count,
            value: Figure::Value(value),
            numerator: Figure::Missing,
            denominator: Figure::Missing,
            unknown: Figure::Missing,
            target: Some(200.0),
            interval: None,
            projection: None,
            trend: Vec::new(),
            is_goal: false,
        };
        Report {
            kind: ReportKind::Annual,
            period: ReportPeriod::parse(ReportKind::Annual, "2013").unwrap(),
            as_of: chrono::NaiveDate::from_ymd_opt(2014, 2, 19).unwrap(),
            threshold: 5,
            goal: Some(row),
            index: None,
            assessments: Vec::new(),
            initiatives: Vec::new(),
            budget: None,
        }
    }

    #[test]
    fn a_correction_lists_each_changed_field_as_printed() {
        let found = changes(&report(198.0, Status::NotMet), &report(1203.0, Status::Met));
        assert_eq!(
            found,
            vec![change("C5", "status", "Ikke opfyldt", "Opfyldt"), change("C5", "værdi", "198", "1.203")]
        );
        assert!(changes(&report(198.0, Status::NotMet), &report(198.0, Status::NotMet)).is_empty());
    }
}

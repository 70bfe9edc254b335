//! The citizen page's history of corrections: each corrected field with its old and new value
//! in the reader's language, when, by whom and why.

use super::forms::{long_date, long_time};
use super::timeline::{enrollment_option, offer_option, Labels};
use sikkerby_store::cases::{Correction, RecordKind, Timeline};

/// One line of the history.
#[derive(Debug, Clone)]
pub(super) struct HistoryRow {
    pub iso: String,
    pub when: String,
    pub record: String,
    pub field: String,
    pub from: String,
    pub to: String,
    pub reason: String,
    pub by: String,
}

/// The corrections of the timeline, oldest first.
pub(super) fn history(timeline: &Timeline, labels: &Labels) -> Vec<HistoryRow> {
    timeline.corrections.iter().map(|c| row(c, timeline, labels)).collect()
}

fn row(c: &Correction, timeline: &Timeline, labels: &Labels) -> HistoryRow {
    let value = |v: &Option<String>| v.as_deref().map_or_else(String::new, |v| shown(&c.field, v, labels));
    HistoryRow {
        iso: c.at.to_rfc3339(),
        when: long_time(c.at, labels.lang),
        record: record(c, timeline, labels),
        field: field_label(&c.field, labels).to_owned(),
        from: value(&c.from),
        to: value(&c.to),
        reason: c.reason.clone(),
        by: c.by.clone(),
    }
}

/// The record a correction concerns, as the forms name it.
fn record(c: &Correction, timeline: &Timeline, labels: &Labels) -> String {
    let kind = labels.lang.records().kind(c.kind);
    let what = match c.kind {
        RecordKind::Enrollment => {
            timeline.enrollments.iter().find(|e| e.id == c.record_id).map(|e| enrollment_option(e, labels))
        }
        RecordKind::Offer => {
            timeline.offers.iter().find(|o| o.id == c.record_id).map(|o| offer_option(o, labels))
        }
        RecordKind::FollowUp | RecordKind::Event => None,
    };
    what.map_or_else(|| kind.to_owned(), |w| format!("{kind}: {w}"))
}

fn field_label(field: &str, labels: &Labels) -> &'static str {
    let t = labels.lang.texts().case;
    match field {
        "slut" => t.fld_end,
        "afslutningsaarsag" => t.fld_reason,
        "udfoert" => t.fld_done,
        "status" => t.fld_status,
        _ => t.fld_date,
    }
}

/// A stored value in words: dates written out, codes by their label.
fn shown(field: &str, value: &str, labels: &Labels) -> String {
    match field {
        "afslutningsaarsag" => labels.end_reason(value),
        "status" => labels.status(value),
        _ => chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d")
            .map_or_else(|_| value.to_owned(), |d| long_date(d, labels.lang)),
    }
}

//! A citizen's case history as one list in date order: enrollments, offers, leisure jobs, life
//! events and follow-ups, each with its details in the reader's language, and follow-ups marked
//! done, planned or overdue in words (never by colour alone).

use super::forms::{code_label, long_date};
use crate::i18n::Lang;
use chrono::NaiveDate;
use sikkerby_domain::cases::{Enrollment, FollowUp, Offer};
use sikkerby_domain::codes::{CodeLists, EventKind};
use sikkerby_domain::portfolio::Portfolio;
use sikkerby_store::cases::Timeline;

/// One line of the timeline.
#[derive(Debug, Clone)]
pub(super) struct Entry {
    pub iso: String,
    pub date: String,
    pub what: String,
    pub details: Vec<String>,
    /// CSS class: the kind of entry, plus `overdue` / `done` for follow-ups.
    pub class: &'static str,
    /// The follow-up's state in words: done, planned, overdue by n days.
    pub marker: Option<String>,
    order: u8,
    day: NaiveDate,
}

/// What the labels are looked up in.
pub(super) struct Labels<'a> {
    pub lang: Lang,
    pub portfolio: &'a Portfolio,
    pub codes: &'a CodeLists,
}

impl Labels<'_> {
    /// An initiative's name and code: `Dømte … (DOMTE)`.
    pub fn initiative(&self, code: &str) -> String {
        match self.portfolio.initiatives.iter().find(|i| i.code.as_str() == code) {
            Some(i) => format!("{} ({code})", i.name),
            None => code.to_owned(),
        }
    }

    fn code(&self, list: &[sikkerby_domain::codes::Code], code: &str) -> String {
        list.iter()
            .find(|c| c.code == code)
            .map_or_else(|| code.to_owned(), |c| code_label(c, self.lang).to_owned())
    }

    pub fn offer_type(&self, code: &str) -> String {
        self.code(&self.codes.offer_type, code)
    }

    pub fn end_reason(&self, code: &str) -> String {
        self.code(&self.codes.end_reason, code)
    }

    pub fn status(&self, code: &str) -> String {
        self.code(&self.codes.follow_up_status, code)
    }

    pub fn date(&self, date: NaiveDate) -> String {
        long_date(date, self.lang)
    }
}

fn entry(day: NaiveDate, order: u8, what: String, details: Vec<String>, labels: &Labels) -> Entry {
    Entry { iso: day.to_string(), date: labels.date(day), what, details, class: "", marker: None, order, day }
}

/// The timeline, oldest first; `as_of` decides which open follow-ups are overdue.
pub(super) fn entries(timeline: &Timeline, labels: &Labels, as_of: NaiveDate) -> Vec<Entry> {
    let mut all = Vec::new();
    for e in &timeline.enrollments {
        all.extend(enrollment_entries(e, labels));
    }
    for o in &timeline.offers {
        all.extend(offer_entries(o, &timeline.enrollments, labels));
    }
    let t = labels.lang.texts().case;
    for p in &timeline.placements {
        let employer: Vec<String> = p.employer.iter().map(|e| format!("{}: {e}", t.lbl_employer)).collect();
        all.push(entry(p.start, 2, t.tl_placement_start.to_owned(), employer.clone(), labels));
        if let Some(end) = p.end {
            all.push(entry(end, 6, t.tl_placement_end.to_owned(), employer, labels));
        }
    }
    for ev in &timeline.events {
        let kind = EventKind::parse(&ev.kind).map_or(ev.kind.clone(), |k| t.event_kind(k).to_owned());
        let value: Vec<String> = ev.value.iter().map(|v| format!("{}: {v}", t.lbl_value)).collect();
        all.push(entry(ev.date, 3, format!("{}: {kind}", t.tl_event), value, labels));
    }
    for f in &timeline.follow_ups {
        all.push(follow_up_entry(f, labels, as_of));
    }
    all.sort_by_key(|e| (e.day, e.order));
    all
}

fn enrollment_entries(e: &Enrollment, labels: &Labels) -> Vec<Entry> {
    let t = labels.lang.texts().case;
    let name = labels.initiative(&e.initiative);
    let mut details = vec![format!("{}: {}", t.lbl_lead, e.lead)];
    details.extend(e.caseworker_code.iter().map(|c| format!("{}: {c}", t.lbl_caseworker)));
    details.extend(e.centre.iter().map(|c| format!("{}: {c}", t.lbl_centre)));
    details.extend(e.age_warning_confirmed.iter().map(|c| format!("{}: {c}", t.lbl_age_confirmed)));
    let mut out = vec![entry(e.start, 0, format!("{}: {name}", t.tl_enrollment_start), details, labels)];
    if let Some(end) = e.end {
        let reason: Vec<String> =
            e.end_reason.iter().map(|r| format!("{}: {}", t.lbl_reason, labels.end_reason(r))).collect();
        out.push(entry(end, 5, format!("{}: {name}", t.tl_enrollment_end), reason, labels));
    }
    out
}

fn offer_entries(o: &Offer, enrollments: &[Enrollment], labels: &Labels) -> Vec<Entry> {
    let t = labels.lang.texts().case;
    let kind = labels.offer_type(&o.offer_type);
    let within: Vec<String> = enrollments
        .iter()
        .find(|e| e.id == o.enrollment_id)
        .map(|e| labels.initiative(&e.initiative))
        .into_iter()
        .collect();
    let mut out = vec![entry(o.start, 1, format!("{}: {kind}", t.tl_offer_start), within.clone(), labels)];
    if let Some(end) = o.end {
        let mut details = within;
        details.extend(o.end_reason.iter().map(|r| format!("{}: {}", t.lbl_reason, labels.end_reason(r))));
        out.push(entry(end, 4, format!("{}: {kind}", t.tl_offer_end), details, labels));
    }
    out
}

fn follow_up_entry(f: &FollowUp, labels: &Labels, as_of: NaiveDate) -> Entry {
    let t = labels.lang.texts().case;
    let what = format!("{}: {}", t.tl_follow_up, t.anchor(f.anchor));
    let mut details = vec![format!("{}: {}", t.lbl_due, labels.date(f.due))];
    let (day, class, marker) = match (f.done, &f.status) {
        (Some(done), status) => {
            let mut text = format!("{}: {}", t.fu_done, labels.date(done));
            if let Some(status) = status {
                let positive = labels.codes.is_positive_status(status);
                text = format!(
                    "{text} – {}{}",
                    labels.status(status),
                    if positive { format!(" ({})", t.fu_positive) } else { String::new() }
                );
            }
            details.extend(f.done_by.iter().map(|b| format!("{}: {b}", t.lbl_done_by)));
            (done, "follow-up done", text)
        }
        (None, _) if f.is_overdue(as_of) => {
            let days = (as_of - f.due).num_days();
            (f.due, "follow-up overdue", format!("{}: {days} {}", t.fu_overdue, t.days_overdue))
        }
        (None, _) => (f.due, "follow-up planned", t.fu_planned.to_owned()),
    };
    Entry { class, marker: Some(marker), ..entry(day, 7, what, details, labels) }
}

/// A follow-up as an option of the "record follow-up" form: due date, anchor, overdue marker.
pub(super) fn follow_up_option(f: &FollowUp, labels: &Labels, as_of: NaiveDate) -> String {
    let t = labels.lang.texts().case;
    let mut label = format!("{} {} – {}", t.lbl_due, labels.date(f.due), t.anchor(f.anchor));
    if f.is_overdue(as_of) {
        label.push_str(&format!(" ({})", t.fu_overdue.to_lowercase()));
    }
    label
}

/// An enrollment as an option: initiative, start and end.
pub(super) fn enrollment_option(e: &Enrollment, labels: &Labels) -> String {
    let t = labels.lang.texts().case;
    let end = e.end.map_or_else(|| t.open_until.to_owned(), |d| labels.date(d));
    format!("{} – {} – {end}", labels.initiative(&e.initiative), labels.date(e.start))
}

/// An offer as an option: type, start and end.
pub(super) fn offer_option(o: &Offer, labels: &Labels) -> String {
    let t = labels.lang.texts().case;
    let end = o.end.map_or_else(|| t.open_until.to_owned(), |d| labels.date(d));
    format!("{} – {} – {end}", labels.offer_type(&o.offer_type), labels.date(o.start))
}

//! The list of every report version on `/rapporter`: what it is, who made and approved it and
//! when, its status, its downloads, and the figures that changed since the approved version it
//! corrects (the store's `changes`, computed by `sikkerby_reports::diff` when it was recorded).

use super::forms::long_time;
use super::report_form::{kind_words, period_words};
use crate::i18n::Lang;
use sikkerby_reports::model::Change;
use sikkerby_reports::{ReportKind, ReportPeriod};
use sikkerby_store::reports::Snapshot;

/// What the signed-in user may do about an unapproved version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Approval {
    /// Approved already: nothing.
    Done,
    /// A manager who did not make it: the button.
    Offer,
    /// The manager made it: another must approve (four eyes).
    OwnVersion,
    /// Not a manager.
    NeedsManager,
}

/// One line of the list.
#[derive(Debug, Clone)]
pub(super) struct VersionRow {
    pub id: i64,
    pub kind: &'static str,
    pub period: String,
    pub version: i64,
    pub created_by: String,
    pub created_at: String,
    pub approved_by: Option<String>,
    pub approved_at: String,
    pub status: &'static str,
    pub approval: Approval,
    /// Said above the changes: how many figures changed since which approved version; `None`
    /// when the version corrects no approved version.
    pub changes_summary: Option<String>,
    /// Each changed figure as approved and now; the figure's name in the reader's language.
    pub changes: Vec<Change>,
}

/// Who is looking: whether they may approve, and who they are (not their own versions).
pub(super) struct Viewer<'a> {
    pub is_manager: bool,
    pub username: &'a str,
}

/// The rows of the list, in the order given (newest first).
pub(super) fn rows(snapshots: &[Snapshot], viewer: &Viewer<'_>, lang: Lang) -> Vec<VersionRow> {
    snapshots.iter().map(|s| row(s, snapshots, viewer, lang)).collect()
}

fn row(s: &Snapshot, all: &[Snapshot], viewer: &Viewer<'_>, lang: Lang) -> VersionRow {
    let t = lang.texts().reports;
    let kind = ReportKind::parse(&s.snapshot.kind);
    let period = kind.and_then(|k| ReportPeriod::parse(k, &s.snapshot.period).ok().map(|p| (k, p)));
    let approval = match (&s.approved_by, viewer.is_manager) {
        (Some(_), _) => Approval::Done,
        (None, false) => Approval::NeedsManager,
        (None, true) if s.snapshot.created_by == viewer.username => Approval::OwnVersion,
        (None, true) => Approval::Offer,
    };
    let changes: Vec<Change> = serde_json::from_str(&s.snapshot.changes).unwrap_or_default();
    let corrects = s.snapshot.corrects_id.and_then(|id| all.iter().find(|o| o.id == id));
    let changes_summary = corrects.map(|c| {
        let words = if changes.is_empty() { t.unchanged } else { t.changed_summary };
        words.replace("{n}", &changes.len().to_string()).replace("{version}", &c.version.to_string())
    });
    VersionRow {
        id: s.id,
        kind: kind.map_or("", |k| kind_words(t, k)),
        period: period.map_or_else(|| s.snapshot.period.clone(), |(k, p)| period_words(lang, k, &p)),
        version: s.version,
        created_by: s.snapshot.created_by.clone(),
        created_at: moment(&s.snapshot.created_at, lang),
        approved_by: s.approved_by.clone(),
        approved_at: s.approved_at.as_deref().map(|at| moment(at, lang)).unwrap_or_default(),
        status: if s.is_approved() { t.status_locked } else { t.status_draft },
        approval,
        changes_summary,
        changes: changes
            .into_iter()
            .map(|c| Change { field: t.change_field(&c.field).to_owned(), ..c })
            .collect(),
    }
}

/// A recorded RFC 3339 moment as the reader writes it; as recorded if it does not parse.
fn moment(at: &str, lang: Lang) -> String {
    match chrono::DateTime::parse_from_rfc3339(at) {
        Ok(at) => long_time(at.with_timezone(&chrono::Utc), lang),
        Err(_) => at.to_owned(),
    }
}

//! The case registry (DOMAIN.md §4): citizens, enrollments, offers, placements, life events and
//! follow-ups, written by the caseworker forms and read by the citizen pages.
//!
//! Every write validates first and names the field and the reason; warnings (a CPR number that
//! fails modulus 11, an age outside the initiative's band) must be confirmed by the user and the
//! confirmation is stored. Each write is one transaction that also brings the follow-ups in line
//! with their anchors, so a page never shows a follow-up for an anchor that moved.

mod citizens;
mod enrollments;
mod follow_ups;
pub(crate) mod kept_timelines;
pub(crate) mod rows;

pub use citizens::{CitizenSummary, NewCitizen, Timeline};
pub use enrollments::{EndRecord, NewEnrollment, NewEvent, NewOffer, NewPlacement};
pub use follow_ups::{sync_follow_ups, FollowUpSync, OverdueFollowUp, RecordFollowUp, WorklistFilter};

/// Why a case write was refused. `field` is the form field (and CSV column) it concerns.
#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    #[error("{field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    /// A warning the user must confirm before the write goes through.
    #[error("{field}: {warning} (confirm to continue)")]
    NeedsConfirmation { field: &'static str, warning: String },
    #[error("{what} {id} does not exist")]
    NotFound { what: &'static str, id: String },
    #[error(transparent)]
    Store(#[from] crate::StoreError),
}

impl From<sqlx::Error> for CaseError {
    fn from(e: sqlx::Error) -> Self {
        CaseError::Store(e.into())
    }
}

pub(crate) fn invalid(field: &'static str, reason: impl Into<String>) -> CaseError {
    CaseError::Invalid { field, reason: reason.into() }
}

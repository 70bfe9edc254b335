//! The case registry (docs/domain.md §4): citizens, enrollments, offers, placements, life events and
//! follow-ups, written by the caseworker forms and read by the citizen pages.
//!
//! Every write validates first and names the field and the reason; warnings (a CPR number that
//! fails modulus 11, an age outside the initiative's band) must be confirmed by the user and the
//! confirmation is stored. Each write is one transaction that also brings the follow-ups in line
//! with their anchors, so a page never shows a follow-up for an anchor that moved; every write
//! goes through [`write::CaseWrite`], which also stores history, audit row and change log.
//!
//! A recorded fact is never overwritten by a second "end" or "record": that is refused
//! ([`Refusal`]), and a change of a recorded fact is a correction ([`Store::correct`]) with a
//! stated reason, kept as history. Facts cannot be dated after today.

mod citizens;
mod corrections;
mod enrollments;
mod follow_ups;
pub(crate) mod history;
pub(crate) mod kept_timelines;
mod registration;
pub(crate) mod rows;
mod takeover;
mod worklist;
pub(crate) mod write;

pub use citizens::{CitizenSummary, Timeline};
pub use corrections::{CorrectFact, Fact};
pub use enrollments::{EndRecord, NewEnrollment, NewEvent, NewOffer, NewPlacement};
pub(crate) use follow_ups::assign_owning_enrollments;
pub use follow_ups::{sync_follow_ups, FollowUpSync, OverdueFollowUp, RecordFollowUp, WorklistFilter};
pub use history::{Correction, RecordKind};
pub use registration::{NewCitizen, Registration};
pub use takeover::{Decider, NewTakeover, Takeover, TakeoverStatus};
pub use worklist::{WorklistOptions, WorklistPage, WorklistQuery, WorklistSort, DUE_SOON_DAYS};

use chrono::NaiveDate;

/// Why a case write was refused. `field` is the form field (and CSV column) it concerns.
#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    #[error("{field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    /// A warning the user must confirm before the write goes through.
    #[error("{field}: {warning} (confirm to continue)")]
    NeedsConfirmation { field: &'static str, warning: String },
    /// Refused by a rule of the records as they stand (see [`Refusal`]).
    #[error("{field}: {refusal}")]
    Refused { field: &'static str, refusal: Refusal },
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

/// Why a write was refused by the records as they stand; the pages say it in the user's
/// language, the `Display` is Danish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The record was already ended on this date: changing the end is a correction.
    AlreadyEnded(NaiveDate),
    /// The follow-up was already recorded on this date: changing it is a correction.
    AlreadyDone(NaiveDate),
    /// A correction of an end that was never recorded (end it instead).
    NotEnded,
    /// A correction of a follow-up that was never recorded (record it instead).
    NotDone,
    /// A fact dated after today.
    InFuture,
    /// An end dated before the start it ends (the start's date).
    EndsBeforeStart(NaiveDate),
    /// Another enrollment of the citizen in the same initiative covers the dates.
    Overlaps { start: NaiveDate, end: Option<NaiveDate> },
    /// A correction without a reason.
    ReasonRequired,
    /// A correction that changes nothing.
    Unchanged,
    /// Not a CPR number (the error holds no more of it than its masked form).
    BadCpr(sikkerby_domain::cpr::CprError),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::AlreadyEnded(on) => write!(f, "er allerede afsluttet {on}; en ændring er en rettelse"),
            Refusal::AlreadyDone(on) => write!(f, "er allerede registreret {on}; en ændring er en rettelse"),
            Refusal::NotEnded => f.write_str("er ikke afsluttet endnu"),
            Refusal::NotDone => f.write_str("er ikke registreret endnu"),
            Refusal::InFuture => f.write_str("datoen ligger i fremtiden"),
            Refusal::EndsBeforeStart(start) => write!(f, "slutdatoen ligger før starten {start}"),
            Refusal::Overlaps { start, end: Some(end) } => {
                write!(f, "overlapper et forløb i samme indsats ({start} – {end})")
            }
            Refusal::Overlaps { start, end: None } => {
                write!(f, "overlapper et åbent forløb i samme indsats (fra {start})")
            }
            Refusal::ReasonRequired => f.write_str("en rettelse skal begrundes"),
            Refusal::Unchanged => f.write_str("rettelsen ændrer intet"),
            Refusal::BadCpr(error) => write!(f, "{error}"),
        }
    }
}

pub(crate) fn refused(field: &'static str, refusal: Refusal) -> CaseError {
    CaseError::Refused { field, refusal }
}

/// Today in local time, the latest date a fact may have.
pub(crate) fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// A fact's date (an event, an end, a follow-up done): not after today.
pub(crate) fn fact_date(field: &'static str, date: NaiveDate) -> Result<(), CaseError> {
    if date > today() {
        return Err(refused(field, Refusal::InFuture));
    }
    Ok(())
}

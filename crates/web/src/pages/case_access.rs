//! Every read and write of a person's case data made by the pages passes through this module:
//! the access check (own centre, purpose given) and the audit row (who, what person, purpose)
//! come from [`crate::auth::citizen`], one line each, before anything is read or shown.
//!
//! After every successful write the evaluator re-reads the citizen, so the results dashboard
//! shows the change on the next request.

use crate::auth::{citizen, CurrentUser};
use crate::{AppError, AppState};
use sikkerby_domain::access::Purpose;
use sikkerby_store::audit::{audited_write, AuditAction, AuditEntry};
use sikkerby_store::cases::{CitizenSummary, Timeline, WorklistPage, WorklistQuery};
use sikkerby_store::session_purpose::SessionPurpose;

/// The most search results a page shows.
pub(super) const SEARCH_LIMIT: i64 = 50;

/// Parses a citizen id from a path; anything else is "not found" (never a 400 that says why).
pub(super) fn citizen_id(raw: &str) -> Result<i64, AppError> {
    raw.parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(|| AppError::NotFound("citizen".into()))
}

/// A citizen opened for their page or a form post.
pub(super) struct OpenedCitizen {
    /// The whole case history.
    pub timeline: Timeline,
    /// The purpose the session gave, which a write's audit row repeats.
    pub purpose: SessionPurpose,
    /// The reference data's generation, read with the timeline's stamp: the page's code lists,
    /// portfolio and geography are taken at it (one stamp per page).
    pub generation: i64,
}

/// A citizen with the whole case history, for the citizen page and its forms: only one of the
/// user's own centres' citizens, after the purpose is given; the read is audited first.
pub(super) async fn open_timeline(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> Result<OpenedCitizen, AppError> {
    let purpose = citizen::open(state, user, id, AuditAction::ReadCitizen).await?;
    // One small query tells both whether a kept timeline is current and the generation.
    let stamp = state.store.figures_stamp().await?;
    let timeline = state
        .store
        .timeline_at(id, stamp.case_changes)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("citizen {id}")))?;
    Ok(OpenedCitizen { timeline, purpose, generation: stamp.generation })
}

/// Citizens matching a CPR prefix or part of a name; one more than the limit, so the page can
/// say that the list was cut.
/// Only the user's own centres' citizens are found, and each one shown is audited.
pub(super) async fn find_citizens(
    state: &AppState,
    user: &CurrentUser,
    query: &str,
) -> Result<Vec<CitizenSummary>, AppError> {
    let found = state.store.search_citizens_within(query, citizen::scope(user), SEARCH_LIMIT + 1).await?;
    let shown = found.iter().take(SEARCH_LIMIT as usize).map(|s| s.citizen.id);
    citizen::listed(state, user, shown, Purpose::Casework, "søgning").await?;
    Ok(found)
}

/// One page of the worklist; only the rows shown are audited, one row per citizen, with the
/// purpose follow-up.
pub(super) async fn list_worklist(
    state: &AppState,
    user: &CurrentUser,
    query: &WorklistQuery,
) -> Result<WorklistPage, AppError> {
    let found = state.store.worklist(query).await?;
    citizen::listed(
        state,
        user,
        found.rows.iter().map(|o| o.citizen.id),
        Purpose::FollowUp,
        "opfølgningsliste",
    )
    .await?;
    Ok(found)
}

/// Runs a store write to a citizen's records with its audit row (`WriteCase`, with the purpose
/// the session gave when the citizen was opened) committed in the write's own transaction
/// (`sikkerby_store::audit::audited_write`): a crash cannot keep the change without its row.
pub(super) async fn audited<T>(
    user: &CurrentUser,
    purpose: &SessionPurpose,
    citizen_id: i64,
    write: impl std::future::Future<Output = T>,
) -> T {
    let entry = AuditEntry::about(
        &user.actor(),
        AuditAction::WriteCase,
        citizen_id,
        purpose.purpose,
        &purpose.text,
        chrono::Utc::now(),
    );
    audited_write(entry, write).await
}

/// Who is acting, for the confirmations the store records: the signed-in user.
pub(super) fn acting_user(user: &CurrentUser) -> String {
    user.user.username.clone()
}

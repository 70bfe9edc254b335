//! `/borgere/{id}/indsigt`: the PDF "Indsigt: registrerede opslag" for a citizen who asks who
//! processed their data (docs/domain.md §9). Only a caseworker who may reach the citizen gets it
//! (another centre's citizen answers 404, exactly as an unknown id); making it is audited as
//! `subject_access` with the purpose "indsigt" before the log is read, so the report lists its
//! own making too.

use super::case_access::citizen_id;
use crate::auth::{citizen, CurrentUser};
use crate::exports::attachment;
use crate::{AppError, AppState};
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::Utc;
use sikkerby_domain::access::Purpose;
use sikkerby_reports::pdf::subject_access::{self, SubjectAccess};
use sikkerby_store::audit::{AuditAction, AuditEntry};

/// The audit row's purpose text.
const PURPOSE_TEXT: &str = "indsigt: registrerede opslag";

/// `GET /borgere/{id}/indsigt`.
pub(super) async fn download(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let id = citizen_id(&raw)?;
    citizen::reachable(&state, &user, id).await?;
    let now = Utc::now();
    let entry = AuditEntry::about(
        &user.actor(),
        AuditAction::SubjectAccess,
        id,
        Purpose::SubjectAccess,
        PURPOSE_TEXT,
        now,
    );
    state.store.audit(&entry).await?;
    let doc = SubjectAccess {
        citizen_id: id,
        made_at: now,
        reads: state.store.audit_subject(id).await?,
        disclosures: state.store.disclosures_of(id).await?,
    };
    // Typst takes tens of milliseconds: off the async threads.
    let bytes = tokio::task::spawn_blocking(move || subject_access::render(&doc))
        .await
        .map_err(|e| AppError::Internal(Box::new(e)))?
        .map_err(|e| AppError::Internal(Box::new(e)))?;
    Ok(attachment(bytes, "application/pdf", &format!("indsigt-borger-{id}"), "pdf"))
}

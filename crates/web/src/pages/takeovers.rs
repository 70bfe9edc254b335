//! `/overtagelser`: takeover requests (docs/case-records.md, "Holder"). A caseworker sees the
//! pending requests for citizens their centres hold (the citizen named, the list audited as any
//! other) and the requests they sent themselves (only what they typed, never who holds the
//! citizen or whether anyone does). A manager sees every pending request, without the citizen's
//! name or CPR number, and alone decides one for a citizen held by no centre. A decision is a
//! case write of the citizen, audited with it.

use super::forms::{long_date, text, Submitted};
use super::{render, Chrome, Nav, PageContext};
use crate::auth::citizen::listed;
use crate::auth::CurrentUser;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::Utc;
use sikkerby_domain::access::{Purpose, Role};
use sikkerby_store::audit::{audited_write, AuditAction, AuditEntry};
use sikkerby_store::cases::{CaseError, Decider, Takeover};

/// The purpose text of the audit rows of this page and its decisions.
const TAKEOVER: &str = "overtagelse";

/// A pending request the reader may decide.
struct Incoming {
    id: i64,
    requested: String,
    /// The citizen's masked CPR number and name; `None` for a manager.
    citizen: Option<String>,
    href: Option<String>,
    to_centre: String,
    holders: String,
}

/// A request the reader sent.
struct Outgoing {
    id: i64,
    requested: String,
    typed_name: String,
    to_centre: String,
    status: &'static str,
}

#[derive(Template)]
#[template(path = "takeovers.html")]
struct Page {
    chrome: Chrome,
    t: &'static crate::i18n::TakeoverTexts,
    decided: bool,
    incoming: Vec<Incoming>,
    outgoing: Vec<Outgoing>,
    caseworker: bool,
}

/// Who the reader decides as.
fn decider(user: &CurrentUser) -> Decider<'_> {
    match user.role() {
        Role::Manager => Decider::Manager,
        _ => Decider::Centres(&user.user.centres),
    }
}

/// `GET /overtagelser`.
pub(super) async fn show(
    State(state): State<AppState>,
    Query(query): Query<Submitted>,
    context: PageContext,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let t = context.lang.takeover();
    let caseworker = user.role() == Role::Caseworker;
    let pending = state.store.takeovers_to_decide(decider(&user)).await?;
    if caseworker {
        listed(&state, &user, pending.iter().map(|r| r.citizen_id), Purpose::Casework, TAKEOVER).await?;
    }
    let mut incoming = Vec::new();
    for request in &pending {
        incoming.push(incoming_row(&state, &context, request, caseworker).await?);
    }
    let outgoing = if caseworker {
        let mine = state.store.takeovers_requested_by(user.user.id).await?;
        mine.iter()
            .map(|r| Outgoing {
                id: r.id,
                requested: long_date(r.requested_at.date_naive(), context.lang),
                typed_name: r.typed_name.clone().unwrap_or_default(),
                to_centre: r.requesting_centre.clone(),
                status: t.status(r.status),
            })
            .collect()
    } else {
        Vec::new()
    };
    let decided = query.contains_key("afgjort");
    let page = Page { chrome: context.chrome(Nav::Takeovers), t, decided, incoming, outgoing, caseworker };
    Ok(render(&page)?.into_response())
}

async fn incoming_row(
    state: &AppState,
    context: &PageContext,
    request: &Takeover,
    caseworker: bool,
) -> Result<Incoming, AppError> {
    let holders = state.store.citizen_centres(request.citizen_id).await?.unwrap_or_default().centres;
    let holders =
        if holders.is_empty() { context.lang.takeover().held_by_none.to_owned() } else { holders.join(", ") };
    let citizen = if caseworker { state.store.citizen(request.citizen_id).await? } else { None };
    Ok(Incoming {
        id: request.id,
        requested: long_date(request.requested_at.date_naive(), context.lang),
        citizen: citizen.as_ref().map(|c| format!("{} {}", c.cpr_masked, c.name.as_deref().unwrap_or(""))),
        href: citizen.map(|c| format!("/borgere/{}", c.id)),
        to_centre: request.requesting_centre.clone(),
        holders,
    })
}

/// `POST /overtagelser/{id}` with `svar=imoedekom` or `svar=afvis`.
pub(super) async fn decide(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    user: CurrentUser,
    Form(input): Form<Submitted>,
) -> Result<Response, AppError> {
    let not_found = || AppError::NotFound(format!("takeover request {raw}"));
    let id: i64 = raw.parse().map_err(|_| not_found())?;
    let grant = match text(&input, "svar") {
        "imoedekom" => true,
        "afvis" => false,
        _ => return Err(AppError::Unprocessable { field: "svar", message: "imoedekom or afvis".into() }),
    };
    let request = state.store.takeover(id).await?.ok_or_else(not_found)?;
    let verb = if grant { "granted" } else { "refused" };
    let entry = AuditEntry::new(&user.actor(), AuditAction::Takeover, Utc::now())
        .purpose(Purpose::Casework, TAKEOVER)
        .detail(format!("{verb} takeover request {id} for {}", request.requesting_centre));
    let decision = state.store.decide_takeover(id, decider(&user), user.user.id, grant);
    match audited_write(entry, decision).await {
        Ok(_) => Ok(Redirect::to("/overtagelser?afgjort=1").into_response()),
        Err(CaseError::NotFound { .. }) => {
            let denied = AuditEntry::denied_about(
                &user.actor(),
                AuditAction::Takeover,
                request.citizen_id,
                Utc::now(),
            )
            .detail(format!("takeover request {id}: not pending or not the user's to decide"));
            state.store.audit(&denied).await?;
            Err(not_found())
        }
        Err(CaseError::Store(error)) => Err(error.into()),
        Err(other) => Err(AppError::Internal(Box::new(other))),
    }
}

//! The POSTs of the citizen page's forms (Post/Redirect/Get): each checks the form, writes
//! through the store, tells the evaluator and answers 303 to the citizen page; or, when
//! anything is wrong, shows the page again (422) with the form's input and every problem named.
//!
//! A record named in a form (enrollment, offer, follow-up) must belong to the citizen whose page
//! it was posted from, so a write can never land on another person.

use super::case_access::{acting_user, audited, citizen_id, open_timeline, OpenedCitizen};
use super::citizen_forms::{Failed, FormKind};
use super::citizen_page::page;
use super::forms::{checked, choice, date, optional, optional_date, required, text, Problems, Submitted};
use super::PageContext;
use crate::auth::citizen::own_centre;
use crate::auth::CurrentUser;
use crate::i18n::CaseTexts;
use crate::{AppError, AppState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use sikkerby_domain::codes::{CodeLists, EventKind};
use sikkerby_store::cases::{
    CaseError, EndRecord, NewEnrollment, NewEvent, NewOffer, NewPlacement, RecordFollowUp,
};

/// What every handler gets: the state, the reader, the citizen and the submitted form.
pub(super) type Args = (State<AppState>, Path<String>, PageContext, CurrentUser, Form<Submitted>);

/// A required id that must be one of the citizen's own records.
pub(super) fn belongs<'a>(
    input: &Submitted,
    name: &'static str,
    mut own: impl Iterator<Item = &'a str>,
    p: &mut Problems,
    t: &CaseTexts,
) -> Option<String> {
    let id = required(input, name, p, t)?;
    if own.any(|o| o == id) {
        Some(id)
    } else {
        p.add(name, t.msg_not_this_citizen);
        None
    }
}

/// Redirects to the citizen page after a write, or shows the form again with its problems.
pub(super) async fn respond<T>(
    state: &AppState,
    context: &PageContext,
    opened: &OpenedCitizen,
    (kind, input): (FormKind, Submitted),
    mut problems: Problems,
    outcome: Option<Result<T, CaseError>>,
) -> Result<Response, AppError> {
    let id = opened.timeline.citizen.id;
    match outcome {
        Some(Ok(_)) if problems.is_empty() => {
            // Audited in the write's transaction (`audited`); the evaluator re-reads the citizen
            // so that the results include the change at once.
            state.evaluator.citizen_changed(id).await?;
            return Ok(Redirect::to(&format!("/borgere/{id}?gemt=1#tidslinje")).into_response());
        }
        Some(Err(error)) => problems = Problems::from_case(error, kind.key_field(), context.lang)?,
        _ => {}
    }
    let failed = Failed { kind, input, problems };
    let html = page(state, context, (&opened.timeline, opened.generation), Some(&failed), false).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
}

/// Loads the citizen and the code lists every form checks against.
pub(super) async fn load(
    state: &AppState,
    user: &CurrentUser,
    raw: &str,
) -> Result<(OpenedCitizen, CodeLists), AppError> {
    let opened = open_timeline(state, user, citizen_id(raw)?).await?;
    let codes = state.store.code_lists_at(opened.generation).await?;
    Ok((opened, codes))
}

/// `POST /borgere/{id}/opfoelgninger`: records a follow-up's outcome.
pub(super) async fn follow_up(
    (State(state), Path(raw), context, user, Form(input)): Args,
) -> Result<Response, AppError> {
    let (opened, codes) = load(&state, &user, &raw).await?;
    let (timeline, purpose) = (&opened.timeline, &opened.purpose);
    let (t, mut p) = (context.t().case, Problems::default());
    let own = timeline.follow_ups.iter().map(|f| f.id.as_str());
    let id = belongs(&input, "opfoelgning_id", own, &mut p, t);
    let done = date(&input, "udfoert", &mut p, t);
    let status = choice(&input, "status", |s| codes.follow_up_status(s).is_some(), &mut p, t);
    let done_by = required(&input, "udfoert_af", &mut p, t);
    let outcome = match (id, done, status, done_by) {
        (Some(id), Some(done), Some(status), Some(done_by)) if p.is_empty() => Some(
            audited(
                &user,
                purpose,
                timeline.citizen.id,
                state.store.record_follow_up(&id, &RecordFollowUp { done, status, done_by }),
            )
            .await,
        ),
        _ => None,
    };
    respond(&state, &context, &opened, (FormKind::FollowUp, input), p, outcome).await
}

/// `POST /borgere/{id}/forloeb`: enrolls the citizen; an age outside the target group must be
/// confirmed with the checkbox that the warning brings.
pub(super) async fn enroll(
    (State(state), Path(raw), context, user, Form(input)): Args,
) -> Result<Response, AppError> {
    let (opened, _) = load(&state, &user, &raw).await?;
    let (timeline, purpose) = (&opened.timeline, &opened.purpose);
    let (t, mut p) = (context.t().case, Problems::default());
    let portfolio = state.store.portfolio().await?;
    let known = |code: &str| portfolio.initiatives.iter().any(|i| i.code.as_str() == code);
    let initiative = choice(&input, "indsats", known, &mut p, t);
    let start = date(&input, "start", &mut p, t);
    let lead = required(&input, "tovholder", &mut p, t);
    let caseworker_code = optional(&input, "sagsbehandlerkode", &mut p, t);
    let centre = optional(&input, "center", &mut p, t);
    let centre =
        own_centre(&user, centre).ok_or_else(|| p.add("center", context.t().auth.msg_own_centre)).ok();
    let outcome = match (initiative, start, lead) {
        (Some(initiative), Some(start), Some(lead)) if p.is_empty() => {
            let citizen_id = timeline.citizen.id;
            let confirm_age = checked(&input, "bekraeft");
            let confirmed_by = acting_user(&user);
            let new = NewEnrollment {
                citizen_id,
                initiative,
                start,
                lead,
                caseworker_code,
                centre,
                confirm_age,
                confirmed_by,
            };
            Some(audited(&user, purpose, timeline.citizen.id, state.store.enroll(&new)).await)
        }
        _ => None,
    };
    respond(&state, &context, &opened, (FormKind::Enroll, input), p, outcome).await
}

/// `POST /borgere/{id}/tilbud`: adds an offer inside one of the citizen's enrollments.
pub(super) async fn add_offer(
    (State(state), Path(raw), context, user, Form(input)): Args,
) -> Result<Response, AppError> {
    let (opened, codes) = load(&state, &user, &raw).await?;
    let (timeline, purpose) = (&opened.timeline, &opened.purpose);
    let (t, mut p) = (context.t().case, Problems::default());
    let own = timeline.enrollments.iter().map(|e| e.id.as_str());
    let enrollment_id = belongs(&input, "forloeb_id", own, &mut p, t);
    let offer_type = choice(&input, "tilbudstype", |c| codes.offer_type(c).is_some(), &mut p, t);
    let start = date(&input, "start", &mut p, t);
    let outcome = match (enrollment_id, offer_type, start) {
        (Some(enrollment_id), Some(offer_type), Some(start)) if p.is_empty() => Some(
            audited(
                &user,
                purpose,
                timeline.citizen.id,
                state.store.add_offer(&NewOffer { enrollment_id, offer_type, start }),
            )
            .await,
        ),
        _ => None,
    };
    respond(&state, &context, &opened, (FormKind::Offer, input), p, outcome).await
}

/// The end date and reason of the two "end" forms.
pub(super) fn end_record(
    input: &Submitted,
    codes: &CodeLists,
    p: &mut Problems,
    t: &CaseTexts,
) -> Option<EndRecord> {
    let date = date(input, "slut", p, t);
    let reason = choice(input, "afslutningsaarsag", |c| codes.end_reason(c).is_some(), p, t);
    Some(EndRecord { date: date?, reason: reason? })
}

/// `POST /borgere/{id}/tilbud/afslut`: ends (or corrects the end of) an offer.
pub(super) async fn end_offer(
    (State(state), Path(raw), context, user, Form(input)): Args,
) -> Result<Response, AppError> {
    let (opened, codes) = load(&state, &user, &raw).await?;
    let (timeline, purpose) = (&opened.timeline, &opened.purpose);
    let (t, mut p) = (context.t().case, Problems::default());
    let offer = belongs(&input, "tilbud_id", timeline.offers.iter().map(|o| o.id.as_str()), &mut p, t);
    let end = end_record(&input, &codes, &mut p, t);
    let outcome = match (offer, end) {
        (Some(offer), Some(end)) if p.is_empty() => {
            Some(audited(&user, purpose, timeline.citizen.id, state.store.end_offer(&offer, &end)).await)
        }
        _ => None,
    };
    respond(&state, &context, &opened, (FormKind::EndOffer, input), p, outcome).await
}

/// `POST /borgere/{id}/forloeb/afslut`: ends (or corrects the end of) an enrollment.
pub(super) async fn end_enrollment(
    (State(state), Path(raw), context, user, Form(input)): Args,
) -> Result<Response, AppError> {
    let (opened, codes) = load(&state, &user, &raw).await?;
    let (timeline, purpose) = (&opened.timeline, &opened.purpose);
    let (t, mut p) = (context.t().case, Problems::default());
    let own = timeline.enrollments.iter().map(|e| e.id.as_str());
    let enrollment = belongs(&input, "forloeb_id", own, &mut p, t);
    let end = end_record(&input, &codes, &mut p, t);
    let outcome = match (enrollment, end) {
        (Some(enrollment), Some(end)) if p.is_empty() => Some(
            audited(&user, purpose, timeline.citizen.id, state.store.end_enrollment(&enrollment, &end)).await,
        ),
        _ => None,
    };
    respond(&state, &context, &opened, (FormKind::EndEnrollment, input), p, outcome).await
}

/// `POST /borgere/{id}/haendelser`: records a life event (a release may schedule a follow-up).
pub(super) async fn event(
    (State(state), Path(raw), context, user, Form(input)): Args,
) -> Result<Response, AppError> {
    let (opened, _) = load(&state, &user, &raw).await?;
    let (timeline, purpose) = (&opened.timeline, &opened.purpose);
    let (t, mut p) = (context.t().case, Problems::default());
    let kind = choice(&input, "haendelse", |k| EventKind::parse(k).is_some(), &mut p, t);
    let day = date(&input, "dato", &mut p, t);
    let value = match text(&input, "vaerdi") {
        "" => None,
        raw => raw.parse::<i64>().map_err(|_| p.add("vaerdi", t.msg_whole_number)).ok(),
    };
    let outcome = match (kind, day) {
        (Some(kind), Some(date)) if p.is_empty() => {
            let citizen_id = timeline.citizen.id;
            Some(
                audited(
                    &user,
                    purpose,
                    timeline.citizen.id,
                    state.store.record_event(&NewEvent { citizen_id, kind, date, value }),
                )
                .await,
            )
        }
        _ => None,
    };
    respond(&state, &context, &opened, (FormKind::Event, input), p, outcome).await
}

/// `POST /borgere/{id}/fritidsjob`: records a leisure-job placement.
pub(super) async fn placement(
    (State(state), Path(raw), context, user, Form(input)): Args,
) -> Result<Response, AppError> {
    let (opened, _) = load(&state, &user, &raw).await?;
    let (timeline, purpose) = (&opened.timeline, &opened.purpose);
    let (t, mut p) = (context.t().case, Problems::default());
    let employer = optional(&input, "arbejdsgiver", &mut p, t);
    let start = date(&input, "start", &mut p, t);
    let end = optional_date(&input, "slut", &mut p, t);
    let outcome = match start {
        Some(start) if p.is_empty() => {
            let citizen_id = timeline.citizen.id;
            Some(
                audited(
                    &user,
                    purpose,
                    timeline.citizen.id,
                    state.store.add_placement(&NewPlacement { citizen_id, employer, start, end }),
                )
                .await,
            )
        }
        _ => None,
    };
    respond(&state, &context, &opened, (FormKind::Placement, input), p, outcome).await
}

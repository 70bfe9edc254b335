//! The POSTs of the correction forms: a recorded end, follow-up outcome or event date changed
//! with a stated reason, kept as history by the store (`Store::correct`). As every case post,
//! the record must be the citizen's own, and the write is audited in its own transaction.

use super::case_access::{acting_user, audited};
use super::case_posts::{belongs, end_record, load, respond, Args};
use super::citizen_forms::FormKind;
use super::forms::{choice, date, text, Problems};
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Form;
use sikkerby_store::cases::{CaseError, CorrectFact, Fact};

use crate::AppError;

/// The reason of a correction; the store names it when missing, so it is not checked twice.
fn reason(input: &super::forms::Submitted) -> String {
    text(input, "begrundelse").to_owned()
}

/// `POST /borgere/{id}/rettelser/afslutning`: corrects the end of an enrollment or an offer.
pub(super) async fn end(
    (State(state), Path(raw), context, user, Form(input)): Args,
) -> Result<Response, AppError> {
    let (opened, codes) = load(&state, &user, &raw).await?;
    let (timeline, purpose) = (&opened.timeline, &opened.purpose);
    let (t, mut p) = (context.t().case, Problems::default());
    let enrollments = timeline.enrollments.iter().map(|e| format!("forloeb:{}", e.id));
    let offers = timeline.offers.iter().map(|o| format!("tilbud:{}", o.id));
    let own: Vec<String> = enrollments.chain(offers).collect();
    let record = belongs(&input, "post", own.iter().map(String::as_str), &mut p, t);
    let end = end_record(&input, &codes, &mut p, t);
    let outcome = match (record, end) {
        (Some(record), Some(end)) if p.is_empty() => {
            let fact = match record.split_once(':') {
                Some(("forloeb", id)) => Fact::EnrollmentEnd { id: id.to_owned(), end },
                Some((_, id)) => Fact::OfferEnd { id: id.to_owned(), end },
                None => return Err(AppError::NotFound("record".into())),
            };
            let c = CorrectFact { fact, reason: reason(&input), by: acting_user(&user) };
            let written = audited(&user, purpose, timeline.citizen.id, state.store.correct(&c)).await;
            Some(written.map_err(on_the_record_field))
        }
        _ => None,
    };
    respond(&state, &context, &opened, (FormKind::CorrectEnd, input), p, outcome).await
}

/// The store names the enrollment or offer; this form has one select for both.
fn on_the_record_field(error: CaseError) -> CaseError {
    match error {
        CaseError::Refused { field: "forloeb_id" | "tilbud_id", refusal } => {
            CaseError::Refused { field: "post", refusal }
        }
        other => other,
    }
}

/// `POST /borgere/{id}/rettelser/opfoelgning`: corrects a recorded follow-up's date and status.
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
    let outcome = match (id, done, status) {
        (Some(id), Some(done), Some(status)) if p.is_empty() => {
            let fact = Fact::FollowUpOutcome { id, done, status };
            let c = CorrectFact { fact, reason: reason(&input), by: acting_user(&user) };
            Some(audited(&user, purpose, timeline.citizen.id, state.store.correct(&c)).await)
        }
        _ => None,
    };
    respond(&state, &context, &opened, (FormKind::CorrectFollowUp, input), p, outcome).await
}

/// `POST /borgere/{id}/rettelser/haendelse`: corrects the date of a life event.
pub(super) async fn event(
    (State(state), Path(raw), context, user, Form(input)): Args,
) -> Result<Response, AppError> {
    let (opened, _) = load(&state, &user, &raw).await?;
    let (timeline, purpose) = (&opened.timeline, &opened.purpose);
    let (t, mut p) = (context.t().case, Problems::default());
    let own = timeline.events.iter().map(|e| e.id.as_str());
    let id = belongs(&input, "haendelse_id", own, &mut p, t);
    let day = date(&input, "dato", &mut p, t);
    let outcome = match (id, day) {
        (Some(id), Some(date)) if p.is_empty() => {
            let c = CorrectFact {
                fact: Fact::EventDate { id, date },
                reason: reason(&input),
                by: acting_user(&user),
            };
            Some(audited(&user, purpose, timeline.citizen.id, state.store.correct(&c)).await)
        }
        _ => None,
    };
    respond(&state, &context, &opened, (FormKind::CorrectEvent, input), p, outcome).await
}

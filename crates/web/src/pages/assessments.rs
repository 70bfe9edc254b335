//! `/vurdering`: a partner (SSP leader group, social services) submits the half-yearly
//! assessment of every area of its own districts for the open half-year; another district is
//! refused with a 403 page. The secretariat's view of the round is `assessment_round.rs`.
//! The rules (own districts, the open half-year, late after the deadline) are the store's and
//! the domain's (`sikkerby_domain::assessment_round`); docs/safety-index.md describes them.

use super::forms::{long_date, long_time, text, Submitted};
use super::{render, Chrome, Nav, PageContext};
use crate::auth::CurrentUser;
use crate::i18n::{AssessmentTexts, Lang};
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::Utc;
use sikkerby_domain::assessment_round::{is_late, open_half_year, AreaScore, ScoreError};
use sikkerby_domain::geography::Geography;
use sikkerby_store::assessment_round::{AssessmentError, Submission};
use sikkerby_store::tryghed::AreaAssessment;
use sikkerby_store::users::PartnerAssignment;

/// One level of the select: value, label, chosen.
struct Level {
    value: u8,
    label: &'static str,
    selected: bool,
}

/// One area's row of a district's form.
struct AreaField {
    id: String,
    name: String,
    levels: Vec<Level>,
    text: String,
    level_error: Option<&'static str>,
    text_error: Option<&'static str>,
}

/// One district's form.
struct DistrictForm {
    id: String,
    name: String,
    action: String,
    areas: Vec<AreaField>,
    /// Who submitted it, when (and "late"), if anyone did.
    status: Option<String>,
    /// The problems of the submission that came back, in the order of the areas.
    errors: Vec<(String, &'static str)>,
    saved: bool,
}

#[derive(Template)]
#[template(path = "assessment_form.html")]
struct FormPage {
    chrome: Chrome,
    source: String,
    half_year: String,
    half_year_code: String,
    deadline: String,
    late: bool,
    districts: Vec<DistrictForm>,
}

#[derive(Template)]
#[template(path = "assessment_refused.html")]
struct RefusedPage {
    chrome: Chrome,
}

/// What a submission that came back holds: the district, its input and problems.
struct Returned<'a> {
    district: &'a str,
    input: &'a Submitted,
    errors: Vec<(String, &'static str)>,
}

fn level_name(area: &str) -> String {
    format!("niveau_{area}")
}

fn text_name(area: &str) -> String {
    format!("tekst_{area}")
}

/// The levels 1–5 in words, `chosen` selected.
fn levels(chosen: Option<u8>, lang: Lang) -> Vec<Level> {
    (1..=5)
        .map(|value| Level {
            value,
            label: lang.texts().idx.assessment(value),
            selected: chosen == Some(value),
        })
        .collect()
}

/// "Indsendt af anna, 3. juli 2013 10:00 (for sent)".
fn status_of(submission: &Submission, lang: Lang, t: &AssessmentTexts) -> String {
    let late = if submission.late { format!(" ({})", t.status_late) } else { String::new() };
    format!(
        "{} {}, {}{late}",
        t.status_submitted,
        submission.submitted_by,
        long_time(submission.submitted_at, lang)
    )
}

/// The form of `district`: the stored assessments of the source as defaults, or the input that
/// came back with its problems.
fn district_form(
    district: &str,
    geography: &Geography,
    stored: &[&AreaAssessment],
    submission: Option<&Submission>,
    returned: Option<&Returned>,
    lang: Lang,
) -> DistrictForm {
    let t = lang.texts().asm;
    let back = returned.filter(|r| r.district == district);
    let error_of = |area: &str, field: &str| {
        back.and_then(|r| r.errors.iter().find(|(f, _)| f == &format!("{field}{area}")).map(|(_, m)| *m))
    };
    let areas = geography
        .areas
        .iter()
        .filter(|a| a.district == district)
        .map(|a| {
            let stored = stored.iter().find(|s| s.area == a.id);
            let (level, text) = match back {
                Some(r) => (
                    r.input.get(&level_name(&a.id)).and_then(|l| l.parse().ok()),
                    r.input.get(&text_name(&a.id)).cloned().unwrap_or_default(),
                ),
                None => {
                    (stored.map(|s| s.assessment), stored.and_then(|s| s.text.clone()).unwrap_or_default())
                }
            };
            AreaField {
                id: a.id.clone(),
                name: a.name.clone(),
                levels: levels(level, lang),
                text,
                level_error: error_of(&a.id, "niveau_"),
                text_error: error_of(&a.id, "tekst_"),
            }
        })
        .collect();
    DistrictForm {
        id: district.to_owned(),
        name: geography
            .districts
            .iter()
            .find(|d| d.id == district)
            .map_or_else(|| district.to_owned(), |d| d.name.clone()),
        action: format!("/vurdering/{district}"),
        areas,
        status: submission.map(|s| status_of(s, lang, t)),
        errors: back.map(|r| r.errors.clone()).unwrap_or_default(),
        saved: false,
    }
}

/// The partner's page: one form per own district, for the open half-year.
async fn form_page(
    state: &AppState,
    context: &PageContext,
    user: &CurrentUser,
    returned: Option<&Returned<'_>>,
) -> Result<FormPage, AppError> {
    let lang = context.lang;
    let today = Utc::now().date_naive();
    let half = open_half_year(today);
    let deadline = state.store.assessment_deadline(half).await?;
    let assignment = state.store.partner_assignment(user.user.id).await?;
    let geography = state.store.geography().await?;
    let (stored, submissions) = match &assignment {
        Some(_) => {
            (state.store.area_assessments(half).await?, state.store.assessment_submissions(half).await?)
        }
        None => (Vec::new(), Vec::new()),
    };
    let districts = assignment
        .iter()
        .flat_map(|a: &PartnerAssignment| a.districts.iter().map(move |d| (a.source, d)))
        .map(|(source, d)| {
            let own: Vec<&AreaAssessment> = stored.iter().filter(|s| s.source == source.code()).collect();
            let submission = submissions.iter().find(|s| &s.district == d && s.source == source);
            district_form(d, &geography, &own, submission, returned, lang)
        })
        .collect();
    Ok(FormPage {
        chrome: context.chrome(Nav::Assessment),
        source: assignment.map(|a| lang.texts().idx.source(a.source.code())).unwrap_or_default(),
        half_year: lang.texts().idx.half_year(half),
        half_year_code: half.to_string(),
        deadline: long_date(deadline, lang),
        late: is_late(today, deadline),
        districts,
    })
}

/// `GET /vurdering` (`?gemt=<district>` after a submission).
pub(super) async fn form(
    State(state): State<AppState>,
    Query(query): Query<Submitted>,
    context: PageContext,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let mut page = form_page(&state, &context, &user, None).await?;
    let saved = text(&query, "gemt");
    page.districts.iter_mut().filter(|d| d.id == saved).for_each(|d| d.saved = true);
    Ok(render(&page)?.into_response())
}

/// The 403 page of a district that is not the partner's.
fn refused(context: &PageContext) -> Result<Response, AppError> {
    Ok((StatusCode::FORBIDDEN, render(&RefusedPage { chrome: context.chrome(Nav::Assessment) })?)
        .into_response())
}

/// The scores of every area of the district from the form, or the problems (field name, text).
fn parse_scores(
    areas: &[String],
    input: &Submitted,
    t: &AssessmentTexts,
) -> Result<Vec<AreaScore>, Vec<(String, &'static str)>> {
    let mut scores = Vec::new();
    let mut errors = Vec::new();
    for area in areas {
        let level = text(input, &level_name(area));
        match AreaScore::new(area, level, text(input, &text_name(area))) {
            Ok(score) => scores.push(score),
            Err(ScoreError::Level) => errors.push((level_name(area), t.err_level)),
            Err(ScoreError::TooLong) => errors.push((text_name(area), t.err_too_long)),
        }
    }
    if errors.is_empty() {
        Ok(scores)
    } else {
        Err(errors)
    }
}

/// `POST /vurdering/{district}`: stores the assessment of every area of the district, or comes
/// back with the problems (422); another district than the partner's is refused (403, audited).
pub(super) async fn submit(
    State(state): State<AppState>,
    Path(district): Path<String>,
    context: PageContext,
    user: CurrentUser,
    Form(input): Form<Submitted>,
) -> Result<Response, AppError> {
    let t = context.t().asm;
    let now = Utc::now();
    let half = open_half_year(now.date_naive());
    let own = state.store.partner_assignment(user.user.id).await?.is_some_and(|a| a.covers(&district));
    let result = if !own {
        // The store refuses it and audits the attempt.
        state.store.submit_assessments(&user.user, &district, half, &[], now).await
    } else if text(&input, "halvaar") != half.to_string() {
        Err(AssessmentError::Invalid { field: "halvaar".into(), reason: String::new() })
    } else {
        let areas = state.store.district_areas(&district).await?;
        match parse_scores(&areas, &input, t) {
            Ok(scores) => state.store.submit_assessments(&user.user, &district, half, &scores, now).await,
            Err(errors) => return returned(&state, &context, &user, &district, &input, errors).await,
        }
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/vurdering?gemt={district}")).into_response()),
        Err(AssessmentError::Forbidden { .. }) => refused(&context),
        Err(AssessmentError::Invalid { field, .. }) => {
            let message = if field == "halvaar" { t.err_half_year } else { t.err_level };
            let field = if field == "halvaar" { field } else { level_name(&field) };
            returned(&state, &context, &user, &district, &input, vec![(field, message)]).await
        }
        Err(AssessmentError::Store(error)) => Err(error.into()),
    }
}

/// The partner's page again with the district's input and problems (422).
async fn returned(
    state: &AppState,
    context: &PageContext,
    user: &CurrentUser,
    district: &str,
    input: &Submitted,
    errors: Vec<(String, &'static str)>,
) -> Result<Response, AppError> {
    let back = Returned { district, input, errors };
    let page = form_page(state, context, user, Some(&back)).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
}

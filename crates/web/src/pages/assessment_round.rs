//! `/vurderinger`: the secretariat's view of the partners' assessment round of a half-year — the
//! districts each source has not assessed, the submissions (on time or late), and the deadline,
//! which it may change (audited). The partners' form is `assessments.rs`; the rules are
//! described in docs/safety-index.md "Assessments by partners".

use super::forms::{date, long_date, long_time, text, FormView, Problems, Submitted};
use super::{render, Chrome, Nav, PageContext};
use crate::auth::CurrentUser;
use crate::i18n::Lang;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::Utc;
use sikkerby_domain::assessment_round::{default_deadline, open_half_year};
use sikkerby_domain::half_year::HalfYear;
use sikkerby_store::assessment_round::AssessmentError;

/// One source's missing districts, named.
struct MissingView {
    source: String,
    districts: Vec<String>,
}

/// One submission as listed.
struct SubmissionRow {
    district: String,
    source: String,
    by: String,
    at: String,
    late: bool,
}

/// A half-year to choose.
struct Choice {
    text: String,
    href: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "assessment_round.html")]
struct RoundPage {
    chrome: Chrome,
    half_year: String,
    deadline: String,
    deadline_is_default: bool,
    choices: Vec<Choice>,
    missing: Vec<MissingView>,
    submissions: Vec<SubmissionRow>,
    form: FormView,
    saved: bool,
}

/// The half-year of `?halvaar=`, or the open one; 422 for one that is not like `2013H1`.
fn chosen_half(input: &Submitted, lang: Lang) -> Result<HalfYear, AppError> {
    match text(input, "halvaar") {
        "" => Ok(open_half_year(Utc::now().date_naive())),
        raw => raw.parse().map_err(|_| AppError::Unprocessable {
            field: "halvaar",
            message: lang.texts().idx.bad_half_year.into(),
        }),
    }
}

async fn round_page(
    state: &AppState,
    context: &PageContext,
    half: HalfYear,
    back: Option<(&Submitted, &Problems)>,
) -> Result<RoundPage, AppError> {
    let (lang, t) = (context.lang, context.t().asm);
    let geography = state.store.geography().await?;
    let name = |id: &str| {
        geography.districts.iter().find(|d| d.id == id).map_or_else(|| id.to_owned(), |d| d.name.clone())
    };
    let source = |code: &str| lang.texts().idx.source(code);
    let deadline = state.store.assessment_deadline(half).await?;
    let open = open_half_year(Utc::now().date_naive());
    let choices = std::iter::successors(Some(open), |h| Some(h.previous()))
        .take(4)
        .map(|h| Choice {
            text: lang.texts().idx.half_year(h),
            href: format!("/vurderinger?halvaar={h}"),
            current: h == half,
        })
        .collect();
    let missing = state
        .store
        .missing_assessments(half)
        .await?
        .into_iter()
        .map(|m| MissingView {
            source: source(m.source.code()),
            districts: m.districts.iter().map(|d| name(d)).collect(),
        })
        .collect();
    let submissions = state
        .store
        .assessment_submissions(half)
        .await?
        .into_iter()
        .map(|s| SubmissionRow {
            district: name(&s.district),
            source: source(s.source.code()),
            by: s.submitted_by,
            at: long_time(s.submitted_at, lang),
            late: s.late,
        })
        .collect();
    let mut form = FormView::new("frist", "/vurderinger/frist", t.deadline_legend, context.t().case)
        .with_input(back.map(|(input, _)| input))
        .hidden("halvaar", &half.to_string())
        .text("frist", t.deadline_label, &deadline.to_string())
        .required()
        .hint(t.deadline_hint);
    if let Some((_, problems)) = back {
        form = form.problems(problems, None);
    }
    form.submit = t.deadline_button;
    form.errors_heading = t.errors_heading;
    Ok(RoundPage {
        chrome: context.chrome(Nav::AssessmentRound),
        half_year: lang.texts().idx.half_year(half),
        deadline: long_date(deadline, lang),
        deadline_is_default: deadline == default_deadline(half),
        choices,
        missing,
        submissions,
        form,
        saved: false,
    })
}

/// `GET /vurderinger?halvaar=` (`&gemt=1` after the deadline was changed).
pub(super) async fn round(
    State(state): State<AppState>,
    Query(query): Query<Submitted>,
    context: PageContext,
) -> Result<Response, AppError> {
    let half = chosen_half(&query, context.lang)?;
    let mut page = round_page(&state, &context, half, None).await?;
    page.saved = query.contains_key("gemt");
    Ok(render(&page)?.into_response())
}

/// `POST /vurderinger/frist`: the secretariat sets the deadline of a half-year (audited).
pub(super) async fn set_deadline(
    State(state): State<AppState>,
    context: PageContext,
    user: CurrentUser,
    Form(input): Form<Submitted>,
) -> Result<Response, AppError> {
    let half = chosen_half(&input, context.lang)?;
    let mut problems = Problems::default();
    if let Some(deadline) = date(&input, "frist", &mut problems, context.t().case) {
        match state.store.set_assessment_deadline(half, deadline, &user.actor(), Utc::now()).await {
            Ok(()) => return Ok(Redirect::to(&format!("/vurderinger?halvaar={half}&gemt=1")).into_response()),
            Err(AssessmentError::Invalid { .. }) => problems.add("frist", context.t().asm.deadline_hint),
            Err(AssessmentError::Forbidden { .. }) => return Err(AppError::Forbidden),
            Err(AssessmentError::Store(error)) => return Err(error.into()),
        }
    }
    let page = round_page(&state, &context, half, Some((&input, &problems))).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
}

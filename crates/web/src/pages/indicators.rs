//! `/indikatorer`: the criteria that case data cannot answer (docs/indicators.md). Analysts (the
//! secretariat) and managers enter manual indicators (C11, C12), deliverables (C17, C18) and a
//! delivery file of external indicators (C13); another analyst or manager approves each entry
//! or sends it back with a comment; a sent-back entry is corrected on `/indikatorer/{id}/ret`
//! and awaits approval again. Everything goes through the store, which audits it.

use super::forms::{choice, date, long_date, optional_date, text, today, FormView, Problems, Submitted};
use super::{render, Chrome, Nav, PageContext};
use crate::auth::{policy, CurrentUser};
use crate::i18n::{IndicatorTexts, Lang};
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::Datelike;
use rust_decimal::Decimal;
use sikkerby_domain::calendar::Period;
use sikkerby_domain::criteria::CriterionDefinition;
use sikkerby_domain::indicators::{
    entry_kind, Assessment, Direction, EntryKind, IndicatorEntry, ReviewError, ReviewStatus,
};
use sikkerby_store::indicators::{IndicatorError, NewIndicatorEntry};

/// The longest narrative, in characters.
const MAX_NARRATIVE: usize = 2000;

/// The page of the list.
const LIST: &str = "/indikatorer";

/// One entry as listed.
struct EntryView {
    id: i64,
    criterion: String,
    indicator: String,
    value: String,
    narrative: String,
    entered: String,
    status: &'static str,
    /// Who approved or sent it back, when.
    decided: Option<String>,
    comment: Option<String>,
    may_review: bool,
    own: bool,
    /// The send-back form's problem and input, when it comes back.
    comment_error: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "indicators.html")]
struct IndicatorsPage {
    chrome: Chrome,
    year_form: FormView,
    year: i32,
    entries: Vec<EntryView>,
    pending: usize,
    forms: Vec<FormView>,
    saved: bool,
    /// A refused delivery file: every bad line.
    refused: Vec<String>,
}

#[derive(Template)]
#[template(path = "indicator_correct.html")]
struct CorrectPage {
    chrome: Chrome,
    entry: EntryView,
    form: FormView,
}

/// Which form was sent (and comes back on a problem).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FormKind {
    Assessment,
    Deliverable,
    Delivery,
}

/// A form that comes back with its input and problems.
struct Failed {
    kind: FormKind,
    input: Submitted,
    problems: Problems,
    refused: Vec<String>,
}

/// `GET /indikatorer?aar=`: the year's entries and the forms. Without a year: the year of the
/// first entry awaiting the reader's approval, else the latest year with entries, else this
/// year (opening on an empty year hid the entries a reader came for).
pub(super) async fn show(
    State(state): State<AppState>,
    Query(query): Query<Submitted>,
    context: PageContext,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let year = match text(&query, "aar").parse::<i32>().ok().filter(|y| Period::year(*y).is_ok()) {
        Some(year) => year,
        None => match reviewable(&state, &user, None).await? {
            Some((_, year)) => year,
            None => state.store.latest_indicator_year().await?.unwrap_or_else(|| today().year()),
        },
    };
    let saved = query.contains_key("gemt");
    Ok(render(&list_page(&state, &context, &user, year, None, saved).await?)?.into_response())
}

async fn list_page(
    state: &AppState,
    context: &PageContext,
    user: &CurrentUser,
    year: i32,
    failed: Option<&Failed>,
    saved: bool,
) -> Result<IndicatorsPage, AppError> {
    let (lang, t) = (context.lang, context.t().ind);
    let period = Period::year(year).map_err(|_| AppError::NotFound(format!("year {year}")))?;
    let entries = state.store.indicator_entries(&period).await?;
    let criteria = state.store.criteria().await?;
    let pending = reviewable(state, user, None).await?.map_or(0, |(n, _)| n);
    let views = entries.iter().map(|e| entry_view(e, user, lang)).collect();
    let forms = [FormKind::Assessment, FormKind::Deliverable, FormKind::Delivery]
        .into_iter()
        .map(|kind| {
            let back = failed.filter(|f| f.kind == kind);
            entry_form(kind, &criteria, year, lang, back.map(|f| (&f.input, &f.problems)))
        })
        .collect();
    let mut year_form = FormView::new("aarvalg", LIST, t.year_legend, context.t().case).get(t.show).select(
        "aar",
        t.year_label,
        None,
        year_options(year),
        &year.to_string(),
    );
    year_form.errors_heading = t.errors_heading;
    Ok(IndicatorsPage {
        chrome: context.chrome(Nav::Indicators),
        year_form,
        year,
        entries: views,
        pending,
        forms,
        saved,
        refused: failed.map(|f| f.refused.clone()).unwrap_or_default(),
    })
}

fn year_options(year: i32) -> Vec<(String, String)> {
    (2012.min(year)..=(today().year() + 1).max(year)).rev().map(|y| (y.to_string(), y.to_string())).collect()
}

/// How many entries await approval by `user` (entered by someone else), and the year of the
/// first; `None` for a user who may not review at all. `criteria`: only these.
pub(super) async fn reviewable(
    state: &AppState,
    user: &CurrentUser,
    criteria: Option<&[String]>,
) -> Result<Option<(usize, i32)>, AppError> {
    if !policy::allows("/indikatorer/{id}/godkend", Some(user.role())) {
        return Ok(None);
    }
    let pending = state.store.pending_indicator_entries().await?;
    let mine: Vec<&IndicatorEntry> = pending
        .iter()
        .filter(|e| !e.entered_by_is(&user.user.username))
        .filter(|e| criteria.is_none_or(|c| c.contains(&e.criterion)))
        .collect();
    Ok(mine.first().map(|first| (mine.len(), first.period.from().year())))
}

fn number(value: Decimal, lang: Lang) -> String {
    lang.decimal(value)
}

/// The values of an entry in words: number and assessment, baseline and direction, dates.
fn value_of(e: &IndicatorEntry, lang: Lang) -> String {
    let t = lang.texts().ind;
    let mut parts = Vec::new();
    if let Some(n) = e.number {
        parts.push(number(n, lang));
    }
    if let (Some(b), Some(d)) = (e.baseline, e.direction) {
        let direction = if d == Direction::Up { t.direction_up } else { t.direction_down };
        parts.push(format!("{} {} · {direction}", t.baseline_short, number(b, lang)));
    }
    if let Some(a) = e.assessment {
        parts.push(assessment_label(a, t).to_owned());
    }
    if let Some(due) = e.due {
        parts.push(format!("{} {}", t.due_short, long_date(due, lang)));
        parts.push(match e.delivered {
            Some(d) => format!("{} {}", t.delivered_short, long_date(d, lang)),
            None => t.not_delivered.to_owned(),
        });
    }
    parts.join(" · ")
}

fn assessment_label(a: Assessment, t: &IndicatorTexts) -> &'static str {
    match a {
        Assessment::Met => t.assessment_met,
        Assessment::Partly => t.assessment_partly,
        Assessment::NotMet => t.assessment_not_met,
    }
}

fn entry_view(e: &IndicatorEntry, user: &CurrentUser, lang: Lang) -> EntryView {
    let t = lang.texts().ind;
    let own = e.entered_by_is(&user.user.username);
    let (status, decided, comment) = match (e.status(), &e.approved_by, &e.sent_back) {
        (ReviewStatus::Approved, Some(by), _) => {
            let at = e.approved_at.map(|a| long_date(a.date_naive(), lang)).unwrap_or_default();
            (t.status_approved_by, Some(format!("{by}, {at}")), None)
        }
        (ReviewStatus::SentBack, _, Some(back)) => {
            let at = long_date(back.at.date_naive(), lang);
            (t.status_sent_back_by, Some(format!("{}, {at}", back.by)), Some(back.comment.clone()))
        }
        _ => (t.status_pending, None, None),
    };
    EntryView {
        id: e.id,
        criterion: e.criterion.clone(),
        indicator: e.indicator.clone(),
        value: value_of(e, lang),
        narrative: e.narrative.clone(),
        entered: format!("{}, {}", e.entered_by, long_date(e.entered_at.date_naive(), lang)),
        status,
        decided,
        comment,
        may_review: e.status() == ReviewStatus::Pending && !own,
        own,
        comment_error: None,
    }
}

/// The criteria that take entries of `kind`, as options.
fn criterion_options(criteria: &[CriterionDefinition], kind: EntryKind) -> Vec<(String, String)> {
    criteria
        .iter()
        .filter(|c| entry_kind(c) == Some(kind))
        .map(|c| (c.id.clone(), format!("{} ({})", c.id, c.initiative)))
        .collect()
}

/// A form for `kind`, empty or with the input and problems it came back with.
fn entry_form(
    kind: FormKind,
    criteria: &[CriterionDefinition],
    year: i32,
    lang: Lang,
    back: Option<(&Submitted, &Problems)>,
) -> FormView {
    let (t, case) = (lang.texts().ind, lang.texts().case);
    let (id, action, legend, entries) = match kind {
        FormKind::Assessment => {
            ("vurdering", "/indikatorer/vurdering", t.assessment_legend, EntryKind::Assessment)
        }
        FormKind::Deliverable => {
            ("leverance", "/indikatorer/leverance", t.deliverable_legend, EntryKind::Deliverable)
        }
        FormKind::Delivery => ("levering", "/indikatorer/levering", t.delivery_legend, EntryKind::External),
    };
    let form = FormView::new(id, action, legend, case).with_input(back.map(|(input, _)| input));
    let form = head_fields(form, criterion_options(criteria, entries), year, t);
    let form = match kind {
        FormKind::Assessment => {
            value_fields(form.text("indikator", t.fld_indicator, "").required(), EntryKind::Assessment, t)
        }
        FormKind::Deliverable => {
            value_fields(form.text("indikator", t.fld_indicator, "").required(), EntryKind::Deliverable, t)
        }
        FormKind::Delivery => form.file("fil", t.fld_file).required().hint(t.file_hint),
    };
    finish(form.textarea("beskrivelse", t.fld_narrative, ""), kind == FormKind::Delivery, back, t)
}

/// Criterion and year, the fields every form starts with.
fn head_fields(form: FormView, criteria: Vec<(String, String)>, year: i32, t: &IndicatorTexts) -> FormView {
    let first = criteria.first().map(|(id, _)| id.clone()).unwrap_or_default();
    form.select("kriterium", t.fld_criterion, None, criteria, &first)
        .required()
        .select("aar", t.fld_year, None, year_options(year), &year.to_string())
        .required()
}

/// The value fields of an entry of `kind`.
fn value_fields(form: FormView, kind: EntryKind, t: &IndicatorTexts) -> FormView {
    match kind {
        EntryKind::Assessment => {
            let all = [Assessment::Met, Assessment::Partly, Assessment::NotMet];
            let options = all.iter().map(|a| (a.code().to_owned(), assessment_label(*a, t).to_owned()));
            form.text("tal", t.fld_number, "")
                .hint(t.number_hint)
                .select("vurdering", t.fld_assessment, Some(t.choose), options.collect(), "")
                .required()
        }
        EntryKind::Deliverable => form
            .text("frist", t.fld_due, "")
            .required()
            .hint(t.date_hint)
            .text("leveret", t.fld_delivered, "")
            .hint(t.date_hint),
        EntryKind::External => {
            let directions = vec![
                ("op".to_owned(), t.direction_up.to_owned()),
                ("ned".to_owned(), t.direction_down.to_owned()),
            ];
            form.text("tal", t.fld_number, "")
                .required()
                .text("basisaar_tal", t.fld_baseline, "")
                .required()
                .select("retning", t.fld_direction, Some(t.choose), directions, "")
                .required()
        }
    }
}

fn finish(
    mut form: FormView,
    upload: bool,
    back: Option<(&Submitted, &Problems)>,
    t: &IndicatorTexts,
) -> FormView {
    form.submit = if upload { t.upload } else { t.save };
    form.errors_heading = t.errors_heading;
    match back {
        Some((_, problems)) => form.problems(problems, None),
        None => form,
    }
}

/// A number ≥ 0 with `,` or `.` as the decimal mark; `None` and a problem otherwise.
fn decimal(
    input: &Submitted,
    name: &'static str,
    required: bool,
    p: &mut Problems,
    t: &IndicatorTexts,
) -> Option<Decimal> {
    let value = text(input, name);
    if value.is_empty() {
        if required {
            p.add(name, t.p_required);
        }
        return None;
    }
    let parsed = sikkerby_domain::budget::parse_decimal(value).filter(|d| !d.is_sign_negative());
    if parsed.is_none() {
        p.add(name, t.msg_number);
    }
    parsed
}

/// The fields every entry has: criterion (of `kind`), year, indicator, narrative.
fn shared_fields(
    input: &Submitted,
    criteria: &[CriterionDefinition],
    kind: EntryKind,
    user: &CurrentUser,
    p: &mut Problems,
    lang: Lang,
) -> Option<NewIndicatorEntry> {
    let (t, case) = (lang.texts().ind, lang.texts().case);
    let fits = |id: &str| criteria.iter().any(|c| c.id == id && entry_kind(c) == Some(kind));
    let criterion = choice(input, "kriterium", fits, p, case);
    let period = text(input, "aar").parse::<i32>().ok().and_then(|y| Period::year(y).ok());
    if period.is_none() {
        p.add("aar", case.msg_choose);
    }
    let narrative = text(input, "beskrivelse");
    if narrative.chars().count() > MAX_NARRATIVE {
        p.add("beskrivelse", case.msg_too_long);
    }
    let indicator = text(input, "indikator");
    if kind != EntryKind::External || input.contains_key("indikator") {
        if indicator.is_empty() {
            p.add("indikator", t.p_required);
        } else if indicator.chars().count() > 100 {
            p.add("indikator", case.msg_too_long);
        }
    }
    let entry = NewIndicatorEntry::blank(&criterion?, period?, &user.user.username);
    Some(NewIndicatorEntry { indicator: indicator.to_owned(), narrative: narrative.to_owned(), ..entry })
}

/// An entry of `kind` from a submitted form, or its problems.
fn parse_entry(
    input: &Submitted,
    criteria: &[CriterionDefinition],
    kind: EntryKind,
    user: &CurrentUser,
    lang: Lang,
) -> Result<NewIndicatorEntry, Problems> {
    let (t, case) = (lang.texts().ind, lang.texts().case);
    let mut p = Problems::default();
    let shared = shared_fields(input, criteria, kind, user, &mut p, lang);
    let entry = match kind {
        EntryKind::Assessment => {
            let number = decimal(input, "tal", false, &mut p, t);
            let assessment = choice(input, "vurdering", |a| Assessment::parse(a).is_some(), &mut p, case);
            shared.map(|s| NewIndicatorEntry {
                number,
                assessment: assessment.as_deref().and_then(Assessment::parse),
                ..s
            })
        }
        EntryKind::Deliverable => {
            let due = date(input, "frist", &mut p, case);
            let delivered = optional_date(input, "leveret", &mut p, case);
            shared.map(|s| NewIndicatorEntry { due, delivered, ..s })
        }
        EntryKind::External => {
            let number = decimal(input, "tal", true, &mut p, t);
            let baseline = decimal(input, "basisaar_tal", true, &mut p, t);
            let direction =
                match choice(input, "retning", |d| d == "op" || d == "ned", &mut p, case).as_deref() {
                    Some("op") => Some(Direction::Up),
                    Some(_) => Some(Direction::Down),
                    None => None,
                };
            shared.map(|s| NewIndicatorEntry { number, baseline, direction, ..s })
        }
    };
    match entry {
        Some(entry) if p.is_empty() => Ok(entry),
        _ => Err(p),
    }
}

/// The problems of a refused store write, or the error it is.
fn store_problems(error: IndicatorError) -> Result<Problems, AppError> {
    let mut problems = Problems::default();
    match error {
        IndicatorError::Invalid { field, reason } => problems.add(field, reason),
        other => return Err(entry_error(other)),
    }
    Ok(problems)
}

/// A refused review or correction as an error page: approving one's own entry is not allowed
/// (403), an unknown entry is 404; one already decided cannot be decided again (422).
fn entry_error(error: IndicatorError) -> AppError {
    match error {
        IndicatorError::NotFound(id) => AppError::NotFound(format!("indicator entry {id}")),
        IndicatorError::Review(ReviewError::SamePerson) => AppError::Forbidden,
        IndicatorError::Review(other) => {
            AppError::Unprocessable { field: "status", message: other.to_string() }
        }
        IndicatorError::Invalid { field, reason } => AppError::Unprocessable { field, message: reason },
        IndicatorError::Rejected { file, errors } => {
            AppError::Unprocessable { field: "fil", message: format!("{file}: {} lines", errors.len()) }
        }
        IndicatorError::Store(error) => error.into(),
    }
}

/// Stores a parsed entry and goes back to its year's list, or shows the page again (422).
async fn add(
    state: &AppState,
    context: &PageContext,
    user: &CurrentUser,
    kind: FormKind,
    input: Submitted,
) -> Result<Response, AppError> {
    let criteria = state.store.criteria().await?;
    let entry_kind =
        if kind == FormKind::Assessment { EntryKind::Assessment } else { EntryKind::Deliverable };
    let problems = match parse_entry(&input, &criteria, entry_kind, user, context.lang) {
        Ok(entry) => match state.store.add_indicator_entry(&entry, &user.actor()).await {
            Ok(_) => return Ok(saved(entry.period.from().year())),
            Err(error) => store_problems(error)?,
        },
        Err(problems) => problems,
    };
    refused_form(state, context, user, Failed { kind, input, problems, refused: Vec::new() }).await
}

fn saved(year: i32) -> Response {
    Redirect::to(&format!("{LIST}?aar={year}&gemt=1")).into_response()
}

async fn refused_form(
    state: &AppState,
    context: &PageContext,
    user: &CurrentUser,
    failed: Failed,
) -> Result<Response, AppError> {
    let year = text(&failed.input, "aar")
        .parse()
        .ok()
        .filter(|y| Period::year(*y).is_ok())
        .unwrap_or(today().year());
    let page = list_page(state, context, user, year, Some(&failed), false).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
}

/// `POST /indikatorer/vurdering`: a manual (or local) indicator's assessment.
pub(super) async fn add_assessment(
    State(state): State<AppState>,
    context: PageContext,
    user: CurrentUser,
    Form(input): Form<Submitted>,
) -> Result<Response, AppError> {
    add(&state, &context, &user, FormKind::Assessment, input).await
}

/// `POST /indikatorer/leverance`: a deliverable with its due and delivered dates.
pub(super) async fn add_deliverable(
    State(state): State<AppState>,
    context: PageContext,
    user: CurrentUser,
    Form(input): Form<Submitted>,
) -> Result<Response, AppError> {
    add(&state, &context, &user, FormKind::Deliverable, input).await
}

/// The uploaded file: its name (without any folder) and its bytes.
struct Upload {
    name: String,
    bytes: Vec<u8>,
}

/// The fields of a multipart form and its file, if one was chosen.
async fn read_multipart(mut multipart: Multipart) -> Result<(Submitted, Option<Upload>), AppError> {
    let bad = |e: axum::extract::multipart::MultipartError| AppError::Unprocessable {
        field: "fil",
        message: e.body_text(),
    };
    let (mut input, mut upload) = (Submitted::new(), None);
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "fil" {
            let file_name = field.file_name().unwrap_or_default();
            let file_name: String =
                file_name.rsplit(['/', '\\']).next().unwrap_or_default().chars().take(100).collect();
            let bytes = field.bytes().await.map_err(bad)?.to_vec();
            if !file_name.is_empty() || !bytes.is_empty() {
                upload =
                    Some(Upload { name: sikkerby_domain::terminal_text::strip_controls(&file_name), bytes });
            }
        } else {
            input.insert(name, field.text().await.map_err(bad)?);
        }
    }
    Ok((input, upload))
}

/// `POST /indikatorer/levering` (multipart): a delivery file of external indicators, stored
/// whole or not at all; a refused file comes back with every bad line named.
pub(super) async fn add_delivery(
    State(state): State<AppState>,
    context: PageContext,
    user: CurrentUser,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let (input, upload) = read_multipart(multipart).await?;
    let (lang, t) = (context.lang, context.t().ind);
    let criteria = state.store.criteria().await?;
    let mut problems = Problems::default();
    let shared = shared_fields(&input, &criteria, EntryKind::External, &user, &mut problems, lang);
    if upload.is_none() {
        problems.add("fil", t.msg_no_file);
    }
    let mut refused = Vec::new();
    if let (Some(shared), Some(upload), true) = (shared, &upload, problems.is_empty()) {
        match state.store.add_indicator_delivery(&shared, &upload.name, &upload.bytes, &user.actor()).await {
            Ok(_) => return Ok(saved(shared.period.from().year())),
            Err(IndicatorError::Rejected { file, errors }) => {
                refused = errors.iter().map(|e| t.refused_line(&file, e)).collect();
                problems.add("fil", t.file_refused);
            }
            Err(error) => problems = store_problems(error)?,
        }
    }
    refused_form(&state, &context, &user, Failed { kind: FormKind::Delivery, input, problems, refused }).await
}

/// The entry of a path's id: 404 for an id that is not a number or not an entry.
async fn entry_of(state: &AppState, raw: &str) -> Result<IndicatorEntry, AppError> {
    let not_found = || AppError::NotFound(format!("indicator entry {raw}"));
    let id = raw.parse::<i64>().map_err(|_| not_found())?;
    state.store.indicator_entry(id).await?.ok_or_else(not_found)
}

fn back_to(entry: &IndicatorEntry) -> Response {
    Redirect::to(&format!("{LIST}?aar={}", entry.period.from().year())).into_response()
}

/// `POST /indikatorer/{id}/godkend`: another user approves the entry.
pub(super) async fn approve(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let entry = entry_of(&state, &raw).await?;
    state
        .store
        .approve_indicator_entry(entry.id, &user.user.username, &user.actor())
        .await
        .map_err(entry_error)?;
    Ok(back_to(&entry))
}

/// `POST /indikatorer/{id}/send-tilbage`: another user sends it back with a comment (required:
/// without one the page comes back with the problem beside the comment).
pub(super) async fn send_back(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    context: PageContext,
    user: CurrentUser,
    Form(input): Form<Submitted>,
) -> Result<Response, AppError> {
    let entry = entry_of(&state, &raw).await?;
    let comment = text(&input, "kommentar");
    if comment.is_empty() || comment.chars().count() > MAX_NARRATIVE {
        // The four-eyes rule first: one's own entry is refused as such, comment or not.
        entry.check_review(&user.user.username).map_err(|e| entry_error(e.into()))?;
        let year = entry.period.from().year();
        let mut page = list_page(&state, &context, &user, year, None, false).await?;
        let t = context.t().ind;
        let message = if comment.is_empty() { t.msg_comment } else { context.t().case.msg_too_long };
        page.entries.iter_mut().filter(|e| e.id == entry.id).for_each(|e| e.comment_error = Some(message));
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
    }
    let (name, actor) = (&user.user.username, user.actor());
    state.store.send_back_indicator_entry(entry.id, name, comment, &actor).await.map_err(entry_error)?;
    Ok(back_to(&entry))
}

/// The kind of an entry's criterion (an entry of a criterion no longer taking entries: 404).
async fn kind_of(
    state: &AppState,
    entry: &IndicatorEntry,
) -> Result<(Vec<CriterionDefinition>, EntryKind), AppError> {
    let criteria = state.store.criteria().await?;
    let kind = criteria.iter().find(|c| c.id == entry.criterion).and_then(entry_kind);
    let kind = kind.ok_or_else(|| AppError::NotFound(format!("indicator entry {}", entry.id)))?;
    Ok((criteria, kind))
}

/// The form of a correction: the entry's criterion only, its values as defaults.
fn correct_form(
    entry: &IndicatorEntry,
    kind: EntryKind,
    lang: Lang,
    back: Option<(&Submitted, &Problems)>,
) -> FormView {
    let (t, case) = (lang.texts().ind, lang.texts().case);
    let input = back.map(|(input, _)| input.clone()).unwrap_or_else(|| values_of(entry));
    let action = format!("/indikatorer/{}/ret", entry.id);
    let form = FormView::new("ret", action, t.correct_legend, case).with_input(Some(&input));
    let options = vec![(entry.criterion.clone(), entry.criterion.clone())];
    let form = head_fields(form, options, entry.period.from().year(), t)
        .text("indikator", t.fld_indicator, "")
        .required();
    finish(value_fields(form, kind, t).textarea("beskrivelse", t.fld_narrative, ""), false, back, t)
}

/// An entry's values as the form's fields.
fn values_of(e: &IndicatorEntry) -> Submitted {
    let decimal =
        |d: Option<Decimal>| d.map(|d| d.normalize().to_string().replace('.', ",")).unwrap_or_default();
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let direction = e.direction.map(|d| if d == Direction::Up { "op" } else { "ned" });
    [
        ("kriterium", e.criterion.clone()),
        ("aar", e.period.from().year().to_string()),
        ("indikator", e.indicator.clone()),
        ("tal", decimal(e.number)),
        ("basisaar_tal", decimal(e.baseline)),
        ("retning", direction.unwrap_or_default().to_owned()),
        ("vurdering", e.assessment.map(|a| a.code().to_owned()).unwrap_or_default()),
        ("frist", date(e.due)),
        ("leveret", date(e.delivered)),
        ("beskrivelse", e.narrative.clone()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

fn correct_page(
    context: &PageContext,
    user: &CurrentUser,
    entry: &IndicatorEntry,
    form: FormView,
) -> CorrectPage {
    CorrectPage {
        chrome: context.chrome(Nav::Indicators),
        entry: entry_view(entry, user, context.lang),
        form,
    }
}

/// `GET /indikatorer/{id}/ret`: the correction form of a sent-back entry.
pub(super) async fn correction(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    context: PageContext,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let entry = entry_of(&state, &raw).await?;
    entry.check_correction().map_err(|e| entry_error(e.into()))?;
    let (_, kind) = kind_of(&state, &entry).await?;
    let form = correct_form(&entry, kind, context.lang, None);
    Ok(render(&correct_page(&context, &user, &entry, form))?.into_response())
}

/// `POST /indikatorer/{id}/ret`: corrects a sent-back entry; it awaits approval again.
pub(super) async fn correct(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    context: PageContext,
    user: CurrentUser,
    Form(input): Form<Submitted>,
) -> Result<Response, AppError> {
    let entry = entry_of(&state, &raw).await?;
    let (criteria, kind) = kind_of(&state, &entry).await?;
    let problems = match parse_entry(&input, &criteria, kind, &user, context.lang) {
        Ok(new) => match state.store.correct_indicator_entry(entry.id, &new, &user.actor()).await {
            Ok(()) => return Ok(saved(new.period.from().year())),
            Err(error) => store_problems(error)?,
        },
        Err(problems) => problems,
    };
    let form = correct_form(&entry, kind, context.lang, Some((&input, &problems)));
    let page = correct_page(&context, &user, &entry, form);
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
}

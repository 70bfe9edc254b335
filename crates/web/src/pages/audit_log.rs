//! `/admin/revision`: the audit log for review (docs/domain.md §9), filtered by user, citizen
//! (internal id), action and dates, newest first, [`PAGE_SIZE`] rows a page (`?foer=` is the seq
//! the page starts before). It shows what a row holds for review — time, user, role, action,
//! citizen id, purpose, result — and never a CPR number or a name: the log holds none, and
//! the page reads no citizen. Above the rows it says whether the whole hash chain verifies.

use super::forms::{text, FormView, Problems, Submitted};
use super::{render, Chrome, Nav, PageContext};
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{Days, NaiveDate};
use sikkerby_store::audit::{AuditAction, AuditError, AuditFilter, AuditRecord};

/// Rows a page shows.
const PAGE_SIZE: i64 = 50;

/// One row as shown.
struct Row {
    at: String,
    username: String,
    role: String,
    action: String,
    person: String,
    purpose: String,
    result: String,
}

/// What the chain check found.
struct Chain {
    ok: bool,
    rows: u64,
    head: String,
    broken: String,
}

#[derive(Template)]
#[template(path = "audit_log.html")]
struct AuditPage {
    chrome: Chrome,
    form: FormView,
    chain: Chain,
    rows: Vec<Row>,
    /// The link to the next (older) page, when there may be one.
    older: Option<String>,
    /// The link back to the first page, when this is not it.
    newest: Option<String>,
}

fn row(r: AuditRecord) -> Row {
    let purpose = match (r.purpose_code, r.purpose_text.as_str()) {
        (Some(code), "") => code,
        (Some(code), text) => format!("{code}: {text}"),
        (None, text) => text.to_owned(),
    };
    Row {
        at: r.at.get(..19).unwrap_or(&r.at).replace('T', " "),
        username: r.username.unwrap_or_default(),
        role: r.role.unwrap_or_default(),
        action: r.action,
        person: r.person_id.map(|id| id.to_string()).unwrap_or_default(),
        purpose,
        result: r.result,
    }
}

fn date(input: &Submitted, name: &'static str, problems: &mut Problems, message: &str) -> Option<NaiveDate> {
    let raw = text(input, name);
    if raw.is_empty() {
        return None;
    }
    let parsed = NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok();
    if parsed.is_none() {
        problems.add(name, message);
    }
    parsed
}

/// The filter and the page's start from the query, or the problems with them.
fn filter(input: &Submitted, problems: &mut Problems, context: &PageContext) -> (AuditFilter, Option<i64>) {
    let t = context.t().admin;
    let username = Some(text(input, "bruger").to_owned()).filter(|u| !u.is_empty());
    let person_id = match text(input, "borger") {
        "" => None,
        raw => {
            let id = raw.parse::<i64>().ok().filter(|id| *id > 0);
            if id.is_none() {
                problems.add("borger", t.err_filter_citizen);
            }
            id
        }
    };
    let action = match text(input, "handling") {
        "" => None,
        raw => {
            let action = AuditAction::parse(raw);
            if action.is_none() {
                problems.add("handling", t.err_filter_action);
            }
            action
        }
    };
    let from = date(input, "fra", problems, t.err_filter_date);
    // "To" is inclusive: rows before the start of the next day.
    let until =
        date(input, "til", problems, t.err_filter_date).and_then(|d| d.checked_add_days(Days::new(1)));
    let before = match text(input, "foer") {
        "" => None,
        raw => {
            let seq = raw.parse::<i64>().ok().filter(|s| *s > 0);
            if seq.is_none() {
                problems.add("foer", t.err_filter_page);
            }
            seq
        }
    };
    let midnight = |d: NaiveDate| d.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
    let filter = AuditFilter {
        username,
        person_id,
        action,
        from: from.and_then(midnight),
        until: until.and_then(midnight),
    };
    (filter, before)
}

fn filter_form(context: &PageContext, input: &Submitted, problems: &Problems) -> FormView {
    let t = context.t().admin;
    let actions = AuditAction::all().map(|a| (a.code().to_owned(), a.code().to_owned())).collect();
    FormView::new("revision-filter", "/admin/revision", t.filter_legend, context.t().case)
        .with_input(Some(input))
        .get(t.filter_button)
        .text("bruger", t.filter_user, "")
        .text("borger", t.filter_citizen, "")
        .select("handling", t.filter_action, Some(t.filter_any), actions, "")
        .text("fra", t.filter_from, "")
        .hint(t.date_hint)
        .text("til", t.filter_to, "")
        .hint(t.date_hint)
        .problems(problems, None)
}

async fn chain(state: &AppState) -> Result<Chain, AppError> {
    Ok(match state.store.verify_audit().await {
        Ok(rows) => Chain { ok: true, rows, head: state.store.audit_head().await?.1, broken: String::new() },
        Err(AuditError::Broken(broken)) => {
            Chain { ok: false, rows: 0, head: String::new(), broken: broken.to_string() }
        }
        Err(AuditError::Store(error)) => return Err(error.into()),
    })
}

/// The page's query without `foer`, then `foer=seq`.
fn page_link(input: &Submitted, before: Option<i64>) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for name in ["bruger", "borger", "handling", "fra", "til"] {
        let value = text(input, name);
        if !value.is_empty() {
            query.append_pair(name, value);
        }
    }
    if let Some(seq) = before {
        query.append_pair("foer", &seq.to_string());
    }
    format!("/admin/revision?{}", query.finish())
}

/// `GET /admin/revision`.
pub(super) async fn show(
    State(state): State<AppState>,
    Query(input): Query<Submitted>,
    context: PageContext,
) -> Result<Response, AppError> {
    let mut problems = Problems::default();
    let (filter, before) = filter(&input, &mut problems, &context);
    let records = if problems.is_empty() {
        state.store.audit_search(&filter, before, PAGE_SIZE).await?
    } else {
        Vec::new()
    };
    let older = (records.len() as i64 == PAGE_SIZE).then(|| page_link(&input, records.last().map(|r| r.seq)));
    let page = AuditPage {
        chrome: context.chrome(Nav::Audit),
        form: filter_form(&context, &input, &problems),
        chain: chain(&state).await?,
        rows: records.into_iter().map(row).collect(),
        older,
        newest: before.map(|_| page_link(&input, None)),
    };
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, render(&page)?).into_response())
}

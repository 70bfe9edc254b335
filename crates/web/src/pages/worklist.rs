//! `/opfoelgninger`: the caseworker's worklist (docs/case-records.md, "Worklist"): open
//! follow-ups overdue or due within 14 days, as of today (or `as_of`, for the demo data of
//! 2012–2014), sorted and paged in the store's query. The filters are select lists of the values
//! that occur in the user's own centres' follow-ups, so they cannot miss by spelling; a value not
//! offered answers 400 naming the parameter. "Min liste" (the default for a user with caseworker
//! codes) shows the follow-ups of the user's own codes. Every link to a citizen carries the
//! purpose "opfølgning", so the citizen page does not ask again (see [`follow_up_purpose`]).

use super::case_access::list_worklist;
use super::forms::{long_date, optional_date, today, FormView, Problems, Submitted};
use super::timeline::Labels;
use super::{render, Chrome, Nav, PageContext};
use crate::auth::{citizen, CurrentUser, OwnWorklist};
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use sikkerby_domain::codes::Anchor;
use sikkerby_store::cases::{OverdueFollowUp, WorklistOptions, WorklistQuery, WorklistSort};

/// Rows on one page of the list.
pub const PAGE_SIZE: i64 = 50;
/// The query parameter a link from the list adds to a citizen's address (`?fra=opfoelgninger`).
pub const FROM_WORKLIST: (&str, &str) = ("fra", "opfoelgninger");

/// One follow-up of the list.
struct Row {
    due_iso: String,
    due: String,
    status: String,
    overdue: bool,
    href: String,
    cpr: String,
    name: Option<String>,
    initiative: String,
    anchor: &'static str,
    caseworker: String,
    centre: String,
}

/// A sortable column heading: its link and whether (and how) the list is sorted by it.
struct Heading {
    label: &'static str,
    href: String,
    /// `ascending` / `descending` for `aria-sort`, empty when the list is not sorted by it.
    sorted: &'static str,
}

/// A link of the page navigation.
struct PageLink {
    label: String,
    href: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "worklist.html")]
struct WorklistPage {
    chrome: Chrome,
    form: FormView,
    as_of: String,
    rows: Vec<Row>,
    headings: Vec<Heading>,
    pages: Vec<PageLink>,
    showing: String,
    overdue: String,
    /// Shown instead of the table when there are no rows: nothing due at all, or nothing
    /// matching the filter.
    empty: &'static str,
    valid: bool,
}

/// The page's choices, as parsed from the query string.
#[derive(Debug, Clone, Default)]
struct Choices {
    mine: bool,
    centre: Option<String>,
    initiative: Option<String>,
    caseworker_code: Option<String>,
    anchor: Option<String>,
    sort: WorklistSort,
    descending: bool,
    page: i64,
    as_of: Option<String>,
}

impl Choices {
    fn filtered(&self) -> bool {
        self.mine
            || self.centre.is_some()
            || self.initiative.is_some()
            || self.caseworker_code.is_some()
            || self.anchor.is_some()
    }

    /// The list's address with these choices, for sort and page links.
    fn href(&self, sort: WorklistSort, descending: bool, page: i64) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.append_pair("liste", if self.mine { "min" } else { "alle" });
        for (name, value) in [
            ("center", &self.centre),
            ("indsats", &self.initiative),
            ("sagsbehandlerkode", &self.caseworker_code),
            ("anledning", &self.anchor),
            ("as_of", &self.as_of),
        ] {
            if let Some(value) = value {
                query.append_pair(name, value);
            }
        }
        query.append_pair("sorter", sort.code());
        query.append_pair("retning", if descending { "faldende" } else { "stigende" });
        query.append_pair("side", &page.to_string());
        format!("/opfoelgninger?{}", query.finish())
    }
}

/// A filter value: empty is "any"; anything else must be one of `offered`.
fn chosen(
    input: &Submitted,
    name: &'static str,
    offered: &[String],
    p: &mut Problems,
    unknown: &str,
) -> Option<String> {
    let value = input.get(name).map(|v| v.trim()).filter(|v| !v.is_empty())?;
    if offered.iter().any(|o| o == value) {
        Some(value.to_owned())
    } else {
        p.add(name, unknown);
        None
    }
}

fn choices(
    input: &Submitted,
    options: &WorklistOptions,
    own: &OwnWorklist,
    p: &mut Problems,
    unknown: &str,
) -> Choices {
    let has_codes = !own.caseworker_codes.is_empty();
    let mine = match input.get("liste").map(String::as_str) {
        None | Some("") => has_codes,
        Some("min") => has_codes,
        Some("alle") => false,
        Some(_) => {
            p.add("liste", unknown);
            false
        }
    };
    let sort = match input.get("sorter").map(String::as_str) {
        None | Some("") => WorklistSort::Due,
        Some(code) => WorklistSort::parse(code).unwrap_or_else(|| {
            p.add("sorter", unknown);
            WorklistSort::Due
        }),
    };
    let descending = match input.get("retning").map(String::as_str) {
        None | Some("") | Some("stigende") => false,
        Some("faldende") => true,
        Some(_) => {
            p.add("retning", unknown);
            false
        }
    };
    let page = match input.get("side").map(String::as_str) {
        None | Some("") => 1,
        Some(raw) => raw.parse::<i64>().ok().filter(|n| *n >= 1).unwrap_or_else(|| {
            p.add("side", unknown);
            1
        }),
    };
    Choices {
        mine,
        centre: chosen(input, "center", &options.centres, p, unknown),
        initiative: chosen(input, "indsats", &options.initiatives, p, unknown),
        caseworker_code: chosen(input, "sagsbehandlerkode", &options.caseworker_codes, p, unknown),
        anchor: chosen(input, "anledning", &options.anchors, p, unknown),
        sort,
        descending,
        page,
        as_of: input.get("as_of").filter(|v| !v.trim().is_empty()).cloned(),
    }
}

/// The store's query for a user's choices: within the user's centres; one chosen code, else the
/// user's own codes on "Min liste", else any code.
fn store_query(user: &CurrentUser, own: &OwnWorklist, choices: &Choices, as_of: NaiveDate) -> WorklistQuery {
    let caseworker_codes = match (&choices.caseworker_code, choices.mine) {
        (Some(code), _) => vec![code.clone()],
        (None, true) => own.caseworker_codes.clone(),
        (None, false) => Vec::new(),
    };
    WorklistQuery {
        as_of,
        within_centres: citizen::scope(user).map(<[String]>::to_vec),
        centre: choices.centre.clone(),
        initiative: choices.initiative.clone(),
        caseworker_codes,
        anchor: choices.anchor.clone(),
        sort: choices.sort,
        descending: choices.descending,
        offset: (choices.page - 1) * PAGE_SIZE,
        limit: PAGE_SIZE,
    }
}

/// A caseworker's own worklist as of today: their codes and the count of overdue follow-ups
/// ("Min liste" when they have codes, else their centres'), for the navigation.
pub(crate) async fn own_worklist(state: &AppState, user: &CurrentUser) -> Result<OwnWorklist, AppError> {
    let caseworker_codes = state.store.user_caseworker_codes(user.user.id).await?;
    let query = WorklistQuery {
        as_of: today(),
        within_centres: citizen::scope(user).map(<[String]>::to_vec),
        caseworker_codes: caseworker_codes.clone(),
        ..Default::default()
    };
    let overdue = state.store.worklist_overdue_count(&query).await?;
    Ok(OwnWorklist { caseworker_codes, overdue })
}

/// `GET /opfoelgninger?liste=&center=&indsats=&sagsbehandlerkode=&anledning=&sorter=&retning=&side=&as_of=`.
pub(super) async fn show(
    State(state): State<AppState>,
    Query(input): Query<Submitted>,
    context: PageContext,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let (t, wl) = (context.t().case, context.t().wl);
    let own = match &user.worklist {
        Some(own) => own.clone(),
        None => own_worklist(&state, &user).await?,
    };
    let mut bad_date = Problems::default();
    let as_of = optional_date(&input, "as_of", &mut bad_date, t).unwrap_or_else(today);
    let scope = WorklistQuery {
        as_of,
        within_centres: citizen::scope(&user).map(<[String]>::to_vec),
        ..Default::default()
    };
    let options = state.store.worklist_options(&scope).await?;
    let mut p = Problems::default();
    let choices = choices(&input, &options, &own, &mut p, wl.unknown_value);
    let portfolio = state.store.portfolio().await?;
    let codes = state.store.code_lists().await?;
    let labels = Labels { lang: context.lang, portfolio: &portfolio, codes: &codes };
    let form = filter_form(&context, &input, &options, &own, &labels, &choices);
    // A parameter no select offers is a bad request (400); a date that is not one, as any form
    // field, is unprocessable (422).
    let (status, problems) = match (p.is_empty(), bad_date.is_empty()) {
        (false, _) => (StatusCode::BAD_REQUEST, p),
        (true, false) => (StatusCode::UNPROCESSABLE_ENTITY, bad_date),
        (true, true) => (StatusCode::OK, p),
    };
    let form = form.problems(&problems, None);
    let mut page = WorklistPage {
        chrome: context.chrome(Nav::Worklist),
        form,
        as_of: long_date(as_of, context.lang),
        rows: Vec::new(),
        headings: Vec::new(),
        pages: Vec::new(),
        showing: String::new(),
        overdue: String::new(),
        empty: "",
        valid: status == StatusCode::OK,
    };
    if page.valid {
        fill(&state, &user, &own, &choices, as_of, &labels, &mut page).await?;
    }
    Ok((status, render(&page)?).into_response())
}

/// The rows, headings, page links and counts of a valid request.
async fn fill(
    state: &AppState,
    user: &CurrentUser,
    own: &OwnWorklist,
    choices: &Choices,
    as_of: NaiveDate,
    labels: &Labels<'_>,
    page: &mut WorklistPage,
) -> Result<(), AppError> {
    let (t, wl) = (labels.lang.texts().case, labels.lang.texts().wl);
    let found = list_worklist(state, user, &store_query(user, own, choices, as_of)).await?;
    page.rows = found.rows.iter().map(|o| row(o, labels)).collect();
    let headings = [
        (WorklistSort::Due, t.col_due),
        (WorklistSort::Citizen, t.col_citizen),
        (WorklistSort::Initiative, t.col_initiative),
        (WorklistSort::Anchor, t.col_anchor),
        (WorklistSort::Caseworker, t.col_caseworker),
        (WorklistSort::Centre, t.col_centre),
    ];
    page.headings = headings
        .into_iter()
        .map(|(sort, label)| {
            let current = sort == choices.sort;
            // A click on the sorted column turns the order round; on another, sorts ascending.
            let href = choices.href(sort, current && !choices.descending, 1);
            let sorted = match (current, choices.descending) {
                (false, _) => "",
                (true, false) => "ascending",
                (true, true) => "descending",
            };
            Heading { label, href, sorted }
        })
        .collect();
    let last_page = (found.total + PAGE_SIZE - 1) / PAGE_SIZE;
    if last_page > 1 {
        page.pages = (1..=last_page)
            .map(|n| PageLink {
                label: n.to_string(),
                href: choices.href(choices.sort, choices.descending, n),
                current: n == choices.page,
            })
            .collect();
    }
    if !page.rows.is_empty() {
        let from = (choices.page - 1) * PAGE_SIZE + 1;
        let to = from + page.rows.len() as i64 - 1;
        let n = |v: i64| labels.lang.integer(v.max(0) as u64);
        page.showing = wl
            .showing
            .replace("{from}", &n(from))
            .replace("{to}", &n(to))
            .replace("{total}", &n(found.total));
        page.overdue = wl.overdue_of.replace("{n}", &n(found.overdue));
    }
    page.empty = match (page.rows.is_empty(), found.total, choices.filtered()) {
        (false, _, _) => "",
        (true, 0, false) => wl.none_at_all,
        _ => wl.none_match,
    };
    Ok(())
}

fn filter_form(
    context: &PageContext,
    input: &Submitted,
    options: &WorklistOptions,
    own: &OwnWorklist,
    labels: &Labels,
    choices: &Choices,
) -> FormView {
    let (t, wl) = (context.t().case, context.t().wl);
    let same = |values: &[String]| values.iter().map(|v| (v.clone(), v.clone())).collect::<Vec<_>>();
    let mut lists = Vec::new();
    if !own.caseworker_codes.is_empty() {
        lists.push(("min".to_owned(), wl.list_mine.replace("{codes}", &own.caseworker_codes.join(", "))));
    }
    lists.push(("alle".to_owned(), wl.list_all.to_owned()));
    let initiatives = options.initiatives.iter().map(|c| (c.clone(), labels.initiative(c))).collect();
    let anchors = options
        .anchors
        .iter()
        .map(|a| (a.clone(), Anchor::parse(a).map_or(a.as_str(), |a| t.anchor(a)).to_owned()))
        .collect();
    let mut shown = input.clone();
    shown.insert("liste".into(), if choices.mine { "min" } else { "alle" }.into());
    FormView::new("filter", "/opfoelgninger", wl.legend, t)
        .get(wl.button)
        .with_input(Some(&shown))
        .select("liste", wl.fld_list, None, lists, "")
        .select("center", t.fld_centre, Some(wl.any), same(&options.centres), "")
        .select("indsats", wl.fld_initiative, Some(wl.any), initiatives, "")
        .select("sagsbehandlerkode", t.fld_caseworker, Some(wl.any), same(&options.caseworker_codes), "")
        .select("anledning", wl.fld_anchor, Some(wl.any), anchors, "")
        .text("as_of", t.fld_as_of, "")
        .hint(t.as_of_hint)
}

fn row(o: &OverdueFollowUp, labels: &Labels) -> Row {
    let (t, wl) = (labels.lang.texts().case, labels.lang.texts().wl);
    let days = o.days_overdue;
    let status = match days {
        d if d > 0 => wl.days_over.replace("{n}", &d.to_string()),
        0 => wl.due_today.to_owned(),
        d => wl.due_in.replace("{n}", &(-d).to_string()),
    };
    let (name, value) = FROM_WORKLIST;
    Row {
        due_iso: o.follow_up.due.to_string(),
        due: labels.date(o.follow_up.due),
        status,
        overdue: days > 0,
        href: format!("/borgere/{}?{name}={value}", o.citizen.id),
        cpr: o.citizen.cpr_masked.clone(),
        name: o.citizen.name.clone(),
        initiative: labels.initiative(&o.initiative),
        anchor: t.anchor(o.follow_up.anchor),
        caseworker: o.caseworker_code.clone().unwrap_or_default(),
        centre: o.centre.clone().unwrap_or_default(),
    }
}

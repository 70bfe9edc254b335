//! Server-rendered pages, one module per resource. Every page extends `templates/base.html`,
//! whose header, navigation and language switch come from [`Chrome`].

mod admin_users;
mod areas;
mod assessment_round;
mod assessments;
mod audit_log;
mod budget;
mod case_access;
mod case_corrections;
mod case_posts;
mod citizen_forms;
mod citizen_page;
mod citizens;
mod dashboard;
mod districts;
mod drilldown;
mod figure;
mod figures;
pub(crate) mod forms;
mod goal;
mod history;
mod index_common;
mod index_svg;
mod indicators;
mod initiative;
mod portfolio;
mod report_form;
mod report_list;
mod reports;
mod subject_access;
mod takeovers;
mod timeline;
mod unrest;
pub(crate) mod worklist;

use crate::auth::{policy, CurrentUser};
use crate::error::ErrorMarker;
use crate::i18n::{Lang, Texts};
use crate::AppState;
use askama::Template;
use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use std::convert::Infallible;

/// The page routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(portfolio::overview))
        .route("/indsatser/{code}", get(initiative::show))
        .route("/budget", get(budget::show))
        .route("/budget/forbrug", post(budget::record_actual))
        .route("/figur-1", get(figure::show))
        .route("/borgere", get(citizens::search))
        .route("/borgere/ny", get(citizens::new).post(citizens::create))
        .route("/borgere/{id}", get(citizen_page::show))
        .route("/borgere/{id}/indsigt", get(subject_access::download))
        .route("/borgere/{id}/opfoelgninger", post(case_posts::follow_up))
        .route("/borgere/{id}/forloeb", post(case_posts::enroll))
        .route("/borgere/{id}/forloeb/afslut", post(case_posts::end_enrollment))
        .route("/borgere/{id}/tilbud", post(case_posts::add_offer))
        .route("/borgere/{id}/tilbud/afslut", post(case_posts::end_offer))
        .route("/borgere/{id}/haendelser", post(case_posts::event))
        .route("/borgere/{id}/fritidsjob", post(case_posts::placement))
        .route("/borgere/{id}/rettelser/afslutning", post(case_corrections::end))
        .route("/borgere/{id}/rettelser/opfoelgning", post(case_corrections::follow_up))
        .route("/borgere/{id}/rettelser/haendelse", post(case_corrections::event))
        .route("/opfoelgninger", get(worklist::show))
        .route("/overtagelser", get(takeovers::show))
        .route("/overtagelser/{id}", post(takeovers::decide))
        .route("/resultater", get(dashboard::show))
        .route("/resultater/eksport", get(dashboard::export))
        .route("/resultater/{criterion}", get(drilldown::show))
        .route("/resultater/{criterion}/eksport", get(drilldown::export))
        .route("/bydele", get(districts::show))
        .route("/bydele/eksport", get(districts::export))
        .route("/omraader/{id}", get(areas::show))
        .route("/omraader/{id}/eksport", get(areas::export))
        .route("/maal", get(goal::show))
        .route("/maal/eksport", get(goal::export))
        .route("/uroligeomraader", get(unrest::show))
        .route("/vurdering", get(assessments::form))
        .route("/vurdering/{district}", post(assessments::submit))
        .route("/vurderinger", get(assessment_round::round))
        .route("/vurderinger/frist", post(assessment_round::set_deadline))
        .route("/indikatorer", get(indicators::show))
        .route("/indikatorer/vurdering", post(indicators::add_assessment))
        .route("/indikatorer/leverance", post(indicators::add_deliverable))
        .route("/indikatorer/levering", post(indicators::add_delivery))
        .route("/indikatorer/{id}/godkend", post(indicators::approve))
        .route("/indikatorer/{id}/send-tilbage", post(indicators::send_back))
        .route("/indikatorer/{id}/ret", get(indicators::correction).post(indicators::correct))
        .route("/rapporter", get(reports::show).post(reports::create))
        .route("/rapporter/{id}/godkend", post(reports::approve))
        .route("/rapporter/{id}/{format}", get(reports::fetch))
        .route("/admin/brugere", get(admin_users::list_users).post(admin_users::create))
        .route("/admin/brugere/{id}", get(admin_users::show).post(admin_users::change))
        .route("/admin/brugere/{id}/aktiv", post(admin_users::set_active))
        .route("/admin/brugere/{id}/engangskode", post(admin_users::reset_code))
        .route("/admin/brugere/{id}/laas-op", post(admin_users::unlock))
        .route("/admin/revision", get(audit_log::show))
}

/// The entries of the main navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Overview,
    Budget,
    Figure,
    Citizens,
    Worklist,
    /// Takeover requests (`/overtagelser`).
    Takeovers,
    Results,
    /// The safety-index pages (districts, areas, goal, half-yearly picture).
    Index,
    /// The committee reports.
    Reports,
    /// The indicators and deliverables entered by hand (`/indikatorer`).
    Indicators,
    /// The administrator's settings.
    Settings,
    /// The administrator's user list.
    Users,
    /// The administrator's view of the audit log.
    Audit,
    /// Sikker By goal 1 (`/maal`).
    Goal,
    /// The half-yearly picture of the areas of unrest (`/uroligeomraader`).
    Unrest,
    /// A partner's half-yearly assessment form (`/vurdering`).
    Assessment,
    /// The secretariat's view of the partners' assessment round (`/vurderinger`).
    AssessmentRound,
    /// A page outside the navigation (an initiative, an error).
    None,
}

/// One link of the main navigation.
#[derive(Debug, Clone)]
pub struct NavLink {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
    /// A count shown after the label (a caseworker's overdue follow-ups).
    pub count: Option<i64>,
}

/// Who is signed in, as the layout shows it.
#[derive(Debug, Clone)]
pub struct ChromeUser {
    pub name: String,
    pub role: &'static str,
}

/// What the shared layout needs: the language, its strings, the navigation (only the pages the
/// reader's role may open), the link to the same page in the other language, the signed-in user
/// and the session's CSRF token for every form (`templates/form.html` puts it in).
#[derive(Debug, Clone)]
pub struct Chrome {
    pub t: &'static Texts,
    pub lang: &'static str,
    pub switch_href: String,
    pub switch_lang: &'static str,
    pub nav: Vec<NavLink>,
    pub user: Option<ChromeUser>,
    /// Empty when nobody is signed in.
    pub csrf: String,
    /// The case data are the generator's synthetic demo set: every page says so.
    pub synthetic: bool,
}

/// Extracts the reader's language, the path and the signed-in user, for building [`Chrome`].
#[derive(Debug, Clone)]
pub struct PageContext {
    pub lang: Lang,
    pub path: String,
    /// The request's query as written (for the link to the same page in the other language).
    pub query: Option<String>,
    pub user: Option<CurrentUser>,
}

impl PageContext {
    fn from_parts(parts: &Parts) -> Self {
        let user = parts.extensions.get::<CurrentUser>().cloned();
        let (path, query) = (parts.uri.path().to_owned(), parts.uri.query().map(str::to_owned));
        PageContext { lang: Lang::of_request(parts), path, query, user }
    }

    /// The strings of the reader's language.
    pub fn t(&self) -> &'static Texts {
        self.lang.texts()
    }

    /// The layout for a page, with `current` marked in the navigation.
    pub fn chrome(&self, current: Nav) -> Chrome {
        let t = self.t();
        let overdue = self.user.as_ref().and_then(|u| u.worklist.as_ref()).map(|w| w.overdue);
        let link = |href, label, nav| NavLink {
            href,
            label,
            current: nav == current,
            count: overdue.filter(|_| nav == Nav::Worklist),
        };
        let other = self.lang.other();
        let role = self.user.as_ref().map(CurrentUser::role);
        Chrome {
            t,
            lang: self.lang.code(),
            switch_href: crate::links::with_query(
                &self.path,
                self.query.as_deref(),
                &["lang"],
                Some(&format!("lang={}", other.code())),
            ),
            switch_lang: other.code(),
            nav: vec![
                link("/", t.nav_overview, Nav::Overview),
                link("/budget", t.nav_budget, Nav::Budget),
                link("/figur-1", t.nav_figure, Nav::Figure),
                link("/resultater", t.res.nav_results, Nav::Results),
                link("/bydele", t.idx.nav_index, Nav::Index),
                link("/maal", t.idx.nav_goal, Nav::Goal),
                link("/uroligeomraader", t.idx.nav_unrest, Nav::Unrest),
                link("/borgere", t.case.nav_citizens, Nav::Citizens),
                link("/opfoelgninger", t.case.nav_worklist, Nav::Worklist),
                link("/overtagelser", self.lang.takeover().nav, Nav::Takeovers),
                link("/vurdering", t.asm.nav_form, Nav::Assessment),
                link("/indikatorer", t.ind.nav, Nav::Indicators),
                link("/vurderinger", t.asm.nav_round, Nav::AssessmentRound),
                link("/rapporter", t.reports.nav_reports, Nav::Reports),
                link("/admin/brugere", t.admin.nav_users, Nav::Users),
                link("/admin/revision", t.admin.nav_audit, Nav::Audit),
                link("/admin/indstillinger", t.auth.nav_settings, Nav::Settings),
            ]
            .into_iter()
            .filter(|l| policy::allows(l.href, role))
            .collect(),
            user: self
                .user
                .as_ref()
                .map(|u| ChromeUser { name: u.user.display_name.clone(), role: t.auth.role(u.role()) }),
            csrf: self.user.as_ref().map(|u| u.csrf_token.clone()).unwrap_or_default(),
            synthetic: crate::data_is_synthetic(),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for PageContext {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(PageContext::from_parts(parts))
    }
}

/// Renders a template to an HTML response.
pub(crate) fn render(template: &impl Template) -> Result<Html<String>, crate::AppError> {
    Ok(Html(template.render()?))
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    chrome: Chrome,
    title: &'static str,
    text: &'static str,
}

/// Middleware: an error response to anything but the API and the health check becomes an HTML
/// page in the reader's language, with the same status.
pub async fn html_errors(request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let mut context = PageContext::from_parts(&parts);
    let response = next.run(Request::from_parts(parts, body)).await;
    // The guard, inside this layer, hands the signed-in user back on the response.
    context.user = response.extensions().get::<CurrentUser>().cloned();
    let Some(ErrorMarker(status)) = response.extensions().get::<ErrorMarker>().copied() else {
        return response;
    };
    if context.path.starts_with("/api/") || context.path == "/healthz" {
        return response;
    }
    let t = context.t();
    let (title, text) = match status {
        StatusCode::NOT_FOUND => (t.not_found_title, t.not_found_text),
        StatusCode::UNPROCESSABLE_ENTITY => (t.unprocessable_title, t.unprocessable_text),
        StatusCode::PAYLOAD_TOO_LARGE => (t.too_large_title, t.too_large_text),
        StatusCode::REQUEST_TIMEOUT => (t.unprocessable_title, t.too_slow_text),
        StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED => (t.auth.forbidden_title, t.auth.forbidden_text),
        _ => (t.internal_title, t.internal_text),
    };
    let page = ErrorPage { chrome: context.chrome(Nav::None), title, text };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(error) => {
            tracing::error!(%error, "cannot render the error page");
            response
        }
    }
}

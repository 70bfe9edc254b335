//! Server-rendered pages, one module per resource. Every page extends `templates/base.html`,
//! whose header, navigation and language switch come from [`Chrome`].

mod budget;
mod figure;
mod initiative;
mod portfolio;

use crate::error::ErrorMarker;
use crate::i18n::{Lang, Texts};
use crate::AppState;
use askama::Template;
use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::convert::Infallible;

/// The page routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(portfolio::overview))
        .route("/indsatser/{code}", get(initiative::show))
        .route("/budget", get(budget::show))
        .route("/figur-1", get(figure::show))
}

/// The entries of the main navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Overview,
    Budget,
    Figure,
    /// A page outside the navigation (an initiative, an error).
    None,
}

/// One link of the main navigation.
#[derive(Debug, Clone)]
pub struct NavLink {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

/// What the shared layout needs: the language, its strings, the navigation and the link to the
/// same page in the other language.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub t: &'static Texts,
    pub lang: &'static str,
    pub switch_href: String,
    pub switch_lang: &'static str,
    pub nav: Vec<NavLink>,
}

/// Extracts the reader's language and the path, for building [`Chrome`].
#[derive(Debug, Clone)]
pub struct PageContext {
    pub lang: Lang,
    pub path: String,
}

impl PageContext {
    fn from_parts(parts: &Parts) -> Self {
        PageContext { lang: Lang::of_request(parts), path: parts.uri.path().to_owned() }
    }

    /// The strings of the reader's language.
    pub fn t(&self) -> &'static Texts {
        self.lang.texts()
    }

    /// The layout for a page, with `current` marked in the navigation.
    pub fn chrome(&self, current: Nav) -> Chrome {
        let t = self.t();
        let link = |href, label, nav| NavLink { href, label, current: nav == current };
        let other = self.lang.other();
        Chrome {
            t,
            lang: self.lang.code(),
            switch_href: format!("{}?lang={}", self.path, other.code()),
            switch_lang: other.code(),
            nav: vec![
                link("/", t.nav_overview, Nav::Overview),
                link("/budget", t.nav_budget, Nav::Budget),
                link("/figur-1", t.nav_figure, Nav::Figure),
            ],
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
    let context = PageContext::from_parts(&parts);
    let response = next.run(Request::from_parts(parts, body)).await;
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

//! The user interface's words, in Danish (the default) and English. Every string a page shows
//! comes from one of the two tables here, so a translation is a change to `da.rs` or `en.rs`,
//! never to a template. Domain terms follow the glossary of docs/domain.md §1.
//!
//! The language is chosen by `?lang=da|en` (remembered in a `lang` cookie by
//! [`remember_language`]), then by that cookie, and is Danish otherwise.

mod admin;
mod admin_da;
mod admin_en;
mod assessments;
mod assessments_da;
mod assessments_en;
mod auth;
mod auth_da;
mod auth_en;
mod cases;
mod cases_da;
mod cases_en;
mod da;
mod en;
mod index;
mod index_da;
mod index_en;
mod indicators;
mod indicators_da;
mod indicators_en;
mod records;
mod reports;
mod reports_da;
mod reports_en;
mod results;
mod results_da;
mod results_en;
mod takeover;
mod worklist;
mod worklist_da;
mod worklist_en;

pub use admin::AdminTexts;
pub use assessments::AssessmentTexts;
pub use auth::AuthTexts;
pub use cases::CaseTexts;
pub use index::IndexTexts;
pub use indicators::IndicatorTexts;
pub use records::RecordTexts;
pub use reports::ReportTexts;
pub use results::ResultTexts;
pub use takeover::TakeoverTexts;
pub use worklist::WorklistTexts;

use axum::extract::{FromRequestParts, Request};
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use rust_decimal::Decimal;
use sikkerby_domain::budget::format_danish;
use sikkerby_domain::portfolio::{Cadence, CrimeCyclePhase, DataSource, Scope};
use std::convert::Infallible;

/// A language of the user interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Danish, the default.
    #[default]
    Da,
    /// English.
    En,
}

impl Lang {
    /// How this language writes figures (the notation a table download is read back in).
    pub fn notation(self) -> sikkerby_reports::table::Notation {
        match self {
            Lang::Da => sikkerby_reports::table::Notation::Danish,
            Lang::En => sikkerby_reports::table::Notation::English,
        }
    }
}

impl Lang {
    /// The ISO 639-1 code, as used in `<html lang>`, `?lang=` and the cookie.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Da => "da",
            Lang::En => "en",
        }
    }

    /// Parses `da` or `en`.
    pub fn parse(code: &str) -> Option<Self> {
        match code.trim() {
            "da" => Some(Lang::Da),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language the switch link offers.
    pub fn other(self) -> Self {
        match self {
            Lang::Da => Lang::En,
            Lang::En => Lang::Da,
        }
    }

    /// The table of UI strings.
    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::Da => &da::DA,
            Lang::En => &en::EN,
        }
    }

    /// A decimal the way this language writes it: `21,7` in Danish, `21.7` in English.
    pub fn decimal(self, amount: Decimal) -> String {
        match self {
            Lang::Da => format_danish(amount),
            Lang::En => amount.normalize().to_string(),
        }
    }

    /// A budget amount in millions, always with at least one decimal, so that the figures of a
    /// table line up ("1,0" beside "0,5", never "1"); more decimals only where the memo has them.
    pub fn millions(self, amount: Decimal) -> String {
        let mut amount = amount.normalize();
        if amount.scale() < 1 {
            amount.rescale(1);
        }
        match self {
            Lang::Da => amount.to_string().replace('.', ","),
            Lang::En => amount.to_string(),
        }
    }

    /// A whole number with the language's thousands separator: `5.395` in Danish, `5,395` in
    /// English.
    pub fn integer(self, n: u64) -> String {
        let separator = match self {
            Lang::Da => '.',
            Lang::En => ',',
        };
        let digits = n.to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, d) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(separator);
            }
            out.push(d);
        }
        out
    }

    /// The language asked for in a query string (`lang=en`), if any.
    pub fn from_query(query: Option<&str>) -> Option<Self> {
        query?.split('&').find_map(|pair| pair.strip_prefix("lang=")).and_then(Lang::parse)
    }

    /// The language remembered in the `lang` cookie, if any.
    pub fn from_cookies(headers: &axum::http::HeaderMap) -> Option<Self> {
        headers
            .get_all(COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(';'))
            .find_map(|pair| pair.trim().strip_prefix("lang="))
            .and_then(Lang::parse)
    }

    /// The language of a request: query first, then cookie, then Danish.
    pub fn of_request(parts: &Parts) -> Self {
        Lang::from_query(parts.uri.query()).or_else(|| Lang::from_cookies(&parts.headers)).unwrap_or_default()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Lang::of_request(parts))
    }
}

/// Middleware: when a request names a language (`?lang=en`), the response sets the `lang`
/// cookie so that the following pages keep it.
pub async fn remember_language(request: Request, next: Next) -> Response {
    let chosen = Lang::from_query(request.uri().query());
    let mut response = next.run(request).await;
    if let Some(lang) = chosen {
        let cookie = format!("lang={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly", lang.code());
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(SET_COOKIE, value);
        }
    }
    response
}

/// Every string of the user interface, one field per use.
#[derive(Debug)]
pub struct Texts {
    pub site_name: &'static str,
    pub site_tagline: &'static str,
    pub skip_to_content: &'static str,
    pub nav_label: &'static str,
    /// The button that opens the menu on a narrow screen (hidden on a wide one).
    pub nav_toggle: &'static str,
    /// The banner on every page of a demo server.
    pub synthetic_banner: &'static str,
    pub nav_overview: &'static str,
    pub nav_budget: &'static str,
    pub nav_figure: &'static str,
    /// The name of the *other* language, shown on the switch link.
    pub switch_label: &'static str,
    pub footer: &'static str,
    pub portfolio_title: &'static str,
    pub portfolio_intro: &'static str,
    pub scope_heading_city_wide: &'static str,
    pub scope_heading_area_based: &'static str,
    pub scope_heading_monitoring: &'static str,
    pub scope_city_wide: &'static str,
    pub scope_area_based: &'static str,
    pub scope_monitoring: &'static str,
    pub col_code: &'static str,
    pub col_name: &'static str,
    pub col_anchor: &'static str,
    pub col_target: &'static str,
    pub col_source: &'static str,
    pub col_criteria: &'static str,
    pub col_budget_2013: &'static str,
    pub source_opera: &'static str,
    pub source_safety_index: &'static str,
    pub source_manual: &'static str,
    pub source_external: &'static str,
    pub source_none: &'static str,
    pub phase_forebyggelse: &'static str,
    pub phase_tidlig_indsats: &'static str,
    pub phase_kriminel_loebebane: &'static str,
    pub phase_afsoning: &'static str,
    pub phase_loesladelse: &'static str,
    pub cadence_annual: &'static str,
    pub cadence_half_yearly: &'static str,
    pub cadence_quarterly: &'static str,
    pub years: &'static str,
    pub months: &'static str,
    pub age_from: &'static str,
    pub age_under: &'static str,
    pub assumed: &'static str,
    pub initiative_label: &'static str,
    pub facts_heading: &'static str,
    pub field_code: &'static str,
    pub field_scope: &'static str,
    pub field_phases: &'static str,
    pub field_anchor: &'static str,
    pub field_partners: &'static str,
    pub field_target: &'static str,
    pub field_age: &'static str,
    pub field_capacity: &'static str,
    pub capacity_unit: &'static str,
    pub field_source: &'static str,
    pub field_reporting: &'static str,
    pub field_areas: &'static str,
    pub field_notes: &'static str,
    pub none: &'static str,
    pub criteria_heading: &'static str,
    pub criteria_caption: &'static str,
    pub criteria_none: &'static str,
    pub col_criterion_id: &'static str,
    pub col_memo_words: &'static str,
    pub col_definition: &'static str,
    pub budget_lines_heading: &'static str,
    pub budget_lines_none: &'static str,
    pub memo_heading: &'static str,
    pub memo_note: &'static str,
    pub memo_description: &'static str,
    pub memo_success: &'static str,
    pub memo_measurement: &'static str,
    pub back_to_overview: &'static str,
    pub budget_title: &'static str,
    pub budget_intro: &'static str,
    pub budget_caption: &'static str,
    pub col_budget_line: &'static str,
    pub total: &'static str,
    pub no_allocation: &'static str,
    pub funding_ended: &'static str,
    pub legend_heading: &'static str,
    pub legend_empty: &'static str,
    pub legend_dash: &'static str,
    pub legend_totals: &'static str,
    pub chart_heading: &'static str,
    pub chart_label: &'static str,
    pub unit_millions: &'static str,
    pub budget_actual_heading: &'static str,
    pub budget_actual_intro: &'static str,
    pub budget_actual_caption: &'static str,
    pub budget_actual_none: &'static str,
    pub budget_actual_legend: &'static str,
    pub budget_actual_choose_line: &'static str,
    pub budget_actual_year: &'static str,
    pub budget_actual_amount: &'static str,
    pub budget_actual_amount_hint: &'static str,
    pub budget_actual_year_invalid: &'static str,
    pub budget_actual_amount_invalid: &'static str,
    pub budget_actual_saved: &'static str,
    /// The chart's merged segment of the smaller budget lines; the count follows in brackets.
    pub chart_other_lines: &'static str,
    pub figure_title: &'static str,
    pub figure_intro: &'static str,
    pub figure_caption: &'static str,
    pub col_scope: &'static str,
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub unprocessable_title: &'static str,
    pub unprocessable_text: &'static str,
    /// A form or upload over the size limit (413), or one that arrived too slowly (408).
    pub too_large_title: &'static str,
    pub too_large_text: &'static str,
    pub too_slow_text: &'static str,
    pub internal_title: &'static str,
    pub internal_text: &'static str,
    /// The caseworker pages' words.
    pub case: &'static CaseTexts,
    /// The results pages' words.
    pub res: &'static ResultTexts,
    /// The safety-index pages' words.
    pub idx: &'static IndexTexts,
    /// The words of signing in, purposes and settings.
    pub auth: &'static AuthTexts,
    pub reports: &'static ReportTexts,
    /// The indicators page's words.
    pub ind: &'static IndicatorTexts,
    /// The worklist's words.
    pub wl: &'static WorklistTexts,
    /// The administration pages' words.
    pub admin: &'static AdminTexts,
    /// The partners' assessment pages' words.
    pub asm: &'static AssessmentTexts,
}

impl Texts {
    /// A scope as a group heading (plural: "Områdebaserede").
    pub fn scope_heading(&self, scope: Scope) -> &'static str {
        match scope {
            Scope::CityWide => self.scope_heading_city_wide,
            Scope::AreaBased => self.scope_heading_area_based,
            Scope::Monitoring => self.scope_heading_monitoring,
        }
    }

    /// A scope as a field value (singular: "Områdebaseret").
    pub fn scope(&self, scope: Scope) -> &'static str {
        match scope {
            Scope::CityWide => self.scope_city_wide,
            Scope::AreaBased => self.scope_area_based,
            Scope::Monitoring => self.scope_monitoring,
        }
    }

    /// A phase of the crime cycle.
    pub fn phase(&self, phase: CrimeCyclePhase) -> &'static str {
        match phase {
            CrimeCyclePhase::Forebyggelse => self.phase_forebyggelse,
            CrimeCyclePhase::TidligIndsats => self.phase_tidlig_indsats,
            CrimeCyclePhase::KriminelLoebebane => self.phase_kriminel_loebebane,
            CrimeCyclePhase::Afsoning => self.phase_afsoning,
            CrimeCyclePhase::Loesladelse => self.phase_loesladelse,
        }
    }

    /// Where an initiative's figures come from.
    pub fn data_source(&self, source: DataSource) -> &'static str {
        match source {
            DataSource::Opera => self.source_opera,
            DataSource::SafetyIndex => self.source_safety_index,
            DataSource::Manual => self.source_manual,
            DataSource::External => self.source_external,
            DataSource::None => self.source_none,
        }
    }

    /// How often a report is due.
    pub fn cadence(&self, cadence: Cadence) -> &'static str {
        match cadence {
            Cadence::Annual => self.cadence_annual,
            Cadence::HalfYearly => self.cadence_half_yearly,
            Cadence::Quarterly => self.cadence_quarterly,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_wins_over_the_cookie_and_danish_is_the_default() {
        assert_eq!(Lang::from_query(Some("x=1&lang=en")), Some(Lang::En));
        assert_eq!(Lang::from_query(Some("lang=fr")), None);
        let mut headers = axum::http::HeaderMap::new();
        headers.insert(COOKIE, HeaderValue::from_static("a=b; lang=en"));
        assert_eq!(Lang::from_cookies(&headers), Some(Lang::En));
        assert_eq!(Lang::default(), Lang::Da);
    }

    #[test]
    fn whole_numbers_get_the_language_s_thousands_separator() {
        assert_eq!(Lang::Da.integer(5395), "5.395");
        assert_eq!(Lang::En.integer(1_234_567), "1,234,567");
        assert_eq!(Lang::Da.integer(999), "999");
    }

    #[test]
    fn decimals_use_the_language_s_decimal_mark() {
        let amount = Decimal::new(217, 1);
        assert_eq!(Lang::Da.decimal(amount), "21,7");
        assert_eq!(Lang::Da.millions(Decimal::from(1)), "1,0");
        assert_eq!(Lang::Da.millions(Decimal::new(25, 2)), "0,25");
        assert_eq!(Lang::En.millions(Decimal::new(50, 1)), "5.0");
        assert_eq!(Lang::En.decimal(amount), "21.7");
    }
}

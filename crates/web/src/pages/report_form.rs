//! The forms of `/rapporter`: choose the report (a GET form, so that the period list can be
//! the one of that report without script), make it from a period picked in that list, and the
//! warning before a report of a period without data (docs/reports.md "Periods", "Without
//! data").

use super::forms::{FormView, Problems};
use crate::i18n::{Lang, ReportTexts};
use crate::{AppError, AppState};
use sikkerby_domain::half_year::HalfYear;
use sikkerby_reports::availability::{self, Missing};
use sikkerby_reports::{OutputFormat, ReportKind, ReportPeriod};

/// The formats a report is rendered in, as the select offers them.
const FORMATS: [(&str, &str); 3] = [("pdf", "PDF"), ("html", "HTML"), ("xlsx", "XLSX")];

/// A report kind's name on the page.
pub(super) fn kind_words(t: &ReportTexts, kind: ReportKind) -> &'static str {
    match kind {
        ReportKind::Annual => t.kind_annual,
        ReportKind::HalfYear => t.kind_halfyear,
        ReportKind::Quarter => t.kind_quarter,
    }
}

/// The reports as a select offers them.
fn kind_options(t: &ReportTexts) -> Vec<(String, String)> {
    ReportKind::ALL.iter().map(|k| (k.code().to_owned(), kind_words(t, *k).to_owned())).collect()
}

/// A period in words: `2013`, `1. halvår 2013`, `2. kvartal 2013`.
pub(super) fn period_words(lang: Lang, kind: ReportKind, period: &ReportPeriod) -> String {
    let year = period.year().to_string();
    match (kind, period.part()) {
        (ReportKind::HalfYear, Some(_)) => lang.texts().idx.half_year(HalfYear::of(period.from)),
        (ReportKind::Quarter, Some(n)) => {
            lang.texts().reports.quarter_words.replace("{n}", &n.to_string()).replace("{year}", &year)
        }
        _ => year,
    }
}

/// The periods the form offers for `kind` today.
pub(super) async fn offered(state: &AppState, kind: ReportKind) -> Result<Vec<ReportPeriod>, AppError> {
    let today = super::forms::today();
    availability::offered_periods(&state.store, &state.evaluator, kind, today).await.map_err(internal)
}

/// The parts of the report that would have no data, each said in the reader's language.
pub(super) async fn missing(
    state: &AppState,
    lang: Lang,
    kind: ReportKind,
    period: &ReportPeriod,
) -> Result<Vec<String>, AppError> {
    let missing =
        availability::missing_data(&state.store, &state.evaluator, kind, period).await.map_err(internal)?;
    let t = lang.texts().reports;
    Ok(missing
        .into_iter()
        .map(|m| match m {
            Missing::CaseData => t.missing_case_data.to_owned(),
            Missing::Index { year } => t.missing_index.replace("{year}", &year.to_string()),
            Missing::Assessments { half_year } => {
                t.missing_assessments.replace("{half}", &lang.texts().idx.half_year(half_year))
            }
            Missing::BudgetActuals { year } => t.missing_actuals.replace("{year}", &year.to_string()),
        })
        .collect())
}

fn internal(error: sikkerby_reports::ReportError) -> AppError {
    AppError::Internal(Box::new(error))
}

/// What the user sent or chose: the report, the period and the format (codes as sent).
#[derive(Debug, Clone)]
pub(super) struct Choice {
    pub kind: ReportKind,
    pub period: String,
    pub format: String,
    /// The list filter, carried through the forms so it stays as chosen.
    pub list: String,
}

/// The GET form choosing the report; it reloads the page with that report's periods.
pub(super) fn kind_form(lang: Lang, choice: &Choice, problems: &Problems) -> FormView {
    let texts = lang.texts();
    let t = texts.reports;
    let mut form = FormView::new("rapport-valg", "/rapporter", t.choose_legend, texts.case)
        .get(t.show_periods)
        .select("kind", t.kind_label, None, kind_options(t), choice.kind.code())
        .hidden("list", &choice.list)
        .problems(problems, None);
    form.errors_heading = t.errors_heading;
    form
}

/// The POST form making the chosen report from one of `periods`, with `problems` beside the
/// fields.
pub(super) fn make_form(
    lang: Lang,
    choice: &Choice,
    periods: &[ReportPeriod],
    problems: &Problems,
) -> FormView {
    let texts = lang.texts();
    let t = texts.reports;
    let legend = format!("{}: {}", t.legend, kind_words(t, choice.kind));
    let options =
        periods.iter().map(|p| (p.label.clone(), period_words(lang, choice.kind, p))).collect::<Vec<_>>();
    let hint = if options.is_empty() { t.no_periods } else { t.period_hint };
    let formats = FORMATS.iter().map(|(v, l)| ((*v).to_owned(), (*l).to_owned())).collect();
    let mut form = FormView::new("rapport", "/rapporter", &legend, texts.case)
        .hidden("kind", choice.kind.code())
        .select("period", t.period_label, None, options, &choice.period)
        .hint(hint)
        .select("format", t.format_label, None, formats, &choice.format)
        .problems(problems, None);
    form.submit = t.make_button;
    form.errors_heading = t.errors_heading;
    form
}

/// The kind sent, or the problem with it (the field of the form choosing the report).
pub(super) fn check_kind(t: &ReportTexts, kind: &str) -> (Option<ReportKind>, Problems) {
    let mut problems = Problems::default();
    let parsed = ReportKind::parse(kind);
    if parsed.is_none() {
        problems.add("kind", t.kind_error);
    }
    (parsed, problems)
}

/// The period sent, which must be one of `periods` (those offered for the report), or the
/// problems with it and the format, each named by its field.
pub(super) fn check_make(
    t: &ReportTexts,
    choice: &Choice,
    periods: &[ReportPeriod],
) -> (Option<ReportPeriod>, Problems) {
    let mut problems = Problems::default();
    let period = ReportPeriod::parse(choice.kind, &choice.period)
        .ok()
        .filter(|p| periods.iter().any(|offered| offered.label == p.label));
    if period.is_none() {
        problems.add("period", t.period_error);
    }
    if OutputFormat::parse(&choice.format).is_none() {
        problems.add("format", t.format_error);
    }
    (period, problems)
}

/// The warning before a report of a period without data: what is missing, and a button that
/// sends the same choice again, confirmed.
pub(super) fn confirm_form(
    lang: Lang,
    choice: &Choice,
    period: &ReportPeriod,
    missing: &[String],
) -> FormView {
    let texts = lang.texts();
    let t = texts.reports;
    let legend = format!("{}, {}", kind_words(t, choice.kind), period_words(lang, choice.kind, period));
    let mut form = FormView::new("rapport-bekraeft", "/rapporter", &legend, texts.case)
        .hidden("kind", choice.kind.code())
        .hidden("period", &period.label)
        .hidden("format", &choice.format)
        .hidden("list", &choice.list)
        .hidden("confirm", "ja");
    form.warning = Some(format!("{} {}", missing.join(" "), t.warning_question));
    form.warning_heading = t.warning_heading;
    form.submit = t.confirm_button;
    form
}

/// The GET form filtering the list by report; it keeps the report chosen above.
pub(super) fn list_form(lang: Lang, choice: &Choice, problems: &Problems) -> FormView {
    let texts = lang.texts();
    let t = texts.reports;
    let mut form = FormView::new("rapport-liste", "/rapporter", t.list_legend, texts.case)
        .get(t.list_button)
        .select("list", t.list_label, Some(t.list_all), kind_options(t), &choice.list)
        .hidden("kind", choice.kind.code())
        .problems(problems, None);
    form.errors_heading = t.errors_heading;
    form
}

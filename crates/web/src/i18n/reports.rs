//! The words of the reports page, one struct per language (`reports_da.rs`, `reports_en.rs`).

/// The strings of `/rapporter`.
#[derive(Debug)]
pub struct ReportTexts {
    pub nav_reports: &'static str,
    pub title: &'static str,
    pub intro: &'static str,
    /// The form that chooses the report (and so which periods are offered).
    pub choose_legend: &'static str,
    pub show_periods: &'static str,
    /// The form that makes it: "Lav en rapport", followed by the report's name.
    pub legend: &'static str,
    pub kind_label: &'static str,
    pub kind_annual: &'static str,
    pub kind_halfyear: &'static str,
    pub kind_quarter: &'static str,
    pub period_label: &'static str,
    pub period_hint: &'static str,
    /// A quarter in words: `{n}` its number, `{year}` its year.
    pub quarter_words: &'static str,
    /// Said instead of the period list when the system knows no year yet.
    pub no_periods: &'static str,
    pub format_label: &'static str,
    pub make_button: &'static str,
    /// The warning before a report of a period without data, its parts and the confirm button.
    pub warning_heading: &'static str,
    pub missing_case_data: &'static str,
    /// `{year}` is the period's year.
    pub missing_index: &'static str,
    /// `{half}` is the half-year in words.
    pub missing_assessments: &'static str,
    /// `{year}` is the period's year.
    pub missing_actuals: &'static str,
    pub warning_question: &'static str,
    pub confirm_button: &'static str,
    /// The list of every version.
    pub list_caption: &'static str,
    pub list_legend: &'static str,
    pub list_label: &'static str,
    pub list_all: &'static str,
    pub list_button: &'static str,
    pub period: &'static str,
    pub version: &'static str,
    pub created_by: &'static str,
    pub approved_by: &'static str,
    pub status: &'static str,
    pub status_draft: &'static str,
    pub status_locked: &'static str,
    pub not_approved: &'static str,
    pub approve_button: &'static str,
    /// Shown instead of the approve button on a version the signed-in manager made (four eyes).
    pub own_version_note: &'static str,
    /// Shown instead of the approve button to a user who may not approve at all.
    pub approve_needs_manager: &'static str,
    pub download: &'static str,
    pub none_yet: &'static str,
    /// The figures changed since the approved version: `{n}` how many, `{version}` which.
    pub changes: &'static str,
    pub changed_summary: &'static str,
    pub unchanged: &'static str,
    pub change_criterion: &'static str,
    pub change_field: &'static str,
    pub change_before: &'static str,
    pub change_after: &'static str,
    /// The report's own (Danish) names of the figures a change names, in this language.
    pub change_fields: &'static [(&'static str, &'static str)],
    /// Heading of the error summary when the form is shown again.
    pub errors_heading: &'static str,
    pub kind_error: &'static str,
    /// The period is not one the list offers for the report.
    pub period_error: &'static str,
    pub format_error: &'static str,
}

impl ReportTexts {
    /// A figure's name in a change, in this language; one the texts do not know as written.
    pub fn change_field<'a>(&self, field: &'a str) -> &'a str {
        self.change_fields.iter().find(|(da, _)| *da == field).map_or(field, |(_, words)| words)
    }
}

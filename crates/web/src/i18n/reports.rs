//! The words of the reports page, one struct per language (`reports_da.rs`, `reports_en.rs`).

/// The strings of `/rapporter`.
#[derive(Debug)]
pub struct ReportTexts {
    pub nav_reports: &'static str,
    pub title: &'static str,
    pub intro: &'static str,
    pub legend: &'static str,
    pub kind_label: &'static str,
    pub kind_annual: &'static str,
    pub kind_halfyear: &'static str,
    pub kind_quarter: &'static str,
    pub period_label: &'static str,
    pub period_hint: &'static str,
    pub format_label: &'static str,
    pub make_button: &'static str,
    pub snapshots_caption: &'static str,
    pub version: &'static str,
    pub created_by: &'static str,
    pub approved_by: &'static str,
    pub not_approved: &'static str,
    pub approve_button: &'static str,
    /// Shown instead of the approve button on a version the signed-in manager made (four eyes).
    pub own_version_note: &'static str,
    /// Shown instead of the approve button to a user who may not approve at all.
    pub approve_needs_manager: &'static str,
    pub download: &'static str,
    pub none_yet: &'static str,
    pub approved_note: &'static str,
    /// Heading of the error summary when the form is shown again.
    pub errors_heading: &'static str,
    /// The period does not fit the report (the form is shown again with this beside the field).
    pub period_error: &'static str,
}

//! The reports page in English.

use super::reports::ReportTexts;

pub(super) const EN: ReportTexts = ReportTexts {
    nav_reports: "Reports",
    title: "Reports to the committees",
    intro: "A report is made from a recorded snapshot of the data, configuration and criteria, so it \
            regenerates byte for byte. A manager's approval locks it; a later correction becomes a new version \
            listing the figures that changed.",
    legend: "Make a report",
    kind_label: "Report",
    kind_annual: "Annual report to the committees",
    kind_halfyear: "Half-yearly report on unsettled areas",
    kind_quarter: "Quarterly Sikker By report",
    period_label: "Period",
    period_hint: "A year (2013), a half-year (2013H1) or a quarter (2013Q2).",
    format_label: "Format",
    make_button: "Make and download the report",
    snapshots_caption: "Versions of the report for the period",
    version: "Version",
    created_by: "Made by",
    approved_by: "Approved by",
    not_approved: "not approved",
    approve_button: "Approve and lock",
    own_version_note: "You made this version, so another manager must approve it (four eyes).",
    approve_needs_manager: "Approved by a manager who did not make the version.",
    download: "Download",
    none_yet: "There are no versions of this report and period yet.",
    approved_note: "The report is approved and locked.",
    errors_heading: "The report could not be made",
    period_error: "Enter a period that fits the report: a year (2013) for the annual report, a half-year (2013H1) or a quarter (2013Q2).",
};

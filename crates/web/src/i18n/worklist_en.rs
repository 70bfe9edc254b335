//! The worklist in English.

use super::worklist::WorklistTexts;

pub(super) const EN: WorklistTexts = WorklistTexts {
    title: "Follow-ups",
    intro: "Open follow-ups that are overdue or due within 14 days – earliest due first.",
    purpose_note: "Citizens you open from here are opened with the purpose follow-up; every view is logged.",
    legend: "Narrow the list",
    button: "Show",
    fld_list: "List",
    list_mine: "My list ({codes})",
    list_all: "All in my centres",
    any: "All",
    fld_initiative: "Initiative",
    fld_anchor: "Occasion",
    showing: "Showing {from}–{to} of {total}",
    overdue_of: "{n} overdue",
    none_at_all: "No follow-ups overdue or due soon.",
    none_match: "No follow-ups match the filter.",
    pages_label: "Pages",
    page: "Page",
    unknown_value: "unknown value",
    col_status: "Status",
    days_over: "{n} days overdue",
    due_today: "due today",
    due_in: "due in {n} days",
    sort_by: "Sort by",
};

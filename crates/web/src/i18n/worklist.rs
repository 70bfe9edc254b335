//! The words of the caseworker's worklist (`/opfoelgninger`), in both languages.

/// Strings of the worklist; `{from}`, `{to}`, `{total}`, `{n}` and `{codes}` are filled in.
#[derive(Debug)]
pub struct WorklistTexts {
    pub title: &'static str,
    pub intro: &'static str,
    pub purpose_note: &'static str,
    pub legend: &'static str,
    pub button: &'static str,
    pub fld_list: &'static str,
    pub list_mine: &'static str,
    pub list_all: &'static str,
    pub any: &'static str,
    pub fld_initiative: &'static str,
    pub fld_anchor: &'static str,
    pub showing: &'static str,
    pub overdue_of: &'static str,
    pub none_at_all: &'static str,
    pub none_match: &'static str,
    pub pages_label: &'static str,
    pub page: &'static str,
    pub unknown_value: &'static str,
    pub col_status: &'static str,
    pub days_over: &'static str,
    pub due_today: &'static str,
    pub due_in: &'static str,
    pub sort_by: &'static str,
}

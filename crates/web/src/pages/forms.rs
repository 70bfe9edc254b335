//! Forms: what a form shows (fields with labels, hints, errors and the user's input kept) and
//! the checks every submitted form goes through, so that every form reads the same to a screen
//! reader and every error names its field. The markup is `templates/form.html`.
//!
//! Validation is on the server only: a form comes back with each problem beside its field (linked
//! by `aria-describedby`) and listed in a summary at the top that links to the fields.

use crate::i18n::{CaseTexts, Lang};
use crate::AppError;
use chrono::NaiveDate;
use sikkerby_domain::calendar::parse_date;
use sikkerby_domain::codes::Code;
use sikkerby_store::cases::CaseError;
use std::collections::HashMap;

/// A submitted form: field name → value (the last one wins).
pub type Submitted = HashMap<String, String>;

/// The longest free text a form accepts in a one-line field.
const MAX_TEXT: usize = 100;

/// One option of a select.
#[derive(Debug, Clone)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// One field of a form, as shown.
#[derive(Debug, Clone)]
pub struct Field {
    /// Unique on the page: the form's id, a hyphen, the name.
    pub id: String,
    pub name: &'static str,
    pub label: String,
    /// `text`, `select`, `checkbox`, `textarea` or `file`.
    pub kind: &'static str,
    pub value: String,
    pub required: bool,
    pub hint: Option<String>,
    pub error: Option<String>,
    pub choices: Vec<Choice>,
}

impl Field {
    /// The ids of the hint and the error, for `aria-describedby`; empty when there are none.
    pub fn described_by(&self) -> String {
        let mut ids = Vec::new();
        if self.hint.is_some() {
            ids.push(format!("{}-hint", self.id));
        }
        if self.error.is_some() {
            ids.push(format!("{}-error", self.id));
        }
        ids.join(" ")
    }

    /// A checkbox is ticked when it has a value.
    pub fn checked(&self) -> bool {
        !self.value.is_empty()
    }
}

/// A line of the error summary: the text and the field it links to.
#[derive(Debug, Clone)]
pub struct SummaryLine {
    pub target: String,
    pub text: String,
}

/// A whole form, as shown.
#[derive(Debug, Clone)]
pub struct FormView {
    pub id: &'static str,
    pub action: String,
    /// `post` or `get`.
    pub method: &'static str,
    pub legend: String,
    pub submit: &'static str,
    pub fields: Vec<Field>,
    pub summary: Vec<SummaryLine>,
    pub errors_heading: &'static str,
    pub warning_heading: &'static str,
    pub warning: Option<String>,
    input: Option<Submitted>,
}

impl FormView {
    /// An empty POST form; `input` is what the user sent, when the form comes back.
    pub fn new(id: &'static str, action: impl Into<String>, legend: &str, t: &'static CaseTexts) -> Self {
        FormView {
            id,
            action: action.into(),
            method: "post",
            legend: legend.to_owned(),
            submit: t.submit,
            fields: Vec::new(),
            summary: Vec::new(),
            errors_heading: t.errors_heading,
            warning_heading: t.warning_heading,
            warning: None,
            input: None,
        }
    }

    /// Makes it a GET form (a search or a filter).
    pub fn get(mut self, submit: &'static str) -> Self {
        self.method = "get";
        self.submit = submit;
        self
    }

    /// Keeps the user's input: fields take their values from it instead of their defaults.
    pub fn with_input(mut self, input: Option<&Submitted>) -> Self {
        self.input = input.cloned();
        self
    }

    fn value(&self, name: &str, default: &str) -> String {
        match &self.input {
            Some(input) => input.get(name).cloned().unwrap_or_default(),
            None => default.to_owned(),
        }
    }

    fn push(mut self, name: &'static str, label: &str, kind: &'static str, value: String) -> Self {
        let id = format!("{}-{name}", self.id);
        let label = label.to_owned();
        let field =
            Field { id, name, label, kind, value, required: false, hint: None, error: None, choices: vec![] };
        self.fields.push(field);
        self
    }

    /// A one-line text field (dates too: typed, not picked, so every browser and keyboard
    /// behaves the same).
    pub fn text(self, name: &'static str, label: &str, default: &str) -> Self {
        let value = self.value(name, default);
        self.push(name, label, "text", value)
    }

    /// A password field: never filled in again, not even when the form comes back.
    pub fn password(self, name: &'static str, label: &str) -> Self {
        self.push(name, label, "password", String::new())
    }

    /// A select; `choose` is the label of the empty first option, if there is one.
    pub fn select(
        self,
        name: &'static str,
        label: &str,
        choose: Option<&str>,
        options: Vec<(String, String)>,
        default: &str,
    ) -> Self {
        let value = self.value(name, default);
        let empty = choose.map(|c| (String::new(), c.to_owned()));
        let choices = empty
            .into_iter()
            .chain(options)
            .map(|(v, label)| Choice { selected: v == value, value: v, label })
            .collect();
        let mut form = self.push(name, label, "select", value);
        if let Some(field) = form.fields.last_mut() {
            field.choices = choices;
        }
        form
    }

    /// A hidden field: a choice made in an earlier step that the form carries on.
    pub fn hidden(self, name: &'static str, value: &str) -> Self {
        self.push(name, "", "hidden", value.to_owned())
    }

    /// A text area for a longer text (a narrative).
    pub fn textarea(self, name: &'static str, label: &str, default: &str) -> Self {
        let value = self.value(name, default);
        self.push(name, label, "textarea", value)
    }

    /// A file to upload; the form is then sent as `multipart/form-data`.
    pub fn file(self, name: &'static str, label: &str) -> Self {
        self.push(name, label, "file", String::new())
    }

    /// Whether the form carries a file (and so needs `enctype="multipart/form-data"`).
    pub fn multipart(&self) -> bool {
        self.fields.iter().any(|f| f.kind == "file")
    }

    /// A checkbox, ticked when the input (or, without input, `default`) says so.
    pub fn checkbox(self, name: &'static str, label: &str, default: bool) -> Self {
        let value = self.value(name, if default { "ja" } else { "" });
        self.push(name, label, "checkbox", value)
    }

    /// Marks the last field as required.
    pub fn required(mut self) -> Self {
        if let Some(field) = self.fields.last_mut() {
            field.required = true;
        }
        self
    }

    /// Gives the last field a hint.
    pub fn hint(mut self, hint: &str) -> Self {
        if let Some(field) = self.fields.last_mut() {
            field.hint = Some(hint.to_owned());
        }
        self
    }

    /// Shows the problems: each error beside its field and in the summary; a warning above the
    /// fields, with a checkbox (`confirm`, labelled `confirm_label`) to confirm it.
    pub fn problems(mut self, problems: &Problems, confirm: Option<(&'static str, &str)>) -> Self {
        if let Some((name, label)) = confirm {
            // A ticked box stays on the form while other fields are corrected.
            let ticked = self.input.as_ref().is_some_and(|input| checked(input, name));
            if (problems.warning.is_some() || ticked) && !self.fields.iter().any(|f| f.name == name) {
                self = self.checkbox(name, label, false);
            }
            // The warning is said once, in its box above the fields: repeating it in the error
            // summary and as the checkbox's hint made a reader see the same sentence three times.
            if let Some((_, warning)) = &problems.warning {
                self.warning = Some(warning.clone());
            }
        }
        for (name, message) in &problems.errors {
            let field = self.fields.iter_mut().find(|f| f.name == *name);
            let (target, label) = match field {
                Some(field) => {
                    field.error = Some(sentence(message));
                    (field.id.clone(), field.label.clone())
                }
                None => (self.id.to_owned(), (*name).to_owned()),
            };
            self.summary.push(SummaryLine { target, text: format!("{label}: {message}") });
        }
        self
    }
}

/// A message that stands on its own beside its field, as a sentence: capital first letter. The
/// messages themselves are written to follow "Field: " in the summary, in lower case.
fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// What is wrong with a submitted form: errors per field, and a warning to confirm.
#[derive(Debug, Clone, Default)]
pub struct Problems {
    pub errors: Vec<(&'static str, String)>,
    pub warning: Option<(&'static str, String)>,
}

impl Problems {
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.errors.push((field, message.into()));
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty() && self.warning.is_none()
    }

    /// The problems a store write reported; a database failure is an internal error instead.
    /// A refusal by the records as they stand is said in the reader's language.
    pub fn from_case(error: CaseError, not_found_field: &'static str, lang: Lang) -> Result<Self, AppError> {
        let mut problems = Problems::default();
        match error {
            CaseError::Invalid { field, reason } => problems.add(field, reason),
            CaseError::Refused { field, refusal } => problems.add(field, lang.refusal(&refusal)),
            CaseError::NeedsConfirmation { field, warning } => problems.warning = Some((field, warning)),
            CaseError::NotFound { what, id } => problems.add(not_found_field, format!("{what} {id}")),
            CaseError::Store(error) => return Err(error.into()),
        }
        Ok(problems)
    }
}

/// The trimmed value of a field ("" when absent).
pub fn text<'a>(input: &'a Submitted, name: &str) -> &'a str {
    input.get(name).map_or("", |v| v.trim())
}

/// An optional one-line text: `None` when empty, an error when too long.
pub fn optional(input: &Submitted, name: &'static str, p: &mut Problems, t: &CaseTexts) -> Option<String> {
    let value = text(input, name);
    if value.chars().count() > MAX_TEXT {
        p.add(name, t.msg_too_long);
    }
    (!value.is_empty()).then(|| value.to_owned())
}

/// A required one-line text.
pub fn required(input: &Submitted, name: &'static str, p: &mut Problems, t: &CaseTexts) -> Option<String> {
    let value = optional(input, name, p, t);
    if value.is_none() {
        p.add(name, t.msg_required);
    }
    value
}

/// A required date.
pub fn date(input: &Submitted, name: &'static str, p: &mut Problems, t: &CaseTexts) -> Option<NaiveDate> {
    let value = text(input, name);
    if value.is_empty() {
        p.add(name, t.msg_required);
        return None;
    }
    parse_date(value).map_err(|_| p.add(name, t.msg_bad_date)).ok()
}

/// An optional date.
pub fn optional_date(
    input: &Submitted,
    name: &'static str,
    p: &mut Problems,
    t: &CaseTexts,
) -> Option<NaiveDate> {
    if text(input, name).is_empty() {
        return None;
    }
    date(input, name, p, t)
}

/// A required choice among `allowed`.
pub fn choice(
    input: &Submitted,
    name: &'static str,
    allowed: impl Fn(&str) -> bool,
    p: &mut Problems,
    t: &CaseTexts,
) -> Option<String> {
    let value = text(input, name);
    if value.is_empty() || !allowed(value) {
        p.add(name, if value.is_empty() { t.msg_required } else { t.msg_choose });
        return None;
    }
    Some(value.to_owned())
}

/// Whether a checkbox was ticked.
pub fn checked(input: &Submitted, name: &str) -> bool {
    !text(input, name).is_empty()
}

/// The options of a code list in the reader's language.
pub fn code_options(codes: &[Code], lang: Lang) -> Vec<(String, String)> {
    codes.iter().map(|c| (c.code.clone(), code_label(c, lang).to_owned())).collect()
}

/// A code's label in the reader's language.
pub fn code_label(code: &Code, lang: Lang) -> &str {
    match lang {
        Lang::Da => &code.da,
        Lang::En => &code.en,
    }
}

/// A date the way the reader writes it: `1. maj 2013`, `1 May 2013`.
pub fn long_date(date: NaiveDate, lang: Lang) -> String {
    use chrono::Datelike;
    let month = lang.texts().case.months[date.month0() as usize];
    match lang {
        Lang::Da => format!("{}. {month} {}", date.day(), date.year()),
        Lang::En => format!("{} {month} {}", date.day(), date.year()),
    }
}

/// A moment the way the reader writes it, in local time: `3. december 2026 09:40`.
pub fn long_time(at: chrono::DateTime<chrono::Utc>, lang: Lang) -> String {
    let local = at.with_timezone(&chrono::Local);
    format!("{} {}", long_date(local.date_naive(), lang), local.format("%H:%M"))
}

/// Today in local time: the default as-of date.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t() -> &'static CaseTexts {
        Lang::Da.texts().case
    }

    #[test]
    fn an_error_is_linked_to_its_field_and_listed_in_the_summary() {
        let mut input = Submitted::new();
        input.insert("start".into(), "31-02-2013".into());
        let mut problems = Problems::default();
        assert!(date(&input, "start", &mut problems, t()).is_none());
        let form = FormView::new("f", "/x", "Legend", t())
            .with_input(Some(&input))
            .text("start", "Startdato", "")
            .hint("ÅÅÅÅ-MM-DD")
            .problems(&problems, None);
        let field = &form.fields[0];
        assert_eq!(field.value, "31-02-2013", "the input is kept");
        assert_eq!(field.described_by(), "f-start-hint f-start-error");
        assert!(field.error.as_deref().unwrap().contains("ikke en gyldig dato"));
        assert_eq!(form.summary[0].target, "f-start");
        assert!(form.summary[0].text.starts_with("Startdato: "));
    }

    #[test]
    fn a_warning_adds_a_confirmation_checkbox() {
        let problems = Problems { errors: vec![], warning: Some(("cpr", "modulus 11".into())) };
        let form = FormView::new("f", "/x", "L", t())
            .text("cpr", "CPR", "")
            .problems(&problems, Some(("bekraeft", "OK")));
        assert_eq!(form.warning.as_deref(), Some("modulus 11"));
        let confirm = form.fields.iter().find(|f| f.name == "bekraeft").unwrap();
        assert_eq!(confirm.kind, "checkbox");
        assert!(!confirm.checked());
    }

    #[test]
    fn dates_are_written_in_the_reader_s_language() {
        let day = NaiveDate::from_ymd_opt(2013, 5, 1).unwrap();
        assert_eq!(long_date(day, Lang::Da), "1. maj 2013");
        assert_eq!(long_date(day, Lang::En), "1 May 2013");
    }
}

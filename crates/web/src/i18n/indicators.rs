//! The words of the indicators page, one struct per language (`indicators_da.rs`,
//! `indicators_en.rs`).

use sikkerby_store::indicators::{DeliveryError, DeliveryProblem};

/// The strings of `/indikatorer`.
#[derive(Debug)]
pub struct IndicatorTexts {
    pub nav: &'static str,
    pub title: &'static str,
    pub intro: &'static str,
    pub year_legend: &'static str,
    pub year_label: &'static str,
    pub show: &'static str,
    pub pending_notice: &'static str,
    pub pending_link: &'static str,
    pub caption: &'static str,
    pub col_criterion: &'static str,
    pub col_indicator: &'static str,
    pub col_value: &'static str,
    pub col_narrative: &'static str,
    pub col_entered: &'static str,
    pub col_status: &'static str,
    pub none_yet: &'static str,
    pub status_pending: &'static str,
    pub status_approved_by: &'static str,
    pub status_sent_back_by: &'static str,
    pub own_entry_note: &'static str,
    pub approve_button: &'static str,
    pub comment_label: &'static str,
    pub send_back_button: &'static str,
    pub correct_link: &'static str,
    pub assessment_legend: &'static str,
    pub deliverable_legend: &'static str,
    pub delivery_legend: &'static str,
    pub correct_legend: &'static str,
    pub correct_title: &'static str,
    pub fld_criterion: &'static str,
    pub fld_year: &'static str,
    pub fld_indicator: &'static str,
    pub fld_number: &'static str,
    pub number_hint: &'static str,
    pub fld_baseline: &'static str,
    pub fld_direction: &'static str,
    pub direction_up: &'static str,
    pub direction_down: &'static str,
    pub fld_assessment: &'static str,
    pub assessment_met: &'static str,
    pub assessment_partly: &'static str,
    pub assessment_not_met: &'static str,
    pub fld_due: &'static str,
    pub fld_delivered: &'static str,
    pub date_hint: &'static str,
    pub fld_narrative: &'static str,
    pub fld_file: &'static str,
    pub file_hint: &'static str,
    pub choose: &'static str,
    pub save: &'static str,
    pub upload: &'static str,
    pub saved: &'static str,
    pub errors_heading: &'static str,
    pub msg_number: &'static str,
    pub msg_no_file: &'static str,
    pub msg_comment: &'static str,
    pub file_refused: &'static str,
    pub line: &'static str,
    pub column: &'static str,
    pub baseline_short: &'static str,
    pub due_short: &'static str,
    pub delivered_short: &'static str,
    pub not_delivered: &'static str,
    pub p_empty: &'static str,
    pub p_too_many: &'static str,
    pub p_unknown_column: &'static str,
    pub p_column_twice: &'static str,
    pub p_missing_column: &'static str,
    pub p_unreadable: &'static str,
    pub p_width: &'static str,
    pub p_required: &'static str,
    pub p_too_long: &'static str,
    pub p_not_a_number: &'static str,
    pub p_direction: &'static str,
    pub p_repeated: &'static str,
}

impl IndicatorTexts {
    /// What is wrong with a line of a delivery file, in these words (`{}` stands for a number
    /// or the value at fault).
    pub fn problem(&self, problem: &DeliveryProblem) -> String {
        let with = |text: &str, value: &str| text.replace("{}", value);
        match problem {
            DeliveryProblem::Empty => self.p_empty.to_owned(),
            DeliveryProblem::TooManyRows { max } => with(self.p_too_many, &max.to_string()),
            DeliveryProblem::UnknownColumn => {
                with(self.p_unknown_column, "indikator, tal, basisaar_tal, retning")
            }
            DeliveryProblem::ColumnTwice => self.p_column_twice.to_owned(),
            DeliveryProblem::MissingColumn => self.p_missing_column.to_owned(),
            DeliveryProblem::Unreadable => self.p_unreadable.to_owned(),
            DeliveryProblem::Width { found, expected } => self
                .p_width
                .replace("{found}", &found.to_string())
                .replace("{expected}", &expected.to_string()),
            DeliveryProblem::Required => self.p_required.to_owned(),
            DeliveryProblem::TooLong { max } => with(self.p_too_long, &max.to_string()),
            DeliveryProblem::NotANumber { value } => with(self.p_not_a_number, value),
            DeliveryProblem::Direction { value } => with(self.p_direction, value),
            DeliveryProblem::Repeated { line } => with(self.p_repeated, &line.to_string()),
        }
    }

    /// A refused line: `ny_start.csv, linje 3, kolonne tal: …`.
    pub fn refused_line(&self, file: &str, error: &DeliveryError) -> String {
        let place = match &error.column {
            Some(column) => format!("{file}, {} {}, {} {column}", self.line, error.line, self.column),
            None => format!("{file}, {} {}", self.line, error.line),
        };
        format!("{place}: {}", self.problem(&error.problem))
    }
}

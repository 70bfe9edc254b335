//! The words and texts the PDF and the HTML print, shared so the two show the same: Danish
//! status words (never colour alone), figures with `<5` for withheld ones, index categories.

use crate::format;
use crate::model::{CriterionRow, Figure, Measure};
use crate::period::ReportKind;
use rust_decimal::Decimal;
use sikkerby_domain::budget::BudgetCell;
use sikkerby_domain::engine::Status;

/// The footnote under every table with a withheld figure: what `<5` and `·` mean.
pub fn suppression_note(threshold: u64) -> String {
    format!(
        "«<{threshold}»: tal under {threshold} er skjult af hensyn til diskretion; «·»: tal skjult \
         for at et lille tal andetsteds ikke kan regnes ud"
    )
}

/// Shown where actual spend is not recorded.
pub const NOT_RECORDED: &str = "ikke registreret";

/// Shown where the safety index is not available.
pub const INDEX_UNAVAILABLE: &str = "ikke tilgængelig";

/// Sikker By's goal 1, in the memo's words.
pub const GOAL_TEXT: &str = "Sikker By mål 1: Antallet af områder med behov for markant eller \
    intensiveret indsats skal falde med mindst 50 procent senest i 2014.";

/// The line under the title: what the period is and the as-of date of the figures.
pub fn period_line(report: &crate::model::Report) -> String {
    let p = &report.period;
    let span = format!("{}–{}", format::date(p.from), format::date(p.to));
    let as_of = format::date(report.as_of);
    match report.kind {
        ReportKind::Annual => format!("Periode {span} · opgjort pr. {as_of}"),
        ReportKind::HalfYear => {
            let half = if chrono::Datelike::month(&p.from) <= 6 { 1 } else { 2 };
            format!("{half}. halvår {} ({span}) · opgjort pr. {as_of}", p.year())
        }
        ReportKind::Quarter => {
            let quarter = (chrono::Datelike::month(&p.from) - 1) / 3 + 1;
            format!(
                "{quarter}. kvartal {} ({span}) · succeskriterier for {} opgjort pr. {as_of}",
                p.year(),
                p.year()
            )
        }
    }
}

/// The Danish words for a status: the one wording of the web pages (`web::i18n`, Danish), the
/// PDF, the HTML report, the XLSX and the report diff. A withheld status names no threshold (k
/// is a setting).
pub const fn status_word(status: Status) -> &'static str {
    match status {
        Status::Met => "Opfyldt",
        Status::NotMet => "Ikke opfyldt",
        Status::OnTrack => "På vej mod målet",
        Status::OffTrack => "Ikke på vej mod målet",
        Status::Pending => "Afventer opfølgning",
        Status::NoData => "Ingen data",
        Status::Assessed => "Vurderet",
        Status::Withheld => "Skjult (for få i gruppen)",
    }
}

/// A colour that goes with the status word (the word is always printed beside it).
pub fn status_colour(status: Status) -> &'static str {
    match status {
        Status::Met | Status::OnTrack => "#1b7a3a",
        Status::NotMet => "#b3261e",
        Status::OffTrack => "#a65c00",
        Status::Pending | Status::NoData | Status::Assessed | Status::Withheld => "#555555",
    }
}

/// The label of a withheld count.
pub fn suppressed_label(threshold: u64) -> String {
    format!("<{threshold}")
}

/// A figure as text: a share as a percentage, a count whole, a mean with one decimal.
pub fn figure(value: Figure, measure: Measure, threshold: u64) -> String {
    match value {
        Figure::Value(v) if measure == Measure::Share => format::percent(v),
        Figure::Value(v) => format::count_or_mean(v),
        Figure::Suppressed(mark) => mark.label(threshold),
        Figure::Missing => "–".to_owned(),
    }
}

/// A count (numerator, denominator, unknown) as text.
pub fn count(value: Figure, threshold: u64) -> String {
    figure(value, Measure::Count, threshold)
}

/// The criterion's value with its measure.
pub fn value(row: &CriterionRow, threshold: u64) -> String {
    figure(row.value, row.measure, threshold)
}

/// `37 af 60` for a share; empty otherwise.
pub fn fraction(row: &CriterionRow, threshold: u64) -> String {
    if row.measure != Measure::Share {
        return String::new();
    }
    format!("{} af {}", count(row.numerator, threshold), count(row.denominator, threshold))
}

/// The target: `≥ 50,0 %`, `≥ 100`, `25 ± 20 %`.
pub fn target(row: &CriterionRow) -> String {
    if row.is_goal {
        return row.target.map_or("–".to_owned(), |t| format!("≤ {} af basisåret", format::percent(t)));
    }
    match (row.target, row.measure) {
        (Some(t), Measure::Share) => format!("≥ {}", format::percent(t)),
        (Some(t), Measure::Mean) => format!("ca. {}", format::count_or_mean(t)),
        (Some(t), _) => format!("≥ {}", format::count_or_mean(t)),
        (None, _) => "–".to_owned(),
    }
}

/// The Wilson interval: `49,0–73,3 %`.
pub fn interval(row: &CriterionRow) -> String {
    match row.interval {
        Some([lo, hi]) => format!("{}–{} %", format::number(lo * 100.0, 1), format::number(hi * 100.0, 1)),
        None => String::new(),
    }
}

/// A budget cell in millions: `1,7`, empty for no allocation, `-` for ended funding.
pub fn budget_cell(cell: BudgetCell) -> String {
    match cell {
        BudgetCell::Amount(a) => format::decimal_short(a),
        BudgetCell::NoAllocation => String::new(),
        BudgetCell::FundingEnded => "-".to_owned(),
    }
}

/// Actual spend in millions, or "ikke registreret".
pub fn actual(value: Option<Decimal>) -> String {
    value.map_or_else(|| NOT_RECORDED.to_owned(), format::decimal_short)
}

/// A cost per person in kroner, or a dash.
pub fn cost(value: Option<Decimal>) -> String {
    value.map_or_else(|| "–".to_owned(), format::kroner)
}

/// The Danish name of an index category.
pub fn category(code: &str) -> String {
    match code {
        "tryg" => "tryg".to_owned(),
        "behov_for_indsats" => "behov for indsats".to_owned(),
        "markant" => "markant indsats".to_owned(),
        "intensiveret" => "intensiveret indsats".to_owned(),
        other => other.replace('_', " "),
    }
}

/// The name of a district id (`broenshoej_husum` → `Brønshøj-Husum`).
pub fn district(id: &str) -> String {
    let name = match id {
        "indre_by" => "Indre By",
        "christianshavn" => "Christianshavn",
        "oesterbro" => "Østerbro",
        "noerrebro" => "Nørrebro",
        "vesterbro" => "Vesterbro",
        "kongens_enghave" => "Kongens Enghave",
        "valby" => "Valby",
        "vanloese" => "Vanløse",
        "broenshoej_husum" => "Brønshøj-Husum",
        "bispebjerg" => "Bispebjerg",
        "amager_oest" => "Amager Øst",
        "amager_vest" => "Amager Vest",
        other => other,
    };
    name.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_a_danish_word() {
        let all = [
            (Status::Met, "Opfyldt"),
            (Status::NotMet, "Ikke opfyldt"),
            (Status::OnTrack, "På vej mod målet"),
            (Status::OffTrack, "Ikke på vej mod målet"),
            (Status::Pending, "Afventer opfølgning"),
            (Status::NoData, "Ingen data"),
            (Status::Assessed, "Vurderet"),
        ];
        for (status, word) in all {
            assert_eq!(status_word(status), word);
        }
    }

    #[test]
    fn a_withheld_figure_reads_as_below_the_threshold() {
        assert_eq!(
            figure(Figure::Suppressed(sikkerby_domain::publish::Mark::Small), Measure::Share, 5),
            "<5"
        );
        assert_eq!(figure(Figure::Value(0.25), Measure::Share, 5), "25,0 %");
        assert_eq!(figure(Figure::Value(1234.0), Measure::Count, 5), "1.234");
        assert_eq!(actual(None), "ikke registreret");
    }
}

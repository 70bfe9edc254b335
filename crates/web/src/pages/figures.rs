//! Criterion figures as the results pages show them: a status in words with an icon (never
//! colour alone), shares as percentages, counts, means, targets, Wilson intervals, and withheld
//! cells as `<5` (counts) or "skjult" (shares) with a footnote.

use crate::i18n::Lang;
use sikkerby_domain::criteria::{CriterionDefinition, CriterionKind};
use sikkerby_domain::engine::{CriterionResult, GroupResult, Status};

/// A status as shown: its code (the CSS class), the words and an icon.
#[derive(Debug, Clone)]
pub(super) struct StatusView {
    pub code: &'static str,
    pub word: &'static str,
    pub icon: &'static str,
}

pub(super) fn status_view(status: Status, lang: Lang) -> StatusView {
    let icon = match status {
        Status::Met => "✓",
        Status::NotMet => "✗",
        Status::OnTrack => "↗",
        Status::OffTrack => "↘",
        Status::Pending => "…",
        Status::NoData => "–",
        Status::Assessed => "✎",
    };
    StatusView { code: status.code(), word: lang.texts().res.status(status), icon }
}

/// How a criterion's value reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Scale {
    Share,
    Count,
    Mean,
}

impl Scale {
    pub fn of(definition: Option<&CriterionDefinition>) -> Self {
        match definition.map(|d| d.kind) {
            Some(CriterionKind::ShareAtLeast) => Scale::Share,
            Some(CriterionKind::MeanWithinBand) => Scale::Mean,
            _ => Scale::Count,
        }
    }
}

/// A decimal with one digit in the reader's notation.
fn one_decimal(v: f64, lang: Lang) -> String {
    let text = format!("{v:.1}");
    match lang {
        Lang::Da => text.replace('.', ","),
        Lang::En => text,
    }
}

/// A value on its scale: `41,7 %`, `12`, `23,4`.
pub(super) fn number(v: f64, scale: Scale, lang: Lang) -> String {
    match scale {
        Scale::Share => format!("{} %", one_decimal(v * 100.0, lang)),
        Scale::Count if v.fract() == 0.0 => format!("{v:.0}"),
        _ => one_decimal(v, lang),
    }
}

/// A cell: its text, and whether it was withheld (then it carries the footnote mark).
#[derive(Debug, Clone, Default)]
pub(super) struct Shown {
    pub text: String,
    pub withheld: bool,
}

impl Shown {
    fn of(value: Option<String>, withheld: bool, label: &str) -> Self {
        match (value, withheld) {
            (_, true) => Shown { text: label.to_owned(), withheld: true },
            (Some(text), false) => Shown { text, withheld: false },
            (None, false) => Shown::default(),
        }
    }
}

/// The figures of a criterion or of one group of its drill-down.
#[derive(Debug, Clone, Default)]
pub(super) struct Figures {
    pub value: Shown,
    pub numerator: Shown,
    pub denominator: Shown,
    pub unknown: Shown,
    pub interval: String,
    pub share: bool,
}

/// The parts both a result and a group have.
struct Parts<'a> {
    value: Option<f64>,
    numerator: Option<u64>,
    denominator: Option<u64>,
    unknown: u64,
    interval: Option<[f64; 2]>,
    suppressed: &'a [String],
}

fn figures(p: Parts, scale: Scale, lang: Lang, label: &str) -> Figures {
    let hidden = |field: &str| p.suppressed.iter().any(|s| s == field);
    let share = p.denominator.is_some() || scale == Scale::Share;
    let value_label = if share { lang.texts().res.withheld } else { label };
    let count = |v: Option<u64>, field: &str| Shown::of(v.map(|n| n.to_string()), hidden(field), label);
    Figures {
        value: Shown::of(p.value.map(|v| number(v, scale, lang)), hidden("value"), value_label),
        numerator: count(p.numerator, "numerator"),
        denominator: count(p.denominator, "denominator"),
        unknown: if share { count(Some(p.unknown), "unknown") } else { Shown::default() },
        interval: p.interval.map_or_else(String::new, |[lo, hi]| {
            format!("{}–{}", one_decimal(lo * 100.0, lang), number(hi, Scale::Share, lang))
        }),
        share,
    }
}

/// The figures of a criterion.
pub(super) fn of_result(r: &CriterionResult, scale: Scale, lang: Lang, label: &str) -> Figures {
    let parts = Parts {
        value: r.value,
        numerator: r.numerator,
        denominator: r.denominator,
        unknown: r.unknown,
        interval: r.interval,
        suppressed: &r.suppressed,
    };
    figures(parts, scale, lang, label)
}

/// The figures of one group of a drill-down.
pub(super) fn of_group(g: &GroupResult, scale: Scale, lang: Lang, label: &str) -> Figures {
    let parts = Parts {
        value: g.value,
        numerator: g.numerator,
        denominator: g.denominator,
        unknown: g.unknown,
        interval: g.interval,
        suppressed: &g.suppressed,
    };
    figures(parts, scale, lang, label)
}

/// The target: `≥ 50 %`, `≥ 600`, `25 ± 20 %`; empty where the criterion has none.
pub(super) fn target(definition: Option<&CriterionDefinition>, year: i32, lang: Lang) -> String {
    let Some(d) = definition else { return String::new() };
    let Some(t) = d.target_for(year) else { return String::new() };
    let Some(value) = t.value else { return String::new() };
    let hundred = rust_decimal::Decimal::ONE_HUNDRED;
    match d.kind {
        CriterionKind::ShareAtLeast => format!("≥ {} %", lang.decimal(value * hundred)),
        CriterionKind::MeanWithinBand => match t.band {
            Some(band) => format!("{} ± {} %", lang.decimal(value), lang.decimal(band * hundred)),
            None => format!("≈ {}", lang.decimal(value)),
        },
        _ => format!("≥ {}", lang.decimal(value)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_counts_and_means_read_in_the_reader_s_notation() {
        assert_eq!(number(0.4166, Scale::Share, Lang::Da), "41,7 %");
        assert_eq!(number(0.5, Scale::Share, Lang::En), "50.0 %");
        assert_eq!(number(12.0, Scale::Count, Lang::Da), "12");
        assert_eq!(number(23.44, Scale::Mean, Lang::Da), "23,4");
    }

    #[test]
    fn a_withheld_count_shows_the_label_and_a_withheld_share_says_so() {
        let suppressed = vec!["value".to_owned(), "numerator".to_owned()];
        let parts = Parts {
            value: None,
            numerator: None,
            denominator: Some(12),
            unknown: 0,
            interval: None,
            suppressed: &suppressed,
        };
        let f = figures(parts, Scale::Share, Lang::Da, "<5");
        assert_eq!(f.numerator.text, "<5");
        assert!(f.numerator.withheld);
        assert_eq!(f.value.text, "skjult");
        assert_eq!(f.denominator.text, "12");
    }
}

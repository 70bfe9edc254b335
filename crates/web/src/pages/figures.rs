//! Criterion figures as the results pages show them: a status in words with an icon (never
//! colour alone), shares as percentages, counts, means, targets, Wilson intervals, and withheld
//! cells as `<5` (a small count), `·` (hidden to protect a small count elsewhere) or "skjult"
//! (shares) with a footnote.

use crate::i18n::Lang;
use sikkerby_domain::criteria::{CriterionDefinition, CriterionKind};
use sikkerby_domain::engine::Status;
use sikkerby_domain::publish::{Cell, PublishedGroup, PublishedResult};

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
        Status::Withheld => "·",
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
    /// The cell in a table download: a withheld cell keeps its mark and is marked as withheld.
    pub fn table_cell(&self) -> sikkerby_reports::table::TableCell {
        use sikkerby_reports::table::TableCell;
        if self.withheld {
            TableCell::Withheld(self.text.clone())
        } else {
            TableCell::Figure(self.text.clone())
        }
    }

    /// A published cell: its value as text, `<5` for a small count, `·` for a cell hidden to
    /// protect one, nothing when absent.
    pub fn of<T: Copy>(cell: Cell<T>, threshold: u64, text: impl Fn(T) -> String) -> Self {
        match cell {
            Cell::Shown(v) => Shown { text: text(v), withheld: false },
            Cell::Withheld(mark) => Shown { text: mark.label(threshold), withheld: true },
            Cell::Absent => Shown::default(),
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
struct Parts {
    value: Cell<f64>,
    numerator: Cell<u64>,
    denominator: Cell<u64>,
    unknown: Cell<u64>,
    interval: Cell<[f64; 2]>,
}

fn figures(p: Parts, scale: Scale, lang: Lang, threshold: u64) -> Figures {
    let share = p.denominator != Cell::Absent || scale == Scale::Share;
    let count = |c: Cell<u64>| Shown::of(c, threshold, |n| lang.integer(n));
    let mut value = Shown::of(p.value, threshold, |v| number(v, scale, lang));
    // A withheld share is not a count: it reads "hidden", its mark's meaning in the legend.
    if share && value.withheld {
        value.text = lang.texts().res.withheld.to_owned();
    }
    Figures {
        value,
        numerator: count(p.numerator),
        denominator: count(p.denominator),
        unknown: if share { count(p.unknown) } else { Shown::default() },
        interval: p.interval.shown().map_or_else(String::new, |[lo, hi]| {
            format!("{}–{}", one_decimal(lo * 100.0, lang), number(hi, Scale::Share, lang))
        }),
        share,
    }
}

/// The figures of a criterion.
pub(super) fn of_result(r: &PublishedResult, scale: Scale, lang: Lang, threshold: u64) -> Figures {
    let parts = Parts {
        value: r.value,
        numerator: r.numerator,
        denominator: r.denominator,
        unknown: r.unknown,
        interval: r.interval,
    };
    figures(parts, scale, lang, threshold)
}

/// The figures of one group of a drill-down.
pub(super) fn of_group(g: &PublishedGroup, scale: Scale, lang: Lang, threshold: u64) -> Figures {
    let parts = Parts {
        value: g.value,
        numerator: g.numerator,
        denominator: g.denominator,
        unknown: g.unknown,
        interval: g.interval,
    };
    figures(parts, scale, lang, threshold)
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
    use sikkerby_domain::publish::Mark;

    #[test]
    fn shares_counts_and_means_read_in_the_reader_s_notation() {
        assert_eq!(number(0.4166, Scale::Share, Lang::Da), "41,7 %");
        assert_eq!(number(0.5, Scale::Share, Lang::En), "50.0 %");
        assert_eq!(number(12.0, Scale::Count, Lang::Da), "12");
        assert_eq!(number(23.44, Scale::Mean, Lang::Da), "23,4");
    }

    #[test]
    fn a_small_count_shows_its_label_a_protecting_one_a_dot_and_a_withheld_share_says_so() {
        let parts = Parts {
            value: Cell::Withheld(Mark::Small),
            numerator: Cell::Withheld(Mark::Small),
            denominator: Cell::Withheld(Mark::Protects),
            unknown: Cell::Shown(0),
            interval: Cell::Withheld(Mark::Small),
        };
        let f = figures(parts, Scale::Share, Lang::Da, 5);
        assert_eq!(f.numerator.text, "<5");
        assert!(f.numerator.withheld);
        assert_eq!(f.denominator.text, "·");
        assert_eq!(f.value.text, "skjult");
        assert_eq!(f.unknown.text, "0");
        assert_eq!(f.interval, "");
    }
}

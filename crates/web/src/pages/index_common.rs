//! What the safety-index pages share: numbers in the reader's notation, the category legend, and
//! the order the district tiles are laid out in.

use super::index_svg::swatch;
use crate::i18n::Lang;
use sikkerby_domain::safety_index::Category;

/// A number with `digits` decimals in the reader's notation: `121,4` / `121.4`.
pub(super) fn decimal(value: f64, digits: usize, lang: Lang) -> String {
    let text = format!("{value:.digits$}");
    match lang {
        Lang::Da => text.replace('.', ","),
        Lang::En => text,
    }
}

/// An optional number, empty when missing.
pub(super) fn maybe(value: Option<f64>, digits: usize, lang: Lang) -> String {
    value.map_or_else(String::new, |v| decimal(v, digits, lang))
}

/// A share as a percentage with one decimal: `12,3 %`.
pub(super) fn percent(value: Option<f64>, lang: Lang) -> String {
    value.map_or_else(String::new, |v| format!("{} %", decimal(v * 100.0, 1, lang)))
}

/// An interval `lo–hi`, empty when missing.
pub(super) fn interval(value: Option<[f64; 2]>, digits: usize, lang: Lang) -> String {
    value.map_or_else(String::new, |[lo, hi]| {
        format!("{}–{}", decimal(lo, digits, lang), decimal(hi, digits, lang))
    })
}

/// A category in words as a table cell shows it: "(uncertain)" after it where it is.
pub(super) fn category_cell(words: &str, uncertain: bool, lang: Lang) -> String {
    if uncertain {
        format!("{words} ({})", lang.texts().idx.uncertain)
    } else {
        words.to_owned()
    }
}

/// One entry of the category legend: the swatch (SVG) and the words.
pub(super) struct LegendItem {
    pub swatch: String,
    pub words: String,
}

/// The legend of the four categories, safest first.
pub(super) fn legend(lang: Lang) -> Vec<LegendItem> {
    let t = lang.texts().idx;
    Category::ALL
        .into_iter()
        .map(|c| {
            let words = format!("{} ({})", t.category(Some(c)), t.pattern(c));
            LegendItem { swatch: swatch(c, &words), words }
        })
        .collect()
}

/// The districts roughly as they lie on the map, north-west first, four to a row.
pub(super) const DISTRICT_ORDER: [&str; 12] = [
    "broenshoej_husum",
    "bispebjerg",
    "noerrebro",
    "oesterbro",
    "vanloese",
    "vesterbro",
    "indre_by",
    "christianshavn",
    "valby",
    "kongens_enghave",
    "amager_vest",
    "amager_oest",
];

/// The position of a district in [`DISTRICT_ORDER`]; unknown ones last, by id.
pub(super) fn district_rank(id: &str) -> usize {
    DISTRICT_ORDER.iter().position(|d| *d == id).unwrap_or(DISTRICT_ORDER.len())
}

/// The href of an area's page.
pub(super) fn area_href(id: &str) -> String {
    // Area ids are letters, digits, `_`, `-` and `.` (the import checks), so they need no escaping.
    format!("/omraader/{id}")
}

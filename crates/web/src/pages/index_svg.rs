//! The safety-index pictures that are not trends, as inline SVG (see [`crate::charts`] for the
//! conventions): the tile grid of the 12 districts and the category swatches. An area's T over
//! the years and the goal's count per year are trends and are drawn by the one trend chart
//! (`sikkerby_reports::chart`). Categories are told apart by pattern and by words, never by
//! colour alone; every mark has a `<title>`.

use crate::charts::escape;
use sikkerby_domain::safety_index::Category;
use std::fmt::Write;

/// The fill of a category: a pattern of [`pattern_defs`] with the same `suffix`.
pub(super) fn fill(category: Option<Category>, suffix: &str) -> String {
    match category {
        Some(c) => format!("url(#p-{}{suffix})", c.code()),
        None => "#e5e7eb".to_owned(),
    }
}

/// The four category patterns: white; yellow with dots; orange with diagonal lines; red with
/// cross-hatching. `suffix` keeps the ids of several SVGs on one page apart.
pub(super) fn pattern_defs(suffix: &str) -> String {
    let pattern = |code: &str, background: &str, marks: &str| {
        format!(
            "<pattern id=\"p-{code}{suffix}\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\">\
             <rect width=\"8\" height=\"8\" fill=\"{background}\"/>{marks}</pattern>"
        )
    };
    let lines = "stroke=\"#1d2327\" stroke-width=\"1.2\"";
    format!(
        "<defs>{}{}{}{}</defs>",
        pattern("tryg", "#ffffff", ""),
        pattern("behov_for_indsats", "#fde68a", "<circle cx=\"4\" cy=\"4\" r=\"1.4\" fill=\"#1d2327\"/>"),
        pattern("markant", "#f6ad55", &format!("<path d=\"M-2,2 L2,-2 M0,8 L8,0 M6,10 L10,6\" {lines}/>")),
        pattern("intensiveret", "#e57373", &format!("<path d=\"M0,8 L8,0 M0,0 L8,8\" {lines}/>")),
    )
}

/// A small swatch of a category's pattern, for legends.
pub(super) fn swatch(category: Category, label: &str) -> String {
    let suffix = format!("-s-{}", category.code());
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"36\" height=\"20\" viewBox=\"0 0 36 20\" \
         role=\"img\" aria-label=\"{0}\"><title>{0}</title>{1}<rect x=\"0.5\" y=\"0.5\" width=\"35\" \
         height=\"19\" fill=\"{2}\" stroke=\"#1d2327\"/></svg>",
        escape(label),
        pattern_defs(&suffix),
        fill(Some(category), &suffix)
    )
}

/// Opens the tile grid. Its role is `group`, not `img`: an image's children are presentational,
/// so the tiles' links inside it would be hidden from a screen reader.
fn open_svg(label: &str, width: f64, height: f64) -> String {
    let label = escape(label);
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"group\" aria-label=\"{label}\" \
         width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\"><title>{label}</title>{}",
        pattern_defs("")
    )
}

/// One district tile: its name, its category in words, the words a screen reader reads, and
/// where a click on it leads (the district's areas below the map).
pub(super) struct Tile {
    pub name: String,
    pub href: String,
    pub category: Option<Category>,
    pub words: String,
    pub detail: String,
}

const TILE_W: f64 = 200.0;
const TILE_H: f64 = 96.0;
const GAP: f64 = 8.0;

/// The districts as a 4 × 3 grid of tiles, in the order given (north-west first).
pub(super) fn tile_grid(label: &str, tiles: &[Tile]) -> String {
    let rows = tiles.len().div_ceil(4).max(1);
    let width = 4.0 * (TILE_W + GAP) + GAP;
    let height = rows as f64 * (TILE_H + GAP) + GAP;
    let mut svg = open_svg(label, width, height);
    for (i, tile) in tiles.iter().enumerate() {
        let x = GAP + (i % 4) as f64 * (TILE_W + GAP);
        let y = GAP + (i / 4) as f64 * (TILE_H + GAP);
        let title = format!("{}: {}. {}", tile.name, tile.words, tile.detail);
        let _ = write!(
            svg,
            "<a href=\"{}\" aria-label=\"{}\"><g class=\"tile\"><title>{}</title>\
             <rect x=\"{x}\" y=\"{y}\" width=\"{TILE_W}\" height=\"{TILE_H}\" fill=\"{}\" stroke=\"#1d2327\"/>\
             <rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"48\" fill=\"#ffffff\" stroke=\"#1d2327\" \
             stroke-width=\"0.5\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"13\" font-weight=\"bold\">{}</text>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\">{}</text></g></a>",
            escape(&tile.href),
            escape(&title),
            escape(&title),
            fill(tile.category, ""),
            x + 6.0,
            y + TILE_H - 54.0,
            TILE_W - 12.0,
            x + 11.0,
            y + TILE_H - 35.0,
            escape(&tile.name),
            x + 11.0,
            y + TILE_H - 16.0,
            escape(&tile.words)
        );
    }
    svg.push_str("</svg>");
    svg
}

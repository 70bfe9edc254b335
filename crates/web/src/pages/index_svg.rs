//! The safety-index charts as inline SVG (see [`crate::charts`] for the conventions): a tile
//! grid of the 12 districts, an area's T over the years with its bootstrap band, and the goal
//! tracker's bars against the target line. Categories are told apart by pattern and by words,
//! never by colour alone; every mark has a `<title>`.

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

fn open_svg(label: &str, width: f64, height: f64) -> String {
    let label = escape(label);
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" aria-label=\"{label}\" \
         width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\"><title>{label}</title>{}",
        pattern_defs("")
    )
}

/// One district tile: its name, its category in words, and the words a screen reader reads.
pub(super) struct Tile {
    pub name: String,
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
            "<g class=\"tile\"><title>{}</title>\
             <rect x=\"{x}\" y=\"{y}\" width=\"{TILE_W}\" height=\"{TILE_H}\" fill=\"{}\" stroke=\"#1d2327\"/>\
             <rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"48\" fill=\"#ffffff\" stroke=\"#1d2327\" \
             stroke-width=\"0.5\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"13\" font-weight=\"bold\">{}</text>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\">{}</text></g>",
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

/// One year of an area's T: the value, its interval, and the point's title.
pub(super) struct TPoint {
    pub year: i32,
    pub t: f64,
    pub interval: Option<[f64; 2]>,
    pub title: String,
}

const PLOT_LEFT: f64 = 56.0;
const PLOT_TOP: f64 = 20.0;
const PLOT_W: f64 = 520.0;
const PLOT_H: f64 = 240.0;

fn y_of(value: f64, top: f64) -> f64 {
    PLOT_TOP + PLOT_H - value / top * PLOT_H
}

/// The y axis top: a multiple of 50 above every value and the reference lines.
fn axis_top(values: impl Iterator<Item = f64>) -> f64 {
    let max = values.fold(160.0_f64, f64::max);
    (max / 50.0).ceil() * 50.0
}

fn grid(svg: &mut String, top: f64, step: f64, decimal: &impl Fn(f64) -> String) {
    svg.push_str("<g class=\"grid\" aria-hidden=\"true\">");
    let mut tick = 0.0;
    while tick <= top + 1e-9 {
        let y = y_of(tick, top);
        let _ = write!(
            svg,
            "<line x1=\"{PLOT_LEFT}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#d5dadf\"/>\
             <text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"12\">{}</text>",
            PLOT_LEFT + PLOT_W,
            PLOT_LEFT - 6.0,
            y + 4.0,
            escape(&decimal(tick))
        );
        tick += step;
    }
    svg.push_str("</g>");
}

/// T over the years with the bootstrap band, and dashed lines at the cut points (named).
pub(super) fn t_chart(label: &str, points: &[TPoint], cuts: &[(f64, String)], band: &str) -> String {
    let highs = points.iter().map(|p| p.interval.map_or(p.t, |i| i[1]).max(p.t));
    let top = axis_top(highs.chain(cuts.iter().map(|c| c.0)));
    let mut svg = open_svg(label, PLOT_LEFT + PLOT_W + 210.0, PLOT_TOP + PLOT_H + 40.0);
    let decimal = |v: f64| format!("{v:.0}");
    grid(&mut svg, top, if top > 300.0 { 100.0 } else { 50.0 }, &decimal);
    let slot = PLOT_W / points.len().max(1) as f64;
    let x = |i: usize| PLOT_LEFT + slot * (i as f64 + 0.5);
    band_polygon(&mut svg, points, &x, top, band);
    cut_lines(&mut svg, cuts, top);
    let line: Vec<String> =
        points.iter().enumerate().map(|(i, p)| format!("{:.1},{:.1}", x(i), y_of(p.t, top))).collect();
    let _ = write!(
        svg,
        "<polyline points=\"{}\" fill=\"none\" stroke=\"#0b5fa5\" stroke-width=\"2.5\"/>",
        line.join(" ")
    );
    for (i, p) in points.iter().enumerate() {
        let _ = write!(
            svg,
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"5\" fill=\"#0b5fa5\"><title>{}</title></circle>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"12\">{}</text>",
            x(i),
            y_of(p.t, top),
            escape(&p.title),
            x(i),
            PLOT_TOP + PLOT_H + 18.0,
            p.year
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The bootstrap band: upper bounds left to right, then lower bounds back.
fn band_polygon(svg: &mut String, points: &[TPoint], x: &impl Fn(usize) -> f64, top: f64, band: &str) {
    let with_band: Vec<(usize, [f64; 2])> =
        points.iter().enumerate().filter_map(|(i, p)| Some((i, p.interval?))).collect();
    if with_band.is_empty() {
        return;
    }
    let upper = with_band.iter().map(|(i, b)| format!("{:.1},{:.1}", x(*i), y_of(b[1], top)));
    let lower = with_band.iter().rev().map(|(i, b)| format!("{:.1},{:.1}", x(*i), y_of(b[0], top)));
    let all: Vec<String> = upper.chain(lower).collect();
    let _ = write!(
        svg,
        "<polygon points=\"{}\" fill=\"#9ecae1\" fill-opacity=\"0.5\" stroke=\"#4e79a7\" \
         stroke-dasharray=\"2 2\"><title>{}</title></polygon>",
        all.join(" "),
        escape(band)
    );
}

/// Dashed lines at the category cut points, named at the right.
fn cut_lines(svg: &mut String, cuts: &[(f64, String)], top: f64) {
    for (value, name) in cuts {
        let y = y_of(*value, top);
        let _ = write!(
            svg,
            "<line x1=\"{PLOT_LEFT}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#1d2327\" \
             stroke-dasharray=\"6 4\"/><text x=\"{}\" y=\"{:.1}\" font-size=\"11\">{}</text>",
            PLOT_LEFT + PLOT_W,
            PLOT_LEFT + PLOT_W + 6.0,
            y + 4.0,
            escape(name)
        );
    }
}

/// One year of the goal tracker.
pub(super) struct GoalBar {
    pub year: i32,
    pub count: usize,
    pub title: String,
}

/// Bars of the yearly counts with a dashed target line (`target` areas) labelled `target_label`.
pub(super) fn goal_chart(label: &str, bars: &[GoalBar], target: f64, target_label: &str) -> String {
    let max = bars.iter().map(|b| b.count as f64).fold(target, f64::max).max(1.0);
    let top = (max * 1.2).ceil().max(2.0);
    let mut svg = open_svg(label, PLOT_LEFT + PLOT_W + 150.0, PLOT_TOP + PLOT_H + 40.0);
    let step = if top > 20.0 {
        5.0
    } else if top > 8.0 {
        2.0
    } else {
        1.0
    };
    grid(&mut svg, top, step, &|v| format!("{v:.0}"));
    let slot = PLOT_W / bars.len().max(1) as f64;
    let width = slot * 0.55;
    for (i, bar) in bars.iter().enumerate() {
        let x = PLOT_LEFT + slot * i as f64 + (slot - width) / 2.0;
        let y = y_of(bar.count as f64, top);
        let _ = write!(
            svg,
            "<g class=\"bar\"><rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{width:.1}\" height=\"{:.1}\" \
             fill=\"url(#p-markant)\" stroke=\"#1d2327\"><title>{}</title></rect>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"bold\">{}</text>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"12\">{}</text></g>",
            PLOT_TOP + PLOT_H - y,
            escape(&bar.title),
            x + width / 2.0,
            y - 6.0,
            bar.count,
            x + width / 2.0,
            PLOT_TOP + PLOT_H + 18.0,
            bar.year
        );
    }
    let y = y_of(target, top);
    let _ = write!(
        svg,
        "<line x1=\"{PLOT_LEFT}\" x2=\"{0}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#a4262c\" stroke-width=\"2\" \
         stroke-dasharray=\"8 4\"><title>{1}</title></line><text x=\"{2}\" y=\"{3:.1}\" font-size=\"12\" \
         fill=\"#a4262c\">{1}</text></svg>",
        PLOT_LEFT + PLOT_W,
        escape(target_label),
        PLOT_LEFT + PLOT_W + 6.0,
        y + 4.0
    );
    svg
}

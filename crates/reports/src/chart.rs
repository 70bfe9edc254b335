//! The one trend chart (docs/formats.md, "Charts"): a figure per year as a line through dots,
//! with the figure written above each dot, the target as a dashed line, and a gap where a year
//! has no figure or a withheld one (a hollow mark on the axis, never a zero). A criterion's trend
//! on the dashboard, an area's safety index T with its bootstrap band and category cut points on
//! the area page, the goal's count of areas on `/maal`, the HTML report and the PDF (through
//! typst's image) all draw their SVG with [`trend_chart`]. The accessible name lists every
//! year's figure in words, so nothing is only in the picture.

use crate::display;
use crate::model::{CriterionRow, IndexOverview, Measure};
use std::fmt::Write;

const WIDTH: f64 = 320.0;
const HEIGHT: f64 = 120.0;
/// A trend with named levels (the index's cut points) needs room between them for their words.
const TALL_HEIGHT: f64 = 200.0;
const TOP: f64 = 20.0;
const BOTTOM: f64 = 22.0;
const SIDE: f64 = 26.0;
const INK: &str = "#0b5fa5";
/// The room a year's figure needs ("41,7 %" at 11 px).
const LABEL_WIDTH: f64 = 44.0;

/// One year of a trend: its value on the chart's scale (a share as 0–1), `None` where there is
/// nothing to draw, the figure as the reader sees it ("41,7 %", "<5", "ingen data"), and an
/// uncertainty band around the value where there is one (the index's bootstrap interval).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChartPoint {
    pub year: i32,
    pub value: Option<f64>,
    pub text: String,
    pub band: Option<[f64; 2]>,
}

/// How the vertical axis runs: a share always from 0 to 100 %, anything else from 0 to a little
/// above the largest value or target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartScale {
    Share,
    Free,
}

/// A trend to draw: `label` names it ("Udvikling pr. år for C4"); `target` is the target's value
/// and its words ("mål ≥ 50 %"); `references` are further named levels drawn as thin dotted
/// lines (the index's category cut points).
#[derive(Debug, Clone)]
pub struct Trend<'a> {
    pub label: &'a str,
    pub points: &'a [ChartPoint],
    pub target: Option<(f64, &'a str)>,
    pub references: &'a [(f64, String)],
    pub scale: ChartScale,
}

/// The chart as an `<svg>` element.
pub fn trend_chart(trend: &Trend) -> String {
    let name = xml_escape(&accessible_name(trend));
    let geometry = Geometry::of(trend);
    let (height, baseline) = (geometry.height, geometry.baseline());
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"trend\" role=\"img\" aria-label=\"{name}\" \
         width=\"{WIDTH}\" height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\" \
         font-family=\"Libertinus Serif, Georgia, serif\" font-size=\"11\"><title>{name}</title>"
    );
    let _ = write!(
        svg,
        "<line x1=\"{SIDE}\" x2=\"{}\" y1=\"{baseline}\" y2=\"{baseline}\" stroke=\"#888\" aria-hidden=\"true\"/>",
        WIDTH - SIDE
    );
    for (value, text) in trend.references {
        reference_line(&mut svg, geometry.y(*value), text);
    }
    write_bands(&mut svg, trend.points, &geometry);
    if let Some((value, text)) = trend.target {
        target_line(&mut svg, geometry.y(value), text);
    }
    write_lines(&mut svg, trend.points, &geometry);
    write_marks(&mut svg, trend.points, &geometry);
    svg.push_str("</svg>");
    svg
}

fn accessible_name(trend: &Trend) -> String {
    let figures: Vec<String> = trend.points.iter().map(|p| format!("{} {}", p.year, p.text)).collect();
    let mut name = format!("{}: {}", trend.label, figures.join("; "));
    if let Some((_, text)) = trend.target {
        let _ = write!(name, " ({text})");
    }
    let levels: Vec<&str> = trend.references.iter().map(|r| r.1.as_str()).collect();
    if !levels.is_empty() {
        let _ = write!(name, "; {}", levels.join(", "));
    }
    name
}

/// Where a year and a value go on the chart.
struct Geometry {
    top_value: f64,
    step: f64,
    count: usize,
    height: f64,
}

impl Geometry {
    fn of(trend: &Trend) -> Geometry {
        let values = trend.points.iter().filter_map(|p| p.value);
        let bands = trend.points.iter().filter_map(|p| p.band.map(|b| b[1]));
        let levels = trend.references.iter().map(|r| r.0).chain(trend.target.map(|(v, _)| v));
        let max = values.chain(bands).chain(levels).fold(0.0_f64, f64::max);
        let top_value = match trend.scale {
            ChartScale::Share => 1.0,
            ChartScale::Free if max > 0.0 => max * 1.15,
            ChartScale::Free => 1.0,
        };
        let count = trend.points.len();
        let step = (WIDTH - 2.0 * SIDE) / (count.max(2) - 1) as f64;
        let height = if trend.references.is_empty() { HEIGHT } else { TALL_HEIGHT };
        Geometry { top_value, step, count, height }
    }

    fn baseline(&self) -> f64 {
        self.height - BOTTOM
    }

    fn x(&self, i: usize) -> f64 {
        if self.count == 1 {
            WIDTH / 2.0
        } else {
            SIDE + self.step * i as f64
        }
    }

    fn y(&self, value: f64) -> f64 {
        self.baseline() - (self.baseline() - TOP) * (value / self.top_value).clamp(0.0, 1.0)
    }
}

/// A line through each run of consecutive years that have a value: a missing year breaks it.
fn write_lines(svg: &mut String, points: &[ChartPoint], g: &Geometry) {
    let mut run: Vec<String> = Vec::new();
    let flush = |run: &mut Vec<String>, svg: &mut String| {
        if run.len() > 1 {
            let _ = write!(
                svg,
                "<polyline fill=\"none\" stroke=\"{INK}\" stroke-width=\"2\" points=\"{}\" aria-hidden=\"true\"/>",
                run.join(" ")
            );
        }
        run.clear();
    };
    for (i, p) in points.iter().enumerate() {
        match p.value {
            Some(v) => run.push(format!("{:.1},{:.1}", g.x(i), g.y(v))),
            None => flush(&mut run, svg),
        }
    }
    flush(&mut run, svg);
}

/// The uncertainty band of each run of consecutive years that have one: upper bounds left to
/// right, then lower bounds back. A year without a band breaks it, as a missing year breaks the
/// line.
fn write_bands(svg: &mut String, points: &[ChartPoint], g: &Geometry) {
    let mut run: Vec<(usize, [f64; 2])> = Vec::new();
    let flush = |run: &mut Vec<(usize, [f64; 2])>, svg: &mut String| {
        if run.len() > 1 {
            let upper = run.iter().map(|(i, b)| format!("{:.1},{:.1}", g.x(*i), g.y(b[1])));
            let lower = run.iter().rev().map(|(i, b)| format!("{:.1},{:.1}", g.x(*i), g.y(b[0])));
            let all: Vec<String> = upper.chain(lower).collect();
            let _ = write!(
                svg,
                "<polygon class=\"band\" points=\"{}\" fill=\"#9ecae1\" fill-opacity=\"0.5\" \
                 aria-hidden=\"true\"/>",
                all.join(" ")
            );
        }
        run.clear();
    };
    for (i, p) in points.iter().enumerate() {
        match p.band.filter(|_| p.value.is_some()) {
            Some(band) => run.push((i, band)),
            None => flush(&mut run, svg),
        }
    }
    flush(&mut run, svg);
}

/// Per year: a dot (or a hollow mark on the axis where there is no figure), the figure above a
/// dot and the year below the axis. Where years stand too close for their words, only every
/// n-th year and the last are written; every figure stays in the marks' titles and the name.
fn write_marks(svg: &mut String, points: &[ChartPoint], g: &Geometry) {
    let every = (LABEL_WIDTH / g.step).ceil().max(1.0) as usize;
    for (i, p) in points.iter().enumerate() {
        let x = g.x(i);
        let labelled = i % every == 0 || i + 1 == points.len();
        let title = xml_escape(&format!("{}: {}", p.year, p.text));
        let (y, mark) = match p.value {
            Some(v) => (g.y(v), format!("fill=\"{INK}\"")),
            None => (g.baseline(), "class=\"missing\" fill=\"#fff\" stroke=\"#5a6670\"".to_owned()),
        };
        let _ = write!(
            svg,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3.5\" {mark}><title>{title}</title></circle>"
        );
        if labelled {
            // A missing year's words ("<5", "ingen data") sit just above its hollow mark.
            let _ = write!(
                svg,
                "<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#222\" aria-hidden=\"true\">{}</text>",
                y - 7.0,
                xml_escape(&p.text)
            );
        }
        if labelled {
            let _ = write!(
                svg,
                "<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#333\" aria-hidden=\"true\">{}</text>",
                g.height - 6.0,
                p.year
            );
        }
    }
}

/// The target as a dashed line, its words at the right end.
fn target_line(svg: &mut String, y: f64, text: &str) {
    let right = WIDTH - SIDE;
    let _ = write!(
        svg,
        "<line class=\"target\" x1=\"{SIDE}\" y1=\"{y:.1}\" x2=\"{right}\" y2=\"{y:.1}\" stroke=\"#b3261e\" \
         stroke-dasharray=\"4 3\"><title>{}</title></line>",
        xml_escape(text)
    );
}

/// A named level as a thin dotted line, its words small at its right end just below the line
/// (the figures above the dots keep the space above lines free).
fn reference_line(svg: &mut String, y: f64, text: &str) {
    let right = WIDTH - SIDE;
    let _ = write!(
        svg,
        "<line class=\"reference\" x1=\"{SIDE}\" y1=\"{y:.1}\" x2=\"{right}\" y2=\"{y:.1}\" stroke=\"#5a6670\" \
         stroke-width=\"0.6\" stroke-dasharray=\"1 2\"><title>{0}</title></line>\
         <text x=\"{right}\" y=\"{1:.1}\" font-size=\"8\" text-anchor=\"end\" fill=\"#333\" aria-hidden=\"true\">{0}</text>",
        xml_escape(text),
        y + 8.0
    );
}

/// Escapes text for XML (SVG and HTML).
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A report row's trend through [`trend_chart`], or `None` when no year has a number to draw
/// or there is only one year.
pub fn trend_svg(row: &CriterionRow, threshold: u64) -> Option<String> {
    let drawable = row.trend.iter().any(|p| p.value.value().is_some());
    if !drawable || row.trend.len() < 2 || row.measure == Measure::Other {
        return None;
    }
    let points: Vec<ChartPoint> = row
        .trend
        .iter()
        .map(|p| ChartPoint {
            year: p.year,
            value: p.value.value(),
            text: display::figure(p.value, row.measure, threshold),
            band: None,
        })
        .collect();
    let target_words = format!("mål {}", display::target(row));
    let trend = Trend {
        label: &format!("Udvikling pr. år for {}", row.id),
        points: &points,
        target: row.target.filter(|_| !row.is_goal).map(|t| (t, target_words.as_str())),
        references: &[],
        scale: if row.measure == Measure::Share { ChartScale::Share } else { ChartScale::Free },
    };
    Some(trend_chart(&trend))
}

/// The goal's count of areas needing marked or intensified effort per year, with the target
/// (half the base year's count) as the dashed line: the picture `/maal` draws too.
pub fn goal_svg(index: &IndexOverview) -> Option<String> {
    let goal = index.c19?;
    if index.goal_years.len() < 2 {
        return None;
    }
    let points: Vec<ChartPoint> = index
        .goal_years
        .iter()
        .map(|g| ChartPoint {
            year: g.year,
            value: Some(g.count as f64),
            text: crate::format::integer(g.count),
            band: None,
        })
        .collect();
    let target = goal.base_count as f64 / 2.0;
    let decimals = if goal.base_count % 2 == 0 { 0 } else { 1 };
    let target_words =
        format!("mål højst {} i {}", crate::format::number(target, decimals), goal.target_year);
    Some(trend_chart(&Trend {
        label: "Områder med behov for markant eller intensiveret indsats pr. år",
        points: &points,
        target: Some((target, target_words.as_str())),
        references: &[],
        scale: ChartScale::Free,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Figure, TrendPoint};
    use sikkerby_domain::engine::Status;

    fn row(trend: Vec<TrendPoint>) -> CriterionRow {
        CriterionRow {
            id: "C2".into(),
            initiative: "SSPPLUS".into(),
            words: "<b>".into(),
            status: Status::Met,
            measure: Measure::Share,
            value: Figure::Value(0.6),
            numerator: Figure::Missing,
            denominator: Figure::Missing,
            unknown: Figure::Missing,
            target: Some(0.5),
            interval: None,
            projection: None,
            trend,
            is_goal: false,
        }
    }

    #[test]
    fn a_report_chart_has_a_dot_per_year_with_a_number_and_a_gap_for_a_withheld_year() {
        let svg = trend_svg(
            &row(vec![
                TrendPoint { year: 2012, value: Figure::Value(0.4) },
                TrendPoint { year: 2013, value: Figure::Suppressed(sikkerby_domain::publish::Mark::Small) },
            ]),
            5,
        )
        .unwrap();
        assert_eq!(svg.matches("<circle").count(), 2);
        assert_eq!(svg.matches("class=\"missing\"").count(), 1, "the withheld year is a hollow mark");
        assert_eq!(svg.matches("<polyline").count(), 0, "no line into a withheld year");
        assert!(svg.contains("40,0 %") && svg.contains("&lt;5") && svg.contains("2013"));
        assert!(svg.contains("stroke-dasharray"), "target line");
    }

    fn point(year: i32, value: Option<f64>, text: &str) -> ChartPoint {
        ChartPoint { year, value, text: text.into(), band: None }
    }

    #[test]
    fn the_trend_names_every_year_and_leaves_a_gap_where_a_figure_is_missing() {
        let points =
            [point(2012, Some(0.4), "40 %"), point(2013, None, "skjult"), point(2014, Some(0.6), "60 %")];
        let trend = Trend {
            label: "Udvikling <C4>",
            points: &points,
            target: Some((0.5, "mål ≥ 50 %")),
            references: &[],
            scale: ChartScale::Share,
        };
        let svg = trend_chart(&trend);
        assert!(svg.contains("role=\"img\""));
        assert!(svg
            .contains("aria-label=\"Udvikling &lt;C4&gt;: 2012 40 %; 2013 skjult; 2014 60 % (mål ≥ 50 %)\""));
        assert_eq!(svg.matches("<polyline").count(), 0, "no two neighbouring years to join");
        assert_eq!(svg.matches("<circle").count(), 3);
        assert!(svg.contains("<title>2013: skjult</title>"));
        assert!(svg.contains("stroke-dasharray"));
    }

    #[test]
    fn a_missing_year_sits_on_the_axis_never_drawn_as_a_zero_value_on_the_line() {
        let points =
            [point(2012, Some(10.0), "10"), point(2013, Some(0.0), "0"), point(2014, None, "ingen data")];
        let svg = trend_chart(&Trend {
            label: "C1",
            points: &points,
            target: None,
            references: &[],
            scale: ChartScale::Free,
        });
        // 2012 and 2013 are joined; the line stops before 2014.
        let line = svg.split("points=\"").nth(1).unwrap().split('"').next().unwrap();
        assert_eq!(line.split(' ').count(), 2, "{line}");
    }

    #[test]
    fn no_chart_without_any_number_or_with_a_single_year() {
        let missing = TrendPoint { year: 2012, value: Figure::Missing };
        assert!(
            trend_svg(&row(vec![missing, TrendPoint { year: 2013, value: Figure::Missing }]), 5).is_none()
        );
        assert!(trend_svg(&row(vec![TrendPoint { year: 2013, value: Figure::Value(0.5) }]), 5).is_none());
    }
}

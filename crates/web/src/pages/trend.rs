//! A criterion's trend over the years as a small inline SVG line chart: one point per year, the
//! target as a dashed line, gaps where a year has no figure or the figure is withheld. The
//! accessible name lists every year's figure in words, so nothing is only in the picture.

use crate::charts::escape;
use std::fmt::Write;

/// One year of a trend.
#[derive(Debug, Clone)]
pub(super) struct Point {
    pub year: i32,
    /// The value on the chart's scale (a share as 0–1), `None` where there is none to draw.
    pub value: Option<f64>,
    /// The figure as text ("41,7 %", "ingen data", "skjult").
    pub text: String,
}

const WIDTH: f64 = 220.0;
const HEIGHT: f64 = 72.0;
const LEFT: f64 = 14.0;
const RIGHT: f64 = 14.0;
const TOP: f64 = 8.0;
const BOTTOM: f64 = 20.0;

/// The chart as an `<svg>` element; `label` names it ("Udvikling pr. år for C4"), `target` is
/// the target's value and text, if any.
pub(super) fn sparkline(label: &str, points: &[Point], target: Option<(f64, &str)>) -> String {
    let figures: Vec<String> = points.iter().map(|p| format!("{} {}", p.year, p.text)).collect();
    let mut name = format!("{label}: {}", figures.join("; "));
    if let Some((_, text)) = target {
        name.push_str(&format!(" ({text})"));
    }
    let name = escape(&name);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"trend\" role=\"img\" aria-label=\"{name}\" \
         width=\"{WIDTH}\" height=\"{HEIGHT}\" viewBox=\"0 0 {WIDTH} {HEIGHT}\"><title>{name}</title>"
    );
    let max = points.iter().filter_map(|p| p.value).chain(target.map(|(v, _)| v)).fold(0.0_f64, f64::max);
    let top = if max > 0.0 { max * 1.1 } else { 1.0 };
    let y = |v: f64| TOP + (HEIGHT - TOP - BOTTOM) * (1.0 - v / top);
    let step = (WIDTH - LEFT - RIGHT) / (points.len().max(2) - 1) as f64;
    let x = |i: usize| if points.len() == 1 { WIDTH / 2.0 } else { LEFT + step * i as f64 };
    let _ = write!(
        svg,
        "<line x1=\"{LEFT}\" x2=\"{}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#ccc\" aria-hidden=\"true\"/>",
        WIDTH - RIGHT,
        y(0.0),
        y(0.0)
    );
    if let Some((value, text)) = target {
        let _ = write!(
            svg,
            "<line class=\"target\" x1=\"{LEFT}\" x2=\"{}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#5a6670\" \
             stroke-dasharray=\"4 3\"><title>{}</title></line>",
            WIDTH - RIGHT,
            y(value),
            y(value),
            escape(text)
        );
    }
    write_lines(&mut svg, points, &x, &y);
    write_marks(&mut svg, points, &x, &y);
    svg.push_str("</svg>");
    svg
}

/// A line through each run of consecutive years that have a value.
fn write_lines(svg: &mut String, points: &[Point], x: &impl Fn(usize) -> f64, y: &impl Fn(f64) -> f64) {
    let mut run: Vec<String> = Vec::new();
    let flush = |run: &mut Vec<String>, svg: &mut String| {
        if run.len() > 1 {
            let _ = write!(
                svg,
                "<polyline fill=\"none\" stroke=\"#0b5fa5\" stroke-width=\"2\" points=\"{}\" aria-hidden=\"true\"/>",
                run.join(" ")
            );
        }
        run.clear();
    };
    for (i, p) in points.iter().enumerate() {
        match p.value {
            Some(v) => run.push(format!("{:.1},{:.1}", x(i), y(v))),
            None => flush(&mut run, svg),
        }
    }
    flush(&mut run, svg);
}

/// A dot per year with a value, a hollow mark per year without; each titled with its figure;
/// the first and last year written under the axis.
fn write_marks(svg: &mut String, points: &[Point], x: &impl Fn(usize) -> f64, y: &impl Fn(f64) -> f64) {
    for (i, p) in points.iter().enumerate() {
        let title = escape(&format!("{}: {}", p.year, p.text));
        let _ = match p.value {
            Some(v) => write!(
                svg,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.5\" fill=\"#0b5fa5\"><title>{title}</title></circle>",
                x(i),
                y(v)
            ),
            None => write!(
                svg,
                "<circle class=\"missing\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.5\" fill=\"#fff\" stroke=\"#5a6670\">\
                 <title>{title}</title></circle>",
                x(i),
                y(0.0)
            ),
        };
        if i == 0 || i + 1 == points.len() {
            let anchor = if points.len() == 1 {
                "middle"
            } else if i == 0 {
                "start"
            } else {
                "end"
            };
            let _ = write!(
                svg,
                "<text x=\"{:.1}\" y=\"{}\" font-size=\"11\" text-anchor=\"{anchor}\" aria-hidden=\"true\">{}</text>",
                if anchor == "middle" { x(i) } else if i == 0 { x(i) - 8.0 } else { x(i) + 8.0 },
                HEIGHT - 4.0,
                p.year
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(year: i32, value: Option<f64>, text: &str) -> Point {
        Point { year, value, text: text.into() }
    }

    #[test]
    fn the_trend_names_every_year_and_leaves_a_gap_where_a_figure_is_missing() {
        let points =
            [point(2012, Some(0.4), "40 %"), point(2013, None, "skjult"), point(2014, Some(0.6), "60 %")];
        let svg = sparkline("Udvikling <C4>", &points, Some((0.5, "mål ≥ 50 %")));
        assert!(svg.contains("role=\"img\""));
        assert!(svg
            .contains("aria-label=\"Udvikling &lt;C4&gt;: 2012 40 %; 2013 skjult; 2014 60 % (mål ≥ 50 %)\""));
        assert_eq!(svg.matches("<polyline").count(), 0, "no two neighbouring years to join");
        assert_eq!(svg.matches("<circle").count(), 3);
        assert!(svg.contains("<title>2013: skjult</title>"));
        assert!(svg.contains("stroke-dasharray"));
    }
}

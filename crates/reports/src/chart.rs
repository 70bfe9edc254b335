//! Trend charts as SVG: one bar per year with its value written above it and the target as a
//! dashed line, so the PDF (through typst's image) and the HTML (inline) show one picture.
//! Withheld years get no bar, only their `<5` label; years without data a dash.

use crate::display;
use crate::model::{CriterionRow, Measure};
use std::fmt::Write;

const WIDTH: f64 = 320.0;
const HEIGHT: f64 = 120.0;
const TOP: f64 = 24.0;
const BOTTOM: f64 = 26.0;
const LEFT: f64 = 10.0;
const BASELINE: f64 = HEIGHT - BOTTOM;

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

/// The trend of a criterion, or `None` when no year has a number to draw.
pub fn trend_svg(row: &CriterionRow, threshold: u64) -> Option<String> {
    let values: Vec<f64> = row.trend.iter().filter_map(|p| p.value.value()).collect();
    if values.is_empty() || row.trend.len() < 2 || row.measure == Measure::Other {
        return None;
    }
    let top_value = match row.measure {
        Measure::Share => 1.0,
        _ => values.iter().copied().chain(row.target).fold(0.0_f64, f64::max) * 1.15,
    };
    let scale = if top_value > 0.0 { (HEIGHT - TOP - BOTTOM) / top_value } else { 0.0 };
    let slot = (WIDTH - 2.0 * LEFT) / row.trend.len() as f64;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\" \
         viewBox=\"0 0 {WIDTH} {HEIGHT}\" font-family=\"Libertinus Serif, Georgia, serif\" font-size=\"11\" \
         role=\"img\" aria-label=\"{}\">",
        xml_escape(&format!("Udvikling for {}", row.id))
    );
    let _ = write!(
        svg,
        "<line x1=\"{LEFT}\" y1=\"{BASELINE}\" x2=\"{}\" y2=\"{BASELINE}\" stroke=\"#444\" stroke-width=\"1\"/>",
        WIDTH - LEFT
    );
    for (i, point) in row.trend.iter().enumerate() {
        let centre = LEFT + slot * (i as f64 + 0.5);
        let label = display::figure(point.value, row.measure, threshold);
        bar(&mut svg, centre, slot, point.value.value().map(|v| (v * scale).max(0.0)), &label, point.year);
    }
    if let Some(target) = row.target.filter(|_| scale > 0.0) {
        target_line(&mut svg, BASELINE - target * scale);
    }
    svg.push_str("</svg>");
    Some(svg)
}

/// One year: its bar (when it has a number), the label above and the year below.
/// A bar tall enough carries its label inside at its foot, in white, clear of the target line.
fn bar(svg: &mut String, centre: f64, slot: f64, height: Option<f64>, label: &str, year: i32) {
    let (label_y, fill) = match height {
        Some(h) => {
            let width = (slot * 0.55).min(48.0);
            let _ = write!(
                svg,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{width:.1}\" height=\"{h:.1}\" fill=\"#4a6fa5\"/>",
                centre - width / 2.0,
                BASELINE - h
            );
            if h >= 18.0 {
                (BASELINE - 6.0, "#fff")
            } else {
                (BASELINE - h - 4.0, "#222")
            }
        }
        None => (BASELINE - 4.0, "#222"),
    };
    let _ = write!(
        svg,
        "<text x=\"{centre:.1}\" y=\"{label_y:.1}\" text-anchor=\"middle\" fill=\"{fill}\">{}</text>\
         <text x=\"{centre:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#333\">{year}</text>",
        xml_escape(label),
        HEIGHT - 8.0
    );
}

/// The target as a dashed red line, labelled "mål".
fn target_line(svg: &mut String, y: f64) {
    let right = WIDTH - LEFT;
    let _ = write!(
        svg,
        "<line x1=\"{LEFT}\" y1=\"{y:.1}\" x2=\"{right}\" y2=\"{y:.1}\" stroke=\"#b3261e\" stroke-width=\"1\" \
         stroke-dasharray=\"4 3\"/><text x=\"{right}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#b3261e\" \
         font-size=\"9\">mål</text>",
        y - 3.0
    );
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
    fn a_chart_has_a_bar_per_year_with_a_number_and_labels_withheld_years() {
        let svg = trend_svg(
            &row(vec![
                TrendPoint { year: 2012, value: Figure::Value(0.4) },
                TrendPoint { year: 2013, value: Figure::Suppressed(sikkerby_domain::publish::Mark::Small) },
            ]),
            5,
        )
        .unwrap();
        assert_eq!(svg.matches("<rect").count(), 1);
        assert!(svg.contains("40,0 %") && svg.contains("&lt;5") && svg.contains("2013"));
        assert!(svg.contains("stroke-dasharray"), "target line");
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

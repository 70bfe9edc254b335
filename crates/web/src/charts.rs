//! Charts as inline SVG, drawn on the server: the same picture in a page, a PDF or a screenshot,
//! with no JavaScript. Each chart has `role="img"`, an `aria-label`, a `<title>`, a `<title>` on
//! every mark and a text legend, so a screen reader gets the figures too.
//!
//! Amounts stay exact decimals in every label; only the geometry uses floating point.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::fmt::Write;

/// One stacked series: a name and one value per category.
#[derive(Debug, Clone)]
pub struct Series {
    pub name: String,
    pub values: Vec<Decimal>,
}

/// A stacked bar chart: one bar per category, one segment per series.
#[derive(Debug, Clone)]
pub struct StackedBars {
    /// The chart's accessible name (`aria-label` and `<title>`).
    pub label: String,
    /// The unit shown after amounts in mark titles (`mio. kr.`).
    pub unit: String,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
}

/// Colours a reader can tell apart, also with a colour-vision deficiency (Okabe–Ito), in the
/// order they are used; the last, grey, is for the merged "other" series. Fourteen stacked
/// colours could not be told apart, so a chart shows at most this many series
/// ([`StackedBars::keep_largest`]).
const PALETTE: [&str; 7] = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#8c8c8c"];

/// How many series a stacked chart shows before the smallest are merged into one.
pub const MAX_SERIES: usize = PALETTE.len();

const WIDTH: f64 = 720.0;
const PLOT_LEFT: f64 = 56.0;
const PLOT_TOP: f64 = 24.0;
const PLOT_WIDTH: f64 = 330.0;
const PLOT_HEIGHT: f64 = 280.0;
const LEGEND_LEFT: f64 = 420.0;
const LEGEND_ROW: f64 = 20.0;

/// Escapes text for SVG element content and attribute values: the reports' one escape.
pub use sikkerby_reports::chart::xml_escape as escape;

/// A round axis maximum at or above `max`, and the step between grid lines.
fn axis(max: f64) -> (f64, f64) {
    let mut step = 1.0;
    for candidate in [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0] {
        step = candidate;
        if max / candidate <= 6.0 {
            break;
        }
    }
    let top = (max / step).ceil().max(1.0) * step;
    (top, step)
}

impl StackedBars {
    /// Keeps the `MAX_SERIES - 1` series with the largest totals, largest at the bottom, and
    /// merges the others into one named by `others(count)`. The table beside the chart keeps
    /// every line; the chart is for the proportions.
    pub fn keep_largest(mut self, others: impl Fn(usize) -> String) -> Self {
        let total = |s: &Series| s.values.iter().copied().sum::<Decimal>();
        self.series.sort_by_key(|s| std::cmp::Reverse(total(s)));
        if self.series.len() > MAX_SERIES {
            let rest = self.series.split_off(MAX_SERIES - 1);
            let mut values = vec![Decimal::ZERO; self.categories.len()];
            for series in &rest {
                for (sum, value) in values.iter_mut().zip(&series.values) {
                    *sum += *value;
                }
            }
            self.series.push(Series { name: others(rest.len()), values });
        }
        self
    }

    fn totals(&self) -> Vec<Decimal> {
        (0..self.categories.len()).map(|i| self.series.iter().filter_map(|s| s.values.get(i)).sum()).collect()
    }

    fn height(&self) -> f64 {
        let legend = LEGEND_ROW * self.series.len() as f64 + PLOT_TOP;
        (PLOT_TOP + PLOT_HEIGHT + 40.0).max(legend)
    }

    /// The chart as an `<svg>` element; `format` writes amounts in the reader's notation.
    pub fn to_svg(&self, format: impl Fn(Decimal) -> String) -> String {
        let height = self.height();
        let label = escape(&self.label);
        let mut svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" \
             aria-label=\"{label}\" width=\"{WIDTH}\" height=\"{height}\" \
             viewBox=\"0 0 {WIDTH} {height}\"><title>{label}</title>"
        );
        let totals = self.totals();
        let max = totals.iter().max().and_then(|m| m.to_f64()).unwrap_or(0.0);
        let (top, step) = axis(max);
        self.write_grid(&mut svg, top, step, &format);
        self.write_bars(&mut svg, top, &totals, &format);
        self.write_legend(&mut svg);
        svg.push_str("</svg>");
        svg
    }

    fn y(value: f64, top: f64) -> f64 {
        PLOT_TOP + PLOT_HEIGHT - value / top * PLOT_HEIGHT
    }

    fn write_grid(&self, svg: &mut String, top: f64, step: f64, format: &impl Fn(Decimal) -> String) {
        svg.push_str("<g class=\"grid\" aria-hidden=\"true\">");
        let mut tick = 0.0;
        while tick <= top + f64::EPSILON {
            let y = Self::y(tick, top);
            let text = Decimal::from_f64_retain(tick).map(format).unwrap_or_default();
            let _ = write!(
                svg,
                "<line x1=\"{PLOT_LEFT}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#ccc\"/>\
                 <text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"12\">{}</text>",
                PLOT_LEFT + PLOT_WIDTH,
                PLOT_LEFT - 6.0,
                y + 4.0,
                escape(&text)
            );
            tick += step;
        }
        svg.push_str("</g>");
    }

    fn write_bars(
        &self,
        svg: &mut String,
        top: f64,
        totals: &[Decimal],
        format: &impl Fn(Decimal) -> String,
    ) {
        let slot = PLOT_WIDTH / self.categories.len().max(1) as f64;
        let bar = slot * 0.6;
        for (i, category) in self.categories.iter().enumerate() {
            let x = PLOT_LEFT + slot * i as f64 + (slot - bar) / 2.0;
            let mut base = 0.0;
            let _ = write!(svg, "<g class=\"bar\">");
            for (s, series) in self.series.iter().enumerate() {
                let value = series.values.get(i).copied().unwrap_or_default();
                let amount = value.to_f64().unwrap_or(0.0);
                if amount <= 0.0 {
                    continue;
                }
                let (y0, y1) = (Self::y(base, top), Self::y(base + amount, top));
                let title = format!("{} {category}: {} {}", series.name, format(value), self.unit);
                let _ = write!(
                    svg,
                    "<rect x=\"{x:.1}\" y=\"{y1:.1}\" width=\"{bar:.1}\" height=\"{:.1}\" \
                     fill=\"{}\"><title>{}</title></rect>",
                    y0 - y1,
                    PALETTE[s % PALETTE.len()],
                    escape(&title)
                );
                base += amount;
            }
            let total = totals.get(i).copied().unwrap_or_default();
            let _ = write!(
                svg,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"12\" \
                 font-weight=\"bold\">{}</text><text x=\"{:.1}\" y=\"{:.1}\" \
                 text-anchor=\"middle\" font-size=\"12\">{}</text></g>",
                x + bar / 2.0,
                Self::y(base, top) - 6.0,
                escape(&format(total)),
                x + bar / 2.0,
                PLOT_TOP + PLOT_HEIGHT + 18.0,
                escape(category)
            );
        }
    }

    fn write_legend(&self, svg: &mut String) {
        svg.push_str("<g class=\"legend\">");
        // Top to bottom in the order the segments are stacked, so the legend reads like a bar.
        let rows = self.series.len();
        for (s, series) in self.series.iter().enumerate() {
            let y = PLOT_TOP + LEGEND_ROW * (rows - 1 - s) as f64;
            let _ = write!(
                svg,
                "<rect x=\"{LEGEND_LEFT}\" y=\"{:.1}\" width=\"12\" height=\"12\" fill=\"{}\"/>\
                 <text x=\"{}\" y=\"{:.1}\" font-size=\"12\">{}</text>",
                y,
                PALETTE[s % PALETTE.len()],
                LEGEND_LEFT + 18.0,
                y + 10.0,
                escape(&series.name)
            );
        }
        svg.push_str("</g>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart() -> StackedBars {
        StackedBars {
            label: "Budget <test>".into(),
            unit: "mio. kr.".into(),
            categories: vec!["2012".into(), "2013".into()],
            series: vec![
                Series { name: "A & B".into(), values: vec![Decimal::new(8, 1), Decimal::ZERO] },
                Series { name: "C".into(), values: vec![Decimal::new(7, 0), Decimal::new(21, 1)] },
            ],
        }
    }

    #[test]
    fn a_chart_of_many_series_keeps_the_largest_and_merges_the_rest_into_one() {
        let series = (1..=14)
            .map(|n| Series { name: format!("L{n}"), values: vec![Decimal::from(n), Decimal::from(1)] })
            .collect();
        let chart = StackedBars {
            label: "x".into(),
            unit: "u".into(),
            categories: vec!["a".into(), "b".into()],
            series,
        }
        .keep_largest(|n| format!("{n} andre"));
        let names: Vec<&str> = chart.series.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["L14", "L13", "L12", "L11", "L10", "L9", "8 andre"]);
        let rest = &chart.series[6].values;
        assert_eq!(rest, &[Decimal::from(36), Decimal::from(8)], "1 + … + 8, and eight ones");
        let svg = chart.to_svg(|d| d.to_string());
        for colour in PALETTE {
            assert_eq!(
                svg.matches(&format!("fill=\"{colour}\"")).count(),
                3,
                "{colour}: two bars and the legend"
            );
        }
    }

    #[test]
    fn the_chart_is_an_accessible_image_with_escaped_text() {
        let svg = chart().to_svg(|d| d.normalize().to_string());
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("aria-label=\"Budget &lt;test&gt;\""));
        assert!(svg.contains("<title>A &amp; B 2012: 0.8 mio. kr.</title>"));
        assert!(!svg.contains("A & B"));
    }

    #[test]
    fn zero_values_draw_no_segment_and_totals_are_exact() {
        let svg = chart().to_svg(|d| d.normalize().to_string());
        assert_eq!(svg.matches("<rect x=").count(), 3 + 2, "3 segments and 2 legend swatches");
        assert!(svg.contains(">7.8</text>"));
        assert!(svg.contains(">2.1</text>"));
    }

    #[test]
    fn the_axis_is_rounded_up_to_a_whole_step() {
        assert_eq!(axis(21.7), (25.0, 5.0));
        assert_eq!(axis(3.0), (3.0, 1.0));
        assert_eq!(axis(0.0), (1.0, 1.0));
    }
}

//! The sections of the PDF: goal and index, initiatives with their criteria and trend charts,
//! budget, half-yearly assessments and the list of corrections.

use super::markup::{cell, figure_cell, lit, suppression_note, table};
use crate::chart;
use crate::display;
use crate::format;
use crate::model::{CriterionRow, Document, Figure, IndexOverview, InitiativeSection, Measure, Report};
use crate::period::ReportKind;

/// Everything after the title block.
pub fn body(doc: &Document) -> String {
    let report = &doc.report;
    let mut out = corrections(doc);
    match report.kind {
        ReportKind::Annual | ReportKind::Quarter => {
            out.push_str(&goal(report));
            out.push_str(&initiatives(report));
            if let Some(budget) = &report.budget {
                out.push_str(&super::budget::section(budget, report.threshold));
            }
        }
        ReportKind::HalfYear => {
            out.push_str(&index_by_district(report.index.as_ref()));
            out.push_str(&assessments(report));
            out.push_str(&initiatives(report));
        }
    }
    out
}

fn heading(level: usize, text: &str) -> String {
    format!("{} #{}\n", "=".repeat(level), lit(text))
}

fn paragraph(text: &str) -> String {
    format!("#{}\n\n", lit(text))
}

fn corrections(doc: &Document) -> String {
    let Some(version) = doc.meta.corrects_version else { return String::new() };
    let mut out = heading(1, &format!("Rettelser i forhold til godkendt version {version}"));
    if doc.meta.changes.is_empty() {
        out.push_str(&paragraph("Ingen tal er ændret."));
        return out;
    }
    let rows: Vec<Vec<String>> = doc
        .meta
        .changes
        .iter()
        .map(|c| vec![cell(&c.criterion), cell(&c.field), cell(&c.before), cell(&c.after)])
        .collect();
    out.push_str(&table("(auto, auto, 1fr, 1fr)", &["Kriterium", "Felt", "Før", "Nu"], &rows, &[]));
    out
}

fn goal(report: &Report) -> String {
    let mut out = heading(1, "Sikker By's mål og tryghedsindekset");
    out.push_str(&paragraph(display::GOAL_TEXT));
    if let Some(row) = &report.goal {
        out.push_str(&criteria_table(std::slice::from_ref(row), report.threshold));
    }
    match &report.index {
        Some(index) => out.push_str(&index_overview(index)),
        None => out.push_str(&paragraph(&format!("Tryghedsindekset: {}.", display::INDEX_UNAVAILABLE))),
    }
    out
}

fn goal_figures(index: &IndexOverview) -> String {
    let Some(g) = index.c19 else { return String::new() };
    let share = if g.base_count > 0 {
        format!(" ({} af basisårets antal)", format::percent(g.count as f64 / g.base_count as f64))
    } else {
        String::new()
    };
    paragraph(&format!(
        "Områder med behov for markant eller intensiveret indsats: {} i {}, {} i basisåret {}{share}. \
         Målet er højst 50 % af basisårets antal senest i {}.",
        format::integer(g.count),
        g.year,
        format::integer(g.base_count),
        g.base_year,
        g.target_year
    ))
}

fn index_rows(areas: &[&crate::model::IndexArea]) -> Vec<Vec<String>> {
    areas
        .iter()
        .map(|a| {
            vec![
                cell(&a.name),
                cell(&display::district(&a.district)),
                cell(&a.t.map_or("–".to_owned(), |t| format::number(t, 1))),
                cell(&display::category(&a.category)),
            ]
        })
        .collect()
}

fn index_overview(index: &IndexOverview) -> String {
    let mut out = heading(2, &format!("Tryghedsindekset {} (basisår {})", index.year, index.base_year));
    out.push_str(&goal_figures(index));
    if let Some(svg) = chart::goal_svg(index) {
        let first = index.goal_years.first().map_or(index.base_year, |g| g.year);
        let title =
            format!("Områder med behov for markant eller intensiveret indsats {first}–{}", index.year);
        out.push_str(&format!("#box(width: 60%)[#{}]\n", chart_block(&title, &svg)));
    }
    let areas: Vec<_> = index.areas.iter().collect();
    out.push_str(&table(
        "(1fr, auto, auto, auto)",
        &["Område", "Bydel", "Indeks T", "Kategori"],
        &index_rows(&areas),
        &[2],
    ));
    out
}

fn index_by_district(index: Option<&IndexOverview>) -> String {
    let mut out = heading(1, "Tryghedsindekset pr. bydel");
    let Some(index) = index else {
        out.push_str(&paragraph(&format!(
            "Tryghedsindekset: {}. Indekstallene indgår, når indekset for året er beregnet.",
            display::INDEX_UNAVAILABLE
        )));
        return out;
    };
    let mut districts: Vec<&str> = index.areas.iter().map(|a| a.district.as_str()).collect();
    districts.sort_unstable();
    districts.dedup();
    for district in districts {
        let areas: Vec<_> = index.areas.iter().filter(|a| a.district == district).collect();
        out.push_str(&heading(2, &display::district(district)));
        out.push_str(&table(
            "(1fr, auto, auto, auto)",
            &["Område", "Bydel", "Indeks T", "Kategori"],
            &index_rows(&areas),
            &[2],
        ));
    }
    out
}

fn assessments(report: &Report) -> String {
    let mut out = heading(1, "Vurderinger fra SSP-ledergrupperne og socialforvaltningen");
    if report.assessments.is_empty() {
        out.push_str(&paragraph(&format!(
            "Der er ikke registreret vurderinger for {}. Afsnittet udfyldes, når ledergruppernes vurderinger er modtaget.",
            report.period.label
        )));
        return out;
    }
    let rows: Vec<Vec<String>> = report
        .assessments
        .iter()
        .map(|a| {
            vec![
                cell(&a.area),
                cell(&display::district(&a.district)),
                cell(&a.source),
                cell(&a.score.to_string()),
                cell(&a.text),
            ]
        })
        .collect();
    out.push_str(&table(
        "(auto, auto, auto, auto, 1fr)",
        &["Område", "Bydel", "Kilde", "Vurdering (1–5)", "Bemærkning"],
        &rows,
        &[3],
    ));
    out
}

fn initiatives(report: &Report) -> String {
    let title = match report.kind {
        ReportKind::Quarter => format!("Succeskriterier pr. {}", format::date(report.period.to)),
        _ => "Indsatser og succeskriterier".to_owned(),
    };
    let mut out = heading(1, &title);
    for section in &report.initiatives {
        out.push_str(&initiative(section, report.threshold));
    }
    out
}

fn initiative(section: &InitiativeSection, threshold: u64) -> String {
    let mut out = heading(2, &format!("{} ({})", section.name, section.code));
    if !section.criteria.is_empty() {
        out.push_str(&criteria_table(&section.criteria, threshold));
    }
    for d in &section.descriptive {
        out.push_str(&paragraph(&format!("{}: {}", d.text, display::count(d.value, threshold))));
    }
    out.push_str(&charts(&section.criteria, threshold));
    out
}

fn value_text(row: &CriterionRow, threshold: u64) -> String {
    let value = display::value(row, threshold);
    match row.projection {
        Some(p) => {
            format!("{value} (fremskrevet {})", display::figure(Figure::Value(p), row.measure, threshold))
        }
        None => value,
    }
}

/// The criteria of one initiative: words, figures and the status in words.
pub fn criteria_table(rows: &[CriterionRow], threshold: u64) -> String {
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let unknown = if r.measure == Measure::Share {
                display::count(r.unknown, threshold)
            } else {
                String::new()
            };
            vec![
                format!("[#text(weight: \"bold\", {}) #{}]", lit(&r.id), lit(&r.words)),
                figure_cell(&value_text(r, threshold), r.value),
                figure_cell(&display::fraction(r, threshold), r.numerator),
                cell(&display::interval(r)),
                figure_cell(&unknown, r.unknown),
                cell(&display::target(r)),
                format!(
                    "[#text(fill: rgb({}), weight: \"bold\", {})]",
                    lit(display::status_colour(r.status)),
                    lit(display::status_word(r.status))
                ),
            ]
        })
        .collect();
    let mut out = table(
        "(1fr, auto, auto, auto, auto, auto, auto)",
        &["Kriterium", "Værdi", "Tæller af nævner", "95 %-interval", "Ukendt", "Mål", "Status"],
        &body,
        &[1, 2, 3, 4, 5],
    );
    let suppressed =
        rows.iter().any(|r| [r.value, r.numerator, r.denominator, r.unknown].iter().any(|f| f.is_withheld()));
    if suppressed {
        out.push_str(&suppression_note(threshold));
    }
    out
}

/// A chart with its title, kept on one page.
fn chart_block(title: &str, svg: &str) -> String {
    format!(
        "block(breakable: false)[#text(size: 8.5pt, weight: \"bold\", {})\n#image(bytes({}), format: \"svg\", width: 100%)]",
        lit(title),
        lit(svg)
    )
}

fn charts(rows: &[CriterionRow], threshold: u64) -> String {
    let charts: Vec<String> = rows
        .iter()
        .filter_map(|r| {
            let svg = chart::trend_svg(r, threshold)?;
            let first = r.trend.first()?.year;
            let last = r.trend.last()?.year;
            Some(chart_block(&format!("{}: udvikling {first}–{last}", r.id), &svg))
        })
        .collect();
    if charts.is_empty() {
        return String::new();
    }
    let mut out = String::from("#v(4pt)\n#grid(columns: (1fr, 1fr), column-gutter: 12pt, row-gutter: 8pt,\n");
    for c in charts {
        out.push_str("  ");
        out.push_str(&c);
        out.push_str(",\n");
    }
    out.push_str(")\n");
    let charted = rows.iter().filter(|r| chart::trend_svg(r, threshold).is_some());
    if charted.flat_map(|r| &r.trend).any(|p| p.value.is_withheld()) {
        out.push_str(&suppression_note(threshold));
    }
    out
}

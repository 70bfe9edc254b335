//! The HTML report: one self-contained page (inline CSS, inline SVG charts, no script), with
//! the same sections and texts as the PDF. Every text from data is escaped.

use crate::chart::{trend_svg, xml_escape as esc};
use crate::display;
use crate::format;
use crate::model::{
    BudgetSection, CriterionRow, Document, Figure, IndexArea, IndexOverview, Measure, Report,
};
use crate::period::ReportKind;
use std::fmt::Write;

const STYLE: &str = "body{font-family:Georgia,'Libertinus Serif',serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}\
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}th,td{border:1px solid #bbb;padding:.2rem .4rem;vertical-align:top}\
th{background:#f0f0f0;text-align:left}td.n{text-align:right;white-space:nowrap}.note{font-size:.8rem;font-style:italic}\
.status{font-weight:bold;white-space:nowrap}.charts{display:flex;flex-wrap:wrap;gap:1rem}dl{display:grid;grid-template-columns:auto 1fr;gap:.2rem 1rem}dt{font-weight:bold}";

/// Renders the document as a UTF-8 HTML page.
pub fn render(doc: &Document) -> Vec<u8> {
    let report = &doc.report;
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"da\"><head><meta charset=\"utf-8\"><title>{} {}</title><style>{STYLE}</style></head><body>\n",
        esc(report.kind.title()),
        esc(&report.period.label)
    );
    out.push_str(&title_block(doc));
    out.push_str(&corrections(doc));
    match report.kind {
        ReportKind::Annual | ReportKind::Quarter => {
            out.push_str(&goal(report));
            out.push_str(&initiatives(report));
            if let Some(b) = &report.budget {
                out.push_str(&budget(b, report.threshold));
            }
        }
        ReportKind::HalfYear => {
            out.push_str(&index_by_district(report.index.as_ref()));
            out.push_str(&assessments(report));
            out.push_str(&initiatives(report));
        }
    }
    out.push_str("</body></html>\n");
    out.into_bytes()
}

fn title_block(doc: &Document) -> String {
    let r = &doc.report;
    let m = &doc.meta;
    let created = crate::pdf::markup::created_date(doc);
    let approval =
        m.approved_by.as_ref().map_or("ikke godkendt (udkast)".to_owned(), |w| format!("godkendt af {w}"));
    format!(
        "<h1>{}</h1><p>{}</p><dl><dt>Modtagere</dt><dd>{}</dd><dt>Version</dt><dd>{} · {}</dd>\
         <dt>Udarbejdet</dt><dd>{} af {}</dd><dt>Dataversion</dt><dd>{}</dd></dl>\n",
        esc(r.kind.title()),
        esc(&display::period_line(r)),
        esc(r.kind.recipients()),
        m.version,
        esc(&approval),
        format::date(created),
        esc(&m.created_by),
        esc(&m.data_version.chars().take(12).collect::<String>())
    )
}

fn td(text: &str) -> String {
    format!("<td>{}</td>", esc(text))
}

fn num(text: &str) -> String {
    format!("<td class=\"n\">{}</td>", esc(text))
}

fn note(threshold: u64) -> String {
    let text = display::suppression_note(threshold);
    format!("<p class=\"note\">Note: {}.</p>\n", esc(&text))
}

fn table(header: &[&str], rows: &[String]) -> String {
    let head: String = header.iter().map(|h| format!("<th>{}</th>", esc(h))).collect();
    format!("<table><thead><tr>{head}</tr></thead><tbody>{}</tbody></table>\n", rows.concat())
}

fn corrections(doc: &Document) -> String {
    let Some(version) = doc.meta.corrects_version else { return String::new() };
    let rows: Vec<String> = doc
        .meta
        .changes
        .iter()
        .map(|c| format!("<tr>{}{}{}{}</tr>", td(&c.criterion), td(&c.field), td(&c.before), td(&c.after)))
        .collect();
    let body = if rows.is_empty() {
        "<p>Ingen tal er ændret.</p>".to_owned()
    } else {
        table(&["Kriterium", "Felt", "Før", "Nu"], &rows)
    };
    format!("<h2>Rettelser i forhold til godkendt version {version}</h2>\n{body}")
}

fn goal(report: &Report) -> String {
    let mut out = format!("<h2>Sikker By's mål og tryghedsindekset</h2><p>{}</p>\n", esc(display::GOAL_TEXT));
    if let Some(row) = &report.goal {
        out.push_str(&criteria(std::slice::from_ref(row), report.threshold));
    }
    match &report.index {
        Some(index) => {
            let _ = write!(out, "<h3>Tryghedsindekset {} (basisår {})</h3>", index.year, index.base_year);
            if let Some(g) = index.c19 {
                let _ = write!(
                    out,
                    "<p>Områder med behov for markant eller intensiveret indsats: {} i {}, {} i basisåret {}.</p>",
                    format::integer(g.count),
                    g.year,
                    format::integer(g.base_count),
                    g.base_year
                );
            }
            if let Some(svg) = crate::chart::goal_svg(index) {
                let _ = write!(
                    out,
                    "<figure>{svg}<figcaption>Områder med behov for markant eller intensiveret indsats pr. år</figcaption></figure>"
                );
            }
            out.push_str(&index_table(&index.areas.iter().collect::<Vec<_>>()));
        }
        None => {
            let _ = writeln!(out, "<p>Tryghedsindekset: {}.</p>", display::INDEX_UNAVAILABLE);
        }
    }
    out
}

fn index_table(areas: &[&IndexArea]) -> String {
    let rows: Vec<String> = areas
        .iter()
        .map(|a| {
            let t = a.t.map_or("–".to_owned(), |t| format::number(t, 1));
            format!(
                "<tr>{}{}{}{}</tr>",
                td(&a.name),
                td(&display::district(&a.district)),
                num(&t),
                td(&display::category(&a.category))
            )
        })
        .collect();
    table(&["Område", "Bydel", "Indeks T", "Kategori"], &rows)
}

fn index_by_district(index: Option<&IndexOverview>) -> String {
    let mut out = "<h2>Tryghedsindekset pr. bydel</h2>\n".to_owned();
    let Some(index) = index else {
        let _ = writeln!(
            out,
            "<p>Tryghedsindekset: {}. Indekstallene indgår, når indekset for året er beregnet.</p>",
            display::INDEX_UNAVAILABLE
        );
        return out;
    };
    let mut districts: Vec<&str> = index.areas.iter().map(|a| a.district.as_str()).collect();
    districts.sort_unstable();
    districts.dedup();
    for district in districts {
        let areas: Vec<_> = index.areas.iter().filter(|a| a.district == district).collect();
        let _ = write!(out, "<h3>{}</h3>{}", esc(&display::district(district)), index_table(&areas));
    }
    out
}

fn assessments(report: &Report) -> String {
    let mut out = "<h2>Vurderinger fra SSP-ledergrupperne og socialforvaltningen</h2>\n".to_owned();
    if report.assessments.is_empty() {
        let _ = writeln!(out, "<p>Der er ikke registreret vurderinger for {}. Afsnittet udfyldes, når ledergruppernes vurderinger er modtaget.</p>", esc(&report.period.label));
        return out;
    }
    let rows: Vec<String> = report
        .assessments
        .iter()
        .map(|a| {
            format!(
                "<tr>{}{}{}{}{}</tr>",
                td(&a.area),
                td(&display::district(&a.district)),
                td(&a.source),
                num(&a.score.to_string()),
                td(&a.text)
            )
        })
        .collect();
    out.push_str(&table(&["Område", "Bydel", "Kilde", "Vurdering (1–5)", "Bemærkning"], &rows));
    out
}

fn initiatives(report: &Report) -> String {
    let title = match report.kind {
        ReportKind::Quarter => format!("Succeskriterier pr. {}", format::date(report.period.to)),
        _ => "Indsatser og succeskriterier".to_owned(),
    };
    let mut out = format!("<h2>{}</h2>\n", esc(&title));
    for s in &report.initiatives {
        let _ = writeln!(out, "<h3>{} ({})</h3>", esc(&s.name), esc(&s.code));
        if !s.criteria.is_empty() {
            out.push_str(&criteria(&s.criteria, report.threshold));
        }
        for d in &s.descriptive {
            let _ =
                writeln!(out, "<p>{}: {}</p>", esc(&d.text), esc(&display::count(d.value, report.threshold)));
        }
        let charts: String = s
            .criteria
            .iter()
            .filter_map(|r| {
                trend_svg(r, report.threshold).map(|svg| {
                    format!(
                        "<figure>{svg}<figcaption>{}</figcaption></figure>",
                        esc(&format!("{}: udvikling", r.id))
                    )
                })
            })
            .collect();
        if !charts.is_empty() {
            let _ = writeln!(out, "<div class=\"charts\">{charts}</div>");
        }
    }
    out
}

fn criteria(rows: &[CriterionRow], threshold: u64) -> String {
    let body: Vec<String> = rows
        .iter()
        .map(|r| {
            let mut value = display::value(r, threshold);
            if let Some(p) = r.projection {
                let _ = write!(
                    value,
                    " (fremskrevet {})",
                    display::figure(Figure::Value(p), r.measure, threshold)
                );
            }
            let unknown = if r.measure == Measure::Share {
                display::count(r.unknown, threshold)
            } else {
                String::new()
            };
            format!(
                "<tr><td><b>{}</b> {}</td>{}{}{}{}{}<td class=\"status\" style=\"color:{}\">{}</td></tr>",
                esc(&r.id),
                esc(&r.words),
                num(&value),
                num(&display::fraction(r, threshold)),
                num(&display::interval(r)),
                num(&unknown),
                num(&display::target(r)),
                display::status_colour(r.status),
                esc(display::status_word(r.status))
            )
        })
        .collect();
    let mut out =
        table(&["Kriterium", "Værdi", "Tæller af nævner", "95 %-interval", "Ukendt", "Mål", "Status"], &body);
    let hidden = rows.iter().any(|r| {
        [r.value, r.numerator, r.denominator, r.unknown].iter().any(|f| f.is_withheld())
            || r.trend.iter().any(|p| p.value.is_withheld())
    });
    if hidden {
        out.push_str(&note(threshold));
    }
    out
}

fn budget(b: &BudgetSection, threshold: u64) -> String {
    let mut rows: Vec<String> = b
        .rows
        .iter()
        .map(|r| {
            format!(
                "<tr>{}{}{}{}{}{}{}</tr>",
                td(&r.line),
                num(&display::budget_cell(r.budget)),
                num(&display::actual(r.actual)),
                num(&display::count(r.participants, threshold)),
                num(&display::count(r.successes, threshold)),
                num(&display::cost(r.per_participant)),
                num(&display::cost(r.per_success))
            )
        })
        .collect();
    rows.push(format!(
        "<tr><th>I alt</th>{}{}<td></td><td></td><td></td><td></td></tr>",
        num(&format::decimal_short(b.total)),
        num(&display::actual(b.actual_total))
    ));
    let mut out = format!("<h2>Budget og forbrug {}</h2><p>Beløb i mio. kr. (2012-priser).</p>\n", b.year);
    out.push_str(&table(
        &[
            "Budgetlinje",
            "Budget",
            "Forbrug",
            "Deltagere",
            "Positive udfald",
            "Kr. pr. deltager",
            "Kr. pr. positivt udfald",
        ],
        &rows,
    ));
    if b.rows.iter().any(|r| r.participants.is_withheld() || r.successes.is_withheld()) {
        out.push_str(&note(threshold));
    }
    out
}

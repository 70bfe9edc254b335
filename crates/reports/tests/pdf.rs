//! The PDF read back with `pdftotext`: the figures of a hand-made evaluation, computed here
//! independently, must all be on the page, withheld ones as `<5` with the footnote.

mod common;

use common::{danish, document, have_tool, inputs, pdf_text, preview, wilson_bounds};
use sikkerby_reports::model::{GoalFigures, GoalYear, IndexArea, IndexOverview};
use sikkerby_reports::{render, OutputFormat, ReportKind};

fn annual_text() -> Option<String> {
    if !have_tool("pdftotext") {
        return None;
    }
    let pdf = render(&document(&inputs(ReportKind::Annual, "2013")), OutputFormat::Pdf).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    Some(pdf_text(&pdf, "annual"))
}

#[test]
fn the_annual_pdf_shows_each_criterion_with_its_words_figures_and_status_in_words() {
    let Some(text) = annual_text() else { return };
    // C2: 37 of 60 with its Wilson interval, computed here.
    let (lo, hi) = wilson_bounds(37.0, 60.0);
    let expected = [
        format!("{} %", danish(37.0 / 60.0 * 100.0, 1)),
        "37 af 60".to_owned(),
        format!("{}–{} %", danish(lo * 100.0, 1), danish(hi * 100.0, 1)),
        "indenfor\" det første år #1 [a] $x$ <b>.".to_owned(),
        "123".to_owned(),
        danish(24.75, 1),
        "632".to_owned(),
        "Opfyldt".to_owned(),
        "Ingen data".to_owned(),
        "Periode 01.01.2013–31.12.2013".to_owned(),
        "opgjort pr. 19.02.2014".to_owned(),
    ];
    for e in expected {
        assert!(text.contains(&e), "missing {e:?} in:\n{text}");
    }
}

#[test]
fn a_share_with_a_small_part_is_withheld_and_footnoted() {
    let Some(text) = annual_text() else { return };
    // C4 is 3 of 10: the numerator (3) and so the share must not appear.
    assert!(text.contains("<5 af 10"), "{text}");
    assert!(!text.contains(&format!("{} %", danish(30.0, 1))));
    assert!(text.contains("tal under 5 er skjult af hensyn til diskretion"));
}

#[test]
fn the_budget_shows_spend_or_its_absence_and_costs_per_person() {
    let Some(text) = annual_text() else { return };
    let per_participant = danish((1_700_000.0_f64 / 123.0).round(), 0);
    let per_success = danish((1_700_000.0_f64 / 37.0).round(), 0);
    for e in [
        format!("{per_participant} kr."),
        format!("{per_success} kr."),
        "1,65".to_owned(),
        "ikke registreret".to_owned(),
        "2,5".to_owned(), // total of 2013: 1,7 + 0,8 (+ the ended Exit line)
        "Side 1 af".to_owned(),
    ] {
        assert!(text.contains(&e), "missing {e:?} in:\n{text}");
    }
    // Exit's 3 positive outcomes are withheld, so no cost per outcome may give them away.
    assert!(!text.contains(&danish((1_000_000.0_f64 / 3.0).round(), 0)));
}

#[test]
fn the_goal_section_says_when_the_index_is_not_available() {
    let Some(text) = annual_text() else { return };
    assert!(text.contains("Tryghedsindekset: ikke tilgængelig"), "{text}");
}

#[test]
fn pictures_of_the_first_pages_are_left_for_a_person_to_look_at() {
    if !have_tool("pdftoppm") {
        return;
    }
    let mut annual = inputs(ReportKind::Annual, "2013");
    annual.index = Some(IndexOverview {
        year: 2013,
        base_year: 2010,
        areas: vec![
            IndexArea {
                name: "Tingbjerg/Utterslevhuse".into(),
                district: "broenshoej_husum".into(),
                t: Some(151.25),
                category: "intensiveret".into(),
            },
            IndexArea {
                name: "Mjølnerparken".into(),
                district: "noerrebro".into(),
                t: Some(131.0),
                category: "markant".into(),
            },
        ],
        c19: Some(GoalFigures { base_year: 2010, base_count: 6, year: 2013, count: 4, target_year: 2014 }),
        goal_years: [(2010, 6), (2011, 5), (2012, 5), (2013, 4)]
            .map(|(year, count)| GoalYear { year, count })
            .to_vec(),
    });
    for (name, kind, label) in [
        ("annual", ReportKind::Annual, "2013"),
        ("quarter", ReportKind::Quarter, "2013Q2"),
        ("halfyear", ReportKind::HalfYear, "2013H1"),
    ] {
        let mut i = inputs(kind, label);
        if kind == ReportKind::Annual {
            i = annual.clone();
        }
        let pdf = render(&document(&i), OutputFormat::Pdf).unwrap();
        preview(&pdf, name);
    }
    assert!(common::preview_dir().join("annual-1.png").exists());
}

/// The goal's count of areas per year is drawn in the PDF and the HTML report by the same
/// trend chart as `/maal`: each year's count is in the picture, the target is half the base.
#[test]
fn the_goal_trend_is_drawn_by_the_one_trend_chart_in_the_pdf_and_the_html() {
    let mut annual = inputs(ReportKind::Annual, "2013");
    annual.index = Some(IndexOverview {
        year: 2013,
        base_year: 2010,
        areas: Vec::new(),
        c19: Some(GoalFigures { base_year: 2010, base_count: 6, year: 2013, count: 4, target_year: 2014 }),
        goal_years: [(2010, 6), (2011, 5), (2013, 4)].map(|(year, count)| GoalYear { year, count }).to_vec(),
    });
    let html = String::from_utf8(render(&document(&annual), OutputFormat::Html).unwrap()).unwrap();
    let svg = &html
        [html.find("Områder med behov for markant eller intensiveret indsats pr. år: ").unwrap() - 200..];
    assert!(svg.contains("class=\"trend\""), "the one trend chart");
    assert!(svg.contains("2010 6; 2011 5; 2013 4 (mål højst 3 i 2014)"), "every year in the name");
    if have_tool("pdftotext") {
        let text = pdf_text(&render(&document(&annual), OutputFormat::Pdf).unwrap(), "goal");
        assert!(
            text.contains("Områder med behov for markant eller intensiveret indsats 2010–2013"),
            "{text}"
        );
        assert!(text.contains("mål højst 3 i 2014") || text.contains("2011"), "the chart's words");
    }
}

#[test]
fn the_half_yearly_report_notes_missing_index_figures_and_assessments() {
    let Some(_) = annual_text() else { return };
    let pdf = render(&document(&inputs(ReportKind::HalfYear, "2013H1")), OutputFormat::Pdf).unwrap();
    let text = pdf_text(&pdf, "halfyear");
    assert!(text.contains("ikke tilgængelig"), "{text}");
    assert!(text.contains("Der er ikke registreret vurderinger for 2013H1"), "{text}");
}

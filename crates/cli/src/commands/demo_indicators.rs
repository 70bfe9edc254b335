//! The demo's indicator entries (docs/indicators.md): for every demo year, the manual
//! indicators of VINK (C11) and Hotspot (C12), Ny start's external indicators (C13, a delivery
//! file) and the deliverables (C17, C18), entered by one demo user and approved by the other, so
//! that every criterion C11–C19 has a status; in the last year a few entries still await
//! approval and one is sent back, so that the review can be tried. Synthetic, like the rest.

use anyhow::Context;
use chrono::NaiveDate;
use sikkerby_domain::calendar::Period;
use sikkerby_domain::indicators::Assessment;
use sikkerby_store::audit::Actor;
use sikkerby_store::indicators::NewIndicatorEntry;
use sikkerby_store::Store;

/// The demo users who enter and approve (`demo_users`): the secretariat's analyst and a manager.
const ANALYST: &str = "analytiker";
const MANAGER: &str = "leder";

fn day(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
}

fn blank(criterion: &str, year: i32, by: &str) -> anyhow::Result<NewIndicatorEntry> {
    let period = Period::year(year).with_context(|| format!("demo year {year}"))?;
    Ok(NewIndicatorEntry::blank(criterion, period, by))
}

/// The C11 and C12 assessments of a year: (criterion, indicator, number, assessment, narrative).
fn assessments(year: i32) -> [(&'static str, &'static str, Option<i64>, Assessment, String); 5] {
    let first = year == 2012;
    let panel = if first { Assessment::Partly } else { Assessment::Met };
    [
        (
            "C11",
            "Oplæg/temadage",
            Some(11 + i64::from(year % 3)),
            Assessment::Met,
            format!("Oplæg for medarbejdere i {year}"),
        ),
        ("C11", "Tværfaglige dialogarrangementer", Some(4), Assessment::Met, "Afholdt med SSP".to_owned()),
        (
            "C11",
            "Samarbejdsaftale med SSP implementeret",
            None,
            Assessment::Met,
            "Vidensoplæg i SSP-netværk".to_owned(),
        ),
        (
            "C11",
            "Ressourcepanel uddannet i ungekontakt",
            None,
            panel,
            "Uddannelsen afsluttet, metoder i brug".to_owned(),
        ),
        (
            "C12",
            "Lokale indikatorer i handleplan",
            None,
            Assessment::Met,
            "Som beskrevet i handleplanen".to_owned(),
        ),
    ]
}

/// Ny start's delivery file of a year: arrests and charges down, school and leisure up.
fn delivery(year: i32) -> String {
    let k = i64::from(year - 2011);
    format!(
        "indikator;tal;basisaar_tal;retning\nAnholdelser;{};61;ned\nSigtelser;{};88;ned\nDomme;{};23;ned\n\
         Fremmøde i skolen (%);{},5;84;op\nMed i organiserede fritidsaktiviteter;{};140;op\n\
         Forældre i beskæftigelse (%);{};38;op\n",
        61 - 6 * k,
        88 - 9 * k,
        23 - 2 * k,
        84 + 2 * k,
        140 + 15 * k,
        37 + k,
    )
}

/// The deliverables of a year: (criterion, indicator, due, delivered).
fn deliverables(year: i32) -> [(&'static str, String, Option<NaiveDate>, Option<NaiveDate>); 3] {
    [
        (
            "C17",
            format!("Tryghedsundersøgelse {year} forelagt BIU, ØU og BR"),
            day(year, 12, 1),
            day(year, 11, 20),
        ),
        (
            "C18",
            format!("Afrapportering om urolige områder, 1. halvår {year}"),
            day(year, 9, 1),
            day(year, 8, 26),
        ),
        (
            "C18",
            format!("Afrapportering om urolige områder, 2. halvår {year}"),
            day(year, 12, 31),
            day(year, 12, 12),
        ),
    ]
}

/// Enters one year's entries as `by`; returns their ids.
async fn enter_year(store: &Store, year: i32, by: &str, actor: &Actor) -> anyhow::Result<Vec<i64>> {
    let mut ids = Vec::new();
    for (criterion, indicator, number, assessment, narrative) in assessments(year) {
        let entry = NewIndicatorEntry {
            indicator: indicator.to_owned(),
            number: number.map(Into::into),
            assessment: Some(assessment),
            narrative,
            ..blank(criterion, year, by)?
        };
        ids.push(store.add_indicator_entry(&entry, actor).await?);
    }
    let shared =
        NewIndicatorEntry { narrative: "Leveret af Socialforvaltningen".into(), ..blank("C13", year, by)? };
    let file = format!("ny_start_{year}.csv");
    ids.extend(store.add_indicator_delivery(&shared, &file, delivery(year).as_bytes(), actor).await?);
    for (criterion, indicator, due, delivered) in deliverables(year) {
        let entry = NewIndicatorEntry { indicator, due, delivered, ..blank(criterion, year, by)? };
        ids.push(store.add_indicator_entry(&entry, actor).await?);
    }
    Ok(ids)
}

/// Loads the demo's entries unless any are there already.
pub async fn load(store: &Store, first_year: i32, years: u32) -> anyhow::Result<()> {
    let last = first_year + years as i32 - 1;
    let all = Period::new(Period::year(first_year)?.from(), Period::year(last)?.to())?;
    if !store.indicator_entries(&all).await?.is_empty() {
        return Ok(());
    }
    let actor = Actor::system("demo");
    for year in first_year..=last {
        // The roles alternate over the years, so that each demo user has entered and approved.
        let (by, approver) = if year % 2 == 0 { (ANALYST, MANAGER) } else { (MANAGER, ANALYST) };
        for id in enter_year(store, year, by, &actor).await? {
            store.approve_indicator_entry(id, approver, &actor).await?;
        }
    }
    // Still to review in the last year: a new assessment for the manager, one sent back to the
    // analyst with a comment.
    let pending = NewIndicatorEntry {
        indicator: "Bekymringshenvendelser håndteret".into(),
        assessment: Some(Assessment::Met),
        narrative: "Bekymringen er forsvundet eller der er igangsat en proportional indsats".into(),
        ..blank("C11", last, ANALYST)?
    };
    store.add_indicator_entry(&pending, &actor).await?;
    let wrong = NewIndicatorEntry {
        indicator: "Deltagere i lektiecafé".into(),
        number: Some(35.into()),
        assessment: Some(Assessment::Met),
        ..blank("C11", last, ANALYST)?
    };
    let id = store.add_indicator_entry(&wrong, &actor).await?;
    let comment = "Hører under Ny start (C13), ikke VINK; indtast den der med basisårets tal";
    store.send_back_indicator_entry(id, MANAGER, comment, &actor).await?;
    println!("demo: indicator entries for {first_year}–{last} entered and approved (two await review)");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use sikkerby_app::Evaluator;
    use sikkerby_domain::engine::{Request, Status};
    use sikkerby_domain::indicators::ReviewStatus;
    use sikkerby_testkit::{store_test, TestDatabase};

    store_test!(
        the_demo_gives_every_entered_criterion_a_status_and_leaves_some_to_review,
        |db: TestDatabase| async move {
            let store = db.open_seeded().await;
            load(&store, 2012, 3).await.unwrap();
            load(&store, 2012, 3).await.unwrap();
            let evaluator = Evaluator::load(store.clone()).await.unwrap();
            for year in 2012..=2014 {
                let period = Period::year(year).unwrap();
                let as_of = NaiveDate::from_ymd_opt(2015, 6, 30).unwrap();
                let request = Request { period, as_of, by: None, initiative: None };
                let evaluation = evaluator.evaluate(&request).await.unwrap();
                for id in ["C11", "C12", "C13", "C17", "C18"] {
                    let result = evaluation.results.iter().find(|r| r.criterion == id).unwrap();
                    assert_ne!(result.status, Status::NoData, "{id} in {year}");
                }
            }
            let last = store.indicator_entries(&Period::year(2014).unwrap()).await.unwrap();
            let count = |s: ReviewStatus| last.iter().filter(|e| e.status() == s).count();
            assert_eq!((count(ReviewStatus::Pending), count(ReviewStatus::SentBack)), (1, 1), "loaded once");
            assert!(last
                .iter()
                .any(|e| e.approved_by.as_deref() == Some(MANAGER) && e.entered_by == ANALYST));
            let earlier = store.indicator_entries(&Period::year(2013).unwrap()).await.unwrap();
            assert!(earlier
                .iter()
                .all(|e| e.approved_by.as_deref() == Some(ANALYST) && e.entered_by == MANAGER));
        }
    );
}

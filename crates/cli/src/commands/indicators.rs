//! `sikkerby indicator add|approve|send-back|correct|list`: the four-eyes flow for the criteria
//! that case data cannot answer. The rules are the store's, as on the web: nobody approves or
//! sends back their own entry, only a sent-back entry is corrected, and every step is audited.

use crate::format::print_table;
use crate::indicator_args::{EntryValues, IndicatorCommand};
use anyhow::{bail, Context};
use sikkerby_domain::calendar::Period;
use sikkerby_domain::indicators::{Assessment, Direction, IndicatorEntry};
use sikkerby_store::audit::Actor;
use sikkerby_store::indicators::NewIndicatorEntry;
use sikkerby_store::Store;

pub async fn run(store: &Store, command: IndicatorCommand) -> anyhow::Result<()> {
    match command {
        IndicatorCommand::Add {
            criterion,
            year,
            indicator,
            number,
            baseline,
            direction,
            assessment,
            due,
            delivered,
            narrative,
            by,
        } => {
            let entry = NewIndicatorEntry {
                criterion,
                period: Period::year(year).with_context(|| format!("--year {year}"))?,
                indicator,
                number,
                baseline,
                direction: direction.as_deref().map(parse_direction),
                assessment: assessment.as_deref().and_then(Assessment::parse),
                due,
                delivered,
                narrative,
                entered_by: by,
            };
            let id = store.add_indicator_entry(&entry, &Actor::system("cli")).await?;
            println!("entry {id} stored; it counts once another user approves it (sikkerby indicator approve {id})");
        }
        IndicatorCommand::Approve { id, by } => {
            store.approve_indicator_entry(id, &by, &Actor::system("cli")).await?;
            println!("entry {id} approved by {by}");
        }
        IndicatorCommand::SendBack { id, comment, by } => {
            if comment.chars().count() > MAX_COMMENT {
                bail!("--comment: at most {MAX_COMMENT} characters");
            }
            store.send_back_indicator_entry(id, &by, &comment, &Actor::system("cli")).await?;
            println!("entry {id} sent back by {by}; correct it with sikkerby indicator correct {id}");
        }
        IndicatorCommand::Correct { id, values, by } => {
            let Some(entry) = store.indicator_entry(id).await? else {
                bail!("indicator entry {id} does not exist");
            };
            let corrected = corrected(entry, values, by);
            store.correct_indicator_entry(id, &corrected, &Actor::system("cli")).await?;
            println!("entry {id} corrected; it counts once another user approves it (sikkerby indicator approve {id})");
        }
        IndicatorCommand::List { year } => list(store, year).await?,
    }
    Ok(())
}

/// The longest comment of a send-back, in characters (the web's limit).
const MAX_COMMENT: usize = 2000;

fn parse_direction(code: &str) -> Direction {
    if code == "up" {
        Direction::Up
    } else {
        Direction::Down
    }
}

/// The entry's values with those given replacing them, entered by `by`.
fn corrected(entry: IndicatorEntry, values: EntryValues, by: String) -> NewIndicatorEntry {
    NewIndicatorEntry {
        criterion: entry.criterion,
        period: entry.period,
        indicator: values.indicator.unwrap_or(entry.indicator),
        number: values.number.or(entry.number),
        baseline: values.baseline.or(entry.baseline),
        direction: values.direction.as_deref().map(parse_direction).or(entry.direction),
        assessment: values.assessment.as_deref().and_then(Assessment::parse).or(entry.assessment),
        due: values.due.or(entry.due),
        delivered: values.delivered.or(entry.delivered),
        narrative: values.narrative.unwrap_or(entry.narrative),
        entered_by: by,
    }
}

async fn list(store: &Store, year: i32) -> anyhow::Result<()> {
    let period = Period::year(year).with_context(|| format!("--year {year}"))?;
    let mut rows = vec![["id", "kriterium", "indikator", "tal", "vurdering", "indtastet af", "godkendt af"]
        .map(String::from)
        .to_vec()];
    for e in store.indicator_entries(&period).await? {
        rows.push(vec![
            e.id.to_string(),
            e.criterion,
            e.indicator,
            e.number.map_or(String::new(), |n| n.to_string()),
            e.assessment.map_or(String::new(), |a| a.code().to_owned()),
            e.entered_by,
            match (e.approved_by, e.sent_back) {
                (Some(by), _) => by,
                (None, Some(back)) => format!("(sendt tilbage af {}: {})", back.by, back.comment),
                (None, None) => "(afventer)".into(),
            },
        ]);
    }
    print_table(&rows);
    Ok(())
}

//! `sikkerby indicator add|approve|list`: the four-eyes flow for the criteria that case data
//! cannot answer.

use crate::format::print_table;
use crate::indicator_args::IndicatorCommand;
use anyhow::Context;
use sikkerby_domain::calendar::Period;
use sikkerby_domain::indicators::{Assessment, Direction};
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
                direction: direction.map(|d| if d == "up" { Direction::Up } else { Direction::Down }),
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
        IndicatorCommand::List { year } => list(store, year).await?,
    }
    Ok(())
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

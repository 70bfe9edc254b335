//! `sikkerby evaluate`: the success criteria for a year as of a date, as JSON (docs/formats.md
//! "Results"), an aligned table or CSV. Every figure goes through the publishing stage
//! (`sikkerby_domain::publish`): disclosure-controlled, or exact with `--raw`, which is recorded
//! in the audit log before anything is printed.

use crate::args::{EvaluateArgs, OutputFormat};
use crate::format::{print_table, write_csv};
use anyhow::{bail, Context};
use chrono::{Datelike, NaiveDate};
use sikkerby_app::Evaluator;
use sikkerby_domain::calendar::Period;
use sikkerby_domain::engine::{Dimension, Request};
use sikkerby_domain::publish::{unprotected, Cell, Published, PublishedGroup, PublishedResult};
use sikkerby_store::audit::Actor;
use sikkerby_store::Store;

pub async fn run(store: &Store, args: &EvaluateArgs) -> anyhow::Result<()> {
    let period = Period::year(args.year).with_context(|| format!("year {}", args.year))?;
    let by = match &args.by {
        Some(text) => Some(Dimension::parse(text).with_context(|| {
            format!("--by {text:?}: choose centre, caseworker, area, sex, age_band or month")
        })?),
        None => None,
    };
    if let Some(code) = &args.initiative {
        store
            .initiative(code)
            .await?
            .with_context(|| format!("--initiative {code:?} is not an initiative"))?;
    }
    let today = chrono::Local::now().date_naive();
    let as_of = as_of(args, today)?;
    let evaluator = Evaluator::load(store.clone()).await?;
    let request = Request { period, as_of, by, initiative: args.initiative.as_deref() };
    let rules = store.disclosure_rules().await?;
    let published = if args.raw {
        let raw = evaluator.evaluate_raw(&request).await?;
        let asked = format!("evaluate year={} as_of={as_of} by={:?}", args.year, args.by);
        let grant = store.grant_raw_figures(&Actor::system("cli"), &asked).await?;
        unprotected(&raw, by, &rules, &grant)
    } else {
        evaluator.publish(&request, &rules).await?
    };
    match args.format {
        OutputFormat::Json => println!("{}", serde_json::to_string_pretty(&published)?),
        OutputFormat::Table => {
            println!(
                "Periode {} – {}, opgjort pr. {}",
                published.period.from, published.period.to, published.as_of
            );
            if let Some(asked) = &published.asked_as_of {
                println!(
                    "(spurgt pr. {asked}: perioden er afsluttet, tallene er dem pr. {})",
                    published.as_of
                );
            }
            print_table(&rows(&published));
            for figure in &published.descriptive {
                let value = text(figure.value, published.threshold, |v| v.to_string());
                println!("{} {}: {} {}", figure.initiative, figure.figure, value, figure.text);
            }
            println!("«<{k}»: under {k}; «·»: skjult for at beskytte et lille tal", k = published.threshold);
        }
        OutputFormat::Csv => write_csv(&rows(&published))?,
    }
    Ok(())
}

/// The as-of date: as given (a closed month-end unless `--raw`), or the last closed month-end.
fn as_of(args: &EvaluateArgs, today: NaiveDate) -> anyhow::Result<NaiveDate> {
    let closed = today.with_day(1).and_then(|d| d.pred_opt()).unwrap_or(today);
    let Some(date) = args.as_of else { return Ok(closed) };
    let month_end = date.succ_opt().is_some_and(|next| next.day() == 1);
    let published_date = month_end && date <= closed;
    if !args.raw && !published_date {
        bail!("--as-of {date}: must be the last day of a month that has ended ({closed} or earlier); figures are published per closed month (exact figures for any day need --raw)");
    }
    Ok(date)
}

fn text<T: Copy>(cell: Cell<T>, threshold: u64, shown: impl Fn(T) -> String) -> String {
    match cell {
        Cell::Shown(v) => shown(v),
        Cell::Withheld(mark) => mark.label(threshold),
        Cell::Absent => String::new(),
    }
}

fn number(v: f64, share: bool) -> String {
    if share {
        format!("{:.1} %", v * 100.0).replace('.', ",")
    } else if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}").replace('.', ",")
    }
}

/// The header and one row per criterion, with its drill-down groups under it when `--by`.
fn rows(published: &Published) -> Vec<Vec<String>> {
    let header = [
        "kriterium",
        "indsats",
        "gruppe",
        "status",
        "værdi",
        "tæller",
        "nævner",
        "ukendt",
        "afventer",
        "mål",
        "interval",
    ];
    let mut rows = vec![header.map(String::from).to_vec()];
    for r in &published.results {
        rows.push(result_row(r, published.threshold));
        for g in &r.breakdown {
            rows.push(group_row(r, g, published.threshold));
        }
    }
    rows
}

fn result_row(r: &PublishedResult, k: u64) -> Vec<String> {
    let share = r.denominator != Cell::Absent;
    let count = |c: Cell<u64>| text(c, k, |n| n.to_string());
    vec![
        r.criterion.clone(),
        r.initiative.clone(),
        String::new(),
        r.status.code().to_owned(),
        text(r.value, k, |v| number(v, share)),
        count(r.numerator),
        count(r.denominator),
        count(r.unknown),
        count(r.pending_members),
        r.target.map_or(String::new(), |t| number(t, share)),
        text(r.interval, k, |[lo, hi]| format!("{}–{}", number(lo, true), number(hi, true))),
    ]
}

fn group_row(r: &PublishedResult, g: &PublishedGroup, k: u64) -> Vec<String> {
    let share = g.denominator != Cell::Absent;
    let count = |c: Cell<u64>| text(c, k, |n| n.to_string());
    vec![
        r.criterion.clone(),
        r.initiative.clone(),
        g.group.clone(),
        String::new(),
        text(g.value, k, |v| number(v, share)),
        count(g.numerator),
        count(g.denominator),
        count(g.unknown),
        String::new(),
        String::new(),
        text(g.interval, k, |[lo, hi]| format!("{}–{}", number(lo, true), number(hi, true))),
    ]
}

//! `sikkerby evaluate`: the success criteria for a year as of a date, as JSON (DATA-FORMATS.md
//! "Results") or a table; through disclosure control unless `--raw`.

use crate::args::{EvaluateArgs, OutputFormat};
use crate::format::print_table;
use anyhow::Context;
use sikkerby_app::Evaluator;
use sikkerby_domain::calendar::Period;
use sikkerby_domain::disclosure::{protect_result, DisclosureRules};
use sikkerby_domain::engine::{Dimension, Evaluation, Request};
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
    let as_of = args.as_of.unwrap_or_else(|| chrono::Local::now().date_naive());
    let evaluator = Evaluator::load(store.clone()).await?;
    let request = Request { period, as_of, by, initiative: args.initiative.as_deref() };
    let mut evaluation = evaluator.evaluate(&request).await?;
    if !args.raw {
        let rules = store.disclosure_rules().await?;
        evaluation.results.iter_mut().for_each(|r| protect_result(&rules, r));
    }
    match args.format {
        OutputFormat::Json => println!("{}", serde_json::to_string_pretty(&evaluation)?),
        OutputFormat::Table | OutputFormat::Csv => {
            print_results(&evaluation, &store.disclosure_rules().await?)
        }
    }
    Ok(())
}

fn number(value: Option<f64>, share: bool) -> String {
    match value {
        Some(v) if share => format!("{:.1} %", v * 100.0).replace('.', ","),
        Some(v) if v.fract() == 0.0 => format!("{v:.0}"),
        Some(v) => format!("{v:.1}").replace('.', ","),
        None => String::new(),
    }
}

fn print_results(evaluation: &Evaluation, rules: &DisclosureRules) {
    let mut rows =
        vec![["kriterium", "indsats", "status", "værdi", "tæller/nævner", "ukendt", "mål", "interval"]
            .map(String::from)
            .to_vec()];
    for r in &evaluation.results {
        let share = r.denominator.is_some();
        let suppressed = |field: &str| r.suppressed.iter().any(|s| s == field);
        let value = if suppressed("value") { rules.label() } else { number(r.value, share) };
        let part = |v: Option<u64>, field: &str| {
            if suppressed(field) {
                rules.label()
            } else {
                v.map_or(String::new(), |n| n.to_string())
            }
        };
        rows.push(vec![
            r.criterion.clone(),
            r.initiative.clone(),
            r.status.code().to_owned(),
            value,
            if share {
                format!("{}/{}", part(r.numerator, "numerator"), part(r.denominator, "denominator"))
            } else {
                String::new()
            },
            if share { r.unknown.to_string() } else { String::new() },
            number(r.target, share),
            r.interval.map_or(String::new(), |[lo, hi]| {
                format!("{}–{}", number(Some(lo), true), number(Some(hi), true))
            }),
        ]);
    }
    println!(
        "Periode {} – {}, opgjort pr. {}",
        evaluation.period.from, evaluation.period.to, evaluation.as_of
    );
    print_table(&rows);
    for figure in &evaluation.descriptive {
        println!("{} {}: {} {}", figure.initiative, figure.figure, figure.value, figure.text);
    }
}

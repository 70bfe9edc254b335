//! `sikkerby budget` and `sikkerby initiatives`: the memo's content as tables, CSV or JSON.

use crate::args::OutputFormat;
use crate::format::{print_table, write_csv};
use sikkerby_domain::budget::{format_danish, Budget, BudgetCell};
use sikkerby_store::Store;

pub async fn budget(store: &Store, format: OutputFormat) -> anyhow::Result<()> {
    let budget = store.budget().await?;
    match format {
        OutputFormat::Json => println!("{}", serde_json::to_string_pretty(&budget_json(&budget))?),
        OutputFormat::Csv => write_csv(&budget_rows(&budget, false))?,
        OutputFormat::Table => print_table(&budget_rows(&budget, true)),
    }
    Ok(())
}

/// Header, one row per line, and the computed totals. In a table a dash is shown for "funding
/// ended" and an empty cell for "no allocation", as the memo prints them.
fn budget_rows(budget: &Budget, for_terminal: bool) -> Vec<Vec<String>> {
    let mut header = vec!["linje".to_owned()];
    if !for_terminal {
        header.push("indsats".to_owned());
    }
    header.extend(budget.years.iter().map(ToString::to_string));
    let mut rows = vec![header];
    for line in &budget.lines {
        let mut row = vec![line.name.clone()];
        if !for_terminal {
            row.push(line.initiative.clone().unwrap_or_default());
        }
        row.extend(line.cells.iter().map(|c| c.memo_text()));
        rows.push(row);
    }
    let mut total = vec!["I alt".to_owned()];
    if !for_terminal {
        total.push(String::new());
    }
    total.extend(budget.totals().into_iter().map(|(_, t)| format_danish(t)));
    rows.push(total);
    rows
}

fn budget_json(budget: &Budget) -> serde_json::Value {
    let cell = |c: &BudgetCell| match c {
        BudgetCell::Amount(a) => {
            serde_json::json!({"kind": "amount", "amount": a.normalize().to_string()})
        }
        BudgetCell::NoAllocation => serde_json::json!({"kind": "no_allocation", "amount": null}),
        BudgetCell::FundingEnded => serde_json::json!({"kind": "funding_ended", "amount": null}),
    };
    let lines: Vec<_> = budget
        .lines
        .iter()
        .map(|l| {
            let cells: serde_json::Map<_, _> =
                budget.years.iter().zip(&l.cells).map(|(y, c)| (y.to_string(), cell(c))).collect();
            serde_json::json!({"line": l.name, "initiative": l.initiative, "cells": cells})
        })
        .collect();
    let totals: serde_json::Map<_, _> = budget
        .totals()
        .into_iter()
        .map(|(y, t)| (y.to_string(), serde_json::json!(t.normalize().to_string())))
        .collect();
    serde_json::json!({"unit": "mio. kr., 2012-priser", "years": budget.years, "lines": lines, "totals": totals})
}

pub async fn initiatives(store: &Store, format: OutputFormat) -> anyhow::Result<()> {
    let portfolio = store.portfolio().await?;
    match format {
        OutputFormat::Json => println!("{}", serde_json::to_string_pretty(&portfolio.initiatives)?),
        OutputFormat::Csv | OutputFormat::Table => {
            let mut rows =
                vec![["kode", "navn", "omfang", "forankring", "kriterier"].map(String::from).to_vec()];
            for i in &portfolio.initiatives {
                rows.push(vec![
                    i.code.to_string(),
                    i.name.clone(),
                    i.scope.code().to_owned(),
                    i.anchor_unit.clone(),
                    i.criteria.join(","),
                ]);
            }
            if format == OutputFormat::Csv {
                write_csv(&rows)?;
            } else {
                print_table(&rows);
            }
        }
    }
    Ok(())
}

/// `sikkerby spend`: records actual spend beside the budget; the amount is an exact decimal.
pub async fn spend(store: &Store, line: &str, year: i32, amount: &str) -> anyhow::Result<()> {
    let amount = sikkerby_domain::budget::parse_decimal(amount)
        .filter(|a| !a.is_sign_negative())
        .ok_or_else(|| anyhow::anyhow!("--amount {amount:?} is not a non-negative decimal number"))?;
    if !store.budget().await?.lines.iter().any(|l| l.name == line) {
        anyhow::bail!("--line {line:?} is not a budget line of the memo (see `sikkerby budget`)");
    }
    store.set_budget_actual(line, year, amount).await?;
    println!("actual spend {year} for {line}: {} mio. kr.", format_danish(amount));
    Ok(())
}

//! The budget section of the PDF: each line of the year against its actual spend, with the
//! cost per participant and per positive outcome.

use super::markup::{cell, figure_cell, lit, suppression_note, table};
use crate::display;
use crate::format;
use crate::model::{BudgetRow, BudgetSection};

fn row(r: &BudgetRow, threshold: u64) -> Vec<String> {
    vec![
        cell(&r.line),
        cell(&display::budget_cell(r.budget)),
        cell(&display::actual(r.actual)),
        figure_cell(&display::count(r.participants, threshold), r.participants),
        figure_cell(&display::count(r.successes, threshold), r.successes),
        cell(&display::cost(r.per_participant)),
        cell(&display::cost(r.per_success)),
    ]
}

/// The budget table with its computed total.
pub fn section(budget: &BudgetSection, threshold: u64) -> String {
    let mut out = format!("= #{}\n", lit(&format!("Budget og forbrug {}", budget.year)));
    out.push_str(&format!(
        "#{}\n\n",
        lit("Beløb i mio. kr. (2012-priser). Pris pr. deltager og pr. positivt udfald er budgetlinjens beløb delt med antal forskellige deltagere hhv. borgere med positivt udfald i året.")
    ));
    let mut rows: Vec<Vec<String>> = budget.rows.iter().map(|r| row(r, threshold)).collect();
    rows.push(vec![
        "[*I alt*]".to_owned(),
        format!("[*#{}*]", lit(&format::decimal_short(budget.total))),
        format!("[*#{}*]", lit(&display::actual(budget.actual_total))),
        cell(""),
        cell(""),
        cell(""),
        cell(""),
    ]);
    out.push_str(&table(
        "(1fr, auto, auto, auto, auto, auto, auto)",
        &[
            "Budgetlinje",
            "Budget",
            "Forbrug",
            "Deltagere",
            "Positive udfald",
            "Kr. pr. deltager",
            "Kr. pr. positivt udfald",
        ],
        &rows,
        &[1, 2, 3, 4, 5, 6],
    ));
    let suppressed = budget.rows.iter().any(|r| r.participants.is_withheld() || r.successes.is_withheld());
    if suppressed {
        out.push_str(&suppression_note(threshold));
    }
    out
}

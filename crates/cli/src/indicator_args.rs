//! Arguments of `sikkerby indicator`: manual and external indicators and deliverables, entered by
//! one user and approved by another.

use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum IndicatorCommand {
    /// Enter a value for a manual (C11, C12), external (C13) or deliverable (C17, C18) criterion.
    Add {
        /// The criterion, e.g. C11.
        #[arg(long)]
        criterion: String,
        /// The calendar year the value answers for.
        #[arg(long)]
        year: i32,
        /// The indicator's name, e.g. "Oplæg/temadage".
        #[arg(long)]
        indicator: String,
        /// A number (e.g. 13 oplæg), for counts and external indicators.
        #[arg(long)]
        number: Option<rust_decimal::Decimal>,
        /// The baseline an external indicator is compared with.
        #[arg(long)]
        baseline: Option<rust_decimal::Decimal>,
        /// Which way an external indicator should move: up or down.
        #[arg(long, value_parser = ["up", "down"])]
        direction: Option<String>,
        /// A manual assessment: met, partly or not_met.
        #[arg(long, value_parser = ["met", "partly", "not_met"])]
        assessment: Option<String>,
        /// A deliverable's due date (YYYY-MM-DD).
        #[arg(long)]
        due: Option<chrono::NaiveDate>,
        /// The date a deliverable was delivered (YYYY-MM-DD).
        #[arg(long)]
        delivered: Option<chrono::NaiveDate>,
        /// What lies behind the value, in words.
        #[arg(long, default_value = "")]
        narrative: String,
        /// Who enters it (a username).
        #[arg(long)]
        by: String,
    },
    /// Approve an entry; the approver must be another user than the one who entered it.
    Approve {
        /// The entry's id, as `indicator list` shows it.
        id: i64,
        /// Who approves it (a username).
        #[arg(long)]
        by: String,
    },
    /// List the entries of a year, approved or not.
    List {
        #[arg(long)]
        year: i32,
    },
}

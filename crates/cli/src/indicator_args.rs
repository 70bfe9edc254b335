//! Arguments of `sikkerby indicator`: manual and external indicators and deliverables, entered by
//! one user and approved by another.

use clap::{Args, Subcommand};

/// The values of a correction; each one given replaces the entry's.
#[derive(Debug, Args)]
pub struct EntryValues {
    /// The indicator's name.
    #[arg(long)]
    pub indicator: Option<String>,
    /// A number, for counts and external indicators.
    #[arg(long)]
    pub number: Option<rust_decimal::Decimal>,
    /// The baseline an external indicator is compared with.
    #[arg(long)]
    pub baseline: Option<rust_decimal::Decimal>,
    /// Which way an external indicator should move: up or down.
    #[arg(long, value_parser = ["up", "down"])]
    pub direction: Option<String>,
    /// A manual assessment: met, partly or not_met.
    #[arg(long, value_parser = ["met", "partly", "not_met"])]
    pub assessment: Option<String>,
    /// A deliverable's due date (YYYY-MM-DD).
    #[arg(long)]
    pub due: Option<chrono::NaiveDate>,
    /// The date a deliverable was delivered (YYYY-MM-DD).
    #[arg(long)]
    pub delivered: Option<chrono::NaiveDate>,
    /// What lies behind the value, in words.
    #[arg(long)]
    pub narrative: Option<String>,
}

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
    /// Send an entry back to be corrected, with a comment saying what is wrong; like approving,
    /// only another user than the one who entered it, and only an entry awaiting review.
    SendBack {
        /// The entry's id, as `indicator list` shows it.
        id: i64,
        /// What is wrong (required, at most 2000 characters).
        #[arg(long)]
        comment: String,
        /// Who sends it back (a username).
        #[arg(long)]
        by: String,
    },
    /// Correct a sent-back entry: the values given replace the entry's, the others stay; the
    /// criterion and year stay. The entry then awaits approval again, entered by `--by`.
    Correct {
        /// The entry's id, as `indicator list` shows it.
        id: i64,
        #[command(flatten)]
        values: EntryValues,
        /// Who corrects it (a username).
        #[arg(long)]
        by: String,
    },
    /// List the entries of a year, approved or not.
    List {
        #[arg(long)]
        year: i32,
    },
}

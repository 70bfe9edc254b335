//! The report model: plain structs holding every figure a committee report shows, already
//! through disclosure control. It is what a snapshot records (as JSON) and what each renderer
//! (PDF, HTML, XLSX) reads; a renderer formats, it never computes or suppresses.

use crate::period::{ReportKind, ReportPeriod};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sikkerby_domain::budget::BudgetCell;
use sikkerby_domain::engine::Status;
use sikkerby_domain::publish::{Cell, Mark};

/// A published figure: a number, withheld by disclosure control (`<5` for a small count, `·`
/// for a cell hidden to protect one), or absent.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Figure {
    Value(f64),
    Suppressed(Mark),
    Missing,
}

impl Figure {
    pub fn is_withheld(self) -> bool {
        matches!(self, Figure::Suppressed(_))
    }

    /// A published cell as a report figure.
    pub fn of(cell: Cell<f64>) -> Self {
        match cell {
            Cell::Shown(v) => Figure::Value(v),
            Cell::Withheld(mark) => Figure::Suppressed(mark),
            Cell::Absent => Figure::Missing,
        }
    }

    /// A published count as a report figure.
    pub fn of_count(cell: Cell<u64>) -> Self {
        Self::of(match cell {
            Cell::Shown(v) => Cell::Shown(v as f64),
            Cell::Withheld(m) => Cell::Withheld(m),
            Cell::Absent => Cell::Absent,
        })
    }

    pub fn value(self) -> Option<f64> {
        match self {
            Figure::Value(v) => Some(v),
            Figure::Suppressed(_) | Figure::Missing => None,
        }
    }
}

/// How a criterion's value reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// A count of persons or placements.
    Count,
    /// A share 0–1 of a cohort, shown as a percentage with its interval.
    Share,
    /// A mean such as full-year places.
    Mean,
    /// Assessed or delivered: a status without a number of its own.
    Other,
}

/// One criterion as the report shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionRow {
    /// `C1` … `C19`.
    pub id: String,
    pub initiative: String,
    /// The memo's words.
    pub words: String,
    pub status: Status,
    pub measure: Measure,
    pub value: Figure,
    pub numerator: Figure,
    pub denominator: Figure,
    /// Follow-ups due but not recorded.
    pub unknown: Figure,
    pub target: Option<f64>,
    /// Wilson 95 % interval of a share.
    pub interval: Option<[f64; 2]>,
    /// The value projected to the end of a running period.
    pub projection: Option<f64>,
    /// The value in earlier years and this one (annual report).
    #[serde(default)]
    pub trend: Vec<TrendPoint>,
    /// Sikker By's goal 1 (C19), shown on its own and with its target as a share of the base year.
    #[serde(default)]
    pub is_goal: bool,
}

/// The value of a criterion in one year.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TrendPoint {
    pub year: i32,
    pub value: Figure,
}

/// A descriptive figure without a target (KRIMITEAM's youths touched).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DescriptiveRow {
    pub text: String,
    pub value: Figure,
}

/// An initiative with its criteria.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InitiativeSection {
    pub code: String,
    pub name: String,
    pub criteria: Vec<CriterionRow>,
    #[serde(default)]
    pub descriptive: Vec<DescriptiveRow>,
}

/// One budget line against its actual spend, with its cost per participant and per positive
/// outcome where the line belongs to an initiative with participants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BudgetRow {
    pub line: String,
    pub initiative: Option<String>,
    /// Millions of kroner.
    pub budget: BudgetCell,
    /// Millions of kroner; `None` = not recorded ("ikke registreret").
    pub actual: Option<Decimal>,
    pub participants: Figure,
    pub successes: Figure,
    /// Kroner per distinct participant (budget amount / participants).
    pub per_participant: Option<Decimal>,
    /// Kroner per positive outcome (budget amount / successes).
    pub per_success: Option<Decimal>,
}

/// The budget of the report year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BudgetSection {
    pub year: i32,
    pub rows: Vec<BudgetRow>,
    /// Computed from the lines, never typed in.
    pub total: Decimal,
    /// The sum of the recorded actuals, if any is recorded.
    pub actual_total: Option<Decimal>,
}

/// The safety-index figures the report shows: an input, since the index is computed elsewhere.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexOverview {
    pub year: i32,
    pub base_year: i32,
    pub areas: Vec<IndexArea>,
    /// Sikker By goal 1 (C19): the number of areas needing marked or intensified effort.
    pub c19: Option<GoalFigures>,
    /// The same count in every year from the base year to the report year (the goal's trend
    /// chart); empty in reports stored before it was kept.
    #[serde(default)]
    pub goal_years: Vec<GoalYear>,
}

/// The goal's count of areas needing marked or intensified effort in one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalYear {
    pub year: i32,
    pub count: u64,
}

/// One area of the index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexArea {
    pub name: String,
    pub district: String,
    /// The total index T (city in the base year = 100; higher = less safe).
    pub t: Option<f64>,
    /// `tryg`, `behov_for_indsats`, `markant` or `intensiveret`.
    pub category: String,
}

/// C19: areas in the two highest categories, base year against the report year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalFigures {
    pub base_year: i32,
    pub base_count: u64,
    pub year: i32,
    pub count: u64,
    pub target_year: i32,
}

/// A half-yearly assessment by an SSP leader group or another source (1–5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaAssessment {
    pub area: String,
    pub district: String,
    pub source: String,
    pub score: u8,
    pub text: String,
}

/// A whole report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub kind: ReportKind,
    pub period: ReportPeriod,
    /// The criteria's as-of date.
    pub as_of: NaiveDate,
    /// Counts below this are shown as `<k`.
    pub threshold: u64,
    /// Sikker By goal 1 (C19), when the evaluation has it.
    pub goal: Option<CriterionRow>,
    /// `None` = the index is not available ("ikke tilgængelig").
    pub index: Option<IndexOverview>,
    #[serde(default)]
    pub assessments: Vec<AreaAssessment>,
    pub initiatives: Vec<InitiativeSection>,
    pub budget: Option<BudgetSection>,
}

impl Report {
    /// Whether any figure is withheld, so the footnote on small numbers is needed.
    pub fn has_suppressed(&self) -> bool {
        let rows = self.initiatives.iter().flat_map(|s| &s.criteria).chain(&self.goal);
        let in_rows = rows.clone().any(|r| {
            [r.value, r.numerator, r.denominator, r.unknown].iter().any(|f| f.is_withheld())
                || r.trend.iter().any(|p| p.value.is_withheld())
        });
        let in_descriptive =
            self.initiatives.iter().flat_map(|s| &s.descriptive).any(|d| d.value.is_withheld());
        let in_budget = self
            .budget
            .iter()
            .flat_map(|b| &b.rows)
            .any(|r| r.participants.is_withheld() || r.successes.is_withheld());
        in_rows || in_descriptive || in_budget
    }
}

/// One figure that changed versus the approved version a correction replaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub criterion: String,
    pub field: String,
    pub before: String,
    pub after: String,
}

/// What the snapshot adds to the model: the version, who made and approved it, corrections.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotMeta {
    pub snapshot_id: i64,
    pub version: i64,
    /// When the snapshot was made (RFC 3339): the creation date printed and embedded.
    pub created_at: String,
    pub created_by: String,
    pub approved_by: Option<String>,
    pub data_version: String,
    /// The version this one corrects, and what changed.
    pub corrects_version: Option<i64>,
    pub changes: Vec<Change>,
}

/// A report with its snapshot: everything a renderer needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub report: Report,
    pub meta: SnapshotMeta,
}

//! The JSON shapes of the API, with their OpenAPI schemas. They live here, not in the domain,
//! so the domain stays free of HTTP concerns and the API can stay stable while the domain moves.
//! Money is a decimal string (`"21.7"`), never a float.

use rust_decimal::Decimal;
use serde::Serialize;
use sikkerby_domain::budget::{Budget, BudgetCell, BudgetLine};
use sikkerby_domain::criteria::CriterionDefinition;
use sikkerby_domain::portfolio::{Cadence, Committee, CrimeCyclePhase, DataSource, Scope};
use utoipa::ToSchema;

/// Scope of an initiative.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScopeDto {
    CityWide,
    AreaBased,
    Monitoring,
}

impl From<Scope> for ScopeDto {
    fn from(scope: Scope) -> Self {
        match scope {
            Scope::CityWide => ScopeDto::CityWide,
            Scope::AreaBased => ScopeDto::AreaBased,
            Scope::Monitoring => ScopeDto::Monitoring,
        }
    }
}

/// A phase of the crime cycle.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PhaseDto {
    Forebyggelse,
    TidligIndsats,
    KriminelLoebebane,
    Afsoning,
    Loesladelse,
}

impl From<CrimeCyclePhase> for PhaseDto {
    fn from(phase: CrimeCyclePhase) -> Self {
        match phase {
            CrimeCyclePhase::Forebyggelse => PhaseDto::Forebyggelse,
            CrimeCyclePhase::TidligIndsats => PhaseDto::TidligIndsats,
            CrimeCyclePhase::KriminelLoebebane => PhaseDto::KriminelLoebebane,
            CrimeCyclePhase::Afsoning => PhaseDto::Afsoning,
            CrimeCyclePhase::Loesladelse => PhaseDto::Loesladelse,
        }
    }
}

/// Where an initiative's figures come from.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DataSourceDto {
    Opera,
    SafetyIndex,
    Manual,
    External,
    None,
}

impl From<DataSource> for DataSourceDto {
    fn from(source: DataSource) -> Self {
        match source {
            DataSource::Opera => DataSourceDto::Opera,
            DataSource::SafetyIndex => DataSourceDto::SafetyIndex,
            DataSource::Manual => DataSourceDto::Manual,
            DataSource::External => DataSourceDto::External,
            DataSource::None => DataSourceDto::None,
        }
    }
}

/// How often a report is due.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CadenceDto {
    Annual,
    HalfYearly,
    Quarterly,
}

impl From<Cadence> for CadenceDto {
    fn from(cadence: Cadence) -> Self {
        match cadence {
            Cadence::Annual => CadenceDto::Annual,
            Cadence::HalfYearly => CadenceDto::HalfYearly,
            Cadence::Quarterly => CadenceDto::Quarterly,
        }
    }
}

/// The code of a committee as the seed writes it (`BIU`, `OEU`, …).
pub fn committee_code(committee: Committee) -> String {
    serde_json::to_value(committee).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// An organisational unit, by id and name.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitRef {
    #[schema(example = "krimiteam")]
    pub id: String,
    #[schema(example = "Krimiteamet, JKU")]
    pub name: String,
}

/// An initiative in the portfolio list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InitiativeSummary {
    #[schema(example = "SSPPLUS")]
    pub code: String,
    pub name: String,
    pub scope: ScopeDto,
    pub anchor_unit: UnitRef,
    /// The target group in words.
    pub target_group: String,
    pub data_source: DataSourceDto,
    /// Ids of the criteria that measure the initiative.
    #[schema(example = json!(["C1", "C2"]))]
    pub criteria: Vec<String>,
    /// The initiative's own resource.
    #[schema(example = "/api/v1/initiatives/SSPPLUS")]
    pub href: String,
}

/// Who may be enrolled; ages in months, `max_age_months` exclusive.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TargetGroupDto {
    pub description: String,
    #[schema(example = 210)]
    pub min_age_months: Option<u32>,
    #[schema(example = 300)]
    pub max_age_months: Option<u32>,
    /// True when the age band is our reading, not the memo's.
    pub age_band_assumed: bool,
}

/// One reporting duty.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportingDto {
    #[schema(example = json!(["BIU", "OEU"]))]
    pub recipients: Vec<String>,
    pub cadence: CadenceDto,
}

/// A success criterion with the memo's words.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CriterionDto {
    #[schema(example = "C1")]
    pub id: String,
    /// The memo's words, verbatim (Danish).
    pub memo_words: String,
    /// The formal definition the engine evaluates.
    pub definition: String,
}

impl From<&CriterionDefinition> for CriterionDto {
    fn from(c: &CriterionDefinition) -> Self {
        CriterionDto { id: c.id.clone(), memo_words: c.memo_words.clone(), definition: c.definition.clone() }
    }
}

/// The memo's own wording of an initiative, verbatim (Danish).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MemoDto {
    pub description: String,
    pub success_criteria: String,
    pub measurement: String,
}

/// One initiative with every field.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InitiativeDetail {
    #[schema(example = "SSPPLUS")]
    pub code: String,
    pub name: String,
    pub scope: ScopeDto,
    pub phases: Vec<PhaseDto>,
    pub anchor_unit: UnitRef,
    pub partners: Vec<String>,
    pub target_group: TargetGroupDto,
    pub capacity_full_year_places: Option<u32>,
    pub data_source: DataSourceDto,
    pub reporting: Vec<ReportingDto>,
    pub criteria: Vec<CriterionDto>,
    /// Ids of the areas the initiative works in.
    pub areas: Vec<String>,
    pub notes: String,
    pub memo: MemoDto,
    /// The budget lines linked to the initiative.
    pub budget_lines: Vec<BudgetLineDto>,
}

/// The kind of a budget cell: the memo's empty cell, its "-", or an amount.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CellKind {
    NoAllocation,
    FundingEnded,
    Amount,
}

/// One cell of the budget table.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CellDto {
    #[schema(example = 2013)]
    pub year: i32,
    pub kind: CellKind,
    /// Millions of kroner as a decimal string; `null` unless `kind` is `amount`.
    #[schema(example = "1.7")]
    pub amount: Option<String>,
}

/// One line of the budget.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BudgetLineDto {
    #[schema(example = "SSP+")]
    pub name: String,
    /// The initiative the line funds, if any.
    #[schema(example = "SSPPLUS")]
    pub initiative: Option<String>,
    pub cells: Vec<CellDto>,
}

/// A year's total, computed from the lines.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TotalDto {
    #[schema(example = 2012)]
    pub year: i32,
    #[schema(example = "21.7")]
    pub amount: String,
}

/// The budget table (Tabel 1) with computed totals.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BudgetDto {
    /// Unit of every amount.
    #[schema(example = "DKK million, 2012 prices")]
    pub unit: String,
    pub years: Vec<i32>,
    pub lines: Vec<BudgetLineDto>,
    pub totals: Vec<TotalDto>,
}

/// A decimal as a plain string without trailing zeros: `21.7`, `1`.
pub fn decimal_string(amount: Decimal) -> String {
    amount.normalize().to_string()
}

impl BudgetLineDto {
    /// A line with its cells labelled by `years`.
    pub fn new(line: &BudgetLine, years: &[i32]) -> Self {
        let cells = line
            .cells
            .iter()
            .zip(years)
            .map(|(&cell, &year)| {
                let (kind, amount) = match cell {
                    BudgetCell::NoAllocation => (CellKind::NoAllocation, None),
                    BudgetCell::FundingEnded => (CellKind::FundingEnded, None),
                    BudgetCell::Amount(a) => (CellKind::Amount, Some(decimal_string(a))),
                };
                CellDto { year, kind, amount }
            })
            .collect();
        BudgetLineDto { name: line.name.clone(), initiative: line.initiative.clone(), cells }
    }
}

impl From<&Budget> for BudgetDto {
    fn from(budget: &Budget) -> Self {
        BudgetDto {
            unit: "DKK million, 2012 prices".into(),
            years: budget.years.clone(),
            lines: budget.lines.iter().map(|l| BudgetLineDto::new(l, &budget.years)).collect(),
            totals: budget
                .totals()
                .into_iter()
                .map(|(year, total)| TotalDto { year, amount: decimal_string(total) })
                .collect(),
        }
    }
}

/// The health check's answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HealthDto {
    #[schema(example = "ok")]
    pub status: String,
}

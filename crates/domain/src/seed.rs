//! The memo's content as data: `seed/*.toml` and `seed/budget.csv`, compiled into the binary and
//! checked for consistency (every reference resolves, the budget totals equal the memo's) before
//! anything is stored. The store loads this idempotently on every start.

use crate::budget::{Budget, BudgetError};
use crate::codes::CodeLists;
use crate::criteria::CriterionDefinition;
use crate::geography::Geography;
use crate::portfolio::{Initiative, OrgUnit, Portfolio};
use serde::Deserialize;
use std::collections::BTreeSet;

const PORTFOLIO_TOML: &str = include_str!("../../../seed/portfolio.toml");
const ORG_UNITS_TOML: &str = include_str!("../../../seed/org_units.toml");
const GEOGRAPHY_TOML: &str = include_str!("../../../seed/geography.toml");
const CRITERIA_TOML: &str = include_str!("../../../seed/criteria.toml");
const CODE_LISTS_TOML: &str = include_str!("../../../seed/code_lists.toml");
const BUDGET_CSV: &str = include_str!("../../../seed/budget.csv");

/// Everything the memo contributes.
#[derive(Debug, Clone, PartialEq)]
pub struct Seed {
    pub portfolio: Portfolio,
    pub org_units: Vec<OrgUnit>,
    pub geography: Geography,
    pub criteria: Vec<CriterionDefinition>,
    pub budget: Budget,
    pub code_lists: CodeLists,
}

/// Why the seed data is inconsistent. Only a broken build can produce one, and the seed tests
/// catch that before it ships.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("seed/{file}: {message}")]
    Parse { file: &'static str, message: String },
    #[error("seed/budget.csv: {0}")]
    Budget(#[from] BudgetError),
    #[error("seed: {0}")]
    Reference(String),
}

#[derive(Deserialize)]
struct PortfolioFile {
    initiative: Vec<Initiative>,
}

#[derive(Deserialize)]
struct OrgUnitsFile {
    unit: Vec<OrgUnit>,
}

#[derive(Deserialize)]
struct CriteriaFile {
    criterion: Vec<toml::Table>,
}

/// Reads each criterion on its own, so that an error names the criterion as well as the file.
fn parse_criteria(text: &str) -> Result<Vec<CriterionDefinition>, SeedError> {
    const FILE: &str = "criteria.toml";
    let file: CriteriaFile = parse(FILE, text)?;
    file.criterion
        .into_iter()
        .enumerate()
        .map(|(n, table)| {
            let id = table.get("id").and_then(|v| v.as_str()).map_or(format!("#{}", n + 1), str::to_owned);
            let c: CriterionDefinition =
                table.try_into().map_err(|e: toml::de::Error| criterion_error(&id, e.message()))?;
            match c.measure.and_then(|m| m.misfit(c.kind)) {
                Some(reason) => Err(criterion_error(&id, reason)),
                None => Ok(c),
            }
        })
        .collect()
}

fn criterion_error(id: &str, reason: &str) -> SeedError {
    SeedError::Parse { file: "criteria.toml", message: format!("criterion {id}: {reason}") }
}

fn parse<T: for<'de> Deserialize<'de>>(file: &'static str, text: &str) -> Result<T, SeedError> {
    toml::from_str(text).map_err(|e| SeedError::Parse { file, message: e.to_string() })
}

/// Parses and cross-checks the compiled-in seed data.
pub fn load() -> Result<Seed, SeedError> {
    let portfolio: PortfolioFile = parse("portfolio.toml", PORTFOLIO_TOML)?;
    let org_units: OrgUnitsFile = parse("org_units.toml", ORG_UNITS_TOML)?;
    let criteria = parse_criteria(CRITERIA_TOML)?;
    let seed = Seed {
        portfolio: Portfolio { initiatives: portfolio.initiative },
        org_units: org_units.unit,
        geography: parse("geography.toml", GEOGRAPHY_TOML)?,
        criteria,
        budget: Budget::from_csv(BUDGET_CSV)?,
        code_lists: parse("code_lists.toml", CODE_LISTS_TOML)?,
    };
    check_references(&seed)?;
    Ok(seed)
}

fn check_references(seed: &Seed) -> Result<(), SeedError> {
    let codes: BTreeSet<&str> = seed.portfolio.initiatives.iter().map(|i| i.code.as_str()).collect();
    let units: BTreeSet<&str> = seed.org_units.iter().map(|u| u.id.as_str()).collect();
    let districts: BTreeSet<&str> = seed.geography.districts.iter().map(|d| d.id.as_str()).collect();
    let areas: BTreeSet<&str> = seed.geography.areas.iter().map(|a| a.id.as_str()).collect();
    let criteria: BTreeSet<&str> = seed.criteria.iter().map(|c| c.id.as_str()).collect();
    let missing = |what: &str, id: &str, from: &str| {
        SeedError::Reference(format!("{from} refers to unknown {what} {id:?}"))
    };
    for i in &seed.portfolio.initiatives {
        let from = format!("initiative {}", i.code);
        if !units.contains(i.anchor_unit.as_str()) {
            return Err(missing("org unit", &i.anchor_unit, &from));
        }
        if let Some(a) = i.areas.iter().find(|a| !areas.contains(a.as_str())) {
            return Err(missing("area", a, &from));
        }
        if let Some(c) = i.criteria.iter().find(|c| !criteria.contains(c.as_str())) {
            return Err(missing("criterion", c, &from));
        }
    }
    for u in &seed.org_units {
        if let Some(p) = u.parent.as_deref().filter(|p| !units.contains(p)) {
            return Err(missing("org unit", p, &format!("org unit {}", u.id)));
        }
    }
    for a in &seed.geography.areas {
        if !districts.contains(a.district.as_str()) {
            return Err(missing("district", &a.district, &format!("area {}", a.id)));
        }
    }
    for c in &seed.criteria {
        let from = format!("criterion {}", c.id);
        if !codes.contains(c.initiative.as_str()) {
            return Err(missing("initiative", &c.initiative, &from));
        }
        if let Some(a) = c.areas.iter().find(|a| !areas.contains(a.as_str())) {
            return Err(missing("area", a, &from));
        }
        if let Some(lack) = c.measure.and_then(|m| m.lacks(c)) {
            return Err(SeedError::Reference(format!("{from}: {lack}")));
        }
    }
    for l in &seed.budget.lines {
        if let Some(code) = l.initiative.as_deref().filter(|c| !codes.contains(c)) {
            return Err(missing("initiative", code, &format!("budget line {}", l.name)));
        }
    }
    for rule in &seed.code_lists.follow_up_rule {
        if rule.initiative != "*" && !codes.contains(rule.initiative.as_str()) {
            return Err(missing("initiative", &rule.initiative, "follow-up rule"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: &str = r#"
[[criterion]]
id = "C99"
initiative = "SSPPLUS"
kind = "count_at_least"
memo_words = ""
definition = ""
targets = []
"#;

    #[test]
    fn the_seed_criteria_load_with_a_measure_for_every_case_and_index_criterion() {
        let criteria = parse_criteria(CRITERIA_TOML).unwrap();
        for c in &criteria {
            let answered_elsewhere = matches!(
                c.kind,
                crate::criteria::CriterionKind::Manual
                    | crate::criteria::CriterionKind::External
                    | crate::criteria::CriterionKind::Deliverable
            );
            assert_eq!(c.measure.is_none(), answered_elsewhere, "{}", c.id);
        }
    }

    #[test]
    fn an_unknown_measure_stops_the_seed_naming_the_file_the_criterion_and_the_reason() {
        let text = ONE.replace("targets = []", "targets = []\nmeasure = \"offer_recipeints\"");
        let err = parse_criteria(&text).unwrap_err().to_string();
        assert!(err.starts_with("seed/criteria.toml: criterion C99: "), "{err}");
        assert!(err.contains("offer_recipeints") && err.contains("offer_recipients"), "{err}");
    }

    #[test]
    fn a_measure_that_does_not_fit_the_kind_stops_the_seed() {
        let text = ONE.replace("targets = []", "targets = []\nmeasure = \"safer_than_previous_year\"");
        let err = parse_criteria(&text).unwrap_err().to_string();
        assert!(err.contains("criterion C99") && err.contains("kind = \"index\""), "{err}");
        let text = ONE.replace("targets = []", "targets = []\nmeasure = \"mean_active_enrollments\"");
        assert!(parse_criteria(&text).unwrap_err().to_string().contains("mean_within_band"));
    }
}

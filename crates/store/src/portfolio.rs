//! The memo's portfolio, geography, criteria and budget in the database: loaded from the seed on
//! every start (idempotent upserts) and read back as domain types.

use crate::{Store, StoreError};
use sikkerby_domain::budget::{Budget, BudgetCell, BudgetLine};
use sikkerby_domain::codes::{Code, CodeLists};
use sikkerby_domain::criteria::CriterionDefinition;
use sikkerby_domain::geography::{Area, District, Geography};
use sikkerby_domain::portfolio::{Initiative, OrgUnit, Portfolio};
use sikkerby_domain::seed::Seed;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

/// How many rows of each kind the seed put in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SeedSummary {
    pub initiatives: usize,
    pub org_units: usize,
    pub districts: usize,
    pub areas: usize,
    pub criteria: usize,
    pub budget_lines: usize,
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn from_json<T: for<'de> serde::Deserialize<'de>>(text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(e.to_string()))
}

impl Store {
    /// Puts the seed in place in one transaction. Running it again changes nothing; running a
    /// newer seed updates the rows it names and leaves case data alone.
    pub async fn load_seed(&self, seed: &Seed) -> Result<SeedSummary, StoreError> {
        let mut tx = self.pool.begin().await?;
        for unit in &seed.org_units {
            upsert_org_unit(&mut tx, unit).await?;
        }
        for (position, initiative) in seed.portfolio.initiatives.iter().enumerate() {
            upsert_initiative(&mut tx, position, initiative).await?;
        }
        upsert_geography(&mut tx, &seed.geography).await?;
        for criterion in &seed.criteria {
            upsert_criterion(&mut tx, criterion).await?;
        }
        upsert_budget(&mut tx, &seed.budget).await?;
        let before = engine_codes(&mut tx).await?;
        upsert_code_lists(&mut tx, &seed.code_lists).await?;
        if engine_codes(&mut tx).await? != before {
            // The evaluators' case data were read with the old codes: all of them reload.
            crate::change_log::append_everything(&mut tx).await?;
        }
        tx.commit().await?;
        Ok(SeedSummary {
            initiatives: seed.portfolio.initiatives.len(),
            org_units: seed.org_units.len(),
            districts: seed.geography.districts.len(),
            areas: seed.geography.areas.len(),
            criteria: seed.criteria.len(),
            budget_lines: seed.budget.lines.len(),
        })
    }

    /// All initiatives in the memo's order.
    pub async fn portfolio(&self) -> Result<Portfolio, StoreError> {
        self.kept("portfolio", || self.read_portfolio()).await
    }

    /// [`Store::portfolio`] as of a generation just read (see [`Store::figures_stamp`]).
    pub async fn portfolio_at(&self, generation: i64) -> Result<Portfolio, StoreError> {
        self.kept_at("portfolio", generation, || self.read_portfolio()).await
    }

    async fn read_portfolio(&self) -> Result<Portfolio, StoreError> {
        let rows =
            sqlx::query("SELECT document FROM initiative ORDER BY position").fetch_all(&self.pool).await?;
        let initiatives = rows
            .iter()
            .map(|row| from_json(&row.try_get::<String, _>("document")?))
            .collect::<Result<_, StoreError>>()?;
        Ok(Portfolio { initiatives })
    }

    /// One initiative by code, or `None`.
    pub async fn initiative(&self, code: &str) -> Result<Option<Initiative>, StoreError> {
        let row = sqlx::query("SELECT document FROM initiative WHERE code = $1")
            .bind(code)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| from_json(&r.try_get::<String, _>("document")?)).transpose()
    }

    /// The organisational units, by id.
    pub async fn org_units(&self) -> Result<Vec<OrgUnit>, StoreError> {
        let rows = sqlx::query("SELECT id, name, administration, parent_id FROM org_unit ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(OrgUnit {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    administration: r.try_get("administration")?,
                    parent: r.try_get("parent_id")?,
                })
            })
            .collect()
    }

    /// Districts and all known areas (the seed's and those the area data brought).
    pub async fn geography(&self) -> Result<Geography, StoreError> {
        self.kept("geography", || self.read_geography()).await
    }

    /// [`Store::geography`] as of a generation just read (see [`Store::generation`]).
    pub async fn geography_at(&self, generation: i64) -> Result<Geography, StoreError> {
        self.kept_at("geography", generation, || self.read_geography()).await
    }

    async fn read_geography(&self) -> Result<Geography, StoreError> {
        let districts = sqlx::query("SELECT id, name FROM district ORDER BY id")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok(District { id: r.try_get("id")?, name: r.try_get("name")? }))
            .collect::<Result<_, StoreError>>()?;
        let areas =
            sqlx::query("SELECT id, name, district_id, memo_wording FROM area ORDER BY district_id, id")
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(area_from_row)
                .collect::<Result<_, StoreError>>()?;
        Ok(Geography { districts, areas })
    }

    /// The criteria definitions, C1 … C19 in numeric order.
    pub async fn criteria(&self) -> Result<Vec<CriterionDefinition>, StoreError> {
        self.kept("criteria", || self.read_criteria()).await
    }

    /// [`Store::criteria`] as of a generation just read (see [`Store::figures_stamp`]).
    pub async fn criteria_at(&self, generation: i64) -> Result<Vec<CriterionDefinition>, StoreError> {
        self.kept_at("criteria", generation, || self.read_criteria()).await
    }

    async fn read_criteria(&self) -> Result<Vec<CriterionDefinition>, StoreError> {
        let rows = sqlx::query("SELECT document FROM criterion").fetch_all(&self.pool).await?;
        let mut criteria: Vec<CriterionDefinition> = rows
            .iter()
            .map(|row| from_json(&row.try_get::<String, _>("document")?))
            .collect::<Result<_, StoreError>>()?;
        criteria.sort_by_key(|c| c.id.trim_start_matches('C').parse::<u32>().unwrap_or(u32::MAX));
        Ok(criteria)
    }

    /// The budget table as stored; totals are computed by [`Budget::totals`].
    pub async fn budget(&self) -> Result<Budget, StoreError> {
        let lines = sqlx::query("SELECT position, name, initiative_code FROM budget_line ORDER BY position")
            .fetch_all(&self.pool)
            .await?;
        let cells = sqlx::query(
            "SELECT line_position, year, kind, amount FROM budget_cell ORDER BY line_position, year",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut years: Vec<i32> = Vec::new();
        for cell in &cells {
            let year = cell.try_get::<i64, _>("year")? as i32;
            if !years.contains(&year) {
                years.push(year);
            }
        }
        years.sort_unstable();
        let lines =
            lines.iter().map(|line| budget_line_from_rows(line, &cells, &years)).collect::<Result<_, _>>()?;
        Ok(Budget { years, lines })
    }
}

fn area_from_row(r: &AnyRow) -> Result<Area, StoreError> {
    Ok(Area {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        district: r.try_get::<Option<String>, _>("district_id")?.unwrap_or_default(),
        memo_wording: r.try_get("memo_wording")?,
    })
}

fn budget_line_from_rows(line: &AnyRow, cells: &[AnyRow], years: &[i32]) -> Result<BudgetLine, StoreError> {
    let position: i64 = line.try_get("position")?;
    let mut out = vec![BudgetCell::NoAllocation; years.len()];
    for cell in cells {
        if cell.try_get::<i64, _>("line_position")? != position {
            continue;
        }
        let year = cell.try_get::<i64, _>("year")? as i32;
        let column = years.iter().position(|&y| y == year).unwrap_or_default();
        out[column] = cell_from_row(cell)?;
    }
    Ok(BudgetLine { name: line.try_get("name")?, initiative: line.try_get("initiative_code")?, cells: out })
}

fn cell_from_row(cell: &AnyRow) -> Result<BudgetCell, StoreError> {
    let kind: String = cell.try_get("kind")?;
    match kind.as_str() {
        "no_allocation" => Ok(BudgetCell::NoAllocation),
        "funding_ended" => Ok(BudgetCell::FundingEnded),
        "amount" => {
            let text: Option<String> = cell.try_get("amount")?;
            text.and_then(|t| t.parse().ok())
                .map(BudgetCell::Amount)
                .ok_or_else(|| StoreError::Corrupt("budget amount is not a decimal".into()))
        }
        other => Err(StoreError::Corrupt(format!("unknown budget cell kind {other:?}"))),
    }
}

async fn upsert_org_unit(tx: &mut Transaction<'_, Any>, unit: &OrgUnit) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO org_unit (id, name, administration, parent_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name,
             administration = excluded.administration, parent_id = excluded.parent_id",
    )
    .bind(&unit.id)
    .bind(&unit.name)
    .bind(&unit.administration)
    .bind(&unit.parent)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn upsert_initiative(
    tx: &mut Transaction<'_, Any>,
    position: usize,
    i: &Initiative,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO initiative (code, position, name, scope, data_source, anchor_unit_id,
             capacity_full_year_places, min_age_months, max_age_months, document)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (code) DO UPDATE SET position = excluded.position, name = excluded.name,
             scope = excluded.scope, data_source = excluded.data_source,
             anchor_unit_id = excluded.anchor_unit_id,
             capacity_full_year_places = excluded.capacity_full_year_places,
             min_age_months = excluded.min_age_months, max_age_months = excluded.max_age_months,
             document = excluded.document",
    )
    .bind(i.code.as_str())
    .bind(position as i64)
    .bind(&i.name)
    .bind(i.scope.code())
    .bind(to_json(&i.data_source)?.trim_matches('"').to_owned())
    .bind(&i.anchor_unit)
    .bind(i.capacity_full_year_places.map(i64::from))
    .bind(i.target_group.min_age_months.map(i64::from))
    .bind(i.target_group.max_age_months.map(i64::from))
    .bind(to_json(i)?)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn upsert_geography(tx: &mut Transaction<'_, Any>, geo: &Geography) -> Result<(), StoreError> {
    for d in &geo.districts {
        sqlx::query(
            "INSERT INTO district (id, name) VALUES ($1, $2)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name",
        )
        .bind(&d.id)
        .bind(&d.name)
        .execute(&mut **tx)
        .await?;
    }
    for a in &geo.areas {
        sqlx::query(
            "INSERT INTO area (id, name, district_id, memo_wording, from_seed) VALUES ($1, $2, $3, $4, 1)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, district_id = excluded.district_id,
                 memo_wording = excluded.memo_wording, from_seed = 1",
        )
        .bind(&a.id)
        .bind(&a.name)
        .bind(&a.district)
        .bind(&a.memo_wording)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

async fn upsert_criterion(tx: &mut Transaction<'_, Any>, c: &CriterionDefinition) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO criterion (id, initiative_code, kind, document) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET initiative_code = excluded.initiative_code,
             kind = excluded.kind, document = excluded.document",
    )
    .bind(&c.id)
    .bind(&c.initiative)
    .bind(to_json(&c.kind)?.trim_matches('"').to_owned())
    .bind(to_json(c)?)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn upsert_budget(tx: &mut Transaction<'_, Any>, budget: &Budget) -> Result<(), StoreError> {
    for (position, line) in budget.lines.iter().enumerate() {
        sqlx::query(
            "INSERT INTO budget_line (position, name, initiative_code) VALUES ($1, $2, $3)
             ON CONFLICT (position) DO UPDATE SET name = excluded.name,
                 initiative_code = excluded.initiative_code",
        )
        .bind(position as i64)
        .bind(&line.name)
        .bind(&line.initiative)
        .execute(&mut **tx)
        .await?;
        for (cell, &year) in line.cells.iter().zip(&budget.years) {
            upsert_budget_cell(tx, position, year, *cell).await?;
        }
    }
    Ok(())
}

async fn upsert_budget_cell(
    tx: &mut Transaction<'_, Any>,
    position: usize,
    year: i32,
    cell: BudgetCell,
) -> Result<(), StoreError> {
    let (kind, amount) = match cell {
        BudgetCell::NoAllocation => ("no_allocation", None),
        BudgetCell::FundingEnded => ("funding_ended", None),
        BudgetCell::Amount(a) => ("amount", Some(a.to_string())),
    };
    sqlx::query(
        "INSERT INTO budget_cell (line_position, year, kind, amount) VALUES ($1, $2, $3, $4)
         ON CONFLICT (line_position, year) DO UPDATE SET kind = excluded.kind, amount = excluded.amount",
    )
    .bind(position as i64)
    .bind(i64::from(year))
    .bind(kind)
    .bind(amount)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The code lists stored in the database; the follow-up rules come from the seed.
const CODE_LIST_NAMES: [&str; 3] = ["offer_type", "end_reason", "follow_up_status"];

/// What the engine's case data take from the code lists (which offers are "lab", which ends
/// and statuses are positive). Only a change here makes loaded case data stale: every CLI
/// command loads the seed, and an unchanged seed must not make every server reload.
async fn engine_codes(tx: &mut Transaction<'_, Any>) -> Result<Vec<(String, String, i64, i64)>, StoreError> {
    let rows = sqlx::query("SELECT list, code, lab, positive FROM code_list ORDER BY list, code")
        .fetch_all(&mut **tx)
        .await?;
    let columns = |r: &AnyRow| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?));
    rows.iter().map(columns).collect::<Result<_, sqlx::Error>>().map_err(StoreError::from)
}

async fn upsert_code_lists(tx: &mut Transaction<'_, Any>, lists: &CodeLists) -> Result<(), StoreError> {
    let all = [&lists.offer_type, &lists.end_reason, &lists.follow_up_status];
    for (name, codes) in CODE_LIST_NAMES.iter().zip(all) {
        for (position, code) in codes.iter().enumerate() {
            sqlx::query(
                "INSERT INTO code_list (list, code, position, label_da, label_en, lab, positive)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)
                 ON CONFLICT (list, code) DO UPDATE SET position = excluded.position,
                     label_da = excluded.label_da, label_en = excluded.label_en,
                     lab = excluded.lab, positive = excluded.positive",
            )
            .bind(*name)
            .bind(&code.code)
            .bind(position as i64)
            .bind(&code.da)
            .bind(&code.en)
            .bind(i64::from(code.lab))
            .bind(i64::from(code.positive))
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

impl Store {
    /// The code lists as stored (a code added in the database is honoured), with the seed's
    /// follow-up rules.
    pub async fn code_lists(&self) -> Result<CodeLists, StoreError> {
        self.kept("code_lists", || self.read_code_lists()).await
    }

    /// [`Store::code_lists`] as of a generation just read (see [`Store::generation`]).
    pub async fn code_lists_at(&self, generation: i64) -> Result<CodeLists, StoreError> {
        self.kept_at("code_lists", generation, || self.read_code_lists()).await
    }

    async fn read_code_lists(&self) -> Result<CodeLists, StoreError> {
        let rows = sqlx::query(
            "SELECT list, code, label_da, label_en, lab, positive FROM code_list ORDER BY list, position",
        )
        .fetch_all(&self.pool)
        .await?;
        let seed = sikkerby_domain::seed::load()?;
        let mut lists = CodeLists { follow_up_rule: seed.code_lists.follow_up_rule, ..seed.code_lists };
        lists.offer_type.clear();
        lists.end_reason.clear();
        lists.follow_up_status.clear();
        for row in &rows {
            let code = Code {
                code: row.try_get("code")?,
                da: row.try_get("label_da")?,
                en: row.try_get("label_en")?,
                lab: row.try_get::<i64, _>("lab")? != 0,
                positive: row.try_get::<i64, _>("positive")? != 0,
            };
            match row.try_get::<String, _>("list")?.as_str() {
                "offer_type" => lists.offer_type.push(code),
                "end_reason" => lists.end_reason.push(code),
                _ => lists.follow_up_status.push(code),
            }
        }
        Ok(lists)
    }
}

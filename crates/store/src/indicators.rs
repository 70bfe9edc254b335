//! Manual and external indicators and deliverables: entered, approved by a second user, listed.

use crate::cases::rows::{iso, opt_date, parse_iso};
use crate::cases::CaseError;
use crate::{Store, StoreError};
use chrono::{NaiveDate, Utc};
use rust_decimal::Decimal;
use sikkerby_domain::calendar::Period;
use sikkerby_domain::criteria::CriterionKind;
use sikkerby_domain::indicators::{Assessment, Direction, IndicatorEntry};
use sqlx::any::AnyRow;
use sqlx::Row;

/// A new entry; `entered_by` is the user making it.
#[derive(Debug, Clone)]
pub struct NewIndicatorEntry {
    pub criterion: String,
    pub period: Period,
    pub indicator: String,
    pub number: Option<Decimal>,
    pub baseline: Option<Decimal>,
    pub direction: Option<Direction>,
    pub assessment: Option<Assessment>,
    pub due: Option<NaiveDate>,
    pub delivered: Option<NaiveDate>,
    pub narrative: String,
    pub entered_by: String,
}

fn invalid(field: &'static str, reason: &str) -> CaseError {
    CaseError::Invalid { field, reason: reason.to_owned() }
}

impl Store {
    /// Stores an entry awaiting approval, after checking it fits its criterion's kind.
    pub async fn add_indicator_entry(&self, new: &NewIndicatorEntry) -> Result<i64, CaseError> {
        let criteria = self.criteria().await?;
        let def = criteria
            .iter()
            .find(|c| c.id == new.criterion)
            .ok_or_else(|| invalid("kriterium", "ukendt kriterium"))?;
        check_fits(def.kind, new)?;
        let direction = new.direction.map(|d| if d == Direction::Up { "up" } else { "down" });
        let row = sqlx::query(
            "INSERT INTO indicator_entry (criterion_id, period_from, period_to, indicator, number, baseline,
                 direction, assessment, due_date, delivered, narrative, entered_by, entered_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        )
        .bind(&new.criterion)
        .bind(iso(new.period.from()))
        .bind(iso(new.period.to()))
        .bind(new.indicator.trim())
        .bind(new.number.map(|n| n.to_string()))
        .bind(new.baseline.map(|n| n.to_string()))
        .bind(direction)
        .bind(new.assessment.map(Assessment::code))
        .bind(new.due.map(iso))
        .bind(new.delivered.map(iso))
        .bind(new.narrative.trim())
        .bind(new.entered_by.trim())
        .bind(Utc::now().to_rfc3339())
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get("id")?)
    }

    /// Approves an entry; the approver must be another user than the one who entered it.
    pub async fn approve_indicator_entry(&self, id: i64, approver: &str) -> Result<(), CaseError> {
        let entry = self
            .indicator_entry(id)
            .await?
            .ok_or_else(|| CaseError::NotFound { what: "indikator", id: id.to_string() })?;
        entry.check_approval(approver).map_err(|e| invalid("godkendt_af", &e.to_string()))?;
        sqlx::query("UPDATE indicator_entry SET approved_by = $1, approved_at = $2 WHERE id = $3 AND approved_by IS NULL")
            .bind(approver.trim())
            .bind(Utc::now().to_rfc3339())
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// One entry by id.
    pub async fn indicator_entry(&self, id: i64) -> Result<Option<IndicatorEntry>, StoreError> {
        let row =
            sqlx::query(&format!("{SELECT_ENTRY} WHERE id = $1")).bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(entry_from_row).transpose()
    }

    /// Every entry (approved or not) for periods overlapping `period`.
    pub async fn indicator_entries(&self, period: &Period) -> Result<Vec<IndicatorEntry>, StoreError> {
        let rows = sqlx::query(&format!(
            "{SELECT_ENTRY} WHERE period_from <= $1 AND period_to >= $2 ORDER BY criterion_id, id"
        ))
        .bind(iso(period.to()))
        .bind(iso(period.from()))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(entry_from_row).collect()
    }
}

fn check_fits(kind: CriterionKind, new: &NewIndicatorEntry) -> Result<(), CaseError> {
    if new.indicator.trim().is_empty() {
        return Err(invalid("indikator", "skal udfyldes"));
    }
    match kind {
        CriterionKind::Manual | CriterionKind::Index if new.assessment.is_none() => Err(invalid(
            "vurdering",
            "en manuel indikator skal have en vurdering (opfyldt/delvist/ikke opfyldt)",
        )),
        CriterionKind::External
            if new.number.is_none() || new.baseline.is_none() || new.direction.is_none() =>
        {
            Err(invalid("vaerdi", "en ekstern indikator skal have værdi, basisværdi og retning"))
        }
        CriterionKind::Deliverable if new.due.is_none() => {
            Err(invalid("frist", "en leverance skal have en frist"))
        }
        CriterionKind::CountAtLeast | CriterionKind::ShareAtLeast | CriterionKind::MeanWithinBand => {
            Err(invalid("kriterium", "kriteriet beregnes af sagsdata og kan ikke indtastes"))
        }
        _ => Ok(()),
    }
}

const SELECT_ENTRY: &str = "SELECT id, criterion_id, period_from, period_to, indicator, number, baseline,
    direction, assessment, due_date, delivered, narrative, entered_by, approved_by FROM indicator_entry";

fn decimal(row: &AnyRow, column: &str) -> Result<Option<Decimal>, StoreError> {
    let text: Option<String> = row.try_get(column)?;
    text.map(|t| t.parse().map_err(|_| StoreError::Corrupt(format!("{column} is not a decimal")))).transpose()
}

fn entry_from_row(row: &AnyRow) -> Result<IndicatorEntry, StoreError> {
    let from = parse_iso(&row.try_get::<String, _>("period_from")?)?;
    let to = parse_iso(&row.try_get::<String, _>("period_to")?)?;
    let direction: Option<String> = row.try_get("direction")?;
    let assessment: Option<String> = row.try_get("assessment")?;
    Ok(IndicatorEntry {
        id: row.try_get("id")?,
        criterion: row.try_get("criterion_id")?,
        period: Period::new(from, to).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        indicator: row.try_get("indicator")?,
        number: decimal(row, "number")?,
        baseline: decimal(row, "baseline")?,
        direction: direction.map(|d| if d == "up" { Direction::Up } else { Direction::Down }),
        assessment: assessment.as_deref().and_then(Assessment::parse),
        due: opt_date(row, "due_date")?,
        delivered: opt_date(row, "delivered")?,
        narrative: row.try_get("narrative")?,
        entered_by: row.try_get("entered_by")?,
        approved_by: row.try_get("approved_by")?,
    })
}

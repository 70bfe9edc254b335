//! Manual and external indicators and deliverables (docs/indicators.md): entered, reviewed by a
//! second user (approved, or sent back with a comment and then corrected), listed. Every change
//! appends its `indicator` audit row in the change's own transaction: both or neither.

mod delivery;
mod review;

pub use delivery::{parse_delivery, DeliveryError, DeliveryProblem, DeliveryRow, DELIVERY_COLUMNS};

use crate::audit::{append_many, Actor, AuditAction, AuditEntry};
use crate::cases::rows::{iso, opt_date, parse_iso};
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sikkerby_domain::calendar::Period;
use sikkerby_domain::criteria::CriterionDefinition;
use sikkerby_domain::indicators::{
    entry_kind, Assessment, Direction, EntryKind, IndicatorEntry, ReviewError, SentBack,
};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// A new entry (or the corrected values of a sent-back one); `entered_by` is the user making it.
#[derive(Debug, Clone)]
pub struct NewIndicatorEntry {
    pub criterion: String,
    pub period: Period,
    pub indicator: String,
    pub number: Option<Decimal>,
    pub baseline: Option<Decimal>,
    pub direction: Option<Direction>,
    pub assessment: Option<Assessment>,
    pub due: Option<chrono::NaiveDate>,
    pub delivered: Option<chrono::NaiveDate>,
    pub narrative: String,
    pub entered_by: String,
}

impl NewIndicatorEntry {
    /// An entry for `criterion` and `period` by `entered_by`, with no values yet.
    pub fn blank(criterion: &str, period: Period, entered_by: &str) -> Self {
        NewIndicatorEntry {
            criterion: criterion.to_owned(),
            period,
            indicator: String::new(),
            number: None,
            baseline: None,
            direction: None,
            assessment: None,
            due: None,
            delivered: None,
            narrative: String::new(),
            entered_by: entered_by.to_owned(),
        }
    }
}

/// Why an indicator write was refused; nothing was stored.
#[derive(Debug, thiserror::Error)]
pub enum IndicatorError {
    /// A value that does not fit the criterion; `field` is the form field.
    #[error("{field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    #[error("indicator entry {0} does not exist")]
    NotFound(i64),
    /// The four-eyes rule or the entry's review status refuses it.
    #[error(transparent)]
    Review(#[from] ReviewError),
    /// A delivery file with bad lines: every one of them, in line order.
    #[error("{file}: lines were rejected, so nothing was stored: {}", list(.errors))]
    Rejected { file: String, errors: Vec<DeliveryError> },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for IndicatorError {
    fn from(e: sqlx::Error) -> Self {
        IndicatorError::Store(e.into())
    }
}

fn list(errors: &[DeliveryError]) -> String {
    errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
}

fn invalid(field: &'static str, reason: &str) -> IndicatorError {
    IndicatorError::Invalid { field, reason: reason.to_owned() }
}

/// The audit row of a change to entry `id`: what was done (`entered`, `approved`, ...) and to
/// which criterion. Never the values or the comment: free text stays in the entry.
fn audit_row(actor: &Actor, what: &str, id: i64, criterion: &str) -> AuditEntry {
    AuditEntry::new(actor, AuditAction::Indicator, Utc::now())
        .detail(format!("entry {id} ({criterion}) {what}"))
}

impl Store {
    /// Stores an entry awaiting approval, after checking it fits its criterion's kind.
    pub async fn add_indicator_entry(
        &self,
        new: &NewIndicatorEntry,
        actor: &Actor,
    ) -> Result<i64, IndicatorError> {
        let ids = self.add_indicator_entries(std::slice::from_ref(new), actor).await?;
        ids.first().copied().ok_or_else(|| invalid("kriterium", "intet at gemme"))
    }

    /// Stores several entries awaiting approval (the lines of a delivery file) in one
    /// transaction: all or none.
    pub async fn add_indicator_entries(
        &self,
        new: &[NewIndicatorEntry],
        actor: &Actor,
    ) -> Result<Vec<i64>, IndicatorError> {
        let criteria = self.criteria().await?;
        for entry in new {
            check_fits(&criteria, entry)?;
        }
        let mut tx = self.pool.begin().await?;
        let mut ids = Vec::with_capacity(new.len());
        for entry in new {
            ids.push(insert(&mut tx, entry).await?);
        }
        let rows: Vec<AuditEntry> =
            ids.iter().zip(new).map(|(id, e)| audit_row(actor, "entered", *id, &e.criterion)).collect();
        append_many(&mut tx, &rows).await?;
        tx.commit().await?;
        Ok(ids)
    }

    /// Stores the lines of a delivery file (see [`parse_delivery`]) as entries awaiting
    /// approval, each with the criterion, period, narrative and user of `shared`; all or none. A
    /// file with any bad line stores nothing and names every bad line.
    pub async fn add_indicator_delivery(
        &self,
        shared: &NewIndicatorEntry,
        file: &str,
        bytes: &[u8],
        actor: &Actor,
    ) -> Result<Vec<i64>, IndicatorError> {
        let rows = parse_delivery(bytes)
            .map_err(|errors| IndicatorError::Rejected { file: file.to_owned(), errors })?;
        let entries: Vec<NewIndicatorEntry> = rows
            .into_iter()
            .map(|row| NewIndicatorEntry {
                indicator: row.indicator,
                number: Some(row.number),
                baseline: Some(row.baseline),
                direction: Some(row.direction),
                ..shared.clone()
            })
            .collect();
        self.add_indicator_entries(&entries, actor).await
    }

    /// One entry by id.
    pub async fn indicator_entry(&self, id: i64) -> Result<Option<IndicatorEntry>, StoreError> {
        let row =
            sqlx::query(&format!("{SELECT_ENTRY} WHERE id = $1")).bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(entry_from_row).transpose()
    }

    /// Every entry (whatever its status) for periods overlapping `period`.
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

    /// The year of the latest period any entry answers for (`None`: no entries yet).
    pub async fn latest_indicator_year(&self) -> Result<Option<i32>, StoreError> {
        let row = sqlx::query("SELECT MAX(period_from) AS latest FROM indicator_entry")
            .fetch_one(&self.pool)
            .await?;
        let latest: Option<String> = row.try_get("latest")?;
        Ok(latest.and_then(|d| d.get(..4).and_then(|y| y.parse().ok())))
    }

    /// Every entry awaiting approval, of any period (who may approve which is the caller's
    /// filter: [`IndicatorEntry::entered_by_is`]).
    pub async fn pending_indicator_entries(&self) -> Result<Vec<IndicatorEntry>, StoreError> {
        let rows = sqlx::query(&format!(
            "{SELECT_ENTRY} WHERE approved_by IS NULL AND sent_back_by IS NULL ORDER BY criterion_id, id"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(entry_from_row).collect()
    }
}

/// The entered values, bound as `$1` … `$12` in the order of [`VALUE_COLUMNS`].
fn bind_values<'q>(query: Query<'q>, new: &'q NewIndicatorEntry) -> Query<'q> {
    query
        .bind(iso(new.period.from()))
        .bind(iso(new.period.to()))
        .bind(new.indicator.trim())
        .bind(new.number.map(|n| n.to_string()))
        .bind(new.baseline.map(|n| n.to_string()))
        .bind(new.direction.map(direction_code))
        .bind(new.assessment.map(Assessment::code))
        .bind(new.due.map(iso))
        .bind(new.delivered.map(iso))
        .bind(new.narrative.trim())
        .bind(new.entered_by.trim())
        .bind(Utc::now().to_rfc3339())
}

type Query<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// The columns [`bind_values`] fills.
const VALUE_COLUMNS: [&str; 12] = [
    "period_from",
    "period_to",
    "indicator",
    "number",
    "baseline",
    "direction",
    "assessment",
    "due_date",
    "delivered",
    "narrative",
    "entered_by",
    "entered_at",
];

async fn insert(conn: &mut AnyConnection, new: &NewIndicatorEntry) -> Result<i64, IndicatorError> {
    let sql = format!(
        "INSERT INTO indicator_entry ({}, criterion_id) VALUES ({}, $13) RETURNING id",
        VALUE_COLUMNS.join(", "),
        (1..=12).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
    );
    let row = bind_values(sqlx::query(&sql), new).bind(&new.criterion).fetch_one(&mut *conn).await?;
    Ok(row.try_get("id")?)
}

fn direction_code(direction: Direction) -> &'static str {
    if direction == Direction::Up {
        "up"
    } else {
        "down"
    }
}

/// The criterion exists and the entry has what its kind needs.
pub(crate) fn check_fits(
    criteria: &[CriterionDefinition],
    new: &NewIndicatorEntry,
) -> Result<(), IndicatorError> {
    let def = criteria
        .iter()
        .find(|c| c.id == new.criterion)
        .ok_or_else(|| invalid("kriterium", "ukendt kriterium"))?;
    if new.indicator.trim().is_empty() {
        return Err(invalid("indikator", "skal udfyldes"));
    }
    if new.entered_by.trim().is_empty() {
        return Err(invalid("indtastet_af", "skal udfyldes"));
    }
    let missing = match entry_kind(def) {
        None => return Err(invalid("kriterium", "kriteriet beregnes af data og kan ikke indtastes")),
        Some(EntryKind::Assessment) if new.assessment.is_none() => {
            Some(("vurdering", "en manuel indikator skal have en vurdering (opfyldt/delvist/ikke opfyldt)"))
        }
        Some(EntryKind::External)
            if new.number.is_none() || new.baseline.is_none() || new.direction.is_none() =>
        {
            Some(("vaerdi", "en ekstern indikator skal have værdi, basisværdi og retning"))
        }
        Some(EntryKind::Deliverable) if new.due.is_none() => {
            Some(("frist", "en leverance skal have en frist"))
        }
        Some(_) => None,
    };
    missing.map_or(Ok(()), |(field, reason)| Err(invalid(field, reason)))
}

const SELECT_ENTRY: &str = "SELECT id, criterion_id, period_from, period_to, indicator, number, baseline,
    direction, assessment, due_date, delivered, narrative, entered_by, entered_at, approved_by, approved_at,
    sent_back_by, sent_back_at, sent_back_comment FROM indicator_entry";

fn decimal(row: &AnyRow, column: &str) -> Result<Option<Decimal>, StoreError> {
    let text: Option<String> = row.try_get(column)?;
    text.map(|t| t.parse().map_err(|_| StoreError::Corrupt(format!("{column} is not a decimal")))).transpose()
}

fn time(row: &AnyRow, column: &str) -> Result<Option<DateTime<Utc>>, StoreError> {
    let text: Option<String> = row.try_get(column)?;
    text.map(|t| {
        DateTime::parse_from_rfc3339(&t)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| StoreError::Corrupt(format!("{column} {t:?} is not RFC 3339")))
    })
    .transpose()
}

fn sent_back(row: &AnyRow) -> Result<Option<SentBack>, StoreError> {
    let by: Option<String> = row.try_get("sent_back_by")?;
    let Some(by) = by else { return Ok(None) };
    let at = time(row, "sent_back_at")?.ok_or_else(|| StoreError::Corrupt("sent_back_at missing".into()))?;
    let comment: Option<String> = row.try_get("sent_back_comment")?;
    Ok(Some(SentBack { by, at, comment: comment.unwrap_or_default() }))
}

fn entry_from_row(row: &AnyRow) -> Result<IndicatorEntry, StoreError> {
    let from = parse_iso(&row.try_get::<String, _>("period_from")?)?;
    let to = parse_iso(&row.try_get::<String, _>("period_to")?)?;
    let direction: Option<String> = row.try_get("direction")?;
    let assessment: Option<String> = row.try_get("assessment")?;
    let entered_at =
        time(row, "entered_at")?.ok_or_else(|| StoreError::Corrupt("entered_at missing".into()))?;
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
        entered_at,
        approved_by: row.try_get("approved_by")?,
        approved_at: time(row, "approved_at")?,
        sent_back: sent_back(row)?,
    })
}

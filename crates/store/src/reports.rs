//! Recorded report snapshots and the few aggregates the committee reports need beside the
//! criteria: actual spend per budget line, participants and positive outcomes per initiative,
//! and a fingerprint of the case data.
//!
//! A snapshot holds the evaluated report model as JSON (the store does not interpret it) with
//! the versions it was made from. An approved snapshot is locked: every write here that changes
//! a snapshot is conditional on `approved_by IS NULL`.

use crate::audit::{Actor, AuditAction, AuditEntry};
use crate::cases::{invalid, CaseError};
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::BTreeMap;

/// What can go wrong with a snapshot.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("report snapshot {0} does not exist")]
    NotFound(i64),
    #[error("report snapshot {0} is approved and locked")]
    Locked(i64),
    #[error("a report snapshot must be approved by another user than the one who made it")]
    SelfApproval,
    #[error("the approver must be named")]
    NoApprover,
}

impl From<sqlx::Error> for SnapshotError {
    fn from(e: sqlx::Error) -> Self {
        SnapshotError::Store(StoreError::Database(e))
    }
}

/// A snapshot to record: the report model and what it was made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSnapshot {
    /// `annual`, `halfyear` or `quarter`.
    pub kind: String,
    /// `2013`, `2013H1` or `2013Q2`.
    pub period: String,
    /// The evaluated report model as JSON.
    pub model: String,
    pub data_version: String,
    pub config_version: String,
    pub criteria_version: String,
    /// The configuration itself (JSON), so the config version can be explained.
    pub configuration: String,
    pub created_by: String,
    /// RFC 3339; also the creation date printed in the rendered report.
    pub created_at: String,
    /// The approved snapshot this one corrects.
    pub corrects_id: Option<i64>,
    /// The figures changed versus `corrects_id` (JSON list).
    pub changes: String,
}

/// A recorded snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub id: i64,
    pub version: i64,
    pub approved_by: Option<String>,
    pub approved_at: Option<String>,
    pub snapshot: NewSnapshot,
}

impl Snapshot {
    pub fn is_approved(&self) -> bool {
        self.approved_by.is_some()
    }
}

const SELECT: &str = "SELECT id, kind, period, version, model, data_version, config_version,
    criteria_version, configuration, created_by, created_at, corrects_id, changes, approved_by,
    approved_at FROM report_snapshot";

impl Store {
    /// Records a snapshot as the next version for its kind and period; returns it.
    pub async fn insert_report_snapshot(&self, new: &NewSnapshot) -> Result<Snapshot, SnapshotError> {
        let mut tx = self.pool.begin().await?;
        let next: i64 = sqlx::query(
            "SELECT COALESCE(MAX(version), 0) + 1 AS next FROM report_snapshot WHERE kind = $1 AND period = $2",
        )
        .bind(&new.kind)
        .bind(&new.period)
        .fetch_one(&mut *tx)
        .await?
        .try_get("next")?;
        let row = sqlx::query(
            "INSERT INTO report_snapshot (kind, period, version, model, data_version, config_version,
                 criteria_version, configuration, created_by, created_at, corrects_id, changes)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        )
        .bind(&new.kind)
        .bind(&new.period)
        .bind(next)
        .bind(&new.model)
        .bind(&new.data_version)
        .bind(&new.config_version)
        .bind(&new.criteria_version)
        .bind(&new.configuration)
        .bind(&new.created_by)
        .bind(&new.created_at)
        .bind(new.corrects_id)
        .bind(&new.changes)
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get("id")?;
        tx.commit().await?;
        self.report_snapshot(id).await?.ok_or(SnapshotError::NotFound(id))
    }

    /// Replaces the content of an unapproved snapshot (a draft made again from changed data),
    /// keeping its version. An approved snapshot is refused with [`SnapshotError::Locked`].
    pub async fn replace_report_snapshot(
        &self,
        id: i64,
        new: &NewSnapshot,
    ) -> Result<Snapshot, SnapshotError> {
        let done = sqlx::query(
            "UPDATE report_snapshot SET model = $1, data_version = $2, config_version = $3,
                 criteria_version = $4, configuration = $5, created_by = $6, created_at = $7,
                 corrects_id = $8, changes = $9
             WHERE id = $10 AND approved_by IS NULL",
        )
        .bind(&new.model)
        .bind(&new.data_version)
        .bind(&new.config_version)
        .bind(&new.criteria_version)
        .bind(&new.configuration)
        .bind(&new.created_by)
        .bind(&new.created_at)
        .bind(new.corrects_id)
        .bind(&new.changes)
        .bind(id)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 0 {
            return Err(match self.report_snapshot(id).await? {
                Some(_) => SnapshotError::Locked(id),
                None => SnapshotError::NotFound(id),
            });
        }
        self.report_snapshot(id).await?.ok_or(SnapshotError::NotFound(id))
    }

    /// Approves a snapshot, which locks it. The approver must not be its creator.
    pub async fn approve_report_snapshot(&self, id: i64, approver: &str) -> Result<Snapshot, SnapshotError> {
        let approver = approver.trim();
        if approver.is_empty() {
            return Err(SnapshotError::NoApprover);
        }
        let snapshot = self.report_snapshot(id).await?.ok_or(SnapshotError::NotFound(id))?;
        if snapshot.is_approved() {
            return Err(SnapshotError::Locked(id));
        }
        if snapshot.snapshot.created_by == approver {
            return Err(SnapshotError::SelfApproval);
        }
        let done = sqlx::query(
            "UPDATE report_snapshot SET approved_by = $1, approved_at = $2 WHERE id = $3 AND approved_by IS NULL",
        )
        .bind(approver)
        .bind(Utc::now().to_rfc3339())
        .bind(id)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 0 {
            return Err(SnapshotError::Locked(id));
        }
        self.report_snapshot(id).await?.ok_or(SnapshotError::NotFound(id))
    }

    /// One snapshot by id.
    pub async fn report_snapshot(&self, id: i64) -> Result<Option<Snapshot>, StoreError> {
        let row = sqlx::query(&format!("{SELECT} WHERE id = $1")).bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(snapshot_from_row).transpose()
    }

    /// Every version for a kind and period, oldest first.
    pub async fn report_snapshots(&self, kind: &str, period: &str) -> Result<Vec<Snapshot>, StoreError> {
        let rows = sqlx::query(&format!("{SELECT} WHERE kind = $1 AND period = $2 ORDER BY version"))
            .bind(kind)
            .bind(period)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(snapshot_from_row).collect()
    }

    /// Every version of every report (of one kind when `kind` is given), newest first; without
    /// the model and the configuration, which a list does not show and which are large.
    pub async fn report_snapshot_list(&self, kind: Option<&str>) -> Result<Vec<Snapshot>, StoreError> {
        let sql = "SELECT id, kind, period, version, '' AS model, data_version, config_version,
                criteria_version, '' AS configuration, created_by, created_at, corrects_id, changes,
                approved_by, approved_at FROM report_snapshot
             WHERE $1 = '' OR kind = $1 ORDER BY created_at DESC, id DESC";
        let rows = sqlx::query(sql).bind(kind.unwrap_or_default()).fetch_all(&self.pool).await?;
        rows.iter().map(snapshot_from_row).collect()
    }

    /// Records the actual spend of a budget line in a year (millions of kroner), unaudited: the
    /// CLI's and the tests' path. A user's entry goes through [`Store::record_budget_actual`].
    pub async fn set_budget_actual(&self, line: &str, year: i32, amount: Decimal) -> Result<(), StoreError> {
        let mut conn = self.pool.acquire().await?;
        let position = budget_line_position(&mut conn, line)
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("no budget line named {line:?}")))?;
        upsert_budget_actual(&mut conn, position, year, amount).await?;
        Ok(())
    }

    /// Records a user's entry of the actual spend of a budget line in a year, after checking the
    /// line, the year (one of the budget's) and the amount, with its audit row (line, year, old
    /// and new amount) in the same transaction: both or neither.
    pub async fn record_budget_actual(
        &self,
        actual: &BudgetActual,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(), CaseError> {
        let years = self.budget().await?.years;
        if !years.contains(&actual.year) {
            return Err(invalid("aar", "året er ikke et af budgettets år"));
        }
        if actual.amount < Decimal::ZERO || actual.amount > MAX_ACTUAL_MILLIONS {
            return Err(invalid("forbrug", "forbruget skal være mellem 0 og 1.000 mio. kr."));
        }
        let mut tx = self.pool.begin().await?;
        let position = budget_line_position(&mut tx, &actual.line)
            .await?
            .ok_or_else(|| invalid("linje", "ukendt budgetlinje"))?;
        let old = sqlx::query("SELECT amount FROM budget_actual WHERE line_position = $1 AND year = $2")
            .bind(position)
            .bind(i64::from(actual.year))
            .fetch_optional(&mut *tx)
            .await?
            .map(|row| row.try_get::<String, _>("amount"))
            .transpose()?;
        upsert_budget_actual(&mut tx, position, actual.year, actual.amount).await?;
        let detail = format!(
            "budget_actual line={} year={} {} -> {}",
            actual.line,
            actual.year,
            old.as_deref().unwrap_or("none"),
            actual.amount
        );
        crate::audit::append(&mut tx, &AuditEntry::new(actor, AuditAction::ConfigChange, now).detail(detail))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Actual spend per budget line name for a year; lines without a record are absent.
    pub async fn budget_actuals(&self, year: i32) -> Result<BTreeMap<String, Decimal>, StoreError> {
        let rows = sqlx::query(
            "SELECT l.name, a.amount FROM budget_actual a JOIN budget_line l ON l.position = a.line_position
             WHERE a.year = $1",
        )
        .bind(i64::from(year))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let text: String = r.try_get("amount")?;
                let amount =
                    text.parse().map_err(|_| StoreError::Corrupt("actual spend is not a decimal".into()))?;
                Ok((r.try_get("name")?, amount))
            })
            .collect()
    }
}

fn snapshot_from_row(row: &AnyRow) -> Result<Snapshot, StoreError> {
    Ok(Snapshot {
        id: row.try_get("id")?,
        version: row.try_get("version")?,
        approved_by: row.try_get("approved_by")?,
        approved_at: row.try_get("approved_at")?,
        snapshot: NewSnapshot {
            kind: row.try_get("kind")?,
            period: row.try_get("period")?,
            model: row.try_get("model")?,
            data_version: row.try_get("data_version")?,
            config_version: row.try_get("config_version")?,
            criteria_version: row.try_get("criteria_version")?,
            configuration: row.try_get("configuration")?,
            created_by: row.try_get("created_by")?,
            created_at: row.try_get("created_at")?,
            corrects_id: row.try_get("corrects_id")?,
            changes: row.try_get("changes")?,
        },
    })
}

/// Participants and positive outcomes of one initiative in a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Outcomes {
    /// Distinct citizens with an enrollment (or, for leisure jobs, a placement) active in P.
    pub participants: u64,
    /// Of those, distinct citizens with an enrollment of the initiative ending in P with a
    /// positive end reason, or a positive follow-up done in P.
    pub successes: u64,
}

impl Store {
    /// Participants and positive outcomes per initiative for [from, to] (ISO dates).
    pub async fn outcomes_per_initiative(
        &self,
        from: &str,
        to: &str,
    ) -> Result<BTreeMap<String, Outcomes>, StoreError> {
        let mut out: BTreeMap<String, Outcomes> = BTreeMap::new();
        let participants = sqlx::query(
            "SELECT code, COUNT(DISTINCT citizen_id) AS n FROM (
                 SELECT initiative_code AS code, citizen_id FROM enrollment
                 WHERE start_date <= $1 AND (end_date IS NULL OR end_date >= $2)
                 UNION SELECT 'FRITIDSJOB' AS code, citizen_id FROM placement
                 WHERE start_date <= $1 AND (end_date IS NULL OR end_date >= $2)) active
             GROUP BY code",
        )
        .bind(to)
        .bind(from)
        .fetch_all(&self.pool)
        .await?;
        for row in &participants {
            out.entry(row.try_get("code")?).or_default().participants = row.try_get::<i64, _>("n")? as u64;
        }
        for row in &self.successes(from, to).await? {
            out.entry(row.try_get("code")?).or_default().successes = row.try_get::<i64, _>("n")? as u64;
        }
        Ok(out)
    }

    async fn successes(&self, from: &str, to: &str) -> Result<Vec<AnyRow>, StoreError> {
        Ok(sqlx::query(
            "SELECT e.initiative_code AS code, COUNT(DISTINCT e.citizen_id) AS n FROM enrollment e
             WHERE e.start_date <= $1 AND (e.end_date IS NULL OR e.end_date >= $2) AND (
               (e.end_date <= $1 AND e.end_reason IN
                  (SELECT code FROM code_list WHERE list = 'end_reason' AND positive = 1))
               OR EXISTS (SELECT 1 FROM follow_up f WHERE f.citizen_id = e.citizen_id
                  AND f.done_date >= $2 AND f.done_date <= $1 AND f.status IN
                  (SELECT code FROM code_list WHERE list = 'follow_up_status' AND positive = 1)))
             GROUP BY e.initiative_code",
        )
        .bind(to)
        .bind(from)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The first and last year of the case data the reports count: from the earliest start to
    /// the latest start or end of an enrollment or leisure-job placement; `None` without any.
    /// An open enrollment does not stretch the span to today: it says nothing of later years.
    pub async fn case_data_years(&self) -> Result<Option<(i32, i32)>, StoreError> {
        let row = sqlx::query(
            "SELECT MIN(start_date) AS first, MAX(COALESCE(end_date, start_date)) AS last FROM (
                 SELECT start_date, end_date FROM enrollment
                 UNION ALL SELECT start_date, end_date FROM placement) spans",
        )
        .fetch_one(&self.pool)
        .await?;
        let year = |column: &str| -> Result<Option<i32>, StoreError> {
            let date: Option<String> = row.try_get(column)?;
            date.map(|d| d.get(..4).and_then(|y| y.parse().ok()))
                .map(|y| y.ok_or_else(|| StoreError::Corrupt(format!("a case date {column} is not ISO"))))
                .transpose()
        };
        Ok(year("first")?.zip(year("last")?))
    }

    /// A fingerprint of the case data: per table its row count, largest id and the number of
    /// closed records (end or done dates), one line each. Equal fingerprints mean no row was
    /// added, removed, ended or recorded as done since; the caller hashes it.
    pub async fn case_data_fingerprint(&self) -> Result<String, StoreError> {
        const TABLES: [(&str, &str); 8] = [
            ("citizen", "COUNT(area_id)"),
            ("enrollment", "COUNT(end_date)"),
            ("offer", "COUNT(end_date)"),
            ("placement", "COUNT(end_date)"),
            ("life_event", "COUNT(value)"),
            ("follow_up", "COUNT(done_date)"),
            ("indicator_entry", "COUNT(approved_by)"),
            ("budget_actual", "COUNT(amount)"),
        ];
        let mut lines = Vec::new();
        for (table, closed) in TABLES {
            let max = if table == "budget_actual" { "MAX(amount)" } else { "CAST(MAX(id) AS TEXT)" };
            let row = sqlx::query(&format!(
                "SELECT COUNT(*) AS n, {max} AS max_id, {closed} AS closed FROM {table}"
            ))
            .fetch_one(&self.pool)
            .await?;
            let n: i64 = row.try_get("n")?;
            let max_id: Option<String> = row.try_get("max_id")?;
            let closed: i64 = row.try_get("closed")?;
            lines.push(format!("{table}:{n}:{}:{closed}", max_id.unwrap_or_default()));
        }
        Ok(lines.join("\n"))
    }
}

/// The largest actual spend of one line in one year that is taken as typed (millions of
/// kroner); the whole budget is about 20, so more is a typing error.
const MAX_ACTUAL_MILLIONS: Decimal = Decimal::from_parts(1000, 0, 0, false, 0);

/// One entry of actual spend: a budget line (by name), a year and millions of kroner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetActual {
    pub line: String,
    pub year: i32,
    pub amount: Decimal,
}

async fn budget_line_position(conn: &mut sqlx::AnyConnection, line: &str) -> Result<Option<i64>, StoreError> {
    let row = sqlx::query("SELECT position FROM budget_line WHERE name = $1")
        .bind(line)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.map(|r| r.try_get("position")).transpose()?)
}

async fn upsert_budget_actual(
    conn: &mut sqlx::AnyConnection,
    position: i64,
    year: i32,
    amount: Decimal,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO budget_actual (line_position, year, amount) VALUES ($1, $2, $3)
         ON CONFLICT (line_position, year) DO UPDATE SET amount = excluded.amount",
    )
    .bind(position)
    .bind(i64::from(year))
    .bind(amount.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

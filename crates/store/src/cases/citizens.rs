//! Citizens: find and read with their whole case timeline (registering: `super::registration`).

use super::history::{self, Correction};
use super::rows::{self, CITIZEN_COLUMNS, ENROLLMENT_COLUMNS};
use crate::{Store, StoreError};
use sikkerby_domain::cases::{Citizen, Enrollment, FollowUp, LifeEvent, Offer, Placement};
use sikkerby_domain::cpr::Cpr;
use sqlx::Row;

/// One line of a search result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitizenSummary {
    pub citizen: Citizen,
    pub enrollments: i64,
}

/// Everything recorded about a citizen, for the citizen page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeline {
    pub citizen: Citizen,
    pub enrollments: Vec<Enrollment>,
    pub offers: Vec<Offer>,
    pub placements: Vec<Placement>,
    pub events: Vec<LifeEvent>,
    pub follow_ups: Vec<FollowUp>,
    /// Every correction of a recorded fact, oldest first.
    pub corrections: Vec<Correction>,
}

/// `column IN ($first, $first+1, …)` for a list of centres; `1 = 0` for none (a caseworker
/// without centres sees nobody). The centres are bound, never written into the SQL.
pub(crate) fn centre_in(column: &str, first: usize, centres: &[String]) -> String {
    if centres.is_empty() {
        return "1 = 0".to_owned();
    }
    let places: Vec<String> = (first..first + centres.len()).map(|n| format!("${n}")).collect();
    format!("{column} IN ({})", places.join(", "))
}

impl Store {
    /// Finds citizens by the start of a CPR number (with or without hyphen) or part of a name.
    /// At most `limit` results, ordered by birth date.
    pub async fn search_citizens(&self, query: &str, limit: i64) -> Result<Vec<CitizenSummary>, StoreError> {
        self.search_citizens_within(query, None, limit).await
    }

    /// As [`Store::search_citizens`], limited to citizens held by one of `centres` when given
    /// (registered by it, or with an enrollment of it): a caseworker's search never lists
    /// another centre's citizen.
    pub async fn search_citizens_within(
        &self,
        query: &str,
        centres: Option<&[String]>,
        limit: i64,
    ) -> Result<Vec<CitizenSummary>, StoreError> {
        let digits: String = query.chars().filter(|c| c.is_ascii_digit()).collect();
        let by_cpr = !digits.is_empty() && query.trim().chars().all(|c| c.is_ascii_digit() || c == '-');
        let (condition, pattern) = if by_cpr {
            ("c.cpr LIKE $1", format!("{digits}%"))
        } else {
            let escaped = query.trim().to_lowercase().replace(['%', '_'], "");
            ("LOWER(c.name) LIKE $1", format!("%{escaped}%"))
        };
        let scope = centres.map_or_else(String::new, |centres| {
            format!(
                " AND ({} OR EXISTS (SELECT 1 FROM enrollment s WHERE s.citizen_id = c.id AND {}))",
                centre_in("c.held_by", 3, centres),
                centre_in("s.centre", 3 + centres.len(), centres)
            )
        });
        let sql = format!(
            "SELECT c.id, c.cpr, c.birth_date, c.sex, c.name, c.area_id, c.substitute_number,
                    c.modulus11_warning,
                    (SELECT COUNT(*) FROM enrollment e WHERE e.citizen_id = c.id) AS enrollments
             FROM citizen c WHERE {condition}{scope} ORDER BY c.birth_date, c.id LIMIT $2"
        );
        let mut query = sqlx::query(&sql).bind(pattern).bind(limit);
        // Bound twice: once for the holder, once for the enrollments.
        for centre in centres.unwrap_or_default().iter().chain(centres.unwrap_or_default()) {
            query = query.bind(centre.trim());
        }
        let found = query.fetch_all(&self.pool).await?;
        found
            .iter()
            .map(|r| {
                Ok(CitizenSummary { citizen: rows::citizen(r)?, enrollments: r.try_get("enrollments")? })
            })
            .collect()
    }

    /// One citizen by internal id.
    pub async fn citizen(&self, id: i64) -> Result<Option<Citizen>, StoreError> {
        let sql = format!("SELECT {CITIZEN_COLUMNS} FROM citizen WHERE id = $1");
        let row = sqlx::query(&sql).bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(rows::citizen).transpose()
    }

    /// The full CPR number, for roles that need it (the caller audits the read).
    pub async fn citizen_cpr(&self, id: i64) -> Result<Option<String>, StoreError> {
        let row =
            sqlx::query("SELECT cpr FROM citizen WHERE id = $1").bind(id).fetch_optional(&self.pool).await?;
        Ok(row.map(|r| r.try_get("cpr")).transpose()?)
    }

    /// The internal id of the citizen with a CPR number, if registered.
    pub async fn citizen_id_by_cpr(&self, cpr: &Cpr) -> Result<Option<i64>, StoreError> {
        let row = sqlx::query("SELECT id FROM citizen WHERE cpr = $1")
            .bind(cpr.as_digits())
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get("id")).transpose()?)
    }

    /// A citizen with every enrollment, offer, placement, event and follow-up, oldest first.
    /// The seven reads share one connection: a citizen page is the most frequent request of all.
    pub async fn timeline(&self, id: i64) -> Result<Option<Timeline>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let citizen_sql = format!("SELECT {CITIZEN_COLUMNS} FROM citizen WHERE id = $1");
        let Some(citizen) = fetch_mapped(&mut conn, &citizen_sql, id, rows::citizen).await?.pop() else {
            return Ok(None);
        };
        let enrollments_sql = format!(
            "SELECT {ENROLLMENT_COLUMNS} FROM enrollment WHERE citizen_id = $1 ORDER BY start_date, id"
        );
        let enrollments = fetch_mapped(&mut conn, &enrollments_sql, id, rows::enrollment).await?;
        let offers = fetch_mapped(
            &mut conn,
            "SELECT o.id, o.enrollment_id, o.offer_type, o.start_date, o.end_date, o.end_reason
                 FROM offer o JOIN enrollment e ON e.id = o.enrollment_id
                 WHERE e.citizen_id = $1 ORDER BY o.start_date, o.id",
            id,
            rows::offer,
        )
        .await?;
        let placements = fetch_mapped(
            &mut conn,
            "SELECT id, citizen_id, employer, start_date, end_date FROM placement
                 WHERE citizen_id = $1 ORDER BY start_date, id",
            id,
            rows::placement,
        )
        .await?;
        let events = fetch_mapped(
            &mut conn,
            "SELECT id, citizen_id, kind, event_date, value FROM life_event
                 WHERE citizen_id = $1 ORDER BY event_date, id",
            id,
            rows::life_event,
        )
        .await?;
        let follow_ups = fetch_mapped(
            &mut conn,
            "SELECT id, citizen_id, anchor, anchor_id, due_date, done_date, status, done_by, scheduled
                 FROM follow_up WHERE citizen_id = $1 ORDER BY due_date, id",
            id,
            rows::follow_up,
        )
        .await?;
        let corrections = fetch_mapped(&mut conn, history::CORRECTIONS_SQL, id, history::correction).await?;
        Ok(Some(Timeline { citizen, enrollments, offers, placements, events, follow_ups, corrections }))
    }
}

/// The rows of a query with one id parameter, each mapped.
async fn fetch_mapped<T>(
    conn: &mut sqlx::AnyConnection,
    sql: &str,
    id: i64,
    map: fn(&sqlx::any::AnyRow) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    let found = sqlx::query(sql).bind(id).fetch_all(&mut *conn).await?;
    found.iter().map(map).collect()
}

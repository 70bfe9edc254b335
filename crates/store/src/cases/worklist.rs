//! The caseworker's worklist (docs/case-records.md, "Worklist"): the open follow-ups that are
//! overdue or due within [`DUE_SOON_DAYS`], filtered by exact values taken from
//! [`Store::worklist_options`], sorted by a fixed set of columns and paged in SQL, so that a
//! page of a list of any length costs one `COUNT` and one `LIMIT`/`OFFSET` query.

use super::follow_ups::{overdue_from_row, OverdueFollowUp};
use super::rows::iso;
use crate::{Store, StoreError};
use chrono::{Days, NaiveDate};
use sqlx::Row;
use std::collections::BTreeSet;

/// How far ahead the worklist looks: follow-ups due within this many days are on it too.
pub const DUE_SOON_DAYS: u64 = 14;

/// The columns a worklist can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WorklistSort {
    #[default]
    Due,
    Citizen,
    Initiative,
    Anchor,
    Caseworker,
    Centre,
}

impl WorklistSort {
    pub const ALL: [WorklistSort; 6] =
        [Self::Due, Self::Citizen, Self::Initiative, Self::Anchor, Self::Caseworker, Self::Centre];

    /// The code used in the page's query string (`sorter=`).
    pub fn code(self) -> &'static str {
        match self {
            Self::Due => "forfald",
            Self::Citizen => "borger",
            Self::Initiative => "indsats",
            Self::Anchor => "anledning",
            Self::Caseworker => "sagsbehandlerkode",
            Self::Centre => "center",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The SQL ordering; the due date and the follow-up id always break ties, so that paging
    /// never shows a row twice or skips one.
    fn order_by(self, descending: bool) -> String {
        let column = match self {
            Self::Due => "f.due_date",
            Self::Citizen => "c.cpr",
            Self::Initiative => "e.initiative_code",
            Self::Anchor => "f.anchor",
            Self::Caseworker => "e.caseworker_code",
            Self::Centre => "e.centre",
        };
        let direction = if descending { "DESC" } else { "ASC" };
        format!("{column} {direction}, f.due_date {direction}, f.id {direction}")
    }
}

/// What one worklist page asks for. Filters are exact values (chosen from select lists);
/// `None` or an empty list means "any".
#[derive(Debug, Clone, Default)]
pub struct WorklistQuery {
    pub as_of: NaiveDate,
    /// Only follow-ups of enrollments held by one of these centres (a caseworker's own).
    pub within_centres: Option<Vec<String>>,
    pub centre: Option<String>,
    pub initiative: Option<String>,
    /// Any of these caseworker codes ("Min liste" is the user's own codes).
    pub caseworker_codes: Vec<String>,
    pub anchor: Option<String>,
    pub sort: WorklistSort,
    pub descending: bool,
    pub offset: i64,
    pub limit: i64,
}

/// One page of the worklist and the counts of the whole filtered list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorklistPage {
    pub rows: Vec<OverdueFollowUp>,
    /// Rows matching the filter (overdue and due soon), over all pages.
    pub total: i64,
    /// Of those, the overdue ones.
    pub overdue: i64,
}

/// The values that occur in a worklist's follow-ups (open, due within the horizon, in the
/// user's centres): what the filter select lists offer, sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorklistOptions {
    pub centres: Vec<String>,
    pub initiatives: Vec<String>,
    pub caseworker_codes: Vec<String>,
    pub anchors: Vec<String>,
}

/// The `FROM … WHERE` of a worklist query with its bound values in order (`$1` is the horizon).
struct Scope {
    sql: String,
    binds: Vec<String>,
}

impl Scope {
    fn new(query: &WorklistQuery, with_filters: bool) -> Scope {
        let horizon = query.as_of.checked_add_days(Days::new(DUE_SOON_DAYS)).unwrap_or(query.as_of);
        let mut scope = Scope {
            sql: "FROM follow_up f JOIN citizen c ON c.id = f.citizen_id
                 LEFT JOIN enrollment e ON e.id = f.enrollment_id
                 WHERE f.done_date IS NULL AND f.due_date <= $1"
                .to_owned(),
            binds: vec![iso(horizon)],
        };
        if let Some(centres) = &query.within_centres {
            scope.in_list("e.centre", centres);
        }
        if with_filters {
            scope.any_of("e.centre", query.centre.as_slice());
            scope.any_of("e.initiative_code", query.initiative.as_slice());
            scope.any_of("e.caseworker_code", &query.caseworker_codes);
            scope.any_of("f.anchor", query.anchor.as_slice());
        }
        scope
    }

    /// `AND column IN (…)` for a filter: an empty list is "any value".
    fn any_of(&mut self, column: &str, values: &[String]) {
        if !values.is_empty() {
            self.in_list(column, values);
        }
    }

    /// `AND column IN (…)`; an empty list matches nothing (a user limited to no centre).
    fn in_list(&mut self, column: &str, values: &[String]) {
        let first = self.binds.len() + 1;
        self.sql.push_str(" AND ");
        self.sql.push_str(&super::citizens::centre_in(column, first, values));
        self.binds.extend(values.iter().map(|v| v.trim().to_owned()));
    }

    fn query<'q>(&'q self, sql: &'q str) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        self.binds.iter().fold(sqlx::query(sql), |q, value| q.bind(value))
    }
}

impl Store {
    /// One page of the worklist as of `query.as_of`, with the counts of the whole list.
    pub async fn worklist(&self, query: &WorklistQuery) -> Result<WorklistPage, StoreError> {
        let scope = Scope::new(query, true);
        let as_of = scope.binds.len() + 1;
        let count_sql = format!(
            "SELECT COUNT(*) AS total, COALESCE(SUM(CASE WHEN f.due_date < ${as_of} THEN 1 ELSE 0 END), 0) AS overdue {}",
            scope.sql
        );
        let counts = scope.query(&count_sql).bind(iso(query.as_of)).fetch_one(&self.pool).await?;
        let (total, overdue): (i64, i64) = (counts.try_get("total")?, counts.try_get("overdue")?);
        let page_sql = format!(
            "SELECT f.id, f.citizen_id, f.anchor, f.anchor_id, f.due_date, f.done_date, f.status,
                    f.done_by, f.scheduled, c.cpr, c.birth_date, c.sex, c.name, c.area_id,
                    c.substitute_number, c.modulus11_warning, e.initiative_code, e.caseworker_code, e.centre
             {} ORDER BY {} LIMIT {} OFFSET {}",
            scope.sql,
            query.sort.order_by(query.descending),
            query.limit.max(0),
            query.offset.max(0)
        );
        let found = scope.query(&page_sql).fetch_all(&self.pool).await?;
        let rows = found.iter().map(|row| overdue_from_row(row, query.as_of)).collect::<Result<_, _>>()?;
        Ok(WorklistPage { rows, total, overdue })
    }

    /// The overdue follow-ups of a worklist (the navigation's count): as [`Store::worklist`]'s
    /// `overdue`, without reading a page.
    pub async fn worklist_overdue_count(&self, query: &WorklistQuery) -> Result<i64, StoreError> {
        let scope = Scope::new(query, true);
        let sql = format!("SELECT COUNT(*) AS n {} AND f.due_date < ${}", scope.sql, scope.binds.len() + 1);
        Ok(scope.query(&sql).bind(iso(query.as_of)).fetch_one(&self.pool).await?.try_get("n")?)
    }

    /// The centres, initiatives, caseworker codes and anchors that occur in the worklist of
    /// `query` before its filters: every value offered exists, so a filter cannot miss by spelling.
    pub async fn worklist_options(&self, query: &WorklistQuery) -> Result<WorklistOptions, StoreError> {
        let scope = Scope::new(query, false);
        let sql =
            format!("SELECT DISTINCT e.centre, e.initiative_code, e.caseworker_code, f.anchor {}", scope.sql);
        let mut sets: [BTreeSet<String>; 4] = Default::default();
        for row in scope.query(&sql).fetch_all(&self.pool).await? {
            for (set, column) in
                sets.iter_mut().zip(["centre", "initiative_code", "caseworker_code", "anchor"])
            {
                set.extend(row.try_get::<Option<String>, _>(column)?.filter(|v| !v.is_empty()));
            }
        }
        let [centres, initiatives, caseworker_codes, anchors] = sets.map(|s| s.into_iter().collect());
        Ok(WorklistOptions { centres, initiatives, caseworker_codes, anchors })
    }

    /// Whether a citizen has an open follow-up of an enrollment held by one of `centres`: that
    /// is, is on the worklist of a user of those centres at some date (the web then accepts the
    /// list's purpose "opfølgning" for the citizen).
    pub async fn has_open_follow_up_within(
        &self,
        citizen_id: i64,
        centres: &[String],
    ) -> Result<bool, StoreError> {
        let sql = format!(
            "SELECT COUNT(*) AS n FROM follow_up f
             LEFT JOIN enrollment e ON e.id = f.enrollment_id
             WHERE f.citizen_id = $1 AND f.done_date IS NULL AND {}",
            super::citizens::centre_in("e.centre", 2, centres)
        );
        let query = centres.iter().fold(sqlx::query(&sql).bind(citizen_id), |q, c| q.bind(c.trim()));
        Ok(query.fetch_one(&self.pool).await?.try_get::<i64, _>("n")? > 0)
    }

    /// The caseworker codes used by a centre's enrollments, sorted (the demo gives its
    /// caseworker real codes of its centre).
    pub async fn caseworker_codes_of_centre(&self, centre: &str) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT DISTINCT caseworker_code FROM enrollment
             WHERE centre = $1 AND caseworker_code IS NOT NULL ORDER BY caseworker_code",
        )
        .bind(centre)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok(r.try_get("caseworker_code")?)).collect()
    }
}

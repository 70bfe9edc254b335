//! A partner user's source and districts (docs/security.md "Partners"): an administrator ties a
//! partner to the source it assesses for (SSP leader group, social services) and to the
//! districts whose assessments it may submit; no other role has either. Checked against the
//! role and the known districts, and written in the transaction of the user change that sets
//! them (`create_user_with_access`, `set_user_access`), audited with it.

use super::SecurityError;
use crate::{Store, StoreError};
use sikkerby_domain::access::{AssessmentSource, Role};
use sqlx::{AnyConnection, Row};

/// The source and districts as an administrator gives them (empty for other roles than partner).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartnerAccess {
    pub source: Option<AssessmentSource>,
    pub districts: Vec<String>,
}

/// A partner's checked assignment: a source and at least one known district.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerAssignment {
    pub source: AssessmentSource,
    /// District ids, sorted.
    pub districts: Vec<String>,
}

impl PartnerAssignment {
    /// Whether the partner may submit for `district`.
    pub fn covers(&self, district: &str) -> bool {
        self.districts.iter().any(|d| d == district.trim())
    }
}

fn invalid(field: &'static str, reason: impl Into<String>) -> SecurityError {
    SecurityError::Invalid { field, reason: reason.into() }
}

/// The assignment `access` gives a user of `role`: `None` for other roles (which must have no
/// source or district), a source and known districts for a partner.
pub(super) async fn check_partner(
    conn: &mut AnyConnection,
    role: Role,
    access: &PartnerAccess,
) -> Result<Option<PartnerAssignment>, SecurityError> {
    let mut districts: Vec<String> =
        access.districts.iter().map(|d| d.trim().to_owned()).filter(|d| !d.is_empty()).collect();
    districts.sort();
    districts.dedup();
    if role != Role::Partner {
        if access.source.is_some() || !districts.is_empty() {
            return Err(invalid("district", "only partners are tied to districts and a source"));
        }
        return Ok(None);
    }
    let source = access.source.ok_or_else(|| invalid("source", "a partner assesses for a source"))?;
    if districts.is_empty() {
        return Err(invalid("district", "a partner assesses at least one district"));
    }
    for district in &districts {
        let known = sqlx::query("SELECT 1 FROM district WHERE id = $1")
            .bind(district)
            .fetch_optional(&mut *conn)
            .await?;
        if known.is_none() {
            return Err(invalid("district", format!("unknown district {district:?}")));
        }
    }
    Ok(Some(PartnerAssignment { source, districts }))
}

/// Replaces the user's assignment (none: the user is no partner) inside the caller's transaction.
pub(super) async fn replace_partner(
    conn: &mut AnyConnection,
    user_id: i64,
    assignment: Option<&PartnerAssignment>,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM partner_district WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM partner_user WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    let Some(assignment) = assignment else { return Ok(()) };
    sqlx::query("INSERT INTO partner_user (user_id, source) VALUES ($1, $2)")
        .bind(user_id)
        .bind(assignment.source.code())
        .execute(&mut *conn)
        .await?;
    for district in &assignment.districts {
        sqlx::query("INSERT INTO partner_district (user_id, district_id) VALUES ($1, $2)")
            .bind(user_id)
            .bind(district)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The assignment in an audit row's words.
pub(super) fn describe(assignment: Option<&PartnerAssignment>) -> String {
    match assignment {
        Some(a) => format!(", source {}, districts [{}]", a.source, a.districts.join(", ")),
        None => String::new(),
    }
}

impl Store {
    /// A partner user's source and districts; `None` for a user who is no partner.
    pub async fn partner_assignment(&self, user_id: i64) -> Result<Option<PartnerAssignment>, StoreError> {
        let Some(row) = sqlx::query("SELECT source FROM partner_user WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(self.pool())
            .await?
        else {
            return Ok(None);
        };
        let code: String = row.try_get(0)?;
        let source = AssessmentSource::parse(&code).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let districts = sqlx::query_scalar(
            "SELECT district_id FROM partner_district WHERE user_id = $1 ORDER BY district_id",
        )
        .bind(user_id)
        .fetch_all(self.pool())
        .await?;
        Ok(Some(PartnerAssignment { source, districts }))
    }
}

//! Disclosures to partners (docs/domain.md §9) and the audited change of the disclosure threshold.
//!
//! A disclosure is recorded like a read: its own row (recipient, what, legal basis, purpose, by
//! whom, when) and an audit row, in one transaction. The rule that RPL § 115 information is never
//! given for a criminal investigation is checked here, again by a CHECK constraint, and a refused
//! attempt is audited as `denied`.

use super::{append, timestamp, Actor, AuditAction, AuditEntry, AuditResult};
use crate::users::SecurityError;
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use sikkerby_domain::access::{
    check_disclosure, mask_cpr_like, DisclosurePurpose, LegalBasis, Permission, Purpose,
};
use sikkerby_domain::disclosure::DisclosureRules;
use sqlx::Row;

/// A disclosure about to be made.
#[derive(Debug, Clone)]
pub struct NewDisclosure {
    /// Internal id of the citizen.
    pub citizen_id: i64,
    /// The receiving organisation, e.g. `Københavns Politi`.
    pub recipient: String,
    /// What was given, by category (e.g. `forløb og SSP-kategori`), not the data themselves.
    pub what: String,
    pub legal_basis: LegalBasis,
    pub purpose: DisclosurePurpose,
}

/// A recorded disclosure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disclosure {
    pub id: i64,
    pub at: String,
    pub citizen_id: i64,
    pub recipient: String,
    pub what: String,
    pub legal_basis: String,
    pub purpose: String,
    pub by_username: String,
    pub audit_seq: i64,
}

fn required(field: &'static str, text: &str) -> Result<String, SecurityError> {
    let text = mask_cpr_like(sikkerby_domain::terminal_text::strip_controls(text).trim());
    if text.is_empty() || text.chars().count() > 200 {
        return Err(SecurityError::Invalid { field, reason: "must be 1 to 200 characters".into() });
    }
    Ok(text)
}

impl Store {
    /// Records a disclosure and its audit row; refuses (and audits as denied) one the rules
    /// forbid or an actor without the right to disclose. Returns the disclosure's id.
    pub async fn record_disclosure(
        &self,
        new: &NewDisclosure,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<i64, SecurityError> {
        let text = format!("{} {} til {}", new.legal_basis, new.purpose, new.recipient.trim());
        let entry = AuditEntry::about(
            actor,
            AuditAction::Disclosure,
            new.citizen_id,
            Purpose::Disclosure,
            &text,
            now,
        );
        let allowed = actor.is_system() || actor.role.is_some_and(|r| r.has(Permission::Disclose));
        if !allowed {
            self.audit(&entry.result(AuditResult::Denied).detail("role may not disclose")).await?;
            return Err(SecurityError::Forbidden { action: "record a disclosure" });
        }
        if let Err(refused) = check_disclosure(new.legal_basis, new.purpose) {
            self.audit(&entry.result(AuditResult::Denied).detail(refused.to_string())).await?;
            return Err(SecurityError::Refused(refused.to_string()));
        }
        let (recipient, what) = (required("recipient", &new.recipient)?, required("what", &new.what)?);
        if self.citizen(new.citizen_id).await?.is_none() {
            return Err(SecurityError::NotFound { what: "citizen", id: new.citizen_id.to_string() });
        }
        let mut tx = self.pool.begin().await?;
        let seq = append(&mut tx, &entry).await?;
        let row = sqlx::query(
            "INSERT INTO disclosure (at, person_id, recipient, what, legal_basis, purpose, by_user_id,
                                     by_username, audit_seq)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(timestamp(now))
        .bind(new.citizen_id)
        .bind(recipient)
        .bind(what)
        .bind(new.legal_basis.code())
        .bind(new.purpose.code())
        .bind(actor.user_id)
        .bind(&actor.username)
        .bind(seq)
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::from)?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(row.try_get("id").map_err(StoreError::from)?)
    }

    /// Every disclosure of one citizen's data, oldest first (for an access request).
    pub async fn disclosures_of(&self, citizen_id: i64) -> Result<Vec<Disclosure>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, at, person_id, recipient, what, legal_basis, purpose, by_username, audit_seq
             FROM disclosure WHERE person_id = $1 ORDER BY id",
        )
        .bind(citizen_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Disclosure {
                    id: r.try_get("id")?,
                    at: r.try_get("at")?,
                    citizen_id: r.try_get("person_id")?,
                    recipient: r.try_get("recipient")?,
                    what: r.try_get("what")?,
                    legal_basis: r.try_get("legal_basis")?,
                    purpose: r.try_get("purpose")?,
                    by_username: r.try_get("by_username")?,
                    audit_seq: r.try_get("audit_seq")?,
                })
            })
            .collect()
    }

    /// Changes the disclosure threshold and audits the change (`config_change`, old and new value).
    /// Only an administrator (or the system) may; a refused attempt is audited as denied. If the
    /// audit row cannot be written, the old threshold is restored and the error returned.
    pub async fn set_disclosure_threshold_audited(
        &self,
        rules: DisclosureRules,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(), SecurityError> {
        let old = self.disclosure_rules().await?;
        let detail = format!("disclosure_threshold {} -> {}", old.threshold, rules.threshold);
        let entry = AuditEntry::new(actor, AuditAction::ConfigChange, now).detail(detail);
        let allowed = actor.is_system() || actor.role.is_some_and(|r| r.has(Permission::Administer));
        if !allowed {
            self.audit(&entry.result(AuditResult::Denied)).await?;
            return Err(SecurityError::Forbidden { action: "change the disclosure threshold" });
        }
        self.set_disclosure_threshold(rules).await?;
        if let Err(e) = self.audit(&entry).await {
            self.set_disclosure_threshold(old).await?;
            return Err(e.into());
        }
        Ok(())
    }
}

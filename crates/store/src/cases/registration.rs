//! Registering a citizen. A caseworker's registration is held by the caseworker's centre from
//! the start (`citizen.held_by`), so the citizen stays findable before any enrollment. A CPR
//! number already registered is never changed by a registration (not even an empty name filled
//! in); [`Store::register_citizen`] says who holds an existing one, so that the caller can
//! decide by its access rule without anything of the citizen being read.

use super::rows;
use super::write::CaseWrite;
use super::{invalid, refused, CaseError, Refusal};
use crate::Store;
use sikkerby_domain::cpr::{Cpr, CprWarning, Sex};
use sqlx::Row;

/// A citizen to register. `confirm_warnings` is the user's answer to the CPR warnings
/// (modulus 11, substitute number) shown on the first attempt; `centre` holds the citizen.
#[derive(Debug, Clone, Default)]
pub struct NewCitizen {
    pub cpr: String,
    pub name: Option<String>,
    pub area_id: Option<String>,
    pub confirm_warnings: bool,
    pub centre: Option<String>,
}

/// What a registration by a caseworker came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Registration {
    /// A new citizen, held by the registering centre.
    Created(i64),
    /// Already registered; nothing was changed. `holders` are the centres holding them (none
    /// for a citizen held by no one).
    Existing { citizen_id: i64, holders: Vec<String> },
}

fn warning_text(w: &CprWarning) -> &'static str {
    match w {
        CprWarning::Modulus11Failed => {
            "CPR-nummeret består ikke modulus 11-kontrollen (gyldigt for numre udstedt efter 2007)"
        }
        CprWarning::SubstituteNumber => "erstatningspersonnummer (dag 61–91)",
    }
}

/// The checked CPR number and name of a registration.
fn checked(new: &NewCitizen) -> Result<(Cpr, Option<&str>), CaseError> {
    let parsed = Cpr::parse(&new.cpr).map_err(|e| refused("cpr", Refusal::BadCpr(e)))?;
    if let Some(w) = parsed.warnings.first().filter(|_| !new.confirm_warnings) {
        return Err(CaseError::NeedsConfirmation { field: "cpr", warning: warning_text(w).into() });
    }
    let name = new.name.as_deref().map(str::trim).filter(|n| !n.is_empty());
    if name.is_some_and(|n| n.chars().count() > 200) {
        return Err(invalid("navn", "navnet er længere end 200 tegn"));
    }
    Ok((parsed.cpr, name))
}

impl Store {
    /// Registers a citizen, or returns the id of the one already registered with that CPR
    /// (unchanged). For imports, the CLI and tests; a caseworker registers through
    /// [`Store::register_citizen`].
    pub async fn create_citizen(&self, new: &NewCitizen) -> Result<i64, CaseError> {
        let (cpr, name) = checked(new)?;
        match self.insert_citizen(new, &cpr, name).await? {
            Some(id) => Ok(id),
            None => self
                .citizen_id_by_cpr(&cpr)
                .await?
                .ok_or_else(|| CaseError::NotFound { what: "borger", id: cpr.masked() }),
        }
    }

    /// A caseworker's registration: a new citizen is created, held by `new.centre`; one
    /// already registered is left exactly as it is.
    pub async fn register_citizen(&self, new: &NewCitizen) -> Result<Registration, CaseError> {
        let (cpr, name) = checked(new)?;
        let existing = match self.citizen_id_by_cpr(&cpr).await? {
            Some(id) => id,
            None => match self.insert_citizen(new, &cpr, name).await? {
                Some(id) => return Ok(Registration::Created(id)),
                // Registered by someone else a moment ago.
                None => self
                    .citizen_id_by_cpr(&cpr)
                    .await?
                    .ok_or_else(|| CaseError::NotFound { what: "borger", id: cpr.masked() })?,
            },
        };
        let holders = self.citizen_centres(existing).await?.unwrap_or_default().centres;
        Ok(Registration::Existing { citizen_id: existing, holders })
    }

    /// Inserts a new citizen; `None` when the CPR number is registered already (nothing is
    /// written then, and the transaction rolls back).
    async fn insert_citizen(
        &self,
        new: &NewCitizen,
        cpr: &Cpr,
        name: Option<&str>,
    ) -> Result<Option<i64>, CaseError> {
        let sex = if cpr.sex() == Sex::Male { "M" } else { "K" };
        let mut write = CaseWrite::begin_registration(self).await?;
        let row = sqlx::query(
            "INSERT INTO citizen (cpr, birth_date, sex, name, area_id, substitute_number, modulus11_warning,
                 held_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (cpr) DO NOTHING
             RETURNING id",
        )
        .bind(cpr.as_digits())
        .bind(rows::iso(cpr.birth_date()))
        .bind(sex)
        .bind(name)
        .bind(new.area_id.as_deref().filter(|a| !a.is_empty()))
        .bind(i64::from(cpr.is_substitute()))
        .bind(i64::from(!cpr.passes_modulus_11()))
        .bind(new.centre.as_deref().map(str::trim).filter(|c| !c.is_empty()))
        .fetch_optional(write.conn())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let id = row.try_get("id")?;
        write.registered(id);
        write.commit().await?;
        Ok(Some(id))
    }
}

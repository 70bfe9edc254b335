//! Enrollments, offers, placements and life events: the writes behind the caseworker forms.
//! Each write validates, stores and re-syncs the citizen's follow-ups in one transaction.

use super::follow_ups::sync_follow_ups;
use super::rows::{self, ENROLLMENT_COLUMNS};
use super::{invalid, CaseError};
use crate::{Store, StoreError};
use chrono::NaiveDate;
use sikkerby_domain::cases::{format_age_months, AgeCheck, Enrollment};
use sikkerby_domain::codes::CodeLists;
use sikkerby_domain::codes::EventKind;
use sikkerby_domain::portfolio::Portfolio;
use sqlx::{Any, Row, Transaction};

/// An enrollment to create. `confirm_age` answers the age-band warning; `confirmed_by` names who
/// confirmed it, and is stored with the date.
#[derive(Debug, Clone)]
pub struct NewEnrollment {
    pub citizen_id: i64,
    pub initiative: String,
    pub start: NaiveDate,
    pub lead: String,
    pub caseworker_code: Option<String>,
    pub centre: Option<String>,
    pub confirm_age: bool,
    pub confirmed_by: String,
}

/// The end (or a corrected end) of an enrollment or offer.
#[derive(Debug, Clone)]
pub struct EndRecord {
    pub date: NaiveDate,
    pub reason: String,
}

#[derive(Debug, Clone)]
pub struct NewOffer {
    pub enrollment_id: String,
    pub offer_type: String,
    pub start: NaiveDate,
}

#[derive(Debug, Clone)]
pub struct NewPlacement {
    pub citizen_id: i64,
    pub employer: Option<String>,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

#[derive(Debug, Clone)]
pub struct NewEvent {
    pub citizen_id: i64,
    pub kind: String,
    pub date: NaiveDate,
    pub value: Option<i64>,
}

/// A new id for a record created in Sikker By rather than imported: prefixed so it can never
/// collide with an extract's own keys.
fn new_id(prefix: &str) -> String {
    format!("sb-{prefix}-{}", uuid::Uuid::new_v4().simple())
}

fn required_text(field: &'static str, value: &str) -> Result<String, CaseError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(invalid(field, "skal udfyldes"));
    }
    if value.chars().count() > 100 {
        return Err(invalid(field, "må højst være 100 tegn"));
    }
    Ok(value.to_owned())
}

impl Store {
    /// Enrolls a citizen in an initiative. An age outside the initiative's target group is a
    /// warning that must be confirmed; the confirmation is stored with the enrollment.
    pub async fn enroll(&self, new: &NewEnrollment) -> Result<String, CaseError> {
        let citizen = self
            .citizen(new.citizen_id)
            .await?
            .ok_or_else(|| CaseError::NotFound { what: "borger", id: new.citizen_id.to_string() })?;
        let initiative = self
            .initiative(&new.initiative)
            .await?
            .ok_or_else(|| invalid("indsats", format!("ukendt indsats {:?}", new.initiative)))?;
        let lead = required_text("tovholder", &new.lead)?;
        let confirmation = match initiative.target_group.check_age(citizen.birth_date, new.start) {
            AgeCheck::Inside => None,
            outside if !new.confirm_age => return Err(age_warning(outside)),
            _ => Some(format!("{} {}", new.confirmed_by, new.start)),
        };
        let id = new_id("forloeb");
        // Read before the transaction: read inside it, through the pool, a few concurrent
        // writes would hold every SQLite connection while waiting for another.
        let reference = self.case_reference().await?;
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO enrollment (id, citizen_id, initiative_code, start_date, lead,
                 caseworker_code, centre, age_warning_confirmed)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&id)
        .bind(new.citizen_id)
        .bind(initiative.code.as_str())
        .bind(rows::iso(new.start))
        .bind(lead)
        .bind(new.caseworker_code.as_deref().map(str::trim).filter(|c| !c.is_empty()))
        .bind(new.centre.as_deref().map(str::trim).filter(|c| !c.is_empty()))
        .bind(confirmation)
        .execute(&mut *tx)
        .await?;
        self.finish(tx, new.citizen_id, &reference).await?;
        Ok(id)
    }

    /// One enrollment by id.
    pub async fn enrollment(&self, id: &str) -> Result<Option<Enrollment>, CaseError> {
        let sql = format!("SELECT {ENROLLMENT_COLUMNS} FROM enrollment WHERE id = $1");
        let row = sqlx::query(&sql).bind(id).fetch_optional(&self.pool).await?;
        Ok(row.as_ref().map(rows::enrollment).transpose()?)
    }

    /// Ends an enrollment, or corrects its end; the follow-up anchored on the end moves with it.
    pub async fn end_enrollment(&self, id: &str, end: &EndRecord) -> Result<(), CaseError> {
        let enrollment = self
            .enrollment(id)
            .await?
            .ok_or_else(|| CaseError::NotFound { what: "forløb", id: id.to_owned() })?;
        if end.date < enrollment.start {
            return Err(invalid(
                "slut",
                format!("slutdato {} ligger før start {}", end.date, enrollment.start),
            ));
        }
        self.check_end_reason(&end.reason).await?;
        // Read before the transaction: read inside it, through the pool, a few concurrent
        // writes would hold every SQLite connection while waiting for another.
        let reference = self.case_reference().await?;
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE enrollment SET end_date = $1, end_reason = $2 WHERE id = $3")
            .bind(rows::iso(end.date))
            .bind(&end.reason)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        self.finish(tx, enrollment.citizen_id, &reference).await
    }

    /// Adds an offer inside an enrollment; it must start within the enrollment's dates.
    pub async fn add_offer(&self, new: &NewOffer) -> Result<String, CaseError> {
        let enrollment = self
            .enrollment(&new.enrollment_id)
            .await?
            .ok_or_else(|| invalid("forloeb_id", "forløbet findes ikke"))?;
        if self.code_lists().await?.offer_type(&new.offer_type).is_none() {
            return Err(invalid("tilbudstype", format!("ukendt tilbudstype {:?}", new.offer_type)));
        }
        let inside = new.start >= enrollment.start && enrollment.end.is_none_or(|e| new.start <= e);
        if !inside {
            return Err(invalid("start", "tilbuddet skal starte inden for forløbets datoer"));
        }
        let id = new_id("tilbud");
        // Read before the transaction: read inside it, through the pool, a few concurrent
        // writes would hold every SQLite connection while waiting for another.
        let reference = self.case_reference().await?;
        let mut tx = self.pool.begin().await?;
        sqlx::query("INSERT INTO offer (id, enrollment_id, offer_type, start_date) VALUES ($1, $2, $3, $4)")
            .bind(&id)
            .bind(&new.enrollment_id)
            .bind(&new.offer_type)
            .bind(rows::iso(new.start))
            .execute(&mut *tx)
            .await?;
        self.finish(tx, enrollment.citizen_id, &reference).await?;
        Ok(id)
    }

    /// Ends an offer, or corrects its end; it must end within its enrollment's dates.
    pub async fn end_offer(&self, id: &str, end: &EndRecord) -> Result<(), CaseError> {
        let row = sqlx::query(
            "SELECT o.start_date, e.citizen_id, e.end_date AS enrollment_end
             FROM offer o JOIN enrollment e ON e.id = o.enrollment_id WHERE o.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| CaseError::NotFound { what: "tilbud", id: id.to_owned() })?;
        let start = rows::date(&row, "start_date")?;
        if end.date < start {
            return Err(invalid("slut", format!("slutdato {} ligger før start {start}", end.date)));
        }
        if rows::opt_date(&row, "enrollment_end")?.is_some_and(|e| end.date > e) {
            return Err(invalid("slut", "tilbuddet skal slutte inden forløbets slutdato"));
        }
        self.check_end_reason(&end.reason).await?;
        // Read before the transaction: read inside it, through the pool, a few concurrent
        // writes would hold every SQLite connection while waiting for another.
        let reference = self.case_reference().await?;
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE offer SET end_date = $1, end_reason = $2 WHERE id = $3")
            .bind(rows::iso(end.date))
            .bind(&end.reason)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        self.finish(tx, row.try_get("citizen_id")?, &reference).await
    }

    /// Records a leisure-job placement.
    pub async fn add_placement(&self, new: &NewPlacement) -> Result<String, CaseError> {
        if new.end.is_some_and(|e| e < new.start) {
            return Err(invalid("slut", "slutdatoen ligger før startdatoen"));
        }
        let id = new_id("fritidsjob");
        // Read before the transaction: read inside it, through the pool, a few concurrent
        // writes would hold every SQLite connection while waiting for another.
        let reference = self.case_reference().await?;
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO placement (id, citizen_id, employer, start_date, end_date) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&id)
        .bind(new.citizen_id)
        .bind(new.employer.as_deref().map(str::trim).filter(|e| !e.is_empty()))
        .bind(rows::iso(new.start))
        .bind(new.end.map(rows::iso))
        .execute(&mut *tx)
        .await?;
        self.finish(tx, new.citizen_id, &reference).await?;
        Ok(id)
    }

    /// Records a life event; a release may schedule a follow-up (DOMTE).
    pub async fn record_event(&self, new: &NewEvent) -> Result<String, CaseError> {
        let kind = EventKind::parse(&new.kind)
            .ok_or_else(|| invalid("haendelse", format!("ukendt hændelse {:?}", new.kind)))?;
        match (kind.value_range(), new.value) {
            (Some(range), Some(v)) if range.contains(&v) => {}
            (Some(range), _) => {
                return Err(invalid("vaerdi", format!("skal være {}–{}", range.start(), range.end())))
            }
            (None, Some(_)) => return Err(invalid("vaerdi", "denne hændelse har ingen værdi")),
            (None, None) => {}
        }
        let id = new_id("haendelse");
        // Read before the transaction: read inside it, through the pool, a few concurrent
        // writes would hold every SQLite connection while waiting for another.
        let reference = self.case_reference().await?;
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO life_event (id, citizen_id, kind, event_date, value) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&id)
        .bind(new.citizen_id)
        .bind(kind.code())
        .bind(rows::iso(new.date))
        .bind(new.value)
        .execute(&mut *tx)
        .await?;
        self.finish(tx, new.citizen_id, &reference).await?;
        Ok(id)
    }

    async fn check_end_reason(&self, reason: &str) -> Result<(), CaseError> {
        if self.code_lists().await?.end_reason(reason).is_none() {
            return Err(invalid("afslutningsaarsag", format!("ukendt afslutningsårsag {reason:?}")));
        }
        Ok(())
    }

    /// The code lists and portfolio that [`Store::finish`] schedules follow-ups by.
    async fn case_reference(&self) -> Result<(CodeLists, Portfolio), StoreError> {
        Ok((self.code_lists().await?, self.portfolio().await?))
    }

    /// Brings the citizen's follow-ups in line with their anchors, appends the write's audit row
    /// (see `audit::audited_write`), logs the change for the evaluators (`change_log`), then
    /// commits: the change, its audit row and its log row all or none.
    async fn finish(
        &self,
        mut tx: Transaction<'_, Any>,
        citizen_id: i64,
        (codes, portfolio): &(CodeLists, Portfolio),
    ) -> Result<(), CaseError> {
        sync_follow_ups(&mut tx, codes, portfolio, Some(citizen_id)).await?;
        crate::audit::append_write_audit(&mut tx, citizen_id).await?;
        crate::change_log::append(&mut tx, Some(citizen_id)).await?;
        tx.commit().await?;
        Ok(())
    }
}

fn age_warning(check: AgeCheck) -> CaseError {
    let warning = match check {
        AgeCheck::Below { age_months, min_months } => format!(
            "borgeren er {} ved start, målgruppen starter ved {}",
            format_age_months(age_months.max(0) as u32),
            format_age_months(min_months)
        ),
        AgeCheck::Above { age_months, max_months } => format!(
            "borgeren er {} ved start, målgruppen går til {}",
            format_age_months(age_months.max(0) as u32),
            format_age_months(max_months)
        ),
        AgeCheck::Inside => String::new(),
    };
    CaseError::NeedsConfirmation { field: "start", warning }
}

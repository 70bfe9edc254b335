//! Enrollments, offers, placements and life events: the writes behind the caseworker forms.
//! Each write validates and stores through one [`CaseWrite`] (follow-ups, audit, change log).
//! Ending what is already ended is refused: that is a correction (`super::corrections`).

use super::rows::{self, ENROLLMENT_COLUMNS};
use super::write::CaseWrite;
use super::{fact_date, invalid, refused, CaseError, Refusal};
use crate::Store;
use chrono::NaiveDate;
use sikkerby_domain::cases::{format_age_months, AgeCheck, Enrollment};
use sikkerby_domain::codes::EventKind;
use sqlx::{AnyConnection, Row};

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
        let mut write = CaseWrite::begin(self, new.citizen_id).await?;
        refuse_overlap(write.conn(), new.citizen_id, initiative.code.as_str(), new.start).await?;
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
        .execute(write.conn())
        .await?;
        write.commit().await?;
        Ok(id)
    }

    /// One enrollment by id.
    pub async fn enrollment(&self, id: &str) -> Result<Option<Enrollment>, CaseError> {
        let sql = format!("SELECT {ENROLLMENT_COLUMNS} FROM enrollment WHERE id = $1");
        let row = sqlx::query(&sql).bind(id).fetch_optional(&self.pool).await?;
        Ok(row.as_ref().map(rows::enrollment).transpose()?)
    }

    /// Ends an open enrollment; the follow-up anchored on the end is scheduled. An enrollment
    /// already ended is refused (its end is changed by [`Store::correct`]).
    pub async fn end_enrollment(&self, id: &str, end: &EndRecord) -> Result<(), CaseError> {
        let enrollment = self
            .enrollment(id)
            .await?
            .ok_or_else(|| CaseError::NotFound { what: "forløb", id: id.to_owned() })?;
        if let Some(ended) = enrollment.end {
            return Err(refused("forloeb_id", Refusal::AlreadyEnded(ended)));
        }
        self.check_enrollment_end(&enrollment, end).await?;
        let mut write = CaseWrite::begin(self, enrollment.citizen_id).await?;
        // `end_date IS NULL`: a concurrent end that committed first wins, this one is refused.
        let done = sqlx::query(
            "UPDATE enrollment SET end_date = $1, end_reason = $2 WHERE id = $3 AND end_date IS NULL",
        )
        .bind(rows::iso(end.date))
        .bind(&end.reason)
        .bind(id)
        .execute(write.conn())
        .await?;
        if done.rows_affected() == 0 {
            return Err(refused("forloeb_id", Refusal::AlreadyEnded(end.date)));
        }
        write.commit().await
    }

    /// The rules of an enrollment's end: not before its start, not after today, a known reason.
    pub(super) async fn check_enrollment_end(
        &self,
        enrollment: &Enrollment,
        end: &EndRecord,
    ) -> Result<(), CaseError> {
        if end.date < enrollment.start {
            return Err(invalid(
                "slut",
                format!("slutdato {} ligger før start {}", end.date, enrollment.start),
            ));
        }
        fact_date("slut", end.date)?;
        self.check_end_reason(&end.reason).await
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
        let mut write = CaseWrite::begin(self, enrollment.citizen_id).await?;
        sqlx::query("INSERT INTO offer (id, enrollment_id, offer_type, start_date) VALUES ($1, $2, $3, $4)")
            .bind(&id)
            .bind(&new.enrollment_id)
            .bind(&new.offer_type)
            .bind(rows::iso(new.start))
            .execute(write.conn())
            .await?;
        write.commit().await?;
        Ok(id)
    }

    /// Ends an open offer, within its enrollment's dates. An offer already ended is refused
    /// (its end is changed by [`Store::correct`]).
    pub async fn end_offer(&self, id: &str, end: &EndRecord) -> Result<(), CaseError> {
        let offer = self.offer_bounds(id).await?;
        if let Some(ended) = offer.end {
            return Err(refused("tilbud_id", Refusal::AlreadyEnded(ended)));
        }
        self.check_offer_end(&offer, end).await?;
        let mut write = CaseWrite::begin(self, offer.citizen_id).await?;
        let done =
            sqlx::query("UPDATE offer SET end_date = $1, end_reason = $2 WHERE id = $3 AND end_date IS NULL")
                .bind(rows::iso(end.date))
                .bind(&end.reason)
                .bind(id)
                .execute(write.conn())
                .await?;
        if done.rows_affected() == 0 {
            return Err(refused("tilbud_id", Refusal::AlreadyEnded(end.date)));
        }
        write.commit().await
    }

    /// An offer's dates with its enrollment's end and its citizen.
    pub(super) async fn offer_bounds(&self, id: &str) -> Result<OfferBounds, CaseError> {
        let row = sqlx::query(
            "SELECT o.start_date, o.end_date, o.end_reason, e.citizen_id, e.end_date AS enrollment_end
             FROM offer o JOIN enrollment e ON e.id = o.enrollment_id WHERE o.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| CaseError::NotFound { what: "tilbud", id: id.to_owned() })?;
        Ok(OfferBounds {
            start: rows::date(&row, "start_date")?,
            end: rows::opt_date(&row, "end_date")?,
            end_reason: row.try_get("end_reason")?,
            enrollment_end: rows::opt_date(&row, "enrollment_end")?,
            citizen_id: row.try_get("citizen_id")?,
        })
    }

    /// The rules of an offer's end: within its dates and its enrollment's, not after today.
    pub(super) async fn check_offer_end(
        &self,
        offer: &OfferBounds,
        end: &EndRecord,
    ) -> Result<(), CaseError> {
        if end.date < offer.start {
            return Err(refused("slut", Refusal::EndsBeforeStart(offer.start)));
        }
        if offer.enrollment_end.is_some_and(|e| end.date > e) {
            return Err(invalid("slut", "tilbuddet skal slutte inden forløbets slutdato"));
        }
        fact_date("slut", end.date)?;
        self.check_end_reason(&end.reason).await
    }

    /// Records a leisure-job placement.
    pub async fn add_placement(&self, new: &NewPlacement) -> Result<String, CaseError> {
        if new.end.is_some_and(|e| e < new.start) {
            return Err(invalid("slut", "slutdatoen ligger før startdatoen"));
        }
        let id = new_id("fritidsjob");
        let mut write = CaseWrite::begin(self, new.citizen_id).await?;
        sqlx::query(
            "INSERT INTO placement (id, citizen_id, employer, start_date, end_date) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&id)
        .bind(new.citizen_id)
        .bind(new.employer.as_deref().map(str::trim).filter(|e| !e.is_empty()))
        .bind(rows::iso(new.start))
        .bind(new.end.map(rows::iso))
        .execute(write.conn())
        .await?;
        write.commit().await?;
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
        fact_date("dato", new.date)?;
        let id = new_id("haendelse");
        let mut write = CaseWrite::begin(self, new.citizen_id).await?;
        sqlx::query(
            "INSERT INTO life_event (id, citizen_id, kind, event_date, value) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&id)
        .bind(new.citizen_id)
        .bind(kind.code())
        .bind(rows::iso(new.date))
        .bind(new.value)
        .execute(write.conn())
        .await?;
        write.commit().await?;
        Ok(id)
    }

    async fn check_end_reason(&self, reason: &str) -> Result<(), CaseError> {
        if self.code_lists().await?.end_reason(reason).is_none() {
            return Err(invalid("afslutningsaarsag", format!("ukendt afslutningsårsag {reason:?}")));
        }
        Ok(())
    }
}

/// An offer's dates, as its end is checked against.
pub(super) struct OfferBounds {
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub end_reason: Option<String>,
    pub enrollment_end: Option<NaiveDate>,
    pub citizen_id: i64,
}

/// Refuses an enrollment from `start` (open-ended) while another of the same citizen in the
/// same initiative is open or ends on or after `start`. Read in the write's transaction, which
/// holds the citizen's write lock (`CaseWrite::begin`), so two concurrent enrollments cannot
/// both pass.
async fn refuse_overlap(
    conn: &mut AnyConnection,
    citizen_id: i64,
    initiative: &str,
    start: NaiveDate,
) -> Result<(), CaseError> {
    let row = sqlx::query(
        "SELECT start_date, end_date FROM enrollment
         WHERE citizen_id = $1 AND initiative_code = $2 AND (end_date IS NULL OR end_date >= $3)
         ORDER BY start_date LIMIT 1",
    )
    .bind(citizen_id)
    .bind(initiative)
    .bind(rows::iso(start))
    .fetch_optional(&mut *conn)
    .await?;
    match row {
        Some(row) => Err(refused(
            "start",
            Refusal::Overlaps {
                start: rows::date(&row, "start_date")?,
                end: rows::opt_date(&row, "end_date")?,
            },
        )),
        None => Ok(()),
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

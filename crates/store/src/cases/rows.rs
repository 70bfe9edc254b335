//! Mapping database rows to the domain's case records. Dates are ISO text in both backends.

use crate::StoreError;
use chrono::NaiveDate;
use sikkerby_domain::cases::{Citizen, Enrollment, FollowUp, LifeEvent, Offer, Placement};
use sikkerby_domain::codes::Anchor;
use sqlx::any::AnyRow;
use sqlx::Row;

pub(crate) fn date(row: &AnyRow, column: &str) -> Result<NaiveDate, StoreError> {
    let text: String = row.try_get(column)?;
    parse_iso(&text)
}

pub(crate) fn opt_date(row: &AnyRow, column: &str) -> Result<Option<NaiveDate>, StoreError> {
    let text: Option<String> = row.try_get(column)?;
    text.as_deref().map(parse_iso).transpose()
}

pub(crate) fn parse_iso(text: &str) -> Result<NaiveDate, StoreError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| StoreError::Corrupt(format!("stored date {text:?} is not ISO")))
}

pub(crate) fn iso(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// The columns [`citizen`] reads, for `SELECT {CITIZEN_COLUMNS} FROM citizen`.
pub(crate) const CITIZEN_COLUMNS: &str =
    "id, cpr, birth_date, sex, name, area_id, substitute_number, modulus11_warning";

pub(crate) fn citizen(row: &AnyRow) -> Result<Citizen, StoreError> {
    let mut citizen = citizen_without_id(row)?;
    citizen.id = row.try_get("id")?;
    Ok(citizen)
}

/// A citizen from a joined row whose `id` column belongs to another table.
pub(crate) fn citizen_without_id(row: &AnyRow) -> Result<Citizen, StoreError> {
    let cpr: String = row.try_get("cpr")?;
    Ok(Citizen {
        id: 0,
        cpr_masked: format!("{}-xxxx", cpr.get(..6).unwrap_or("??????")),
        birth_date: date(row, "birth_date")?,
        sex: row.try_get("sex")?,
        name: row.try_get("name")?,
        area_id: row.try_get("area_id")?,
        substitute_number: row.try_get::<i64, _>("substitute_number")? != 0,
        modulus11_warning: row.try_get::<i64, _>("modulus11_warning")? != 0,
    })
}

pub(crate) const ENROLLMENT_COLUMNS: &str = "id, citizen_id, initiative_code, start_date, end_date, \
     end_reason, lead, caseworker_code, centre, age_warning_confirmed";

pub(crate) fn enrollment(row: &AnyRow) -> Result<Enrollment, StoreError> {
    Ok(Enrollment {
        id: row.try_get("id")?,
        citizen_id: row.try_get("citizen_id")?,
        initiative: row.try_get("initiative_code")?,
        start: date(row, "start_date")?,
        end: opt_date(row, "end_date")?,
        end_reason: row.try_get("end_reason")?,
        lead: row.try_get("lead")?,
        caseworker_code: row.try_get("caseworker_code")?,
        centre: row.try_get("centre")?,
        age_warning_confirmed: row.try_get("age_warning_confirmed")?,
    })
}

pub(crate) fn offer(row: &AnyRow) -> Result<Offer, StoreError> {
    Ok(Offer {
        id: row.try_get("id")?,
        enrollment_id: row.try_get("enrollment_id")?,
        offer_type: row.try_get("offer_type")?,
        start: date(row, "start_date")?,
        end: opt_date(row, "end_date")?,
        end_reason: row.try_get("end_reason")?,
    })
}

pub(crate) fn placement(row: &AnyRow) -> Result<Placement, StoreError> {
    Ok(Placement {
        id: row.try_get("id")?,
        citizen_id: row.try_get("citizen_id")?,
        employer: row.try_get("employer")?,
        start: date(row, "start_date")?,
        end: opt_date(row, "end_date")?,
    })
}

pub(crate) fn life_event(row: &AnyRow) -> Result<LifeEvent, StoreError> {
    Ok(LifeEvent {
        id: row.try_get("id")?,
        citizen_id: row.try_get("citizen_id")?,
        kind: row.try_get("kind")?,
        date: date(row, "event_date")?,
        value: row.try_get("value")?,
    })
}

pub(crate) fn follow_up(row: &AnyRow) -> Result<FollowUp, StoreError> {
    let anchor: String = row.try_get("anchor")?;
    Ok(FollowUp {
        id: row.try_get("id")?,
        citizen_id: row.try_get("citizen_id")?,
        anchor: Anchor::parse(&anchor)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown anchor {anchor:?}")))?,
        anchor_id: row.try_get("anchor_id")?,
        due: date(row, "due_date")?,
        done: opt_date(row, "done_date")?,
        status: row.try_get("status")?,
        done_by: row.try_get("done_by")?,
        scheduled: row.try_get::<i64, _>("scheduled")? != 0,
    })
}

//! Loads the engine's in-memory [`CaseData`] from the database in one streaming pass per table,
//! and re-reads one citizen after a change. The engine is then current without a rebuild.

use crate::cases::rows::{opt_date, parse_iso};
use crate::{Store, StoreError};
use futures_util::TryStreamExt;
use sikkerby_domain::codes::{Anchor, CodeLists, EventKind};
use sikkerby_domain::engine::CaseData;
use sqlx::any::AnyRow;
use sqlx::Row;

fn text(row: &AnyRow, column: &str) -> Result<String, StoreError> {
    Ok(row.try_get(column)?)
}

fn day(row: &AnyRow, column: &str) -> Result<chrono::NaiveDate, StoreError> {
    parse_iso(&text(row, column)?)
}

/// Every query takes `$1` = a citizen id, or NULL for all citizens. Records are read in id order:
/// when two anchors of a citizen fall on the same day, the engine keeps the one it met first,
/// so id order (bytewise) is the documented tie rule.
const CITIZENS: &str = "SELECT id, birth_date, sex, area_id FROM citizen WHERE ($1 IS NULL OR id = $1)";
const ENROLLMENTS: &str = "SELECT id, citizen_id, initiative_code, start_date, end_date, end_reason, lead,
        caseworker_code, centre FROM enrollment WHERE ($1 IS NULL OR citizen_id = $1) ORDER BY id";
const OFFERS: &str = "SELECT o.id, o.enrollment_id, o.offer_type, o.start_date, o.end_date FROM offer o
        JOIN enrollment e ON e.id = o.enrollment_id WHERE ($1 IS NULL OR e.citizen_id = $1) ORDER BY o.id";
const PLACEMENTS: &str =
    "SELECT id, citizen_id, start_date, end_date FROM placement WHERE ($1 IS NULL OR citizen_id = $1)";
const EVENTS: &str =
    "SELECT id, citizen_id, kind, event_date FROM life_event WHERE ($1 IS NULL OR citizen_id = $1) ORDER BY id";
const FOLLOW_UPS: &str = "SELECT anchor, anchor_id, due_date, done_date, status FROM follow_up
        WHERE ($1 IS NULL OR citizen_id = $1)";

impl Store {
    /// Reads every case record into the engine's form.
    pub async fn load_case_data(&self) -> Result<CaseData, StoreError> {
        let mut data = CaseData::new();
        self.load_into(&mut data, None).await?;
        Ok(data)
    }

    /// Re-reads one citizen's records into `data` after a change. Records of the citizen that
    /// no longer exist are dropped first.
    pub async fn refresh_citizen(&self, data: &mut CaseData, citizen_id: i64) -> Result<(), StoreError> {
        data.forget_citizen_records(citizen_id);
        self.load_into(data, Some(citizen_id)).await
    }

    async fn load_into(&self, data: &mut CaseData, citizen: Option<i64>) -> Result<(), StoreError> {
        let codes = self.code_lists().await?;
        self.each_row(CITIZENS, citizen, |r| {
            let area: Option<String> = r.try_get("area_id")?;
            data.upsert_citizen(
                r.try_get("id")?,
                day(r, "birth_date")?,
                text(r, "sex")? == "M",
                area.as_deref(),
            );
            Ok(())
        })
        .await?;
        self.each_row(ENROLLMENTS, citizen, |r| load_enrollment(data, &codes, r)).await?;
        self.each_row(OFFERS, citizen, |r| {
            let lab = codes.is_lab_offer(&text(r, "offer_type")?);
            let (id, enrollment) = (text(r, "id")?, text(r, "enrollment_id")?);
            data.upsert_offer(&id, &enrollment, lab, day(r, "start_date")?, opt_date(r, "end_date")?);
            Ok(())
        })
        .await?;
        self.each_row(PLACEMENTS, citizen, |r| {
            let id = text(r, "id")?;
            data.upsert_placement(
                &id,
                r.try_get("citizen_id")?,
                day(r, "start_date")?,
                opt_date(r, "end_date")?,
            );
            Ok(())
        })
        .await?;
        self.each_row(EVENTS, citizen, |r| {
            if let Some(kind) = EventKind::parse(&text(r, "kind")?) {
                data.upsert_event(&text(r, "id")?, r.try_get("citizen_id")?, kind, day(r, "event_date")?);
            }
            Ok(())
        })
        .await?;
        self.each_row(FOLLOW_UPS, citizen, |r| load_follow_up(data, &codes, r)).await
    }

    /// Streams the rows of a query, one at a time: memory stays bounded by the engine's own form.
    async fn each_row(
        &self,
        sql: &str,
        citizen: Option<i64>,
        mut apply: impl FnMut(&AnyRow) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut rows = sqlx::query(sql).bind(citizen).fetch(&self.pool);
        while let Some(row) = rows.try_next().await? {
            apply(&row)?;
        }
        Ok(())
    }
}

fn load_enrollment(data: &mut CaseData, codes: &CodeLists, r: &AnyRow) -> Result<(), StoreError> {
    let reason: Option<String> = r.try_get("end_reason")?;
    let caseworker: Option<String> = r.try_get("caseworker_code")?;
    let centre: Option<String> = r.try_get("centre")?;
    data.upsert_enrollment(
        &text(r, "id")?,
        r.try_get("citizen_id")?,
        &text(r, "initiative_code")?,
        day(r, "start_date")?,
        opt_date(r, "end_date")?,
        reason.is_some_and(|c| codes.is_positive_end(&c)),
        text(r, "lead")?.eq_ignore_ascii_case("BIF"),
        caseworker.as_deref(),
        centre.as_deref(),
    );
    Ok(())
}

fn load_follow_up(data: &mut CaseData, codes: &CodeLists, r: &AnyRow) -> Result<(), StoreError> {
    let Some(anchor) = Anchor::parse(&text(r, "anchor")?) else { return Ok(()) };
    let status: Option<String> = r.try_get("status")?;
    let positive = status.is_some_and(|s| codes.is_positive_status(&s));
    let anchor_id = text(r, "anchor_id")?;
    data.upsert_follow_up(anchor, &anchor_id, day(r, "due_date")?, opt_date(r, "done_date")?, positive);
    Ok(())
}

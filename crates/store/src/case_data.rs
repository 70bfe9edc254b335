//! Loads the engine's in-memory [`CaseData`] from the database in one streaming pass per table.
//! The engine then keeps it current change by change; this load happens once per process.

use crate::cases::rows::{opt_date, parse_iso};
use crate::{Store, StoreError};
use futures_util::TryStreamExt;
use sikkerby_domain::codes::{Anchor, EventKind};
use sikkerby_domain::engine::CaseData;
use sqlx::any::AnyRow;
use sqlx::Row;

fn text(row: &AnyRow, column: &str) -> Result<String, StoreError> {
    Ok(row.try_get(column)?)
}

fn day(row: &AnyRow, column: &str) -> Result<chrono::NaiveDate, StoreError> {
    parse_iso(&text(row, column)?)
}

impl Store {
    /// Reads every case record into the engine's form.
    pub async fn load_case_data(&self) -> Result<CaseData, StoreError> {
        let codes = self.code_lists().await?;
        let mut data = CaseData::new();
        let mut rows =
            sqlx::query("SELECT id, birth_date, sex, area_id FROM citizen").fetch(&self.pool);
        while let Some(r) = rows.try_next().await? {
            let area: Option<String> = r.try_get("area_id")?;
            data.upsert_citizen(
                r.try_get("id")?,
                day(&r, "birth_date")?,
                text(&r, "sex")? == "M",
                area.as_deref(),
            );
        }
        drop(rows);
        let mut rows = sqlx::query(
            "SELECT id, citizen_id, initiative_code, start_date, end_date, end_reason, lead, caseworker_code, centre
             FROM enrollment",
        )
        .fetch(&self.pool);
        while let Some(r) = rows.try_next().await? {
            let reason: Option<String> = r.try_get("end_reason")?;
            let (caseworker, centre): (Option<String>, Option<String>) =
                (r.try_get("caseworker_code")?, r.try_get("centre")?);
            data.upsert_enrollment(
                &text(&r, "id")?,
                r.try_get("citizen_id")?,
                &text(&r, "initiative_code")?,
                day(&r, "start_date")?,
                opt_date(&r, "end_date")?,
                reason.is_some_and(|c| codes.is_positive_end(&c)),
                text(&r, "lead")?.eq_ignore_ascii_case("BIF"),
                caseworker.as_deref(),
                centre.as_deref(),
            );
        }
        drop(rows);
        self.load_offers_and_placements(&mut data, &codes).await?;
        self.load_events_and_follow_ups(&mut data, &codes).await?;
        Ok(data)
    }

    async fn load_offers_and_placements(
        &self,
        data: &mut CaseData,
        codes: &sikkerby_domain::codes::CodeLists,
    ) -> Result<(), StoreError> {
        let mut rows =
            sqlx::query("SELECT id, enrollment_id, offer_type, start_date, end_date FROM offer")
                .fetch(&self.pool);
        while let Some(r) = rows.try_next().await? {
            let lab = codes.is_lab_offer(&text(&r, "offer_type")?);
            data.upsert_offer(
                &text(&r, "id")?,
                &text(&r, "enrollment_id")?,
                lab,
                day(&r, "start_date")?,
                opt_date(&r, "end_date")?,
            );
        }
        drop(rows);
        let mut rows =
            sqlx::query("SELECT citizen_id, start_date, end_date FROM placement").fetch(&self.pool);
        while let Some(r) = rows.try_next().await? {
            data.add_placement(
                r.try_get("citizen_id")?,
                day(&r, "start_date")?,
                opt_date(&r, "end_date")?,
            );
        }
        Ok(())
    }

    async fn load_events_and_follow_ups(
        &self,
        data: &mut CaseData,
        codes: &sikkerby_domain::codes::CodeLists,
    ) -> Result<(), StoreError> {
        let mut rows = sqlx::query("SELECT id, citizen_id, kind, event_date FROM life_event")
            .fetch(&self.pool);
        while let Some(r) = rows.try_next().await? {
            if let Some(kind) = EventKind::parse(&text(&r, "kind")?) {
                data.upsert_event(
                    &text(&r, "id")?,
                    r.try_get("citizen_id")?,
                    kind,
                    day(&r, "event_date")?,
                );
            }
        }
        drop(rows);
        let mut rows =
            sqlx::query("SELECT anchor, anchor_id, due_date, done_date, status FROM follow_up")
                .fetch(&self.pool);
        while let Some(r) = rows.try_next().await? {
            let Some(anchor) = Anchor::parse(&text(&r, "anchor")?) else {
                continue;
            };
            let status: Option<String> = r.try_get("status")?;
            let positive = status.is_some_and(|s| codes.is_positive_status(&s));
            data.upsert_follow_up(
                anchor,
                &text(&r, "anchor_id")?,
                day(&r, "due_date")?,
                opt_date(&r, "done_date")?,
                positive,
            );
        }
        Ok(())
    }
}

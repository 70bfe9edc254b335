//! Corrections of recorded facts: an end date or reason, a follow-up's outcome, an event's date.
//! A correction is its own action with a stated reason; the same rules as the first recording
//! apply, and every changed field is kept as history (`super::history`) by the write's commit.

use super::enrollments::EndRecord;
use super::history::{FieldChange, RecordKind};
use super::rows::{self, iso};
use super::write::CaseWrite;
use super::{fact_date, invalid, refused, CaseError, Refusal};
use crate::Store;
use chrono::NaiveDate;
use sqlx::Row;

/// The fact to correct and its new value.
#[derive(Debug, Clone)]
pub enum Fact {
    /// The end date and reason of an ended enrollment.
    EnrollmentEnd { id: String, end: EndRecord },
    /// The end date and reason of an ended offer.
    OfferEnd { id: String, end: EndRecord },
    /// The date and status of a recorded follow-up.
    FollowUpOutcome { id: String, done: NaiveDate, status: String },
    /// The date of a life event.
    EventDate { id: String, date: NaiveDate },
}

/// A correction: the fact, why it is corrected, and who corrects it.
#[derive(Debug, Clone)]
pub struct CorrectFact {
    pub fact: Fact,
    pub reason: String,
    pub by: String,
}

/// Longest reason kept, in characters.
const MAX_REASON: usize = 200;

/// One field's change, if the value changes.
fn change(
    (kind, record_id): (RecordKind, &str),
    field: &'static str,
    from: Option<String>,
    to: String,
    c: &CorrectFact,
) -> Option<FieldChange> {
    (from.as_deref() != Some(to.as_str())).then(|| FieldChange {
        kind,
        record_id: record_id.to_owned(),
        field,
        from,
        to: Some(to),
        reason: c.reason.trim().to_owned(),
        by: c.by.clone(),
    })
}

impl Store {
    /// Corrects a recorded fact; refused with the field named when the reason is missing, the
    /// fact was never recorded, the new value breaks a rule, or nothing changes.
    pub async fn correct(&self, c: &CorrectFact) -> Result<(), CaseError> {
        let reason = c.reason.trim();
        if reason.is_empty() {
            return Err(refused("begrundelse", Refusal::ReasonRequired));
        }
        if reason.chars().count() > MAX_REASON {
            return Err(invalid("begrundelse", format!("må højst være {MAX_REASON} tegn")));
        }
        let (citizen_id, changes, update) = match &c.fact {
            Fact::EnrollmentEnd { id, end } => self.enrollment_end_changes(id, end, c).await?,
            Fact::OfferEnd { id, end } => self.offer_end_changes(id, end, c).await?,
            Fact::FollowUpOutcome { id, done, status } => {
                self.follow_up_changes(id, (*done, status), c).await?
            }
            Fact::EventDate { id, date } => self.event_changes(id, *date, c).await?,
        };
        if changes.is_empty() {
            return Err(refused("begrundelse", Refusal::Unchanged));
        }
        let mut write = CaseWrite::begin(self, citizen_id).await?;
        let mut query = sqlx::query(update.sql);
        for value in &update.binds {
            query = query.bind(value.as_str());
        }
        if query.execute(write.conn()).await?.rows_affected() == 0 {
            // Changed by someone else since it was read: nothing is stored, the user looks again.
            return Err(CaseError::NotFound { what: update.what, id: update.binds[0].clone() });
        }
        changes.into_iter().for_each(|change| write.correct(change));
        write.commit().await
    }

    async fn enrollment_end_changes(&self, id: &str, end: &EndRecord, c: &CorrectFact) -> Prepared {
        let e = self
            .enrollment(id)
            .await?
            .ok_or_else(|| CaseError::NotFound { what: "forløb", id: id.to_owned() })?;
        let Some(old_end) = e.end else { return Err(refused("forloeb_id", Refusal::NotEnded)) };
        self.check_enrollment_end(&e, end).await?;
        let record = (RecordKind::Enrollment, id);
        let changes = [
            change(record, "slut", Some(iso(old_end)), iso(end.date), c),
            change(record, "afslutningsaarsag", e.end_reason.clone(), end.reason.clone(), c),
        ];
        let update = Update {
            what: "forløb",
            // The old values in the condition: a concurrent correction makes this one miss.
            sql: "UPDATE enrollment SET end_date = $4, end_reason = $5
                  WHERE id = $1 AND end_date = $2 AND COALESCE(end_reason, '') = $3",
            binds: vec![
                id.to_owned(),
                iso(old_end),
                e.end_reason.unwrap_or_default(),
                iso(end.date),
                end.reason.clone(),
            ],
        };
        Ok((e.citizen_id, changes.into_iter().flatten().collect(), update))
    }

    async fn offer_end_changes(&self, id: &str, end: &EndRecord, c: &CorrectFact) -> Prepared {
        let offer = self.offer_bounds(id).await?;
        let Some(old_end) = offer.end else { return Err(refused("tilbud_id", Refusal::NotEnded)) };
        self.check_offer_end(&offer, end).await?;
        let record = (RecordKind::Offer, id);
        let changes = [
            change(record, "slut", Some(iso(old_end)), iso(end.date), c),
            change(record, "afslutningsaarsag", offer.end_reason.clone(), end.reason.clone(), c),
        ];
        let update = Update {
            what: "tilbud",
            sql: "UPDATE offer SET end_date = $4, end_reason = $5
                  WHERE id = $1 AND end_date = $2 AND COALESCE(end_reason, '') = $3",
            binds: vec![
                id.to_owned(),
                iso(old_end),
                offer.end_reason.unwrap_or_default(),
                iso(end.date),
                end.reason.clone(),
            ],
        };
        Ok((offer.citizen_id, changes.into_iter().flatten().collect(), update))
    }

    async fn follow_up_changes(
        &self,
        id: &str,
        (done, status): (NaiveDate, &str),
        c: &CorrectFact,
    ) -> Prepared {
        if self.code_lists().await?.follow_up_status(status).is_none() {
            return Err(invalid("status", format!("ukendt status {status:?}")));
        }
        fact_date("udfoert", done)?;
        let row = sqlx::query("SELECT citizen_id, done_date, status FROM follow_up WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| CaseError::NotFound { what: "opfølgning", id: id.to_owned() })?;
        let Some(old_done) = rows::opt_date(&row, "done_date")? else {
            return Err(refused("opfoelgning_id", Refusal::NotDone));
        };
        let old_status: Option<String> = row.try_get("status")?;
        let record = (RecordKind::FollowUp, id);
        let changes = [
            change(record, "udfoert", Some(iso(old_done)), iso(done), c),
            change(record, "status", old_status.clone(), status.to_owned(), c),
        ];
        let update = Update {
            what: "opfølgning",
            sql: "UPDATE follow_up SET done_date = $4, status = $5
                  WHERE id = $1 AND done_date = $2 AND COALESCE(status, '') = $3",
            binds: vec![
                id.to_owned(),
                iso(old_done),
                old_status.unwrap_or_default(),
                iso(done),
                status.to_owned(),
            ],
        };
        Ok((row.try_get("citizen_id")?, changes.into_iter().flatten().collect(), update))
    }

    async fn event_changes(&self, id: &str, date: NaiveDate, c: &CorrectFact) -> Prepared {
        fact_date("dato", date)?;
        let row = sqlx::query("SELECT citizen_id, event_date FROM life_event WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| CaseError::NotFound { what: "hændelse", id: id.to_owned() })?;
        let old = rows::date(&row, "event_date")?;
        let changes = change((RecordKind::Event, id), "dato", Some(iso(old)), iso(date), c);
        let update = Update {
            what: "hændelse",
            sql: "UPDATE life_event SET event_date = $3 WHERE id = $1 AND event_date = $2",
            binds: vec![id.to_owned(), iso(old), iso(date)],
        };
        Ok((row.try_get("citizen_id")?, changes.into_iter().collect(), update))
    }
}

/// The update a correction makes, guarded by the old values (`$1` is always the record's id).
struct Update {
    what: &'static str,
    sql: &'static str,
    binds: Vec<String>,
}

/// The citizen, the changed fields and the update of one correction.
type Prepared = Result<(i64, Vec<FieldChange>, Update), CaseError>;

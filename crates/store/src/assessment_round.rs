//! The partners' half-yearly assessments (docs/safety-index.md "Assessments by partners"): a
//! partner user submits the assessment of every area of one of their own districts for the
//! open half-year, stored as rows of `area_assessment` under the partner's source beside the
//! imported ones; the deadline of a half-year (set by the secretariat, or the default); who
//! submitted when, late or not; and which districts each source has still not assessed. A
//! submission and a refused attempt are audited (`assessment`).

use crate::audit::{append, parse_timestamp, timestamp, Actor, AuditAction, AuditEntry, AuditResult};
use crate::users::User;
use crate::{Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use sikkerby_domain::access::{AssessmentSource, Permission};
use sikkerby_domain::assessment_round::{default_deadline, is_late, open_half_year, AreaScore};
use sikkerby_domain::half_year::HalfYear;
use sqlx::Row;

/// Why a submission was refused; nothing was stored.
#[derive(Debug, thiserror::Error)]
pub enum AssessmentError {
    /// Not a partner, or not one of the partner's districts (audited as denied).
    #[error("not allowed to submit assessments for district {district:?}")]
    Forbidden { district: String },
    /// A value that does not fit; `field` is the form field.
    #[error("{field}: {reason}")]
    Invalid { field: String, reason: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for AssessmentError {
    fn from(e: sqlx::Error) -> Self {
        AssessmentError::Store(e.into())
    }
}

fn invalid(field: impl Into<String>, reason: impl Into<String>) -> AssessmentError {
    AssessmentError::Invalid { field: field.into(), reason: reason.into() }
}

/// A district's assessments of a half-year by one source: who submitted them and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    pub district: String,
    pub half_year: HalfYear,
    pub source: AssessmentSource,
    pub submitted_by: String,
    pub submitted_at: DateTime<Utc>,
    /// Submitted after the half-year's deadline.
    pub late: bool,
}

/// The districts a source has not assessed for a half-year (some area without its assessment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    pub source: AssessmentSource,
    /// District ids, sorted.
    pub districts: Vec<String>,
}

impl Store {
    /// The deadline of `half`'s assessments: the one the secretariat set, else the default.
    pub async fn assessment_deadline(&self, half: HalfYear) -> Result<NaiveDate, StoreError> {
        let set: Option<String> =
            sqlx::query_scalar("SELECT deadline FROM assessment_deadline WHERE half_year = $1")
                .bind(half.to_string())
                .fetch_optional(self.pool())
                .await?;
        match set {
            Some(text) => text.parse().map_err(|_| StoreError::Corrupt(format!("deadline {text:?}"))),
            None => Ok(default_deadline(half)),
        }
    }

    /// Sets the deadline of `half`'s assessments (audited as `config_change`). A deadline before
    /// the half-year ends is refused: nobody could meet it.
    pub async fn set_assessment_deadline(
        &self,
        half: HalfYear,
        deadline: NaiveDate,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(), AssessmentError> {
        if deadline <= half.last_day() {
            return Err(invalid(
                "frist",
                format!("fristen skal ligge efter halvårets sidste dag ({})", half.last_day()),
            ));
        }
        let mut tx = self.pool().begin().await?;
        sqlx::query(
            "INSERT INTO assessment_deadline (half_year, deadline, set_by, set_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (half_year) DO UPDATE SET deadline = excluded.deadline, set_by = excluded.set_by,
                 set_at = excluded.set_at",
        )
        .bind(half.to_string())
        .bind(deadline.to_string())
        .bind(&actor.username)
        .bind(timestamp(now))
        .execute(&mut *tx)
        .await?;
        let detail = format!("assessment deadline of {half} set to {deadline}");
        append(&mut tx, &AuditEntry::new(actor, AuditAction::ConfigChange, now).detail(detail)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The ids of a district's areas, sorted.
    pub async fn district_areas(&self, district: &str) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar("SELECT id FROM area WHERE district_id = $1 ORDER BY id")
            .bind(district)
            .fetch_all(self.pool())
            .await?)
    }

    /// Stores `user`'s assessment of every area of `district` for `half`, which must be the
    /// half-year open on `now` ([`open_half_year`]), under the user's source, replacing an
    /// earlier one; marked late after the deadline. Refused (and audited as denied) unless the
    /// user is a partner assigned to the district; refused unless every area of the district,
    /// and only those, is assessed.
    pub async fn submit_assessments(
        &self,
        user: &User,
        district: &str,
        half: HalfYear,
        scores: &[AreaScore],
        now: DateTime<Utc>,
    ) -> Result<Submission, AssessmentError> {
        let assignment = match user.role.has(Permission::SubmitAssessment) {
            true => self.partner_assignment(user.id).await?.filter(|a| a.covers(district)),
            false => None,
        };
        let Some(assignment) = assignment else {
            let detail = format!("assessments of district {district:?} for {half} refused");
            let entry =
                AuditEntry::new(&user.actor(), AuditAction::Assessment, now).result(AuditResult::Denied);
            self.audit(&entry.detail(detail)).await?;
            return Err(AssessmentError::Forbidden { district: district.to_owned() });
        };
        let open = open_half_year(now.date_naive());
        if half != open {
            return Err(invalid("halvaar", format!("kun det åbne halvår ({open}) kan vurderes")));
        }
        let areas = self.district_areas(district).await?;
        if let Some(extra) = scores.iter().find(|s| !areas.contains(&s.area)) {
            return Err(invalid(extra.area.clone(), "området ligger ikke i bydelen"));
        }
        if let Some(missing) = areas.iter().find(|a| !scores.iter().any(|s| &s.area == *a)) {
            return Err(invalid(missing.clone(), "området mangler en vurdering"));
        }
        let late = is_late(now.date_naive(), self.assessment_deadline(half).await?);
        let source = assignment.source;
        let mut tx = self.pool().begin().await?;
        for score in scores {
            sqlx::query(
                "INSERT INTO area_assessment (area_id, half_year, source, assessment, text)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (area_id, half_year, source)
                 DO UPDATE SET assessment = excluded.assessment, text = excluded.text",
            )
            .bind(&score.area)
            .bind(half.to_string())
            .bind(source.code())
            .bind(i64::from(score.level()))
            .bind(score.text.as_deref())
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "INSERT INTO assessment_submission (district_id, half_year, source, submitted_by, submitted_at, late)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (district_id, half_year, source) DO UPDATE SET submitted_by = excluded.submitted_by,
                 submitted_at = excluded.submitted_at, late = excluded.late",
        )
        .bind(district)
        .bind(half.to_string())
        .bind(source.code())
        .bind(&user.username)
        .bind(timestamp(now))
        .bind(i64::from(late))
        .execute(&mut *tx)
        .await?;
        let late_word = if late { ", late" } else { "" };
        let detail = format!(
            "{source} assessments of district {district} for {half}: {} areas{late_word}",
            scores.len()
        );
        append(&mut tx, &AuditEntry::new(&user.actor(), AuditAction::Assessment, now).detail(detail)).await?;
        tx.commit().await?;
        let submitted_by = user.username.clone();
        Ok(Submission {
            district: district.to_owned(),
            half_year: half,
            source,
            submitted_by,
            submitted_at: now,
            late,
        })
    }

    /// The submissions of `half`, by district and source.
    pub async fn assessment_submissions(&self, half: HalfYear) -> Result<Vec<Submission>, StoreError> {
        let rows = sqlx::query(
            "SELECT district_id, source, submitted_by, submitted_at, late FROM assessment_submission
             WHERE half_year = $1 ORDER BY district_id, source",
        )
        .bind(half.to_string())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let source: String = r.try_get(1)?;
                Ok(Submission {
                    district: r.try_get(0)?,
                    half_year: half,
                    source: AssessmentSource::parse(&source)
                        .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                    submitted_by: r.try_get(2)?,
                    submitted_at: parse_timestamp(&r.try_get::<String, _>(3)?)?,
                    late: r.try_get::<i64, _>(4)? == 1,
                })
            })
            .collect()
    }

    /// Per source, the districts (with areas) of which some area has no assessment of `half`
    /// from that source, whether submitted here or imported (`vurderinger.csv`).
    pub async fn missing_assessments(&self, half: HalfYear) -> Result<Vec<Missing>, StoreError> {
        let mut missing = Vec::new();
        for source in AssessmentSource::ALL {
            let districts = sqlx::query_scalar(
                "SELECT DISTINCT a.district_id FROM area a
                 WHERE a.district_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM area_assessment s
                     WHERE s.area_id = a.id AND s.half_year = $1 AND s.source = $2)
                 ORDER BY a.district_id",
            )
            .bind(half.to_string())
            .bind(source.code())
            .fetch_all(self.pool())
            .await?;
            missing.push(Missing { source: *source, districts });
        }
        Ok(missing)
    }
}

//! Reading the area data back: the index's inputs as the pure computation takes them, the
//! half-yearly assessments, the young people in active enrollments per district, and the stamp
//! that tells a cache of the computed index whether it is still current.

use super::STAMP_KEY;
use crate::{Store, StoreError};
use sikkerby_domain::calendar::Period;
use sikkerby_domain::half_year::HalfYear;
use sikkerby_domain::safety_index::{AreaYear, IndexInputs, PoliceReports, SurveyResponse};
use sqlx::Row;

/// One assessment of an area in a half-year (`vurderinger.csv`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaAssessment {
    pub area: String,
    pub district: String,
    pub half_year: HalfYear,
    /// Who assessed (`ssp_ledergruppe`, `politi`, …).
    pub source: String,
    /// 1 (calm) … 5 (serious unrest).
    pub assessment: u8,
    pub text: Option<String>,
}

/// Citizens living in a district's areas, by their enrollments in a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistrictYouth {
    pub district: String,
    /// With an enrollment active on the period's last day.
    pub active_on_last_day: u64,
    /// With an enrollment starting in the period.
    pub started: u64,
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} is out of range"))
}

fn small<T: TryFrom<i64>>(value: i64, what: &str) -> Result<T, StoreError> {
    T::try_from(value).map_err(|_| corrupt(what))
}

impl Store {
    /// Everything the index is computed from, in a fixed order (by year, area, then key), so
    /// that the seeded bootstrap gives the same figures on every run and backend.
    pub async fn index_inputs(&self) -> Result<IndexInputs, StoreError> {
        let mut inputs = IndexInputs::default();
        let sql = "SELECT area_id, district_id, year, population FROM area_year ORDER BY year, area_id";
        for r in sqlx::query(sql).fetch_all(self.pool()).await? {
            inputs.areas.push(AreaYear {
                area: r.try_get(0)?,
                district: r.try_get(1)?,
                year: small(r.try_get(2)?, "year")?,
                population: small(r.try_get(3)?, "population")?,
            });
        }
        let sql = "SELECT area_id, year, offence_group, citizen_facing, reports FROM police_report
                   ORDER BY year, area_id, offence_group, citizen_facing";
        for r in sqlx::query(sql).fetch_all(self.pool()).await? {
            inputs.reports.push(PoliceReports {
                area: r.try_get(0)?,
                year: small(r.try_get(1)?, "year")?,
                group: r.try_get(2)?,
                citizen_facing: r.try_get::<i64, _>(3)? == 1,
                count: small(r.try_get(4)?, "reports")?,
            });
        }
        let sql = "SELECT respondent_id, area_id, year, weight, safe_neighbourhood, safe_night, victimised
                   FROM survey_response ORDER BY year, area_id, respondent_id";
        for r in sqlx::query(sql).fetch_all(self.pool()).await? {
            inputs.survey.push(SurveyResponse {
                respondent_id: r.try_get(0)?,
                area: r.try_get(1)?,
                year: small(r.try_get(2)?, "year")?,
                weight: r.try_get(3)?,
                safe_neighbourhood: small(r.try_get(4)?, "answer")?,
                safe_night: small(r.try_get(5)?, "answer")?,
                victimised: r.try_get::<i64, _>(6)? == 1,
            });
        }
        Ok(inputs)
    }

    /// The assessments of one half-year, by district, area and source.
    pub async fn area_assessments(&self, half_year: HalfYear) -> Result<Vec<AreaAssessment>, StoreError> {
        let rows = sqlx::query(
            "SELECT s.area_id, COALESCE(a.district_id, ''), s.source, s.assessment, s.text
             FROM area_assessment s JOIN area a ON a.id = s.area_id
             WHERE s.half_year = $1 ORDER BY a.district_id, s.area_id, s.source",
        )
        .bind(half_year.to_string())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AreaAssessment {
                    area: r.try_get(0)?,
                    district: r.try_get(1)?,
                    half_year,
                    source: r.try_get(2)?,
                    assessment: small(r.try_get(3)?, "assessment")?,
                    text: r.try_get(4)?,
                })
            })
            .collect()
    }

    /// The half-years that have assessments, latest first.
    pub async fn assessment_half_years(&self) -> Result<Vec<HalfYear>, StoreError> {
        let rows = sqlx::query("SELECT DISTINCT half_year FROM area_assessment ORDER BY half_year DESC")
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| {
                let text: String = r.try_get(0)?;
                text.parse().map_err(|_| StoreError::Corrupt(format!("half-year {text:?}")))
            })
            .collect()
    }

    /// Per district, counts of the citizens whose home area lies in it: with an enrollment
    /// active on the period's last day (start ≤ day ≤ end, or no end), and with an enrollment
    /// starting in the period. Districts without any are left out.
    pub async fn youth_by_district(&self, period: Period) -> Result<Vec<DistrictYouth>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.district_id,
                 SUM(CASE WHEN EXISTS (SELECT 1 FROM enrollment e WHERE e.citizen_id = c.id
                     AND e.start_date <= $2 AND (e.end_date IS NULL OR e.end_date >= $2)) THEN 1 ELSE 0 END),
                 SUM(CASE WHEN EXISTS (SELECT 1 FROM enrollment e WHERE e.citizen_id = c.id
                     AND e.start_date >= $1 AND e.start_date <= $2) THEN 1 ELSE 0 END)
             FROM citizen c JOIN area a ON a.id = c.area_id
             WHERE a.district_id IS NOT NULL
             GROUP BY a.district_id ORDER BY a.district_id",
        )
        .bind(period.from().to_string())
        .bind(period.to().to_string())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(DistrictYouth {
                    district: r.try_get(0)?,
                    active_on_last_day: small(r.try_get(1)?, "count")?,
                    started: small(r.try_get(2)?, "count")?,
                })
            })
            .filter(|d: &Result<DistrictYouth, StoreError>| {
                d.as_ref().map_or(true, |d| d.active_on_last_day + d.started > 0)
            })
            .collect()
    }

    /// Changes whenever the index's inputs or configuration change: (imports that changed area
    /// data, configuration version). Cheap enough to ask before every use of a cached index.
    pub async fn index_stamp(&self) -> Result<(i64, i64), StoreError> {
        let row = sqlx::query(
            "SELECT (SELECT value FROM meta WHERE key = $1), (SELECT MAX(version) FROM index_config)",
        )
        .bind(STAMP_KEY)
        .fetch_one(self.pool())
        .await?;
        let stamp: Option<String> = row.try_get(0)?;
        let version: Option<i64> = row.try_get(1)?;
        Ok((stamp.and_then(|s| s.parse().ok()).unwrap_or(0), version.unwrap_or(0)))
    }
}

//! `GET /api/v1/initiatives` and `GET /api/v1/initiatives/{code}`.

use super::dto::{
    committee_code, BudgetLineDto, CriterionDto, InitiativeDetail, InitiativeSummary, MemoDto, ReportingDto,
    TargetGroupDto, UnitRef,
};
use crate::error::ErrorBody;
use crate::{AppError, AppState};
use axum::extract::{Path, State};
use axum::Json;
use sikkerby_domain::budget::Budget;
use sikkerby_domain::criteria::CriterionDefinition;
use sikkerby_domain::portfolio::{Initiative, InitiativeCode, OrgUnit};

fn unit_ref(units: &[OrgUnit], id: &str) -> UnitRef {
    let name = units.iter().find(|u| u.id == id).map_or_else(|| id.to_owned(), |u| u.name.clone());
    UnitRef { id: id.to_owned(), name }
}

fn summary(i: &Initiative, units: &[OrgUnit]) -> InitiativeSummary {
    InitiativeSummary {
        code: i.code.to_string(),
        name: i.name.clone(),
        scope: i.scope.into(),
        anchor_unit: unit_ref(units, &i.anchor_unit),
        target_group: i.target_group.description.clone(),
        data_source: i.data_source.into(),
        criteria: i.criteria.clone(),
        href: format!("/api/v1/initiatives/{}", i.code),
    }
}

/// All initiatives of the portfolio, in the memo's order.
#[utoipa::path(
    get,
    path = "/api/v1/initiatives",
    tag = "portfolio",
    responses((status = 200, description = "The portfolio", body = [InitiativeSummary]))
)]
pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<InitiativeSummary>>, AppError> {
    let portfolio = state.store.portfolio().await?;
    let units = state.store.org_units().await?;
    let list = portfolio.initiatives.iter().map(|i| summary(i, &units)).collect();
    Ok(Json(list))
}

/// One initiative with every field, its criteria and its budget lines.
#[utoipa::path(
    get,
    path = "/api/v1/initiatives/{code}",
    tag = "portfolio",
    params(("code" = String, Path, pattern = "^[A-Z0-9]{2,20}$", description = "Initiative code, e.g. SSPPLUS")),
    responses(
        (status = 200, description = "The initiative", body = InitiativeDetail),
        (status = 404, description = "No initiative has this code", body = ErrorBody),
        (status = 422, description = "Not a valid initiative code", body = ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> Result<Json<InitiativeDetail>, AppError> {
    let code = InitiativeCode::parse(&raw)
        .map_err(|e| AppError::Unprocessable { field: "code", message: e.to_string() })?;
    let initiative = state
        .store
        .initiative(code.as_str())
        .await?
        .ok_or_else(|| AppError::NotFound(format!("initiative {code}")))?;
    let units = state.store.org_units().await?;
    let criteria = state.store.criteria().await?;
    let budget = state.store.budget().await?;
    Ok(Json(detail(&initiative, &units, &criteria, &budget)))
}

fn detail(
    i: &Initiative,
    units: &[OrgUnit],
    criteria: &[CriterionDefinition],
    budget: &Budget,
) -> InitiativeDetail {
    let code = i.code.as_str();
    InitiativeDetail {
        code: code.to_owned(),
        name: i.name.clone(),
        scope: i.scope.into(),
        phases: i.phases.iter().map(|&p| p.into()).collect(),
        anchor_unit: unit_ref(units, &i.anchor_unit),
        partners: i.partners.clone(),
        target_group: TargetGroupDto {
            description: i.target_group.description.clone(),
            min_age_months: i.target_group.min_age_months,
            max_age_months: i.target_group.max_age_months,
            age_band_assumed: i.target_group.age_band_assumed,
        },
        capacity_full_year_places: i.capacity_full_year_places,
        data_source: i.data_source.into(),
        reporting: i
            .reporting
            .iter()
            .map(|r| ReportingDto {
                recipients: r.recipients.iter().map(|&c| committee_code(c)).collect(),
                cadence: r.cadence.into(),
            })
            .collect(),
        criteria: criteria
            .iter()
            .filter(|c| c.initiative == code || i.criteria.contains(&c.id))
            .map(CriterionDto::from)
            .collect(),
        areas: i.areas.clone(),
        notes: i.notes.clone(),
        memo: MemoDto {
            description: i.memo.description.trim().to_owned(),
            success_criteria: i.memo.success_criteria.trim().to_owned(),
            measurement: i.memo.measurement.trim().to_owned(),
        },
        budget_lines: budget
            .lines
            .iter()
            .filter(|l| l.initiative.as_deref() == Some(code))
            .map(|l| BudgetLineDto::new(l, &budget.years))
            .collect(),
    }
}

//! Application services: what the CLI, the web and the reports share above the store.
//!
//! [`Evaluator`] keeps the engine's case data in memory, loaded once, and current change by
//! change: after a write the caller names the citizen, and only that citizen is re-read. So a
//! recorded follow-up shows in the results at once, without a batch rebuild.

use sikkerby_domain::criteria::CriterionKind;
use sikkerby_domain::engine::{evaluate, CaseData, Evaluation, Request};
use sikkerby_domain::indicators::indicator_result;
use sikkerby_store::{Store, StoreError};
use std::sync::Arc;
use tokio::sync::RwLock;

/// Evaluates criteria over live case data.
#[derive(Clone)]
pub struct Evaluator {
    store: Store,
    data: Arc<RwLock<CaseData>>,
}

impl Evaluator {
    /// Loads all case data from the store.
    pub async fn load(store: Store) -> Result<Self, StoreError> {
        let started = std::time::Instant::now();
        let data = store.load_case_data().await?;
        tracing::info!(
            rows = data.row_count(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "case data loaded"
        );
        Ok(Self { store, data: Arc::new(RwLock::new(data)) })
    }

    /// Re-reads one citizen after a change to their records.
    pub async fn citizen_changed(&self, citizen_id: i64) -> Result<(), StoreError> {
        let mut data = self.data.write().await;
        self.store.refresh_citizen(&mut data, citizen_id).await
    }

    /// Re-reads everything (after an import).
    pub async fn reload(&self) -> Result<(), StoreError> {
        let fresh = self.store.load_case_data().await?;
        *self.data.write().await = fresh;
        Ok(())
    }

    /// Evaluates every criterion for the request: the case-data criteria by the engine, the
    /// manual, external and deliverable ones from their approved entries.
    pub async fn evaluate(&self, request: &Request<'_>) -> Result<Evaluation, StoreError> {
        let criteria = self.store.criteria().await?;
        let entries = self.store.indicator_entries(&request.period).await?;
        let mut evaluation = {
            let data = self.data.read().await;
            evaluate(&data, &criteria, request)
        };
        for result in &mut evaluation.results {
            let Some(def) = criteria.iter().find(|c| c.id == result.criterion) else { continue };
            if matches!(
                def.kind,
                CriterionKind::Manual | CriterionKind::External | CriterionKind::Deliverable
            ) {
                *result = indicator_result(def, &entries, &request.period, request.as_of, result.clone());
            }
        }
        Ok(evaluation)
    }

    /// How many records the engine holds.
    pub async fn row_count(&self) -> usize {
        self.data.read().await.row_count()
    }
}

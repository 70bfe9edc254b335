//! Application services: what the CLI, the web and the reports share above the store.
//!
//! [`Evaluator`] keeps the engine's case data in memory, loaded once, and current change by
//! change: after a write the caller names the citizen, and only that citizen is re-read. So a
//! recorded follow-up shows in the results at once, without a batch rebuild.
//!
//! The safety index's criteria (C12, C14–C16, C19) come from the computed index, kept by
//! `index_cache` until a `tryghed/` import or a configuration change makes it stale.

mod index_cache;
pub mod index_config;
pub mod index_criteria;
pub mod index_publish;
pub mod unrest;

use sikkerby_domain::criteria::CriterionKind;
use sikkerby_domain::engine::live::{LiveEvaluation, RequestKey};
use sikkerby_domain::engine::{CaseData, Evaluation, Request};
use sikkerby_domain::indicators::indicator_result;
use sikkerby_domain::safety_index::{IndexConfig, IndexResult};
use sikkerby_store::{Store, StoreError};
use std::sync::{Arc, Mutex};
use tokio::sync::RwLock;

/// Evaluates criteria over live case data.
#[derive(Clone)]
pub struct Evaluator {
    store: Store,
    data: Arc<RwLock<CaseData>>,
    /// Recent evaluations, kept current per changed citizen (most recent last).
    live: Arc<Mutex<Vec<LiveEvaluation>>>,
    /// The computed safety index, kept while its inputs are unchanged.
    index: index_cache::IndexCache,
}

/// How many distinct requests (year, as-of date, drill-down) are kept live.
const LIVE_EVALUATIONS: usize = 16;

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
        Ok(Self { store, data: Arc::new(RwLock::new(data)), live: Arc::default(), index: Default::default() })
    }

    /// Re-reads one citizen after a change to their records.
    pub async fn citizen_changed(&self, citizen_id: i64) -> Result<(), StoreError> {
        let mut data = self.data.write().await;
        self.store.refresh_citizen(&mut data, citizen_id).await?;
        if let Some(&index) = data.citizen_index.get(&citizen_id) {
            for live in self.live_evaluations().iter_mut() {
                live.citizen_changed(&data, index);
            }
        }
        Ok(())
    }

    fn live_evaluations(&self) -> std::sync::MutexGuard<'_, Vec<LiveEvaluation>> {
        // A panic while holding the lock leaves evaluations that are at worst stale: recover.
        self.live.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Re-reads everything (after an import).
    pub async fn reload(&self) -> Result<(), StoreError> {
        let fresh = self.store.load_case_data().await?;
        *self.data.write().await = fresh;
        self.live_evaluations().clear();
        self.index.clear().await;
        Ok(())
    }

    /// The safety index over the stored area data and configuration, with the configuration it
    /// was computed with; computed again only after they changed.
    pub async fn index(&self) -> Result<(Arc<IndexResult>, Arc<IndexConfig>), StoreError> {
        self.index.get(&self.store).await
    }

    /// Starts computing the safety index in the background (see [`Evaluator::index`]).
    pub fn warm_index(&self) {
        self.index.warm(&self.store);
    }

    /// The store the evaluator reads.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Evaluates every criterion for the request: the case-data criteria by the engine, the
    /// manual, external and deliverable ones from their approved entries.
    pub async fn evaluate(&self, request: &Request<'_>) -> Result<Evaluation, StoreError> {
        let criteria = self.store.criteria().await?;
        let entries = self.store.indicator_entries(&request.period).await?;
        let mut evaluation = {
            let data = self.data.read().await;
            let key = RequestKey::of(request);
            let mut live = self.live_evaluations();
            match live.iter().position(|l| l.key == key) {
                Some(at) => live[at].result(&data),
                None => {
                    let fresh = LiveEvaluation::new(&data, &criteria, request);
                    let evaluation = fresh.result(&data);
                    if live.len() >= LIVE_EVALUATIONS {
                        live.remove(0);
                    }
                    live.push(fresh);
                    evaluation
                }
            }
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
        if criteria.iter().any(|c| c.kind == CriterionKind::Index) {
            self.apply_index_criteria(&mut evaluation.results, &criteria, &entries, request).await?;
        }
        Ok(evaluation)
    }

    async fn apply_index_criteria(
        &self,
        results: &mut [sikkerby_domain::engine::CriterionResult],
        criteria: &[sikkerby_domain::criteria::CriterionDefinition],
        entries: &[sikkerby_domain::indicators::IndicatorEntry],
        request: &Request<'_>,
    ) -> Result<(), StoreError> {
        let (index, _) = self.index().await?;
        let geography = self.store.geography().await?;
        let area_name = |id: &str| {
            geography.areas.iter().find(|a| a.id == id).map_or_else(|| id.to_owned(), |a| a.name.clone())
        };
        let rules = self.store.disclosure_rules().await?;
        let cx = index_criteria::IndexContext { index: &index, entries, rules, area_name: &area_name };
        index_criteria::apply(results, criteria, request, &cx);
        Ok(())
    }

    /// How many records the engine holds.
    pub async fn row_count(&self) -> usize {
        self.data.read().await.row_count()
    }
}

//! Application services: what the CLI, the web and the reports share above the store.
//!
//! [`Evaluator`] keeps the engine's case data in memory, loaded once, and current change by
//! change: only the citizens whose records changed are re-read, so a recorded follow-up shows in
//! the results at once, without a batch rebuild.
//!
//! # Several instances
//!
//! Nothing an instance keeps in memory needs to be told by another process. Every store write
//! that changes case data appends a row to the database's change log (`case_changes`, see
//! `sikkerby_store::change_log`) in the same transaction: the citizen, or "everything" for an
//! import, a retention run or new code lists. The evaluator remembers the last log seq it has
//! applied (read just before loading, so no change is missed; one seen twice is merely re-read).
//! Before it serves figures ([`Evaluator::evaluate`], [`Evaluator::row_count`]) it asks the log
//! for newer rows, one primary-key range query, and re-reads those citizens, or reloads
//! everything after a bulk change, after very many changes, or when it was so far behind that
//! the log has been pruned past it. So two `sikkerby serve` instances behind a load balancer,
//! or a server beside `sikkerby import opera`, show the same figures: a form posted to one
//! instance is in the next answer of the other. A web handler's own [`Evaluator::citizen_changed`]
//! goes the same way.
//!
//! The safety index's criteria (C12, C14–C16, C19) come from the computed index, kept by
//! `index_cache` until a `tryghed/` import or a configuration change makes it stale (its own
//! stamp query, also across processes).

mod index_cache;
pub mod index_config;
pub mod index_criteria;
pub mod index_publish;
pub mod releases;
pub mod unrest;

use sikkerby_domain::criteria::CriterionKind;
use sikkerby_domain::engine::live::{LiveEvaluation, RequestKey};
use sikkerby_domain::engine::{CaseData, Dimension, Evaluation, Request};
use sikkerby_domain::indicators::indicator_result;
use sikkerby_domain::publish::Raw;
use sikkerby_domain::safety_index::{IndexConfig, IndexResult};
use sikkerby_store::{CaseChanges, Store, StoreError};
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
    /// The last change-log seq applied to `data`. Held while `data` is brought up to date, so
    /// that catch-ups and reloads run one at a time and a later one never undoes an earlier.
    applied: Arc<tokio::sync::Mutex<i64>>,
}

/// What a catch-up did.
enum Applied {
    /// Re-read these citizens (none: nothing had changed).
    Citizens(Vec<i64>),
    /// Reloaded everything.
    Everything,
}

/// How many distinct requests (year, as-of date, drill-down) are kept live.
/// Publishing takes every dimension's breakdown with each request (the linked set): seven live
/// evaluations per year and as-of date, and the dashboard's trend shows several years.
const LIVE_EVALUATIONS: usize = 64;

impl Evaluator {
    /// Loads all case data from the store.
    pub async fn load(store: Store) -> Result<Self, StoreError> {
        let started = std::time::Instant::now();
        // The log's head first: a change committed during the load is then applied again
        // later (harmless), never missed.
        let head = store.case_change_head().await?;
        let data = store.load_case_data().await?;
        tracing::info!(
            rows = data.row_count(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "case data loaded"
        );
        Ok(Self {
            store,
            data: Arc::new(RwLock::new(data)),
            live: Arc::default(),
            index: Default::default(),
            applied: Arc::new(tokio::sync::Mutex::new(head)),
        })
    }

    /// Brings the case data up to date with the change log: every change committed so far, by
    /// any process, is in the figures served after this returns.
    pub async fn catch_up(&self) -> Result<(), StoreError> {
        let mut applied = self.applied.lock().await;
        self.apply_changes(&mut applied).await.map(drop)
    }

    /// Re-reads one citizen after a change to their records: catches up with the change log,
    /// which holds the change when it went through the store, and re-reads the citizen also
    /// when it did not (a write the log does not know of).
    pub async fn citizen_changed(&self, citizen_id: i64) -> Result<(), StoreError> {
        let mut applied = self.applied.lock().await;
        match self.apply_changes(&mut applied).await? {
            Applied::Citizens(ids) if !ids.contains(&citizen_id) => self.refresh(citizen_id).await,
            _ => Ok(()),
        }
    }

    /// Applies the log's rows after `*applied` (the caller holds the lock) and moves it on.
    async fn apply_changes(&self, applied: &mut i64) -> Result<Applied, StoreError> {
        match self.store.case_changes_since(*applied).await? {
            CaseChanges::Nothing => Ok(Applied::Citizens(Vec::new())),
            CaseChanges::Citizens { ids, through } => {
                for &id in &ids {
                    self.refresh(id).await?;
                }
                *applied = through;
                Ok(Applied::Citizens(ids))
            }
            CaseChanges::Everything => {
                self.reload_data(applied).await?;
                Ok(Applied::Everything)
            }
        }
    }

    /// Re-reads everything; the caller holds the `applied` lock.
    async fn reload_data(&self, applied: &mut i64) -> Result<(), StoreError> {
        let started = std::time::Instant::now();
        let head = self.store.case_change_head().await?;
        let fresh = self.store.load_case_data().await?;
        *self.data.write().await = fresh;
        self.live_evaluations().clear();
        *applied = head;
        tracing::info!(elapsed_ms = started.elapsed().as_millis() as u64, "case data reloaded");
        Ok(())
    }

    /// Re-reads one citizen into the data and the live evaluations.
    async fn refresh(&self, citizen_id: i64) -> Result<(), StoreError> {
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

    /// Re-reads everything, and forgets the computed safety index. (An import through the store
    /// needs no call: the change log makes every evaluator reload by itself.)
    pub async fn reload(&self) -> Result<(), StoreError> {
        let mut applied = self.applied.lock().await;
        self.reload_data(&mut applied).await?;
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
        self.catch_up().await?;
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

    /// The raw figures of a request with its breakdown by every dimension: what
    /// `sikkerby_domain::publish` needs to protect everything published together.
    pub async fn evaluate_raw(&self, request: &Request<'_>) -> Result<Raw, StoreError> {
        let totals = self.evaluate(&Request { by: None, ..request.clone() }).await?;
        let mut by_dimension = Vec::with_capacity(Dimension::ALL.len());
        for dimension in Dimension::ALL {
            let evaluation = self.evaluate(&Request { by: Some(dimension), ..request.clone() }).await?;
            by_dimension.push((dimension, evaluation));
        }
        Ok(Raw { totals, by_dimension })
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
        let area_name = |id: &str| geography.area_name(id);
        let rules = self.store.disclosure_rules().await?;
        let cx = index_criteria::IndexContext { index: &index, entries, rules, area_name: &area_name };
        index_criteria::apply(results, criteria, request, &cx);
        Ok(())
    }

    /// How many records the engine holds (after catching up; a failing catch-up is logged and
    /// the count of the data held is given: this feeds a gauge, not a figure).
    pub async fn row_count(&self) -> usize {
        if let Err(error) = self.catch_up().await {
            tracing::warn!(%error, "the case data could not be brought up to date");
        }
        self.data.read().await.row_count()
    }
}

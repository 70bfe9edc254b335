//! Publishing a request as a release (docs/disclosure.md, "Releases"): the one way the pages,
//! the API, the CLI and the reports turn the engine's figures into published ones. A period is
//! published as of its released date (the asked month-end, or the settled date of an old
//! period), protected together with the release last published of the period as of every other
//! month-end; what it shows is stored as the release of its own month-end in turn.

use crate::Evaluator;
use chrono::Utc;
use sikkerby_domain::disclosure::DisclosureRules;
use sikkerby_domain::engine::Request;
use sikkerby_domain::publish::release::released_as_of;
use sikkerby_domain::publish::{publish_release, Published};
use sikkerby_store::StoreError;

impl Evaluator {
    /// The request's figures as published: as of the released date, protected after the
    /// period's earlier releases. `Published::as_of` is the released date; `asked_as_of` the
    /// date asked for when it differs.
    pub async fn publish(
        &self,
        request: &Request<'_>,
        rules: &DisclosureRules,
    ) -> Result<Published, StoreError> {
        let period = &request.period;
        let released = released_as_of(period, request.as_of, rules.settle_months);
        // Every other month-end's release; a correction of the same month-end replaces its
        // release (docs/disclosure.md, "Releases": what watching one month-end shows).
        let mut history = self.store().published_releases(period.from(), period.to()).await?;
        history.retain(|r| r.as_of != released.to_string());
        let raw = self.evaluate_raw(&Request { as_of: released, ..request.clone() }).await?;
        let (mut published, release) = publish_release(&raw, request.by, rules, &history);
        // Stored before the figures leave: a release is never shown without being kept.
        self.store().record_release(period.from(), period.to(), &release, Utc::now()).await?;
        if released != request.as_of {
            published.asked_as_of = Some(request.as_of.to_string());
        }
        Ok(published)
    }
}

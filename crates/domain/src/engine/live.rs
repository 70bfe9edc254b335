//! Live evaluation: an evaluation kept current one citizen at a time. Every cohort of §7 is a
//! set of per-citizen members (nothing about one citizen depends on another), so after a change
//! the changed citizen's members are recomputed on a copy of just that citizen's records and
//! swapped into the running tallies. No batch rebuild: the work is the size of one citizen.

use super::cohorts::{self, Outcome, Window};
use super::data::CaseData;
use super::{
    blank, chosen, describes, descriptive_figures_of, evaluate_one, finish, has_data, members_of, Counts,
    Dimension, Evaluation, GroupId, Request, DESCRIBED,
};
use crate::calendar::Period;
use crate::criteria::CriterionDefinition;
use crate::engine::result::PeriodJson;
use crate::engine::CriterionResult;
use chrono::NaiveDate;
use rayon::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use std::collections::{HashMap, HashSet};

/// What identifies an evaluation, so a cached one can answer the same request again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestKey {
    pub period: Period,
    pub as_of: NaiveDate,
    pub by: Option<Dimension>,
    pub initiative: Option<String>,
}

impl RequestKey {
    pub fn of(request: &Request) -> Self {
        Self {
            period: request.period,
            as_of: request.as_of,
            by: request.by,
            initiative: request.initiative.map(str::to_owned),
        }
    }

    fn request(&self) -> Request<'_> {
        Request {
            period: self.period,
            as_of: self.as_of,
            by: self.by,
            initiative: self.initiative.as_deref(),
        }
    }
}

/// A citizen's members of one cohort: each outcome with its drill-down group.
type CitizenMembers = Vec<(Outcome, Option<GroupId>)>;

/// One criterion's running state: members per citizen (with their drill-down group) and counts.
struct LiveCriterion {
    def: CriterionDefinition,
    /// For cohort criteria: members by citizen index; `None` for the others (a mean, or a
    /// criterion answered elsewhere), which are recomputed whole — they are cheap.
    members: Option<HashMap<u32, CitizenMembers>>,
    counts: Counts,
    whole: Option<CriterionResult>,
}

/// KRIMITEAM's descriptive figures kept per citizen: who is touched, and who of them started.
#[derive(Default)]
struct LiveDescriptive {
    touched: HashSet<u32>,
    started: HashSet<u32>,
}

/// An evaluation that follows changes to the case data.
pub struct LiveEvaluation {
    pub key: RequestKey,
    window: Window,
    criteria: Vec<LiveCriterion>,
    descriptive: LiveDescriptive,
}

impl LiveEvaluation {
    /// Evaluates `criteria` over `data` and keeps what is needed to follow changes. The
    /// criteria are evaluated in parallel, as by [`super::evaluate`].
    pub fn new(data: &CaseData, criteria: &[CriterionDefinition], request: &Request) -> Self {
        let key = RequestKey::of(request);
        let window = Window::of(request);
        let chosen = chosen(criteria, request);
        let (criteria, descriptive) = rayon::join(
            || chosen.par_iter().map(|c| live_criterion(data, c, &window, request)).collect(),
            || live_descriptive(data, &window),
        );
        Self { key, window, criteria, descriptive }
    }

    /// Brings the evaluation up to date after the records of one citizen (by index) changed.
    pub fn citizen_changed(&mut self, data: &CaseData, citizen: u32) {
        let single = data.extract_citizen(citizen);
        let request = self.key.request();
        for criterion in &mut self.criteria {
            let Some(members) = criterion.members.as_mut() else {
                criterion.whole = Some(evaluate_one(data, &criterion.def, &self.window, &request));
                continue;
            };
            for (outcome, group) in members.remove(&citizen).unwrap_or_default() {
                criterion.counts.add(outcome, group, -1);
            }
            let fresh = members_for(&single, &criterion.def, &self.window, self.key.by);
            for &(outcome, group) in &fresh {
                criterion.counts.add(outcome, group, 1);
            }
            if !fresh.is_empty() {
                members.insert(citizen, fresh);
            }
        }
        let (touched, started) = cohorts::touched_and_started(&single, DESCRIBED, &self.window);
        self.descriptive.touched.remove(&citizen);
        self.descriptive.started.remove(&citizen);
        if !touched.is_empty() {
            self.descriptive.touched.insert(citizen);
        }
        if !started.is_empty() {
            self.descriptive.started.insert(citizen);
        }
    }

    /// The evaluation as it stands.
    pub fn result(&self, data: &CaseData) -> Evaluation {
        let results = self
            .criteria
            .iter()
            .map(|c| match &c.whole {
                Some(result) => result.clone(),
                None => {
                    let year = chrono::Datelike::year(&self.key.period.from());
                    let target = c.def.target_for(year).and_then(|t| t.value).and_then(|v| v.to_f64());
                    let mut r = blank(&c.def, target);
                    let has_data = has_data(data, &c.def, &self.window);
                    finish(&mut r, c.def.kind, &c.counts, self.key.by, &self.window, data, has_data);
                    r
                }
            })
            .collect();
        let descriptive = if describes(data, self.key.initiative.as_deref()) {
            let (touched, started) = (&self.descriptive.touched, &self.descriptive.started);
            descriptive_figures_of(touched.len() as u64, started.len() as u64)
        } else {
            Vec::new()
        };
        Evaluation {
            period: PeriodJson {
                from: self.key.period.from().to_string(),
                to: self.key.period.to().to_string(),
            },
            as_of: self.key.as_of.to_string(),
            results,
            descriptive,
        }
    }
}

/// A criterion's members with their group ids (computed on the same data).
fn members_for(
    data: &CaseData,
    def: &CriterionDefinition,
    w: &Window,
    by: Option<Dimension>,
) -> CitizenMembers {
    members_of(data, def, w)
        .unwrap_or_default()
        .iter()
        .map(|m| (m.outcome, by.map(|d| d.group(data, m.citizen, m.enrollment, m.anchor))))
        .collect()
}

fn live_criterion(
    data: &CaseData,
    def: &CriterionDefinition,
    w: &Window,
    request: &Request,
) -> LiveCriterion {
    let mut live = LiveCriterion { def: def.clone(), members: None, counts: Counts::default(), whole: None };
    let Some(members) = members_of(data, def, w) else {
        live.whole = Some(evaluate_one(data, def, w, request));
        return live;
    };
    let mut by_citizen: HashMap<u32, CitizenMembers> = HashMap::with_capacity(members.len());
    for m in &members {
        let group = request.by.map(|d| d.group(data, m.citizen, m.enrollment, m.anchor));
        live.counts.add(m.outcome, group, 1);
        by_citizen.entry(m.citizen).or_default().push((m.outcome, group));
    }
    live.members = Some(by_citizen);
    live
}

fn live_descriptive(data: &CaseData, w: &Window) -> LiveDescriptive {
    let (touched, started) = cohorts::touched_and_started(data, DESCRIBED, w);
    LiveDescriptive {
        touched: touched.iter().map(|m| m.citizen).collect(),
        started: started.iter().map(|m| m.citizen).collect(),
    }
}

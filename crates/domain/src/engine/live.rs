//! Live evaluation: an evaluation kept current one citizen at a time. Every cohort of §7 is a
//! set of per-citizen members (nothing about one citizen depends on another), so after a change
//! the changed citizen's members are recomputed on a copy of just that citizen's records and
//! swapped into the running tallies. No batch rebuild: the work is the size of one citizen.

use super::cohorts::{Outcome, Window};
use super::data::{day, CaseData};
use super::{
    blank, descriptive_figures, evaluate_one, finish, has_data, members_of, DescriptiveFigure, Dimension,
    Evaluation, Request, Tally,
};
use crate::calendar::Period;
use crate::criteria::CriterionDefinition;
use crate::engine::result::PeriodJson;
use crate::engine::CriterionResult;
use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use std::collections::{BTreeMap, HashMap};

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
type CitizenMembers = Vec<(Outcome, Option<String>)>;

/// One criterion's running state: members per citizen (with their drill-down group) and tallies.
struct LiveCriterion {
    def: CriterionDefinition,
    /// For cohort criteria: members by citizen index; `None` for the others (a mean, or a
    /// criterion answered elsewhere), which are recomputed whole — they are cheap.
    members: Option<HashMap<u32, CitizenMembers>>,
    totals: Tally,
    groups: BTreeMap<String, Tally>,
    whole: Option<CriterionResult>,
}

/// An evaluation that follows changes to the case data.
pub struct LiveEvaluation {
    pub key: RequestKey,
    window: Window,
    criteria: Vec<LiveCriterion>,
    descriptive: Vec<DescriptiveFigure>,
}

impl LiveEvaluation {
    /// Evaluates `criteria` over `data` and keeps what is needed to follow changes.
    pub fn new(data: &CaseData, criteria: &[CriterionDefinition], request: &Request) -> Self {
        let key = RequestKey::of(request);
        let window = Window { from: day(key.period.from()), to: day(key.period.to()), as_of: day(key.as_of) };
        let criteria = criteria
            .iter()
            .filter(|c| request.initiative.is_none_or(|i| c.initiative == i))
            .map(|c| live_criterion(data, c, &window, request))
            .collect();
        let descriptive = descriptive_figures(data, &window, request.initiative);
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
                tally(&mut criterion.totals, &mut criterion.groups, outcome, group, -1);
            }
            let fresh = members_for(&single, &criterion.def, &self.window, self.key.by);
            for (outcome, group) in &fresh {
                tally(&mut criterion.totals, &mut criterion.groups, *outcome, group.clone(), 1);
            }
            if !fresh.is_empty() {
                members.insert(citizen, fresh);
            }
        }
        self.descriptive = descriptive_figures(data, &self.window, self.key.initiative.as_deref());
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
                    finish(
                        &mut r,
                        c.def.kind,
                        &c.totals,
                        &c.groups,
                        self.key.by,
                        &self.window,
                        has_data(data, &c.def, &self.window),
                    );
                    r
                }
            })
            .collect();
        Evaluation {
            period: PeriodJson {
                from: self.key.period.from().to_string(),
                to: self.key.period.to().to_string(),
            },
            as_of: self.key.as_of.to_string(),
            results,
            descriptive: self.descriptive.clone(),
        }
    }
}

fn tally(
    totals: &mut Tally,
    groups: &mut BTreeMap<String, Tally>,
    outcome: Outcome,
    group: Option<String>,
    sign: i64,
) {
    totals.add(outcome, sign);
    if let Some(group) = group {
        groups.entry(group).or_default().add(outcome, sign);
    }
}

/// A criterion's members with their group keys (the group computed on the same data).
fn members_for(
    data: &CaseData,
    def: &CriterionDefinition,
    w: &Window,
    by: Option<Dimension>,
) -> CitizenMembers {
    members_of(data, def, w)
        .unwrap_or_default()
        .iter()
        .map(|m| (m.outcome, by.map(|d| d.key(data, m.citizen, m.enrollment, m.anchor))))
        .collect()
}

fn live_criterion(
    data: &CaseData,
    def: &CriterionDefinition,
    w: &Window,
    request: &Request,
) -> LiveCriterion {
    let mut live = LiveCriterion {
        def: def.clone(),
        members: None,
        totals: Tally::default(),
        groups: BTreeMap::new(),
        whole: None,
    };
    let Some(members) = members_of(data, def, w) else {
        live.whole = Some(evaluate_one(data, def, w, request));
        return live;
    };
    let mut by_citizen: HashMap<u32, CitizenMembers> = HashMap::new();
    for m in &members {
        let group = request.by.map(|d| d.key(data, m.citizen, m.enrollment, m.anchor));
        tally(&mut live.totals, &mut live.groups, m.outcome, group.clone(), 1);
        by_citizen.entry(m.citizen).or_default().push((m.outcome, group));
    }
    live.members = Some(by_citizen);
    live
}

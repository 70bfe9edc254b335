//! The success-criteria engine (docs/domain.md §7): evaluates every criterion that the case data can
//! answer for a period as of a date, with drill-down (særtræk) by one dimension.
//!
//! Which computation a criterion uses is named by its `measure` in `seed/criteria.toml`; the
//! initiative, target and words come from the same data. So a criterion for a new year, a new
//! target or the same measure for another initiative is a data change.

pub mod cohorts;
pub mod data;
mod dimension;
pub mod live;
pub mod result;

pub use data::CaseData;
pub use dimension::{ByGroup, Dimension, GroupId};
pub use result::{wilson, CriterionResult, DescriptiveFigure, Evaluation, GroupResult, Status};

use crate::calendar::Period;
use crate::criteria::{CriterionDefinition, CriterionKind, Measure};
use chrono::NaiveDate;
pub use cohorts::{Member, Outcome, Window};
use data::Day;
use rayon::prelude::*;
use result::PeriodJson;
use rust_decimal::prelude::ToPrimitive;

/// What to evaluate.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub period: Period,
    pub as_of: NaiveDate,
    pub by: Option<Dimension>,
    pub initiative: Option<&'a str>,
}

/// Evaluates the criteria for the request. Criteria the case data cannot answer (manual,
/// external, index, deliverable) come back as `no_data`, to be completed by their own source.
///
/// The criteria are evaluated in parallel on the current rayon pool (the global one: all cores,
/// or `RAYON_NUM_THREADS`; a caller may `install` a pool of its own). Each criterion is computed
/// by one thread and the results are collected in the criteria's order, so the evaluation is the
/// same for any number of threads.
pub fn evaluate(data: &CaseData, criteria: &[CriterionDefinition], request: &Request) -> Evaluation {
    let window = Window::of(request);
    let chosen = chosen(criteria, request);
    let (results, descriptive) = rayon::join(
        || chosen.par_iter().map(|c| evaluate_one(data, c, &window, request)).collect(),
        || descriptive_figures(data, &window, request.initiative),
    );
    Evaluation {
        period: PeriodJson { from: request.period.from().to_string(), to: request.period.to().to_string() },
        as_of: request.as_of.to_string(),
        results,
        descriptive,
    }
}

/// The criteria a request asks for, in their order.
pub(crate) fn chosen<'c>(
    criteria: &'c [CriterionDefinition],
    request: &Request,
) -> Vec<&'c CriterionDefinition> {
    criteria.iter().filter(|c| request.initiative.is_none_or(|i| c.initiative == i)).collect()
}

/// The members of a criterion's cohort (or counted set), or `None` for a criterion that is not
/// a cohort (a mean, or one answered by another source).
pub fn members_of(data: &CaseData, c: &CriterionDefinition, w: &Window) -> Option<Vec<Member>> {
    let initiative = c.initiative.as_str();
    use crate::criteria::Measure::*;
    let members = match c.measure? {
        OfferRecipients => cohorts::offer_recipients(data, initiative, false, w),
        OfferRecipientsBif => cohorts::offer_recipients(data, initiative, true, w),
        JobOrEducationWithinAYear => cohorts::job_or_education_within_a_year(data, initiative, w),
        PositiveAfterRelease => cohorts::positive_after_release(data, initiative, w),
        PlacedCitizens => cohorts::placed_citizens(data, w),
        PlacementsLastingThreeMonths => cohorts::placements_lasting_three_months(data, w),
        ParticipantsWithLabOffer => cohorts::participants_with_lab_offer(data, initiative, w),
        PositiveAfterOfferEnd => cohorts::positive_after_offer_end(data, initiative, w),
        RetainedAfterOfferStart => cohorts::retained_after_offer_start(data, initiative, w),
        // A mean is not a cohort; the safety index answers its own measures.
        MeanActiveEnrollments
        | AreaTLowerWithLocalIndicators
        | NightUnsafeAtOrBelowCity
        | SaferThanPreviousYear
        | ReportsLowerThanPreviousYear
        | AreasNeedingEffortHalved => return None,
    };
    Some(members)
}

/// Whether the data hold anything a criterion could count in the window's days so far: an
/// enrollment of the initiative (a placement, for the placement measures) active on one of them.
/// Else its status is `no_data` and it has no value: a year the case data do not reach (before
/// the first record, or after the extract ends) is a gap, never a zero (docs/criteria.md).
pub fn has_data(data: &CaseData, c: &CriterionDefinition, w: &Window) -> bool {
    let (from, last) = (w.from, w.last());
    if c.measure.is_some_and(Measure::counts_placements) {
        data.placements.iter().any(|p| p.live && p.start <= last && p.end >= from)
    } else {
        let mut enrollments =
            data.enrollments_of(&c.initiative).iter().map(|&e| &data.enrollments[e as usize]);
        enrollments.any(|en| en.start <= last && en.end >= from)
    }
}

/// Evaluates one criterion.
pub fn evaluate_one(
    data: &CaseData,
    c: &CriterionDefinition,
    w: &Window,
    request: &Request,
) -> CriterionResult {
    let target = c.target_for(chrono::Datelike::year(&request.period.from()));
    let mut result = blank(c, target.and_then(|t| t.value).and_then(|v| v.to_f64()));
    if not_started(w) {
        return result;
    }
    if c.measure == Some(Measure::MeanActiveEnrollments) {
        let band = target.and_then(|t| t.band).and_then(|b| b.to_f64()).unwrap_or(0.2);
        mean_active(data, &mut result, w, request.by, band);
        return result;
    }
    let Some(members) = members_of(data, c, w) else { return result };
    let mut counts = Counts::default();
    for m in &members {
        let group = request.by.map(|d| d.group(data, m.citizen, m.enrollment, m.anchor));
        counts.add(m.outcome, group, 1);
    }
    finish(&mut result, c.kind, &counts, request.by, w, data, has_data(data, c, w));
    result
}

/// Counts of a cohort by outcome; kept up to date one citizen at a time by [`live`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub successes: i64,
    pub members: i64,
    pub unknown: i64,
    pub pending: i64,
}

impl Tally {
    /// Adds (`sign` = 1) or removes (`sign` = −1) one member with its outcome.
    pub fn add(&mut self, outcome: Outcome, sign: i64) {
        self.members += sign;
        match outcome {
            Outcome::Success => self.successes += sign,
            Outcome::Unknown => self.unknown += sign,
            Outcome::NotYetDue => self.pending += sign,
            Outcome::Failure => {}
        }
    }

    fn merge(&mut self, other: &Tally) {
        self.successes += other.successes;
        self.members += other.members;
        self.unknown += other.unknown;
        self.pending += other.pending;
    }
}

/// A cohort counted, overall and per drill-down group (by id); kept up to date by [`live`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts {
    pub totals: Tally,
    pub groups: ByGroup<Tally>,
}

impl Counts {
    /// Adds (`sign` = 1) or removes (`sign` = −1) one member with its outcome and group.
    pub fn add(&mut self, outcome: Outcome, group: Option<GroupId>, sign: i64) {
        self.totals.add(outcome, sign);
        if let Some(group) = group {
            self.groups.entry(group).add(outcome, sign);
        }
    }
}

/// Whether the as-of date lies before the period: no day of it has passed, so every cohort is
/// empty and every status `no_data` (docs/criteria.md, "Status rules at the edges").
pub fn not_started(w: &Window) -> bool {
    w.as_of < w.from
}

/// Turns tallies into the result: value, status, interval, breakdown (the groups' words are
/// looked up in `data` here, once per group).
pub fn finish(
    r: &mut CriterionResult,
    kind: CriterionKind,
    counts: &Counts,
    by: Option<Dimension>,
    w: &Window,
    data: &CaseData,
    has_data: bool,
) {
    if not_started(w) {
        return;
    }
    match kind {
        CriterionKind::CountAtLeast => count_result(r, counts.totals.members as f64, w, has_data),
        _ => share_result(r, &counts.totals, w),
    }
    if let Some(dimension) = by {
        r.by = Some(dimension.code().to_owned());
        r.breakdown = dimension
            .labelled(data, &counts.groups, Tally::merge)
            .iter()
            .filter(|(_, t)| t.members > 0)
            .map(|(group, t)| group_result(group, t, kind))
            .collect();
    }
}

fn group_result(group: &str, t: &Tally, kind: CriterionKind) -> GroupResult {
    let (successes, n, unknown) = (t.successes as u64, t.members as u64, t.unknown as u64);
    let share = kind != CriterionKind::CountAtLeast;
    GroupResult {
        group: group.to_owned(),
        value: if share { (n > 0).then(|| successes as f64 / n as f64) } else { Some(n as f64) },
        numerator: share.then_some(successes),
        denominator: share.then_some(n),
        unknown: if share { unknown } else { 0 },
        interval: if share { wilson(successes, n) } else { None },
    }
}

pub(crate) fn blank(c: &CriterionDefinition, target: Option<f64>) -> CriterionResult {
    CriterionResult {
        criterion: c.id.clone(),
        initiative: c.initiative.clone(),
        kind: c.kind,
        status: Status::NoData,
        value: None,
        numerator: None,
        denominator: None,
        unknown: 0,
        target,
        interval: None,
        text: c.memo_words.clone(),
        projection: None,
        pending_members: 0,
        by: None,
        breakdown: Vec::new(),
        small_sample: false,
    }
}

fn running(w: &Window) -> bool {
    w.as_of < w.to
}

/// Days of the period elapsed by the as-of date, and the period's length.
fn elapsed_and_total(w: &Window) -> (f64, f64) {
    let total = (w.to - w.from + 1) as f64;
    let elapsed = (w.last() - w.from + 1).max(0) as f64;
    (elapsed, total)
}

fn count_result(r: &mut CriterionResult, count: f64, w: &Window, has_data: bool) {
    if !has_data {
        // Nothing the data could count in the window: no figure at all (a gap in a trend).
        return;
    }
    r.value = Some(count);
    let Some(target) = r.target else { return };
    r.status = if running(w) {
        let (elapsed, total) = elapsed_and_total(w);
        let projection = if elapsed > 0.0 { count * total / elapsed } else { 0.0 };
        r.projection = Some(projection);
        if projection >= target {
            Status::OnTrack
        } else {
            Status::OffTrack
        }
    } else if count >= target {
        Status::Met
    } else {
        Status::NotMet
    };
}

fn share_result(r: &mut CriterionResult, t: &Tally, w: &Window) {
    let (successes, n, unknown, pending) =
        (t.successes as u64, t.members as u64, t.unknown as u64, t.pending as u64);
    r.numerator = Some(successes);
    r.denominator = Some(n);
    r.unknown = unknown;
    r.pending_members = pending;
    if n == 0 {
        return;
    }
    let value = successes as f64 / n as f64;
    r.value = Some(value);
    r.interval = wilson(successes, n);
    let Some(target) = r.target else { return };
    r.status = match (running(w), pending > 0, value >= target) {
        (true, _, true) => Status::OnTrack,
        (true, _, false) => Status::OffTrack,
        (false, true, _) => Status::Pending,
        (false, false, true) => Status::Met,
        (false, false, false) => Status::NotMet,
    };
}

/// C7: the mean number of active enrollments over the days of [from, min(to, as of)], i.e. the
/// full-year places used; met within target ± band. Broken down, each group's own mean (by
/// month: the mean over that month's days).
fn mean_active(data: &CaseData, r: &mut CriterionResult, w: &Window, by: Option<Dimension>, band: f64) {
    let (from, last) = (w.from, w.last());
    if last < from {
        return;
    }
    let days = (last - from + 1) as f64;
    let overlap = |start: Day, end: Day, lo: Day, hi: Day| (end.min(hi) - start.max(lo) + 1).max(0) as f64;
    let enrollments = data.enrollments_of(&r.initiative);
    let total: f64 = enrollments
        .iter()
        .map(|&e| data.enrollments[e as usize])
        .map(|en| overlap(en.start, en.end, from, last))
        .sum();
    // No enrollment active on any day so far: the data do not reach the window (`no_data`).
    if total == 0.0 {
        return;
    }
    let mean = total / days;
    r.value = Some(mean);
    if let Some(target) = r.target {
        let within = (mean - target).abs() <= target * band + 1e-9;
        r.status = match (enrollments.is_empty(), running(w), within) {
            (true, _, _) => Status::NoData,
            (false, true, true) => Status::OnTrack,
            (false, true, false) => Status::OffTrack,
            (false, false, true) => Status::Met,
            (false, false, false) => Status::NotMet,
        };
    }
    if let Some(dimension) = by {
        r.by = Some(dimension.code().to_owned());
        r.breakdown = dimension::mean_active_breakdown(data, enrollments, dimension, from, last);
    }
}

/// The initiative whose descriptive figures (no targets) the engine gives.
pub(crate) const DESCRIBED: &str = "KRIMITEAM";

/// Whether an evaluation (of all initiatives, or of `only`) has the descriptive figures.
pub(crate) fn describes(data: &CaseData, only: Option<&str>) -> bool {
    only.is_none_or(|i| i == DESCRIBED) && !data.enrollments_of(DESCRIBED).is_empty()
}

/// KRIMITEAM's figures without targets: youths touched and youths starting an enrollment.
pub(crate) fn descriptive_figures(data: &CaseData, w: &Window, only: Option<&str>) -> Vec<DescriptiveFigure> {
    if !describes(data, only) {
        return Vec::new();
    }
    let (touched, started) = cohorts::touched_and_started(data, DESCRIBED, w);
    descriptive_figures_of(touched.len() as u64, started.len() as u64)
}

pub(crate) fn descriptive_figures_of(touched: u64, started: u64) -> Vec<DescriptiveFigure> {
    vec![
        DescriptiveFigure {
            initiative: DESCRIBED.into(),
            figure: "touched".into(),
            value: touched,
            text: "kriminelle og kriminalitetstruede unge berørt af indsatsen".into(),
        },
        DescriptiveFigure {
            initiative: DESCRIBED.into(),
            figure: "started".into(),
            value: started,
            text: "unge der har påbegyndt et eller flere forløb".into(),
        },
    ]
}

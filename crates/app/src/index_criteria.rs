//! The criteria the safety index answers (docs/domain.md §7): C12 (Hotspot Nørrebro), C14–C16
//! (Tingbjerg/Utterslevhuse) and C19 (Sikker By goal 1), evaluated from a computed
//! [`IndexResult`] for the year the request's period starts in.
//!
//! Which computation answers a criterion is its `measure` in `seed/criteria.toml`, the areas it
//! looks at its `areas` and C19's target year its `deadline_year`: no criterion id is named
//! here (docs/criteria.md, "Measures"). The index is annual: once a
//! year's area data are imported its figures are final, so C12 and C14–C16 are `met`/`not_met`
//! (or `no_data`); C19 is `on_track`/`off_track` before its target year.
//!
//! These results carry no counts of persons (areas, indicators, rates and weighted shares), so
//! they are of kind `Index` and pass publishing as they are; a share resting on fewer
//! respondents than the disclosure threshold is withheld here instead (`small_sample`).

use sikkerby_domain::criteria::{CriterionDefinition, Measure};
use sikkerby_domain::disclosure::DisclosureRules;
use sikkerby_domain::engine::{CriterionResult, GroupResult, Request, Status};
use sikkerby_domain::indicators::{Assessment, IndicatorEntry};
use sikkerby_domain::safety_index::{AreaIndex, C19Goal, Change, IndexResult};

/// The breakdown's source, shown as the result's `by`.
pub const BY_INDEX: &str = "index";

/// What the index criteria are evaluated from.
pub struct IndexContext<'a> {
    pub index: &'a IndexResult,
    pub entries: &'a [IndicatorEntry],
    pub rules: DisclosureRules,
    /// Area id → name, for the words of the breakdown.
    pub area_name: &'a dyn Fn(&str) -> String,
}

/// Fills in the index criteria among `results` (those the engine left as `no_data`).
pub fn apply(
    results: &mut [CriterionResult],
    criteria: &[CriterionDefinition],
    request: &Request,
    cx: &IndexContext,
) {
    let year = chrono::Datelike::year(&request.period.from());
    for result in results.iter_mut() {
        let Some(def) = criteria.iter().find(|c| c.id == result.criterion) else { continue };
        if evaluate_index_measure(result, def, year, request, cx) {
            result.by = Some(BY_INDEX.to_owned());
        }
    }
}

/// Evaluates one criterion whose measure the safety index answers; false when it is not one, or
/// the index has no figures for it (the result then stays `no_data`).
fn evaluate_index_measure(
    result: &mut CriterionResult,
    def: &CriterionDefinition,
    year: i32,
    request: &Request,
    cx: &IndexContext,
) -> bool {
    let area = def.areas.first().map(String::as_str);
    match (def.measure, area) {
        (Some(Measure::AreaTLowerWithLocalIndicators), _) => c12(result, &def.areas, year, request, cx),
        (Some(Measure::NightUnsafeAtOrBelowCity), Some(area)) => c14(result, area, year, cx),
        (Some(Measure::SaferThanPreviousYear), Some(area)) => c15(result, area, year, cx),
        (Some(Measure::ReportsLowerThanPreviousYear), Some(area)) => c16(result, area, year, cx),
        (Some(Measure::AreasNeedingEffortHalved), _) => {
            def.deadline_year.is_some_and(|deadline| c19(result, year, deadline, cx.index))
        }
        _ => false,
    }
}

fn met(yes: bool) -> Status {
    if yes {
        Status::Met
    } else {
        Status::NotMet
    }
}

/// A number the Danish way with one decimal: `12,3`.
fn da(value: f64) -> String {
    format!("{value:.1}").replace('.', ",")
}

fn percent(share: f64) -> String {
    format!("{} %", da(share * 100.0))
}

/// `12,1 % → 10,4 % (p = 0,031, signifikant)`: a change in words.
fn change_words(c: &Change, show: impl Fn(f64) -> String) -> String {
    let p = c.p_value.map(|p| format!("p = {}, ", format!("{p:.3}").replace('.', ","))).unwrap_or_default();
    let significance = if c.significant { "signifikant" } else { "ikke signifikant" };
    format!("{} → {} ({p}{significance})", show(c.previous), show(c.current))
}

fn indicator(group: String, value: Option<f64>, success: bool, interval: Option<[f64; 2]>) -> GroupResult {
    GroupResult {
        group,
        value,
        numerator: Some(u64::from(success)),
        denominator: Some(1),
        unknown: 0,
        interval,
    }
}

/// Withholds a share whose area has fewer respondents than the disclosure threshold.
fn small_sample(area: &AreaIndex, rules: &DisclosureRules) -> bool {
    rules.is_small(area.n as u64)
}

fn withhold_value(r: &mut CriterionResult) {
    r.value = None;
    r.interval = None;
    r.small_sample = true;
}

/// C14: the area's night-time unsafe share N at or below the city's, same year.
fn c14(r: &mut CriterionResult, area_id: &str, year: i32, cx: &IndexContext) -> bool {
    let Some((ok, own, city)) = cx.index.c14_night_at_or_below_city(area_id, year) else { return false };
    let Some(area) = cx.index.area(area_id, year) else { return false };
    r.status = met(ok);
    r.value = Some(own);
    r.target = Some(city);
    r.interval = area.night_interval;
    r.breakdown = vec![
        indicator(
            format!("{}: N {}", (cx.area_name)(area_id), percent(own)),
            Some(own),
            ok,
            area.night_interval,
        ),
        indicator(format!("København: N {}", percent(city)), Some(city), true, None),
    ];
    if small_sample(area, &cx.rules) {
        withhold_value(r);
        r.breakdown.clear();
    }
    true
}

/// C15: U and N both lower than the previous year, each with its significance.
fn c15(r: &mut CriterionResult, area_id: &str, year: i32, cx: &IndexContext) -> bool {
    let Some(safer) = cx.index.c15_safer_than_previous_year(area_id, year) else { return false };
    let Some(area) = cx.index.area(area_id, year) else { return false };
    let lower = u64::from(safer.u.lower()) + u64::from(safer.night.lower());
    r.status = met(safer.met);
    r.numerator = Some(lower);
    r.denominator = Some(2);
    r.value = Some(lower as f64 / 2.0);
    r.breakdown = vec![
        indicator(
            format!("U (dag): {}", change_words(&safer.u, percent)),
            Some(safer.u.current),
            safer.u.lower(),
            area.u_interval,
        ),
        indicator(
            format!("N (nat): {}", change_words(&safer.night, percent)),
            Some(safer.night.current),
            safer.night.lower(),
            area.night_interval,
        ),
    ];
    if small_sample(area, &cx.rules) {
        r.breakdown.clear();
        r.small_sample = true;
    }
    true
}

/// C16: R (citizen-facing reports per 1,000 residents) lower than the previous year.
fn c16(r: &mut CriterionResult, area_id: &str, year: i32, cx: &IndexContext) -> bool {
    let Some(down) = cx.index.c16_crime_down(area_id, year) else { return false };
    r.status = met(down.met);
    r.value = Some(down.r.current);
    r.target = Some(down.r.previous);
    let words = format!("{}: R {}", (cx.area_name)(area_id), change_words(&down.r, da));
    r.breakdown = vec![indicator(words, Some(down.r.current), down.met, None)];
    true
}

/// C19 in one year: the counts, the status, and before the target year the ratio projected to it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct C19Status {
    pub base_year: i32,
    pub goal: C19Goal,
    pub status: Status,
    /// count / base count projected linearly to the deadline year (before it only).
    pub projection: Option<f64>,
}

/// C19 for `year`; `None` without a base year at or before it, or without data for the year.
pub fn c19_status(index: &IndexResult, year: i32, deadline: i32) -> Option<C19Status> {
    let base_year = index.base_year.filter(|b| *b <= year)?;
    let goal = index.c19_goal(base_year, year)?;
    if year >= deadline {
        return Some(C19Status { base_year, goal, status: met(goal.met), projection: None });
    }
    let projected = projected_count(goal.base_count, goal.count, base_year, year, deadline);
    let status = if 2.0 * projected <= goal.base_count as f64 { Status::OnTrack } else { Status::OffTrack };
    let projection = (goal.base_count > 0).then(|| projected / goal.base_count as f64);
    Some(C19Status { base_year, goal, status, projection })
}

/// C19: areas in `markant` or `intensiveret` at most half the base year's count by the deadline.
fn c19(r: &mut CriterionResult, year: i32, deadline: i32, index: &IndexResult) -> bool {
    let Some(c) = c19_status(index, year, deadline) else { return false };
    r.numerator = Some(c.goal.count as u64);
    r.denominator = Some(c.goal.base_count as u64);
    r.value = c.goal.ratio;
    r.target = Some(0.5);
    r.status = c.status;
    r.projection = c.projection;
    r.breakdown = (c.base_year..=year)
        .filter_map(|y| {
            let g = index.c19_goal(c.base_year, y)?;
            Some(GroupResult {
                group: y.to_string(),
                value: Some(g.count as f64),
                numerator: None,
                denominator: None,
                unknown: g.uncategorised as u64,
                interval: None,
            })
        })
        .collect();
    true
}

/// The count projected linearly from the base year through `year` to the deadline year; before
/// any change can be seen (the base year itself) the count as it is.
pub fn projected_count(base: usize, count: usize, base_year: i32, year: i32, deadline: i32) -> f64 {
    if year <= base_year {
        return count as f64;
    }
    let slope = (count as f64 - base as f64) / f64::from(year - base_year);
    (base as f64 + slope * f64::from(deadline - base_year)).max(0.0)
}

/// C12: the Hotspot areas' T lower than the previous year, beside the approved manual local
/// indicators; met when every indicator is.
fn c12(r: &mut CriterionResult, areas: &[String], year: i32, request: &Request, cx: &IndexContext) -> bool {
    let mut groups = Vec::new();
    for id in areas {
        let Some(area) = cx.index.area(id, year) else { continue };
        let Some(change) = area.change.as_ref().and_then(|c| c.t) else { continue };
        let words = format!("{}: T {}", (cx.area_name)(id), change_words(&change, da));
        groups.push(indicator(words, Some(change.current), change.lower(), area.t_interval));
    }
    let manual = cx
        .entries
        .iter()
        .filter(|e| e.criterion == r.criterion && e.approved_by.is_some() && e.overlaps(&request.period));
    for e in manual {
        let success = e.assessment == Some(Assessment::Met);
        groups.push(indicator(e.indicator.clone(), e.number.and_then(|n| n.try_into().ok()), success, None));
    }
    if groups.is_empty() {
        return false;
    }
    let successes: u64 = groups.iter().filter_map(|g| g.numerator).sum();
    let all = groups.len() as u64;
    r.status = met(successes == all);
    r.numerator = Some(successes);
    r.denominator = Some(all);
    r.value = Some(successes as f64 / all as f64);
    r.breakdown = groups;
    true
}

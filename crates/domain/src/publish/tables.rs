//! The linked set of one criterion, built from its raw results: the total and every
//! dimension's drill-down of the same period and as-of date (docs/disclosure.md, "The linked
//! set"). Each builder returns the table and where each published field sits in it.

use super::linked::{Form, LinkedTable, Var};
use crate::engine::{CriterionResult, Dimension, GroupResult, Status};

/// Where a share or count's fields are among the table's cells.
#[derive(Debug, Clone, Default)]
pub struct Fields {
    pub value: Option<usize>,
    pub numerator: Option<usize>,
    pub denominator: Option<usize>,
    pub unknown: Option<usize>,
    pub pending: Option<usize>,
}

/// The cells of a criterion: its total, and per dimension its groups (in the raw order).
#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub total: Fields,
    pub groups: Vec<(Dimension, Vec<Fields>)>,
}

type Breakdowns<'a> = [(Dimension, &'a [GroupResult])];

/// A share criterion: per group successes, unknowns and the rest; totals split further into
/// failures and pending members.
pub fn share(total: &CriterionResult, dims: &Breakdowns) -> (LinkedTable, Layout) {
    let mut t = LinkedTable { integral: true, ..Default::default() };
    let (s, n) = (total.numerator.unwrap_or(0) as f64, total.denominator.unwrap_or(0) as f64);
    let (u, p) = (total.unknown as f64, total.pending_members as f64);
    let [ts, tu, tf, tp] = [s, u, (n - s - u - p).max(0.0), p].map(|v| t.new_var(v));
    let fields = Fields {
        value: None,
        numerator: Some(t.cell(Form::var(ts), true)),
        denominator: Some(t.cell(Form::sum(&[ts, tu, tf, tp]), true)),
        unknown: Some(t.cell(Form::var(tu), true)),
        pending: Some(t.cell(Form::var(tp), true)),
    };
    let mut layout = Layout { total: fields, groups: Vec::new() };
    t.derived.push(Form::sum(&[tu, tf, tp]));
    for &(dimension, groups) in dims {
        let mut sums: [Form; 3] = Default::default();
        let mut fields = Vec::new();
        for g in groups {
            let (gs, gn) = (g.numerator.unwrap_or(0) as f64, g.denominator.unwrap_or(0) as f64);
            let gu = g.unknown as f64;
            let vars = [gs, gu, (gn - gs - gu).max(0.0)].map(|v| t.new_var(v));
            for (sum, &v) in sums.iter_mut().zip(&vars) {
                *sum = std::mem::take(sum).plus(v, 1.0);
            }
            fields.push(Fields {
                value: None,
                numerator: Some(t.cell(Form::var(vars[0]), false)),
                denominator: Some(t.cell(Form::sum(&vars), false)),
                unknown: Some(t.cell(Form::var(vars[1]), false)),
                pending: None,
            });
            t.derived.push(Form::sum(&vars[1..]));
        }
        let [sum_s, sum_u, sum_r] = sums;
        t.identity(sum_s.plus(ts, -1.0));
        t.identity(sum_u.plus(tu, -1.0));
        t.identity(sum_r.plus(tf, -1.0).plus(tp, -1.0));
        layout.groups.push((dimension, fields));
        t.has_breakdowns = true;
    }
    share_status(&mut t, total, ts, [ts, tu, tf, tp], tp);
    (t, layout)
}

/// What a share's status tells: met / on track = at least the target, and so on.
fn share_status(t: &mut LinkedTable, r: &CriterionResult, ts: Var, all: [Var; 4], tp: Var) {
    if let Some(target) = r.target {
        let margin = all.iter().fold(Form::var(ts), |f, &v| f.plus(v, -target));
        match r.status {
            Status::Met | Status::OnTrack => t.know(margin, true, 0.0),
            Status::NotMet | Status::OffTrack => t.know(margin, false, 0.0),
            _ => {}
        }
    }
    if r.status == Status::Pending {
        t.know(Form::var(tp), true, 1.0);
    }
}

/// A count criterion (distinct citizens or placements) or a mean (C7's full-year places):
/// one amount per group, adding up to the total in every dimension. `days` gives, for a mean
/// broken down by month, each month's weight (its days within the period so far).
pub fn count(
    total: &CriterionResult,
    dims: &Breakdowns,
    integral: bool,
    days: &dyn Fn(&str) -> Option<f64>,
) -> (LinkedTable, Layout) {
    let mut t = LinkedTable { integral, ..Default::default() };
    let all = t.new_var(total.value.unwrap_or(0.0));
    let mut layout = Layout::default();
    layout.total.value = Some(t.cell(Form::var(all), true));
    let whole_days = days("");
    for &(dimension, groups) in dims {
        let mut sum = Form::default();
        let mut fields = Vec::new();
        let weighted = !integral && dimension == Dimension::Month;
        for g in groups {
            let v = t.new_var(g.value.unwrap_or(0.0));
            let weight = if weighted { days(&g.group).unwrap_or(0.0) } else { 1.0 };
            sum = sum.plus(v, weight);
            fields.push(Fields { value: Some(t.cell(Form::var(v), false)), ..Default::default() });
        }
        let scale = if weighted { whole_days.unwrap_or(0.0) } else { 1.0 };
        t.identity(sum.plus(all, -scale));
        layout.groups.push((dimension, fields));
        t.has_breakdowns = true;
    }
    count_status(&mut t, total, all);
    (t, layout)
}

fn count_status(t: &mut LinkedTable, r: &CriterionResult, all: Var) {
    let Some(target) = r.target else { return };
    let value = r.value.unwrap_or(0.0);
    // While the period runs the status compares the projection (value × a known factor).
    let factor = match (r.projection, value > 0.0) {
        (Some(p), true) => p / value,
        _ => 1.0,
    };
    match r.status {
        Status::Met | Status::OnTrack => t.know(Form::var(all), true, target / factor),
        Status::NotMet | Status::OffTrack => t.know(Form::var(all), false, target / factor),
        _ => {}
    }
}

/// A count and a part of it (youths touched and those who started an enrollment; participants
/// and those with a positive outcome): the rest is a count of persons too. Returns the cells of
/// the whole and of the part; where the part is not within the whole, two unlinked cells.
pub fn nested(whole: f64, part: f64) -> (LinkedTable, [usize; 2]) {
    let mut t = LinkedTable { integral: true, ..Default::default() };
    if part <= whole {
        let (a, b) = (t.new_var(part), t.new_var(whole - part));
        t.derived.push(Form::var(b));
        let whole = t.cell(Form::sum(&[a, b]), true);
        let part = t.cell(Form::var(a), true);
        (t, [whole, part])
    } else {
        let (a, b) = (t.new_var(whole), t.new_var(part));
        let cells = [t.cell(Form::var(a), true), t.cell(Form::var(b), true)];
        (t, cells)
    }
}

//! The attacker: for a quantity of a linked set, the interval of values consistent with
//! everything published beside it — the shown cells, the identities that link them, what each
//! hidden cell's mark says (`<5`: between 1 and k − 1; `·`: at least k) and what the published
//! statuses say — by linear programming, as τ-ARGUS' audit and sdcTable's `attack()` do. Used by
//! the protection itself (to decide when enough is hidden) and by the tests that attack every
//! output (docs/disclosure.md, "The audit").
//!
//! The program is the LP relaxation over non-negative reals; for the tables here (partitions of
//! one cohort that add up to shared totals) its bounds rounded inwards are the integer bounds.

use super::linked::{Form, LinkedTable, Var};
use super::Mark;
use microlp::{ComparisonOp, OptimizationDirection, Problem};

/// The values a quantity can take for all the attacker knows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    pub lo: f64,
    pub hi: f64,
}

impl Interval {
    /// Whether the attacker knows the value exactly.
    pub fn is_point(&self) -> bool {
        self.hi - self.lo < 0.5
    }

    /// The interval of `value − constant`.
    pub fn less(self, constant: f64) -> Self {
        Self { lo: self.lo - constant, hi: self.hi - constant }
    }

    /// For a change between releases: whether the attacker cannot tell that it is a small
    /// change of a known size. Open when no change is possible (the interval holds 0), when a
    /// change of at least k is possible, or when every small change of its sign stays possible
    /// (as much as a `<k` label tells of a count).
    pub fn leaves_change_open(&self, threshold: u64) -> bool {
        let (k, e) = (threshold as f64, 1e-6);
        let holds_zero = self.lo <= e && self.hi >= -e;
        let large = self.hi >= k - e || self.lo <= -k + e;
        let rise = self.lo <= 1.0 + e && self.hi >= k - 1.0 - e;
        let fall = self.hi >= -1.0 - e && self.lo <= -(k - 1.0) + e;
        holds_zero || large || rise || fall
    }

    /// Whether every value 1 … k − 1 stays possible: a small count is then no better known than
    /// its label `<k` says.
    pub fn covers_small(&self, threshold: u64) -> bool {
        self.lo <= 1.0 + 1e-6 && self.hi >= (threshold - 1) as f64 - 1e-6
    }
}

/// A linear constraint `Σ terms (op) rhs`.
struct Constraint {
    terms: Vec<(Var, f64)>,
    op: ComparisonOp,
    rhs: f64,
}

/// The attacker's knowledge of one linked set with some cells hidden.
pub struct Attacker {
    constraints: Vec<Constraint>,
    /// Unknowns whose value the equalities alone pin down.
    fixed: Vec<Option<f64>>,
    /// Union-find roots of the unknowns that are not fixed.
    root: Vec<usize>,
}

impl Attacker {
    pub fn new(table: &LinkedTable, hidden: &[Option<Mark>], threshold: u64) -> Self {
        let mut constraints = Vec::new();
        let eq = |form: &Form, rhs: f64| Constraint { terms: form.terms.clone(), op: ComparisonOp::Eq, rhs };
        constraints.extend(table.identities.iter().map(|f| eq(f, 0.0)));
        for (cell, mark) in table.cells.iter().zip(hidden) {
            let bound = |op, rhs| Constraint { terms: cell.form.terms.clone(), op, rhs };
            match mark {
                None => constraints.push(eq(&cell.form, cell.value)),
                Some(Mark::Small) => {
                    constraints.push(bound(ComparisonOp::Ge, 1.0));
                    constraints.push(bound(ComparisonOp::Le, (threshold - 1) as f64));
                }
                Some(Mark::Protects) => constraints.push(bound(ComparisonOp::Ge, threshold as f64)),
            }
        }
        for k in &table.known {
            let op = if k.at_least { ComparisonOp::Ge } else { ComparisonOp::Le };
            constraints.push(Constraint { terms: k.form.terms.clone(), op, rhs: k.bound });
        }
        let fixed = propagate(table.vars, &constraints);
        let root = components(table.vars, &constraints, &fixed);
        Self { constraints, fixed, root }
    }

    /// The interval of a quantity for all the attacker knows.
    pub fn interval(&self, target: &Form) -> Interval {
        let constant: f64 = target.terms.iter().filter_map(|&(v, c)| self.fixed[v].map(|x| c * x)).sum();
        let free: Vec<(Var, f64)> =
            target.terms.iter().copied().filter(|&(v, _)| self.fixed[v].is_none()).collect();
        if free.is_empty() {
            return Interval { lo: constant, hi: constant };
        }
        let roots: Vec<usize> = free.iter().map(|&(v, _)| find(&self.root, v)).collect();
        let lo = self.solve(&free, &roots, OptimizationDirection::Minimize).unwrap_or(f64::NEG_INFINITY);
        let hi = self.solve(&free, &roots, OptimizationDirection::Maximize).unwrap_or(f64::INFINITY);
        Interval { lo: constant + lo, hi: constant + hi }
    }

    /// Optimises `objective` over the component(s) it lies in; `None` when unbounded.
    fn solve(
        &self,
        objective: &[(Var, f64)],
        roots: &[usize],
        direction: OptimizationDirection,
    ) -> Option<f64> {
        let in_scope = |v: Var| self.fixed[v].is_none() && roots.contains(&find(&self.root, v));
        let mut problem = Problem::new(direction);
        let mut lp_var = std::collections::HashMap::new();
        let mut var_of = |problem: &mut Problem, v: Var| {
            *lp_var.entry(v).or_insert_with(|| {
                let c = objective.iter().filter(|&&(o, _)| o == v).map(|&(_, c)| c).sum();
                problem.add_var(c, (0.0, f64::INFINITY))
            })
        };
        for &(v, _) in objective {
            var_of(&mut problem, v);
        }
        for c in &self.constraints {
            if !c.terms.iter().any(|&(v, _)| in_scope(v)) {
                continue;
            }
            let mut rhs = c.rhs;
            let mut terms = Vec::new();
            for &(v, coefficient) in &c.terms {
                match self.fixed[v] {
                    Some(x) => rhs -= coefficient * x,
                    None => terms.push((var_of(&mut problem, v), coefficient)),
                }
            }
            problem.add_constraint(terms.as_slice(), c.op, rhs);
        }
        match problem.solve().map(|o| o.into_solution()) {
            Ok(Ok(solution)) => Some(solution.objective()),
            Err(microlp::Error::Unbounded) => None,
            // The true values are feasible, so an infeasible or failed solve is round-off. Answer
            // as if the attacker knew the value: the protection then hides more, never less.
            _ => Some(0.0),
        }
    }
}

/// Fixes every unknown that an equality with one unfixed unknown pins down, until none does.
fn propagate(vars: usize, constraints: &[Constraint]) -> Vec<Option<f64>> {
    let mut fixed = vec![None; vars];
    loop {
        let mut changed = false;
        for c in constraints.iter().filter(|c| matches!(c.op, ComparisonOp::Eq)) {
            let mut open = c.terms.iter().filter(|&&(v, k)| fixed[v].is_none() && k != 0.0);
            let (Some(&(v, k)), None) = (open.next(), open.next()) else { continue };
            let known: f64 = c.terms.iter().filter_map(|&(u, a)| fixed[u].map(|x| a * x)).sum();
            fixed[v] = Some((c.rhs - known) / k);
            changed = true;
        }
        if !changed {
            return fixed;
        }
    }
}

fn find(root: &[usize], mut v: usize) -> usize {
    while root[v] != v {
        v = root[v];
    }
    v
}

/// Groups the unfixed unknowns that share a constraint: a quantity's interval depends only on
/// its own group, so each program stays as small as one drill-down table.
fn components(vars: usize, constraints: &[Constraint], fixed: &[Option<f64>]) -> Vec<usize> {
    let mut root: Vec<usize> = (0..vars).collect();
    for c in constraints {
        let mut open = c.terms.iter().map(|&(v, _)| v).filter(|&v| fixed[v].is_none());
        let Some(first) = open.next() else { continue };
        for v in open {
            let (a, b) = (find(&root, first), find(&root, v));
            if a != b {
                root[b] = a;
            }
        }
    }
    root
}

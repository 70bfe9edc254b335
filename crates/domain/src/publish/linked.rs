//! The linked tables of one published figure: everything that is published together about one
//! criterion (or one initiative's descriptive figures) for one period and as-of date, written as
//! linear forms over non-negative unknowns, so that an attacker's knowledge is a linear program
//! (docs/disclosure.md, "The linked set").
//!
//! For a share criterion the unknowns are, per drill-down group of every dimension, the members
//! who succeeded (`S`), whose follow-up is unknown (`U`) and the rest (`R`: failures and members
//! whose window is still open), and four totals (`S`, `U`, failures `F`, pending `P`). Each
//! dimension partitions the same cohort, so its groups add up to the totals: that identity is
//! what links the drill-downs by centre, area, sex, age band, caseworker code and month to each
//! other and to the dashboard's figure.

/// An unknown of the linear program: a count (or, for means, an amount) that is at least zero.
pub type Var = usize;

/// `Σ coefficient · x`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Form {
    pub terms: Vec<(Var, f64)>,
}

impl Form {
    pub fn var(v: Var) -> Self {
        Self { terms: vec![(v, 1.0)] }
    }

    pub fn sum(vars: &[Var]) -> Self {
        Self { terms: vars.iter().map(|&v| (v, 1.0)).collect() }
    }

    /// Adds `coefficient · v` (merged with a term of the same unknown: a linear program takes
    /// each unknown once per constraint).
    pub fn plus(mut self, v: Var, coefficient: f64) -> Self {
        match self.terms.iter_mut().find(|(u, _)| *u == v) {
            Some((_, c)) => *c += coefficient,
            None => self.terms.push((v, coefficient)),
        }
        self
    }

    /// The form's value for an assignment.
    pub fn eval(&self, x: &[f64]) -> f64 {
        self.terms.iter().map(|&(v, c)| c * x[v]).sum()
    }
}

/// A published cell of the linked set.
#[derive(Debug, Clone, PartialEq)]
pub struct CellSpec {
    pub form: Form,
    /// Its true value.
    pub value: f64,
    /// A figure on the dashboard (a criterion's total) rather than a drill-down group: hidden
    /// only when nothing else protects.
    pub total: bool,
}

/// What the attacker knows besides the published cells: a linear inequality.
#[derive(Debug, Clone, PartialEq)]
pub struct Known {
    pub form: Form,
    /// `form ≥ bound` when true, `form ≤ bound` when false.
    pub at_least: bool,
    pub bound: f64,
}

/// One linked set.
#[derive(Debug, Clone, Default)]
pub struct LinkedTable {
    /// Number of unknowns.
    pub vars: usize,
    /// The unknowns' true values (checked against every identity and cell when built).
    pub truth: Vec<f64>,
    /// Identities that hold by construction: `form = 0`.
    pub identities: Vec<Form>,
    pub cells: Vec<CellSpec>,
    /// Counts of persons that are not cells themselves but follow from them (a share's "rest":
    /// members who did not succeed): protected like cells when small.
    pub derived: Vec<Form>,
    pub known: Vec<Known>,
    /// Whether the unknowns are counts of persons (integers) or amounts (means).
    pub integral: bool,
    /// Whether the set holds drill-down groups besides its totals.
    pub has_breakdowns: bool,
    /// Cells that an earlier release of the same period showed: their change since then is a
    /// count of persons too (docs/disclosure.md, "Releases").
    pub increments: Vec<Increment>,
}

/// A cell shown in an earlier release: the attacker knows `cell − earlier`, unless the cell is
/// hidden now.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Increment {
    pub cell: usize,
    pub earlier: f64,
}

impl Increment {
    /// The change since the earlier release, signed.
    pub fn change(&self, table: &LinkedTable) -> f64 {
        table.cells[self.cell].value - self.earlier
    }
}

impl LinkedTable {
    pub fn new_var(&mut self, value: f64) -> Var {
        self.vars += 1;
        self.truth.push(value);
        self.vars - 1
    }

    /// Adds a cell and returns its index.
    pub fn cell(&mut self, form: Form, total: bool) -> usize {
        let value = form.eval(&self.truth);
        self.cells.push(CellSpec { form, value, total });
        self.cells.len() - 1
    }

    /// Adds an identity `form = 0` if it holds for the true values (an identity that does not
    /// hold would be a modelling error; it is left out so the attacker model stays consistent).
    pub fn identity(&mut self, form: Form) {
        if form.eval(&self.truth).abs() < 1e-6 {
            self.identities.push(form);
        } else {
            debug_assert!(false, "an identity of the linked set does not hold: {form:?}");
        }
    }

    /// Adds what a published status tells, if it holds for the true values.
    pub fn know(&mut self, form: Form, at_least: bool, bound: f64) {
        let v = form.eval(&self.truth);
        let holds = if at_least { v >= bound - 1e-9 } else { v <= bound + 1e-9 };
        if holds {
            self.known.push(Known { form, at_least, bound });
        }
    }

    /// Whether the unknowns count persons (a mean's do not).
    pub fn kind_is_count(&self) -> bool {
        self.integral
    }

    /// Every count of persons the protection must cover: the cells, the derived counts and the
    /// changes since earlier releases (signed: a fall by 1 … k − 1 tells as much as a rise).
    pub fn counts(&self) -> impl Iterator<Item = (Target, &Form, f64)> {
        let cells = self.cells.iter().enumerate().map(|(i, c)| (Target::Cell(i), &c.form, c.value));
        let derived =
            self.derived.iter().enumerate().map(|(i, f)| (Target::Derived(i), f, f.eval(&self.truth)));
        let increments = self
            .increments
            .iter()
            .enumerate()
            .map(|(i, inc)| (Target::Increment(i), &self.cells[inc.cell].form, inc.change(self)));
        cells.chain(derived).chain(increments)
    }

    /// The form a target's value is read from (an increment's: its cell's, less a constant).
    pub fn form_of(&self, target: Target) -> &Form {
        match target {
            Target::Cell(i) => &self.cells[i].form,
            Target::Derived(i) => &self.derived[i],
            Target::Increment(i) => &self.cells[self.increments[i].cell].form,
        }
    }
}

/// A quantity the audit looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    Cell(usize),
    Derived(usize),
    /// The change of a cell since an earlier release ([`LinkedTable::increments`]).
    Increment(usize),
}

//! Publishing: the one way figures leave the engine (docs/disclosure.md).
//!
//! The engine's output ([`Raw`]: an evaluation with its breakdown by every dimension) cannot be
//! serialised or rendered. [`publish`] turns it into [`Published`] figures under disclosure
//! control, protecting everything published together about a criterion as one linked set;
//! [`unprotected`] does the same without suppression and needs a [`RawGrant`], which only the
//! store hands out after auditing the request. Pages, the JSON API, the CLI, reports and exports
//! take [`Published`]: a withheld figure is a [`Cell::Withheld`] with its [`Mark`], never a
//! number.

pub mod attack;
pub mod linked;
pub mod protect;
pub mod release;
mod serialise;
pub mod tables;

use crate::criteria::CriterionKind;
use crate::disclosure::DisclosureRules;
use crate::engine::result::PeriodJson;
use crate::engine::{wilson, CriterionResult, DescriptiveFigure, Dimension, Evaluation, GroupResult, Status};
use linked::LinkedTable;
use release::Release;
use tables::{Fields, Layout};

/// Why a figure is withheld.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    /// A count of 1 … k − 1 persons (shown `<5` for k = 5), or a figure that would reveal one.
    Small,
    /// Hidden only so that a small count elsewhere cannot be worked out (shown `·`).
    Protects,
}

impl Mark {
    pub fn code(self) -> &'static str {
        match self {
            Mark::Small => "small",
            Mark::Protects => "protects",
        }
    }

    /// The cell's text: `<5` or `·`.
    pub fn label(self, threshold: u64) -> String {
        match self {
            Mark::Small => format!("<{threshold}"),
            Mark::Protects => "·".to_owned(),
        }
    }
}

/// A published figure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<T> {
    Shown(T),
    Withheld(Mark),
    /// Not computable or not applicable (a share of nobody, an interval of a count).
    Absent,
}

impl<T: Copy> Cell<T> {
    pub fn shown(&self) -> Option<T> {
        match self {
            Cell::Shown(v) => Some(*v),
            _ => None,
        }
    }

    pub fn mark(&self) -> Option<Mark> {
        match self {
            Cell::Withheld(m) => Some(*m),
            _ => None,
        }
    }

    fn of(value: Option<T>, mark: Option<Mark>) -> Self {
        match (mark, value) {
            (Some(m), _) => Cell::Withheld(m),
            (None, Some(v)) => Cell::Shown(v),
            (None, None) => Cell::Absent,
        }
    }
}

/// A field of a published result, as named in the JSON's `suppressed` and `withheld`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Value,
    Numerator,
    Denominator,
    Unknown,
    PendingMembers,
    Interval,
    Projection,
}

impl Field {
    pub fn code(self) -> &'static str {
        match self {
            Field::Value => "value",
            Field::Numerator => "numerator",
            Field::Denominator => "denominator",
            Field::Unknown => "unknown",
            Field::PendingMembers => "pending_members",
            Field::Interval => "interval",
            Field::Projection => "projection",
        }
    }
}

/// One group of a published drill-down.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedGroup {
    pub group: String,
    pub value: Cell<f64>,
    pub numerator: Cell<u64>,
    pub denominator: Cell<u64>,
    pub unknown: Cell<u64>,
    pub interval: Cell<[f64; 2]>,
}

/// One published criterion.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedResult {
    pub criterion: String,
    pub initiative: String,
    /// What the figure is: a count, a share, a mean, or an index, indicator or deliverable.
    pub kind: CriterionKind,
    pub status: Status,
    pub value: Cell<f64>,
    pub numerator: Cell<u64>,
    pub denominator: Cell<u64>,
    pub unknown: Cell<u64>,
    pub pending_members: Cell<u64>,
    pub target: Option<f64>,
    pub interval: Cell<[f64; 2]>,
    pub projection: Cell<f64>,
    /// The memo's words.
    pub text: String,
    /// The drill-down shown (`centre`, …), or the source of an index or indicator breakdown.
    pub by: Option<String>,
    pub breakdown: Vec<PublishedGroup>,
    /// The breakdown asked for is withheld: publishing it would have cost a total, or given a
    /// small count away whatever was hidden.
    pub breakdown_withheld: bool,
}

/// A published descriptive figure (KRIMITEAM).
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedFigure {
    pub initiative: String,
    pub figure: String,
    pub value: Cell<u64>,
    pub text: String,
}

/// Figures as they may be shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Published {
    pub period: PeriodJson,
    /// The date the figures are as of: the released date (docs/disclosure.md, "Releases").
    pub as_of: String,
    /// The date asked for, when the figures are as of an earlier one (a settled period).
    pub asked_as_of: Option<String>,
    pub results: Vec<PublishedResult>,
    pub descriptive: Vec<PublishedFigure>,
    /// The threshold k the figures were protected with (`<k`).
    pub threshold: u64,
    /// True for exact figures given under a [`RawGrant`].
    pub raw: bool,
}

impl Published {
    /// Whether the period has any figure from data: a criterion above zero (or withheld, so
    /// small but not zero), or a descriptive figure that is not zero.
    pub fn has_data(&self) -> bool {
        let positive = |c: &Cell<f64>| match c {
            Cell::Shown(v) => *v > 0.0,
            Cell::Withheld(_) => true,
            Cell::Absent => false,
        };
        self.results.iter().any(|r| positive(&r.value))
            || self.descriptive.iter().any(|f| !matches!(f.value, Cell::Shown(0) | Cell::Absent))
    }
}

/// The engine's figures for one request: the evaluation without a breakdown, and the same
/// evaluation broken down by each dimension (everything published together about each
/// criterion). Deliberately neither `Serialize` nor `Display`.
pub struct Raw {
    pub totals: Evaluation,
    pub by_dimension: Vec<(Dimension, Evaluation)>,
}

/// Permission to publish exact figures, handed out by the store after it has audited who asked
/// and why (`Store::grant_raw_figures`). Its constructor is public only so that the store crate
/// can call it; a test (`crates/domain/tests/publish_paths.rs`) fails if anything else does.
#[derive(Debug, Clone)]
pub struct RawGrant {
    audit_seq: i64,
}

impl RawGrant {
    pub fn after_audit(audit_seq: i64) -> Self {
        Self { audit_seq }
    }

    /// The audit row that records the grant.
    pub fn audit_seq(&self) -> i64 {
        self.audit_seq
    }
}

/// Publishes the figures under disclosure control, with the breakdown `by` (if any) shown.
pub fn publish(raw: &Raw, by: Option<Dimension>, rules: &DisclosureRules) -> Published {
    publish_after(raw, by, rules, &[])
}

/// [`publish`], protecting also every change since the earlier releases of the same period
/// ([`release`]).
pub fn publish_after(
    raw: &Raw,
    by: Option<Dimension>,
    rules: &DisclosureRules,
    history: &[Release],
) -> Published {
    publish_release(raw, by, rules, history).0
}

/// [`publish_after`], with the release it makes: every count it shows, in every breakdown
/// (the other breakdowns of the same linked set can be asked for next).
pub fn publish_release(
    raw: &Raw,
    by: Option<Dimension>,
    rules: &DisclosureRules,
    history: &[Release],
) -> (Published, Release) {
    let mut release = Release::new(&raw.totals.as_of);
    let published = assemble(raw, by, rules.threshold, true, &protecting(rules), history, Some(&mut release));
    (published, release)
}

/// The marks of a linked set under the rules. With breakdowns, a total is never hidden for
/// their sake (the breakdown is dropped instead); the figure alone is protected whatever it
/// takes.
fn protecting(rules: &DisclosureRules) -> impl Fn(&LinkedTable) -> (Vec<Option<Mark>>, bool) + '_ {
    |table: &LinkedTable| protect::protect_checked(table, rules, table.has_breakdowns)
}

/// What a release as of `raw`'s date shows, protected after `history`.
pub fn release_of(raw: &Raw, rules: &DisclosureRules, history: &[Release]) -> Release {
    publish_release(raw, None, rules, history).1
}

/// Puts every shown cell of a criterion's chosen set into the release.
fn record_shown(release: &mut Release, criterion: &str, chosen: &Chosen) {
    for (cell, key) in release::cell_keys(criterion, &chosen.layout, &chosen.dims) {
        if chosen.hidden[cell].is_none() {
            release.record(key, chosen.table.cells[cell].value);
        }
    }
}

/// The same figures exactly, for a user or command allowed to see them.
pub fn unprotected(
    raw: &Raw,
    by: Option<Dimension>,
    rules: &DisclosureRules,
    _grant: &RawGrant,
) -> Published {
    let mut published =
        assemble(raw, by, rules.threshold, false, &|table| (vec![None; table.cells.len()], true), &[], None);
    published.raw = true;
    published
}

fn assemble(
    raw: &Raw,
    by: Option<Dimension>,
    threshold: u64,
    protecting: bool,
    marks: &Marker<'_>,
    history: &[Release],
    mut release: Option<&mut Release>,
) -> Published {
    let e = &raw.totals;
    let results = e
        .results
        .iter()
        .map(|r| {
            let chosen = chosen(raw, r, threshold, protecting, marks, history);
            if let (Some(release), Some(chosen)) = (release.as_deref_mut(), &chosen) {
                record_shown(release, &r.criterion, chosen);
            }
            result(r, chosen, by, threshold)
        })
        .collect();
    let descriptive = descriptive(&e.descriptive, marks, history, threshold);
    if let Some(release) = release {
        for f in &descriptive {
            if let Cell::Shown(v) = f.value {
                release.record(release::key(&f.initiative, None, &f.figure, Field::Value), v as f64);
            }
        }
    }
    Published {
        period: e.period.clone(),
        as_of: e.as_of.clone(),
        asked_as_of: None,
        results,
        descriptive,
        threshold,
        raw: false,
    }
}

/// The criterion's breakdowns by every dimension, from the linked evaluations.
fn breakdowns<'a>(raw: &'a Raw, criterion: &str) -> Vec<(Dimension, &'a [GroupResult])> {
    raw.by_dimension
        .iter()
        .filter_map(|(d, e)| {
            let r = e.results.iter().find(|r| r.criterion == criterion)?;
            Some((*d, r.breakdown.as_slice()))
        })
        .collect()
}

/// What is published of one criterion: its linked set (with the breakdowns kept), the marks,
/// and whether the cohort is withheld whole.
pub struct Chosen<'a> {
    pub table: LinkedTable,
    pub layout: Layout,
    pub hidden: Vec<Option<Mark>>,
    pub dims: Vec<(Dimension, &'a [GroupResult])>,
    pub small_cohort: bool,
    /// The status is withheld (a small cohort, or a status that would narrow a small count).
    pub status_withheld: bool,
}

/// The linked set and marks that [`publish`] uses for criterion `r` of `raw`; `None` for a
/// criterion that is not a count of persons (index, indicator, deliverable). Public so that the
/// attack tests audit exactly what is published.
pub fn protected_set<'a>(
    raw: &'a Raw,
    r: &'a CriterionResult,
    rules: &DisclosureRules,
) -> Option<Chosen<'a>> {
    protected_set_after(raw, r, rules, &[])
}

/// [`protected_set`] for a release after `history` ([`release`]).
pub fn protected_set_after<'a>(
    raw: &'a Raw,
    r: &'a CriterionResult,
    rules: &DisclosureRules,
    history: &[Release],
) -> Option<Chosen<'a>> {
    chosen(raw, r, rules.threshold, true, &protecting(rules), history)
}

fn chosen<'a>(
    raw: &'a Raw,
    r: &'a CriterionResult,
    threshold: u64,
    protecting: bool,
    marks: &Marker<'_>,
    history: &[Release],
) -> Option<Chosen<'a>> {
    let all = breakdowns(raw, &r.criterion);
    let build = |dims: &[(Dimension, &'a [GroupResult])]| {
        let (mut table, layout) = match r.kind {
            CriterionKind::ShareAtLeast => tables::share(r, dims),
            CriterionKind::CountAtLeast => tables::count(r, dims, true, &|_| None),
            CriterionKind::MeanWithinBand => tables::count(r, dims, false, &|m| month_days(&raw.totals, m)),
            // Areas, indicators and deliverables are not counts of persons; a survey share
            // resting on too few respondents is withheld where the index is computed.
            _ => return None,
        };
        release::attach(&mut table, &release::cell_keys(&r.criterion, &layout, dims), history, threshold);
        Some((table, layout))
    };
    let (table, layout) = build(&all)?;
    // A cohort smaller than k is withheld whole, its status with it (what a status tells, "at
    // least half succeeded", would narrow its few members down); its parts, even hidden, would
    // tell too (two parts of at least one make a cohort of two): every part is withheld, zeros
    // too, and nothing is broken down.
    let small_cohort = protecting && is_small_total(&table, &layout, threshold);
    let (table, layout, hidden, dims) = if small_cohort {
        let (table, layout) = build(&[]).unwrap_or_default();
        let hidden = vec![Some(Mark::Small); table.cells.len()];
        (table, layout, hidden, Vec::new())
    } else if protecting {
        let (dims, (table, layout, hidden)) = breakdowns_to_publish(&all, &build, marks, threshold);
        (table, layout, hidden, dims)
    } else {
        let (hidden, _) = marks(&table);
        (table, layout, hidden, all.clone())
    };
    let mut chosen = Chosen { table, layout, hidden, dims, small_cohort, status_withheld: small_cohort };
    // A status can narrow a hidden small count ("met" on 3 of 4 says at least 2 succeeded):
    // where nothing hidden prevents that, the status is withheld instead.
    if protecting
        && !small_cohort
        && !chosen.table.known.is_empty()
        && !protect::failing(&chosen.table, &chosen.hidden, threshold).is_empty()
    {
        chosen.table.known.clear();
        chosen.hidden = marks(&chosen.table).0;
        chosen.status_withheld = true;
    }
    Some(chosen)
}

/// The published figure of criterion `r` from its chosen set (`None`: not a count of persons).
fn result(
    r: &CriterionResult,
    chosen: Option<Chosen>,
    by: Option<Dimension>,
    threshold: u64,
) -> PublishedResult {
    let Some(chosen) = chosen else {
        return passed_through(r);
    };
    let Chosen { table, layout, hidden, dims, status_withheld, .. } = chosen;
    let share = r.kind == CriterionKind::ShareAtLeast;
    let rules = DisclosureRules { threshold, ..DisclosureRules::default() };
    let cells = Cells { table: &table, hidden: &hidden, rules };
    let mut published = PublishedResult {
        criterion: r.criterion.clone(),
        initiative: r.initiative.clone(),
        kind: r.kind,
        status: if status_withheld { Status::Withheld } else { r.status },
        value: Cell::Absent,
        numerator: cells.count(layout.total.numerator),
        denominator: cells.count(layout.total.denominator),
        unknown: cells.count(layout.total.unknown),
        pending_members: cells.count(layout.total.pending),
        target: r.target,
        interval: Cell::Absent,
        projection: Cell::Absent,
        text: r.text.clone(),
        by: by.map(|d| d.code().to_owned()),
        breakdown: Vec::new(),
        breakdown_withheld: by.is_some_and(|d| !dims.iter().any(|(kept, _)| *kept == d)),
    };
    if share {
        (published.value, published.interval) = cells.share(&layout.total);
    } else {
        published.value = cells.amount(layout.total.value, r.value);
        published.projection = match published.value {
            Cell::Shown(_) => Cell::of(r.projection, None),
            Cell::Withheld(m) if r.projection.is_some() => Cell::Withheld(m),
            _ => Cell::Absent,
        };
    }
    published.breakdown = group_cells(&cells, &layout, &dims, by, share);
    published
}

type Breakdown<'a> = (Dimension, &'a [GroupResult]);

/// The dimensions whose breakdowns are published with the figure: each one that can be
/// protected without hiding one of the dashboard's totals (and without an inference that no
/// hiding prevents, such as the number of groups listed giving a small count away), as long
/// as together they still can. The totals are what committees read; a breakdown that would
/// cost one is withheld instead (the drill-down then says so).
fn breakdowns_to_publish<'a>(
    all: &[Breakdown<'a>],
    build: &dyn Fn(&[Breakdown<'a>]) -> Option<Built>,
    marks: &Marker<'_>,
    threshold: u64,
) -> (Vec<Breakdown<'a>>, Protected) {
    let attempt = |dims: &[Breakdown<'a>]| -> Option<Protected> {
        let (table, layout) = build(dims)?;
        let (hidden, safe) = marks(&table);
        // A total hidden for its own small change since an earlier release is hidden whatever
        // is broken down; only a total hidden to protect something else costs.
        let first = protect::primary(&table, threshold);
        let costs_a_total = table
            .cells
            .iter()
            .zip(&hidden)
            .zip(&first)
            .any(|((c, m), f)| c.total && *m == Some(Mark::Protects) && f.is_none());
        (!costs_a_total && safe).then_some((table, layout, hidden))
    };
    let mut kept: Vec<Breakdown<'a>> =
        all.iter().copied().filter(|d| attempt(std::slice::from_ref(d)).is_some()).collect();
    loop {
        if kept.is_empty() {
            let (table, layout) = build(&[]).unwrap_or_default();
            let (hidden, _) = marks(&table);
            return (kept, (table, layout, hidden));
        }
        if let Some(protected) = attempt(&kept) {
            return (kept, protected);
        }
        kept.pop();
    }
}

/// A linked set with its layout.
type Built = (LinkedTable, Layout);

/// Chooses the marks of a linked set, and says whether every small count is then safe.
type Marker<'m> = dyn Fn(&LinkedTable) -> (Vec<Option<Mark>>, bool) + 'm;

/// A linked set with its layout and marks.
type Protected = (LinkedTable, Layout, Vec<Option<Mark>>);

/// Whether the cohort (a share's denominator, a count's value) is a small count.
fn is_small_total(table: &LinkedTable, layout: &Layout, threshold: u64) -> bool {
    let cell = layout.total.denominator.or(layout.total.value);
    cell.is_some_and(|i| table.kind_is_count() && protect::is_small(table.cells[i].value, threshold))
}

/// Reads published fields off the table and its marks.
struct Cells<'a> {
    table: &'a LinkedTable,
    hidden: &'a [Option<Mark>],
    rules: DisclosureRules,
}

impl Cells<'_> {
    fn count(&self, cell: Option<usize>) -> Cell<u64> {
        match cell {
            Some(i) => Cell::of(Some(self.table.cells[i].value.round() as u64), self.hidden[i]),
            None => Cell::Absent,
        }
    }

    fn amount(&self, cell: Option<usize>, value: Option<f64>) -> Cell<f64> {
        match cell {
            Some(i) => Cell::of(value, self.hidden[i]),
            None => Cell::Absent,
        }
    }

    /// A share and its interval: shown where numerator and denominator are, and the share rule
    /// allows (a denominator of at least k, neither part small).
    fn share(&self, f: &Fields) -> (Cell<f64>, Cell<[f64; 2]>) {
        let (num, den) = (self.count(f.numerator), self.count(f.denominator));
        match (num, den) {
            (_, Cell::Shown(0)) | (_, Cell::Absent) => (Cell::Absent, Cell::Absent),
            (Cell::Shown(s), Cell::Shown(n)) if self.rules.share_allowed(s, n) => {
                (Cell::Shown(s as f64 / n as f64), Cell::of(wilson(s, n), None))
            }
            (Cell::Shown(_), Cell::Shown(_)) => (Cell::Withheld(Mark::Small), Cell::Withheld(Mark::Small)),
            _ => {
                let mark = num.mark().into_iter().chain(den.mark()).min().unwrap_or(Mark::Protects);
                (Cell::Withheld(mark), Cell::Withheld(mark))
            }
        }
    }
}

fn group_cells(
    cells: &Cells,
    layout: &Layout,
    dims: &[(Dimension, &[GroupResult])],
    by: Option<Dimension>,
    share: bool,
) -> Vec<PublishedGroup> {
    let Some(by) = by else { return Vec::new() };
    let Some((_, fields)) = layout.groups.iter().find(|(d, _)| *d == by) else { return Vec::new() };
    let Some((_, groups)) = dims.iter().find(|(d, _)| *d == by) else { return Vec::new() };
    groups
        .iter()
        .zip(fields)
        .map(|(g, f)| {
            let (value, interval) =
                if share { cells.share(f) } else { (cells.amount(f.value, g.value), Cell::Absent) };
            PublishedGroup {
                group: g.group.clone(),
                value,
                numerator: cells.count(f.numerator),
                denominator: cells.count(f.denominator),
                unknown: cells.count(f.unknown),
                interval,
            }
        })
        .collect()
}

/// An index, indicator or deliverable result: published as computed.
fn passed_through(r: &CriterionResult) -> PublishedResult {
    let share = r.denominator.is_some();
    let at_source = r.small_sample.then_some(Mark::Small);
    PublishedResult {
        criterion: r.criterion.clone(),
        initiative: r.initiative.clone(),
        kind: r.kind,
        status: r.status,
        value: Cell::of(r.value, at_source),
        numerator: Cell::of(r.numerator, None),
        denominator: Cell::of(r.denominator, None),
        unknown: if share { Cell::Shown(r.unknown) } else { Cell::Absent },
        pending_members: Cell::Absent,
        target: r.target,
        interval: Cell::of(r.interval, at_source),
        projection: Cell::of(r.projection, None),
        text: r.text.clone(),
        by: r.by.clone(),
        breakdown_withheld: false,
        breakdown: r
            .breakdown
            .iter()
            .map(|g| PublishedGroup {
                group: g.group.clone(),
                value: Cell::of(g.value, None),
                numerator: Cell::of(g.numerator, None),
                denominator: Cell::of(g.denominator, None),
                unknown: if g.denominator.is_some() { Cell::Shown(g.unknown) } else { Cell::Absent },
                interval: Cell::of(g.interval, None),
            })
            .collect(),
    }
}

fn descriptive(
    figures: &[DescriptiveFigure],
    marks: &Marker<'_>,
    history: &[Release],
    threshold: u64,
) -> Vec<PublishedFigure> {
    let mut out = Vec::new();
    let mut initiatives: Vec<&str> = figures.iter().map(|f| f.initiative.as_str()).collect();
    initiatives.dedup();
    for initiative in initiatives {
        let own: Vec<&DescriptiveFigure> = figures.iter().filter(|f| f.initiative == initiative).collect();
        let value = |name: &str| own.iter().find(|f| f.figure == name).map_or(0, |f| f.value);
        let (mut table, [touched, started]) =
            tables::nested(value("touched") as f64, value("started") as f64);
        let cell_of = |f: &DescriptiveFigure| if f.figure == "started" { started } else { touched };
        let keys: Vec<(usize, String)> = own
            .iter()
            .map(|f| (cell_of(f), release::key(initiative, None, &f.figure, Field::Value)))
            .collect();
        release::attach(&mut table, &keys, history, threshold);
        let (hidden, _) = marks(&table);
        for f in &own {
            let cell = cell_of(f);
            out.push(PublishedFigure {
                initiative: f.initiative.clone(),
                figure: f.figure.clone(),
                value: Cell::of(Some(f.value), hidden[cell]),
                text: f.text.clone(),
            });
        }
    }
    out
}

/// A count and a part of it published together (the budget's participants and positive
/// outcomes per initiative), protected as one linked set.
pub fn publish_part(whole: u64, part: u64, rules: &DisclosureRules) -> (Cell<u64>, Cell<u64>) {
    let (table, [w, p]) = tables::nested(whole as f64, part as f64);
    let hidden = protect::protect(&table, rules);
    (Cell::of(Some(whole), hidden[w]), Cell::of(Some(part), hidden[p]))
}

/// For a mean broken down by month: the days of month `key` (`YYYY-MM`; empty: the whole
/// period) that the mean is taken over, [from, min(to, as of)].
fn month_days(e: &Evaluation, key: &str) -> Option<f64> {
    use chrono::NaiveDate;
    let parse = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let (from, to, as_of) = (parse(&e.period.from)?, parse(&e.period.to)?, parse(&e.as_of)?);
    let last = to.min(as_of);
    let (lo, hi) = if key.is_empty() {
        (from, last)
    } else {
        let start = NaiveDate::parse_from_str(&format!("{key}-01"), "%Y-%m-%d").ok()?;
        let end = crate::calendar::add_months(start, 1).pred_opt()?;
        (start.max(from), end.min(last))
    };
    Some(((hi - lo).num_days() + 1).max(0) as f64)
}

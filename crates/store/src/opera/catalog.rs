//! What the import checks codes against: the initiatives and code lists as stored, the
//! follow-up rules, and the date CPR birth dates must not pass.

use crate::{Store, StoreError};
use chrono::{Datelike, NaiveDate};
use sikkerby_domain::calendar::add_months;
use sikkerby_domain::codes::{Anchor, CodeLists};
use sikkerby_domain::portfolio::DataSource;
use std::collections::{HashMap, HashSet};

/// Months after the anchor when no follow-up rule names the anchor (docs/domain.md §4).
const DEFAULT_MONTHS: u32 = 3;

/// The reference data one import checks its rows against, read once before it starts.
pub(crate) struct Catalog {
    /// Initiative code → whether its data source is OPERA (the `*` follow-up rules apply).
    initiatives: HashMap<String, bool>,
    offer_types: HashSet<String>,
    end_reasons: HashSet<String>,
    statuses: HashSet<String>,
    lists: CodeLists,
    /// The months of every follow-up, when all rules (and the default) agree on them.
    uniform_months: Option<u32>,
    pub today: NaiveDate,
}

impl Catalog {
    pub async fn load(store: &Store) -> Result<Self, StoreError> {
        let portfolio = store.portfolio().await?;
        let lists = store.code_lists().await?;
        let codes = |list: &[sikkerby_domain::codes::Code]| {
            list.iter().map(|c| c.code.clone()).collect::<HashSet<_>>()
        };
        Ok(Self {
            initiatives: portfolio
                .initiatives
                .iter()
                .map(|i| (i.code.to_string(), i.data_source == DataSource::Opera))
                .collect(),
            offer_types: codes(&lists.offer_type),
            end_reasons: codes(&lists.end_reason),
            statuses: codes(&lists.follow_up_status),
            uniform_months: lists
                .follow_up_rule
                .iter()
                .all(|r| r.months == DEFAULT_MONTHS)
                .then_some(DEFAULT_MONTHS),
            lists,
            today: chrono::Local::now().date_naive(),
        })
    }

    pub fn is_initiative(&self, code: &str) -> bool {
        self.initiatives.contains_key(code)
    }

    pub fn is_offer_type(&self, code: &str) -> bool {
        self.offer_types.contains(code)
    }

    pub fn is_end_reason(&self, code: &str) -> bool {
        self.end_reasons.contains(code)
    }

    pub fn is_status(&self, code: &str) -> bool {
        self.statuses.contains(code)
    }

    /// The months after its anchor date a follow-up may fall due. With an initiative, the rules
    /// for that initiative and anchor (`*` rules too when it is an OPERA initiative); a release
    /// belongs to no initiative, so every rule for releases counts. Without a rule: 3 months.
    pub fn due_months(&self, anchor: Anchor, initiative: Option<&str>) -> Vec<u32> {
        let mut months: Vec<u32> = match initiative {
            Some(code) => {
                let opera = self.initiatives.get(code).copied().unwrap_or(false);
                self.lists.rules_for(code, opera).filter(|r| r.anchor == anchor).map(|r| r.months).collect()
            }
            None => {
                self.lists.follow_up_rule.iter().filter(|r| r.anchor == anchor).map(|r| r.months).collect()
            }
        };
        if months.is_empty() {
            months.push(DEFAULT_MONTHS);
        }
        months.sort_unstable();
        months.dedup();
        months
    }

    /// The due dates a follow-up anchored on `date` may have.
    pub fn due_dates(
        &self,
        anchor: Anchor,
        initiative: Option<&str>,
        date: NaiveDate,
    ) -> Vec<(u32, NaiveDate)> {
        self.due_months(anchor, initiative)
            .into_iter()
            .map(|m| (m, add_months(date, i32::try_from(m).unwrap_or(i32::MAX))))
            .collect()
    }
}

impl Catalog {
    /// The anchor dates from which a follow-up due on `due` is on time, `(first, last)`, when
    /// every follow-up has the same months (else `None`: it depends on the initiative). Lets SQL
    /// pass over the follow-ups that are right, so that only the others are read back; the
    /// days are consecutive (more than one only when `due` is the last day of its month).
    pub fn anchor_range(&self, due: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        let months = i32::try_from(self.uniform_months?).ok()?;
        let first = add_months(due, -months).with_day(1)?;
        let on_time: Vec<NaiveDate> = first
            .iter_days()
            .take_while(|d| d.month() == first.month())
            .filter(|d| add_months(*d, months) == due)
            .collect();
        Some((*on_time.first()?, *on_time.last()?))
    }
}

//! Formatting of domain values for the pages: age bands in years and months, budget cells.
//! Pure functions of a value and a language, so they are tested without HTTP.

use crate::i18n::Lang;
use rust_decimal::Decimal;
use sikkerby_domain::budget::BudgetCell;
use sikkerby_domain::portfolio::TargetGroup;

/// An age in months as the memo writes it in years: `17½`, `18`, or `13,25` where neither fits.
fn years(months: u32, lang: Lang) -> String {
    let (whole, rest) = (months / 12, months % 12);
    match rest {
        0 => whole.to_string(),
        6 => format!("{whole}½"),
        _ => lang.decimal((Decimal::from(months) / Decimal::from(12)).round_dp(2)),
    }
}

/// A target group's age band: `17½–24 år (210–299 mdr.)`. The upper bound is exclusive in the
/// data (300 = "before the 25th birthday"), so the page shows the last month included and the
/// age in whole years during that month. `None` when the memo gives no age band.
pub fn age_band(group: &TargetGroup, lang: Lang) -> Option<String> {
    let t = lang.texts();
    let band = match (group.min_age_months, group.max_age_months) {
        (Some(min), Some(max)) if max > min => {
            let last = max - 1;
            format!("{}–{} {} ({min}–{last} {})", years(min, lang), last / 12, t.years, t.months)
        }
        (Some(min), None) => {
            format!("{} {} {} ({min} {})", t.age_from, years(min, lang), t.years, t.months)
        }
        (None, Some(max)) => {
            format!("{} {} {} ({max} {})", t.age_under, years(max, lang), t.years, t.months)
        }
        _ => return None,
    };
    Some(if group.age_band_assumed { format!("{band} [{}]", t.assumed) } else { band })
}

/// One budget cell as a page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellView {
    /// The amount in the reader's decimal notation; empty for the two kinds of non-amount.
    pub text: String,
    /// The explanation shown on hover ("ingen bevilling", "bevilling ophørt"); empty for amounts.
    pub title: &'static str,
    /// The memo's "-": funding has ended.
    pub ended: bool,
    /// The memo's empty cell: no allocation.
    pub empty: bool,
}

impl CellView {
    /// Formats a cell for `lang`.
    pub fn new(cell: BudgetCell, lang: Lang) -> Self {
        let t = lang.texts();
        match cell {
            BudgetCell::Amount(amount) => {
                CellView { text: lang.millions(amount), title: "", ended: false, empty: false }
            }
            BudgetCell::NoAllocation => {
                CellView { text: String::new(), title: t.no_allocation, ended: false, empty: true }
            }
            BudgetCell::FundingEnded => {
                CellView { text: String::new(), title: t.funding_ended, ended: true, empty: false }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(min: Option<u32>, max: Option<u32>) -> TargetGroup {
        TargetGroup {
            description: String::new(),
            min_age_months: min,
            max_age_months: max,
            age_band_assumed: false,
        }
    }

    #[test]
    fn an_age_band_shows_years_with_halves_and_the_months_it_covers() {
        let band = age_band(&group(Some(210), Some(300)), Lang::Da).unwrap();
        assert_eq!(band, "17½–24 år (210–299 mdr.)");
        let band = age_band(&group(Some(216), Some(360)), Lang::En).unwrap();
        assert_eq!(band, "18–29 years (216–359 months)");
    }

    #[test]
    fn a_target_group_without_ages_has_no_age_band() {
        assert_eq!(age_band(&group(None, None), Lang::Da), None);
        assert_eq!(age_band(&group(Some(216), None), Lang::Da).unwrap(), "fra 18 år (216 mdr.)");
    }
}

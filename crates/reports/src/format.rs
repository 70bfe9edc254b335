//! Danish number and date formatting, in one place for every format: a decimal comma and a
//! point between thousands (`1.234,5`), dates as `19.02.2013`, shares as `52,3 %`.
//! The PDF and HTML show exactly these strings; the XLSX stores the numbers themselves.

use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

/// A number with `decimals` decimals, rounded half away from zero: `1.234,5`.
pub fn number(value: f64, decimals: u32) -> String {
    match Decimal::from_f64_retain(value) {
        Some(d) => decimal(d, decimals),
        None => "–".to_owned(),
    }
}

/// A whole count: `1.234`.
pub fn integer(value: u64) -> String {
    group_thousands(&value.to_string())
}

/// An exact decimal with exactly `decimals` decimals: `21,70` for 2.
pub fn decimal(value: Decimal, decimals: u32) -> String {
    let rounded = value.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero);
    let text = format!("{:.*}", decimals as usize, rounded.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let sign = if rounded.is_sign_negative() && !rounded.is_zero() { "−" } else { "" };
    let whole = group_thousands(whole);
    if fraction.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole},{fraction}")
    }
}

/// An exact decimal without trailing zeros, as the memo writes its budget: `0,8`, `21,7`, `1`.
pub fn decimal_short(value: Decimal) -> String {
    let normalized = value.normalize();
    decimal(normalized, normalized.scale())
}

/// A share (a fraction 0–1) as a percentage with one decimal: `52,3 %`.
pub fn percent(share: f64) -> String {
    format!("{} %", number(share * 100.0, 1))
}

/// Whole kroner: `13.821 kr.`
pub fn kroner(amount: Decimal) -> String {
    format!("{} kr.", decimal(amount, 0))
}

/// Millions of kroner from the budget: `1,7 mio. kr.`
pub fn millions(amount: Decimal) -> String {
    format!("{} mio. kr.", decimal_short(amount))
}

/// A date the Danish way: `19.02.2013`.
pub fn date(value: NaiveDate) -> String {
    value.format("%d.%m.%Y").to_string()
}

/// A count or a mean as it is shown: whole numbers without decimals, others with one.
pub fn count_or_mean(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        number(value, 0)
    } else {
        number(value, 1)
    }
}

/// Kroner as a float, for a spreadsheet cell.
pub fn to_f64(amount: Decimal) -> f64 {
    amount.to_f64().unwrap_or(0.0)
}

fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn numbers_use_a_decimal_comma_and_thousands_points() {
        assert_eq!(number(1234.5, 1), "1.234,5");
        assert_eq!(number(1_234_567.0, 0), "1.234.567");
        assert_eq!(number(999.0, 0), "999");
        assert_eq!(number(0.05, 1), "0,1", "half away from zero");
        assert_eq!(number(-1234.25, 1), "−1.234,3");
        assert_eq!(number(-0.01, 1), "0,0", "no negative zero");
        assert_eq!(integer(1000), "1.000");
        assert_eq!(integer(0), "0");
    }

    #[test]
    fn shares_are_percentages_with_one_decimal() {
        assert_eq!(percent(0.5), "50,0 %");
        assert_eq!(percent(37.0 / 60.0), "61,7 %");
        assert_eq!(percent(1.0), "100,0 %");
    }

    #[test]
    fn money_keeps_exact_decimals() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        assert_eq!(decimal_short(d("21.70")), "21,7");
        assert_eq!(decimal_short(d("1")), "1");
        assert_eq!(decimal_short(d("1234.5")), "1.234,5");
        assert_eq!(kroner(d("13821.138")), "13.821 kr.");
        assert_eq!(millions(d("0.8")), "0,8 mio. kr.");
        assert_eq!(decimal(d("2.5"), 0), "3");
    }

    #[test]
    fn dates_are_day_month_year_with_points() {
        assert_eq!(date(NaiveDate::from_ymd_opt(2013, 2, 19).unwrap()), "19.02.2013");
        assert_eq!(date(NaiveDate::from_ymd_opt(2013, 12, 1).unwrap()), "01.12.2013");
    }

    #[test]
    fn counts_have_no_decimals_and_means_have_one() {
        assert_eq!(count_or_mean(632.0), "632");
        assert_eq!(count_or_mean(24.75), "24,8");
    }
}

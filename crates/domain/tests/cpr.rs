//! CPR numbers (docs/domain.md §6): parsing, warnings, masking and synthetic numbers.

use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;
use sikkerby_domain::cpr::{modulus_11_check_digit_ok, Cpr, CprError, CprWarning, Sex};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// A fixed "today", so that the tests do not depend on the clock.
fn today() -> NaiveDate {
    d(2013, 6, 1)
}

/// The modulus-11 remainder computed independently of the crate.
fn weighted_remainder(digits: &str) -> u32 {
    let weights = [4, 3, 2, 7, 6, 5, 4, 3, 2, 1];
    let sum: u32 = digits.chars().zip(weights).map(|(c, w)| c.to_digit(10).unwrap() * w).sum();
    sum % 11
}

#[test]
fn a_valid_number_parses_with_birth_date_and_sex_and_no_warnings() {
    let parsed = Cpr::parse_on("0707614285", today()).unwrap();
    assert_eq!(weighted_remainder("0707614285"), 0);
    assert!(parsed.warnings.is_empty());
    assert_eq!(parsed.cpr.birth_date(), d(1961, 7, 7));
    assert_eq!(parsed.cpr.sex(), Sex::Male);
    assert!(parsed.cpr.passes_modulus_11());
    assert!(!parsed.cpr.is_substitute());
    assert_eq!(parsed.cpr.as_digits(), "0707614285");
    assert_eq!(parsed.cpr.formatted(), "070761-4285");
}

#[test]
fn a_number_failing_modulus_11_is_accepted_with_a_warning() {
    assert_ne!(weighted_remainder("0101651234"), 0);
    let parsed = Cpr::parse_on("0101651234", today()).unwrap();
    assert_eq!(parsed.warnings, vec![CprWarning::Modulus11Failed]);
    assert_eq!(parsed.cpr.birth_date(), d(1965, 1, 1));
    assert!(!parsed.cpr.passes_modulus_11());
}

#[test]
fn a_check_digit_of_zero_passes_modulus_11() {
    let parsed = Cpr::parse_on("0101900010", today()).unwrap();
    assert!(parsed.warnings.is_empty());
    assert_eq!(parsed.cpr.birth_date(), d(1990, 1, 1));
    assert_eq!(parsed.cpr.sex(), Sex::Female);
    assert!(modulus_11_check_digit_ok("0101900010"));
}

#[test]
fn thirty_one_february_is_rejected_naming_only_the_masked_number() {
    let error = Cpr::parse_on("3102001234", today()).unwrap_err();
    assert_eq!(error, CprError::NoSuchDate { masked: "310200-xxxx".to_owned() });
    assert!(!error.to_string().contains("1234"));
}

#[test]
fn a_substitute_number_is_flagged_and_its_day_is_less_sixty() {
    let digits = "6707901234";
    let parsed = Cpr::parse_on(digits, today()).unwrap();
    assert!(parsed.cpr.is_substitute());
    assert_eq!(parsed.cpr.birth_date(), d(1990, 7, 7));
    // 6·4+7·3+0·2+7·7+9·6+0·5+1·4+2·3+3·2+4·1 = 168 = 15·11 + 3: it also fails modulus 11.
    assert_eq!(weighted_remainder(digits), 3);
    assert_eq!(parsed.warnings, vec![CprWarning::Modulus11Failed, CprWarning::SubstituteNumber]);
}

#[test]
fn a_hyphen_after_the_sixth_digit_and_surrounding_spaces_are_accepted() {
    let plain = Cpr::parse_on("0707614285", today()).unwrap().cpr;
    assert_eq!(Cpr::parse_on("070761-4285", today()).unwrap().cpr, plain);
    assert_eq!(Cpr::parse_on("  070761-4285 ", today()).unwrap().cpr, plain);
}

#[test]
fn malformed_numbers_are_rejected_with_the_reason() {
    assert_eq!(Cpr::parse_on("07076-14285", today()), Err(CprError::NotDigits));
    assert_eq!(Cpr::parse_on("070761-428a", today()), Err(CprError::NotDigits));
    assert_eq!(Cpr::parse_on("070761 4285", today()), Err(CprError::NotDigits));
    assert_eq!(Cpr::parse_on("070761428", today()), Err(CprError::WrongLength(9)));
    assert_eq!(Cpr::parse_on("07076142851", today()), Err(CprError::WrongLength(11)));
    assert_eq!(Cpr::parse_on("", today()), Err(CprError::WrongLength(0)));
    assert_eq!(
        Cpr::parse_on("0013614285", today()),
        Err(CprError::NoSuchDate { masked: "001361-xxxx".to_owned() })
    );
    assert!(matches!(Cpr::parse_on("4507614285", today()), Err(CprError::NoSuchDate { .. })));
}

#[test]
fn a_birth_date_after_today_is_rejected() {
    // Digit 7 = 4 and YY = 13 ≤ 36: born 2 June 2013, the day after "today".
    let error = Cpr::parse_on("0206134001", today()).unwrap_err();
    assert_eq!(error, CprError::InFuture { masked: "020613-xxxx".to_owned() });
    assert!(Cpr::parse_on("0106134001", today()).is_ok());
}

#[test]
fn the_century_follows_digit_seven_and_the_year() {
    let born = |digits: &str| Cpr::parse_on(digits, d(2060, 1, 1)).unwrap().cpr.birth_date().year();
    assert_eq!(born("0101363000"), 1936);
    assert_eq!(born("0101364000"), 2036);
    assert_eq!(born("0101374000"), 1937);
    assert_eq!(born("0101369000"), 2036);
    assert_eq!(born("0101379000"), 1937);
    assert_eq!(born("0101575000"), 2057);
    assert_eq!(born("0101588000"), 1858);
    assert_eq!(born("0101990000"), 1999);
}

#[test]
fn the_masked_form_hides_the_sequence_number() {
    let cpr = Cpr::parse_on("0707614285", today()).unwrap().cpr;
    assert_eq!(cpr.masked(), "070761-xxxx");
    assert_eq!(cpr.to_string(), "070761-xxxx");
}

#[test]
fn debug_output_never_contains_the_full_number() {
    let parsed = Cpr::parse_on("0707614285", today()).unwrap();
    for text in [format!("{:?}", parsed.cpr), format!("{parsed:?}"), format!("{:#?}", parsed)] {
        assert!(!text.contains("4285"), "{text}");
        assert!(text.contains("070761-xxxx"), "{text}");
    }
}

#[test]
fn serde_writes_the_ten_digits_and_reads_them_back() {
    let cpr = Cpr::parse_on("0707614285", today()).unwrap().cpr;
    let json = serde_json::to_string(&cpr).unwrap();
    assert_eq!(json, "\"0707614285\"");
    assert_eq!(serde_json::from_str::<Cpr>(&json).unwrap(), cpr);
    let error = serde_json::from_str::<Cpr>("\"3102001234\"").unwrap_err();
    assert!(!error.to_string().contains("1234"));
}

#[test]
fn modulus_11_check_rejects_anything_but_ten_digits() {
    assert!(modulus_11_check_digit_ok("0707614285"));
    assert!(!modulus_11_check_digit_ok("0707614284"));
    assert!(!modulus_11_check_digit_ok("070761-4285"));
    assert!(!modulus_11_check_digit_ok("070761428"));
}

#[test]
fn synthesize_gives_none_outside_the_centuries_the_cpr_can_express() {
    assert_eq!(Cpr::synthesize(d(1857, 12, 31), 0, Sex::Male), None);
    assert_eq!(Cpr::synthesize(d(2058, 1, 1), 0, Sex::Male), None);
}

#[test]
fn synthesize_finds_a_number_for_both_sexes_within_a_few_sequences() {
    for sex in [Sex::Male, Sex::Female] {
        let found = (0..20).find_map(|seq| Cpr::synthesize(d(1995, 3, 14), seq, sex));
        let cpr = found.expect("some sequence works");
        assert_eq!(cpr.sex(), sex);
        assert_eq!(weighted_remainder(&cpr.as_digits()), 0);
    }
}

fn birth_dates() -> impl Strategy<Value = NaiveDate> {
    (d(1858, 1, 1).num_days_from_ce()..=d(2057, 12, 31).num_days_from_ce())
        .prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).unwrap())
}

fn sexes() -> impl Strategy<Value = Sex> {
    prop_oneof![Just(Sex::Male), Just(Sex::Female)]
}

/// Digit strings shaped like CPR numbers, substitute days included, most of which are valid.
fn cpr_like() -> impl Strategy<Value = String> {
    (1u32..=28, prop_oneof![Just(0u32), Just(60)], 1u32..=12, 0u32..100, 0u32..10_000)
        .prop_map(|(day, offset, month, yy, seq)| format!("{:02}{month:02}{yy:02}{seq:04}", day + offset))
}

proptest! {
    #[test]
    fn synthesized_numbers_parse_back_to_their_birth_date_and_sex(
        birth in birth_dates(), sequence in 0u16..60_000, sex in sexes(),
    ) {
        // About half of all sequences work, so one of the next forty surely does.
        let found = (sequence..sequence + 40).find_map(|seq| Cpr::synthesize(birth, seq, sex));
        prop_assert!(found.is_some());
        let cpr = found.unwrap();
        let parsed = Cpr::parse_on(&cpr.as_digits(), d(2058, 1, 1)).unwrap();
        prop_assert!(parsed.warnings.is_empty());
        prop_assert_eq!(parsed.cpr, cpr);
        prop_assert_eq!(cpr.birth_date(), birth);
        prop_assert_eq!(cpr.sex(), sex);
        prop_assert_eq!(weighted_remainder(&cpr.as_digits()), 0);
    }

    #[test]
    fn parse_never_panics(raw in any::<String>()) {
        let _ = Cpr::parse_on(&raw, today());
    }

    #[test]
    fn errors_never_contain_the_full_number(raw in cpr_like()) {
        if let Err(error) = Cpr::parse_on(&raw, d(1990, 1, 1)) {
            prop_assert!(!error.to_string().contains(&raw), "{}", error);
            let debug = format!("{:?}", error);
            prop_assert!(!debug.contains(&raw), "{}", debug);
        }
    }

    #[test]
    fn formatted_then_parsed_is_the_same_number(raw in cpr_like()) {
        if let Ok(parsed) = Cpr::parse_on(&raw, d(2058, 1, 1)) {
            let again = Cpr::parse_on(&parsed.cpr.formatted(), d(2058, 1, 1)).unwrap();
            prop_assert_eq!(again.cpr, parsed.cpr);
            prop_assert_eq!(again.cpr.as_digits(), raw);
            prop_assert_eq!(again.warnings, parsed.warnings);
        }
    }
}

//! CPR numbers, the Danish personal identification number (docs/domain.md §6).
//!
//! A [`Cpr`] can only be made by parsing (or by [`Cpr::synthesize`] for synthetic data), so one
//! that exists has a birth date that exists and does not lie in the future. A failed modulus-11
//! check and a substitute number (erstatningspersonnummer, day 61–91) are warnings, never
//! rejections. The full number must never reach a log line: `Debug` and `Display` print only the
//! masked form `DDMMYY-xxxx`, and no error carries more than that.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Modulus-11 weights of the ten digits (sum of weight × digit ≡ 0 mod 11).
const WEIGHTS: [u32; 10] = [4, 3, 2, 7, 6, 5, 4, 3, 2, 1];

/// A valid CPR number. Its digits are private: read them with [`Cpr::as_digits`] only where the
/// full number is needed (storage), and show [`Cpr::masked`] everywhere else.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cpr {
    digits: [u8; 10],
    birth: NaiveDate,
}

/// A parsed CPR number with what the user must confirm before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedCpr {
    pub cpr: Cpr,
    pub warnings: Vec<CprWarning>,
}

/// Something unusual about a valid CPR number that the user confirms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum CprWarning {
    /// Valid numbers issued since October 2007 may fail the check.
    #[error("the CPR number fails the modulus-11 check; confirm that it is right")]
    Modulus11Failed,
    /// An erstatningspersonnummer: the day is given as day + 60.
    #[error("the CPR number is a substitute number (erstatningspersonnummer)")]
    SubstituteNumber,
}

/// Why a text is not a CPR number. No variant holds more of the number than its masked form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CprError {
    #[error("a CPR number contains only digits, with an optional hyphen after the sixth (DDMMYY-SSSS)")]
    NotDigits,
    #[error("a CPR number has 10 digits, this one has {0}")]
    WrongLength(usize),
    #[error("CPR number {masked}: its birth date does not exist")]
    NoSuchDate { masked: String },
    #[error("CPR number {masked}: its birth date lies in the future")]
    InFuture { masked: String },
}

/// Sex as recorded in the CPR number: an odd last digit is male.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    Male,
    Female,
}

impl Cpr {
    /// Parses a CPR number as of today's local date; see [`Cpr::parse_on`].
    pub fn parse(raw: &str) -> Result<ParsedCpr, CprError> {
        Self::parse_on(raw, chrono::Local::now().date_naive())
    }

    /// Parses `DDMMYYSSSS` or `DDMMYY-SSSS` (surrounding spaces ignored) whose birth date exists
    /// and is not after `today`.
    pub fn parse_on(raw: &str, today: NaiveDate) -> Result<ParsedCpr, CprError> {
        let digits = split_digits(raw)?;
        let masked = mask(&digits);
        let birth = birth_date_of(&digits).ok_or_else(|| CprError::NoSuchDate { masked: masked.clone() })?;
        if birth > today {
            return Err(CprError::InFuture { masked });
        }
        let cpr = Self { digits, birth };
        let warnings = [
            (!cpr.passes_modulus_11()).then_some(CprWarning::Modulus11Failed),
            cpr.is_substitute().then_some(CprWarning::SubstituteNumber),
        ];
        Ok(ParsedCpr { cpr, warnings: warnings.into_iter().flatten().collect() })
    }

    /// A number for synthetic data: born on `birth`, of `sex`, passing modulus 11. Digits 8–9 are
    /// `sequence % 100`; `sequence / 100` picks one of the century digits valid for the birth year.
    /// `None` when the birth year has no century digit (before 1858, after 2057) or when the control
    /// digit modulus 11 requires is 10 or of the wrong parity for `sex`: try the next sequence.
    pub fn synthesize(birth: NaiveDate, sequence: u16, sex: Sex) -> Option<Cpr> {
        let centuries = century_digits(birth.year());
        let century = *centuries.get(usize::from(sequence / 100) % centuries.len().max(1))?;
        let mut digits = [0u8; 10];
        let yy = birth.year().rem_euclid(100) as u32;
        for (i, value) in [birth.day(), birth.month(), yy].into_iter().enumerate() {
            digits[2 * i] = (value / 10) as u8;
            digits[2 * i + 1] = (value % 10) as u8;
        }
        digits[6] = century;
        digits[7] = (sequence % 100 / 10) as u8;
        digits[8] = (sequence % 10) as u8;
        let control = (11 - weighted_sum(&digits) % 11) % 11;
        let wanted_parity = u32::from(sex == Sex::Male);
        (control < 10 && control % 2 == wanted_parity).then(|| {
            digits[9] = control as u8;
            Self { digits, birth }
        })
    }

    /// The birth date (for a substitute number, with 60 taken off the day).
    pub fn birth_date(&self) -> NaiveDate {
        self.birth
    }

    /// The sex: an odd last digit is male.
    pub fn sex(&self) -> Sex {
        if self.digits[9] % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// Whether this is a substitute number (erstatningspersonnummer, day 61–91).
    pub fn is_substitute(&self) -> bool {
        self.digits[0] * 10 + self.digits[1] > 60
    }

    /// Whether the number passes the modulus-11 check.
    pub fn passes_modulus_11(&self) -> bool {
        modulus_11_holds(&self.digits)
    }

    /// The masked form `DDMMYY-xxxx`, for logs, exports and roles that do not need the number.
    pub fn masked(&self) -> String {
        mask(&self.digits)
    }

    /// The full ten digits, for storage only.
    pub fn as_digits(&self) -> String {
        self.digits.iter().map(|d| char::from(b'0' + d)).collect()
    }

    /// The full number as `DDMMYY-SSSS`, for roles that may see it.
    pub fn formatted(&self) -> String {
        let digits = self.as_digits();
        format!("{}-{}", &digits[..6], &digits[6..])
    }
}

/// Whether ten ASCII digits pass the modulus-11 check; `false` for anything else.
pub fn modulus_11_check_digit_ok(digits: &str) -> bool {
    let values: Option<Vec<u8>> = digits.bytes().map(|b| b.is_ascii_digit().then(|| b - b'0')).collect();
    values
        .and_then(|values| <[u8; 10]>::try_from(values).ok())
        .is_some_and(|values| modulus_11_holds(&values))
}

// `u32::is_multiple_of` needs Rust 1.87; the workspace declares 1.80.
#[allow(clippy::manual_is_multiple_of)]
fn modulus_11_holds(digits: &[u8; 10]) -> bool {
    weighted_sum(digits) % 11 == 0
}

fn weighted_sum(digits: &[u8; 10]) -> u32 {
    digits.iter().zip(WEIGHTS).map(|(&d, w)| u32::from(d) * w).sum()
}

fn mask(digits: &[u8; 10]) -> String {
    let head: String = digits[..6].iter().map(|d| char::from(b'0' + d)).collect();
    format!("{head}-xxxx")
}

/// The ten digit values of `raw`, which is trimmed and may have a hyphen after the sixth digit.
fn split_digits(raw: &str) -> Result<[u8; 10], CprError> {
    let text = raw.trim();
    let compact: Vec<u8> = match text.as_bytes() {
        [head @ .., b'-', t0, t1, t2, t3] if head.len() == 6 => [head, &[*t0, *t1, *t2, *t3]].concat(),
        bytes => bytes.to_vec(),
    };
    if !compact.iter().all(u8::is_ascii_digit) {
        return Err(CprError::NotDigits);
    }
    let digits: Vec<u8> = compact.iter().map(|b| b - b'0').collect();
    digits.try_into().map_err(|d: Vec<u8>| CprError::WrongLength(d.len()))
}

/// The birth date the digits encode, or `None` when it does not exist.
fn birth_date_of(digits: &[u8; 10]) -> Option<NaiveDate> {
    let pair = |i: usize| u32::from(digits[i] * 10 + digits[i + 1]);
    let day = match pair(0) {
        day @ 61..=91 => day - 60,
        day => day,
    };
    let year = century_year(pair(4) as i32, digits[6]);
    NaiveDate::from_ymd_opt(year, pair(2), day)
}

/// The full year from the two-digit year and digit 7 (docs/domain.md §6).
fn century_year(yy: i32, digit7: u8) -> i32 {
    match digit7 {
        0..=3 => 1900 + yy,
        4 | 9 if yy <= 36 => 2000 + yy,
        4 | 9 => 1900 + yy,
        _ if yy <= 57 => 2000 + yy,
        _ => 1800 + yy,
    }
}

/// The digit-7 values that give `year` its century under [`century_year`].
fn century_digits(year: i32) -> &'static [u8] {
    match year {
        1858..=1899 => &[5, 6, 7, 8],
        1900..=1936 => &[0, 1, 2, 3],
        1937..=1999 => &[0, 1, 2, 3, 4, 9],
        2000..=2036 => &[4, 9, 5, 6, 7, 8],
        2037..=2057 => &[5, 6, 7, 8],
        _ => &[],
    }
}

impl fmt::Debug for Cpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl fmt::Display for Cpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

/// Serialised as the ten digits: the form in which the number is stored.
impl Serialize for Cpr {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.as_digits())
    }
}

/// Deserialised by [`Cpr::parse`]; warnings are dropped, as a stored number was confirmed when
/// it was entered.
impl<'de> Deserialize<'de> for Cpr {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Cpr::parse(&raw).map(|parsed| parsed.cpr).map_err(serde::de::Error::custom)
    }
}

//! A delivery of external indicators as a file (docs/formats.md, "External indicators"): one line
//! per indicator, columns `indikator;tal;basisaar_tal;retning`, in the case extract's CSV dialect
//! (byte-order mark, `;` or `,`, RFC 4180 quoting). A file with any bad line is refused whole:
//! every bad line is reported with its line, column and problem, as the imports report rows.

use crate::opera::line_endings::LfReader;
use crate::opera::read::{delimiter_of, without_bom};
use crate::tryghed::rows::{parse_decimal as decimal_shape, quoted};
use rust_decimal::Decimal;
use sikkerby_domain::access::mask_cpr_like;
use sikkerby_domain::budget::parse_decimal;
use sikkerby_domain::indicators::Direction;
use std::collections::HashMap;
use std::fmt;

/// The columns of a delivery file, all required, in any order.
pub const DELIVERY_COLUMNS: [&str; 4] = ["indikator", "tal", "basisaar_tal", "retning"];

/// More lines than any administration's list of indicators: most likely the wrong file.
const MAX_ROWS: usize = 200;

/// The longest indicator name.
const MAX_NAME: usize = 100;

/// One accepted line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryRow {
    pub line: u64,
    pub indicator: String,
    pub number: Decimal,
    pub baseline: Decimal,
    pub direction: Direction,
}

/// What is wrong with a line. The pages say it in the reader's language; `Display` is English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryProblem {
    /// No header, or no line after it.
    Empty,
    TooManyRows {
        max: usize,
    },
    UnknownColumn,
    ColumnTwice,
    MissingColumn,
    /// Not UTF-8, or not readable as CSV.
    Unreadable,
    Width {
        found: usize,
        expected: usize,
    },
    Required,
    TooLong {
        max: usize,
    },
    NotANumber {
        value: String,
    },
    Direction {
        value: String,
    },
    /// The indicator is on an earlier line too.
    Repeated {
        line: u64,
    },
}

impl fmt::Display for DeliveryProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeliveryProblem::Empty => write!(f, "the file has no indicator lines"),
            DeliveryProblem::TooManyRows { max } => write!(f, "more than {max} indicator lines"),
            DeliveryProblem::UnknownColumn => {
                write!(f, "unknown column; the columns are {}", DELIVERY_COLUMNS.join(", "))
            }
            DeliveryProblem::ColumnTwice => write!(f, "the column appears twice"),
            DeliveryProblem::MissingColumn => write!(f, "the column is missing"),
            DeliveryProblem::Unreadable => write!(f, "the line cannot be read (not UTF-8 or not CSV)"),
            DeliveryProblem::Width { found, expected } => {
                write!(f, "the line has {found} fields, the header {expected}")
            }
            DeliveryProblem::Required => write!(f, "required"),
            DeliveryProblem::TooLong { max } => write!(f, "longer than {max} characters"),
            DeliveryProblem::NotANumber { value } => {
                write!(f, "{value} is not a number ≥ 0 (like 12 or 12,5)")
            }
            DeliveryProblem::Direction { value } => write!(f, "{value} is neither op nor ned"),
            DeliveryProblem::Repeated { line } => write!(f, "the indicator is on line {line} too"),
        }
    }
}

/// A refused line: `line 3: column tal: "tolv" is not a number`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryError {
    /// The header is line 1.
    pub line: u64,
    /// The column as named in the header (or in [`DELIVERY_COLUMNS`]), when one is at fault.
    pub column: Option<String>,
    pub problem: DeliveryProblem,
}

impl fmt::Display for DeliveryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(column) => write!(f, "line {}: column {column}: {}", self.line, self.problem),
            None => write!(f, "line {}: {}", self.line, self.problem),
        }
    }
}

fn error(line: u64, column: Option<&str>, problem: DeliveryProblem) -> DeliveryError {
    DeliveryError { line, column: column.map(str::to_owned), problem }
}

/// A value as a reason may quote it: cut short, CPR-like numbers masked.
fn shown(value: &str) -> String {
    mask_cpr_like(&quoted(value))
}

/// Reads a delivery file: every line, or every problem.
pub fn parse_delivery(bytes: &[u8]) -> Result<Vec<DeliveryRow>, Vec<DeliveryError>> {
    let bytes = without_bom(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter_of(bytes))
        .has_headers(false)
        .flexible(true)
        .from_reader(LfReader::new(bytes));
    let mut records = reader.byte_records();
    let header = match records.next() {
        None => return Err(vec![error(1, None, DeliveryProblem::Empty)]),
        Some(Err(_)) => return Err(vec![error(1, None, DeliveryProblem::Unreadable)]),
        Some(Ok(header)) => header,
    };
    let positions = header_positions(&header)?;
    let (mut rows, mut errors) = (Vec::new(), Vec::new());
    let mut first_line: HashMap<String, u64> = HashMap::new();
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                errors.push(error(line, None, DeliveryProblem::Unreadable));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        match row(&record, line, &positions, header.len()) {
            Ok(row) => match first_line.get(&row.indicator.to_lowercase()) {
                Some(&first) => {
                    errors.push(error(line, Some("indikator"), DeliveryProblem::Repeated { line: first }))
                }
                None => {
                    first_line.insert(row.indicator.to_lowercase(), line);
                    rows.push(row);
                }
            },
            Err(mut problems) => errors.append(&mut problems),
        }
    }
    if rows.len() > MAX_ROWS {
        return Err(vec![error(1, None, DeliveryProblem::TooManyRows { max: MAX_ROWS })]);
    }
    if errors.is_empty() && rows.is_empty() {
        errors.push(error(2, None, DeliveryProblem::Empty));
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// A header name as matched: trimmed, any case, `å æ ø` as `aa ae oe` (so `basisår_tal` is
/// `basisaar_tal`).
fn canonical(name: &str) -> String {
    name.trim().to_lowercase().replace('å', "aa").replace('æ', "ae").replace('ø', "oe")
}

/// Where each of [`DELIVERY_COLUMNS`] is in a line, or every header problem.
fn header_positions(header: &csv::ByteRecord) -> Result<[usize; 4], Vec<DeliveryError>> {
    let mut positions = [None; 4];
    let mut errors = Vec::new();
    for (position, raw) in header.iter().enumerate() {
        let raw = String::from_utf8_lossy(raw);
        let raw = raw.trim();
        match DELIVERY_COLUMNS.iter().position(|c| *c == canonical(raw)) {
            None => {
                let name: String = raw.chars().take(60).collect();
                errors.push(error(1, Some(&mask_cpr_like(&name)), DeliveryProblem::UnknownColumn))
            }
            Some(index) if positions[index].is_some() => {
                errors.push(error(1, Some(raw), DeliveryProblem::ColumnTwice))
            }
            Some(index) => positions[index] = Some(position),
        }
    }
    for (column, position) in DELIVERY_COLUMNS.iter().zip(&positions) {
        if position.is_none() {
            errors.push(error(1, Some(column), DeliveryProblem::MissingColumn));
        }
    }
    match positions {
        [Some(a), Some(b), Some(c), Some(d)] if errors.is_empty() => Ok([a, b, c, d]),
        _ => Err(errors),
    }
}

/// One line's values, or its problems (all of them, not only the first).
fn row(
    record: &csv::ByteRecord,
    line: u64,
    positions: &[usize; 4],
    width: usize,
) -> Result<DeliveryRow, Vec<DeliveryError>> {
    if record.len() != width {
        let problem = DeliveryProblem::Width { found: record.len(), expected: width };
        return Err(vec![error(line, None, problem)]);
    }
    let fields: Result<Vec<&str>, _> = record.iter().map(std::str::from_utf8).collect();
    let Ok(fields) = fields else { return Err(vec![error(line, None, DeliveryProblem::Unreadable)]) };
    let value = |column: usize| fields[positions[column]].trim();
    let mut errors = Vec::new();
    let mut fail = |column: usize, problem| errors.push(error(line, Some(DELIVERY_COLUMNS[column]), problem));
    let indicator = value(0);
    if indicator.is_empty() {
        fail(0, DeliveryProblem::Required);
    } else if indicator.chars().count() > MAX_NAME {
        fail(0, DeliveryProblem::TooLong { max: MAX_NAME });
    }
    let mut number = |column: usize| match value(column) {
        "" => {
            fail(column, DeliveryProblem::Required);
            None
        }
        text => {
            let parsed = decimal_shape(text).and_then(|_| parse_decimal(text));
            if parsed.is_none() {
                fail(column, DeliveryProblem::NotANumber { value: shown(text) });
            }
            parsed
        }
    };
    let (number, baseline) = (number(1), number(2));
    let direction = match value(3).to_lowercase().as_str() {
        "op" => Some(Direction::Up),
        "ned" => Some(Direction::Down),
        other => {
            let problem = match other {
                "" => DeliveryProblem::Required,
                _ => DeliveryProblem::Direction { value: shown(value(3)) },
            };
            fail(3, problem);
            None
        }
    };
    match (number, baseline, direction) {
        (Some(number), Some(baseline), Some(direction)) if errors.is_empty() => {
            Ok(DeliveryRow { line, indicator: indicator.to_owned(), number, baseline, direction })
        }
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_good_file_gives_every_line_in_either_dialect() {
        let text =
            "\u{feff}Indikator;tal;basisår_tal;retning\r\nAnholdelser;41;57;ned\r\nFremmøde;92,5;88;op\r\n";
        let rows = parse_delivery(text.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (rows[1].line, rows[1].number, rows[1].direction),
            (3, "92.5".parse().unwrap(), Direction::Up)
        );
        let comma = parse_delivery(b"indikator,tal,basisaar_tal,retning\nDomme,3,5,NED\n").unwrap();
        assert_eq!(comma[0].direction, Direction::Down);
    }

    #[test]
    fn every_bad_line_is_named_with_its_column_and_problem() {
        let text = "indikator;tal;basisaar_tal;retning\nAnholdelser;41;57;ned\n;tolv;-3;sidelæns\nAnholdelser;1;2;op\n";
        let errors = parse_delivery(text.as_bytes()).unwrap_err();
        let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "line 3: column indikator: required",
                "line 3: column tal: \"tolv\" is not a number ≥ 0 (like 12 or 12,5)",
                "line 3: column basisaar_tal: \"-3\" is not a number ≥ 0 (like 12 or 12,5)",
                "line 3: column retning: \"sidelæns\" is neither op nor ned",
                "line 4: column indikator: the indicator is on line 2 too",
            ]
        );
    }

    #[test]
    fn a_bad_header_or_an_empty_file_is_refused_on_line_one_or_two() {
        let errors = parse_delivery(b"indikator;tal;basis;retning\n").unwrap_err();
        assert_eq!(errors[0].column.as_deref(), Some("basis"));
        assert_eq!(errors[0].problem, DeliveryProblem::UnknownColumn);
        assert_eq!(errors[1].problem, DeliveryProblem::MissingColumn);
        let empty = parse_delivery(b"indikator;tal;basisaar_tal;retning\n").unwrap_err();
        assert_eq!((empty[0].line, &empty[0].problem), (2, &DeliveryProblem::Empty));
        let short = parse_delivery(b"indikator;tal;basisaar_tal;retning\nDomme;3\n").unwrap_err();
        assert_eq!(short[0].problem, DeliveryProblem::Width { found: 2, expected: 4 });
    }
}

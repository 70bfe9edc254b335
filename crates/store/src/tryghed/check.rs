//! The checks between rows: a key that appears on more than one line of a file rejects every
//! such line (which one would be meant is anyone's guess); a reference to an area that is
//! neither in the folder's `omraader.csv` nor in the database rejects the row. Areas are
//! checked first, so a rejected area row takes the rows that need it along.

use super::files::TryghedFile;
use super::read::RawFile;
use super::report::TryghedRowError;
use super::rows::{self, quoted, Row};
use std::collections::{BTreeMap, HashMap, HashSet};

/// What the database already holds that the checks need.
pub(crate) struct Known {
    pub districts: HashSet<String>,
    pub areas: HashSet<String>,
    /// (area, year) pairs with a population row.
    pub area_years: HashSet<(String, i32)>,
}

/// The rows of one file after all checks.
pub(crate) struct CheckedFile {
    pub file: TryghedFile,
    pub read: u64,
    /// Accepted rows in file order.
    pub rows: Vec<Row>,
    /// The header as read, and each rejected record as read with its reasons joined: what a
    /// partial import writes to the afviste file.
    pub header: csv::ByteRecord,
    pub rejected: Vec<(csv::ByteRecord, String)>,
}

/// Everything the checks found.
pub(crate) struct Checked {
    pub files: Vec<CheckedFile>,
    pub errors: Vec<TryghedRowError>,
    pub warnings: Vec<String>,
}

struct Line {
    line: u64,
    row: Option<Row>,
    reasons: rows::Reasons,
}

/// Checks every file of the folder (in [`TryghedFile::ALL`] order, as `raw` is).
pub(crate) fn check_all(raw: &[RawFile], known: &Known) -> Checked {
    let mut areas: HashSet<String> = known.areas.clone();
    let mut area_years = known.area_years.clone();
    let mut out = Checked { files: Vec::new(), errors: Vec::new(), warnings: Vec::new() };
    for file in raw {
        let mut lines = own_checks(file, &known.districts);
        reject_duplicates(file.file, &mut lines);
        if file.file == TryghedFile::Omraader {
            for row in lines.iter().filter_map(|l| l.row.as_ref()) {
                if let Row::Area(a) = row {
                    areas.insert(a.area.clone());
                    area_years.insert((a.area.clone(), a.year));
                }
            }
        } else {
            reject_unknown_areas(&mut lines, &areas);
            out.warnings.extend(without_population(file.file, &lines, &area_years));
        }
        out.files.push(finish(file, lines, &mut out.errors));
    }
    out
}

fn own_checks(file: &RawFile, districts: &HashSet<String>) -> Vec<Line> {
    file.records
        .iter()
        .map(|record| match &record.fields {
            Ok(fields) => match rows::check(file, fields, districts) {
                Ok(row) => Line { line: record.line, row: Some(row), reasons: Vec::new() },
                Err(reasons) => Line { line: record.line, row: None, reasons },
            },
            Err(reason) => Line { line: record.line, row: None, reasons: vec![(None, reason.clone())] },
        })
        .collect()
}

fn reject_duplicates(file: TryghedFile, lines: &mut [Line]) {
    let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, line) in lines.iter().enumerate() {
        if let Some(row) = &line.row {
            by_key.entry(row.key()).or_default().push(i);
        }
    }
    let key_names = file.key_columns().join(", ");
    for indices in by_key.values().filter(|v| v.len() > 1) {
        for &i in indices {
            let others: Vec<String> =
                indices.iter().filter(|&&j| j != i).map(|&j| lines[j].line.to_string()).collect();
            let reason = format!("the same {key_names} is on line {} too", others.join(", "));
            lines[i].row = None;
            lines[i].reasons.push((None, reason));
        }
    }
}

fn reject_unknown_areas(lines: &mut [Line], areas: &HashSet<String>) {
    for line in lines.iter_mut() {
        let Some(area) = line.row.as_ref().map(|r| r.area().to_owned()) else { continue };
        if !areas.contains(&area) {
            line.row = None;
            let reason = format!("area {} is neither in omraader.csv nor known", quoted(&area));
            line.reasons.push((Some("omraade_id".into()), reason));
        }
    }
}

/// Warnings for reports and answers whose area has no population row that year: the index
/// leaves them out until `omraader.csv` brings one. One warning per area and year.
fn without_population(file: TryghedFile, lines: &[Line], area_years: &HashSet<(String, i32)>) -> Vec<String> {
    let mut missing: BTreeMap<(String, i32), u64> = BTreeMap::new();
    for row in lines.iter().filter_map(|l| l.row.as_ref()) {
        let key = match row {
            Row::Report(r) => (r.area.clone(), r.year),
            Row::Survey(r) => (r.area.clone(), r.year),
            _ => continue,
        };
        if !area_years.contains(&key) {
            *missing.entry(key).or_default() += 1;
        }
    }
    missing
        .into_iter()
        .map(|((area, year), rows)| {
            format!("{file}: {rows} rows for area {area} in {year}, which has no population; left out of the index")
        })
        .collect()
}

fn finish(file: &RawFile, lines: Vec<Line>, errors: &mut Vec<TryghedRowError>) -> CheckedFile {
    let mut checked = CheckedFile {
        file: file.file,
        read: lines.len() as u64,
        rows: Vec::new(),
        header: file.header.clone(),
        rejected: Vec::new(),
    };
    // `lines` runs parallel to the file's records (one line per record, in order).
    for (line, record) in lines.into_iter().zip(&file.records) {
        if let Some(row) = line.row.filter(|_| line.reasons.is_empty()) {
            checked.rows.push(row);
            continue;
        }
        let joined: Vec<String> = line
            .reasons
            .iter()
            .map(|(column, reason)| match column {
                Some(c) => format!("column {c}: {reason}"),
                None => reason.clone(),
            })
            .collect();
        checked.rejected.push((record.raw.clone(), joined.join("; ")));
        for (column, reason) in line.reasons {
            errors.push(TryghedRowError { file: file.file, line: line.line, column, reason });
        }
    }
    checked
}

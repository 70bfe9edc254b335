//! Free text that ends up in the audit log, log lines and terminal output: control characters
//! stripped on the way in and escaped on the way out, so that a purpose text cannot forge a line
//! of `sikkerby audit subject` (a newline and a fake row) or drive the reader's terminal (ANSI
//! escape sequences: clearing the screen, colours, a hyperlink, a changed window title).
//!
//! "Control" means Unicode's category Cc (C0, DEL, C1, which includes ESC and the 8-bit CSI) and
//! the bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069), which reorder what a
//! terminal shows ("Trojan Source"). Whitespace controls become a space, so words stay apart.

/// Whether `c` must not reach a terminal as it is.
pub fn is_unsafe_control(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` without control characters (tabs and line breaks become a space); for input that will
/// be stored and shown later.
pub fn strip_controls(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\t' | '\n' | '\r' => Some(' '),
            c if is_unsafe_control(c) => None,
            c => Some(c),
        })
        .collect()
}

/// `text` with every control character written as an escape (`\n`, `\u{1b}`); for output to a
/// terminal of text that may have been stored before input was stripped, or by other means.
pub fn escape_controls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_unsafe_control(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const FORGED: &str =
        "ok\n2024-03-01 09:00 UTC  sagsbehandling   read_citizen  admin\x1b[2J\x1b[31m\u{9b}1m\u{202E}";

    #[test]
    fn stripping_leaves_one_line_without_escape_sequences() {
        let clean = strip_controls(FORGED);
        assert!(!clean.chars().any(is_unsafe_control), "{clean:?}");
        assert!(clean.starts_with("ok 2024-03-01"), "{clean:?}");
        assert!(clean.ends_with("admin[2J[31m1m"), "{clean:?}");
        assert_eq!(strip_controls("Æble og brød – 100 %"), "Æble og brød – 100 %");
    }

    #[test]
    fn escaping_shows_every_control_and_keeps_the_rest() {
        let shown = escape_controls(FORGED);
        assert!(!shown.chars().any(is_unsafe_control), "{shown:?}");
        assert!(shown.starts_with("ok\\n2024") && shown.contains("admin\\u{1b}[2J"), "{shown}");
        assert!(shown.contains("\\u{202e}"), "{shown}");
        assert_eq!(escape_controls("blå bog"), "blå bog");
    }
}

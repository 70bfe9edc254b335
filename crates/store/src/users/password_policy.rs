//! What a new password must be (NIST SP 800-63B §5.1.1.2): 12 to 256 characters, of any kind
//! (no composition rules), not the username or built on it, and not guessable from the lists of
//! common and breached passwords, words, names and keyboard patterns that the `zxcvbn` crate
//! ships (Dropbox's estimator; its password list comes from published breach corpora). A
//! password is refused when zxcvbn estimates fewer than 10^8 guesses (its score 3, "safely
//! unguessable" against online attacks and slowed offline ones), with zxcvbn's own warning as
//! the reason where it has one.

use super::SecurityError;

/// Shortest password accepted, in characters.
pub const MIN_PASSWORD_LENGTH: usize = 12;
/// Longest password accepted, in characters (hashing is deliberately slow).
pub const MAX_PASSWORD_LENGTH: usize = 256;
/// The lowest zxcvbn score accepted (0–4).
const MIN_SCORE: zxcvbn::Score = zxcvbn::Score::Three;

fn refuse(reason: impl Into<String>) -> SecurityError {
    SecurityError::Invalid { field: "password", reason: reason.into() }
}

/// Checks a new password of the user `username` (also known as `display_name`).
pub(crate) fn validate_password(
    password: &str,
    username: &str,
    display_name: &str,
) -> Result<(), SecurityError> {
    let length = password.chars().count();
    if !(MIN_PASSWORD_LENGTH..=MAX_PASSWORD_LENGTH).contains(&length) {
        return Err(refuse(format!("must be {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters")));
    }
    let lower = password.to_lowercase();
    let username = username.trim().to_lowercase();
    if !username.is_empty() && lower.contains(&username) {
        return Err(refuse("must not contain the username"));
    }
    let inputs = personal_words(&username, display_name);
    let inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    let estimate = zxcvbn::zxcvbn(password, &inputs);
    if estimate.score() < MIN_SCORE {
        let why = estimate.feedback().and_then(|f| f.warning()).map(|w| w.to_string());
        let why = why.unwrap_or_else(|| "It is built from common words, names or patterns.".into());
        return Err(refuse(format!(
            "is too easy to guess: {} Use a longer phrase of unrelated words.",
            why.trim_end()
        )));
    }
    Ok(())
}

/// What an attacker who knows the user would try: the username and the name, whole, run together
/// and word by word (zxcvbn matches each input as one dictionary word).
fn personal_words(username: &str, display_name: &str) -> Vec<String> {
    let name = display_name.trim().to_lowercase();
    let mut words = vec![username.to_owned(), name.replace(' ', ""), name.clone()];
    let parts = username.split(['.', '_', '-']).chain(name.split_whitespace());
    words.extend(parts.filter(|w| w.chars().count() >= 3).map(str::to_owned));
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(password: &str) -> String {
        match validate_password(password, "anna.berg", "Anna Berg") {
            Err(SecurityError::Invalid { field: "password", reason }) => reason,
            other => panic!("{password:?} was not refused: {other:?}"),
        }
    }

    #[test]
    fn common_repeated_and_patterned_passwords_are_refused_with_a_reason() {
        assert!(reason("aaaaaaaaaaaa").contains("Repeats"), "{}", reason("aaaaaaaaaaaa"));
        assert!(reason("password1234").contains("common"), "{}", reason("password1234"));
        for weak in ["qwertyuiop12", "123456789012", "iloveyou2024", "Password1234"] {
            assert!(reason(weak).starts_with("is too easy to guess"), "{weak}");
        }
    }

    #[test]
    fn the_username_and_the_name_are_refused_inside_a_password() {
        assert_eq!(reason("ANNA.BERG-hest-batteri"), "must not contain the username");
        assert!(reason("annaberg2024!").starts_with("is too easy to guess"));
    }

    #[test]
    fn the_length_limits_stand_and_long_random_passwords_pass() {
        assert!(reason("elleve-tegn").contains("12 to 256"));
        assert!(reason(&"x".repeat(257)).contains("12 to 256"));
        for good in ["korrekt-hest-batteri-42", "Forkert-Men-Hemmelig-1", "tL9#qv2!Rm7&xw"] {
            assert!(validate_password(good, "anna.berg", "Anna Berg").is_ok(), "{good}");
        }
    }
}

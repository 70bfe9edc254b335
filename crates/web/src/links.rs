//! Links that keep the reader's place: the same page in the other language and the sign-in that
//! returns to a deep link keep the page's query (year, breakdown, as-of date, filters), so a
//! language switch or a sign-in never drops what the reader chose (docs/screens.md, "State").

/// Query parameters that may hold what identifies a person (a search for a name or a CPR
/// number): never carried into a sign-in address, which a browser keeps in its history.
pub const PERSONAL_PARAMETERS: [&str; 3] = ["q", "cpr", "navn"];

/// `path` with the pairs of `query` whose name is not in `drop`, as they were written (still
/// percent-encoded), and `extra` (already encoded) appended.
pub fn with_query(path: &str, query: Option<&str>, drop: &[&str], extra: Option<&str>) -> String {
    let kept = query.unwrap_or_default().split('&').filter(|pair| {
        let name = pair.split('=').next().unwrap_or_default();
        !pair.is_empty() && !drop.contains(&name)
    });
    let pairs: Vec<&str> = kept.chain(extra).collect();
    if pairs.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", pairs.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_switch_keeps_the_page_query_and_replaces_only_the_language() {
        let href =
            with_query("/resultater/C10", Some("year=2013&by=centre&lang=da"), &["lang"], Some("lang=en"));
        assert_eq!(href, "/resultater/C10?year=2013&by=centre&lang=en");
        assert_eq!(with_query("/", None, &["lang"], Some("lang=en")), "/?lang=en");
        assert_eq!(with_query("/maal", Some(""), &["lang"], None), "/maal");
    }

    #[test]
    fn a_search_for_a_person_is_never_carried_along() {
        let next = with_query("/borgere", Some("q=Jensen&side=2"), &PERSONAL_PARAMETERS, None);
        assert_eq!(next, "/borgere?side=2");
        assert_eq!(with_query("/borgere", Some("q=0101901234"), &PERSONAL_PARAMETERS, None), "/borgere");
    }
}

//! "Did you mean" for unknown keys and enum values. The whole key set is
//! searched, comparing the last segment of a dotted key and its section
//! separately so a shared `server.` prefix does not make unrelated keys look
//! alike, while `listen` at the top level still finds `server.listen`.

use super::schema::Schema;

/// Least similarity (Jaro-Winkler, 0 to 1) for a suggestion to be offered.
const THRESHOLD: f64 = 0.8;

/// Weight kept by a leaf match found under another section when the section
/// names themselves are not alike (`database.listen` still finds
/// `server.listen`, but less surely than `server.listn` does).
const OTHER_SECTION_FLOOR: f64 = 0.85;

/// The valid key nearest to the unknown dotted `key`, if any is close.
/// `with_sections` also offers section names (`sever` → `server`), which only
/// makes sense in a file, where a section can be written as a table.
pub(crate) fn nearest(key: &str, schema: &Schema, with_sections: bool) -> Option<String> {
    let mut candidates = schema.leaf_keys();
    if with_sections {
        candidates.extend(schema.section_keys());
    }
    best(
        candidates
            .iter()
            .map(|candidate| (candidate, score(key, candidate))),
    )
}

/// The variant nearest to the unknown `value`, if any is close.
pub(crate) fn nearest_variant(value: &str, variants: &[String]) -> Option<String> {
    let value = value.to_ascii_lowercase();
    best(
        variants
            .iter()
            .map(|variant| (variant, strsim::jaro_winkler(&value, variant))),
    )
}

fn best<'a>(scored: impl Iterator<Item = (&'a String, f64)>) -> Option<String> {
    let mut best: Option<(&String, f64)> = None;
    for (candidate, score) in scored {
        if score >= THRESHOLD && best.is_none_or(|(_, top)| score > top) {
            best = Some((candidate, score));
        }
    }
    best.map(|(candidate, _)| candidate.clone())
}

/// How alike an unknown key and a valid key are, from 0 to 1.
fn score(unknown: &str, candidate: &str) -> f64 {
    let (unknown_section, unknown_leaf) = split_last(unknown);
    let (candidate_section, candidate_leaf) = split_last(candidate);
    let leaf = strsim::jaro_winkler(unknown_leaf, candidate_leaf);
    match (unknown_section, candidate_section) {
        // A bare key: match it against any leaf or section name.
        (None, _) => leaf,
        // A key inside a section never means a bare section name.
        (Some(_), None) => 0.0,
        (Some(a), Some(b)) if a == b => leaf,
        (Some(a), Some(b)) => leaf * strsim::jaro_winkler(a, b).max(OTHER_SECTION_FLOOR),
    }
}

/// `server.listen` → (`Some("server")`, `listen`); `listen` → (`None`, `listen`).
fn split_last(key: &str) -> (Option<&str>, &str) {
    match key.rsplit_once('.') {
        Some((section, leaf)) => (Some(section), leaf),
        None => (None, key),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn suggest(key: &str) -> Option<String> {
        nearest(key, &Schema::new().unwrap(), true)
    }

    #[test]
    fn a_typo_in_the_leaf_finds_the_key() {
        assert_eq!(suggest("server.listn").as_deref(), Some("server.listen"));
        assert_eq!(
            suggest("auth.jwt_secrt").as_deref(),
            Some("auth.jwt_secret")
        );
        assert_eq!(
            suggest("database.max_conections").as_deref(),
            Some("database.max_connections")
        );
    }

    #[test]
    fn a_typo_in_the_section_finds_the_key() {
        assert_eq!(suggest("sever.listen").as_deref(), Some("server.listen"));
        assert_eq!(suggest("databse.url").as_deref(), Some("database.url"));
    }

    #[test]
    fn a_key_outside_its_section_finds_the_whole_key() {
        assert_eq!(suggest("listen").as_deref(), Some("server.listen"));
        assert_eq!(suggest("jwt_secret").as_deref(), Some("auth.jwt_secret"));
        assert_eq!(suggest("database.listen").as_deref(), Some("server.listen"));
    }

    #[test]
    fn a_misspelt_section_finds_the_section_only_when_sections_are_allowed() {
        assert_eq!(suggest("sever").as_deref(), Some("server"));
        let schema = Schema::new().unwrap();
        assert_eq!(nearest("sever", &schema, false), None);
    }

    #[test]
    fn nothing_is_suggested_when_nothing_is_close() {
        assert_eq!(suggest("server.zzz"), None);
        assert_eq!(suggest("colour"), None);
        assert_eq!(suggest("plugins.enabled"), None);
    }

    #[test]
    fn variants_are_suggested_case_insensitively() {
        let variants = ["text".to_owned(), "json".to_owned()];
        assert_eq!(nearest_variant("jsn", &variants).as_deref(), Some("json"));
        assert_eq!(nearest_variant("TXT", &variants).as_deref(), Some("text"));
        assert_eq!(nearest_variant("yaml", &variants), None);
    }
}

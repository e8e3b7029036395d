//! Small helpers for the wording of messages, so every message lists and suggests alike.

/// Returns the closest of `candidates` to `word`, if one is close enough to be a likely typo.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|candidate| (strsim::damerau_levenshtein(word, candidate), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate.to_string())
}

/// Returns the items in backticks, joined as a sentence offers a choice: `` `a`, `b` or `c` ``.
pub fn list(items: impl IntoIterator<Item = String>) -> String {
    join(items, "or")
}

/// Returns the items in backticks, joined as a sentence counts them: `` `a`, `b` and `c` ``.
pub fn list_all(items: impl IntoIterator<Item = String>) -> String {
    join(items, "and")
}

fn join(items: impl IntoIterator<Item = String>, conjunction: &str) -> String {
    let items: Vec<String> = items.into_iter().map(|i| format!("`{i}`")).collect();
    match items.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {conjunction} {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(
            suggest("verison", ["version", "size"]),
            Some("version".into())
        );
        assert_eq!(suggest("colour", ["size", "type"]), None);
    }

    #[test]
    fn lists_read_as_a_sentence() {
        assert_eq!(list(["a".to_string()]), "`a`");
        assert_eq!(list(["a", "b", "c"].map(String::from)), "`a`, `b` or `c`");
        assert_eq!(list_all(["a", "b"].map(String::from)), "`a` and `b`");
    }
}

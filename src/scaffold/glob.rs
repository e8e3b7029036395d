//! Glob patterns for template exclusions: `*` (within a path segment), `**` (any number of
//! segments), `?` and `[…]` (a character class, `[!…]` or `[^…]` negated). A pattern without `/`
//! matches a name at any depth and one starting with `/` only from the root, as in `.gitignore`.

/// Returns whether `path` (with `/` separators) or one of its parent directories matches `pattern`.
pub fn matches(pattern: &str, path: &str) -> bool {
    let pattern = pattern.trim_start_matches("./").trim_end_matches('/');
    let pattern_segments: Vec<&str> = if pattern.contains('/') {
        pattern.trim_start_matches('/').split('/').collect()
    } else {
        vec!["**", pattern]
    };
    let path_segments: Vec<&str> = path.split('/').collect();
    // A match on a directory excludes everything under it.
    (1..=path_segments.len()).any(|n| match_segments(&pattern_segments, &path_segments[..n]))
}

fn match_segments(pattern: &[&str], path: &[&str]) -> bool {
    match (pattern.first(), path.first()) {
        (None, None) => true,
        (Some(&"**"), _) => {
            match_segments(&pattern[1..], path)
                || (!path.is_empty() && match_segments(pattern, &path[1..]))
        }
        (Some(p), Some(s)) => {
            match_name(p.as_bytes(), s.as_bytes()) && match_segments(&pattern[1..], &path[1..])
        }
        _ => false,
    }
}

fn match_name(pattern: &[u8], name: &[u8]) -> bool {
    match (pattern.first(), name.first()) {
        (None, None) => true,
        (Some(b'*'), _) => {
            match_name(&pattern[1..], name) || (!name.is_empty() && match_name(pattern, &name[1..]))
        }
        (Some(b'?'), Some(_)) => match_name(&pattern[1..], &name[1..]),
        (Some(b'['), Some(&n)) => match class(&pattern[1..], n) {
            Some((matched, rest)) => matched && match_name(rest, &name[1..]),
            // An unclosed `[` is a literal character.
            None => n == b'[' && match_name(&pattern[1..], &name[1..]),
        },
        (Some(p), Some(n)) if p == n => match_name(&pattern[1..], &name[1..]),
        _ => false,
    }
}

/// Matches `byte` against the class that starts after a `[`; returns whether it matched and the
/// pattern after the closing `]`, or `None` when the class is not closed.
fn class(pattern: &[u8], byte: u8) -> Option<(bool, &[u8])> {
    let (negated, mut rest) = match pattern.first() {
        Some(b'!' | b'^') => (true, &pattern[1..]),
        _ => (false, pattern),
    };
    let mut matched = false;
    let mut first = true;
    loop {
        match rest {
            [] => return None,
            [b']', tail @ ..] if !first => return Some((matched != negated, tail)),
            [low, b'-', high, tail @ ..] if *high != b']' => {
                matched |= (*low..=*high).contains(&byte);
                rest = tail;
            }
            [c, tail @ ..] => {
                matched |= *c == byte;
                rest = tail;
            }
        }
        first = false;
    }
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn matches_names_anywhere_and_paths_from_the_root() {
        assert!(matches("target", "target/debug/x"));
        assert!(matches("*.pyc", "pkg/mod.pyc"));
        assert!(matches("**/__pycache__", "a/b/__pycache__/x.pyc"));
        assert!(matches("docs/*.md", "docs/a.md"));
        assert!(!matches("docs/*.md", "src/docs/a.md"));
        assert!(!matches("*.md", "README.txt"));
        assert!(matches("file?.txt", "file1.txt"));
        assert!(matches("/docs", "docs/a.md"));
        assert!(!matches("/docs", "src/docs/a.md"));
    }

    #[test]
    fn matches_character_classes() {
        assert!(matches("*.py[co]", "pkg/mod.pyc"));
        assert!(matches("*.py[co]", "mod.pyo"));
        assert!(!matches("*.py[co]", "mod.py"));
        assert!(matches("v[0-9].txt", "v7.txt"));
        assert!(!matches("v[!0-9].txt", "v7.txt"));
        assert!(matches("a[.txt", "a[.txt"));
    }
}

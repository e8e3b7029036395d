//! Glob patterns for template exclusions: `*` (within a path segment), `**` (any number of
//! segments) and `?`. A pattern without `/` matches a name at any depth, as in `.gitignore`.

/// Returns whether `path` (with `/` separators) or one of its parent directories matches `pattern`.
pub fn matches(pattern: &str, path: &str) -> bool {
    let pattern = pattern.trim_start_matches("./").trim_end_matches('/');
    let pattern_segments: Vec<&str> = if pattern.contains('/') {
        pattern.split('/').collect()
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
        (Some(p), Some(n)) if p == n => match_name(&pattern[1..], &name[1..]),
        _ => false,
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
    }
}

//! Quoting for SQL and libpq connection strings, and keeping SQL literals out of error messages.

use std::cmp::Reverse;

/// Quotes an SQL identifier: `my "db"` becomes `"my ""db"""`.
///
/// The result is always quoted, so it is also safe for keywords, and case is kept as given.
pub fn quote_ident(identifier: &str) -> String {
    format!("\"{}\"", identifier.replace('"', "\"\""))
}

/// Quotes an SQL string literal: `it's` becomes `'it''s'`.
///
/// A value with a backslash becomes an escape string (`E'a\\b'`), so it means the same whatever
/// `standard_conforming_strings` says, as PostgreSQL's own `quote_literal` does.
pub fn quote_literal(value: &str) -> String {
    let quoted = value.replace('\'', "''");
    if value.contains('\\') {
        format!("E'{}'", quoted.replace('\\', "\\\\"))
    } else {
        format!("'{quoted}'")
    }
}

/// Quotes a value of a libpq connection string (`key='value'`).
pub(super) fn conninfo_value(value: &str) -> String {
    format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// The shortest literal treated as possibly secret; shorter ones (`'on'`, `'t'`) would blank out
/// ordinary words of a message.
const SHORTEST_SECRET: usize = 4;

/// Returns `message` with the contents of every string literal of `sql` replaced by `****`.
///
/// psql runs with `VERBOSITY=terse`, so it never quotes the statement itself, but a server message
/// may still quote a value from it (`syntax error at or near "'SCRAM-SHA-256$…'"`,
/// `invalid input syntax for type integer: "…"`), and literals are where secrets are.
pub(super) fn redact_literals(message: &str, sql: &str) -> String {
    let mut secrets: Vec<String> = literals(sql)
        .into_iter()
        .filter(|s| s.chars().count() >= SHORTEST_SECRET)
        .collect();
    // Longest first, so a literal that contains another is hidden whole.
    secrets.sort_by_key(|s| Reverse(s.len()));
    let mut redacted = message.to_string();
    for secret in secrets {
        redacted = redacted.replace(&secret, "****");
    }
    redacted
}

/// Returns the contents of the string literals of `sql` (`'…'`, `E'…'`, `$tag$…$tag$`), both as
/// written and with their escapes undone, skipping quoted identifiers and comments.
fn literals(sql: &str) -> Vec<String> {
    let chars: Vec<char> = sql.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\'' => {
                let escapes = i > 0
                    && matches!(chars[i - 1], 'e' | 'E')
                    && (i < 2 || !(chars[i - 2].is_alphanumeric() || chars[i - 2] == '_'));
                let start = i + 1;
                let mut value = String::new();
                i = start;
                while i < chars.len() {
                    match chars[i] {
                        '\\' if escapes && i + 1 < chars.len() => {
                            value.push(chars[i + 1]);
                            i += 2;
                        }
                        '\'' if chars.get(i + 1) == Some(&'\'') => {
                            value.push('\'');
                            i += 2;
                        }
                        '\'' => break,
                        c => {
                            value.push(c);
                            i += 1;
                        }
                    }
                }
                let raw: String = chars[start..i.min(chars.len())].iter().collect();
                if raw != value {
                    found.push(raw);
                }
                found.push(value);
                i += 1;
            }
            '"' => {
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    i += 1;
                }
                i += 1;
            }
            '-' if chars.get(i + 1) == Some(&'-') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '/' if chars.get(i + 1) == Some(&'*') => {
                i += 2;
                while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                    i += 1;
                }
                i += 2;
            }
            '$' => {
                // A dollar quote's tag is an identifier or empty: `$$` or `$body$`.
                let tag_end = (i + 1..chars.len())
                    .find(|&j| !(chars[j].is_alphanumeric() || chars[j] == '_'));
                match tag_end {
                    Some(end)
                        if chars[end] == '$'
                            && !chars.get(i + 1).is_some_and(|c| c.is_ascii_digit())
                            && !(i > 0
                                && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_')) =>
                    {
                        let tag: String = chars[i..=end].iter().collect();
                        let rest: String = chars[end + 1..].iter().collect();
                        let (value, consumed) = match rest.find(&tag) {
                            Some(close) => (
                                rest[..close].to_string(),
                                rest[..close].chars().count() + tag.chars().count(),
                            ),
                            None => (rest.clone(), rest.chars().count()),
                        };
                        found.push(value);
                        i = end + 1 + consumed;
                    }
                    _ => i += 1,
                }
            }
            _ => i += 1,
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_and_literals_are_quoted() {
        assert_eq!(quote_ident("shop"), "\"shop\"");
        assert_eq!(quote_ident("my \"db\""), "\"my \"\"db\"\"\"");
        assert_eq!(quote_literal("it's"), "'it''s'");
        assert_eq!(quote_literal(r"a\b'c"), r"E'a\\b''c'");
        assert_eq!(conninfo_value(r"it's a\path"), r"'it\'s a\\path'");
    }

    #[test]
    fn literals_are_found_in_every_quoting_style() {
        let sql = "-- 'not this'\nselect 'plain', E'esc\\'aped', 'dou''bled', \"ident'ifier\", $$dollar$$, $t$tagged$t$ /* 'nor this' */";
        assert_eq!(
            literals(sql),
            [
                "plain",
                "esc\\'aped",
                "esc'aped",
                "dou''bled",
                "dou'bled",
                "dollar",
                "tagged"
            ]
            .map(String::from)
        );
        // `$1` is a parameter, not a dollar quote; an unterminated literal runs to the end.
        assert_eq!(literals("select $1, 'open"), ["open".to_string()]);
    }

    #[test]
    fn secrets_in_messages_are_redacted() {
        let sql = "CREATE ROLE app PASSWORD 'SCRAM-SHA-256$4096:c2FsdA==$a:b' LOGINN; select 'on'";
        let message =
            "psql:<stdin>:1: ERROR:  syntax error at or near \"'SCRAM-SHA-256$4096:c2FsdA==$a:b'\"";
        let redacted = redact_literals(message, sql);
        assert_eq!(
            redacted,
            "psql:<stdin>:1: ERROR:  syntax error at or near \"'****'\""
        );
        // Short literals are not hidden, so the message stays readable.
        assert_eq!(redact_literals("on or off", sql), "on or off");
    }
}

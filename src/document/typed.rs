//! Reading a TOML file into a Rust type in two passes: the shape check, then serde.

use std::path::Path;

use schemars::JsonSchema;
use serde::de::DeserializeOwned;

use super::shape::{ShapeError, ShapeErrorKind, check_shape};
use super::source::{SourceFile, SyntaxError};
use crate::finding::Finding;
use crate::text::list;

/// A TOML file read into `T`, or the findings that kept it from being read.
pub struct Parsed<T> {
    /// The text as read, kept to quote it in messages.
    pub text: String,
    /// The parsed file; `None` after a syntax error.
    pub file: Option<SourceFile>,
    /// The value; `None` when any finding is an error.
    pub value: Option<T>,
    pub findings: Vec<Finding>,
}

/// Parses `text`, read from `path`, checks its shape against `T`'s schema, then deserializes it.
pub fn parse_typed<T: DeserializeOwned + JsonSchema>(path: &Path, text: String) -> Parsed<T> {
    let file = match SourceFile::parse(path, text.clone()) {
        Ok(file) => file,
        Err(error) => {
            let finding = syntax_finding(error);
            return Parsed {
                text,
                file: None,
                value: None,
                findings: vec![finding],
            };
        }
    };
    let schema = serde_json::to_value(schemars::schema_for!(T)).expect("schemas serialize");
    let mut findings: Vec<Finding> = check_shape(&file, &schema)
        .into_iter()
        .map(shape_finding)
        .collect();
    let mut value = None;
    if findings.is_empty() {
        match toml_edit::de::from_document::<T>(file.document().clone()) {
            Ok(parsed) => value = Some(parsed),
            Err(error) => {
                // The shape check should have caught this; report serde's own words rather than fail.
                let mut finding =
                    Finding::invalid("value.invalid", "", error.message().to_string());
                finding.path = None;
                finding.location = error.span().map(|span| file.location(span));
                findings.push(finding);
            }
        }
    }
    for finding in &mut findings {
        finding.locate(&file);
    }
    Parsed {
        text,
        file: Some(file),
        value,
        findings,
    }
}

fn syntax_finding(error: SyntaxError) -> Finding {
    let (message, fix) = explain_syntax_error(&error);
    let mut finding = Finding::invalid("toml.syntax", "", message).with_fix(fix);
    finding.path = None;
    finding.location = error.location;
    finding
}

/// Rewords the TOML parser's terse messages for the two mistakes people make most, using the text
/// at the error: a key written twice, and a key with no value.
fn explain_syntax_error(error: &SyntaxError) -> (String, String) {
    let general =
        "correct the syntax at the place shown; see https://toml.io for the format".to_string();
    let Some(location) = &error.location else {
        return (
            format!("this is not valid TOML: {}", error.message),
            general,
        );
    };
    let line = error.text.lines().nth(location.line - 1).unwrap_or("");
    let before: String = line.chars().take(location.column - 1).collect();
    let after: String = line.chars().skip(location.column - 1).collect();
    if error.message.starts_with("duplicate key") {
        let key: String = after
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '=' && *c != ']')
            .collect();
        return (
            format!("the key `{key}` is defined twice"),
            format!("keep one `{key}`: TOML allows each key once per table"),
        );
    }
    if before.trim_end().ends_with('=') && after.trim().is_empty() {
        let key = before.trim_end().trim_end_matches('=').trim();
        return (
            format!("`{key}` has no value"),
            format!("write a value after `=`, e.g. `{key} = \"…\"`"),
        );
    }
    (
        format!("this is not valid TOML: {}", error.message),
        general,
    )
}
/// Turns a shape error into a finding with a message, a label and a fix.
fn shape_finding(error: ShapeError) -> Finding {
    let path = error.path.clone();
    let key = path.rsplit('.').next().unwrap_or(&path).to_string();
    let parent = path.strip_suffix(&key).unwrap_or("").trim_end_matches('.');
    let within = if parent.is_empty() {
        "at the top level".to_string()
    } else {
        format!("in `{parent}`")
    };
    let at_key = error.points_at_key();
    let finding = match error.kind {
        ShapeErrorKind::UnknownKey {
            suggestion,
            known,
            only_for,
        } => {
            let fix = match (only_for, suggestion) {
                (Some(only_for), _) => format!("`{key}` is only for `{only_for}`; remove it here"),
                (None, Some(s)) => format!("did you mean `{s}`?"),
                (None, None) if known.is_empty() => {
                    "remove it: this table takes no keys".to_string()
                }
                (None, None) => format!("remove it, or use one of {}", list(known)),
            };
            Finding::invalid(
                "key.unknown",
                &path,
                format!("unknown key `{key}` {within}"),
            )
            .with_label("unknown key")
            .with_fix(fix)
        }
        ShapeErrorKind::MissingKey { allowed, expected } => {
            let fix = match expected.as_deref() {
                _ if !allowed.is_empty() => {
                    format!(
                        "add `{key} = \"{}\"` {within}; one of {}",
                        allowed[0],
                        list(allowed.clone())
                    )
                }
                Some("object") => format!("add a `[{path}]` table"),
                Some("string") => format!("add `{key} = \"…\"` {within}"),
                _ => format!("add `{key} = …` {within}"),
            };
            Finding::invalid(
                "key.missing",
                &path,
                format!("missing key `{key}` {within}"),
            )
            .with_label(format!("`{key}` is required here"))
            .with_fix(fix)
        }
        ShapeErrorKind::WrongType { expected, found } => {
            let fix = if expected.starts_with("a date") {
                format!("write the date without quotes, e.g. `{key} = 2026-12-31`")
            } else if expected == "a string" && found != "a table" && found != "an array" {
                "put the value in double quotes".to_string()
            } else {
                format!("write {expected} here")
            };
            Finding::invalid(
                "value.type",
                &path,
                format!("`{path}` must be {expected}, found {found}"),
            )
            .with_label(format!("expected {expected}"))
            .with_fix(fix)
        }
        ShapeErrorKind::NotAllowed {
            value,
            allowed,
            suggestion,
        } => {
            let fix = match suggestion {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("use one of {}", list(allowed)),
            };
            Finding::invalid(
                "value.invalid",
                &path,
                format!("`{value}` is not a valid value for `{path}`"),
            )
            .with_label("not allowed here")
            .with_fix(fix)
        }
        ShapeErrorKind::OutOfRange {
            value,
            minimum,
            maximum,
        } => {
            let range = match (minimum, maximum) {
                (Some(min), Some(max)) => format!("between {min} and {max}"),
                (Some(min), None) => format!("at least {min}"),
                (None, Some(max)) => format!("at most {max}"),
                (None, None) => "in range".to_string(),
            };
            let value_range = if range.starts_with("between") {
                range.clone()
            } else {
                format!("of {range}")
            };
            Finding::invalid(
                "value.range",
                &path,
                format!("`{path}` must be {range}, found {value}"),
            )
            .with_label("out of range")
            .with_fix(format!("use a value {value_range}"))
        }
    };
    if at_key { finding.at_key() } else { finding }
}

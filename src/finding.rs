//! Findings: what `idp check` reports, whether the manifest is malformed or a guardrail refuses it.
//!
//! Every stage that judges input returns findings and never prints or stops early, so the user sees
//! all of them at once (as Terraform returns `Diagnostics`, not a first error).

use serde::Serialize;

use crate::document::{Location, SourceFile};

/// How bad a finding is: an error stops the command, a warning is reported and let through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// Whether a finding is about malformed input (exit 1) or a guardrail's refusal (exit 3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Invalid,
    Policy,
}

/// One problem with a file, with where it is, why it matters and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// A stable ID: a guardrail's rule ID (`net.public-ingress`) or an input check (`key.unknown`).
    pub rule: String,
    pub severity: Severity,
    pub category: Category,
    /// The key path the finding is about, e.g. `resources.db.backup_retention_days`.
    pub path: Option<String>,
    /// The resource the finding is about, which a waiver can name.
    pub resource: Option<String>,
    pub message: String,
    /// A short note printed under the underlined source.
    pub label: Option<String>,
    pub why: Option<String>,
    pub fix: Option<String>,
    /// The environments in which a guardrail found this; empty for input checks.
    pub environments: Vec<String>,
    #[serde(flatten, serialize_with = "serialize_location")]
    pub location: Option<Location>,
    /// Whether the location underlines the key rather than its value.
    #[serde(skip)]
    pub at_key: bool,
}

impl Finding {
    /// Returns an input-check error at a key path.
    pub fn invalid(rule: &str, path: impl Into<String>, message: impl Into<String>) -> Finding {
        Finding {
            rule: rule.to_string(),
            severity: Severity::Error,
            category: Category::Invalid,
            path: Some(path.into()),
            resource: None,
            message: message.into(),
            label: None,
            why: None,
            fix: None,
            environments: Vec::new(),
            location: None,
            at_key: false,
        }
    }

    pub fn with_fix(mut self, fix: impl Into<String>) -> Finding {
        self.fix = Some(fix.into());
        self
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Finding {
        self.label = Some(label.into());
        self
    }

    pub fn with_resource(mut self, resource: impl Into<String>) -> Finding {
        self.resource = Some(resource.into());
        self
    }

    pub fn at_key(mut self) -> Finding {
        self.at_key = true;
        self
    }

    /// Fills in the location from the finding's key path, if it has none yet.
    pub fn locate(&mut self, file: &SourceFile) {
        if self.location.is_some() {
            return;
        }
        if let Some(path) = &self.path {
            self.location = if self.at_key {
                file.locate_key(path)
            } else {
                file.locate_value(path)
            };
        }
    }
}

/// Serializes a location as the flat `file`, `line`, `column` keys of the JSON output.
fn serialize_location<S: serde::Serializer>(
    location: &Option<Location>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = serializer.serialize_map(None)?;
    if let Some(location) = location {
        map.serialize_entry("file", &location.file)?;
        map.serialize_entry("line", &location.line)?;
        map.serialize_entry("column", &location.column)?;
    }
    map.end()
}

/// Returns whether any finding is an error of the given category.
pub fn has_errors(findings: &[Finding], category: Category) -> bool {
    findings
        .iter()
        .any(|f| f.severity == Severity::Error && f.category == category)
}

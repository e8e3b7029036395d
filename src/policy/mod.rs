//! The guardrails: rules the platform team holds every manifest to, evaluated before any provider
//! call, per environment.
//!
//! Each rule is a value with a stable ID, a summary, why it matters and how to fix it; `rules::ALL`
//! lists them, and the README's table and `idp check --rules` come from that list. Rules return
//! violations and never print or stop early.

mod date;
pub mod rules;
mod waivers;

pub use waivers::check_waivers;

pub use date::Date;

use std::collections::BTreeMap;

use crate::finding::{Category, Finding, Severity};
use crate::manifest::{Environment, Manifest};
use crate::platform::{Platform, RuleSeverity};
use crate::text::{list, suggest};

/// A guardrail.
pub struct Rule {
    /// The stable ID users write in waivers and platform files, e.g. `net.public-ingress`.
    pub id: &'static str,
    /// What the rule refuses, in one line.
    pub summary: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// How to fix a violation, in general; a violation may say more precisely.
    pub fix: &'static str,
    pub check: fn(&Context<'_>) -> Vec<Violation>,
}

/// What a rule sees: one environment of one manifest under one platform policy.
pub struct Context<'a> {
    pub manifest: &'a Manifest,
    pub platform: &'a Platform,
    pub environment_name: &'a str,
    pub environment: &'a Environment,
    pub today: Date,
}

/// One place a rule is broken.
pub struct Violation {
    /// The resource it is about, which a waiver can name; `None` for environment-wide findings.
    pub resource: Option<String>,
    /// The key path to point at.
    pub path: String,
    pub message: String,
    pub label: Option<String>,
    /// A fix for this very case, when the rule's general fix can be made precise.
    pub fix: Option<String>,
}

impl Violation {
    pub fn new(
        resource: Option<&str>,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Violation {
        Violation {
            resource: resource.map(str::to_string),
            path: path.into(),
            message: message.into(),
            label: None,
            fix: None,
        }
    }

    pub fn label(mut self, label: impl Into<String>) -> Violation {
        self.label = Some(label.into());
        self
    }

    pub fn fix(mut self, fix: impl Into<String>) -> Violation {
        self.fix = Some(fix.into());
        self
    }
}

/// Returns the rule with this ID.
pub fn rule(id: &str) -> Option<&'static Rule> {
    rules::ALL.iter().copied().find(|rule| rule.id == id)
}

/// Evaluates every rule for the named environments (all of them when `only` is `None`), applies
/// waivers, and returns the findings, one per distinct violation with the environments it occurs in.
pub fn evaluate(
    manifest: &Manifest,
    platform: &Platform,
    only: Option<&str>,
    today: Date,
) -> Vec<Finding> {
    let mut merged: BTreeMap<(String, String, String), Finding> = BTreeMap::new();
    for (name, environment) in manifest.effective_environments() {
        if only.is_some_and(|only| only != name) {
            continue;
        }
        let context = Context {
            manifest,
            platform,
            environment_name: &name,
            environment: &environment,
            today,
        };
        for rule in rules::ALL {
            for violation in (rule.check)(&context) {
                if waivers::lifts(manifest, rule.id, violation.resource.as_deref(), today) {
                    continue;
                }
                let key = (
                    rule.id.to_string(),
                    violation.path.clone(),
                    violation.message.clone(),
                );
                merged
                    .entry(key)
                    .or_insert_with(|| finding(rule, platform, violation))
                    .environments
                    .push(name.clone());
            }
        }
    }
    merged.into_values().collect()
}

fn finding(rule: &Rule, platform: &Platform, violation: Violation) -> Finding {
    let severity = match platform
        .rules
        .get(rule.id)
        .map(|settings| settings.severity)
    {
        Some(RuleSeverity::Warning) => Severity::Warning,
        Some(RuleSeverity::Error) | None => Severity::Error,
    };
    Finding {
        rule: rule.id.to_string(),
        severity,
        category: Category::Policy,
        path: Some(violation.path),
        resource: violation.resource,
        message: violation.message,
        label: violation.label,
        why: Some(rule.why.to_string()),
        fix: Some(violation.fix.unwrap_or_else(|| rule.fix.to_string())),
        environments: Vec::new(),
        location: None,
        at_key: false,
    }
}

/// Checks that the platform file's `[rules]` name rules that exist.
pub fn check_platform_rules(platform: &Platform) -> Vec<Finding> {
    platform
        .rules
        .keys()
        .filter(|id| rule(id).is_none())
        .map(|id| {
            let fix = match suggest(id, rules::ALL.iter().map(|r| r.id)) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!(
                    "use a rule ID: {}",
                    list(rules::ALL.iter().map(|r| r.id.to_string()))
                ),
            };
            Finding::invalid(
                "rule.unknown",
                crate::document::key_path_join("rules", id),
                format!("no guardrail has the ID `{id}`"),
            )
            .at_key()
            .with_fix(fix)
        })
        .collect()
}

/// Returns the rules as a Markdown table: `idp check --rules` prints it and the README embeds it.
pub fn rules_table() -> String {
    let mut table = String::from("| Rule ID | Refuses | Why |\n| --- | --- | --- |\n");
    for rule in rules::ALL {
        table.push_str(&format!(
            "| `{}` | {} | {} |\n",
            rule.id, rule.summary, rule.why
        ));
    }
    table
}

//! Waivers: dated, reasoned exceptions to one rule for one resource.

use crate::finding::Finding;
use crate::manifest::Manifest;
use crate::text::{list, suggest};

use super::{Date, rule, rules};

/// Returns whether a waiver in force lifts `rule_id` for `resource` on `today`.
pub fn lifts(manifest: &Manifest, rule_id: &str, resource: Option<&str>, today: Date) -> bool {
    let Some(resource) = resource else {
        return false;
    };
    manifest.waivers.iter().any(|waiver| {
        waiver.rule == rule_id
            && waiver.resource == resource
            && Date::from_toml(&waiver.expires).is_some_and(|expires| today <= expires)
    })
}

/// Checks that every waiver names a rule and a resource that exist, and has a plain date.
pub fn check_waivers(manifest: &Manifest) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (i, waiver) in manifest.waivers.iter().enumerate() {
        let path = format!("waivers[{i}]");
        if rule(&waiver.rule).is_none() {
            let fix = match suggest(&waiver.rule, rules::ALL.iter().map(|r| r.id)) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "name a rule ID from `idp check --rules`".to_string(),
            };
            findings.push(
                Finding::invalid(
                    "waiver.unknown",
                    format!("{path}.rule"),
                    format!("no guardrail has the ID `{}`", waiver.rule),
                )
                .with_label("unknown rule")
                .with_fix(fix),
            );
        }
        if !manifest.resources.contains_key(&waiver.resource) {
            let fix = match suggest(
                &waiver.resource,
                manifest.resources.keys().map(String::as_str),
            ) {
                Some(s) => format!("did you mean `{s}`?"),
                None if manifest.resources.is_empty() => {
                    "declare the resource under `[resources]` first".to_string()
                }
                None => format!("name {}", list(manifest.resources.keys().cloned())),
            };
            findings.push(
                Finding::invalid(
                    "waiver.unknown",
                    format!("{path}.resource"),
                    format!("no resource named `{}` in this manifest", waiver.resource),
                )
                .with_label("unknown resource")
                .with_fix(fix),
            );
        }
        if Date::from_toml(&waiver.expires).is_none() || waiver.expires.time.is_some() {
            findings.push(
                Finding::invalid(
                    "value.type",
                    format!("{path}.expires"),
                    "`expires` must be a plain date, without a time",
                )
                .with_fix("write the last day the waiver holds, e.g. `expires = 2026-12-31`"),
            );
        }
    }
    findings
}

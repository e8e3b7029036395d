//! Checks of a well-shaped manifest that its types cannot express: names, references between
//! resources, grants that make sense for their target, CIDR syntax and dependency cycles.

use std::collections::BTreeMap;

use crate::cidr::{Cidr, CidrError};
use crate::document::key_path_join;
use crate::finding::Finding;
use crate::text::{list, suggest};

use super::model::{Manifest, Resource, ResourceKind};

/// Returns every problem with the manifest's names and references.
pub fn validate(manifest: &Manifest) -> Vec<Finding> {
    let mut findings = Vec::new();
    if let Err(why) = check_dns_label(&manifest.project.name) {
        findings.push(bad_name(
            "project.name",
            &manifest.project.name,
            &why,
            "the project",
        ));
    }
    for name in manifest.environments.keys() {
        if let Err(why) = check_dns_label(name) {
            let path = key_path_join("environments", name);
            findings.push(bad_name(&path, name, &why, "an environment").at_key());
        }
        if let super::model::Environment::Aws(aws) = &manifest.environments[name]
            && let Some(url) = &aws.state
            && let Err(why) = crate::state::StateUrl::parse(url)
        {
            findings.push(
                Finding::invalid(
                    "state.invalid",
                    format!("{}.state", key_path_join("environments", name)),
                    format!("`{url}` is not a state location: {why}"),
                )
                .with_label("not `s3://bucket/prefix`")
                .with_fix("write `state = \"s3://my-team-state/shop\"`, optionally with `?lock_table=NAME`"),
            );
        }
    }
    for (name, resource) in &manifest.resources {
        let path = key_path_join("resources", name);
        if let Err(why) = check_dns_label(name) {
            findings.push(bad_name(&path, name, &why, "a resource").at_key());
        }
        match resource {
            Resource::Identity(identity) => {
                for (i, grant) in identity.grants.iter().enumerate() {
                    let grant_path = format!("{path}.grants[{i}]");
                    findings.extend(check_grant(manifest, name, grant, &grant_path));
                }
            }
            Resource::Network(network) => {
                for (i, rule) in network.allow.iter().enumerate() {
                    let rule_path = format!("{path}.allow[{i}]");
                    if let Err(error) = rule.from.parse::<Cidr>() {
                        let (label, fix) = match &error {
                            CidrError::HostBits { canonical, .. } => {
                                ("host bits set", format!("write `from = \"{canonical}\"`"))
                            }
                            _ => (
                                "not a CIDR range",
                                "use a private range in CIDR notation, e.g. `from = \"10.0.0.0/16\"`".to_string(),
                            ),
                        };
                        findings.push(
                            Finding::invalid(
                                "cidr.invalid",
                                format!("{rule_path}.from"),
                                error.to_string(),
                            )
                            .with_resource(name)
                            .with_label(label)
                            .with_fix(fix),
                        );
                    }
                    findings.extend(check_reference(
                        manifest,
                        name,
                        &rule.to,
                        &format!("{rule_path}.to"),
                        &[ResourceKind::Postgres],
                    ));
                }
            }
            Resource::Postgres(_) | Resource::Registry(_) => {}
        }
    }
    findings.extend(check_cycles(manifest));
    findings
}

/// Returns why `name` is not a DNS label (RFC 1123): what hostnames, database names and AWS resource
/// names all accept.
pub fn check_dns_label(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("it is empty".into());
    }
    if name.len() > 63 {
        return Err(format!(
            "it is {} characters long, and at most 63 are allowed",
            name.len()
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Err(format!(
            "it contains `{c}`, and only lowercase letters, digits and `-` are allowed"
        ));
    }
    if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Err("it must start with a lowercase letter".into());
    }
    if name.ends_with('-') {
        return Err("it must not end with `-`".into());
    }
    Ok(())
}

fn bad_name(path: &str, name: &str, why: &str, what: &str) -> Finding {
    let suggestion: String = name
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .trim_matches('-')
        .to_string();
    let fix = match check_dns_label(&suggestion) {
        _ if name.len() > 63 => "shorten it to at most 63 characters".to_string(),
        Ok(()) => format!("rename it, e.g. to `{suggestion}`"),
        Err(_) => {
            "rename it: lowercase letters, digits and `-`, starting with a letter".to_string()
        }
    };
    Finding::invalid(
        "name.invalid",
        path,
        format!("`{name}` is not a valid name for {what}: {why}"),
    )
    .with_label("not a DNS label")
    .with_fix(fix)
}

/// The actions a grant may name on each kind of resource, and what they mean.
pub fn grant_actions(kind: ResourceKind) -> &'static [&'static str] {
    match kind {
        ResourceKind::Postgres => &["connect", "read", "write"],
        ResourceKind::Registry => &["pull", "push"],
        ResourceKind::Identity => &["assume"],
        ResourceKind::Network => &[],
    }
}

/// Actions and targets that the `iam.*` guardrails judge rather than this check.
pub fn is_broad_grant_part(part: &str) -> bool {
    part.contains('*') || ["admin", "all", "owner", "superuser", "root"].contains(&part)
}

fn check_grant(manifest: &Manifest, identity: &str, grant: &str, path: &str) -> Vec<Finding> {
    let Some((target, action)) = grant.split_once(':') else {
        if is_broad_grant_part(grant) {
            return Vec::new();
        }
        return vec![
            Finding::invalid("grant.invalid", path, format!("grant `{grant}` is not of the form `RESOURCE:ACTION`"))
                .with_resource(identity)
                .with_label("no `:`")
                .with_fix("name a resource of this manifest and an action, e.g. `db:connect` or `images:pull`"),
        ];
    };
    if is_broad_grant_part(target) {
        return Vec::new();
    }
    let Some(resource) = manifest.resources.get(target) else {
        return check_reference(manifest, identity, target, path, &[]);
    };
    let allowed = grant_actions(resource.kind());
    if is_broad_grant_part(action) || allowed.contains(&action) {
        return Vec::new();
    }
    let kind = resource.kind().name();
    let fix = if allowed.is_empty() {
        format!("remove it: a {kind} resource takes no grants")
    } else {
        let actions = list(allowed.iter().map(|a| format!("{target}:{a}")));
        match suggest(action, allowed.iter().copied()) {
            Some(s) => format!("did you mean `{target}:{s}`? A {kind} resource takes {actions}"),
            None => format!("a {kind} resource takes {actions}"),
        }
    };
    vec![
        Finding::invalid(
            "grant.invalid",
            path,
            format!("`{action}` makes no sense on `{target}`, a {kind} resource"),
        )
        .with_resource(identity)
        .with_label("unknown action")
        .with_fix(fix),
    ]
}

/// Checks that `target` names a resource of one of `kinds` (any kind when empty).
fn check_reference(
    manifest: &Manifest,
    from: &str,
    target: &str,
    path: &str,
    kinds: &[ResourceKind],
) -> Vec<Finding> {
    match manifest.resources.get(target) {
        Some(resource) if kinds.is_empty() || kinds.contains(&resource.kind()) => Vec::new(),
        Some(resource) => {
            let wanted = list(kinds.iter().map(|k| k.name().to_string()));
            vec![
                Finding::invalid(
                    "ref.kind",
                    path,
                    format!("`{target}` is a {} resource, and only {wanted} resources can be named here", resource.kind().name()),
                )
                .with_resource(from)
                .with_label(format!("a {} resource", resource.kind().name()))
                .with_fix(format!("name a {wanted} resource of this manifest")),
            ]
        }
        None => {
            // Only resources of a kind that fits are worth suggesting.
            let candidates: Vec<&str> = manifest
                .resources
                .iter()
                .filter(|(_, resource)| kinds.is_empty() || kinds.contains(&resource.kind()))
                .map(|(name, _)| name.as_str())
                .collect();
            let fix = match suggest(target, candidates.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None if candidates.is_empty() => format!("declare `[resources.{target}]`"),
                None => format!(
                    "name {}, or declare `[resources.{target}]`",
                    list(candidates.iter().map(|c| c.to_string()))
                ),
            };
            vec![
                Finding::invalid(
                    "ref.unknown",
                    path,
                    format!("no resource named `{target}` in this manifest"),
                )
                .with_resource(from)
                .with_label("unknown resource")
                .with_fix(fix),
            ]
        }
    }
}

/// Returns the resources a resource refers to, which must exist before it.
pub fn dependencies(resource: &Resource) -> Vec<&str> {
    match resource {
        Resource::Identity(identity) => identity
            .grants
            .iter()
            .filter_map(|g| g.split_once(':'))
            .map(|(target, _)| target)
            .collect(),
        Resource::Network(network) => network.allow.iter().map(|rule| rule.to.as_str()).collect(),
        Resource::Postgres(_) | Resource::Registry(_) => Vec::new(),
    }
}

/// Reports each dependency cycle once, naming the resources around it.
fn check_cycles(manifest: &Manifest) -> Vec<Finding> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Visiting,
        Done,
    }
    fn visit<'m>(
        manifest: &'m Manifest,
        name: &'m str,
        marks: &mut BTreeMap<&'m str, Mark>,
        stack: &mut Vec<&'m str>,
        cycles: &mut Vec<Vec<&'m str>>,
    ) {
        match marks.get(name) {
            Some(Mark::Done) => return,
            Some(Mark::Visiting) => {
                let start = stack.iter().position(|n| *n == name).unwrap_or(0);
                cycles.push(stack[start..].to_vec());
                return;
            }
            None => {}
        }
        let Some(resource) = manifest.resources.get(name) else {
            return;
        };
        marks.insert(name, Mark::Visiting);
        stack.push(name);
        for dependency in dependencies(resource) {
            if let Some((key, _)) = manifest.resources.get_key_value(dependency) {
                visit(manifest, key, marks, stack, cycles);
            }
        }
        stack.pop();
        marks.insert(name, Mark::Done);
    }

    let mut marks = BTreeMap::new();
    let mut cycles = Vec::new();
    for name in manifest.resources.keys() {
        visit(manifest, name, &mut marks, &mut Vec::new(), &mut cycles);
    }
    cycles
        .into_iter()
        .map(|cycle| {
            let first = cycle[0];
            let chain: Vec<String> = cycle
                .iter()
                .chain([&first])
                .map(|n| format!("`{n}`"))
                .collect();
            Finding::invalid(
                "ref.cycle",
                key_path_join("resources", first),
                format!(
                    "resources depend on each other in a cycle: {}",
                    chain.join(" → ")
                ),
            )
            .at_key()
            .with_resource(first)
            .with_fix("remove one of the grants or rules that close the cycle")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_labels() {
        assert!(check_dns_label("payments-api").is_ok());
        assert!(check_dns_label("Payments").is_err());
        assert!(check_dns_label("1st").is_err());
        assert!(check_dns_label("a-").is_err());
        assert!(check_dns_label(&"a".repeat(64)).is_err());
    }
}

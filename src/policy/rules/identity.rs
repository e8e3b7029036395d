//! Identity guardrails: grants name exact resources and the least actions, never everything.

use crate::manifest::{Resource, grant_actions, is_broad_grant_part};
use crate::policy::{Context, Rule, Violation};

use super::resources_of;

pub static WILDCARD_GRANT: Rule = Rule {
    id: "iam.wildcard-grant",
    summary: "grants with a wildcard (`*`, `db:*`, `*:pull`) are refused",
    why: "a wildcard grants rights on resources and actions nobody reviewed, including ones added later",
    fix: "name each resource and action the service needs, e.g. `db:connect`",
    check: wildcard_grants,
};

pub static ADMIN_GRANT: Rule = Rule {
    id: "iam.admin-grant",
    summary: "admin-level grants (`admin`, `owner`, `superuser`, `root`, `all`) are refused",
    why: "a service that runs with admin rights turns any bug in it into a breach of everything it can reach",
    fix: "grant the specific actions the service uses, e.g. `db:read` and `db:write`",
    check: admin_grants,
};

fn wildcard_grants(context: &Context<'_>) -> Vec<Violation> {
    broad_grants(context, |part| part.contains('*'), "grants a wildcard")
}

fn admin_grants(context: &Context<'_>) -> Vec<Violation> {
    broad_grants(
        context,
        |part| !part.contains('*') && is_broad_grant_part(part),
        "grants admin rights",
    )
}

fn broad_grants(context: &Context<'_>, matches: fn(&str) -> bool, what: &str) -> Vec<Violation> {
    let mut violations = Vec::new();
    for (name, path, identity) in resources_of!(context, Resource::Identity) {
        for (i, grant) in identity.grants.iter().enumerate() {
            let (target, action) = grant.split_once(':').unwrap_or((grant.as_str(), ""));
            if !(matches(target) || matches(action)) {
                continue;
            }
            let mut violation = Violation::new(
                Some(name),
                format!("{path}.grants[{i}]"),
                format!("identity `{name}` {what}: `{grant}`"),
            )
            .label("too broad");
            if let Some(resource) = context.manifest.resources.get(target) {
                let actions: Vec<String> = grant_actions(resource.kind())
                    .iter()
                    .map(|a| format!("`{target}:{a}`"))
                    .collect();
                violation = violation.fix(format!(
                    "grant only what the service uses, from {}",
                    actions.join(", ")
                ));
            }
            violations.push(violation);
        }
    }
    violations
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::Platform;
    use crate::policy::rules::test_support::{PROJECT, violations};

    fn manifest(grant: &str) -> String {
        format!(
            "{PROJECT}[resources.db]\ntype = \"postgres\"\n[resources.app]\ntype = \"identity\"\ngrants = [\"{grant}\"]\n"
        )
    }

    #[test]
    fn refuses_wildcards_and_admin_but_not_exact_grants() {
        let platform = Platform::default();
        for grant in ["*", "db:*", "*:connect"] {
            assert_eq!(
                violations(&WILDCARD_GRANT, &manifest(grant), &platform, "dev").len(),
                1,
                "{grant}"
            );
            assert!(
                violations(&ADMIN_GRANT, &manifest(grant), &platform, "dev").is_empty(),
                "{grant}"
            );
        }
        let admin = violations(&ADMIN_GRANT, &manifest("db:admin"), &platform, "dev");
        assert_eq!(
            admin[0].fix.as_deref(),
            Some("grant only what the service uses, from `db:connect`, `db:read`, `db:write`")
        );
        assert!(violations(&WILDCARD_GRANT, &manifest("db:connect"), &platform, "dev").is_empty());
        assert!(violations(&ADMIN_GRANT, &manifest("db:connect"), &platform, "dev").is_empty());
    }
}

//! Network guardrails: nothing idp creates is reachable from the internet.

use crate::cidr::Cidr;
use crate::manifest::Resource;
use crate::policy::{Context, Rule, Violation};

use super::resources_of;

pub static PUBLIC_INGRESS: Rule = Rule {
    id: "net.public-ingress",
    summary: "ingress from a range that is not private (RFC 1918, RFC 4193, loopback) is refused",
    why: "a database open to the internet is the commonest way data leaks",
    fix: "use your network's private range, e.g. `from = \"10.0.0.0/16\"`, or add a [[waivers]] entry for this rule",
    check: public_ingress,
};

fn public_ingress(context: &Context<'_>) -> Vec<Violation> {
    let mut violations = Vec::new();
    for (name, path, network) in resources_of!(context, Resource::Network) {
        for (i, rule) in network.allow.iter().enumerate() {
            // Malformed ranges are reported by manifest validation.
            let Ok(cidr) = rule.from.parse::<Cidr>() else {
                continue;
            };
            if cidr.is_private() {
                continue;
            }
            let whom = if cidr.prefix == 0 {
                "the whole internet".to_string()
            } else {
                format!("the public range `{cidr}`")
            };
            violations.push(
                Violation::new(
                    Some(name),
                    format!("{path}.allow[{i}].from"),
                    format!("`{name}` lets {whom} reach `{}`", rule.to),
                )
                .label("not a private range"),
            );
        }
    }
    violations
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::Platform;
    use crate::policy::rules::test_support::{PROJECT, violations};

    fn check(from: &str) -> Vec<Violation> {
        let manifest = format!(
            "{PROJECT}[resources.db]\ntype = \"postgres\"\n[resources.web-in]\ntype = \"network\"\nallow = [{{ from = \"{from}\", to = \"db\", port = 5432 }}]\n"
        );
        violations(&PUBLIC_INGRESS, &manifest, &Platform::default(), "dev")
    }

    #[test]
    fn refuses_public_ranges_only() {
        assert_eq!(
            check("0.0.0.0/0")[0].message,
            "`web-in` lets the whole internet reach `db`"
        );
        assert_eq!(check("::/0").len(), 1);
        assert_eq!(
            check("8.8.8.0/24")[0].path,
            "resources.web-in.allow[0].from"
        );
        assert!(check("10.0.0.0/16").is_empty());
        assert!(check("fd12::/16").is_empty());
    }
}

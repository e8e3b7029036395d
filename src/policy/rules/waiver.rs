//! The waiver guardrail: an exception ends on the date it says.

use crate::policy::{Context, Date, Rule, Violation};

pub static EXPIRED: Rule = Rule {
    id: "waiver.expired",
    summary: "waivers past their `expires` date fail, and lift nothing",
    why: "exceptions that never end become the policy; an expiry makes someone look again",
    fix: "fix what the waiver covered and remove it, or renew it with a new reason and `expires` date",
    check: expired,
};

fn expired(context: &Context<'_>) -> Vec<Violation> {
    context
        .manifest
        .waivers
        .iter()
        .enumerate()
        .filter_map(|(i, waiver)| {
            let expires = Date::from_toml(&waiver.expires)?;
            (expires < context.today).then(|| {
                // No resource: a waiver must not be able to waive its own expiry.
                Violation::new(
                    None,
                    format!("waivers[{i}].expires"),
                    format!(
                        "the waiver of `{}` for `{}` expired on {expires}",
                        waiver.rule, waiver.resource
                    ),
                )
                .label("expired")
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::Platform;
    use crate::policy::rules::test_support::{PROJECT, violations};

    #[test]
    fn fails_after_the_expiry_date_only() {
        let manifest = |expires: &str| {
            format!(
                "{PROJECT}[resources.db]\ntype = \"postgres\"\n[[waivers]]\nrule = \"backup.retention\"\nresource = \"db\"\nreason = \"r\"\nexpires = {expires}\n"
            )
        };
        // The test context's today is 2026-06-01.
        assert_eq!(
            violations(
                &EXPIRED,
                &manifest("2026-05-31"),
                &Platform::default(),
                "dev"
            )
            .len(),
            1
        );
        assert!(
            violations(
                &EXPIRED,
                &manifest("2026-06-01"),
                &Platform::default(),
                "dev"
            )
            .is_empty()
        );
    }
}

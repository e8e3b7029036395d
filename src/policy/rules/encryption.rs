//! Encryption guardrails: data at rest is always encrypted.

use crate::manifest::Resource;
use crate::policy::{Context, Rule, Violation};

use super::resources_of;

pub static AT_REST: Rule = Rule {
    id: "storage.encryption",
    summary: "turning off encryption at rest (`encrypted = false`) is refused",
    why: "unencrypted storage exposes every row to whoever gets the disk or a snapshot",
    fix: "remove `encrypted = false`: encryption is on by default and costs nothing noticeable",
    check: at_rest,
};

fn at_rest(context: &Context<'_>) -> Vec<Violation> {
    resources_of!(context, Resource::Postgres)
        .filter(|(_, _, postgres)| !postgres.encrypted)
        .map(|(name, path, _)| {
            Violation::new(
                Some(name),
                format!("{path}.encrypted"),
                format!("database `{name}` turns off encryption at rest"),
            )
            .label("must stay `true`")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::Platform;
    use crate::policy::rules::test_support::{PROJECT, violations};

    #[test]
    fn refuses_unencrypted_databases() {
        let off = format!("{PROJECT}[resources.db]\ntype = \"postgres\"\nencrypted = false\n");
        let default = format!("{PROJECT}[resources.db]\ntype = \"postgres\"\n");
        assert_eq!(
            violations(&AT_REST, &off, &Platform::default(), "dev").len(),
            1
        );
        assert!(violations(&AT_REST, &default, &Platform::default(), "dev").is_empty());
    }
}

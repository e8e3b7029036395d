//! Guardrails for prod-like environments: their databases cannot be deleted by accident.

use crate::manifest::Resource;
use crate::policy::{Context, Rule, Violation};

use super::resources_of;

pub static DELETION_PROTECTION: Rule = Rule {
    id: "db.deletion-protection",
    summary: "databases in prod-like environments (`prod` unless the platform says otherwise) need `deletion_protection = true`",
    why: "one mistyped `destroy` must not be able to erase production data",
    fix: "set `deletion_protection = true` on the database",
    check: deletion_protection,
};

fn deletion_protection(context: &Context<'_>) -> Vec<Violation> {
    if !context.platform.is_prod_like(context.environment_name) {
        return Vec::new();
    }
    resources_of!(context, Resource::Postgres)
        .filter(|(_, _, postgres)| !postgres.deletion_protection)
        .map(|(name, path, _)| {
            Violation::new(
                Some(name),
                path,
                format!("database `{name}` has no deletion protection in the prod-like environment `{}`", context.environment_name),
            )
            .label("needs `deletion_protection = true`")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::Platform;
    use crate::policy::rules::test_support::{PROJECT, violations};

    #[test]
    fn applies_to_prod_like_environments_only() {
        let manifest = format!(
            "{PROJECT}[environments.dev]\nprovider = \"local\"\n[environments.prod]\nprovider = \"aws\"\nregion = \"eu-west-1\"\n[resources.db]\ntype = \"postgres\"\n"
        );
        let platform = Platform::default();
        assert!(violations(&DELETION_PROTECTION, &manifest, &platform, "dev").is_empty());
        assert_eq!(
            violations(&DELETION_PROTECTION, &manifest, &platform, "prod").len(),
            1
        );
        let protected = manifest.replace(
            "type = \"postgres\"\n",
            "type = \"postgres\"\ndeletion_protection = true\n",
        );
        assert!(violations(&DELETION_PROTECTION, &protected, &platform, "prod").is_empty());
    }
}

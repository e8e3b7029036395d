//! Allow-list guardrails: providers, regions, engines, versions and sizes the platform supports.

use crate::document::key_path_join;
use crate::manifest::{Resource, ResourceKind};
use crate::policy::{Context, Rule, Violation};
use crate::text::list;

use super::resources_of;

pub static PROVIDER: Rule = Rule {
    id: "env.provider",
    summary: "environments on a provider the platform does not allow are refused",
    why: "the platform team can only secure and support the providers it runs",
    fix: "use one of the platform's `allowed_providers`",
    check: provider,
};

pub static REGION: Rule = Rule {
    id: "env.region",
    summary: "environments in a region outside the platform's `allowed_regions` are refused",
    why: "data residency, latency and the platform's own networking are set up per region",
    fix: "use one of the platform's `allowed_regions`",
    check: region,
};

pub static ENGINE: Rule = Rule {
    id: "db.engine",
    summary: "database engines outside the platform's `allowed_engines` are refused",
    why: "every engine needs backups, patching and on-call knowledge the platform team must have",
    fix: "use an engine from the platform's `allowed_engines`",
    check: engine,
};

pub static VERSION: Rule = Rule {
    id: "db.version",
    summary: "PostgreSQL versions outside the platform's `allowed_postgres_versions` are refused",
    why: "old versions stop receiving security fixes; untested new ones break tooling",
    fix: "use a version from the platform's `allowed_postgres_versions`",
    check: version,
};

pub static SIZE: Rule = Rule {
    id: "db.size",
    summary: "size classes outside the platform's `allowed_sizes` are refused",
    why: "size classes are how the platform keeps cost and capacity predictable",
    fix: "use a size from the platform's `allowed_sizes`",
    check: size,
};

fn environment_path(context: &Context<'_>) -> String {
    key_path_join("environments", context.environment_name)
}

fn provider(context: &Context<'_>) -> Vec<Violation> {
    let provider = context.environment.provider().name();
    let allowed = &context.platform.policy.allowed_providers;
    if allowed.iter().any(|p| p.name() == provider) {
        return Vec::new();
    }
    let names = list(allowed.iter().map(|p| p.name().to_string()));
    vec![
        Violation::new(
            None,
            format!("{}.provider", environment_path(context)),
            format!("the platform does not allow the `{provider}` provider"),
        )
        .label("not allowed")
        .fix(format!("use {names}")),
    ]
}

fn region(context: &Context<'_>) -> Vec<Violation> {
    let (Some(region), Some(allowed)) = (
        context.environment.region(),
        &context.platform.policy.allowed_regions,
    ) else {
        return Vec::new();
    };
    if allowed.iter().any(|r| r == region) {
        return Vec::new();
    }
    vec![
        Violation::new(
            None,
            format!("{}.region", environment_path(context)),
            format!("the platform does not allow the region `{region}`"),
        )
        .label("not allowed")
        .fix(format!("use {}", list(allowed.iter().cloned()))),
    ]
}

fn engine(context: &Context<'_>) -> Vec<Violation> {
    let allowed = &context.platform.policy.allowed_engines;
    context
        .manifest
        .resources
        .iter()
        .filter(|(_, resource)| resource.kind() == ResourceKind::Postgres)
        .filter(|_| !allowed.iter().any(|e| e == "postgres"))
        .map(|(name, _)| {
            Violation::new(
                Some(name),
                format!("{}.type", key_path_join("resources", name)),
                format!("the platform does not allow `postgres` databases (`{name}`)"),
            )
            .label("not allowed")
            .fix(if allowed.is_empty() {
                "ask the platform team which database to use".to_string()
            } else {
                format!("use {}", list(allowed.iter().cloned()))
            })
        })
        .collect()
}

fn version(context: &Context<'_>) -> Vec<Violation> {
    let allowed = &context.platform.policy.allowed_postgres_versions;
    resources_of!(context, Resource::Postgres)
        .filter(|(_, _, postgres)| !allowed.contains(&postgres.version))
        .map(|(name, path, postgres)| {
            Violation::new(
                Some(name),
                format!("{path}.version"),
                format!(
                    "PostgreSQL {} is not a version the platform allows (`{name}`)",
                    postgres.version
                ),
            )
            .label("not allowed")
            .fix(format!("use {}", list(allowed.iter().cloned())))
        })
        .collect()
}

fn size(context: &Context<'_>) -> Vec<Violation> {
    let allowed = &context.platform.policy.allowed_sizes;
    resources_of!(context, Resource::Postgres)
        .filter(|(_, _, postgres)| !allowed.contains(&postgres.size))
        .map(|(name, path, postgres)| {
            Violation::new(
                Some(name),
                format!("{path}.size"),
                format!(
                    "the platform does not allow the size `{}` (`{name}`)",
                    postgres.size.name()
                ),
            )
            .label("not allowed")
            .fix(format!(
                "use {}",
                list(allowed.iter().map(|s| s.name().to_string()))
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::SizeClass;
    use crate::platform::{Platform, ProviderName};
    use crate::policy::rules::test_support::{PROJECT, violations};

    fn manifest() -> String {
        format!(
            "{PROJECT}[environments.prod]\nprovider = \"aws\"\nregion = \"us-east-1\"\n[resources.db]\ntype = \"postgres\"\nversion = \"12\"\nsize = \"large\"\n"
        )
    }

    #[test]
    fn refuses_what_the_platform_does_not_list() {
        let mut platform = Platform::default();
        assert_eq!(
            violations(&VERSION, &manifest(), &platform, "prod").len(),
            1
        );
        assert!(violations(&REGION, &manifest(), &platform, "prod").is_empty());
        assert!(violations(&PROVIDER, &manifest(), &platform, "prod").is_empty());
        assert!(violations(&SIZE, &manifest(), &platform, "prod").is_empty());
        platform.policy.allowed_regions = Some(vec!["eu-west-1".into()]);
        platform.policy.allowed_providers = vec![ProviderName::Local];
        platform.policy.allowed_sizes = vec![SizeClass::Small];
        platform.policy.allowed_engines = Vec::new();
        for rule in [&REGION, &PROVIDER, &SIZE, &ENGINE] {
            assert_eq!(
                violations(rule, &manifest(), &platform, "prod").len(),
                1,
                "{}",
                rule.id
            );
        }
    }
}

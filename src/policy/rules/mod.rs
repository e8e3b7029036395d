//! Every guardrail, one file per family. `ALL` is the one list: evaluation, waivers, the platform
//! file's `[rules]` and the README's table all read it.

mod allowlist;
mod backup;
mod encryption;
mod identity;
mod network;
mod protection;
mod tags;
mod waiver;

use super::Rule;

/// Every rule, in the order findings and docs list them.
pub static ALL: &[&Rule] = &[
    &network::PUBLIC_INGRESS,
    &backup::DISABLED,
    &backup::RETENTION,
    &encryption::AT_REST,
    &identity::WILDCARD_GRANT,
    &identity::ADMIN_GRANT,
    &protection::DELETION_PROTECTION,
    &allowlist::PROVIDER,
    &allowlist::REGION,
    &allowlist::ENGINE,
    &allowlist::VERSION,
    &allowlist::SIZE,
    &tags::REQUIRED,
    &waiver::EXPIRED,
];

/// Iterates over the manifest's resources of one type, with their key paths.
macro_rules! resources_of {
    ($context:expr, $variant:path) => {
        $context
            .manifest
            .resources
            .iter()
            .filter_map(|(name, resource)| match resource {
                $variant(inner) => Some((
                    name.as_str(),
                    crate::document::key_path_join("resources", name),
                    inner,
                )),
                _ => None,
            })
    };
}
pub(crate) use resources_of;

#[cfg(test)]
pub(crate) mod test_support {
    //! Builds a context from a manifest written in TOML, so each rule is tested on a value.

    use crate::manifest::Manifest;
    use crate::platform::Platform;
    use crate::policy::{Context, Date, Violation};

    pub fn violations(
        rule: &crate::policy::Rule,
        manifest: &str,
        platform: &Platform,
        environment: &str,
    ) -> Vec<Violation> {
        let manifest: Manifest = toml_edit::de::from_str(manifest).expect("test manifests parse");
        let environments = manifest.effective_environments();
        let context = Context {
            manifest: &manifest,
            platform,
            environment_name: environment,
            environment: &environments[environment],
            today: Date {
                year: 2026,
                month: 6,
                day: 1,
            },
        };
        (rule.check)(&context)
    }

    pub const PROJECT: &str =
        "[project]\nname = \"svc\"\nteam = \"t\"\nowner = \"o@example.com\"\n";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_are_unique_and_well_formed() {
        let mut ids: Vec<&str> = ALL.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), ALL.len());
        for id in ids {
            assert!(
                id.split('.').count() == 2
                    && id
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c == '.' || c == '-'),
                "{id}"
            );
        }
    }
}

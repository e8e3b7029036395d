//! Deciding what to do: the manifest (desired) against the record (state) and what the provider
//! sees (observed). Nothing is changed.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::manifest::Manifest;
use crate::providers::{Observed, Provider, ProviderError, Scope};
use crate::state::{ResourceStatus, State};

/// What will happen to one resource.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum Action {
    /// It does not exist yet.
    Create,
    /// It exists with idp's marker but the record is missing or unfinished (a crash between the
    /// call and the record): take it over and finish the job.
    Adopt,
    /// It exists and differs: `changes` names the settings and the drift.
    Update {
        changes: Vec<String>,
    },
    /// It exists and differs in a way the provider cannot change in place: it is deleted (a
    /// database after a final backup) and made again, only with `--allow-replace`. `forced_by`
    /// names the settings that force it; `changes` every setting that differs.
    Replace {
        forced_by: Vec<String>,
        changes: Vec<String>,
    },
    NoChange,
    /// Recorded, but no longer in the manifest: `idp destroy NAME` deletes it.
    Orphaned,
}

/// One resource's planned change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlannedChange {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(flatten)]
    pub action: Action,
    /// Changes made outside idp, noticed while planning.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub drift: Vec<String>,
}

/// Every change for one environment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Plan {
    pub environment: String,
    pub provider: String,
    pub changes: Vec<PlannedChange>,
}

impl Plan {
    /// Returns whether applying the plan would change anything.
    pub fn is_empty(&self) -> bool {
        self.changes
            .iter()
            .all(|c| matches!(c.action, Action::NoChange | Action::Orphaned))
    }

    /// Returns the resources the plan would delete and make again.
    pub fn replacements(&self) -> Vec<&PlannedChange> {
        self.changes
            .iter()
            .filter(|c| matches!(c.action, Action::Replace { .. }))
            .collect()
    }
}

/// Plans the selected resources (and, when none were named, reports recorded ones no longer
/// declared). A resource of the same name that is not idp's is an error, never a takeover.
pub fn plan(
    scope: &Scope<'_>,
    provider: &dyn Provider,
    state: &State,
    selected: &BTreeSet<String>,
    whole_manifest: bool,
) -> Result<Plan, ProviderError> {
    if !state.provider.is_empty() && state.provider != provider.name() {
        return Err(ProviderError::new(
            format!("planning the `{}` environment", scope.environment_name),
            format!(
                "its resources were made by the `{}` provider, and the manifest now says `{}`",
                state.provider,
                provider.name()
            ),
        )
        .with_hint("destroy them with the old provider first, or use a new environment name"));
    }
    let manifest: &Manifest = scope.manifest;
    let targets: Vec<(&String, &crate::manifest::Resource)> = manifest
        .resources
        .iter()
        .filter(|(name, _)| selected.contains(*name))
        .collect();
    // Looking is read-only and independent per resource: let the provider read in bulk what it
    // can, then ask about several resources at once, as many as it tolerates, so a no-change run
    // costs a few rounds of lookups, not one per resource.
    provider.survey(scope, &targets);
    let observations =
        super::pool::map_concurrently(&targets, provider.concurrency(), |(name, resource)| {
            provider.observe(scope, name, resource, state.resources.get(*name))
        });
    let mut changes = Vec::new();
    for ((name, resource), observed) in targets.into_iter().zip(observations) {
        let desired = provider.desired(scope, name, resource);
        let recorded = state.resources.get(name);
        let observed = observed?;
        let mut drift = Vec::new();
        let action = match (recorded, observed) {
            (_, Observed::Foreign { what, owner }) => {
                return Err(ProviderError::new(
                    format!("planning `{name}`"),
                    format!("{what} already exists and belongs to {owner}"),
                )
                .with_hint(format!(
                    "rename `{name}` in idp.toml; idp never takes over what it did not make"
                )));
            }
            (None, Observed::Missing | Observed::Unknown { .. }) => Action::Create,
            (None, Observed::Present { .. }) => Action::Adopt,
            (Some(record), Observed::Missing) => {
                if record.status == ResourceStatus::Ready {
                    drift.push("missing at the provider (deleted outside idp)".to_string());
                }
                Action::Create
            }
            (Some(record), Observed::Present { drift: found })
                if record.status != ResourceStatus::Ready =>
            {
                drift = found;
                Action::Adopt
            }
            (Some(record), observed) => {
                if let Observed::Present { drift: found } = observed {
                    drift = found;
                }
                let mut changed = changed_settings(&record.config, &desired);
                changed.extend(drift.iter().cloned());
                let forced_by = provider.replaced_by(&record.kind, &record.config, &desired);
                if record.status != ResourceStatus::Ready {
                    Action::Adopt
                } else if changed.is_empty() {
                    Action::NoChange
                } else if !forced_by.is_empty() {
                    Action::Replace {
                        forced_by,
                        changes: changed,
                    }
                } else {
                    Action::Update { changes: changed }
                }
            }
        };
        changes.push(PlannedChange {
            name: name.clone(),
            kind: resource.kind().name().to_string(),
            action,
            drift,
        });
    }
    if whole_manifest {
        for (name, record) in &state.resources {
            if !manifest.resources.contains_key(name) {
                changes.push(PlannedChange {
                    name: name.clone(),
                    kind: record.kind.clone(),
                    action: Action::Orphaned,
                    drift: Vec::new(),
                });
            }
        }
    }
    Ok(Plan {
        environment: scope.environment_name.to_string(),
        provider: provider.name().to_string(),
        changes,
    })
}

/// Returns the top-level settings that differ, as `key: old → new`.
fn changed_settings(recorded: &serde_json::Value, desired: &serde_json::Value) -> Vec<String> {
    let (Some(old), Some(new)) = (recorded.as_object(), desired.as_object()) else {
        return if recorded == desired {
            Vec::new()
        } else {
            vec!["settings".to_string()]
        };
    };
    let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    keys.into_iter()
        .filter(|key| old.get(*key) != new.get(*key))
        .map(|key| crate::providers::describe_change(key, recorded, desired))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_changed_settings() {
        let old = serde_json::json!({ "size": "small", "backup_retention_days": 7 });
        let new = serde_json::json!({ "size": "medium", "backup_retention_days": 7 });
        assert_eq!(
            changed_settings(&old, &new),
            ["size: \"small\" → \"medium\""]
        );
        assert!(changed_settings(&old, &old).is_empty());
    }
}

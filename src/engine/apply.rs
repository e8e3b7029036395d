//! Doing the plan: in dependency order, independent resources concurrently (bounded by what the
//! provider tolerates), with the intent recorded before each provider call and the result after,
//! so a crash or Ctrl-C at any point leaves a state a re-run converges from.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;
use std::time::Instant;

use serde::Serialize;

use super::events::{Event, Observer};
use super::graph::dependency_levels;
use super::plan::{Action, Plan};
use crate::providers::{DeleteOptions, Outputs, Provider, ProviderError, Scope, Target};
use crate::state::{RecordedResource, ResourceStatus, State, StateBackend, StateError};

/// What applying a plan did.
#[derive(Debug, Default, Serialize)]
pub struct ApplyReport {
    pub created: Vec<String>,
    pub updated: Vec<String>,
    /// Deleted and made again (`--allow-replace`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub replaced: Vec<String>,
    pub unchanged: Vec<String>,
    /// Outputs of every resource in the plan, by name.
    pub outputs: BTreeMap<String, Outputs>,
    /// Resources left undone because something they depend on failed.
    pub skipped: Vec<String>,
    #[serde(skip)]
    pub failures: Vec<(String, ProviderError)>,
}

#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    #[error(transparent)]
    State(#[from] StateError),
}

/// How to apply a plan.
#[derive(Clone, Debug)]
pub struct ApplyOptions {
    /// The most resources worked on at once, when capped below [`Provider::concurrency`]
    /// (`IDP_CONCURRENCY`).
    pub max_concurrency: Option<usize>,
    /// How a resource being replaced is deleted before it is created again.
    pub delete: DeleteOptions,
}

/// Returns how many resources to work on at once: the provider's limit, capped by the user's.
fn concurrency(provider: &dyn Provider, options: &ApplyOptions) -> usize {
    let limit = provider.concurrency();
    options
        .max_concurrency
        .map_or(limit, |cap| limit.min(cap))
        .max(1)
}

/// Returns whether a recorded resource was made with deletion protection, which a replacement
/// must not get round (as `idp destroy` does not).
fn is_protected(recorded: &RecordedResource) -> bool {
    recorded
        .config
        .get("deletion_protection")
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(false)
}

/// Applies `plan`, saving `state` through `store` as it goes.
pub fn apply(
    scope: &Scope<'_>,
    provider: &dyn Provider,
    plan: &Plan,
    store: &StateBackend,
    state: State,
    options: &ApplyOptions,
    observer: &dyn Observer,
) -> Result<(ApplyReport, State), ApplyError> {
    let mut state = state;
    state.provider = provider.name().to_string();
    let state = Mutex::new(state);
    let report = Mutex::new(ApplyReport::default());
    let failed: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());
    let names: BTreeSet<String> = plan
        .changes
        .iter()
        .filter(|c| c.action != Action::Orphaned)
        .map(|c| c.name.clone())
        .collect();
    let save_error: Mutex<Option<StateError>> = Mutex::new(None);

    for level in dependency_levels(scope.manifest, &names) {
        super::pool::map_concurrently(&level, concurrency(provider, options), |name| {
            // State that cannot be saved stops the run: start nothing more that it would not record.
            if save_error.lock().unwrap().is_some() {
                return;
            }
            let change = plan
                .changes
                .iter()
                .find(|c| &c.name == name)
                .expect("levels come from the plan");
            let resource = &scope.manifest.resources[name];
            let blocked: Vec<String> = crate::manifest::dependencies(resource)
                .into_iter()
                .filter(|d| failed.lock().unwrap().contains(*d))
                .map(str::to_string)
                .collect();
            if !blocked.is_empty() {
                failed.lock().unwrap().insert(name.clone());
                report.lock().unwrap().skipped.push(name.clone());
                return;
            }
            let recorded = state.lock().unwrap().resources.get(name).cloned();
            if change.action == Action::NoChange {
                let mut report = report.lock().unwrap();
                report.unchanged.push(name.clone());
                report.outputs.insert(
                    name.clone(),
                    recorded.map(|r| r.outputs).unwrap_or_default(),
                );
                return;
            }
            let verb = match change.action {
                Action::Create => "creating",
                Action::Adopt => "adopting",
                Action::Replace { .. } => "replacing",
                _ => "updating",
            };
            observer.event(Event::Started {
                resource: name.clone(),
                verb,
            });
            let started = Instant::now();
            let config = provider.desired(scope, name, resource);
            // The intent, before the call: a crash from here on leaves `pending`, which
            // the next plan resolves by asking the provider what exists.
            let record = |status, outputs| {
                let mut state = state.lock().unwrap();
                let kind = resource.kind().name().to_string();
                state.resources.insert(
                    name.clone(),
                    RecordedResource {
                        kind,
                        status,
                        config: config.clone(),
                        outputs,
                    },
                );
                if let Err(error) = store.save(&state) {
                    save_error.lock().unwrap().get_or_insert(error);
                }
            };
            record(
                ResourceStatus::Pending,
                recorded
                    .as_ref()
                    .map(|r| r.outputs.clone())
                    .unwrap_or_default(),
            );
            // No call whose intent is not recorded: its result could not be recorded either.
            if save_error.lock().unwrap().is_some() {
                observer.event(Event::Failed {
                    resource: name.clone(),
                    message: "not started: the state could not be written".to_string(),
                });
                return;
            }
            let dependencies: BTreeMap<String, Outputs> = {
                let state = state.lock().unwrap();
                crate::manifest::dependencies(resource)
                    .into_iter()
                    .filter_map(|d| {
                        state
                            .resources
                            .get(d)
                            .map(|r| (d.to_string(), r.outputs.clone()))
                    })
                    .collect()
            };
            let progress = |message: &str| {
                observer.event(Event::Progress {
                    resource: name.clone(),
                    message: message.to_string(),
                })
            };
            // A replacement deletes the old resource (a database after its final
            // backup) and then makes it as new; the record stays `pending` between.
            let replaced = match (&change.action, &recorded) {
                (Action::Replace { .. }, Some(old)) if is_protected(old) => {
                    Err(ProviderError::new(
                        format!("replacing `{name}`"),
                        "it has deletion protection, so idp will not delete it",
                    )
                    .with_hint(format!(
                        "undo the change, provision with `deletion_protection = \
                         false` for `{name}`, then make the change again"
                    )))
                }
                (Action::Replace { .. }, Some(old)) => provider
                    .delete(scope, name, old, &options.delete, &progress)
                    .map(|_| true),
                _ => Ok(false),
            };
            let result = replaced.and_then(|replaced| {
                let target = Target {
                    name,
                    resource,
                    config: &config,
                    recorded: if replaced { None } else { recorded.as_ref() },
                    dependencies: &dependencies,
                };
                provider.apply(scope, &target, &progress)
            });
            match result {
                Ok(outputs) => {
                    record(ResourceStatus::Ready, outputs.clone());
                    observer.event(Event::Finished {
                        resource: name.clone(),
                        verb,
                        elapsed: started.elapsed(),
                    });
                    let mut report = report.lock().unwrap();
                    match change.action {
                        Action::Create => report.created.push(name.clone()),
                        Action::Replace { .. } => report.replaced.push(name.clone()),
                        _ => report.updated.push(name.clone()),
                    }
                    report.outputs.insert(name.clone(), outputs);
                }
                Err(error) => {
                    observer.event(Event::Failed {
                        resource: name.clone(),
                        message: error.to_string(),
                    });
                    failed.lock().unwrap().insert(name.clone());
                    report.lock().unwrap().failures.push((name.clone(), error));
                }
            }
        });
        if let Some(error) = save_error.lock().unwrap().take() {
            return Err(error.into());
        }
    }
    let mut report = report.into_inner().unwrap();
    report.created.sort();
    report.updated.sort();
    report.replaced.sort();
    report.unchanged.sort();
    report.skipped.sort();
    Ok((report, state.into_inner().unwrap()))
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use serde_json::json;

    use super::*;
    use crate::engine::plan::PlannedChange;
    use crate::manifest::{Resource, parse_manifest};
    use crate::platform::Platform;
    use crate::providers::{Deleted, Observed};

    /// Counts how many `apply` calls run at once, and logs the calls.
    #[derive(Default)]
    struct CountingProvider {
        running: AtomicUsize,
        most: AtomicUsize,
        calls: Mutex<Vec<String>>,
    }

    impl Provider for CountingProvider {
        fn name(&self) -> &'static str {
            "counting"
        }

        fn concurrency(&self) -> usize {
            8
        }

        fn desired(&self, _: &Scope<'_>, _: &str, _: &Resource) -> serde_json::Value {
            serde_json::json!({})
        }

        fn observe(
            &self,
            _: &Scope<'_>,
            _: &str,
            _: &Resource,
            _: Option<&RecordedResource>,
        ) -> Result<Observed, ProviderError> {
            Ok(Observed::Missing)
        }

        fn apply(
            &self,
            _: &Scope<'_>,
            target: &Target<'_>,
            _: &dyn Fn(&str),
        ) -> Result<Outputs, ProviderError> {
            let recorded = if target.recorded.is_some() {
                "recorded"
            } else {
                "new"
            };
            self.calls
                .lock()
                .unwrap()
                .push(format!("apply {} ({recorded})", target.name));
            let now = self.running.fetch_add(1, Ordering::SeqCst) + 1;
            self.most.fetch_max(now, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(30));
            self.running.fetch_sub(1, Ordering::SeqCst);
            Ok(Outputs::new())
        }

        fn delete(
            &self,
            _: &Scope<'_>,
            name: &str,
            _: &RecordedResource,
            options: &DeleteOptions,
            _: &dyn Fn(&str),
        ) -> Result<Deleted, ProviderError> {
            self.calls.lock().unwrap().push(format!(
                "delete {name} (final backup: {})",
                options.final_backup
            ));
            Ok(Deleted::default())
        }

        fn backup(
            &self,
            _: &Scope<'_>,
            _: &str,
            _: &RecordedResource,
            _: &Path,
            _: &dyn Fn(&str),
        ) -> Result<PathBuf, ProviderError> {
            unreachable!("not used by apply")
        }

        fn restore(
            &self,
            _: &Scope<'_>,
            _: &str,
            _: &RecordedResource,
            _: &Path,
            _: &dyn Fn(&str),
        ) -> Result<(), ProviderError> {
            unreachable!("not used by apply")
        }
    }

    /// Applies one plan action to each of `count` registries with `provider`; returns the report.
    fn apply_to_registries(
        provider: &CountingProvider,
        count: usize,
        action: &Action,
        max_concurrency: Option<usize>,
        recorded_config: serde_json::Value,
    ) -> ApplyReport {
        let mut text = String::from(
            "[project]\nname = \"shop\"\nteam = \"t\"\nowner = \"o@example.com\"\n\
             [environments.dev]\nprovider = \"local\"\n",
        );
        for n in 0..count {
            text.push_str(&format!("[resources.images{n}]\ntype = \"registry\"\n"));
        }
        let manifest = parse_manifest(Path::new("idp.toml"), text)
            .value
            .expect("the manifest parses");
        let platform = Platform::default();
        let scope = Scope {
            manifest: &manifest,
            platform: &platform,
            environment_name: "dev",
            environment: &manifest.environments["dev"],
        };
        let plan = Plan {
            environment: "dev".into(),
            provider: "counting".into(),
            changes: manifest
                .resources
                .iter()
                .map(|(name, resource)| PlannedChange {
                    name: name.clone(),
                    kind: resource.kind().name().to_string(),
                    action: action.clone(),
                    drift: Vec::new(),
                })
                .collect(),
        };
        let dir = tempfile::tempdir().unwrap();
        let store = StateBackend::File(crate::state::StateStore::new(dir.path()));
        let options = ApplyOptions {
            max_concurrency,
            delete: DeleteOptions {
                final_backup: true,
                backup_dir: dir.path().join("backups"),
            },
        };
        let mut state = State {
            project: "shop".into(),
            environment: "dev".into(),
            ..State::default()
        };
        if *action != Action::Create {
            for (name, resource) in &manifest.resources {
                let record = RecordedResource {
                    kind: resource.kind().name().to_string(),
                    status: ResourceStatus::Ready,
                    config: recorded_config.clone(),
                    outputs: Outputs::new(),
                };
                state.resources.insert(name.clone(), record);
            }
        }
        apply(&scope, provider, &plan, &store, state, &options, &())
            .unwrap()
            .0
    }

    #[test]
    fn caps_concurrency_below_the_providers() {
        let provider = CountingProvider::default();
        let report = apply_to_registries(&provider, 6, &Action::Create, Some(2), json!({}));
        assert_eq!(report.created.len(), 6);
        let most = provider.most.load(Ordering::SeqCst);
        assert!(most <= 2, "{most} ran at once with a cap of 2");
    }

    #[test]
    fn a_replacement_deletes_with_a_final_backup_then_creates_anew() {
        let provider = CountingProvider::default();
        let action = Action::Replace {
            forced_by: vec!["version: \"16\" → \"15\"".into()],
            changes: vec!["version: \"16\" → \"15\"".into()],
        };
        let report = apply_to_registries(&provider, 1, &action, None, json!({}));
        assert_eq!(report.replaced, ["images0"]);
        assert_eq!(
            *provider.calls.lock().unwrap(),
            ["delete images0 (final backup: true)", "apply images0 (new)"]
        );
    }

    #[test]
    fn a_protected_resource_is_never_replaced() {
        let provider = CountingProvider::default();
        let action = Action::Replace {
            forced_by: vec!["storage_gb: 40 → 20".into()],
            changes: vec!["storage_gb: 40 → 20".into()],
        };
        let protected = json!({ "deletion_protection": true });
        let report = apply_to_registries(&provider, 1, &action, None, protected);
        assert!(report.replaced.is_empty());
        assert_eq!(report.failures.len(), 1);
        assert!(provider.calls.lock().unwrap().is_empty());
    }
}

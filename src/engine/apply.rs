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
use crate::providers::{Outputs, Provider, ProviderError, Scope, Target};
use crate::state::{RecordedResource, ResourceStatus, State, StateError, StateStore};

/// What applying a plan did.
#[derive(Debug, Default, Serialize)]
pub struct ApplyReport {
    pub created: Vec<String>,
    pub updated: Vec<String>,
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

/// Applies `plan`, saving `state` through `store` as it goes.
pub fn apply(
    scope: &Scope<'_>,
    provider: &dyn Provider,
    plan: &Plan,
    store: &StateStore,
    state: State,
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
        for chunk in level.chunks(provider.concurrency().max(1)) {
            std::thread::scope(|threads| {
                for name in chunk {
                    let change = plan
                        .changes
                        .iter()
                        .find(|c| &c.name == name)
                        .expect("levels come from the plan");
                    let (state, report, failed, save_error) =
                        (&state, &report, &failed, &save_error);
                    threads.spawn(move || {
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
                        let target = Target {
                            name,
                            resource,
                            config: &config,
                            recorded: recorded.as_ref(),
                            dependencies: &dependencies,
                        };
                        let progress = |message: &str| {
                            observer.event(Event::Progress {
                                resource: name.clone(),
                                message: message.to_string(),
                            })
                        };
                        match provider.apply(scope, &target, &progress) {
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
                }
            });
            if let Some(error) = save_error.lock().unwrap().take() {
                return Err(error.into());
            }
        }
    }
    let mut report = report.into_inner().unwrap();
    report.created.sort();
    report.updated.sort();
    report.unchanged.sort();
    report.skipped.sort();
    Ok((report, state.into_inner().unwrap()))
}

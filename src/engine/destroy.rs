//! Deleting recorded resources: dependents first, deletion protection honoured, the intent recorded
//! before each call, and a final backup of each database unless asked not to.

use std::path::PathBuf;

use serde::Serialize;

use super::events::{Event, Observer};
use crate::providers::{DeleteOptions, Provider, ProviderError, Scope};
use crate::state::{ResourceStatus, State, StateBackend, StateError};

/// What destroying did.
#[derive(Debug, Default, Serialize)]
pub struct DestroyReport {
    pub deleted: Vec<String>,
    /// Final backups, by resource.
    pub backups: Vec<(String, PathBuf)>,
}

#[derive(Debug, thiserror::Error)]
pub enum DestroyError {
    #[error("`{name}` has deletion protection")]
    Protected { name: String },
    #[error("`{name}` is not in the `{environment}` state")]
    Unknown { name: String, environment: String },
    #[error("deleting `{name}`: {source}")]
    Provider {
        name: String,
        #[source]
        source: ProviderError,
    },
    #[error(transparent)]
    State(#[from] StateError),
}

/// The order kinds are deleted in: what refers to others first.
fn rank(kind: &str) -> u8 {
    match kind {
        "network" => 0,
        "identity" => 1,
        _ => 2,
    }
}

/// Deletes `names` (every recorded resource when empty) from the provider and the state.
pub fn destroy(
    scope: &Scope<'_>,
    provider: &dyn Provider,
    names: &[String],
    store: &StateBackend,
    mut state: State,
    options: &DeleteOptions,
    observer: &dyn Observer,
) -> Result<DestroyReport, DestroyError> {
    let mut targets: Vec<String> = if names.is_empty() {
        state.resources.keys().cloned().collect()
    } else {
        names.to_vec()
    };
    for name in &targets {
        let Some(record) = state.resources.get(name) else {
            return Err(DestroyError::Unknown {
                name: name.clone(),
                environment: state.environment.clone(),
            });
        };
        if record
            .config
            .get("deletion_protection")
            .and_then(serde_json::Value::as_bool)
            == Some(true)
        {
            return Err(DestroyError::Protected { name: name.clone() });
        }
    }
    targets.sort_by_key(|name| (rank(&state.resources[name].kind), name.clone()));
    let mut report = DestroyReport::default();
    for name in targets {
        let mut record = state.resources[&name].clone();
        record.status = ResourceStatus::Deleting;
        state.resources.insert(name.clone(), record.clone());
        store.save(&state)?;
        observer.event(Event::Started {
            resource: name.clone(),
            verb: "deleting",
        });
        let started = std::time::Instant::now();
        let progress = |message: &str| {
            observer.event(Event::Progress {
                resource: name.clone(),
                message: message.to_string(),
            })
        };
        let deleted = provider
            .delete(scope, &name, &record, options, &progress)
            .map_err(|source| {
                observer.event(Event::Failed {
                    resource: name.clone(),
                    message: source.to_string(),
                });
                DestroyError::Provider {
                    name: name.clone(),
                    source,
                }
            })?;
        state.resources.remove(&name);
        store.save(&state)?;
        observer.event(Event::Finished {
            resource: name.clone(),
            verb: "deleting",
            elapsed: started.elapsed(),
        });
        if let Some(backup) = deleted.backup {
            report.backups.push((name.clone(), backup));
        }
        report.deleted.push(name);
    }
    Ok(report)
}

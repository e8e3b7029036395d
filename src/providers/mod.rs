//! Providers: what turns a resource of the manifest into something real. One trait in the
//! manifest's terms (a `postgres` resource, not an RDS call), one folder per provider, chosen from
//! the environment's `provider` in one `match`. Ordering, concurrency, journaling, progress and
//! state stay in `engine/`.

pub mod aws;
pub mod local;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::manifest::{Environment, Manifest, Resource};
use crate::platform::Platform;
use crate::state::RecordedResource;

/// Non-secret outputs of a resource: host, port, database, user, URLs without passwords.
pub type Outputs = BTreeMap<String, String>;

/// What a provider sees of the project and environment it works in.
pub struct Scope<'a> {
    pub manifest: &'a Manifest,
    pub platform: &'a Platform,
    pub environment_name: &'a str,
    pub environment: &'a Environment,
}

impl Scope<'_> {
    pub fn project(&self) -> &str {
        &self.manifest.project.name
    }
}

/// One resource to create or bring up to date.
pub struct Target<'a> {
    pub name: &'a str,
    pub resource: &'a Resource,
    /// The settings to apply, as [`Provider::desired`] computed them.
    pub config: &'a serde_json::Value,
    pub recorded: Option<&'a RecordedResource>,
    /// The outputs of the resources this one depends on, by name.
    pub dependencies: &'a BTreeMap<String, Outputs>,
}

/// What exists at the provider for a resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Observed {
    /// Nothing of that name exists.
    Missing,
    /// It exists and carries idp's ownership marker for this project and environment; `drift`
    /// lists what differs from the record, changed outside idp.
    Present { drift: Vec<String> },
    /// Something of that name exists but is not idp's (or another project's): never taken over.
    Foreign {
        /// What exists at the provider, e.g. ``the database `shop_dev_db` ``.
        what: String,
        owner: String,
    },
    /// The provider cannot look now (e.g. the local server is stopped); the record is trusted.
    Unknown { reason: String },
}

/// How to delete.
#[derive(Clone, Debug)]
pub struct DeleteOptions {
    /// Take a final backup of a database before dropping it.
    pub final_backup: bool,
    /// Where final backups go.
    pub backup_dir: PathBuf,
}

/// What a deletion left behind.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Deleted {
    pub backup: Option<PathBuf>,
}

/// A provider failure: which action, what the remote side said, and what idp kept.
#[derive(Debug, thiserror::Error)]
#[error("{action} failed: {message}")]
pub struct ProviderError {
    /// What was being done, e.g. "creating the database `shop_dev_db`".
    pub action: String,
    /// The provider's own message (never containing a secret).
    pub message: String,
    /// What to do about it, when known.
    pub hint: Option<String>,
}

impl ProviderError {
    pub fn new(action: impl Into<String>, message: impl Into<String>) -> ProviderError {
        ProviderError {
            action: action.into(),
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> ProviderError {
        self.hint = Some(hint.into());
        self
    }
}

/// Returns `key: old → new` for a setting that differs, shown as in a plan.
pub(crate) fn describe_change(
    key: &str,
    recorded: &serde_json::Value,
    desired: &serde_json::Value,
) -> String {
    let show = |v: Option<&serde_json::Value>| v.map_or("(none)".to_string(), |v| v.to_string());
    format!(
        "{key}: {} → {}",
        show(recorded.get(key)),
        show(desired.get(key))
    )
}

/// Refuses a backup or restore of what is not a database.
pub(crate) fn only_databases(
    name: &str,
    recorded: &RecordedResource,
    action: &str,
) -> Result<(), ProviderError> {
    if recorded.kind == "postgres" {
        return Ok(());
    }
    Err(ProviderError::new(
        format!("{action} `{name}`"),
        format!(
            "`{name}` is a {} resource; only databases have backups",
            recorded.kind
        ),
    ))
}

/// A provider, in the manifest's terms.
pub trait Provider: Sync {
    /// The name written into state; another provider later is an error.
    fn name(&self) -> &'static str;

    /// How many resources it can work on at once.
    fn concurrency(&self) -> usize;

    /// Returns the settings it applies for a resource: the manifest's, with the platform's
    /// mappings (a size class becomes a connection limit or an instance class). A change here is
    /// an update.
    fn desired(&self, scope: &Scope<'_>, name: &str, resource: &Resource) -> serde_json::Value;

    /// Returns the settings whose change from `recorded` to `desired` the provider cannot make
    /// in place, as `key: old → new`: the resource must then be deleted and made again, which
    /// `idp provision` does only with `--allow-replace`. By default everything changes in place.
    fn replaced_by(
        &self,
        _kind: &str,
        _recorded: &serde_json::Value,
        _desired: &serde_json::Value,
    ) -> Vec<String> {
        Vec::new()
    }

    /// Reads in bulk what [`Provider::observe`] will be asked about next (the resources a plan
    /// is about to observe, and what they depend on), so a plan of many resources costs a few
    /// list calls rather than one lookup per resource. What it learns serves only the
    /// observations of that plan; a failed survey is no error, observe then looks for itself.
    /// By default, nothing is read ahead.
    fn survey(&self, _scope: &Scope<'_>, _resources: &[(&String, &Resource)]) {}

    /// Looks at what exists, without changing anything.
    fn observe(
        &self,
        scope: &Scope<'_>,
        name: &str,
        resource: &Resource,
        recorded: Option<&RecordedResource>,
    ) -> Result<Observed, ProviderError>;

    /// Creates the resource or brings it up to date, idempotently: what already exists with idp's
    /// marker is adopted. `progress` reports steps and waits.
    fn apply(
        &self,
        scope: &Scope<'_>,
        target: &Target<'_>,
        progress: &dyn Fn(&str),
    ) -> Result<Outputs, ProviderError>;

    /// Deletes a recorded resource; deleting what is already gone succeeds.
    fn delete(
        &self,
        scope: &Scope<'_>,
        name: &str,
        recorded: &RecordedResource,
        options: &DeleteOptions,
        progress: &dyn Fn(&str),
    ) -> Result<Deleted, ProviderError>;

    /// Backs up a recorded database into `dir`; returns the backup's path (or its identifier).
    /// `progress` reports steps and waits.
    fn backup(
        &self,
        scope: &Scope<'_>,
        name: &str,
        recorded: &RecordedResource,
        dir: &Path,
        progress: &dyn Fn(&str),
    ) -> Result<PathBuf, ProviderError>;

    /// Replaces a recorded database's contents with a backup's; a restore interrupted earlier is
    /// finished first. `progress` reports steps and waits.
    fn restore(
        &self,
        scope: &Scope<'_>,
        name: &str,
        recorded: &RecordedResource,
        backup: &Path,
        progress: &dyn Fn(&str),
    ) -> Result<(), ProviderError>;
}

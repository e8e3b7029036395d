//! The `aws` provider: each resource of the manifest becomes AWS resources, named after the
//! project, environment and resource, and tagged with idp's ownership marker (`idp:owner =
//! <project>/<environment>/<resource>`) so a re-run, or a run after a crash, finds and adopts
//! them and never takes over what is not its own.
//!
//! - `postgres` → an RDS instance and its master password in Secrets Manager ([`super::rds`]).
//! - `registry` → an ECR repository ([`super::ecr`]).
//! - `identity` → an IAM role with one inline policy ([`super::iam`]).
//! - `network` → an EC2 security group ([`super::security_group`]).
//!
//! Every apply reads first and changes only what differs, so a second run makes no mutating call.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::manifest::Resource;
use crate::providers::{
    DeleteOptions, Deleted, Observed, Outputs, Provider, ProviderError, Scope, Target,
};
use crate::state::RecordedResource;

use super::survey::Survey;
use super::{ecr, iam, rds, rds_restore, security_group};
use crate::aws::client::{Client, Params};
use crate::aws::error::AwsError;

/// The tag carrying idp's ownership marker.
pub const MARKER_TAG: &str = "idp:owner";

/// The `aws` provider: one client for one account and region.
pub struct AwsProvider {
    client: Client,
    /// The account the credentials belong to, asked of STS once (the lock is held while asking,
    /// so threads that need it at the same time share one call).
    account: Mutex<Option<String>>,
    /// What the last plan's survey read in bulk, for its observations only.
    survey: Mutex<Arc<Survey>>,
}

impl AwsProvider {
    pub fn new(client: Client) -> AwsProvider {
        AwsProvider {
            client,
            account: Mutex::new(None),
            survey: Mutex::default(),
        }
    }

    pub(super) fn client(&self) -> &Client {
        &self.client
    }

    pub(super) fn region(&self) -> &str {
        self.client.region()
    }

    /// Returns the account ID, from STS `GetCallerIdentity` the first time.
    pub(super) fn account(&self) -> Result<String, ProviderError> {
        let mut account = self.account.lock().unwrap();
        if let Some(account) = &*account {
            return Ok(account.clone());
        }
        let identity = self
            .client
            .caller_identity()
            .map_err(failed("finding the AWS account"))?;
        Ok(account.insert(identity.account).clone())
    }
}

/// Returns the ownership marker of a resource: `<project>/<environment>/<resource>`.
pub fn marker(scope: &Scope<'_>, resource: &str) -> String {
    format!(
        "{}/{}/{}",
        scope.project(),
        scope.environment_name,
        resource
    )
}

/// Returns the AWS name of a resource: `<project>-<environment>-<resource>`.
pub fn physical_name(scope: &Scope<'_>, resource: &str) -> String {
    format!(
        "{}-{}-{}",
        scope.project(),
        scope.environment_name,
        resource
    )
}

/// Returns the tags of everything idp makes for a resource: the project's own tags, then project,
/// team, owner, environment and the ownership marker (which win over the project's).
pub fn tags(scope: &Scope<'_>, resource: &str) -> Vec<(String, String)> {
    let project = &scope.manifest.project;
    let mut tags: Vec<(String, String)> = project
        .tags
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let fixed = [
        ("project", project.name.clone()),
        ("team", project.team.clone()),
        ("owner", project.owner.clone()),
        ("environment", scope.environment_name.to_string()),
        (MARKER_TAG, marker(scope, resource)),
    ];
    for (key, value) in fixed {
        tags.retain(|(k, _)| k != key);
        tags.push((key.to_string(), value));
    }
    tags
}

/// Decides whether something found by name is ours: `None` when it carries this resource's
/// marker, or the [`Observed::Foreign`] to report.
pub fn foreign(
    actual: &[(String, String)],
    scope: &Scope<'_>,
    resource: &str,
    what: String,
) -> Option<Observed> {
    let found = actual.iter().find(|(k, _)| k == MARKER_TAG).map(|(_, v)| v);
    match found {
        Some(value) if *value == marker(scope, resource) => None,
        Some(value) => Some(Observed::Foreign {
            what,
            owner: format!("idp resource `{value}`"),
        }),
        None => Some(Observed::Foreign {
            what,
            owner: "something idp did not make".to_string(),
        }),
    }
}

/// Refuses to adopt or delete what was found by name but is not this resource's.
pub fn ensure_ours(
    actual: &[(String, String)],
    scope: &Scope<'_>,
    resource: &str,
    what: &str,
    action: &str,
) -> Result<(), ProviderError> {
    match foreign(actual, scope, resource, what.to_string()) {
        Some(Observed::Foreign { what, owner }) => Err(ProviderError::new(
            format!("{action} {what}"),
            format!("{what} exists and belongs to {owner}; idp leaves it alone"),
        )),
        _ => Ok(()),
    }
}

/// Adds tags as query parameters: `{prefix}.1.Key`, `{prefix}.1.Value`, … (`Tags.member` for
/// IAM, `Tags.Tag` for RDS, `Tag` for EC2).
pub fn push_tags<'a>(
    params: &mut Params,
    prefix: &str,
    tags: impl IntoIterator<Item = &'a (String, String)>,
) {
    for (index, (key, value)) in tags.into_iter().enumerate() {
        params.push(format!("{prefix}.{}.Key", index + 1), key);
        params.push(format!("{prefix}.{}.Value", index + 1), value);
    }
}

/// Returns tags as the JSON protocol takes them: `[{"Key": …, "Value": …}]`.
pub fn tag_list<'a>(tags: impl IntoIterator<Item = &'a (String, String)>) -> serde_json::Value {
    tags.into_iter()
        .map(|(key, value)| serde_json::json!({"Key": key, "Value": value}))
        .collect()
}

/// Returns the desired tags `actual` lacks.
pub fn missing_tags<'a>(
    actual: &[(String, String)],
    desired: &'a [(String, String)],
) -> Vec<&'a (String, String)> {
    desired.iter().filter(|tag| !actual.contains(tag)).collect()
}

/// Returns the tags that are missing or differ, one drift line each.
pub fn tag_drift(actual: &[(String, String)], desired: &[(String, String)]) -> Vec<String> {
    missing_tags(actual, desired)
        .into_iter()
        .map(|(key, value)| format!("tag `{key}` is not `{value}`"))
        .collect()
}

/// Turns an AWS error into a provider error saying what was being done.
pub fn failed(action: impl Into<String>) -> impl FnOnce(AwsError) -> ProviderError {
    let action = action.into();
    move |error| ProviderError::new(action, error.to_string())
}

/// Whether a failed call means "no such thing".
pub fn is_not_found(error: &AwsError, codes: &[&str]) -> bool {
    error.code().is_some_and(|code| codes.contains(&code))
}

impl Provider for AwsProvider {
    fn name(&self) -> &'static str {
        "aws"
    }

    fn concurrency(&self) -> usize {
        // AWS's APIs take many calls at once; the limit keeps clear of its throttling.
        8
    }

    fn desired(&self, scope: &Scope<'_>, _name: &str, resource: &Resource) -> serde_json::Value {
        let mut config = serde_json::to_value(resource).expect("resources serialize");
        match resource {
            Resource::Postgres(postgres) => {
                let size = scope.platform.sizes.aws.get(postgres.size);
                config["instance_class"] = size.instance_class.clone().into();
            }
            Resource::Registry(_) => {
                config["keep_images"] = scope.platform.aws.registry_keep_images.into();
            }
            Resource::Identity(_) | Resource::Network(_) => {}
        }
        config
    }

    fn replaced_by(
        &self,
        kind: &str,
        recorded: &serde_json::Value,
        desired: &serde_json::Value,
    ) -> Vec<String> {
        match kind {
            "postgres" => rds::replaced_by(recorded, desired),
            // ECR settings, IAM policies and security-group rules all change in place.
            _ => Vec::new(),
        }
    }

    fn survey(&self, scope: &Scope<'_>, resources: &[(&String, &Resource)]) {
        let survey = Survey::take(self, scope, resources);
        *self.survey.lock().unwrap() = Arc::new(survey);
    }

    fn observe(
        &self,
        scope: &Scope<'_>,
        name: &str,
        resource: &Resource,
        recorded: Option<&RecordedResource>,
    ) -> Result<Observed, ProviderError> {
        // Drift is what changed outside idp: measured against what was applied, when recorded,
        // so an edit of the manifest shows as an update rather than as drift.
        let (resource, config) = recorded
            .and_then(|r| Some((recorded_resource(r)?, r.config.clone())))
            .unwrap_or_else(|| (resource.clone(), self.desired(scope, name, resource)));
        let survey = self.survey.lock().unwrap().clone();
        let survey = survey.as_ref();
        match &resource {
            Resource::Postgres(postgres) => {
                rds::observe(self, survey, scope, name, postgres, &config)
            }
            Resource::Registry(registry) => ecr::observe(self, survey, scope, name, registry),
            Resource::Identity(identity) => iam::observe(self, survey, scope, name, identity),
            Resource::Network(network) => {
                security_group::observe(self, survey, scope, name, network)
            }
        }
    }

    fn apply(
        &self,
        scope: &Scope<'_>,
        target: &Target<'_>,
        progress: &dyn Fn(&str),
    ) -> Result<Outputs, ProviderError> {
        match target.resource {
            Resource::Postgres(postgres) => rds::apply(
                self,
                scope,
                target.name,
                postgres,
                target.config,
                target.recorded.map(|r| &r.config),
                progress,
            ),
            Resource::Registry(registry) => ecr::apply(self, scope, target.name, registry),
            Resource::Identity(identity) => iam::apply(self, scope, target.name, identity),
            Resource::Network(network) => security_group::apply(self, scope, target.name, network),
        }
    }

    fn delete(
        &self,
        scope: &Scope<'_>,
        name: &str,
        recorded: &RecordedResource,
        options: &DeleteOptions,
        progress: &dyn Fn(&str),
    ) -> Result<Deleted, ProviderError> {
        match recorded.kind.as_str() {
            "postgres" => rds::delete(self, scope, name, options, progress),
            "registry" => ecr::delete(self, scope, name).map(|()| Deleted::default()),
            "identity" => iam::delete(self, scope, name).map(|()| Deleted::default()),
            "network" => {
                // The recorded rules say which databases carry the group.
                let targets: Vec<&str> = recorded.config["allow"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|rule| rule["to"].as_str())
                    .collect();
                security_group::delete(self, scope, name, &targets).map(|()| Deleted::default())
            }
            other => Err(ProviderError::new(
                format!("deleting `{name}`"),
                format!("unknown resource type `{other}` in the state"),
            )),
        }
    }

    fn backup(
        &self,
        scope: &Scope<'_>,
        name: &str,
        recorded: &RecordedResource,
        _dir: &Path,
        progress: &dyn Fn(&str),
    ) -> Result<PathBuf, ProviderError> {
        crate::providers::only_databases(name, recorded, "backing up")?;
        rds::snapshot(self, scope, name, "backup", progress).map(PathBuf::from)
    }

    fn restore(
        &self,
        scope: &Scope<'_>,
        name: &str,
        recorded: &RecordedResource,
        backup: &Path,
        progress: &dyn Fn(&str),
    ) -> Result<(), ProviderError> {
        crate::providers::only_databases(name, recorded, "restoring")?;
        // The backup is the snapshot identifier `idp backup` printed.
        let snapshot = backup.to_string_lossy();
        rds_restore::restore(self, scope, name, &recorded.config, &snapshot, progress)
    }
}

/// Returns the resource as it was applied, from the settings recorded in state (the manifest's,
/// with the provider's additions taken out).
fn recorded_resource(recorded: &RecordedResource) -> Option<Resource> {
    let mut config = recorded.config.clone();
    let settings = config.as_object_mut()?;
    for added in ["instance_class", "keep_images"] {
        settings.remove(added);
    }
    serde_json::from_value(config).ok()
}

/// Returns whether AWS answered that the thing being created already exists. After a create
/// whose answer was lost, the client's retry meets what its first attempt made; the caller then
/// looks again and adopts it when it carries idp's marker (and refuses it when it does not).
pub(super) fn already_exists(error: &crate::aws::error::AwsError) -> bool {
    matches!(
        error.code(),
        Some(
            "RepositoryAlreadyExistsException"
                | "EntityAlreadyExists"
                | "InvalidGroup.Duplicate"
                | "DBInstanceAlreadyExists"
                | "InvalidPermission.Duplicate"
        )
    )
}

std::thread_local! {
    /// Set while a create is retried as an adoption, so that it happens once, never in a loop.
    static ADOPTING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `again` (the resource's apply, which now finds what exists) once after an "already
/// exists" answer; a second one in a row is returned as `error`.
pub(super) fn adopt_once<T>(
    again: impl FnOnce() -> Result<T, ProviderError>,
    error: ProviderError,
) -> Result<T, ProviderError> {
    if ADOPTING.get() {
        return Err(error);
    }
    ADOPTING.set(true);
    let result = again();
    ADOPTING.set(false);
    result
}

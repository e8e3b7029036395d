//! `postgres` on the `aws` provider: an RDS PostgreSQL instance `<project>-<environment>-<resource>`
//! (encrypted, not publicly accessible, with the manifest's retention and deletion protection and
//! the platform's instance class, in the platform's `db_subnet_group` when set) whose master
//! password idp generates and keeps in the Secrets Manager secret
//! `idp/<project>/<environment>/<resource>`.
//!
//! Crash safety: the secret is made first (with a `ClientRequestToken`), then the instance; a
//! re-run finds both by name and marker tag and adopts them. Instances are read by identifier,
//! never by `DbiResourceId` (moto gives every instance the same one).

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::manifest::Postgres;
use crate::providers::{
    DeleteOptions, Deleted, Observed, Outputs, ProviderError, Scope, describe_change,
};

use super::provider::{
    AwsProvider, ensure_ours, failed, foreign, is_not_found, missing_tags, physical_name,
    push_tags, tag_drift, tags,
};
use super::rds_restore::Swap;
use super::secret;
use super::survey::Survey;
use crate::aws::client::Params;
use crate::aws::service::RDS;
use crate::aws::xml::Element;

/// The master user of every instance.
pub const MASTER_USER: &str = "idp_admin";
/// The first wait between polls; it doubles up to [`MAX_POLL`], so a fast answer costs little
/// and a slow one (real RDS takes minutes) few calls.
const FIRST_POLL: Duration = Duration::from_millis(50);
const MAX_POLL: Duration = Duration::from_secs(15);
/// How long to wait for an instance to become available or go away.
const WAIT_LIMIT: Duration = Duration::from_secs(60 * 60);

const INSTANCE_NOT_FOUND: &[&str] = &["DBInstanceNotFound", "DBInstanceNotFoundFault"];

/// Returns the database made in the instance.
pub fn database_name(name: &str) -> String {
    name.replace('-', "_")
}

/// What exists of an instance.
#[derive(Clone, Debug)]
pub struct Instance {
    pub arn: String,
    pub resource_id: String,
    /// The IDs of the VPC security groups attached.
    pub security_groups: Vec<String>,
    pub status: String,
    pub class: String,
    pub retention: u32,
    pub deletion_protection: bool,
    pub encrypted: bool,
    pub public: bool,
    pub host: String,
    pub port: String,
    pub tags: Vec<(String, String)>,
}

/// Finds an instance by identifier.
pub fn find(provider: &AwsProvider, identifier: &str) -> Result<Option<Instance>, ProviderError> {
    let params = Params::new().with("DBInstanceIdentifier", identifier);
    let root = match provider
        .client()
        .query(&RDS, "DescribeDBInstances", &params)
    {
        Ok(root) => root,
        Err(e) if is_not_found(&e, INSTANCE_NOT_FOUND) => return Ok(None),
        Err(e) => {
            return Err(failed(format!("reading the RDS instance `{identifier}`"))(
                e,
            ));
        }
    };
    let instances = root.list(&["DescribeDBInstancesResult", "DBInstances"]);
    let Some(found) = instances
        .into_iter()
        .find(|i| i.text_at(&["DBInstanceIdentifier"]) == Some(identifier))
    else {
        return Ok(None);
    };
    read_instance(provider, found, identifier).map(Some)
}

/// Reads one `DBInstance` of a `DescribeDBInstances` answer, asking for its tags when the answer
/// lacks them.
pub(super) fn read_instance(
    provider: &AwsProvider,
    found: &Element,
    identifier: &str,
) -> Result<Instance, ProviderError> {
    let text = |path: &[&str]| found.text_at(path).unwrap_or_default().to_string();
    let mut tags = read_tags(found.list(&["TagList"]));
    if tags.is_empty() {
        // AWS lists the tags with the instance; some compatible servers (moto) only on request.
        let params = Params::new().with("ResourceName", text(&["DBInstanceArn"]));
        let listed = provider
            .client()
            .query(&RDS, "ListTagsForResource", &params)
            .map_err(failed(format!("reading the tags of `{identifier}`")))?;
        tags = read_tags(listed.list(&["ListTagsForResourceResult", "TagList"]));
    }
    Ok(Instance {
        arn: text(&["DBInstanceArn"]),
        resource_id: text(&["DbiResourceId"]),
        security_groups: found
            .list(&["VpcSecurityGroups"])
            .into_iter()
            .filter_map(|group| group.text_at(&["VpcSecurityGroupId"]))
            .map(str::to_string)
            .collect(),
        status: text(&["DBInstanceStatus"]),
        class: text(&["DBInstanceClass"]),
        retention: text(&["BackupRetentionPeriod"]).parse().unwrap_or(0),
        deletion_protection: text(&["DeletionProtection"]) == "true",
        encrypted: text(&["StorageEncrypted"]) == "true",
        public: text(&["PubliclyAccessible"]) == "true",
        host: text(&["Endpoint", "Address"]),
        port: text(&["Endpoint", "Port"]),
        tags,
    })
}

fn read_tags(list: Vec<&Element>) -> Vec<(String, String)> {
    list.into_iter()
        .filter_map(|tag| {
            Some((
                tag.text_at(&["Key"])?.into(),
                tag.text_at(&["Value"])?.into(),
            ))
        })
        .collect()
}

fn drift(
    instance: &Instance,
    scope: &Scope<'_>,
    name: &str,
    postgres: &Postgres,
    class: &str,
) -> Vec<String> {
    let mut drift = tag_drift(&instance.tags, &tags(scope, name));
    if instance.class != class {
        drift.push(format!(
            "instance class is `{}` instead of `{class}`",
            instance.class
        ));
    }
    if instance.retention != postgres.backup_retention_days {
        drift.push(format!(
            "backup retention is {} days instead of {}",
            instance.retention, postgres.backup_retention_days
        ));
    }
    if instance.deletion_protection != postgres.deletion_protection {
        drift.push(format!(
            "deletion protection is {} instead of {}",
            instance.deletion_protection, postgres.deletion_protection
        ));
    }
    if instance.public {
        drift.push("the instance is publicly accessible".to_string());
    }
    if !instance.encrypted {
        // AWS cannot encrypt an instance in place; a replacement from an encrypted snapshot can.
        drift.push("the instance's storage is not encrypted".to_string());
    }
    drift
}

pub(super) fn instance_class(config: &serde_json::Value) -> String {
    config["instance_class"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

pub fn observe(
    provider: &AwsProvider,
    survey: &Survey,
    scope: &Scope<'_>,
    name: &str,
    postgres: &Postgres,
    config: &serde_json::Value,
) -> Result<Observed, ProviderError> {
    let identifier = physical_name(scope, name);
    let instance = survey.instance(provider, &identifier)?;
    if let Some(swap) = Swap::interrupted(provider, survey, &identifier, instance.as_ref())? {
        return Err(swap.unfinished(name));
    }
    let Some(instance) = instance else {
        return Ok(Observed::Missing);
    };
    if let Some(foreign) = foreign(
        &instance.tags,
        scope,
        name,
        format!("the RDS instance `{identifier}`"),
    ) {
        return Ok(foreign);
    }
    Ok(Observed::Present {
        drift: drift(&instance, scope, name, postgres, &instance_class(config)),
    })
}

pub(super) fn tag_params<'a>(
    mut params: Params,
    tags: impl IntoIterator<Item = &'a (String, String)>,
) -> Params {
    push_tags(&mut params, "Tags.Tag", tags);
    params
}

/// Returns the changes RDS cannot make to an instance in place: a lower engine version (RDS
/// upgrades, never downgrades) and less storage (RDS only grows it). Storage is always encrypted
/// (idp asks for it whatever the manifest says), so `encrypted` never forces a new instance.
pub fn replaced_by(recorded: &serde_json::Value, desired: &serde_json::Value) -> Vec<String> {
    let mut forced = Vec::new();
    let version = |c: &serde_json::Value| c.get("version")?.as_str().map(version_numbers);
    if let (Some(old), Some(new)) = (version(recorded), version(desired))
        && new < old
    {
        forced.push(describe_change("version", recorded, desired));
    }
    let storage = |c: &serde_json::Value| c.get("storage_gb")?.as_u64();
    if let (Some(old), Some(new)) = (storage(recorded), storage(desired))
        && new < old
    {
        forced.push(describe_change("storage_gb", recorded, desired));
    }
    forced
}

/// Returns a version's numbers, `16.3` as `[16, 3]`, to compare versions in order.
fn version_numbers(version: &str) -> Vec<u64> {
    version
        .split('.')
        .map(|part| part.parse().unwrap_or(0))
        .collect()
}

/// Adds to `changes` what grows in place since the last apply: more storage, a newer engine
/// version (a major upgrade allowed explicitly, as RDS requires).
fn growth(changes: &mut Params, postgres: &Postgres, recorded: &serde_json::Value) {
    if recorded
        .get("storage_gb")
        .and_then(serde_json::Value::as_u64)
        .is_some_and(|old| old < u64::from(postgres.storage_gb))
    {
        changes.push("AllocatedStorage", postgres.storage_gb.to_string());
    }
    if let Some(old) = recorded.get("version").and_then(serde_json::Value::as_str) {
        let (old, new) = (version_numbers(old), version_numbers(&postgres.version));
        if old < new {
            changes.push("EngineVersion", &postgres.version);
            if old.first() != new.first() {
                changes.push("AllowMajorVersionUpgrade", "true");
            }
        }
    }
}

/// Creates the instance or brings it up to date; `recorded` is the configuration applied last,
/// against which storage and version growth are measured.
pub fn apply(
    provider: &AwsProvider,
    scope: &Scope<'_>,
    name: &str,
    postgres: &Postgres,
    config: &serde_json::Value,
    recorded: Option<&serde_json::Value>,
    progress: &dyn Fn(&str),
) -> Result<Outputs, ProviderError> {
    let client = provider.client();
    let identifier = physical_name(scope, name);
    let class = instance_class(config);
    let desired_tags = tags(scope, name);
    let action = |what: &str| format!("{what} the RDS instance `{identifier}`");
    let (secret_arn, new_password) = secret::ensure(provider, scope, name)?;
    let mut existed = false;
    let found = find(provider, &identifier)?;
    if let Some(swap) =
        Swap::interrupted(provider, &Survey::default(), &identifier, found.as_ref())?
    {
        return Err(swap.unfinished(name));
    }
    let instance = match found {
        Some(instance) => {
            existed = true;
            ensure_ours(
                &instance.tags,
                scope,
                name,
                &format!("the RDS instance `{identifier}`"),
                "adopting",
            )?;
            if let Some(password) = &new_password {
                // The instance outlived its secret: give it the new password, so the secret
                // holds the one that works.
                progress("setting the master password");
                let params = Params::new()
                    .with("DBInstanceIdentifier", &identifier)
                    .with("MasterUserPassword", password.expose())
                    .with("ApplyImmediately", "true");
                client
                    .query(&RDS, "ModifyDBInstance", &params)
                    .map_err(failed(action("setting the master password of")))?;
            }
            instance
        }
        None => {
            let password = match new_password {
                Some(password) => password,
                None => secret::stored_password(provider, scope, name)?,
            };
            progress("creating the RDS instance");
            let params = Params::new()
                .with("DBInstanceIdentifier", &identifier)
                .with("DBInstanceClass", &class)
                .with("Engine", "postgres")
                .with("EngineVersion", &postgres.version)
                .with("AllocatedStorage", postgres.storage_gb.to_string())
                .with("DBName", database_name(name))
                .with("MasterUsername", MASTER_USER)
                .with("MasterUserPassword", password.expose())
                .with("StorageEncrypted", "true")
                .with("PubliclyAccessible", "false")
                .with("EnableIAMDatabaseAuthentication", "true")
                .with(
                    "BackupRetentionPeriod",
                    postgres.backup_retention_days.to_string(),
                )
                .with(
                    "DeletionProtection",
                    postgres.deletion_protection.to_string(),
                );
            let mut params = params;
            if let Some(group) = &scope.platform.aws.db_subnet_group {
                params.push("DBSubnetGroupName", group);
            }
            match client.query(&RDS, "CreateDBInstance", &tag_params(params, &desired_tags)) {
                Ok(_) => {}
                Err(error) if super::provider::already_exists(&error) => {
                    let error = failed(action("creating"))(error);
                    return super::provider::adopt_once(
                        || apply(provider, scope, name, postgres, config, recorded, progress),
                        error,
                    );
                }
                Err(error) => return Err(failed(action("creating"))(error)),
            }
            wait(provider, &identifier, progress, |instance| {
                instance.is_some_and(|i| i.status == "available")
            })?
            .ok_or_else(|| ProviderError::new(action("creating"), "the instance disappeared"))?
        }
    };
    let mut changes = Params::new().with("DBInstanceIdentifier", &identifier);
    if instance.class != class {
        changes.push("DBInstanceClass", &class);
    }
    if instance.retention != postgres.backup_retention_days {
        changes.push(
            "BackupRetentionPeriod",
            postgres.backup_retention_days.to_string(),
        );
    }
    if instance.deletion_protection != postgres.deletion_protection {
        changes.push(
            "DeletionProtection",
            postgres.deletion_protection.to_string(),
        );
    }
    if instance.public {
        changes.push("PubliclyAccessible", "false");
    }
    if let Some(recorded) = recorded.filter(|_| existed) {
        growth(&mut changes, postgres, recorded);
    }
    if changes.0.len() > 1 {
        progress("updating the RDS instance");
        changes.push("ApplyImmediately", "true");
        client
            .query(&RDS, "ModifyDBInstance", &changes)
            .map_err(failed(action("updating")))?;
    }
    let untagged = missing_tags(&instance.tags, &desired_tags);
    if !untagged.is_empty() {
        let params = Params::new().with("ResourceName", &instance.arn);
        client
            .query(&RDS, "AddTagsToResource", &tag_params(params, untagged))
            .map_err(failed(action("tagging")))?;
    }
    let instance = if instance.status == "available" {
        instance
    } else {
        wait(provider, &identifier, progress, |instance| {
            instance.is_some_and(|i| i.status == "available")
        })?
        .ok_or_else(|| ProviderError::new(action("updating"), "the instance disappeared"))?
    };
    Ok(Outputs::from([
        ("host".to_string(), instance.host),
        ("port".to_string(), instance.port),
        ("database".to_string(), database_name(name)),
        ("user".to_string(), MASTER_USER.to_string()),
        ("secret_arn".to_string(), secret_arn),
        ("instance".to_string(), identifier.clone()),
    ]))
}

/// Sets the security groups attached to an instance.
pub fn set_security_groups(
    provider: &AwsProvider,
    identifier: &str,
    groups: &[String],
) -> Result<(), ProviderError> {
    let mut params = Params::new().with("DBInstanceIdentifier", identifier);
    for (index, group) in groups.iter().enumerate() {
        params.push(
            format!("VpcSecurityGroupIds.VpcSecurityGroupId.{}", index + 1),
            group,
        );
    }
    params.push("ApplyImmediately", "true");
    provider
        .client()
        .query(&RDS, "ModifyDBInstance", &params)
        .map(|_| ())
        .map_err(failed(format!(
            "setting the security groups of the RDS instance `{identifier}`"
        )))
}

/// Polls the instance until `done` says so; returns the instance as last seen.
pub(super) fn wait(
    provider: &AwsProvider,
    identifier: &str,
    progress: &dyn Fn(&str),
    done: impl Fn(Option<&Instance>) -> bool,
) -> Result<Option<Instance>, ProviderError> {
    poll(
        &format!("the RDS instance `{identifier}`"),
        progress,
        || {
            let instance = find(provider, identifier)?;
            if done(instance.as_ref()) {
                Ok(Ok(instance))
            } else {
                Ok(Err(instance.map(|i| i.status).unwrap_or_default()))
            }
        },
    )
}

/// Calls `look` until it answers `Ok(done)`, the first call at once and later ones further
/// apart; `Err(status)` means not yet, and a new status is reported to `progress`.
fn poll<T>(
    what: &str,
    progress: &dyn Fn(&str),
    look: impl Fn() -> Result<Result<T, String>, ProviderError>,
) -> Result<T, ProviderError> {
    let started = Instant::now();
    let mut interval = FIRST_POLL;
    let mut last_status = String::new();
    loop {
        let status = match look()? {
            Ok(done) => return Ok(done),
            Err(status) => status,
        };
        if status != last_status {
            progress(&format!("waiting for {what} ({status})"));
            last_status = status;
        }
        if started.elapsed() > WAIT_LIMIT {
            return Err(ProviderError::new(
                format!("waiting for {what}"),
                format!(
                    "still `{last_status}` after {} minutes",
                    WAIT_LIMIT.as_secs() / 60
                ),
            )
            .with_hint("run the command again once it has settled"));
        }
        std::thread::sleep(interval);
        interval = (interval * 2).min(MAX_POLL);
    }
}

pub(super) fn now_seconds() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

/// Takes a snapshot of a database's instance, named `<instance>-<label>-<unix time>`, and waits
/// until it can be restored; returns its identifier.
pub fn snapshot(
    provider: &AwsProvider,
    scope: &Scope<'_>,
    name: &str,
    label: &str,
    progress: &dyn Fn(&str),
) -> Result<String, ProviderError> {
    let identifier = physical_name(scope, name);
    let snapshot = format!("{identifier}-{label}-{}", now_seconds());
    let action = format!("snapshotting the RDS instance `{identifier}`");
    let params = Params::new()
        .with("DBInstanceIdentifier", &identifier)
        .with("DBSnapshotIdentifier", &snapshot);
    progress("taking an RDS snapshot");
    provider
        .client()
        .query(
            &RDS,
            "CreateDBSnapshot",
            &tag_params(params, &tags(scope, name)),
        )
        .map_err(failed(action.clone()))?;
    let params = Params::new().with("DBSnapshotIdentifier", &snapshot);
    poll(&format!("the snapshot `{snapshot}`"), progress, || {
        let root = provider
            .client()
            .query(&RDS, "DescribeDBSnapshots", &params)
            .map_err(failed(action.clone()))?;
        let status = root
            .list(&["DescribeDBSnapshotsResult", "DBSnapshots"])
            .first()
            .and_then(|s| s.text_at(&["Status"]))
            .unwrap_or_default()
            .to_string();
        Ok(if status == "available" {
            Ok(())
        } else {
            Err(status)
        })
    })?;
    Ok(snapshot)
}

pub fn delete(
    provider: &AwsProvider,
    scope: &Scope<'_>,
    name: &str,
    options: &DeleteOptions,
    progress: &dyn Fn(&str),
) -> Result<Deleted, ProviderError> {
    let identifier = physical_name(scope, name);
    let action = format!("deleting the RDS instance `{identifier}`");
    let mut deleted = Deleted::default();
    if let Some(instance) = find(provider, &identifier)? {
        ensure_ours(
            &instance.tags,
            scope,
            name,
            &format!("the RDS instance `{identifier}`"),
            "deleting",
        )?;
        let mut params = Params::new().with("DBInstanceIdentifier", &identifier);
        if options.final_backup {
            let snapshot = format!("{identifier}-final-{}", now_seconds());
            params.push("FinalDBSnapshotIdentifier", &snapshot);
            deleted.backup = Some(snapshot.into());
        } else {
            params.push("SkipFinalSnapshot", "true");
        }
        progress("deleting the RDS instance");
        match provider.client().query(&RDS, "DeleteDBInstance", &params) {
            Ok(_) => {}
            Err(e) if is_not_found(&e, INSTANCE_NOT_FOUND) => {}
            Err(e) => return Err(failed(action)(e)),
        }
        wait(provider, &identifier, progress, |instance| {
            instance.is_none()
        })?;
    }
    secret::delete(provider, scope, name, options.final_backup)?;
    Ok(deleted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_downgrades_and_shrinking_force_a_new_instance() {
        let recorded = serde_json::json!({ "version": "16.3", "storage_gb": 20, "size": "small" });
        let upgraded = serde_json::json!({ "version": "17", "storage_gb": 40, "size": "large" });
        assert!(replaced_by(&recorded, &upgraded).is_empty());
        let downgraded = serde_json::json!({ "version": "15", "storage_gb": 10, "size": "small" });
        assert_eq!(
            replaced_by(&recorded, &downgraded),
            ["version: \"16.3\" → \"15\"", "storage_gb: 20 → 10"]
        );
    }
}

//! `idp restore` of a `postgres` on the `aws` provider: an RDS snapshot restored in place of the
//! database's instance.
//!
//! RDS restores a snapshot only into a new instance, so the restore is a swap:
//! 1. `RestoreDBInstanceFromDBSnapshot` into `<instance>-restoring` (encrypted like the snapshot,
//!    private, in the platform's DB subnet group, with the current instance's security groups
//!    and idp's tags), and wait until it is available;
//! 2. rename the current instance to `<instance>-replaced-<unix time>`, then the restored one to
//!    `<instance>` (`ModifyDBInstance NewDBInstanceIdentifier`, applied immediately); if the
//!    second rename fails, the first is undone;
//! 3. give the restored instance the password kept in Secrets Manager, the manifest's retention
//!    and deletion protection, and the security groups again;
//! 4. delete the replaced instance with a final snapshot, so nothing is lost.
//!
//! The database keeps its identifier, endpoint name, secret and tags; the old instance goes only
//! once the restored one serves under its name. A crash between the two renames leaves both
//! instances (with idp's marker) for a person to rename; nothing is deleted before step 4.

use crate::providers::{ProviderError, Scope};

use super::client::Params;
use super::provider::{AwsProvider, ensure_ours, failed, missing_tags, physical_name, tags};
use super::rds::{find, instance_class, now_seconds, tag_params, wait};
use super::secret;
use super::service::RDS;

/// Restores the snapshot `snapshot` in place of the database `name`'s instance; `config` is the
/// configuration applied last (retention, deletion protection, instance class).
pub fn restore(
    provider: &AwsProvider,
    scope: &Scope<'_>,
    name: &str,
    config: &serde_json::Value,
    snapshot: &str,
    progress: &dyn Fn(&str),
) -> Result<(), ProviderError> {
    let client = provider.client();
    let identifier = physical_name(scope, name);
    let action = format!("restoring the RDS instance `{identifier}` from `{snapshot}`");
    let current = find(provider, &identifier)?.ok_or_else(|| {
        ProviderError::new(action.clone(), "the instance does not exist")
            .with_hint("run `idp provision` first, then restore into it")
    })?;
    ensure_ours(
        &current.tags,
        scope,
        name,
        &format!("the RDS instance `{identifier}`"),
        "restoring",
    )?;
    ensure_snapshot(provider, snapshot, &action)?;
    let password = secret::stored_password(provider, scope, name)?;
    let desired_tags = tags(scope, name);
    let retention = config["backup_retention_days"]
        .as_u64()
        .unwrap_or(u64::from(current.retention));
    let protection = config["deletion_protection"]
        .as_bool()
        .unwrap_or(current.deletion_protection);

    let restoring = format!("{identifier}-restoring");
    progress("restoring the snapshot into a new RDS instance");
    let mut params = Params::new()
        .with("DBInstanceIdentifier", &restoring)
        .with("DBSnapshotIdentifier", snapshot)
        .with("PubliclyAccessible", "false")
        .with("EnableIAMDatabaseAuthentication", "true");
    let class = instance_class(config);
    if !class.is_empty() {
        params.push("DBInstanceClass", &class);
    }
    if let Some(group) = &scope.platform.aws.db_subnet_group {
        params.push("DBSubnetGroupName", group);
    }
    push_groups(&mut params, &current.security_groups);
    match client.query(
        &RDS,
        "RestoreDBInstanceFromDBSnapshot",
        &tag_params(params, &desired_tags),
    ) {
        Ok(_) => {}
        // A restore interrupted earlier left it: wait for it and carry on.
        Err(error) if super::provider::already_exists(&error) => {
            let found = find(provider, &restoring)?;
            let tags = found.map(|i| i.tags).unwrap_or_default();
            ensure_ours(
                &tags,
                scope,
                name,
                &format!("the RDS instance `{restoring}`"),
                "restoring into",
            )?;
        }
        Err(error) => return Err(failed(action.clone())(error)),
    }
    wait(provider, &restoring, progress, |instance| {
        instance.is_some_and(|i| i.status == "available")
    })?;

    let replaced = format!("{identifier}-replaced-{}", now_seconds());
    progress("swapping the restored instance in");
    rename(provider, &identifier, &replaced, progress)?;
    if let Err(error) = rename(provider, &restoring, &identifier, progress) {
        // Put the old instance back under its name, so the database keeps working.
        rename(provider, &replaced, &identifier, progress)?;
        return Err(error);
    }

    let mut changes = Params::new()
        .with("DBInstanceIdentifier", &identifier)
        .with("MasterUserPassword", password.expose())
        .with("BackupRetentionPeriod", retention.to_string())
        .with("DeletionProtection", protection.to_string());
    push_groups(&mut changes, &current.security_groups);
    changes.push("ApplyImmediately", "true");
    client
        .query(&RDS, "ModifyDBInstance", &changes)
        .map_err(failed(format!(
            "setting the password and settings of the restored RDS instance `{identifier}`"
        )))?;
    let restored = wait(provider, &identifier, progress, |instance| {
        instance.is_some_and(|i| i.status == "available")
    })?
    .ok_or_else(|| ProviderError::new(action.clone(), "the restored instance disappeared"))?;
    let untagged = missing_tags(&restored.tags, &desired_tags);
    if !untagged.is_empty() {
        let params = Params::new().with("ResourceName", &restored.arn);
        client
            .query(&RDS, "AddTagsToResource", &tag_params(params, untagged))
            .map_err(failed(format!(
                "tagging the restored RDS instance `{identifier}`"
            )))?;
    }

    delete_replaced(provider, &replaced, current.deletion_protection, progress)
}

/// Fails unless the snapshot exists, before anything is changed.
fn ensure_snapshot(
    provider: &AwsProvider,
    snapshot: &str,
    action: &str,
) -> Result<(), ProviderError> {
    let params = Params::new().with("DBSnapshotIdentifier", snapshot);
    let found = match provider
        .client()
        .query(&RDS, "DescribeDBSnapshots", &params)
    {
        Ok(root) => !root
            .list(&["DescribeDBSnapshotsResult", "DBSnapshots"])
            .is_empty(),
        Err(error) if error.code() == Some("DBSnapshotNotFound") => false,
        Err(error) => return Err(failed(action)(error)),
    };
    if found {
        Ok(())
    } else {
        Err(
            ProviderError::new(action, format!("the snapshot `{snapshot}` does not exist"))
                .with_hint("`idp backup NAME` prints the identifier of each snapshot it takes"),
        )
    }
}

fn push_groups(params: &mut Params, groups: &[String]) {
    for (index, group) in groups.iter().enumerate() {
        params.push(
            format!("VpcSecurityGroupIds.VpcSecurityGroupId.{}", index + 1),
            group,
        );
    }
}

/// Renames an instance and waits until it answers to its new name.
fn rename(
    provider: &AwsProvider,
    from: &str,
    to: &str,
    progress: &dyn Fn(&str),
) -> Result<(), ProviderError> {
    let params = Params::new()
        .with("DBInstanceIdentifier", from)
        .with("NewDBInstanceIdentifier", to)
        .with("ApplyImmediately", "true");
    provider
        .client()
        .query(&RDS, "ModifyDBInstance", &params)
        .map_err(failed(format!(
            "renaming the RDS instance `{from}` to `{to}`"
        )))?;
    wait(provider, to, progress, |instance| {
        instance.is_some_and(|i| i.status == "available")
    })?;
    wait(provider, from, progress, |instance| instance.is_none())?;
    Ok(())
}

/// Deletes the instance the restore replaced, with a final snapshot.
fn delete_replaced(
    provider: &AwsProvider,
    replaced: &str,
    protected: bool,
    progress: &dyn Fn(&str),
) -> Result<(), ProviderError> {
    let action = format!("deleting the replaced RDS instance `{replaced}`");
    if protected {
        let params = Params::new()
            .with("DBInstanceIdentifier", replaced)
            .with("DeletionProtection", "false")
            .with("ApplyImmediately", "true");
        provider
            .client()
            .query(&RDS, "ModifyDBInstance", &params)
            .map_err(failed(action.clone()))?;
    }
    progress("deleting the replaced RDS instance");
    let params = Params::new()
        .with("DBInstanceIdentifier", replaced)
        .with("FinalDBSnapshotIdentifier", format!("{replaced}-final"));
    provider
        .client()
        .query(&RDS, "DeleteDBInstance", &params)
        .map_err(failed(action))?;
    wait(provider, replaced, progress, |instance| instance.is_none())?;
    Ok(())
}

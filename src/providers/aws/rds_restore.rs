//! `idp restore` of a `postgres` on the `aws` provider: an RDS snapshot restored in place of the
//! database's instance.
//!
//! RDS restores a snapshot only into a new instance, so the restore is a swap:
//! 1. `RestoreDBInstanceFromDBSnapshot` into `<instance>-restoring` (encrypted like the snapshot,
//!    private, in the platform's DB subnet group, with the current instance's security groups,
//!    idp's tags and the two swap tags below), and wait until it is available;
//! 2. rename the current instance to `<instance>-replaced-<unix time>`, then the restored one to
//!    `<instance>` (`ModifyDBInstance NewDBInstanceIdentifier`, applied immediately); if the
//!    second rename fails, the first is undone;
//! 3. give the restored instance the password kept in Secrets Manager, the manifest's retention
//!    and deletion protection, and the security groups again;
//! 4. delete the replaced instance with a final snapshot, so nothing is lost, and take the swap
//!    tags off the restored one.
//!
//! The database keeps its identifier, endpoint name, secret and tags; the old instance goes only
//! once the restored one serves under its name. The swap tags, on the restored instance from its
//! creation until the end, name the replaced instance and the snapshot: a restore stopped at any
//! step (a crash, Ctrl-C) is finished by the next `idp restore`, and until then `idp provision`
//! and `idp status` refuse to take a missing `<instance>` for one to create.

use crate::providers::{ProviderError, Scope};

use super::provider::{AwsProvider, ensure_ours, failed, missing_tags, physical_name, tags};
use super::rds::{Instance, find, instance_class, now_seconds, tag_params, wait};
use super::secret;
use super::survey::Survey;
use crate::aws::client::Params;
use crate::aws::service::RDS;

/// The name the instance being replaced gets (`<instance>-replaced-<unix time>`).
pub(super) const REPLACES_TAG: &str = "idp:restore-replaces";
/// The snapshot being restored.
pub(super) const SNAPSHOT_TAG: &str = "idp:restore-snapshot";

/// A swap under way: the names of the instances it involves and the snapshot it restores.
#[derive(Debug)]
pub(super) struct Swap {
    identifier: String,
    restoring: String,
    replaced: String,
    snapshot: String,
}

impl Swap {
    /// Reads a swap from an instance's tags.
    fn from_tags(identifier: &str, tags: &[(String, String)]) -> Option<Swap> {
        let tag = |key: &str| tags.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        Some(Swap {
            identifier: identifier.to_string(),
            restoring: restoring_name(identifier),
            replaced: tag(REPLACES_TAG)?,
            snapshot: tag(SNAPSHOT_TAG)?,
        })
    }

    /// Returns the swap an interrupted restore left for the instance `identifier`, given that
    /// instance as found (`current`): the swap tags on it (renamed, not yet finished) or on
    /// `<identifier>-restoring`.
    pub(super) fn interrupted(
        provider: &AwsProvider,
        survey: &Survey,
        identifier: &str,
        current: Option<&Instance>,
    ) -> Result<Option<Swap>, ProviderError> {
        if let Some(current) = current {
            return Ok(Swap::from_tags(identifier, &current.tags));
        }
        let restoring = survey.instance(provider, &restoring_name(identifier))?;
        Ok(restoring.and_then(|r| Swap::from_tags(identifier, &r.tags)))
    }

    /// The error `provision` and `status` give while the swap is unfinished.
    pub(super) fn unfinished(&self, name: &str) -> ProviderError {
        ProviderError::new(
            format!("reading the RDS instance `{}`", self.identifier),
            format!(
                "a restore from `{}` stopped before its end (`{}` is the restored instance, \
                 `{}` the one it replaces)",
                self.snapshot, self.restoring, self.replaced
            ),
        )
        .with_hint(format!(
            "run `idp restore {name} {}` to finish it",
            self.snapshot
        ))
    }

    /// Carries the swap on from wherever it stopped: every step looks at what exists first.
    fn finish(
        &self,
        provider: &AwsProvider,
        scope: &Scope<'_>,
        name: &str,
        config: &serde_json::Value,
        progress: &dyn Fn(&str),
    ) -> Result<(), ProviderError> {
        let identifier = &self.identifier;
        if find(provider, &self.restoring)?.is_some() {
            wait(provider, &self.restoring, progress, |instance| {
                instance.is_some_and(|i| i.status == "available")
            })?;
            progress("swapping the restored instance in");
            // The current instance steps aside, unless an earlier run moved it already.
            let moved = find(provider, identifier)?.is_some();
            if moved {
                rename(provider, identifier, &self.replaced, progress)?;
            }
            if let Err(error) = rename(provider, &self.restoring, identifier, progress) {
                if moved {
                    // Put the old instance back under its name, so the database keeps working.
                    rename(provider, &self.replaced, identifier, progress)?;
                }
                return Err(error);
            }
        }
        let action = format!("restoring the RDS instance `{identifier}`");
        let restored = find(provider, identifier)?
            .ok_or_else(|| ProviderError::new(action.clone(), "the restored instance is gone"))?;
        let replaced = find(provider, &self.replaced)?;
        // The settings the database had before the restore: the replaced instance's while it
        // exists, else (it went in an earlier run) those given to the restored one then.
        let before = replaced.as_ref().unwrap_or(&restored);
        let retention = config["backup_retention_days"]
            .as_u64()
            .unwrap_or(u64::from(before.retention));
        let protection = config["deletion_protection"]
            .as_bool()
            .unwrap_or(before.deletion_protection);
        let password = secret::stored_password(provider, scope, name)?;
        let mut changes = Params::new()
            .with("DBInstanceIdentifier", identifier)
            .with("MasterUserPassword", password.expose())
            .with("BackupRetentionPeriod", retention.to_string())
            .with("DeletionProtection", protection.to_string());
        push_groups(&mut changes, &before.security_groups);
        changes.push("ApplyImmediately", "true");
        progress("setting the restored instance's password and settings");
        let client = provider.client();
        client
            .query(&RDS, "ModifyDBInstance", &changes)
            .map_err(failed(format!(
                "setting the password and settings of the restored RDS instance `{identifier}`"
            )))?;
        let restored = wait(provider, identifier, progress, |instance| {
            instance.is_some_and(|i| i.status == "available")
        })?
        .ok_or_else(|| ProviderError::new(action.clone(), "the restored instance disappeared"))?;
        let desired_tags = tags(scope, name);
        let untagged = missing_tags(&restored.tags, &desired_tags);
        if !untagged.is_empty() {
            let params = Params::new().with("ResourceName", &restored.arn);
            client
                .query(&RDS, "AddTagsToResource", &tag_params(params, untagged))
                .map_err(failed(format!(
                    "tagging the restored RDS instance `{identifier}`"
                )))?;
        }
        if let Some(replaced) = replaced {
            delete_replaced(provider, &replaced, &self.replaced, progress)?;
        }
        // Last, so that until here a re-run knows there is a swap to finish.
        let params = Params::new()
            .with("ResourceName", &restored.arn)
            .with("TagKeys.member.1", REPLACES_TAG)
            .with("TagKeys.member.2", SNAPSHOT_TAG);
        client
            .query(&RDS, "RemoveTagsFromResource", &params)
            .map_err(failed(format!(
                "untagging the restored RDS instance `{identifier}`"
            )))?;
        Ok(())
    }
}

pub(super) fn restoring_name(identifier: &str) -> String {
    format!("{identifier}-restoring")
}

/// Restores the snapshot `snapshot` in place of the database `name`'s instance; `config` is the
/// configuration applied last (retention, deletion protection, instance class). A restore
/// interrupted earlier is finished first (and is all there is to do when it restored the same
/// snapshot).
pub fn restore(
    provider: &AwsProvider,
    scope: &Scope<'_>,
    name: &str,
    config: &serde_json::Value,
    snapshot: &str,
    progress: &dyn Fn(&str),
) -> Result<(), ProviderError> {
    let identifier = physical_name(scope, name);
    let action = format!("restoring the RDS instance `{identifier}` from `{snapshot}`");
    let mut current = find(provider, &identifier)?;
    let live = Survey::default();
    if let Some(swap) = Swap::interrupted(provider, &live, &identifier, current.as_ref())? {
        progress(&format!(
            "finishing the restore from `{}` that stopped before its end",
            swap.snapshot
        ));
        swap.finish(provider, scope, name, config, progress)?;
        if swap.snapshot == snapshot {
            return Ok(());
        }
        current = find(provider, &identifier)?;
    }
    let current = current.ok_or_else(|| {
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
    // Fails before anything is made when the secret is gone.
    secret::stored_password(provider, scope, name)?;

    let swap = Swap {
        restoring: restoring_name(&identifier),
        replaced: format!("{identifier}-replaced-{}", now_seconds()),
        snapshot: snapshot.to_string(),
        identifier,
    };
    progress("restoring the snapshot into a new RDS instance");
    let mut params = Params::new()
        .with("DBInstanceIdentifier", &swap.restoring)
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
    let mut swap_tags = tags(scope, name);
    swap_tags.push((REPLACES_TAG.to_string(), swap.replaced.clone()));
    swap_tags.push((SNAPSHOT_TAG.to_string(), swap.snapshot.clone()));
    match provider.client().query(
        &RDS,
        "RestoreDBInstanceFromDBSnapshot",
        &tag_params(params, &swap_tags),
    ) {
        Ok(_) => {}
        // The client's retry met what its first attempt made (its answer was lost).
        Err(error) if super::provider::already_exists(&error) => {
            let tags = find(provider, &swap.restoring)?
                .map(|i| i.tags)
                .unwrap_or_default();
            ensure_ours(
                &tags,
                scope,
                name,
                &format!("the RDS instance `{}`", swap.restoring),
                "restoring into",
            )?;
        }
        Err(error) => return Err(failed(action)(error)),
    }
    swap.finish(provider, scope, name, config, progress)
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

/// Deletes the instance the restore replaced (`found`, named `replaced`), with a final snapshot;
/// a deletion already under way is waited for.
fn delete_replaced(
    provider: &AwsProvider,
    found: &Instance,
    replaced: &str,
    progress: &dyn Fn(&str),
) -> Result<(), ProviderError> {
    let action = format!("deleting the replaced RDS instance `{replaced}`");
    if found.status != "deleting" {
        if found.deletion_protection {
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
    }
    wait(provider, replaced, progress, |instance| instance.is_none())?;
    Ok(())
}

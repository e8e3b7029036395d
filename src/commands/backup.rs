//! `idp backup` and `idp restore`: database backups kept under `.idp/backups/<env>/`, pruned to the
//! database's `backup_retention_days`.

use std::path::PathBuf;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use clap::Args;

use crate::engine::backups::prune;
use crate::engine::{Event, Observer};
use crate::error::{Error, ExitStatus};
use crate::output::Output;
use crate::providers::ProviderError;
use crate::session::Session;
use crate::settings::Settings;
use crate::state::RecordedResource;

use super::guard::{checked_session, confirm};

/// Back up a database of an environment; backups older than its `backup_retention_days` are
/// removed (the newest is always kept)
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The database resource to back up
    pub name: String,
}

/// Restore a database from a backup made by `idp backup` or `idp destroy`
///
/// Replaces what the backup holds; asks for confirmation on a terminal and refuses without
/// `--yes` elsewhere. On `aws` the backup is an RDS snapshot identifier, restored into a new
/// instance swapped in for the old one; a restore stopped midway is finished by running it again.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The database resource to restore into
    pub name: String,
    /// The backup file (`local`) or RDS snapshot identifier (`aws`)
    pub backup: PathBuf,
}

/// Opens the checked session and returns it with the recorded resource `name`, or the exit
/// status when the manifest is refused.
fn session_with_record(
    settings: &Settings,
    output: &Output,
    name: &str,
) -> Result<Result<(Session, RecordedResource), ExitStatus>, Error> {
    let session = match checked_session(settings, output)? {
        Ok(session) => session,
        Err(status) => return Ok(Err(status)),
    };
    let state = session.load_state()?;
    let Some(record) = state.resources.get(name).cloned() else {
        return Err(Error::NotProvisioned {
            name: name.to_string(),
            environment: session.environment_name.clone(),
        });
    };
    Ok(Ok((session, record)))
}

/// Runs `work` on the database `name` with its steps and waits shown as `idp provision` shows
/// a resource's (an RDS snapshot or restore takes minutes).
fn with_progress<T>(
    output: &Output,
    name: &str,
    verb: &'static str,
    work: impl FnOnce(&dyn Fn(&str)) -> Result<T, ProviderError>,
) -> Result<T, ProviderError> {
    let progress = output.progress();
    let started = Instant::now();
    let resource = name.to_string();
    progress.event(Event::Started {
        resource: resource.clone(),
        verb,
    });
    let result = work(&|message: &str| {
        progress.event(Event::Progress {
            resource: resource.clone(),
            message: message.to_string(),
        })
    });
    progress.event(match &result {
        Ok(_) => Event::Finished {
            resource,
            verb,
            elapsed: started.elapsed(),
        },
        Err(error) => Event::Failed {
            resource,
            message: error.message.clone(),
        },
    });
    result
}

pub fn backup(
    args: &BackupArgs,
    settings: &Settings,
    output: &Output,
) -> Result<ExitStatus, Error> {
    let (session, record) = match session_with_record(settings, output, &args.name)? {
        Ok(found) => found,
        Err(status) => return Ok(status),
    };
    let record = &record;
    let dir = session.backup_dir();
    let path = with_progress(output, &args.name, "backing up", |progress| {
        session
            .provider
            .backup(&session.scope(), &args.name, record, &dir, progress)
    })?;
    output.data(&format!("{}\n", path.display()))?;
    let retention = record
        .config
        .get("backup_retention_days")
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(7);
    let database = record.outputs.get("database").cloned().unwrap_or_default();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let removed = prune(
        &dir,
        &database,
        u32::try_from(retention).unwrap_or(u32::MAX),
        now,
    )
    .map_err(|source| Error::Io {
        action: "prune the backups in".into(),
        path: dir.clone(),
        source,
    })?;
    for path in removed {
        output.status(&format!(
            "Removed `{}`: older than {retention} days.",
            path.display()
        ));
    }
    Ok(ExitStatus::Success)
}

pub fn restore(
    args: &RestoreArgs,
    settings: &Settings,
    output: &Output,
) -> Result<ExitStatus, Error> {
    let (session, record) = match session_with_record(settings, output, &args.name)? {
        Ok(found) => found,
        Err(status) => return Ok(status),
    };
    let record = &record;
    let prompt = format!(
        "Replace the contents of `{}` in `{}` with `{}`? Type `yes` to confirm",
        args.name,
        session.environment_name,
        args.backup.display()
    );
    let action = format!("restore `{}` of `{}`", args.name, session.environment_name);
    if !confirm(settings, &action, prompt, "yes")? {
        output.status("Not confirmed; nothing was restored.");
        return Ok(ExitStatus::Failure);
    }
    with_progress(output, &args.name, "restoring", |progress| {
        session
            .provider
            .restore(&session.scope(), &args.name, record, &args.backup, progress)
    })?;
    output.status(&format!(
        "Restored `{}` from `{}`.",
        args.name,
        args.backup.display()
    ));
    Ok(ExitStatus::Success)
}

//! What every provisioning command does first: read the project, hold it to the guardrails for
//! the chosen environment (a refusal makes no provider call at all), and open the session.

use std::time::Duration;

use crate::connection::{Variable, variables};
use crate::error::{Error, ExitStatus};
use crate::finding::{Category, has_errors};
use crate::output::Output;
use crate::output::prompt::TerminalAsker;
use crate::policy::Date;
use crate::scaffold::{Ask, Question, QuestionKind};
use crate::session::{Session, open_credentials};
use crate::settings::Settings;
use crate::state::{DynamoLock, EnvironmentLock, StateBackend, StateLock};
use crate::workspace::Workspace;

/// Returns the session, or the exit status when the manifest is malformed or refused.
pub fn checked_session(
    settings: &Settings,
    output: &Output,
) -> Result<Result<Session, ExitStatus>, Error> {
    let workspace = Workspace::load(settings)?;
    let (Some(manifest), Some(platform)) = (workspace.manifest.value.clone(), workspace.platform())
    else {
        output.findings(&workspace.check(None, Date::today()), &workspace.sources());
        return Ok(Err(ExitStatus::Failure));
    };
    let session = Session::open(settings, &workspace, &manifest, &platform)?;
    let findings = workspace.check(Some(&session.environment_name), Date::today());
    if !findings.is_empty() {
        output.findings(&findings, &workspace.sources());
    }
    if has_errors(&findings, Category::Invalid) {
        return Ok(Err(ExitStatus::Failure));
    }
    if has_errors(&findings, Category::Policy) {
        output.status(&format!(
            "refused: the guardrails do not allow this manifest in `{}`; nothing was touched",
            session.environment_name
        ));
        return Ok(Err(ExitStatus::Refused));
    }
    if let Some(warning) = &session.credentials_warning {
        output.warning(warning);
    }
    Ok(Ok(session))
}

/// Takes the environment's lock for `operation` (the file lock, or the team lock in DynamoDB
/// when the state is in S3), saying so while it waits for another idp; then readies the state's
/// storage, so a bucket unfit for state is refused before anything is made.
pub fn lock(
    session: &Session,
    operation: &str,
    timeout_seconds: u64,
    output: &Output,
) -> Result<EnvironmentLock, Error> {
    let wait = Duration::from_secs(timeout_seconds);
    let mut on_wait = |holder: &crate::state::LockHolder| {
        output.status(&format!(
            "waiting for another idp ({}, `{}`) to finish with `{}`…",
            holder.who(),
            holder.operation,
            session.environment_name
        ))
    };
    let environment = &session.environment_name;
    Ok(match &session.store {
        StateBackend::S3 { lock, .. } => {
            let held = DynamoLock::acquire(lock, environment, operation, wait, &mut on_wait)?;
            session.store.make_ready()?;
            EnvironmentLock::Dynamo(held)
        }
        StateBackend::File(store) => EnvironmentLock::File(StateLock::acquire(
            store,
            environment,
            operation,
            wait,
            &mut on_wait,
        )?),
    })
}

/// Asks the user to confirm `action` by typing `expected`; `--yes` confirms, and without a
/// terminal nothing is confirmed (the error names `--yes`).
pub fn confirm(
    settings: &Settings,
    action: &str,
    prompt: String,
    expected: &str,
) -> Result<bool, Error> {
    if settings.yes {
        return Ok(true);
    }
    if !settings.can_prompt {
        return Err(Error::ConfirmationNeeded {
            action: action.to_string(),
        });
    }
    let question = Question {
        name: "confirm".into(),
        prompt,
        help: None,
        kind: QuestionKind::Text { validate: None },
        default: None,
    };
    Ok(TerminalAsker::default().ask(&question)?.as_str() == Some(expected))
}

/// Returns the connection settings the app gets for the session's environment.
pub fn app_variables(session: &Session, settings: &Settings) -> Result<Vec<Variable>, Error> {
    let state = session.load_state()?;
    let (credentials, _) = open_credentials(settings)?;
    variables(&state, &credentials)
}

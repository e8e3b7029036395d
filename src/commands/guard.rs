//! What every provisioning command does first: read the project, hold it to the guardrails for
//! the chosen environment (a refusal makes no provider call at all), and open the session.

use crate::error::{Error, ExitStatus};
use crate::finding::{Category, has_errors};
use crate::output::Output;
use crate::policy::Date;
use crate::session::Session;
use crate::settings::Settings;
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

//! `idp plan`: what `idp provision` would do, touching nothing.

use clap::Args;

use crate::engine::{Action, Plan};
use crate::error::{Error, ExitStatus};
use crate::output::{Format, Output};
use crate::settings::Settings;

use super::guard::checked_session;

/// Show what `idp provision` would create, change or leave alone in an environment
///
/// The guardrails are evaluated first; a refused manifest exits 3. No resource is created or
/// changed, and no server is started.
#[derive(Debug, Args)]
pub struct PlanArgs {}

pub fn run(_args: &PlanArgs, settings: &Settings, output: &Output) -> Result<ExitStatus, Error> {
    let session = match checked_session(settings, output)? {
        Ok(session) => session,
        Err(status) => return Ok(status),
    };
    let state = session.load_state()?;
    let plan = session.plan_all(&state)?;
    match output.format() {
        Format::Json => output.json(&plan)?,
        Format::Text => output.data(&render(&plan))?,
    }
    Ok(ExitStatus::Success)
}

/// Returns the plan as text: one line per resource, then the counts.
pub fn render(plan: &Plan) -> String {
    let width = plan.changes.iter().map(|c| c.name.len()).max().unwrap_or(0);
    let mut text = format!(
        "Plan for `{}` ({} provider):\n",
        plan.environment, plan.provider
    );
    let (mut create, mut update, mut replace, mut same) = (0, 0, 0, 0);
    for change in &plan.changes {
        let (mark, what) = match &change.action {
            Action::Create => {
                create += 1;
                ("+", "create".to_string())
            }
            Action::Adopt => {
                update += 1;
                (
                    "~",
                    "adopt (it exists with idp's marker; finish recording it)".to_string(),
                )
            }
            Action::Update { changes } => {
                update += 1;
                ("~", format!("update: {}", changes.join("; ")))
            }
            Action::Replace { forced_by, changes } => {
                replace += 1;
                let others: Vec<&String> =
                    changes.iter().filter(|c| !forced_by.contains(c)).collect();
                let mut what = format!("replace: {}", forced_by.join("; "));
                if !others.is_empty() {
                    let others: Vec<&str> = others.iter().map(|c| c.as_str()).collect();
                    what.push_str(&format!(" (also: {})", others.join("; ")));
                }
                ("-/+", what)
            }
            Action::NoChange => {
                same += 1;
                ("=", "no change".to_string())
            }
            Action::Orphaned => (
                "!",
                format!(
                    "no longer in idp.toml; `idp destroy {}` deletes it",
                    change.name
                ),
            ),
        };
        text.push_str(&format!(
            "  {mark} {:width$}  {:8}  {what}\n",
            change.name, change.kind
        ));
        for drift in &change.drift {
            text.push_str(&format!("      drift: {drift}\n"));
        }
    }
    if replace > 0 {
        text.push_str(&format!(
            "{create} to create, {update} to update, {replace} to replace, {same} unchanged.\n"
        ));
        text.push_str(
            "A replacement deletes the resource (a database after a final backup) and makes it \
             again; `idp provision` does it only with `--allow-replace`.\n",
        );
    } else {
        text.push_str(&format!(
            "{create} to create, {update} to update, {same} unchanged.\n"
        ));
    }
    text
}

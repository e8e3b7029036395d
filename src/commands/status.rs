//! `idp status`: each resource with its state, outputs and drift.

use clap::Args;
use serde::Serialize;

use crate::engine::Action;
use crate::error::{Error, ExitStatus};
use crate::output::{Format, Output};
use crate::settings::Settings;
use crate::state::ResourceStatus;

use super::guard::checked_session;
use super::provision::describe;

/// Show each resource of an environment: recorded state, outputs, and drift made outside idp
#[derive(Debug, Args)]
pub struct StatusArgs {}

#[derive(Serialize)]
struct ResourceStatusReport {
    name: String,
    #[serde(rename = "type")]
    kind: String,
    /// `ready`, `pending`, `deleting`, or `absent` (declared, never provisioned).
    state: String,
    outputs: crate::providers::Outputs,
    drift: Vec<String>,
    /// What `idp provision` would do about it.
    action: Action,
}

pub fn run(_args: &StatusArgs, settings: &Settings, output: &Output) -> Result<ExitStatus, Error> {
    let session = match checked_session(settings, output)? {
        Ok(session) => session,
        Err(status) => return Ok(status),
    };
    let state = session.load_state()?;
    let plan = session.plan_all(&state)?;
    let resources: Vec<ResourceStatusReport> = plan
        .changes
        .iter()
        .map(|change| {
            let recorded = state.resources.get(&change.name);
            ResourceStatusReport {
                name: change.name.clone(),
                kind: change.kind.clone(),
                state: match recorded.map(|r| r.status) {
                    Some(ResourceStatus::Ready) => "ready",
                    Some(ResourceStatus::Pending) => "pending",
                    Some(ResourceStatus::Deleting) => "deleting",
                    None => "absent",
                }
                .to_string(),
                outputs: recorded.map(|r| r.outputs.clone()).unwrap_or_default(),
                drift: change.drift.clone(),
                action: change.action.clone(),
            }
        })
        .collect();
    match output.format() {
        Format::Json => output.json(
            &serde_json::json!({ "environment": session.environment_name, "resources": resources }),
        )?,
        Format::Text => {
            let width = resources.iter().map(|r| r.name.len()).max().unwrap_or(0);
            let mut text = format!(
                "`{}` ({} provider):\n",
                session.environment_name,
                session.provider.name()
            );
            for resource in &resources {
                let outputs = if resource.outputs.is_empty() {
                    String::new()
                } else {
                    describe(&resource.outputs)
                };
                text.push_str(&format!(
                    "  {:width$}  {:8}  {:8}  {outputs}\n",
                    resource.name, resource.kind, resource.state
                ));
                for drift in &resource.drift {
                    text.push_str(&format!("      drift: {drift}\n"));
                }
            }
            output.data(&text)?;
        }
    }
    let drifted = resources.iter().any(|r| !r.drift.is_empty());
    if drifted {
        output.status("drift found: `idp provision` puts it back");
    }
    Ok(ExitStatus::Success)
}

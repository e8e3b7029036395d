//! `idp provision` (alias `idp up`): create or update everything idp.toml declares, or the named
//! resources; a kind with no resource of its kind yet (`idp provision db`) is added first.

use std::collections::BTreeSet;

use clap::Args;
use serde::Serialize;

use crate::engine::{ApplyOptions, ApplyReport, apply, plan, with_dependencies};
use crate::error::{Error, ExitStatus};
use crate::manifest::edit::{add_resource, default_name, default_resource, kind_from_word};
use crate::manifest::{ResourceKind, check_dns_label, parse_manifest};
use crate::output::prompt::TerminalAsker;
use crate::output::{Format, Output};
use crate::policy::{self, Date};
use crate::providers::{DeleteOptions, Outputs};
use crate::scaffold::{Ask, Question, QuestionKind};
use crate::settings::Settings;
use crate::workspace::Workspace;

use super::guard::{checked_session, lock};

/// Create or update the resources idp.toml declares, in dependency order
///
/// With names, only those resources and what they depend on. A kind (`db`, `registry`,
/// `identity`, `network`) that the manifest has no resource of yet is added to idp.toml with the
/// platform's defaults first (its name and size are asked on a terminal), then provisioned.
/// The guardrails are evaluated first: a refused manifest exits 3 and nothing is touched.
#[derive(Debug, Args)]
pub struct ProvisionArgs {
    /// Resources to provision (default: all), or kinds to add: db, registry, identity, network
    #[arg(value_name = "NAME|KIND")]
    pub names: Vec<String>,

    /// How long to wait for another idp working on the same environment, in seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub lock_timeout: u64,

    /// Delete and make again the resources whose changes cannot be made in place (a database
    /// after a final backup); `idp plan` shows them as `-/+`
    #[arg(long)]
    pub allow_replace: bool,
}

#[derive(Serialize)]
struct ProvisionReport<'a> {
    environment: &'a str,
    #[serde(flatten)]
    report: &'a ApplyReport,
}

pub fn run(
    args: &ProvisionArgs,
    settings: &Settings,
    output: &Output,
) -> Result<ExitStatus, Error> {
    let names = add_missing_kinds(args, settings, output)?;
    let session = match checked_session(settings, output)? {
        Ok(session) => session,
        Err(status) => return Ok(status),
    };
    let _lock = lock(&session, "idp provision", args.lock_timeout, output)?;
    let state = session.load_state()?;
    let whole = names.is_empty();
    let selected: BTreeSet<String> = if whole {
        session.manifest.resources.keys().cloned().collect()
    } else {
        with_dependencies(&session.manifest, &names)
    };
    let scope = session.scope();
    let plan = plan(&scope, session.provider.as_ref(), &state, &selected, whole)?;
    let replacements = plan.replacements();
    if !replacements.is_empty() && !args.allow_replace {
        let names: Vec<String> = replacements
            .iter()
            .map(|c| format!("`{}` ({})", c.name, c.kind))
            .collect();
        return Err(crate::providers::ProviderError::new(
            format!("provisioning `{}`", session.environment_name),
            format!(
                "{} cannot be changed in place and would be deleted and made again",
                crate::text::list_all(names)
            ),
        )
        .with_hint(
            "review it with `idp plan`, then run `idp provision --allow-replace` \
             (a database gets a final backup first), or undo the change in idp.toml",
        )
        .into());
    }
    let options = ApplyOptions {
        max_concurrency: settings.concurrency,
        delete: DeleteOptions {
            final_backup: true,
            backup_dir: session.backup_dir(),
        },
    };
    let progress = output.progress();
    let (report, _state) = apply(
        &scope,
        session.provider.as_ref(),
        &plan,
        &session.store,
        state,
        &options,
        &progress,
    )?;
    drop(progress);
    match output.format() {
        Format::Json => output.json(&ProvisionReport {
            environment: &session.environment_name,
            report: &report,
        })?,
        Format::Text => output.data(&render_outputs(&report))?,
    }
    for change in plan
        .changes
        .iter()
        .filter(|c| c.action == crate::engine::Action::Orphaned)
    {
        output.warning(&format!(
            "`{}` is no longer in idp.toml; `idp destroy {}` deletes it",
            change.name, change.name
        ));
    }
    if !report.failures.is_empty() {
        for (name, error) in &report.failures {
            let error = Error::Provision {
                resource: name.clone(),
                action: error.action.clone(),
                message: error.message.clone(),
                hint: error.hint.clone(),
            };
            output.error(&error, settings.verbose > 0);
        }
        if !report.skipped.is_empty() {
            output.status(&format!(
                "skipped because what they need failed: {}",
                crate::text::list_all(report.skipped.iter().cloned())
            ));
        }
        output.status("what succeeded is recorded; run `idp provision` again to finish");
        return Ok(ExitStatus::Failure);
    }
    output.status(&summary(&report, &session.environment_name));
    Ok(ExitStatus::Success)
}

fn summary(report: &ApplyReport, environment: &str) -> String {
    if report.created.is_empty() && report.updated.is_empty() && report.replaced.is_empty() {
        return format!("No changes: `{environment}` is up to date.");
    }
    let replaced = if report.replaced.is_empty() {
        String::new()
    } else {
        format!(" {} replaced,", report.replaced.len())
    };
    format!(
        "`{environment}`: {} created, {} updated,{replaced} {} unchanged.",
        report.created.len(),
        report.updated.len(),
        report.unchanged.len()
    )
}

/// Returns the outputs, one resource a line: never a secret.
fn render_outputs(report: &ApplyReport) -> String {
    let width = report.outputs.keys().map(String::len).max().unwrap_or(0);
    let mut text = String::new();
    for (name, outputs) in &report.outputs {
        text.push_str(&format!("{name:width$}  {}\n", describe(outputs)));
    }
    text
}

/// Returns the outputs of a resource as one line.
pub fn describe(outputs: &Outputs) -> String {
    if let Some(url) = outputs
        .get("url")
        .filter(|_| outputs.contains_key("database"))
    {
        return url.clone();
    }
    if let (Some(url), Some(repository)) = (outputs.get("url"), outputs.get("repository")) {
        let user = outputs
            .get("user")
            .map(|u| format!(" (user {u})"))
            .unwrap_or_default();
        return format!("{url}/{repository}{user}");
    }
    if let (Some(host), Some(port), Some(database)) = (
        outputs.get("host"),
        outputs.get("port"),
        outputs.get("database"),
    ) {
        let user = outputs
            .get("user")
            .map(|u| format!("{u}@"))
            .unwrap_or_default();
        return format!("postgres://{user}{host}:{port}/{database}");
    }
    outputs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Adds a resource for each kind named that the manifest has none of, and returns the resource
/// names to provision.
fn add_missing_kinds(
    args: &ProvisionArgs,
    settings: &Settings,
    output: &Output,
) -> Result<Vec<String>, Error> {
    if args.names.is_empty() {
        return Ok(Vec::new());
    }
    let workspace = Workspace::load(settings)?;
    let (Some(manifest), Some(platform)) = (workspace.manifest.value.clone(), workspace.platform())
    else {
        // Let the guard report what is wrong with the files.
        return Ok(args.names.clone());
    };
    let mut names = Vec::new();
    let mut text = workspace.manifest.text.clone();
    let mut current = manifest.clone();
    for word in &args.names {
        if current.resources.contains_key(word) {
            names.push(word.clone());
            continue;
        }
        let Some(kind) = kind_from_word(word) else {
            return Err(Error::UnknownResource {
                name: word.clone(),
                known: current.resources.keys().cloned().collect(),
            });
        };
        let existing: Vec<String> = current
            .resources
            .iter()
            .filter(|(_, r)| r.kind() == kind)
            .map(|(n, _)| n.clone())
            .collect();
        if !existing.is_empty() {
            names.extend(existing);
            continue;
        }
        let (name, size) = ask_name_and_size(kind, &current, settings)?;
        let table = default_resource(kind, &current, &platform, size.as_deref());
        text = add_resource(&text, &name, table).map_err(|e| Error::Edit {
            path: workspace.manifest_path.clone(),
            message: e.to_string(),
        })?;
        let parsed = parse_manifest(&workspace.manifest_path, text.clone());
        let Some(edited) = parsed.value else {
            let messages: Vec<String> = parsed.findings.iter().map(|f| f.message.clone()).collect();
            return Err(Error::Edit {
                path: workspace.manifest_path.clone(),
                message: messages.join("; "),
            });
        };
        current = edited;
        output.status(&format!(
            "Adding `[resources.{name}]` ({}) to `{}`.",
            kind.name(),
            workspace.manifest_path.display()
        ));
        names.push(name);
    }
    if text != workspace.manifest.text {
        // Check the edit against the guardrails before it replaces the file: nothing is written
        // that the next step would refuse.
        let findings = policy::evaluate(
            &current,
            &platform,
            settings.environment.as_deref(),
            Date::today(),
        );
        if findings
            .iter()
            .any(|f| f.severity == crate::finding::Severity::Error)
        {
            return Err(Error::Edit {
                path: workspace.manifest_path.clone(),
                message: "the new resource would break a guardrail".into(),
            });
        }
        crate::fs::write_atomic(&workspace.manifest_path, text.as_bytes()).map_err(|source| {
            Error::Io {
                action: "write".into(),
                path: workspace.manifest_path.clone(),
                source,
            }
        })?;
    }
    Ok(names)
}

/// Asks for the new resource's name (and a database's size) on a terminal; takes the defaults
/// elsewhere.
fn ask_name_and_size(
    kind: ResourceKind,
    manifest: &crate::manifest::Manifest,
    settings: &Settings,
) -> Result<(String, Option<String>), Error> {
    let default = default_name(kind, manifest);
    if !settings.can_prompt || settings.yes {
        return Ok((default, None));
    }
    let mut asker = TerminalAsker::default();
    let name = Question {
        name: "name".into(),
        prompt: format!("Name of the new {} resource", kind.name()),
        help: None,
        kind: QuestionKind::Text {
            validate: Some("^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$".into()),
        },
        default: Some(default.clone().into()),
    };
    let name = asker
        .ask(&name)?
        .as_str()
        .map(str::to_string)
        .unwrap_or(default);
    check_dns_label(&name).map_err(|why| Error::Edit {
        path: "idp.toml".into(),
        message: format!("`{name}`: {why}"),
    })?;
    if manifest.resources.contains_key(&name) {
        return Err(Error::Edit {
            path: "idp.toml".into(),
            message: format!("a resource named `{name}` already exists"),
        });
    }
    let size = if kind == ResourceKind::Postgres {
        let question = Question {
            name: "size".into(),
            prompt: "Size".into(),
            help: None,
            kind: QuestionKind::Choice {
                choices: vec!["small".into(), "medium".into(), "large".into()],
            },
            default: Some("small".into()),
        };
        asker.ask(&question)?.as_str().map(str::to_string)
    } else {
        None
    };
    Ok((name, size))
}

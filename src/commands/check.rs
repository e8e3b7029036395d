//! `idp check`: validates the manifest and evaluates the guardrails, changing nothing.

use clap::Args;
use serde::Serialize;

use crate::error::{Error, ExitStatus};
use crate::finding::{Category, Finding, Severity, has_errors};
use crate::output::{Format, Output};
use crate::policy::{self, Date};
use crate::settings::Settings;
use crate::workspace::Workspace;

/// Validate idp.toml and evaluate the platform's guardrails for every environment (or `--env`)
///
/// Prints every finding with its rule ID, file, line and column, why it matters and how to fix it.
/// Exits 1 when the manifest is malformed, 3 when a guardrail refuses it.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// List the guardrails (ID, what each refuses, why) instead of checking
    #[arg(long)]
    pub rules: bool,
}

#[derive(Serialize)]
struct Report<'a> {
    ok: bool,
    manifest: &'a std::path::Path,
    platform: PlatformReport<'a>,
    environments: &'a [String],
    errors: usize,
    warnings: usize,
    findings: &'a [Finding],
}

#[derive(Serialize)]
struct PlatformReport<'a> {
    path: Option<&'a std::path::Path>,
    source: &'static str,
}

#[derive(Serialize)]
struct RuleReport {
    id: &'static str,
    summary: &'static str,
    why: &'static str,
    fix: &'static str,
}

pub fn run(args: &CheckArgs, settings: &Settings, output: &Output) -> Result<ExitStatus, Error> {
    if args.rules {
        return list_rules(output);
    }
    let workspace = Workspace::load(settings)?;
    let environments = workspace.environments(settings.environment.as_deref())?;
    let findings = workspace.check(settings.environment.as_deref(), Date::today());
    let status = if has_errors(&findings, Category::Invalid) {
        ExitStatus::Failure
    } else if has_errors(&findings, Category::Policy) {
        ExitStatus::Refused
    } else {
        ExitStatus::Success
    };
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    match output.format() {
        Format::Json => output.json(&Report {
            ok: status == ExitStatus::Success,
            manifest: &workspace.manifest_path,
            platform: PlatformReport {
                path: workspace.platform_source.path(),
                source: workspace.platform_source.origin(),
            },
            environments: &environments,
            errors,
            warnings,
            findings: &findings,
        })?,
        Format::Text => {
            output.findings(&findings, &workspace.sources());
            let manifest = workspace.manifest_path.display();
            let platform = match workspace.platform_source.path() {
                Some(path) => format!(
                    "platform policy `{}`, from {}",
                    path.display(),
                    workspace.platform_source.origin()
                ),
                None => "the built-in platform policy".to_string(),
            };
            let counts = format!(
                "{errors} error{}, {warnings} warning{}",
                plural(errors),
                plural(warnings)
            );
            let names: Vec<String> = environments.iter().map(|e| format!("`{e}`")).collect();
            output.status(&match status {
                ExitStatus::Failure => format!("`{manifest}` is not valid: {counts}"),
                ExitStatus::Refused => {
                    format!("refused: `{manifest}` breaks guardrails of {platform}: {counts}")
                }
                ExitStatus::Success => format!(
                    "`{manifest}` passes every guardrail of {platform} in {} ({counts})",
                    names.join(", ")
                ),
            });
        }
    }
    Ok(status)
}

fn list_rules(output: &Output) -> Result<ExitStatus, Error> {
    let rules: Vec<RuleReport> = policy::rules::ALL
        .iter()
        .map(|rule| RuleReport {
            id: rule.id,
            summary: rule.summary,
            why: rule.why,
            fix: rule.fix,
        })
        .collect();
    match output.format() {
        Format::Json => output.json(&rules)?,
        Format::Text => output.data(&policy::rules_table())?,
    }
    Ok(ExitStatus::Success)
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

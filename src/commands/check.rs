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
                source: workspace.platform_source.kind(),
            },
            environments: &environments,
            errors,
            warnings,
            findings: &findings,
        })?,
        Format::Text => {
            output.findings(&findings, &workspace.sources());
            output.status(&summary(&workspace, &findings, &environments, status));
        }
    }
    Ok(status)
}

/// Returns the closing line: which files are invalid, or what the guardrails decided and under
/// which policy.
fn summary(
    workspace: &Workspace,
    findings: &[Finding],
    environments: &[String],
    status: ExitStatus,
) -> String {
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    let counts = |n: usize, word: &str| format!("{n} {word}{}", plural(n));
    let policy = match workspace.platform_source.path() {
        Some(path) => format!(
            "platform policy `{}`, from {}",
            path.display(),
            workspace.platform_source.origin()
        ),
        None => "the built-in platform policy".to_string(),
    };
    match status {
        ExitStatus::Failure => {
            let mut files: Vec<String> = findings
                .iter()
                .filter(|f| f.severity == Severity::Error && f.category == Category::Invalid)
                .map(|f| {
                    f.location
                        .as_ref()
                        .map_or(workspace.manifest_path.clone(), |l| l.file.clone())
                        .display()
                        .to_string()
                })
                .collect();
            files.dedup();
            let verb = if files.len() == 1 { "is" } else { "are" };
            format!(
                "{} {verb} not valid: {}",
                crate::text::list_all(files),
                counts(errors, "error")
            )
        }
        ExitStatus::Refused => {
            let also = if warnings > 0 {
                format!(" and {}", counts(warnings, "warning"))
            } else {
                String::new()
            };
            format!(
                "refused by the guardrails of {policy}: {}{also}",
                counts(errors, "error")
            )
        }
        ExitStatus::Success | ExitStatus::Behind | ExitStatus::Child(_) => {
            let names = crate::text::list_all(environments.iter().cloned());
            let with = if warnings > 0 {
                format!(" with {}", counts(warnings, "warning"))
            } else {
                String::new()
            };
            format!(
                "`{}` passes every guardrail in {names}{with} ({policy})",
                workspace.manifest_path.display()
            )
        }
    }
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

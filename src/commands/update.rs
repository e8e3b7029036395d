//! `idp update`: bring a generated project to a newer version of its template.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::error::{Error, ExitStatus};
use crate::output::prompt::TerminalAsker;
use crate::output::{Format, Output};
use crate::scaffold::{
    Action, Ask, CheckOptions, CheckReport, ConflictStyleChoice, UpdateOptions, UpdateReport,
    check, update,
};
use crate::settings::Settings;

use super::init::parse_key_value;

/// Update a project made by `idp init` (or copier) to a newer version of its template
///
/// A three-way merge per file: lines you changed stay, lines the template changed are applied, and
/// where both changed the same lines you get a conflict (exit code 1). `idp.toml` is merged key by
/// key. Refuses a git work tree with uncommitted changes, so `git diff` shows exactly what the
/// update did. With `--check`, only compares: exit code 4 when a newer version exists.
#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// The project's directory (default: the current directory)
    #[arg(value_name = "DIR")]
    pub directory: Option<PathBuf>,

    /// The version to update to: a tag, branch or commit (default: the newest version tag)
    #[arg(long, value_name = "REF")]
    pub to: Option<String>,

    /// Answer a question the new version asks, or change an answer (can be repeated)
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_key_value)]
    pub set: Vec<(String, String)>,

    /// Take the default answer of every new question not given with `--set`
    #[arg(long)]
    pub defaults: bool,

    /// Print a diff of what would change and write nothing (exit code 1 if it would conflict)
    #[arg(long, conflicts_with = "check")]
    pub pretend: bool,

    /// How to write lines both you and the template changed: markers in the file, or the
    /// template's change in `FILE.rej` beside it
    #[arg(long, value_enum, default_value_t = ConflictArg::Inline, value_name = "STYLE")]
    pub conflict: ConflictArg,

    /// Update even though the git work tree has uncommitted changes
    #[arg(long)]
    pub force: bool,

    /// Count pre-release tags (`v2.0.0-rc.1`) as versions
    #[arg(long)]
    pub prereleases: bool,

    /// Compare with the newest version and list managed files that drifted; write nothing (exit
    /// code 4 when behind)
    #[arg(long, conflicts_with_all = ["to", "force", "conflict"])]
    pub check: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ConflictArg {
    Inline,
    Rej,
}

pub fn run(args: &UpdateArgs, settings: &Settings, output: &Output) -> Result<ExitStatus, Error> {
    let directory = args.directory.clone().unwrap_or_else(|| PathBuf::from("."));
    if args.check {
        let report = check(CheckOptions {
            directory,
            set: args.set.clone(),
            use_defaults: args.defaults,
            prereleases: args.prereleases,
            cache_dir: settings.cache_home.clone(),
        })?;
        match output.format() {
            Format::Json => output.json(&report)?,
            Format::Text => print_check(&report, output)?,
        }
        return Ok(if report.behind {
            ExitStatus::Behind
        } else {
            ExitStatus::Success
        });
    }
    let mut terminal = TerminalAsker::default();
    let asker: Option<&mut dyn Ask> =
        (settings.can_prompt && !args.defaults).then_some(&mut terminal as &mut dyn Ask);
    let report = update(UpdateOptions {
        directory,
        to: args.to.clone(),
        set: args.set.clone(),
        use_defaults: args.defaults,
        asker,
        pretend: args.pretend,
        conflict: match args.conflict {
            ConflictArg::Inline => ConflictStyleChoice::Inline,
            ConflictArg::Rej => ConflictStyleChoice::Reject,
        },
        force: args.force,
        prereleases: args.prereleases,
        cache_dir: settings.cache_home.clone(),
    })?;
    for warning in &report.warnings {
        output.warning(warning);
    }
    match output.format() {
        Format::Json => output.json(&report)?,
        Format::Text => print_update(&report, output)?,
    }
    Ok(if report.conflicts.is_empty() {
        ExitStatus::Success
    } else {
        ExitStatus::Failure
    })
}

fn print_update(report: &UpdateReport, output: &Output) -> Result<(), Error> {
    if report.pretend {
        let mut diff = String::new();
        for change in &report.files {
            if report.conflicts.iter().any(|c| c.path == change.path) {
                diff.push_str(&format!("# conflict in `{}`\n", change.path));
            }
            diff.push_str(change.diff.as_deref().unwrap_or_default());
        }
        output.data(&diff)?;
    }
    for kept in &report.kept {
        output.warning(&format!(
            "kept `{kept}`: the template removed it, but it has your changes"
        ));
    }
    let count = |action| report.files.iter().filter(|f| f.action == action).count();
    let changed = report.files.len() - count(Action::Add) - count(Action::Delete);
    let verb = if report.pretend {
        "Would update"
    } else {
        "Updated"
    };
    output.status(&format!(
        "{verb} `{}` from the `{}` template {} to {}: {changed} changed, {} added, {} removed.",
        report.directory.display(),
        report.template,
        report.from.version,
        report.to.version,
        count(Action::Add),
        count(Action::Delete),
    ));
    if !report.conflicts.is_empty() {
        let mut text = format!(
            "{} conflict{}{}:\n",
            report.conflicts.len(),
            if report.conflicts.len() == 1 { "" } else { "s" },
            if report.pretend {
                " would remain"
            } else {
                " to resolve"
            },
        );
        for conflict in &report.conflicts {
            text.push_str(&format!("  `{}`: {}", conflict.path, conflict.detail));
            if let Some(reject) = &conflict.reject {
                text.push_str(&format!(" (the template's change is in `{reject}`)"));
            }
            text.push('\n');
        }
        output.warning(text.trim_end());
    }
    Ok(())
}

fn print_check(report: &CheckReport, output: &Output) -> Result<(), Error> {
    let newest = report
        .newest
        .as_ref()
        .map_or("none".to_string(), |n| n.version.clone());
    let mut text = format!(
        "template: {}\ncurrent:  {}\nnewest:   {newest}\n",
        report.source, report.current.version
    );
    if !report.drifted.is_empty() {
        text.push_str("drifted:\n");
        for drift in &report.drifted {
            if drift.missing {
                text.push_str(&format!("  {}  deleted\n", drift.path));
            } else {
                text.push_str(&format!(
                    "  {}  +{} -{}\n",
                    drift.path, drift.added, drift.removed
                ));
            }
        }
    }
    output.data(&text)?;
    if let Some(why) = &report.drift_unknown {
        output.warning(&format!("drift not checked: {why}"));
    }
    if report.behind {
        output.status(&format!(
            "Behind: `idp update` brings the project to {newest}."
        ));
    } else {
        output.status("Up to date.");
    }
    Ok(())
}

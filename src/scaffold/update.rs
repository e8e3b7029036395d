//! `idp update`: bring a generated project to a newer version of its template with a three-way
//! merge per file — *base* the recorded version rendered with the recorded answers, *theirs* the
//! target version rendered with the same answers, *ours* the working tree (issue 6).
//!
//! Everything is computed in memory first; files are written only when every merge was decided,
//! each atomically, deletions last, so an error before writing changes nothing.

mod check;
mod origin;
mod plan;

use std::path::PathBuf;

use serde::Serialize;

pub use check::{CheckOptions, CheckReport, check};
use origin::{Origin, VersionName, newest_tag, tag_of};

use super::ScaffoldError;
use super::answers::{Answers, Ask};
use super::generate::{AnswerInput, generate};
use super::merge::ConflictStyle;
use super::provenance::Provenance;
use super::source::{self, TemplateSource};

/// How a region both sides changed is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConflictStyleChoice {
    /// Git-style markers in the file.
    Inline,
    /// The user's lines stay; the template's change goes into `FILE.rej`.
    Reject,
}

/// What `idp update` was asked to do.
pub struct UpdateOptions<'a> {
    pub directory: PathBuf,
    /// A tag, branch or commit; the newest version tag when `None`.
    pub to: Option<String>,
    pub set: Vec<(String, String)>,
    pub use_defaults: bool,
    /// The terminal, when prompting is allowed.
    pub asker: Option<&'a mut dyn Ask>,
    /// Compute and report, write nothing.
    pub pretend: bool,
    pub conflict: ConflictStyleChoice,
    /// Update a git work tree with uncommitted changes.
    pub force: bool,
    pub prereleases: bool,
    pub cache_dir: Option<PathBuf>,
}

/// What `idp update` did (or, with `--pretend`, would do).
#[derive(Debug, Serialize)]
pub struct UpdateReport {
    pub directory: PathBuf,
    pub template: String,
    /// The source now recorded.
    pub source: String,
    pub from: VersionName,
    pub to: VersionName,
    pub answers: Answers,
    /// Every file written or deleted, conflicts included.
    pub files: Vec<FileChange>,
    /// Files the template removed that stay because the user changed them.
    pub kept: Vec<String>,
    pub conflicts: Vec<Conflict>,
    pub pretend: bool,
    /// Where the provenance is recorded.
    pub provenance_file: String,
    /// Template features that idp does not run.
    pub warnings: Vec<String>,
}

/// One file the update writes or deletes.
#[derive(Debug, Serialize)]
pub struct FileChange {
    pub path: String,
    pub action: Action,
    /// With `--pretend`: the unified diff from the working tree to the result.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    Add,
    Update,
    Delete,
    Conflict,
}

/// A change of the template that could not be applied on its own.
#[derive(Debug, Serialize)]
pub struct Conflict {
    pub path: String,
    /// What conflicts, for people: `2 regions`, `key project.team`, ….
    pub detail: String,
    /// The `.rej` file written beside it, with `--conflict rej`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reject: Option<String>,
}

/// Updates the project in `options.directory` to the target version of its template.
pub fn update(options: UpdateOptions<'_>) -> Result<UpdateReport, ScaffoldError> {
    let UpdateOptions {
        directory,
        to,
        set,
        use_defaults,
        mut asker,
        pretend,
        conflict,
        force,
        prereleases,
        cache_dir,
    } = options;
    let mut recorded = origin::recorded(&directory)?;
    let url = match recorded.origin()? {
        Origin::BuiltIn(name) => {
            return Err(ScaffoldError::BuiltInUpdate {
                name,
                version: recorded.provenance.version.clone(),
            });
        }
        Origin::Git { url } => url,
    };
    if !pretend && !force && source::inside_git_work_tree(&directory) {
        let changes = source::uncommitted_changes(&directory)?;
        if !changes.is_empty() {
            return Err(ScaffoldError::UncommittedChanges {
                dir: directory,
                changes,
            });
        }
    }
    let cache_dir = origin::cache_dir(cache_dir.as_deref())?;
    let tags = source::tags(&url, &cache_dir)?;
    recorded.follow_copier(&directory, &url, &tags)?;
    let target = to.or_else(|| newest_tag(&tags, prereleases).map(|t| t.name.clone()));

    let base_fetched = recorded.fetch_recorded(&url, &cache_dir)?;
    let base = recorded.render_recorded(
        &base_fetched,
        &directory,
        &set,
        use_defaults,
        asker.as_deref_mut().map(|a| a as &mut dyn Ask),
    )?;
    let target_fetched = TemplateSource::Git {
        url: url.clone(),
        reference: target.clone(),
    }
    .fetch(Some(&cache_dir))?;
    let theirs = generate(
        &target_fetched,
        &directory,
        AnswerInput {
            set,
            use_defaults,
            asker,
            previous: base.answers.clone(),
        },
    )?;
    // The tag asked for, else a version tag naming the commit, else the branch or commit asked
    // for, else the commit.
    let asked_tag = target
        .clone()
        .filter(|t| tags.iter().any(|tag| &tag.name == t));
    let to = VersionName {
        version: asked_tag
            .or_else(|| {
                let commit = target_fetched.commit.as_deref()?;
                tag_of(&tags, commit)
            })
            .or(target)
            .or_else(|| target_fetched.commit.as_deref().map(origin::short))
            .unwrap_or_else(|| "HEAD".to_string()),
        commit: target_fetched.commit.clone(),
    };
    let style = match conflict {
        ConflictStyleChoice::Inline => ConflictStyle::Inline {
            ours_label: "ours".to_string(),
            theirs_label: format!("template {}", to.version),
        },
        ConflictStyleChoice::Reject => ConflictStyle::Reject,
    };
    let mut plan = plan::merge(&directory, &base, &theirs, &style)?;

    let provenance = Provenance {
        source: target_fetched.source.clone(),
        version: theirs.template.version.clone(),
        commit: target_fetched.commit.clone(),
        answers: theirs.recorded_answers(),
    };
    // copier's answers file is rendered by the template itself, with the new `_commit`, and
    // merged as any file; idp adds no record of its own beside it.
    if !recorded.by_copier() {
        plan.record(&directory, recorded.file, &provenance)?;
    }
    if pretend {
        plan.describe(&directory)?;
    } else {
        plan.apply(&directory)?;
    }
    Ok(UpdateReport {
        directory,
        template: theirs.template.name.clone(),
        source: provenance.source.clone(),
        from: recorded.version_name(&tags),
        to,
        // Secret answers stay out of the report as they stay out of the record.
        answers: provenance.answers,
        files: plan.changes,
        kept: plan.kept,
        conflicts: plan.conflicts,
        pretend,
        provenance_file: recorded.file.to_string(),
        warnings: theirs.template.warnings,
    })
}

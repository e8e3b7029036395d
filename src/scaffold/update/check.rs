//! `idp update --check`: whether a project is on its template's newest version, and which managed
//! files drifted from what the recorded version renders — for CI and for platform teams.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::origin::{self, Origin, Recorded, VersionName, newest_tag};
use super::plan::read_file;
use crate::manifest::MANIFEST_FILE;
use crate::scaffold::ScaffoldError;
use crate::scaffold::generate::{AnswerInput, Generated, generate, slash};
use crate::scaffold::merge::line_changes;
use crate::scaffold::source::{self, Fetched, TemplateSource};
use crate::scaffold::template::Template;
use crate::scaffold::version::TagVersion;

/// What `idp update --check` was asked to do.
pub struct CheckOptions {
    pub directory: PathBuf,
    pub set: Vec<(String, String)>,
    pub use_defaults: bool,
    pub prereleases: bool,
    pub cache_dir: Option<PathBuf>,
}

/// Where the project stands against its template.
#[derive(Debug, Serialize)]
pub struct CheckReport {
    pub directory: PathBuf,
    pub source: String,
    pub current: VersionName,
    /// `None` when the template has no version to compare with.
    pub newest: Option<VersionName>,
    pub behind: bool,
    /// Managed files that differ from what the recorded version renders.
    pub drifted: Vec<Drift>,
    /// Why drift could not be computed, when it could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drift_unknown: Option<String>,
}

/// A managed file that differs from the recorded version's.
#[derive(Debug, Serialize)]
pub struct Drift {
    pub path: String,
    pub added: usize,
    pub removed: usize,
    /// The file was deleted.
    pub missing: bool,
}

/// Compares the project in `options.directory` with its template's newest version.
pub fn check(options: CheckOptions) -> Result<CheckReport, ScaffoldError> {
    let CheckOptions {
        directory,
        set,
        use_defaults,
        prereleases,
        cache_dir,
    } = options;
    let mut recorded = origin::recorded(&directory)?;
    let (current, newest, behind, base) = match recorded.origin()? {
        Origin::BuiltIn(name) => {
            let fetched = TemplateSource::BuiltIn(name.clone()).fetch(None)?;
            let embedded = Template::from_files(fetched.files.clone(), &fetched.source)?.version;
            let current = recorded.provenance.version.clone();
            let behind = match (&current, &embedded) {
                (Some(current), Some(embedded)) => {
                    match (TagVersion::parse(current), TagVersion::parse(embedded)) {
                        (Some(current), Some(embedded)) => current < embedded,
                        _ => current != embedded,
                    }
                }
                _ => false,
            };
            // Drift needs the recorded version's files: the embedded ones, if they are it.
            let base = if current == embedded {
                Some(fetched)
            } else {
                None
            };
            let name = |version: Option<String>| VersionName {
                version: version.unwrap_or_else(|| "unversioned".into()),
                commit: None,
            };
            (name(current), Some(name(embedded)), behind, base)
        }
        Origin::Git { url } => {
            let cache_dir = origin::cache_dir(cache_dir.as_deref())?;
            let tags = source::tags(&url, &cache_dir)?;
            recorded.follow_copier(&directory, &url, &tags)?;
            let current = recorded.version_name(&tags);
            let newest = newest_tag(&tags, prereleases).map(|tag| VersionName {
                version: tag.name.clone(),
                commit: Some(tag.commit.clone()),
            });
            let behind = match (&newest, &current.commit) {
                (
                    Some(VersionName {
                        commit: Some(newest),
                        ..
                    }),
                    Some(current),
                ) => newest != current && !source::is_ancestor(&url, &cache_dir, newest, current),
                _ => false,
            };
            let base = recorded.fetch_recorded(&url, &cache_dir)?;
            (current, newest, behind, Some(base))
        }
    };
    let (drifted, drift_unknown) = match base {
        Some(fetched) => (
            drift(&recorded, &fetched, &directory, &set, use_defaults)?,
            None,
        ),
        None => (
            Vec::new(),
            Some(
                "idp embeds only the newest version of a built-in template, not the recorded one"
                    .to_string(),
            ),
        ),
    };
    Ok(CheckReport {
        directory,
        source: recorded.provenance.source.clone(),
        current,
        newest,
        behind,
        drifted,
        drift_unknown,
    })
}

/// Returns the managed files that differ from the recorded version rendered with the recorded
/// answers; in `idp.toml`, the provenance itself is not drift.
fn drift(
    recorded: &Recorded,
    fetched: &Fetched,
    directory: &Path,
    set: &[(String, String)],
    use_defaults: bool,
) -> Result<Vec<Drift>, ScaffoldError> {
    let base: Generated = if fetched.commit.is_some() {
        recorded.render_recorded(fetched, directory, set, use_defaults, None)?
    } else {
        generate(
            fetched,
            directory,
            AnswerInput {
                set: Vec::new(),
                use_defaults: true,
                asker: None,
                previous: recorded.provenance.answers.clone(),
            },
        )?
    };
    let mut drifted = Vec::new();
    for file in &base.files {
        let path = slash(&file.path);
        let Some(ours) = read_file(&directory.join(&file.path))? else {
            let text = String::from_utf8_lossy(&file.contents);
            drifted.push(Drift {
                path,
                added: 0,
                removed: line_changes(&text, "").1,
                missing: true,
            });
            continue;
        };
        let ours = String::from_utf8_lossy(&ours);
        let ours = if path == recorded.file && path == MANIFEST_FILE {
            without_provenance(&ours)
        } else {
            ours.into_owned()
        };
        let base_text = String::from_utf8_lossy(&file.contents);
        if ours != base_text {
            let (added, removed) = line_changes(&base_text, &ours);
            drifted.push(Drift {
                path,
                added,
                removed,
                missing: false,
            });
        }
    }
    Ok(drifted)
}

/// Returns the manifest's text without `[project.template]`, as the template rendered it.
fn without_provenance(text: &str) -> String {
    let Ok(mut document) = text.parse::<toml_edit::DocumentMut>() else {
        return text.to_string();
    };
    if let Some(project) = document.get_mut("project").and_then(|p| p.as_table_mut()) {
        project.remove("template");
    }
    document.to_string()
}

//! Where an update's versions come from: the provenance `idp init` recorded, the template's git
//! repository and its tags, and the recorded version rendered again with the recorded answers.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::scaffold::ScaffoldError;
use crate::scaffold::answers::Ask;
use crate::scaffold::catalog::Catalog;
use crate::scaffold::generate::{AnswerInput, Generated, generate};
use crate::scaffold::provenance::{self, Provenance};
use crate::scaffold::source::{Fetched, Tag, TemplateSource};
use crate::scaffold::template::Template;
use crate::scaffold::version;

/// The recorded provenance of a project and the file that holds it.
pub struct Recorded {
    pub provenance: Provenance,
    /// `idp.toml` or `.idp/template.toml`, relative to the project.
    pub file: &'static str,
}

/// What kind of source the project's template came from.
pub enum Origin {
    BuiltIn(String),
    Git { url: String },
}

/// A template version as the user reads it: its tag (or reference, or short commit) and commit.
#[derive(Clone, Debug, Serialize)]
pub struct VersionName {
    pub version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
}

/// Reads the provenance of the project in `directory`.
pub fn recorded(directory: &Path) -> Result<Recorded, ScaffoldError> {
    match provenance::read(directory)? {
        Some((provenance, file)) => Ok(Recorded { provenance, file }),
        None => Err(ScaffoldError::NoProvenance {
            dir: directory.to_path_buf(),
        }),
    }
}

impl Recorded {
    /// Returns the kind of source recorded; a local folder has no versions to update between.
    pub fn origin(&self) -> Result<Origin, ScaffoldError> {
        match TemplateSource::parse(&self.provenance.source, &Catalog::builtin()) {
            TemplateSource::BuiltIn(name) => Ok(Origin::BuiltIn(name)),
            TemplateSource::Git { url, .. } => Ok(Origin::Git { url }),
            // A local repository recorded without `#REF` still has its commit.
            TemplateSource::Path(path) if self.provenance.commit.is_some() => Ok(Origin::Git {
                url: path.display().to_string(),
            }),
            TemplateSource::Path(_) => Err(ScaffoldError::NotVersioned {
                template: self.provenance.source.clone(),
            }),
        }
    }

    /// Returns the branch, tag or commit the provenance names in its source (`URL#REF`).
    pub fn reference(&self) -> Option<&str> {
        self.provenance
            .source
            .rsplit_once('#')
            .map(|(_, reference)| reference)
            .filter(|r| !r.is_empty())
    }

    /// Returns the recorded version's name among the repository's tags.
    pub fn version_name(&self, tags: &[Tag]) -> VersionName {
        let commit = self.provenance.commit.clone();
        let version = commit
            .as_deref()
            .and_then(|commit| tag_of(tags, commit))
            .or_else(|| self.reference().map(str::to_string))
            .or_else(|| self.provenance.version.clone())
            .or_else(|| commit.as_deref().map(short))
            .unwrap_or_else(|| "unknown".to_string());
        VersionName { version, commit }
    }

    /// Fetches the recorded commit of the git repository at `url`.
    pub fn fetch_recorded(&self, url: &str, cache_dir: &Path) -> Result<Fetched, ScaffoldError> {
        let reference = self
            .provenance
            .commit
            .clone()
            .or_else(|| self.reference().map(str::to_string))
            .ok_or_else(|| ScaffoldError::NotVersioned {
                template: self.provenance.source.clone(),
            })?;
        TemplateSource::Git {
            url: url.to_string(),
            reference: Some(reference),
        }
        .fetch(Some(cache_dir))
    }

    /// Renders the recorded version again with the recorded answers; questions without one are
    /// answered from `--set` (only those this version asks), then defaults, then the terminal.
    pub fn render_recorded(
        &self,
        fetched: &Fetched,
        directory: &Path,
        set: &[(String, String)],
        use_defaults: bool,
        asker: Option<&mut dyn Ask>,
    ) -> Result<Generated, ScaffoldError> {
        let names: Vec<String> = Template::from_files(fetched.files.clone(), &fetched.source)?
            .variables
            .into_iter()
            .map(|v| v.name)
            .collect();
        let answers = &self.provenance.answers;
        let set = set
            .iter()
            .filter(|(key, _)| names.contains(key) && !answers.contains_key(key))
            .cloned()
            .collect();
        generate(
            fetched,
            directory,
            AnswerInput {
                set,
                use_defaults,
                asker,
                previous: answers.clone(),
            },
        )
    }
}

/// Returns the newest version tag naming `commit` (pre-releases included), or any tag naming it.
pub fn tag_of(tags: &[Tag], commit: &str) -> Option<String> {
    let names: Vec<&str> = tags
        .iter()
        .filter(|t| t.commit == commit)
        .map(|t| t.name.as_str())
        .collect();
    version::newest(names.iter().copied(), true)
        .or(names.first().copied())
        .map(str::to_string)
}

/// Returns the newest version tag of `tags`, pre-releases only when `prereleases`.
pub fn newest_tag(tags: &[Tag], prereleases: bool) -> Option<&Tag> {
    let name = version::newest(tags.iter().map(|t| t.name.as_str()), prereleases)?;
    tags.iter().find(|t| t.name == name)
}

/// Returns the first seven hex digits of a commit, as git abbreviates it.
pub fn short(commit: &str) -> String {
    commit.chars().take(7).collect()
}

/// Returns the cache directory git sources are cloned into.
pub fn cache_dir(cache_dir: Option<&Path>) -> Result<PathBuf, ScaffoldError> {
    cache_dir
        .map(Path::to_path_buf)
        .ok_or_else(|| ScaffoldError::Git {
            action: "find a cache directory".into(),
            message: "set HOME or XDG_CACHE_HOME".into(),
        })
}

//! Where an update's versions come from: the provenance `idp init` recorded (or copier's
//! `.copier-answers.yml`), the template's git repository and its tags, and the recorded version
//! rendered again with the recorded answers.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::scaffold::ScaffoldError;
use crate::scaffold::answers::Ask;
use crate::scaffold::catalog::Catalog;
use crate::scaffold::generate::{AnswerInput, Generated, generate};
use crate::scaffold::provenance::{self, COPIER_ANSWERS_FILE, Provenance};
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

/// Reads the provenance of the project in `directory`: idp's own, else what copier recorded in
/// `.copier-answers.yml`.
pub fn recorded(directory: &Path) -> Result<Recorded, ScaffoldError> {
    if let Some((provenance, file)) = provenance::read(directory)? {
        return Ok(Recorded { provenance, file });
    }
    match provenance::read_copier(directory)? {
        Some(provenance) => Ok(Recorded {
            provenance,
            file: COPIER_ANSWERS_FILE,
        }),
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

    /// Follows `copier update`: when idp's record names one commit of the repository at `url` and
    /// the project's `.copier-answers.yml` another, copier updated the project since, so its
    /// `_commit` and answers are the recorded version (idp's record is the stale one).
    pub fn follow_copier(
        &mut self,
        directory: &Path,
        url: &str,
        tags: &[Tag],
    ) -> Result<(), ScaffoldError> {
        if self.by_copier() {
            return Ok(());
        }
        let Some(copier) = provenance::read_copier(directory)? else {
            return Ok(());
        };
        let (Some(theirs), Some(ours)) = (&copier.commit, &self.provenance.commit) else {
            return Ok(());
        };
        let same_source = copier.source.trim_end_matches('/') == url.trim_end_matches('/');
        let commit = tags
            .iter()
            .find(|t| &t.name == theirs)
            .map_or(theirs.as_str(), |t| t.commit.as_str());
        if same_source && !ours.starts_with(commit) {
            self.provenance.commit = Some(theirs.clone());
            self.provenance.version = None;
            self.provenance.source = url.to_string();
            self.provenance.answers.extend(copier.answers);
        }
        Ok(())
    }

    /// Returns whether copier's answers file is the record, which the template itself rewrites.
    pub fn by_copier(&self) -> bool {
        self.file == COPIER_ANSWERS_FILE
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

/// Returns the newest version tag naming `commit` (pre-releases included), or any tag naming it;
/// `commit` may be a tag's name, as copier records it.
pub fn tag_of(tags: &[Tag], commit: &str) -> Option<String> {
    let names: Vec<&str> = tags
        .iter()
        .filter(|t| t.commit == commit || t.name == commit)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::MANIFEST_FILE;
    use crate::scaffold::answers::Answers;

    #[test]
    fn follows_a_later_copier_update() {
        let dir = tempfile::tempdir().unwrap();
        let tags = [("v1.0.0", "aaa111"), ("v2.0.0", "bbb222")].map(|(name, commit)| Tag {
            name: name.into(),
            commit: commit.into(),
        });
        let recorded = || Recorded {
            provenance: Provenance {
                source: "/t/svc#v1.0.0".into(),
                version: None,
                commit: Some("aaa111".into()),
                answers: Answers::from([("package".to_string(), "shop".into())]),
            },
            file: MANIFEST_FILE,
        };
        let answers = |commit: &str| {
            std::fs::write(
                dir.path().join(COPIER_ANSWERS_FILE),
                format!("_commit: {commit}\n_src_path: /t/svc\nport: 9000\n"),
            )
            .unwrap();
        };

        answers("v1.0.0");
        let mut same = recorded();
        same.follow_copier(dir.path(), "/t/svc", &tags).unwrap();
        assert_eq!(same.provenance, recorded().provenance, "idp's record holds");

        answers("v2.0.0");
        let mut updated = recorded();
        updated.follow_copier(dir.path(), "/t/svc", &tags).unwrap();
        assert_eq!(updated.provenance.commit.as_deref(), Some("v2.0.0"));
        assert_eq!(updated.version_name(&tags).version, "v2.0.0");
        assert_eq!(
            updated.provenance.answers,
            Answers::from([
                ("package".to_string(), "shop".into()),
                ("port".to_string(), 9000.into()),
            ])
        );

        let mut elsewhere = recorded();
        elsewhere
            .follow_copier(dir.path(), "/other", &tags)
            .unwrap();
        assert_eq!(
            elsewhere.provenance,
            recorded().provenance,
            "another template"
        );
    }
}

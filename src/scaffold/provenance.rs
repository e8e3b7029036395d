//! What `idp init` records about the template a project came from, so `idp update` can re-render
//! the same version with the same answers and merge a newer one.
//!
//! It goes into the generated `idp.toml` as `[project.template]` (edited with toml_edit, so the
//! template's comments and layout stay), or into `.idp/template.toml` when the template makes no
//! manifest.
//!
//! A project copier made records its template in `.copier-answers.yml` instead; idp reads that
//! file when there is no provenance of its own, so a project can move between `copier update`
//! and `idp update` (issue 6).

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::ScaffoldError;
use super::answers::Answers;
use crate::manifest::MANIFEST_FILE;

/// Where a project came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    #[serde(default)]
    pub answers: Answers,
}

/// The parts of `idp.toml` (or of `.idp/template.toml`, under `[template]`) that hold it.
#[derive(Deserialize)]
struct Holder {
    project: Option<ProjectHolder>,
    template: Option<Provenance>,
}

#[derive(Deserialize)]
struct ProjectHolder {
    template: Option<Provenance>,
}

/// The file that holds the provenance when the project has no manifest.
pub const PROVENANCE_FILE: &str = ".idp/template.toml";

/// copier's answers file (its default `_answers_file`), where copier records where a project came
/// from; the template itself writes it, with `{{ _copier_conf.answers_file }}.jinja`.
pub const COPIER_ANSWERS_FILE: &str = ".copier-answers.yml";

/// Records `provenance` in the rendered project at `root`; returns the file written, relative.
pub fn record(root: &Path, provenance: &Provenance) -> Result<&'static str, ScaffoldError> {
    let manifest = root.join(MANIFEST_FILE);
    if let Ok(text) = std::fs::read_to_string(&manifest)
        && let Ok(mut document) = text.parse::<toml_edit::DocumentMut>()
        && let Some(project) = document.get_mut("project").and_then(|p| p.as_table_mut())
    {
        project.insert("template", toml_edit::Item::Table(table(provenance)));
        std::fs::write(&manifest, document.to_string())
            .map_err(ScaffoldError::io("write", &manifest))?;
        return Ok(MANIFEST_FILE);
    }
    let path = root.join(PROVENANCE_FILE);
    std::fs::create_dir_all(path.parent().expect("has a parent"))
        .map_err(ScaffoldError::io("create", &path))?;
    let mut document = toml_edit::DocumentMut::new();
    document.insert("template", toml_edit::Item::Table(table(provenance)));
    std::fs::write(&path, document.to_string()).map_err(ScaffoldError::io("write", &path))?;
    Ok(PROVENANCE_FILE)
}

/// Returns the provenance recorded in the project at `root` and the file that holds it
/// (relative), or `None` when there is none.
pub fn read(root: &Path) -> Result<Option<(Provenance, &'static str)>, ScaffoldError> {
    for (file, in_project) in [(MANIFEST_FILE, true), (PROVENANCE_FILE, false)] {
        let path = root.join(file);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
            Err(source) => {
                return Err(ScaffoldError::Io {
                    action: "read",
                    path,
                    source,
                });
            }
        };
        let holder: Holder =
            toml_edit::de::from_str(&text).map_err(|error| ScaffoldError::Provenance {
                file: file.to_string(),
                message: error.to_string().trim_end().to_string(),
            })?;
        let provenance = if in_project {
            holder.project.and_then(|p| p.template)
        } else {
            holder.template
        };
        if let Some(provenance) = provenance {
            return Ok(Some((provenance, file)));
        }
    }
    Ok(None)
}

/// Returns the provenance copier recorded in the project at `root`: the source from `_src_path`,
/// the commit from `_commit` (a tag, or `git describe`'s `TAG-N-gHASH`, of which the hash is
/// kept) and the answers (the keys not starting with `_`); `None` when the file is absent or
/// names no source.
pub fn read_copier(root: &Path) -> Result<Option<Provenance>, ScaffoldError> {
    use super::formats::yaml::{load, scalar_text, to_json};
    let path = root.join(COPIER_ANSWERS_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(ScaffoldError::Io {
                action: "read",
                path,
                source,
            });
        }
    };
    let invalid = |message: String| ScaffoldError::Provenance {
        file: COPIER_ANSWERS_FILE.to_string(),
        message,
    };
    let documents = load(&text).map_err(|error| invalid(error.to_string()))?;
    let Some(yaml_rust2::Yaml::Hash(map)) = documents.into_iter().next() else {
        return Ok(None);
    };
    let mut source = None;
    let mut commit = None;
    let mut answers = Answers::new();
    for (key, value) in &map {
        match scalar_text(key).as_str() {
            "_src_path" => source = Some(scalar_text(value)),
            "_commit" => commit = Some(commit_of_description(&scalar_text(value))),
            key if key.starts_with('_') => {}
            key => {
                answers.insert(key.to_string(), to_json(value));
            }
        }
    }
    Ok(source.map(|source| Provenance {
        source,
        version: None,
        commit,
        answers,
    }))
}

/// Returns what git can check out for a commit as `git describe --tags --always` named it:
/// `v1.2.0-3-gabc1234` gives `abc1234`; a tag or a hash stays as it is.
fn commit_of_description(description: &str) -> String {
    if let Some((rest, hash)) = description.rsplit_once("-g")
        && !hash.is_empty()
        && hash.chars().all(|c| c.is_ascii_hexdigit())
        && let Some((_, count)) = rest.rsplit_once('-')
        && !count.is_empty()
        && count.chars().all(|c| c.is_ascii_digit())
    {
        return hash.to_string();
    }
    description.to_string()
}

/// Returns `text`, the file that holds the provenance (`file`, as [`read`] named it), with the
/// provenance replaced by `provenance`: the table is edited in place, so its comments and the
/// rest of the file stay as they are.
pub fn rewrite(text: &str, file: &str, provenance: &Provenance) -> Result<String, ScaffoldError> {
    let invalid = |message: String| ScaffoldError::Provenance {
        file: file.to_string(),
        message,
    };
    let mut document = text
        .parse::<toml_edit::DocumentMut>()
        .map_err(|e| invalid(e.to_string()))?;
    let parent = if file == MANIFEST_FILE {
        document
            .get_mut("project")
            .and_then(|p| p.as_table_mut())
            .ok_or_else(|| invalid("there is no `[project]` table".into()))?
    } else {
        document.as_table_mut()
    };
    match parent.get_mut("template").and_then(|t| t.as_table_mut()) {
        Some(existing) => {
            let fresh = table(provenance);
            for key in ["source", "version", "commit", "answers"] {
                match fresh.get(key) {
                    Some(item) => match existing.get_mut(key).and_then(|i| i.as_value_mut()) {
                        // Keep the key's comments; replace only its value.
                        Some(value) => {
                            let decor = value.decor().clone();
                            *value = item.as_value().expect("a value").clone();
                            *value.decor_mut() = decor;
                        }
                        None => {
                            existing.insert(key, item.clone());
                        }
                    },
                    None => {
                        existing.remove(key);
                    }
                }
            }
        }
        None => {
            parent.insert("template", toml_edit::Item::Table(table(provenance)));
        }
    }
    Ok(document.to_string())
}

fn table(provenance: &Provenance) -> toml_edit::Table {
    let mut table = toml_edit::Table::new();
    table
        .decor_mut()
        .set_prefix("\n# Recorded by `idp init`; `idp update` reads it.\n");
    table.insert("source", toml_edit::value(provenance.source.clone()));
    if let Some(version) = &provenance.version {
        table.insert("version", toml_edit::value(version.clone()));
    }
    if let Some(commit) = &provenance.commit {
        table.insert("commit", toml_edit::value(commit.clone()));
    }
    let mut answers = toml_edit::InlineTable::new();
    for (name, value) in &provenance.answers {
        if let Some(value) = toml_value(value) {
            answers.insert(name, value);
        }
    }
    table.insert("answers", toml_edit::value(answers));
    table
}

/// Converts an answer to TOML; TOML has no null, so unanswered (skipped) questions are left out.
fn toml_value(value: &serde_json::Value) -> Option<toml_edit::Value> {
    Some(match value {
        serde_json::Value::Null => return None,
        serde_json::Value::Bool(b) => (*b).into(),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => i.into(),
            None => n.as_f64().unwrap_or_default().into(),
        },
        serde_json::Value::String(s) => s.as_str().into(),
        serde_json::Value::Array(items) => {
            toml_edit::Value::Array(items.iter().filter_map(toml_value).collect())
        }
        serde_json::Value::Object(map) => {
            let mut table = toml_edit::InlineTable::new();
            for (key, value) in map {
                if let Some(value) = toml_value(value) {
                    table.insert(key, value);
                }
            }
            toml_edit::Value::InlineTable(table)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_back_and_rewrites_in_place() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("idp.toml"),
            "[project]\nname = \"x\"\n\n# mine\n[resources.db]\ntype = \"postgres\"\n",
        )
        .unwrap();
        let mut provenance = Provenance {
            source: "file:///t#v1".into(),
            version: Some("1".into()),
            commit: Some("abc".into()),
            answers: Answers::from([("port".to_string(), 8080.into())]),
        };
        record(dir.path(), &provenance).unwrap();
        let (read_back, file) = read(dir.path()).unwrap().unwrap();
        assert_eq!((read_back, file), (provenance.clone(), MANIFEST_FILE));

        let text = std::fs::read_to_string(dir.path().join("idp.toml")).unwrap();
        let text = text.replace("source =", "# where from\nsource =");
        provenance.source = "file:///t#v2".into();
        provenance.version = None;
        let rewritten = rewrite(&text, MANIFEST_FILE, &provenance).unwrap();
        assert_eq!(
            rewritten,
            text.replace("#v1", "#v2").replace("version = \"1\"\n", "")
        );
    }

    #[test]
    fn records_into_the_manifest_keeping_its_comments() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("idp.toml"),
            "# my service\n[project]\nname = \"x\" # the name\n",
        )
        .unwrap();
        let provenance = Provenance {
            source: "rust-service".into(),
            version: Some("1.0.0".into()),
            commit: None,
            answers: Answers::from([
                ("port".to_string(), 8080.into()),
                ("skipped".to_string(), serde_json::Value::Null),
            ]),
        };
        assert_eq!(record(dir.path(), &provenance).unwrap(), "idp.toml");
        let text = std::fs::read_to_string(dir.path().join("idp.toml")).unwrap();
        assert!(
            text.starts_with("# my service\n[project]\nname = \"x\" # the name\n"),
            "{text}"
        );
        assert!(text.contains("[project.template]\nsource = \"rust-service\"\nversion = \"1.0.0\"\nanswers = { port = 8080 }"), "{text}");
    }

    #[test]
    fn rewrites_the_file_beside_a_project_without_a_manifest() {
        let dir = tempfile::tempdir().unwrap();
        let mut provenance = Provenance {
            source: "/t#v1".into(),
            version: None,
            commit: Some("abc".into()),
            answers: Answers::new(),
        };
        record(dir.path(), &provenance).unwrap();
        assert_eq!(read(dir.path()).unwrap().unwrap().1, PROVENANCE_FILE);
        let text = std::fs::read_to_string(dir.path().join(PROVENANCE_FILE)).unwrap();
        provenance.commit = Some("def".into());
        let rewritten = rewrite(&text, PROVENANCE_FILE, &provenance).unwrap();
        assert_eq!(rewritten, text.replace("abc", "def"));
    }

    #[test]
    fn reads_what_copier_recorded() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read_copier(dir.path()).unwrap(), None);
        std::fs::write(
            dir.path().join(COPIER_ANSWERS_FILE),
            "# Changes here will be overwritten by Copier; NEVER EDIT MANUALLY\n_commit: v1.0.0-2-gabc1234\n_src_path: /t/svc\nport: 8080\npython_version: '3.12'\n",
        )
        .unwrap();
        assert_eq!(
            read_copier(dir.path()).unwrap(),
            Some(Provenance {
                source: "/t/svc".into(),
                version: None,
                commit: Some("abc1234".into()),
                answers: Answers::from([
                    ("port".to_string(), 8080.into()),
                    ("python_version".to_string(), "3.12".into()),
                ]),
            })
        );
        assert_eq!(commit_of_description("v1.0.0"), "v1.0.0");
        assert_eq!(commit_of_description("v1.0.0-rc-1"), "v1.0.0-rc-1");
    }

    #[test]
    fn records_beside_a_project_without_a_manifest() {
        let dir = tempfile::tempdir().unwrap();
        let provenance = Provenance {
            source: "/t".into(),
            version: None,
            commit: Some("abc".into()),
            answers: Answers::new(),
        };
        assert_eq!(record(dir.path(), &provenance).unwrap(), PROVENANCE_FILE);
        let text = std::fs::read_to_string(dir.path().join(PROVENANCE_FILE)).unwrap();
        assert!(
            text.contains("[template]") && text.contains("commit = \"abc\""),
            "{text}"
        );
    }
}

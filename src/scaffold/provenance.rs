//! What `idp init` records about the template a project came from, so `idp update` can re-render
//! the same version with the same answers and merge a newer one.
//!
//! It goes into the generated `idp.toml` as `[project.template]` (edited with toml_edit, so the
//! template's comments and layout stay), or into `.idp/template.toml` when the template makes no
//! manifest.

use std::path::Path;

use serde::Serialize;

use super::ScaffoldError;
use super::answers::Answers;
use crate::manifest::MANIFEST_FILE;

/// Where a project came from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Provenance {
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    pub answers: Answers,
}

/// The file that holds the provenance when the project has no manifest.
pub const PROVENANCE_FILE: &str = ".idp/template.toml";

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

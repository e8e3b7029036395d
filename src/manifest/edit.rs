//! Editing `idp.toml` in place with toml_edit: only what must change changes, comments and layout
//! stay (as uv's `pyproject_mut.rs`).

use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, value};

use super::model::{Manifest, ResourceKind};
use crate::platform::Platform;

/// Why the manifest could not be edited.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    #[error("the manifest is not valid TOML: {0}")]
    Parse(String),
    #[error("a resource named `{0}` already exists")]
    Exists(String),
}

/// Returns the kind a word on the command line names: `db`/`postgres`, `registry`, `identity`,
/// `network`.
pub fn kind_from_word(word: &str) -> Option<ResourceKind> {
    match word {
        "db" | "database" | "postgres" => Some(ResourceKind::Postgres),
        "registry" | "images" => Some(ResourceKind::Registry),
        "identity" => Some(ResourceKind::Identity),
        "network" => Some(ResourceKind::Network),
        _ => None,
    }
}

/// Returns the name a new resource of `kind` gets unless the user picks another.
pub fn default_name(kind: ResourceKind, manifest: &Manifest) -> String {
    let base = match kind {
        ResourceKind::Postgres => "db",
        ResourceKind::Registry => "images",
        ResourceKind::Identity => "app",
        ResourceKind::Network => "db-access",
    };
    let mut name = base.to_string();
    let mut n = 2;
    while manifest.resources.contains_key(&name) {
        name = format!("{base}-{n}");
        n += 1;
    }
    name
}

/// Returns the table of a new resource with the platform's defaults: secure by construction, so it
/// passes the guardrails. `size` applies to databases.
pub fn default_resource(
    kind: ResourceKind,
    manifest: &Manifest,
    platform: &Platform,
    size: Option<&str>,
) -> Table {
    let mut table = Table::new();
    table.insert("type", value(kind.name()));
    match kind {
        ResourceKind::Postgres => {
            let version = platform
                .policy
                .allowed_postgres_versions
                .iter()
                .max_by_key(|v| v.parse::<u32>().unwrap_or(0));
            table.insert(
                "version",
                value(version.cloned().unwrap_or_else(|| "16".to_string())),
            );
            table.insert("size", value(size.unwrap_or("small")));
            table.insert(
                "backup_retention_days",
                value(i64::from(platform.policy.min_backup_retention_days.max(7))),
            );
        }
        ResourceKind::Registry => {
            table.insert("immutable_tags", value(true));
            table.insert("scan_on_push", value(true));
        }
        ResourceKind::Identity => {
            // Connect to every database and pull from every registry: the least the service needs to run.
            let mut grants = Array::new();
            for (name, resource) in &manifest.resources {
                match resource.kind() {
                    ResourceKind::Postgres => grants.push(format!("{name}:connect")),
                    ResourceKind::Registry => grants.push(format!("{name}:pull")),
                    _ => {}
                }
            }
            table.insert("grants", value(grants));
        }
        ResourceKind::Network => {
            let mut rules = Array::new();
            if let Some((name, _)) = manifest
                .resources
                .iter()
                .find(|(_, r)| r.kind() == ResourceKind::Postgres)
            {
                let mut rule = InlineTable::new();
                rule.insert("from", "10.0.0.0/8".into());
                rule.insert("to", name.as_str().into());
                rule.insert("port", 5432.into());
                rules.push(rule);
            }
            table.insert("allow", value(rules));
        }
    }
    table
}

/// Returns `text` with `[resources.<name>]` added at the end, everything else untouched.
pub fn add_resource(text: &str, name: &str, table: Table) -> Result<String, EditError> {
    let mut document: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| EditError::Parse(e.to_string()))?;
    let resources = document.entry("resources").or_insert_with(|| {
        let mut table = Table::new();
        table.set_implicit(true);
        Item::Table(table)
    });
    let Some(resources) = resources.as_table_mut() else {
        return Err(EditError::Parse("`resources` is not a table".into()));
    };
    if resources.contains_key(name) {
        return Err(EditError::Exists(name.to_string()));
    }
    let mut table = table;
    table.set_position(None);
    resources.insert(name, Item::Table(table));
    let mut edited = document.to_string();
    if !edited.ends_with('\n') {
        edited.push('\n');
    }
    Ok(edited)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_a_resource_keeping_comments_and_layout() {
        let text = "# My service.\n[project]\nname = \"shop\" # the name\nteam = \"t\"\nowner = \"o\"\n\n[resources.images] # where images go\ntype = \"registry\"\n";
        let manifest: Manifest = toml_edit::de::from_str(text).unwrap();
        let table = default_resource(
            ResourceKind::Postgres,
            &manifest,
            &Platform::default(),
            Some("medium"),
        );
        let edited = add_resource(text, "db", table).unwrap();
        assert!(edited.starts_with(text), "{edited}");
        assert!(edited.ends_with("[resources.db]\ntype = \"postgres\"\nversion = \"17\"\nsize = \"medium\"\nbackup_retention_days = 7\n"), "{edited}");
        let reparsed: Manifest = toml_edit::de::from_str(&edited).unwrap();
        assert_eq!(reparsed.resources.len(), 2);
        assert!(matches!(
            add_resource(&edited, "db", Table::new()),
            Err(EditError::Exists(_))
        ));
    }
}

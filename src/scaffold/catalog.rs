//! The template catalog: the built-in templates plus the platform file's `[catalog]`.

use std::path::Path;

use serde::Serialize;

use super::builtin;
use super::source::TemplateSource;
use super::template::Template;
use crate::platform::Platform;

/// One named template.
#[derive(Clone, Debug, PartialEq)]
pub struct CatalogEntry {
    pub name: String,
    pub description: String,
    pub source: TemplateSource,
}

/// The templates a user can pick by name.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    pub entries: Vec<CatalogEntry>,
}

/// A catalog entry as `idp templates list --output json` prints it.
#[derive(Serialize)]
pub struct CatalogListing {
    pub name: String,
    pub description: String,
    pub kind: &'static str,
    pub source: String,
}

impl Catalog {
    /// Returns the built-in templates, with the descriptions from their `template.toml`.
    pub fn builtin() -> Catalog {
        let entries = builtin::names()
            .into_iter()
            .map(|name| {
                let description = builtin::files(name)
                    .and_then(|files| Template::from_files(files, name).ok())
                    .map(|t| t.description)
                    .unwrap_or_default();
                CatalogEntry {
                    name: name.to_string(),
                    description,
                    source: TemplateSource::BuiltIn(name.to_string()),
                }
            })
            .collect();
        Catalog { entries }
    }

    /// Returns the built-in templates and the platform's, whose relative paths are read from the
    /// platform file's directory. A platform entry may replace a built-in one of the same name.
    pub fn with_platform(platform: &Platform, platform_path: Option<&Path>) -> Catalog {
        let mut catalog = Catalog::builtin();
        let base = platform_path
            .and_then(Path::parent)
            .unwrap_or(Path::new(""));
        for (name, entry) in &platform.catalog {
            let source = match TemplateSource::parse(&entry.source, &Catalog::default()) {
                TemplateSource::Path(path) if path.is_relative() => {
                    TemplateSource::Path(base.join(path))
                }
                TemplateSource::Git { url, reference }
                    if Path::new(&url).is_relative() && !url.contains(':') =>
                {
                    TemplateSource::Git {
                        url: base.join(url).display().to_string(),
                        reference,
                    }
                }
                other => other,
            };
            catalog.entries.retain(|e| &e.name != name);
            catalog.entries.push(CatalogEntry {
                name: name.clone(),
                description: entry.description.clone(),
                source,
            });
        }
        catalog
    }

    pub fn get(&self, name: &str) -> Option<&CatalogEntry> {
        self.entries.iter().find(|entry| entry.name == name)
    }

    pub fn listing(&self) -> Vec<CatalogListing> {
        self.entries
            .iter()
            .map(|entry| {
                let (kind, source) = match &entry.source {
                    TemplateSource::BuiltIn(name) => ("built-in", name.clone()),
                    TemplateSource::Path(path) => ("path", path.display().to_string()),
                    TemplateSource::Git {
                        url,
                        reference: Some(r),
                    } => ("git", format!("{url}#{r}")),
                    TemplateSource::Git {
                        url,
                        reference: None,
                    } => ("git", url.clone()),
                };
                CatalogListing {
                    name: entry.name.clone(),
                    description: entry.description.clone(),
                    kind,
                    source,
                }
            })
            .collect()
    }
}

//! idp's own format: a `template.toml` beside the files (`templates/README.md` documents it).

use serde::Deserialize;

use super::Dialect;
use crate::scaffold::ScaffoldError;
use crate::scaffold::files::FileTree;
use crate::scaffold::template::{FileCondition, Syntax, Template, Variable};

/// The file that marks a folder as an idp template.
pub const TEMPLATE_FILE: &str = "template.toml";

/// `template.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateToml {
    template: TemplateSection,
    #[serde(default)]
    variables: Vec<Variable>,
    #[serde(default)]
    files: Vec<FileCondition>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateSection {
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    version: Option<String>,
    /// The folder, relative to `template.toml`, that holds the files to render.
    #[serde(default)]
    subdirectory: Option<String>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    copy_only: Vec<String>,
}

/// Reads an idp template whose `template.toml` says `text`.
pub fn read(files: FileTree, text: &str, label: &str) -> Result<Template, ScaffoldError> {
    let parsed: TemplateToml =
        toml_edit::de::from_str(text).map_err(|error| ScaffoldError::InvalidTemplate {
            template: label.to_string(),
            file: TEMPLATE_FILE.to_string(),
            message: error.to_string().trim_end().to_string(),
        })?;
    let section = parsed.template;
    let content = match section.subdirectory.as_deref().map(|s| s.trim_matches('/')) {
        Some(sub) if !sub.is_empty() && sub != "." => files.subtree(sub),
        _ => FileTree {
            files: files
                .files
                .into_iter()
                .filter(|f| f.path != TEMPLATE_FILE)
                .collect(),
        },
    };
    Ok(Template {
        name: section.name,
        description: section.description,
        version: section.version,
        definition: TEMPLATE_FILE.to_string(),
        variables: parsed.variables,
        files: content,
        exclude: section.exclude,
        copy_only: section.copy_only,
        conditions: parsed.files,
        syntax: Syntax::default(),
        dialect: Dialect::Idp,
        warnings: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use crate::scaffold::formats::tests::tree;
    use crate::scaffold::template::{Template, VariableType};

    #[test]
    fn reads_the_subdirectory_only() {
        let template = Template::from_files(
            tree(&[
                ("template.toml", "[template]\nname = \"t\"\nsubdirectory = \"project\"\n[[variables]]\nname = \"x\"\n"),
                ("README.md", "about the template"),
                ("project/README.md", "about the project"),
            ]),
            "t",
        )
        .unwrap();
        assert_eq!(template.files.files.len(), 1);
        assert_eq!(template.files.text("README.md"), Some("about the project"));
        assert_eq!(template.variables[0].kind, VariableType::String);
    }

    #[test]
    fn names_the_file_and_line_of_a_bad_template_toml() {
        let error = Template::from_files(
            tree(&[("template.toml", "[template]\nname = \"t\"\ncolour = 1\n")]),
            "t",
        )
        .unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains("template.toml") && message.contains("line 3"),
            "{message}"
        );
    }
}

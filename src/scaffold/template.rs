//! A template, whatever format it was written in: its questions, its files and how to render them.
//!
//! idp's own format is a `template.toml` beside the files (`templates/README.md` documents it).

use serde::Deserialize;

use super::ScaffoldError;
use super::files::FileTree;

/// The file that marks a folder as an idp template.
pub const TEMPLATE_FILE: &str = "template.toml";

/// A loaded template, ready to be answered and rendered.
#[derive(Clone, Debug)]
pub struct Template {
    pub name: String,
    pub description: String,
    pub version: Option<String>,
    pub variables: Vec<Variable>,
    /// The files to render, relative to the template's content root.
    pub files: FileTree,
    /// Globs of files never copied.
    pub exclude: Vec<String>,
    /// Globs of files copied verbatim, without rendering.
    pub copy_only: Vec<String>,
    /// Files rendered only when a condition holds.
    pub conditions: Vec<FileCondition>,
    /// Features of the template's format that idp does not run, named for the user.
    pub warnings: Vec<String>,
}

/// One question of a template.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variable {
    pub name: String,
    #[serde(rename = "type", default)]
    pub kind: VariableType,
    /// The question as asked; the name when absent.
    #[serde(default)]
    pub prompt: Option<String>,
    /// A longer explanation, shown with the question.
    #[serde(default)]
    pub help: Option<String>,
    /// The default answer; strings may be Jinja expressions of earlier answers.
    #[serde(default)]
    pub default: Option<serde_json::Value>,
    /// The allowed answers of a `choice`.
    #[serde(default)]
    pub choices: Vec<String>,
    /// A regular expression a string answer must match.
    #[serde(default)]
    pub validate: Option<String>,
    /// A Jinja condition; when false the question is not asked and its default is used.
    #[serde(default)]
    pub when: Option<String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VariableType {
    #[default]
    String,
    Bool,
    Int,
    Choice,
}

/// Files rendered only when a condition holds.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileCondition {
    /// A glob of the files concerned, relative to the content root.
    pub path: String,
    /// A Jinja condition of the answers.
    pub when: String,
}

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

impl Template {
    /// Reads a template in any supported format from its files; `label` names it in errors.
    pub fn from_files(files: FileTree, label: &str) -> Result<Template, ScaffoldError> {
        let Some(text) = files.text(TEMPLATE_FILE) else {
            return Err(ScaffoldError::InvalidTemplate {
                template: label.to_string(),
                file: TEMPLATE_FILE.to_string(),
                message: "there is no `template.toml` (nor `cookiecutter.json` or `copier.yml`) at the template's root".into(),
            });
        };
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
        let template = Template {
            name: section.name,
            description: section.description,
            version: section.version,
            variables: parsed.variables,
            files: content,
            exclude: section.exclude,
            copy_only: section.copy_only,
            conditions: parsed.files,
            warnings: Vec::new(),
        };
        template.check(label)?;
        Ok(template)
    }

    /// Checks what serde cannot: unique names, choices on choice variables, valid regexes.
    fn check(&self, label: &str) -> Result<(), ScaffoldError> {
        let invalid = |message: String| ScaffoldError::InvalidTemplate {
            template: label.to_string(),
            file: TEMPLATE_FILE.to_string(),
            message,
        };
        for (i, variable) in self.variables.iter().enumerate() {
            if self.variables[..i].iter().any(|v| v.name == variable.name) {
                return Err(invalid(format!(
                    "the variable `{}` is declared twice",
                    variable.name
                )));
            }
            if variable.kind == VariableType::Choice && variable.choices.is_empty() {
                return Err(invalid(format!(
                    "the choice variable `{}` has no `choices`",
                    variable.name
                )));
            }
            if let Some(pattern) = &variable.validate {
                regex_lite::Regex::new(pattern).map_err(|e| {
                    invalid(format!(
                        "the `validate` pattern of `{}` is not a valid regex: {e}",
                        variable.name
                    ))
                })?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scaffold::files::TemplateFile;

    fn tree(files: &[(&str, &str)]) -> FileTree {
        FileTree {
            files: files
                .iter()
                .map(|(path, text)| TemplateFile {
                    path: path.to_string(),
                    contents: text.as_bytes().to_vec(),
                    executable: false,
                })
                .collect(),
        }
    }

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

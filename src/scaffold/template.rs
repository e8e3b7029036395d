//! A template, whatever format it was written in: its questions, its files and how to render them.
//!
//! [`Template::from_files`] tells the format by the file at the template's root — idp's own
//! `template.toml`, `cookiecutter.json`, or copier's `copier.yml` — and hands the files to that
//! format's reader in [`formats`](super::formats), which fills in the same [`Template`].

use serde::Deserialize;
use serde_json::Value;

use super::ScaffoldError;
use super::files::FileTree;
use super::formats::{self, Dialect};

/// A loaded template, ready to be answered and rendered.
#[derive(Clone, Debug)]
pub struct Template {
    pub name: String,
    pub description: String,
    pub version: Option<String>,
    /// The file that declares the template (`template.toml`, `cookiecutter.json`, `copier.yml`),
    /// named in errors about its questions and conditions.
    pub definition: String,
    pub variables: Vec<Variable>,
    /// The files to render, relative to the template's content root (copier's, whose
    /// `_subdirectory` may depend on the answers, relative to the template's root).
    pub files: FileTree,
    /// Globs of files never copied.
    pub exclude: Vec<String>,
    /// Globs of files copied verbatim, without rendering.
    pub copy_only: Vec<String>,
    /// Files rendered only when a condition holds.
    pub conditions: Vec<FileCondition>,
    /// Jinja's delimiters and whitespace rules, as the template's format configures them.
    pub syntax: Syntax,
    /// What the format changes in rendering: how answers are seen, which files are templates.
    pub dialect: Dialect,
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
    /// A Jinja template that renders to an error message when the answer is wrong and to nothing
    /// when it is right (copier's `validator`).
    #[serde(skip)]
    pub validator: Option<String>,
    /// How a typed-in answer becomes the value templates see, beyond what `kind` asks.
    #[serde(skip)]
    pub syntax: AnswerSyntax,
    /// Whether the answer is kept out of every record of the project (copier's `secret`).
    #[serde(skip)]
    pub secret: bool,
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

/// How the text of an answer becomes a value, for the types copier has and idp does not ask for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AnswerSyntax {
    /// As the question's kind reads it.
    #[default]
    AsAsked,
    Int,
    Float,
    Json,
    Yaml,
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

/// Jinja's delimiters and whitespace rules (Jinja's defaults unless a template changes them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Syntax {
    pub block: (String, String),
    pub variable: (String, String),
    pub comment: (String, String),
    pub trim_blocks: bool,
    pub lstrip_blocks: bool,
    pub keep_trailing_newline: bool,
}

impl Default for Syntax {
    fn default() -> Syntax {
        let pair = |start: &str, end: &str| (start.to_string(), end.to_string());
        Syntax {
            block: pair("{%", "%}"),
            variable: pair("{{", "}}"),
            comment: pair("{#", "#}"),
            trim_blocks: false,
            lstrip_blocks: false,
            // As cookiecutter and copier keep them.
            keep_trailing_newline: true,
        }
    }
}

impl AnswerSyntax {
    /// Reads a text answer in this syntax; other values are already what they should be.
    pub fn read(self, value: Value) -> Result<Value, String> {
        let Value::String(text) = &value else {
            return Ok(value);
        };
        match self {
            AnswerSyntax::AsAsked => Ok(value),
            AnswerSyntax::Int => text
                .trim()
                .parse::<i64>()
                .map(Value::from)
                .map_err(|_| "it must be a whole number".to_string()),
            AnswerSyntax::Float => text
                .trim()
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map(Value::Number)
                .ok_or_else(|| "it must be a number".to_string()),
            AnswerSyntax::Json => {
                serde_json::from_str(text).map_err(|error| format!("it must be JSON: {error}"))
            }
            AnswerSyntax::Yaml => match formats::yaml::load(text) {
                Ok(documents) => Ok(documents
                    .first()
                    .map_or(Value::Null, formats::yaml::to_json)),
                Err(error) => Err(format!("it must be YAML: {error}")),
            },
        }
    }
}

impl Template {
    /// Reads a template in any supported format from its files; `label` names it in errors.
    pub fn from_files(files: FileTree, label: &str) -> Result<Template, ScaffoldError> {
        let template = formats::read(files, label)?;
        template.check(label)?;
        Ok(template)
    }

    /// Checks what the formats' parsers cannot: unique names, choices on choice variables, valid
    /// regexes.
    fn check(&self, label: &str) -> Result<(), ScaffoldError> {
        let invalid = |message: String| ScaffoldError::InvalidTemplate {
            template: label.to_string(),
            file: self.definition.clone(),
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

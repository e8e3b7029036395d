//! copier's format: `copier.yml` (or `copier.yaml`) holds the questions and, under keys starting
//! with `_`, the settings.
//!
//! As copier does: only files ending with `_templates_suffix` (`.jinja`) are rendered, and lose
//! it; other files are copied as they are; every path is rendered. `_subdirectory` holds the
//! project, `_exclude` (rendered, gitignore-style, last match wins) leaves out rendered paths and
//! `_skip_if_exists` keeps files a project already has. Templates see `_copier_answers` and
//! `_copier_conf.answers_file`, so the usual `{{ _copier_conf.answers_file }}.jinja` writes the
//! `.copier-answers.yml` copier would, and `copier update` works on the project later. Tasks,
//! migrations and Jinja extensions are not run: each gives a warning that names it.

use std::path::Path;

use serde_json::Value;
use yaml_rust2::Yaml;

use super::yaml::{self as yaml_file, scalar_text, to_json};
use super::{Dialect, name_from_label};
use crate::scaffold::ScaffoldError;
use crate::scaffold::answers::Answers;
use crate::scaffold::files::FileTree;
use crate::scaffold::render::Renderer;
use crate::scaffold::template::{AnswerSyntax, Syntax, Template, Variable, VariableType};

/// The files that mark a folder as a copier template.
pub const CONFIG_FILES: [&str; 2] = ["copier.yml", "copier.yaml"];

/// What copier leaves out when a template sets neither `_exclude` nor `_subdirectory`.
const DEFAULT_EXCLUDE: [&str; 8] = [
    "copier.yaml",
    "copier.yml",
    "~*",
    "*.py[co]",
    "__pycache__",
    ".git",
    ".DS_Store",
    ".svn",
];

/// copier's settings that change how files are rendered.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The folder that holds the project, a Jinja template; empty for the template's root.
    pub subdirectory: String,
    /// Only files ending with it are rendered, and lose it; empty: every file is rendered.
    pub templates_suffix: String,
    /// Jinja templates of gitignore-style patterns of rendered paths never written.
    pub exclude: Vec<String>,
    /// Jinja templates of patterns of rendered paths a project keeps when it has them.
    pub skip_if_exists: Vec<String>,
    /// The answers file's path, a Jinja template.
    answers_file: String,
}

impl Settings {
    /// Returns what copier tells templates besides the answers: `_copier_conf`, `_folder_name`,
    /// and `_copier_answers` with where the template came from (as its answers file records it).
    pub fn builtins(&self, directory: &Path, source: &str, commit: Option<&str>) -> Answers {
        let destination =
            std::path::absolute(directory).unwrap_or_else(|_| directory.to_path_buf());
        // A git source is recorded as `URL#REF`; copier records the URL, and the ref as `_commit`.
        let source = match commit {
            Some(_) => source.rsplit_once('#').map_or(source, |(url, _)| url),
            None => source,
        };
        let conf = serde_json::json!({
            "answers_file": self.answers_file,
            "src_path": source,
            "dst_path": destination.display().to_string(),
            "sep": "/",
            "os": std::env::consts::OS,
            "vcs_ref": Value::Null,
            "vcs_ref_hash": Value::Null,
        });
        let mut answers = serde_json::Map::new();
        if let Some(commit) = commit {
            answers.insert("_commit".into(), Value::from(commit));
        }
        answers.insert("_src_path".into(), Value::from(source));
        Answers::from([
            ("_copier_conf".to_string(), conf),
            ("_copier_answers".to_string(), Value::Object(answers)),
            (
                "_folder_name".to_string(),
                Value::from(
                    destination
                        .file_name()
                        .map(|n| n.to_string_lossy())
                        .unwrap_or_default(),
                ),
            ),
        ])
    }

    /// Adds what files are rendered with: `_copier_answers` holding the answers copier's answers
    /// file remembers (not secret, not skipped by `when`) and the rendered `answers_file`.
    pub fn add_answers(
        &self,
        template: &Template,
        context: &mut Answers,
        answers: &Answers,
        renderer: &Renderer,
    ) -> Result<(), ScaffoldError> {
        let mut remembered = match context.get("_copier_answers") {
            Some(Value::Object(seed)) => seed.clone(),
            _ => serde_json::Map::new(),
        };
        for variable in &template.variables {
            let shown = match &variable.when {
                Some(when) => renderer.condition(when, context, &template.definition)?,
                None => true,
            };
            if shown
                && !variable.secret
                && !variable.name.starts_with('_')
                && let Some(answer) = answers.get(&variable.name)
            {
                remembered.insert(variable.name.clone(), answer.clone());
            }
        }
        let answers_file =
            renderer.render_str(&self.answers_file, context, &template.definition)?;
        if let Some(Value::Object(conf)) = context.get_mut("_copier_conf") {
            conf.insert("answers_file".into(), Value::from(answers_file));
        }
        context.insert("_copier_answers".into(), Value::Object(remembered));
        context.insert("_copier_phase".into(), Value::from("render"));
        Ok(())
    }

    /// Renders `patterns`; each may render to several lines, one pattern each, or to none.
    pub fn rendered_patterns(
        &self,
        patterns: &[String],
        renderer: &Renderer,
        context: &Answers,
        definition: &str,
    ) -> Result<Vec<String>, ScaffoldError> {
        let mut rendered = Vec::new();
        for pattern in patterns {
            let text = renderer.render_str(pattern, context, definition)?;
            rendered.extend(
                text.lines()
                    .map(str::trim_end)
                    .filter(|line| !line.is_empty() && !line.starts_with('#'))
                    .map(String::from),
            );
        }
        Ok(rendered)
    }

    /// Returns the path of a template file without its suffix, or `None` when it is not one.
    pub fn template_path<'a>(&self, path: &'a str) -> Option<&'a str> {
        if self.templates_suffix.is_empty() {
            return None;
        }
        path.strip_suffix(self.templates_suffix.as_str())
    }

    /// Returns whether `path` has a template beside it (`x.jinja` beside `x`), which wins.
    pub fn has_template_for(&self, files: &FileTree, path: &str) -> bool {
        !self.templates_suffix.is_empty()
            && files
                .get(&format!("{path}{}", self.templates_suffix))
                .is_some()
    }
}

/// Reads a copier template whose configuration is `file`.
pub fn read(files: FileTree, file: &str, label: &str) -> Result<Template, ScaffoldError> {
    let invalid = |message: String| ScaffoldError::InvalidTemplate {
        template: label.to_string(),
        file: file.to_string(),
        message,
    };
    let text = files
        .text(file)
        .ok_or_else(|| invalid("it is not UTF-8 text".into()))?;
    let documents = yaml_file::load(text).map_err(|error| {
        let mark = error.marker();
        invalid(format!(
            "{} at line {} column {}",
            error.info(),
            mark.line(),
            mark.col() + 1
        ))
    })?;
    let mut entries: Vec<(String, Yaml)> = Vec::new();
    for document in documents {
        match document {
            Yaml::Hash(map) => {
                for (key, value) in map {
                    let key = scalar_text(&key);
                    entries.retain(|(k, _)| *k != key);
                    entries.push((key, value));
                }
            }
            Yaml::Null => {}
            _ => {
                return Err(invalid(
                    "it must be a mapping of questions and settings".into(),
                ));
            }
        }
    }

    let mut settings = Settings {
        subdirectory: String::new(),
        templates_suffix: ".jinja".to_string(),
        exclude: Vec::new(),
        skip_if_exists: Vec::new(),
        answers_file: ".copier-answers.yml".to_string(),
    };
    let mut exclude = None;
    let mut syntax = Syntax::default();
    let mut secret_questions = Vec::new();
    let mut warnings = Vec::new();
    let mut variables = Vec::new();
    for (key, value) in entries {
        let Some(setting) = key.strip_prefix('_') else {
            variables.push(question(key, &value, &mut warnings));
            continue;
        };
        match setting {
            "subdirectory" => settings.subdirectory = scalar_text(&value),
            "templates_suffix" => settings.templates_suffix = scalar_text(&value),
            "exclude" => exclude = Some(strings(&value)),
            "skip_if_exists" => settings.skip_if_exists = strings(&value),
            "answers_file" => settings.answers_file = scalar_text(&value),
            "secret_questions" => secret_questions = strings(&value),
            "envops" => {
                let Yaml::Hash(options) = &value else {
                    continue;
                };
                let ignored: Vec<String> = options
                    .iter()
                    .map(|(name, option)| (scalar_text(name), to_json(option)))
                    .filter(|(name, option)| !super::apply_jinja_option(&mut syntax, name, option))
                    .map(|(name, _)| name)
                    .collect();
                if !ignored.is_empty() {
                    warnings.push(format!(
                        "copier's `_envops` {} not applied",
                        crate::text::list_all(ignored)
                    ));
                }
            }
            "tasks" => warnings.push(format!(
                "copier tasks are not run: {}",
                crate::text::list_all(commands(&value))
            )),
            "migrations" => warnings.push(format!(
                "copier migrations are not run: {}",
                crate::text::list_all(commands(&value))
            )),
            "jinja_extensions" => warnings.push(format!(
                "copier's Jinja extensions are not loaded: {}",
                crate::text::list_all(strings(&value))
            )),
            // Only about the copier program itself.
            "min_copier_version" | "preserve_symlinks" if !matches!(value, Yaml::Boolean(true)) => {
            }
            _ => warnings.push(format!("copier's `{key}` is not supported; it was ignored")),
        }
    }
    settings.exclude = exclude.unwrap_or_else(|| {
        if settings.subdirectory.trim_matches('/').is_empty() {
            DEFAULT_EXCLUDE.iter().map(|p| p.to_string()).collect()
        } else {
            Vec::new()
        }
    });
    for variable in &mut variables {
        variable.secret |= secret_questions.contains(&variable.name);
    }
    Ok(Template {
        name: name_from_label(label),
        description: String::new(),
        version: None,
        definition: file.to_string(),
        variables,
        files,
        exclude: Vec::new(),
        copy_only: Vec::new(),
        conditions: Vec::new(),
        syntax,
        dialect: Dialect::Copier(settings),
        warnings,
    })
}

/// Reads one question: its full form (a mapping with `type`, `default`, …) or just its default.
fn question(name: String, spec: &Yaml, warnings: &mut Vec<String>) -> Variable {
    let full = matches!(spec, Yaml::Hash(_));
    let field = |key: &str| -> Option<&Yaml> {
        let value = if full { &spec[key] } else { &Yaml::BadValue };
        (!value.is_badvalue()).then_some(value)
    };
    let default = if full { field("default") } else { Some(spec) };
    // Without a `type`, copier takes the default's.
    let type_name = match field("type") {
        Some(name) => scalar_text(name),
        None => match default {
            Some(Yaml::Boolean(_)) => "bool".into(),
            Some(Yaml::Integer(_)) => "int".into(),
            Some(Yaml::Real(_)) => "float".into(),
            Some(Yaml::String(_)) => "str".into(),
            _ => "yaml".into(),
        },
    };
    let (mut kind, syntax) = match type_name.as_str() {
        "bool" => (VariableType::Bool, AnswerSyntax::AsAsked),
        "int" => (VariableType::Int, AnswerSyntax::Int),
        "float" => (VariableType::String, AnswerSyntax::Float),
        "json" => (VariableType::String, AnswerSyntax::Json),
        "yaml" => (VariableType::String, AnswerSyntax::Yaml),
        "str" | "path" => (VariableType::String, AnswerSyntax::AsAsked),
        other => {
            warnings.push(format!(
                "copier question `{name}` has the type `{other}`, which idp asks as text"
            ));
            (VariableType::String, AnswerSyntax::AsAsked)
        }
    };
    let mut choices = Vec::new();
    match field("choices") {
        Some(Yaml::Array(items)) => choices = items.iter().map(choice_value).collect(),
        Some(Yaml::Hash(map)) => choices = map.values().map(choice_value).collect(),
        Some(other) => warnings.push(format!(
            "the choices of copier question `{name}` are `{}`, not a list: idp asks it as text",
            scalar_text(other)
        )),
        None => {}
    }
    let multiselect = matches!(field("multiselect"), Some(Yaml::Boolean(true)));
    if multiselect {
        warnings.push(format!(
            "copier question `{name}` takes several choices: idp asks for them as a YAML list"
        ));
        choices.clear();
        kind = VariableType::String;
    } else if !choices.is_empty() {
        kind = VariableType::Choice;
    }
    let syntax = if multiselect {
        AnswerSyntax::Yaml
    } else {
        syntax
    };
    let default = default.map(|value| match (type_name.as_str(), value) {
        // copier's `str` questions make text of a number default.
        ("str" | "path", Yaml::Integer(_) | Yaml::Real(_) | Yaml::Boolean(_)) => {
            Value::String(scalar_text(value))
        }
        // A choice is picked by its text.
        _ if kind == VariableType::Choice && !matches!(value, Yaml::String(_)) => {
            Value::String(scalar_text(value))
        }
        _ => to_json(value),
    });
    let when = field("when").map(|when| match when {
        Yaml::String(text) if text.contains("{{") || text.contains("{%") => text.clone(),
        // A `when` without Jinja is read once, as copier reads it: `yes`, `false`, `0` …
        other => truthy_literal(other).to_string(),
    });
    Variable {
        name,
        kind,
        prompt: None,
        help: field("help").map(scalar_text),
        default,
        choices,
        validate: None,
        when,
        validator: field("validator").map(scalar_text),
        syntax,
        secret: matches!(field("secret"), Some(Yaml::Boolean(true))),
    }
}

/// Returns the value of one choice: `value`, `[label, value]` or `{value: …}` (copier's forms).
fn choice_value(choice: &Yaml) -> String {
    match choice {
        Yaml::Array(pair) if pair.len() == 2 => choice_value(&pair[1]),
        Yaml::Hash(_) if !choice["value"].is_badvalue() => scalar_text(&choice["value"]),
        other => scalar_text(other),
    }
}

/// Reads a literal `when` as copier's `cast_to_bool` does.
fn truthy_literal(value: &Yaml) -> bool {
    match value {
        Yaml::Boolean(b) => *b,
        Yaml::Integer(i) => *i != 0,
        Yaml::Null => false,
        other => {
            let text = scalar_text(other).trim().to_ascii_lowercase();
            match text.parse::<f64>() {
                Ok(number) => number != 0.0,
                Err(_) => !matches!(
                    text.as_str(),
                    "" | "n" | "no" | "f" | "false" | "off" | "~" | "null" | "none"
                ),
            }
        }
    }
}

/// Returns the strings of a list (or the one string) of `copier.yml`.
fn strings(value: &Yaml) -> Vec<String> {
    match value {
        Yaml::Array(items) => items.iter().map(scalar_text).collect(),
        Yaml::Null => Vec::new(),
        other => vec![scalar_text(other)],
    }
}

/// Returns the commands of `_tasks` or `_migrations`: strings, argument lists or `command:` maps.
fn commands(value: &Yaml) -> Vec<String> {
    let command = |item: &Yaml| match item {
        Yaml::Array(parts) => parts.iter().map(scalar_text).collect::<Vec<_>>().join(" "),
        Yaml::Hash(_) if !item["command"].is_badvalue() => {
            let Yaml::Array(parts) = &item["command"] else {
                return scalar_text(&item["command"]);
            };
            parts.iter().map(scalar_text).collect::<Vec<_>>().join(" ")
        }
        Yaml::Hash(_) => ["before", "after"]
            .iter()
            .flat_map(|phase| strings(&item[*phase]))
            .collect::<Vec<_>>()
            .join("; "),
        other => scalar_text(other),
    };
    match value {
        Yaml::Array(items) => items.iter().map(command).collect(),
        other => vec![command(other)],
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::scaffold::formats::Dialect;
    use crate::scaffold::formats::tests::tree;
    use crate::scaffold::template::{AnswerSyntax, Template, VariableType};

    const CONFIG: &str = r#"
_subdirectory: project
_tasks:
  - git init
  - command: [make, setup]
_jinja_extensions: [jinja2_time.TimeExtension]
_envops:
  variable_start_string: "[["
  variable_end_string: "]]"
  undefined: jinja2.ChainableUndefined
_message_after_copy: Done
name: shop
port:
  type: int
  default: 8080
  help: HTTP port
db:
  type: str
  choices:
    PostgreSQL: postgres
    None: none
  default: postgres
docker:
  type: bool
  default: yes
tags:
  type: yaml
  default: [a, b]
ratio: 0.5
token:
  type: str
  secret: true
  default: ""
  when: false
---
version:
  type: str
  default: 1
"#;

    #[test]
    fn reads_questions_in_order_with_copiers_types() {
        let template = Template::from_files(
            tree(&[
                ("copier.yml", CONFIG),
                ("project/README.md.jinja", "[[ name ]]"),
            ]),
            "/t/svc",
        )
        .unwrap();
        let names: Vec<&str> = template.variables.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "name", "port", "db", "docker", "tags", "ratio", "token", "version"
            ]
        );
        let v = |i: usize| &template.variables[i];
        assert_eq!(
            (v(0).kind, v(0).default.clone()),
            (VariableType::String, Some(json!("shop")))
        );
        assert_eq!(
            (v(1).kind, v(1).syntax),
            (VariableType::Int, AnswerSyntax::Int)
        );
        assert_eq!(v(1).help.as_deref(), Some("HTTP port"));
        assert_eq!(
            (v(2).kind, v(2).choices.clone()),
            (
                VariableType::Choice,
                vec!["postgres".to_string(), "none".to_string()]
            )
        );
        assert_eq!(v(3).default, Some(json!(true)));
        assert_eq!(
            (v(4).syntax, v(4).default.clone()),
            (AnswerSyntax::Yaml, Some(json!(["a", "b"])))
        );
        assert_eq!(v(5).syntax, AnswerSyntax::Float);
        assert!(v(6).secret);
        assert_eq!(v(6).when.as_deref(), Some("false"));
        assert_eq!(v(7).default, Some(json!("1")));
        assert_eq!(
            template.syntax.variable,
            ("[[".to_string(), "]]".to_string())
        );
        assert_eq!(
            template.warnings,
            [
                "copier tasks are not run: `git init` and `make setup`",
                "copier's Jinja extensions are not loaded: `jinja2_time.TimeExtension`",
                "copier's `_envops` `undefined` not applied",
                "copier's `_message_after_copy` is not supported; it was ignored",
            ]
        );
        let Dialect::Copier(settings) = &template.dialect else {
            panic!()
        };
        assert_eq!(settings.subdirectory, "project");
        assert!(
            settings.exclude.is_empty(),
            "a subdirectory has no default exclusions"
        );
    }

    #[test]
    fn a_bad_copier_yml_is_named_with_its_line() {
        let error =
            Template::from_files(tree(&[("copier.yaml", "a: [1\nb: 2\n")]), "t").unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains("copier.yaml") && message.contains("line"),
            "{message}"
        );
    }
}

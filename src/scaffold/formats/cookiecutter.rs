//! cookiecutter's format: `cookiecutter.json` beside one directory whose name holds
//! `{{cookiecutter.…}}`, which is the project.
//!
//! cookiecutter renders that directory into `<output>/<its rendered name>/`; `idp init DIR` renders
//! what is inside it into `DIR`. The keys of `cookiecutter.json` are the questions, in order, and
//! templates see the answers as `cookiecutter.<key>`: a string is a default that may use earlier
//! answers, a list a choice (the first item is the default), a boolean a yes/no question, a number
//! text (cookiecutter reads it as a string), a dict a value that is not asked. Keys starting with
//! `__` are computed and not asked; keys starting with `_` are settings, seen by templates as
//! they are. Hooks (`hooks/pre_gen_project.py` …) and Jinja extensions are not run: each gives
//! a warning that names it.

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::Value;

use super::{Dialect, name_from_label};
use crate::scaffold::ScaffoldError;
use crate::scaffold::answers::Answers;
use crate::scaffold::files::FileTree;
use crate::scaffold::template::{Syntax, Template, Variable, VariableType};

/// The file that marks a folder as a cookiecutter template.
pub const CONFIG_FILE: &str = "cookiecutter.json";

/// The hooks cookiecutter runs, by file name without its extension.
const HOOKS: [&str; 3] = ["pre_prompt", "pre_gen_project", "post_gen_project"];

/// What cookiecutter templates see besides the answers.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// The keys starting with one `_` (`_copy_without_render` …), as `cookiecutter.json` has them.
    private: Answers,
}

impl Settings {
    /// Returns the `cookiecutter` object templates see: the settings and the answers.
    pub fn namespace(&self, answers: &Answers) -> Value {
        let mut namespace: serde_json::Map<String, Value> = self
            .private
            .iter()
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect();
        namespace.extend(
            answers
                .iter()
                .map(|(key, value)| (key.clone(), value.clone())),
        );
        Value::Object(namespace)
    }
}

/// Reads a cookiecutter template from its files.
pub fn read(files: FileTree, label: &str) -> Result<Template, ScaffoldError> {
    let invalid = |message: String| ScaffoldError::InvalidTemplate {
        template: label.to_string(),
        file: CONFIG_FILE.to_string(),
        message,
    };
    let text = files
        .text(CONFIG_FILE)
        .ok_or_else(|| invalid("it is not UTF-8 text".into()))?;
    let Ordered(entries) =
        serde_json::from_str(text).map_err(|error| invalid(error.to_string()))?;

    let mut variables = Vec::new();
    let mut dicts = Vec::new();
    let mut settings = Settings::default();
    let mut copy_only = Vec::new();
    let mut syntax = Syntax::default();
    let mut warnings = Vec::new();
    let prompts = entries
        .iter()
        .find(|(key, _)| key == "__prompts__")
        .map(|(_, value)| value.clone())
        .unwrap_or(Value::Null);
    for (key, value) in entries {
        if key == "__prompts__" {
            continue;
        }
        if key.starts_with('_') && !key.starts_with("__") {
            match key.as_str() {
                "_copy_without_render" => copy_only.extend(strings(&value)),
                "_extensions" => warnings.push(format!(
                    "cookiecutter's Jinja extensions are not loaded: {}",
                    crate::text::list_all(strings(&value))
                )),
                "_jinja2_env_vars" => read_environment(&value, &mut syntax, &mut warnings),
                "_new_lines" => warnings.push(
                    "cookiecutter's `_new_lines` is not applied: files keep the template's line endings"
                        .into(),
                ),
                _ => {}
            }
            settings.private.insert(key, value);
            continue;
        }
        let prompt = match &prompts[&key] {
            Value::String(prompt) => Some(prompt.clone()),
            Value::Object(choices) => choices
                .get("__prompt__")
                .and_then(Value::as_str)
                .map(String::from),
            _ => None,
        };
        let computed = key.starts_with("__");
        let mut variable = Variable {
            name: key,
            kind: VariableType::String,
            prompt,
            help: None,
            default: None,
            choices: Vec::new(),
            validate: None,
            when: computed.then(|| "false".to_string()),
            validator: None,
            syntax: Default::default(),
            secret: false,
        };
        if computed {
            variable.default = Some(match value {
                Value::Number(_) => Value::String(python_str(&value)),
                other => other,
            });
            variables.push(variable);
            continue;
        }
        match value {
            Value::Array(items) => {
                variable.kind = VariableType::Choice;
                variable.choices = items.iter().map(python_str).collect();
                variable.default = variable.choices.first().cloned().map(Value::String);
            }
            Value::Bool(_) => {
                variable.kind = VariableType::Bool;
                variable.default = Some(value);
            }
            // cookiecutter renders numbers as text: `8080` is the answer `"8080"`.
            Value::Number(_) => variable.default = Some(Value::String(python_str(&value))),
            Value::Object(_) => {
                // Asked after every other question, as cookiecutter does, and not on a terminal.
                variable.when = Some("false".to_string());
                variable.default = Some(value);
                dicts.push(variable);
                continue;
            }
            Value::String(_) | Value::Null => variable.default = Some(value),
        }
        variables.push(variable);
    }
    variables.extend(dicts);

    let project_dir = project_directory(&files, &syntax).ok_or_else(|| {
        invalid(format!(
            "there is no directory named with `{} cookiecutter.… {}` beside it to render",
            syntax.variable.0, syntax.variable.1
        ))
    })?;
    let hooks: Vec<String> = files
        .files
        .iter()
        .filter_map(|file| file.path.strip_prefix("hooks/"))
        .filter(|name| {
            !name.ends_with('~') && HOOKS.contains(&name.split('.').next().unwrap_or_default())
        })
        .map(|name| format!("hooks/{name}"))
        .collect();
    if !hooks.is_empty() {
        warnings.push(format!(
            "cookiecutter hooks are not run: {}",
            crate::text::list_all(hooks)
        ));
    }
    Ok(Template {
        name: name_from_label(label),
        description: String::new(),
        version: None,
        definition: CONFIG_FILE.to_string(),
        variables,
        files: files.subtree(&project_dir),
        exclude: Vec::new(),
        copy_only,
        conditions: Vec::new(),
        syntax,
        dialect: Dialect::Cookiecutter(settings),
        warnings,
    })
}

/// Returns the directory cookiecutter renders: the first at the root whose name holds
/// `cookiecutter` between variable delimiters.
fn project_directory(files: &FileTree, syntax: &Syntax) -> Option<String> {
    let mut candidates: Vec<&str> = files
        .files
        .iter()
        .filter_map(|file| file.path.split_once('/').map(|(dir, _)| dir))
        .filter(|dir| {
            dir.contains("cookiecutter")
                && dir.contains(syntax.variable.0.as_str())
                && dir.contains(syntax.variable.1.as_str())
        })
        .collect();
    candidates.sort_unstable();
    candidates.first().map(|dir| dir.to_string())
}

/// Applies `_jinja2_env_vars`, the Jinja settings cookiecutter passes on, to `syntax`.
fn read_environment(value: &Value, syntax: &mut Syntax, warnings: &mut Vec<String>) {
    let Value::Object(options) = value else {
        return;
    };
    let mut ignored = Vec::new();
    for (key, option) in options {
        if !super::apply_jinja_option(syntax, key, option) {
            ignored.push(key.clone());
        }
    }
    if !ignored.is_empty() {
        warnings.push(format!(
            "cookiecutter's `_jinja2_env_vars` {} not applied",
            crate::text::list_all(ignored)
        ));
    }
}

/// Returns the strings of a list (or the one string) of `cookiecutter.json`.
fn strings(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items.iter().map(python_str).collect(),
        other => vec![python_str(other)],
    }
}

/// Returns a JSON value as Python's `str()` writes it, as cookiecutter renders values.
fn python_str(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Null => "None".into(),
        other => other.to_string(),
    }
}

/// The top-level keys of `cookiecutter.json` in the file's order, which is the questions' order
/// (serde_json's own map sorts them).
struct Ordered(Vec<(String, Value)>);

impl<'de> Deserialize<'de> for Ordered {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Ordered, D::Error> {
        struct OrderedVisitor;
        impl<'de> Visitor<'de> for OrderedVisitor {
            type Value = Ordered;
            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str("a JSON object of questions")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
                let mut entries: Vec<(String, Value)> = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, Value>()? {
                    match entries.iter_mut().find(|(k, _)| *k == key) {
                        Some(entry) => entry.1 = value,
                        None => entries.push((key, value)),
                    }
                }
                Ok(Ordered(entries))
            }
        }
        deserializer.deserialize_map(OrderedVisitor)
    }
}

#[cfg(test)]
mod tests {
    use crate::scaffold::formats::Dialect;
    use crate::scaffold::formats::tests::tree;
    use crate::scaffold::template::{Template, VariableType};
    use serde_json::json;

    const CONFIG: &str = r#"{
        "project_name": "Shop",
        "slug": "{{ cookiecutter.project_name|lower }}",
        "db": ["postgres", "none"],
        "docker": true,
        "port": 8080,
        "__image": "{{ cookiecutter.slug }}:latest",
        "extra": {"a": "{{ cookiecutter.slug }}"},
        "__prompts__": {"project_name": "Project name", "db": {"__prompt__": "Database"}},
        "_copy_without_render": ["*.html"],
        "_extensions": ["jinja2_time.TimeExtension"]
    }"#;

    #[test]
    fn questions_follow_the_file_and_private_keys_are_not_asked() {
        let template = Template::from_files(
            tree(&[
                ("cookiecutter.json", CONFIG),
                (
                    "{{cookiecutter.slug}}/README.md",
                    "{{ cookiecutter.project_name }}",
                ),
                ("README.md", "about the template"),
                ("hooks/post_gen_project.py", ""),
                ("hooks/helpers.py", ""),
            ]),
            "/t/shop-template",
        )
        .unwrap();
        assert_eq!(template.name, "shop-template");
        let names: Vec<&str> = template.variables.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "project_name",
                "slug",
                "db",
                "docker",
                "port",
                "__image",
                "extra"
            ]
        );
        let db = &template.variables[2];
        assert_eq!(
            (db.kind, db.default.clone()),
            (VariableType::Choice, Some(json!("postgres")))
        );
        assert_eq!(db.prompt.as_deref(), Some("Database"));
        assert_eq!(template.variables[3].kind, VariableType::Bool);
        assert_eq!(template.variables[4].default, Some(json!("8080")));
        assert_eq!(template.variables[5].when.as_deref(), Some("false"));
        assert_eq!(template.copy_only, ["*.html"]);
        assert_eq!(template.files.files.len(), 1);
        assert_eq!(template.files.files[0].path, "README.md");
        assert_eq!(
            template.warnings,
            [
                "cookiecutter's Jinja extensions are not loaded: `jinja2_time.TimeExtension`",
                "cookiecutter hooks are not run: `hooks/post_gen_project.py`"
            ]
        );
        let Dialect::Cookiecutter(settings) = &template.dialect else {
            panic!()
        };
        let namespace = settings.namespace(&[("slug".to_string(), json!("shop"))].into());
        assert_eq!(namespace["slug"], "shop");
        assert_eq!(namespace["_copy_without_render"], json!(["*.html"]));
    }

    #[test]
    fn a_template_without_a_project_directory_is_refused() {
        let error = Template::from_files(tree(&[("cookiecutter.json", "{}")]), "t").unwrap_err();
        assert!(error.to_string().contains("cookiecutter.json"), "{error}");
        let error = Template::from_files(tree(&[("cookiecutter.json", "[1]")]), "t").unwrap_err();
        assert!(error.to_string().contains("a JSON object"), "{error}");
    }
}

//! Answering a template's questions: from `--set`, then defaults under `--defaults`, then by asking
//! on a terminal. Questions are data, so the flow is tested with a map of answers and only
//! `output/prompt.rs` talks to the terminal.

use std::collections::BTreeMap;

use serde_json::Value;

use super::ScaffoldError;
use super::render::Renderer;
use super::template::{Template, Variable, VariableType};

/// Answers by variable name; the values are what templates see.
pub type Answers = BTreeMap<String, Value>;

/// One question to put to the user, its default already rendered from earlier answers.
#[derive(Clone, Debug, PartialEq)]
pub struct Question {
    pub name: String,
    pub prompt: String,
    pub help: Option<String>,
    pub kind: QuestionKind,
    pub default: Option<Value>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum QuestionKind {
    Text { validate: Option<String> },
    Bool,
    Int,
    Choice { choices: Vec<String> },
}

/// Something that can ask a question: the terminal, or a test's map of answers.
pub trait Ask {
    /// Returns the answer to `question`, which must satisfy [`Question::parse`].
    fn ask(&mut self, question: &Question) -> Result<Value, ScaffoldError>;
}

/// Where answers come from, in order of precedence.
pub struct AnswerSources<'a> {
    /// `--set KEY=VALUE`, in the order given.
    pub set: Vec<(String, String)>,
    /// `--defaults`: take every default without asking.
    pub use_defaults: bool,
    /// The terminal, when prompting is allowed.
    pub asker: Option<&'a mut dyn Ask>,
    /// Values every template can use (`directory_name`), not asked.
    pub builtins: Answers,
    /// Answers recorded earlier (by `idp init`, for a later update): taken as they are unless
    /// `--set` replaces them, so only questions they do not answer are asked.
    pub previous: Answers,
}

impl Question {
    /// Parses and checks a typed-in answer; the error says what is expected.
    pub fn parse(&self, text: &str) -> Result<Value, String> {
        let text = text.trim();
        match &self.kind {
            QuestionKind::Text { validate } => {
                if let Some(pattern) = validate {
                    let regex = regex_lite::Regex::new(pattern).map_err(|e| e.to_string())?;
                    if !regex.is_match(text) {
                        return Err(format!("it must match `{pattern}`"));
                    }
                }
                Ok(Value::String(text.to_string()))
            }
            QuestionKind::Bool => match text.to_ascii_lowercase().as_str() {
                "true" | "yes" | "y" | "1" | "on" => Ok(Value::Bool(true)),
                "false" | "no" | "n" | "0" | "off" => Ok(Value::Bool(false)),
                _ => Err("answer `true` or `false`".to_string()),
            },
            QuestionKind::Int => text
                .parse::<i64>()
                .map(Value::from)
                .map_err(|_| "it must be a whole number".to_string()),
            QuestionKind::Choice { choices } => {
                if choices.iter().any(|c| c == text) {
                    Ok(Value::String(text.to_string()))
                } else {
                    Err(format!(
                        "choose one of {}",
                        crate::text::list(choices.iter().cloned())
                    ))
                }
            }
        }
    }
}

/// Answers every variable of `template`, in order, so defaults can refer to earlier answers.
pub fn resolve(
    template: &Template,
    renderer: &Renderer,
    mut sources: AnswerSources<'_>,
) -> Result<Answers, ScaffoldError> {
    for (key, _) in &sources.set {
        if !template.variables.iter().any(|v| &v.name == key) {
            let known = template.variables.iter().map(|v| v.name.clone()).collect();
            return Err(ScaffoldError::UnknownVariable {
                name: key.clone(),
                template: template.name.clone(),
                known,
            });
        }
    }
    let mut answers = Answers::new();
    let mut missing = Vec::new();
    let definition = template.definition.as_str();
    for variable in &template.variables {
        let context = template.context(&sources.builtins, &answers);
        // A default built from an answer that is missing cannot be rendered: leave it out, and
        // report the missing answers rather than the failed default.
        let question = question(
            variable,
            renderer,
            &context,
            sources.previous.get(&variable.name),
            !missing.is_empty(),
            definition,
        )?;
        let given = sources
            .set
            .iter()
            .rev()
            .find(|(key, _)| key == &variable.name);
        let asked = match &variable.when {
            Some(condition) => match renderer.condition(condition, &context, definition) {
                Ok(asked) => asked,
                // The condition needs an answer that is missing: ask for both.
                Err(_) if !missing.is_empty() && given.is_none() => {
                    missing.push(variable.name.clone());
                    continue;
                }
                Err(_) if !missing.is_empty() => true,
                Err(error) => return Err(error),
            },
            None => true,
        };
        let invalid = |value: String, why: String| ScaffoldError::InvalidAnswer {
            name: variable.name.clone(),
            value,
            why,
        };
        let value = if let Some((_, text)) = given {
            question
                .parse(text)
                .and_then(|value| variable.syntax.read(value))
                .map_err(|why| invalid(text.clone(), why))?
        } else if !asked || sources.use_defaults || sources.previous.contains_key(&variable.name) {
            match question.default.clone() {
                Some(default) => default,
                None if !asked => Value::Null,
                None => {
                    missing.push(variable.name.clone());
                    continue;
                }
            }
        } else if let Some(asker) = sources.asker.as_deref_mut() {
            let value = asker.ask(&question)?;
            variable
                .syntax
                .read(value.clone())
                .map_err(|why| invalid(display(&value), why))?
        } else {
            missing.push(variable.name.clone());
            continue;
        };
        if let (true, Some(validator)) = (asked, &variable.validator) {
            // Only copier has validators, and its answers are not nested.
            let mut context = context;
            context.insert(variable.name.clone(), value.clone());
            let label = format!("{definition} (validator of `{}`)", variable.name);
            let message = renderer.render_str(validator, &context, &label)?;
            if !message.trim().is_empty() {
                return Err(invalid(display(&value), message.trim().to_string()));
            }
        }
        answers.insert(variable.name.clone(), value);
    }
    if !missing.is_empty() {
        return Err(ScaffoldError::MissingAnswers { names: missing });
    }
    Ok(answers)
}

/// Returns an answer as a user would type it.
fn display(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn question(
    variable: &Variable,
    renderer: &Renderer,
    context: &Answers,
    previous: Option<&Value>,
    answers_missing: bool,
    definition: &str,
) -> Result<Question, ScaffoldError> {
    let kind = match variable.kind {
        VariableType::String => QuestionKind::Text {
            validate: variable.validate.clone(),
        },
        VariableType::Bool => QuestionKind::Bool,
        VariableType::Int => QuestionKind::Int,
        VariableType::Choice => QuestionKind::Choice {
            choices: variable.choices.clone(),
        },
    };
    let mut question = Question {
        name: variable.name.clone(),
        prompt: variable
            .prompt
            .clone()
            .unwrap_or_else(|| variable.name.clone()),
        help: variable.help.clone(),
        kind,
        default: None,
    };
    let label = format!("{definition} (default of `{}`)", variable.name);
    let default = match (previous, &variable.default) {
        (Some(previous), _) => Some(previous.clone()),
        (None, Some(Value::String(expression))) => {
            match renderer.render_str(expression, context, &label) {
                // A rendered default is text; read it as the variable's type.
                Ok(rendered) => Some(
                    question
                        .parse(&rendered)
                        .and_then(|value| variable.syntax.read(value))
                        .unwrap_or(Value::String(rendered)),
                ),
                Err(_) if answers_missing => None,
                Err(error) => return Err(error),
            }
        }
        (None, Some(value @ (Value::Array(_) | Value::Object(_)))) => {
            match render_strings(value, renderer, context, &label) {
                Ok(rendered) => Some(rendered),
                Err(_) if answers_missing => None,
                Err(error) => return Err(error),
            }
        }
        (None, Some(value)) => Some(value.clone()),
        (None, None) if variable.kind == VariableType::Bool => Some(Value::Bool(false)),
        (None, None) => None,
    };
    question.default = default;
    Ok(question)
}

/// Renders every string inside a list or map default (cookiecutter's dict variables, copier's
/// lists), keeping the rest as it is.
fn render_strings(
    value: &Value,
    renderer: &Renderer,
    context: &Answers,
    label: &str,
) -> Result<Value, ScaffoldError> {
    Ok(match value {
        Value::String(text) => Value::String(renderer.render_str(text, context, label)?),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| render_strings(item, renderer, context, label))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, item)| {
                    Ok((key.clone(), render_strings(item, renderer, context, label)?))
                })
                .collect::<Result<_, ScaffoldError>>()?,
        ),
        other => other.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scaffold::files::FileTree;

    fn template(variables: &str) -> Template {
        let text = format!("[template]\nname = \"t\"\n{variables}");
        let files = FileTree {
            files: vec![crate::scaffold::files::TemplateFile {
                path: "template.toml".into(),
                contents: text.into_bytes(),
                executable: false,
            }],
        };
        Template::from_files(files, "t").unwrap()
    }

    struct Scripted(BTreeMap<String, &'static str>);

    impl Ask for Scripted {
        fn ask(&mut self, question: &Question) -> Result<Value, ScaffoldError> {
            let text = self.0.get(&question.name).copied().unwrap_or("");
            question.parse(text).map_err(ScaffoldError::Prompt)
        }
    }

    const VARIABLES: &str = r#"
[[variables]]
name = "name"
default = "{{ directory_name }}"
validate = "^[a-z-]+$"
[[variables]]
name = "team"
default = "{{ name }}-team"
[[variables]]
name = "db"
type = "bool"
default = true
[[variables]]
name = "port"
type = "int"
when = "db"
default = 5432
"#;

    fn sources<'a>(
        set: &[(String, String)],
        use_defaults: bool,
        asker: Option<&'a mut dyn Ask>,
    ) -> AnswerSources<'a> {
        AnswerSources {
            set: set.to_vec(),
            use_defaults,
            asker,
            builtins: Answers::from([("directory_name".to_string(), Value::from("demo"))]),
            previous: Answers::new(),
        }
    }

    #[test]
    fn defaults_follow_earlier_answers() {
        let set = [("name".to_string(), "shop".to_string())];
        let answers = resolve(
            &template(VARIABLES),
            &Renderer::new(),
            sources(&set, true, None),
        )
        .unwrap();
        assert_eq!(answers["team"], "shop-team");
        assert_eq!(answers["db"], true);
        assert_eq!(answers["port"], 5432);
    }

    #[test]
    fn without_defaults_or_a_terminal_every_missing_answer_is_named() {
        let error = resolve(
            &template(VARIABLES),
            &Renderer::new(),
            sources(&[], false, None),
        )
        .unwrap_err();
        assert!(
            matches!(error, ScaffoldError::MissingAnswers { ref names } if names == &["name", "team", "db", "port"])
        );
        // An answer given with `--set` is used even when the default it replaces cannot be rendered.
        let set = [("team".to_string(), "t".to_string())];
        let error = resolve(
            &template(VARIABLES),
            &Renderer::new(),
            sources(&set, false, None),
        )
        .unwrap_err();
        assert!(
            matches!(error, ScaffoldError::MissingAnswers { ref names } if names == &["name", "db", "port"]),
            "{error}"
        );
    }

    #[test]
    fn asks_only_what_its_condition_allows() {
        let mut asker = Scripted(BTreeMap::from([
            ("name".to_string(), "web"),
            ("team".to_string(), "t"),
            ("db".to_string(), "no"),
        ]));
        let answers = resolve(
            &template(VARIABLES),
            &Renderer::new(),
            sources(&[], false, Some(&mut asker)),
        )
        .unwrap();
        assert_eq!(answers["db"], false);
        // `port` was not asked: its condition is false, so it takes its default.
        assert_eq!(answers["port"], 5432);
    }

    #[test]
    fn set_answers_are_typed_and_validated() {
        let set = [("name".to_string(), "Bad Name".to_string())];
        let error = resolve(
            &template(VARIABLES),
            &Renderer::new(),
            sources(&set, true, None),
        )
        .unwrap_err();
        assert!(error.to_string().contains("must match"), "{error}");
        let set = [("nope".to_string(), "x".to_string())];
        let error = resolve(
            &template(VARIABLES),
            &Renderer::new(),
            sources(&set, true, None),
        )
        .unwrap_err();
        assert!(
            matches!(error, ScaffoldError::UnknownVariable { ref known, .. } if known.len() == 4),
            "{error}"
        );
    }
}

//! Rendering with Jinja syntax (minijinja): file contents, path names, defaults and conditions.
//!
//! Undefined variables are errors, not empty strings, so a typo in a template is caught where it
//! is, with the template file and line. Templates written for cookiecutter and copier (Jinja2 in
//! Python) also find the string and dict methods they call and the filters copier always has.

use minijinja::value::{Kwargs, ValueKind};
use minijinja::{Environment, Error, ErrorKind, State, UndefinedBehavior, Value};

use super::ScaffoldError;
use super::answers::Answers;
use super::formats::yaml;
use super::template::Syntax;

/// A Jinja environment configured as templates expect (trailing newlines kept, as cookiecutter and
/// copier keep them, unless a template's syntax says otherwise).
pub struct Renderer {
    environment: Environment<'static>,
    syntax: Syntax,
}

impl Default for Renderer {
    fn default() -> Renderer {
        Renderer::new()
    }
}

impl Renderer {
    pub fn new() -> Renderer {
        Renderer::with_syntax(&Syntax::default()).expect("Jinja's own delimiters are valid")
    }

    /// Returns a renderer for a template's delimiters and whitespace rules; the error says why
    /// minijinja refuses them.
    pub fn with_syntax(syntax: &Syntax) -> Result<Renderer, String> {
        let mut environment = Environment::new();
        environment.set_undefined_behavior(UndefinedBehavior::Strict);
        let config = minijinja::syntax::SyntaxConfig::builder()
            .block_delimiters(syntax.block.0.clone(), syntax.block.1.clone())
            .variable_delimiters(syntax.variable.0.clone(), syntax.variable.1.clone())
            .comment_delimiters(syntax.comment.0.clone(), syntax.comment.1.clone())
            .keep_trailing_newline(syntax.keep_trailing_newline)
            .trim_blocks(syntax.trim_blocks)
            .lstrip_blocks(syntax.lstrip_blocks)
            .build()
            .map_err(|error| error.to_string())?;
        environment.set_syntax(config);
        environment.add_filter("to_nice_yaml", to_nice_yaml);
        environment.add_filter("slugify", slugify);
        environment.set_unknown_method_callback(python_method);
        Ok(Renderer {
            environment,
            syntax: syntax.clone(),
        })
    }

    /// Renders `source`, a piece of the template file `file`.
    pub fn render_str(
        &self,
        source: &str,
        context: &Answers,
        file: &str,
    ) -> Result<String, ScaffoldError> {
        self.environment
            .render_str(
                source,
                minijinja::Value::from(minijinja::value::Serde(context)),
            )
            .map_err(|error| render_error(error, file))
    }

    /// Evaluates a condition: a Jinja expression (`with_db`, `port > 1024`) or a template that
    /// renders to a truthy string (`{{ with_db }}`, as copier writes them).
    pub fn condition(
        &self,
        condition: &str,
        context: &Answers,
        file: &str,
    ) -> Result<bool, ScaffoldError> {
        if condition.contains(self.syntax.variable.0.as_str())
            || condition.contains(self.syntax.block.0.as_str())
        {
            let rendered = self.render_str(condition, context, file)?;
            return Ok(truthy(&rendered));
        }
        let expression = self
            .environment
            .compile_expression(condition)
            .map_err(|error| render_error(error, file))?;
        let value = expression
            .eval(minijinja::Value::from(minijinja::value::Serde(context)))
            .map_err(|error| render_error(error, file))?;
        if value.is_undefined() {
            // Strict mode catches undefined names in output, not in a bare expression's result.
            let message = format!("undefined value: the condition `{condition}` names no answer");
            return Err(ScaffoldError::Render {
                file: file.to_string(),
                line: None,
                message,
            });
        }
        Ok(value.is_true())
    }
}

/// Reads rendered text as a yes or no, as copier's `cast_to_bool` does.
fn truthy(text: &str) -> bool {
    let text = text.trim().to_ascii_lowercase();
    if let Ok(number) = text.parse::<f64>() {
        return number != 0.0;
    }
    !matches!(
        text.as_str(),
        "" | "n" | "no" | "f" | "false" | "off" | "~" | "null" | "none"
    )
}

/// `value|to_nice_yaml(indent=4, width=80)`: the YAML copier's answers file is written in.
fn to_nice_yaml(value: &Value, options: Kwargs) -> Result<String, Error> {
    let indent: Option<usize> = options.get("indent")?;
    let width: Option<usize> = options.get("width")?;
    options.assert_all_used()?;
    let value = serde_json::to_value(value)
        .map_err(|e| Error::new(ErrorKind::InvalidOperation, e.to_string()))?;
    Ok(yaml::to_nice_yaml(
        &value,
        indent.unwrap_or(4),
        width.unwrap_or(80),
    ))
}

/// `text|slugify(separator="-")`: cookiecutter's filter (python-slugify), for ASCII text.
fn slugify(text: &str, options: Kwargs) -> Result<String, Error> {
    let separator: Option<String> = options.get("separator")?;
    options.assert_all_used()?;
    let mut slug = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let between_digits = |i: usize| {
            i > 0
                && chars[i - 1].is_ascii_digit()
                && chars.get(i + 1).is_some_and(char::is_ascii_digit)
        };
        if c == '\'' || (c == ',' && between_digits(i)) {
            continue;
        }
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches('-');
    Ok(match separator {
        Some(separator) => slug.replace('-', &separator),
        None => slug.to_string(),
    })
}

/// Calls the Python methods Jinja2 templates use on strings and dicts (`name.lower()`,
/// `name.replace(" ", "_")`, `options.items()`), which minijinja does not have.
fn python_method(
    state: &mut State,
    value: &Value,
    method: &str,
    args: &[Value],
) -> Result<Value, Error> {
    let unknown = || Error::from(ErrorKind::UnknownMethod);
    let text_arg = |i: usize| args.get(i).and_then(Value::as_str);
    match (value.kind(), method) {
        (ValueKind::String, "lower" | "upper" | "title" | "capitalize" | "replace" | "split") => {
            let mut filter_args = vec![value.clone()];
            filter_args.extend_from_slice(args);
            state.apply_filter(method, &filter_args)
        }
        (ValueKind::String, "strip" | "lstrip" | "rstrip") => {
            let text = value.as_str().unwrap_or_default();
            let chars: Vec<char> = text_arg(0).map_or_else(
                || " \t\n\r\x0b\x0c".chars().collect(),
                |c| c.chars().collect(),
            );
            let strip = |c: char| chars.contains(&c);
            Ok(Value::from(match method {
                "strip" => text.trim_matches(strip),
                "lstrip" => text.trim_start_matches(strip),
                _ => text.trim_end_matches(strip),
            }))
        }
        (ValueKind::String, "startswith" | "endswith") => {
            let text = value.as_str().unwrap_or_default();
            let affix = text_arg(0).ok_or_else(unknown)?;
            Ok(Value::from(if method == "startswith" {
                text.starts_with(affix)
            } else {
                text.ends_with(affix)
            }))
        }
        (ValueKind::String, "join") => {
            let items = args.first().ok_or_else(unknown)?;
            state.apply_filter("join", &[items.clone(), value.clone()])
        }
        (ValueKind::Map, "items") => state.apply_filter("items", std::slice::from_ref(value)),
        (ValueKind::Map, "keys") => Ok(Value::from(value.try_iter()?.collect::<Vec<_>>())),
        (ValueKind::Map, "values") => Ok(Value::from(
            value
                .try_iter()?
                .map(|key| value.get_item(&key))
                .collect::<Result<Vec<_>, _>>()?,
        )),
        (ValueKind::Map, "get") => {
            let key = args.first().ok_or_else(unknown)?;
            let found = value.get_item(key)?;
            Ok(if found.is_undefined() {
                args.get(1).cloned().unwrap_or(Value::from(()))
            } else {
                found
            })
        }
        _ => Err(unknown()),
    }
}

fn render_error(error: minijinja::Error, file: &str) -> ScaffoldError {
    let message = match error.detail() {
        Some(detail) => format!("{}: {detail}", error.kind()),
        None => error.kind().to_string(),
    };
    ScaffoldError::Render {
        file: file.to_string(),
        line: error.line(),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn context() -> Answers {
        Answers::from([
            ("name".to_string(), Value::from("shop")),
            ("db".to_string(), Value::Bool(false)),
        ])
    }

    #[test]
    fn renders_and_keeps_trailing_newlines() {
        let renderer = Renderer::new();
        assert_eq!(
            renderer
                .render_str("name = {{ name }}\n", &context(), "f")
                .unwrap(),
            "name = shop\n"
        );
    }

    #[test]
    fn undefined_variables_name_the_file_and_line() {
        let error = Renderer::new()
            .render_str("a\n{{ nmae }}", &context(), "src/main.rs")
            .unwrap_err();
        assert!(
            matches!(error, ScaffoldError::Render { ref file, line: Some(2), .. } if file == "src/main.rs"),
            "{error}"
        );
    }

    #[test]
    fn python_methods_and_copier_filters_work() {
        let renderer = Renderer::new();
        let render = |source: &str| renderer.render_str(source, &context(), "f").unwrap();
        assert_eq!(render("{{ 'A B'.lower().replace(' ', '_') }}"), "a_b");
        assert_eq!(
            render("{{ ' x '.strip() }}|{{ 'xay'.lstrip('x') }}"),
            "x|ay"
        );
        assert_eq!(render("{{ name.startswith('sh') }}"), "True");
        assert_eq!(render("{{ '-'.join(['a', 'b']) }}"), "a-b");
        assert_eq!(
            render("{{ 'a b'.split()|join(',') }}|{{ 'A'.upper().title() }}"),
            "a,b|A"
        );
        assert_eq!(render("{{ {'a': 1}.get('b', 2) }}"), "2");
        assert_eq!(
            render("{{ \"It's a Test, 1,000!\"|slugify }}"),
            "its-a-test-1000"
        );
        assert_eq!(render("{{ 'A b'|slugify(separator='_') }}"), "a_b");
        assert_eq!(
            render("{{ {'b': [1], 'a': 'yes'}|to_nice_yaml }}"),
            "a: 'yes'\nb:\n- 1\n"
        );
    }

    #[test]
    fn follows_a_templates_delimiters() {
        let syntax = Syntax {
            block: ("[%".into(), "%]".into()),
            variable: ("[[".into(), "]]".into()),
            ..Syntax::default()
        };
        let renderer = Renderer::with_syntax(&syntax).unwrap();
        assert_eq!(
            renderer
                .render_str(
                    "[% if db %]x[% endif %][[ name ]] {{ kept }}",
                    &context(),
                    "f"
                )
                .unwrap(),
            "shop {{ kept }}"
        );
        assert!(renderer.condition("[[ name ]]", &context(), "f").unwrap());
    }

    #[test]
    fn conditions_are_expressions_or_templates() {
        let renderer = Renderer::new();
        assert!(!renderer.condition("db", &context(), "f").unwrap());
        assert!(renderer.condition("not db", &context(), "f").unwrap());
        assert!(!renderer.condition("{{ db }}", &context(), "f").unwrap());
        assert!(renderer.condition("{{ name }}", &context(), "f").unwrap());
        assert!(!renderer.condition("{{ 'n' }}", &context(), "f").unwrap());
        assert!(!renderer.condition("{{ '0.0' }}", &context(), "f").unwrap());
    }
}

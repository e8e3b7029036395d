//! Rendering with Jinja syntax (minijinja): file contents, path names, defaults and conditions.
//!
//! Undefined variables are errors, not empty strings, so a typo in a template is caught where it
//! is, with the template file and line.

use minijinja::{Environment, UndefinedBehavior};

use super::ScaffoldError;
use super::answers::Answers;

/// A Jinja environment configured as templates expect (trailing newlines kept, as cookiecutter and
/// copier keep them).
pub struct Renderer {
    environment: Environment<'static>,
}

impl Default for Renderer {
    fn default() -> Renderer {
        Renderer::new()
    }
}

impl Renderer {
    pub fn new() -> Renderer {
        let mut environment = Environment::new();
        environment.set_undefined_behavior(UndefinedBehavior::Strict);
        let syntax = minijinja::syntax::SyntaxConfig::builder()
            .keep_trailing_newline(true)
            .build();
        environment.set_syntax(syntax.expect("the default delimiters are valid"));
        Renderer { environment }
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
        if condition.contains("{{") || condition.contains("{%") {
            let rendered = self.render_str(condition, context, file)?;
            let falsy = ["", "false", "0", "no", "none", "off"];
            return Ok(!falsy.contains(&rendered.trim().to_ascii_lowercase().as_str()));
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
    fn conditions_are_expressions_or_templates() {
        let renderer = Renderer::new();
        assert!(!renderer.condition("db", &context(), "f").unwrap());
        assert!(renderer.condition("not db", &context(), "f").unwrap());
        assert!(!renderer.condition("{{ db }}", &context(), "f").unwrap());
        assert!(renderer.condition("{{ name }}", &context(), "f").unwrap());
    }
}

//! Questions on the terminal, through dialoguer. The only module that touches it: everything else
//! sees the [`Ask`] trait, so flows are tested with a map of answers.

use dialoguer::theme::ColorfulTheme;
use dialoguer::{Confirm, Input, Select};
use serde_json::Value;

use crate::scaffold::{Ask, Question, QuestionKind, ScaffoldError};

/// Asks questions on stderr's terminal.
#[derive(Default)]
pub struct TerminalAsker {
    theme: ColorfulTheme,
}

impl Ask for TerminalAsker {
    fn ask(&mut self, question: &Question) -> Result<Value, ScaffoldError> {
        let prompt = match &question.help {
            Some(help) => format!("{} ({help})", question.prompt),
            None => question.prompt.clone(),
        };
        let failed = |error: dialoguer::Error| ScaffoldError::Prompt(error.to_string());
        match &question.kind {
            QuestionKind::Bool => {
                let default = question
                    .default
                    .as_ref()
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                let answer = Confirm::with_theme(&self.theme)
                    .with_prompt(prompt)
                    .default(default)
                    .interact()
                    .map_err(failed)?;
                Ok(Value::Bool(answer))
            }
            QuestionKind::Choice { choices } => {
                let default = question
                    .default
                    .as_ref()
                    .and_then(Value::as_str)
                    .and_then(|d| choices.iter().position(|c| c == d))
                    .unwrap_or(0);
                let index = Select::with_theme(&self.theme)
                    .with_prompt(prompt)
                    .items(choices)
                    .default(default)
                    .interact()
                    .map_err(failed)?;
                Ok(Value::String(choices[index].clone()))
            }
            QuestionKind::Text { .. } | QuestionKind::Int => {
                let mut input = Input::<String>::with_theme(&self.theme).with_prompt(prompt);
                if let Some(default) = &question.default {
                    input = input.default(match default {
                        Value::String(text) => text.clone(),
                        other => other.to_string(),
                    });
                }
                let text = input
                    .validate_with(|text: &String| question.parse(text).map(|_| ()))
                    .interact_text()
                    .map_err(failed)?;
                question.parse(&text).map_err(ScaffoldError::Prompt)
            }
        }
    }
}

/// Lets the user pick one of `items` (name, description) with the arrow keys; returns its index.
pub fn pick(prompt: &str, items: &[(String, String)]) -> Result<usize, ScaffoldError> {
    let width = items.iter().map(|(name, _)| name.len()).max().unwrap_or(0);
    let lines: Vec<String> = items
        .iter()
        .map(|(name, description)| format!("{name:width$}  {description}"))
        .collect();
    Select::with_theme(&ColorfulTheme::default())
        .with_prompt(prompt)
        .items(&lines)
        .default(0)
        .interact()
        .map_err(|error| ScaffoldError::Prompt(error.to_string()))
}

//! A template rendered in memory for one project: questions answered, every file's path and
//! contents rendered. `idp init` writes the result; `idp update` renders two versions this way and
//! merges them with the working tree, so both share this one rendering path.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::ScaffoldError;
use super::answers::{AnswerSources, Answers, Ask, resolve};
use super::formats::FileRules;
use super::render::Renderer;
use super::source::Fetched;
use super::template::Template;

/// A file ready to be written, relative to the project directory.
#[derive(Clone, Debug)]
pub struct Rendered {
    pub path: PathBuf,
    pub contents: Vec<u8>,
    pub executable: bool,
}

/// Where a rendering's answers come from.
pub struct AnswerInput<'a> {
    pub set: Vec<(String, String)>,
    pub use_defaults: bool,
    pub asker: Option<&'a mut dyn Ask>,
    /// Answers recorded earlier, taken as they are (see [`AnswerSources::previous`]).
    pub previous: Answers,
}

/// A template rendered for one project.
pub struct Generated {
    pub template: Template,
    pub answers: Answers,
    pub rules: FileRules,
    pub files: Vec<Rendered>,
}

/// Loads the fetched template, answers its questions and renders every file for the project in
/// `directory`, in memory.
pub fn generate(
    fetched: &Fetched,
    directory: &Path,
    input: AnswerInput<'_>,
) -> Result<Generated, ScaffoldError> {
    let template = Template::from_files(fetched.files.clone(), &fetched.source)?;
    let renderer = Renderer::with_syntax(&template.syntax).map_err(|message| {
        ScaffoldError::InvalidTemplate {
            template: fetched.source.clone(),
            file: template.definition.clone(),
            message,
        }
    })?;
    let mut builtins = Answers::from([(
        "directory_name".to_string(),
        Value::from(directory_name(directory)),
    )]);
    builtins.extend(template.dialect.builtins(
        directory,
        &fetched.source,
        fetched.description.as_deref(),
    ));
    let answers = resolve(
        &template,
        &renderer,
        AnswerSources {
            set: input.set,
            use_defaults: input.use_defaults,
            asker: input.asker,
            builtins: builtins.clone(),
            previous: input.previous,
        },
    )?;
    let context = template.render_context(&builtins, &answers, &renderer)?;
    let rules = template.file_rules(&renderer, &context)?;
    let files = render_files(&template, &rules, &renderer, &context)?;
    Ok(Generated {
        template,
        answers,
        rules,
        files,
    })
}

impl Generated {
    /// Returns the answers to record, without secret ones (copier's `secret` questions).
    pub fn recorded_answers(&self) -> Answers {
        let mut recorded = self.answers.clone();
        recorded.retain(|name, _| {
            !self
                .template
                .variables
                .iter()
                .any(|v| v.secret && &v.name == name)
        });
        recorded
    }
}

/// Renders every file's path and contents; conditional and excluded files are left out.
fn render_files(
    template: &Template,
    rules: &FileRules,
    renderer: &Renderer,
    context: &Answers,
) -> Result<Vec<Rendered>, ScaffoldError> {
    let mut rendered = Vec::new();
    for file in &template.files.files {
        let Some(placement) = template.place(file, rules, renderer, context)? else {
            continue;
        };
        let contents = match std::str::from_utf8(&file.contents) {
            Ok(text) if placement.render && !text.contains('\0') => {
                renderer.render_str(text, context, &file.path)?.into_bytes()
            }
            // Binary files and files not to be rendered are copied as they are.
            _ => file.contents.clone(),
        };
        rendered.push(Rendered {
            path: placement.path,
            contents,
            executable: file.executable,
        });
    }
    Ok(rendered)
}

/// Returns the directory's name as a DNS label, the default project name of most templates.
fn directory_name(directory: &Path) -> String {
    let absolute = std::path::absolute(directory).unwrap_or_else(|_| directory.to_path_buf());
    let name = absolute
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let slug: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let slug = slug.trim_matches('-').to_string();
    if slug.starts_with(|c: char| c.is_ascii_lowercase()) {
        slug
    } else {
        format!("svc-{slug}").trim_end_matches('-').to_string()
    }
}

/// Returns `path` with `/` separators, as files are listed to the user.
pub fn slash(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directory_names_become_dns_labels() {
        assert_eq!(directory_name(Path::new("/x/My_Service")), "my-service");
        assert_eq!(directory_name(Path::new("/x/2fa")), "svc-2fa");
    }
}

//! The template formats idp reads, each into the same [`Template`]: idp's own `template.toml`,
//! cookiecutter's `cookiecutter.json` and copier's `copier.yml`, so a company's existing templates
//! work unchanged.
//!
//! The formats differ in more than their question files: cookiecutter nests the answers under
//! `cookiecutter`, copier renders only `*.jinja` files and excludes by rendered path. [`Dialect`]
//! holds what rendering must know of the format, and the methods here are the only places that
//! look at it.

pub mod cookiecutter;
pub mod copier;
mod idp;
pub mod yaml;

use std::path::{Path, PathBuf};

use super::ScaffoldError;
use super::answers::Answers;
use super::files::{FileTree, TemplateFile};
use super::glob;
use super::paths::output_path;
use super::render::Renderer;
use super::template::{Syntax, Template};

/// What the template's format changes in rendering.
#[derive(Clone, Debug)]
pub enum Dialect {
    Idp,
    Cookiecutter(cookiecutter::Settings),
    Copier(copier::Settings),
}

/// Where a template's file goes, and whether its contents are rendered or copied as they are.
pub struct Placement {
    pub path: PathBuf,
    pub render: bool,
}

/// Reads a template from its files, in the format of the file at its root.
pub fn read(files: FileTree, label: &str) -> Result<Template, ScaffoldError> {
    if let Some(text) = files.text(idp::TEMPLATE_FILE).map(str::to_string) {
        return idp::read(files, &text, label);
    }
    let copier_files: Vec<&str> = copier::CONFIG_FILES
        .into_iter()
        .filter(|name| files.get(name).is_some())
        .collect();
    match copier_files.as_slice() {
        [] => {}
        [file] => return copier::read(files, file, label),
        _ => {
            return Err(ScaffoldError::InvalidTemplate {
                template: label.to_string(),
                file: copier_files.join("` and `"),
                message: "a copier template has one of them, not both".into(),
            });
        }
    }
    if files.get(cookiecutter::CONFIG_FILE).is_some() {
        return cookiecutter::read(files, label);
    }
    Err(ScaffoldError::InvalidTemplate {
        template: label.to_string(),
        file: idp::TEMPLATE_FILE.to_string(),
        message: "there is no `template.toml` (nor `cookiecutter.json` or `copier.yml`) at the template's root".into(),
    })
}

/// Returns a name for a template that declares none: the last part of where it came from.
fn name_from_label(label: &str) -> String {
    let location = label.split('#').next().unwrap_or(label);
    let last = location
        .trim_end_matches('/')
        .rsplit(['/', ':'])
        .next()
        .unwrap_or(location);
    last.strip_suffix(".git").unwrap_or(last).to_string()
}

/// Applies one of Jinja2's environment options (copier's `_envops`, cookiecutter's
/// `_jinja2_env_vars`) to `syntax`; returns false for an option idp does not apply.
fn apply_jinja_option(syntax: &mut Syntax, name: &str, value: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (name, value) {
        ("block_start_string", Value::String(s)) => syntax.block.0 = s.clone(),
        ("block_end_string", Value::String(s)) => syntax.block.1 = s.clone(),
        ("variable_start_string", Value::String(s)) => syntax.variable.0 = s.clone(),
        ("variable_end_string", Value::String(s)) => syntax.variable.1 = s.clone(),
        ("comment_start_string", Value::String(s)) => syntax.comment.0 = s.clone(),
        ("comment_end_string", Value::String(s)) => syntax.comment.1 = s.clone(),
        ("trim_blocks", Value::Bool(b)) => syntax.trim_blocks = *b,
        ("lstrip_blocks", Value::Bool(b)) => syntax.lstrip_blocks = *b,
        ("keep_trailing_newline", Value::Bool(b)) => syntax.keep_trailing_newline = *b,
        // Jinja's default, and idp's: nothing is HTML-escaped.
        ("autoescape", Value::Bool(false)) => {}
        _ => return false,
    }
    true
}

impl Dialect {
    /// Returns what the format tells templates besides the answers (copier's `_copier_conf` and
    /// `_folder_name`), for the project in `directory` from `source` at `commit`.
    pub fn builtins(&self, directory: &Path, source: &str, commit: Option<&str>) -> Answers {
        match self {
            Dialect::Copier(settings) => settings.builtins(directory, source, commit),
            Dialect::Idp | Dialect::Cookiecutter(_) => Answers::new(),
        }
    }
}

impl Template {
    /// Returns what Jinja sees while questions are answered: the builtins and the answers so far,
    /// shaped as the format expects (cookiecutter's are under `cookiecutter`).
    pub fn context(&self, builtins: &Answers, answers: &Answers) -> Answers {
        let mut context = builtins.clone();
        match &self.dialect {
            Dialect::Cookiecutter(settings) => {
                context.insert("cookiecutter".to_string(), settings.namespace(answers));
            }
            Dialect::Idp | Dialect::Copier(_) => context.extend(answers.clone()),
        }
        context
    }

    /// Returns what Jinja sees in the template's files: the context of the final answers, plus
    /// what copier's answers file is written from.
    pub fn render_context(
        &self,
        builtins: &Answers,
        answers: &Answers,
        renderer: &Renderer,
    ) -> Result<Answers, ScaffoldError> {
        let mut context = self.context(builtins, answers);
        if let Dialect::Copier(settings) = &self.dialect {
            settings.add_answers(self, &mut context, answers, renderer)?;
        }
        Ok(context)
    }

    /// Returns the rules that decide which files are written, rendered for this project.
    pub fn file_rules(
        &self,
        renderer: &Renderer,
        context: &Answers,
    ) -> Result<FileRules, ScaffoldError> {
        let Dialect::Copier(settings) = &self.dialect else {
            return Ok(FileRules::default());
        };
        let patterns = |patterns: &[String]| {
            settings.rendered_patterns(patterns, renderer, context, &self.definition)
        };
        let root = renderer.render_str(&settings.subdirectory, context, &self.definition)?;
        let root = root.trim().trim_matches('/');
        Ok(FileRules {
            root: (!root.is_empty() && root != ".").then(|| format!("{root}/")),
            exclude: patterns(&settings.exclude)?,
            skip_if_exists: patterns(&settings.skip_if_exists)?,
        })
    }

    /// Decides where `file` goes and whether it is rendered; `None` leaves it out.
    pub fn place(
        &self,
        file: &TemplateFile,
        rules: &FileRules,
        renderer: &Renderer,
        context: &Answers,
    ) -> Result<Option<Placement>, ScaffoldError> {
        if self
            .exclude
            .iter()
            .any(|pattern| glob::matches(pattern, &file.path))
        {
            return Ok(None);
        }
        for condition in self
            .conditions
            .iter()
            .filter(|c| glob::matches(&c.path, &file.path))
        {
            if !renderer.condition(&condition.when, context, &self.definition)? {
                return Ok(None);
            }
        }
        let mut source_path = match &rules.root {
            Some(root) => match file.path.strip_prefix(root.as_str()) {
                Some(inside) => inside,
                None => return Ok(None),
            },
            None => file.path.as_str(),
        };
        let mut render = !self
            .copy_only
            .iter()
            .any(|pattern| glob::matches(pattern, &file.path));
        if let Dialect::Copier(settings) = &self.dialect {
            match settings.template_path(source_path) {
                Some(stripped) => source_path = stripped,
                // A file beside its own template (`x` and `x.jinja`) gives way to it.
                None if settings.has_template_for(&self.files, &file.path) => return Ok(None),
                None => render = settings.templates_suffix.is_empty(),
            }
        }
        let Some(path) = output_path(&renderer.render_str(source_path, context, &file.path)?)?
        else {
            return Ok(None);
        };
        if rules.excludes(&path) {
            return Ok(None);
        }
        Ok(Some(Placement { path, render }))
    }
}

/// Which of a template's files are written, as copier decides it once the answers are known.
/// Patterns match rendered paths as gitignore's do, the last match winning, so `!pattern` takes a
/// path back.
#[derive(Debug, Default)]
pub struct FileRules {
    /// The rendered subdirectory holding the project, with a trailing `/`.
    root: Option<String>,
    exclude: Vec<String>,
    skip_if_exists: Vec<String>,
}

impl FileRules {
    /// Returns whether a rendered path is never written.
    pub fn excludes(&self, path: &Path) -> bool {
        last_match(&self.exclude, path)
    }

    /// Returns whether a rendered path is left alone when the project already has it.
    pub fn keeps_existing(&self, path: &Path) -> bool {
        last_match(&self.skip_if_exists, path)
    }
}

fn last_match(patterns: &[String], path: &Path) -> bool {
    let path = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    patterns
        .iter()
        .fold(false, |matched, pattern| match pattern.strip_prefix('!') {
            Some(negated) if glob::matches(negated, &path) => false,
            None if glob::matches(pattern, &path) => true,
            _ => matched,
        })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn tree(files: &[(&str, &str)]) -> FileTree {
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
    fn names_templates_after_where_they_came_from() {
        assert_eq!(name_from_label("/srv/templates/svc"), "svc");
        assert_eq!(name_from_label("https://example.com/org/svc.git#v1"), "svc");
        assert_eq!(name_from_label("git@example.com:svc.git"), "svc");
    }

    #[test]
    fn the_last_matching_pattern_decides() {
        let patterns = ["docs".to_string(), "!docs/keep.md".to_string()];
        assert!(last_match(&patterns, Path::new("docs/a.md")));
        assert!(!last_match(&patterns, Path::new("docs/keep.md")));
        assert!(!last_match(&patterns, Path::new("src/a.md")));
    }

    #[test]
    fn a_template_with_no_known_file_is_refused() {
        let error = read(tree(&[("README.md", "")]), "t").unwrap_err();
        assert!(error.to_string().contains("template.toml"), "{error}");
        let error = read(tree(&[("copier.yml", ""), ("copier.yaml", "")]), "t").unwrap_err();
        assert!(error.to_string().contains("copier.yml"), "{error}");
    }
}

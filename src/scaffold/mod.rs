//! `idp init`: golden-path projects from templates, built in, in a local folder or in a git
//! repository, in idp's own format or in cookiecutter's and copier's.
//!
//! A template is loaded into memory whole ([`files::FileTree`]), its questions are answered
//! ([`answers`]), it is rendered into a temporary directory beside the target ([`render`]), and only
//! when everything succeeded is the result moved into place, so a failed render leaves nothing.

pub mod answers;
mod builtin;
pub mod catalog;
mod files;
mod formats;
mod generate;
mod glob;
mod init;
pub mod merge;
pub mod merge_toml;
mod paths;
mod provenance;
mod render;
pub mod source;
mod template;
mod update;
mod version;

pub use answers::{Answers, Ask, Question, QuestionKind};
pub use init::{InitOptions, InitReport, init};
pub use template::{Template, Variable, VariableType};
pub use update::{
    Action, CheckOptions, CheckReport, ConflictStyleChoice, UpdateOptions, UpdateReport, check,
    update,
};

/// Why a template could not be used or rendered.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    #[error("no template named `{name}`")]
    UnknownTemplate { name: String, known: Vec<String> },

    #[error("`{file}` of template `{template}` is not valid: {message}")]
    InvalidTemplate {
        template: String,
        file: String,
        message: String,
    },

    #[error("template error in `{file}`{}: {message}", line.map(|l| format!(" line {l}")).unwrap_or_default())]
    Render {
        file: String,
        line: Option<usize>,
        message: String,
    },

    #[error("template path `{path}` would be written outside the target directory")]
    PathEscape { path: String },

    #[error("answers are missing for {}", crate::text::list_all(names.iter().cloned()))]
    MissingAnswers { names: Vec<String> },

    #[error("`--set {name}` names no question of template `{template}`")]
    UnknownVariable {
        name: String,
        template: String,
        known: Vec<String>,
    },

    #[error("`{value}` is not a valid answer for `{name}`: {why}")]
    InvalidAnswer {
        name: String,
        value: String,
        why: String,
    },

    #[error("`{}` is not empty", dir.display())]
    NotEmpty {
        dir: std::path::PathBuf,
        conflicts: Vec<String>,
    },

    #[error("git failed to {action}: {message}")]
    Git { action: String, message: String },

    #[error("failed to {action} `{}`", path.display())]
    Io {
        action: &'static str,
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("the template provenance in `{file}` is not valid: {message}")]
    Provenance { file: String, message: String },

    #[error("`{}` records no template", dir.display())]
    NoProvenance { dir: std::path::PathBuf },

    #[error("cannot update from the built-in template `{name}`: a three-way merge needs the files of the recorded version{}, and idp embeds only its own", version.as_deref().map(|v| format!(" ({v})")).unwrap_or_default())]
    BuiltInUpdate {
        name: String,
        version: Option<String>,
    },

    #[error(
        "cannot update from `{template}`: only templates in git repositories have versions to update between"
    )]
    NotVersioned { template: String },

    #[error("`{}` has uncommitted changes", dir.display())]
    UncommittedChanges {
        dir: std::path::PathBuf,
        changes: Vec<String>,
    },

    #[error(transparent)]
    ManifestMerge(#[from] merge_toml::TomlMergeError),

    #[error("prompt failed: {0}")]
    Prompt(String),
}

impl ScaffoldError {
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<std::path::PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> ScaffoldError {
        let path = path.into();
        move |source| ScaffoldError::Io {
            action,
            path,
            source,
        }
    }
}

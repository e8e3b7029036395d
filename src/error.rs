//! The errors a user reads, and the exit codes idp ends with.
//!
//! Findings about a file are not errors here: commands render them and choose an exit code. These
//! are the failures that stop a command before or outside of judging a file.

use std::path::PathBuf;

/// How idp exits; documented in `idp --help` and the README.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// 0: everything asked for was done.
    Success,
    /// 1: an error, including a malformed manifest.
    Failure,
    /// 3: a guardrail refused the manifest.
    Refused,
    /// 4: `idp update --check`: the project is behind its template's newest version.
    Behind,
    /// `idp run`: the program's own exit code, passed through.
    Child(i32),
}

impl ExitStatus {
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Failure => 1,
            ExitStatus::Refused => 3,
            ExitStatus::Behind => 4,
            ExitStatus::Child(code) => u8::try_from(code).unwrap_or(1),
        }
    }
}

/// A failure that stops a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("could not find `idp.toml` in `{}` or any parent directory", start.display())]
    ManifestNotFound { start: PathBuf },

    #[error("the manifest `{}` does not exist", path.display())]
    ManifestMissing { path: PathBuf },

    #[error("the platform file `{}` (set by {origin}) does not exist", path.display())]
    PlatformMissing { path: PathBuf, origin: &'static str },

    #[error("no environment named `{name}` in `{}`", manifest.display())]
    UnknownEnvironment {
        name: String,
        manifest: PathBuf,
        known: Vec<String>,
    },

    #[error("failed to {action} `{}`", path.display())]
    Io {
        action: String,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("no template chosen")]
    TemplateNotChosen { names: Vec<String> },

    #[error(transparent)]
    Scaffold(#[from] crate::scaffold::ScaffoldError),

    #[error("`{resource}`: {action} failed: {message}")]
    Provision {
        resource: String,
        action: String,
        message: String,
        hint: Option<String>,
    },

    #[error(transparent)]
    Provider(#[from] crate::providers::ProviderError),

    #[error("no resource named `{name}`, and `{name}` is not a kind idp can add")]
    UnknownResource { name: String, known: Vec<String> },

    #[error("could not edit `{}`: {message}", path.display())]
    Edit { path: PathBuf, message: String },

    #[error("no data directory: set `IDP_DATA_DIR`, `XDG_DATA_HOME` or `HOME`")]
    NoDataDir,

    #[error("cannot reach AWS for environment `{environment}`: {message}")]
    AwsSetup {
        environment: String,
        message: String,
    },

    #[error("the manifest declares several environments and none is named `dev`")]
    ChooseEnvironment { known: Vec<String> },

    #[error("`IDP_CREDENTIAL_STORE={value}` is neither `file` nor `keyring`")]
    BadCredentialStore { value: String },

    #[error(
        "the credential of `{resource}` in `{environment}` is missing from the credential store"
    )]
    CredentialMissing {
        resource: String,
        environment: String,
    },

    #[error(transparent)]
    Credentials(#[from] crate::credentials::CredentialError),

    #[error(transparent)]
    State(#[from] crate::state::StateError),

    #[error(transparent)]
    Lock(#[from] crate::state::LockError),

    #[error(transparent)]
    Apply(#[from] crate::engine::ApplyError),

    #[error(transparent)]
    Destroy(#[from] crate::engine::DestroyError),

    #[error("could not run `{program}`")]
    Spawn {
        program: String,
        #[source]
        source: std::io::Error,
    },

    #[error("refusing to {action} without confirmation")]
    ConfirmationNeeded { action: String },

    #[error("`{name}` has not been provisioned in `{environment}`")]
    NotProvisioned { name: String, environment: String },

    /// Stdout was closed by the reader (`idp schema | head`): not a failure.
    #[error("broken pipe")]
    BrokenPipe,
}

impl Error {
    /// Returns a hint on what to do next, when there is one.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::ManifestNotFound { .. } => {
                Some("run idp in a project directory, or pass `--manifest PATH`; the README shows a full example".into())
            }
            Error::ManifestMissing { .. } => Some("check the path given to `--manifest` or `IDP_MANIFEST`".into()),
            Error::PlatformMissing { .. } => Some("fix the path, or remove it to use the built-in policy".into()),
            Error::UnknownEnvironment { known, .. } => Some(format!("use one of {}", crate::text::list(known.iter().cloned()))),
            Error::Io { source, .. } => Some(format!("the system said: {source}")),
            Error::TemplateNotChosen { names } => Some(format!(
                "pass `--template NAME`, a local folder or a git URL; the catalog has {}",
                crate::text::list(names.iter().cloned())
            )),
            Error::Scaffold(error) => scaffold_hint(error),
            Error::Provision { hint, .. } => hint.clone().or_else(|| Some("what succeeded is recorded; fix the cause and run `idp provision` again".into())),
            Error::Provider(error) => error.hint.clone(),
            Error::UnknownResource { known, .. } if known.is_empty() => Some("name a kind to add: `db`, `registry`, `identity` or `network`".into()),
            Error::UnknownResource { known, .. } => Some(format!(
                "name {}, or a kind to add: `db`, `registry`, `identity` or `network`",
                crate::text::list(known.iter().cloned())
            )),
            Error::Edit { .. } => Some("idp.toml was left as it was".into()),
            Error::NoDataDir | Error::BadCredentialStore { .. } => None,
            Error::AwsSetup { .. } => Some(
                "set `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`, or name a profile from `~/.aws/config` with `profile = ...` in the environment or `AWS_PROFILE`".into(),
            ),
            Error::ChooseEnvironment { known } => Some(format!("pass `--env` with one of {}", crate::text::list(known.iter().cloned()))),
            Error::CredentialMissing { .. } => Some("run `idp provision` to create and store it again".into()),
            Error::Credentials(_) => Some("set `IDP_CREDENTIAL_STORE=file` to keep credentials in a private file instead".into()),
            Error::State(_) => None,
            Error::Lock(crate::state::LockError::Held { path, .. }) => Some(format!(
                "wait for it to finish (`--lock-timeout` waits longer); the lock is `{}` and is released when that process exits",
                path.display()
            )),
            Error::Lock(crate::state::LockError::HeldRemote { environment, table, .. }) => Some(format!(
                "wait for it to finish (`--lock-timeout` waits longer); if that idp is gone, `idp unlock --env {environment}` removes its lock from the table `{table}`"
            )),
            Error::Lock(_) => None,
            Error::Apply(_) => Some("what succeeded is recorded; run `idp provision` again".into()),
            Error::Destroy(crate::engine::DestroyError::Protected { .. }) => Some(
                "set `deletion_protection = false` in idp.toml and run `idp provision` first, if you really mean it".into(),
            ),
            Error::Destroy(_) => Some("what was deleted is recorded; run `idp destroy` again to finish".into()),
            Error::Spawn { source, .. } => Some(format!("the system said: {source}")),
            Error::NotProvisioned { .. } => Some("run `idp provision` first; `idp status` lists what exists".into()),
            Error::ConfirmationNeeded { .. } => Some("pass `--yes` to confirm without a terminal".into()),
            Error::BrokenPipe => None,
        }
    }

    pub fn exit_status(&self) -> ExitStatus {
        match self {
            Error::BrokenPipe => ExitStatus::Success,
            _ => ExitStatus::Failure,
        }
    }
}

fn scaffold_hint(error: &crate::scaffold::ScaffoldError) -> Option<String> {
    use crate::scaffold::ScaffoldError;
    use crate::text::list;
    match error {
        ScaffoldError::UnknownTemplate { known, .. } => Some(format!(
            "use a catalog name ({}; see `idp templates list`), a local folder or a git URL",
            list(known.iter().cloned())
        )),
        ScaffoldError::MissingAnswers { names } => Some(format!(
            "pass {}, or `--defaults` to take every default",
            names.iter().map(|n| format!("`--set {n}=VALUE`")).collect::<Vec<_>>().join(" ")
        )),
        ScaffoldError::UnknownVariable { known, .. } if known.is_empty() => Some("this template asks no questions".into()),
        ScaffoldError::UnknownVariable { known, .. } => Some(format!("it asks for {}", crate::text::list_all(known.iter().cloned()))),
        ScaffoldError::NotEmpty { conflicts, .. } if conflicts.is_empty() => {
            Some("choose a new directory, or pass `--force` to write into it (every replaced file is listed)".into())
        }
        ScaffoldError::NotEmpty { conflicts, .. } => Some(format!(
            "the template would replace {}; choose a new directory, or pass `--force` to replace them",
            crate::text::list_all(conflicts.iter().cloned())
        )),
        ScaffoldError::PathEscape { .. } => {
            Some("a template may only write below the project directory; fix the template or the answer that named this path".into())
        }
        ScaffoldError::Io { source, .. } => Some(format!("the system said: {source}")),
        ScaffoldError::NoProvenance { .. } => Some(
            "`idp update` works in a project made by `idp init` (which records its template under `[project.template]` in idp.toml, or in `.idp/template.toml`) or by copier (`.copier-answers.yml`)".into(),
        ),
        ScaffoldError::BuiltInUpdate { .. } => Some(
            "`idp update --check` still compares versions; platform teams: publish templates in a git repository with version tags (`v1`, `v2`) so projects made from them can follow with `idp update`".into(),
        ),
        ScaffoldError::NotVersioned { .. } => Some(
            "make the template folder a git repository with version tags and record it as `PATH#TAG` (or a `file://` URL) under `[project.template]`".into(),
        ),
        ScaffoldError::UncommittedChanges { changes, .. } => Some(format!(
            "commit or stash them first ({}), so `git diff` shows exactly what the update did; or pass `--force`",
            crate::text::list_all(changes.iter().take(5).map(|c| c.trim().to_string()))
        )),
        ScaffoldError::ManifestMerge(_) => Some("nothing was written; fix `idp.toml` and run `idp update` again".into()),
        _ => None,
    }
}

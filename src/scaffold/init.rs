//! Rendering a template into a new project: answers, render into a temporary directory beside the
//! target, provenance, then one move into place and an optional first git commit.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::ScaffoldError;
use super::answers::{Answers, Ask};
use super::generate::{AnswerInput, Generated, Rendered, generate, slash};
use super::paths::check_inside;
use super::provenance::{self, Provenance};
use super::source::TemplateSource;

/// What `idp init` was asked to do.
pub struct InitOptions<'a> {
    pub directory: PathBuf,
    pub source: TemplateSource,
    pub set: Vec<(String, String)>,
    pub use_defaults: bool,
    pub force: bool,
    /// Whether to `git init` and commit; `None` decides: yes when git is installed and the
    /// directory is not inside a work tree already.
    pub git: Option<bool>,
    /// The terminal, when prompting is allowed.
    pub asker: Option<&'a mut dyn Ask>,
    pub cache_dir: Option<PathBuf>,
}

/// What `idp init` did.
#[derive(Debug, Serialize)]
pub struct InitReport {
    pub directory: PathBuf,
    pub template: String,
    pub version: Option<String>,
    pub source: String,
    pub commit: Option<String>,
    pub answers: Answers,
    /// Every file written, relative to the directory.
    pub files: Vec<String>,
    /// Files that existed and were replaced (only with `--force`).
    pub overwritten: Vec<String>,
    /// Where the provenance was recorded.
    pub provenance_file: String,
    pub git_initialized: bool,
    /// Template features that idp does not run.
    pub warnings: Vec<String>,
}

/// Renders the template into `options.directory`; on any error nothing is left behind.
pub fn init(options: InitOptions<'_>) -> Result<InitReport, ScaffoldError> {
    let InitOptions {
        directory,
        source,
        set,
        use_defaults,
        force,
        git,
        asker,
        cache_dir,
    } = options;
    let existing = existing_entries(&directory)?;
    if !existing.is_empty() && !force && asker.is_some() {
        // Fail before asking questions whose answers could not be used.
        return Err(ScaffoldError::NotEmpty {
            dir: directory,
            conflicts: Vec::new(),
        });
    }
    let fetched = source.fetch(cache_dir.as_deref())?;
    let generated = generate(
        &fetched,
        &directory,
        AnswerInput {
            set,
            use_defaults,
            asker,
            previous: Answers::new(),
        },
    )?;
    let recorded = generated.recorded_answers();
    let Generated {
        template,
        answers,
        rules,
        files: mut rendered,
    } = generated;
    // What the template keeps when the project already has it (copier's `_skip_if_exists`).
    rendered
        .retain(|file| !(rules.keeps_existing(&file.path) && directory.join(&file.path).exists()));

    let conflicts: Vec<String> = rendered
        .iter()
        .filter(|file| directory.join(&file.path).exists())
        .map(|file| slash(&file.path))
        .collect();
    if !existing.is_empty() && !force {
        return Err(ScaffoldError::NotEmpty {
            dir: directory,
            conflicts,
        });
    }

    let staging_parent = nearest_existing_ancestor(&directory);
    let staging = tempfile::Builder::new()
        .prefix(".idp-init-")
        .tempdir_in(&staging_parent)
        .map_err(ScaffoldError::io(
            "create a staging directory in",
            &staging_parent,
        ))?;
    for file in &rendered {
        write_file(staging.path(), file)?;
    }
    let provenance = Provenance {
        source: fetched.source.clone(),
        version: template.version.clone(),
        commit: fetched.commit.clone(),
        answers: recorded,
    };
    let provenance_file = provenance::record(staging.path(), &provenance)?;
    let mut files: Vec<String> = rendered.iter().map(|f| slash(&f.path)).collect();
    if !files.iter().any(|f| f == provenance_file) {
        files.push(provenance_file.to_string());
    }
    move_into_place(staging, &directory, &files)?;

    let git_initialized = match git {
        Some(false) => false,
        Some(true) => true,
        None => super::source::git_available() && !super::source::inside_git_work_tree(&directory),
    };
    if git_initialized {
        super::source::git_init_and_commit(
            &directory,
            &format!("Initial commit from the `{}` template", template.name),
        )?;
    }
    Ok(InitReport {
        directory,
        template: template.name,
        version: template.version,
        source: fetched.source,
        commit: fetched.commit,
        answers,
        files,
        overwritten: conflicts,
        provenance_file: provenance_file.to_string(),
        git_initialized,
        warnings: template.warnings,
    })
}

fn write_file(root: &Path, file: &Rendered) -> Result<(), ScaffoldError> {
    let path = root.join(&file.path);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(ScaffoldError::io("create", parent))?;
    }
    std::fs::write(&path, &file.contents).map_err(ScaffoldError::io("write", &path))?;
    #[cfg(unix)]
    if file.executable {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
            .map_err(ScaffoldError::io("make executable", &path))?;
    }
    Ok(())
}

/// Moves the staged project into `directory`: one rename when it does not exist yet, file by file
/// (never through a link out of it) when it does.
fn move_into_place(
    staging: tempfile::TempDir,
    directory: &Path,
    files: &[String],
) -> Result<(), ScaffoldError> {
    if !directory.exists() {
        if let Some(parent) = directory.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(ScaffoldError::io("create", parent))?;
        }
        let staged = staging.keep();
        return std::fs::rename(&staged, directory)
            .map_err(ScaffoldError::io("move the project into", directory));
    }
    for file in files {
        let relative = Path::new(file);
        check_inside(directory, relative)?;
        let target = directory.join(relative);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(ScaffoldError::io("create", parent))?;
        }
        std::fs::rename(staging.path().join(relative), &target)
            .map_err(ScaffoldError::io("move into place", &target))?;
    }
    Ok(())
}

fn existing_entries(directory: &Path) -> Result<Vec<String>, ScaffoldError> {
    match std::fs::read_dir(directory) {
        Ok(entries) => Ok(entries
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(error) if error.kind() == std::io::ErrorKind::NotADirectory => Err(ScaffoldError::Io {
            action: "use as the project directory",
            path: directory.to_path_buf(),
            source: error,
        }),
        Err(source) => Err(ScaffoldError::Io {
            action: "read",
            path: directory.to_path_buf(),
            source,
        }),
    }
}

fn nearest_existing_ancestor(directory: &Path) -> PathBuf {
    let absolute = std::path::absolute(directory).unwrap_or_else(|_| directory.to_path_buf());
    absolute
        .ancestors()
        .skip(1)
        .find(|a| a.is_dir())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

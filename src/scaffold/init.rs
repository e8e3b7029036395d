//! Rendering a template into a new project: answers, render into a temporary directory beside the
//! target, provenance, then one move into place and an optional first git commit.

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

use super::ScaffoldError;
use super::answers::{AnswerSources, Answers, Ask, resolve};
use super::formats::FileRules;
use super::paths::check_inside;
use super::provenance::{self, Provenance};
use super::render::Renderer;
use super::source::TemplateSource;
use super::template::Template;

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

/// A file ready to be written.
struct Rendered {
    path: PathBuf,
    contents: Vec<u8>,
    executable: bool,
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
    let template = Template::from_files(fetched.files, &fetched.source)?;
    let renderer = Renderer::with_syntax(&template.syntax).map_err(|message| {
        ScaffoldError::InvalidTemplate {
            template: fetched.source.clone(),
            file: template.definition.clone(),
            message,
        }
    })?;
    let mut builtins = Answers::from([(
        "directory_name".to_string(),
        Value::from(directory_name(&directory)),
    )]);
    builtins.extend(template.dialect.builtins(
        &directory,
        &fetched.source,
        fetched.description.as_deref(),
    ));
    let answers = resolve(
        &template,
        &renderer,
        AnswerSources {
            set,
            use_defaults,
            asker,
            builtins: builtins.clone(),
            previous: Answers::new(),
        },
    )?;
    let context = template.render_context(&builtins, &answers, &renderer)?;
    let rules = template.file_rules(&renderer, &context)?;
    let mut rendered = render_files(&template, &rules, &renderer, &context)?;
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
        answers: recorded_answers(&template, &answers),
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

/// Returns the answers to record, without secret ones (copier's `secret` questions).
fn recorded_answers(template: &Template, answers: &Answers) -> Answers {
    let mut recorded = answers.clone();
    recorded.retain(|name, _| {
        !template
            .variables
            .iter()
            .any(|v| v.secret && &v.name == name)
    });
    recorded
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

fn slash(path: &Path) -> String {
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

//! Where a template comes from: built in, a local folder, or a git repository (cloned with the
//! `git` command into a cache under the XDG cache directory).

use std::path::{Path, PathBuf};
use std::process::Command;

use super::ScaffoldError;
use super::builtin;
use super::catalog::Catalog;
use super::files::FileTree;

/// A template source as the user named it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TemplateSource {
    BuiltIn(String),
    Path(PathBuf),
    /// A git repository URL (or a local repository's path) and an optional branch, tag or commit.
    Git {
        url: String,
        reference: Option<String>,
    },
}

/// A template's files, fetched, with what provenance needs to know.
pub struct Fetched {
    pub files: FileTree,
    /// How the source is recorded and shown: a built-in name, an absolute path or a URL.
    pub source: String,
    pub commit: Option<String>,
    /// The commit as `git describe --tags --always` names it (`v1.2.0`), as copier records it.
    pub description: Option<String>,
}

impl TemplateSource {
    /// Reads a `--template` value: a catalog name, a git URL (`https://…`, `git@…`, `file://…`,
    /// `….git`, optionally `#REF`), `PATH#REF` for a local repository, or a local folder.
    pub fn parse(spec: &str, catalog: &Catalog) -> TemplateSource {
        if let Some(entry) = catalog.get(spec) {
            return entry.source.clone();
        }
        let (location, reference) = match spec.rsplit_once('#') {
            Some((location, reference)) if !reference.is_empty() => {
                (location, Some(reference.to_string()))
            }
            _ => (spec, None),
        };
        let is_url = ["https://", "http://", "ssh://", "git://", "file://", "git@"]
            .iter()
            .any(|p| location.starts_with(p))
            || location.ends_with(".git");
        if is_url || (reference.is_some() && Path::new(location).is_dir()) {
            return TemplateSource::Git {
                url: location.to_string(),
                reference,
            };
        }
        TemplateSource::Path(PathBuf::from(spec))
    }

    /// Reads the template's files; git sources are cloned or fetched into `cache_dir` first.
    pub fn fetch(&self, cache_dir: Option<&Path>) -> Result<Fetched, ScaffoldError> {
        match self {
            TemplateSource::BuiltIn(name) => {
                let files = builtin::files(name).ok_or_else(|| ScaffoldError::UnknownTemplate {
                    name: name.clone(),
                    known: builtin::names().into_iter().map(String::from).collect(),
                })?;
                Ok(Fetched {
                    files,
                    source: name.clone(),
                    commit: None,
                    description: None,
                })
            }
            TemplateSource::Path(path) => {
                if !path.is_dir() {
                    return Err(ScaffoldError::UnknownTemplate {
                        name: path.display().to_string(),
                        known: builtin::names().into_iter().map(String::from).collect(),
                    });
                }
                let absolute = path
                    .canonicalize()
                    .map_err(ScaffoldError::io("read", path))?;
                Ok(Fetched {
                    files: FileTree::read_dir(&absolute)?,
                    source: absolute.display().to_string(),
                    commit: None,
                    description: None,
                })
            }
            TemplateSource::Git { url, reference } => {
                let cache_dir = cache_dir.ok_or_else(|| ScaffoldError::Git {
                    action: "find a cache directory".into(),
                    message: "set HOME or XDG_CACHE_HOME".into(),
                })?;
                let url = absolute_url(url);
                let checkout = checkout(&url, reference.as_deref(), cache_dir)?;
                let commit = git(
                    &checkout,
                    &["rev-parse", "HEAD"],
                    "read the checked-out commit",
                )?;
                let description = git(
                    &checkout,
                    &["describe", "--tags", "--always"],
                    "describe the checked-out commit",
                )?;
                let source = match reference {
                    Some(reference) => format!("{url}#{reference}"),
                    None => url,
                };
                Ok(Fetched {
                    files: FileTree::read_dir(&checkout)?,
                    source,
                    commit: Some(commit),
                    description: Some(description),
                })
            }
        }
    }
}

/// Local repository paths are recorded absolute, so the provenance works from any directory.
fn absolute_url(url: &str) -> String {
    let path = Path::new(url);
    if !url.contains("://")
        && !url.starts_with("git@")
        && path.exists()
        && let Ok(absolute) = path.canonicalize()
    {
        return absolute.display().to_string();
    }
    url.to_string()
}

/// A tag of a template's repository and the commit it names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tag {
    pub name: String,
    pub commit: String,
}

/// Returns the tags of the repository at `url`, cloned or fetched into the cache first.
pub fn tags(url: &str, cache_dir: &Path) -> Result<Vec<Tag>, ScaffoldError> {
    let path = sync(url, cache_dir)?;
    // `*objectname` is the commit an annotated tag points to; empty for a lightweight tag.
    let listing = git(
        &path,
        &[
            "for-each-ref",
            "--format=%(refname:short)%09%(objectname)%09%(*objectname)",
            "refs/tags",
        ],
        &format!("list the tags of `{url}`"),
    )?;
    Ok(listing
        .lines()
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let name = fields.next()?.to_string();
            let object = fields.next()?;
            let commit = fields.next().filter(|c| !c.is_empty()).unwrap_or(object);
            Some(Tag {
                name,
                commit: commit.to_string(),
            })
        })
        .collect())
}

/// Returns whether `ancestor` is `commit` or an ancestor of it, in the cached clone of `url`.
pub fn is_ancestor(url: &str, cache_dir: &Path, ancestor: &str, commit: &str) -> bool {
    let path = cache_path(url, cache_dir);
    git(
        &path,
        &["merge-base", "--is-ancestor", ancestor, commit],
        "",
    )
    .is_ok()
}

/// Returns `git status --porcelain` of `dir`: one line per uncommitted change, untracked files
/// included.
pub fn uncommitted_changes(dir: &Path) -> Result<Vec<String>, ScaffoldError> {
    let status = git(
        dir,
        &["status", "--porcelain", "--untracked-files=all", "--", "."],
        "read the status of the work tree",
    )?;
    Ok(status.lines().map(str::to_string).collect())
}

/// Returns where the clone of `url` lives in the cache.
fn cache_path(url: &str, cache_dir: &Path) -> PathBuf {
    let slug: String = url
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    cache_dir
        .join("idp")
        .join("templates")
        .join(slug.trim_matches('_'))
}

/// Clones `url` into the cache, or fetches into an existing clone; returns the clone's path.
fn sync(url: &str, cache_dir: &Path) -> Result<PathBuf, ScaffoldError> {
    // One fetch per repository per run: `idp update` reads the tags, the recorded version and the
    // target from the same clone.
    static FETCHED: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());
    let path = cache_path(url, cache_dir);
    if FETCHED.lock().unwrap().contains(&path) {
        return Ok(path);
    }
    if path.join(".git").is_dir() {
        git(
            &path,
            &["fetch", "--quiet", "--tags", "--force", "--prune", "origin"],
            &format!("fetch `{url}`"),
        )?;
    } else {
        std::fs::create_dir_all(&path)
            .map_err(ScaffoldError::io("create the template cache", &path))?;
        git(
            &path,
            &["clone", "--quiet", "--no-checkout", url, "."],
            &format!("clone `{url}`"),
        )?;
    }
    FETCHED.lock().unwrap().push(path.clone());
    Ok(path)
}

/// Clones `url` into the cache (or fetches into an existing clone) and checks out `reference`
/// (a branch, tag or commit; the remote's default branch when `None`).
fn checkout(
    url: &str,
    reference: Option<&str>,
    cache_dir: &Path,
) -> Result<PathBuf, ScaffoldError> {
    let path = sync(url, cache_dir)?;
    let candidates: Vec<String> = match reference {
        Some(reference) => vec![format!("origin/{reference}"), reference.to_string()],
        None => vec!["origin/HEAD".to_string()],
    };
    let commit = candidates
        .iter()
        .find_map(|candidate| {
            git(
                &path,
                &[
                    "rev-parse",
                    "--verify",
                    "--quiet",
                    &format!("{candidate}^{{commit}}"),
                ],
                "",
            )
            .ok()
        })
        .ok_or_else(|| ScaffoldError::Git {
            action: format!("find `{}` in `{url}`", reference.unwrap_or("HEAD")),
            message: "no branch, tag or commit of that name".into(),
        })?;
    git(
        &path,
        &["checkout", "--quiet", "--force", "--detach", &commit],
        "check out the template",
    )?;
    git(
        &path,
        &["clean", "--quiet", "-fdx"],
        "clean the template checkout",
    )?;
    Ok(path)
}

/// Runs git in `dir` and returns its trimmed stdout.
fn git(dir: &Path, args: &[&str], action: &str) -> Result<String, ScaffoldError> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .map_err(|error| ScaffoldError::Git {
            action: action.to_string(),
            message: format!("could not run git: {error}"),
        })?;
    if !output.status.success() {
        let message = String::from_utf8_lossy(&output.stderr).trim().to_string();
        return Err(ScaffoldError::Git {
            action: action.to_string(),
            message,
        });
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
}

/// Returns whether git is installed.
pub fn git_available() -> bool {
    Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Returns whether `dir` lies inside a git work tree.
pub fn inside_git_work_tree(dir: &Path) -> bool {
    git(dir, &["rev-parse", "--is-inside-work-tree"], "").is_ok_and(|out| out == "true")
}

/// Makes `dir` a git repository with one commit of everything in it.
pub fn git_init_and_commit(dir: &Path, message: &str) -> Result<(), ScaffoldError> {
    git(dir, &["init", "--quiet"], "initialise the repository")?;
    git(dir, &["add", "--all"], "stage the generated files")?;
    // Commit as the user when git knows who that is; otherwise as idp, rather than fail the init.
    let identity: &[&str] = if git(dir, &["config", "user.email"], "").is_ok() {
        &[]
    } else {
        &["-c", "user.name=idp", "-c", "user.email=idp@localhost"]
    };
    let mut args = identity.to_vec();
    args.extend(["commit", "--quiet", "--no-verify", "-m", message]);
    git(dir, &args, "make the first commit")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sources_by_their_shape() {
        let catalog = Catalog::builtin();
        assert_eq!(
            TemplateSource::parse("https://example.com/t.git#v2", &catalog),
            TemplateSource::Git {
                url: "https://example.com/t.git".into(),
                reference: Some("v2".into())
            }
        );
        assert_eq!(
            TemplateSource::parse("file:///srv/t", &catalog),
            TemplateSource::Git {
                url: "file:///srv/t".into(),
                reference: None
            }
        );
        assert_eq!(
            TemplateSource::parse("./my-template", &catalog),
            TemplateSource::Path("./my-template".into())
        );
    }
}

//! The state file: written atomically (temporary file, fsync, rename), mode 0600, and read back
//! with a clear error when it is damaged.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The state format's version, bumped when the layout changes.
const VERSION: u32 = 1;

/// What idp recorded about one environment.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct State {
    pub version: u32,
    pub project: String,
    pub environment: String,
    /// The provider that made these resources; another provider later is an error, not a takeover.
    pub provider: String,
    pub resources: BTreeMap<String, RecordedResource>,
}

/// Where a resource stands, as recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ResourceStatus {
    /// The intent to create or change it was recorded; the result was not (yet). A re-run asks the
    /// provider what exists and adopts it or finishes the job.
    Pending,
    /// Created or updated as recorded.
    Ready,
    /// The intent to delete it was recorded.
    Deleting,
}

/// One resource as idp last made it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordedResource {
    #[serde(rename = "type")]
    pub kind: String,
    pub status: ResourceStatus,
    /// The resource's settings as applied (the manifest's, with platform mappings).
    pub config: serde_json::Value,
    /// Non-secret outputs: host, port, database, user, URLs without passwords.
    #[serde(default)]
    pub outputs: BTreeMap<String, String>,
}

#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("failed to {action} the state file `{}`", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the state file `{}` is damaged: {message}", path.display())]
    Damaged { path: PathBuf, message: String },
    #[error("the state file `{}` was written by a newer idp (format {found}, this one reads {VERSION})", path.display())]
    TooNew { path: PathBuf, found: u32 },
    #[error(
        "the state bucket `{bucket}` has versioning suspended, so a state written over could not be recovered; turn it back on (`aws s3api put-bucket-versioning --bucket {bucket} --versioning-configuration Status=Enabled`) or name another bucket in `state`"
    )]
    Unversioned { bucket: String },
    #[error(
        "this idp lost the team lock `{key}` in DynamoDB table `{table}` (another idp took it over, or it could not be renewed), so it stopped before writing the state over; run the command again when the other is done: it finds what this run changed by idp's marker"
    )]
    LockLost { table: String, key: String },
    #[error("failed to {action} the state `{location}`: {message}")]
    Remote {
        action: &'static str,
        location: String,
        message: String,
    },
}

/// The state files of one project.
#[derive(Clone, Debug)]
pub struct StateStore {
    dir: PathBuf,
}

impl StateStore {
    /// Returns the store under `project_dir/.idp/state`.
    pub fn new(project_dir: &Path) -> StateStore {
        StateStore {
            dir: project_dir.join(".idp").join("state"),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn path(&self, environment: &str) -> PathBuf {
        self.dir.join(format!("{environment}.json"))
    }

    /// Reads an environment's state; an environment never provisioned has an empty one.
    pub fn load(&self, project: &str, environment: &str) -> Result<State, StateError> {
        let path = self.path(environment);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok(empty(project, environment));
            }
            Err(source) => {
                return Err(StateError::Io {
                    action: "read",
                    path,
                    source,
                });
            }
        };
        parse(&text, &path)
    }

    /// Writes an environment's state atomically: a crash leaves the old file or the new one.
    pub fn save(&self, state: &State) -> Result<(), StateError> {
        self.ensure_dir()?;
        let path = self.path(&state.environment);
        let io = |action| {
            let path = path.clone();
            move |source| StateError::Io {
                action,
                path,
                source,
            }
        };
        let text = render(state);
        let mut temporary = tempfile::Builder::new()
            .prefix(".state-")
            .permissions(private_permissions())
            .tempfile_in(&self.dir)
            .map_err(io("create a temporary file for"))?;
        temporary.write_all(text.as_bytes()).map_err(io("write"))?;
        temporary.as_file().sync_all().map_err(io("sync"))?;
        temporary.persist(&path).map_err(|e| StateError::Io {
            action: "replace",
            path: path.clone(),
            source: e.error,
        })?;
        Ok(())
    }

    /// Creates `.idp/state` (0700) and a `.idp/.gitignore` so state is never committed by accident.
    pub(crate) fn ensure_dir(&self) -> Result<(), StateError> {
        let io = |source| StateError::Io {
            action: "create the directory of",
            path: self.dir.clone(),
            source,
        };
        if !self.dir.is_dir() {
            std::fs::create_dir_all(&self.dir).map_err(io)?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&self.dir, std::fs::Permissions::from_mode(0o700))
                    .map_err(io)?;
            }
        }
        if let Some(idp_dir) = self.dir.parent() {
            let ignore = idp_dir.join(".gitignore");
            if !ignore.exists() {
                std::fs::write(
                    &ignore,
                    "# Written by idp: state and locks are per machine; never commit them.\n*\n",
                )
                .map_err(io)?;
            }
        }
        Ok(())
    }
}

/// Returns an empty state for an environment never provisioned.
pub(crate) fn empty(project: &str, environment: &str) -> State {
    State {
        version: VERSION,
        project: project.to_string(),
        environment: environment.to_string(),
        ..State::default()
    }
}

/// Reads a state document; `path` names it in errors.
pub(crate) fn parse(text: &str, path: &Path) -> Result<State, StateError> {
    let state: State = serde_json::from_str(text).map_err(|e| StateError::Damaged {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    if state.version > VERSION {
        return Err(StateError::TooNew {
            path: path.to_path_buf(),
            found: state.version,
        });
    }
    Ok(state)
}

/// Returns a state document: pretty JSON with a final newline.
pub(crate) fn render(state: &State) -> String {
    let mut text = serde_json::to_string_pretty(state).expect("state serializes");
    text.push('\n');
    text
}

#[cfg(unix)]
fn private_permissions() -> std::fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    std::fs::Permissions::from_mode(0o600)
}

#[cfg(not(unix))]
fn private_permissions() -> std::fs::Permissions {
    std::fs::metadata(".")
        .map(|m| m.permissions())
        .expect("the working directory exists")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saves_atomically_with_private_permissions_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let store = StateStore::new(dir.path());
        let mut state = store.load("shop", "dev").unwrap();
        assert!(state.resources.is_empty());
        state.provider = "local".into();
        state.resources.insert(
            "db".into(),
            RecordedResource {
                kind: "postgres".into(),
                status: ResourceStatus::Ready,
                config: serde_json::json!({ "version": "16" }),
                outputs: BTreeMap::from([("port".to_string(), "5432".to_string())]),
            },
        );
        store.save(&state).unwrap();
        assert_eq!(store.load("shop", "dev").unwrap(), state);
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(store.path("dev"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        assert!(
            std::fs::read_to_string(dir.path().join(".idp/.gitignore"))
                .unwrap()
                .contains('*')
        );
        // No temporary files are left beside it.
        assert_eq!(std::fs::read_dir(store.dir()).unwrap().count(), 1);
    }

    #[test]
    fn damaged_state_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = StateStore::new(dir.path());
        store.ensure_dir().unwrap();
        std::fs::write(store.path("dev"), "{ not json").unwrap();
        let error = store.load("shop", "dev").unwrap_err();
        assert!(
            error.to_string().contains("dev.json") && error.to_string().contains("damaged"),
            "{error}"
        );
    }
}

//! The cluster's files: where each lives under the root, the record of its port and version,
//! the lock, and writing files so a crash never leaves one half written.

use std::fs::File;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::ClusterError;
use super::server_user::ServerUser;
use crate::providers::local::server::{self, io_error, read_optional};

/// PostgreSQL's limit on a Unix socket's path (`sizeof(sun_path)` less the final NUL).
const MAX_SOCKET_PATH: usize = 107;
/// The entries idp keeps in a cluster's root; a directory holding anything else is not taken over.
const ROOT_ENTRIES: &[&str] = &[
    "cluster.toml",
    "cluster.lock",
    "initdb.lock",
    "data",
    "data.new",
    "socket",
    "hba.d",
    "server.log",
    "server.log.1",
];

/// What `cluster.toml` records.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(super) struct Record {
    pub(super) port: u16,
    /// The major version, as in the data directory's `PG_VERSION`.
    pub(super) version: String,
    pub(super) bin_dir: PathBuf,
}

/// The files of a cluster, under its root.
#[derive(Clone, Debug)]
pub(super) struct Paths {
    pub(super) root: PathBuf,
}

impl Paths {
    /// Checks that `root` can hold a cluster: PostgreSQL's configuration quotes it, and its socket
    /// path has a length limit.
    pub(super) fn new(root: &Path) -> Result<Paths, ClusterError> {
        let root =
            std::path::absolute(root).map_err(io_error("find the absolute path of", root))?;
        let unusable = |reason: &str| ClusterError::UnusableRoot {
            root: root.clone(),
            reason: reason.into(),
        };
        let Some(text) = root.to_str() else {
            return Err(unusable("its path is not UTF-8"));
        };
        if text.contains(['\'', '"', '\\']) || text.contains(char::is_control) {
            return Err(unusable(
                "its path holds a quote, a backslash or a control character",
            ));
        }
        let paths = Paths { root: root.clone() };
        if paths.socket_file(u16::MAX).as_os_str().len() > MAX_SOCKET_PATH {
            return Err(unusable(&format!(
                "its path is too long for PostgreSQL's Unix socket (at most {} bytes)",
                MAX_SOCKET_PATH - "/socket/.s.PGSQL.65535".len()
            )));
        }
        Ok(paths)
    }

    pub(super) fn record(&self) -> PathBuf {
        self.root.join("cluster.toml")
    }

    pub(super) fn data(&self) -> PathBuf {
        self.root.join("data")
    }

    pub(super) fn socket(&self) -> PathBuf {
        self.root.join("socket")
    }

    pub(super) fn socket_file(&self, port: u16) -> PathBuf {
        self.socket().join(format!(".s.PGSQL.{port}"))
    }

    pub(super) fn hba_directory(&self) -> PathBuf {
        self.root.join("hba.d")
    }

    pub(super) fn log(&self) -> PathBuf {
        self.root.join("server.log")
    }
}

/// Makes the root directory and hands it to the server's user. Directories made above it get mode
/// 0755, so the server's user can pass; existing ones are checked, never changed.
pub(super) fn prepare_root(
    paths: &Paths,
    server_user: Option<&ServerUser>,
) -> Result<(), ClusterError> {
    let root = &paths.root;
    if let Some(user) = server_user {
        user.check_reachable(root)?;
    }
    let missing: Vec<&Path> = root.ancestors().take_while(|dir| !dir.exists()).collect();
    for directory in missing.iter().rev() {
        match std::fs::create_dir(directory) {
            Err(error) if error.kind() != std::io::ErrorKind::AlreadyExists => {
                return Err(io_error("create the directory", directory)(error).into());
            }
            _ if server_user.is_some() && *directory != root.as_path() => {
                set_mode(directory, 0o755)?
            }
            _ => {}
        }
    }
    let entries = std::fs::read_dir(root).map_err(io_error("read the directory", root))?;
    for entry in entries {
        let name = entry
            .map_err(io_error("read the directory", root))?
            .file_name();
        if !ROOT_ENTRIES.iter().any(|known| name == *known)
            && !name.to_string_lossy().starts_with(".tmp")
        {
            return Err(ClusterError::UnusableRoot {
                root: root.clone(),
                reason: format!(
                    "it holds `{}`, which idp did not put there",
                    name.to_string_lossy()
                ),
            });
        }
    }
    if let Some(user) = server_user {
        user.chown(root)?;
    }
    set_mode(root, 0o700)
}

/// Takes the cluster's lock, waiting for another holder; dropping the file releases it.
pub(super) fn lock(paths: &Paths) -> Result<File, ClusterError> {
    Ok(server::lock(&paths.root.join("cluster.lock"), || {})?)
}

/// Takes the lock an `initdb` holds while it runs (see `Cluster::initdb`), calling `waiting`
/// first when an earlier one still runs.
pub(super) fn initdb_lock(paths: &Paths, waiting: impl FnOnce()) -> Result<File, ClusterError> {
    Ok(server::lock(&paths.root.join("initdb.lock"), waiting)?)
}

/// Returns the data directory's major version (`PG_VERSION`), or `None` when there is no cluster.
pub(super) fn read_data_version(paths: &Paths) -> Result<Option<String>, ClusterError> {
    let text = read_optional(&paths.data().join("PG_VERSION"))?;
    Ok(text.map(|text| text.trim().to_string()))
}

pub(super) fn read_record(paths: &Paths) -> Result<Option<Record>, ClusterError> {
    let path = paths.record();
    let Some(text) = read_optional(&path)? else {
        return Ok(None);
    };
    toml_edit::de::from_str(&text)
        .map(Some)
        .map_err(|e| ClusterError::DamagedRecord {
            path,
            message: e.message().to_string(),
        })
}

pub(super) fn write_record(paths: &Paths, record: &Record) -> Result<(), ClusterError> {
    let body = toml_edit::ser::to_string_pretty(record).expect("the record serializes");
    let text = format!("# The PostgreSQL cluster idp runs for this user; written by idp.\n{body}");
    write_atomically(&paths.record(), &text, None)
}

/// Writes `path` atomically (a temporary file beside it, synced, then renamed), mode 0600, owned
/// by `owner` when given.
pub(super) fn write_atomically(
    path: &Path,
    text: &str,
    owner: Option<&ServerUser>,
) -> Result<(), ClusterError> {
    let directory = path.parent().expect("cluster files are inside a directory");
    let mut temporary = tempfile::Builder::new()
        .permissions(std::fs::Permissions::from_mode(0o600))
        .tempfile_in(directory)
        .map_err(io_error("create a temporary file in", directory))?;
    temporary
        .write_all(text.as_bytes())
        .map_err(io_error("write", path))?;
    temporary
        .as_file()
        .sync_all()
        .map_err(io_error("write", path))?;
    if let Some(user) = owner {
        user.chown(temporary.path())?;
    }
    temporary
        .persist(path)
        .map_err(|e| io_error("replace", path)(e.error))?;
    Ok(())
}

pub(super) fn create_private_directory(directory: &Path) -> Result<(), ClusterError> {
    match std::fs::create_dir(directory) {
        Err(error) if error.kind() != std::io::ErrorKind::AlreadyExists => {
            Err(io_error("create the directory", directory)(error).into())
        }
        _ => set_mode(directory, 0o700),
    }
}

pub(super) fn set_mode(path: &Path, mode: u32) -> Result<(), ClusterError> {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .map_err(io_error("set the permissions of", path))?;
    Ok(())
}

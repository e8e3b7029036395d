//! What can go wrong with the cluster, each failure with what its message needs and, where
//! there is one, a hint on what to do next.

use std::path::PathBuf;

use crate::providers::local::server::IoError;

/// A failure of the cluster, or of a PostgreSQL program run on it.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error("PostgreSQL is not installed: no `initdb` in /usr/lib/postgresql/*/bin or on PATH")]
    PostgresMissing,

    #[error("`{}` has no `{program}`", bin_dir.display())]
    ProgramMissing {
        bin_dir: PathBuf,
        program: &'static str,
    },

    #[error("PostgreSQL refuses to run as root, and there is no `{user}` user to run it as")]
    ServerUserMissing { user: &'static str },

    #[error("the PostgreSQL server runs as `{user}`, who cannot enter `{}` to reach `{}`", directory.display(), root.display())]
    DirectoryNotReachable {
        user: &'static str,
        directory: PathBuf,
        root: PathBuf,
    },

    #[error("`{}` cannot hold a PostgreSQL cluster: {reason}", root.display())]
    UnusableRoot { root: PathBuf, reason: String },

    #[error("the PostgreSQL cluster in `{}` is version {data_version}, but `{}` holds PostgreSQL {program_version}", root.display(), bin_dir.display())]
    VersionMismatch {
        root: PathBuf,
        bin_dir: PathBuf,
        data_version: String,
        program_version: String,
    },

    #[error("port {port} on 127.0.0.1, recorded for the PostgreSQL cluster in `{}`, is taken by another program", root.display())]
    PortInUse { port: u16, root: PathBuf },

    #[error("`{}` is damaged: {message}", path.display())]
    DamagedRecord { path: PathBuf, message: String },

    #[error("{action} failed: {message}")]
    Failed { action: String, message: String },

    #[error("SQL on database `{database}` failed: {message}")]
    Sql { database: String, message: String },

    #[error("the pg_hba.conf fragment `{name}` is refused: {reason}")]
    InvalidFragment { name: String, reason: String },

    #[error(transparent)]
    Io(#[from] IoError),
}

impl ClusterError {
    /// Returns a hint on what to do next, when there is one.
    pub fn hint(&self) -> Option<String> {
        match self {
            ClusterError::PostgresMissing => Some("install it: `apt-get install postgresql` (Debian/Ubuntu)".into()),
            ClusterError::ProgramMissing { .. } => {
                Some("point the bin directory at PostgreSQL's programs, or install PostgreSQL: `apt-get install postgresql` (Debian/Ubuntu)".into())
            }
            ClusterError::ServerUserMissing { .. } => {
                Some("install PostgreSQL, which makes that user: `apt-get install postgresql` (Debian/Ubuntu)".into())
            }
            ClusterError::DirectoryNotReachable { user, directory, .. } => Some(format!(
                "let `{user}` through with `chmod o+x {}` or `setfacl -m u:{user}:x {}`, or put the cluster somewhere it can reach",
                directory.display(),
                directory.display()
            )),
            ClusterError::VersionMismatch { data_version, .. } => Some(format!(
                "install PostgreSQL {data_version} (`apt-get install postgresql-{data_version}` on Debian/Ubuntu), or upgrade the cluster with `pg_upgrade`"
            )),
            ClusterError::PortInUse { port, .. } => Some(format!(
                "stop the program listening on 127.0.0.1:{port}; the databases' recorded addresses use this port"
            )),
            _ => None,
        }
    }
}

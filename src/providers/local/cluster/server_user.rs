//! Who runs the PostgreSQL server. PostgreSQL refuses to run as root, so when idp runs as root the
//! server runs as Debian's unprivileged `postgres` user: it must own the cluster's directory and be
//! able to walk down to it. Otherwise the server runs as idp's own user and nothing here applies.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::ClusterError;
use crate::providers::local::server::io_error;

/// The unprivileged user the server runs as when idp runs as root; Debian's `postgresql` package
/// makes it.
const SERVER_USER: &str = "postgres";

/// The unprivileged user the server runs as, when idp runs as root.
#[derive(Clone, Debug)]
pub(super) struct ServerUser {
    pub(super) name: &'static str,
    uid: u32,
    gid: u32,
}

/// Returns whether this process's effective user is root.
fn running_as_root() -> bool {
    // `Uid:` lists the real, effective, saved and filesystem ids.
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    if let Some(line) = status.lines().find(|line| line.starts_with("Uid:")) {
        return line.split_whitespace().nth(2) == Some("0");
    }
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Returns a user's uid and gid, looked up once per process: `/etc/passwd` first (where Debian's
/// package puts `postgres`), else `id`, which also asks NSS.
fn ids(user: &'static str) -> Option<(u32, u32)> {
    static IDS: std::sync::OnceLock<Option<(u32, u32)>> = std::sync::OnceLock::new();
    *IDS.get_or_init(|| {
        let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
        let from_passwd = passwd.lines().find_map(|line| {
            let fields: Vec<&str> = line.split(':').collect();
            (fields.first() == Some(&user) && fields.len() > 3)
                .then(|| Some((fields[2].parse().ok()?, fields[3].parse().ok()?)))
                .flatten()
        });
        from_passwd.or_else(|| {
            let id = |flag: &str| -> Option<u32> {
                let output = Command::new("id")
                    .args([flag, user])
                    .stderr(Stdio::null())
                    .output()
                    .ok()?;
                String::from_utf8_lossy(&output.stdout)
                    .trim()
                    .parse()
                    .ok()
                    .filter(|_| output.status.success())
            };
            Some((id("-u")?, id("-g")?))
        })
    })
}

impl ServerUser {
    /// Returns the user the server must run as: `None` when idp is not root, as the server then
    /// runs as idp's own user.
    pub(super) fn for_this_process() -> Result<Option<ServerUser>, ClusterError> {
        if !running_as_root() {
            return Ok(None);
        }
        match ids(SERVER_USER) {
            Some((uid, gid)) => Ok(Some(ServerUser {
                name: SERVER_USER,
                uid,
                gid,
            })),
            _ => Err(ClusterError::ServerUserMissing { user: SERVER_USER }),
        }
    }

    /// Returns a command that runs `program` as this user (`runuser -u postgres -- program`).
    pub(super) fn command(&self, program: &Path) -> Command {
        let mut command = Command::new("runuser");
        command.args(["-u", self.name, "--"]).arg(program);
        command
    }

    /// Gives `path` to this user.
    pub(super) fn chown(&self, path: &Path) -> Result<(), ClusterError> {
        std::os::unix::fs::chown(path, Some(self.uid), Some(self.gid))
            .map_err(io_error("give to the `postgres` user", path))?;
        Ok(())
    }

    /// Fails naming the first existing directory above `root` that this user cannot enter.
    ///
    /// The check runs as the user itself (`test -x` under runuser), so ACLs and group membership
    /// count exactly as they will for the server. The directories are not changed: a user's home
    /// of mode 0700 stays closed; the error says what to open or where else to put the cluster.
    pub(super) fn check_reachable(&self, root: &Path) -> Result<(), ClusterError> {
        let mut directories: Vec<PathBuf> = Vec::new();
        let canonical = root
            .ancestors()
            .skip(1)
            .find(|dir| dir.exists())
            .and_then(|dir| dir.canonicalize().ok());
        // Outermost first, so the directory named is the one that shuts out everything below it;
        // both the path as given and its target when it goes through a symbolic link.
        for ancestors in [root.parent(), canonical.as_deref()].into_iter().flatten() {
            let mut chain: Vec<PathBuf> = ancestors
                .ancestors()
                .filter(|d| d.is_dir())
                .map(Path::to_path_buf)
                .collect();
            chain.reverse();
            for directory in chain {
                if !directories.contains(&directory) {
                    directories.push(directory);
                }
            }
        }
        let script = r#"for d do [ -x "$d" ] || { printf '%s' "$d"; exit 1; }; done"#;
        let output = self
            .command(Path::new("sh"))
            .args(["-c", script, "sh"])
            .args(&directories)
            .current_dir("/")
            .stdin(Stdio::null())
            .output()
            .map_err(io_error("run", Path::new("runuser")))?;
        if output.status.success() {
            return Ok(());
        }
        let blocked = String::from_utf8_lossy(&output.stdout).into_owned();
        if blocked.is_empty() {
            return Err(ClusterError::Failed {
                action: format!(
                    "checking that `{}` can reach `{}`",
                    self.name,
                    root.display()
                ),
                message: String::from_utf8_lossy(&output.stderr).trim().to_string(),
            });
        }
        Err(ClusterError::DirectoryNotReachable {
            user: self.name,
            directory: PathBuf::from(blocked),
            root: root.to_path_buf(),
        })
    }
}

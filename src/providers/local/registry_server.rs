//! The one OCI image registry the `local` provider runs per user: Debian's `docker-registry` (the
//! Distribution registry) serving on 127.0.0.1 with htpasswd (bcrypt) authentication, started on
//! demand and left running between idp's runs.
//!
//! Everything lives under one root directory that the caller chooses (`$XDG_DATA_HOME/idp/registry`,
//! or `/var/lib/idp/registry` for root); the server runs as idp's own user, as it needs no
//! privileged port:
//!
//! ```text
//! registry.toml   the port, picked once; written by idp
//! registry.lock   locked while the server starts or stops and while htpasswd changes
//! config.yml      the registry's configuration, rewritten by idp before each start
//! htpasswd        the users and their bcrypt hashes, mode 0600
//! storage/        the images
//! registry.pid    the server's pid, written as it starts
//! registry.log    the server's log (set aside as registry.log.1 when it grows large)
//! ```
//!
//! The server is not idp's child: it runs in its own session and outlives idp; the pid file finds
//! it again. Users change while it runs: Distribution 2.8 re-reads htpasswd on the next request
//! whenever the file's modification time changed (measured with Debian's 2.8.2: a user added,
//! replaced or removed takes effect on the very next request, without a restart), so every write
//! here replaces the file atomically with a newer mtime, and `set_user` checks the server agrees.
//!
//! Linux only: whether the server runs is read from `/proc`.

mod htpasswd;
mod http;
mod process;
#[cfg(test)]
mod test_support;

use std::fs::File;
use std::net::{Ipv4Addr, SocketAddr};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::server::{
    self, IoError, io_error, pick_port, port_is_free, read_optional, remove_if_present,
    set_aside_large_log, tail,
};

/// How long a server may take to answer after it was started, or when found running.
const START_TIMEOUT: Duration = Duration::from_secs(30);
/// How long `stop` waits after SIGTERM before SIGKILL, and then again.
const STOP_TIMEOUT: Duration = Duration::from_secs(10);
/// The catalog page size asked for; Distribution allows up to 1000 by default.
const CATALOG_PAGE: usize = 100;

/// Where the registry lives and which program runs it.
#[derive(Clone, Debug)]
pub struct RegistryOptions {
    /// The registry's root directory, made (mode 0700) when missing.
    pub root: PathBuf,
    /// The registry program. By default `docker-registry` on PATH, then
    /// `/usr/bin/docker-registry`.
    pub binary: Option<PathBuf>,
}

/// The registry idp runs, found by its root directory.
#[derive(Clone, Debug)]
pub struct RegistryServer {
    root: PathBuf,
    port: u16,
}

/// What `registry.toml` records.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Record {
    port: u16,
}

#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error("the image registry program `{}` is not installed", binary.display())]
    ProgramMissing { binary: PathBuf },

    #[error("port {port} on 127.0.0.1, recorded for the image registry in `{}`, is taken by another program", root.display())]
    PortInUse { port: u16, root: PathBuf },

    #[error("the image registry stopped while starting on 127.0.0.1:{port}")]
    Exited {
        port: u16,
        log: PathBuf,
        tail: Option<String>,
    },

    #[error("the image registry on 127.0.0.1:{port} did not answer within {}s", waited.as_secs())]
    NotAnswering {
        port: u16,
        waited: Duration,
        log: PathBuf,
    },

    #[error("the image registry on 127.0.0.1:{port} answered `GET {path}` with {answer}")]
    UnexpectedAnswer {
        port: u16,
        path: String,
        answer: String,
    },

    #[error("could not reach the image registry on 127.0.0.1:{port}")]
    Unreachable {
        port: u16,
        #[source]
        source: std::io::Error,
    },

    #[error("the image registry on 127.0.0.1:{port} refused the credential of `{user}`")]
    Refused {
        port: u16,
        user: String,
        after_update: bool,
    },

    #[error("`{user}` cannot be an image registry user: {reason}")]
    InvalidUser { user: String, reason: &'static str },

    #[error(
        "the password of the image registry user `{user}` is longer than the {limit} bytes bcrypt can hash"
    )]
    PasswordTooLong { user: String, limit: usize },

    #[error("hashing the password of the image registry user `{user}` failed: {message}")]
    Hash { user: String, message: String },

    #[error("the image registry (pid {pid}) did not stop")]
    StillRunning { pid: u32 },

    #[error("`{}` is damaged: {message}", path.display())]
    DamagedRecord { path: PathBuf, message: String },

    #[error("the image registry's directory `{}` is not UTF-8, which its configuration file needs", root.display())]
    RootNotUtf8 { root: PathBuf },

    #[error(transparent)]
    Io(#[from] IoError),
}

impl RegistryError {
    /// Returns a hint on what to do next, when there is one.
    pub fn hint(&self) -> Option<String> {
        match self {
            RegistryError::ProgramMissing { .. } => Some(
                "the local provider runs Debian's Distribution registry: install it with `apt-get install docker-registry`"
                    .into(),
            ),
            RegistryError::PortInUse { port, .. } => Some(format!(
                "stop the program listening on 127.0.0.1:{port}; the registries' recorded URLs use this port"
            )),
            RegistryError::Exited { log, tail: Some(tail), .. } => {
                Some(format!("its log `{}` ends with:\n{tail}", log.display()))
            }
            RegistryError::Exited { log, .. } | RegistryError::NotAnswering { log, .. } => {
                Some(format!("see its log `{}`", log.display()))
            }
            RegistryError::Refused { after_update: true, .. } => Some(
                "the running registry did not pick up its new htpasswd; stop it and run idp again to restart it"
                    .into(),
            ),
            RegistryError::Refused { user, .. } => {
                Some(format!("the stored password of `{user}` is not the registry's; provision again to reset it"))
            }
            RegistryError::StillRunning { pid } => Some(format!("end it with `kill -KILL {pid}`")),
            _ => None,
        }
    }
}

impl RegistryServer {
    /// Returns the registry running, starting it as needed.
    ///
    /// Picks a free 127.0.0.1 port the first time and records it in `registry.toml`, starts the
    /// server detached when it is not running (writing its configuration first), and returns once
    /// `GET /v2/` answers 401: it asks for credentials. Reports what it does through `progress`.
    /// Safe when several processes or threads call it at once: starting happens under a lock on
    /// `registry.lock`.
    pub fn ensure_running(
        options: &RegistryOptions,
        progress: &mut dyn FnMut(&str),
    ) -> Result<RegistryServer, RegistryError> {
        create_private_directory(&options.root)?;
        let _lock = lock(&options.root, progress)?;
        let server = match RegistryServer::open(options)? {
            Some(server) => server,
            None => {
                let server = RegistryServer {
                    root: options.root.clone(),
                    port: pick_port()?,
                };
                write_record(&server.root, &Record { port: server.port })?;
                server
            }
        };
        let pid = match server.running_pid() {
            Some(pid) => pid,
            None => {
                let binary = process::find_program(options.binary.as_deref())?;
                progress(&format!(
                    "starting the image registry on {}",
                    server.address()
                ));
                server.start(&binary)?
            }
        };
        server.wait_until_answering(pid)?;
        Ok(server)
    }

    /// Returns the registry without starting it, or `None` when none was set up in `options.root`.
    pub fn open(options: &RegistryOptions) -> Result<Option<RegistryServer>, RegistryError> {
        let path = options.root.join("registry.toml");
        let Some(text) = read_optional(&path)? else {
            return Ok(None);
        };
        let record: Record =
            toml_edit::de::from_str(&text).map_err(|e| RegistryError::DamagedRecord {
                path,
                message: e.message().to_string(),
            })?;
        Ok(Some(RegistryServer {
            root: options.root.clone(),
            port: record.port,
        }))
    }

    /// Returns the address clients use, `127.0.0.1:PORT`.
    pub fn address(&self) -> String {
        format!("{}:{}", Ipv4Addr::LOCALHOST, self.port)
    }

    /// Returns the TCP port the server listens on, on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Returns whether the server recorded in `registry.pid` is running.
    pub fn is_running(&self) -> bool {
        self.running_pid().is_some()
    }

    /// Adds `user`, or replaces its password; when the server runs, checks that it accepts the
    /// new credential.
    ///
    /// The password is hashed for htpasswd and sent to the server to check the change took
    /// effect; it is never put on a command line, in a file or in an error.
    pub fn set_user(&self, user: &str, password: &str) -> Result<(), RegistryError> {
        htpasswd::check_user(user)?;
        let hash = htpasswd::hash_password(user, password)?;
        self.edit_users(|text| htpasswd::with_user(text, user, &hash))?;
        if self.is_running() && !self.authenticates(user, password)? {
            return Err(RegistryError::Refused {
                port: self.port,
                user: user.to_string(),
                after_update: true,
            });
        }
        Ok(())
    }

    /// Removes `user`; nothing to do when there is no such user. The server refuses it from its
    /// next request on.
    pub fn remove_user(&self, user: &str) -> Result<(), RegistryError> {
        if self.has_user(user)? {
            self.edit_users(|text| htpasswd::without_user(text, user))?;
        }
        Ok(())
    }

    /// Returns whether htpasswd has `user`.
    pub fn has_user(&self, user: &str) -> Result<bool, RegistryError> {
        let text = read_optional(&self.root.join("htpasswd"))?.unwrap_or_default();
        Ok(htpasswd::has_user(&text, user))
    }

    /// Returns whether the server accepts `user` and `password` (`GET /v2/` answers 200).
    pub fn authenticates(&self, user: &str, password: &str) -> Result<bool, RegistryError> {
        let response = self.get("/v2/", Some((user, password)))?;
        match response.status {
            200 => Ok(true),
            401 => Ok(false),
            status => Err(self.unexpected("/v2/", format!("HTTP {status}"))),
        }
    }

    /// Returns the names of the repositories in the registry (`GET /v2/_catalog`, every page), in
    /// the registry's order (sorted), as seen with `user`'s credential.
    pub fn repositories(&self, user: &str, password: &str) -> Result<Vec<String>, RegistryError> {
        #[derive(Deserialize)]
        struct Catalog {
            repositories: Option<Vec<String>>,
        }
        let mut names: Vec<String> = Vec::new();
        loop {
            let path = match names.last() {
                None => format!("/v2/_catalog?n={CATALOG_PAGE}"),
                // Repository names are lowercase letters, digits, `._-` and `/`: nothing to escape.
                Some(last) => format!("/v2/_catalog?n={CATALOG_PAGE}&last={last}"),
            };
            let response = self.get(&path, Some((user, password)))?;
            match response.status {
                200 => {}
                401 => {
                    return Err(RegistryError::Refused {
                        port: self.port,
                        user: user.to_string(),
                        after_update: false,
                    });
                }
                status => return Err(self.unexpected(&path, format!("HTTP {status}"))),
            }
            let page = serde_json::from_slice::<Catalog>(&response.body)
                .map_err(|e| self.unexpected(&path, format!("a body that is not a catalog ({e})")))?
                .repositories
                .unwrap_or_default();
            let full = page.len() >= CATALOG_PAGE;
            names.extend(page);
            if !full {
                return Ok(names);
            }
        }
    }

    /// Stops the server: SIGTERM, then SIGKILL when it has not ended after a while. Nothing to do
    /// when it is not running.
    pub fn stop(&self) -> Result<(), RegistryError> {
        let _lock = lock(&self.root, &mut |_| {})?;
        match self.running_pid() {
            Some(pid) if !process::terminate(pid, STOP_TIMEOUT) => {
                return Err(RegistryError::StillRunning { pid });
            }
            _ => {}
        }
        Ok(remove_if_present(&self.root.join("registry.pid"))?)
    }

    /// Starts the server detached and returns its pid once it has one.
    fn start(&self, binary: &Path) -> Result<u32, RegistryError> {
        if !port_is_free(self.port) {
            return Err(RegistryError::PortInUse {
                port: self.port,
                root: self.root.clone(),
            });
        }
        create_private_directory(&self.root.join("storage"))?;
        let htpasswd = self.root.join("htpasswd");
        // Without the file, the registry makes one with a user `docker` and logs its password.
        if read_optional(&htpasswd)?.is_none() {
            write_file(&htpasswd, htpasswd::HEADER)?;
        }
        let config = self.root.join("config.yml");
        write_file(&config, &self.configuration()?)?;
        let log = self.root.join("registry.log");
        set_aside_large_log(&log, "set aside the registry log as")?;
        let log_file = File::options()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(&log)
            .map_err(io_error("open", &log))?;
        let pid_file = self.root.join("registry.pid");
        remove_if_present(&pid_file)?;
        let status = process::launch(binary, &config, &pid_file, log_file, &self.root)
            .map_err(io_error("run `setsid` to start", binary))?;
        if !status.success() {
            return Err(self.exited());
        }
        // setsid returns once it has forked; the shell writes the pid file just before it becomes
        // the registry.
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if let Some(pid) = read_optional(&pid_file)?.and_then(|text| text.trim().parse().ok()) {
                return Ok(pid);
            }
            if Instant::now() >= deadline {
                return Err(RegistryError::NotAnswering {
                    port: self.port,
                    waited: START_TIMEOUT,
                    log,
                });
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Waits for the server `pid` to answer `GET /v2/` with 401: it may have just been started,
    /// here or by another program.
    fn wait_until_answering(&self, pid: u32) -> Result<(), RegistryError> {
        let started = Instant::now();
        loop {
            if !process::alive(pid) {
                return Err(self.exited());
            }
            match self.get("/v2/", None) {
                Ok(response) if response.status == 401 => return Ok(()),
                // 200 would mean anyone may push: not the registry idp configured.
                Ok(response) => {
                    return Err(self.unexpected("/v2/", format!("HTTP {}", response.status)));
                }
                Err(_) if started.elapsed() < START_TIMEOUT => {
                    std::thread::sleep(Duration::from_millis(10))
                }
                Err(_) => {
                    let log = self.root.join("registry.log");
                    return Err(RegistryError::NotAnswering {
                        port: self.port,
                        waited: START_TIMEOUT,
                        log,
                    });
                }
            }
        }
    }

    fn unexpected(&self, path: &str, answer: String) -> RegistryError {
        RegistryError::UnexpectedAnswer {
            port: self.port,
            path: path.to_string(),
            answer,
        }
    }

    fn exited(&self) -> RegistryError {
        let log = self.root.join("registry.log");
        RegistryError::Exited {
            port: self.port,
            tail: tail(&log),
            log,
        }
    }

    /// Returns the pid of the server recorded in `registry.pid` when it is alive and still the
    /// registry of this root.
    fn running_pid(&self) -> Option<u32> {
        let text = std::fs::read_to_string(self.root.join("registry.pid")).ok()?;
        let pid = text.trim().parse().ok()?;
        (process::alive(pid) && process::serves(pid, &self.root.join("config.yml"))).then_some(pid)
    }

    /// Returns `config.yml`, from the root and the recorded port.
    fn configuration(&self) -> Result<String, RegistryError> {
        // A JSON string is a YAML double-quoted scalar, so any path is quoted correctly.
        let quote = |path: PathBuf| match path.to_str() {
            Some(text) => Ok(serde_json::to_string(text).expect("a string serializes")),
            None => Err(RegistryError::RootNotUtf8 {
                root: self.root.clone(),
            }),
        };
        let storage = quote(self.root.join("storage"))?;
        let htpasswd = quote(self.root.join("htpasswd"))?;
        let address = self.address();
        Ok(format!(
            "# The image registry idp runs for the local provider; rewritten by idp before each start.
version: 0.1
log:
  level: info
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: {storage}
  cache:
    blobdescriptor: inmemory
  delete:
    enabled: true
http:
  addr: {address}
  headers:
    X-Content-Type-Options: [nosniff]
auth:
  htpasswd:
    realm: idp
    path: {htpasswd}
health:
  storagedriver:
    enabled: false
"
        ))
    }

    /// Replaces htpasswd, under the lock, with what `edit` makes of it.
    fn edit_users(&self, edit: impl FnOnce(&str) -> String) -> Result<(), RegistryError> {
        let _lock = lock(&self.root, &mut |_| {})?;
        let path = self.root.join("htpasswd");
        let previous = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
        write_file(&path, &edit(&read_optional(&path)?.unwrap_or_default()))?;
        // The registry re-reads the file only when its mtime changed, and two writes within one
        // tick of the file system's clock could share one.
        if let Some(previous) = previous {
            let file = File::options()
                .write(true)
                .open(&path)
                .map_err(io_error("open", &path))?;
            let modified = file
                .metadata()
                .and_then(|m| m.modified())
                .map_err(io_error("read the mtime of", &path))?;
            if modified <= previous {
                file.set_modified(previous + Duration::from_millis(1))
                    .map_err(io_error("set the mtime of", &path))?;
            }
        }
        Ok(())
    }

    /// Sends `GET path` to the server, with Basic authentication when a credential is given.
    fn get(
        &self,
        path: &str,
        credential: Option<(&str, &str)>,
    ) -> Result<http::Response, RegistryError> {
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        http::get(address, path, credential).map_err(|source| RegistryError::Unreachable {
            port: self.port,
            source,
        })
    }
}

/// Takes the registry's lock, telling `progress` when another process holds it; dropping the file
/// releases it.
fn lock(root: &Path, progress: &mut dyn FnMut(&str)) -> Result<File, RegistryError> {
    let waiting = || progress("waiting for another idp process to finish with the image registry");
    Ok(server::lock(&root.join("registry.lock"), waiting)?)
}

fn write_record(root: &Path, record: &Record) -> Result<(), RegistryError> {
    let body = toml_edit::ser::to_string_pretty(record).expect("the record serializes");
    let text = format!("# The image registry idp runs for this user; written by idp.\n{body}");
    write_file(&root.join("registry.toml"), &text)
}

/// Writes `path` atomically; a new file gets mode 0600.
fn write_file(path: &Path, text: &str) -> Result<(), RegistryError> {
    Ok(crate::fs::write_atomic(path, text.as_bytes()).map_err(io_error("write", path))?)
}

fn create_private_directory(directory: &Path) -> Result<(), RegistryError> {
    if !directory.is_dir() {
        std::fs::create_dir_all(directory).map_err(io_error("create the directory", directory))?;
        std::fs::set_permissions(directory, std::fs::Permissions::from_mode(0o700))
            .map_err(io_error("set the permissions of", directory))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use super::test_support::{TestRegistry, fresh_options, tiny_image};
    use super::*;

    #[test]
    fn ensure_running_starts_one_server_and_reuses_it() {
        let registry = TestRegistry::start();
        assert!(registry.server.is_running());
        let pid = registry.recorded_pid();
        // Its own session, and not idp's child.
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .unwrap()
            .1
            .split_whitespace()
            .collect();
        assert_eq!(fields[3], pid.to_string(), "session of {pid}: {stat}");
        assert_ne!(
            fields[1],
            std::process::id().to_string(),
            "parent of {pid}: {stat}"
        );

        let mut said = Vec::new();
        let again =
            RegistryServer::ensure_running(&registry.options, &mut |m| said.push(m.to_string()))
                .unwrap();
        assert_eq!(again.address(), registry.server.address());
        assert!(said.is_empty(), "{said:?}");
        assert_eq!(registry.recorded_pid(), pid);
        assert_eq!(registry.processes(), 1);

        let opened = RegistryServer::open(&registry.options).unwrap().unwrap();
        assert_eq!(opened.address(), registry.server.address());
        assert!(opened.is_running());
    }

    #[test]
    fn concurrent_callers_start_one_server() {
        let (options, directory) = fresh_options();
        let servers: Vec<RegistryServer> = std::thread::scope(|threads| {
            let callers: Vec<_> = (0..3)
                .map(|_| threads.spawn(|| RegistryServer::ensure_running(&options, &mut |_| {})))
                .collect();
            callers
                .into_iter()
                .map(|caller| caller.join().unwrap().unwrap())
                .collect()
        });
        let registry = TestRegistry {
            server: servers[0].clone(),
            options,
            directory,
        };
        assert!(
            servers
                .iter()
                .all(|server| server.address() == registry.server.address())
        );
        assert_eq!(registry.processes(), 1);
    }

    #[test]
    fn the_registry_asks_for_credentials() {
        let registry = TestRegistry::start();
        assert_eq!(registry.server.get("/v2/", None).unwrap().status, 401);
        assert!(!registry.server.authenticates("nobody", "nothing").unwrap());
        let config = std::fs::read_to_string(registry.options.root.join("config.yml")).unwrap();
        assert!(
            config.contains(&format!("addr: {}", registry.server.address())),
            "{config}"
        );
    }

    #[test]
    fn pushing_needs_a_current_credential() {
        let registry = TestRegistry::start();
        let server = &registry.server;
        let pid = registry.recorded_pid();
        let image = tiny_image();
        let (user, password) = ("shop-dev-images", "correct-horse-7f3a9c");

        server.set_user(user, password).unwrap();
        assert!(server.has_user(user).unwrap());
        registry
            .push(&image, "shop/images", user, password)
            .unwrap();
        assert_eq!(
            server.repositories(user, password).unwrap(),
            ["shop/images"]
        );
        let refused = registry
            .push(&image, "shop/other", user, "wrong-password")
            .unwrap_err();
        assert!(refused.contains("unauthorized"), "{refused}");

        server.remove_user(user).unwrap();
        assert!(!server.has_user(user).unwrap());
        let refused = registry
            .push(&image, "shop/images", user, password)
            .unwrap_err();
        assert!(refused.contains("unauthorized"), "{refused}");
        let error = server.repositories(user, password).unwrap_err();
        assert!(
            matches!(
                error,
                RegistryError::Refused {
                    after_update: false,
                    ..
                }
            ),
            "{error:?}"
        );

        // Users came and went without a restart, and the password is written nowhere.
        assert_eq!(registry.recorded_pid(), pid);
        for file in ["htpasswd", "config.yml", "registry.log", "registry.toml"] {
            let text = std::fs::read_to_string(registry.options.root.join(file)).unwrap();
            assert!(!text.contains(password), "{file} holds the password");
        }
        let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap();
        assert!(!String::from_utf8_lossy(&cmdline).contains(password));
    }

    #[test]
    fn set_user_replaces_a_password_at_once() {
        let registry = TestRegistry::start();
        let server = &registry.server;
        server.set_user("app", "first-password").unwrap();
        server.set_user("other", "other-password").unwrap();
        // An htpasswd whose mtime is ahead of the clock, as after two writes within one tick of a
        // coarse file system clock: the new file must still get a different mtime.
        let htpasswd = registry.options.root.join("htpasswd");
        let ahead = SystemTime::now() + Duration::from_secs(3600);
        File::options()
            .write(true)
            .open(&htpasswd)
            .unwrap()
            .set_modified(ahead)
            .unwrap();
        server.set_user("app", "second-password").unwrap();
        assert!(std::fs::metadata(&htpasswd).unwrap().modified().unwrap() > ahead);
        assert!(!server.authenticates("app", "first-password").unwrap());
        assert!(server.authenticates("app", "second-password").unwrap());
        assert!(server.authenticates("other", "other-password").unwrap());

        let text = std::fs::read_to_string(&htpasswd).unwrap();
        assert_eq!(
            text.lines()
                .filter(|line| line.starts_with("app:$2b$08$"))
                .count(),
            1,
            "{text}"
        );
        assert_eq!(
            std::fs::metadata(&htpasswd).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }

    #[test]
    fn stop_stops_it_and_ensure_running_starts_it_on_the_same_port() {
        let registry = TestRegistry::start();
        let address = registry.server.address();
        registry.server.set_user("app", "a-password").unwrap();
        registry.server.stop().unwrap();
        assert!(!registry.server.is_running());
        // No process serves it any more. (Whether its port still answers says nothing: a
        // server another test starts meanwhile may be given the freed port.)
        assert_eq!(registry.processes(), 0);
        registry.server.stop().unwrap();
        registry
            .server
            .set_user("late", "another-password")
            .unwrap();

        let mut said = Vec::new();
        let server =
            RegistryServer::ensure_running(&registry.options, &mut |m| said.push(m.to_string()))
                .unwrap();
        assert_eq!(said, [format!("starting the image registry on {address}")]);
        assert_eq!(server.address(), address);
        assert!(server.authenticates("app", "a-password").unwrap());
        assert!(server.authenticates("late", "another-password").unwrap());
    }

    #[test]
    fn a_missing_program_says_how_to_install_it() {
        let directory = tempfile::tempdir().unwrap();
        let options = RegistryOptions {
            root: directory.path().join("registry"),
            binary: Some(directory.path().join("bin/docker-registry")),
        };
        let error = RegistryServer::ensure_running(&options, &mut |_| {}).unwrap_err();
        assert!(
            matches!(error, RegistryError::ProgramMissing { .. }),
            "{error:?}"
        );
        assert!(
            error
                .hint()
                .unwrap()
                .contains("apt-get install docker-registry")
        );
    }

    #[test]
    fn a_registry_that_cannot_start_shows_its_log() {
        let directory = tempfile::tempdir().unwrap();
        let fake = directory.path().join("docker-registry");
        std::fs::write(
            &fake,
            "#!/bin/sh\necho \"configuration error: $2 is bad\" >&2\nexit 1\n",
        )
        .unwrap();
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
        let options = RegistryOptions {
            root: directory.path().join("registry"),
            binary: Some(fake),
        };
        let error = RegistryServer::ensure_running(&options, &mut |_| {}).unwrap_err();
        assert!(matches!(error, RegistryError::Exited { .. }), "{error:?}");
        assert!(
            error.hint().unwrap().contains("configuration error"),
            "{:?}",
            error.hint()
        );
    }
}

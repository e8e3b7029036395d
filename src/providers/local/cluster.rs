//! The one PostgreSQL server ("cluster") the `local` provider runs per user: made with `initdb` and
//! started with `pg_ctl` from the machine's PostgreSQL, on demand, listening on 127.0.0.1 only, on
//! a port it records.
//!
//! Everything lives under one root directory that the caller chooses:
//!
//! ```text
//! cluster.toml   port, PostgreSQL version and bin directory, written by idp
//! cluster.lock   locked while the cluster is created or started and while pg_hba.conf changes
//! initdb.lock    locked by `initdb` for as long as it runs, even when idp was killed meanwhile
//! data/          the data directory; data/idp.conf holds idp's settings, rewritten at each start
//! socket/        the Unix socket, in a directory of mode 0700: the superuser's only way in
//! hba.d/*.conf   pg_hba.conf fragments, one per project environment
//! server.log     the server's log
//! ```
//!
//! PostgreSQL refuses to run as root, so when idp runs as root the server runs as the `postgres`
//! user, which then owns the root directory (see `server_user`). Clients (psql, pg_dump,
//! pg_restore) always run as idp's own user, so files they write belong to the caller.

mod error;
mod files;
mod hba;
mod programs;
mod quote;
mod scram;
mod server_user;

use std::fs::File;
use std::io::Write;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

pub use error::ClusterError;
use files::{
    Paths, Record, create_private_directory, initdb_lock, lock, prepare_root, read_data_version,
    read_record, write_atomically, write_record,
};
use programs::{describe, existing_bin_dir, new_bin_dir, output_of, program_version, run};
pub use quote::{quote_ident, quote_literal};
pub use scram::scram_verifier;
use server_user::ServerUser;

use super::server::{
    io_error, pick_port, port_is_free, read_optional, remove_if_present, set_aside_large_log, tail,
};

/// The superuser `initdb` makes; reachable through the Unix socket only.
const SUPERUSER: &str = "postgres";
/// How long `pg_ctl` waits for the server to start or stop.
const PG_CTL_TIMEOUT_SECONDS: &str = "60";
/// How long a server found running may take to accept connections (it may be starting up).
const READY_TIMEOUT: Duration = Duration::from_secs(30);
/// The variables that would send PostgreSQL's programs elsewhere or change how they connect; idp
/// passes everything on the command line, so none of the caller's may interfere.
const PG_VARIABLES: &[&str] = &[
    "PGDATA",
    "PGHOST",
    "PGHOSTADDR",
    "PGPORT",
    "PGDATABASE",
    "PGUSER",
    "PGPASSWORD",
    "PGPASSFILE",
    "PGSERVICE",
    "PGSERVICEFILE",
    "PGSYSCONFDIR",
    "PGOPTIONS",
    "PGSSLMODE",
    "PGREQUIRESSL",
    "PGTARGETSESSIONATTRS",
    "PGCONNECT_TIMEOUT",
    "PGCLIENTENCODING",
    "PGTZ",
    "PGDATESTYLE",
];

/// Where the cluster lives and which PostgreSQL runs it.
#[derive(Clone, Debug)]
pub struct ClusterOptions {
    /// The cluster's root directory, made when missing. When idp runs as root it is given to the
    /// `postgres` user, and every directory above it must let that user through.
    pub root: PathBuf,
    /// PostgreSQL's programs. By default: the bin directory recorded when the cluster was made, then
    /// the newest `/usr/lib/postgresql/*/bin` with `initdb`, then the directory of `initdb` on PATH.
    pub bin_dir: Option<PathBuf>,
}

/// A PostgreSQL cluster made by idp.
#[derive(Clone, Debug)]
pub struct Cluster {
    paths: Paths,
    record: Record,
    server_user: Option<ServerUser>,
}

impl Cluster {
    /// Returns the cluster running, making and starting it as needed.
    ///
    /// Makes the cluster when there is none (`initdb`: UTF-8, superuser `postgres`, SCRAM for
    /// TCP), picks a free 127.0.0.1 port and records it in `cluster.toml`, starts the server when
    /// it is not running (`pg_ctl start --wait`) and returns once it accepts connections. Reports
    /// what it does through `progress`. Safe when several processes or threads call it at once:
    /// making and starting happen under a lock on `cluster.lock`.
    pub fn ensure_running(
        options: &ClusterOptions,
        progress: &mut dyn FnMut(&str),
    ) -> Result<Cluster, ClusterError> {
        // A running cluster needs no preparation: skip the checks a start needs (they spawn
        // processes as the server user) and the lock.
        if let Some(cluster) = Cluster::open(options)?
            && cluster.is_running()
            && cluster.wait_until_ready().is_ok()
        {
            return Ok(cluster);
        }
        let paths = Paths::new(&options.root)?;
        let server_user = ServerUser::for_this_process()?;
        prepare_root(&paths, server_user.as_ref())?;
        let _lock = lock(&paths)?;
        let (mut cluster, created) =
            Cluster::load_or_create(paths, server_user, options, progress)?;
        cluster.prepare_socket_directory()?;
        if cluster.is_running() {
            cluster.wait_until_ready()?;
        } else {
            cluster.start(created, progress)?;
        }
        Ok(cluster)
    }

    /// Returns the existing cluster without starting it, or `None` when there is none.
    pub fn open(options: &ClusterOptions) -> Result<Option<Cluster>, ClusterError> {
        let paths = Paths::new(&options.root)?;
        let (Some(_), Some(mut record)) = (read_data_version(&paths)?, read_record(&paths)?) else {
            return Ok(None);
        };
        if let Some(bin_dir) = &options.bin_dir {
            record.bin_dir = bin_dir.clone();
        }
        Ok(Some(Cluster {
            paths,
            record,
            server_user: ServerUser::for_this_process()?,
        }))
    }

    /// Returns the TCP port the server listens on, on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.record.port
    }

    /// Returns the PostgreSQL major version of the cluster, e.g. `15`.
    pub fn version(&self) -> &str {
        &self.record.version
    }

    /// Returns whether the server accepts connections on its Unix socket.
    ///
    /// The socket's directory is private to the cluster, so whatever answers there is its server.
    pub fn is_running(&self) -> bool {
        UnixStream::connect(self.paths.socket_file(self.record.port)).is_ok()
    }

    /// Runs SQL as the superuser in `database` and returns psql's output: one row a line, columns
    /// separated by `|`.
    ///
    /// The SQL goes to psql on its standard input, never on its command line, as it may hold
    /// password verifiers; for the same reason an error carries the server's message with every
    /// string literal of the SQL masked, and never the SQL itself. Statements run one by one and
    /// stop at the first error; wrap them in `BEGIN`/`COMMIT` to make them all-or-nothing.
    pub fn sql(&self, database: &str, sql: &str) -> Result<String, ClusterError> {
        let mut command = self.client_command("psql");
        command
            .args(["--no-psqlrc", "--quiet", "--no-align", "--tuples-only"])
            .args([
                "--set",
                "ON_ERROR_STOP=1",
                "--set",
                "VERBOSITY=terse",
                "--dbname",
            ])
            .arg(self.conninfo(database))
            .env("PGCLIENTENCODING", "UTF8")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let psql = self.program_path("psql");
        let mut child = command.spawn().map_err(io_error("run", &psql))?;
        let mut stdin = child.stdin.take().expect("stdin is piped");
        let output = std::thread::scope(|scope| {
            // Written from another thread, so a large result cannot block psql while it reads.
            scope.spawn(move || {
                // psql ending early (it could not connect) closes the pipe; its stderr says why.
                let _ = stdin.write_all(sql.as_bytes());
            });
            child.wait_with_output()
        })
        .map_err(io_error("run", &psql))?;
        if output.status.success() {
            return Ok(String::from_utf8_lossy(&output.stdout).into_owned());
        }
        let message = quote::redact_literals(String::from_utf8_lossy(&output.stderr).trim(), sql);
        Err(ClusterError::Sql {
            database: database.to_string(),
            message,
        })
    }

    /// Replaces the pg_hba.conf fragment `name` with `lines` (`None` removes it), regenerates
    /// pg_hba.conf and, when the server runs, makes it reload its configuration.
    ///
    /// A fragment holds `host …` lines, e.g. `host shop_dev shop_dev_app 127.0.0.1/32
    /// scram-sha-256`; `trust` and `local` lines are refused. When the server finds a line it
    /// cannot use, the fragment is put back as it was and the error gives the server's reason.
    /// Returns the lines of one pg_hba fragment, or `None` when there is none.
    pub fn hba_fragment(&self, name: &str) -> Result<Option<Vec<String>>, ClusterError> {
        let file = self.paths.hba_directory().join(format!("{name}.conf"));
        let text = read_optional(&file)?;
        Ok(text.map(|text| {
            text.lines()
                .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
                .map(str::to_string)
                .collect()
        }))
    }

    pub fn set_hba_fragment(
        &self,
        name: &str,
        lines: Option<&[String]>,
    ) -> Result<(), ClusterError> {
        let invalid = |reason| ClusterError::InvalidFragment {
            name: name.to_string(),
            reason,
        };
        hba::validate_name(name).map_err(invalid)?;
        if let Some(lines) = lines {
            hba::validate_lines(lines).map_err(invalid)?;
        }
        let _lock = lock(&self.paths)?;
        let directory = self.paths.hba_directory();
        let file = directory.join(format!("{name}.conf"));
        let previous = std::fs::read_to_string(&file).ok();
        let wanted = lines.map(hba::fragment_text);
        // `.loaded` holds the pg_hba.conf the server last reloaded: when the fragment is already as
        // wanted and that file is what the fragments make, the rules are in force and nothing needs
        // a rewrite or a reload. A crash between writing and reloading leaves them different.
        let loaded_path = directory.join(".loaded");
        let loaded = std::fs::read_to_string(&loaded_path).ok();
        if previous == wanted
            && self.is_running()
            && loaded.as_deref() == Some(self.generated_hba()?.as_str())
        {
            return Ok(());
        }
        self.write_fragment(&file, wanted.as_deref())?;
        self.write_hba()?;
        if !self.is_running() {
            return Ok(());
        }
        // One round trip: report the lines the server cannot use, and reload only when there are
        // none (the old file stays in force until then).
        let errors = self.sql(
            "postgres",
            "SELECT CASE WHEN text IS NULL THEN (CASE WHEN pg_reload_conf() THEN '' END) ELSE text END \
             FROM (SELECT string_agg(line_number || ': ' || error, '\n') AS text \
             FROM pg_hba_file_rules WHERE error IS NOT NULL) AS errors",
        )?;
        if !errors.trim().is_empty() {
            self.write_fragment(&file, previous.as_deref())?;
            self.write_hba()?;
            return Err(invalid(format!(
                "PostgreSQL cannot use it: {}",
                errors.trim().replace('\n', "; ")
            )));
        }
        std::fs::write(&loaded_path, self.generated_hba()?)
            .map_err(io_error("write", &loaded_path))?;
        Ok(())
    }

    /// Writes `database` to `path` in pg_dump's custom format (`pg_dump -Fc`).
    ///
    /// The dump is written beside `path` and renamed into place when complete, so `path` never
    /// holds half a dump. It belongs to the caller, with mode 0600: it holds the database's data.
    pub fn dump(&self, database: &str, path: &Path) -> Result<(), ClusterError> {
        let directory = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let temporary = tempfile::Builder::new()
            .prefix(".idp-dump-")
            .tempfile_in(directory)
            .map_err(io_error("create a temporary file in", directory))?;
        let mut command = self.client_command("pg_dump");
        command
            .args(["--format=custom", "--file"])
            .arg(temporary.path())
            .arg("--dbname")
            .arg(self.conninfo(database));
        run(
            command,
            &format!("dumping database `{database}` (`pg_dump`)"),
        )?;
        temporary
            .persist(path)
            .map_err(|e| io_error("write", path)(e.error))?;
        Ok(())
    }

    /// Restores a dump made by [`Cluster::dump`] into `database`, which must exist: objects in the
    /// dump are dropped first when they exist (`--clean --if-exists`), all in one transaction, so a
    /// failed restore changes nothing.
    pub fn restore(&self, database: &str, path: &Path) -> Result<(), ClusterError> {
        let mut command = self.client_command("pg_restore");
        command
            .args(["--clean", "--if-exists", "--single-transaction", "--dbname"])
            .arg(self.conninfo(database))
            .arg(path);
        run(
            command,
            &format!(
                "restoring `{}` into database `{database}` (`pg_restore`)",
                path.display()
            ),
        )?;
        Ok(())
    }

    /// Stops the server (`pg_ctl stop --mode=fast`: sessions are ended, nothing is lost); a server
    /// that is not running is left as it is.
    pub fn stop(&self) -> Result<(), ClusterError> {
        let mut command = self.server_command("pg_ctl");
        command
            .arg("stop")
            .arg("--pgdata")
            .arg(self.paths.data())
            .args(["--mode=fast", "--wait", "--timeout", PG_CTL_TIMEOUT_SECONDS]);
        let output = output_of(command, &self.program_path("pg_ctl"))?;
        if output.status.success() || !self.paths.data().join("postmaster.pid").exists() {
            return Ok(());
        }
        Err(ClusterError::Failed {
            action: "stopping PostgreSQL (`pg_ctl stop`)".into(),
            message: self.with_log_tail(&output),
        })
    }

    /// Reads the cluster's record, or makes the cluster when it has no data directory yet; says
    /// whether it was made now.
    fn load_or_create(
        paths: Paths,
        server_user: Option<ServerUser>,
        options: &ClusterOptions,
        progress: &mut dyn FnMut(&str),
    ) -> Result<(Cluster, bool), ClusterError> {
        let recorded = read_record(&paths)?;
        if let Some(version) = read_data_version(&paths)? {
            let bin_dir = existing_bin_dir(options, recorded.as_ref(), &version)?;
            let unchanged = recorded
                .as_ref()
                .is_some_and(|r| r.bin_dir == bin_dir && r.version == version);
            if !unchanged {
                let program_version = program_version(&bin_dir)?;
                if program_version != version {
                    return Err(ClusterError::VersionMismatch {
                        root: paths.root.clone(),
                        bin_dir,
                        data_version: version,
                        program_version,
                    });
                }
            }
            // A record lost in a crash right after initdb gets a new port: none was handed out yet.
            let port = match &recorded {
                Some(record) => record.port,
                None => pick_port()?,
            };
            let record = Record {
                port,
                version,
                bin_dir,
            };
            if recorded.as_ref() != Some(&record) {
                write_record(&paths, &record)?;
            }
            return Ok((
                Cluster {
                    paths,
                    record,
                    server_user,
                },
                false,
            ));
        }

        let bin_dir = new_bin_dir(options)?;
        progress(&format!(
            "creating the PostgreSQL cluster in {}",
            paths.root.display()
        ));
        let port = match &recorded {
            Some(record) => record.port,
            None => pick_port()?,
        };
        let mut cluster = Cluster {
            paths,
            record: Record {
                port,
                version: String::new(),
                bin_dir,
            },
            server_user,
        };
        cluster.record.version = cluster.initdb(progress)?;
        write_record(&cluster.paths, &cluster.record)?;
        Ok((cluster, true))
    }

    /// Makes the data directory: initdb into `data.new`, then a rename, so a crash never leaves a
    /// half-made `data`. Returns its major version.
    ///
    /// An initdb outlives an idp killed while it runs and goes on writing into `data.new`, so
    /// initdb gets a locked file as its stdin: the lock lasts as long as initdb does, and the
    /// next idp waits for it before it clears `data.new`.
    fn initdb(&self, progress: &mut dyn FnMut(&str)) -> Result<String, ClusterError> {
        let guard = initdb_lock(&self.paths, || {
            progress("waiting for an earlier, interrupted `initdb` to end")
        })?;
        let new_data = self.paths.root.join("data.new");
        if new_data.exists() {
            std::fs::remove_dir_all(&new_data)
                .map_err(io_error("remove the unfinished data directory", &new_data))?;
        }
        // C.UTF-8 sorts by code point, the same on every machine, and still knows which
        // characters are letters; plain C is the fallback where that locale is missing.
        let locale = if Path::new("/usr/lib/locale/C.utf8").exists() {
            "C.UTF-8"
        } else {
            "C"
        };
        let mut command = self.server_command("initdb");
        command
            .arg("--pgdata")
            .arg(&new_data)
            .args([
                "--encoding=UTF8",
                &format!("--locale={locale}"),
                &format!("--username={SUPERUSER}"),
            ])
            .args(["--auth-local=trust", "--auth-host=scram-sha-256"])
            .stdin(guard);
        run(command, "creating the PostgreSQL cluster (`initdb`)")?;
        let configuration = new_data.join("postgresql.conf");
        let mut file = File::options()
            .append(true)
            .open(&configuration)
            .map_err(io_error("open", &configuration))?;
        file.write_all(
            b"\n# idp's settings, rewritten by idp before each start.\ninclude = 'idp.conf'\n",
        )
        .map_err(io_error("write", &configuration))?;
        let data = self.paths.data();
        std::fs::rename(&new_data, &data)
            .map_err(io_error("rename the new data directory to", &data))?;
        read_data_version(&self.paths)?.ok_or_else(|| ClusterError::Failed {
            action: "creating the PostgreSQL cluster (`initdb`)".into(),
            message: format!("`{}` has no PG_VERSION", data.display()),
        })
    }

    /// Starts the server on the recorded port. A cluster made by this call gets another port when
    /// its own was taken meanwhile; an older one keeps its port, which the databases' recorded
    /// addresses use, and fails.
    fn start(&mut self, created: bool, progress: &mut dyn FnMut(&str)) -> Result<(), ClusterError> {
        // A server still starting (its starter was killed, or another idp started it) holds the
        // port before its socket answers: wait for it rather than start a second one.
        if self.server_process_alive() {
            progress(&format!(
                "waiting for PostgreSQL to start on 127.0.0.1:{}",
                self.record.port
            ));
            return self.wait_until_ready();
        }
        if !port_is_free(self.record.port) {
            if !created {
                return Err(ClusterError::PortInUse {
                    port: self.record.port,
                    root: self.paths.root.clone(),
                });
            }
            self.record.port = pick_port()?;
            write_record(&self.paths, &self.record)?;
        }
        self.write_settings()?;
        self.write_hba()?;
        self.remove_stale_pid_file()?;
        let log = self.paths.log();
        set_aside_large_log(&log, "set aside the server log as")?;
        progress(&format!(
            "starting PostgreSQL on 127.0.0.1:{}",
            self.record.port
        ));
        let mut command = self.server_command("pg_ctl");
        command
            .arg("start")
            .arg("--pgdata")
            .arg(self.paths.data())
            .arg("--log")
            .arg(&log)
            .args(["--wait", "--timeout", PG_CTL_TIMEOUT_SECONDS]);
        let output = output_of(command, &self.program_path("pg_ctl"))?;
        if !output.status.success() {
            return Err(ClusterError::Failed {
                action: "starting PostgreSQL (`pg_ctl start`)".into(),
                message: self.with_log_tail(&output),
            });
        }
        Ok(())
    }

    /// Waits for a server found running to accept connections: another program may have just
    /// started it.
    fn wait_until_ready(&self) -> Result<(), ClusterError> {
        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            match self.sql("postgres", "SELECT 1") {
                Ok(_) => return Ok(()),
                Err(ClusterError::Sql { .. }) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(100))
                }
                Err(error) => return Err(error),
            }
        }
    }

    /// Writes `data/idp.conf`, the settings idp owns, from the record.
    fn write_settings(&self) -> Result<(), ClusterError> {
        let settings = format!(
            "# Written by idp before each start, from cluster.toml; changes here are lost.\n\
             listen_addresses = '127.0.0.1'\n\
             port = {port}\n\
             unix_socket_directories = '\"{socket}\"'\n\
             unix_socket_permissions = 0700\n\
             password_encryption = 'scram-sha-256'\n\
             # A failing statement's error may quote a password verifier from it, and the end of\n\
             # this log is shown when a start fails: log server events, not statements' errors.\n\
             log_min_messages = log\n\
             log_min_error_statement = panic\n",
            port = self.record.port,
            socket = self.paths.socket().display(),
        );
        self.write_server_file(&self.paths.data().join("idp.conf"), &settings)
    }

    /// Regenerates `data/pg_hba.conf` from the header and the fragments.
    fn write_hba(&self) -> Result<(), ClusterError> {
        self.write_server_file(
            &self.paths.data().join("pg_hba.conf"),
            &self.generated_hba()?,
        )
    }

    /// Returns the pg_hba.conf the fragments make.
    fn generated_hba(&self) -> Result<String, ClusterError> {
        let directory = self.paths.hba_directory();
        let fragments = hba::read_fragments(&directory)
            .map_err(io_error("read the pg_hba.conf fragments in", &directory))?;
        Ok(hba::generate(&fragments))
    }

    /// Writes or removes one fragment file of `hba.d/`, which only idp reads.
    fn write_fragment(&self, file: &Path, text: Option<&str>) -> Result<(), ClusterError> {
        match text {
            Some(text) => {
                let directory = self.paths.hba_directory();
                create_private_directory(&directory)?;
                write_atomically(file, text, None)
            }
            None => Ok(remove_if_present(file)?),
        }
    }

    /// Writes a file the server reads: atomically, mode 0600, owned by the server's user.
    fn write_server_file(&self, path: &Path, text: &str) -> Result<(), ClusterError> {
        write_atomically(path, text, self.server_user.as_ref())
    }

    /// Makes `socket/`, mode 0700 and owned by the server's user: whoever reaches the socket is
    /// let in as the superuser (see `hba`).
    fn prepare_socket_directory(&self) -> Result<(), ClusterError> {
        let socket = self.paths.socket();
        create_private_directory(&socket)?;
        if let Some(user) = &self.server_user {
            user.chown(&socket)?;
        }
        Ok(())
    }

    /// Removes a `postmaster.pid` left by a server that is gone, when its process id now belongs
    /// to another program (common after a container restarts): PostgreSQL would refuse to start,
    /// taking that program for another server.
    /// Returns whether the data directory's `postmaster.pid` names a live PostgreSQL process.
    fn server_process_alive(&self) -> bool {
        let pid_file = self.paths.data().join("postmaster.pid");
        let pid = std::fs::read_to_string(&pid_file).ok().and_then(|text| {
            text.lines()
                .next()
                .and_then(|line| line.trim().parse::<u32>().ok())
        });
        pid.is_some_and(|pid| {
            let command = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
            command.trim().starts_with("postgres")
        })
    }

    fn remove_stale_pid_file(&self) -> Result<(), ClusterError> {
        let pid_file = self.paths.data().join("postmaster.pid");
        let Ok(text) = std::fs::read_to_string(&pid_file) else {
            return Ok(());
        };
        let Some(pid) = text
            .lines()
            .next()
            .and_then(|line| line.trim().parse::<u32>().ok())
        else {
            return Ok(());
        };
        let command = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
        let alive = !command.is_empty();
        if alive && !command.trim().starts_with("postgres") {
            std::fs::remove_file(&pid_file).map_err(io_error("remove the stale", &pid_file))?;
        }
        Ok(())
    }

    /// Returns a command running one of PostgreSQL's server programs as the server's user, in the
    /// cluster's root.
    fn server_command(&self, program: &str) -> Command {
        let program = self.program_path(program);
        let mut command = match &self.server_user {
            Some(user) => user.command(&program),
            None => Command::new(&program),
        };
        command.current_dir(&self.paths.root).stdin(Stdio::null());
        for variable in PG_VARIABLES {
            command.env_remove(variable);
        }
        command
    }

    /// Returns a command running one of PostgreSQL's client programs as idp's own user.
    fn client_command(&self, program: &str) -> Command {
        let mut command = Command::new(self.program_path(program));
        command.stdin(Stdio::null());
        for variable in PG_VARIABLES {
            command.env_remove(variable);
        }
        command
    }

    fn program_path(&self, program: &str) -> PathBuf {
        self.record.bin_dir.join(program)
    }

    /// Returns the libpq connection string of `database` as the superuser, over the Unix socket.
    fn conninfo(&self, database: &str) -> String {
        format!(
            "host={} port={} user={} dbname={} connect_timeout=10 application_name=idp",
            quote::conninfo_value(&self.paths.socket().to_string_lossy()),
            self.record.port,
            SUPERUSER,
            quote::conninfo_value(database)
        )
    }

    /// Returns a failed program's output followed by the end of the server log.
    fn with_log_tail(&self, output: &Output) -> String {
        let mut message = describe(output);
        let log = self.paths.log();
        if let Some(tail) = tail(&log) {
            message.push_str(&format!(
                "\nthe server log `{}` ends with:\n{tail}",
                log.display()
            ));
        }
        message
    }
}

#[cfg(test)]
mod tests {
    use std::net::{Ipv4Addr, TcpListener};
    use std::os::unix::fs::MetadataExt;

    use super::files::set_mode;
    use super::*;

    /// A cluster root under a fresh directory of /tmp, opened to every user (tempfile makes it mode
    /// 0700, which would shut out the `postgres` user when the tests run as root). The server is
    /// stopped when this is dropped, before the directory is removed.
    struct TestCluster {
        directory: tempfile::TempDir,
        options: ClusterOptions,
    }

    impl TestCluster {
        fn new() -> TestCluster {
            let directory = tempfile::Builder::new()
                .prefix("idp-cluster-")
                .tempdir_in("/tmp")
                .unwrap();
            set_mode(directory.path(), 0o755).unwrap();
            let options = ClusterOptions {
                root: directory.path().join("postgres"),
                bin_dir: None,
            };
            TestCluster { directory, options }
        }

        /// Returns the running cluster and the progress messages of starting it.
        fn ensure_running(&self) -> (Cluster, Vec<String>) {
            let mut messages = Vec::new();
            let cluster =
                Cluster::ensure_running(&self.options, &mut |m| messages.push(m.to_string()))
                    .unwrap();
            (cluster, messages)
        }
    }

    impl Drop for TestCluster {
        fn drop(&mut self) {
            if let Ok(Some(cluster)) = Cluster::open(&self.options) {
                let _ = cluster.stop();
            }
        }
    }

    /// Returns the user id the server runs as: `postgres` when the tests run as root, else ours.
    fn server_uid() -> u32 {
        match ServerUser::for_this_process().unwrap() {
            Some(_) => {
                let output = Command::new("id")
                    .args(["-u", "postgres"])
                    .output()
                    .unwrap();
                String::from_utf8(output.stdout)
                    .unwrap()
                    .trim()
                    .parse()
                    .unwrap()
            }
            None => std::fs::metadata("/proc/self").unwrap().uid(),
        }
    }

    /// Logs in over TCP with a password, as an application would, and returns psql's output.
    fn login(cluster: &Cluster, user: &str, database: &str, password: &str) -> Output {
        let mut command = cluster.client_command("psql");
        command
            .args([
                "-X",
                "-At",
                "-h",
                "127.0.0.1",
                "-p",
                &cluster.port().to_string(),
                "-U",
                user,
                "-d",
                database,
            ])
            .args(["-c", "SELECT current_user"])
            .env("PGPASSWORD", password);
        command.output().unwrap()
    }

    fn stderr(output: &Output) -> String {
        String::from_utf8_lossy(&output.stderr).into_owned()
    }

    #[test]
    fn ensure_running_creates_the_cluster_once_for_concurrent_callers() {
        let test = TestCluster::new();
        assert!(Cluster::open(&test.options).unwrap().is_none());

        // Two callers at once: one makes and starts the cluster, the other waits and reuses it.
        let ((first, first_messages), (second, second_messages)) = std::thread::scope(|scope| {
            let one = scope.spawn(|| test.ensure_running());
            let other = scope.spawn(|| test.ensure_running());
            (one.join().unwrap(), other.join().unwrap())
        });
        assert_eq!(first.port(), second.port());
        let port = first.port();
        let mut messages = [first_messages, second_messages].concat();
        messages.sort();
        assert_eq!(
            messages,
            [
                format!(
                    "creating the PostgreSQL cluster in {}",
                    test.options.root.display()
                ),
                format!("starting PostgreSQL on 127.0.0.1:{port}"),
            ]
        );
        assert!(first.is_running());

        // What the server itself says.
        let settings = first
            .sql(
                "postgres",
                "SHOW listen_addresses; SHOW port; SHOW password_encryption; SHOW server_encoding",
            )
            .unwrap();
        assert_eq!(
            settings,
            format!("127.0.0.1\n{port}\nscram-sha-256\nUTF8\n")
        );
        let version = first
            .sql(
                "postgres",
                "SELECT current_setting('server_version_num')::int / 10000",
            )
            .unwrap();
        assert_eq!(version.trim(), first.version());
        assert_eq!(
            first.sql("postgres", "SELECT 1, 'a'; SELECT 2").unwrap(),
            "1|a\n2\n"
        );

        // The superuser gets in through the private socket only: no TCP line lets it in.
        let socket = std::fs::metadata(test.options.root.join("socket")).unwrap();
        assert_eq!((socket.mode() & 0o777, socket.uid()), (0o700, server_uid()));
        assert_eq!(
            std::fs::metadata(&test.options.root).unwrap().uid(),
            server_uid()
        );
        let refused = login(&first, "postgres", "postgres", "");
        assert!(
            !refused.status.success() && stderr(&refused).contains("no pg_hba.conf entry"),
            "{}",
            stderr(&refused)
        );

        let record = std::fs::read_to_string(test.options.root.join("cluster.toml")).unwrap();
        assert!(record.contains(&format!("port = {port}")), "{record}");

        // Later calls reuse it quietly; `open` finds it without starting anything.
        let (again, messages) = test.ensure_running();
        assert_eq!((again.port(), messages.len()), (port, 0));
        let opened = Cluster::open(&test.options).unwrap().unwrap();
        assert!(opened.is_running() && opened.port() == port);
    }

    #[test]
    fn a_stopped_cluster_restarts_on_its_recorded_port() {
        let test = TestCluster::new();
        let (cluster, _) = test.ensure_running();
        let port = cluster.port();
        cluster
            .sql(
                "postgres",
                "CREATE TABLE kept (x int); INSERT INTO kept VALUES (7)",
            )
            .unwrap();
        cluster.stop().unwrap();
        assert!(!cluster.is_running());
        cluster.stop().unwrap();

        // Another program on the port: a clear error, and the port is not changed behind its back.
        let squatter = TcpListener::bind((Ipv4Addr::LOCALHOST, port)).unwrap();
        let error = Cluster::ensure_running(&test.options, &mut |_| {}).unwrap_err();
        assert!(
            matches!(error, ClusterError::PortInUse { port: p, .. } if p == port),
            "{error}"
        );
        drop(squatter);

        // A start that fails shows the end of the server log.
        let configuration = test.options.root.join("data/postgresql.conf");
        let original = std::fs::read_to_string(&configuration).unwrap();
        std::fs::write(
            &configuration,
            format!("{original}shared_buffers = 'plenty'\n"),
        )
        .unwrap();
        let error = Cluster::ensure_running(&test.options, &mut |_| {})
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("starting PostgreSQL (`pg_ctl start`) failed"),
            "{error}"
        );
        assert!(
            error.contains("server.log` ends with:") && error.contains("shared_buffers"),
            "{error}"
        );
        std::fs::write(&configuration, original).unwrap();

        let (restarted, messages) = test.ensure_running();
        assert_eq!(
            messages,
            [format!("starting PostgreSQL on 127.0.0.1:{port}")]
        );
        assert_eq!(restarted.port(), port);
        assert_eq!(
            restarted.sql("postgres", "SELECT x FROM kept").unwrap(),
            "7\n"
        );
    }

    #[test]
    fn scram_verifier_logs_in_over_tcp_only_while_a_fragment_allows_it() {
        let test = TestCluster::new();
        let (cluster, _) = test.ensure_running();
        let password = "correct horse 'battery' \"staple\" \\ 42";
        let verifier = scram_verifier(password);
        let role = quote_ident("shop app");
        cluster
            .sql(
                "postgres",
                &format!(
                    "CREATE ROLE {role} LOGIN PASSWORD {}; CREATE DATABASE shop OWNER {role}",
                    quote_literal(&verifier)
                ),
            )
            .unwrap();
        let stored = cluster
            .sql(
                "postgres",
                "SELECT rolpassword FROM pg_authid WHERE rolname = 'shop app'",
            )
            .unwrap();
        assert_eq!(stored.trim(), verifier, "stored as given, not hashed again");

        let refused = login(&cluster, "shop app", "shop", password);
        assert!(
            stderr(&refused).contains("no pg_hba.conf entry"),
            "{}",
            stderr(&refused)
        );

        let lines = vec!["host shop \"shop app\" 127.0.0.1/32 scram-sha-256".to_string()];
        cluster.set_hba_fragment("shop.dev", Some(&lines)).unwrap();
        let allowed = login(&cluster, "shop app", "shop", password);
        assert!(allowed.status.success(), "{}", stderr(&allowed));
        assert_eq!(String::from_utf8_lossy(&allowed.stdout), "shop app\n");
        let wrong = login(&cluster, "shop app", "shop", "correct horse");
        assert!(
            stderr(&wrong).contains("password authentication failed"),
            "{}",
            stderr(&wrong)
        );

        // A line the server cannot use is refused, and the fragment before it stays in force.
        let broken = vec!["host shop \"shop app\" 127.0.0.1/99 scram-sha-256".to_string()];
        let error = cluster
            .set_hba_fragment("shop.dev", Some(&broken))
            .unwrap_err()
            .to_string();
        assert!(error.contains("PostgreSQL cannot use it"), "{error}");
        assert!(
            login(&cluster, "shop app", "shop", password)
                .status
                .success()
        );

        cluster.set_hba_fragment("shop.dev", None).unwrap();
        let removed = login(&cluster, "shop app", "shop", password);
        assert!(
            stderr(&removed).contains("no pg_hba.conf entry"),
            "{}",
            stderr(&removed)
        );
        let pg_hba = std::fs::read_to_string(test.options.root.join("data/pg_hba.conf")).unwrap();
        assert!(!pg_hba.contains("host"), "{pg_hba}");
    }

    #[test]
    fn scram_verifier_matches_the_servers_own() {
        let test = TestCluster::new();
        let (cluster, _) = test.ensure_running();
        // Made by the server from the cleartext password, acceptable in a test only.
        cluster
            .sql("postgres", "CREATE ROLE probe PASSWORD 'pencil'")
            .unwrap();
        let stored = cluster
            .sql(
                "postgres",
                "SELECT rolpassword FROM pg_authid WHERE rolname = 'probe'",
            )
            .unwrap();
        let salt = stored.split(['$', ':']).nth(2).unwrap();
        let salt =
            base64::Engine::decode(&base64::engine::general_purpose::STANDARD, salt).unwrap();
        assert_eq!(
            scram::verifier_with_salt("pencil", &salt, 4096),
            stored.trim()
        );
    }

    #[test]
    fn sql_errors_never_show_the_statement_or_its_secrets() {
        let test = TestCluster::new();
        let (cluster, _) = test.ensure_running();
        let secret = "SCRAM-SHA-256$4096:c2VjcmV0$hunter2:hunter2";
        let error = cluster
            .sql(
                "postgres",
                &format!("CREATE ROLE x LOGIN {}", quote_literal(secret)),
            )
            .unwrap_err();
        let message = error.to_string();
        assert!(
            message.starts_with("SQL on database `postgres` failed:")
                && message.contains("syntax error at or near \"'****'\""),
            "{message}"
        );
        assert!(
            !message.contains("hunter2") && !message.contains("CREATE ROLE"),
            "{message}"
        );
        let error = cluster
            .sql("postgres", "SELECT 'hunter2-but-longer'::int")
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("invalid input syntax") && !error.contains("hunter2"),
            "{error}"
        );
        let log = std::fs::read_to_string(test.options.root.join("server.log")).unwrap();
        assert!(!log.contains("hunter2"), "{log}");
    }

    #[test]
    fn dump_and_restore_round_trip() {
        let test = TestCluster::new();
        let (cluster, _) = test.ensure_running();
        cluster.sql("postgres", "CREATE DATABASE shop").unwrap();
        cluster.sql("shop", "CREATE TABLE orders (id int PRIMARY KEY, item text); INSERT INTO orders VALUES (1, 'tea'), (2, 'cake')").unwrap();
        let dump = test.directory.path().join("shop.dump");
        cluster.dump("shop", &dump).unwrap();
        // The caller's own file, private, in pg_dump's custom format.
        let metadata = std::fs::metadata(&dump).unwrap();
        assert_eq!(
            (metadata.uid(), metadata.mode() & 0o777),
            (std::fs::metadata("/proc/self").unwrap().uid(), 0o600)
        );
        assert!(std::fs::read(&dump).unwrap().starts_with(b"PGDMP"));

        cluster
            .sql(
                "shop",
                "DELETE FROM orders WHERE id = 1; UPDATE orders SET item = 'pie'",
            )
            .unwrap();
        cluster.restore("shop", &dump).unwrap();
        assert_eq!(
            cluster
                .sql("shop", "SELECT id, item FROM orders ORDER BY id")
                .unwrap(),
            "1|tea\n2|cake\n"
        );
        cluster.sql("postgres", "CREATE DATABASE copy").unwrap();
        cluster.restore("copy", &dump).unwrap();
        assert_eq!(
            cluster.sql("copy", "SELECT count(*) FROM orders").unwrap(),
            "2\n"
        );

        let garbage = test.directory.path().join("garbage.dump");
        std::fs::write(&garbage, "not a dump").unwrap();
        let error = cluster.restore("shop", &garbage).unwrap_err().to_string();
        assert!(error.contains("pg_restore"), "{error}");
        assert_eq!(
            cluster.sql("shop", "SELECT count(*) FROM orders").unwrap(),
            "2\n"
        );
    }

    #[test]
    fn a_directory_the_server_user_cannot_enter_is_named() {
        if ServerUser::for_this_process().unwrap().is_none() {
            return; // Only root hands the server to another user.
        }
        let test = TestCluster::new();
        let home = test.directory.path().join("home");
        std::fs::create_dir(&home).unwrap();
        set_mode(&home, 0o700).unwrap();
        let options = ClusterOptions {
            root: home.join(".local/share/idp/postgres"),
            bin_dir: None,
        };
        let error = Cluster::ensure_running(&options, &mut |_| {}).unwrap_err();
        assert!(
            matches!(&error, ClusterError::DirectoryNotReachable { directory, .. } if *directory == home),
            "{error}"
        );
        assert_eq!(
            error.to_string(),
            format!(
                "the PostgreSQL server runs as `postgres`, who cannot enter `{}` to reach `{}`",
                home.display(),
                options.root.display()
            )
        );
        assert!(
            error
                .hint()
                .unwrap()
                .contains(&format!("chmod o+x {}", home.display()))
        );
        // Nothing was made, and the directory was left as it was.
        assert!(!home.join(".local").exists());
        assert_eq!(std::fs::metadata(&home).unwrap().mode() & 0o777, 0o700);
    }

    #[test]
    fn unusable_roots_and_missing_programs_are_explained() {
        let test = TestCluster::new();
        std::fs::create_dir(&test.options.root).unwrap();
        std::fs::write(test.options.root.join("notes.txt"), "mine").unwrap();
        let error = Cluster::ensure_running(&test.options, &mut |_| {})
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("it holds `notes.txt`, which idp did not put there"),
            "{error}"
        );

        for root in ["/tmp/it's", "/tmp/a\"b"] {
            assert!(
                matches!(
                    Paths::new(Path::new(root)),
                    Err(ClusterError::UnusableRoot { .. })
                ),
                "{root}"
            );
        }
        let long = Path::new("/tmp").join("x".repeat(90));
        let error = Paths::new(&long).unwrap_err().to_string();
        assert!(
            error.contains("too long for PostgreSQL's Unix socket"),
            "{error}"
        );

        let empty = test.directory.path().join("bin");
        std::fs::create_dir(&empty).unwrap();
        let options = ClusterOptions {
            root: test.directory.path().join("other"),
            bin_dir: Some(empty.clone()),
        };
        let error = Cluster::ensure_running(&options, &mut |_| {}).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!("`{}` has no `initdb`", empty.display())
        );

        let missing = ClusterError::PostgresMissing;
        assert_eq!(
            missing.to_string(),
            "PostgreSQL is not installed: no `initdb` in /usr/lib/postgresql/*/bin or on PATH"
        );
        assert_eq!(
            missing.hint().unwrap(),
            "install it: `apt-get install postgresql` (Debian/Ubuntu)"
        );
    }
}

//! A sealed environment per test: its own project directory, HOME and XDG directories, no colour,
//! fixed terminal width, and nothing inherited from the developer's shell that idp reads.

use std::path::{Path, PathBuf};
use std::process::Output;

use tempfile::TempDir;

pub mod fault_proxy;
pub mod moto;
pub mod postgres;

/// A temporary project and home for one test.
pub struct TestEnv {
    root: TempDir,
    /// The local provider's data directory (`IDP_DATA_DIR`); another test env's when shared.
    data_dir: PathBuf,
}

impl Drop for TestEnv {
    /// Stops the servers idp started in this env's own data directory: they outlive idp by design.
    fn drop(&mut self) {
        if !self.data_dir.starts_with(self.root.path()) {
            return;
        }
        if let Ok(pid) = std::fs::read_to_string(self.data_dir.join("registry/registry.pid")) {
            let _ = std::process::Command::new("kill").arg(pid.trim()).status();
        }
        let data = self.data_dir.join("postgres/data");
        if let (true, Some(bin)) = (data.is_dir(), postgres::postgres_bin()) {
            let pg_ctl = bin.join("pg_ctl");
            let mut command = if postgres::running_as_root() {
                let mut command = std::process::Command::new("runuser");
                command.args(["-u", "postgres", "--"]).arg(pg_ctl);
                command
            } else {
                std::process::Command::new(pg_ctl)
            };
            let _ = command
                .arg("-D")
                .arg(&data)
                .args(["-m", "immediate", "-w", "stop"])
                .output();
        }
    }
}

impl TestEnv {
    pub fn new() -> TestEnv {
        let root = tempfile::Builder::new()
            .prefix("idp-test-")
            .tempdir()
            .expect("temp dir");
        for dir in [
            "home",
            "home/.config",
            "home/.local/share",
            "home/.cache",
            "project",
        ] {
            std::fs::create_dir_all(root.path().join(dir)).expect("test dirs");
        }
        // The local provider's PostgreSQL runs as an unprivileged user when tests run as root; it
        // must be able to walk down to the data directory.
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(root.path(), std::fs::Permissions::from_mode(0o755))
            .expect("chmod the test root");
        let data_dir = root.path().join("data");
        TestEnv { root, data_dir }
    }

    /// Returns a new env (project, home) that shares `other`'s local servers and credentials.
    pub fn sharing_data_with(other: &TestEnv) -> TestEnv {
        let mut env = TestEnv::new();
        env.data_dir = other.data_dir.clone();
        env
    }

    pub fn data_dir(&self) -> PathBuf {
        self.data_dir.clone()
    }

    pub fn root(&self) -> &Path {
        self.root.path()
    }

    pub fn home(&self) -> PathBuf {
        self.root().join("home")
    }

    pub fn project(&self) -> PathBuf {
        self.root().join("project")
    }

    /// Writes a file under the project directory, creating its parents.
    pub fn write(&self, relative: &str, contents: &str) -> PathBuf {
        let path = self.project().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
        path
    }

    /// Returns an `idp` command that runs in the project directory with a sealed environment.
    pub fn idp(&self) -> assert_cmd::Command {
        let mut command = assert_cmd::Command::cargo_bin("idp").expect("the idp binary is built");
        self.seal(&mut command);
        command.current_dir(self.project());
        command
    }

    /// Clears the environment down to what a test controls.
    pub fn seal(&self, command: &mut assert_cmd::Command) {
        command.env_clear();
        for (key, value) in self.variables() {
            command.env(key, value);
        }
    }

    /// Seals a plain `std::process::Command` the same way, for tests that spawn idp themselves.
    pub fn seal_std(&self, command: &mut std::process::Command) {
        command.env_clear();
        for (key, value) in self.variables() {
            command.env(key, value);
        }
    }

    /// Returns the whole environment of a sealed command.
    #[allow(
        clippy::disallowed_methods,
        reason = "the sealed environment keeps the real PATH to find tools"
    )]
    fn variables(&self) -> Vec<(&'static str, std::ffi::OsString)> {
        vec![
            ("PATH", std::env::var_os("PATH").unwrap_or_default()),
            ("HOME", self.home().into()),
            ("XDG_CONFIG_HOME", self.home().join(".config").into()),
            ("XDG_DATA_HOME", self.home().join(".local/share").into()),
            ("XDG_CACHE_HOME", self.home().join(".cache").into()),
            ("IDP_DATA_DIR", self.data_dir.clone().into()),
            ("IDP_CREDENTIAL_STORE", "file".into()),
            ("NO_COLOR", "1".into()),
            ("COLUMNS", "100".into()),
            ("LANG", "C.UTF-8".into()),
        ]
    }

    /// Runs a command and returns what it printed, with this environment's paths filtered out.
    pub fn run(&self, command: &mut assert_cmd::Command) -> Outcome {
        let output = command.output().expect("the command runs");
        Outcome::new(output, &[(self.root(), "[TEMP]")])
    }
}

/// What a command did: exit code, stdout and stderr, ready to snapshot.
pub struct Outcome {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Outcome {
    pub fn new(output: Output, filters: &[(&Path, &str)]) -> Outcome {
        let filter = |bytes: &[u8]| {
            let mut text = String::from_utf8_lossy(bytes).into_owned();
            for (path, replacement) in filters {
                text = text.replace(&path.display().to_string(), replacement);
            }
            text
        };
        Outcome {
            code: output.status.code().unwrap_or(-1),
            stdout: filter(&output.stdout),
            stderr: filter(&output.stderr),
        }
    }

    /// Returns exit code, stdout and stderr in one text, for one snapshot of everything a user sees.
    pub fn snapshot(&self) -> String {
        format!(
            "exit code: {}\n----- stdout -----\n{}----- stderr -----\n{}",
            self.code, self.stdout, self.stderr
        )
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

/// Returns the path of a file under `tests/fixtures`.
pub fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(relative)
}

/// Runs git in `dir` and returns its trimmed stdout; fails the test with git's stderr.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap().trim().to_string()
}

/// Writes each `(path, text)` below `root`, creating folders.
pub fn write_all(root: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
    }
}

/// Commits everything in `dir` as a fixed test author.
pub fn commit_all(dir: &Path, message: &str) {
    git(dir, &["add", "--all"]);
    git(
        dir,
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "commit",
            "--quiet",
            "-m",
            message,
        ],
    );
}

/// Reads a text file; the failure names it.
pub fn read(path: impl AsRef<Path>) -> String {
    std::fs::read_to_string(path.as_ref())
        .unwrap_or_else(|e| panic!("{}: {e}", path.as_ref().display()))
}

/// Returns every file below `dir` (not `.git`) by its relative path, with its contents.
pub fn files(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.file_name().unwrap() == ".git" {
                continue;
            }
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap().display().to_string();
                files.insert(relative, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

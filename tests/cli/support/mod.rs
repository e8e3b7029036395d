//! A sealed environment per test: its own project directory, HOME and XDG directories, no colour,
//! fixed terminal width, and nothing inherited from the developer's shell that idp reads.

use std::path::{Path, PathBuf};
use std::process::Output;

use tempfile::TempDir;

pub mod postgres;

/// A temporary project and home for one test.
pub struct TestEnv {
    root: TempDir,
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
        TestEnv { root }
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
    #[allow(
        clippy::disallowed_methods,
        reason = "the sealed environment keeps the real PATH to find tools"
    )]
    pub fn seal(&self, command: &mut assert_cmd::Command) {
        command.env_clear();
        command.env("PATH", std::env::var_os("PATH").unwrap_or_default());
        command.env("HOME", self.home());
        command.env("XDG_CONFIG_HOME", self.home().join(".config"));
        command.env("XDG_DATA_HOME", self.home().join(".local/share"));
        command.env("XDG_CACHE_HOME", self.home().join(".cache"));
        command.env("IDP_CREDENTIAL_STORE", "file");
        command.env("NO_COLOR", "1");
        command.env("COLUMNS", "100");
        command.env("LANG", "C.UTF-8");
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

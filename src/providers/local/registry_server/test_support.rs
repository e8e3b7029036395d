//! For the registry's tests: a real server in a temporary directory, the committed tiny OCI
//! image, and skopeo to push it.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::{RegistryOptions, RegistryServer, http, process};

/// A registry in a temporary directory, stopped when dropped.
pub(super) struct TestRegistry {
    pub server: RegistryServer,
    pub options: RegistryOptions,
    pub directory: tempfile::TempDir,
}

impl TestRegistry {
    /// Starts a registry in a new temporary directory.
    pub fn start() -> TestRegistry {
        let (options, directory) = fresh_options();
        let server = RegistryServer::ensure_running(&options, &mut |_| {}).unwrap();
        TestRegistry {
            server,
            options,
            directory,
        }
    }

    /// Returns the pid recorded in `registry.pid`.
    pub fn recorded_pid(&self) -> u32 {
        let text = std::fs::read_to_string(self.options.root.join("registry.pid")).unwrap();
        text.trim().parse().unwrap()
    }

    /// Returns how many live registry processes serve this registry's configuration.
    pub fn processes(&self) -> usize {
        let config = self.options.root.join("config.yml");
        std::fs::read_dir("/proc")
            .unwrap()
            .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
            .filter(|pid| process::alive(*pid) && process::serves(*pid, &config))
            .count()
    }

    /// Pushes the image at `layout` to `repository:v1` with skopeo. The credential goes in an auth
    /// file (mode 0600), not on skopeo's command line, as idp would hand it over.
    pub fn push(
        &self,
        layout: &Path,
        repository: &str,
        user: &str,
        password: &str,
    ) -> Result<(), String> {
        let address = self.server.address();
        let auth = serde_json::json!({ "auths": { address.clone(): { "auth": http::basic_token(user, password) } } });
        let auth_file = self.directory.path().join("auth.json");
        std::fs::File::options()
            .create(true)
            .write(true)
            .truncate(true)
            .mode(0o600)
            .open(&auth_file)
            .and_then(|mut file| file.write_all(auth.to_string().as_bytes()))
            .unwrap();
        let output = Command::new("skopeo")
            .args([
                "--insecure-policy",
                "copy",
                "--quiet",
                "--dest-tls-verify=false",
                "--dest-authfile",
            ])
            .arg(&auth_file)
            .arg(format!("oci:{}:v1", layout.display()))
            .arg(format!("docker://{address}/{repository}:v1"))
            .stdin(Stdio::null())
            .output()
            .unwrap();
        if !output.status.success() {
            return Err(String::from_utf8_lossy(&output.stderr).into_owned());
        }
        Ok(())
    }
}

impl Drop for TestRegistry {
    fn drop(&mut self) {
        let _ = self.server.stop();
    }
}

/// Returns options for a registry in a new temporary directory, after checking that the programs
/// the tests need are installed.
pub(super) fn fresh_options() -> (RegistryOptions, tempfile::TempDir) {
    for program in ["docker-registry", "skopeo"] {
        let found = Command::new(program)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        assert!(
            found.is_ok(),
            "`{program}` is not installed: these tests run a real registry and push to it with skopeo; \
             install both with `apt-get install docker-registry skopeo` (.ci/run does)"
        );
    }
    let directory = tempfile::tempdir().unwrap();
    (
        RegistryOptions {
            root: directory.path().join("registry"),
            binary: None,
        },
        directory,
    )
}

/// The committed OCI image layout the registry tests push: one image tagged `v1`, a config and
/// an empty layer (an uncompressed tar of just its two end-of-archive blocks).
pub(super) fn tiny_image() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny-image")
}

//! A real AWS API endpoint for one test: `moto_server` on a free 127.0.0.1 port, with its request
//! log in a file, killed when dropped.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::postgres::free_port;

pub struct MotoServer {
    child: Child,
    pub port: u16,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl MotoServer {
    pub fn start() -> MotoServer {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("moto.log");
        let port = free_port();
        let child = Command::new("moto_server")
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("moto_server runs (pip install 'moto[server]'; .ci/run does)");
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "moto_server did not start on port {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        MotoServer {
            child,
            port,
            log,
            _dir: dir,
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Returns how many requests moto has logged so far.
    pub fn requests(&self) -> usize {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        log.lines()
            .filter(|line| {
                line.contains("\"POST ")
                    || line.contains("\"GET ")
                    || line.contains("\"PUT ")
                    || line.contains("\"DELETE ")
                    || line.contains("\"HEAD ")
            })
            .count()
    }

    /// Runs the `aws` CLI against this server and returns its JSON answer.
    pub fn aws(&self, args: &[&str]) -> serde_json::Value {
        let output = Command::new("aws")
            .args([
                "--endpoint-url",
                &self.url(),
                "--region",
                "us-east-1",
                "--output",
                "json",
            ])
            .args(args)
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_DEFAULT_REGION", "us-east-1")
            .output()
            .expect("the aws CLI runs (pip install awscli; .ci/run does)");
        assert!(
            output.status.success(),
            "aws {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).unwrap_or(serde_json::Value::Null)
    }
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs idp with moto's test credentials in its environment.
pub fn idp_aws(env: &super::TestEnv, args: &[&str]) -> super::Outcome {
    let mut command = env.idp();
    command
        .args(args)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing");
    env.run(&mut command)
}

/// Returns a manifest with one of each AWS resource (project `shop`) in `environment`, talking to
/// `endpoint`, whose network rule lets `from` reach the database.
pub fn aws_manifest(environment: &str, endpoint: &str, retention_days: u32, from: &str) -> String {
    format!(
        r#"[project]
name = "shop"
team = "shop-team"
owner = "owner@example.com"

[environments.{environment}]
provider = "aws"
region = "us-east-1"
endpoint_url = "{endpoint}"

[resources.db]
type = "postgres"
version = "16"
backup_retention_days = {retention_days}
deletion_protection = true

[resources.images]
type = "registry"

[resources.app]
type = "identity"
grants = ["db:connect", "images:pull"]

[resources.db-access]
type = "network"
allow = [{{ from = "{from}", to = "db", port = 5432 }}]
"#
    )
}

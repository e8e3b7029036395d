//! A `moto_server` for the aws provider's tests: started on a free 127.0.0.1 port, waited for,
//! and killed when dropped, as cargo's test `HttpServer` binds `127.0.0.1:0` and stops on drop.

use std::io::Read;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::credentials::Secret;

use super::client::{Client, ClientConfig, RetryPolicy};
use super::credentials::{Credentials, Source};

/// The account moto answers for.
pub const ACCOUNT: &str = "123456789012";
/// The region the tests work in.
pub const REGION: &str = "eu-west-1";

/// How long moto may take to start listening.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// A running `moto_server`.
pub struct Moto {
    child: Child,
    pub port: u16,
    /// Where its output goes, for a failing start's message.
    log: tempfile::NamedTempFile,
}

impl Moto {
    /// Starts a `moto_server` on a free port and waits until it answers.
    pub fn start() -> Moto {
        // The port is free when asked for, and taken by moto a moment later; another process may
        // win it in between, so a server that exits early is started again on another.
        let mut last_log = String::new();
        for _ in 0..3 {
            let port = free_port();
            let log = tempfile::NamedTempFile::new().expect("a temporary file for moto's log");
            let child = match Command::new("moto_server")
                .args(["-H", "127.0.0.1", "-p", &port.to_string()])
                .stdin(Stdio::null())
                .stdout(log.reopen().expect("moto's log"))
                .stderr(log.reopen().expect("moto's log"))
                .spawn()
            {
                Ok(child) => child,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => panic!(
                    "`moto_server` is not on PATH: pip install 'moto[server]' (.ci/run does)"
                ),
                Err(e) => panic!("starting moto_server: {e}"),
            };
            let mut moto = Moto { child, port, log };
            match moto.wait_until_listening() {
                Ok(()) => return moto,
                Err(reason) => {
                    last_log = format!("{reason}\n{}", moto.output());
                }
            }
        }
        panic!("moto_server did not start:\n{last_log}");
    }

    fn wait_until_listening(&mut self) -> Result<(), String> {
        let started = Instant::now();
        let address = SocketAddr::from(([127, 0, 0, 1], self.port));
        while started.elapsed() < START_TIMEOUT {
            if let Some(status) = self.child.try_wait().expect("moto_server's status") {
                return Err(format!("moto_server exited with {status}"));
            }
            if TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Err(format!(
            "moto_server did not listen within {START_TIMEOUT:?}"
        ))
    }

    fn output(&self) -> String {
        let mut text = String::new();
        let _ = self
            .log
            .reopen()
            .and_then(|mut file| file.read_to_string(&mut text));
        text
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// A client config for this server, with quick retries.
    pub fn config(&self) -> ClientConfig {
        let mut config = ClientConfig::new(REGION, Some(self.url()));
        config.retry = fast_retries();
        config
    }

    /// A client with made-up static credentials (moto takes any while it does not check).
    pub fn client(&self) -> Client {
        Client::new(
            &self.config(),
            static_source("AKIDMOTOTEST", "moto-test-secret"),
        )
        .expect("a client for moto")
    }

    /// Makes moto check every request's signature and permissions from now on, against the IAM
    /// users and keys it holds (moto's `/moto-api/reset-auth`).
    pub fn require_signatures(&self) {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(10)))
            .build()
            .into();
        agent
            .post(format!("{}/moto-api/reset-auth", self.url()))
            .send("0")
            .expect("moto's reset-auth");
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Retries quick enough for tests.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 5,
        base_delay: Duration::from_millis(2),
        max_delay: Duration::from_millis(20),
    }
}

/// Static credentials as a source.
pub fn static_source(access_key_id: &str, secret: &str) -> Source {
    Source::Static {
        credentials: Credentials {
            access_key_id: access_key_id.to_string(),
            secret_access_key: Secret::new(secret.to_string()),
            session_token: None,
            expires_at: None,
        },
        origin: "the tests".to_string(),
    }
}

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free loopback port")
        .port()
}

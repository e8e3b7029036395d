//! `idp provision` and friends on the `local` provider, against the real PostgreSQL and registry
//! idp starts, read back with `psql` and the registry's API rather than idp's own report.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::postgres::postgres_bin;
use crate::support::{Outcome, TestEnv};

pub(crate) const MANIFEST: &str = r#"# The shop service.
[project]
name = "shop"
team = "shop-team"
owner = "owner@example.com"

[resources.db]
type = "postgres"
version = "15"
backup_retention_days = 7

[resources.images]
type = "registry"

[resources.app]
type = "identity"
grants = ["db:connect", "db:read", "images:pull"]

[resources.db-access]
type = "network"
allow = [{ from = "10.0.0.0/16", to = "db", port = 5432 }]
"#;

/// The cluster's superuser connection: the Unix socket idp keeps in its data directory.
pub(crate) struct Superuser {
    socket: PathBuf,
    port: u16,
}

impl Superuser {
    pub(crate) fn of(env: &TestEnv) -> Superuser {
        let root = env.data_dir().join("postgres");
        let config =
            std::fs::read_to_string(root.join("cluster.toml")).expect("the cluster was created");
        let port = config
            .lines()
            .find_map(|l| l.strip_prefix("port = "))
            .and_then(|p| p.trim().parse().ok())
            .expect("cluster.toml records the port");
        Superuser {
            socket: root.join("socket"),
            port,
        }
    }

    /// Runs SQL as the superuser and returns unaligned rows.
    pub(crate) fn sql(&self, database: &str, sql: &str) -> String {
        let psql = postgres_bin().unwrap().join("psql");
        let output = Command::new(psql)
            .args(["-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h"])
            .arg(&self.socket)
            .args([
                "-p",
                &self.port.to_string(),
                "-U",
                "postgres",
                "-d",
                database,
                "-c",
                sql,
            ])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "psql: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap().trim().to_string()
    }

    /// Tries to log in over TCP as `user` with `password`; returns psql's result.
    fn login(&self, user: &str, password: &str, database: &str) -> std::process::Output {
        let psql = postgres_bin().unwrap().join("psql");
        Command::new(psql)
            .args([
                "-X",
                "-A",
                "-t",
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                user,
                "-d",
                database,
                "-c",
                "select 1",
            ])
            .env("PGPASSWORD", password)
            .env("PGCONNECT_TIMEOUT", "5")
            .output()
            .unwrap()
    }
}

/// Reads every secret from the file credential store, which the tests use (`IDP_CREDENTIAL_STORE=file`).
pub(crate) fn stored_secrets(env: &TestEnv) -> Vec<String> {
    let mut secrets = Vec::new();
    for path in walk(&env.data_dir().join("credentials")) {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        // Secrets are the 40-character generated values; pick out every long alphanumeric token.
        for token in text.split(|c: char| !c.is_ascii_alphanumeric()) {
            if token.len() >= 32 {
                secrets.push(token.to_string());
            }
        }
    }
    secrets
}

/// Asserts no secret appears in any file under `dir`.
fn assert_no_secret_in(dir: &Path, secrets: &[String]) {
    for entry in walk(dir) {
        let text = String::from_utf8_lossy(&std::fs::read(&entry).unwrap()).to_string();
        for secret in secrets {
            assert!(
                !text.contains(secret.as_str()),
                "a secret leaked into {}",
                entry.display()
            );
        }
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}

fn provision(env: &TestEnv) -> Outcome {
    env.run(env.idp().arg("provision"))
}

#[test]
fn provision_then_read_back_rerun_and_destroy() {
    let env = TestEnv::new();
    env.write("idp.toml", MANIFEST);
    let first = provision(&env);
    assert_eq!(first.code, 0, "{}", first.snapshot());
    let superuser = Superuser::of(&env);

    // The database and roles exist, marked as idp's.
    assert_eq!(
        superuser.sql("postgres", "select shobj_description(oid, 'pg_database') from pg_database where datname = 'shop_dev_db'"),
        "idp:project=shop;environment=dev;resource=db"
    );
    assert_eq!(
        superuser.sql(
            "postgres",
            "select count(*) from pg_roles where rolname in ('shop_dev_db', 'shop_dev_app')"
        ),
        "2"
    );
    // PUBLIC may not connect: only the roles granted.
    assert_eq!(
        superuser.sql(
            "postgres",
            "select has_database_privilege('public', 'shop_dev_db', 'connect')"
        ),
        "f"
    );

    // The owner and the identity log in with their stored passwords; a wrong password fails.
    let secrets = stored_secrets(&env);
    assert!(
        secrets.len() >= 3,
        "owner, identity and registry credentials are stored: {}",
        secrets.len()
    );
    let owner_ok = secrets.iter().any(|s| {
        superuser
            .login("shop_dev_db", s, "shop_dev_db")
            .status
            .success()
    });
    assert!(owner_ok, "the owner logs in with a stored password");
    let app_ok = secrets.iter().any(|s| {
        superuser
            .login("shop_dev_app", s, "shop_dev_db")
            .status
            .success()
    });
    assert!(app_ok, "the identity logs in with its stored password");
    assert!(
        !superuser
            .login(
                "shop_dev_db",
                "wrong-password-wrong-password-xx",
                "shop_dev_db"
            )
            .status
            .success()
    );

    // Another project's role cannot connect to this project's database.
    let other = TestEnv::sharing_data_with(&env);
    other.write(
        "idp.toml",
        &MANIFEST.replace("name = \"shop\"", "name = \"blog\""),
    );
    assert_eq!(provision(&other).code, 0);
    let other_secrets = stored_secrets(&other);
    for secret in &other_secrets {
        let output = superuser.login("blog_dev_db", secret, "shop_dev_db");
        assert!(
            !output.status.success(),
            "another project's role reached this database"
        );
    }

    // A second run changes nothing.
    let state_before = std::fs::read_to_string(env.project().join(".idp/state/dev.json")).unwrap();
    let second = provision(&env);
    assert_eq!(second.code, 0, "{}", second.snapshot());
    assert!(second.stderr.contains("No changes"), "{}", second.stderr);
    assert_eq!(
        std::fs::read_to_string(env.project().join(".idp/state/dev.json")).unwrap(),
        state_before
    );

    // Secrets never show: not in output, not in the project's files.
    for outcome in [&first, &second] {
        for secret in &secrets {
            assert!(
                !outcome.stdout.contains(secret.as_str())
                    && !outcome.stderr.contains(secret.as_str()),
                "a secret was printed"
            );
        }
    }
    assert_no_secret_in(&env.project(), &secrets);
    let mode = std::fs::metadata(env.project().join(".idp/state/dev.json"))
        .unwrap()
        .permissions();
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(mode.mode() & 0o777, 0o600);

    // Destroy: confirmation is required off a terminal, then everything goes and a backup stays.
    let refused = env.run(env.idp().arg("destroy"));
    assert_eq!(refused.code, 1, "{}", refused.snapshot());
    assert!(refused.stderr.contains("--yes"), "{}", refused.stderr);
    let destroyed = env.run(env.idp().args(["destroy", "--yes"]));
    assert_eq!(destroyed.code, 0, "{}", destroyed.snapshot());
    assert_eq!(
        superuser.sql(
            "postgres",
            "select count(*) from pg_database where datname = 'shop_dev_db'"
        ),
        "0"
    );
    assert_eq!(
        superuser.sql(
            "postgres",
            "select count(*) from pg_roles where rolname like 'shop_dev_%'"
        ),
        "0"
    );
    let backup = destroyed
        .stdout
        .lines()
        .find_map(|l| l.split("final backup: ").nth(1))
        .expect("the backup path is printed");
    let backup = env.project().join(backup.trim());
    assert!(
        std::fs::metadata(&backup)
            .map(|m| m.len() > 0)
            .unwrap_or(false),
        "{}",
        backup.display()
    );
    // The other project is untouched.
    assert_eq!(
        superuser.sql(
            "postgres",
            "select count(*) from pg_database where datname = 'blog_dev_db'"
        ),
        "1"
    );
}

#[test]
fn a_refused_manifest_touches_no_server() {
    let env = TestEnv::new();
    env.write("idp.toml", &MANIFEST.replace("10.0.0.0/16", "0.0.0.0/0"));
    let outcome = provision(&env);
    assert_eq!(outcome.code, 3, "{}", outcome.snapshot());
    assert!(
        outcome.stderr.contains("net.public-ingress"),
        "{}",
        outcome.stderr
    );
    assert!(
        !env.data_dir().join("postgres").exists(),
        "no server was created"
    );
    assert!(!env.project().join(".idp/state/dev.json").exists());
}

#[test]
fn run_hands_the_connection_to_a_program_without_printing_it() {
    let env = TestEnv::new();
    env.write("idp.toml", MANIFEST);
    assert_eq!(provision(&env).code, 0);
    let psql = postgres_bin().unwrap().join("psql");
    let script = format!(
        "{} -X -A -t \"$DATABASE_URL\" -c 'select current_user'",
        psql.display()
    );
    let outcome = env.run(env.idp().args(["run", "--", "sh", "-c", &script]));
    assert_eq!(outcome.code, 0, "{}", outcome.snapshot());
    assert_eq!(outcome.stdout.trim(), "shop_dev_db");
    // The exit code passes through.
    assert_eq!(
        env.run(env.idp().args(["run", "--", "sh", "-c", "exit 7"]))
            .code,
        7
    );
    // `idp env` masks secrets unless asked.
    let masked = env.run(env.idp().arg("env"));
    assert!(
        masked
            .stdout
            .contains("DATABASE_URL=postgres://shop_dev_db:****@127.0.0.1:"),
        "{}",
        masked.stdout
    );
    for secret in stored_secrets(&env) {
        assert!(!masked.stdout.contains(&secret) && !outcome.stderr.contains(&secret));
    }
}

#[test]
fn a_database_can_be_added_on_demand() {
    let env = TestEnv::new();
    let manifest = "# The blog.\n[project]\nname = \"blog\" # short\nteam = \"web\"\nowner = \"o@example.com\"\n";
    env.write("idp.toml", manifest);
    let outcome = env.run(env.idp().args(["provision", "db"]));
    assert_eq!(outcome.code, 0, "{}", outcome.snapshot());
    let edited = std::fs::read_to_string(env.project().join("idp.toml")).unwrap();
    assert!(
        edited.starts_with(manifest),
        "comments and layout are kept:\n{edited}"
    );
    assert!(
        edited.contains("[resources.db]\ntype = \"postgres\""),
        "{edited}"
    );
    let check = env.run(env.idp().arg("check"));
    assert_eq!(check.code, 0, "{}", check.snapshot());
    assert_eq!(
        Superuser::of(&env).sql(
            "postgres",
            "select count(*) from pg_database where datname = 'blog_dev_db'"
        ),
        "1"
    );
}

#[test]
fn two_provisions_at_once_do_not_double_anything() {
    let env = TestEnv::new();
    env.write("idp.toml", MANIFEST);
    let spawn = || {
        let mut command = Command::new(assert_cmd::cargo::cargo_bin("idp"));
        env.seal_std(&mut command);
        command
            .arg("provision")
            .current_dir(env.project())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    assert!(
        a.status.success() && b.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&a.stderr),
        String::from_utf8_lossy(&b.stderr)
    );
    let waited = [&a, &b]
        .iter()
        .any(|o| String::from_utf8_lossy(&o.stderr).contains("waiting for another idp"));
    let nothing_left = [&a, &b]
        .iter()
        .any(|o| String::from_utf8_lossy(&o.stderr).contains("No changes"));
    assert!(
        waited && nothing_left,
        "one waited for the other, then found nothing to do"
    );
    let superuser = Superuser::of(&env);
    assert_nothing_doubled(&superuser);
}

/// Checks through psql that the project has one database and two roles (owner and identity).
fn assert_nothing_doubled(superuser: &Superuser) {
    assert_eq!(
        superuser.sql(
            "postgres",
            "select count(*) from pg_database where datname like 'shop_dev_%'"
        ),
        "1"
    );
    assert_eq!(
        superuser.sql(
            "postgres",
            "select count(*) from pg_roles where rolname like 'shop_dev_%'"
        ),
        "2"
    );
}

/// Starts `idp provision` in the background, its output discarded, for a test to kill.
fn spawn_provision(env: &TestEnv) -> std::process::Child {
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("idp"));
    env.seal_std(&mut command);
    command
        .arg("provision")
        .current_dir(env.project())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Checks that a re-run converges: it succeeds, the next finds nothing to do, nothing is doubled
/// and the stored credential still logs in.
fn assert_rerun_converges(env: &TestEnv) {
    let rerun = provision(env);
    assert_eq!(rerun.code, 0, "{}", rerun.snapshot());
    let again = provision(env);
    assert!(again.stderr.contains("No changes"), "{}", again.snapshot());
    let superuser = Superuser::of(env);
    assert_nothing_doubled(&superuser);
    let secrets = stored_secrets(env);
    assert!(
        secrets.iter().any(|s| superuser
            .login("shop_dev_db", s, "shop_dev_db")
            .status
            .success()),
        "the credential still works"
    );
}

#[test]
fn killed_mid_provision_a_rerun_converges() {
    let env = TestEnv::new();
    env.write("idp.toml", MANIFEST);
    // Kill at several points: before the server exists, while it starts, while resources are made.
    for delay in [30, 300, 900, 1500] {
        let mut child = spawn_provision(&env);
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
    }
    assert_rerun_converges(&env);
}

#[test]
fn killed_during_initdb_a_rerun_waits_for_it() {
    let env = TestEnv::new();
    env.write("idp.toml", MANIFEST);
    // `initdb` outlives a killed idp and still writes into `data.new` when the re-run starts.
    let new_data = env.data_dir().join("postgres/data.new");
    let mut child = spawn_provision(&env);
    let deadline = Instant::now() + Duration::from_secs(60);
    while !new_data.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(2));
    }
    assert!(new_data.exists(), "initdb never started");
    let _ = child.kill();
    let _ = child.wait();
    assert_rerun_converges(&env);
}

#[test]
fn progress_without_a_terminal_is_plain_lines() {
    let env = TestEnv::new();
    env.write("idp.toml", MANIFEST);
    let outcome = provision(&env);
    assert_eq!(outcome.code, 0, "{}", outcome.snapshot());
    assert!(
        !outcome.stderr.contains('\u{1b}'),
        "no control codes when piped"
    );
    for resource in ["db", "images", "app", "db-access"] {
        let lines: Vec<&str> = outcome
            .stderr
            .lines()
            .filter(|l| l.starts_with(&format!("{resource}: ")))
            .collect();
        assert_eq!(
            lines.first().copied(),
            Some(format!("{resource}: creating").as_str()),
            "{}",
            outcome.stderr
        );
        assert!(
            lines
                .last()
                .unwrap()
                .starts_with(&format!("{resource}: created (")),
            "{}",
            outcome.stderr
        );
    }
}

//! The built-in golden paths: each renders without questions, passes `idp check`, and passes its
//! own test suite against a real PostgreSQL, which is then read back with `psql`.
//!
//! These build real projects (cargo, pip, npm), so they are the slowest tests; the Rust one keeps
//! its own target directory under `target/golden-paths` so repeated runs are incremental.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::TestEnv;
use crate::support::postgres::PostgresServer;

/// Renders a built-in template into a fresh directory and checks its manifest.
fn render(env: &TestEnv, template: &str) -> PathBuf {
    let outcome = env.run(env.idp().args([
        "init",
        "demo",
        "--template",
        template,
        "--defaults",
        "--no-git",
    ]));
    assert_eq!(outcome.code, 0, "{}", outcome.snapshot());
    let project = env.project().join("demo");
    let check = env.run(env.idp().current_dir(&project).arg("check"));
    assert_eq!(
        check.code,
        0,
        "the generated idp.toml must pass the guardrails:\n{}",
        check.snapshot()
    );
    project
}

/// A directory under `target/` that survives between test runs, for build caches.
fn cache_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/golden-paths")
        .join(name);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs a command in `dir` and fails the test with its output if it fails.
fn run(dir: &Path, program: &str, args: &[&str], env: &[(&str, &str)]) -> String {
    let output = Command::new(program)
        .args(args)
        .current_dir(dir)
        .envs(env.iter().copied())
        .output()
        .unwrap_or_else(|e| panic!("{program} could not run ({e}); .ci/run installs it"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "`{program} {}` failed in {}:\n{text}",
        args.join(" "),
        dir.display()
    );
    text
}

/// Creates a database for one template's tests and returns its URL.
fn database(server: &PostgresServer, name: &str) -> String {
    server.psql("postgres", &format!("create database {name}"));
    server.url(name)
}

/// Checks through psql that the service's migrations ran against the database (its tests clean
/// up the items they write, so the table itself is what is left to see).
fn assert_database_was_used(server: &PostgresServer, name: &str) {
    let migrations = server.psql(name, "select count(*) from schema_migrations");
    assert!(
        migrations.parse::<u32>().unwrap() >= 1,
        "no migration recorded: {migrations}"
    );
    assert_eq!(
        server.psql(name, "select to_regclass('public.items') is not null"),
        "t",
        "no `items` table"
    );
}

#[test]
fn rust_service_passes_its_own_tests() {
    let env = TestEnv::new();
    let project = render(&env, "rust-service");
    let server = PostgresServer::start();
    let url = database(&server, "rust_demo");
    let target = cache_dir("rust-target");
    let output = run(
        &project,
        "cargo",
        &["test", "--locked"],
        &[
            ("DATABASE_URL", &url),
            ("CARGO_TARGET_DIR", target.to_str().unwrap()),
        ],
    );
    assert!(
        !output.contains("DATABASE_URL is not set"),
        "database tests were skipped:\n{output}"
    );
    assert_database_was_used(&server, "rust_demo");
}

#[test]
fn python_service_passes_its_own_tests() {
    let env = TestEnv::new();
    let project = render(&env, "python-service");
    let server = PostgresServer::start();
    let url = database(&server, "python_demo");
    let venv = cache_dir("python-venv");
    if !venv.join("bin/python").exists() {
        run(
            &project,
            "python3",
            &["-m", "venv", venv.to_str().unwrap()],
            &[],
        );
    }
    let python = venv.join("bin/python");
    let python = python.to_str().unwrap();
    run(
        &project,
        python,
        &[
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
            "requirements-dev.txt",
        ],
        &[],
    );
    let output = run(
        &project,
        python,
        &["-m", "pytest", "-q", "-rs"],
        &[("DATABASE_URL", &url)],
    );
    assert!(
        !output.contains("skipped"),
        "database tests were skipped:\n{output}"
    );
    assert_database_was_used(&server, "python_demo");
}

#[test]
fn node_service_passes_its_own_tests() {
    let env = TestEnv::new();
    let project = render(&env, "node-service");
    let server = PostgresServer::start();
    let url = database(&server, "node_demo");
    run(&project, "npm", &["ci", "--no-audit", "--no-fund"], &[]);
    let output = run(&project, "npm", &["test"], &[("DATABASE_URL", &url)]);
    assert!(
        output.contains("# skipped 0"),
        "database tests were skipped:\n{output}"
    );
    assert_database_was_used(&server, "node_demo");
}

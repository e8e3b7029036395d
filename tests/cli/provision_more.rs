//! More of `idp provision` on the `local` provider: pushing to the registry with the issued
//! credential, refusing foreign resources, plan, drift, deletion protection, progress on a
//! terminal and secrets kept out of argv. Each is read back through the real servers (psql, the
//! registry's HTTP API, skopeo), not taken from idp's own report.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use base64::Engine as _;

use crate::provision::{MANIFEST, Superuser, stored_secrets};
use crate::support::{Outcome, TestEnv};

const RESOURCES: [&str; 4] = ["db", "images", "app", "db-access"];

/// Returns the shop manifest (a database, a registry, an identity and a network rule) with the
/// given deletion protection on `db`.
fn manifest(protection: bool) -> String {
    let retention = "backup_retention_days = 7\n";
    assert!(MANIFEST.contains(retention));
    MANIFEST.replace(
        retention,
        &format!("{retention}deletion_protection = {protection}\n"),
    )
}

/// Returns an env whose project holds the shop manifest.
fn shop(protection: bool) -> TestEnv {
    let env = TestEnv::new();
    env.write("idp.toml", &manifest(protection));
    env
}

fn provision(env: &TestEnv) -> Outcome {
    env.run(env.idp().arg("provision"))
}

fn provisioned(protection: bool) -> TestEnv {
    let env = shop(protection);
    let outcome = provision(&env);
    assert_eq!(outcome.code, 0, "{}", outcome.snapshot());
    env
}

/// Returns the variables `idp env --format json --show-secrets` gives the app.
fn app_env(env: &TestEnv) -> serde_json::Value {
    let outcome = env.run(
        env.idp()
            .args(["env", "--format", "json", "--show-secrets"]),
    );
    assert_eq!(outcome.code, 0, "{}", outcome.snapshot());
    outcome.json()
}

/// Fails with how to install them when the registry's programs are missing.
fn require_registry_programs() {
    for program in ["docker-registry", "skopeo"] {
        let found = Command::new(program)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        assert!(
            found.is_ok(),
            "`{program}` is not installed: this test runs the local registry and pushes to it with \
             skopeo; install both with `apt-get install docker-registry skopeo` (.ci/run installs them)"
        );
    }
}

/// The committed OCI image layout to push: one image tagged `v1`, a config and an empty layer
/// (an uncompressed tar of just its two end-of-archive blocks). No network needed.
fn tiny_image() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny-image")
}

fn basic_token(user: &str, password: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
}

/// Pushes the image at `layout` with skopeo, the credential (if any) in a 0600 auth file rather
/// than on skopeo's command line; returns skopeo's error output on failure.
fn push(
    env: &TestEnv,
    layout: &Path,
    destination: &str,
    credential: Option<(&str, &str)>,
) -> Result<(), String> {
    let auth = match credential {
        Some((user, password)) => {
            let registry = destination.split('/').next().unwrap();
            serde_json::json!({ "auths": { registry: { "auth": basic_token(user, password) } } })
        }
        None => serde_json::json!({ "auths": {} }),
    };
    let auth_file = env.root().join("auth.json");
    std::fs::File::options()
        .create(true)
        .write(true)
        .truncate(true)
        .mode(0o600)
        .open(&auth_file)
        .and_then(|mut file| file.write_all(auth.to_string().as_bytes()))
        .unwrap();
    let mut command = Command::new("skopeo");
    // Sealed like idp, so no credential of the developer's (~/.docker, $XDG_RUNTIME_DIR) is used.
    env.seal_std(&mut command);
    let output = command
        .args([
            "--insecure-policy",
            "copy",
            "--quiet",
            "--dest-tls-verify=false",
            "--dest-authfile",
        ])
        .arg(&auth_file)
        .arg(format!("oci:{}:v1", layout.display()))
        .arg(format!("docker://{destination}"))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

/// Sends `GET path` to the registry at `address` (`host:port`), with Basic authentication when a
/// credential is given; returns the status code and the body.
fn registry_get(address: &str, path: &str, credential: Option<(&str, &str)>) -> (u16, String) {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut request = format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n");
    if let Some((user, password)) = credential {
        request.push_str(&format!(
            "Authorization: Basic {}\r\n",
            basic_token(user, password)
        ));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("no end of headers: {response}"));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status: {head}"));
    // The registry's JSON answers are short; a chunked one is a single chunk between size lines.
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body.lines().nth(1).unwrap_or("").to_string()
    } else {
        body.to_string()
    };
    (status, body)
}

/// Returns whether a push failed because the registry asked for (other) credentials.
fn refused_for_authentication(push: &Result<(), String>) -> bool {
    push.as_ref()
        .is_err_and(|e| e.to_lowercase().contains("unauthorized") || e.contains("401"))
}

#[test]
fn pushing_an_image_with_the_issued_credential_works_and_fails_without_it() {
    require_registry_programs();
    let env = provisioned(false);
    let variables = app_env(&env);
    let text = |name: &str| {
        variables[name]
            .as_str()
            .unwrap_or_else(|| panic!("`idp env` gives {name}: {variables}"))
            .to_string()
    };
    let (url, user, password) = (
        text("REGISTRY_URL"),
        text("REGISTRY_USERNAME"),
        text("REGISTRY_PASSWORD"),
    );
    assert!(url.starts_with("127.0.0.1:"), "loopback only: {url}");
    assert_eq!(text("REGISTRY_REPOSITORY"), format!("{url}/shop/images"));
    assert!(
        stored_secrets(&env).contains(&password),
        "the password handed to the app is the stored one"
    );

    let layout = tiny_image();
    let pushed = push(
        &env,
        &layout,
        &format!("{url}/shop/images:v1"),
        Some((&user, &password)),
    );
    assert_eq!(pushed, Ok(()), "pushing with the issued credential");
    let (status, catalog) = registry_get(&url, "/v2/_catalog", Some((&user, &password)));
    assert_eq!(status, 200, "{catalog}");
    let catalog: serde_json::Value = serde_json::from_str(&catalog).unwrap();
    assert!(
        catalog["repositories"]
            .as_array()
            .is_some_and(|r| r.contains(&"shop/images".into())),
        "{catalog}"
    );

    // A wrong password and no credential are both refused, and push nothing.
    let wrong = push(
        &env,
        &layout,
        &format!("{url}/shop/images:v2"),
        Some((&user, "wrong-password-wrong-password-wrong-pass")),
    );
    assert!(refused_for_authentication(&wrong), "{wrong:?}");
    let anonymous = push(&env, &layout, &format!("{url}/shop/images:v3"), None);
    assert!(refused_for_authentication(&anonymous), "{anonymous:?}");
    let (status, tags) = registry_get(&url, "/v2/shop/images/tags/list", Some((&user, &password)));
    assert_eq!(status, 200, "{tags}");
    let tags: serde_json::Value = serde_json::from_str(&tags).unwrap();
    assert_eq!(tags["tags"], serde_json::json!(["v1"]));
    assert_eq!(registry_get(&url, "/v2/_catalog", None).0, 401);
    assert_eq!(
        registry_get(&url, "/v2/_catalog", Some((&user, "wrong"))).0,
        401
    );
}

#[test]
fn a_foreign_database_of_the_same_name_is_an_error_not_a_takeover() {
    // Another project starts the cluster, so the foreign database can be made before `shop` runs.
    let warmup = TestEnv::new();
    warmup.write(
        "idp.toml",
        "[project]\nname = \"warmup\"\nteam = \"t\"\nowner = \"o@example.com\"\n\n[resources.db]\ntype = \"postgres\"\n",
    );
    let outcome = provision(&warmup);
    assert_eq!(outcome.code, 0, "{}", outcome.snapshot());
    let superuser = Superuser::of(&warmup);
    superuser.sql("postgres", "CREATE DATABASE shop_dev_db");
    superuser.sql(
        "shop_dev_db",
        "CREATE TABLE orders (id int); INSERT INTO orders VALUES (42)",
    );
    // Owner, connection limit, comment (idp's marker) and whether PUBLIC may connect.
    let described = "SELECT pg_get_userbyid(datdba), datconnlimit, \
        coalesce(shobj_description(oid, 'pg_database'), '(none)'), has_database_privilege('public', oid, 'connect') \
        FROM pg_database WHERE datname = 'shop_dev_db'";
    let before = superuser.sql("postgres", described);
    assert_eq!(before, "postgres|-1|(none)|t");

    let env = TestEnv::sharing_data_with(&warmup);
    env.write("idp.toml", &manifest(false));
    let refused = provision(&env);
    assert_eq!(refused.code, 1, "{}", refused.snapshot());
    assert!(
        refused.stderr.contains("`db`") && refused.stderr.contains("idp did not make"),
        "names the resource and says it is not idp's:\n{}",
        refused.stderr
    );

    // Untouched: same owner, limit, comment and privileges, and its data is still there.
    assert_eq!(superuser.sql("postgres", described), before);
    assert_eq!(superuser.sql("shop_dev_db", "SELECT id FROM orders"), "42");
    assert_eq!(
        superuser.sql(
            "postgres",
            "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'shop\\_dev\\_%'"
        ),
        "0",
        "no role `shop_dev_db` (nor any other of shop's) was created"
    );
}

#[test]
fn plan_touches_nothing_then_shows_no_change_after_provisioning() {
    let env = shop(false);
    let plan = env.run(env.idp().arg("plan"));
    assert_eq!(plan.code, 0, "{}", plan.snapshot());
    for resource in RESOURCES {
        let listed = plan.stdout.lines().any(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            fields.first() == Some(&"+")
                && fields.get(1) == Some(&resource)
                && fields.last() == Some(&"create")
        });
        assert!(listed, "`{resource}` is to be created:\n{}", plan.stdout);
    }
    assert!(
        plan.stdout
            .contains("4 to create, 0 to update, 0 unchanged."),
        "{}",
        plan.stdout
    );
    for server in ["postgres", "registry"] {
        assert!(
            !env.data_dir().join(server).exists(),
            "`idp plan` created $IDP_DATA_DIR/{server}"
        );
    }
    assert!(
        !env.project().join(".idp").exists(),
        "`idp plan` wrote into the project"
    );

    assert_eq!(provision(&env).code, 0);
    let plan = env.run(env.idp().args(["plan", "--output", "json"]));
    assert_eq!(plan.code, 0, "{}", plan.snapshot());
    let changes = plan.json()["changes"].as_array().cloned().unwrap();
    let mut names: Vec<&str> = changes
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    let mut expected = RESOURCES.to_vec();
    expected.sort_unstable();
    assert_eq!(names, expected);
    for change in &changes {
        assert_eq!(change["action"], "no-change", "{change}");
    }
}

/// Returns the drift `idp status --output json` reports for `resource`.
fn status_drift(env: &TestEnv, resource: &str) -> Vec<String> {
    let status = env.run(env.idp().args(["status", "--output", "json"]));
    assert_eq!(status.code, 0, "{}", status.snapshot());
    let report = status.json();
    let entry = report["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == resource)
        .unwrap_or_else(|| panic!("`{resource}` in {report}"))
        .clone();
    serde_json::from_value(entry["drift"].clone()).unwrap()
}

#[test]
fn drift_made_outside_idp_is_reported_and_put_back() {
    let env = provisioned(false);
    let superuser = Superuser::of(&env);
    let limit = "SELECT datconnlimit FROM pg_database WHERE datname = 'shop_dev_db'";
    let provisioned_limit = superuser.sql("postgres", limit);
    assert_eq!(provisioned_limit, "20", "the `small` size's limit");
    let fragment = env.data_dir().join("postgres/hba.d/shop--dev.conf");
    let provisioned_fragment = std::fs::read_to_string(&fragment).unwrap();
    assert!(status_drift(&env, "db").is_empty());
    assert!(status_drift(&env, "db-access").is_empty());

    superuser.sql("postgres", "ALTER DATABASE shop_dev_db CONNECTION LIMIT 3");
    let added = "host shop_dev_db shop_dev_db 192.168.7.0/24 scram-sha-256";
    std::fs::write(&fragment, format!("{provisioned_fragment}{added}\n")).unwrap();

    let drift = status_drift(&env, "db");
    assert!(
        drift.iter().any(|d| d.contains("connection limit")),
        "{drift:?}"
    );
    let drift = status_drift(&env, "db-access");
    assert!(drift.iter().any(|d| d.contains(added)), "{drift:?}");
    let text = env.run(env.idp().arg("status"));
    assert!(text.stdout.contains("drift: "), "{}", text.snapshot());
    assert!(text.stderr.contains("drift found"), "{}", text.snapshot());

    let repaired = provision(&env);
    assert_eq!(repaired.code, 0, "{}", repaired.snapshot());
    assert_eq!(superuser.sql("postgres", limit), provisioned_limit);
    assert_eq!(
        std::fs::read_to_string(&fragment).unwrap(),
        provisioned_fragment
    );
    let again = provision(&env);
    assert_eq!(again.code, 0, "{}", again.snapshot());
    assert!(again.stderr.contains("No changes"), "{}", again.snapshot());
}

#[test]
fn destroying_a_protected_database_is_refused() {
    let env = provisioned(true);
    let superuser = Superuser::of(&env);
    for args in [&["destroy", "db", "--yes"][..], &["destroy", "--yes"][..]] {
        let refused = env.run(env.idp().args(args));
        assert_eq!(refused.code, 1, "{}", refused.snapshot());
        assert!(
            refused.stderr.contains("`db`") && refused.stderr.contains("deletion protection"),
            "{}",
            refused.snapshot()
        );
    }
    assert_eq!(
        superuser.sql(
            "postgres",
            "SELECT count(*) FROM pg_database WHERE datname = 'shop_dev_db'"
        ),
        "1"
    );
    // Refusing the whole environment deletes nothing else either.
    assert_eq!(
        superuser.sql(
            "postgres",
            "SELECT count(*) FROM pg_roles WHERE rolname IN ('shop_dev_db', 'shop_dev_app')"
        ),
        "2"
    );
    assert!(!env.project().join(".idp/backups").exists());
}

/// Removes ANSI escape sequences (CSI `ESC [ … final`, and two-byte `ESC x`).
fn strip_escapes(text: &str) -> String {
    let mut plain = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            plain.push(c);
            continue;
        }
        if chars.next() == Some('[') {
            for c in chars.by_ref() {
                if ('\u{40}'..='\u{7e}').contains(&c) {
                    break;
                }
            }
        }
    }
    plain
}

#[test]
fn progress_on_a_terminal_shows_each_resource_and_finishes() {
    let env = shop(false);
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("idp"));
    env.seal_std(&mut command);
    command
        .arg("provision")
        .current_dir(env.project())
        .env("TERM", "xterm");
    let mut session = rexpect::session::spawn_command(command, Some(120_000)).unwrap();
    let shown = strip_escapes(&session.exp_eof().unwrap());
    let status = session.process().wait().unwrap();
    assert!(
        matches!(status, rexpect::process::WaitStatus::Exited(_, 0)),
        "{status:?}\n{shown}"
    );
    for resource in RESOURCES {
        assert!(
            shown.contains(&format!("{resource} created in ")),
            "`{resource}` has its own line:\n{shown}"
        );
    }
    // It really finished: everything is there.
    assert_eq!(
        Superuser::of(&env).sql(
            "postgres",
            "SELECT count(*) FROM pg_roles WHERE rolname IN ('shop_dev_db', 'shop_dev_app')"
        ),
        "2"
    );
    let again = provision(&env);
    assert!(again.stderr.contains("No changes"), "{}", again.snapshot());
}

#[test]
fn secrets_reach_a_child_through_its_environment_never_its_argv() {
    let env = provisioned(false);
    let secrets = stored_secrets(&env);
    assert!(secrets.len() >= 3, "{}", secrets.len());
    // The child's argv, and that of its parent (idp itself).
    let argv = env.run(env.idp().args([
        "run",
        "--",
        "sh",
        "-c",
        r#"cat /proc/$$/cmdline | tr "\0" " "; echo; cat /proc/$PPID/cmdline | tr "\0" " ""#,
    ]));
    assert_eq!(argv.code, 0, "{}", argv.snapshot());
    assert!(argv.stdout.contains("sh -c "), "{}", argv.stdout);
    assert!(argv.stdout.contains("run -- sh"), "{}", argv.stdout);
    // …while its environment holds them, so the check above looked where they could have been.
    let environ = env.run(env.idp().args([
        "run",
        "--",
        "sh",
        "-c",
        r#"cat /proc/$$/environ | tr "\0" "\n""#,
    ]));
    assert_eq!(environ.code, 0, "{}", environ.snapshot());
    for secret in &secrets {
        assert!(
            !argv.stdout.contains(secret.as_str()) && !argv.stderr.contains(secret.as_str()),
            "a secret is in a process's argv"
        );
    }
    assert!(
        secrets.iter().any(|s| environ
            .stdout
            .lines()
            .any(|l| l.starts_with("DATABASE_URL=") && l.contains(s.as_str()))),
        "DATABASE_URL carries the stored password"
    );
    let set = env.run(
        env.idp()
            .args(["run", "--", "sh", "-c", r#"test -n "$DATABASE_URL""#]),
    );
    assert_eq!(set.code, 0, "{}", set.snapshot());
}

//! `idp provision` on the `aws` provider when things go wrong: killed mid-run, a flaky endpoint, a
//! failure that cannot be retried. Checked through the `aws` CLI against moto, not idp's report.

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use crate::support::fault_proxy::{self, Fault, FaultProxy};
use crate::support::moto::{MotoServer, aws_manifest, idp_aws};

/// The test manifest in the `bench` environment, talking to `endpoint`.
fn manifest(endpoint: &str) -> String {
    aws_manifest("bench", endpoint, 7, "10.0.0.0/16")
}

fn provision(env: &TestEnv) -> Outcome {
    idp_aws(env, &["provision", "--env", "bench"])
}
use crate::support::{Outcome, TestEnv};

/// Returns the length of the JSON array at `key` in an `aws` CLI answer.
fn count(answer: &serde_json::Value, key: &str) -> usize {
    answer[key]
        .as_array()
        .unwrap_or_else(|| panic!("no `{key}` in {answer}"))
        .len()
}

/// Asserts through the `aws` CLI that exactly one of each resource exists.
fn assert_one_of_each(moto: &MotoServer) {
    let instances = moto.aws(&["rds", "describe-db-instances"]);
    let identifiers: Vec<&str> = instances["DBInstances"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["DBInstanceIdentifier"].as_str())
        .collect();
    assert_eq!(identifiers, ["shop-bench-db"], "one RDS instance");

    let secrets = moto.aws(&["secretsmanager", "list-secrets"]);
    let names: Vec<&str> = secrets["SecretList"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["Name"].as_str())
        .collect();
    assert_eq!(names, ["idp/shop/bench/db"], "one secret");

    let repositories = moto.aws(&["ecr", "describe-repositories"]);
    let names: Vec<&str> = repositories["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["repositoryName"].as_str())
        .collect();
    assert_eq!(names, ["shop/images"], "one ECR repository");

    let roles = moto.aws(&["iam", "list-roles"]);
    let names: Vec<&str> = roles["Roles"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["RoleName"].as_str())
        .filter(|name| name.starts_with("shop-"))
        .collect();
    assert_eq!(names, ["shop-bench-app"], "one IAM role");

    let groups = moto.aws(&[
        "ec2",
        "describe-security-groups",
        "--filters",
        "Name=group-name,Values=shop-bench-db-access",
    ]);
    assert_eq!(count(&groups, "SecurityGroups"), 1, "one security group");
    let rules = count(&groups["SecurityGroups"][0], "IpPermissions");
    assert_eq!(rules, 1, "exactly the declared rule: {groups}");
}

/// When to kill a run.
enum KillAt {
    /// This long after it started.
    After(u64),
    /// As soon as stderr shows a line containing one of these.
    Line(&'static [&'static str]),
}

/// Spawns `idp provision`, SIGKILLs it at `at` and returns what it printed until then.
fn provision_killed(env: &TestEnv, at: &KillAt) -> String {
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("idp"));
    env.seal_std(&mut command);
    let mut child = command
        .args(["provision", "--env", "bench"])
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .current_dir(env.project())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (lines, received) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let mut printed = String::new();
    match at {
        KillAt::After(millis) => std::thread::sleep(Duration::from_millis(*millis)),
        KillAt::Line(wanted) => {
            while let Ok(line) = received.recv_timeout(Duration::from_secs(30)) {
                printed.push_str(&line);
                printed.push('\n');
                if wanted.iter().any(|w| line.contains(w)) {
                    break;
                }
            }
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    printed.extend(received.try_iter().map(|line| line + "\n"));
    printed
}

#[test]
fn killed_mid_provision_a_rerun_converges_without_duplicates() {
    let moto = MotoServer::start();
    let env = TestEnv::new();
    env.write("idp.toml", &manifest(&moto.url()));
    let mut seen_rds_create = false;
    let mut cut_short = 0;
    for at in [
        KillAt::After(5),
        KillAt::Line(&["db: creating the RDS instance"]),
        KillAt::After(80),
        // As soon as one more resource is made or adopted, whichever it is.
        KillAt::Line(&["created (", "adopted ("]),
        KillAt::Line(&["created (", "adopted ("]),
        KillAt::After(200),
    ] {
        let printed = provision_killed(&env, &at);
        seen_rds_create |= printed.contains("db: creating the RDS instance");
        if !printed.contains("`bench`:") && !printed.contains("No changes") {
            cut_short += 1;
        }
    }
    assert!(
        seen_rds_create,
        "one run was killed once it had started creating the RDS instance"
    );
    assert!(
        cut_short >= 3,
        "only {cut_short} runs were killed before the end"
    );

    let rerun = provision(&env);
    assert_eq!(rerun.code, 0, "{}", rerun.snapshot());
    assert_one_of_each(&moto);
    let again = provision(&env);
    assert_eq!(again.code, 0, "{}", again.snapshot());
    assert!(again.stderr.contains("No changes"), "{}", again.snapshot());
    assert_one_of_each(&moto);
}

/// Of every four requests not seen before, three are answered by the proxy: a 500, a 429, a
/// dropped connection. Counting only new requests keeps the number of faults independent of how
/// idp orders or parallelises its calls.
fn flaky(request: &fault_proxy::Request, new_requests: usize) -> Fault {
    match new_requests % 4 {
        1 => Fault::internal_error(request),
        2 => Fault::throttling(request),
        3 => Fault::Drop,
        _ => Fault::Forward,
    }
}

#[test]
fn a_flaky_endpoint_still_converges_without_duplicates() {
    let moto = MotoServer::start();
    // A retry replays the same body, so faulting only bodies not seen before fails each call at
    // most once: concurrent calls cannot make one call's attempts all land on faults.
    let seen = Arc::new(Mutex::new(HashSet::new()));
    let seen_by_proxy = seen.clone();
    // Besides, the first `CreateSecret` reaches moto but its answer is lost: the retry must carry
    // the same idempotency token and not make a second secret.
    let secret_lost = Arc::new(AtomicBool::new(false));
    let lost = secret_lost.clone();
    let proxy = FaultProxy::start(moto.port, move |request| {
        let key = (request.target.clone(), request.body.clone());
        let new_requests = {
            let mut seen = seen_by_proxy.lock().unwrap();
            if !seen.insert(key) {
                return Fault::Forward;
            }
            seen.len()
        };
        if request.action() == "CreateSecret" && !lost.swap(true, Ordering::SeqCst) {
            return Fault::Lose;
        }
        flaky(request, new_requests)
    });
    let env = TestEnv::new();
    env.write("idp.toml", &manifest(&proxy.url()));

    let first = provision(&env);
    assert_eq!(first.code, 0, "{}", first.snapshot());
    assert!(
        proxy.faults() >= 5,
        "{} faults in {} requests",
        proxy.faults(),
        proxy.requests()
    );
    assert!(
        secret_lost.load(Ordering::SeqCst),
        "a CreateSecret answer was lost"
    );
    assert_one_of_each(&moto);

    let faults = proxy.faults();
    seen.lock().unwrap().clear();
    let again = provision(&env);
    assert_eq!(again.code, 0, "{}", again.snapshot());
    assert!(again.stderr.contains("No changes"), "{}", again.snapshot());
    assert!(proxy.faults() > faults, "the rerun met faults too");
    assert_one_of_each(&moto);
}

#[test]
fn a_failure_that_cannot_be_retried_names_the_resource_action_and_message() {
    let moto = MotoServer::start();
    let proxy = FaultProxy::start(moto.port, |request| {
        if request.action() == "CreateRepository" {
            fault_proxy::error(
                request,
                400,
                "InvalidParameterException",
                "repository names under shop/ are frozen by an administrator",
            )
        } else {
            Fault::Forward
        }
    });
    let env = TestEnv::new();
    env.write("idp.toml", &manifest(&proxy.url()));

    let failed = provision(&env);
    assert_eq!(failed.code, 1, "{}", failed.snapshot());
    for wanted in [
        "images",
        "CreateRepository",
        "InvalidParameterException",
        "repository names under shop/ are frozen by an administrator",
    ] {
        assert!(
            failed.stderr.contains(wanted),
            "{wanted}: {}",
            failed.snapshot()
        );
    }
    assert_eq!(proxy.faults(), 1, "a 400 is not retried");
    assert!(
        failed
            .stderr
            .contains("skipped because what they need failed: `app`"),
        "{}",
        failed.snapshot()
    );

    let repositories = moto.aws(&["ecr", "describe-repositories"]);
    assert_eq!(count(&repositories, "repositories"), 0);
    let instances = moto.aws(&["rds", "describe-db-instances"]);
    assert_eq!(count(&instances, "DBInstances"), 1, "the database was made");

    let state: serde_json::Value = serde_json::from_str(&crate::support::read(
        env.project().join(".idp/state/bench.json"),
    ))
    .unwrap();
    let status = |resource: &str| state["resources"][resource]["status"].clone();
    assert_eq!(status("db"), "ready", "what succeeded is recorded: {state}");
    assert_eq!(status("db-access"), "ready", "{state}");
    assert_eq!(
        state["resources"]["db"]["outputs"]["instance"], "shop-bench-db",
        "{state}"
    );
    assert_ne!(status("images"), "ready", "{state}");
    // The role's policy names the repository's ARN, so it waits for a repository that never came.
    assert_ne!(status("app"), "ready", "{state}");
}

#[test]
fn a_create_whose_answer_was_lost_is_adopted_in_the_same_run() {
    // Each create reaches AWS but its answer never comes back, once: the client's retry meets
    // "already exists", and idp must adopt what its own first attempt made (it carries the marker).
    let moto = MotoServer::start();
    let lost: Arc<Mutex<HashSet<String>>> = Arc::new(Mutex::new(HashSet::new()));
    let lost_by_proxy = lost.clone();
    let proxy = FaultProxy::start(moto.port, move |request| {
        let action = request.action();
        let creates = [
            "CreateRepository",
            "CreateRole",
            "CreateSecurityGroup",
            "CreateDBInstance",
            "AuthorizeSecurityGroupIngress",
        ];
        if creates.contains(&action.as_str()) && lost_by_proxy.lock().unwrap().insert(action) {
            return Fault::Lose;
        }
        Fault::Forward
    });
    let env = TestEnv::new();
    env.write("idp.toml", &manifest(&proxy.url()));
    let outcome = provision(&env);
    assert_eq!(outcome.code, 0, "{}", outcome.snapshot());
    assert_eq!(
        lost.lock().unwrap().len(),
        5,
        "every create lost its first answer: {:?}",
        lost.lock().unwrap()
    );
    assert_one_of_each(&moto);
    let again = provision(&env);
    assert!(again.stderr.contains("No changes"), "{}", again.snapshot());
}

//! Team state: `state = "s3://…"` keeps an environment's state in S3 with a lock in DynamoDB, so
//! another checkout sees it and two runs never change it at once. Read back with the `aws` CLI.

use std::process::{Command, Stdio};

use crate::support::TestEnv;
use crate::support::moto::{MotoServer, idp_aws as idp};

fn manifest(moto: &MotoServer) -> String {
    format!(
        r#"[project]
name = "shop"
team = "shop-team"
owner = "owner@example.com"

[environments.prod]
provider = "aws"
region = "us-east-1"
endpoint_url = "{}"
state = "s3://team-state/shop"

[resources.db]
type = "postgres"
version = "16"
backup_retention_days = 14
deletion_protection = true

[resources.images]
type = "registry"
"#,
        moto.url()
    )
}

fn checkout(moto: &MotoServer) -> TestEnv {
    let env = TestEnv::new();
    env.write("idp.toml", &manifest(moto));
    env
}

#[test]
fn state_in_s3_is_versioned_encrypted_and_shared_by_another_checkout() {
    let moto = MotoServer::start();
    let env = checkout(&moto);
    let first = idp(&env, &["provision", "--env", "prod"]);
    assert_eq!(first.code, 0, "{}", first.snapshot());
    assert!(
        !env.project().join(".idp/state/prod.json").exists(),
        "no local state file"
    );

    let downloaded = env.root().join("prod.json");
    let object = moto.aws(&[
        "s3api",
        "get-object",
        "--bucket",
        "team-state",
        "--key",
        "shop/prod.json",
        downloaded.to_str().unwrap(),
    ]);
    assert_eq!(object["ServerSideEncryption"], "AES256", "{object}");
    let state: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&downloaded).unwrap()).unwrap();
    assert_eq!(state["resources"]["db"]["status"], "ready", "{state}");
    assert_eq!(state["resources"]["images"]["status"], "ready", "{state}");
    let versioning = moto.aws(&["s3api", "get-bucket-versioning", "--bucket", "team-state"]);
    assert_eq!(versioning["Status"], "Enabled");
    let encryption = moto.aws(&["s3api", "get-bucket-encryption", "--bucket", "team-state"]);
    assert_eq!(
        encryption["ServerSideEncryptionConfiguration"]["Rules"][0]["ApplyServerSideEncryptionByDefault"]
            ["SSEAlgorithm"],
        "AES256"
    );
    // The lock was released.
    let locks = moto.aws(&["dynamodb", "scan", "--table-name", "idp-locks"]);
    assert_eq!(locks["Count"], 0, "{locks}");

    // A teammate's checkout: same idp.toml, nothing local.
    let teammate = checkout(&moto);
    let status = idp(&teammate, &["status", "--env", "prod"]);
    assert_eq!(status.code, 0, "{}", status.snapshot());
    for name in ["db", "images"] {
        assert!(
            status
                .stdout
                .lines()
                .any(|l| l.trim_start().starts_with(name) && l.contains("ready")),
            "{}",
            status.snapshot()
        );
    }
    let again = idp(&teammate, &["provision", "--env", "prod"]);
    assert_eq!(again.code, 0, "{}", again.snapshot());
    assert!(again.stderr.contains("No changes"), "{}", again.snapshot());
    assert!(!teammate.project().join(".idp/state/prod.json").exists());
}

#[test]
fn two_provisions_on_s3_state_take_turns() {
    let moto = MotoServer::start();
    let (one, two) = (checkout(&moto), checkout(&moto));
    let spawn = |env: &TestEnv| {
        let mut command = Command::new(assert_cmd::cargo::cargo_bin("idp"));
        env.seal_std(&mut command);
        command
            .args(["provision", "--env", "prod"])
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .current_dir(env.project())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(&one), spawn(&two));
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    let stderr = |o: &std::process::Output| String::from_utf8_lossy(&o.stderr).to_string();
    assert!(
        a.status.success() && b.status.success(),
        "{}\n{}",
        stderr(&a),
        stderr(&b)
    );
    assert!(
        [&a, &b]
            .iter()
            .any(|o| stderr(o).contains("waiting for another idp")),
        "one waited for the other:\n{}\n{}",
        stderr(&a),
        stderr(&b)
    );
    assert!(
        [&a, &b].iter().any(|o| stderr(o).contains("No changes")),
        "the second found nothing to do:\n{}\n{}",
        stderr(&a),
        stderr(&b)
    );
    let instances = moto.aws(&["rds", "describe-db-instances"]);
    assert_eq!(instances["DBInstances"].as_array().unwrap().len(), 1);
    let repositories = moto.aws(&["ecr", "describe-repositories"]);
    assert_eq!(repositories["repositories"].as_array().unwrap().len(), 1);
}

/// Puts the lock item an idp on another machine left when it died.
fn put_dead_holders_lock(moto: &MotoServer, since: u64, lease_seconds: u64) {
    let item = serde_json::json!({
        "id": {"S": "team-state/shop/prod"},
        "owner": {"S": "4242@ci-runner-7"},
        "operation": {"S": "idp provision"},
        "since": {"N": since.to_string()},
        "lease_seconds": {"N": lease_seconds.to_string()},
        "renewals": {"N": "0"},
    });
    moto.aws(&[
        "dynamodb",
        "put-item",
        "--table-name",
        "idp-locks",
        "--item",
        &item.to_string(),
    ]);
}

#[test]
fn a_dead_holders_lock_blocks_until_unlocked() {
    let moto = MotoServer::start();
    let env = checkout(&moto);
    let first = idp(&env, &["provision", "--env", "prod"]);
    assert_eq!(first.code, 0, "{}", first.snapshot());

    // An idp on another machine died holding the lock; its lease is an hour.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    put_dead_holders_lock(&moto, now - 30, 3600);

    let blocked = idp(&env, &["provision", "--env", "prod", "--lock-timeout", "1"]);
    assert_eq!(blocked.code, 1, "{}", blocked.snapshot());
    assert!(
        blocked
            .stderr
            .contains("locked by idp (pid 4242 on ci-runner-7, `idp provision`)")
            && blocked.stderr.contains("idp unlock --env prod"),
        "{}",
        blocked.snapshot()
    );

    // Off a terminal, unlocking needs --yes.
    let refused = idp(&env, &["unlock", "--env", "prod"]);
    assert_eq!(refused.code, 1, "{}", refused.snapshot());
    assert!(
        refused.stderr.contains("pid 4242 on ci-runner-7")
            && refused.stderr.contains("refusing to remove the lock")
            && refused.stderr.contains("--yes"),
        "{}",
        refused.snapshot()
    );
    let locks = moto.aws(&["dynamodb", "scan", "--table-name", "idp-locks"]);
    assert_eq!(locks["Count"], 1, "the lock is still there");

    let unlocked = idp(&env, &["unlock", "--env", "prod", "--yes"]);
    assert_eq!(unlocked.code, 0, "{}", unlocked.snapshot());
    assert!(
        unlocked.stderr.contains("Removed the lock of `prod`"),
        "{}",
        unlocked.snapshot()
    );
    let locks = moto.aws(&["dynamodb", "scan", "--table-name", "idp-locks"]);
    assert_eq!(locks["Count"], 0, "{locks}");

    let after = idp(&env, &["provision", "--env", "prod", "--lock-timeout", "1"]);
    assert_eq!(after.code, 0, "{}", after.snapshot());
    assert!(after.stderr.contains("No changes"), "{}", after.snapshot());

    // A lock not renewed for its lease is taken over without `idp unlock`, once the waiter has
    // watched it that long: the time it says it was taken is not compared with this clock.
    put_dead_holders_lock(&moto, now + 3600, 1);
    let taken_over = idp(&env, &["provision", "--env", "prod", "--lock-timeout", "5"]);
    assert_eq!(taken_over.code, 0, "{}", taken_over.snapshot());
    let locks = moto.aws(&["dynamodb", "scan", "--table-name", "idp-locks"]);
    assert_eq!(locks["Count"], 0, "released after use: {locks}");
}

#[test]
fn an_unversioned_state_bucket_is_versioned_and_a_suspended_one_refused_before_anything_is_made() {
    // A bucket left unversioned, as a crash between creating and configuring it leaves one.
    let moto = MotoServer::start();
    moto.aws(&["s3api", "create-bucket", "--bucket", "team-state"]);
    let env = checkout(&moto);
    let first = idp(&env, &["provision", "--env", "prod"]);
    assert_eq!(first.code, 0, "{}", first.snapshot());
    let versioning = moto.aws(&["s3api", "get-bucket-versioning", "--bucket", "team-state"]);
    assert_eq!(versioning["Status"], "Enabled", "{versioning}");

    // Someone suspended versioning on another team's bucket: idp leaves that choice to them.
    let other = MotoServer::start();
    other.aws(&["s3api", "create-bucket", "--bucket", "team-state"]);
    other.aws(&[
        "s3api",
        "put-bucket-versioning",
        "--bucket",
        "team-state",
        "--versioning-configuration",
        "Status=Suspended",
    ]);
    let env = checkout(&other);
    let refused = idp(&env, &["provision", "--env", "prod"]);
    assert_eq!(refused.code, 1, "{}", refused.snapshot());
    assert!(
        refused
            .stderr
            .contains("the state bucket `team-state` has versioning suspended")
            && refused
                .stderr
                .contains("put-bucket-versioning --bucket team-state"),
        "{}",
        refused.snapshot()
    );
    let instances = other.aws(&["rds", "describe-db-instances"]);
    assert_eq!(instances["DBInstances"].as_array().unwrap().len(), 0);
    let repositories = other.aws(&["ecr", "describe-repositories"]);
    assert_eq!(repositories["repositories"].as_array().unwrap().len(), 0);
    let versioning = other.aws(&["s3api", "get-bucket-versioning", "--bucket", "team-state"]);
    assert_eq!(
        versioning["Status"], "Suspended",
        "left as its owner set it"
    );
    let locks = other.aws(&["dynamodb", "scan", "--table-name", "idp-locks"]);
    assert_eq!(locks["Count"], 0, "the lock was released: {locks}");
}

//! `idp provision` on the `aws` provider against a real AWS API endpoint (moto), read back through
//! the `aws` CLI rather than idp's own report.

use crate::support::TestEnv;
use crate::support::moto::{MotoServer, aws_manifest, idp_aws};

/// The test manifest, in the prod-like `prod`, keeping 14 days of backups.
fn manifest(moto: &MotoServer, from: &str) -> String {
    aws_manifest("prod", &moto.url(), 14, from)
}

fn provision(env: &TestEnv) -> crate::support::Outcome {
    idp_aws(env, &["provision", "--env", "prod"])
}

/// Reads back the ingress rules of the security group `name`.
fn ingress_rules(moto: &MotoServer, name: &str) -> Vec<serde_json::Value> {
    let groups = moto.aws(&[
        "ec2",
        "describe-security-groups",
        "--filters",
        &format!("Name=group-name,Values={name}"),
    ]);
    groups["SecurityGroups"][0]["IpPermissions"]
        .as_array()
        .unwrap()
        .clone()
}

/// Reads back the policy document idp keeps on the role `role`, as JSON text.
fn role_policy(moto: &MotoServer, role: &str) -> String {
    let policy = moto.aws(&[
        "iam",
        "get-role-policy",
        "--role-name",
        role,
        "--policy-name",
        "idp",
    ]);
    policy["PolicyDocument"].to_string()
}

#[test]
fn provisions_a_secured_footprint_and_a_rerun_changes_nothing() {
    let moto = MotoServer::start();
    let env = TestEnv::new();
    env.write("idp.toml", &manifest(&moto, "10.0.0.0/16"));
    let first = provision(&env);
    assert_eq!(first.code, 0, "{}", first.snapshot());

    let instances = moto.aws(&[
        "rds",
        "describe-db-instances",
        "--db-instance-identifier",
        "shop-prod-db",
    ]);
    let db = &instances["DBInstances"][0];
    assert_eq!(db["StorageEncrypted"], true);
    assert_eq!(db["PubliclyAccessible"], false);
    assert_eq!(db["BackupRetentionPeriod"], 14);
    assert_eq!(db["DeletionProtection"], true);

    let repositories = moto.aws(&[
        "ecr",
        "describe-repositories",
        "--repository-names",
        "shop/images",
    ]);
    assert_eq!(
        repositories["repositories"][0]["imageScanningConfiguration"]["scanOnPush"],
        true
    );

    let rules = ingress_rules(&moto, "shop-prod-db-access");
    assert_eq!(rules.len(), 1, "exactly the declared rule: {rules:?}");
    assert_eq!(rules[0]["IpRanges"][0]["CidrIp"], "10.0.0.0/16");
    assert_eq!(rules[0]["FromPort"], 5432);

    let text = role_policy(&moto, "shop-prod-app");
    assert!(
        text.contains("shop/images")
            && !text.contains("\"Resource\":\"*\",\"Action\":\"ecr:BatchGetImage"),
        "{text}"
    );

    let secret = moto.aws(&[
        "secretsmanager",
        "get-secret-value",
        "--secret-id",
        "idp/shop/prod/db",
    ]);
    let password = secret["SecretString"].as_str().unwrap().to_string();
    assert!(password.len() >= 32);
    assert!(
        !first.stdout.contains(&password) && !first.stderr.contains(&password),
        "the password was printed"
    );
    let state = std::fs::read_to_string(env.project().join(".idp/state/prod.json")).unwrap();
    assert!(
        !state.contains(&password),
        "the password is in the state file"
    );

    // A second run changes nothing (that it makes no mutating call is counted request by request
    // in the provider's own tests, through a proxy); it does look.
    let before = moto.requests();
    let second = provision(&env);
    assert_eq!(second.code, 0, "{}", second.snapshot());
    assert!(second.stderr.contains("No changes"), "{}", second.stderr);
    assert!(moto.requests() > before, "the rerun looked at AWS");
    let instances = moto.aws(&["rds", "describe-db-instances"]);
    assert_eq!(
        instances["DBInstances"].as_array().unwrap().len(),
        1,
        "no duplicate instance"
    );
}

/// The golden path's own manifest, as `idp init` writes it, gets its production footprint in one
/// command; the test only points its `prod` environment at moto.
#[test]
fn a_golden_path_service_gets_its_prod_footprint_in_one_command() {
    let moto = MotoServer::start();
    let env = TestEnv::new();
    let made = env.run(env.idp().args([
        "init",
        "shop",
        "--template",
        "rust-service",
        "--defaults",
        "--no-git",
        "--set",
        "aws_region=us-east-1",
    ]));
    assert_eq!(made.code, 0, "{}", made.snapshot());
    let path = env.project().join("shop/idp.toml");
    let written = std::fs::read_to_string(&path).unwrap();
    let pointed = written.replace(
        "region = \"us-east-1\"\n",
        &format!(
            "region = \"us-east-1\"\nendpoint_url = \"{}\"\n",
            moto.url()
        ),
    );
    assert_ne!(
        pointed, written,
        "the template declares prod on aws:\n{written}"
    );
    std::fs::write(&path, pointed).unwrap();
    let manifest = path.to_str().unwrap();

    let first = idp_aws(
        &env,
        &["--manifest", manifest, "provision", "--env", "prod"],
    );
    assert_eq!(first.code, 0, "{}", first.snapshot());
    let instances = moto.aws(&["rds", "describe-db-instances"]);
    let [db] = instances["DBInstances"].as_array().unwrap().as_slice() else {
        panic!("one database: {instances}");
    };
    assert_eq!(db["DBInstanceIdentifier"], "shop-prod-db");
    assert_eq!(db["StorageEncrypted"], true);
    assert_eq!(db["PubliclyAccessible"], false);
    assert_eq!(db["BackupRetentionPeriod"], 7);
    assert_eq!(db["DeletionProtection"], true);
    let repositories = moto.aws(&["ecr", "describe-repositories"]);
    assert_eq!(
        repositories["repositories"][0]["repositoryName"],
        "shop/images"
    );
    let rules = ingress_rules(&moto, "shop-prod-db-access");
    assert_eq!(rules.len(), 1, "{rules:?}");
    assert_eq!(rules[0]["IpRanges"][0]["CidrIp"], "10.0.0.0/16");
    let secret = moto.aws(&[
        "secretsmanager",
        "describe-secret",
        "--secret-id",
        "idp/shop/prod/db",
    ]);
    let text = role_policy(&moto, "shop-prod-app");
    assert!(
        text.contains("repository/shop/images") && text.contains(secret["ARN"].as_str().unwrap()),
        "{text}"
    );

    let second = idp_aws(
        &env,
        &["--manifest", manifest, "provision", "--env", "prod"],
    );
    assert_eq!(second.code, 0, "{}", second.snapshot());
    assert!(second.stderr.contains("No changes"), "{}", second.stderr);
}

#[test]
fn a_refused_manifest_makes_no_aws_call() {
    let moto = MotoServer::start();
    let env = TestEnv::new();
    env.write("idp.toml", &manifest(&moto, "0.0.0.0/0"));
    let before = moto.requests();
    let refused = provision(&env);
    assert_eq!(refused.code, 3, "{}", refused.snapshot());
    assert_eq!(
        moto.requests(),
        before,
        "a guardrail refusal must not reach AWS"
    );
}

#[test]
fn backup_prints_a_snapshot_that_restore_swaps_in() {
    let moto = MotoServer::start();
    let env = TestEnv::new();
    env.write("idp.toml", &manifest(&moto, "10.0.0.0/16"));
    let provisioned = provision(&env);
    assert_eq!(provisioned.code, 0, "{}", provisioned.snapshot());

    let backup = idp_aws(&env, &["backup", "db", "--env", "prod"]);
    assert_eq!(backup.code, 0, "{}", backup.snapshot());
    let snapshot = backup.stdout.trim();
    assert!(snapshot.starts_with("shop-prod-db-backup-"), "{snapshot}");

    let restored = idp_aws(&env, &["restore", "db", snapshot, "--env", "prod", "--yes"]);
    assert_eq!(restored.code, 0, "{}", restored.snapshot());

    // One instance under the database's name, still protected; the replaced one is gone.
    let instances = moto.aws(&["rds", "describe-db-instances"]);
    let names: Vec<&str> = instances["DBInstances"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|db| db["DBInstanceIdentifier"].as_str())
        .collect();
    assert_eq!(names, ["shop-prod-db"]);
    assert_eq!(instances["DBInstances"][0]["DeletionProtection"], true);
}

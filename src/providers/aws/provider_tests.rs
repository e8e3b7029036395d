//! The `aws` provider against a real `moto_server` (each test its own), verified through the AWS
//! API rather than through idp's outputs. Mutating calls are counted by a pass-through loopback
//! proxy in front of moto.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::manifest::{Environment, Manifest, Resource};
use crate::platform::Platform;
use crate::providers::{DeleteOptions, Observed, Outputs, Provider, ProviderError, Scope, Target};
use crate::state::{RecordedResource, ResourceStatus};

use super::iam::read_document;
use super::provider::AwsProvider;
use crate::aws::client::{Client, Params};
use crate::aws::service::{EC2, ECR, IAM, RDS, SECRETS_MANAGER};
use crate::aws::test_moto::{ACCOUNT, Moto, REGION, static_source};
use crate::aws::test_stub::{Reply, Seen, Stub};
use crate::aws::xml::Element;

const MANIFEST: &str = r#"
[project]
name = "shop"
team = "payments"
owner = "ana@example.com"

[environments.prod]
provider = "aws"
region = "eu-west-1"

[resources.db]
type = "postgres"
version = "16"
backup_retention_days = 14

[resources.images]
type = "registry"
immutable_tags = true

[resources.app]
type = "identity"
grants = ["db:connect", "images:pull"]

[resources.web-in]
type = "network"
allow = [{ from = "10.0.0.0/16", to = "db", port = 5432 }]
"#;

/// The order the engine applies them in: what others refer to first.
const ORDER: [&str; 4] = ["db", "images", "web-in", "app"];

pub(super) struct Fixture {
    pub(super) manifest: Manifest,
    pub(super) platform: Platform,
    environment: Environment,
}

impl Fixture {
    pub(super) fn new() -> Fixture {
        let manifest: Manifest = toml_edit::de::from_str(MANIFEST).unwrap();
        let environment = manifest.environments["prod"].clone();
        Fixture {
            manifest,
            platform: Platform::default(),
            environment,
        }
    }

    pub(super) fn scope(&self) -> Scope<'_> {
        Scope {
            manifest: &self.manifest,
            platform: &self.platform,
            environment_name: "prod",
            environment: &self.environment,
        }
    }

    pub(super) fn resource(&self, name: &str) -> &Resource {
        &self.manifest.resources[name]
    }

    /// Applies every resource in order; returns the outputs by name.
    pub(super) fn apply_all(&self, provider: &AwsProvider) -> BTreeMap<String, Outputs> {
        let mut outputs = BTreeMap::new();
        for name in ORDER {
            let made = self
                .apply(provider, name, &outputs)
                .unwrap_or_else(|e| panic!("applying `{name}`: {e}"));
            outputs.insert(name.to_string(), made);
        }
        outputs
    }

    /// Applies one resource, as new, given its dependencies' outputs.
    pub(super) fn apply(
        &self,
        provider: &AwsProvider,
        name: &str,
        dependencies: &BTreeMap<String, Outputs>,
    ) -> Result<Outputs, ProviderError> {
        let resource = self.resource(name);
        let config = provider.desired(&self.scope(), name, resource);
        let target = Target {
            name,
            resource,
            config: &config,
            recorded: None,
            dependencies,
        };
        provider.apply(&self.scope(), &target, &|_| {})
    }

    fn observe(&self, provider: &AwsProvider, name: &str) -> Observed {
        provider
            .observe(&self.scope(), name, self.resource(name), None)
            .unwrap()
    }

    pub(super) fn recorded(&self, provider: &AwsProvider, name: &str) -> RecordedResource {
        let resource = self.resource(name);
        RecordedResource {
            kind: resource.kind().name().to_string(),
            status: ResourceStatus::Ready,
            config: provider.desired(&self.scope(), name, resource),
            outputs: BTreeMap::new(),
        }
    }
}

pub(super) fn provider_for(moto: &Moto) -> AwsProvider {
    AwsProvider::new(moto.client())
}

/// A provider whose every request goes through a counting pass-through proxy to moto.
pub(super) fn proxied(moto: &Moto) -> (Stub, AwsProvider) {
    let proxy = Stub::start(Vec::new(), Reply::Forward, Some(moto.port));
    let mut config = moto.config();
    config.endpoint_url = Some(proxy.url());
    let client = Client::new(&config, static_source("AKIDMOTOTEST", "moto-test-secret")).unwrap();
    (proxy, AwsProvider::new(client))
}

pub(super) fn rds_instance(client: &Client, identifier: &str) -> Option<Element> {
    let params = Params::new().with("DBInstanceIdentifier", identifier);
    match client.query(&RDS, "DescribeDBInstances", &params) {
        Ok(root) => root
            .list(&["DescribeDBInstancesResult", "DBInstances"])
            .first()
            .map(|e| (*e).clone()),
        Err(e) if e.code() == Some("DBInstanceNotFound") => None,
        Err(e) => panic!("{e}"),
    }
}

/// The IDs of the security groups attached to an RDS instance.
pub(super) fn attached_groups(client: &Client, identifier: &str) -> Vec<String> {
    let db = rds_instance(client, identifier).expect("the instance exists");
    db.list(&["VpcSecurityGroups"])
        .iter()
        .filter_map(|g| g.text_at(&["VpcSecurityGroupId"]))
        .map(str::to_string)
        .collect()
}

pub(super) fn security_group(client: &Client, name: &str) -> Option<Element> {
    let params = Params::new()
        .with("Filter.1.Name", "group-name")
        .with("Filter.1.Value.1", name);
    let root = client
        .query(&EC2, "DescribeSecurityGroups", &params)
        .unwrap();
    root.list(&["securityGroupInfo"])
        .first()
        .map(|e| (*e).clone())
}

/// Changes an instance's backup retention behind idp's back.
pub(super) fn set_retention(client: &Client, identifier: &str, days: u32) {
    let params = Params::new()
        .with("DBInstanceIdentifier", identifier)
        .with("BackupRetentionPeriod", days.to_string())
        .with("ApplyImmediately", "true");
    client.query(&RDS, "ModifyDBInstance", &params).unwrap();
}

/// The trust policy of a role, as IAM returns it.
pub(super) fn trust_policy_of(client: &Client, role: &str) -> String {
    let found = client
        .query(&IAM, "GetRole", &Params::new().with("RoleName", role))
        .unwrap();
    found
        .text_at(&["GetRoleResult", "Role", "AssumeRolePolicyDocument"])
        .unwrap()
        .to_string()
}

/// The lifecycle policy of a repository.
pub(super) fn lifecycle_policy_of(client: &Client, repository: &str) -> Value {
    let found = client
        .json(
            &ECR,
            "GetLifecyclePolicy",
            &json!({"repositoryName": repository}),
        )
        .unwrap();
    serde_json::from_str(found["lifecyclePolicyText"].as_str().unwrap()).unwrap()
}

/// The ingress rules of a group, as `tcp:5432:10.0.0.0/16`.
fn ingress(group: &Element) -> Vec<String> {
    let mut rules = Vec::new();
    for permission in group.list(&["ipPermissions"]) {
        for range in permission.list(&["ipRanges"]) {
            rules.push(format!(
                "{}:{}:{}",
                permission.text_at(&["ipProtocol"]).unwrap_or(""),
                permission.text_at(&["fromPort"]).unwrap_or(""),
                range.text_at(&["cidrIp"]).unwrap_or("")
            ));
        }
    }
    rules.sort();
    rules
}

pub(super) fn authorize(client: &Client, group_id: &str, port: u16, cidr: &str) {
    let params = Params::new()
        .with("GroupId", group_id)
        .with("IpPermissions.1.IpProtocol", "tcp")
        .with("IpPermissions.1.FromPort", port.to_string())
        .with("IpPermissions.1.ToPort", port.to_string())
        .with("IpPermissions.1.IpRanges.1.CidrIp", cidr);
    client
        .query(&EC2, "AuthorizeSecurityGroupIngress", &params)
        .unwrap();
}

/// The AWS action of a request the proxy saw: `Action=` of the query protocol, or the JSON
/// protocol's `X-Amz-Target`.
pub(super) fn action_of(seen: &Seen) -> String {
    if let Some(target) = seen.header("x-amz-target") {
        return target.rsplit('.').next().unwrap_or(target).to_string();
    }
    let body = String::from_utf8_lossy(&seen.body);
    body.split('&')
        .find_map(|pair| pair.strip_prefix("Action="))
        .unwrap_or("?")
        .to_string()
}

fn is_read(action: &str) -> bool {
    ["Describe", "Get", "List"]
        .iter()
        .any(|prefix| action.starts_with(prefix))
}

#[test]
fn provisions_each_kind_and_reads_back_through_the_api() {
    let moto = Moto::start();
    let provider = provider_for(&moto);
    let fixture = Fixture::new();
    let outputs = fixture.apply_all(&provider);
    let client = moto.client();

    // RDS: encrypted, private, the retention asked, tagged with the marker.
    let db = rds_instance(&client, "shop-prod-db").expect("the instance exists");
    assert_eq!(db.text_at(&["StorageEncrypted"]), Some("true"));
    assert_eq!(db.text_at(&["PubliclyAccessible"]), Some("false"));
    assert_eq!(db.text_at(&["BackupRetentionPeriod"]), Some("14"));
    assert_eq!(db.text_at(&["Engine"]), Some("postgres"));
    assert_eq!(db.text_at(&["DBInstanceClass"]), Some("db.t4g.micro"));
    let listed = client
        .query(
            &RDS,
            "ListTagsForResource",
            &Params::new().with("ResourceName", db.text_at(&["DBInstanceArn"]).unwrap()),
        )
        .unwrap();
    let tags: Vec<(String, String)> = listed
        .list(&["ListTagsForResourceResult", "TagList"])
        .iter()
        .map(|t| {
            (
                t.text_at(&["Key"]).unwrap().to_string(),
                t.text_at(&["Value"]).unwrap().to_string(),
            )
        })
        .collect();
    for expected in [
        ("idp:owner", "shop/prod/db"),
        ("project", "shop"),
        ("team", "payments"),
        ("owner", "ana@example.com"),
        ("environment", "prod"),
    ] {
        assert!(
            tags.contains(&(expected.0.to_string(), expected.1.to_string())),
            "{expected:?} in {tags:?}"
        );
    }

    // The secret holds a password, which no output repeats.
    let (secret_arn, password) = secret_value(&client);
    assert!(password.len() >= 32);
    assert_eq!(outputs["db"]["secret_arn"], secret_arn);
    let everything = format!("{outputs:?}");
    assert!(!everything.contains(&password));
    for key in ["host", "port", "database", "user", "secret_arn"] {
        assert!(outputs["db"].contains_key(key), "{key}");
    }

    // ECR: scan on push, immutable tags, the lifecycle policy.
    let repositories = client
        .json(
            &ECR,
            "DescribeRepositories",
            &json!({"repositoryNames": ["shop/images"]}),
        )
        .unwrap();
    let repository = &repositories["repositories"][0];
    assert_eq!(repository["imageTagMutability"], "IMMUTABLE");
    assert_eq!(repository["imageScanningConfiguration"]["scanOnPush"], true);
    let lifecycle = lifecycle_policy_of(&client, "shop/images");
    assert_eq!(
        lifecycle["rules"][0]["selection"]["countNumber"],
        Platform::default().aws.registry_keep_images
    );

    // The security group has exactly the declared rule.
    let group = security_group(&client, "shop-prod-web-in").expect("the group exists");
    assert_eq!(ingress(&group), ["tcp:5432:10.0.0.0/16"]);
    // … and is attached to the database its rule reaches.
    let attached = attached_groups(&client, "shop-prod-db");
    assert!(
        attached
            .iter()
            .any(|g| g == group.text_at(&["groupId"]).unwrap()),
        "{attached:?}"
    );

    // IAM: the inline policy names only this manifest's ARNs, and `*` only for the one action
    // AWS does not scope.
    let trust = trust_policy_of(&client, "shop-prod-app");
    assert!(trust.contains("ecs-tasks.amazonaws.com"), "{trust}");
    let policy = client
        .query(
            &IAM,
            "GetRolePolicy",
            &Params::new()
                .with("RoleName", "shop-prod-app")
                .with("PolicyName", "idp"),
        )
        .unwrap();
    let text = policy
        .text_at(&["GetRolePolicyResult", "PolicyDocument"])
        .unwrap();
    // IAM returns the document URL-encoded.
    let document = read_document(text).expect("a JSON policy document");
    let resource_id = db.text_at(&["DbiResourceId"]).unwrap();
    let allowed = [
        format!("arn:aws:ecr:{REGION}:{ACCOUNT}:repository/shop/images"),
        format!("arn:aws:rds-db:{REGION}:{ACCOUNT}:dbuser:{resource_id}/shop_prod_app"),
        secret_arn.clone(),
    ];
    let mut named = Vec::new();
    let mut actions = Vec::new();
    for statement in document["Statement"].as_array().unwrap() {
        let statement_actions: Vec<&str> = statement["Action"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        for resource in statement["Resource"].as_array().unwrap() {
            let resource = resource.as_str().unwrap();
            if resource == "*" {
                assert_eq!(statement_actions, ["ecr:GetAuthorizationToken"]);
            } else {
                assert!(allowed.iter().any(|a| a == resource), "{resource}");
                named.push(resource.to_string());
            }
        }
        actions.extend(statement_actions);
    }
    named.sort();
    let mut expected = allowed.to_vec();
    expected.sort();
    assert_eq!(named, expected);
    for action in [
        "ecr:BatchGetImage",
        "ecr:GetDownloadUrlForLayer",
        "ecr:BatchCheckLayerAvailability",
        "ecr:GetAuthorizationToken",
        "rds-db:connect",
        "secretsmanager:GetSecretValue",
    ] {
        assert!(actions.contains(&action), "{action}");
    }
    assert!(!actions.contains(&"ecr:PutImage"), "pull only");

    for name in ORDER {
        assert_eq!(
            fixture.observe(&provider, name),
            Observed::Present { drift: Vec::new() },
            "{name}"
        );
    }
}

#[test]
fn second_apply_makes_no_mutating_call() {
    let moto = Moto::start();
    let (proxy, provider) = proxied(&moto);
    let fixture = Fixture::new();
    fixture.apply_all(&provider);
    let first = proxy.seen().len();
    assert!(
        proxy
            .seen()
            .iter()
            .any(|s| action_of(s) == "CreateDBInstance")
    );

    fixture.apply_all(&provider);
    let again: Vec<String> = proxy.seen()[first..].iter().map(action_of).collect();
    assert!(!again.is_empty());
    let mutating: Vec<&String> = again.iter().filter(|a| !is_read(a)).collect();
    assert!(
        mutating.is_empty(),
        "mutating calls on a re-run: {mutating:?}"
    );
}

#[test]
fn ingress_rule_added_outside_idp_is_drift_and_removed() {
    let moto = Moto::start();
    let provider = provider_for(&moto);
    let fixture = Fixture::new();
    fixture.apply_all(&provider);
    let client = moto.client();
    let group = security_group(&client, "shop-prod-web-in").unwrap();
    let id = group.text_at(&["groupId"]).unwrap().to_string();
    authorize(&client, &id, 22, "0.0.0.0/0");

    let Observed::Present { drift } = fixture.observe(&provider, "web-in") else {
        panic!("the group is ours");
    };
    assert_eq!(
        drift,
        ["ingress rule added outside idp: tcp port 22 from 0.0.0.0/0"]
    );

    fixture.apply_all(&provider);
    let group = security_group(&client, "shop-prod-web-in").unwrap();
    assert_eq!(ingress(&group), ["tcp:5432:10.0.0.0/16"]);
    assert_eq!(
        fixture.observe(&provider, "web-in"),
        Observed::Present { drift: Vec::new() }
    );
}

#[test]
fn changed_retention_is_drift_and_put_back() {
    let moto = Moto::start();
    let provider = provider_for(&moto);
    let fixture = Fixture::new();
    fixture.apply_all(&provider);
    let client = moto.client();
    set_retention(&client, "shop-prod-db", 1);
    let Observed::Present { drift } = fixture.observe(&provider, "db") else {
        panic!("the instance is ours");
    };
    assert_eq!(drift, ["backup retention is 1 days instead of 14"]);
    // Drift is measured against what was applied: a record saying 1 day sees none.
    let mut recorded = fixture.recorded(&provider, "db");
    recorded.config["backup_retention_days"] = 1.into();
    assert_eq!(
        provider
            .observe(
                &fixture.scope(),
                "db",
                fixture.resource("db"),
                Some(&recorded)
            )
            .unwrap(),
        Observed::Present { drift: Vec::new() }
    );
    fixture.apply_all(&provider);
    let db = rds_instance(&client, "shop-prod-db").unwrap();
    assert_eq!(db.text_at(&["BackupRetentionPeriod"]), Some("14"));
}

#[test]
fn changed_retention_class_and_storage_are_applied_in_place() {
    let moto = Moto::start();
    let provider = provider_for(&moto);
    let mut fixture = Fixture::new();
    fixture.apply_all(&provider);
    let client = moto.client();
    let before = rds_instance(&client, "shop-prod-db").unwrap();
    let recorded = fixture.recorded(&provider, "db");

    let Some(Resource::Postgres(postgres)) = fixture.manifest.resources.get_mut("db") else {
        panic!("`db` is a postgres resource");
    };
    postgres.backup_retention_days = 21;
    postgres.size = crate::manifest::SizeClass::Medium;
    postgres.storage_gb *= 2;
    let storage = postgres.storage_gb.to_string();
    let scope = fixture.scope();
    let resource = fixture.resource("db");
    let config = provider.desired(&scope, "db", resource);
    assert!(
        provider
            .replaced_by("postgres", &recorded.config, &config)
            .is_empty(),
        "all of these change in place"
    );
    let target = Target {
        name: "db",
        resource,
        config: &config,
        recorded: Some(&recorded),
        dependencies: &BTreeMap::new(),
    };
    provider.apply(&scope, &target, &|_| {}).unwrap();

    let after = rds_instance(&client, "shop-prod-db").unwrap();
    let class = &fixture.platform.sizes.aws.medium.instance_class;
    assert_eq!(after.text_at(&["BackupRetentionPeriod"]), Some("21"));
    assert_eq!(after.text_at(&["DBInstanceClass"]), Some(class.as_str()));
    assert_eq!(after.text_at(&["AllocatedStorage"]), Some(storage.as_str()));
    assert_eq!(
        after.text_at(&["InstanceCreateTime"]),
        before.text_at(&["InstanceCreateTime"]),
        "the same instance, not a new one"
    );
    assert_eq!(count_instances_and_secrets(&client).0, 1);
}

#[test]
fn what_idp_did_not_make_is_foreign_and_left_alone() {
    let moto = Moto::start();
    let provider = provider_for(&moto);
    let fixture = Fixture::new();
    let client = moto.client();
    client
        .json(
            &ECR,
            "CreateRepository",
            &json!({"repositoryName": "shop/images"}),
        )
        .unwrap();
    assert!(matches!(
        fixture.observe(&provider, "images"),
        Observed::Foreign { .. }
    ));
    let scope = fixture.scope();
    let resource = fixture.resource("images");
    let config = provider.desired(&scope, "images", resource);
    let error = provider
        .apply(
            &scope,
            &Target {
                name: "images",
                resource,
                config: &config,
                recorded: None,
                dependencies: &BTreeMap::new(),
            },
            &|_| {},
        )
        .unwrap_err();
    assert!(error.message.contains("idp did not make"), "{error}");
    assert_eq!(fixture.observe(&provider, "db"), Observed::Missing);
}

fn secret_value(client: &Client) -> (String, String) {
    let secret = client
        .json(
            &SECRETS_MANAGER,
            "GetSecretValue",
            &json!({"SecretId": "idp/shop/prod/db"}),
        )
        .unwrap();
    let value: Value = serde_json::from_str(secret["SecretString"].as_str().unwrap()).unwrap();
    (
        secret["ARN"].as_str().unwrap().to_string(),
        value["password"].as_str().unwrap().to_string(),
    )
}

fn count_instances_and_secrets(client: &Client) -> (usize, usize) {
    let instances = client
        .query(&RDS, "DescribeDBInstances", &Params::new())
        .unwrap();
    let secrets = client
        .json(&SECRETS_MANAGER, "ListSecrets", &json!({}))
        .unwrap();
    (
        instances
            .list(&["DescribeDBInstancesResult", "DBInstances"])
            .len(),
        secrets["SecretList"].as_array().unwrap().len(),
    )
}

#[test]
fn a_rerun_after_a_crash_between_secret_and_instance_adopts_the_secret() {
    let moto = Moto::start();
    let fixture = Fixture::new();
    fixture.apply_all(&provider_for(&moto));
    let client = moto.client();
    let (arn, password) = secret_value(&client);
    // What a crash after CreateSecret and before CreateDBInstance leaves: the secret alone.
    client
        .query(
            &RDS,
            "DeleteDBInstance",
            &Params::new()
                .with("DBInstanceIdentifier", "shop-prod-db")
                .with("SkipFinalSnapshot", "true"),
        )
        .unwrap();
    assert_eq!(count_instances_and_secrets(&client), (0, 1));

    // A new process finds the secret by name and marker and makes the instance with its password.
    fixture.apply_all(&provider_for(&moto));
    assert_eq!(count_instances_and_secrets(&client), (1, 1));
    assert_eq!(secret_value(&client), (arn, password));
    assert_eq!(
        fixture.observe(&provider_for(&moto), "db"),
        Observed::Present { drift: Vec::new() }
    );
}

#[test]
fn an_instance_that_lost_its_secret_gets_a_new_password() {
    let moto = Moto::start();
    let (proxy, provider) = proxied(&moto);
    let fixture = Fixture::new();
    fixture.apply_all(&provider);
    let client = moto.client();
    let (_, old_password) = secret_value(&client);
    client
        .json(
            &SECRETS_MANAGER,
            "DeleteSecret",
            &json!({"SecretId": "idp/shop/prod/db", "ForceDeleteWithoutRecovery": true}),
        )
        .unwrap();
    let before = proxy.seen().len();

    fixture.apply_all(&provider);
    assert_eq!(count_instances_and_secrets(&client), (1, 1));
    let (_, new_password) = secret_value(&client);
    assert_ne!(new_password, old_password);
    let actions: Vec<String> = proxy.seen()[before..].iter().map(action_of).collect();
    assert!(
        actions.contains(&"ModifyDBInstance".to_string()),
        "{actions:?}"
    );
    assert!(
        !actions.contains(&"CreateDBInstance".to_string()),
        "{actions:?}"
    );
}

#[test]
fn delete_removes_everything() {
    let moto = Moto::start();
    let provider = provider_for(&moto);
    let fixture = Fixture::new();
    fixture.apply_all(&provider);
    let scope = fixture.scope();
    let backup_dir = tempfile::tempdir().unwrap();
    let options = DeleteOptions {
        final_backup: true,
        backup_dir: backup_dir.path().to_path_buf(),
    };
    let client = moto.client();
    let group_id = security_group(&client, "shop-prod-web-in")
        .unwrap()
        .text_at(&["groupId"])
        .unwrap()
        .to_string();
    let mut backup = None;
    for name in ["web-in", "app", "images", "db"] {
        let recorded = fixture.recorded(&provider, name);
        let deleted = provider
            .delete(&scope, name, &recorded, &options, &|_| {})
            .unwrap_or_else(|e| panic!("deleting `{name}`: {e}"));
        if name == "db" {
            backup = deleted.backup;
        }
        if name == "web-in" {
            // Detached from the database before it was deleted.
            let attached = attached_groups(&client, "shop-prod-db");
            assert!(!attached.contains(&group_id), "{attached:?}");
        }
        assert_eq!(
            fixture.observe(&provider, name),
            Observed::Missing,
            "{name}"
        );
    }
    assert!(rds_instance(&client, "shop-prod-db").is_none());
    assert!(security_group(&client, "shop-prod-web-in").is_none());
    let error = client
        .query(
            &IAM,
            "GetRole",
            &Params::new().with("RoleName", "shop-prod-app"),
        )
        .unwrap_err();
    assert_eq!(error.code(), Some("NoSuchEntity"));
    let error = client
        .json(
            &ECR,
            "DescribeRepositories",
            &json!({"repositoryNames": ["shop/images"]}),
        )
        .unwrap_err();
    assert_eq!(error.code(), Some("RepositoryNotFoundException"));
    // The secret is scheduled for deletion, kept while the final snapshot may need it.
    let secret = client
        .json(
            &SECRETS_MANAGER,
            "DescribeSecret",
            &json!({"SecretId": "idp/shop/prod/db"}),
        )
        .unwrap();
    assert!(!secret["DeletedDate"].is_null());
    let snapshot = backup.expect("a final snapshot").display().to_string();
    let snapshots = client
        .query(
            &RDS,
            "DescribeDBSnapshots",
            &Params::new().with("DBSnapshotIdentifier", &snapshot),
        )
        .unwrap();
    assert_eq!(
        snapshots
            .list(&["DescribeDBSnapshotsResult", "DBSnapshots"])
            .len(),
        1
    );

    // Deleting what is gone succeeds.
    let recorded = fixture.recorded(&provider, "db");
    provider
        .delete(&scope, "db", &recorded, &options, &|_| {})
        .unwrap();
}

#[test]
fn backup_takes_an_rds_snapshot() {
    let moto = Moto::start();
    let provider = provider_for(&moto);
    let fixture = Fixture::new();
    fixture.apply_all(&provider);
    let scope = fixture.scope();
    let dir = tempfile::tempdir().unwrap();
    let snapshot = provider
        .backup(
            &scope,
            "db",
            &fixture.recorded(&provider, "db"),
            dir.path(),
            &|_| {},
        )
        .unwrap();
    let snapshots = moto
        .client()
        .query(
            &RDS,
            "DescribeDBSnapshots",
            &Params::new().with("DBSnapshotIdentifier", snapshot.display().to_string()),
        )
        .unwrap();
    assert_eq!(
        snapshots
            .list(&["DescribeDBSnapshotsResult", "DBSnapshots"])
            .len(),
        1
    );
}

#[test]
fn delete_without_a_final_backup_skips_the_snapshot_and_the_secret() {
    let moto = Moto::start();
    let provider = provider_for(&moto);
    let fixture = Fixture::new();
    fixture.apply_all(&provider);
    let backup_dir = tempfile::tempdir().unwrap();
    let options = DeleteOptions {
        final_backup: false,
        backup_dir: backup_dir.path().to_path_buf(),
    };
    let deleted = provider
        .delete(
            &fixture.scope(),
            "db",
            &fixture.recorded(&provider, "db"),
            &options,
            &|_| {},
        )
        .unwrap();
    assert_eq!(deleted.backup, None);
    let client = moto.client();
    assert_eq!(count_instances_and_secrets(&client), (0, 0));
    let snapshots = client
        .query(&RDS, "DescribeDBSnapshots", &Params::new())
        .unwrap();
    assert!(
        snapshots
            .list(&["DescribeDBSnapshotsResult", "DBSnapshots"])
            .is_empty()
    );
}

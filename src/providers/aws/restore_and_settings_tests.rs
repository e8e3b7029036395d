//! The `aws` provider's restore of an RDS snapshot and its `[aws]` platform settings, against a
//! real `moto_server`, verified through the AWS API.

use crate::providers::Provider;

use super::provider::MARKER_TAG;
use super::provider_tests::{
    Fixture, attached_groups, lifecycle_policy_of, provider_for, rds_instance, security_group,
    set_retention, trust_policy_of,
};
use super::rds_restore::{REPLACES_TAG, SNAPSHOT_TAG};
use crate::aws::client::{Client, Params};
use crate::aws::service::{EC2, RDS};
use crate::aws::test_moto::{Moto, REGION};
use crate::aws::xml::Element;

/// The identifiers of every RDS instance.
fn instances(client: &Client) -> Vec<String> {
    let root = client
        .query(&RDS, "DescribeDBInstances", &Params::new())
        .unwrap();
    let mut names: Vec<String> = root
        .list(&["DescribeDBInstancesResult", "DBInstances"])
        .iter()
        .filter_map(|i| i.text_at(&["DBInstanceIdentifier"]))
        .map(str::to_string)
        .collect();
    names.sort();
    names
}

fn snapshots(client: &Client) -> Vec<String> {
    let root = client
        .query(&RDS, "DescribeDBSnapshots", &Params::new())
        .unwrap();
    root.list(&["DescribeDBSnapshotsResult", "DBSnapshots"])
        .iter()
        .filter_map(|s| s.text_at(&["DBSnapshotIdentifier"]))
        .map(str::to_string)
        .collect()
}

fn instance_tags(client: &Client, db: &Element) -> Vec<(String, String)> {
    let arn = db.text_at(&["DBInstanceArn"]).unwrap();
    let root = client
        .query(
            &RDS,
            "ListTagsForResource",
            &Params::new().with("ResourceName", arn),
        )
        .unwrap();
    root.list(&["ListTagsForResourceResult", "TagList"])
        .iter()
        .filter_map(|t| Some((t.text_at(&["Key"])?.into(), t.text_at(&["Value"])?.into())))
        .collect()
}

#[test]
fn restore_swaps_in_an_instance_made_from_the_snapshot() {
    let moto = Moto::start();
    let provider = provider_for(&moto);
    let fixture = Fixture::new();
    fixture.apply_all(&provider);
    let scope = fixture.scope();
    let client = moto.client();
    let groups_before = attached_groups(&client, "shop-prod-db");
    let recorded = fixture.recorded(&provider, "db");
    let dir = tempfile::tempdir().unwrap();
    let snapshot = provider
        .backup(&scope, "db", &recorded, dir.path(), &|_| {})
        .unwrap();

    // Something observable changes after the snapshot: the retention, which the restore puts
    // back from the recorded settings.
    set_retention(&client, "shop-prod-db", 3);

    provider
        .restore(&scope, "db", &recorded, &snapshot, &|_| {})
        .unwrap();

    // One instance, under the database's identifier; the replaced one went with a final
    // snapshot, the temporary name is gone.
    assert_eq!(instances(&client), ["shop-prod-db"]);
    let taken = snapshots(&client);
    assert!(
        taken
            .iter()
            .any(|s| s.starts_with("shop-prod-db-replaced-") && s.ends_with("-final")),
        "{taken:?}"
    );
    let db = rds_instance(&client, "shop-prod-db").unwrap();
    assert_eq!(db.text_at(&["DBInstanceStatus"]), Some("available"));
    assert_eq!(db.text_at(&["StorageEncrypted"]), Some("true"));
    assert_eq!(db.text_at(&["PubliclyAccessible"]), Some("false"));
    assert_eq!(db.text_at(&["BackupRetentionPeriod"]), Some("14"));
    assert!(
        instance_tags(&client, &db).contains(&(MARKER_TAG.to_string(), "shop/prod/db".to_string())),
    );
    let groups_after = attached_groups(&client, "shop-prod-db");
    for group in &groups_before {
        assert!(groups_after.contains(group), "{groups_after:?}");
    }
    // The database is adopted as it is: no drift.
    assert!(matches!(
        provider
            .observe(&scope, "db", &fixture.manifest.resources["db"], Some(&recorded))
            .unwrap(),
        crate::providers::Observed::Present { ref drift } if drift.is_empty()
    ));
}

/// Renames an RDS instance.
fn rename(client: &Client, from: &str, to: &str) {
    client
        .query(
            &RDS,
            "ModifyDBInstance",
            &Params::new()
                .with("DBInstanceIdentifier", from)
                .with("NewDBInstanceIdentifier", to)
                .with("ApplyImmediately", "true"),
        )
        .unwrap();
}

/// What a restore leaves when it stops between its two renames: the restored instance under its
/// temporary name, carrying the swap tags, and the database's instance moved aside.
fn stop_a_restore_between_the_renames(client: &Client, snapshot: &str) {
    let restoring = "shop-prod-db-restoring";
    client
        .query(
            &RDS,
            "RestoreDBInstanceFromDBSnapshot",
            &Params::new()
                .with("DBInstanceIdentifier", restoring)
                .with("DBSnapshotIdentifier", snapshot)
                .with("Tags.Tag.1.Key", MARKER_TAG)
                .with("Tags.Tag.1.Value", "shop/prod/db")
                .with("Tags.Tag.2.Key", REPLACES_TAG)
                .with("Tags.Tag.2.Value", "shop-prod-db-replaced-1")
                .with("Tags.Tag.3.Key", SNAPSHOT_TAG)
                .with("Tags.Tag.3.Value", snapshot),
        )
        .unwrap();
    rename(client, "shop-prod-db", "shop-prod-db-replaced-1");
    assert_eq!(
        instances(client),
        ["shop-prod-db-replaced-1", "shop-prod-db-restoring"]
    );
}

/// A database provisioned, backed up, and then restored from that backup until the restore
/// stopped between its renames.
struct StoppedRestore {
    moto: Moto,
    provider: super::provider::AwsProvider,
    fixture: Fixture,
    recorded: crate::state::RecordedResource,
    snapshot: String,
}

impl StoppedRestore {
    fn new() -> StoppedRestore {
        let moto = Moto::start();
        let provider = provider_for(&moto);
        let fixture = Fixture::new();
        fixture.apply_all(&provider);
        let recorded = fixture.recorded(&provider, "db");
        let dir = tempfile::tempdir().unwrap();
        let snapshot = provider
            .backup(&fixture.scope(), "db", &recorded, dir.path(), &|_| {})
            .unwrap()
            .to_string_lossy()
            .into_owned();
        stop_a_restore_between_the_renames(&moto.client(), &snapshot);
        StoppedRestore {
            moto,
            provider,
            fixture,
            recorded,
            snapshot,
        }
    }
}

#[test]
fn a_restore_stopped_midway_blocks_provision_and_a_rerun_finishes_it() {
    let stopped = StoppedRestore::new();
    let StoppedRestore {
        moto,
        provider,
        fixture,
        recorded,
        snapshot,
    } = &stopped;
    let (scope, client) = (fixture.scope(), moto.client());

    // The database's identifier is free, but nothing takes that for a database to create.
    let resource = &fixture.manifest.resources["db"];
    let error = provider
        .observe(&scope, "db", resource, Some(recorded))
        .unwrap_err();
    assert!(error.message.contains("stopped before its end"), "{error}");
    assert_eq!(
        error.hint.as_deref(),
        Some(format!("run `idp restore db {snapshot}` to finish it").as_str())
    );
    let error = fixture
        .apply(provider, "db", &Default::default())
        .unwrap_err();
    assert!(error.message.contains("stopped before its end"), "{error}");
    assert_eq!(
        instances(&client),
        ["shop-prod-db-replaced-1", "shop-prod-db-restoring"]
    );

    // The same restore again finishes the swap, without restoring a second time.
    let steps = std::sync::Mutex::new(Vec::new());
    provider
        .restore(&scope, "db", recorded, snapshot.as_ref(), &|step| {
            steps.lock().unwrap().push(step.to_string())
        })
        .unwrap();
    let steps = steps.into_inner().unwrap();
    assert!(
        steps.iter().any(|s| s.starts_with("finishing the restore")),
        "{steps:?}"
    );
    assert!(
        !steps
            .iter()
            .any(|s| s.starts_with("restoring the snapshot")),
        "{steps:?}"
    );
    assert_eq!(instances(&client), ["shop-prod-db"]);
    assert!(snapshots(&client).contains(&"shop-prod-db-replaced-1-final".to_string()));
    let db = rds_instance(&client, "shop-prod-db").unwrap();
    let tags = instance_tags(&client, &db);
    assert!(
        !tags
            .iter()
            .any(|(k, _)| k == REPLACES_TAG || k == SNAPSHOT_TAG),
        "{tags:?}"
    );
    assert_eq!(db.text_at(&["BackupRetentionPeriod"]), Some("14"));
    assert!(matches!(
        provider
            .observe(&scope, "db", resource, Some(recorded))
            .unwrap(),
        crate::providers::Observed::Present { ref drift } if drift.is_empty()
    ));
}

#[test]
fn a_restore_stopped_before_deleting_the_replaced_instance_is_finished_by_a_rerun() {
    let stopped = StoppedRestore::new();
    let StoppedRestore {
        moto,
        provider,
        fixture,
        recorded,
        snapshot,
    } = &stopped;
    let (scope, client) = (fixture.scope(), moto.client());
    rename(&client, "shop-prod-db-restoring", "shop-prod-db");

    let resource = &fixture.manifest.resources["db"];
    let error = provider
        .observe(&scope, "db", resource, Some(recorded))
        .unwrap_err();
    assert!(error.message.contains("shop-prod-db-replaced-1"), "{error}");
    provider
        .restore(&scope, "db", recorded, snapshot.as_ref(), &|_| {})
        .unwrap();
    assert_eq!(instances(&client), ["shop-prod-db"]);
    assert!(snapshots(&client).contains(&"shop-prod-db-replaced-1-final".to_string()));
    assert!(
        provider
            .observe(&scope, "db", resource, Some(recorded))
            .is_ok()
    );
}

#[test]
fn restore_from_a_missing_snapshot_changes_nothing() {
    let moto = Moto::start();
    let provider = provider_for(&moto);
    let fixture = Fixture::new();
    fixture.apply_all(&provider);
    let client = moto.client();
    let error = provider
        .restore(
            &fixture.scope(),
            "db",
            &fixture.recorded(&provider, "db"),
            std::path::Path::new("no-such-snapshot"),
            &|_| {},
        )
        .unwrap_err();
    assert!(
        error.message.contains("`no-such-snapshot` does not exist"),
        "{error}"
    );
    assert_eq!(instances(&client), ["shop-prod-db"]);
}

/// Makes a VPC with two subnets and a DB subnet group over them; returns the VPC's ID.
fn network(client: &Client, group: &str) -> String {
    let vpc = client
        .query(
            &EC2,
            "CreateVpc",
            &Params::new().with("CidrBlock", "10.9.0.0/16"),
        )
        .unwrap();
    let vpc = vpc.text_at(&["vpc", "vpcId"]).unwrap().to_string();
    let mut params = Params::new()
        .with("DBSubnetGroupName", group)
        .with("DBSubnetGroupDescription", "idp test");
    for (index, zone) in ["a", "b"].iter().enumerate() {
        let subnet = client
            .query(
                &EC2,
                "CreateSubnet",
                &Params::new()
                    .with("VpcId", &vpc)
                    .with("CidrBlock", format!("10.9.{index}.0/24"))
                    .with("AvailabilityZone", format!("{REGION}{zone}")),
            )
            .unwrap();
        let subnet = subnet.text_at(&["subnet", "subnetId"]).unwrap();
        params.push(format!("SubnetIds.SubnetIdentifier.{}", index + 1), subnet);
    }
    client.query(&RDS, "CreateDBSubnetGroup", &params).unwrap();
    vpc
}

#[test]
fn platform_aws_settings_shape_what_is_made() {
    let moto = Moto::start();
    let provider = provider_for(&moto);
    let client = moto.client();
    let vpc = network(&client, "shop-private");
    let mut fixture = Fixture::new();
    fixture.platform.aws.vpc_id = Some(vpc.clone());
    fixture.platform.aws.db_subnet_group = Some("shop-private".to_string());
    fixture.platform.aws.identity_trust_principal = "lambda.amazonaws.com".to_string();
    fixture.platform.aws.registry_keep_images = 7;
    fixture.apply_all(&provider);

    let group = security_group(&client, "shop-prod-web-in").expect("the group exists");
    assert_eq!(group.text_at(&["vpcId"]), Some(vpc.as_str()));

    let db = rds_instance(&client, "shop-prod-db").expect("the instance exists");
    assert_eq!(
        db.text_at(&["DBSubnetGroup", "DBSubnetGroupName"]),
        Some("shop-private")
    );

    let trust = trust_policy_of(&client, "shop-prod-app");
    assert!(trust.contains("lambda.amazonaws.com"), "{trust}");
    assert!(!trust.contains("ecs-tasks"), "{trust}");

    let lifecycle = lifecycle_policy_of(&client, "shop/images");
    assert_eq!(lifecycle["rules"][0]["selection"]["countNumber"], 7);
}

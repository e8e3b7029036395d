//! The client against a real `moto_server` (each test its own, on a free port), verified through
//! the AWS API; and its retries against a scripted loopback server.

use std::time::{Duration, Instant};

use serde_json::json;

use super::client::{Client, ClientConfig, Params, RestRequest, RetryPolicy};
use super::credentials::{self, CredentialInputs};
use super::error::ErrorKind;
use super::service::{DYNAMODB, EC2, ECR, IAM, SECRETS_MANAGER};
use super::test_moto::{ACCOUNT, Moto, REGION, fast_retries, free_port, static_source};
use super::test_stub::{Reply, Stub};

const TRUST_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}"#;

#[test]
fn ecr_repository_through_the_json_protocol() {
    let moto = Moto::start();
    let client = moto.client();
    let created = client
        .json(
            &ECR,
            "CreateRepository",
            &json!({
                "repositoryName": "shop/images",
                "imageTagMutability": "IMMUTABLE",
                "imageScanningConfiguration": {"scanOnPush": true},
                "tags": [{"Key": "idp:project", "Value": "shop"}],
            }),
        )
        .unwrap();
    let arn = created["repository"]["repositoryArn"].as_str().unwrap();
    assert_eq!(
        arn,
        format!("arn:aws:ecr:{REGION}:{ACCOUNT}:repository/shop/images")
    );

    let described = client
        .json(
            &ECR,
            "DescribeRepositories",
            &json!({"repositoryNames": ["shop/images"]}),
        )
        .unwrap();
    let repositories = described["repositories"].as_array().unwrap();
    assert_eq!(repositories.len(), 1);
    assert_eq!(repositories[0]["imageTagMutability"], "IMMUTABLE");
    assert_eq!(
        repositories[0]["imageScanningConfiguration"]["scanOnPush"],
        true
    );

    // An error names the service, the action and AWS's code and message, and is not retried.
    let error = client
        .json(
            &ECR,
            "DescribeRepositories",
            &json!({"repositoryNames": ["missing"]}),
        )
        .unwrap_err();
    assert_eq!(error.code(), Some("RepositoryNotFoundException"));
    assert_eq!(error.attempts, 1);
    let message = error.to_string();
    assert!(
        message.starts_with("ecr DescribeRepositories: RepositoryNotFoundException: ")
            && message.contains("missing"),
        "{message}"
    );
}

#[test]
fn security_group_through_the_query_protocol() {
    let moto = Moto::start();
    let client = moto.client();
    let created = client
        .query(
            &EC2,
            "CreateSecurityGroup",
            &Params::new()
                .with("GroupName", "shop-prod-db")
                .with("GroupDescription", "idp: db access for shop & friends"),
        )
        .unwrap();
    let group_id = created.text_at(&["groupId"]).unwrap().to_string();
    assert!(group_id.starts_with("sg-"), "{group_id}");

    client
        .query(
            &EC2,
            "AuthorizeSecurityGroupIngress",
            &Params::new()
                .with("GroupId", &group_id)
                .with("IpPermissions.1.IpProtocol", "tcp")
                .with("IpPermissions.1.FromPort", "5432")
                .with("IpPermissions.1.ToPort", "5432")
                .with("IpPermissions.1.IpRanges.1.CidrIp", "10.0.0.0/16")
                .with("IpPermissions.1.IpRanges.1.Description", "db-access: app"),
        )
        .unwrap();

    let described = client
        .query(
            &EC2,
            "DescribeSecurityGroups",
            &Params::new().with("GroupId.1", &group_id),
        )
        .unwrap();
    let groups = described.list(&["securityGroupInfo"]);
    assert_eq!(groups.len(), 1);
    assert_eq!(
        groups[0].text_at(&["groupDescription"]),
        Some("idp: db access for shop & friends")
    );
    let rules = groups[0].list(&["ipPermissions"]);
    assert_eq!(rules.len(), 1);
    assert_eq!(rules[0].text_at(&["ipProtocol"]), Some("tcp"));
    assert_eq!(rules[0].text_at(&["fromPort"]), Some("5432"));
    assert_eq!(rules[0].text_at(&["toPort"]), Some("5432"));
    let ranges = rules[0].list(&["ipRanges"]);
    assert_eq!(ranges.len(), 1);
    assert_eq!(ranges[0].text_at(&["cidrIp"]), Some("10.0.0.0/16"));

    let error = client
        .query(
            &EC2,
            "CreateSecurityGroup",
            &Params::new()
                .with("GroupName", "shop-prod-db")
                .with("GroupDescription", "again"),
        )
        .unwrap_err();
    assert_eq!(error.code(), Some("InvalidGroup.Duplicate"));
    assert!(
        error
            .to_string()
            .starts_with("ec2 CreateSecurityGroup: InvalidGroup.Duplicate: "),
        "{error}"
    );
}

#[test]
fn iam_role_and_its_tags() {
    let moto = Moto::start();
    let client = moto.client();
    let created = client
        .query(
            &IAM,
            "CreateRole",
            &Params::new()
                .with("RoleName", "shop-prod-app")
                .with("AssumeRolePolicyDocument", TRUST_POLICY)
                .with("Tags.member.1.Key", "idp:managed-by")
                .with("Tags.member.1.Value", "idp shop/prod"),
        )
        .unwrap();
    assert_eq!(
        created.text_at(&["CreateRoleResult", "Role", "Arn"]),
        Some(format!("arn:aws:iam::{ACCOUNT}:role/shop-prod-app").as_str())
    );

    let role = client
        .query(
            &IAM,
            "GetRole",
            &Params::new().with("RoleName", "shop-prod-app"),
        )
        .unwrap();
    let role = role.path(&["GetRoleResult", "Role"]).unwrap();
    assert_eq!(role.text_at(&["RoleName"]), Some("shop-prod-app"));
    let tags = role.list(&["Tags"]);
    assert_eq!(tags.len(), 1);
    assert_eq!(tags[0].text_at(&["Key"]), Some("idp:managed-by"));
    assert_eq!(tags[0].text_at(&["Value"]), Some("idp shop/prod"));

    let error = client
        .query(&IAM, "GetRole", &Params::new().with("RoleName", "nobody"))
        .unwrap_err();
    assert_eq!(error.code(), Some("NoSuchEntity"));
    assert!(
        matches!(*error.kind, ErrorKind::Service { status: 404, .. }),
        "{error:?}"
    );
}

#[test]
fn s3_objects_put_and_got() {
    let moto = Moto::start();
    let client = moto.client();
    client
        .rest(
            "CreateBucket",
            &RestRequest {
                method: "PUT",
                bucket: "shop-state".to_string(),
                body: format!(
                    "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>{REGION}</LocationConstraint></CreateBucketConfiguration>"
                )
                .into_bytes(),
                ..RestRequest::default()
            },
        )
        .unwrap();
    client
        .rest(
            "PutBucketVersioning",
            &RestRequest {
                method: "PUT",
                bucket: "shop-state".to_string(),
                query: vec![("versioning".to_string(), String::new())],
                body: b"<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Status>Enabled</Status></VersioningConfiguration>".to_vec(),
                ..RestRequest::default()
            },
        )
        .unwrap();

    let state = br#"{"resources":{"db":{"status":"created"}}}"#.to_vec();
    for key in ["prod/state.json", "prod/with space + plus/ሴ.json"] {
        let version = client
            .put_object(
                "shop-state",
                key,
                state.clone(),
                &[
                    ("content-type", "application/json"),
                    ("x-amz-server-side-encryption", "AES256"),
                ],
            )
            .unwrap();
        assert!(version.is_some(), "a versioned bucket gives a version ID");
        assert_eq!(
            client.get_object("shop-state", key).unwrap(),
            Some(state.clone())
        );
    }
    let head = client
        .rest(
            "HeadObject",
            &RestRequest {
                method: "HEAD",
                bucket: "shop-state".to_string(),
                key: "prod/state.json".to_string(),
                ..RestRequest::default()
            },
        )
        .unwrap();
    assert_eq!(head.header("x-amz-server-side-encryption"), Some("AES256"));

    assert_eq!(
        client.get_object("shop-state", "prod/none.json").unwrap(),
        None
    );
    let error = client.get_object("no-such-bucket", "k").unwrap_err();
    assert_eq!(error.code(), Some("NoSuchBucket"));
    assert_eq!(
        error.to_string().split(": ").next(),
        Some("s3 GetObject (`s3://no-such-bucket/k`)")
    );
    let error = client
        .rest(
            "HeadObject",
            &RestRequest {
                method: "HEAD",
                bucket: "shop-state".to_string(),
                key: "absent".to_string(),
                ..RestRequest::default()
            },
        )
        .unwrap_err();
    assert_eq!(error.code(), Some("NotFound"));
}

#[test]
fn dynamodb_and_secrets_manager_speak_json_too() {
    let moto = Moto::start();
    let client = moto.client();
    client
        .json(
            &DYNAMODB,
            "CreateTable",
            &json!({
                "TableName": "idp-locks",
                "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
                "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                "BillingMode": "PAY_PER_REQUEST",
            }),
        )
        .unwrap();
    let put = json!({
        "TableName": "idp-locks",
        "Item": {"id": {"S": "shop/prod"}, "holder": {"S": "ci"}},
        "ConditionExpression": "attribute_not_exists(id)",
    });
    client.json(&DYNAMODB, "PutItem", &put).unwrap();
    let error = client.json(&DYNAMODB, "PutItem", &put).unwrap_err();
    assert_eq!(error.code(), Some("ConditionalCheckFailedException"));

    let token = super::client::idempotency_token();
    let create = json!({
        "Name": "shop/prod/db",
        "SecretString": "not-a-real-password",
        "ClientRequestToken": token,
    });
    let first = client
        .json(&SECRETS_MANAGER, "CreateSecret", &create)
        .unwrap();
    assert_eq!(first["VersionId"], token.as_str());
    let value = client
        .json(
            &SECRETS_MANAGER,
            "GetSecretValue",
            &json!({"SecretId": "shop/prod/db"}),
        )
        .unwrap();
    assert_eq!(value["SecretString"], "not-a-real-password");
}

/// STS through a profile chain in temporary credential and config files: `deploy` assumes a role
/// with `base`'s keys, `chained` assumes another with `deploy`'s temporary credentials.
#[test]
fn assumes_roles_from_a_profile_chain() {
    let moto = Moto::start();
    let admin = moto.client();
    for role in ["deployer", "admin"] {
        admin
            .query(
                &IAM,
                "CreateRole",
                &Params::new()
                    .with("RoleName", role)
                    .with("AssumeRolePolicyDocument", TRUST_POLICY),
            )
            .unwrap();
    }
    let home = tempfile::tempdir().unwrap();
    let credentials_file = home.path().join("credentials");
    let config_file = home.path().join("config");
    std::fs::write(
        &credentials_file,
        "[base]\naws_access_key_id = AKIDBASE0000000000\naws_secret_access_key = base-secret\n",
    )
    .unwrap();
    std::fs::write(
        &config_file,
        format!(
            "[profile deploy]\nrole_arn = arn:aws:iam::{ACCOUNT}:role/deployer\nsource_profile = base\n\
             role_session_name = idp-test\nexternal_id = shop-ext\nduration_seconds = 900\n\
             [profile chained]\nrole_arn = arn:aws:iam::{ACCOUNT}:role/admin\nsource_profile = deploy\n\
             role_session_name = second-hop\n"
        ),
    )
    .unwrap();
    let inputs = CredentialInputs {
        home: Some(home.path().to_path_buf()),
        shared_credentials_file: Some(credentials_file),
        config_file: Some(config_file),
        // Variables the environment's own profile must win over.
        access_key_id: Some("AKIDIGNORED".to_string()),
        secret_access_key: Some(crate::credentials::Secret::new("ignored".to_string())),
        ..CredentialInputs::default()
    };

    let source = credentials::resolve(&inputs, Some("deploy")).unwrap();
    let client = Client::new(&moto.config(), source).unwrap();
    let identity = client.caller_identity().unwrap();
    assert_eq!(identity.account, ACCOUNT);
    assert_eq!(
        identity.arn,
        format!("arn:aws:sts::{ACCOUNT}:assumed-role/deployer/idp-test")
    );
    let assumed = client.credentials().unwrap();
    assert!(assumed.session_token.is_some());
    assert!(assumed.expires_at.is_some());
    assert_ne!(assumed.access_key_id, "AKIDBASE0000000000");
    // Cached while it lasts: the same credentials again, no second AssumeRole.
    assert_eq!(client.credentials().unwrap(), assumed);
    assert!(
        client
            .credential_source()
            .starts_with("profile `deploy` (role `arn:aws:iam::123456789012:role/deployer` assumed with profile `base` in `"),
        "{}",
        client.credential_source()
    );

    let source = credentials::resolve(&inputs, Some("chained")).unwrap();
    let client = Client::new(&moto.config(), source).unwrap();
    assert_eq!(
        client.caller_identity().unwrap().arn,
        format!("arn:aws:sts::{ACCOUNT}:assumed-role/admin/second-hop")
    );
}

/// moto recomputes each request's SigV4 signature with botocore once it is told to check them:
/// every protocol's requests must pass, and a wrong secret must not.
#[test]
fn moto_accepts_our_signatures() {
    let moto = Moto::start();
    let admin = moto.client();
    admin
        .query(
            &IAM,
            "CreateUser",
            &Params::new().with("UserName", "deployer"),
        )
        .unwrap();
    admin
        .query(
            &IAM,
            "PutUserPolicy",
            &Params::new()
                .with("UserName", "deployer")
                .with("PolicyName", "all")
                .with(
                    "PolicyDocument",
                    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
                ),
        )
        .unwrap();
    let key = admin
        .query(
            &IAM,
            "CreateAccessKey",
            &Params::new().with("UserName", "deployer"),
        )
        .unwrap();
    let key = key.path(&["CreateAccessKeyResult", "AccessKey"]).unwrap();
    let access_key_id = key.text_at(&["AccessKeyId"]).unwrap().to_string();
    let secret = key.text_at(&["SecretAccessKey"]).unwrap().to_string();
    moto.require_signatures();

    let client = Client::new(&moto.config(), static_source(&access_key_id, &secret)).unwrap();
    assert_eq!(
        client.caller_identity().unwrap().arn,
        format!("arn:aws:iam::{ACCOUNT}:user/deployer")
    );
    client
        .json(
            &ECR,
            "CreateRepository",
            &json!({"repositoryName": "signed"}),
        )
        .unwrap();
    client
        .query(
            &EC2,
            "CreateSecurityGroup",
            &Params::new()
                .with("GroupName", "signed")
                .with("GroupDescription", "a b/c+d=e&f~g ሴ"),
        )
        .unwrap();
    client
        .query(&IAM, "ListRoles", &Params::new().with("PathPrefix", "/"))
        .unwrap();
    client
        .rest(
            "CreateBucket",
            &RestRequest {
                method: "PUT",
                bucket: "signed-bucket".to_string(),
                body: format!(
                    "<CreateBucketConfiguration><LocationConstraint>{REGION}</LocationConstraint></CreateBucketConfiguration>"
                )
                .into_bytes(),
                ..RestRequest::default()
            },
        )
        .unwrap();
    // moto checks S3 keys with `+`, `(` or non-ASCII characters wrongly (botocore's own requests fail
    // there too); s3_objects_put_and_got round-trips those.
    for key in ["prod/state.json", "prod/a key.json"] {
        client
            .put_object(
                "signed-bucket",
                key,
                b"{}".to_vec(),
                &[("x-amz-server-side-encryption", "AES256")],
            )
            .unwrap();
        assert_eq!(
            client.get_object("signed-bucket", key).unwrap(),
            Some(b"{}".to_vec())
        );
    }

    let forged = Client::new(
        &moto.config(),
        static_source(&access_key_id, "not-the-secret"),
    )
    .unwrap();
    let error = forged
        .json(&ECR, "DescribeRepositories", &json!({}))
        .unwrap_err();
    assert_eq!(error.code(), Some("SignatureDoesNotMatch"), "{error}");
    assert_eq!(error.attempts, 1);
    let error = forged
        .query(&EC2, "DescribeSecurityGroups", &Params::new())
        .unwrap_err();
    assert_eq!(error.code(), Some("AuthFailure"), "{error}");
}

// Retries, against the scripted stub.

const IDENTITY: &str = r#"<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/x</Arn><UserId>AIDA</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>"#;

fn xml_error(code: &str) -> String {
    format!(
        "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{code} from the stub</Message></Error><RequestId>r</RequestId></ErrorResponse>"
    )
}

fn stub_client(stub: &Stub, retry: RetryPolicy) -> Client {
    let mut config = ClientConfig::new(REGION, Some(stub.url()));
    config.retry = retry;
    config.timeout = Duration::from_secs(5);
    Client::new(&config, static_source("AKIDSTUB", "stub-secret")).unwrap()
}

#[test]
fn retries_5xx_throttling_and_lost_connections_then_succeeds() {
    let stub = Stub::start(
        vec![
            Reply::Answer(503, "text/xml", xml_error("ServiceUnavailable")),
            Reply::Answer(500, "text/html", "<html>oops".to_string()),
            Reply::Drop,
            Reply::Answer(400, "text/xml", xml_error("Throttling")),
        ],
        Reply::Answer(200, "text/xml", IDENTITY.to_string()),
        None,
    );
    let client = stub_client(&stub, fast_retries());
    let identity = client.caller_identity().unwrap();
    assert_eq!(identity.account, "123456789012");
    let seen = stub.seen();
    assert_eq!(seen.len(), 5);
    // Every attempt is signed afresh and carries the same body.
    for request in &seen {
        assert!(
            request
                .header("authorization")
                .unwrap()
                .starts_with("AWS4-HMAC-SHA256 Credential=AKIDSTUB/")
        );
        assert_eq!(request.body, b"Action=GetCallerIdentity&Version=2011-06-15");
    }
}

/// Assumed-role credentials that AWS calls expired are fetched again, once, and the call goes on.
#[test]
fn an_expired_role_session_is_assumed_again() {
    let assumed = |key: &str| {
        format!(
            "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>{key}</AccessKeyId>\
             <SecretAccessKey>s</SecretAccessKey><SessionToken>t-{key}</SessionToken>\
             <Expiration>2099-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>"
        )
    };
    let stub = Stub::start(
        vec![
            Reply::Answer(200, "text/xml", assumed("ASIAFIRST")),
            Reply::Answer(400, "text/xml", xml_error("ExpiredToken")),
            Reply::Answer(200, "text/xml", assumed("ASIASECOND")),
        ],
        Reply::Answer(200, "text/xml", IDENTITY.to_string()),
        None,
    );
    let source = credentials::Source::AssumeRole {
        role: credentials::AssumeRole {
            role_arn: "arn:aws:iam::123456789012:role/deployer".to_string(),
            session_name: "idp-test".to_string(),
            external_id: None,
            duration_seconds: None,
        },
        source: Box::new(static_source("AKIDBASE", "base-secret")),
        profile: "deploy".to_string(),
    };
    let mut config = ClientConfig::new(REGION, Some(stub.url()));
    config.retry = fast_retries();
    let client = Client::new(&config, source).unwrap();
    client.caller_identity().unwrap();
    let keys: Vec<String> = stub
        .seen()
        .iter()
        .map(|seen| {
            let auth = seen.header("authorization").unwrap();
            let credential = auth.split("Credential=").nth(1).unwrap();
            credential.split('/').next().unwrap().to_string()
        })
        .collect();
    assert_eq!(keys, ["AKIDBASE", "ASIAFIRST", "AKIDBASE", "ASIASECOND"]);
    assert_eq!(client.credentials().unwrap().access_key_id, "ASIASECOND");
}

#[test]
fn a_client_error_is_not_retried() {
    let stub = Stub::start(
        vec![Reply::Answer(
            400,
            "application/x-amz-json-1.1",
            r#"{"__type":"InvalidParameterException","message":"bad name"}"#.to_string(),
        )],
        Reply::Answer(200, "application/x-amz-json-1.1", "{}".to_string()),
        None,
    );
    let client = stub_client(&stub, fast_retries());
    let error = client
        .json(&ECR, "CreateRepository", &json!({"repositoryName": "BAD"}))
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "ecr CreateRepository: InvalidParameterException: bad name"
    );
    assert_eq!(stub.seen().len(), 1);
    assert_eq!(
        stub.seen()[0].header("x-amz-target"),
        Some("AmazonEC2ContainerRegistry_V20150921.CreateRepository")
    );
    // A request that cannot be sent at all is not retried either.
    let before = stub.seen().len();
    let error = client
        .put_object(
            "bucket",
            "key",
            Vec::new(),
            &[("x-amz-meta-note", "two\nlines")],
        )
        .unwrap_err();
    assert!(
        matches!(
            *error.kind,
            ErrorKind::Transport {
                retryable: false,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(error.attempts, 1);
    assert_eq!(stub.seen().len(), before);
}

#[test]
fn retries_are_bounded() {
    let stub = Stub::start(
        Vec::new(),
        Reply::Answer(
            429,
            "application/x-amz-json-1.1",
            r#"{"__type":"com.amazonaws#TooManyRequestsException","message":"slow down"}"#
                .to_string(),
        ),
        None,
    );
    let client = stub_client(&stub, fast_retries());
    let error = client
        .json(&SECRETS_MANAGER, "ListSecrets", &json!({}))
        .unwrap_err();
    assert_eq!(error.attempts, 5);
    assert_eq!(
        error.to_string(),
        "secretsmanager ListSecrets: TooManyRequestsException: slow down (after 5 attempts)"
    );
    assert_eq!(stub.seen().len(), 5);
}

#[test]
fn every_call_has_a_timeout() {
    let stub = Stub::start(Vec::new(), Reply::Hang(Duration::from_secs(3)), None);
    let mut config = ClientConfig::new(REGION, Some(stub.url()));
    config.timeout = Duration::from_millis(300);
    config.retry = RetryPolicy {
        max_attempts: 2,
        ..fast_retries()
    };
    let client = Client::new(&config, static_source("AKIDSTUB", "s")).unwrap();
    let started = Instant::now();
    let error = client.caller_identity().unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert!(
        matches!(*error.kind, ErrorKind::Transport { .. }),
        "{error:?}"
    );
    assert_eq!(error.attempts, 2);
    assert!(
        error.to_string().starts_with(&format!(
            "sts GetCallerIdentity: no answer from {}: timed out",
            stub.url()
        )),
        "{error}"
    );

    // Nothing listening: a refused connection is retried, then reported.
    let mut config = ClientConfig::new(REGION, Some(format!("http://127.0.0.1:{}", free_port())));
    config.retry = RetryPolicy {
        max_attempts: 2,
        ..fast_retries()
    };
    let client = Client::new(&config, static_source("AKIDSTUB", "s")).unwrap();
    let error = client.caller_identity().unwrap_err();
    assert!(
        matches!(*error.kind, ErrorKind::Transport { .. }),
        "{error:?}"
    );
    assert_eq!(error.attempts, 2);
}

/// A loopback proxy in front of moto answers 500, then 429, then passes requests through: the
/// repository is created once, and moto holds exactly one.
#[test]
fn converges_through_a_faulty_proxy_without_duplicates() {
    let moto = Moto::start();
    let proxy = Stub::start(
        vec![
            Reply::Answer(500, "text/plain", "internal error".to_string()),
            Reply::Answer(
                429,
                "application/x-amz-json-1.1",
                r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#.to_string(),
            ),
        ],
        Reply::Forward,
        Some(moto.port),
    );
    let client = stub_client(&proxy, fast_retries());
    client
        .json(
            &ECR,
            "CreateRepository",
            &json!({"repositoryName": "through-proxy"}),
        )
        .unwrap();
    assert_eq!(proxy.seen().len(), 3);

    let repositories = moto
        .client()
        .json(&ECR, "DescribeRepositories", &json!({}))
        .unwrap();
    let names: Vec<&str> = repositories["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["repositoryName"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["through-proxy"]);
}

#[test]
fn s3_requests_carry_the_payload_hash() {
    let stub = Stub::start(
        Vec::new(),
        Reply::Answer(200, "application/xml", String::new()),
        None,
    );
    let client = stub_client(&stub, fast_retries());
    client
        .put_object("b", "dir/a key", b"body".to_vec(), &[])
        .unwrap();
    let seen = &stub.seen()[0];
    assert_eq!(seen.request_line, "PUT /b/dir/a%20key HTTP/1.1");
    assert_eq!(
        seen.header("x-amz-content-sha256"),
        Some(super::sigv4::payload_hash(b"body").as_str())
    );
    assert!(
        seen.header("authorization")
            .unwrap()
            .contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date,")
    );
}

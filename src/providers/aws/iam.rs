//! `identity` on the `aws` provider: an IAM role `<project>-<environment>-<resource>` that ECS
//! tasks can assume, with one inline policy naming exactly the ARNs of this manifest's resources
//! its grants name, and the least actions each grant needs:
//!
//! - `images:pull` → `ecr:BatchGetImage`, `ecr:GetDownloadUrlForLayer`,
//!   `ecr:BatchCheckLayerAvailability` on the repository; `images:push` adds the upload actions.
//!   Either adds `ecr:GetAuthorizationToken` on `*`: AWS does not scope that action to a
//!   resource, and it is the only `*` idp writes.
//! - `db:connect`/`read`/`write` → `rds-db:connect` as the identity's database user on the
//!   instance, and `secretsmanager:GetSecretValue` on the database's secret. What the user may do
//!   inside the database is PostgreSQL's to grant, not IAM's.
//!
//! Grants on resources not made yet are left out; the engine applies dependencies first.

use serde_json::{Value, json};

use crate::manifest::{Identity, Resource};
use crate::providers::{Observed, Outputs, ProviderError, Scope};

use super::ecr;
use super::provider::{
    AwsProvider, ensure_ours, failed, foreign, is_not_found, missing_tags, physical_name,
    push_tags, tag_drift, tags,
};
use super::survey::Survey;
use crate::aws::client::Params;
use crate::aws::service::IAM;
use crate::aws::xml::Element;

/// The name of the one inline policy idp manages on a role.
pub const POLICY_NAME: &str = "idp";

/// Who may assume the role: the service the platform file's `identity_trust_principal` names
/// (ECS tasks by default).
fn trust_policy(scope: &Scope<'_>) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": scope.platform.aws.identity_trust_principal},
            "Action": "sts:AssumeRole",
        }]
    })
}

const PULL: &[&str] = &[
    "ecr:BatchCheckLayerAvailability",
    "ecr:BatchGetImage",
    "ecr:GetDownloadUrlForLayer",
];
const PUSH: &[&str] = &[
    "ecr:BatchCheckLayerAvailability",
    "ecr:CompleteLayerUpload",
    "ecr:InitiateLayerUpload",
    "ecr:PutImage",
    "ecr:UploadLayerPart",
];

/// Returns the database user an identity connects as with IAM authentication.
pub fn database_user(scope: &Scope<'_>, name: &str) -> String {
    physical_name(scope, name).replace('-', "_")
}

/// Returns the inline policy an identity needs, or `None` when it is granted nothing that exists.
pub fn policy(
    provider: &AwsProvider,
    survey: &Survey,
    scope: &Scope<'_>,
    name: &str,
    identity: &Identity,
) -> Result<Option<Value>, ProviderError> {
    let account = provider.account()?;
    let region = provider.region();
    let mut statements = Vec::new();
    let mut registries = false;
    let mut targets: Vec<&str> = identity
        .grants
        .iter()
        .filter_map(|grant| grant.split_once(':').map(|(target, _)| target))
        .collect();
    targets.sort();
    targets.dedup();
    for target in targets {
        let actions: Vec<&str> = identity
            .grants
            .iter()
            .filter_map(|grant| grant.split_once(':'))
            .filter(|(t, _)| *t == target)
            .map(|(_, action)| action)
            .collect();
        match scope.manifest.resources.get(target) {
            Some(Resource::Registry(_)) => {
                let mut allowed: Vec<&str> = Vec::new();
                if actions.contains(&"pull") {
                    allowed.extend(PULL);
                }
                if actions.contains(&"push") {
                    allowed.extend(PUSH);
                }
                allowed.sort();
                allowed.dedup();
                if allowed.is_empty() {
                    continue;
                }
                registries = true;
                let repository = ecr::repository(scope, target);
                statements.push(json!({
                    "Effect": "Allow",
                    "Action": allowed,
                    "Resource": [ecr::repository_arn(region, &account, &repository)],
                }));
            }
            Some(Resource::Postgres(_)) => {
                let Some(instance) = survey.instance(provider, &physical_name(scope, target))?
                else {
                    continue;
                };
                let user = database_user(scope, name);
                statements.push(json!({
                    "Effect": "Allow",
                    "Action": ["rds-db:connect"],
                    "Resource": [format!(
                        "arn:aws:rds-db:{region}:{account}:dbuser:{}/{user}",
                        instance.resource_id
                    )],
                }));
                if let Some(secret) = survey.secret(provider, scope, target)? {
                    statements.push(json!({
                        "Effect": "Allow",
                        "Action": ["secretsmanager:GetSecretValue"],
                        "Resource": [secret.arn],
                    }));
                }
            }
            _ => {}
        }
    }
    if registries {
        statements.push(json!({
            "Effect": "Allow",
            "Action": ["ecr:GetAuthorizationToken"],
            "Resource": ["*"],
        }));
    }
    if statements.is_empty() {
        return Ok(None);
    }
    Ok(Some(
        json!({"Version": "2012-10-17", "Statement": statements}),
    ))
}

/// What exists of a role.
struct Found {
    arn: String,
    tags: Vec<(String, String)>,
    trust: Option<Value>,
}

fn read_tags(element: &Element, path: &[&str]) -> Vec<(String, String)> {
    element
        .list(path)
        .into_iter()
        .filter_map(|tag| {
            Some((
                tag.text_at(&["Key"])?.into(),
                tag.text_at(&["Value"])?.into(),
            ))
        })
        .collect()
}

/// Reads a policy document, which IAM returns URL-encoded.
pub fn read_document(text: &str) -> Option<Value> {
    serde_json::from_str(text)
        .ok()
        .or_else(|| serde_json::from_str(&percent_decode(text)).ok())
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%'
            && let Some(byte) = text
                .get(index + 1..index + 3)
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
        {
            out.push(byte);
            index += 3;
            continue;
        }
        out.push(if bytes[index] == b'+' {
            b' '
        } else {
            bytes[index]
        });
        index += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn find(provider: &AwsProvider, role: &str) -> Result<Option<Found>, ProviderError> {
    let client = provider.client();
    let action = format!("reading the IAM role `{role}`");
    let root = match client.query(&IAM, "GetRole", &Params::new().with("RoleName", role)) {
        Ok(root) => root,
        Err(e) if is_not_found(&e, &["NoSuchEntity"]) => return Ok(None),
        Err(e) => return Err(failed(action)(e)),
    };
    let Some(found) = root.path(&["GetRoleResult", "Role"]) else {
        return Ok(None);
    };
    let mut tags = read_tags(found, &["Tags"]);
    if tags.is_empty() {
        // IAM returns a role's tags with it; ask for them where an answer left them out.
        let listed = client
            .query(&IAM, "ListRoleTags", &Params::new().with("RoleName", role))
            .map_err(failed(action))?;
        tags = read_tags(&listed, &["ListRoleTagsResult", "Tags"]);
    }
    Ok(Some(Found {
        arn: found.text_at(&["Arn"]).unwrap_or_default().to_string(),
        tags,
        trust: found
            .text_at(&["AssumeRolePolicyDocument"])
            .and_then(read_document),
    }))
}

/// Returns the role's inline policy, if it has one.
fn inline_policy(provider: &AwsProvider, role: &str) -> Result<Option<Value>, ProviderError> {
    let params = Params::new()
        .with("RoleName", role)
        .with("PolicyName", POLICY_NAME);
    match provider.client().query(&IAM, "GetRolePolicy", &params) {
        Ok(root) => Ok(root
            .text_at(&["GetRolePolicyResult", "PolicyDocument"])
            .and_then(read_document)),
        Err(e) if is_not_found(&e, &["NoSuchEntity"]) => Ok(None),
        Err(e) => Err(failed(format!(
            "reading the policy of the IAM role `{role}`"
        ))(e)),
    }
}

pub fn observe(
    provider: &AwsProvider,
    survey: &Survey,
    scope: &Scope<'_>,
    name: &str,
    identity: &Identity,
) -> Result<Observed, ProviderError> {
    let role = physical_name(scope, name);
    let Some(found) = find(provider, &role)? else {
        return Ok(Observed::Missing);
    };
    if let Some(foreign) = foreign(&found.tags, scope, name, format!("the IAM role `{role}`")) {
        return Ok(foreign);
    }
    let mut drift = tag_drift(&found.tags, &tags(scope, name));
    if found.trust != Some(trust_policy(scope)) {
        drift.push("the trust policy differs".to_string());
    }
    if inline_policy(provider, &role)? != policy(provider, survey, scope, name, identity)? {
        drift.push(format!("the inline policy `{POLICY_NAME}` differs"));
    }
    Ok(Observed::Present { drift })
}

pub fn apply(
    provider: &AwsProvider,
    scope: &Scope<'_>,
    name: &str,
    identity: &Identity,
) -> Result<Outputs, ProviderError> {
    let client = provider.client();
    let role = physical_name(scope, name);
    let desired_tags = tags(scope, name);
    let action = |what: &str| format!("{what} the IAM role `{role}`");
    let found = match find(provider, &role)? {
        Some(found) => {
            ensure_ours(
                &found.tags,
                scope,
                name,
                &format!("the IAM role `{role}`"),
                "adopting",
            )?;
            found
        }
        None => {
            let mut params = Params::new()
                .with("RoleName", &role)
                .with("AssumeRolePolicyDocument", trust_policy(scope).to_string())
                .with(
                    "Description",
                    format!("idp identity `{name}` of {}", scope.project()),
                );
            push_tags(&mut params, "Tags.member", &desired_tags);
            let root = match client.query(&IAM, "CreateRole", &params) {
                Ok(root) => root,
                Err(error) if super::provider::already_exists(&error) => {
                    let error = failed(action("creating"))(error);
                    return super::provider::adopt_once(
                        || apply(provider, scope, name, identity),
                        error,
                    );
                }
                Err(error) => return Err(failed(action("creating"))(error)),
            };
            Found {
                arn: root
                    .text_at(&["CreateRoleResult", "Role", "Arn"])
                    .unwrap_or_default()
                    .to_string(),
                tags: desired_tags.clone(),
                trust: Some(trust_policy(scope)),
            }
        }
    };
    if found.trust != Some(trust_policy(scope)) {
        let params = Params::new()
            .with("RoleName", &role)
            .with("PolicyDocument", trust_policy(scope).to_string());
        client
            .query(&IAM, "UpdateAssumeRolePolicy", &params)
            .map_err(failed(action("updating the trust policy of")))?;
    }
    let untagged = missing_tags(&found.tags, &desired_tags);
    if !untagged.is_empty() {
        let mut params = Params::new().with("RoleName", &role);
        push_tags(&mut params, "Tags.member", untagged);
        client
            .query(&IAM, "TagRole", &params)
            .map_err(failed(action("tagging")))?;
    }
    let wanted = policy(provider, &Survey::default(), scope, name, identity)?;
    let current = inline_policy(provider, &role)?;
    if wanted != current {
        match &wanted {
            Some(document) => {
                let params = Params::new()
                    .with("RoleName", &role)
                    .with("PolicyName", POLICY_NAME)
                    .with("PolicyDocument", document.to_string());
                client
                    .query(&IAM, "PutRolePolicy", &params)
                    .map_err(failed(action("setting the policy of")))?;
            }
            None => delete_policy(provider, &role)?,
        }
    }
    Ok(Outputs::from([
        ("role".to_string(), role.clone()),
        ("role_arn".to_string(), found.arn),
        ("database_user".to_string(), database_user(scope, name)),
    ]))
}

fn delete_policy(provider: &AwsProvider, role: &str) -> Result<(), ProviderError> {
    let params = Params::new()
        .with("RoleName", role)
        .with("PolicyName", POLICY_NAME);
    match provider.client().query(&IAM, "DeleteRolePolicy", &params) {
        Ok(_) => Ok(()),
        Err(e) if is_not_found(&e, &["NoSuchEntity"]) => Ok(()),
        Err(e) => Err(failed(format!(
            "removing the policy of the IAM role `{role}`"
        ))(e)),
    }
}

pub fn delete(provider: &AwsProvider, scope: &Scope<'_>, name: &str) -> Result<(), ProviderError> {
    let role = physical_name(scope, name);
    let Some(found) = find(provider, &role)? else {
        return Ok(());
    };
    ensure_ours(
        &found.tags,
        scope,
        name,
        &format!("the IAM role `{role}`"),
        "deleting",
    )?;
    delete_policy(provider, &role)?;
    match provider
        .client()
        .query(&IAM, "DeleteRole", &Params::new().with("RoleName", &role))
    {
        Ok(_) => Ok(()),
        Err(e) if is_not_found(&e, &["NoSuchEntity"]) => Ok(()),
        Err(e) => Err(failed(format!("deleting the IAM role `{role}`"))(e)),
    }
}

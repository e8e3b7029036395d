//! `registry` on the `aws` provider: an ECR repository `<project>/<resource>` with scan on push,
//! immutable tags when asked, idp's tags, and a lifecycle policy keeping the last
//! `registry_keep_images` images (`[aws]` in the platform file).

use serde_json::{Value, json};

use crate::manifest::Registry;
use crate::providers::{Observed, Outputs, ProviderError, Scope};

use super::provider::{
    AwsProvider, ensure_ours, failed, foreign, is_not_found, missing_tags, tag_drift, tag_list,
    tags,
};
use super::survey::Survey;
use crate::aws::service::ECR;

const NOT_FOUND: &[&str] = &["RepositoryNotFoundException"];

/// Returns the repository name of a registry resource.
pub fn repository(scope: &Scope<'_>, name: &str) -> String {
    format!("{}/{}", scope.project(), name)
}

/// Returns the repository's ARN.
pub fn repository_arn(region: &str, account: &str, repository: &str) -> String {
    format!("arn:aws:ecr:{region}:{account}:repository/{repository}")
}

/// The lifecycle policy idp sets: keep the platform's `registry_keep_images` images.
fn lifecycle_policy(scope: &Scope<'_>) -> Value {
    let keep = scope.platform.aws.registry_keep_images;
    json!({
        "rules": [{
            "rulePriority": 1,
            "description": format!("keep the last {keep} images"),
            "selection": {
                "tagStatus": "any",
                "countType": "imageCountMoreThan",
                "countNumber": keep,
            },
            "action": {"type": "expire"},
        }]
    })
}

/// What `DescribeRepositories` says of a repository.
#[derive(Clone)]
pub struct Described {
    arn: String,
    uri: String,
    immutable: bool,
    scan_on_push: bool,
}

impl Described {
    /// Reads one entry of a `DescribeRepositories` answer.
    pub(super) fn read(found: &Value) -> Described {
        let text = |key: &str| found[key].as_str().unwrap_or_default().to_string();
        Described {
            arn: text("repositoryArn"),
            uri: text("repositoryUri"),
            immutable: found["imageTagMutability"] == "IMMUTABLE",
            scan_on_push: found["imageScanningConfiguration"]["scanOnPush"] == true,
        }
    }
}

/// What exists of a repository.
struct Found {
    arn: String,
    uri: String,
    immutable: bool,
    scan_on_push: bool,
    tags: Vec<(String, String)>,
    lifecycle: Option<Value>,
}

/// Returns what `DescribeRepositories` says of one repository.
pub(super) fn describe(
    provider: &AwsProvider,
    repository: &str,
) -> Result<Option<Described>, ProviderError> {
    match provider.client().json(
        &ECR,
        "DescribeRepositories",
        &json!({"repositoryNames": [repository]}),
    ) {
        Ok(described) => Ok(described["repositories"].get(0).map(Described::read)),
        Err(e) if is_not_found(&e, NOT_FOUND) => Ok(None),
        Err(e) => Err(failed(reading(repository))(e)),
    }
}

fn reading(repository: &str) -> String {
    format!("reading the ECR repository `{repository}`")
}

fn find(
    provider: &AwsProvider,
    repository: &str,
    with_lifecycle: bool,
) -> Result<Option<Found>, ProviderError> {
    describe(provider, repository)?
        .map(|described| complete(provider, repository, described, with_lifecycle))
        .transpose()
}

/// Adds to what was described the repository's tags and, when asked, its lifecycle policy, which
/// ECR lists only one repository at a time.
fn complete(
    provider: &AwsProvider,
    repository: &str,
    described: Described,
    with_lifecycle: bool,
) -> Result<Found, ProviderError> {
    let client = provider.client();
    let listed = client
        .json(
            &ECR,
            "ListTagsForResource",
            &json!({"resourceArn": described.arn}),
        )
        .map_err(failed(reading(repository)))?;
    let tags = listed["tags"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|tag| Some((tag["Key"].as_str()?.into(), tag["Value"].as_str()?.into())))
        .collect();
    let lifecycle = if with_lifecycle {
        match client.json(
            &ECR,
            "GetLifecyclePolicy",
            &json!({"repositoryName": repository}),
        ) {
            Ok(policy) => policy["lifecyclePolicyText"]
                .as_str()
                .and_then(|text| serde_json::from_str(text).ok()),
            Err(e) if is_not_found(&e, &["LifecyclePolicyNotFoundException"]) => None,
            Err(e) => return Err(failed(reading(repository))(e)),
        }
    } else {
        None
    };
    let Described {
        arn,
        uri,
        immutable,
        scan_on_push,
    } = described;
    Ok(Found {
        arn,
        uri,
        immutable,
        scan_on_push,
        tags,
        lifecycle,
    })
}

fn drift(found: &Found, scope: &Scope<'_>, name: &str, registry: &Registry) -> Vec<String> {
    let mut drift = tag_drift(&found.tags, &tags(scope, name));
    if found.immutable != registry.immutable_tags {
        drift.push(format!(
            "immutable tags is {} instead of {}",
            found.immutable, registry.immutable_tags
        ));
    }
    if found.scan_on_push != registry.scan_on_push {
        drift.push(format!(
            "scan on push is {} instead of {}",
            found.scan_on_push, registry.scan_on_push
        ));
    }
    if found.lifecycle.as_ref() != Some(&lifecycle_policy(scope)) {
        drift.push("the lifecycle policy differs".to_string());
    }
    drift
}

pub fn observe(
    provider: &AwsProvider,
    survey: &Survey,
    scope: &Scope<'_>,
    name: &str,
    registry: &Registry,
) -> Result<Observed, ProviderError> {
    let repository = repository(scope, name);
    let Some(described) = survey.repository(provider, &repository)? else {
        return Ok(Observed::Missing);
    };
    let found = complete(provider, &repository, described, true)?;
    if let Some(foreign) = foreign(
        &found.tags,
        scope,
        name,
        format!("the ECR repository `{repository}`"),
    ) {
        return Ok(foreign);
    }
    Ok(Observed::Present {
        drift: drift(&found, scope, name, registry),
    })
}

fn mutability(immutable: bool) -> &'static str {
    if immutable { "IMMUTABLE" } else { "MUTABLE" }
}

pub fn apply(
    provider: &AwsProvider,
    scope: &Scope<'_>,
    name: &str,
    registry: &Registry,
) -> Result<Outputs, ProviderError> {
    let client = provider.client();
    let repository = repository(scope, name);
    let desired_tags = tags(scope, name);
    let action = |what: &str| format!("{what} the ECR repository `{repository}`");
    let found = match find(provider, &repository, true)? {
        Some(found) => {
            ensure_ours(
                &found.tags,
                scope,
                name,
                &format!("the ECR repository `{repository}`"),
                "adopting",
            )?;
            found
        }
        None => {
            let created = client.json(
                &ECR,
                "CreateRepository",
                &json!({
                    "repositoryName": repository,
                    "imageTagMutability": mutability(registry.immutable_tags),
                    "imageScanningConfiguration": {"scanOnPush": registry.scan_on_push},
                    "tags": tag_list(&desired_tags),
                }),
            );
            let created = match created {
                Ok(created) => created,
                // Our own earlier attempt made it: look again, and adopt it if it is ours.
                Err(error) if super::provider::already_exists(&error) => {
                    let error = failed(action("creating"))(error);
                    return super::provider::adopt_once(
                        || apply(provider, scope, name, registry),
                        error,
                    );
                }
                Err(error) => return Err(failed(action("creating"))(error)),
            };
            let made = &created["repository"];
            Found {
                arn: made["repositoryArn"].as_str().unwrap_or_default().into(),
                uri: made["repositoryUri"].as_str().unwrap_or_default().into(),
                immutable: registry.immutable_tags,
                scan_on_push: registry.scan_on_push,
                tags: desired_tags.clone(),
                lifecycle: None,
            }
        }
    };
    if found.immutable != registry.immutable_tags {
        client
            .json(
                &ECR,
                "PutImageTagMutability",
                &json!({
                    "repositoryName": repository,
                    "imageTagMutability": mutability(registry.immutable_tags),
                }),
            )
            .map_err(failed(action("updating")))?;
    }
    if found.scan_on_push != registry.scan_on_push {
        client
            .json(
                &ECR,
                "PutImageScanningConfiguration",
                &json!({
                    "repositoryName": repository,
                    "imageScanningConfiguration": {"scanOnPush": registry.scan_on_push},
                }),
            )
            .map_err(failed(action("updating")))?;
    }
    let missing = missing_tags(&found.tags, &desired_tags);
    if !missing.is_empty() {
        client
            .json(
                &ECR,
                "TagResource",
                &json!({"resourceArn": found.arn, "tags": tag_list(missing)}),
            )
            .map_err(failed(action("tagging")))?;
    }
    let policy = lifecycle_policy(scope);
    if found.lifecycle.as_ref() != Some(&policy) {
        client
            .json(
                &ECR,
                "PutLifecyclePolicy",
                &json!({
                    "repositoryName": repository,
                    "lifecyclePolicyText": policy.to_string(),
                }),
            )
            .map_err(failed(action("setting the lifecycle policy of")))?;
    }
    // `url` is the registry's host, as the local provider gives it; the repository goes after it.
    let host = found
        .uri
        .strip_suffix(&format!("/{repository}"))
        .unwrap_or(&found.uri)
        .to_string();
    Ok(Outputs::from([
        ("repository".to_string(), repository.clone()),
        ("url".to_string(), host),
        ("arn".to_string(), found.arn),
    ]))
}

pub fn delete(provider: &AwsProvider, scope: &Scope<'_>, name: &str) -> Result<(), ProviderError> {
    let repository = repository(scope, name);
    let Some(found) = find(provider, &repository, false)? else {
        return Ok(());
    };
    ensure_ours(
        &found.tags,
        scope,
        name,
        &format!("the ECR repository `{repository}`"),
        "deleting",
    )?;
    match provider.client().json(
        &ECR,
        "DeleteRepository",
        &json!({"repositoryName": repository, "force": true}),
    ) {
        Ok(_) => Ok(()),
        Err(e) if is_not_found(&e, NOT_FOUND) => Ok(()),
        Err(e) => Err(failed(format!(
            "deleting the ECR repository `{repository}`"
        ))(e)),
    }
}

//! What the `aws` provider reads in bulk before a plan observes each resource: the RDS instances,
//! database secrets, security groups and ECR repositories of the resources about to be observed,
//! a few list calls in all (each service's at once), instead of one or more lookups per resource.
//! A no-change `idp provision` of ten services then makes about 45 calls rather than 117, most
//! of them the per-repository and per-role reads AWS has no list call for.
//!
//! A survey is a snapshot: it serves the observations of the plan it was taken for and nothing
//! that changes anything, which always looks again ([`Survey::default`] looks up everything live).
//! What it was not asked about, or could not list (a failed call, a missing permission), is
//! looked up live too, so a survey can make a plan faster but never different.

use std::collections::{BTreeSet, HashMap};

use serde_json::json;

use crate::manifest::Resource;
use crate::providers::{ProviderError, Scope};

use super::provider::{AwsProvider, physical_name};
use super::rds::{self, Instance};
use super::security_group::{self, Found as Group};
use super::{ecr, rds_restore, secret};
use crate::aws::client::Params;
use crate::aws::service::{EC2, ECR, RDS, SECRETS_MANAGER};

/// Names per list call: within every service's limit on filter values (Secrets Manager takes
/// ten per filter; ECR, RDS and EC2 take at least a hundred).
const SECRETS_PER_CALL: usize = 10;
const NAMES_PER_CALL: usize = 100;

/// What a survey learned, by kind.
#[derive(Default)]
pub struct Survey {
    instances: Known<Instance>,
    secrets: Known<secret::Found>,
    groups: Known<Group>,
    repositories: Known<ecr::Described>,
}

/// What a survey learned of one kind of thing, by name: `Some` of what exists, `None` when
/// nothing of that name does. A name it did not ask about, or could not list, is absent.
struct Known<T>(HashMap<String, Option<T>>);

impl<T> Default for Known<T> {
    fn default() -> Known<T> {
        Known(HashMap::new())
    }
}

impl<T: Clone> Known<T> {
    /// Records the answer to a list call: everything asked about, found or not.
    fn add(&mut self, asked: &[String], mut found: HashMap<String, T>) {
        for name in asked {
            let value = found.remove(name);
            self.0.insert(name.clone(), value);
        }
    }

    /// Returns what is known of `name`, or `None` when it must be looked up live.
    fn get(&self, name: &str) -> Option<Option<T>> {
        self.0.get(name).cloned()
    }
}

/// The names a survey asks about.
#[derive(Default)]
struct Names {
    instances: Vec<String>,
    secrets: Vec<String>,
    groups: Vec<String>,
    repositories: Vec<String>,
}

impl Names {
    /// Collects the AWS names of `resources` and of what they depend on (an identity's policy
    /// names its databases and their secrets; a network is attached to its databases).
    fn of(scope: &Scope<'_>, resources: &[(&String, &Resource)]) -> Names {
        let mut wanted: BTreeSet<&str> = BTreeSet::new();
        for (name, resource) in resources {
            wanted.insert(name.as_str());
            wanted.extend(crate::manifest::dependencies(resource));
        }
        let mut names = Names::default();
        for name in wanted {
            match scope.manifest.resources.get(name) {
                Some(Resource::Postgres(_)) => {
                    let identifier = physical_name(scope, name);
                    // Where an interrupted restore would have left the database.
                    names
                        .instances
                        .push(rds_restore::restoring_name(&identifier));
                    names.instances.push(identifier);
                    names.secrets.push(secret::name(scope, name));
                }
                Some(Resource::Registry(_)) => {
                    names.repositories.push(ecr::repository(scope, name))
                }
                Some(Resource::Network(_)) => names.groups.push(physical_name(scope, name)),
                Some(Resource::Identity(_)) | None => {}
            }
        }
        names
    }
}

impl Survey {
    /// Lists what `resources` are made of, each service's calls on a thread of their own; also
    /// asks STS for the account, which identities' policies name.
    pub fn take(
        provider: &AwsProvider,
        scope: &Scope<'_>,
        resources: &[(&String, &Resource)],
    ) -> Survey {
        let names = Names::of(scope, resources);
        let mut survey = Survey::default();
        std::thread::scope(|threads| {
            let instances = threads.spawn(|| {
                list_all(&names.instances, NAMES_PER_CALL, |chunk| {
                    instances(provider, chunk)
                })
            });
            let secrets = threads.spawn(|| {
                list_all(&names.secrets, SECRETS_PER_CALL, |chunk| {
                    secrets(provider, chunk)
                })
            });
            let groups = threads.spawn(|| {
                list_all(&names.groups, NAMES_PER_CALL, |chunk| {
                    groups(provider, chunk)
                })
            });
            let repositories = threads.spawn(|| {
                list_all(&names.repositories, NAMES_PER_CALL, |chunk| {
                    repositories(provider, chunk)
                })
            });
            if resources
                .iter()
                .any(|(_, resource)| matches!(resource, Resource::Identity(_)))
            {
                // Failing here is no error: the policy's own lookup reports it.
                let _ = provider.account();
            }
            survey.instances = instances.join().expect("listing does not panic");
            survey.secrets = secrets.join().expect("listing does not panic");
            survey.groups = groups.join().expect("listing does not panic");
            survey.repositories = repositories.join().expect("listing does not panic");
        });
        survey
    }

    /// Returns the RDS instance of that identifier, if one exists.
    pub fn instance(
        &self,
        provider: &AwsProvider,
        identifier: &str,
    ) -> Result<Option<Instance>, ProviderError> {
        match self.instances.get(identifier) {
            Some(known) => Ok(known),
            None => rds::find(provider, identifier),
        }
    }

    /// Returns the secret of a database resource, if one exists.
    pub fn secret(
        &self,
        provider: &AwsProvider,
        scope: &Scope<'_>,
        resource: &str,
    ) -> Result<Option<secret::Found>, ProviderError> {
        match self.secrets.get(&secret::name(scope, resource)) {
            Some(known) => Ok(known),
            None => secret::find(provider, scope, resource),
        }
    }

    /// Returns the security group of that name, if one exists.
    pub fn group(
        &self,
        provider: &AwsProvider,
        group: &str,
    ) -> Result<Option<Group>, ProviderError> {
        match self.groups.get(group) {
            Some(known) => Ok(known),
            None => security_group::find(provider, group),
        }
    }

    /// Returns what `DescribeRepositories` says of that repository, if it exists.
    pub fn repository(
        &self,
        provider: &AwsProvider,
        repository: &str,
    ) -> Result<Option<ecr::Described>, ProviderError> {
        match self.repositories.get(repository) {
            Some(known) => Ok(known),
            None => ecr::describe(provider, repository),
        }
    }
}

/// Lists `names` in chunks of `per_call`; a chunk whose listing fails stays unknown.
fn list_all<T: Clone>(
    names: &[String],
    per_call: usize,
    list: impl Fn(&[String]) -> Option<HashMap<String, T>>,
) -> Known<T> {
    let mut known = Known::default();
    for chunk in names.chunks(per_call) {
        if let Some(found) = list(chunk) {
            known.add(chunk, found);
        }
    }
    known
}

/// `DescribeDBInstances` filtered by identifier, page by page.
fn instances(provider: &AwsProvider, identifiers: &[String]) -> Option<HashMap<String, Instance>> {
    let mut found = HashMap::new();
    let mut marker: Option<String> = None;
    loop {
        let mut params = Params::new().with("Filters.Filter.1.Name", "db-instance-id");
        for (index, identifier) in identifiers.iter().enumerate() {
            params.push(
                format!("Filters.Filter.1.Values.Value.{}", index + 1),
                identifier,
            );
        }
        if let Some(marker) = &marker {
            params.push("Marker", marker);
        }
        let root = provider
            .client()
            .query(&RDS, "DescribeDBInstances", &params)
            .ok()?;
        for item in root.list(&["DescribeDBInstancesResult", "DBInstances"]) {
            let Some(identifier) = item.text_at(&["DBInstanceIdentifier"]) else {
                continue;
            };
            if identifiers.iter().any(|i| i == identifier) {
                let instance = rds::read_instance(provider, item, identifier).ok()?;
                found.insert(identifier.to_string(), instance);
            }
        }
        marker = root
            .text_at(&["DescribeDBInstancesResult", "Marker"])
            .filter(|m| !m.is_empty())
            .map(str::to_string);
        if marker.is_none() {
            return Some(found);
        }
    }
}

/// `ListSecrets` filtered by name (a prefix match: exact names are picked out), including those
/// scheduled for deletion, as `DescribeSecret` does.
fn secrets(provider: &AwsProvider, names: &[String]) -> Option<HashMap<String, secret::Found>> {
    let mut found = HashMap::new();
    let mut token: Option<String> = None;
    loop {
        let mut input = json!({
            "Filters": [{"Key": "name", "Values": names}],
            "IncludePlannedDeletion": true,
            "MaxResults": 100,
        });
        if let Some(token) = &token {
            input["NextToken"] = token.clone().into();
        }
        let listed = provider
            .client()
            .json(&SECRETS_MANAGER, "ListSecrets", &input)
            .ok()?;
        for item in listed["SecretList"].as_array().into_iter().flatten() {
            if let Some(name) = item["Name"].as_str()
                && names.iter().any(|n| n == name)
            {
                found.insert(name.to_string(), secret::Found::read(item));
            }
        }
        token = listed["NextToken"]
            .as_str()
            .filter(|t| !t.is_empty())
            .map(str::to_string);
        if token.is_none() {
            return Some(found);
        }
    }
}

/// `DescribeSecurityGroups` filtered by group name, page by page.
fn groups(provider: &AwsProvider, names: &[String]) -> Option<HashMap<String, Group>> {
    let mut found = HashMap::new();
    let mut token: Option<String> = None;
    loop {
        let mut params = Params::new().with("Filter.1.Name", "group-name");
        for (index, name) in names.iter().enumerate() {
            params.push(format!("Filter.1.Value.{}", index + 1), name);
        }
        if let Some(token) = &token {
            params.push("NextToken", token);
        }
        let root = provider
            .client()
            .query(&EC2, "DescribeSecurityGroups", &params)
            .ok()?;
        for item in root.list(&["securityGroupInfo"]) {
            if let Some(name) = item.text_at(&["groupName"])
                && names.iter().any(|n| n == name)
            {
                found.insert(name.to_string(), security_group::read_group(item));
            }
        }
        token = root
            .text_at(&["nextToken"])
            .filter(|t| !t.is_empty())
            .map(str::to_string);
        if token.is_none() {
            return Some(found);
        }
    }
}

/// `DescribeRepositories` of the named repositories. ECR fails the whole call when one of them
/// does not exist; those are then left to be looked up one by one.
fn repositories(
    provider: &AwsProvider,
    names: &[String],
) -> Option<HashMap<String, ecr::Described>> {
    let described = provider
        .client()
        .json(
            &ECR,
            "DescribeRepositories",
            &json!({"repositoryNames": names}),
        )
        .ok()?;
    Some(
        described["repositories"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|item| {
                let name = item["repositoryName"].as_str()?;
                Some((name.to_string(), ecr::Described::read(item)))
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use crate::manifest::Resource;
    use crate::providers::{Observed, Provider};

    use super::super::provider_tests::{Fixture, action_of, authorize, proxied, security_group};
    use crate::aws::test_moto::Moto;

    /// Surveys every resource of the fixture, then observes each; returns the observations and
    /// the actions called, in order.
    fn plan_like(
        fixture: &Fixture,
        provider: &super::AwsProvider,
        proxy: &crate::aws::test_stub::Stub,
    ) -> (BTreeMap<String, Observed>, Vec<String>) {
        let before = proxy.seen().len();
        let scope = fixture.scope();
        let resources: Vec<(&String, &Resource)> = fixture.manifest.resources.iter().collect();
        provider.survey(&scope, &resources);
        let observed = resources
            .iter()
            .map(|(name, resource)| {
                let found = provider.observe(&scope, name, resource, None).unwrap();
                (name.to_string(), found)
            })
            .collect();
        let actions = proxy.seen()[before..].iter().map(action_of).collect();
        (observed, actions)
    }

    fn count(actions: &[String], action: &str) -> usize {
        actions.iter().filter(|a| *a == action).count()
    }

    #[test]
    fn one_list_call_per_kind_finds_what_exists_and_its_drift() {
        let moto = Moto::start();
        let (proxy, provider) = proxied(&moto);
        let fixture = Fixture::new();
        fixture.apply_all(&provider);
        let client = moto.client();
        let group = security_group(&client, "shop-prod-web-in").unwrap();
        authorize(
            &client,
            group.text_at(&["groupId"]).unwrap(),
            22,
            "10.9.0.0/16",
        );

        let (observed, actions) = plan_like(&fixture, &provider, &proxy);
        for name in ["db", "images", "app"] {
            assert_eq!(
                observed[name],
                Observed::Present { drift: Vec::new() },
                "{name}"
            );
        }
        assert_eq!(
            observed["web-in"],
            Observed::Present {
                drift: vec!["ingress rule added outside idp: tcp port 22 from 10.9.0.0/16".into()]
            }
        );
        // The database is read once, although the network and the identity ask about it too;
        // the secret is listed, not described.
        assert_eq!(count(&actions, "DescribeDBInstances"), 1, "{actions:?}");
        assert_eq!(count(&actions, "DescribeSecurityGroups"), 1, "{actions:?}");
        assert_eq!(count(&actions, "DescribeRepositories"), 1, "{actions:?}");
        assert_eq!(count(&actions, "ListSecrets"), 1, "{actions:?}");
        assert_eq!(count(&actions, "DescribeSecret"), 0, "{actions:?}");
        assert!(count(&actions, "GetCallerIdentity") <= 1, "{actions:?}");
    }

    #[test]
    fn what_does_not_exist_is_missing_and_a_failed_listing_is_looked_up_live() {
        let moto = Moto::start();
        let (proxy, provider) = proxied(&moto);
        let fixture = Fixture::new();
        let (observed, actions) = plan_like(&fixture, &provider, &proxy);
        for (name, found) in &observed {
            assert_eq!(*found, Observed::Missing, "{name}");
        }
        // ECR refuses a listing that names a missing repository: the repository is then looked
        // up on its own. The others' listings answer for the missing names.
        assert_eq!(count(&actions, "DescribeRepositories"), 2, "{actions:?}");
        assert_eq!(count(&actions, "DescribeDBInstances"), 1, "{actions:?}");
        assert_eq!(count(&actions, "DescribeSecurityGroups"), 1, "{actions:?}");
    }
}

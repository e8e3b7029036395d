//! `network` on the `aws` provider: an EC2 security group `<project>-<environment>-<resource>`
//! in the account's default VPC, with exactly the declared ingress rules (TCP from each range to
//! each port), attached to the RDS instances its rules reach. Rules added outside idp are drift:
//! observe reports them, apply revokes them. Deleting detaches the group first.

use crate::manifest::{Network, Resource};
use crate::providers::{Observed, Outputs, ProviderError, Scope};

use super::provider::{
    AwsProvider, ensure_ours, failed, foreign, is_not_found, missing_tags, physical_name,
    push_tags, tag_drift, tags,
};
use super::rds;
use super::survey::Survey;
use crate::aws::client::Params;
use crate::aws::service::EC2;
use crate::aws::xml::Element;

/// One ingress rule as EC2 holds it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Rule {
    pub protocol: String,
    pub from_port: Option<u16>,
    pub to_port: Option<u16>,
    pub cidr: String,
}

impl Rule {
    fn describe(&self) -> String {
        match (self.from_port, self.to_port) {
            (Some(from), Some(to)) if from == to => {
                format!("{} port {from} from {}", self.protocol, self.cidr)
            }
            (Some(from), Some(to)) => {
                format!("{} ports {from}-{to} from {}", self.protocol, self.cidr)
            }
            _ => format!("{} from {}", self.protocol, self.cidr),
        }
    }
}

/// Returns the rules a network resource declares.
pub fn declared(network: &Network) -> Vec<Rule> {
    let mut rules: Vec<Rule> = network
        .allow
        .iter()
        .map(|rule| Rule {
            protocol: "tcp".to_string(),
            from_port: Some(rule.port),
            to_port: Some(rule.port),
            cidr: rule.from.clone(),
        })
        .collect();
    rules.sort();
    rules.dedup();
    rules
}

/// What exists of a security group.
#[derive(Clone)]
pub struct Found {
    pub id: String,
    pub rules: Vec<Rule>,
    pub tags: Vec<(String, String)>,
}

pub(super) fn read_group(item: &Element) -> Found {
    let mut rules = Vec::new();
    for permission in item.list(&["ipPermissions"]) {
        let protocol = permission.text_at(&["ipProtocol"]).unwrap_or("-1");
        let port = |name: &str| permission.text_at(&[name]).and_then(|p| p.parse().ok());
        for range in permission.list(&["ipRanges"]) {
            if let Some(cidr) = range.text_at(&["cidrIp"]) {
                rules.push(Rule {
                    protocol: protocol.to_string(),
                    from_port: port("fromPort"),
                    to_port: port("toPort"),
                    cidr: cidr.to_string(),
                });
            }
        }
    }
    rules.sort();
    let tags = item
        .list(&["tagSet"])
        .into_iter()
        .filter_map(|tag| {
            Some((
                tag.text_at(&["key"])?.into(),
                tag.text_at(&["value"])?.into(),
            ))
        })
        .collect();
    Found {
        id: item.text_at(&["groupId"]).unwrap_or_default().to_string(),
        rules,
        tags,
    }
}

/// Finds the security group of that name.
pub fn find(provider: &AwsProvider, group: &str) -> Result<Option<Found>, ProviderError> {
    let params = Params::new()
        .with("Filter.1.Name", "group-name")
        .with("Filter.1.Value.1", group);
    let root = provider
        .client()
        .query(&EC2, "DescribeSecurityGroups", &params)
        .map_err(failed(format!("reading the security group `{group}`")))?;
    Ok(root
        .list(&["securityGroupInfo"])
        .first()
        .map(|item| read_group(item)))
}

/// Returns the databases a network's rules reach, which get its security group attached.
fn databases<'a>(scope: &Scope<'_>, targets: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut databases: Vec<String> = targets
        .into_iter()
        .filter(|to| {
            matches!(
                scope.manifest.resources.get(*to),
                Some(Resource::Postgres(_)) | None
            )
        })
        .map(|to| physical_name(scope, to))
        .collect();
    databases.sort();
    databases.dedup();
    databases
}

/// Returns the existing instances among `databases` that lack (`attached` false) or carry the
/// group.
fn instances_where(
    provider: &AwsProvider,
    survey: &Survey,
    databases: &[String],
    group_id: &str,
    attached: bool,
) -> Result<Vec<(String, Vec<String>)>, ProviderError> {
    let mut found = Vec::new();
    for identifier in databases {
        if let Some(instance) = survey.instance(provider, identifier)?
            && instance.security_groups.iter().any(|g| g == group_id) == attached
        {
            found.push((identifier.clone(), instance.security_groups));
        }
    }
    Ok(found)
}

fn drift(found: &Found, scope: &Scope<'_>, name: &str, network: &Network) -> Vec<String> {
    let wanted = declared(network);
    let mut drift = tag_drift(&found.tags, &tags(scope, name));
    drift.extend(
        wanted
            .iter()
            .filter(|rule| !found.rules.contains(rule))
            .map(|rule| format!("ingress rule missing: {}", rule.describe())),
    );
    drift.extend(
        found
            .rules
            .iter()
            .filter(|rule| !wanted.contains(rule))
            .map(|rule| format!("ingress rule added outside idp: {}", rule.describe())),
    );
    drift
}

pub fn observe(
    provider: &AwsProvider,
    survey: &Survey,
    scope: &Scope<'_>,
    name: &str,
    network: &Network,
) -> Result<Observed, ProviderError> {
    let group = physical_name(scope, name);
    let Some(found) = survey.group(provider, &group)? else {
        return Ok(Observed::Missing);
    };
    if let Some(foreign) = foreign(
        &found.tags,
        scope,
        name,
        format!("the security group `{group}`"),
    ) {
        return Ok(foreign);
    }
    let mut drift = drift(&found, scope, name, network);
    let databases = databases(scope, network.allow.iter().map(|rule| rule.to.as_str()));
    for (identifier, _) in instances_where(provider, survey, &databases, &found.id, false)? {
        drift.push(format!("not attached to the RDS instance `{identifier}`"));
    }
    Ok(Observed::Present { drift })
}

/// Adds `rules` as `IpPermissions.N…` parameters.
fn permissions(mut params: Params, rules: &[&Rule]) -> Params {
    for (index, rule) in rules.iter().enumerate() {
        let prefix = format!("IpPermissions.{}", index + 1);
        params.push(format!("{prefix}.IpProtocol"), &rule.protocol);
        if let Some(port) = rule.from_port {
            params.push(format!("{prefix}.FromPort"), port.to_string());
        }
        if let Some(port) = rule.to_port {
            params.push(format!("{prefix}.ToPort"), port.to_string());
        }
        params.push(format!("{prefix}.IpRanges.1.CidrIp"), &rule.cidr);
    }
    params
}

pub fn apply(
    provider: &AwsProvider,
    scope: &Scope<'_>,
    name: &str,
    network: &Network,
) -> Result<Outputs, ProviderError> {
    let client = provider.client();
    let group = physical_name(scope, name);
    let desired_tags = tags(scope, name);
    let action = |what: &str| format!("{what} the security group `{group}`");
    let found = match find(provider, &group)? {
        Some(found) => {
            ensure_ours(
                &found.tags,
                scope,
                name,
                &format!("the security group `{group}`"),
                "adopting",
            )?;
            found
        }
        None => {
            let mut params = Params::new()
                .with("GroupName", &group)
                .with(
                    "GroupDescription",
                    format!("idp network `{name}` of {}", scope.project()),
                )
                .with("TagSpecification.1.ResourceType", "security-group");
            if let Some(vpc) = &scope.platform.aws.vpc_id {
                params.push("VpcId", vpc);
            }
            push_tags(&mut params, "TagSpecification.1.Tag", &desired_tags);
            let root = match client.query(&EC2, "CreateSecurityGroup", &params) {
                Ok(root) => root,
                Err(error) if super::provider::already_exists(&error) => {
                    let error = failed(action("creating"))(error);
                    return super::provider::adopt_once(
                        || apply(provider, scope, name, network),
                        error,
                    );
                }
                Err(error) => return Err(failed(action("creating"))(error)),
            };
            Found {
                id: root.text_at(&["groupId"]).unwrap_or_default().to_string(),
                rules: Vec::new(),
                tags: desired_tags.clone(),
            }
        }
    };
    let wanted = declared(network);
    let missing: Vec<&Rule> = wanted
        .iter()
        .filter(|rule| !found.rules.contains(rule))
        .collect();
    let extra: Vec<&Rule> = found
        .rules
        .iter()
        .filter(|rule| !wanted.contains(rule))
        .collect();
    if !extra.is_empty() {
        let params = permissions(Params::new().with("GroupId", &found.id), &extra);
        client
            .query(&EC2, "RevokeSecurityGroupIngress", &params)
            .map_err(failed(action("revoking rules added outside idp on")))?;
    }
    if !missing.is_empty() {
        let params = permissions(Params::new().with("GroupId", &found.id), &missing);
        match client.query(&EC2, "AuthorizeSecurityGroupIngress", &params) {
            // A lost answer: the rules are in already.
            Err(error) if !super::provider::already_exists(&error) => {
                return Err(failed(action("adding ingress rules to"))(error));
            }
            _ => {}
        }
    }
    let untagged = missing_tags(&found.tags, &desired_tags);
    if !untagged.is_empty() {
        let mut params = Params::new().with("ResourceId.1", &found.id);
        push_tags(&mut params, "Tag", untagged);
        client
            .query(&EC2, "CreateTags", &params)
            .map_err(failed(action("tagging")))?;
    }
    let databases = databases(scope, network.allow.iter().map(|rule| rule.to.as_str()));
    for (identifier, mut groups) in
        instances_where(provider, &Survey::default(), &databases, &found.id, false)?
    {
        groups.push(found.id.clone());
        rds::set_security_groups(provider, &identifier, &groups)?;
    }
    Ok(Outputs::from([
        ("security_group".to_string(), found.id),
        ("rules".to_string(), wanted.len().to_string()),
    ]))
}

/// Deletes the group, detaching it first from the databases the recorded rules reached
/// (`targets`).
pub fn delete(
    provider: &AwsProvider,
    scope: &Scope<'_>,
    name: &str,
    targets: &[&str],
) -> Result<(), ProviderError> {
    let group = physical_name(scope, name);
    let Some(found) = find(provider, &group)? else {
        return Ok(());
    };
    ensure_ours(
        &found.tags,
        scope,
        name,
        &format!("the security group `{group}`"),
        "deleting",
    )?;
    let databases = databases(scope, targets.iter().copied());
    for (identifier, groups) in
        instances_where(provider, &Survey::default(), &databases, &found.id, true)?
    {
        let kept: Vec<String> = groups.into_iter().filter(|g| *g != found.id).collect();
        rds::set_security_groups(provider, &identifier, &kept)?;
    }
    match provider.client().query(
        &EC2,
        "DeleteSecurityGroup",
        &Params::new().with("GroupId", &found.id),
    ) {
        Ok(_) => Ok(()),
        Err(e) if is_not_found(&e, &["InvalidGroup.NotFound"]) => Ok(()),
        Err(e) => Err(failed(format!("deleting the security group `{group}`"))(e)),
    }
}

//! `network` on the local provider: ingress rules become `pg_hba.conf` lines for the target
//! database and its roles. The server listens on loopback only, so loopback is always allowed for
//! the owner and wider ranges only document intent until the server listens wider.
//!
//! All of one project and environment's lines live in one fragment, regenerated from the manifest
//! whenever a database, identity or network resource changes.

use crate::manifest::Resource;
use crate::providers::{Observed, Outputs, ProviderError, Scope};

use super::cluster::Cluster;
use super::names;

/// Returns the pg_hba lines of this project and environment, leaving out `excluded` resources.
pub fn fragment_lines(scope: &Scope<'_>, excluded: &[&str]) -> Vec<String> {
    let resources = &scope.manifest.resources;
    let included = |name: &str| !excluded.contains(&name);
    let mut lines = Vec::new();
    for (database_name, resource) in resources {
        if !matches!(resource, Resource::Postgres(_)) || !included(database_name) {
            continue;
        }
        let database = names::database(scope, database_name);
        // The owner, and every identity granted something on this database.
        let mut roles = vec![names::role(scope, database_name)];
        for (identity_name, resource) in resources {
            if let Resource::Identity(identity) = resource {
                let granted = identity.grants.iter().any(|g| {
                    g.split_once(':')
                        .is_some_and(|(target, _)| target == database_name)
                });
                if granted && included(identity_name) {
                    roles.push(names::role(scope, identity_name));
                }
            }
        }
        let mut ranges = vec!["127.0.0.1/32".to_string()];
        for (network_name, resource) in resources {
            if let Resource::Network(network) = resource
                && included(network_name)
            {
                ranges.extend(
                    network
                        .allow
                        .iter()
                        .filter(|rule| rule.to == *database_name)
                        .map(|rule| rule.from.clone()),
                );
            }
        }
        ranges.dedup();
        for role in &roles {
            for range in &ranges {
                lines.push(format!("host {database} {role} {range} scram-sha-256"));
            }
        }
    }
    lines
}

/// Rewrites this project and environment's fragment and reloads the server.
pub fn refresh(
    cluster: &Cluster,
    scope: &Scope<'_>,
    excluded: &[&str],
) -> Result<(), ProviderError> {
    let lines = fragment_lines(scope, excluded);
    let fragment = if lines.is_empty() {
        None
    } else {
        Some(lines.as_slice())
    };
    cluster
        .set_hba_fragment(&names::hba_fragment(scope), fragment)
        .map_err(|e| {
            ProviderError::new(
                "updating the server's access rules (pg_hba.conf)",
                e.to_string(),
            )
        })
}

/// Looks whether the rules of network resource `name` are in force.
pub fn observe(
    cluster: &Cluster,
    scope: &Scope<'_>,
    name: &str,
) -> Result<Observed, ProviderError> {
    let current = cluster
        .hba_fragment(&names::hba_fragment(scope))
        .map_err(|e| ProviderError::new("reading the server's access rules", e.to_string()))?;
    let Some(current) = current else {
        return Ok(Observed::Missing);
    };
    let with = fragment_lines(scope, &[]);
    let without = fragment_lines(scope, &[name]);
    let own: Vec<&String> = with.iter().filter(|line| !without.contains(line)).collect();
    let missing: Vec<String> = own
        .iter()
        .filter(|line| !current.contains(line))
        .map(|line| format!("rule missing: `{line}`"))
        .collect();
    if !own.is_empty() && missing.len() == own.len() {
        return Ok(Observed::Missing);
    }
    let extra: Vec<String> = current
        .iter()
        .filter(|line| !with.contains(line))
        .map(|line| format!("rule added outside idp: `{line}`"))
        .collect();
    Ok(Observed::Present {
        drift: missing.into_iter().chain(extra).collect(),
    })
}

pub fn apply(cluster: &Cluster, scope: &Scope<'_>, name: &str) -> Result<Outputs, ProviderError> {
    refresh(cluster, scope, &[])?;
    let rules = fragment_lines(scope, &[]).len() - fragment_lines(scope, &[name]).len();
    Ok(Outputs::from([("rules".to_string(), rules.to_string())]))
}

pub fn delete(cluster: &Cluster, scope: &Scope<'_>, name: &str) -> Result<(), ProviderError> {
    refresh(cluster, scope, &[name])
}

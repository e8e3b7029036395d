//! `identity` on the local provider: a login role granted exactly what its `grants` name on this
//! project's databases (`connect` → CONNECT and USAGE on the schema; `read` → SELECT; `write` →
//! INSERT, UPDATE, DELETE), and a registry user when it may pull or push images. Grants it no
//! longer has are revoked.

use crate::credentials::Secret;
use crate::manifest::{Identity, Resource};
use crate::providers::{Observed, Outputs, ProviderError, Scope};

use super::cluster::{Cluster, quote_ident, quote_literal};
use super::{names, network, roles};

/// Returns the (registry resource, action) pairs an identity is granted.
pub fn registry_grants<'a>(scope: &Scope<'_>, identity: &'a Identity) -> Vec<(&'a str, &'a str)> {
    identity
        .grants
        .iter()
        .filter_map(|grant| grant.split_once(':'))
        .filter(|(target, _)| {
            matches!(
                scope.manifest.resources.get(*target),
                Some(Resource::Registry(_))
            )
        })
        .collect()
}

pub fn observe(
    cluster: &Cluster,
    scope: &Scope<'_>,
    name: &str,
) -> Result<Observed, ProviderError> {
    roles::observe(
        cluster,
        &names::role(scope, name),
        &names::marker(scope, name),
    )
}

pub fn apply(
    cluster: &Cluster,
    scope: &Scope<'_>,
    name: &str,
    identity: &Identity,
    password: &Secret,
    progress: &dyn Fn(&str),
) -> Result<Outputs, ProviderError> {
    let role = names::role(scope, name);
    let marker = names::marker(scope, name);
    progress("creating the role");
    roles::ensure_login_role(cluster, &role, &marker, password, None)?;
    progress("granting access");
    let databases: Vec<&String> = scope
        .manifest
        .resources
        .iter()
        .filter(|(_, r)| matches!(r, Resource::Postgres(_)))
        .map(|(n, _)| n)
        .collect();
    let existing = existing_databases(cluster, scope, &databases)?;
    for database_name in databases {
        if !existing.contains(&names::database(scope, database_name)) {
            // Not made yet; its own provisioning comes first when this identity names it.
            continue;
        }
        let actions: Vec<&str> = identity
            .grants
            .iter()
            .filter_map(|g| g.split_once(':'))
            .filter(|(target, _)| target == database_name)
            .map(|(_, action)| action)
            .collect();
        grant_on_database(cluster, scope, database_name, &role, &actions)?;
    }
    network::refresh(cluster, scope, &[])?;
    Ok(Outputs::from([("user".to_string(), role)]))
}

/// Returns which of the named databases exist, in one query.
fn existing_databases(
    cluster: &Cluster,
    scope: &Scope<'_>,
    names_: &[&String],
) -> Result<Vec<String>, ProviderError> {
    if names_.is_empty() {
        return Ok(Vec::new());
    }
    let list: Vec<String> = names_
        .iter()
        .map(|n| quote_literal(&names::database(scope, n)))
        .collect();
    let rows = cluster
        .sql(
            "postgres",
            &format!(
                "SELECT datname FROM pg_database WHERE datname IN ({})",
                list.join(", ")
            ),
        )
        .map_err(|e| ProviderError::new("listing the project's databases", e.to_string()))?;
    Ok(rows
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect())
}

/// Brings the role's privileges on one existing database to exactly `actions`, in one round trip.
fn grant_on_database(
    cluster: &Cluster,
    scope: &Scope<'_>,
    database_name: &str,
    role: &str,
    actions: &[&str],
) -> Result<(), ProviderError> {
    let database = names::database(scope, database_name);
    let owner = names::role(scope, database_name);
    let (db, ident, owner) = (
        quote_ident(&database),
        quote_ident(role),
        quote_ident(&owner),
    );
    let any = !actions.is_empty();
    let read = actions.contains(&"read");
    let write = actions.contains(&"write");
    let verb = |on: bool| {
        if on {
            ("GRANT", "TO")
        } else {
            ("REVOKE", "FROM")
        }
    };
    let (connect, connect_to) = verb(any);
    let (usage, usage_to) = verb(any);
    let (select, select_to) = verb(read);
    let (change, change_to) = verb(write);
    let sql = format!(
        "{connect} CONNECT ON DATABASE {db} {connect_to} {ident};\n\
         {usage} USAGE ON SCHEMA public {usage_to} {ident};\n\
         {select} SELECT ON ALL TABLES IN SCHEMA public {select_to} {ident};\n\
         ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public {select} SELECT ON TABLES {select_to} {ident};\n\
         {change} INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public {change_to} {ident};\n\
         {change} USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public {change_to} {ident};\n\
         ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public {change} INSERT, UPDATE, DELETE ON TABLES {change_to} {ident};\n\
         ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public {change} USAGE, SELECT ON SEQUENCES {change_to} {ident};\n"
    );
    cluster
        .sql(&database, &sql)
        .map_err(|e| ProviderError::new(format!("granting on `{database}`"), e.to_string()))?;
    Ok(())
}

pub fn delete(cluster: &Cluster, scope: &Scope<'_>, name: &str) -> Result<(), ProviderError> {
    let role = names::role(scope, name);
    let exists = !cluster
        .sql(
            "postgres",
            &format!(
                "SELECT 1 FROM pg_roles WHERE rolname = {}",
                quote_literal(&role)
            ),
        )
        .map_err(|e| ProviderError::new(format!("reading the role `{role}`"), e.to_string()))?
        .is_empty();
    if exists {
        // Its privileges live in every database it was granted on; drop them there first.
        let databases = cluster
            .sql(
                "postgres",
                "SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate",
            )
            .map_err(|e| ProviderError::new("listing databases", e.to_string()))?;
        for database in databases.lines().filter(|d| !d.is_empty()) {
            cluster
                .sql(
                    database,
                    &format!("DROP OWNED BY {};\n", quote_ident(&role)),
                )
                .map_err(|e| {
                    ProviderError::new(format!("revoking `{role}` on `{database}`"), e.to_string())
                })?;
        }
        cluster
            .sql(
                "postgres",
                &format!("DROP ROLE IF EXISTS {};\n", quote_ident(&role)),
            )
            .map_err(|e| {
                ProviderError::new(format!("dropping the role `{role}`"), e.to_string())
            })?;
    }
    network::refresh(cluster, scope, &[name])
}

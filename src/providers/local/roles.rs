//! Login roles in the shared cluster, for database owners and identities alike: made with idp's
//! marker in the same transaction, so a role without the marker is never idp's, and never taken
//! over when it belongs to someone else.

use crate::credentials::Secret;
use crate::providers::{Observed, ProviderError};

use super::cluster::{Cluster, quote_ident, quote_literal, scram_verifier};
use super::names;

/// Returns whether `role` is missing, this resource's (`marker`), or someone else's.
pub fn observe(cluster: &Cluster, role: &str, marker: &str) -> Result<Observed, ProviderError> {
    let comment = cluster
        .sql(
            "postgres",
            &format!(
                "SELECT coalesce(shobj_description(oid, 'pg_authid'), '') FROM pg_roles WHERE rolname = {}",
                quote_literal(role)
            ),
        )
        .map_err(|e| ProviderError::new(format!("reading the role `{role}`"), e.to_string()))?;
    Ok(match comment.lines().next() {
        None => Observed::Missing,
        Some(found) if found == marker => Observed::Present { drift: Vec::new() },
        Some(found) => Observed::Foreign {
            what: format!("the role `{role}`"),
            owner: names::describe_owner(found),
        },
    })
}

/// Creates or updates a login role with the SCRAM verifier of `password` (the cleartext never
/// reaches the server) and no other powers; refuses a role of that name that is not this one's.
pub fn ensure_login_role(
    cluster: &Cluster,
    role: &str,
    marker: &str,
    password: &Secret,
    connection_limit: Option<i64>,
) -> Result<(), ProviderError> {
    let action = format!("creating the role `{role}`");
    if let Observed::Foreign { owner, .. } = observe(cluster, role, marker)? {
        return Err(ProviderError::new(
            action,
            format!("a role of that name already exists and belongs to {owner}"),
        )
        .with_hint("rename the resource in idp.toml; idp never takes over what it did not make"));
    }
    let limit = connection_limit
        .map(|limit| format!(" CONNECTION LIMIT {limit}"))
        .unwrap_or_default();
    let sql = format!(
        "BEGIN;\n\
         SELECT 'CREATE ROLE {ident}' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {literal})\\gexec\n\
         ALTER ROLE {ident} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION{limit} PASSWORD {verifier};\n\
         COMMENT ON ROLE {ident} IS {marker};\n\
         COMMIT;\n",
        ident = quote_ident(role),
        literal = quote_literal(role),
        verifier = quote_literal(&scram_verifier(password.expose())),
        marker = quote_literal(marker),
    );
    cluster
        .sql("postgres", &sql)
        .map_err(|e| ProviderError::new(action, e.to_string()))?;
    Ok(())
}

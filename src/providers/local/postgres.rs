//! `postgres` on the local provider: a database and its owner role in the shared cluster, the role's
//! password kept in the credential store (only its SCRAM verifier reaches the server).

use std::path::{Path, PathBuf};

use crate::credentials::Secret;
use crate::providers::{DeleteOptions, Deleted, Observed, Outputs, ProviderError, Scope, Target};
use crate::state::RecordedResource;

use super::cluster::{Cluster, quote_ident, quote_literal};
use super::{names, network, roles};

/// Looks at the database without changing anything.
pub fn observe(
    cluster: &Cluster,
    scope: &Scope<'_>,
    name: &str,
    recorded: Option<&RecordedResource>,
) -> Result<Observed, ProviderError> {
    let database = names::database(scope, name);
    let row = cluster
        .sql(
            "postgres",
            &format!(
                "SELECT coalesce(shobj_description(oid, 'pg_database'), ''), datconnlimit, pg_get_userbyid(datdba) \
                 FROM pg_database WHERE datname = {}",
                quote_literal(&database)
            ),
        )
        .map_err(|e| ProviderError::new(format!("reading the database `{database}`"), e.to_string()))?;
    let Some(row) = row.lines().next() else {
        return Ok(Observed::Missing);
    };
    let fields: Vec<&str> = row.split('|').collect();
    let (comment, limit, owner) = (
        fields[0],
        fields.get(1).copied().unwrap_or(""),
        fields.get(2).copied().unwrap_or(""),
    );
    let ours = comment == names::marker(scope, name)
        || (comment.is_empty() && owner == names::role(scope, name));
    if !ours {
        return Ok(Observed::Foreign {
            what: format!("the database `{database}`"),
            owner: names::describe_owner(comment),
        });
    }
    let mut drift = Vec::new();
    if let Some(expected) = recorded
        .and_then(|r| r.config.get("connection_limit"))
        .and_then(serde_json::Value::as_i64)
        && limit.parse::<i64>().ok() != Some(expected)
    {
        drift.push(format!(
            "connection limit changed outside idp: {expected} → {limit}"
        ));
    }
    if owner != names::role(scope, name) {
        drift.push(format!("owner changed outside idp: `{owner}`"));
    }
    Ok(Observed::Present { drift })
}

/// Creates or updates the owner role and the database, then the access rules.
pub fn apply(
    cluster: &Cluster,
    scope: &Scope<'_>,
    target: &Target<'_>,
    password: &Secret,
    progress: &dyn Fn(&str),
) -> Result<Outputs, ProviderError> {
    let database = names::database(scope, target.name);
    let role = names::role(scope, target.name);
    let marker = names::marker(scope, target.name);
    let failed = |what: &str| {
        let what = what.to_string();
        move |e: super::cluster::ClusterError| ProviderError::new(what, e.to_string())
    };
    let limit = target
        .config
        .get("connection_limit")
        .and_then(serde_json::Value::as_i64)
        .unwrap_or(20);
    progress("creating the owner role");
    roles::ensure_login_role(cluster, &role, &marker, password, Some(limit))?;
    progress("creating the database");
    let database_sql = format!(
        "SELECT 'CREATE DATABASE {db} OWNER {owner}' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = {literal})\\gexec\n\
         COMMENT ON DATABASE {db} IS {marker};\n\
         ALTER DATABASE {db} OWNER TO {owner};\n\
         ALTER DATABASE {db} CONNECTION LIMIT {limit};\n\
         REVOKE ALL ON DATABASE {db} FROM PUBLIC;\n\
         GRANT CONNECT, TEMPORARY ON DATABASE {db} TO {owner};\n",
        db = quote_ident(&database),
        owner = quote_ident(&role),
        literal = quote_literal(&database),
        marker = quote_literal(&marker),
    );
    cluster
        .sql("postgres", &database_sql)
        .map_err(failed(&format!("creating the database `{database}`")))?;
    network::refresh(cluster, scope, &[])?;
    let port = cluster.port();
    Ok(Outputs::from([
        ("host".to_string(), "127.0.0.1".to_string()),
        ("port".to_string(), port.to_string()),
        ("database".to_string(), database.clone()),
        ("user".to_string(), role.clone()),
        (
            "url".to_string(),
            format!("postgres://{role}@127.0.0.1:{port}/{database}"),
        ),
    ]))
}

/// Takes a final backup (unless told not to), then drops the database and its role.
pub fn delete(
    cluster: &Cluster,
    scope: &Scope<'_>,
    name: &str,
    options: &DeleteOptions,
    progress: &dyn Fn(&str),
) -> Result<Deleted, ProviderError> {
    let database = names::database(scope, name);
    let role = names::role(scope, name);
    let exists = !cluster
        .sql(
            "postgres",
            &format!(
                "SELECT 1 FROM pg_database WHERE datname = {}",
                quote_literal(&database)
            ),
        )
        .map_err(|e| {
            ProviderError::new(format!("reading the database `{database}`"), e.to_string())
        })?
        .is_empty();
    let mut backup = None;
    if exists && options.final_backup {
        progress("taking a final backup");
        let path = backup_path(&options.backup_dir, &database);
        std::fs::create_dir_all(&options.backup_dir).map_err(|e| {
            ProviderError::new(
                "creating the backup directory",
                format!("{}: {e}", options.backup_dir.display()),
            )
        })?;
        cluster.dump(&database, &path).map_err(|e| {
            ProviderError::new(format!("backing up `{database}`"), e.to_string())
                .with_hint("nothing was deleted")
        })?;
        backup = Some(path);
    }
    progress("dropping the database");
    let sql = format!(
        "DROP DATABASE IF EXISTS {db} WITH (FORCE);\nDROP ROLE IF EXISTS {role};\n",
        db = quote_ident(&database),
        role = quote_ident(&role)
    );
    cluster
        .sql("postgres", &sql)
        .map_err(|e| ProviderError::new(format!("dropping `{database}`"), e.to_string()))?;
    network::refresh(cluster, scope, &[name])?;
    Ok(Deleted { backup })
}

/// Returns where a new backup of `database` goes: `<dir>/<database>-<unix seconds>.dump`.
pub fn backup_path(dir: &Path, database: &str) -> PathBuf {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    dir.join(format!("{database}-{seconds}.dump"))
}

/// Dumps the database into `dir`.
pub fn backup(
    cluster: &Cluster,
    scope: &Scope<'_>,
    name: &str,
    dir: &Path,
) -> Result<PathBuf, ProviderError> {
    let database = names::database(scope, name);
    std::fs::create_dir_all(dir).map_err(|e| {
        ProviderError::new(
            "creating the backup directory",
            format!("{}: {e}", dir.display()),
        )
    })?;
    let path = backup_path(dir, &database);
    cluster
        .dump(&database, &path)
        .map_err(|e| ProviderError::new(format!("backing up `{database}`"), e.to_string()))?;
    Ok(path)
}

/// Restores a backup into the database, replacing what its objects hold.
pub fn restore(
    cluster: &Cluster,
    scope: &Scope<'_>,
    name: &str,
    backup: &Path,
) -> Result<(), ProviderError> {
    let database = names::database(scope, name);
    cluster.restore(&database, backup).map_err(|e| {
        ProviderError::new(
            format!("restoring `{database}` from `{}`", backup.display()),
            e.to_string(),
        )
    })
}

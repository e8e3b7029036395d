//! The connection settings handed to the app (`DATABASE_URL`, `REGISTRY_URL`, …), built from the
//! recorded outputs and the stored credentials. The only place secrets are joined into URLs.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::credentials::{CredentialKey, Secret, Store};
use crate::error::Error;
use crate::state::{ResourceStatus, State};

/// One variable for the app's environment.
#[derive(Clone, Debug, Serialize)]
pub struct Variable {
    pub name: String,
    /// The value with any secret masked.
    pub masked: String,
    #[serde(skip)]
    pub value: Secret,
}

/// Returns the variables for every ready resource of `state`, sorted by name.
///
/// Each database gives `<NAME>_DATABASE_URL` and its parts (on aws, the password stays in Secrets
/// Manager: `DATABASE_SECRET_ARN` names it instead); the first (by name), or the one named
/// `db`, also gives `DATABASE_URL`. Each registry gives `<NAME>_REGISTRY_URL`, `…_REPOSITORY`,
/// `…_USERNAME`, `…_PASSWORD`, and the first also the same without the prefix.
pub fn variables(state: &State, credentials: &Store) -> Result<Vec<Variable>, Error> {
    let mut variables: BTreeMap<String, Variable> = BTreeMap::new();
    let mut add = |name: String, value: String, secret: Option<&Secret>| {
        let masked = match secret {
            Some(secret) if !secret.expose().is_empty() => value.replace(secret.expose(), "****"),
            _ => value.clone(),
        };
        variables.insert(
            name.clone(),
            Variable {
                name,
                masked,
                value: Secret::new(value),
            },
        );
    };
    let ready = |kind: &str| {
        state
            .resources
            .iter()
            .filter(move |(_, r)| r.kind == kind && r.status == ResourceStatus::Ready)
            .collect::<Vec<_>>()
    };
    let databases = ready("postgres");
    let primary_database = databases
        .iter()
        .find(|(name, _)| name.as_str() == "db")
        .or(databases.first())
        .map(|(n, _)| n.to_string());
    for (name, record) in &databases {
        let output = |key: &str| record.outputs.get(key).cloned().unwrap_or_default();
        // A password idp stores (local), or a secret the app reads itself (aws: its ARN).
        let password = match record.outputs.get("secret_arn") {
            Some(_) => Secret::new(String::new()),
            None => secret(credentials, state, name, &output("user"))?,
        };
        let credentials_part = if password.expose().is_empty() {
            output("user")
        } else {
            format!("{}:{}", output("user"), password.expose())
        };
        let url = format!(
            "postgres://{credentials_part}@{}:{}/{}",
            output("host"),
            output("port"),
            output("database")
        );
        let prefix = env_prefix(name);
        let mut set = |prefix: &str| {
            add(
                format!("{prefix}DATABASE_URL"),
                url.clone(),
                Some(&password),
            );
            add(format!("{prefix}PGHOST"), output("host"), None);
            add(format!("{prefix}PGPORT"), output("port"), None);
            add(format!("{prefix}PGDATABASE"), output("database"), None);
            add(format!("{prefix}PGUSER"), output("user"), None);
            if password.expose().is_empty() {
                add(
                    format!("{prefix}DATABASE_SECRET_ARN"),
                    output("secret_arn"),
                    None,
                );
            } else {
                add(
                    format!("{prefix}PGPASSWORD"),
                    password.expose().to_string(),
                    Some(&password),
                );
            }
        };
        set(&format!("{prefix}_"));
        if primary_database.as_deref() == Some(name.as_str()) {
            set("");
        }
    }
    let registries = ready("registry");
    for (i, (name, record)) in registries.iter().enumerate() {
        let output = |key: &str| record.outputs.get(key).cloned().unwrap_or_default();
        // The local registry has a user and password; ECR authenticates with the identity's role.
        let password = match record.outputs.get("user") {
            Some(user) => Some(secret(credentials, state, name, user)?),
            None => None,
        };
        let prefixes = if i == 0 {
            vec![format!("{}_", env_prefix(name)), String::new()]
        } else {
            vec![format!("{}_", env_prefix(name))]
        };
        for prefix in prefixes {
            add(format!("{prefix}REGISTRY_URL"), output("url"), None);
            add(
                format!("{prefix}REGISTRY_REPOSITORY"),
                format!("{}/{}", output("url"), output("repository")),
                None,
            );
            if let Some(password) = &password {
                add(format!("{prefix}REGISTRY_USERNAME"), output("user"), None);
                add(
                    format!("{prefix}REGISTRY_PASSWORD"),
                    password.expose().to_string(),
                    Some(password),
                );
            }
        }
    }
    Ok(variables.into_values().collect())
}

fn secret(
    credentials: &Store,
    state: &State,
    resource: &str,
    account: &str,
) -> Result<Secret, Error> {
    let key = CredentialKey {
        project: state.project.clone(),
        environment: state.environment.clone(),
        resource: resource.to_string(),
        account: account.to_string(),
    };
    credentials
        .get(&key)?
        .ok_or_else(|| Error::CredentialMissing {
            resource: resource.to_string(),
            environment: state.environment.clone(),
        })
}

/// Returns a resource name as an environment variable prefix: `db-main` → `DB_MAIN`.
fn env_prefix(name: &str) -> String {
    name.to_ascii_uppercase().replace('-', "_")
}

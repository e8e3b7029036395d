//! `registry` on the local provider: a repository name in the shared registry and a push/pull
//! user whose password is in the credential store (the registry keeps only its bcrypt hash).
//!
//! htpasswd authentication has no per-repository permissions: every user of the local registry
//! can reach every repository in it. It is a development registry on loopback; the `aws` provider
//! enforces per-repository access.

use crate::credentials::Secret;
use crate::providers::{Observed, Outputs, ProviderError, Scope};

use super::names;
use super::registry_server::RegistryServer;

pub fn observe(
    server: &RegistryServer,
    scope: &Scope<'_>,
    name: &str,
) -> Result<Observed, ProviderError> {
    let user = names::registry_user(scope, name);
    let exists = server
        .has_user(&user)
        .map_err(|e| ProviderError::new("reading the registry's users", e.to_string()))?;
    Ok(if exists {
        Observed::Present { drift: Vec::new() }
    } else {
        Observed::Missing
    })
}

pub fn apply(
    server: &RegistryServer,
    scope: &Scope<'_>,
    name: &str,
    user: &str,
    password: &Secret,
) -> Result<Outputs, ProviderError> {
    set_user(server, user, password)?;
    Ok(Outputs::from([
        ("url".to_string(), server.address()),
        ("repository".to_string(), names::repository(scope, name)),
        ("user".to_string(), user.to_string()),
    ]))
}

pub fn set_user(
    server: &RegistryServer,
    user: &str,
    password: &Secret,
) -> Result<(), ProviderError> {
    server.set_user(user, password.expose()).map_err(|e| {
        ProviderError::new(
            format!("creating the registry user `{user}`"),
            e.to_string(),
        )
    })
}

pub fn remove_user(server: &RegistryServer, user: &str) -> Result<(), ProviderError> {
    server.remove_user(user).map_err(|e| {
        ProviderError::new(
            format!("removing the registry user `{user}`"),
            e.to_string(),
        )
    })
}

//! The local provider's names: every database, role and registry user carries the project and
//! environment, so projects sharing the one server never collide, and a marker that says so.

use crate::providers::Scope;

/// PostgreSQL truncates identifiers at 63 bytes.
const MAX_IDENTIFIER: usize = 63;

/// Returns the database (and owner role) name of a resource: `<project>_<environment>_<resource>`.
pub fn database(scope: &Scope<'_>, resource: &str) -> String {
    role(scope, resource)
}

/// Returns the login role of a resource (a database's owner or an identity).
pub fn role(scope: &Scope<'_>, resource: &str) -> String {
    let name = format!(
        "{}_{}_{}",
        scope.project(),
        scope.environment_name,
        resource
    )
    .replace('-', "_");
    if name.len() <= MAX_IDENTIFIER {
        return name;
    }
    // Keep names unique when they must be shortened: a prefix and a hash of the whole.
    format!(
        "{}_{:08x}",
        &name[..MAX_IDENTIFIER - 9],
        fnv1a(&name) as u32
    )
}

/// Returns the registry user of a resource.
pub fn registry_user(scope: &Scope<'_>, resource: &str) -> String {
    format!(
        "{}-{}-{}",
        scope.project(),
        scope.environment_name,
        resource
    )
}

/// Returns the repository a registry resource stands for.
pub fn repository(scope: &Scope<'_>, resource: &str) -> String {
    format!("{}/{}", scope.project(), resource)
}

/// Returns the ownership marker written as a comment on databases and roles.
pub fn marker(scope: &Scope<'_>, resource: &str) -> String {
    format!(
        "idp:project={};environment={};resource={}",
        scope.project(),
        scope.environment_name,
        resource
    )
}

/// Describes who owns something from its comment, for a conflict message.
pub fn describe_owner(comment: &str) -> String {
    match comment.strip_prefix("idp:") {
        Some(fields) => {
            let field = |key: &str| {
                fields
                    .split(';')
                    .find_map(|f| f.strip_prefix(&format!("{key}=")))
                    .unwrap_or("?")
                    .to_string()
            };
            format!(
                "idp project `{}` (environment `{}`)",
                field("project"),
                field("environment")
            )
        }
        None => "something idp did not make".to_string(),
    }
}

/// Returns the name of the pg_hba fragment of this project and environment.
pub fn hba_fragment(scope: &Scope<'_>) -> String {
    format!("{}--{}", scope.project(), scope.environment_name)
}

fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

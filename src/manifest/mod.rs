//! The `idp.toml` manifest: its types, how it is found and read, how it is checked, and its schema.

pub mod edit;
mod load;
mod model;
mod validate;

pub use load::{MANIFEST_FILE, find_manifest, load_manifest, parse_manifest};
pub use model::*;
pub use validate::{check_dns_label, dependencies, grant_actions, is_broad_grant_part};

use std::collections::BTreeMap;

impl Manifest {
    /// Returns the declared environments, or `dev` on the `local` provider when none is declared.
    pub fn effective_environments(&self) -> BTreeMap<String, Environment> {
        if self.environments.is_empty() {
            BTreeMap::from([(
                "dev".to_string(),
                Environment::Local(LocalEnvironment::default()),
            )])
        } else {
            self.environments.clone()
        }
    }

    /// Returns the JSON Schema of `idp.toml`, generated from these types.
    pub fn json_schema() -> serde_json::Value {
        serde_json::to_value(schemars::schema_for!(Manifest)).expect("schemas serialize")
    }
}

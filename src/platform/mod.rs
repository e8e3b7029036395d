//! The platform policy: what the platform team allows, requires and maps, with secure defaults.
//!
//! Built-in defaults apply when no `platform.toml` is found; a file only needs the keys it changes.

mod model;

pub use model::*;

use std::path::Path;

use crate::document::{Parsed, parse_typed};

/// Reads and checks a platform file. Rule IDs under `[rules]` are checked by the policy module.
pub fn load_platform(path: &Path) -> std::io::Result<Parsed<Platform>> {
    let text = std::fs::read_to_string(path)?;
    Ok(parse_typed::<Platform>(path, text))
}

impl Platform {
    /// Returns whether an environment of this name gets the stricter prod-like guardrails.
    pub fn is_prod_like(&self, environment: &str) -> bool {
        self.policy
            .prod_like_environments
            .iter()
            .any(|name| name == environment)
    }
}

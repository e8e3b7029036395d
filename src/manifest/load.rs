//! Finding `idp.toml` (upward from the working directory, as cargo finds `Cargo.toml`) and reading it.

use std::path::{Path, PathBuf};

use crate::document::{Parsed, parse_typed};

use super::model::Manifest;
use super::validate::validate;

/// The manifest's file name.
pub const MANIFEST_FILE: &str = "idp.toml";

/// Returns the nearest `idp.toml` in `start` or one of its parents.
pub fn find_manifest(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(MANIFEST_FILE))
        .find(|candidate| candidate.is_file())
}

/// Reads and checks the manifest at `path`: syntax, shape, names and references.
///
/// Guardrails are not evaluated here; they need the platform policy (see `policy::evaluate`).
pub fn load_manifest(path: &Path) -> std::io::Result<Parsed<Manifest>> {
    let text = std::fs::read_to_string(path)?;
    Ok(parse_manifest(path, text))
}

/// Checks manifest text as if read from `path`: what `load_manifest` does, for text not yet
/// written (an edit is checked before it replaces the file).
pub fn parse_manifest(path: &Path, text: String) -> Parsed<Manifest> {
    let mut parsed = parse_typed::<Manifest>(path, text);
    if let (Some(manifest), Some(file)) = (&parsed.value, &parsed.file) {
        let mut findings = validate(manifest);
        for finding in &mut findings {
            finding.locate(file);
        }
        if !findings.is_empty() {
            parsed.value = None;
        }
        parsed.findings.extend(findings);
    }
    parsed
}

//! A project as commands see it: its manifest and the platform policy in force, both read and
//! checked, with every finding located in its file.

use std::path::PathBuf;

use crate::document::Parsed;
use crate::error::Error;
use crate::finding::{Category, Finding, has_errors};
use crate::manifest::{Manifest, load_manifest};
use crate::output::Source;
use crate::platform::{Platform, load_platform};
use crate::policy::{self, Date};
use crate::settings::{PlatformSource, Settings};

/// The manifest and platform policy of one project.
pub struct Workspace {
    pub manifest_path: PathBuf,
    pub manifest: Parsed<Manifest>,
    pub platform_source: PlatformSource,
    /// The platform file as read; `None` for the built-in policy.
    pub platform_file: Option<Parsed<Platform>>,
}

impl Workspace {
    /// Finds and reads the manifest, then the platform policy it is held to.
    pub fn load(settings: &Settings) -> Result<Workspace, Error> {
        let manifest_path = settings.manifest_path()?;
        let manifest = load_manifest(&manifest_path).map_err(|source| Error::Io {
            action: "read the manifest".into(),
            path: manifest_path.clone(),
            source,
        })?;
        // Read the key from the document, not the model: a manifest with findings still names the
        // policy it is held to.
        let platform_key = manifest
            .file
            .as_ref()
            .and_then(|file| file.document().get("platform"))
            .and_then(|item| item.as_str());
        let platform_source = settings.platform_source(platform_key, Some(&manifest_path));
        let platform_file = match platform_source.path() {
            None => None,
            Some(path) if !path.is_file() => {
                return Err(Error::PlatformMissing {
                    path: path.to_path_buf(),
                    origin: platform_source.origin(),
                });
            }
            Some(path) => {
                let mut parsed = load_platform(path).map_err(|source| Error::Io {
                    action: "read the platform file".into(),
                    path: path.to_path_buf(),
                    source,
                })?;
                if let (Some(platform), Some(file)) = (&parsed.value, &parsed.file) {
                    let mut findings = policy::check_platform_rules(platform);
                    findings.iter_mut().for_each(|f| f.locate(file));
                    parsed.findings.extend(findings);
                }
                Some(parsed)
            }
        };
        Ok(Workspace {
            manifest_path,
            manifest,
            platform_source,
            platform_file,
        })
    }

    /// Returns the platform policy in force, or `None` when its file is malformed.
    pub fn platform(&self) -> Option<Platform> {
        match &self.platform_file {
            None => Some(Platform::default()),
            Some(parsed) => parsed.value.clone(),
        }
    }

    /// Returns the environments a command acts on: the one named, or all of them.
    pub fn environments(&self, only: Option<&str>) -> Result<Vec<String>, Error> {
        let Some(manifest) = &self.manifest.value else {
            return Ok(Vec::new());
        };
        let known: Vec<String> = manifest.effective_environments().into_keys().collect();
        match only {
            None => Ok(known),
            Some(name) if known.iter().any(|k| k == name) => Ok(vec![name.to_string()]),
            Some(name) => Err(Error::UnknownEnvironment {
                name: name.to_string(),
                manifest: self.manifest_path.clone(),
                known,
            }),
        }
    }

    /// Returns every finding: the files' own, then the guardrails' for the chosen environments.
    ///
    /// Guardrails are evaluated only when both files are well formed; a malformed file is reported
    /// first, as judging half a manifest would mislead.
    pub fn check(&self, only: Option<&str>, today: Date) -> Vec<Finding> {
        let mut findings = self.manifest.findings.clone();
        if let Some(platform_file) = &self.platform_file {
            findings.extend(platform_file.findings.iter().cloned());
        }
        if let (Some(manifest), Some(file)) = (&self.manifest.value, &self.manifest.file) {
            let mut waiver_findings = policy::check_waivers(manifest);
            waiver_findings.iter_mut().for_each(|f| f.locate(file));
            findings.extend(waiver_findings);
        }
        if has_errors(&findings, Category::Invalid) {
            return findings;
        }
        if let (Some(manifest), Some(platform)) = (&self.manifest.value, self.platform()) {
            let mut policy_findings = policy::evaluate(manifest, &platform, only, today);
            if let Some(file) = &self.manifest.file {
                policy_findings.iter_mut().for_each(|f| f.locate(file));
            }
            findings.extend(policy_findings);
        }
        findings
    }

    /// Returns the texts findings may quote.
    pub fn sources(&self) -> Vec<Source<'_>> {
        let mut sources = vec![Source {
            path: &self.manifest_path,
            text: &self.manifest.text,
        }];
        if let (Some(parsed), Some(path)) = (&self.platform_file, self.platform_source.path()) {
            sources.push(Source {
                path,
                text: &parsed.text,
            });
        }
        sources
    }
}

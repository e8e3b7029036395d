//! Resolves every setting once, from flags, `IDP_*` variables (through clap), files and defaults, and
//! remembers where the platform policy came from so messages can say it.
//!
//! This is the only module that reads the process environment (`clippy.toml` enforces it).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::env_vars;
use crate::error::Error;
use crate::manifest::find_manifest;
use crate::output::Format;

/// Whether to colour output, as the user asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// The global flags after clap has applied their `IDP_*` variables.
#[derive(Clone, Debug)]
pub struct GlobalOptions {
    pub manifest: Option<PathBuf>,
    pub environment: Option<String>,
    pub platform: Option<PathBuf>,
    /// Whether `platform` came from `IDP_PLATFORM` rather than `--platform`.
    pub platform_from_env: bool,
    pub output: Format,
    pub color: ColorChoice,
    pub verbose: u8,
    pub quiet: bool,
    pub yes: bool,
    pub no_input: bool,
}

/// Every setting a command needs, resolved once.
#[derive(Clone, Debug)]
pub struct Settings {
    pub cwd: PathBuf,
    pub manifest: Option<PathBuf>,
    pub environment: Option<String>,
    pub platform: Option<PathBuf>,
    pub platform_from_env: bool,
    pub output: Format,
    pub color: bool,
    pub verbose: u8,
    pub quiet: bool,
    pub yes: bool,
    pub no_input: bool,
    /// The per-user configuration directory for idp (`$XDG_CONFIG_HOME/idp`).
    pub config_dir: Option<PathBuf>,
    /// The per-user cache base (`$XDG_CACHE_HOME`, or `~/.cache`).
    pub cache_home: Option<PathBuf>,
    /// Whether questions may be asked: stdin and stderr are terminals and `--no-input` is off.
    pub can_prompt: bool,
    /// Where the local provider's servers and the credential file live: `IDP_DATA_DIR`, else
    /// `/var/lib/idp` as root (the servers then run as an unprivileged user, who cannot reach
    /// root's home), else `$XDG_DATA_HOME/idp`.
    pub data_dir: Option<PathBuf>,
    /// `IDP_CREDENTIAL_STORE`: `file` or `keyring`, when forced.
    pub credential_store: Option<String>,
    /// Whether stderr is a terminal, where progress is drawn in place.
    pub stderr_is_terminal: bool,
    /// `IDP_CONCURRENCY`: the most resources worked on at once, when capped below what the
    /// provider tolerates.
    pub concurrency: Option<usize>,
    /// The `AWS_*` variables and home directory the AWS credential chain reads.
    pub aws_credentials: crate::aws::credentials::CredentialInputs,
}

/// Where the platform policy in force comes from, in order of precedence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlatformSource {
    /// `--platform`.
    Flag(PathBuf),
    /// `IDP_PLATFORM`.
    Environment(PathBuf),
    /// The manifest's `platform = "…"`.
    Manifest(PathBuf),
    /// `$XDG_CONFIG_HOME/idp/platform.toml`.
    UserConfig(PathBuf),
    /// No file: the built-in defaults.
    BuiltIn,
}

impl PlatformSource {
    pub fn path(&self) -> Option<&Path> {
        match self {
            PlatformSource::Flag(path)
            | PlatformSource::Environment(path)
            | PlatformSource::Manifest(path)
            | PlatformSource::UserConfig(path) => Some(path),
            PlatformSource::BuiltIn => None,
        }
    }

    /// Returns how the source was chosen, for messages.
    pub fn origin(&self) -> &'static str {
        match self {
            PlatformSource::Flag(_) => "`--platform`",
            PlatformSource::Environment(_) => "`IDP_PLATFORM`",
            PlatformSource::Manifest(_) => "the manifest's `platform` key",
            PlatformSource::UserConfig(_) => "the user configuration",
            PlatformSource::BuiltIn => "built in",
        }
    }

    /// Returns how the source was chosen, as a stable word for JSON output.
    pub fn kind(&self) -> &'static str {
        match self {
            PlatformSource::Flag(_) => "flag",
            PlatformSource::Environment(_) => "environment",
            PlatformSource::Manifest(_) => "manifest",
            PlatformSource::UserConfig(_) => "user-config",
            PlatformSource::BuiltIn => "built-in",
        }
    }
}

impl Settings {
    /// Resolves the settings from the global flags and the process environment.
    #[allow(
        clippy::disallowed_methods,
        reason = "settings.rs is the one place that reads the environment"
    )]
    pub fn resolve(options: GlobalOptions) -> Result<Settings, Error> {
        let cwd = std::env::current_dir().map_err(|source| Error::Io {
            action: "read the current directory".into(),
            path: PathBuf::from("."),
            source,
        })?;
        let var = |name: &str| std::env::var_os(name).filter(|value| !value.is_empty());
        let color = match options.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                var(env_vars::NO_COLOR).is_none() && std::io::stderr().is_terminal()
            }
        };
        let config_dir = var(env_vars::XDG_CONFIG_HOME)
            .map(PathBuf::from)
            .or_else(|| var(env_vars::HOME).map(|home| PathBuf::from(home).join(".config")))
            .map(|base| base.join("idp"));
        let cache_home = var(env_vars::XDG_CACHE_HOME)
            .map(PathBuf::from)
            .or_else(|| var(env_vars::HOME).map(|home| PathBuf::from(home).join(".cache")));
        let data_dir = var(env_vars::IDP_DATA_DIR).map(PathBuf::from).or_else(|| {
            if running_as_root() {
                Some(PathBuf::from("/var/lib/idp"))
            } else {
                var(env_vars::XDG_DATA_HOME)
                    .map(PathBuf::from)
                    .or_else(|| {
                        var(env_vars::HOME).map(|home| PathBuf::from(home).join(".local/share"))
                    })
                    .map(|base| base.join("idp"))
            }
        });
        let credential_store =
            var(env_vars::IDP_CREDENTIAL_STORE).map(|v| v.to_string_lossy().into_owned());
        let concurrency = var(env_vars::IDP_CONCURRENCY)
            .map(|value| parse_concurrency(&value.to_string_lossy()))
            .transpose()?;
        let can_prompt =
            !options.no_input && std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
        Ok(Settings {
            cwd,
            manifest: options.manifest,
            environment: options.environment,
            platform: options.platform,
            platform_from_env: options.platform_from_env,
            output: options.output,
            color,
            verbose: options.verbose,
            quiet: options.quiet,
            yes: options.yes,
            no_input: options.no_input,
            config_dir,
            cache_home,
            can_prompt,
            data_dir,
            credential_store,
            stderr_is_terminal: std::io::stderr().is_terminal(),
            concurrency,
            aws_credentials: crate::aws::credentials::CredentialInputs::from_lookup(
                var(env_vars::HOME).map(PathBuf::from),
                |name| std::env::var(name).ok(),
            ),
        })
    }

    /// Returns the manifest to use: `--manifest`, or the nearest `idp.toml` upward from the current
    /// directory, shown relative to it.
    pub fn manifest_path(&self) -> Result<PathBuf, Error> {
        if let Some(path) = &self.manifest {
            if !path.is_file() {
                return Err(Error::ManifestMissing { path: path.clone() });
            }
            return Ok(path.clone());
        }
        let found = find_manifest(&self.cwd).ok_or_else(|| Error::ManifestNotFound {
            start: self.cwd.clone(),
        })?;
        Ok(relative_to(&found, &self.cwd))
    }

    /// Returns the platform policy file to use, in order: `--platform` / `IDP_PLATFORM`, the
    /// manifest's `platform` key (relative to the manifest), the user's configuration, built in.
    pub fn platform_source(
        &self,
        manifest_key: Option<&str>,
        manifest_path: Option<&Path>,
    ) -> PlatformSource {
        if let Some(path) = &self.platform {
            if self.platform_from_env {
                return PlatformSource::Environment(path.clone());
            }
            return PlatformSource::Flag(path.clone());
        }
        if let Some(key) = manifest_key {
            let base = manifest_path
                .and_then(Path::parent)
                .unwrap_or(Path::new(""));
            return PlatformSource::Manifest(base.join(key));
        }
        match &self.config_dir {
            Some(dir) if dir.join("platform.toml").is_file() => {
                PlatformSource::UserConfig(dir.join("platform.toml"))
            }
            _ => PlatformSource::BuiltIn,
        }
    }
}

/// Returns the `IDP_CONCURRENCY` value as a number of at least 1.
fn parse_concurrency(value: &str) -> Result<usize, Error> {
    match value.trim().parse::<usize>() {
        Ok(limit) if limit > 0 => Ok(limit),
        _ => Err(crate::providers::ProviderError::new(
            format!("reading `{}`", env_vars::IDP_CONCURRENCY),
            format!("`{value}` is not a whole number of at least 1"),
        )
        .with_hint(format!(
            "set `{}=4`, say, or unset it to use the provider's own limit",
            env_vars::IDP_CONCURRENCY
        ))
        .into()),
    }
}

/// Returns whether idp runs as root, from the process's own status (no libc binding needed).
fn running_as_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("Uid:"))
                .map(|l| l.split_whitespace().nth(2) == Some("0"))
        })
        .unwrap_or(false)
}

/// Returns `path` relative to `base` when it lies in `base` or one of its parents (`../idp.toml`).
fn relative_to(path: &Path, base: &Path) -> PathBuf {
    for (depth, ancestor) in base.ancestors().enumerate() {
        if let Ok(rest) = path.strip_prefix(ancestor) {
            let mut relative: PathBuf = std::iter::repeat_n("..", depth).collect();
            relative.push(rest);
            return relative;
        }
    }
    path.to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::MANIFEST_FILE;

    #[test]
    fn reads_the_concurrency_cap() {
        assert_eq!(parse_concurrency("3").unwrap(), 3);
        assert!(parse_concurrency("0").is_err());
        assert!(parse_concurrency("many").is_err());
    }

    #[test]
    fn shows_found_manifests_relative_to_the_working_directory() {
        assert_eq!(
            relative_to(Path::new("/a/b/idp.toml"), Path::new("/a/b")),
            PathBuf::from(MANIFEST_FILE)
        );
        assert_eq!(
            relative_to(Path::new("/a/idp.toml"), Path::new("/a/b/c")),
            PathBuf::from("../../idp.toml")
        );
    }
}

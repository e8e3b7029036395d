//! AWS credentials from the chain the AWS CLI uses: the `AWS_ACCESS_KEY_ID` /
//! `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN` variables, then a profile (the environment's
//! `profile`, else `AWS_PROFILE`, else `default`) from the shared credentials file
//! (`AWS_SHARED_CREDENTIALS_FILE`, `~/.aws/credentials`) and the config file (`AWS_CONFIG_FILE`,
//! `~/.aws/config`, `[profile NAME]` sections), where a profile with `role_arn` is assumed through
//! STS from its `source_profile` (chains included) or `credential_source = Environment`.
//!
//! As `aws --profile`, a profile named by the environment wins over the variables; `AWS_PROFILE`
//! does not. This module only reads files: [`CredentialInputs`] carries what the process
//! environment said (settings.rs fills it), and the STS calls are the client's
//! ([`super::client::Client`]), so a [`Source`] says what to do rather than doing it.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::credentials::Secret;

/// What the process environment says about AWS credentials: read once by settings.rs, never here.
#[derive(Clone, Debug, Default)]
pub struct CredentialInputs {
    /// The user's home directory, for `~/.aws/credentials` and `~/.aws/config`.
    pub home: Option<PathBuf>,
    /// `AWS_ACCESS_KEY_ID`.
    pub access_key_id: Option<String>,
    /// `AWS_SECRET_ACCESS_KEY`.
    pub secret_access_key: Option<Secret>,
    /// `AWS_SESSION_TOKEN`.
    pub session_token: Option<Secret>,
    /// `AWS_PROFILE`.
    pub profile: Option<String>,
    /// `AWS_SHARED_CREDENTIALS_FILE`.
    pub shared_credentials_file: Option<PathBuf>,
    /// `AWS_CONFIG_FILE`.
    pub config_file: Option<PathBuf>,
}

impl CredentialInputs {
    /// Builds the inputs from a lookup of environment variables by name (settings.rs passes its
    /// reader of the process environment; tests pass a map). Empty values count as unset.
    pub fn from_lookup(home: Option<PathBuf>, lookup: impl Fn(&str) -> Option<String>) -> Self {
        use crate::env_vars;
        let get = |name: &str| lookup(name).filter(|value| !value.is_empty());
        CredentialInputs {
            home,
            access_key_id: get(env_vars::AWS_ACCESS_KEY_ID),
            secret_access_key: get(env_vars::AWS_SECRET_ACCESS_KEY).map(Secret::new),
            session_token: get(env_vars::AWS_SESSION_TOKEN).map(Secret::new),
            profile: get(env_vars::AWS_PROFILE),
            shared_credentials_file: get(env_vars::AWS_SHARED_CREDENTIALS_FILE).map(PathBuf::from),
            config_file: get(env_vars::AWS_CONFIG_FILE).map(PathBuf::from),
        }
    }

    fn credentials_path(&self) -> Option<PathBuf> {
        self.file(&self.shared_credentials_file, "credentials")
    }

    fn config_path(&self) -> Option<PathBuf> {
        self.file(&self.config_file, "config")
    }

    fn file(&self, given: &Option<PathBuf>, default_name: &str) -> Option<PathBuf> {
        match given {
            Some(path) => Some(match (path.strip_prefix("~"), &self.home) {
                (Ok(rest), Some(home)) => home.join(rest),
                _ => path.clone(),
            }),
            None => self
                .home
                .as_ref()
                .map(|home| home.join(".aws").join(default_name)),
        }
    }

    /// The credentials in the variables, when both halves are set.
    fn environment_credentials(&self) -> Result<Option<Credentials>, CredentialsError> {
        match (&self.access_key_id, &self.secret_access_key) {
            (Some(access_key_id), Some(secret_access_key)) => Ok(Some(Credentials {
                access_key_id: access_key_id.clone(),
                secret_access_key: secret_access_key.clone(),
                session_token: self.session_token.clone(),
                expires_at: None,
            })),
            (None, None) => Ok(None),
            (Some(_), None) => Err(CredentialsError::PartialEnvironment {
                missing: crate::env_vars::AWS_SECRET_ACCESS_KEY,
            }),
            (None, Some(_)) => Err(CredentialsError::PartialEnvironment {
                missing: crate::env_vars::AWS_ACCESS_KEY_ID,
            }),
        }
    }
}

/// A set of AWS credentials. The secret parts never print.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credentials {
    pub access_key_id: String,
    pub secret_access_key: Secret,
    pub session_token: Option<Secret>,
    /// When temporary credentials stop working.
    pub expires_at: Option<SystemTime>,
}

/// Where the credentials come from, resolved from the environment and files; assuming a role is
/// left to the client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// Credentials as they are, with where they were found (for messages).
    Static {
        credentials: Credentials,
        origin: String,
    },
    /// Assume `role` with the credentials `source` gives.
    AssumeRole {
        role: AssumeRole,
        source: Box<Source>,
        /// The profile that says so.
        profile: String,
    },
}

impl Source {
    /// Where the credentials come from, in words: "profile `deploy` (role
    /// `arn:aws:iam::1:role/x` from profile `base` in ~/.aws/credentials)".
    pub fn describe(&self) -> String {
        match self {
            Source::Static { origin, .. } => origin.clone(),
            Source::AssumeRole {
                role,
                source,
                profile,
            } => format!(
                "profile `{profile}` (role `{}` assumed with {})",
                role.role_arn,
                source.describe()
            ),
        }
    }
}

/// An STS `AssumeRole` a profile asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssumeRole {
    pub role_arn: String,
    pub session_name: String,
    pub external_id: Option<String>,
    pub duration_seconds: Option<u32>,
}

/// Why no credentials could be found.
#[derive(Debug, thiserror::Error)]
pub enum CredentialsError {
    #[error(
        "no AWS credentials found: `AWS_ACCESS_KEY_ID` is not set and there is no profile `{profile}` in {}",
        files_list(searched)
    )]
    NotFound {
        profile: String,
        searched: Vec<PathBuf>,
    },
    #[error("the AWS profile `{profile}` is not in {}", files_list(searched))]
    ProfileNotFound {
        profile: String,
        searched: Vec<PathBuf>,
    },
    #[error("`{missing}` is not set, but the other half of the AWS access key is")]
    PartialEnvironment { missing: &'static str },
    #[error("the AWS profile `{profile}` has {present} but no `{missing}`")]
    Incomplete {
        profile: String,
        present: &'static str,
        missing: &'static str,
    },
    #[error("the AWS profile `{profile}` has no credentials, `role_arn` or `source_profile`")]
    NoCredentials { profile: String },
    #[error("the AWS profile `{profile}` uses {what}, which idp does not support yet")]
    Unsupported { profile: String, what: String },
    #[error("the AWS profiles form a loop: {}", chain.join(" -> "))]
    Cycle { chain: Vec<String> },
    #[error("reading `{}`: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("`{}` line {line}: {reason}", path.display())]
    Syntax {
        path: PathBuf,
        line: usize,
        reason: &'static str,
    },
    #[error("the AWS profile `{profile}` has an invalid `{key}`: `{value}`")]
    InvalidValue {
        profile: String,
        key: &'static str,
        value: String,
    },
}

impl CredentialsError {
    /// What to do about it, when there is something to say.
    pub fn hint(&self) -> Option<String> {
        match self {
            CredentialsError::NotFound { .. } => Some(
                "run `aws configure`, or set `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`, or name a profile with `profile = \"…\"` in the environment or `AWS_PROFILE`".to_string(),
            ),
            CredentialsError::ProfileNotFound { .. } => {
                Some("`aws configure list-profiles` lists the profiles you have".to_string())
            }
            CredentialsError::Unsupported { .. } => Some(
                "export credentials for idp with `eval \"$(aws configure export-credentials --format env)\"`".to_string(),
            ),
            _ => None,
        }
    }
}

fn files_list(files: &[PathBuf]) -> String {
    if files.is_empty() {
        return "any AWS config file (no home directory is known)".to_string();
    }
    files
        .iter()
        .map(|path| format!("`{}`", path.display()))
        .collect::<Vec<_>>()
        .join(" or ")
}

/// Resolves where the credentials come from. `profile` is the environment's own (`profile = …` in
/// `idp.toml`); it wins over the variables, as `aws --profile` does.
pub fn resolve(
    inputs: &CredentialInputs,
    profile: Option<&str>,
) -> Result<Source, CredentialsError> {
    if profile.is_none()
        && let Some(credentials) = inputs.environment_credentials()?
    {
        return Ok(Source::Static {
            credentials,
            origin: "the `AWS_ACCESS_KEY_ID` environment variables".to_string(),
        });
    }
    let name = profile
        .or(inputs.profile.as_deref())
        .unwrap_or("default")
        .to_string();
    let files = ProfileFiles::load(inputs)?;
    if files.profiles.is_empty() && name == "default" {
        return Err(CredentialsError::NotFound {
            profile: name,
            searched: files.searched,
        });
    }
    let mut chain = Vec::new();
    files.resolve(&name, inputs, &mut chain)
}

/// The profiles of both files, merged: the credentials file's keys win, as in the AWS CLI.
struct ProfileFiles {
    profiles: BTreeMap<String, Profile>,
    searched: Vec<PathBuf>,
}

#[derive(Default)]
struct Profile {
    values: BTreeMap<String, String>,
    /// The files that define it, for messages.
    files: Vec<PathBuf>,
}

impl Profile {
    fn get(&self, key: &str) -> Option<&str> {
        self.values
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    fn origin(&self, name: &str) -> String {
        match self.files.as_slice() {
            [] => format!("profile `{name}`"),
            files => format!("profile `{name}` in {}", files_list(files)),
        }
    }

    /// The profile's own keys, when it has them.
    fn static_credentials(&self, name: &str) -> Result<Option<Credentials>, CredentialsError> {
        let access_key_id = self.get("aws_access_key_id");
        let secret = self.get("aws_secret_access_key");
        match (access_key_id, secret) {
            (Some(access_key_id), Some(secret)) => Ok(Some(Credentials {
                access_key_id: access_key_id.to_string(),
                secret_access_key: Secret::new(secret.to_string()),
                session_token: self
                    .get("aws_session_token")
                    .or_else(|| self.get("aws_security_token"))
                    .map(|token| Secret::new(token.to_string())),
                expires_at: None,
            })),
            (None, None) => Ok(None),
            (Some(_), None) => Err(CredentialsError::Incomplete {
                profile: name.to_string(),
                present: "`aws_access_key_id`",
                missing: "aws_secret_access_key",
            }),
            (None, Some(_)) => Err(CredentialsError::Incomplete {
                profile: name.to_string(),
                present: "`aws_secret_access_key`",
                missing: "aws_access_key_id",
            }),
        }
    }
}

/// Keys naming credential sources idp cannot use yet, with how to say them.
const UNSUPPORTED: &[(&str, &str)] = &[
    ("sso_session", "IAM Identity Center (`sso_session`)"),
    ("sso_start_url", "IAM Identity Center (`sso_start_url`)"),
    ("credential_process", "`credential_process`"),
    ("web_identity_token_file", "`web_identity_token_file`"),
    ("login_session", "`aws login` (`login_session`)"),
];

impl ProfileFiles {
    fn load(inputs: &CredentialInputs) -> Result<ProfileFiles, CredentialsError> {
        let mut files = ProfileFiles {
            profiles: BTreeMap::new(),
            searched: Vec::new(),
        };
        // The config file first, so the credentials file's keys overwrite its.
        if let Some(path) = inputs.config_path() {
            files.read(&path, true)?;
        }
        if let Some(path) = inputs.credentials_path() {
            files.read(&path, false)?;
        }
        Ok(files)
    }

    fn read(&mut self, path: &Path, config: bool) -> Result<(), CredentialsError> {
        self.searched.push(path.to_path_buf());
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(source) => {
                return Err(CredentialsError::Read {
                    path: path.to_path_buf(),
                    source,
                });
            }
        };
        for (section, values) in
            parse_ini(&text).map_err(|(line, reason)| CredentialsError::Syntax {
                path: path.to_path_buf(),
                line,
                reason,
            })?
        {
            // In the config file a profile is `[profile NAME]`, or `[default]`; other sections
            // (`[sso-session …]`, `[services …]`) are not profiles. In the credentials file every
            // section is one.
            let name = if config {
                match section.strip_prefix("profile ") {
                    Some(name) => name.trim().to_string(),
                    None if section == "default" => section,
                    None => continue,
                }
            } else {
                section
            };
            let profile = self.profiles.entry(name).or_default();
            profile.values.extend(values);
            if !profile.files.iter().any(|p| p == path) {
                profile.files.push(path.to_path_buf());
            }
        }
        Ok(())
    }

    /// Resolves a profile; `chain` holds the profiles that led here through `source_profile`.
    fn resolve(
        &self,
        name: &str,
        inputs: &CredentialInputs,
        chain: &mut Vec<String>,
    ) -> Result<Source, CredentialsError> {
        let Some(profile) = self.profiles.get(name) else {
            return Err(CredentialsError::ProfileNotFound {
                profile: name.to_string(),
                searched: self.searched.clone(),
            });
        };
        // A profile used as another's source gives its own keys first, as in the AWS CLI.
        if !chain.is_empty()
            && let Some(credentials) = profile.static_credentials(name)?
        {
            return Ok(Source::Static {
                credentials,
                origin: profile.origin(name),
            });
        }
        if let Some(role_arn) = profile.get("role_arn") {
            if chain.iter().any(|n| n == name) {
                let mut looped = chain.clone();
                looped.push(name.to_string());
                return Err(CredentialsError::Cycle { chain: looped });
            }
            chain.push(name.to_string());
            if profile.get("mfa_serial").is_some() {
                return Err(CredentialsError::Unsupported {
                    profile: name.to_string(),
                    what: "`mfa_serial` (idp cannot ask for an MFA code)".to_string(),
                });
            }
            let source = match (
                profile.get("source_profile"),
                profile.get("credential_source"),
            ) {
                (Some(source), _) if source == name => match profile.static_credentials(name)? {
                    Some(credentials) => Source::Static {
                        credentials,
                        origin: profile.origin(name),
                    },
                    None => {
                        return Err(CredentialsError::NoCredentials {
                            profile: name.to_string(),
                        });
                    }
                },
                (Some(source), _) => self.resolve(source, inputs, chain)?,
                (None, Some("Environment")) => match inputs.environment_credentials()? {
                    Some(credentials) => Source::Static {
                        credentials,
                        origin: "the `AWS_ACCESS_KEY_ID` environment variables".to_string(),
                    },
                    None => {
                        return Err(CredentialsError::NotFound {
                            profile: name.to_string(),
                            searched: Vec::new(),
                        });
                    }
                },
                (None, Some(other)) => {
                    return Err(CredentialsError::Unsupported {
                        profile: name.to_string(),
                        what: format!("`credential_source = {other}`"),
                    });
                }
                (None, None) => {
                    return Err(CredentialsError::NoCredentials {
                        profile: name.to_string(),
                    });
                }
            };
            let duration_seconds = match profile.get("duration_seconds") {
                Some(text) => {
                    Some(
                        text.parse::<u32>()
                            .map_err(|_| CredentialsError::InvalidValue {
                                profile: name.to_string(),
                                key: "duration_seconds",
                                value: text.to_string(),
                            })?,
                    )
                }
                None => None,
            };
            return Ok(Source::AssumeRole {
                role: AssumeRole {
                    role_arn: role_arn.to_string(),
                    session_name: profile
                        .get("role_session_name")
                        .map(str::to_string)
                        .unwrap_or_else(default_session_name),
                    external_id: profile.get("external_id").map(str::to_string),
                    duration_seconds,
                },
                source: Box::new(source),
                profile: name.to_string(),
            });
        }
        if let Some(credentials) = profile.static_credentials(name)? {
            return Ok(Source::Static {
                credentials,
                origin: profile.origin(name),
            });
        }
        if let Some((_, what)) = UNSUPPORTED
            .iter()
            .find(|(key, _)| profile.get(key).is_some())
        {
            return Err(CredentialsError::Unsupported {
                profile: name.to_string(),
                what: what.to_string(),
            });
        }
        Err(CredentialsError::NoCredentials {
            profile: name.to_string(),
        })
    }
}

/// `idp-<unix time>`, as the AWS CLI uses `botocore-session-<unix time>`.
fn default_session_name() -> String {
    let seconds = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    format!("idp-{seconds}")
}

type Sections = Vec<(String, BTreeMap<String, String>)>;

/// Reads an AWS INI file: `[section]` headers, `key = value` lines (keys lowercased), `#` and `;`
/// comment lines, and indented sub-keys under a key with no value (`s3 =` then `  addressing_style
/// = path`), which are skipped. Returns the sections in order, or (line, reason).
fn parse_ini(text: &str) -> Result<Sections, (usize, &'static str)> {
    let mut sections: Sections = Vec::new();
    let mut nested = false;
    for (index, raw) in text.lines().enumerate() {
        let line_number = index + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        let indented = raw.starts_with([' ', '\t']);
        if indented && nested {
            continue;
        }
        if let Some(header) = line.strip_prefix('[') {
            let name = header
                .strip_suffix(']')
                .ok_or((line_number, "a section header without `]`"))?;
            sections.push((name.trim().to_string(), BTreeMap::new()));
            nested = false;
            continue;
        }
        let (key, value) = line
            .split_once('=')
            .ok_or((line_number, "expected `key = value`"))?;
        let Some((_, values)) = sections.last_mut() else {
            return Err((line_number, "a key before any `[section]`"));
        };
        let value = value.trim();
        nested = value.is_empty();
        values.insert(key.trim().to_ascii_lowercase(), value.to_string());
    }
    Ok(sections)
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn home_with(credentials: &str, config: &str) -> tempfile::TempDir {
        let home = tempfile::tempdir().unwrap();
        std::fs::create_dir(home.path().join(".aws")).unwrap();
        std::fs::write(home.path().join(".aws/credentials"), credentials).unwrap();
        std::fs::write(home.path().join(".aws/config"), config).unwrap();
        home
    }

    fn inputs(home: &Path, vars: &[(&str, &str)]) -> CredentialInputs {
        let vars: BTreeMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        CredentialInputs::from_lookup(Some(home.to_path_buf()), |name| vars.get(name).cloned())
    }

    fn static_key(source: &Source) -> &str {
        match source {
            Source::Static { credentials, .. } => &credentials.access_key_id,
            Source::AssumeRole { .. } => panic!("expected static credentials, got {source:?}"),
        }
    }

    const FILES: (&str, &str) = (
        "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s1\n\n\
         [base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = SECRET-BASE\naws_session_token = TOKEN-BASE\n",
        "# comment\n[default]\nregion = eu-west-1\ns3 =\n  addressing_style = path\n\
         [profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/deployer\nsource_profile = base\n\
         role_session_name = ci\nexternal_id = xyz\nduration_seconds = 900\n\
         [profile chained]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = deploy\n\
         [profile fromenv]\nrole_arn = arn:aws:iam::123456789012:role/envrole\ncredential_source = Environment\n\
         [profile loop-a]\nrole_arn = arn:a\nsource_profile = loop-b\n\
         [profile loop-b]\nrole_arn = arn:b\nsource_profile = loop-a\n\
         [profile sso]\nsso_session = corp\n\
         [profile mfa]\nrole_arn = arn:m\nsource_profile = base\nmfa_serial = arn:mfa\n\
         [sso-session corp]\nsso_region = eu-west-1\n",
    );

    #[test]
    fn environment_variables_come_first() {
        let home = home_with(FILES.0, FILES.1);
        let inputs = inputs(
            home.path(),
            &[
                ("AWS_ACCESS_KEY_ID", "AKIDENV"),
                ("AWS_SECRET_ACCESS_KEY", "secret"),
                ("AWS_SESSION_TOKEN", "token"),
                ("AWS_PROFILE", "base"),
            ],
        );
        let source = resolve(&inputs, None).unwrap();
        assert_eq!(static_key(&source), "AKIDENV");
        let Source::Static { credentials, .. } = &source else {
            unreachable!()
        };
        assert_eq!(
            credentials.session_token.as_ref().unwrap().expose(),
            "token"
        );
        // The environment's own profile wins over the variables, as `aws --profile` does.
        assert_eq!(
            static_key(&resolve(&inputs, Some("base")).unwrap()),
            "AKIDBASE"
        );
    }

    #[test]
    fn profiles_from_aws_profile_or_default() {
        let home = home_with(FILES.0, FILES.1);
        let source = resolve(&inputs(home.path(), &[]), None).unwrap();
        assert_eq!(static_key(&source), "AKIDDEFAULT");
        assert!(source.describe().contains("profile `default` in `"));
        let source = resolve(&inputs(home.path(), &[("AWS_PROFILE", "base")]), None).unwrap();
        let Source::Static { credentials, .. } = &source else {
            unreachable!()
        };
        assert_eq!(credentials.access_key_id, "AKIDBASE");
        assert_eq!(
            credentials.session_token.as_ref().unwrap().expose(),
            "TOKEN-BASE"
        );
    }

    #[test]
    fn role_profiles_assume_from_their_source() {
        let home = home_with(FILES.0, FILES.1);
        let inputs = inputs(home.path(), &[]);
        let source = resolve(&inputs, Some("deploy")).unwrap();
        let Source::AssumeRole {
            role,
            source: inner,
            profile,
        } = &source
        else {
            panic!("{source:?}")
        };
        assert_eq!(profile, "deploy");
        assert_eq!(
            role,
            &AssumeRole {
                role_arn: "arn:aws:iam::123456789012:role/deployer".to_string(),
                session_name: "ci".to_string(),
                external_id: Some("xyz".to_string()),
                duration_seconds: Some(900),
            }
        );
        assert_eq!(static_key(inner), "AKIDBASE");

        // A chain: chained → deploy (a role) → base (keys).
        let source = resolve(&inputs, Some("chained")).unwrap();
        let Source::AssumeRole {
            role,
            source: inner,
            ..
        } = &source
        else {
            panic!("{source:?}")
        };
        assert!(role.session_name.starts_with("idp-"));
        assert!(matches!(&**inner, Source::AssumeRole { profile, .. } if profile == "deploy"));
    }

    #[test]
    fn credential_source_environment() {
        let home = home_with(FILES.0, FILES.1);
        let with_env = inputs(
            home.path(),
            &[
                ("AWS_ACCESS_KEY_ID", "AKIDENV"),
                ("AWS_SECRET_ACCESS_KEY", "s"),
            ],
        );
        let source = resolve(&with_env, Some("fromenv")).unwrap();
        let Source::AssumeRole { source: inner, .. } = &source else {
            panic!("{source:?}")
        };
        assert_eq!(static_key(inner), "AKIDENV");
        assert!(resolve(&inputs(home.path(), &[]), Some("fromenv")).is_err());
    }

    #[test]
    fn explicit_file_locations() {
        let dir = tempfile::tempdir().unwrap();
        let credentials = dir.path().join("creds");
        let config = dir.path().join("conf");
        std::fs::write(
            &credentials,
            "[ci]\naws_access_key_id = AKIDCI\naws_secret_access_key = s\n",
        )
        .unwrap();
        std::fs::write(&config, "[profile other]\nregion = x\n").unwrap();
        let inputs = inputs(
            Path::new("/nonexistent"),
            &[
                ("AWS_SHARED_CREDENTIALS_FILE", credentials.to_str().unwrap()),
                ("AWS_CONFIG_FILE", config.to_str().unwrap()),
                ("AWS_PROFILE", "ci"),
            ],
        );
        assert_eq!(static_key(&resolve(&inputs, None).unwrap()), "AKIDCI");
        // `~` stands for the home directory.
        let tilde = CredentialInputs {
            home: Some(dir.path().to_path_buf()),
            shared_credentials_file: Some(PathBuf::from("~/creds")),
            profile: Some("ci".to_string()),
            ..CredentialInputs::default()
        };
        assert_eq!(static_key(&resolve(&tilde, None).unwrap()), "AKIDCI");
    }

    #[test]
    fn errors_say_what_is_wrong() {
        let home = home_with(FILES.0, FILES.1);
        let inputs_ = inputs(home.path(), &[]);
        let message = |profile| resolve(&inputs_, Some(profile)).unwrap_err().to_string();
        assert!(message("nope").starts_with("the AWS profile `nope` is not in `"));
        assert_eq!(
            message("loop-a"),
            "the AWS profiles form a loop: loop-a -> loop-b -> loop-a"
        );
        assert!(message("sso").contains("IAM Identity Center"));
        assert!(message("mfa").contains("mfa_serial"));

        let empty = tempfile::tempdir().unwrap();
        let error = resolve(&inputs(empty.path(), &[]), None).unwrap_err();
        assert!(
            matches!(error, CredentialsError::NotFound { .. }),
            "{error}"
        );
        assert!(error.hint().unwrap().contains("aws configure"));

        let error =
            resolve(&inputs(empty.path(), &[("AWS_ACCESS_KEY_ID", "x")]), None).unwrap_err();
        assert_eq!(
            error.to_string(),
            "`AWS_SECRET_ACCESS_KEY` is not set, but the other half of the AWS access key is"
        );

        let bad = home_with("[default]\naws_access_key_id = x\n", "");
        let error = resolve(&inputs(bad.path(), &[]), None).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the AWS profile `default` has `aws_access_key_id` but no `aws_secret_access_key`"
        );

        let syntax = home_with("[default\n", "");
        let error = resolve(&inputs(syntax.path(), &[]), None).unwrap_err();
        assert!(
            error
                .to_string()
                .ends_with("line 1: a section header without `]`"),
            "{error}"
        );
    }

    #[test]
    fn secrets_never_print() {
        let home = home_with(FILES.0, FILES.1);
        let source = resolve(&inputs(home.path(), &[("AWS_PROFILE", "base")]), None).unwrap();
        let printed = format!("{source:?} {source}");
        assert!(!printed.contains("SECRET-BASE"), "{printed}");
        assert!(!printed.contains("TOKEN-BASE"), "{printed}");
    }
}

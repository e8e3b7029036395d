//! Credentials: passwords generated from the OS random number generator, the [`Secret`] type that
//! never prints its value, and the [`Store`] that keeps them — the system keyring, or a file only
//! the user can read where no keyring works (headless CI).
//!
//! This is the only module that holds a secret in clear. A secret leaves it through
//! [`Secret::expose`] alone; it never reaches output, logs, state, a child's argv or an error
//! message.
//! The stores are a closed enum, as uv's `AuthBackend`, tried in order like cargo's credential
//! provider chain: the keyring first, the file when the keyring cannot be reached.

mod file;
mod keyring;

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use zeroize::Zeroize;

use crate::env_vars;

pub use file::FileStore;
pub use keyring::KeyringStore;

/// The shortest password [`generate_password`] makes: 32 characters of 62 give 190 bits.
pub const MIN_PASSWORD_LENGTH: usize = 32;

/// The characters of a generated password: safe unquoted in connection URLs, SQL and htpasswd.
const PASSWORD_ALPHABET: &[u8; 62] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// A secret value: `Debug` and `Display` print `****`, and the memory is wiped when it is dropped.
///
/// Only [`Secret::expose`] gives the text; call it where the value leaves idp (a provider's API
/// call, a child's environment, `idp env --show-secrets`), never to build a message.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: String) -> Secret {
        Secret(value)
    }

    /// Returns the secret text.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("****")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("****")
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

/// Returns a new password of `len` characters from `[A-Za-z0-9]`, drawn from the OS CSPRNG.
///
/// Bytes of 248 and above are rejected rather than reduced modulo 62, so every character is
/// equally likely.
///
/// # Panics
///
/// If `len` is below [`MIN_PASSWORD_LENGTH`], or the OS random number generator fails (it does not
/// on any system idp supports once booted).
pub fn generate_password(len: usize) -> Secret {
    assert!(
        len >= MIN_PASSWORD_LENGTH,
        "passwords have at least {MIN_PASSWORD_LENGTH} characters"
    );
    // The largest multiple of 62 that fits in a byte: 62 * 4.
    const LIMIT: u8 = 248;
    let mut password = String::with_capacity(len);
    let mut buffer = [0u8; 64];
    while password.len() < len {
        getrandom::fill(&mut buffer).expect("the OS random number generator failed");
        for &byte in buffer.iter().filter(|&&byte| byte < LIMIT) {
            if password.len() == len {
                break;
            }
            password.push(char::from(PASSWORD_ALPHABET[usize::from(byte % 62)]));
        }
    }
    buffer.zeroize();
    Secret(password)
}

/// Identifies one credential: a service named after project, environment and resource, and an
/// account within it (the user or role name).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CredentialKey {
    pub project: String,
    pub environment: String,
    pub resource: String,
    pub account: String,
}

impl CredentialKey {
    /// Returns the service name, `idp/<project>/<environment>/<resource>`.
    pub fn service(&self) -> String {
        format!(
            "idp/{}/{}/{}",
            self.project, self.environment, self.resource
        )
    }

    /// Checks that each part is non-empty and has no `/`, so two keys never share a service name.
    fn validate(&self) -> Result<(), CredentialError> {
        let parts = [
            ("project", &self.project),
            ("environment", &self.environment),
            ("resource", &self.resource),
            ("account", &self.account),
        ];
        for (part, value) in parts {
            if value.is_empty() || value.contains('/') {
                return Err(CredentialError::InvalidKey {
                    key: self.to_string(),
                    part,
                });
            }
        }
        Ok(())
    }
}

impl fmt::Display for CredentialKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (account {})", self.service(), self.account)
    }
}

/// Where credentials are kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoreKind {
    /// The system keyring: the Secret Service on Linux, Keychain on macOS, Credential Manager on
    /// Windows.
    Keyring,
    /// A JSON file under the data directory, readable only by its owner.
    File,
}

impl fmt::Display for StoreKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StoreKind::Keyring => "keyring",
            StoreKind::File => "file",
        })
    }
}

impl FromStr for StoreKind {
    type Err = CredentialError;

    /// Parses the value of `IDP_CREDENTIAL_STORE`: `keyring` or `file`.
    fn from_str(value: &str) -> Result<StoreKind, CredentialError> {
        match value {
            "keyring" => Ok(StoreKind::Keyring),
            "file" => Ok(StoreKind::File),
            _ => Err(CredentialError::UnknownStoreKind {
                value: value.to_string(),
            }),
        }
    }
}

/// What [`Store::open`] needs, resolved by `settings.rs`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreSettings {
    /// The store `IDP_CREDENTIAL_STORE` forces; `None` tries the keyring, then the file.
    pub forced: Option<StoreKind>,
    /// idp's data directory; the file store lives in its `credentials/` folder.
    pub data_dir: PathBuf,
}

/// An open credential store.
#[derive(Debug)]
pub enum Store {
    Keyring(KeyringStore),
    File(FileStore),
}

impl Store {
    /// Opens the store to use: the one `IDP_CREDENTIAL_STORE` forces, else the keyring if a probe
    /// of it answers, else the file.
    ///
    /// Returns, besides the store, a warning for the caller to show when the file was chosen
    /// because the keyring does not work — only the first time on this machine for this data
    /// directory (a marker file records that it was returned). A forced store never falls back: a
    /// forced keyring that does not work is an error saying why.
    pub fn open(settings: &StoreSettings) -> Result<(Store, Option<String>), CredentialError> {
        Store::open_with(settings, KeyringStore::open)
    }

    /// [`Store::open`] with the keyring probe given, so tests can stand in a failing keyring.
    fn open_with(
        settings: &StoreSettings,
        open_keyring: impl FnOnce() -> Result<KeyringStore, KeyringUnavailable>,
    ) -> Result<(Store, Option<String>), CredentialError> {
        match settings.forced {
            Some(StoreKind::File) => Ok((Store::File(FileStore::open(&settings.data_dir)?), None)),
            Some(StoreKind::Keyring) => match open_keyring() {
                Ok(keyring) => Ok((Store::Keyring(keyring), None)),
                Err(KeyringUnavailable(reason)) => {
                    Err(CredentialError::KeyringUnavailable { reason })
                }
            },
            None => match open_keyring() {
                Ok(keyring) => Ok((Store::Keyring(keyring), None)),
                Err(KeyringUnavailable(reason)) => {
                    let file = FileStore::open(&settings.data_dir)?;
                    let warning = file
                        .first_fallback()
                        .then(|| fallback_warning(&reason, file.path()));
                    Ok((Store::File(file), warning))
                }
            },
        }
    }

    pub fn kind(&self) -> StoreKind {
        match self {
            Store::Keyring(_) => StoreKind::Keyring,
            Store::File(_) => StoreKind::File,
        }
    }

    /// Returns the secret stored under `key`, or `None` when there is none.
    pub fn get(&self, key: &CredentialKey) -> Result<Option<Secret>, CredentialError> {
        key.validate()?;
        match self {
            Store::Keyring(store) => store.get(key),
            Store::File(store) => store.get(key),
        }
    }

    /// Stores `secret` under `key`, replacing any secret stored there.
    pub fn set(&self, key: &CredentialKey, secret: &Secret) -> Result<(), CredentialError> {
        key.validate()?;
        match self {
            Store::Keyring(store) => store.set(key, secret),
            Store::File(store) => store.set(key, secret),
        }
    }

    /// Deletes the secret stored under `key`; deleting one that is not there is not an error.
    pub fn delete(&self, key: &CredentialKey) -> Result<(), CredentialError> {
        key.validate()?;
        match self {
            Store::Keyring(store) => store.delete(key),
            Store::File(store) => store.delete(key),
        }
    }
}

/// Why the keyring cannot be used, in a phrase for a message.
#[derive(Debug)]
struct KeyringUnavailable(String);

fn fallback_warning(reason: &str, path: &Path) -> String {
    format!(
        "the system keyring is not available ({reason}), so credentials are stored in `{}`, \
         readable only by you; this is shown once (set `{var}=file` or `{var}=keyring` to choose)",
        path.display(),
        var = env_vars::IDP_CREDENTIAL_STORE,
    )
}

/// A failure to keep or read a credential. No variant carries a secret.
#[derive(Debug, thiserror::Error)]
pub enum CredentialError {
    #[error(
        "the system keyring is not available: {reason}; set `{}=file` to keep credentials in a file \
         readable only by you",
        env_vars::IDP_CREDENTIAL_STORE
    )]
    KeyringUnavailable { reason: String },

    #[error("failed to {action} credential `{key}` in the system keyring: {reason}")]
    Keyring {
        action: &'static str,
        key: String,
        reason: String,
    },

    #[error("failed to {action} `{}`", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("the credential file `{}` is damaged ({detail}); repair it, or move it away to start anew", path.display())]
    Damaged { path: PathBuf, detail: String },

    #[error("the credential file `{}` has format version {found}, newer than this idp reads; upgrade idp", path.display())]
    TooNew { path: PathBuf, found: u32 },

    #[error("invalid credential key `{key}`: the {part} must be non-empty and have no `/`")]
    InvalidKey { key: String, part: &'static str },

    #[error("unknown credential store `{value}`: expected `keyring` or `file`")]
    UnknownStoreKind { value: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(resource: &str) -> CredentialKey {
        CredentialKey {
            project: "shop".into(),
            environment: "dev".into(),
            resource: resource.into(),
            account: "app".into(),
        }
    }

    fn settings(dir: &Path, forced: Option<StoreKind>) -> StoreSettings {
        StoreSettings {
            forced,
            data_dir: dir.to_path_buf(),
        }
    }

    fn no_keyring() -> Result<KeyringStore, KeyringUnavailable> {
        Err(KeyringUnavailable("no D-Bus session bus".into()))
    }

    #[test]
    fn passwords_have_the_length_and_alphabet_asked_and_differ() {
        for len in [32, 33, 64, 100] {
            let password = generate_password(len);
            assert_eq!(password.expose().len(), len);
            assert!(
                password.expose().bytes().all(|b| b.is_ascii_alphanumeric()),
                "{}",
                password.expose()
            );
        }
        assert_ne!(
            generate_password(32).expose(),
            generate_password(32).expose()
        );
    }

    #[test]
    fn passwords_use_the_whole_alphabet() {
        // 100 passwords of 64 characters: each of the 62 characters is missing from all of them
        // with probability (61/62)^6400, about 1e-45.
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..100 {
            seen.extend(generate_password(64).expose().bytes());
        }
        assert_eq!(seen.len(), 62);
    }

    #[test]
    #[should_panic(expected = "at least 32")]
    fn short_passwords_are_refused() {
        generate_password(16);
    }

    #[test]
    fn secrets_print_as_stars() {
        let secret = Secret::new("hunter2".into());
        assert_eq!(format!("{secret}"), "****");
        assert_eq!(format!("{secret:?}"), "****");
        assert_eq!(format!("{:?}", Some(secret.clone())), "Some(****)");
        assert_eq!(secret.expose(), "hunter2");
    }

    #[test]
    fn keys_name_project_environment_and_resource() {
        assert_eq!(key("db").service(), "idp/shop/dev/db");
        assert_eq!(key("db").to_string(), "idp/shop/dev/db (account app)");
    }

    #[test]
    fn keys_with_a_slash_or_an_empty_part_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let (store, _) = Store::open(&settings(dir.path(), Some(StoreKind::File))).unwrap();
        let error = store.get(&key("db/x")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid credential key `idp/shop/dev/db/x (account app)`: the resource must be non-empty and have no `/`"
        );
        let mut empty = key("db");
        empty.account.clear();
        assert!(matches!(
            store.set(&empty, &Secret::new("x".into())),
            Err(CredentialError::InvalidKey {
                part: "account",
                ..
            })
        ));
    }

    #[test]
    fn store_kinds_parse_from_their_names() {
        assert_eq!("file".parse::<StoreKind>().unwrap(), StoreKind::File);
        assert_eq!("keyring".parse::<StoreKind>().unwrap(), StoreKind::Keyring);
        let error = "vault".parse::<StoreKind>().unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown credential store `vault`: expected `keyring` or `file`"
        );
    }

    #[test]
    fn a_forced_file_store_does_not_probe_the_keyring() {
        let dir = tempfile::tempdir().unwrap();
        let (store, warning) =
            Store::open_with(&settings(dir.path(), Some(StoreKind::File)), || {
                panic!("the keyring was probed")
            })
            .unwrap();
        assert_eq!(store.kind(), StoreKind::File);
        assert_eq!(warning, None);
    }

    #[test]
    fn a_failing_keyring_falls_back_to_the_file_and_warns_once() {
        let dir = tempfile::tempdir().unwrap();
        let (store, warning) = Store::open_with(&settings(dir.path(), None), no_keyring).unwrap();
        assert_eq!(store.kind(), StoreKind::File);
        let warning = warning.expect("the first fallback warns");
        assert!(warning.starts_with("the system keyring is not available (no D-Bus session bus), so credentials are stored in `"), "{warning}");
        assert!(warning.contains("credentials.json"), "{warning}");
        assert!(warning.ends_with("this is shown once (set `IDP_CREDENTIAL_STORE=file` or `IDP_CREDENTIAL_STORE=keyring` to choose)"), "{warning}");

        let (store, warning) = Store::open_with(&settings(dir.path(), None), no_keyring).unwrap();
        assert_eq!(store.kind(), StoreKind::File);
        assert_eq!(warning, None, "the warning is shown once");
    }

    #[test]
    fn a_working_keyring_is_chosen_without_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        let (store, warning) =
            Store::open_with(&settings(dir.path(), None), || Ok(KeyringStore::unprobed())).unwrap();
        assert_eq!(store.kind(), StoreKind::Keyring);
        assert_eq!(warning, None);
        assert!(
            !dir.path().join("credentials").exists(),
            "no file store was made"
        );
    }

    #[test]
    fn a_forced_keyring_that_fails_is_an_error_saying_how_to_use_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let error = Store::open_with(&settings(dir.path(), Some(StoreKind::Keyring)), no_keyring)
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "the system keyring is not available: no D-Bus session bus; set `IDP_CREDENTIAL_STORE=file` to keep \
             credentials in a file readable only by you"
        );
        assert!(
            !dir.path().join("credentials").exists(),
            "no file store was made"
        );
    }

    #[test]
    fn the_file_store_round_trips_through_the_store_enum() {
        let dir = tempfile::tempdir().unwrap();
        let (store, _) = Store::open(&settings(dir.path(), Some(StoreKind::File))).unwrap();
        let secret = generate_password(32);
        assert_eq!(store.get(&key("db")).unwrap(), None);
        store.set(&key("db"), &secret).unwrap();
        assert_eq!(store.get(&key("db")).unwrap(), Some(secret));
        store.delete(&key("db")).unwrap();
        assert_eq!(store.get(&key("db")).unwrap(), None);
    }
}

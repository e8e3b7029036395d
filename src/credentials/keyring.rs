//! The system keyring through the `keyring` crate: the Secret Service (gnome-keyring, KWallet) over
//! D-Bus on Linux, Keychain on macOS, Credential Manager on Windows.
//!
//! A keyring "works" when a read of an entry that does not exist answers "no entry"; on a headless
//! machine it answers that there is no session bus, and [`super::Store::open`] falls back to the
//! file. Messages are built from the crate's error variants one by one, so none can carry the
//! bytes of a stored value.

use keyring::credential::CredentialPersistence;
use zeroize::Zeroize;

use super::{CredentialError, CredentialKey, KeyringUnavailable, Secret};

/// The entry the probe reads; it is never written.
const PROBE_SERVICE: &str = "idp/probe";
const PROBE_ACCOUNT: &str = "probe";

/// The system keyring, known to answer. Each call connects anew (as the keyring crate's Secret
/// Service store does), so holding one holds no connection.
#[derive(Debug)]
pub struct KeyringStore {
    _probed: (),
}

impl KeyringStore {
    /// Returns the keyring if it answers a read, else why it cannot be used.
    pub(super) fn open() -> Result<KeyringStore, KeyringUnavailable> {
        // Where the crate has no store for the platform it substitutes an in-memory mock, which
        // would lose every credential when idp exits.
        let builder = keyring::default::default_credential_builder();
        if !matches!(builder.persistence(), CredentialPersistence::UntilDelete) {
            return Err(KeyringUnavailable(
                "this build of idp has no keyring for this system".into(),
            ));
        }
        let entry =
            entry(PROBE_SERVICE, PROBE_ACCOUNT).map_err(|e| KeyringUnavailable(reason(e)))?;
        match entry.get_password() {
            Ok(mut value) => {
                value.zeroize();
                Ok(KeyringStore { _probed: () })
            }
            Err(keyring::Error::NoEntry | keyring::Error::Ambiguous(_)) => {
                Ok(KeyringStore { _probed: () })
            }
            Err(error) => Err(KeyringUnavailable(reason(error))),
        }
    }

    /// Returns a store that was not probed, for tests of the choice between stores.
    #[cfg(test)]
    pub(super) fn unprobed() -> KeyringStore {
        KeyringStore { _probed: () }
    }

    pub(super) fn get(&self, key: &CredentialKey) -> Result<Option<Secret>, CredentialError> {
        let failed = |error| keyring_error("read", key, error);
        match entry(&key.service(), &key.account)
            .map_err(failed)?
            .get_password()
        {
            Ok(value) => Ok(Some(Secret::new(value))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(error) => Err(failed(error)),
        }
    }

    pub(super) fn set(&self, key: &CredentialKey, secret: &Secret) -> Result<(), CredentialError> {
        let failed = |error| keyring_error("store", key, error);
        entry(&key.service(), &key.account)
            .map_err(failed)?
            .set_password(secret.expose())
            .map_err(failed)
    }

    pub(super) fn delete(&self, key: &CredentialKey) -> Result<(), CredentialError> {
        let failed = |error| keyring_error("delete", key, error);
        match entry(&key.service(), &key.account)
            .map_err(failed)?
            .delete_credential()
        {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(error) => Err(failed(error)),
        }
    }
}

/// Builds an entry with the platform's own store, never the process-wide default a library could
/// have replaced.
fn entry(service: &str, account: &str) -> keyring::Result<keyring::Entry> {
    let builder = keyring::default::default_credential_builder();
    builder
        .build(None, service, account)
        .map(keyring::Entry::new_with_credential)
}

fn keyring_error(
    action: &'static str,
    key: &CredentialKey,
    error: keyring::Error,
) -> CredentialError {
    CredentialError::Keyring {
        action,
        key: key.to_string(),
        reason: reason(error),
    }
}

/// Says what went wrong without the crate's `Debug`, which would print a value that is not text.
fn reason(error: keyring::Error) -> String {
    match error {
        keyring::Error::PlatformFailure(error) => error.to_string(),
        keyring::Error::NoStorageAccess(error) => {
            format!("access was refused or the keyring is locked: {error}")
        }
        keyring::Error::NoEntry => "no such entry".into(),
        keyring::Error::BadEncoding(mut bytes) => {
            bytes.zeroize();
            "the stored value is not UTF-8 text".into()
        }
        keyring::Error::TooLong(attribute, limit) => {
            format!("the {attribute} is longer than the keyring's limit of {limit} characters")
        }
        keyring::Error::Invalid(attribute, why) => format!("the {attribute} is invalid: {why}"),
        keyring::Error::Ambiguous(entries) => {
            format!(
                "{} keyring entries match; delete all but one",
                entries.len()
            )
        }
        error => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::process::{Command, Stdio};

    use super::*;
    use crate::credentials::{Store, StoreKind, StoreSettings, generate_password};

    /// Set by `secret_service_round_trip` for the test it runs inside a private D-Bus session, so
    /// that test never touches a developer's own keyring.
    const PRIVATE_SESSION: &str = "CREDENTIALS_TEST_PRIVATE_SESSION";

    #[test]
    fn messages_never_show_a_stored_value() {
        let message = reason(keyring::Error::BadEncoding(b"hunter2\xff".to_vec()));
        assert_eq!(message, "the stored value is not UTF-8 text");
        let key = CredentialKey {
            project: "shop".into(),
            environment: "dev".into(),
            resource: "db".into(),
            account: "app".into(),
        };
        let error = keyring_error(
            "read",
            &key,
            keyring::Error::NoStorageAccess("locked".into()),
        );
        assert_eq!(
            error.to_string(),
            "failed to read credential `idp/shop/dev/db (account app)` in the system keyring: access was refused or \
             the keyring is locked: locked"
        );
    }

    fn installed(program: &str) -> bool {
        Command::new(program)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok()
    }

    /// Runs the ignored test `name` of this test binary under `command` (the binary and its
    /// arguments are appended to it), marked as run by its parent, and checks that it passed.
    fn run_inner_test(mut command: Command, name: &str) {
        let output = command
            .arg(std::env::current_exe().unwrap())
            .args(["--exact", name, "--ignored", "--test-threads=1"])
            .env(PRIVATE_SESSION, "1")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success() && stdout.contains("1 passed"),
            "{}\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
            output.status
        );
    }

    /// Runs `secret_service_in_private_session` in a private D-Bus session with gnome-keyring
    /// serving the Secret Service, with its own HOME so the keyring files are temporary too.
    #[test]
    #[allow(
        clippy::print_stderr,
        reason = "a skipped test says why, as cargo's own tests do"
    )]
    fn secret_service_round_trip() {
        for (program, package) in [
            ("dbus-run-session", "dbus-daemon"),
            ("gnome-keyring-daemon", "gnome-keyring"),
        ] {
            if !installed(program) {
                eprintln!("skipped: `{program}` is not installed (Debian package `{package}`)");
                return;
            }
        }
        let home = tempfile::tempdir().unwrap();
        let runtime = home.path().join("run");
        create_private_dir(&runtime);
        // gnome-keyring creates the login keyring with this password and unlocks it; with
        // XDG_RUNTIME_DIR set it is on the bus before `--unlock` returns.
        let script = "printf %s idp-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec \"$0\" \"$@\"";
        let mut command = Command::new("dbus-run-session");
        command
            .args(["--", "sh", "-c", script])
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("XDG_RUNTIME_DIR", &runtime);
        run_inner_test(
            command,
            "credentials::keyring::tests::secret_service_in_private_session",
        );
    }

    /// Runs `falls_back_without_a_session_bus` where no D-Bus session bus answers, as in CI.
    #[test]
    #[cfg(target_os = "linux")]
    fn without_a_session_bus_the_file_is_used() {
        let home = tempfile::tempdir().unwrap();
        let mut command = Command::new("env");
        command.env("HOME", home.path()).env(
            "DBUS_SESSION_BUS_ADDRESS",
            format!("unix:path={}", home.path().join("no-bus").display()),
        );
        run_inner_test(
            command,
            "credentials::keyring::tests::falls_back_without_a_session_bus",
        );
    }

    #[test]
    #[ignore = "run by `without_a_session_bus_the_file_is_used` with no session bus"]
    #[allow(
        clippy::disallowed_methods,
        reason = "a test checks it runs where its parent put it"
    )]
    fn falls_back_without_a_session_bus() {
        assert!(
            std::env::var_os(PRIVATE_SESSION).is_some(),
            "run by `without_a_session_bus_the_file_is_used` only"
        );
        let data = tempfile::tempdir().unwrap();
        let unforced = StoreSettings {
            forced: None,
            data_dir: data.path().to_path_buf(),
        };
        let (store, warning) = Store::open(&unforced).unwrap();
        assert_eq!(store.kind(), StoreKind::File);
        let warning = warning.expect("the first fallback warns");
        // The reason is libdbus's: it cannot connect to the socket the parent named.
        assert!(
            warning.starts_with("the system keyring is not available (")
                && warning.contains("no-bus"),
            "{warning}"
        );
        assert_eq!(
            Store::open(&unforced).unwrap().1,
            None,
            "the warning is shown once"
        );

        let forced = StoreSettings {
            forced: Some(StoreKind::Keyring),
            ..unforced
        };
        let error = Store::open(&forced).unwrap_err().to_string();
        assert!(
            error.starts_with("the system keyring is not available: ") && error.contains("no-bus"),
            "{error}"
        );
        assert!(
            error.ends_with(
                "set `IDP_CREDENTIAL_STORE=file` to keep credentials in a file readable only by you"
            ),
            "{error}"
        );
    }

    #[test]
    #[ignore = "run by `secret_service_round_trip` inside a private D-Bus session"]
    #[allow(
        clippy::disallowed_methods,
        reason = "a test checks it runs where its parent put it"
    )]
    fn secret_service_in_private_session() {
        assert!(
            std::env::var_os(PRIVATE_SESSION).is_some(),
            "run by `secret_service_round_trip` only: it would write to your own keyring"
        );
        let data = tempfile::tempdir().unwrap();
        let forced = StoreSettings {
            forced: Some(StoreKind::Keyring),
            data_dir: data.path().to_path_buf(),
        };
        let (store, warning) = Store::open(&forced).unwrap();
        assert_eq!((store.kind(), warning), (StoreKind::Keyring, None));
        let key = CredentialKey {
            project: "shop".into(),
            environment: "dev".into(),
            resource: "db".into(),
            account: "app".into(),
        };
        let other = CredentialKey {
            account: "admin".into(),
            ..key.clone()
        };
        let (secret, replacement) = (generate_password(32), generate_password(40));

        assert_eq!(store.get(&key).unwrap(), None);
        store.set(&key, &secret).unwrap();
        store.set(&other, &replacement).unwrap();
        assert_eq!(store.get(&key).unwrap(), Some(secret));
        store.set(&key, &replacement).unwrap();
        assert_eq!(store.get(&key).unwrap(), Some(replacement.clone()));
        store.delete(&key).unwrap();
        assert_eq!(store.get(&key).unwrap(), None);
        store.delete(&key).unwrap();
        assert_eq!(
            store.get(&other).unwrap(),
            Some(replacement),
            "another account is untouched"
        );

        // Unforced, the working keyring is chosen and nothing is written under the data directory.
        let (store, warning) = Store::open(&StoreSettings {
            forced: None,
            ..forced
        })
        .unwrap();
        assert_eq!((store.kind(), warning), (StoreKind::Keyring, None));
        assert_eq!(std::fs::read_dir(data.path()).unwrap().count(), 0);
    }

    fn create_private_dir(path: &Path) {
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(path).unwrap();
    }
}

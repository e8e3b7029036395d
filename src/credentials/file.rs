//! The file store, for machines without a working keyring (headless CI): one JSON file,
//! `<data dir>/credentials/credentials.json`, as gh keeps `hosts.yml` when it has no keyring.
//!
//! The file is mode 0600 from its creation and its folder 0700; looser modes are repaired on open.
//! Writes replace the file atomically (temporary file in the same folder, fsync, rename), and a
//! read-modify-write holds an exclusive lock on `credentials.lock`, so concurrent idp processes
//! lose nothing. A read needs no lock: a rename never shows half a file.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, Zeroizing};

use super::{CredentialError, CredentialKey, Secret};

/// The folder under the data directory that holds the store and nothing else, so its mode can be
/// 0700 whatever the data directory's is (the local provider's servers may need to enter that).
const FOLDER: &str = "credentials";
const FILE: &str = "credentials.json";
const LOCK: &str = "credentials.lock";
/// Exists once the fallback warning has been returned (see [`FileStore::first_fallback`]).
const WARNED: &str = "fallback-warned";

/// The file format's version, bumped when the layout changes.
const VERSION: u32 = 1;

/// The credential file, open for use.
#[derive(Debug)]
pub struct FileStore {
    folder: PathBuf,
    path: PathBuf,
}

/// The file's contents: service → account → secret. Not `Debug`, so it cannot be printed.
#[derive(Serialize, Deserialize)]
struct CredentialFile {
    version: u32,
    #[serde(default)]
    credentials: BTreeMap<String, BTreeMap<String, String>>,
}

impl Drop for CredentialFile {
    fn drop(&mut self) {
        self.credentials
            .values_mut()
            .flat_map(|accounts| accounts.values_mut())
            .for_each(Zeroize::zeroize);
    }
}

impl FileStore {
    /// Opens the store under `data_dir`, creating its folder (0700) if needed and tightening the
    /// modes of the folder and file if someone loosened them.
    pub(super) fn open(data_dir: &Path) -> Result<FileStore, CredentialError> {
        let folder = data_dir.join(FOLDER);
        let path = folder.join(FILE);
        let io = |action, path: &Path| {
            let path = path.to_path_buf();
            move |source| CredentialError::Io {
                action,
                path,
                source,
            }
        };
        fs::create_dir_all(data_dir).map_err(io("create the data directory", data_dir))?;
        let mut builder = fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        match builder.create(&folder) {
            Ok(()) => {}
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
                restrict(&folder, 0o700).map_err(io("restrict the permissions of", &folder))?;
            }
            Err(error) => return Err(io("create the credential folder", &folder)(error)),
        }
        match restrict(&path, 0o600) {
            Err(error) if error.kind() != io::ErrorKind::NotFound => {
                return Err(io("restrict the permissions of", &path)(error));
            }
            _ => {}
        }
        Ok(FileStore { folder, path })
    }

    /// Returns the credential file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Returns whether this is the first time this store was chosen because the keyring failed,
    /// and records that it no longer is.
    pub(super) fn first_fallback(&self) -> bool {
        // If the marker cannot be written the warning shows again next time: better than never.
        let marker = File::options()
            .write(true)
            .create_new(true)
            .open(self.folder.join(WARNED));
        !matches!(marker, Err(error) if error.kind() == io::ErrorKind::AlreadyExists)
    }

    pub(super) fn get(&self, key: &CredentialKey) -> Result<Option<Secret>, CredentialError> {
        let file = self.read()?;
        let value = file
            .credentials
            .get(&key.service())
            .and_then(|accounts| accounts.get(&key.account));
        Ok(value.map(|value| Secret::new(value.clone())))
    }

    pub(super) fn set(&self, key: &CredentialKey, secret: &Secret) -> Result<(), CredentialError> {
        let _lock = self.lock()?;
        let mut file = self.read()?;
        let accounts = file.credentials.entry(key.service()).or_default();
        if let Some(mut previous) =
            accounts.insert(key.account.clone(), secret.expose().to_string())
        {
            previous.zeroize();
        }
        self.write(&file)
    }

    pub(super) fn delete(&self, key: &CredentialKey) -> Result<(), CredentialError> {
        let _lock = self.lock()?;
        let mut file = self.read()?;
        let service = key.service();
        let Some(accounts) = file.credentials.get_mut(&service) else {
            return Ok(());
        };
        let Some(mut previous) = accounts.remove(&key.account) else {
            return Ok(());
        };
        previous.zeroize();
        if accounts.is_empty() {
            file.credentials.remove(&service);
        }
        self.write(&file)
    }

    /// Takes the exclusive lock that read-modify-writes hold; dropping the file releases it.
    fn lock(&self) -> Result<File, CredentialError> {
        let path = self.folder.join(LOCK);
        let io = |action| {
            let path = path.clone();
            move |source| CredentialError::Io {
                action,
                path,
                source,
            }
        };
        let mut options = File::options();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(&path).map_err(io("open the lock file"))?;
        file.lock().map_err(io("lock"))?;
        Ok(file)
    }

    /// Reads the file; a missing file is an empty store.
    fn read(&self) -> Result<CredentialFile, CredentialError> {
        let text = match fs::read(&self.path) {
            Ok(text) => Zeroizing::new(text),
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                return Ok(CredentialFile {
                    version: VERSION,
                    credentials: BTreeMap::new(),
                });
            }
            Err(source) => {
                return Err(CredentialError::Io {
                    action: "read",
                    path: self.path.clone(),
                    source,
                });
            }
        };
        let file: CredentialFile =
            serde_json::from_slice(&text).map_err(|error| CredentialError::Damaged {
                path: self.path.clone(),
                detail: describe(&error),
            })?;
        if file.version > VERSION {
            return Err(CredentialError::TooNew {
                path: self.path.clone(),
                found: file.version,
            });
        }
        Ok(file)
    }

    /// Replaces the file: a crash leaves the old file or the new one, never a mix.
    fn write(&self, file: &CredentialFile) -> Result<(), CredentialError> {
        let io = |action| {
            move |source| CredentialError::Io {
                action,
                path: self.path.clone(),
                source,
            }
        };
        let mut text =
            Zeroizing::new(serde_json::to_vec_pretty(file).expect("credential files serialize"));
        text.push(b'\n');
        let mut builder = tempfile::Builder::new();
        builder.prefix(".credentials-").suffix(".tmp");
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600));
        let mut temporary = builder
            .tempfile_in(&self.folder)
            .map_err(io("create a temporary file beside"))?;
        temporary
            .write_all(&text)
            .map_err(io("write a temporary file beside"))?;
        temporary
            .as_file()
            .sync_all()
            .map_err(io("sync a temporary file beside"))?;
        temporary
            .persist(&self.path)
            .map_err(|error| io("replace")(error.error))?;
        // Make the rename itself durable.
        #[cfg(unix)]
        File::open(&self.folder)
            .and_then(|folder| folder.sync_all())
            .map_err(io("sync the folder of"))?;
        Ok(())
    }
}

/// Says where and how the file is damaged. serde_json's own message is not used: for a value of
/// the wrong type it quotes the value, which may be a secret.
fn describe(error: &serde_json::Error) -> String {
    let what = match error.classify() {
        serde_json::error::Category::Syntax => "not valid JSON",
        serde_json::error::Category::Eof => "cut short",
        serde_json::error::Category::Data => "not the layout idp writes",
        serde_json::error::Category::Io => "unreadable",
    };
    format!("{what} at line {}, column {}", error.line(), error.column())
}

/// Sets `path`'s permission bits to `mode` if it has others.
#[cfg(unix)]
fn restrict(path: &Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let permissions = fs::metadata(path)?.permissions();
    if permissions.mode() & 0o777 != mode {
        fs::set_permissions(path, fs::Permissions::from_mode(mode))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn restrict(path: &Path, _mode: u32) -> io::Result<()> {
    fs::metadata(path).map(drop)
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;
    use std::process::{Command, Stdio};

    use super::*;
    use crate::credentials::generate_password;

    /// Tell `writer_process` where to write and which keys are its own.
    const WRITER_DIR: &str = "CREDENTIALS_TEST_WRITER_DIR";
    const WRITER_ID: &str = "CREDENTIALS_TEST_WRITER_ID";
    const WRITES: usize = 15;

    fn key(resource: &str, account: &str) -> CredentialKey {
        CredentialKey {
            project: "shop".into(),
            environment: "dev".into(),
            resource: resource.into(),
            account: account.into(),
        }
    }

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn round_trips_with_private_modes() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::open(dir.path()).unwrap();
        assert_eq!(
            store.path(),
            dir.path().join("credentials/credentials.json")
        );
        assert_eq!(store.get(&key("db", "app")).unwrap(), None);

        let (secret, other) = (generate_password(32), generate_password(32));
        store.set(&key("db", "app"), &secret).unwrap();
        store.set(&key("db", "admin"), &other).unwrap();
        assert_eq!(store.get(&key("db", "app")).unwrap(), Some(secret.clone()));
        assert_eq!(store.get(&key("cache", "app")).unwrap(), None);
        // A second store on the same folder, as the next idp process, reads what the first wrote.
        let again = FileStore::open(dir.path()).unwrap();
        assert_eq!(again.get(&key("db", "admin")).unwrap(), Some(other.clone()));

        assert_eq!(mode(store.path()), 0o600);
        assert_eq!(mode(&dir.path().join("credentials")), 0o700);
        assert_eq!(
            mode(&dir.path().join("credentials/credentials.lock")),
            0o600
        );
        let text = fs::read_to_string(store.path()).unwrap();
        assert!(text.contains(r#""idp/shop/dev/db": {"#), "{text}");
        let names: Vec<_> = fs::read_dir(dir.path().join("credentials"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            names.len(),
            2,
            "no temporary file is left behind: {names:?}"
        );

        // Replacing keeps one value per account.
        store.set(&key("db", "app"), &other).unwrap();
        assert_eq!(store.get(&key("db", "app")).unwrap(), Some(other));
        assert!(
            !fs::read_to_string(store.path())
                .unwrap()
                .contains(secret.expose())
        );
    }

    #[test]
    fn delete_removes_one_account_and_missing_is_fine() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::open(dir.path()).unwrap();
        store.delete(&key("db", "app")).unwrap();
        assert!(
            !store.path().exists(),
            "deleting from an empty store writes nothing"
        );
        store
            .set(&key("db", "app"), &generate_password(32))
            .unwrap();
        store
            .set(&key("db", "admin"), &generate_password(32))
            .unwrap();
        store.delete(&key("db", "app")).unwrap();
        store.delete(&key("db", "app")).unwrap();
        assert_eq!(store.get(&key("db", "app")).unwrap(), None);
        assert!(store.get(&key("db", "admin")).unwrap().is_some());
        store.delete(&key("db", "admin")).unwrap();
        let text = fs::read_to_string(store.path()).unwrap();
        assert!(
            !text.contains("idp/shop/dev/db"),
            "an empty service is removed: {text}"
        );
    }

    #[test]
    fn open_repairs_loose_modes() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::open(dir.path()).unwrap();
        store
            .set(&key("db", "app"), &generate_password(32))
            .unwrap();
        fs::set_permissions(store.path(), fs::Permissions::from_mode(0o644)).unwrap();
        fs::set_permissions(
            dir.path().join("credentials"),
            fs::Permissions::from_mode(0o755),
        )
        .unwrap();
        let store = FileStore::open(dir.path()).unwrap();
        assert_eq!(mode(store.path()), 0o600);
        assert_eq!(mode(&dir.path().join("credentials")), 0o700);
    }

    #[test]
    fn a_damaged_file_is_an_error_naming_it_without_its_contents() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::open(dir.path()).unwrap();
        let cases = [
            (
                r#"{"version": 1, "credentials": {"idp/shop/dev/db": {"app": "hunter2"#,
                "cut short at line 1, column 66",
            ),
            (
                r#"{"version": 1, "credentials": {"idp/shop/dev/db": {"app": 12345678}}}"#,
                "not the layout idp writes",
            ),
            ("hunter2", "not valid JSON at line 1, column 1"),
        ];
        for (text, detail) in cases {
            fs::write(store.path(), text).unwrap();
            let message = store.get(&key("db", "app")).unwrap_err().to_string();
            assert!(
                message.starts_with(&format!(
                    "the credential file `{}` is damaged (",
                    store.path().display()
                )),
                "{message}"
            );
            assert!(message.contains(detail), "{message}");
            assert!(
                !message.contains("hunter2") && !message.contains("12345678"),
                "{message}"
            );
            let error = store
                .set(&key("db", "app"), &generate_password(32))
                .unwrap_err();
            assert!(
                matches!(error, CredentialError::Damaged { .. }),
                "a damaged file is not overwritten: {error}"
            );
        }
        fs::write(store.path(), r#"{"version": 2, "credentials": {}}"#).unwrap();
        let message = store.get(&key("db", "app")).unwrap_err().to_string();
        assert!(
            message.contains("has format version 2, newer than this idp reads"),
            "{message}"
        );
    }

    #[test]
    fn the_fallback_is_first_only_once() {
        let dir = tempfile::tempdir().unwrap();
        assert!(FileStore::open(dir.path()).unwrap().first_fallback());
        assert!(!FileStore::open(dir.path()).unwrap().first_fallback());
    }

    #[test]
    fn concurrent_writers_in_threads_lose_nothing() {
        let dir = tempfile::tempdir().unwrap();
        std::thread::scope(|scope| {
            for writer in 0..6 {
                let dir = dir.path();
                scope.spawn(move || {
                    let store = FileStore::open(dir).unwrap();
                    for n in 0..WRITES {
                        store
                            .set(
                                &key(&format!("r{writer}"), &format!("a{n}")),
                                &generate_password(32),
                            )
                            .unwrap();
                    }
                });
            }
        });
        assert_eq!(count(dir.path()), 6 * WRITES);
    }

    #[test]
    fn concurrent_writers_in_processes_lose_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let children: Vec<_> = (0..4)
            .map(|writer| {
                Command::new(std::env::current_exe().unwrap())
                    .args([
                        "--exact",
                        "credentials::file::tests::writer_process",
                        "--ignored",
                        "--test-threads=1",
                    ])
                    .env(WRITER_DIR, dir.path())
                    .env(WRITER_ID, writer.to_string())
                    .stdin(Stdio::null())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let output = child.wait_with_output().unwrap();
            let stdout = String::from_utf8_lossy(&output.stdout);
            assert!(
                output.status.success() && stdout.contains("1 passed"),
                "{stdout}{}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        assert_eq!(count(dir.path()), 4 * WRITES);
    }

    #[test]
    #[ignore = "run by `concurrent_writers_in_processes_lose_nothing`"]
    #[allow(
        clippy::disallowed_methods,
        reason = "a test process learns its part from its parent"
    )]
    fn writer_process() {
        let dir = PathBuf::from(std::env::var_os(WRITER_DIR).expect("run by its parent test"));
        let writer = std::env::var(WRITER_ID).unwrap();
        let store = FileStore::open(&dir).unwrap();
        for n in 0..WRITES {
            store
                .set(
                    &key(&format!("p{writer}"), &format!("a{n}")),
                    &generate_password(32),
                )
                .unwrap();
        }
    }

    fn count(dir: &Path) -> usize {
        let store = FileStore::open(dir).unwrap();
        store
            .read()
            .unwrap()
            .credentials
            .values()
            .map(BTreeMap::len)
            .sum()
    }
}

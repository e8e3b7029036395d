//! The per-environment lock: an advisory file lock, released by the OS when its holder exits or is
//! killed, with a note of who holds it, for what and since when (as Terraform's `LockInfo`).

use std::fs::File;
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::store::StateStore;

/// Who holds a lock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockHolder {
    pub pid: u32,
    /// The machine, for a team lock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    pub operation: String,
    /// Seconds since the Unix epoch.
    pub since: u64,
}

/// A held lock; dropping it releases it.
#[derive(Debug)]
pub struct StateLock {
    file: File,
    path: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("the `{environment}` environment is locked by idp ({}, `{}`), held for {}s", holder.who(), holder.operation, age_seconds(holder))]
    Held {
        environment: String,
        holder: LockHolder,
        path: PathBuf,
    },
    #[error("the `{environment}` environment is locked by idp ({}, `{}`), held for {}s", holder.who(), holder.operation, age_seconds(holder))]
    HeldRemote {
        environment: String,
        holder: LockHolder,
        table: String,
    },
    #[error("failed to use the lock table `{table}`: {message}")]
    Remote { table: String, message: String },
    #[error("failed to lock `{}`", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn age_seconds(holder: &LockHolder) -> u64 {
    now().saturating_sub(holder.since)
}

impl LockHolder {
    /// Returns who holds it, as a user reads it: `pid 42` or `pid 42 on ci-runner`.
    pub fn who(&self) -> String {
        match &self.host {
            Some(host) => format!("pid {} on {host}", self.pid),
            None => format!("pid {}", self.pid),
        }
    }

    /// Returns how long it has been held, in seconds.
    pub fn age_seconds(&self) -> u64 {
        age_seconds(self)
    }
}

pub(crate) fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl StateLock {
    /// Takes the lock of `environment`, waiting up to `wait` for another holder to finish;
    /// `on_wait` is told once who it is waiting for.
    pub fn acquire(
        store: &StateStore,
        environment: &str,
        operation: &str,
        wait: Duration,
        on_wait: &mut dyn FnMut(&LockHolder),
    ) -> Result<StateLock, LockError> {
        store.ensure_dir().map_err(|e| LockError::Io {
            path: store.dir().to_path_buf(),
            source: std::io::Error::other(e.to_string()),
        })?;
        let path = store.dir().join(format!("{environment}.lock"));
        let io = |source| LockError::Io {
            path: path.clone(),
            source,
        };
        let mut file = File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        let deadline = Instant::now() + wait;
        let mut told = false;
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(std::fs::TryLockError::WouldBlock) => {
                    let holder = read_holder(&mut file).unwrap_or(LockHolder {
                        pid: 0,
                        host: None,
                        operation: "unknown".into(),
                        since: now(),
                    });
                    if Instant::now() >= deadline {
                        return Err(LockError::Held {
                            environment: environment.to_string(),
                            holder,
                            path,
                        });
                    }
                    if !told {
                        on_wait(&holder);
                        told = true;
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(std::fs::TryLockError::Error(source)) => return Err(io(source)),
            }
        }
        let holder = LockHolder {
            pid: std::process::id(),
            host: None,
            operation: operation.to_string(),
            since: now(),
        };
        let text = serde_json::to_string(&holder).expect("lock holders serialize");
        file.set_len(0)
            .and_then(|()| file.rewind())
            .and_then(|()| file.write_all(text.as_bytes()))
            .map_err(io)?;
        Ok(StateLock { file, path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for StateLock {
    fn drop(&mut self) {
        // Clear the note first, so a reader never sees a stale holder on a free lock.
        let _ = self.file.set_len(0);
        let _ = self.file.unlock();
    }
}

fn read_holder(file: &mut File) -> Option<LockHolder> {
    let mut text = String::new();
    file.rewind().ok()?;
    file.read_to_string(&mut text).ok()?;
    serde_json::from_str(&text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_waits_then_fails_naming_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let store = StateStore::new(dir.path());
        let first =
            StateLock::acquire(&store, "dev", "provision", Duration::ZERO, &mut |_| {}).unwrap();
        let mut waited_for = None;
        let error = StateLock::acquire(
            &store,
            "dev",
            "destroy",
            Duration::from_millis(120),
            &mut |h| waited_for = Some(h.clone()),
        )
        .unwrap_err();
        assert_eq!(waited_for.unwrap().operation, "provision");
        assert!(
            matches!(error, LockError::Held { ref holder, .. } if holder.pid == std::process::id()),
            "{error}"
        );
        // Another environment is independent.
        StateLock::acquire(&store, "prod", "provision", Duration::ZERO, &mut |_| {}).unwrap();
        drop(first);
        StateLock::acquire(&store, "dev", "destroy", Duration::ZERO, &mut |_| {}).unwrap();
    }
}

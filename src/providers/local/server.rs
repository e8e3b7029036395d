//! What the local provider's two servers, the PostgreSQL cluster and the image registry, do alike:
//! a port of their own on 127.0.0.1, a lock file held while they start, stop or change, a log set
//! aside when it grows large and whose end an error shows, and failures to read or write a file.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::net::{Ipv4Addr, TcpListener};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// A log is set aside as `<log>.1` when it grows past this, before a start.
pub(super) const MAX_LOG_BYTES: u64 = 10 << 20;
/// How many of the last lines of a program's output, or of a server's log, an error shows.
pub(super) const LOG_TAIL_LINES: usize = 20;

/// A failure to act on a file; each server's error type carries it as its `Io` variant.
///
/// The system's reason is part of the message, not a `source`: the provider flattens these errors
/// into strings, which would drop it.
#[derive(Debug, thiserror::Error)]
#[error("failed to {action} `{}`: {cause}", path.display())]
pub struct IoError {
    pub action: &'static str,
    pub path: PathBuf,
    pub cause: std::io::Error,
}

/// Returns a function turning an I/O error into a failure to `action` `path`, for `map_err`.
pub(super) fn io_error(
    action: &'static str,
    path: &Path,
) -> impl FnOnce(std::io::Error) -> IoError + use<> {
    let path = path.to_path_buf();
    move |cause| IoError {
        action,
        path,
        cause,
    }
}

/// Returns a free port on 127.0.0.1 for a new server.
pub(super) fn pick_port() -> Result<u16, IoError> {
    // Below Linux's ephemeral range (32768–60999), so an outgoing connection never holds the port
    // when the server restarts later, and random, so servers set up at once do not pick the same.
    for _ in 0..100 {
        let mut bytes = [0u8; 2];
        getrandom::fill(&mut bytes).expect("the operating system provides random bytes");
        let port = 20000 + u16::from_le_bytes(bytes) % 12000;
        if port_is_free(port) {
            return Ok(port);
        }
    }
    let localhost = Path::new("127.0.0.1");
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .map_err(io_error("find a free port on", localhost))?;
    listener
        .local_addr()
        .map(|address| address.port())
        .map_err(io_error("find a free port on", localhost))
}

/// Returns whether nothing listens on `port` of 127.0.0.1.
pub(super) fn port_is_free(port: u16) -> bool {
    TcpListener::bind((Ipv4Addr::LOCALHOST, port)).is_ok()
}

/// Locks the file `path` (made, mode 0600, when missing), calling `waiting` first when another
/// process or thread holds it; dropping the file releases the lock.
pub(super) fn lock(path: &Path, waiting: impl FnOnce()) -> Result<File, IoError> {
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .mode(0o600)
        .open(path)
        .map_err(io_error("open", path))?;
    // A lock held only for a moment is not worth a message: besides short critical sections, a
    // child that another thread forked while this process held the file open keeps the lock until
    // it execs. Say "waiting" only when the wait lasts.
    let deadline = std::time::Instant::now() + std::time::Duration::from_millis(200);
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(std::fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                waiting();
                file.lock().map_err(io_error("lock", path))?;
                return Ok(file);
            }
            Err(std::fs::TryLockError::Error(source)) => {
                return Err(io_error("lock", path)(source));
            }
        }
    }
}

/// Sets `log` aside as `<log>.1`, replacing an older one, when it has grown past
/// [`MAX_LOG_BYTES`]; `action` names it for an error (`set aside the server log as`).
pub(super) fn set_aside_large_log(log: &Path, action: &'static str) -> Result<(), IoError> {
    if std::fs::metadata(log).is_ok_and(|m| m.len() > MAX_LOG_BYTES) {
        let mut old = log.as_os_str().to_owned();
        old.push(".1");
        let old = PathBuf::from(old);
        std::fs::rename(log, &old).map_err(io_error(action, &old))?;
    }
    Ok(())
}

/// Returns the last [`LOG_TAIL_LINES`] lines of a log, indented, when it can be read.
pub(super) fn tail(path: &Path) -> Option<String> {
    let mut file = File::open(path).ok()?;
    let length = file.metadata().ok()?.len();
    file.seek(SeekFrom::Start(length.saturating_sub(64 << 10)))
        .ok()?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.len().saturating_sub(LOG_TAIL_LINES);
    (start < lines.len()).then(|| {
        lines[start..]
            .iter()
            .map(|line| format!("  {line}"))
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// Returns the text of `path`, or `None` when there is no such file.
pub(super) fn read_optional(path: &Path) -> Result<Option<String>, IoError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(io_error("read", path)(error)),
    }
}

/// Removes the file `path`; nothing to do when there is none.
pub(super) fn remove_if_present(path: &Path) -> Result<(), IoError> {
    match std::fs::remove_file(path) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
            Err(io_error("remove", path)(error))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[test]
    fn a_picked_port_is_free_and_below_the_ephemeral_range() {
        let port = pick_port().unwrap();
        assert!((20000..32000).contains(&port), "{port}");
        assert!(port_is_free(port));
        let _taken = TcpListener::bind((Ipv4Addr::LOCALHOST, port)).unwrap();
        assert!(!port_is_free(port));
    }

    #[test]
    fn a_held_lock_makes_the_next_caller_wait() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("server.lock");
        let held = lock(&path, || panic!("nobody holds it yet")).unwrap();
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        let (told, waiting) = std::sync::mpsc::channel();
        std::thread::scope(|threads| {
            let next = threads.spawn(|| lock(&path, move || told.send(()).unwrap()));
            waiting.recv().unwrap();
            drop(held);
            next.join().unwrap().unwrap();
        });
    }

    #[test]
    fn a_large_log_is_set_aside_and_an_error_shows_its_end() {
        let directory = tempfile::tempdir().unwrap();
        let log = directory.path().join("server.log");
        assert_eq!(tail(&log), None);
        let lines: Vec<String> = (1..=25).map(|n| format!("line {n}")).collect();
        std::fs::write(&log, lines.join("\n")).unwrap();
        let shown: Vec<String> = lines[5..].iter().map(|l| format!("  {l}")).collect();
        assert_eq!(tail(&log), Some(shown.join("\n")));

        set_aside_large_log(&log, "set aside the server log as").unwrap();
        assert!(log.exists());
        File::options()
            .write(true)
            .open(&log)
            .unwrap()
            .set_len(MAX_LOG_BYTES + 1)
            .unwrap();
        set_aside_large_log(&log, "set aside the server log as").unwrap();
        assert!(!log.exists());
        assert_eq!(
            std::fs::metadata(directory.path().join("server.log.1"))
                .unwrap()
                .len(),
            MAX_LOG_BYTES + 1
        );
    }

    #[test]
    fn missing_files_are_no_error() {
        let directory = tempfile::tempdir().unwrap();
        let missing = directory.path().join("registry.pid");
        assert_eq!(read_optional(&missing).unwrap(), None);
        remove_if_present(&missing).unwrap();
        let error = read_optional(directory.path()).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "failed to read `{}`: Is a directory (os error 21)",
                directory.path().display()
            )
        );
    }
}

//! The registry's process: found on disk, started detached in its own session, told apart from
//! whatever else has its pid, and stopped.

use std::fs::File;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::RegistryError;

/// The registry's program name, and where Debian's `docker-registry` package puts it.
const PROGRAM: &str = "docker-registry";
const DEBIAN_PROGRAM: &str = "/usr/bin/docker-registry";
/// The registry reads any `REGISTRY_*` variable as configuration (`REGISTRY_AUTH` would replace
/// the htpasswd setting), so it starts with an empty environment and this PATH.
const SERVER_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
/// Run by `setsid --fork`: records the shell's pid, which `exec` hands to the registry.
const LAUNCH: &str = r#"echo $$ > "$1.new" && mv -f -- "$1.new" "$1" && exec "$2" serve "$3""#;

/// Returns the registry program: the one given, else `docker-registry` on PATH, else Debian's.
pub(super) fn find_program(given: Option<&Path>) -> Result<PathBuf, RegistryError> {
    if let Some(binary) = given {
        if !binary.is_file() {
            return Err(RegistryError::ProgramMissing {
                binary: binary.to_path_buf(),
            });
        }
        return Ok(binary.to_path_buf());
    }
    // The shell searches PATH as the child inherits it, so idp itself reads no environment here.
    let on_path = Command::new("sh")
        .args(["-c", &format!("command -v {PROGRAM}")])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map(|output| PathBuf::from(String::from_utf8_lossy(&output.stdout).trim()))
        .filter(|path| path.is_absolute() && path.is_file());
    on_path
        .or_else(|| Some(PathBuf::from(DEBIAN_PROGRAM)).filter(|path| path.is_file()))
        .ok_or(RegistryError::ProgramMissing {
            binary: PathBuf::from(PROGRAM),
        })
}

/// Starts `binary serve config` detached: `setsid --fork` makes it a new session's leader whose
/// parent is init, not idp, so it outlives idp and its terminal. Its output goes to `log`, and its
/// pid to `pid_file` just before it starts. Returns once `setsid` has forked.
pub(super) fn launch(
    binary: &Path,
    config: &Path,
    pid_file: &Path,
    log: File,
    root: &Path,
) -> std::io::Result<std::process::ExitStatus> {
    Command::new("setsid")
        .arg("--fork")
        .args(["/bin/sh", "-c", LAUNCH, "sh"])
        .args([pid_file.as_os_str(), binary.as_os_str(), config.as_os_str()])
        .env_clear()
        .env("PATH", SERVER_PATH)
        // Signs upload state; set so the registry does not warn that it made one up.
        .env("REGISTRY_HTTP_SECRET", random_hex())
        .current_dir(root)
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log)
        .status()
}

/// Returns whether process `pid` exists and has not ended: a zombie (ended, not yet reaped by its
/// parent) counts as ended.
pub(super) fn alive(pid: u32) -> bool {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return false;
    };
    // `pid (comm) state …`: the state follows the last `)`, as comm may hold anything.
    let state = stat
        .rsplit_once(')')
        .and_then(|(_, rest)| rest.trim_start().chars().next());
    !matches!(state, None | Some('Z' | 'X'))
}

/// Returns whether process `pid` runs `… serve <config>`: after a reboot, the recorded pid may
/// belong to anything.
pub(super) fn serves(pid: u32, config: &Path) -> bool {
    let Ok(cmdline) = std::fs::read(format!("/proc/{pid}/cmdline")) else {
        return false;
    };
    let arguments: Vec<&[u8]> = cmdline.split(|b| *b == 0).collect();
    arguments
        .windows(2)
        .any(|pair| pair[0] == b"serve" && pair[1] == config.as_os_str().as_bytes())
}

/// Ends process `pid`: SIGTERM, then SIGKILL when it has not ended within `patience`. Returns
/// whether it ended.
pub(super) fn terminate(pid: u32, patience: Duration) -> bool {
    let Some(process) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return !alive(pid);
    };
    for signal in [rustix::process::Signal::TERM, rustix::process::Signal::KILL] {
        // It may have ended by itself meanwhile; the wait tells.
        let _ = rustix::process::kill_process(process, signal);
        let deadline = Instant::now() + patience;
        while alive(pid) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        if !alive(pid) {
            return true;
        }
    }
    false
}

/// Returns 16 random bytes in hex.
fn random_hex() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the operating system provides random bytes");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_given_program_must_exist() {
        let error = find_program(Some(Path::new("/nonexistent/docker-registry"))).unwrap_err();
        assert!(
            matches!(error, RegistryError::ProgramMissing { .. }),
            "{error:?}"
        );
    }

    #[test]
    fn this_process_is_alive_and_serves_no_registry() {
        assert!(alive(std::process::id()));
        assert!(!serves(
            std::process::id(),
            Path::new("/nonexistent/config.yml")
        ));
        assert!(!alive(u32::MAX));
    }
}

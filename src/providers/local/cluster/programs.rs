//! PostgreSQL's programs: finding the installed ones, and running them so that a failure keeps
//! what they said.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use super::files::Record;
use super::{ClusterError, ClusterOptions};
use crate::providers::local::server::{LOG_TAIL_LINES, io_error};

/// Returns the bin directory for a cluster being made: the one given, or the one found.
pub(super) fn new_bin_dir(options: &ClusterOptions) -> Result<PathBuf, ClusterError> {
    match &options.bin_dir {
        Some(bin_dir) => require_programs(bin_dir),
        None => find_bin_dir(Path::new("/usr/lib/postgresql")).ok_or(ClusterError::PostgresMissing),
    }
}

/// Returns the bin directory for an existing cluster of `version`: the one given, the one
/// recorded, that version's Debian directory, then any found (the version check then explains).
pub(super) fn existing_bin_dir(
    options: &ClusterOptions,
    recorded: Option<&Record>,
    version: &str,
) -> Result<PathBuf, ClusterError> {
    if let Some(bin_dir) = &options.bin_dir {
        return require_programs(bin_dir);
    }
    let debian = Path::new("/usr/lib/postgresql").join(version).join("bin");
    let candidates = recorded
        .map(|r| r.bin_dir.clone())
        .into_iter()
        .chain([debian]);
    for candidate in candidates {
        if candidate.join("pg_ctl").is_file() {
            return Ok(candidate);
        }
    }
    find_bin_dir(Path::new("/usr/lib/postgresql")).ok_or(ClusterError::PostgresMissing)
}

/// Returns `bin_dir` when it holds the programs a cluster needs.
fn require_programs(bin_dir: &Path) -> Result<PathBuf, ClusterError> {
    for program in ["initdb", "pg_ctl", "postgres", "psql"] {
        if !bin_dir.join(program).is_file() {
            return Err(ClusterError::ProgramMissing {
                bin_dir: bin_dir.to_path_buf(),
                program,
            });
        }
    }
    Ok(bin_dir.to_path_buf())
}

/// Returns the newest `<versions>/*/bin` holding `initdb`, else the directory of `initdb` on PATH.
fn find_bin_dir(versions: &Path) -> Option<PathBuf> {
    let newest = std::fs::read_dir(versions)
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| {
            Some((
                entry.file_name().to_str()?.parse::<u32>().ok()?,
                entry.path().join("bin"),
            ))
        })
        .filter(|(_, bin)| bin.join("initdb").is_file())
        .max();
    if let Some((_, bin)) = newest {
        return Some(bin);
    }
    // The shell searches PATH as the child inherits it, so idp itself reads no environment here.
    let output = Command::new("sh")
        .args(["-c", "command -v initdb"])
        .stdin(Stdio::null())
        .output()
        .ok()?;
    let initdb = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    if !output.status.success() || !initdb.is_absolute() {
        return None;
    }
    // Debian's /usr/bin entries are links into /usr/lib/postgresql/N/bin, beside pg_ctl and postgres.
    Some(initdb.canonicalize().ok()?.parent()?.to_path_buf())
}

/// Returns the major version of the programs in `bin_dir`, from `pg_ctl --version`
/// (`pg_ctl (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)` gives `15`).
pub(super) fn program_version(bin_dir: &Path) -> Result<String, ClusterError> {
    let pg_ctl = bin_dir.join("pg_ctl");
    let mut command = Command::new(&pg_ctl);
    command.arg("--version");
    let output = run(command, "finding PostgreSQL's version (`pg_ctl --version`)")?;
    let text = String::from_utf8_lossy(&output.stdout);
    text.split_once("(PostgreSQL) ")
        .and_then(|(_, rest)| rest.split(|c: char| c == '.' || c.is_whitespace()).next())
        .filter(|major| !major.is_empty())
        .map(str::to_string)
        .ok_or_else(|| ClusterError::Failed {
            action: "finding PostgreSQL's version (`pg_ctl --version`)".into(),
            message: format!("unexpected output: {}", text.trim()),
        })
}

/// Runs a command to its end and fails, with its output, when it fails.
pub(super) fn run(command: Command, action: &str) -> Result<Output, ClusterError> {
    let program = PathBuf::from(command.get_program());
    let output = output_of(command, &program)?;
    if output.status.success() {
        Ok(output)
    } else {
        Err(ClusterError::Failed {
            action: action.to_string(),
            message: describe(&output),
        })
    }
}

pub(super) fn output_of(mut command: Command, program: &Path) -> Result<Output, ClusterError> {
    Ok(command.output().map_err(io_error("run", program))?)
}

/// Returns how a program ended and the last lines it wrote.
pub(super) fn describe(output: &Output) -> String {
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout).trim(),
        String::from_utf8_lossy(&output.stderr).trim()
    );
    let lines: Vec<&str> = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .collect();
    let start = lines.len().saturating_sub(LOG_TAIL_LINES);
    let status = match output.status.code() {
        Some(code) => format!("exit status {code}"),
        None => "killed by a signal".to_string(),
    };
    if lines.is_empty() {
        status
    } else {
        format!("{status}\n{}", lines[start..].join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_installed_version_is_found() {
        let versions = tempfile::tempdir().unwrap();
        for (version, with_initdb) in [("13", true), ("16", true), ("17", false), ("notes", true)] {
            let bin = versions.path().join(version).join("bin");
            std::fs::create_dir_all(&bin).unwrap();
            if with_initdb {
                std::fs::write(bin.join("initdb"), "").unwrap();
            }
        }
        assert_eq!(
            find_bin_dir(versions.path()),
            Some(versions.path().join("16/bin"))
        );
    }
}

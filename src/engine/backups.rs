//! The retention of `idp backup` files: backups older than the database's
//! `backup_retention_days` are removed, and the newest is always kept.

use std::path::{Path, PathBuf};

const DAY_SECONDS: u64 = 86_400;

/// Removes the backups of `database` in `dir` (`<database>-<unix seconds>.dump`) older than
/// `retention_days` before `now` (unix seconds), keeping the newest whatever its age; returns what
/// it removed.
pub fn prune(
    dir: &Path,
    database: &str,
    retention_days: u32,
    now: u64,
) -> std::io::Result<Vec<PathBuf>> {
    let mut backups: Vec<(u64, PathBuf)> = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(error),
    };
    for entry in entries {
        let path = entry?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let taken = name
            .strip_prefix(database)
            .and_then(|rest| rest.strip_prefix('-'))
            .and_then(|rest| rest.strip_suffix(".dump"))
            .and_then(|seconds| seconds.parse::<u64>().ok());
        if let Some(taken) = taken {
            backups.push((taken, path));
        }
    }
    backups.sort();
    let Some((newest, _)) = backups.pop() else {
        return Ok(Vec::new());
    };
    let cutoff = now.saturating_sub(u64::from(retention_days) * DAY_SECONDS);
    let mut removed = Vec::new();
    for (taken, path) in backups {
        if taken < cutoff && taken < newest {
            std::fs::remove_file(&path)?;
            removed.push(path);
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_old_backups_but_keeps_the_newest_and_others_databases() {
        let dir = tempfile::tempdir().unwrap();
        let now = 100 * DAY_SECONDS;
        for name in [
            format!("shop_dev_db-{}.dump", now - 10 * DAY_SECONDS),
            format!("shop_dev_db-{}.dump", now - 3 * DAY_SECONDS),
            format!("shop_dev_db-{}.dump", now - DAY_SECONDS),
            format!("shop_dev_db2-{}.dump", now - 30 * DAY_SECONDS),
            "notes.txt".to_string(),
        ] {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        let removed = prune(dir.path(), "shop_dev_db", 7, now).unwrap();
        assert_eq!(removed.len(), 1);
        assert!(removed[0].ends_with(format!("shop_dev_db-{}.dump", now - 10 * DAY_SECONDS)));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 4);
        // However old, the newest backup stays.
        let removed = prune(dir.path(), "shop_dev_db2", 7, now).unwrap();
        assert!(removed.is_empty());
    }
}

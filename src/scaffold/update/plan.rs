//! The merge of one update, decided in memory file by file, then described (`--pretend`) or
//! applied: writes first, each atomic, deletions last.

use std::collections::BTreeMap;
use std::path::Path;

use super::{Action, Conflict, FileChange};
use crate::manifest::MANIFEST_FILE;
use crate::scaffold::ScaffoldError;
use crate::scaffold::generate::{Generated, Rendered, slash};
use crate::scaffold::merge::{ConflictStyle, FileOutcome, Unmergeable, merge_file, unified_diff};
use crate::scaffold::merge_toml::merge_toml;
use crate::scaffold::paths::check_inside;
use crate::scaffold::provenance::{self, Provenance};

/// A file to write, relative to the project.
struct Write {
    path: String,
    contents: Vec<u8>,
    /// Set the executable bit (files the template adds as executable).
    executable: bool,
}

/// Everything the update will do, decided before anything is written.
#[derive(Default)]
pub(super) struct Plan {
    writes: Vec<Write>,
    deletions: Vec<String>,
    pub changes: Vec<FileChange>,
    pub kept: Vec<String>,
    pub conflicts: Vec<Conflict>,
}

/// Decides what happens to every file either version renders.
pub(super) fn merge(
    directory: &Path,
    base: &Generated,
    theirs: &Generated,
    style: &ConflictStyle,
) -> Result<Plan, ScaffoldError> {
    let mut files: BTreeMap<String, (Option<&Rendered>, Option<&Rendered>)> = BTreeMap::new();
    for file in &base.files {
        files.entry(slash(&file.path)).or_default().0 = Some(file);
    }
    for file in &theirs.files {
        files.entry(slash(&file.path)).or_default().1 = Some(file);
    }
    let mut plan = Plan::default();
    for (path, (base_file, their_file)) in files {
        check_inside(directory, Path::new(&path))?;
        let ours = read_file(&directory.join(&path))?;
        if ours.is_some() && theirs.rules.keeps_existing(Path::new(&path)) {
            continue;
        }
        let base_contents = base_file.map(|f| f.contents.as_slice());
        let their_contents = their_file.map(|f| f.contents.as_slice());
        if path == MANIFEST_FILE
            && let (Some(base), Some(ours), Some(theirs)) = (
                base_contents.and_then(|b| std::str::from_utf8(b).ok()),
                ours.as_deref().and_then(|o| std::str::from_utf8(o).ok()),
                their_contents.and_then(|t| std::str::from_utf8(t).ok()),
            )
        {
            let merged = merge_toml(base, ours, theirs)?;
            for conflict in &merged.conflicts {
                plan.conflicts.push(Conflict {
                    path: path.clone(),
                    detail: format!("key `{}` (your value was kept)", conflict.path),
                    reject: None,
                });
            }
            if merged.text != ours {
                let action = if merged.conflicts.is_empty() {
                    Action::Update
                } else {
                    Action::Conflict
                };
                plan.write(&path, merged.text.into_bytes(), false, action);
            }
            continue;
        }
        let executable = their_file.is_some_and(|f| f.executable);
        match merge_file(base_contents, ours.as_deref(), their_contents, style) {
            FileOutcome::Unchanged => {}
            FileOutcome::Add(contents) => plan.write(&path, contents, executable, Action::Add),
            FileOutcome::Write(contents) => plan.write(&path, contents, false, Action::Update),
            FileOutcome::Delete => {
                plan.deletions.push(path.clone());
                plan.changes.push(FileChange {
                    path,
                    action: Action::Delete,
                    diff: None,
                });
            }
            FileOutcome::KeepUserChanged => plan.kept.push(path),
            FileOutcome::Conflict {
                text,
                regions,
                reject,
            } => {
                let reject_path = reject.as_ref().map(|_| format!("{path}.rej"));
                plan.conflicts.push(Conflict {
                    path: path.clone(),
                    detail: format!(
                        "{regions} region{} both changed",
                        if regions == 1 { "" } else { "s" }
                    ),
                    reject: reject_path.clone(),
                });
                if ours.as_deref() != Some(text.as_slice()) {
                    plan.write(&path, text, false, Action::Conflict);
                }
                if let (Some(reject), Some(reject_path)) = (reject, reject_path) {
                    let patch = format!("--- a/{path}\n+++ b/{path}\n{reject}");
                    plan.write(&reject_path, patch.into_bytes(), false, Action::Add);
                }
            }
            FileOutcome::Unmergeable(why) => plan.conflicts.push(Conflict {
                path,
                detail: match why {
                    Unmergeable::Binary => "a binary file both changed; yours was kept".into(),
                    Unmergeable::DeletedByUser => {
                        "you deleted it and the template changed it; it stays deleted".into()
                    }
                },
                reject: None,
            }),
        }
    }
    Ok(plan)
}

impl Plan {
    fn write(&mut self, path: &str, contents: Vec<u8>, executable: bool, action: Action) {
        self.writes.push(Write {
            path: path.to_string(),
            contents,
            executable,
        });
        self.changes.push(FileChange {
            path: path.to_string(),
            action,
            diff: None,
        });
    }

    /// Records `provenance` in `file`, in the merged text when the merge writes that file.
    pub(super) fn record(
        &mut self,
        directory: &Path,
        file: &str,
        provenance: &Provenance,
    ) -> Result<(), ScaffoldError> {
        let planned = self.writes.iter_mut().find(|w| w.path == file);
        let current = match &planned {
            Some(write) => write.contents.clone(),
            None => read_file(&directory.join(file))?.unwrap_or_default(),
        };
        let text = String::from_utf8_lossy(&current);
        let recorded = provenance::rewrite(&text, file, provenance)?.into_bytes();
        match planned {
            Some(write) => write.contents = recorded,
            None if recorded != current => self.write(file, recorded, false, Action::Update),
            None => {}
        }
        Ok(())
    }

    /// Adds to each change the unified diff from the working tree to the result.
    pub(super) fn describe(&mut self, directory: &Path) -> Result<(), ScaffoldError> {
        for change in &mut self.changes {
            let old = read_file(&directory.join(&change.path))?.unwrap_or_default();
            let new = self
                .writes
                .iter()
                .find(|w| w.path == change.path)
                .map(|w| w.contents.clone())
                .unwrap_or_default();
            let (old_label, new_label) = match change.action {
                Action::Add => ("/dev/null".to_string(), format!("b/{}", change.path)),
                Action::Delete => (format!("a/{}", change.path), "/dev/null".to_string()),
                _ => (format!("a/{}", change.path), format!("b/{}", change.path)),
            };
            change.diff = Some(
                match (std::str::from_utf8(&old), std::str::from_utf8(&new)) {
                    (Ok(old), Ok(new)) => unified_diff(old, new, &old_label, &new_label, 3),
                    _ => format!("Binary files {old_label} and {new_label} differ\n"),
                },
            );
        }
        Ok(())
    }

    /// Writes every file (atomically, one by one), then deletes; empty folders left by a deletion
    /// go too.
    pub(super) fn apply(&self, directory: &Path) -> Result<(), ScaffoldError> {
        for write in &self.writes {
            let path = directory.join(&write.path);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(ScaffoldError::io("create", parent))?;
            }
            crate::fs::write_atomic(&path, &write.contents)
                .map_err(ScaffoldError::io("write", &path))?;
            #[cfg(unix)]
            if write.executable {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
                    .map_err(ScaffoldError::io("make executable", &path))?;
            }
        }
        for deletion in &self.deletions {
            let path = directory.join(deletion);
            std::fs::remove_file(&path).map_err(ScaffoldError::io("delete", &path))?;
            let mut parent = path.parent();
            while let Some(dir) = parent.filter(|d| d.starts_with(directory) && *d != directory) {
                // Fails, and stops, at the first folder that is not empty.
                if std::fs::remove_dir(dir).is_err() {
                    break;
                }
                parent = dir.parent();
            }
        }
        Ok(())
    }
}

/// Returns a file's contents, `None` when there is no file at `path`.
pub(super) fn read_file(path: &Path) -> Result<Option<Vec<u8>>, ScaffoldError> {
    if !path.is_file() {
        return Ok(None);
    }
    std::fs::read(path)
        .map(Some)
        .map_err(ScaffoldError::io("read", path))
}

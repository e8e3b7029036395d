//! A template's files held in memory, whatever they were read from: the binary, a folder or a git
//! checkout. Rendering never touches the template's source again.

use std::path::Path;

use super::ScaffoldError;

/// One file of a template.
#[derive(Clone, Debug)]
pub struct TemplateFile {
    /// The path relative to the template's root, with `/` separators, not yet rendered.
    pub path: String,
    pub contents: Vec<u8>,
    pub executable: bool,
}

/// A template's files, sorted by path.
#[derive(Clone, Debug, Default)]
pub struct FileTree {
    pub files: Vec<TemplateFile>,
}

impl FileTree {
    pub fn get(&self, path: &str) -> Option<&TemplateFile> {
        self.files.iter().find(|file| file.path == path)
    }

    /// Returns the text of a file, if it exists and is UTF-8.
    pub fn text(&self, path: &str) -> Option<&str> {
        self.get(path)
            .and_then(|file| std::str::from_utf8(&file.contents).ok())
    }

    /// Returns the files under `prefix/`, with the prefix removed.
    pub fn subtree(&self, prefix: &str) -> FileTree {
        let prefix = format!("{}/", prefix.trim_end_matches('/'));
        let files = self
            .files
            .iter()
            .filter_map(|file| {
                let path = file.path.strip_prefix(&prefix)?;
                Some(TemplateFile {
                    path: path.to_string(),
                    ..file.clone()
                })
            })
            .collect();
        FileTree { files }
    }

    /// Reads every file below `root`, skipping `.git`. Symbolic links are followed only when they
    /// stay inside `root`: a template must not smuggle in files from elsewhere on the machine.
    pub fn read_dir(root: &Path) -> Result<FileTree, ScaffoldError> {
        let canonical_root = root
            .canonicalize()
            .map_err(ScaffoldError::io("read the template", root))?;
        let mut files = Vec::new();
        let mut pending = vec![canonical_root.clone()];
        while let Some(dir) = pending.pop() {
            let entries = std::fs::read_dir(&dir)
                .map_err(ScaffoldError::io("read the template directory", &dir))?;
            for entry in entries {
                let entry =
                    entry.map_err(ScaffoldError::io("read the template directory", &dir))?;
                let path = entry.path();
                if entry.file_name() == ".git" {
                    continue;
                }
                let target = path
                    .canonicalize()
                    .map_err(ScaffoldError::io("read", &path))?;
                let relative = path
                    .strip_prefix(&canonical_root)
                    .expect("entries lie under the root");
                if !target.starts_with(&canonical_root) {
                    return Err(ScaffoldError::PathEscape {
                        path: relative.display().to_string(),
                    });
                }
                let metadata =
                    std::fs::metadata(&target).map_err(ScaffoldError::io("read", &path))?;
                if metadata.is_dir() {
                    pending.push(path);
                } else {
                    let contents =
                        std::fs::read(&target).map_err(ScaffoldError::io("read", &path))?;
                    files.push(TemplateFile {
                        path: slash_path(relative),
                        contents,
                        executable: is_executable(&metadata),
                    });
                }
            }
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(FileTree { files })
    }
}

fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(unix)]
fn is_executable(metadata: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    metadata.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn is_executable(_metadata: &std::fs::Metadata) -> bool {
    false
}

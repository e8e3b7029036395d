//! The built-in templates, embedded from `templates/` at build time (see `build.rs`).

use super::files::{FileTree, TemplateFile};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/builtin_templates.rs"));
}

/// Returns the names of the built-in templates, sorted.
pub fn names() -> Vec<&'static str> {
    let mut names: Vec<&str> = embedded::FILES
        .iter()
        .filter_map(|(path, _, _)| path.split_once('/').map(|(name, _)| name))
        .collect();
    names.dedup();
    names
}

/// Returns the files of a built-in template.
pub fn files(name: &str) -> Option<FileTree> {
    let prefix = format!("{name}/");
    let files: Vec<TemplateFile> = embedded::FILES
        .iter()
        .filter_map(|(path, contents, executable)| {
            let path = path.strip_prefix(&prefix)?;
            Some(TemplateFile {
                path: path.to_string(),
                contents: contents.to_vec(),
                executable: *executable,
            })
        })
        .collect();
    (!files.is_empty()).then_some(FileTree { files })
}

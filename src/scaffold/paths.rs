//! Where rendered files may go: only below the target directory, whatever the template or the
//! answers say (`..`, absolute paths, or a symbolic link in an existing target are refused).

use std::path::{Component, Path, PathBuf};

use super::ScaffoldError;

/// Returns the relative output path of a rendered template path, `None` when a component rendered
/// empty (how templates make a file conditional), or an error when it would leave the target.
pub fn output_path(rendered: &str) -> Result<Option<PathBuf>, ScaffoldError> {
    let escape = || ScaffoldError::PathEscape {
        path: rendered.to_string(),
    };
    if rendered.starts_with('/') || rendered.contains('\\') || rendered.contains('\0') {
        return Err(escape());
    }
    let mut path = PathBuf::new();
    for segment in rendered.split('/') {
        match segment.trim() {
            "" => return Ok(None),
            "." => continue,
            ".." => return Err(escape()),
            _ => path.push(segment),
        }
    }
    if path
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return Err(escape());
    }
    Ok((!path.as_os_str().is_empty()).then_some(path))
}

/// Checks that writing `relative` under `root` stays below `root` even through symbolic links that
/// already exist there.
pub fn check_inside(root: &Path, relative: &Path) -> Result<(), ScaffoldError> {
    let canonical_root = root
        .canonicalize()
        .map_err(ScaffoldError::io("read", root))?;
    let mut current = root.to_path_buf();
    for component in relative.components() {
        current.push(component);
        match current.canonicalize() {
            Ok(resolved) if !resolved.starts_with(&canonical_root) => {
                return Err(ScaffoldError::PathEscape {
                    path: relative.display().to_string(),
                });
            }
            Ok(_) => {}
            // Nothing exists from here on, so nothing can redirect the write.
            Err(_) => break,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_that_leave_the_target() {
        for bad in ["../x", "a/../../x", "/etc/passwd", "a\\..\\x"] {
            assert!(
                matches!(output_path(bad), Err(ScaffoldError::PathEscape { .. })),
                "{bad}"
            );
        }
        assert_eq!(
            output_path("src/./main.rs").unwrap(),
            Some(PathBuf::from("src/main.rs"))
        );
        assert_eq!(output_path("migrations//0001.sql").unwrap(), None);
        assert_eq!(output_path("").unwrap(), None);
    }

    #[cfg(unix)]
    #[test]
    fn refuses_to_write_through_a_link_out_of_the_target() {
        let root = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), root.path().join("src")).unwrap();
        assert!(check_inside(root.path(), Path::new("src/main.rs")).is_err());
        assert!(check_inside(root.path(), Path::new("other/main.rs")).is_ok());
    }
}

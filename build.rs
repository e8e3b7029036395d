//! Embeds the built-in templates under `templates/` into the binary, so an installed idp works
//! anywhere without its source tree.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    println!("cargo::rerun-if-changed=templates");
    let mut files = Vec::new();
    if root.is_dir() {
        collect(&root, &root, &mut files);
    }
    files.sort();
    // An installed idp must carry its golden paths; an empty list means a broken checkout.
    assert!(
        !files.is_empty(),
        "templates/ holds no built-in template; is the checkout complete?"
    );
    let mut code = String::from(
        "/// Every file of the built-in templates: path below `templates/`, contents, executable.\npub static FILES: &[(&str, &[u8], bool)] = &[\n",
    );
    for (relative, absolute, executable) in &files {
        writeln!(
            code,
            "    ({relative:?}, include_bytes!({:?}), {executable}),",
            absolute.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n");
    #[allow(
        clippy::disallowed_methods,
        reason = "a build script reads what cargo passes it"
    )]
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("builtin_templates.rs");
    std::fs::write(out, code).expect("OUT_DIR is writable");
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, PathBuf, bool)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("templates/ is readable")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        // Directories and files are tracked one by one so that added or removed files rebuild too.
        println!("cargo::rerun-if-changed={}", path.display());
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            if matches!(
                name.as_str(),
                "target" | "node_modules" | "__pycache__" | ".venv" | ".pytest_cache"
            ) {
                continue;
            }
            collect(root, &path, files);
        } else if path.strip_prefix(root).unwrap().components().count() > 1 {
            // Top-level files (templates/README.md) document the format; they are no template.
            let relative = path
                .strip_prefix(root)
                .unwrap()
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            files.push((relative, path.clone(), is_executable(&path)));
        }
    }
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .map(|m| m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

#[cfg(not(unix))]
fn is_executable(_path: &Path) -> bool {
    false
}

//! `install.sh`: it installs the binary and the bash, zsh and fish completions into the per-user
//! places of a sealed HOME, records them in a receipt, is idempotent, and `--uninstall` removes
//! exactly what it installed. The tests pass `--binary` (no release build) and
//! `--no-system-packages` (no apt-get).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::support::{Outcome, TestEnv};

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("install.sh")
}

/// The paths install.sh uses inside one test environment.
struct Layout {
    prefix: PathBuf,
    binary: PathBuf,
    bash: PathBuf,
    zsh: PathBuf,
    fish: PathBuf,
    idp_data: PathBuf,
    receipt: PathBuf,
}

impl Layout {
    fn new(env: &TestEnv, prefix: &str) -> Layout {
        let data = env.home().join(".local/share");
        let prefix = env.root().join(prefix);
        Layout {
            binary: prefix.join("bin/idp"),
            prefix,
            bash: data.join("bash-completion/completions/idp"),
            zsh: data.join("zsh/site-functions/_idp"),
            fish: env.home().join(".config/fish/completions/idp.fish"),
            idp_data: data.join("idp"),
            receipt: data.join("idp/install-receipt"),
        }
    }

    fn installed(&self) -> BTreeSet<PathBuf> {
        BTreeSet::from([
            self.binary.clone(),
            self.bash.clone(),
            self.zsh.clone(),
            self.fish.clone(),
        ])
    }
}

/// Runs `bash install.sh ARGS` in the sealed environment.
fn install_sh(env: &TestEnv, args: &[&str]) -> Outcome {
    let mut command = assert_cmd::Command::new("bash");
    env.seal(&mut command);
    command.current_dir(env.root()).arg(script()).args(args);
    env.run(&mut command)
}

fn install(env: &TestEnv, layout: &Layout) -> Outcome {
    let built = assert_cmd::cargo::cargo_bin("idp");
    let outcome = install_sh(
        env,
        &[
            "--prefix",
            layout.prefix.to_str().unwrap(),
            "--binary",
            built.to_str().unwrap(),
            "--no-system-packages",
        ],
    );
    assert_eq!(outcome.code, 0, "{}", outcome.snapshot());
    outcome
}

fn uninstall(env: &TestEnv) -> Outcome {
    let outcome = install_sh(env, &["--uninstall"]);
    assert_eq!(outcome.code, 0, "{}", outcome.snapshot());
    outcome
}

/// Returns every file and symlink under `root`.
fn files_under(root: &Path) -> BTreeSet<PathBuf> {
    let mut files = BTreeSet::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                pending.push(entry.path());
            } else {
                files.insert(entry.path());
            }
        }
    }
    files
}

fn receipt_lines(layout: &Layout) -> Vec<PathBuf> {
    std::fs::read_to_string(&layout.receipt)
        .expect("the receipt is written")
        .lines()
        .map(PathBuf::from)
        .collect()
}

fn write(path: &Path, contents: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, contents).unwrap();
}

#[test]
fn installs_binary_and_completions_then_uninstalls_only_them() {
    let env = TestEnv::new();
    let layout = Layout::new(&env, "prefix");
    // Files of other programs in the same directories, which uninstall must leave alone.
    write(
        &layout.bash.with_file_name("other-tool"),
        "complete -F _other other-tool\n",
    );
    write(&layout.zsh.with_file_name("_other"), "#compdef other\n");
    write(&layout.binary.with_file_name("other-tool"), "#!/bin/sh\n");
    let before = files_under(env.root());

    let outcome = install(&env, &layout);
    assert!(
        outcome
            .stderr
            .contains("install.sh: installed idp to [TEMP]/prefix/bin/idp"),
        "{}",
        outcome.snapshot()
    );
    assert!(
        outcome.stderr.contains("[TEMP]/prefix/bin is not on PATH"),
        "{}",
        outcome.snapshot()
    );
    assert!(
        outcome
            .stderr
            .lines()
            .all(|line| line.starts_with("install.sh: ")),
        "{}",
        outcome.snapshot()
    );
    assert_eq!(outcome.stdout, "");

    let version = std::process::Command::new(&layout.binary)
        .arg("--version")
        .output()
        .unwrap();
    assert!(version.status.success());
    assert!(String::from_utf8_lossy(&version.stdout).starts_with("idp "));

    for (shell, path) in [
        ("bash", &layout.bash),
        ("zsh", &layout.zsh),
        ("fish", &layout.fish),
    ] {
        let generated = env.run(env.idp().args(["completions", shell]));
        assert_eq!(generated.code, 0, "{}", generated.snapshot());
        let installed = std::fs::read_to_string(path).unwrap();
        assert!(
            installed == generated.stdout,
            "{} is not what `idp completions {shell}` prints",
            path.display()
        );
    }

    let receipt = receipt_lines(&layout);
    assert_eq!(
        receipt.iter().cloned().collect::<BTreeSet<_>>(),
        layout.installed()
    );
    assert_eq!(receipt.len(), layout.installed().len(), "{receipt:?}");
    let mut expected = before.clone();
    expected.extend(layout.installed());
    expected.insert(layout.receipt.clone());
    let after_install = files_under(env.root());
    assert_eq!(after_install, expected);

    // Idempotent: the same files and the same receipt, with no duplicate lines.
    let first_receipt = std::fs::read_to_string(&layout.receipt).unwrap();
    install(&env, &layout);
    assert_eq!(
        std::fs::read_to_string(&layout.receipt).unwrap(),
        first_receipt
    );
    assert_eq!(files_under(env.root()), after_install);

    let outcome = uninstall(&env);
    for path in layout.installed() {
        assert!(!path.exists(), "{} survived uninstall", path.display());
        let removed = format!("install.sh: removed {}", path.display())
            .replace(&env.root().display().to_string(), "[TEMP]");
        assert!(outcome.stderr.contains(&removed), "{}", outcome.snapshot());
    }
    assert!(
        !layout.idp_data.exists(),
        "the empty idp data directory survived uninstall"
    );
    assert_eq!(files_under(env.root()), before);

    let again = uninstall(&env);
    assert!(
        again.stderr.contains("nothing to uninstall"),
        "{}",
        again.snapshot()
    );
}

#[test]
fn uninstall_removes_nothing_the_receipt_could_not_have_installed() {
    let env = TestEnv::new();
    let layout = Layout::new(&env, "prefix");
    let state = layout.idp_data.join("state.json");
    write(&state, "{}\n");
    let unrelated = env.home().join("notes.txt");
    write(&unrelated, "keep me\n");
    install(&env, &layout);

    // A damaged receipt naming a file install.sh never installs.
    let mut receipt = std::fs::read_to_string(&layout.receipt).unwrap();
    receipt.push_str(&format!("{}\n", unrelated.display()));
    std::fs::write(&layout.receipt, receipt).unwrap();

    let outcome = uninstall(&env);
    assert!(
        outcome
            .stderr
            .contains("left `[TEMP]/home/notes.txt` alone"),
        "{}",
        outcome.snapshot()
    );
    assert!(unrelated.exists());
    assert!(state.exists(), "idp's own data must survive uninstall");
    assert!(!layout.receipt.exists());
    assert!(layout.installed().iter().all(|path| !path.exists()));
}

#[test]
fn reinstalling_under_another_prefix_keeps_the_first_binary_in_the_receipt() {
    let env = TestEnv::new();
    let first = Layout::new(&env, "first");
    let second = Layout::new(&env, "second");
    install(&env, &first);
    install(&env, &second);

    let mut expected = second.installed();
    expected.insert(first.binary.clone());
    assert_eq!(
        receipt_lines(&second).into_iter().collect::<BTreeSet<_>>(),
        expected
    );

    uninstall(&env);
    assert!(!first.binary.exists());
    assert!(!second.binary.exists());
}

#[test]
fn without_cargo_and_without_binary_it_fails_clearly() {
    let env = TestEnv::new();
    // A PATH with bash and basic tools, and no cargo.
    let tools = env.root().join("tools");
    std::fs::create_dir_all(&tools).unwrap();
    for tool in [
        "bash", "cat", "chmod", "env", "grep", "mkdir", "mktemp", "mv", "rm", "rmdir", "sed",
        "sort", "tail",
    ] {
        let found = ["/usr/bin", "/bin"]
            .iter()
            .map(|dir| Path::new(dir).join(tool))
            .find(|path| path.exists());
        if let Some(found) = found {
            std::os::unix::fs::symlink(found, tools.join(tool)).unwrap();
        }
    }
    let bash = tools.join("bash");
    assert!(bash.exists(), "bash is in /usr/bin or /bin");

    let prefix = env.root().join("prefix");
    let mut command = assert_cmd::Command::new(&bash);
    env.seal(&mut command);
    command.env("PATH", &tools).current_dir(env.root());
    command
        .arg(script())
        .args(["--prefix", prefix.to_str().unwrap(), "--no-system-packages"]);
    let outcome = env.run(&mut command);

    assert_ne!(outcome.code, 0, "{}", outcome.snapshot());
    assert!(
        outcome
            .stderr
            .starts_with("install.sh: error: cargo was not found on PATH"),
        "{}",
        outcome.snapshot()
    );
    assert!(
        outcome.stderr.contains("--binary"),
        "{}",
        outcome.snapshot()
    );
    assert!(
        !prefix.exists(),
        "nothing is installed when the build cannot run"
    );
    assert!(!env.home().join(".local/share/idp").exists());
}

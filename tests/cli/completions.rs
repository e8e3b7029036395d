//! Shell completions: the committed files are what the binary generates, and bash really completes.

use std::path::Path;
use std::process::Command;

use crate::support::TestEnv;

const SHELLS: [(&str, &str); 5] = [
    ("bash", "idp.bash"),
    ("zsh", "_idp"),
    ("fish", "idp.fish"),
    ("powershell", "_idp.ps1"),
    ("elvish", "idp.elv"),
];

fn committed(file: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("completions")
        .join(file)
}

#[test]
fn committed_completions_are_current() {
    let env = TestEnv::new();
    for (shell, file) in SHELLS {
        let outcome = env.run(env.idp().args(["completions", shell]));
        assert_eq!(outcome.code, 0, "{}", outcome.snapshot());
        let on_disk = std::fs::read_to_string(committed(file)).unwrap_or_default();
        assert!(
            on_disk == outcome.stdout,
            "completions/{file} is stale; regenerate it with `cargo run -- completions {shell} > completions/{file}`"
        );
    }
}

#[test]
fn bash_completes_commands_and_flags() {
    let script = committed("idp.bash");
    let complete = |line: &str| {
        let words: Vec<&str> = line.split(' ').collect();
        let program = format!(
            "source '{}'\nCOMP_WORDS=({})\nCOMP_CWORD={}\nCOMP_LINE='{line}'\nCOMP_POINT=${{#COMP_LINE}}\n_idp idp '{}' '{}'\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"",
            script.display(),
            words
                .iter()
                .map(|w| format!("'{w}'"))
                .collect::<Vec<_>>()
                .join(" "),
            words.len() - 1,
            words[words.len() - 1],
            words
                .get(words.len().wrapping_sub(2))
                .copied()
                .unwrap_or(""),
        );
        let output = Command::new("bash")
            .args(["--norc", "-c", &program])
            .output()
            .expect("bash runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };
    let commands = complete("idp ch");
    assert_eq!(commands.trim(), "check");
    let flags = complete("idp check --ru");
    assert_eq!(flags.trim(), "--rules");
    let shells = complete("idp completions z");
    assert_eq!(shells.trim(), "zsh");
}

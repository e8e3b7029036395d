//! `--help` of every command, whole: a wording change is a reviewed snapshot diff.

use crate::support::TestEnv;

#[test]
fn help_texts() {
    let env = TestEnv::new();
    let commands: [&[&str]; 17] = [
        &["--help"],
        &["init", "--help"],
        &["update", "--help"],
        &["templates", "--help"],
        &["templates", "list", "--help"],
        &["check", "--help"],
        &["plan", "--help"],
        &["provision", "--help"],
        &["status", "--help"],
        &["env", "--help"],
        &["run", "--help"],
        &["destroy", "--help"],
        &["backup", "--help"],
        &["restore", "--help"],
        &["unlock", "--help"],
        &["schema", "--help"],
        &["completions", "--help"],
    ];
    for command in commands {
        let outcome = env.run(env.idp().args(command));
        assert_eq!(outcome.code, 0, "{}", outcome.snapshot());
        let name = if command.len() == 1 {
            "idp".to_string()
        } else {
            command[..command.len() - 1].join("-")
        };
        insta::assert_snapshot!(format!("help-{name}"), outcome.stdout);
    }
}

#[test]
fn usage_errors_exit_2() {
    let env = TestEnv::new();
    let outcome = env.run(env.idp().args(["check", "--bogus"]));
    assert_eq!(outcome.code, 2);
    assert!(outcome.stderr.contains("--bogus"), "{}", outcome.stderr);
}

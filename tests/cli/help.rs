//! `--help` of every command, whole: a wording change is a reviewed snapshot diff.

use crate::support::TestEnv;

#[test]
fn help_texts() {
    let env = TestEnv::new();
    for command in [
        &["--help"][..],
        &["check", "--help"],
        &["schema", "--help"],
        &["completions", "--help"],
    ] {
        let outcome = env.run(env.idp().args(command));
        assert_eq!(outcome.code, 0, "{}", outcome.snapshot());
        let name = if command.len() == 1 {
            "idp"
        } else {
            command[0]
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

//! `idp check` on manifests kept as files: good ones pass, each bad one gives its exact findings.

use std::path::Path;

use crate::support::{Outcome, TestEnv, fixture};

/// Runs `idp check` on a fixture from inside its directory, so paths print as the user would see them.
fn check_fixture(path: &Path, extra: &[&str]) -> Outcome {
    let env = TestEnv::new();
    let mut command = env.idp();
    command.current_dir(path.parent().unwrap());
    command
        .arg("--manifest")
        .arg(path.file_name().unwrap())
        .arg("check")
        .args(extra);
    env.run(&mut command)
}

#[test]
fn valid_manifests_pass() {
    insta::glob!("../fixtures/manifests/valid", "*.toml", |path| {
        let outcome = check_fixture(path, &[]);
        assert_eq!(outcome.code, 0, "{}", outcome.snapshot());
        insta::assert_snapshot!(outcome.snapshot());
    });
}

#[test]
fn invalid_manifests_report_every_finding_with_its_place() {
    insta::glob!("../fixtures/manifests/invalid", "*.toml", |path| {
        let outcome = check_fixture(path, &[]);
        assert!(
            outcome.code == 1 || outcome.code == 3,
            "{}",
            outcome.snapshot()
        );
        assert!(
            outcome.stderr.contains(&format!(
                "--> {}:",
                path.file_name().unwrap().to_string_lossy()
            )),
            "{}",
            outcome.snapshot()
        );
        insta::assert_snapshot!(outcome.snapshot());
    });
}

#[test]
fn json_output_carries_rule_ids_and_locations() {
    let outcome = check_fixture(
        &fixture("manifests/invalid/policy-public-ingress.toml"),
        &["--output", "json"],
    );
    assert_eq!(outcome.code, 3);
    let report = outcome.json();
    assert_eq!(report["ok"], false);
    let finding = &report["findings"][0];
    assert_eq!(finding["rule"], "net.public-ingress");
    assert_eq!(finding["severity"], "error");
    assert_eq!(finding["category"], "policy");
    assert_eq!(finding["file"], "policy-public-ingress.toml");
    assert!(finding["line"].as_u64().unwrap() > 0 && finding["column"].as_u64().unwrap() > 0);
    assert_eq!(finding["path"], "resources.web-in.allow[0].from");
    assert!(finding["fix"].as_str().unwrap().contains("10.0.0.0/16"));
    assert!(
        outcome.stderr.is_empty(),
        "JSON mode keeps stderr for errors: {}",
        outcome.stderr
    );
}

#[test]
fn env_flag_limits_the_check_to_one_environment() {
    // Deletion protection is only required in `prod`; `dev` alone passes.
    let path = fixture("manifests/invalid/policy-prod-deletion-protection.toml");
    assert_eq!(check_fixture(&path, &[]).code, 3);
    assert_eq!(check_fixture(&path, &["--env", "dev"]).code, 0);
    let unknown = check_fixture(&path, &["--env", "staging"]);
    assert_eq!(unknown.code, 1);
    insta::assert_snapshot!(unknown.snapshot());
}

#[test]
fn finds_the_manifest_in_a_parent_directory() {
    let env = TestEnv::new();
    env.write(
        "idp.toml",
        &std::fs::read_to_string(fixture("manifests/valid/full.toml")).unwrap(),
    );
    env.write("src/deep/.keep", "");
    let outcome = env.run(
        env.idp()
            .current_dir(env.project().join("src/deep"))
            .arg("check"),
    );
    assert_eq!(outcome.code, 0, "{}", outcome.snapshot());
    assert!(
        outcome.stderr.contains("`../../idp.toml` passes"),
        "{}",
        outcome.stderr
    );
}

#[test]
fn missing_manifest_says_where_it_looked() {
    let env = TestEnv::new();
    let outcome = env.run(env.idp().arg("check"));
    assert_eq!(outcome.code, 1);
    insta::assert_snapshot!(outcome.snapshot());
}

#[test]
fn rules_list_matches_the_readme_table() {
    let env = TestEnv::new();
    let outcome = env.run(env.idp().args(["check", "--rules"]));
    assert_eq!(outcome.code, 0);
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    assert!(
        readme.contains(&outcome.stdout),
        "README.md's guardrail table is stale; paste `idp check --rules` into it:\n{}",
        outcome.stdout
    );
    let json = env
        .run(env.idp().args(["check", "--rules", "--output", "json"]))
        .json();
    assert!(
        json.as_array()
            .unwrap()
            .iter()
            .any(|rule| rule["id"] == "net.public-ingress")
    );
}

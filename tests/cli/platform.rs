//! Which platform policy file `idp check` holds a manifest to: `--platform`, then `IDP_PLATFORM`,
//! then the manifest's `platform` key, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in
//! policy. Each platform file here demands a different minimum backup retention, so the exit code and
//! the refusal's "at least N" show which file was read, and `--output json` names it.

use std::path::Path;

use crate::support::{Outcome, TestEnv, fixture};

/// The manifest's database keeps backups for 14 days: enough for a platform asking 7, not 30.
const MANIFEST: &str = "\
[project]
name = \"payments\"
team = \"payments-team\"
owner = \"alice@example.com\"

[resources.db]
type = \"postgres\"
backup_retention_days = 14
";

const FLAG: &str = "flag";
const VARIABLE: &str = "environment";
const MANIFEST_KEY: &str = "manifest";
const USER_CONFIG: &str = "user-config";
const BUILT_IN: &str = "built-in";

/// Returns a project whose manifest names `platform_key` (if any) as its platform file.
fn project(platform_key: Option<&str>) -> TestEnv {
    let env = TestEnv::new();
    let key = platform_key.map_or(String::new(), |key| format!("platform = \"{key}\"\n\n"));
    env.write("idp.toml", &format!("{key}{MANIFEST}"));
    env
}

/// Writes a platform file under the project that demands `days` of backups.
fn platform(env: &TestEnv, relative: &str, days: u32) {
    env.write(relative, &platform_text(days));
}

/// Writes `$XDG_CONFIG_HOME/idp/platform.toml`, demanding `days` of backups.
fn user_platform(env: &TestEnv, days: u32) {
    let dir = env.home().join(".config/idp");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("platform.toml"), platform_text(days)).unwrap();
}

fn platform_text(days: u32) -> String {
    format!("[policy]\nmin_backup_retention_days = {days}\n")
}

/// Runs `idp check --output json` in the project, with `configure` adding flags or variables.
fn check_json(env: &TestEnv, configure: impl FnOnce(&mut assert_cmd::Command)) -> Outcome {
    let mut command = env.idp();
    configure(&mut command);
    command.args(["check", "--output", "json"]);
    env.run(&mut command)
}

/// Asserts the report names the platform file and how it was chosen, and that the check passed
/// (`refused_below: None`) or was refused for keeping backups fewer days than the number given.
fn assert_platform(
    outcome: &Outcome,
    source: &str,
    path: Option<&str>,
    refused_below: Option<u32>,
) {
    let report = outcome.json();
    assert_eq!(
        report["platform"]["source"],
        source,
        "{}",
        outcome.snapshot()
    );
    assert_eq!(
        report["platform"]["path"].as_str(),
        path,
        "{}",
        outcome.snapshot()
    );
    match refused_below {
        None => {
            assert_eq!(outcome.code, 0, "{}", outcome.snapshot());
            assert_eq!(report["ok"], true);
            assert_eq!(report["findings"].as_array().unwrap().len(), 0);
        }
        Some(days) => {
            assert_eq!(outcome.code, 3, "{}", outcome.snapshot());
            assert_eq!(report["ok"], false);
            let finding = &report["findings"][0];
            assert_eq!(finding["rule"], "backup.retention");
            assert!(
                finding["file"].as_str().unwrap().ends_with("idp.toml"),
                "{finding}"
            );
            let message = finding["message"].as_str().unwrap();
            assert!(message.ends_with(&format!("at least {days}")), "{message}");
        }
    }
}

#[test]
fn platform_flag_wins_over_idp_platform() {
    let env = project(None);
    platform(&env, "flag.toml", 7);
    platform(&env, "variable.toml", 30);

    let both = check_json(&env, |c| {
        c.args(["--platform", "flag.toml"])
            .env("IDP_PLATFORM", "variable.toml");
    });
    assert_platform(&both, FLAG, Some("flag.toml"), None);

    let variable = check_json(&env, |c| {
        c.env("IDP_PLATFORM", "variable.toml");
    });
    assert_platform(&variable, VARIABLE, Some("variable.toml"), Some(30));

    let flag = check_json(&env, |c| {
        c.args(["--platform", "flag.toml"]);
    });
    assert_platform(&flag, FLAG, Some("flag.toml"), None);
}

#[test]
fn idp_platform_wins_over_the_manifest_key() {
    let env = project(Some("platforms/team.toml"));
    platform(&env, "platforms/team.toml", 30);
    platform(&env, "variable.toml", 7);

    let both = check_json(&env, |c| {
        c.env("IDP_PLATFORM", "variable.toml");
    });
    assert_platform(&both, VARIABLE, Some("variable.toml"), None);

    let key = check_json(&env, |_| {});
    assert_platform(&key, MANIFEST_KEY, Some("platforms/team.toml"), Some(30));
}

#[test]
fn manifest_key_wins_over_the_user_configuration() {
    let env = project(Some("platforms/team.toml"));
    platform(&env, "platforms/team.toml", 7);
    user_platform(&env, 30);
    let user_path = "[TEMP]/home/.config/idp/platform.toml";

    let both = check_json(&env, |_| {});
    assert_platform(&both, MANIFEST_KEY, Some("platforms/team.toml"), None);

    env.write("idp.toml", MANIFEST);
    let user = check_json(&env, |_| {});
    assert_platform(&user, USER_CONFIG, Some(user_path), Some(30));
}

#[test]
fn user_configuration_wins_over_the_built_in_policy() {
    let env = project(None);
    user_platform(&env, 30);
    let user_path = "[TEMP]/home/.config/idp/platform.toml";

    let user = check_json(&env, |_| {});
    assert_platform(&user, USER_CONFIG, Some(user_path), Some(30));

    std::fs::remove_file(env.home().join(".config/idp/platform.toml")).unwrap();
    let built_in = check_json(&env, |_| {});
    assert_platform(&built_in, BUILT_IN, None, None);
}

#[test]
fn manifest_key_is_relative_to_the_manifest_not_the_working_directory() {
    let env = project(Some("platforms/team.toml"));
    platform(&env, "platforms/team.toml", 30);
    env.write("src/deep/.keep", "");
    let mut command = env.idp();
    command
        .current_dir(env.project().join("src/deep"))
        .args(["check", "--output", "json"]);
    let outcome = env.run(&mut command);
    assert_platform(
        &outcome,
        MANIFEST_KEY,
        Some("../../platforms/team.toml"),
        Some(30),
    );
}

#[test]
fn refusal_names_the_platform_file_and_where_it_was_set() {
    let env = project(Some("platforms/team.toml"));
    platform(&env, "platforms/team.toml", 30);
    let outcome = env.run(env.idp().arg("check"));
    assert_eq!(outcome.code, 3, "{}", outcome.snapshot());
    assert!(
        outcome
            .stderr
            .contains("platform policy `platforms/team.toml`, from the manifest's `platform` key"),
        "{}",
        outcome.stderr
    );
    insta::assert_snapshot!(outcome.snapshot());
}

#[test]
fn missing_platform_file_is_an_error_naming_where_it_was_set() {
    let env = project(None);
    let flag = env.run(env.idp().args(["--platform", "missing.toml", "check"]));
    assert_eq!(flag.code, 1, "{}", flag.snapshot());
    assert!(flag.stdout.is_empty());
    insta::assert_snapshot!("missing_platform_flag", flag.snapshot());

    let variable = env.run(env.idp().env("IDP_PLATFORM", "missing.toml").arg("check"));
    assert_eq!(variable.code, 1, "{}", variable.snapshot());
    assert!(
        variable.stderr.contains("`missing.toml`"),
        "{}",
        variable.stderr
    );

    let env = project(Some("platforms/missing.toml"));
    let key = env.run(env.idp().arg("check"));
    assert_eq!(key.code, 1, "{}", key.snapshot());
    insta::assert_snapshot!("missing_platform_manifest_key", key.snapshot());

    // In JSON mode the error is one JSON object on stderr, and stdout stays empty.
    let json = env.run(env.idp().args(["check", "--output", "json"]));
    assert_eq!(json.code, 1);
    assert!(json.stdout.is_empty(), "{}", json.stdout);
    let error: serde_json::Value = serde_json::from_str(json.stderr.trim()).unwrap();
    let message = error["error"]["message"].as_str().unwrap();
    assert!(message.contains("platforms/missing.toml"), "{message}");
    assert!(error["error"]["hint"].is_string());
}

#[test]
fn malformed_platform_files_are_reported_in_the_platform_file() {
    insta::glob!("../fixtures/platforms/invalid", "*.toml", |path| {
        let name = path.file_name().unwrap().to_str().unwrap();
        let env = TestEnv::new();
        // A manifest a guardrail would refuse: the malformed platform must stop the check first.
        env.write("idp.toml", &MANIFEST.replace("= 14", "= 3"));
        env.write(name, &std::fs::read_to_string(path).unwrap());

        let outcome = env.run(env.idp().args(["--platform", name, "check"]));
        assert_eq!(outcome.code, 1, "{}", outcome.snapshot());
        assert!(
            outcome.stderr.contains(&format!("--> {name}:")),
            "{}",
            outcome.snapshot()
        );
        insta::assert_snapshot!(outcome.snapshot());

        let json = env.run(
            env.idp()
                .args(["--platform", name, "check", "--output", "json"]),
        );
        assert_eq!(json.code, 1);
        let report = json.json();
        let findings = report["findings"].as_array().unwrap();
        assert!(!findings.is_empty());
        for finding in findings {
            assert_eq!(finding["file"], name, "{finding}");
            assert_eq!(finding["category"], "invalid", "{finding}");
            assert!(finding["line"].as_u64().unwrap() > 1, "{finding}");
        }
    });
}

#[test]
fn malformed_platform_named_by_the_manifest_is_located_relative_to_the_manifest() {
    let env = project(Some("platforms/team.toml"));
    let text = std::fs::read_to_string(fixture("platforms/invalid/unknown-rule.toml")).unwrap();
    env.write("platforms/team.toml", &text);
    let outcome = check_json(&env, |_| {});
    assert_eq!(outcome.code, 1, "{}", outcome.snapshot());
    let finding = &outcome.json()["findings"][0];
    assert_eq!(finding["rule"], "rule.unknown");
    assert_eq!(finding["file"], "platforms/team.toml");
    assert_eq!(finding["path"], "rules.\"backup.retension\"");
    assert_eq!(
        (finding["line"].as_u64(), finding["column"].as_u64()),
        (Some(2), Some(8))
    );
    assert_eq!(finding["fix"], "did you mean `backup.retention`?");
}

#[test]
fn valid_platform_fixtures_are_accepted() {
    let env = project(None);
    for name in [
        "cost-center-tag",
        "eu-regions",
        "local-only",
        "no-databases",
        "retention-30",
        "retention-warning",
        "small-sizes",
    ] {
        let path = fixture(&format!("platforms/{name}.toml"));
        let outcome = check_json(&env, |c| {
            c.arg("--platform").arg(&path);
        });
        let report = outcome.json();
        let findings = report["findings"].as_array().unwrap();
        assert!(
            findings.iter().all(|f| f["category"] == "policy"),
            "{name}: {}",
            outcome.snapshot()
        );
        assert_eq!(
            report["platform"]["path"].as_str().map(Path::new),
            Some(path.as_path())
        );
    }
}

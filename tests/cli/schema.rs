//! `idp schema`: a JSON Schema generated from the manifest types, usable by editors.

use crate::support::TestEnv;

#[test]
fn schema_describes_the_manifest() {
    let env = TestEnv::new();
    let outcome = env.run(env.idp().arg("schema"));
    assert_eq!(outcome.code, 0, "{}", outcome.snapshot());
    let schema = outcome.json();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_eq!(schema["title"], "idp.toml");
    assert_eq!(schema["required"], serde_json::json!(["project"]));
    assert_eq!(schema["additionalProperties"], false);
    let variants = schema["$defs"]["Resource"]["oneOf"].as_array().unwrap();
    let resource_types: Vec<&str> = variants
        .iter()
        .map(|variant| variant["properties"]["type"]["const"].as_str().unwrap())
        .collect();
    assert_eq!(
        resource_types,
        ["postgres", "registry", "identity", "network"]
    );
    // Doc comments become descriptions, which editors show on hover.
    let retention = &variants[0]["properties"]["backup_retention_days"];
    assert!(
        retention["description"].as_str().unwrap().contains("days"),
        "{retention}"
    );
    insta::assert_snapshot!(outcome.stdout);
}

#[test]
fn a_closed_stdout_is_not_an_error() {
    let env = TestEnv::new();
    let mut command = std::process::Command::new("bash");
    let idp = assert_cmd::cargo::cargo_bin("idp");
    command.args([
        "-c",
        &format!(
            "set -o pipefail; '{}' schema | head -c 1 >/dev/null",
            idp.display()
        ),
    ]);
    let output = command.current_dir(env.project()).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

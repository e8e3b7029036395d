//! `idp update`: three-way merges of a generated project with newer versions of its template, and
//! `idp update --check` for CI (issue 6).

use std::path::{Path, PathBuf};

use crate::support::{Outcome, TestEnv, commit_all, files, git, read, write_all};

const TEMPLATE_TOML: &str = r#"[template]
name = "svc"
description = "A service template with versions"
version = "VERSION"
subdirectory = "project"

[[variables]]
name = "project_name"
default = "{{ directory_name }}"

[[variables]]
name = "team"
default = "{{ project_name }}-team"
"#;

const PORT_VARIABLE: &str = r#"
[[variables]]
name = "port"
type = "int"
default = 8000
"#;

const MANIFEST: &str = "# The service's needs.\n[project]\nname = \"{{ project_name }}\"\nteam = \"{{ team }}\"\nowner = \"o@example.com\"\n\n[resources.db]\ntype = \"postgres\"\n";

const DOCKERFILE_V1: &str = "FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"main.py\"]\n";

/// Makes a git repository of an idp-format template with tags `v1`, `v2` and `v3`; returns its
/// path. v2 moves to Python 3.12, asks a new question (`port`), adds `ci.yml` and a registry to
/// idp.toml, and removes `old.txt` and `legacy.cfg`; v3 changes the Dockerfile's last line.
fn versioned_template(env: &TestEnv) -> PathBuf {
    let root = env.root().join("templates/svc");
    write_all(
        &root,
        &[
            ("template.toml", &TEMPLATE_TOML.replace("VERSION", "1")),
            ("project/idp.toml", MANIFEST),
            ("project/Dockerfile", DOCKERFILE_V1),
            ("project/main.py", "print(\"{{ project_name }}\")\n"),
            ("project/old.txt", "to be removed\n"),
            ("project/legacy.cfg", "legacy = true\n"),
        ],
    );
    git(&root, &["init", "--quiet"]);
    commit_all(&root, "v1");
    git(&root, &["tag", "v1"]);

    let v2 = format!("{}{PORT_VARIABLE}", TEMPLATE_TOML.replace("VERSION", "2"));
    let manifest_v2 =
        format!("{MANIFEST}\n# Images, added in v2.\n[resources.images]\ntype = \"registry\"\n");
    write_all(
        &root,
        &[
            ("template.toml", &v2),
            ("project/idp.toml", &manifest_v2),
            (
                "project/Dockerfile",
                &DOCKERFILE_V1.replace("python:3.11", "python:3.12"),
            ),
            (
                "project/main.py",
                "print(\"{{ project_name }}\", {{ port }})\n",
            ),
            ("project/ci.yml", "steps: [test]\n"),
        ],
    );
    std::fs::remove_file(root.join("project/old.txt")).unwrap();
    std::fs::remove_file(root.join("project/legacy.cfg")).unwrap();
    commit_all(&root, "v2");
    git(&root, &["tag", "v2"]);

    let v3 = format!("{}{PORT_VARIABLE}", TEMPLATE_TOML.replace("VERSION", "3"));
    write_all(
        &root,
        &[
            ("template.toml", &v3),
            (
                "project/Dockerfile",
                &DOCKERFILE_V1
                    .replace("python:3.11", "python:3.12")
                    .replace("[\"python\", \"main.py\"]", "[\"python\", \"-m\", \"app\"]"),
            ),
        ],
    );
    commit_all(&root, "v3");
    git(&root, &["tag", "v3"]);
    root
}

/// Makes project `name` from the template at `v1` (a git repository with a first commit);
/// returns its path.
fn init_v1(env: &TestEnv, template: &Path, name: &str) -> PathBuf {
    let outcome = env.run(
        env.idp()
            .args(["init", name, "--defaults", "--template"])
            .arg(format!("{}#v1", template.display())),
    );
    assert_eq!(outcome.code, 0, "{}", outcome.snapshot());
    env.project().join(name)
}

fn update(env: &TestEnv, project: &Path, args: &[&str]) -> Outcome {
    env.run(env.idp().current_dir(project).arg("update").args(args))
}

/// Changes one line of a file in the project.
fn edit(project: &Path, file: &str, from: &str, to: &str) {
    let path = project.join(file);
    let text = read(&path);
    assert!(text.contains(from), "{file}: {text}");
    std::fs::write(&path, text.replace(from, to)).unwrap();
}

#[test]
fn keeps_the_users_edits_and_applies_the_templates() {
    let env = TestEnv::new();
    let template = versioned_template(&env);
    let project = init_v1(&env, &template, "shop");
    edit(
        &project,
        "Dockerfile",
        "WORKDIR /app\n",
        "WORKDIR /app\nENV APP_ENV=prod\n",
    );
    edit(&project, "legacy.cfg", "legacy = true", "legacy = false");
    edit(
        &project,
        "idp.toml",
        "[resources.db]\n",
        "# Our own database, keep it.\n[resources.cache-db]\ntype = \"postgres\"\n\n[resources.db]\n",
    );
    commit_all(&project, "our edits");

    let outcome = update(&env, &project, &["--to", "v2", "--set", "port=9000"]);
    assert_eq!(outcome.code, 0, "{}", outcome.snapshot());
    insta::assert_snapshot!(outcome.snapshot());

    assert_eq!(
        read(project.join("Dockerfile")),
        "FROM python:3.12\nWORKDIR /app\nENV APP_ENV=prod\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"main.py\"]\n"
    );
    assert_eq!(read(project.join("main.py")), "print(\"shop\", 9000)\n");
    assert_eq!(read(project.join("ci.yml")), "steps: [test]\n");
    assert!(!project.join("old.txt").exists(), "removed by the template");
    assert_eq!(
        read(project.join("legacy.cfg")),
        "legacy = false\n",
        "kept: the user changed it"
    );

    let manifest = read(project.join("idp.toml"));
    assert!(
        manifest
            .contains("# Our own database, keep it.\n[resources.cache-db]\ntype = \"postgres\"\n"),
        "{manifest}"
    );
    assert!(
        manifest.contains("# Images, added in v2.\n[resources.images]\ntype = \"registry\"\n"),
        "{manifest}"
    );
    // The provenance names the new version, commit and answers, in place.
    let v2 = git(&template, &["rev-parse", "v2^{commit}"]);
    assert!(
        manifest.contains(&format!("source = \"{}#v2\"", template.display())),
        "{manifest}"
    );
    assert!(manifest.contains("version = \"2\""), "{manifest}");
    assert!(
        manifest.contains(&format!("commit = \"{v2}\"")),
        "{manifest}"
    );
    assert!(
        manifest
            .contains("answers = { port = 9000, project_name = \"shop\", team = \"shop-team\" }"),
        "{manifest}"
    );
    assert_eq!(
        manifest.matches("[project.template]").count(),
        1,
        "{manifest}"
    );
    let check = env.run(env.idp().current_dir(&project).arg("check"));
    assert_eq!(check.code, 0, "{}", check.snapshot());
}

#[test]
fn new_questions_take_their_defaults() {
    let env = TestEnv::new();
    let template = versioned_template(&env);
    let project = init_v1(&env, &template, "web");
    let outcome = update(&env, &project, &["--to", "v2"]);
    assert_eq!(
        outcome.code, 1,
        "without a terminal, the new question needs an answer"
    );
    assert!(
        outcome.stderr.contains("--set port=VALUE"),
        "{}",
        outcome.snapshot()
    );
    assert_eq!(
        read(project.join("main.py")),
        "print(\"web\")\n",
        "nothing written"
    );

    let outcome = update(&env, &project, &["--defaults"]);
    assert_eq!(outcome.code, 0, "{}", outcome.snapshot());
    assert_eq!(read(project.join("main.py")), "print(\"web\", 8000)\n");
    assert!(
        read(project.join("Dockerfile")).contains("\"-m\", \"app\""),
        "the newest is v3"
    );
}

#[test]
fn a_conflicting_edit_gets_markers_or_a_reject_file() {
    let env = TestEnv::new();
    let template = versioned_template(&env);
    let project = init_v1(&env, &template, "api");
    edit(&project, "Dockerfile", "python:3.11", "python:3.11-slim");
    commit_all(&project, "slim");

    // `--pretend` flags the conflict and exits as the update would.
    let outcome = update(&env, &project, &["--to", "v2", "--defaults", "--pretend"]);
    assert_eq!(outcome.code, 1, "{}", outcome.snapshot());
    assert!(
        outcome
            .stdout
            .contains("# conflict in `Dockerfile`\n--- a/Dockerfile\n"),
        "{}",
        outcome.stdout
    );
    assert_eq!(
        read(project.join("Dockerfile")),
        DOCKERFILE_V1.replace("python:3.11", "python:3.11-slim")
    );

    let outcome = update(&env, &project, &["--to", "v2", "--defaults"]);
    assert_eq!(outcome.code, 1, "{}", outcome.snapshot());
    insta::assert_snapshot!("conflict-inline", outcome.snapshot());
    assert!(
        read(project.join("Dockerfile")).starts_with(
            "<<<<<<< ours\nFROM python:3.11-slim\n=======\nFROM python:3.12\n>>>>>>> template v2\nWORKDIR /app\n"
        ),
        "{}",
        read(project.join("Dockerfile"))
    );
    assert!(read(project.join("idp.toml")).contains("version = \"2\""));

    let project = init_v1(&env, &template, "api2");
    edit(&project, "Dockerfile", "python:3.11", "python:3.11-slim");
    commit_all(&project, "slim");
    let outcome = update(
        &env,
        &project,
        &["--to", "v2", "--defaults", "--conflict", "rej"],
    );
    assert_eq!(outcome.code, 1, "{}", outcome.snapshot());
    insta::assert_snapshot!("conflict-rej", outcome.snapshot());
    assert!(read(project.join("Dockerfile")).starts_with("FROM python:3.11-slim\n"));
    let reject = read(project.join("Dockerfile.rej"));
    assert!(
        reject.contains("-FROM python:3.11\n+FROM python:3.12\n"),
        "{reject}"
    );
}

#[test]
fn pretend_prints_the_diff_and_writes_nothing() {
    let env = TestEnv::new();
    let template = versioned_template(&env);
    let project = init_v1(&env, &template, "svc");
    edit(&project, "Dockerfile", "COPY . .\n", "COPY . .\nRUN true\n");
    commit_all(&project, "ours");
    let before = files(&project);
    let outcome = update(&env, &project, &["--to", "v2", "--defaults", "--pretend"]);
    assert_eq!(outcome.code, 0, "{}", outcome.snapshot());
    assert_eq!(files(&project), before);
    let v1 = git(&template, &["rev-parse", "v1^{commit}"]);
    let v2 = git(&template, &["rev-parse", "v2^{commit}"]);
    let stdout = outcome.stdout.replace(&v1, "[V1]").replace(&v2, "[V2]");
    insta::assert_snapshot!(stdout);
    assert!(
        outcome.stderr.contains("Would update"),
        "{}",
        outcome.stderr
    );
}

#[test]
fn refuses_uncommitted_changes_unless_forced() {
    let env = TestEnv::new();
    let template = versioned_template(&env);
    let project = init_v1(&env, &template, "svc");
    edit(&project, "Dockerfile", "COPY . .\n", "COPY . .\nRUN true\n");
    let before = files(&project);
    let outcome = update(&env, &project, &["--defaults"]);
    assert_eq!(outcome.code, 1);
    insta::assert_snapshot!(outcome.snapshot());
    assert_eq!(files(&project), before);

    let outcome = update(&env, &project, &["--defaults", "--force"]);
    assert_eq!(outcome.code, 0, "{}", outcome.snapshot());
    assert!(read(project.join("idp.toml")).contains("version = \"3\""));
}

#[test]
fn check_reports_versions_and_drift() {
    let env = TestEnv::new();
    let template = versioned_template(&env);
    let project = init_v1(&env, &template, "svc");
    edit(
        &project,
        "Dockerfile",
        "COPY . .\n",
        "COPY . .\nRUN true\nRUN false\n",
    );
    commit_all(&project, "hand-edited");

    let outcome = update(&env, &project, &["--check"]);
    assert_eq!(outcome.code, 4, "{}", outcome.snapshot());
    let template_path = template.display().to_string();
    insta::assert_snapshot!(outcome.snapshot().replace(&template_path, "[TEMPLATE]"));

    let outcome = env.run(
        env.idp()
            .current_dir(&project)
            .args(["update", "--check", "--output", "json"]),
    );
    assert_eq!(outcome.code, 4);
    let json = outcome.json();
    assert_eq!(json["behind"], true);
    assert_eq!(json["current"]["version"], "v1");
    assert_eq!(json["newest"]["version"], "v3");
    assert_eq!(
        json["drifted"],
        serde_json::json!([{ "path": "Dockerfile", "added": 2, "removed": 0, "missing": false }])
    );

    let outcome = update(&env, &project, &["--defaults"]);
    assert_eq!(outcome.code, 0, "{}", outcome.snapshot());
    commit_all(&project, "update");
    let outcome = env.run(
        env.idp()
            .current_dir(&project)
            .args(["update", "--check", "--output", "json"]),
    );
    assert_eq!(outcome.code, 0, "{}", outcome.snapshot());
    let json = outcome.json();
    assert_eq!(json["behind"], false);
    assert_eq!(json["current"]["version"], "v3");
    assert_eq!(
        json["drifted"][0]["path"], "Dockerfile",
        "still hand-edited"
    );
}

#[test]
fn built_in_templates_are_checked_but_not_merged() {
    let env = TestEnv::new();
    let outcome = env.run(env.idp().args([
        "init",
        "b",
        "--defaults",
        "--no-git",
        "--template",
        "python-service",
        "--set",
        "owner=o@example.com",
    ]));
    assert_eq!(outcome.code, 0, "{}", outcome.snapshot());
    let project = env.project().join("b");
    let outcome = update(&env, &project, &["--check"]);
    assert_eq!(outcome.code, 0, "{}", outcome.snapshot());
    let outcome = update(&env, &project, &[]);
    assert_eq!(outcome.code, 1);
    insta::assert_snapshot!(outcome.snapshot());
}

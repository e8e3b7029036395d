//! `idp update` on projects from copier- and cookiecutter-format templates (issue 6): copier's
//! `.copier-answers.yml` is read and rewritten as copier does, so a project can move between
//! `copier update` and `idp update`; where copier is installed, idp's result is compared with
//! `copier update`'s from the same project state, byte for byte.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{TestEnv, commit_all, files, fixture, git, read, write_all};

/// Copies a fixture template into a new git repository under the test's root; returns its
/// absolute path, with links resolved, as copier records it.
fn repository(env: &TestEnv, fixture_name: &str) -> PathBuf {
    let root = env.root().join(format!("templates/{fixture_name}"));
    std::fs::create_dir_all(root.parent().unwrap()).unwrap();
    let copy = Command::new("cp")
        .arg("-R")
        .arg(fixture(&format!("templates/{fixture_name}")))
        .arg(&root)
        .status()
        .unwrap();
    assert!(copy.success());
    git(&root, &["init", "--quiet"]);
    root.canonicalize().unwrap()
}

/// Changes one part of a file.
fn edit(root: &Path, file: &str, from: &str, to: &str) {
    let path = root.join(file);
    let text = read(&path);
    assert!(text.contains(from), "{file}: {text}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

const COPIER_DOCKERFILE: &str = "template/{% if use_docker %}Dockerfile{% endif %}.jinja";

/// Makes the copier-format fixture a git repository tagged `v1.0.0` and `v2.0.0`. v2 moves the
/// image to Debian bookworm, asks a new question (`health_path`), adds a `Makefile`, removes the
/// static page and lists a migration (which idp does not run).
fn copier_template(env: &TestEnv) -> PathBuf {
    let root = repository(env, "copier-service");
    commit_all(&root, "v1");
    git(&root, &["tag", "v1.0.0"]);

    edit(&root, COPIER_DOCKERFILE, "-slim\n", "-slim-bookworm\n");
    let config = read(root.join("copier.yml")).replace(
        "_tasks:",
        "_migrations:\n  - version: v2.0.0\n    command: \"true\"\n_tasks:",
    );
    write_all(
        &root,
        &[
            (
                "copier.yml",
                &format!("{config}\nhealth_path:\n  type: str\n  default: /health\n"),
            ),
            (
                "template/Makefile.jinja",
                "check:\n\tcurl -f http://localhost:{{ port }}{{ health_path }}\n",
            ),
        ],
    );
    std::fs::remove_file(root.join("template/src/{{ package_name }}/static/index.html")).unwrap();
    commit_all(&root, "v2");
    git(&root, &["tag", "v2.0.0"]);
    root
}

/// Makes project `shop` from the template at v1.0.0 with idp, edits it as its team would and
/// commits; returns its path.
fn project_at_v1(env: &TestEnv, template: &Path) -> PathBuf {
    let outcome = env.run(
        env.idp()
            .args(["init", "shop", "--defaults", "--template"])
            .arg(format!("{}#v1.0.0", template.display())),
    );
    assert_eq!(outcome.code, 0, "{}", outcome.snapshot());
    let project = env.project().join("shop");
    edit(
        &project,
        "Dockerfile",
        "CMD [",
        "HEALTHCHECK CMD [\"true\"]\nCMD [",
    );
    edit(
        &project,
        "README.md",
        "on port 8080.\n",
        "on port 8080.\n\nOn call: #shop-oncall.\n",
    );
    commit_all(&project, "our edits");
    project
}

fn update(env: &TestEnv, project: &Path, args: &[&str]) -> crate::support::Outcome {
    env.run(env.idp().current_dir(project).arg("update").args(args))
}

/// Checks what idp's update of [`project_at_v1`] to v2.0.0 made, but for the provenance.
fn assert_updated(project: &Path) {
    assert_eq!(
        read(project.join("Dockerfile")),
        "FROM python:3.12-slim-bookworm\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir .\nEXPOSE 8080\nHEALTHCHECK CMD [\"true\"]\nCMD [\"python\", \"-m\", \"orders_service\"]\n",
        "the template's change and the user's"
    );
    assert!(read(project.join("README.md")).contains("\nOn call: #shop-oncall.\n"));
    assert_eq!(
        read(project.join("Makefile")),
        "check:\n\tcurl -f http://localhost:8080/health\n",
        "added, with the new question's default"
    );
    assert!(
        !project
            .join("src/orders_service/static/index.html")
            .exists()
    );
    let answers = read(project.join(".copier-answers.yml"));
    assert!(
        answers.contains("\n_commit: v2.0.0\n") && answers.contains("\nhealth_path: /health\n"),
        "{answers}"
    );
}

/// Returns `idp.toml` without the `[project.template]` table idp keeps there.
fn without_provenance(manifest: &str) -> String {
    let mut document: toml_edit::DocumentMut = manifest.parse().unwrap();
    document["project"]
        .as_table_mut()
        .unwrap()
        .remove("template");
    document.to_string()
}

#[test]
fn updates_a_copier_project_and_its_answers_file() {
    let env = TestEnv::new();
    let template = copier_template(&env);
    let project = project_at_v1(&env, &template);
    // The same state, for `copier update` below.
    let copier_project = env.root().join("copier-shop");
    let copy = Command::new("cp")
        .arg("-a")
        .arg(&project)
        .arg(&copier_project)
        .status()
        .unwrap();
    assert!(copy.success());

    let outcome = update(&env, &project, &["--to", "v2.0.0", "--defaults"]);
    assert_eq!(outcome.code, 0, "{}", outcome.snapshot());
    assert!(
        outcome
            .stderr
            .contains("copier migrations are not run: `true`"),
        "{}",
        outcome.snapshot()
    );
    assert_updated(&project);
    let manifest = read(project.join("idp.toml"));
    assert!(
        manifest.contains(&format!("source = \"{}#v2.0.0\"", template.display())),
        "{manifest}"
    );

    let Some(mut copier) = copier() else {
        return;
    };
    env.seal_std(&mut copier);
    // copier commits in its own scratch repositories.
    for (key, value) in [
        ("GIT_AUTHOR_NAME", "t"),
        ("GIT_AUTHOR_EMAIL", "t@example.com"),
        ("GIT_COMMITTER_NAME", "t"),
        ("GIT_COMMITTER_EMAIL", "t@example.com"),
    ] {
        copier.env(key, value);
    }
    // `--trust` lets copier run the migration (`true`, which changes nothing); tasks are skipped,
    // as idp runs neither.
    copier.current_dir(&copier_project).args([
        "update",
        "--quiet",
        "--defaults",
        "--skip-tasks",
        "--trust",
        "--vcs-ref",
        "v2.0.0",
    ]);
    let output = copier.output().unwrap();
    assert!(
        output.status.success(),
        "copier update: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut theirs = files(&copier_project);
    let mut ours = files(&project);
    // Excluded: idp's provenance in `idp.toml`. copier keeps the v1 table there as a change the
    // user made, idp names v2; the rest of the file must match.
    for tree in [&mut theirs, &mut ours] {
        let manifest = tree.get_mut("idp.toml").unwrap();
        *manifest = without_provenance(&String::from_utf8_lossy(manifest)).into_bytes();
    }
    assert_eq!(
        theirs.keys().collect::<Vec<_>>(),
        ours.keys().collect::<Vec<_>>(),
        "the same files"
    );
    for (path, contents) in &theirs {
        assert_eq!(
            String::from_utf8_lossy(&ours[path]),
            String::from_utf8_lossy(contents),
            "`{path}` differs from copier's"
        );
    }

    // After `copier update`, idp's table still names v1, but the answers file says v2: idp
    // follows copier, so the project is up to date, not behind.
    let outcome = env.run(
        env.idp()
            .current_dir(&copier_project)
            .args(["update", "--check", "--output", "json"]),
    );
    assert_eq!(outcome.code, 0, "{}", outcome.snapshot());
    let json = outcome.json();
    assert_eq!(json["current"]["version"], "v2.0.0");
    assert_eq!(
        json["drifted"],
        serde_json::json!([
            { "path": "README.md", "added": 2, "removed": 0, "missing": false },
            { "path": "Dockerfile", "added": 1, "removed": 0, "missing": false },
        ])
    );
}

#[test]
fn a_project_copier_made_is_updated_from_its_answers_file() {
    let env = TestEnv::new();
    let template = copier_template(&env);
    let project = project_at_v1(&env, &template);
    // Without idp's table, the project is what `copier copy` makes (scaffold_formats compares
    // the two); its answers file is then the only record.
    let manifest = without_provenance(&read(project.join("idp.toml")));
    std::fs::write(project.join("idp.toml"), &manifest).unwrap();
    commit_all(&project, "made by copier");

    let outcome = update(&env, &project, &["--check"]);
    assert_eq!(outcome.code, 4, "{}", outcome.snapshot());
    assert!(
        outcome.stdout.contains("v1.0.0") && outcome.stdout.contains("v2.0.0"),
        "{}",
        outcome.snapshot()
    );

    let outcome = update(&env, &project, &["--defaults"]);
    assert_eq!(outcome.code, 0, "{}", outcome.snapshot());
    assert_updated(&project);
    assert_eq!(
        read(project.join("idp.toml")),
        manifest,
        "idp adds no record beside copier's"
    );
    commit_all(&project, "update");
    let outcome = update(&env, &project, &["--check"]);
    assert_eq!(outcome.code, 0, "{}", outcome.snapshot());
}

/// Returns a `copier` command, or `None` (saying so) when copier is not installed.
#[allow(
    clippy::print_stderr,
    reason = "a skipped comparison says copier is missing, in the test's output"
)]
fn copier() -> Option<Command> {
    match Command::new("copier").arg("--version").output() {
        Ok(output) if output.status.success() => Some(Command::new("copier")),
        _ => {
            eprintln!("`copier` is not installed: skipping the comparison (pip install copier)");
            None
        }
    }
}

#[test]
fn updates_a_cookiecutter_project() {
    let env = TestEnv::new();
    let template = repository(&env, "cookiecutter-service");
    commit_all(&template, "v1");
    git(&template, &["tag", "v1.0.0"]);
    let slug = "{{cookiecutter.project_slug}}";
    edit(
        &template,
        &format!("{slug}/{{% if cookiecutter.use_docker %}}Dockerfile{{% endif %}}"),
        "-slim\n",
        "-slim-bookworm\n",
    );
    write_all(
        &template,
        &[(
            &format!("{slug}/Makefile"),
            "test:\n\tpython -m pytest # {{ cookiecutter.package_name }}\n",
        )],
    );
    commit_all(&template, "v2");
    git(&template, &["tag", "v2.0.0"]);

    let outcome = env.run(
        env.idp()
            .args(["init", "orders", "--defaults", "--template"])
            .arg(format!("{}#v1.0.0", template.display())),
    );
    assert_eq!(outcome.code, 0, "{}", outcome.snapshot());
    let project = env.project().join("orders");
    edit(&project, "Dockerfile", "CMD [", "USER nobody\nCMD [");
    commit_all(&project, "ours");

    let outcome = update(&env, &project, &["--defaults"]);
    assert_eq!(outcome.code, 0, "{}", outcome.snapshot());
    assert_eq!(
        read(project.join("Dockerfile")),
        "FROM python:3.12-slim-bookworm\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir .\nEXPOSE 8080\nUSER nobody\nCMD [\"python\", \"-m\", \"orders_service\"]\n"
    );
    assert_eq!(
        read(project.join("Makefile")),
        "test:\n\tpython -m pytest # orders_service\n"
    );
    let provenance = read(project.join(".idp/template.toml"));
    assert!(
        provenance.contains(&format!("source = \"{}#v2.0.0\"", template.display())),
        "{provenance}"
    );
}

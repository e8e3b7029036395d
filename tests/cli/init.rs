//! `idp init`: rendering templates from every source, safely, with answers from flags or a terminal.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{Outcome, TestEnv, files, git, read};

/// Writes a small idp-format template under the test's root and returns its path.
fn mini_template(env: &TestEnv) -> PathBuf {
    let root = env.root().join("templates/mini");
    let files: &[(&str, &str)] = &[
        (
            "template.toml",
            r#"[template]
name = "mini"
description = "A tiny template for tests"
version = "0.1.0"
subdirectory = "project"
exclude = ["*.skip"]
copy_only = ["raw/*"]

[[variables]]
name = "project_name"
prompt = "Project name"
default = "{{ directory_name }}"
validate = "^[a-z][a-z0-9-]*$"

[[variables]]
name = "team"
prompt = "Owning team"
default = "{{ project_name }}-team"

[[variables]]
name = "with_db"
type = "bool"
prompt = "With a database?"
default = true

[[files]]
path = "migrations"
when = "with_db"
"#,
        ),
        (
            "project/idp.toml",
            "# The service's needs.\n[project]\nname = \"{{ project_name }}\"\nteam = \"{{ team }}\"\nowner = \"o@example.com\"\n{% if with_db %}\n[resources.db]\ntype = \"postgres\"\n{% endif %}",
        ),
        (
            "project/src/{{ project_name | replace('-', '_') }}.py",
            "print(\"{{ project_name }}\")\n",
        ),
        (
            "project/migrations/0001_init.sql",
            "create table items (id serial primary key);\n",
        ),
        ("project/raw/literal.txt", "kept {{ as is }}\n"),
        ("project/notes.skip", "never copied\n"),
        ("project/run.sh", "#!/bin/sh\necho {{ project_name }}\n"),
    ];
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
    }
    set_executable(&root.join("project/run.sh"));
    root
}

fn set_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Lists every file below `dir` (not `.git`), relative and sorted.
fn tree(dir: &Path) -> Vec<String> {
    files(dir).into_keys().collect()
}

#[test]
fn renders_a_local_template_with_defaults() {
    let env = TestEnv::new();
    let template = mini_template(&env);
    let outcome = env.run(
        env.idp()
            .args(["init", "my-svc", "--defaults", "--template"])
            .arg(&template),
    );
    assert_eq!(outcome.code, 0, "{}", outcome.snapshot());
    let project = env.project().join("my-svc");
    assert_eq!(
        tree(&project),
        [
            "idp.toml",
            "migrations/0001_init.sql",
            "raw/literal.txt",
            "run.sh",
            "src/my_svc.py"
        ]
    );
    assert_eq!(read(project.join("src/my_svc.py")), "print(\"my-svc\")\n");
    assert_eq!(
        read(project.join("raw/literal.txt")),
        "kept {{ as is }}\n",
        "copy_only files are not rendered"
    );
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(project.join("run.sh"))
            .unwrap()
            .permissions()
            .mode()
            & 0o111,
        0o111
    );
    let manifest = read(project.join("idp.toml"));
    assert!(
        manifest.starts_with(
            "# The service's needs.\n[project]\nname = \"my-svc\"\nteam = \"my-svc-team\"\n"
        ),
        "{manifest}"
    );
    assert!(manifest.contains("[project.template]\n"), "{manifest}");
    assert!(
        manifest.contains(
            "answers = { project_name = \"my-svc\", team = \"my-svc-team\", with_db = true }"
        ),
        "{manifest}"
    );
    // A git repository with one commit holding everything.
    assert_eq!(git(&project, &["rev-list", "--count", "HEAD"]), "1");
    assert_eq!(git(&project, &["status", "--porcelain"]), "");
    // The generated manifest passes the guardrails.
    let check = env.run(env.idp().current_dir(&project).arg("check"));
    assert_eq!(check.code, 0, "{}", check.snapshot());
    insta::assert_snapshot!(outcome.snapshot());
}

#[test]
fn set_answers_and_conditional_files() {
    let env = TestEnv::new();
    let template = mini_template(&env);
    let outcome = env.run(
        env.idp()
            .args([
                "init",
                "x",
                "--no-git",
                "--set",
                "project_name=shop",
                "--set",
                "team=t",
                "--set",
                "with_db=false",
                "--template",
            ])
            .arg(&template),
    );
    assert_eq!(outcome.code, 0, "{}", outcome.snapshot());
    let project = env.project().join("x");
    assert_eq!(
        tree(&project),
        ["idp.toml", "raw/literal.txt", "run.sh", "src/shop.py"]
    );
    assert!(!read(project.join("idp.toml")).contains("[resources.db]"));
    assert!(!project.join(".git").exists());
}

#[test]
fn without_a_terminal_missing_answers_are_named_with_their_flags() {
    let env = TestEnv::new();
    let template = mini_template(&env);
    let outcome = env.run(
        env.idp()
            .args(["init", "x", "--set", "team=t", "--template"])
            .arg(&template),
    );
    assert_eq!(outcome.code, 1);
    assert!(!env.project().join("x").exists());
    insta::assert_snapshot!(outcome.snapshot());
}

#[test]
fn refuses_a_non_empty_directory_unless_forced_and_lists_what_it_replaces() {
    let env = TestEnv::new();
    let template = mini_template(&env);
    env.write("x/idp.toml", "mine\n");
    env.write("x/keep.txt", "mine too\n");
    let refused = env.run(
        env.idp()
            .args(["init", "x", "--defaults", "--template"])
            .arg(&template),
    );
    assert_eq!(refused.code, 1);
    assert!(refused.stderr.contains("`idp.toml`"), "{}", refused.stderr);
    assert_eq!(
        read(env.project().join("x/idp.toml")),
        "mine\n",
        "nothing is written when refused"
    );
    assert_eq!(tree(&env.project().join("x")), ["idp.toml", "keep.txt"]);
    let forced = env.run(
        env.idp()
            .args([
                "init",
                "x",
                "--defaults",
                "--force",
                "--no-git",
                "--template",
            ])
            .arg(&template),
    );
    assert_eq!(forced.code, 0, "{}", forced.snapshot());
    assert!(
        forced.stderr.contains("replaced `idp.toml`"),
        "{}",
        forced.stderr
    );
    assert_eq!(read(env.project().join("x/keep.txt")), "mine too\n");
    insta::assert_snapshot!(refused.snapshot());
}

#[test]
fn a_failed_render_leaves_nothing_behind() {
    let env = TestEnv::new();
    let template = mini_template(&env);
    std::fs::write(
        template.join("project/zz-last.txt"),
        "line one\n{{ undefined_thing }}\n",
    )
    .unwrap();
    let outcome = env.run(
        env.idp()
            .args(["init", "deep/x", "--defaults", "--template"])
            .arg(&template),
    );
    assert_eq!(outcome.code, 1);
    assert!(
        outcome.stderr.contains("`zz-last.txt` line 2"),
        "{}",
        outcome.stderr
    );
    assert_eq!(
        std::fs::read_dir(env.project()).unwrap().count(),
        0,
        "no directory, no staging area left"
    );
}

#[test]
fn refuses_paths_that_escape_the_target() {
    let env = TestEnv::new();
    let template = mini_template(&env);
    std::fs::write(template.join("project/{{ team }}.txt"), "escape\n").unwrap();
    let outcome = env.run(
        env.idp()
            .args([
                "init",
                "x",
                "--defaults",
                "--set",
                "team=../../outside",
                "--template",
            ])
            .arg(&template),
    );
    assert_eq!(outcome.code, 1, "{}", outcome.snapshot());
    assert!(
        outcome.stderr.contains("outside the target directory"),
        "{}",
        outcome.stderr
    );
    assert!(!env.root().join("outside.txt").exists());
    assert_eq!(std::fs::read_dir(env.project()).unwrap().count(), 0);

    // A link in the template to a file outside it is refused too.
    std::fs::remove_file(template.join("project/{{ team }}.txt")).unwrap();
    std::fs::write(env.root().join("secret.txt"), "secret\n").unwrap();
    std::os::unix::fs::symlink(
        env.root().join("secret.txt"),
        template.join("project/link.txt"),
    )
    .unwrap();
    let outcome = env.run(
        env.idp()
            .args(["init", "x", "--defaults", "--template"])
            .arg(&template),
    );
    assert_eq!(outcome.code, 1, "{}", outcome.snapshot());
    assert!(
        outcome.stderr.contains("outside the target directory"),
        "{}",
        outcome.stderr
    );
}

#[test]
fn renders_from_a_git_repository_at_a_tag_and_records_the_commit() {
    let env = TestEnv::new();
    let template = mini_template(&env);
    git(&template, &["init", "--quiet"]);
    git(&template, &["add", "--all"]);
    git(
        &template,
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "commit",
            "--quiet",
            "-m",
            "v1",
        ],
    );
    git(&template, &["tag", "v1"]);
    let v1 = git(&template, &["rev-parse", "HEAD"]);
    std::fs::write(template.join("project/CHANGELOG.md"), "v2\n").unwrap();
    git(&template, &["add", "--all"]);
    git(
        &template,
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "commit",
            "--quiet",
            "-m",
            "v2",
        ],
    );
    let url = format!("file://{}", template.display());

    let outcome = env.run(env.idp().args([
        "init",
        "a",
        "--defaults",
        "--no-git",
        "--template",
        &format!("{url}#v1"),
    ]));
    assert_eq!(outcome.code, 0, "{}", outcome.snapshot());
    assert!(
        !env.project().join("a/CHANGELOG.md").exists(),
        "v1 has no changelog"
    );
    let manifest = read(env.project().join("a/idp.toml"));
    assert!(
        manifest.contains(&format!("source = \"{url}#v1\"")),
        "{manifest}"
    );
    assert!(
        manifest.contains(&format!("commit = \"{v1}\"")),
        "{manifest}"
    );
    assert!(
        env.home()
            .join(".cache/idp/templates")
            .read_dir()
            .unwrap()
            .count()
            == 1,
        "cloned into the XDG cache"
    );

    // The default branch, fetched into the same cache.
    let outcome =
        env.run(
            env.idp()
                .args(["init", "b", "--defaults", "--no-git", "--template", &url]),
        );
    assert_eq!(outcome.code, 0, "{}", outcome.snapshot());
    assert!(env.project().join("b/CHANGELOG.md").exists());
}

/// Makes the `mini` template and a platform file whose catalog offers it as `mini`.
fn mini_catalog(env: &TestEnv, description: &str) {
    mini_template(env);
    std::fs::write(
        env.root().join("platform.toml"),
        format!("[catalog.mini]\nsource = \"templates/mini\"\ndescription = \"{description}\"\n"),
    )
    .unwrap();
}

#[test]
fn platform_catalog_templates_are_listed_and_usable_by_name() {
    let env = TestEnv::new();
    mini_catalog(&env, "The company's tiny service");
    let mut list = env.idp();
    list.args(["templates", "list", "--output", "json"])
        .env("IDP_PLATFORM", env.root().join("platform.toml"));
    let listing = env.run(&mut list).json();
    let entries = listing.as_array().unwrap();
    assert!(
        entries
            .iter()
            .any(|e| e["name"] == "rust-service" && e["kind"] == "built-in")
    );
    let mini = entries
        .iter()
        .find(|e| e["name"] == "mini")
        .expect("the platform's template is listed");
    assert_eq!(mini["description"], "The company's tiny service");
    assert_eq!(mini["kind"], "path");

    let mut init = env.idp();
    init.args(["init", "svc", "--defaults", "--template", "mini"])
        .env("IDP_PLATFORM", env.root().join("platform.toml"));
    let outcome = env.run(&mut init);
    assert_eq!(outcome.code, 0, "{}", outcome.snapshot());
    assert!(env.project().join("svc/src/svc.py").exists());
}

#[test]
fn interactive_init_picks_a_template_and_asks_each_question() {
    let env = TestEnv::new();
    mini_catalog(&env, "Tiny");
    let idp = assert_cmd::cargo::cargo_bin("idp");
    let mut command = Command::new(idp);
    command
        .args(["init", "web", "--no-git"])
        .current_dir(env.project());
    command
        .env("HOME", env.home())
        .env("XDG_CONFIG_HOME", env.home().join(".config"))
        .env("XDG_CACHE_HOME", env.home().join(".cache"));
    command
        .env("IDP_PLATFORM", env.root().join("platform.toml"))
        .env("TERM", "xterm")
        .env("NO_COLOR", "1");
    let mut session = rexpect::session::spawn_command(command, Some(20_000)).unwrap();
    // The catalog lists built-in templates first; `mini` (described "Tiny") is the last entry.
    session.exp_string("Tiny").unwrap();
    // The picker switches the terminal to raw mode once drawn, which may discard earlier keys.
    let pause = || std::thread::sleep(std::time::Duration::from_millis(200));
    pause();
    let entries = std::process::Command::new(assert_cmd::cargo::cargo_bin("idp"))
        .args(["templates", "list", "--output", "json"])
        .env("IDP_PLATFORM", env.root().join("platform.toml"))
        .env("HOME", env.home())
        .output()
        .unwrap();
    let count = serde_json::from_slice::<serde_json::Value>(&entries.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .len();
    for _ in 1..count {
        session.send("\x1b[B").unwrap(); // arrow down
        session.flush().unwrap();
        pause();
    }
    session.send("\r").unwrap();
    session.flush().unwrap();
    session.exp_string("Project name").unwrap();
    session.send_line("shop").unwrap();
    session.exp_string("Owning team").unwrap();
    session.send_line("").unwrap(); // take the default, `shop-team`
    session.exp_string("With a database?").unwrap();
    pause();
    session.send("n").unwrap();
    session.flush().unwrap();
    session.exp_string("Created `web`").unwrap();
    session.exp_eof().unwrap();
    let project = env.project().join("web");
    let manifest = read(project.join("idp.toml"));
    assert!(
        manifest.contains("name = \"shop\"\nteam = \"shop-team\""),
        "{manifest}"
    );
    assert!(!manifest.contains("[resources.db]"), "{manifest}");
    assert!(project.join("src/shop.py").exists());
}

#[test]
fn built_in_templates_are_listed_with_descriptions() {
    let env = TestEnv::new();
    let outcome: Outcome = env.run(env.idp().args(["templates", "list"]));
    assert_eq!(outcome.code, 0, "{}", outcome.snapshot());
    for name in ["rust-service", "python-service", "node-service"] {
        assert!(
            outcome
                .stdout
                .lines()
                .any(|l| l.starts_with(name) && l.contains("built-in")),
            "{}",
            outcome.stdout
        );
    }
}

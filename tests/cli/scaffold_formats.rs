//! Templates written for cookiecutter and copier, rendered by `idp init`: the fixtures under
//! `tests/fixtures/templates/` are rendered with defaults and with `--set` answers, and then —
//! where `cookiecutter` and `copier` are installed — by the real tools with the same answers, and
//! the trees are compared byte for byte.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{TestEnv, fixture};

/// Returns a fixture template's absolute path, with links resolved, as both tools record it.
fn template(name: &str) -> PathBuf {
    fixture(&format!("templates/{name}"))
        .canonicalize()
        .expect("the fixture exists")
}

/// Every file below `dir` by relative path: contents and whether it is executable.
fn files(dir: &Path) -> BTreeMap<String, (Vec<u8>, bool)> {
    use std::os::unix::fs::PermissionsExt;
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap().display().to_string();
                let executable =
                    std::fs::metadata(&path).unwrap().permissions().mode() & 0o111 != 0;
                files.insert(relative, (std::fs::read(&path).unwrap(), executable));
            }
        }
    }
    files
}

fn read(path: impl AsRef<Path>) -> String {
    std::fs::read_to_string(path.as_ref())
        .unwrap_or_else(|e| panic!("{}: {e}", path.as_ref().display()))
}

fn names(dir: &Path) -> Vec<String> {
    files(dir).into_keys().collect()
}

/// Runs `idp init DIR --no-git --defaults --template TEMPLATE --set …` and returns DIR.
fn idp_init(env: &TestEnv, template: &Path, dir: &str, set: &[&str]) -> (PathBuf, String) {
    let mut command = env.idp();
    command
        .args(["init", dir, "--no-git", "--defaults", "--template"])
        .arg(template);
    for answer in set {
        command.args(["--set", answer]);
    }
    let outcome = env.run(&mut command);
    assert_eq!(outcome.code, 0, "{}", outcome.snapshot());
    (env.project().join(dir), outcome.snapshot())
}

#[test]
fn a_cookiecutter_template_renders_with_its_defaults() {
    let env = TestEnv::new();
    let (project, snapshot) = idp_init(&env, &template("cookiecutter-service"), "orders", &[]);
    // The contents of `{{cookiecutter.project_slug}}/` go into the directory given to `idp init`.
    assert_eq!(
        names(&project),
        [
            ".gitignore",
            ".idp/template.toml",
            "Dockerfile",
            "README.md",
            "pyproject.toml",
            "src/orders_service/__init__.py",
            "src/orders_service/__main__.py",
            "src/orders_service/templates/index.html",
            "tests/test_health.py",
        ]
    );
    let readme = read(project.join("README.md"));
    assert!(
        readme.contains(
            "Run it with `python -m orders_service` on Python 3.12;\nit listens on port 8080."
        ),
        "{readme}"
    );
    assert!(
        readme.contains("Build the image `registry.example.com/orders-service:latest`"),
        "{readme}"
    );
    assert!(read(project.join("pyproject.toml")).contains("\"fastapi>=0.110\""));
    assert_eq!(
        read(project.join("src/orders_service/templates/index.html")),
        read(template("cookiecutter-service").join(
            "{{cookiecutter.project_slug}}/src/{{cookiecutter.package_name}}/templates/index.html"
        )),
        "`_copy_without_render` files are copied as they are"
    );
    let provenance = read(project.join(".idp/template.toml"));
    assert!(
        provenance.contains("framework = \"fastapi\"") && provenance.contains("use_docker = true"),
        "{provenance}"
    );
    insta::assert_snapshot!(snapshot);
}

#[test]
fn a_cookiecutter_template_takes_set_answers() {
    let env = TestEnv::new();
    let (project, _) = idp_init(
        &env,
        &template("cookiecutter-service"),
        "shop",
        &[
            "project_name=Big Shop",
            "framework=flask",
            "use_docker=no",
            "port=9000",
        ],
    );
    let names = names(&project);
    assert!(
        names.contains(&"src/big_shop/__main__.py".to_string()),
        "{names:?}"
    );
    assert!(
        !names.contains(&"Dockerfile".to_string()),
        "the Dockerfile's name renders empty"
    );
    let main = read(project.join("src/big_shop/__main__.py"));
    assert!(
        main.starts_with("from flask import") && main.contains("port=9000)"),
        "{main}"
    );
    assert!(!read(project.join("README.md")).contains("docker build"));
}

/// The answers file `{{ _copier_conf.answers_file }}.jinja` writes, as copier writes it.
fn copier_answers(source: &Path, answers: &str) -> String {
    format!(
        "# Changes here will be overwritten by Copier; NEVER EDIT MANUALLY\n_src_path: {}\n{answers}",
        source.display()
    )
}

#[test]
fn a_copier_template_renders_with_its_defaults() {
    let env = TestEnv::new();
    let source = template("copier-service");
    let (project, snapshot) = idp_init(&env, &source, "orders", &[]);
    assert_eq!(
        names(&project),
        [
            ".copier-answers.yml",
            ".env",
            ".gitignore",
            "Dockerfile",
            "README.md",
            "idp.toml",
            "pyproject.toml",
            "src/orders_service/__init__.py",
            "src/orders_service/__main__.py",
            "src/orders_service/static/index.html",
            "tests/test_health.py",
        ],
        "`docs/` and `*.pyc` are excluded, `.jinja` is dropped"
    );
    assert_eq!(
        read(project.join(".copier-answers.yml")),
        copier_answers(
            &source,
            "framework: fastapi\nport: 8080\nproject_name: Orders Service\nproject_slug: orders-service\npython_version: '3.12'\nuse_docker: true\nwith_docs: false\n"
        ),
        "computed (`when: false`) answers are not remembered"
    );
    assert_eq!(read(project.join(".env")), "PORT=8080\n");
    assert!(
        read(project.join("src/orders_service/static/index.html"))
            .contains("<title>{{ title }}</title>"),
        "files without the `.jinja` suffix are copied as they are"
    );
    let manifest = read(project.join("idp.toml"));
    assert!(
        manifest.starts_with(
            "# What Orders Service needs from the platform.\n[project]\nname = \"orders-service\"\n"
        ) && manifest.contains("[project.template]\n"),
        "{manifest}"
    );
    let check = env.run(env.idp().current_dir(&project).arg("check"));
    assert_eq!(check.code, 0, "{}", check.snapshot());
    insta::assert_snapshot!(snapshot);
}

#[test]
fn a_copier_template_takes_set_answers_and_runs_its_validator() {
    let env = TestEnv::new();
    let source = template("copier-service");
    let (project, _) = idp_init(
        &env,
        &source,
        "shop",
        &[
            "project_name=Big Shop",
            "use_docker=false",
            "with_docs=true",
            "port=9000",
        ],
    );
    let names = names(&project);
    assert!(names.contains(&"docs/index.md".to_string()), "{names:?}");
    assert!(!names.contains(&"Dockerfile".to_string()), "{names:?}");
    assert_eq!(
        read(project.join("docs/index.md")),
        "# Big Shop\n\nPublished at <https://docs.example.com/big-shop>.\n"
    );
    assert!(
        read(project.join(".copier-answers.yml"))
            .contains("docs_url: https://docs.example.com/big-shop\n")
    );

    let outcome = env.run(
        env.idp()
            .args([
                "init",
                "bad",
                "--no-git",
                "--defaults",
                "--set",
                "project_slug=Big Shop",
                "--template",
            ])
            .arg(&source),
    );
    assert_eq!(outcome.code, 1, "{}", outcome.snapshot());
    assert!(
        outcome.stderr.contains(
            "`Big Shop` is not a valid answer for `project_slug`: lowercase, without spaces"
        ),
        "{}",
        outcome.stderr
    );
    assert!(!env.project().join("bad").exists());
}

#[test]
fn copier_skip_if_exists_keeps_what_the_project_has() {
    let env = TestEnv::new();
    env.write("svc/.env", "PORT=1\n");
    let outcome = env.run(
        env.idp()
            .args([
                "init",
                "svc",
                "--no-git",
                "--defaults",
                "--force",
                "--template",
            ])
            .arg(template("copier-service")),
    );
    assert_eq!(outcome.code, 0, "{}", outcome.snapshot());
    assert_eq!(read(env.project().join("svc/.env")), "PORT=1\n");
    assert!(env.project().join("svc/README.md").exists());
}

/// Runs a real tool, or returns `None` (saying so) when it is not installed.
#[allow(
    clippy::print_stderr,
    reason = "a skipped comparison says which tool is missing, in the test's output"
)]
fn real_tool(program: &str) -> Option<Command> {
    match Command::new(program).arg("--version").output() {
        Ok(output) if output.status.success() => Some(Command::new(program)),
        _ => {
            eprintln!(
                "`{program}` is not installed: skipping the comparison with it (pip install {program})"
            );
            None
        }
    }
}

fn run(mut command: Command) {
    let output = command.output().expect("the tool runs");
    assert!(
        output.status.success(),
        "{command:?}:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Asserts that idp's tree is the real tool's, byte for byte and executable bit for bit, except
/// for what idp records of the template: `.idp/template.toml`, or the `[project.template]` table
/// it adds to a generated `idp.toml` (the rest of that file must be the same).
fn assert_same_tree(real: &Path, idp: &Path) {
    let real = files(real);
    let mut idp = files(idp);
    idp.remove(".idp/template.toml");
    if let Some((manifest, _)) = idp.get_mut("idp.toml") {
        *manifest = without_provenance(&String::from_utf8_lossy(manifest)).into_bytes();
    }
    assert_eq!(
        real.keys().collect::<Vec<_>>(),
        idp.keys().collect::<Vec<_>>(),
        "the same files"
    );
    for (path, (contents, executable)) in &real {
        let (idp_contents, idp_executable) = &idp[path];
        assert_eq!(
            String::from_utf8_lossy(idp_contents),
            String::from_utf8_lossy(contents),
            "`{path}` differs"
        );
        assert_eq!(
            idp_executable, executable,
            "`{path}`'s executable bit differs"
        );
    }
}

/// Returns a generated `idp.toml` without the `[project.template]` table `idp init` adds.
fn without_provenance(manifest: &str) -> String {
    let marker = "\n# Recorded by `idp init`; `idp update` reads it.\n[project.template]\n";
    let start = manifest
        .find(marker)
        .unwrap_or_else(|| panic!("idp.toml has idp's provenance:\n{manifest}"));
    let rest = &manifest[start + marker.len()..];
    let table: usize = rest
        .split_inclusive('\n')
        .take_while(|line| !line.trim().is_empty() && !line.starts_with('['))
        .map(str::len)
        .sum();
    format!("{}{}", &manifest[..start], &rest[table..])
}

#[test]
fn renders_as_cookiecutter_renders() {
    let Some(_) = real_tool("cookiecutter") else {
        return;
    };
    let env = TestEnv::new();
    let source = template("cookiecutter-service");
    // cookiecutter keeps its replay files where its configuration says, not in the real home.
    let config = env.root().join("cookiecutter.yml");
    std::fs::write(
        &config,
        format!(
            "cookiecutters_dir: {0}/cookiecutters\nreplay_dir: {0}/replay\n",
            env.home().display()
        ),
    )
    .unwrap();
    let answer_sets: [&[&str]; 2] = [
        &[],
        &[
            "project_name=Big Shop",
            "framework=flask",
            "use_docker=no",
            "python_version=3.13",
        ],
    ];
    for (i, answers) in answer_sets.into_iter().enumerate() {
        let output = env.root().join(format!("cookiecutter-{i}"));
        let mut cookiecutter = real_tool("cookiecutter").unwrap();
        // Hooks are not run, as idp does not run them.
        cookiecutter
            .args(["--no-input", "--accept-hooks", "no", "--config-file"])
            .arg(&config)
            .arg("--output-dir")
            .arg(&output)
            .arg(&source)
            .args(answers);
        run(cookiecutter);
        // cookiecutter makes `<output>/<rendered project_slug>/`; idp renders into the directory.
        let rendered = std::fs::read_dir(&output)
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        let (project, _) = idp_init(&env, &source, &format!("idp-{i}"), answers);
        assert_same_tree(&rendered, &project);
    }
}

#[test]
fn renders_as_copier_renders() {
    let Some(_) = real_tool("copier") else {
        return;
    };
    let env = TestEnv::new();
    let source = template("copier-service");
    let answer_sets: [&[&str]; 2] = [
        &[],
        &[
            "project_name=Big Shop",
            "framework=flask",
            "use_docker=false",
            "with_docs=true",
            "port=9000",
        ],
    ];
    for (i, answers) in answer_sets.into_iter().enumerate() {
        let output = env.root().join(format!("copier-{i}"));
        run(copier_copy(&env, &source, &[], answers, &output));
        let (project, _) = idp_init(&env, &source, &format!("idp-{i}"), answers);
        // `.copier-answers.yml` is compared too: `_src_path` is the same absolute path for both.
        assert_same_tree(&output, &project);
    }
}

/// Returns `copier copy` of `source` with `answers`, tasks skipped (idp does not run them) and the
/// user's copier settings out of the way.
fn copier_copy(
    env: &TestEnv,
    source: &Path,
    options: &[&str],
    answers: &[&str],
    output: &Path,
) -> Command {
    let mut copier = real_tool("copier").unwrap();
    copier
        .env("XDG_CONFIG_HOME", env.home().join(".config"))
        .args(["copy", "--quiet", "--defaults", "--skip-tasks"])
        .args(options);
    for answer in answers {
        copier.args(["--data", answer]);
    }
    copier.arg(source).arg(output);
    copier
}

/// From a git repository at a tag, copier records the tag as `_commit`, and so does idp, so
/// `copier update` can later find the version the project came from.
#[test]
fn records_the_git_tag_as_copier_does() {
    let Some(_) = real_tool("copier") else {
        return;
    };
    let env = TestEnv::new();
    let repository = env.root().join("copier-service");
    let copy = Command::new("cp")
        .arg("-R")
        .arg(template("copier-service"))
        .arg(&repository)
        .status()
        .unwrap();
    assert!(copy.success());
    let repository = repository.canonicalize().unwrap();
    for args in [
        &["init", "--quiet"][..],
        &["add", "--all"],
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "commit",
            "--quiet",
            "-m",
            "v1",
        ],
        &["tag", "v1.0.0"],
    ] {
        let status = Command::new("git")
            .arg("-C")
            .arg(&repository)
            .args(args)
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    }
    let output = env.root().join("copier");
    run(copier_copy(
        &env,
        &repository,
        &["--vcs-ref", "v1.0.0"],
        &[],
        &output,
    ));
    let outcome = env.run(
        env.idp()
            .args(["init", "idp", "--no-git", "--defaults", "--template"])
            .arg(format!("{}#v1.0.0", repository.display())),
    );
    assert_eq!(outcome.code, 0, "{}", outcome.snapshot());
    let answers = read(env.project().join("idp/.copier-answers.yml"));
    assert!(answers.contains("\n_commit: v1.0.0\n"), "{answers}");
    assert_same_tree(&output, &env.project().join("idp"));
}

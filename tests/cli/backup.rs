//! `idp backup` and `idp restore` on the local provider, checked through `psql` as the database's
//! owner (connected through `idp run`, so the test never handles the password).

use crate::support::TestEnv;
use crate::support::postgres::postgres_bin;

const MANIFEST: &str = "[project]\nname = \"notes\"\nteam = \"t\"\nowner = \"o@example.com\"\n\n[resources.db]\ntype = \"postgres\"\nversion = \"15\"\n\n[resources.images]\ntype = \"registry\"\n";

/// Runs SQL in the `db` database as its owner, through `idp run`.
fn sql(env: &TestEnv, statement: &str) -> String {
    let psql = postgres_bin()
        .expect("PostgreSQL is installed")
        .join("psql");
    let script = format!(
        "{} -X -A -t -v ON_ERROR_STOP=1 \"$DATABASE_URL\" -c \"$0\"",
        psql.display()
    );
    let outcome = env.run(
        env.idp()
            .args(["run", "--", "sh", "-c", &script, statement]),
    );
    assert_eq!(outcome.code, 0, "{}", outcome.snapshot());
    outcome.stdout.trim().to_string()
}

#[test]
fn backup_then_restore_brings_the_data_back() {
    let env = TestEnv::new();
    env.write("idp.toml", MANIFEST);
    let provisioned = env.run(env.idp().arg("provision"));
    assert_eq!(provisioned.code, 0, "{}", provisioned.snapshot());
    sql(
        &env,
        "create table notes (body text); insert into notes values ('first')",
    );

    let backup = env.run(env.idp().args(["backup", "db"]));
    assert_eq!(backup.code, 0, "{}", backup.snapshot());
    let path = env.project().join(backup.stdout.trim());
    assert!(
        path.starts_with(env.project().join(".idp/backups/dev")),
        "{}",
        path.display()
    );
    assert!(std::fs::metadata(&path).unwrap().len() > 0);

    sql(
        &env,
        "delete from notes; insert into notes values ('second')",
    );
    let refused = env.run(env.idp().args(["restore", "db"]).arg(&path));
    assert_eq!(
        refused.code,
        1,
        "restoring needs confirmation off a terminal: {}",
        refused.snapshot()
    );
    assert_eq!(sql(&env, "select body from notes"), "second");

    let restored = env.run(env.idp().args(["restore", "db", "--yes"]).arg(&path));
    assert_eq!(restored.code, 0, "{}", restored.snapshot());
    assert_eq!(sql(&env, "select body from notes"), "first");

    // Only databases have backups.
    let registry = env.run(env.idp().args(["backup", "images"]));
    assert_eq!(registry.code, 1);
    assert!(
        registry.stderr.contains("only databases have backups"),
        "{}",
        registry.stderr
    );
}

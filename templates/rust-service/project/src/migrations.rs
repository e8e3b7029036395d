//! Applies the SQL files of `migrations/` in order, each once.
//!
//! The files are compiled into the binary, so the image needs no copy of them. Each applied
//! version is recorded in the `schema_migrations` table. Everything pending runs in one
//! transaction under an advisory lock: replicas starting together apply each migration exactly
//! once, and a failing migration leaves the database as it was.

use std::fmt;

use tokio_postgres::Client;

/// One SQL file of `migrations/`.
#[derive(Debug)]
pub struct Migration {
    /// The number that starts the file name; migrations run in this order.
    pub version: i64,
    /// The rest of the file name, without `.sql`.
    pub name: &'static str,
    pub sql: &'static str,
}

impl Migration {
    /// Returns the file name, as `0001_create_items.sql`.
    pub fn file_name(&self) -> String {
        format!("{:04}_{}.sql", self.version, self.name)
    }
}

/// Every migration, in order. To add one, add a file to `migrations/` and a line here; a test
/// checks that the two agree.
pub const MIGRATIONS: &[Migration] = &[Migration {
    version: 1,
    name: "create_items",
    sql: include_str!("../migrations/0001_create_items.sql"),
}];

/// A migration, or the bookkeeping around it, failed; nothing was applied.
#[derive(Debug)]
pub struct MigrationError {
    /// The file that failed, if the failure was in one.
    pub file: Option<String>,
    pub source: tokio_postgres::Error,
}

impl fmt::Display for MigrationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.file {
            Some(file) => write!(f, "migration `{file}` failed"),
            None => write!(f, "applying migrations failed"),
        }
    }
}

impl std::error::Error for MigrationError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

impl From<tokio_postgres::Error> for MigrationError {
    fn from(source: tokio_postgres::Error) -> MigrationError {
        MigrationError { file: None, source }
    }
}

/// Applies the migrations not yet recorded in `schema_migrations` and returns their versions.
pub async fn run(client: &mut Client) -> Result<Vec<i64>, MigrationError> {
    let transaction = client.transaction().await?;
    // Replicas starting together wait here for each other, until the first commits.
    transaction
        .batch_execute("SELECT pg_advisory_xact_lock(hashtext('schema_migrations'))")
        .await?;
    transaction
        .batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                version bigint PRIMARY KEY,
                name text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )",
        )
        .await?;
    let applied: Vec<i64> = transaction
        .query("SELECT version FROM schema_migrations", &[])
        .await?
        .iter()
        .map(|row| row.get(0))
        .collect();

    let mut newly_applied = Vec::new();
    for migration in MIGRATIONS
        .iter()
        .filter(|migration| !applied.contains(&migration.version))
    {
        let in_file = |source| MigrationError {
            file: Some(migration.file_name()),
            source,
        };
        transaction
            .batch_execute(migration.sql)
            .await
            .map_err(in_file)?;
        transaction
            .execute(
                "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                &[&migration.version, &migration.name],
            )
            .await
            .map_err(in_file)?;
        newly_applied.push(migration.version);
    }
    transaction.commit().await?;
    Ok(newly_applied)
}

#[cfg(test)]
mod tests {
    use super::MIGRATIONS;

    #[test]
    fn the_list_matches_the_files_in_order() {
        let directory = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        let mut files: Vec<String> = std::fs::read_dir(&directory)
            .expect("reading migrations/")
            .map(|entry| {
                entry
                    .expect("reading migrations/")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .filter(|name| name.ends_with(".sql"))
            .collect();
        files.sort();
        let listed: Vec<String> = MIGRATIONS
            .iter()
            .map(|migration| migration.file_name())
            .collect();
        assert_eq!(
            listed, files,
            "`MIGRATIONS` in src/migrations.rs must list every file of migrations/, in order"
        );
        assert!(
            MIGRATIONS
                .windows(2)
                .all(|pair| pair[0].version < pair[1].version),
            "versions must increase"
        );
    }
}

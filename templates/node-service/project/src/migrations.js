/**
 * Applies the SQL files of `migrations/` in order, each once.
 *
 * Each applied version is recorded in the `schema_migrations` table. Everything pending runs in
 * one transaction under an advisory lock: replicas starting together apply each migration exactly
 * once, and a failing migration leaves the database as it was.
 */

import { readdir, readFile } from "node:fs/promises";

const MIGRATIONS_DIR = new URL("../migrations/", import.meta.url);

/** Returns the migration files, in order, with their versions (the number their name starts with). */
export async function migrationFiles() {
  const files = (await readdir(MIGRATIONS_DIR)).filter((file) => file.endsWith(".sql"));
  return files
    .map((file) => ({
      version: Number.parseInt(file, 10),
      name: file.slice(file.indexOf("_") + 1, -".sql".length),
      file,
    }))
    .sort((a, b) => a.version - b.version);
}

/** Applies the migrations not yet recorded in `schema_migrations`; returns their versions. */
export async function migrate(pool) {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    // Replicas starting together wait here for each other, until the first commits.
    await client.query("SELECT pg_advisory_xact_lock(hashtext('schema_migrations'))");
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version bigint PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query("SELECT version FROM schema_migrations");
    const applied = new Set(rows.map((row) => Number(row.version)));

    const appliedNow = [];
    for (const migration of await migrationFiles()) {
      if (applied.has(migration.version)) {
        continue;
      }
      const sql = await readFile(new URL(migration.file, MIGRATIONS_DIR), "utf8");
      try {
        await client.query(sql);
      } catch (error) {
        throw new Error(`migration \`${migration.file}\` failed: ${error.message}`, { cause: error });
      }
      await client.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [
        migration.version,
        migration.name,
      ]);
      appliedNow.push(migration.version);
    }
    await client.query("COMMIT");
    return appliedNow;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

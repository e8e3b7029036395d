import assert from "node:assert/strict";
import { test } from "node:test";

import { createPool } from "../src/db.js";
import { migrate, migrationFiles } from "../src/migrations.js";

const databaseUrl = process.env.DATABASE_URL;
const withoutDatabase = databaseUrl ? false : "DATABASE_URL is not set (`idp run -- npm test` sets it)";

test("migration versions are unique numbers", async () => {
  const versions = (await migrationFiles()).map((migration) => migration.version);
  assert.ok(versions.length > 0, "migrations/ holds no SQL file");
  assert.ok(versions.every(Number.isInteger), `a file name does not start with a number: ${versions}`);
  assert.equal(new Set(versions).size, versions.length, `two files share a version: ${versions}`);
});

test("migrations apply once", { skip: withoutDatabase }, async () => {
  const pool = createPool(databaseUrl);
  try {
    await migrate(pool);
    assert.deepEqual(await migrate(pool), [], "a second run applies nothing");

    const { rows } = await pool.query("SELECT version FROM schema_migrations ORDER BY version");
    const expected = (await migrationFiles()).map((migration) => migration.version);
    assert.deepEqual(rows.map((row) => Number(row.version)), expected);
  } finally {
    await pool.end();
  }
});

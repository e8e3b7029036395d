/** The connection pool to PostgreSQL. */

import pg from "pg";

/**
 * Returns a pool of up to 10 connections to `connectionString` (a `postgres://` URL; `sslmode`
 * and the other libpq parameters in it are honoured).
 */
export function createPool(connectionString) {
  const pool = new pg.Pool({ connectionString, max: 10 });
  // A pooled connection that breaks while idle (a database restart) is reported here instead of
  // crashing the process; the pool opens a new one when needed.
  pool.on("error", (error) => console.error(`error: idle database connection: ${error.message}`));
  return pool;
}

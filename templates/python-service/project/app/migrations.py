"""Applies the SQL files of `migrations/` in order, each once.

Each applied version is recorded in the `schema_migrations` table. Everything pending runs in one
transaction under an advisory lock: replicas starting together apply each migration exactly once,
and a failing migration leaves the database as it was.
"""

from pathlib import Path

import psycopg

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def files() -> list[tuple[int, Path]]:
    """Returns the migration files with their versions (the number their name starts with), in
    order."""
    found = [(int(path.name.split("_", 1)[0]), path) for path in MIGRATIONS_DIR.glob("*.sql")]
    return sorted(found)


def run(database_url: str) -> list[int]:
    """Applies the migrations not yet recorded in `schema_migrations`; returns their versions."""
    applied_now = []
    with psycopg.connect(database_url) as conn, conn.transaction():
        # Replicas starting together wait here for each other, until the first commits.
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('schema_migrations'))")
        conn.execute(
            """CREATE TABLE IF NOT EXISTS schema_migrations (
                version bigint PRIMARY KEY,
                name text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )"""
        )
        applied = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
        for version, path in files():
            if version in applied:
                continue
            try:
                conn.execute(path.read_text())
            except psycopg.Error as error:
                raise RuntimeError(f"migration `{path.name}` failed: {error}") from error
            conn.execute(
                "INSERT INTO schema_migrations (version, name) VALUES (%s, %s)",
                (version, path.stem.split("_", 1)[1]),
            )
            applied_now.append(version)
    return applied_now

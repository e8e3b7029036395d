import psycopg

from app import migrations


def test_versions_are_unique() -> None:
    versions = [version for version, _ in migrations.files()]
    assert versions, "migrations/ holds no SQL file"
    assert len(versions) == len(set(versions)), f"two files share a version: {versions}"


def test_migrations_apply_once(database_url: str) -> None:
    migrations.run(database_url)
    assert migrations.run(database_url) == [], "a second run applies nothing"

    with psycopg.connect(database_url) as conn:
        recorded = [row[0] for row in conn.execute("SELECT version FROM schema_migrations")]
    assert sorted(recorded) == [version for version, _ in migrations.files()]

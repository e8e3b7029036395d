"""What the tests share: the database, when there is one.

Tests that use the `database_url` or `client` fixtures run when `DATABASE_URL` is set
(`idp run -- pytest` sets it) and are skipped, saying why, otherwise. They add rows with unique
names, so they can share a database with each other and with you.
"""

import os
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.main import create_app


@pytest.fixture
def database_url() -> str:
    """`DATABASE_URL`; the test is skipped when it is unset."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        pytest.skip("DATABASE_URL is not set (`idp run -- pytest` sets it)")
    return url


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    """A client of the started app: migrations applied, connection pool open."""
    with TestClient(create_app(database_url)) as client:
        yield client

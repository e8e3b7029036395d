import uuid

import psycopg
from fastapi.testclient import TestClient


def test_items_are_created_listed_and_read(client: TestClient, database_url: str) -> None:
    name = f"test-{uuid.uuid4()}"

    created = client.post("/items", json={"name": name})
    assert created.status_code == 201
    item = created.json()
    assert item["name"] == name
    assert created.headers["location"] == f"/items/{item['id']}"

    read = client.get(f"/items/{item['id']}")
    assert read.status_code == 200
    assert read.json() == item

    listed = client.get("/items")
    assert listed.status_code == 200
    assert item in listed.json()

    with psycopg.connect(database_url) as conn:
        conn.execute("DELETE FROM items WHERE id = %s", (item["id"],))


def test_bad_requests_are_refused(client: TestClient) -> None:
    assert client.post("/items", json={"name": "  "}).status_code == 422
    assert client.post("/items", json={}).status_code == 422
    assert client.get(f"/items/{2**63 - 1}").status_code == 404

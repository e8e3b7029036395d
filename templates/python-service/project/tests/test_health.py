from fastapi.testclient import TestClient

from app.main import app


def test_health_answers_ok() -> None:
    # Not entered with `with`, so the app does not start and needs no database.
    client = TestClient(app)
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}

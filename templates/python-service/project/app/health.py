"""`GET /health`: answers while the process serves requests.

It does not query the database, so a slow database does not make the orchestrator restart
healthy replicas.
"""

from fastapi import APIRouter

router = APIRouter(tags=["health"])


@router.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}

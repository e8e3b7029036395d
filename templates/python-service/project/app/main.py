"""The FastAPI application: its routes, and the database it opens for its lifetime."""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from psycopg_pool import ConnectionPool

from app import health, items, migrations


def create_app(database_url: str | None = None) -> FastAPI:
    """Returns the app; it connects to `database_url`, else to `DATABASE_URL`, when it starts."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        url = database_url or os.environ.get("DATABASE_URL")
        if not url:
            raise RuntimeError("DATABASE_URL is not set; `idp run -- python -m app` sets it")
        for version in migrations.run(url):
            print(f"applied migration {version}")
        # `check` replaces connections that broke while idle, as after a database restart.
        pool = ConnectionPool(
            url, min_size=1, max_size=10, open=False, check=ConnectionPool.check_connection
        )
        with pool:
            app.state.pool = pool
            yield

    app = FastAPI(
        title="{{ project_name }}",
        lifespan=lifespan,
    )
    app.include_router(health.router)
    app.include_router(items.router)
    return app


app = create_app()

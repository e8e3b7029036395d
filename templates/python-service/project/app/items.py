"""`/items`: a resource backed by the `items` table, the pattern to copy for your own."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from psycopg import Connection
from psycopg.rows import class_row
from pydantic import BaseModel, StringConstraints

router = APIRouter(prefix="/items", tags=["items"])


class Item(BaseModel):
    id: int
    name: str


class NewItem(BaseModel):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


def connection(request: Request) -> Iterator[Connection]:
    """Lends a pooled connection for one request; it commits when the handler succeeds."""
    with request.app.state.pool.connection() as conn:
        yield conn


# `scope="function"` commits before the response is sent, so a client that got `201` finds the
# item with its next request.
Db = Annotated[Connection, Depends(connection, scope="function")]


@router.get("")
def list_items(db: Db) -> list[Item]:
    """Lists the 100 newest items, newest first."""
    with db.cursor(row_factory=class_row(Item)) as cursor:
        return cursor.execute("SELECT id, name FROM items ORDER BY id DESC LIMIT 100").fetchall()


@router.post("", status_code=status.HTTP_201_CREATED)
def create_item(new: NewItem, db: Db, response: Response) -> Item:
    with db.cursor(row_factory=class_row(Item)) as cursor:
        cursor.execute("INSERT INTO items (name) VALUES (%s) RETURNING id, name", (new.name,))
        item = cursor.fetchone()
    response.headers["Location"] = f"/items/{item.id}"
    return item


@router.get("/{item_id}")
def read_item(item_id: int, db: Db) -> Item:
    with db.cursor(row_factory=class_row(Item)) as cursor:
        item = cursor.execute("SELECT id, name FROM items WHERE id = %s", (item_id,)).fetchone()
    if item is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "not found")
    return item

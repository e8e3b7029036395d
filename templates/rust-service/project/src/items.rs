//! `/items`: a resource backed by the `items` table, the pattern to copy for your own.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use tokio_postgres::Row;

use crate::Db;
use crate::error::ApiError;

/// The longest name accepted, in characters (the table checks it too).
const MAX_NAME_LENGTH: usize = 200;

/// An item as the API returns it.
#[derive(Debug, Serialize)]
pub struct Item {
    pub id: i64,
    pub name: String,
}

impl From<Row> for Item {
    fn from(row: Row) -> Item {
        Item {
            id: row.get("id"),
            name: row.get("name"),
        }
    }
}

/// The body of `POST /items`.
#[derive(Debug, Deserialize)]
pub struct NewItem {
    pub name: String,
}

/// Returns the router of `/items`.
pub fn router(db: Db) -> Router {
    Router::new()
        .route("/items", get(list).post(create))
        .route("/items/{id}", get(read))
        .with_state(db)
}

/// Lists the 100 newest items, newest first.
async fn list(State(db): State<Db>) -> Result<Json<Vec<Item>>, ApiError> {
    let rows = db
        .query("SELECT id, name FROM items ORDER BY id DESC LIMIT 100", &[])
        .await?;
    Ok(Json(rows.into_iter().map(Item::from).collect()))
}

async fn create(
    State(db): State<Db>,
    Json(new): Json<NewItem>,
) -> Result<impl IntoResponse, ApiError> {
    let name = new.name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_LENGTH {
        return Err(ApiError::Invalid(format!(
            "`name` must be 1 to {MAX_NAME_LENGTH} characters"
        )));
    }
    let row = db
        .query_one(
            "INSERT INTO items (name) VALUES ($1) RETURNING id, name",
            &[&name],
        )
        .await?;
    let item = Item::from(row);
    let location = format!("/items/{}", item.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(item),
    ))
}

async fn read(State(db): State<Db>, Path(id): Path<i64>) -> Result<Json<Item>, ApiError> {
    let row = db
        .query_opt("SELECT id, name FROM items WHERE id = $1", &[&id])
        .await?;
    row.map(|row| Json(Item::from(row)))
        .ok_or(ApiError::NotFound)
}

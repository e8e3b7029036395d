//! {{ project_name }}: an HTTP service on PostgreSQL.
//!
//! The router is built here rather than in `main.rs` so that tests drive it in process.
//!
//! - [`health`]: `GET /health`, for load balancers and orchestrators.
//! - [`items`]: `GET /items`, `POST /items`, `GET /items/{id}`, backed by the `items` table.
//! - [`migrations`]: the SQL files of `migrations/`, applied at startup.

pub mod error;
pub mod health;
pub mod items;
pub mod migrations;

use std::sync::Arc;

use axum::Router;

/// The database connection the handlers share. tokio-postgres pipelines concurrent queries over
/// one connection; put a pool (deadpool-postgres, bb8) here once a handler needs a transaction,
/// which takes a connection for itself.
pub type Db = Arc<tokio_postgres::Client>;

/// Returns the service's router: every endpoint, with the database behind those that need it.
pub fn app(db: Db) -> Router {
    health::router().merge(items::router(db))
}

//! `GET /health`: answers while the process serves requests.
//!
//! It does not query the database, so a slow database does not make the orchestrator restart
//! healthy replicas; a lost connection ends the process instead (see `main.rs`).

use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

/// Returns the router of the health endpoint, which needs no state.
pub fn router() -> Router {
    Router::new().route("/health", get(health))
}

async fn health() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

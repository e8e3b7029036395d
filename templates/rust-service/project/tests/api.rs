//! The HTTP API, driven in process through the router.
//!
//! The database tests run when `DATABASE_URL` is set (`idp run -- cargo test` sets it) and are
//! skipped with a message otherwise. They add rows with unique names, so they can share a
//! database with each other and with you.

use std::io::Write;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use axum::response::Response;
use serde_json::{Value, json};
use tokio_postgres::{Client, NoTls};
use tower::ServiceExt;

use {{ project_name | replace("-", "_") }}::{app, health, migrations};

#[tokio::test]
async fn health_answers_ok() {
    let response = send(health::router(), get("/health")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(json_body(response).await, json!({ "status": "ok" }));
}

#[tokio::test]
async fn migrations_apply_once() {
    let Some(mut client) = database("migrations_apply_once").await else {
        return;
    };
    migrations::run(&mut client).await.expect("first run");
    let second = migrations::run(&mut client).await.expect("second run");
    assert_eq!(second, Vec::<i64>::new(), "a second run applies nothing");

    let recorded: Vec<i64> = client
        .query(
            "SELECT version FROM schema_migrations ORDER BY version",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    let listed: Vec<i64> = migrations::MIGRATIONS
        .iter()
        .map(|migration| migration.version)
        .collect();
    assert_eq!(recorded, listed);
}

#[tokio::test]
async fn items_are_created_listed_and_read() {
    let Some(mut client) = database("items_are_created_listed_and_read").await else {
        return;
    };
    migrations::run(&mut client).await.expect("migrations");
    let client = Arc::new(client);
    let name = unique_name();

    let created = send(
        app(client.clone()),
        post_json("/items", &json!({ "name": name })),
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let location = created.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    let item = json_body(created).await;
    assert_eq!(item["name"], name);
    let id = item["id"].as_i64().expect("a numeric id");
    assert_eq!(location, format!("/items/{id}"));

    let read = send(app(client.clone()), get(&location)).await;
    assert_eq!(read.status(), StatusCode::OK);
    assert_eq!(json_body(read).await, item);

    let listed = json_body(send(app(client.clone()), get("/items")).await).await;
    assert!(
        listed.as_array().expect("a list").contains(&item),
        "{listed} lacks {item}"
    );

    client
        .execute("DELETE FROM items WHERE id = $1", &[&id])
        .await
        .unwrap();
}

#[tokio::test]
async fn bad_requests_are_refused() {
    let Some(mut client) = database("bad_requests_are_refused").await else {
        return;
    };
    migrations::run(&mut client).await.expect("migrations");
    let client = Arc::new(client);

    let blank = send(
        app(client.clone()),
        post_json("/items", &json!({ "name": "  " })),
    )
    .await;
    assert_eq!(blank.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        json_body(blank).await,
        json!({ "error": "`name` must be 1 to 200 characters" })
    );

    let missing = send(app(client.clone()), get(&format!("/items/{}", i64::MAX))).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

/// Connects to `DATABASE_URL`, or says why `test` is skipped and returns `None`.
async fn database(test: &str) -> Option<Client> {
    let Ok(url) = std::env::var("DATABASE_URL") else {
        // Written to the stdout handle, not with `println!`, which the test harness captures.
        let _ = writeln!(
            std::io::stdout(),
            "skipped {test}: DATABASE_URL is not set (`idp run -- cargo test` sets it)"
        );
        return None;
    };
    let (client, connection) = tokio_postgres::connect(&url, NoTls)
        .await
        .expect("connecting to DATABASE_URL");
    tokio::spawn(connection);
    Some(client)
}

/// Returns a name no other test run uses.
fn unique_name() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("test-{}-{nanos}", std::process::id())
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

fn post_json(uri: &str, body: &Value) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

async fn send(router: Router, request: Request<Body>) -> Response {
    router.oneshot(request).await.unwrap()
}

async fn json_body(response: Response) -> Value {
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    serde_json::from_slice(&bytes).expect("a JSON body")
}

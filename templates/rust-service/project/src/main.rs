//! Starts {{ project_name }}: reads its settings from the environment, applies pending migrations,
//! then serves HTTP until SIGINT or SIGTERM.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio_postgres::NoTls;

use {{ project_name | replace("-", "_") }}::error::with_causes;
use {{ project_name | replace("-", "_") }}::{app, migrations};

/// The port served when `PORT` is unset.
const DEFAULT_PORT: u16 = {{ port }};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    let database_url = std::env::var("DATABASE_URL")
        .map_err(|_| "`DATABASE_URL` is not set; `idp run -- cargo run` sets it".to_string())?;
    let port = match std::env::var("PORT") {
        Ok(port) => port
            .parse()
            .map_err(|_| format!("`PORT` is not a port number: `{port}`"))?,
        Err(_) => DEFAULT_PORT,
    };

    let (mut client, connection) = tokio_postgres::connect(&database_url, NoTls)
        .await
        .map_err(|error| format!("connecting to the database failed: {}", with_causes(&error)))?;
    tokio::spawn(async move {
        // One connection serves every request, so without it the service is useless: exit and let
        // the orchestrator restart it.
        if let Err(error) = connection.await {
            eprintln!(
                "error: lost the database connection: {}",
                with_causes(&error)
            );
            std::process::exit(1);
        }
    });

    let applied = migrations::run(&mut client)
        .await
        .map_err(|error| with_causes(&error))?;
    for version in applied {
        println!("applied migration {version}");
    }

    let listener = TcpListener::bind(SocketAddr::from(([0, 0, 0, 0], port)))
        .await
        .map_err(|error| format!("listening on port {port} failed: {error}"))?;
    println!("listening on port {port}");
    axum::serve(listener, app(Arc::new(client)))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|error| format!("serving HTTP failed: {error}"))
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM (what `docker stop` and Kubernetes send).
async fn shutdown_signal() {
    let interrupt = async {
        tokio::signal::ctrl_c()
            .await
            .expect("installing the SIGINT handler");
    };
    #[cfg(unix)]
    let terminate = async {
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("installing the SIGTERM handler")
            .recv()
            .await;
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        _ = terminate => {}
    }
}

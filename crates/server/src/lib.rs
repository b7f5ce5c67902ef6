//! `spyglass serve`: the HTTP API with its OpenAPI description, bearer tokens with roles and TLP
//! clearance, the dashboard, and a TAXII 2.1 server ([`taxii`]).
//!
//! Every request that reads claims runs under a policy whose `tlp_clearance` is the caller's (the
//! token's clearance; the store owner's full view only in the token-less loopback mode), so the
//! store's views hide every claim marked above it before anything is counted. The server never
//! offers raw SQL.

pub mod api;
mod auth;
mod cache;
mod dashboard;
pub mod docs;
pub mod error;
mod exports;
pub mod params;
pub mod taxii;
pub mod tokens;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use spyglass_store::Store;

pub use auth::Auth;
pub use tokens::{Role, TokenStore};

/// Request bodies above this are refused with 413 (every endpoint but ingest).
pub const BODY_LIMIT: usize = 1 << 20;
/// Ingest bodies above this are refused with 413.
pub const INGEST_LIMIT: usize = 64 << 20;

/// What `spyglass serve` needs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub data: PathBuf,
    pub listen: SocketAddr,
}

/// The shared state of one server.
#[derive(Debug)]
pub struct App {
    pub store: Store,
    pub auth: auth::Authenticator,
    pub cache: cache::Cache,
    /// One ingest at a time.
    pub ingest_lock: tokio::sync::Mutex<()>,
    /// The TAXII server's collection views and status resources.
    pub taxii: taxii::TaxiiState,
}

impl App {
    /// State for a data directory; errors when the token file cannot be read.
    pub fn new(data: PathBuf) -> anyhow::Result<Self> {
        let auth = auth::Authenticator::new(TokenStore::new(&data))?;
        Ok(App {
            store: Store::new(data),
            auth,
            cache: cache::Cache::default(),
            ingest_lock: tokio::sync::Mutex::new(()),
            taxii: taxii::TaxiiState::default(),
        })
    }
}

/// The router: the API under `/api/v1`, the OpenAPI document, the dashboard, TAXII 2.1 under
/// `/taxii2/` (with its own error messages, so it is merged after the problem+json layer).
pub fn router(app: Arc<App>) -> Router {
    let api = Router::new()
        .route("/status", get(api::status))
        .route("/findings/share", get(api::share))
        .route("/findings/trend", get(api::trend))
        .route("/findings/compare", get(api::compare))
        .route("/findings/priorities", get(api::priorities))
        .route("/findings/claim-check", get(api::claim_check))
        .route("/actors", get(api::actors_list))
        .route("/actors/resolve", get(api::actors_resolve))
        .route("/actors/{name}", get(api::actor_show))
        .route("/incidents", get(api::incidents))
        .route("/incidents/{id}", get(api::incident))
        .route("/extract", post(api::extract))
        .route("/ingest", post(api::ingest).layer(DefaultBodyLimit::max(INGEST_LIMIT)))
        .route("/tokens", get(api::tokens_list))
        .route("/report", get(exports::report))
        .route("/report/charts", get(exports::charts))
        .route("/report.html", get(exports::report_html))
        .route("/export/stix", get(exports::stix))
        .route_layer(axum::middleware::from_fn_with_state(app.clone(), auth::require_token));
    Router::new()
        .nest("/api/v1", api)
        .route("/openapi.json", get(api::openapi))
        .merge(dashboard::routes())
        .fallback(api::not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::map_response(error::problem_for_plain_errors))
        .merge(taxii::routes(app.clone()))
        .with_state(app)
}

/// Whether an address is on the loopback interface.
pub fn is_loopback(addr: &SocketAddr) -> bool {
    addr.ip().is_loopback()
}

/// Runs the server until SIGINT or SIGTERM, then finishes the requests in flight.
pub async fn serve(opts: ServeOptions) -> anyhow::Result<()> {
    let app = Arc::new(App::new(opts.data.clone())?);
    if !app.auth.tokens_configured() && !is_loopback(&opts.listen) {
        anyhow::bail!(
            "no API tokens are configured in {}: refusing to listen on {} (not loopback). Create one with \
             `spyglass token create --role reader --tlp clear`, or listen on 127.0.0.1",
            app.auth.path().display(),
            opts.listen
        );
    }
    let listener = tokio::net::TcpListener::bind(opts.listen)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", opts.listen))?;
    let local = listener.local_addr()?;
    if app.auth.tokens_configured() {
        eprintln!("spyglass serve: listening on http://{local}/ (API tokens required; data {})", opts.data.display());
    } else {
        eprintln!(
            "spyglass serve: no API tokens configured: listening on loopback only, http://{local}/, without \
             authentication and with full (TLP:RED) access; `spyglass token create` turns authentication on"
        );
    }
    axum::serve(listener, router(app)).with_graceful_shutdown(shutdown_signal()).await?;
    eprintln!("spyglass serve: stopped");
    Ok(())
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    eprintln!("spyglass serve: shutting down, finishing requests in flight");
}

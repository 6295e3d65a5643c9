//! Lagebild's HTTP API and web interface.
//!
//! [`router`] builds the axum application over any [`lagebild_store::Store`]
//! (through a [`StoreFactory`] that opens connections); [`serve`] binds it and
//! runs it until Ctrl-C. The JSON API lives under `/api` (described by
//! `/api/openapi.json`), the pages everywhere else.
//!
//! The store is blocking (SQLite), so every query runs on tokio's blocking
//! pool with a connection from a small fixed [`app::Pool`]; SQLite's WAL mode
//! lets these readers run beside a writer. Ingestion (`POST /api/documents`)
//! uses its own connection and only exists when a token is configured.

mod api;
pub mod app;
mod error;
mod export;
pub mod html;
mod params;
mod ui;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

pub use app::{Analyzer, App, DynStore, Options, Shared, StoreFactory};
pub use error::ApiError;

/// The OpenAPI 3 description of the JSON API, served at `/api/openapi.json`.
pub const OPENAPI: &str = include_str!("openapi.json");

/// Errors of starting the server.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error(transparent)]
    Store(#[from] lagebild_store::StoreError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("server: {0}")]
    Io(#[from] std::io::Error),
}

/// The application: API, exports, pages, limits.
pub fn router(app: Shared) -> Router {
    let api = Router::new()
        .route("/api/openapi.json", get(api::openapi))
        .route("/api/documents", get(api::documents).post(api::ingest))
        .route("/api/documents/{id}", get(api::document))
        .route("/api/entities", get(api::entities))
        .route("/api/entities/{id}", get(api::entity))
        .route("/api/entities/{id}/mentions", get(api::mentions))
        .route("/api/quotes", get(api::quotes))
        .route("/api/events", get(api::events))
        .route("/api/stories", get(api::stories))
        .route("/api/stories/{id}", get(api::story))
        .route("/api/search", get(api::search))
        .route("/api/timeline", get(api::timeline))
        .route("/api/network", get(api::network))
        .route("/api/stats", get(api::stats))
        .route("/api/export/documents.jsonl", get(export::documents_jsonl))
        .route("/api/export/events.csv", get(export::events_csv))
        .route("/api/export/events.gdelt.tsv", get(export::events_gdelt));
    let pages = Router::new()
        .route("/", get(ui::home))
        .route("/documents", get(ui::documents))
        .route("/documents/{id}", get(ui::document))
        .route("/entities", get(ui::entities))
        .route("/entities/{id}", get(ui::entity))
        .route("/stories/{id}", get(ui::story))
        .route("/events", get(ui::events))
        .route("/search", get(ui::search));
    api.merge(pages)
        .fallback(fallback)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(app.clone(), guard))
        .with_state(app)
}

async fn fallback(req: Request) -> Response {
    if req.uri().path().starts_with("/api") {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "no such API route (see /api/openapi.json)",
        )
        .into_response()
    } else {
        ui::not_found_page().await
    }
}

async fn method_not_allowed() -> Response {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method not allowed").into_response()
}

/// Rate limit per client address, and headers on every response.
async fn guard(State(app): State<Shared>, req: Request, next: Next) -> Response {
    let ip = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    let host_ok = !app.options.loopback_hosts
        || req
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .is_none_or(is_loopback_host);
    let mut res = match app.limiter.check(ip) {
        Ok(()) if !host_ok => ApiError::new(
            StatusCode::MISDIRECTED_REQUEST,
            "this server answers only to loopback host names (localhost, 127.0.0.1, [::1])",
        )
        .into_response(),
        Ok(()) => next.run(req).await,
        Err(wait) => {
            let mut e = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too many requests; slow down",
            );
            e.retry_after = Some(wait);
            e.into_response()
        }
    };
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(
            "default-src 'none'; frame-ancestors 'none'",
        ));
    res
}

/// Whether a `Host` header value names a loopback address.
fn is_loopback_host(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        host.rsplit_once(':').map_or(host, |(h, _)| h)
    };
    name.eq_ignore_ascii_case("localhost")
        || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Binds `addr`, calls `ready` with the bound address (port 0 picks one), and
/// serves until Ctrl-C. Builds its own tokio runtime. On a loopback address it
/// answers only requests for loopback host names.
pub fn serve(
    addr: SocketAddr,
    factory: StoreFactory,
    analyzer: Option<Analyzer>,
    options: Options,
    ready: impl FnOnce(SocketAddr),
) -> Result<(), ServerError> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("lagebild-http")
        .build()?;
    rt.block_on(async move {
        let mut options = options;
        options.loopback_hosts |= addr.ip().is_loopback();
        let app = App::new(factory, analyzer, options)?;
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| ServerError::Bind { addr, source })?;
        let bound = listener.local_addr()?;
        tracing::info!(%bound, "listening");
        ready(bound);
        axum::serve(
            listener,
            router(app).into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::is_loopback_host;

    #[test]
    fn loopback_hosts() {
        for h in [
            "localhost",
            "localhost:8080",
            "127.0.0.1:8080",
            "127.1.2.3",
            "[::1]:80",
            "LOCALHOST",
        ] {
            assert!(is_loopback_host(h), "{h}");
        }
        for h in [
            "evil.example",
            "evil.example:8080",
            "10.0.0.1:8080",
            "localhost.evil.example",
            "[::2]:1",
        ] {
            assert!(!is_loopback_host(h), "{h}");
        }
    }
}

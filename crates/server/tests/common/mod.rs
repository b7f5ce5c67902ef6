//! Starting a server in-process on loopback, and small HTTP helpers.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::sync::Arc;

use spyglass_server::{App, router};
use spyglass_store::Store;
use spyglass_store::load::{LoadOptions, ingest_bytes};

/// Starts a server for `data` on 127.0.0.1 (a free port); returns its base URL.
pub async fn start(data: &Path) -> String {
    let app = Arc::new(App::new(data.to_path_buf()).expect("server state"));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, router(app)).await;
    });
    format!("http://{addr}")
}

/// Ingests `text` as a file named `name` (the same path the CLI and the API use).
pub async fn ingest(data: &Path, name: &str, text: &str) {
    let report = ingest_bytes(&Store::new(data), Path::new(name), text.as_bytes(), LoadOptions::default(), &mut |_, _| {})
        .await
        .expect("ingest");
    assert_eq!(report.skipped_total, 0, "{:?}", report.skipped);
}

pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub body: String,
    pub headers: reqwest::header::HeaderMap,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

pub async fn send(req: reqwest::RequestBuilder) -> Reply {
    let r = req.send().await.expect("request");
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let content_type =
        headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let body = r.text().await.expect("body");
    Reply { status, content_type, body, headers }
}

pub async fn get(base: &str, path: &str, token: Option<&str>) -> Reply {
    let mut req = reqwest::Client::new().get(format!("{base}{path}"));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    send(req).await
}

pub async fn post(base: &str, path: &str, token: Option<&str>, body: Vec<u8>) -> Reply {
    let mut req = reqwest::Client::new().post(format!("{base}{path}")).body(body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    send(req).await
}

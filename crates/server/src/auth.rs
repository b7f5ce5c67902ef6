//! Bearer tokens: who the caller is (role, TLP clearance), checked on every `/api/v1` request.
//!
//! Authentication is required when the server started with tokens configured, or from the moment
//! a token exists (created while the server runs; revoking it later does not reopen the server). Without any token the server only listens on
//! loopback and every caller is the store owner (admin, no clearance limit). The token file is
//! re-read when its modification time changes, so `spyglass token revoke` takes effect at once.

use std::sync::{Arc, RwLock};
use std::time::SystemTime;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use spyglass_model::Tlp;

use crate::App;
use crate::error::{ApiError, problem};
use crate::tokens::{Role, TokenRecord, TokenStore, find};

/// The caller of one request.
#[derive(Debug, Clone)]
pub struct Auth {
    pub role: Role,
    /// `None`: the store owner's full view (token-less loopback mode only).
    pub clearance: Option<Tlp>,
    pub token_id: Option<String>,
}

impl Auth {
    /// 403 unless the caller has at least `role`.
    pub fn require(&self, role: Role) -> Result<(), ApiError> {
        if self.role >= role {
            Ok(())
        } else {
            Err(ApiError::new(
                StatusCode::FORBIDDEN,
                format!("this needs the {} role; the token's role is {}", role.as_str(), self.role.as_str()),
            ))
        }
    }

    /// The clearance as text for cache keys and the status endpoint.
    pub fn clearance_str(&self) -> &'static str {
        self.clearance.map_or("owner", |t| t.as_str())
    }
}

/// What identifies one version of the token file: it is replaced by a rename on every change, so
/// the inode changes even when two writes fall within one tick of the file-time clock.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamp {
    mtime: Option<SystemTime>,
    len: u64,
    inode: u64,
}

fn stamp(path: &std::path::Path) -> Option<Stamp> {
    let m = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&m);
    #[cfg(not(unix))]
    let inode = 0;
    Some(Stamp { mtime: m.modified().ok(), len: m.len(), inode })
}

#[derive(Debug)]
struct Loaded {
    mtime: Option<Stamp>,
    tokens: Arc<Vec<TokenRecord>>,
}

/// The token file and what was last read from it.
#[derive(Debug)]
pub struct Authenticator {
    store: TokenStore,
    started_with_tokens: bool,
    /// Set once any token was seen: revoking the last token then locks everyone out rather than
    /// reopening the server.
    required: std::sync::atomic::AtomicBool,
    loaded: RwLock<Loaded>,
}

impl Authenticator {
    pub fn new(store: TokenStore) -> anyhow::Result<Self> {
        let mtime = stamp(store.path());
        let tokens = store.load()?;
        Ok(Authenticator {
            started_with_tokens: !tokens.is_empty(),
            required: std::sync::atomic::AtomicBool::new(!tokens.is_empty()),
            store,
            loaded: RwLock::new(Loaded { mtime, tokens: Arc::new(tokens) }),
        })
    }

    pub fn path(&self) -> &std::path::Path {
        self.store.path()
    }

    /// Whether the server started with tokens.
    pub fn tokens_configured(&self) -> bool {
        self.started_with_tokens
    }

    /// The current tokens, re-read when the file changed.
    pub fn tokens(&self) -> Result<Arc<Vec<TokenRecord>>, ApiError> {
        let mtime = stamp(self.store.path());
        if let Ok(l) = self.loaded.read()
            && l.mtime == mtime
        {
            return Ok(l.tokens.clone());
        }
        let tokens = Arc::new(self.store.load()?);
        if let Ok(mut l) = self.loaded.write() {
            *l = Loaded { mtime, tokens: tokens.clone() };
        }
        Ok(tokens)
    }

    /// Who sent `header` (the `Authorization` value), or the 401 to answer.
    pub fn authenticate(&self, header: Option<&str>) -> Result<Auth, ApiError> {
        let tokens = self.tokens()?;
        if !tokens.is_empty() {
            self.required.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        if !self.required.load(std::sync::atomic::Ordering::Relaxed) {
            return Ok(Auth { role: Role::Admin, clearance: None, token_id: None });
        }
        let unauthorized = |why: &str| ApiError::new(StatusCode::UNAUTHORIZED, why.to_string());
        let Some(h) = header else {
            return Err(unauthorized("an API token is required: send `Authorization: Bearer <token>`"));
        };
        let Some(presented) = h.strip_prefix("Bearer ").or_else(|| h.strip_prefix("bearer ")) else {
            return Err(unauthorized("the Authorization header must be `Bearer <token>`"));
        };
        match find(&tokens, presented) {
            Some(t) => Ok(Auth { role: t.role, clearance: Some(t.tlp), token_id: Some(t.id.clone()) }),
            None => Err(unauthorized("unknown or revoked API token")),
        }
    }
}

/// Middleware: authenticates the request and hands the [`Auth`] to the handler.
pub async fn require_token(State(app): State<Arc<App>>, mut req: Request, next: Next) -> Response {
    let header = req.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    match app.auth.authenticate(header) {
        Ok(auth) => {
            req.extensions_mut().insert(auth);
            next.run(req).await
        }
        Err(e) => {
            let mut r = if e.status == StatusCode::UNAUTHORIZED {
                problem(e.status, &e.detail)
            } else {
                e.into_response()
            };
            if r.status() == StatusCode::UNAUTHORIZED {
                r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"spyglass\""));
            }
            r
        }
    }
}

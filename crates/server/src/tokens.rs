//! API tokens: a role and a TLP clearance each, stored hashed in `<data>/tokens.json`.
//!
//! A token is `spy_` followed by 64 hex digits (32 random bytes). Only its SHA-256 is stored, with
//! an id (the first 12 hex digits of that hash, for `token list` / `token revoke`), a role, a TLP
//! clearance, an optional label and the creation time. The file is written atomically (temporary
//! file in the same directory, then rename) with mode 0600.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use spyglass_model::Tlp;

/// The file name under the data directory.
pub const TOKENS_FILE: &str = "tokens.json";

/// What a token may do. Each role includes the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Findings, actors, incidents, extraction.
    Reader,
    /// Also ingest.
    Analyst,
    /// Also the token list.
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reader => "reader",
            Role::Analyst => "analyst",
            Role::Admin => "admin",
        }
    }
}

impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "reader" => Ok(Role::Reader),
            "analyst" => Ok(Role::Analyst),
            "admin" => Ok(Role::Admin),
            other => Err(format!("unknown role {other:?} (expected reader, analyst or admin)")),
        }
    }
}

/// One stored token (never the secret itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRecord {
    pub id: String,
    pub sha256: String,
    pub role: Role,
    pub tlp: Tlp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub created_at: String,
}

/// What `token list` shows: everything but the hash.
#[derive(Debug, Clone, Serialize)]
pub struct TokenInfo {
    pub id: String,
    pub role: Role,
    pub tlp: Tlp,
    pub label: Option<String>,
    pub created_at: String,
}

impl From<&TokenRecord> for TokenInfo {
    fn from(r: &TokenRecord) -> Self {
        TokenInfo { id: r.id.clone(), role: r.role, tlp: r.tlp, label: r.label.clone(), created_at: r.created_at.clone() }
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct TokenFile {
    tokens: Vec<TokenRecord>,
}

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: not a spyglass token file: {source}")]
    Parse {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("no token with id {0:?}")]
    UnknownId(String),
}

/// The token file of a data directory.
#[derive(Debug, Clone)]
pub struct TokenStore {
    path: PathBuf,
}

/// SHA-256 (hex) of a presented token.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Compares two equal-length strings without an early exit.
fn ct_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl TokenStore {
    pub fn new(data: &Path) -> Self {
        TokenStore { path: data.join(TOKENS_FILE) }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every stored token; empty when the file does not exist.
    pub fn load(&self) -> Result<Vec<TokenRecord>, TokenError> {
        match std::fs::read(&self.path) {
            Ok(bytes) => {
                let f: TokenFile = serde_json::from_slice(&bytes)
                    .map_err(|source| TokenError::Parse { path: self.path.clone(), source })?;
                Ok(f.tokens)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(source) => Err(TokenError::Io { path: self.path.clone(), source }),
        }
    }

    fn save(&self, tokens: Vec<TokenRecord>) -> Result<(), TokenError> {
        let io = |source| TokenError::Io { path: self.path.clone(), source };
        let dir = self.path.parent().unwrap_or_else(|| Path::new("."));
        std::fs::create_dir_all(dir).map_err(io)?;
        let body = serde_json::to_vec_pretty(&TokenFile { tokens })
            .map_err(|source| TokenError::Parse { path: self.path.clone(), source })?;
        let tmp = dir.join(format!(".{TOKENS_FILE}.{}.tmp", uuid::Uuid::new_v4()));
        let write = || -> std::io::Result<()> {
            use std::io::Write;
            let mut opts = std::fs::OpenOptions::new();
            opts.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                opts.mode(0o600);
            }
            let mut f = opts.open(&tmp)?;
            f.write_all(&body)?;
            f.sync_all()?;
            std::fs::rename(&tmp, &self.path)
        };
        write().map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            io(e)
        })
    }

    /// Creates a token; returns the secret (shown once) and its record.
    pub fn create(&self, role: Role, tlp: Tlp, label: Option<String>) -> Result<(String, TokenRecord), TokenError> {
        let secret: [u8; 32] = rand::random();
        let token = format!("spy_{}", hex::encode(secret));
        let sha256 = hash_token(&token);
        let record = TokenRecord {
            id: sha256[..12].to_string(),
            sha256,
            role,
            tlp,
            label,
            created_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        };
        let mut all = self.load()?;
        all.push(record.clone());
        self.save(all)?;
        Ok((token, record))
    }

    /// Removes a token by id.
    pub fn revoke(&self, id: &str) -> Result<TokenRecord, TokenError> {
        let mut all = self.load()?;
        let Some(pos) = all.iter().position(|t| t.id == id) else {
            return Err(TokenError::UnknownId(id.to_string()));
        };
        let removed = all.remove(pos);
        self.save(all)?;
        Ok(removed)
    }
}

/// Finds the record of a presented token among `tokens`.
pub fn find<'a>(tokens: &'a [TokenRecord], presented: &str) -> Option<&'a TokenRecord> {
    let h = hash_token(presented.trim());
    tokens.iter().find(|t| ct_eq(&t.sha256, &h))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;

    #[test]
    fn create_find_revoke() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::new(dir.path());
        assert!(store.load().unwrap().is_empty());
        let (secret, rec) = store.create(Role::Reader, Tlp::Amber, Some("ci".into())).unwrap();
        assert!(secret.starts_with("spy_") && secret.len() == 68);
        let text = std::fs::read_to_string(store.path()).unwrap();
        assert!(!text.contains(&secret[4..]), "the secret must not be stored");
        let all = store.load().unwrap();
        assert_eq!(find(&all, &secret).map(|t| t.role), Some(Role::Reader));
        assert!(find(&all, "spy_00").is_none());
        store.revoke(&rec.id).unwrap();
        assert!(find(&store.load().unwrap(), &secret).is_none());
        assert!(matches!(store.revoke(&rec.id), Err(TokenError::UnknownId(_))));
    }

    #[test]
    fn roles_are_ordered() {
        assert!(Role::Reader < Role::Analyst && Role::Analyst < Role::Admin);
        assert_eq!("Analyst".parse::<Role>(), Ok(Role::Analyst));
        assert!("root".parse::<Role>().is_err());
    }
}

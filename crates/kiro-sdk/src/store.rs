//! [`TokenStore`]: tokens kept between runs in a JSON file readable by its owner only
//! (mode 0600, written to a 0600 temporary file and renamed into place).

use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::DirBuilderExt;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::KiroError;

/// What the token file holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredTokens {
    pub access_token: String,
    pub refresh_token: Option<String>,
    pub expires_at: DateTime<Utc>,
}

/// A token file.
#[derive(Debug, Clone)]
pub struct TokenStore {
    path: PathBuf,
}

impl TokenStore {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes `tokens`, replacing the file; the file has mode 0600.
    pub fn save(&self, tokens: &StoredTokens) -> Result<(), KiroError> {
        let json = serde_json::to_vec_pretty(tokens).map_err(|e| storage(&self.path, &e))?;
        let tmp = self.path.with_extension("tmp");
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)
                .map_err(|e| storage(dir, &e))?;
        }
        let mut file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)
            .map_err(|e| storage(&tmp, &e))?;
        // An older temporary file may have kept looser permissions.
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(|e| storage(&tmp, &e))?;
        file.write_all(&json).map_err(|e| storage(&tmp, &e))?;
        file.sync_all().map_err(|e| storage(&tmp, &e))?;
        std::fs::rename(&tmp, &self.path).map_err(|e| storage(&self.path, &e))
    }

    /// The stored tokens; `None` when there is no file.
    pub fn load(&self) -> Result<Option<StoredTokens>, KiroError> {
        match std::fs::read(&self.path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| storage(&self.path, &e)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(storage(&self.path, &e)),
        }
    }

    /// Deletes the file (no error when it is already gone).
    pub fn clear(&self) -> Result<(), KiroError> {
        match std::fs::remove_file(&self.path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(storage(&self.path, &e)),
            _ => Ok(()),
        }
    }
}

fn storage(path: &Path, e: &dyn std::fmt::Display) -> KiroError {
    KiroError::Storage(format!("{}: {e}", path.display()))
}

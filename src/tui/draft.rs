//! Drafts: the intake form in progress, kept on disk so that a crash, a kill or a power cut loses
//! nothing that was typed.
//!
//! A save writes a temporary file next to the draft, flushes it to the disk, renames it over the
//! draft and flushes the directory: at every instant the draft file is either the old complete
//! draft or the new complete one. A torn temporary file is simply ignored on the next start.

use super::form::FormData;
use crate::app::RouteOverride;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    /// Format version, so a later kiosk can tell an old draft from a broken one.
    pub version: u32,
    pub saved_at: DateTime<FixedOffset>,
    /// Who was typing (staff number), shown when the draft is offered back.
    pub staff: Option<String>,
    pub form: FormData,
    pub route_override: Option<RouteOverride>,
}

pub const DRAFT_VERSION: u32 = 1;

#[derive(Debug, thiserror::Error)]
pub enum DraftError {
    #[error("draft file {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("draft file {path} is damaged: {message}")]
    Damaged { path: PathBuf, message: String },
}

#[derive(Debug, Clone)]
pub struct DraftStore {
    path: PathBuf,
}

impl DraftStore {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        DraftStore { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn temp_path(&self) -> PathBuf {
        let mut name = self
            .path
            .file_name()
            .map(|n| n.to_os_string())
            .unwrap_or_default();
        name.push(".tmp");
        self.path.with_file_name(name)
    }

    fn io(&self, source: io::Error) -> DraftError {
        DraftError::Io {
            path: self.path.clone(),
            source,
        }
    }

    pub fn save(&self, draft: &Draft) -> Result<(), DraftError> {
        let json = serde_json::to_vec_pretty(draft).map_err(|e| DraftError::Damaged {
            path: self.path.clone(),
            message: e.to_string(),
        })?;
        let dir = self
            .path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(dir).map_err(|e| self.io(e))?;
        let tmp = self.temp_path();
        {
            let mut f = File::create(&tmp).map_err(|e| self.io(e))?;
            f.write_all(&json).map_err(|e| self.io(e))?;
            f.sync_all().map_err(|e| self.io(e))?;
        }
        fs::rename(&tmp, &self.path).map_err(|e| self.io(e))?;
        // The rename itself must reach the disk too; not every platform can open a directory.
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }

    /// The saved draft, if there is one. A damaged file is reported (and left in place for a
    /// person to look at) rather than silently dropped.
    pub fn load(&self) -> Result<Option<Draft>, DraftError> {
        let bytes = match fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(self.io(e)),
        };
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| DraftError::Damaged {
                path: self.path.clone(),
                message: e.to_string(),
            })
    }

    /// Removes the draft after the case was submitted or the clerk chose not to restore it.
    pub fn discard(&self) -> Result<(), DraftError> {
        for p in [self.path.clone(), self.temp_path()] {
            match fs::remove_file(&p) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(self.io(e)),
            }
        }
        Ok(())
    }
}

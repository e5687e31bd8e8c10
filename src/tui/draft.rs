//! Drafts: the intake form in progress, kept on disk so that a crash, a kill or a power cut loses
//! nothing that was typed.
//!
//! A draft belongs to the clerk who typed it: one file per window and staff member
//! (`drafts/w1-1001.json`, 0600 in a 0700 folder), offered back only to that clerk when they sign
//! in, deleted when the case is submitted, and deleted after `data.draft_keep_days` if nobody
//! comes back for it.
//!
//! A save writes a temporary file next to the draft, flushes it to the disk, renames it over the
//! draft and flushes the directory: at every instant the draft file is either the old complete
//! draft or the new complete one. A torn temporary file is simply ignored on the next start.

use super::form::FormData;
use crate::app::RouteOverride;
use crate::config::files;
use crate::domain::{StaffNo, WindowNo};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

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
        files::with_suffix(&self.path, ".tmp")
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
        files::write_private(&self.path, &json).map_err(|e| self.io(e))
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

/// The clerks' drafts at one window: a private folder with one file per staff member.
#[derive(Debug, Clone)]
pub struct Drafts {
    dir: PathBuf,
    window: WindowNo,
}

impl Drafts {
    pub fn new(dir: impl Into<PathBuf>, window: WindowNo) -> Drafts {
        Drafts {
            dir: dir.into(),
            window,
        }
    }

    /// The draft file of one clerk at this window. A staff number that is not a plain file name
    /// is written in hex, so no number can reach outside the folder or another clerk's file.
    pub fn of(&self, staff: &StaffNo) -> DraftStore {
        let code = staff.as_str();
        let plain = !code.is_empty()
            && code.len() <= 32
            && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        let name = if plain {
            code.to_string()
        } else {
            let hex: String = code.bytes().map(|b| format!("{b:02x}")).collect();
            // `-` never appears in a plain number, so the two forms cannot meet.
            format!("x-{hex}")
        };
        DraftStore::new(self.dir.join(format!("w{}-{name}.json", self.window.0)))
    }

    /// The draft `staff` left here, if any. A file holding another clerk's draft (copied in by
    /// hand) is not offered.
    pub fn load(&self, staff: &StaffNo) -> Result<Option<Draft>, DraftError> {
        Ok(self
            .of(staff)
            .load()?
            .filter(|d| d.staff.as_deref() == Some(staff.as_str())))
    }

    /// Saves a draft in its clerk's file; a draft typed by nobody signed in is not kept.
    pub fn save(&self, draft: &Draft) -> Result<(), DraftError> {
        match &draft.staff {
            Some(staff) => self.of(&StaffNo(staff.clone())).save(draft),
            None => Ok(()),
        }
    }

    /// Deletes the drafts (of any window and clerk) last saved more than `keep_days` days
    /// before `now`, and damaged copies as old; returns how many.
    pub fn prune(&self, keep_days: u32, now: SystemTime) -> io::Result<usize> {
        let before = now
            .checked_sub(Duration::from_secs(u64::from(keep_days) * 86_400))
            .unwrap_or(SystemTime::UNIX_EPOCH);
        files::prune(&self.dir, before, is_draft_file)
    }
}

/// A file the drafts folder holds: `wN-CODE.json`, its temporary and damaged copies.
fn is_draft_file(name: &str) -> bool {
    let stem = [".json", ".json.tmp", ".damaged"]
        .iter()
        .find_map(|ext| name.strip_suffix(ext));
    stem.and_then(|s| s.strip_prefix('w'))
        .and_then(|s| s.split_once('-'))
        .is_some_and(|(n, code)| {
            !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) && !code.is_empty()
        })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn each_clerk_has_a_file_no_number_escapes_the_folder() {
        let d = Drafts::new("/x/drafts", WindowNo(2));
        assert_eq!(
            d.of(&StaffNo("1001".into())).path(),
            Path::new("/x/drafts/w2-1001.json")
        );
        for odd in ["../1001", "a/b", "", "王", "1001.json"] {
            let p = d.of(&StaffNo(odd.into())).path().to_path_buf();
            assert_eq!(p.parent(), Some(Path::new("/x/drafts")), "{odd}");
            assert!(is_draft_file(&p.file_name().unwrap().to_string_lossy()));
        }
        assert_ne!(
            d.of(&StaffNo("ab".into())).path(),
            d.of(&StaffNo("AB".into())).path()
        );
        assert_ne!(
            d.of(&StaffNo("..".into())).path(),
            d.of(&StaffNo("x2e2e".into())).path()
        );
        assert!(is_draft_file("w1-1001.json.tmp"));
        assert!(is_draft_file("w1-1001.damaged"));
        assert!(!is_draft_file("notes.json"));
        assert!(!is_draft_file("onewindow.db"));
    }
}

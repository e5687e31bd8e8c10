//! Printer profiles: one TOML file per model in `printer-profiles/`.
//!
//! Field names follow the public escpos-printer-db profiles where they exist (`name`, `vendor`,
//! `notes`, `features.paperFullCut`, `fonts.0.columns`, `media.width.pixels`, `codePages`), so a
//! site can copy its model's entry from there. `[chinese]`, `[status]` and `[raster]` are ours.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// The file stem (`xprinter-xp58`); set by the loader.
    #[serde(skip)]
    pub id: String,
    pub name: String,
    pub vendor: String,
    #[serde(default)]
    pub notes: String,
    pub features: Features,
    pub fonts: BTreeMap<String, FontInfo>,
    pub media: Media,
    #[serde(default, rename = "codePages")]
    pub code_pages: BTreeMap<String, String>,
    pub chinese: Chinese,
    pub status: StatusSupport,
    #[serde(default)]
    pub raster: RasterSettings,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Features {
    #[serde(default)]
    pub paper_full_cut: bool,
    #[serde(default)]
    pub paper_part_cut: bool,
    #[serde(default)]
    pub qr_code: bool,
    #[serde(default)]
    pub bit_image_raster: bool,
    /// GS k m=73 (CODE128).
    #[serde(default)]
    pub barcode_b: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FontInfo {
    pub name: String,
    pub columns: usize,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Media {
    pub dpi: u32,
    pub width: MediaWidth,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MediaWidth {
    pub mm: f32,
    pub pixels: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChineseEncoding {
    /// GB 2312 only (6 763 characters): rarer name characters go to the raster path.
    Gb2312,
    /// The full two-byte GBK set. Never GB18030's four-byte forms.
    Gbk,
    /// No Chinese font (Epson TM-T88 class): all Chinese goes to the raster path.
    None,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Chinese {
    pub encoding: ChineseEncoding,
    /// Whether the printer powers up in Chinese mode (documentation; we always set the mode).
    #[serde(default)]
    pub mode_default: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusSupport {
    /// Answers DLE EOT 1/2/4 over a two-way transport.
    pub dle_eot: bool,
    /// How fast the printer takes a job in, in bytes a second (its link or, once its buffer is
    /// full, its print speed). The answer that confirms a job comes after the job's last byte,
    /// so the wait for it grows with the job's size over this speed.
    #[serde(default = "default_link_speed")]
    pub link_bytes_per_sec: u32,
}

/// A slow raster printer takes about 25 KB/s; assume a little slower, so a long job is never
/// declared unconfirmed while it is still going in.
fn default_link_speed() -> u32 {
    20_000
}

impl StatusSupport {
    /// How long to wait for the first status answer after a job of `bytes`: the normal status
    /// wait plus twice the time the job takes to go in.
    pub fn confirm_wait(
        &self,
        bytes: usize,
        status_wait: std::time::Duration,
    ) -> std::time::Duration {
        let speed = u64::from(self.link_bytes_per_sec.max(1));
        let ms = u64::try_from(bytes)
            .unwrap_or(u64::MAX)
            .saturating_mul(2000)
            / speed;
        status_wait.saturating_add(std::time::Duration::from_millis(ms))
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RasterSettings {
    /// Largest band of one `GS v 0` command, in rows (printers' input buffers differ).
    pub band_rows: usize,
}

impl Default for RasterSettings {
    fn default() -> Self {
        RasterSettings { band_rows: 24 }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error("printer profile {file}: {message}")]
    Invalid { file: String, message: String },
    #[error("no printer profile named {0:?} (known: {1})")]
    Unknown(String, String),
    #[error("reading printer profiles in {0}: {1}")]
    Io(PathBuf, std::io::Error),
}

/// Profiles shipped with the program; files in the profile folder replace or add to them.
const BUILTIN: &[(&str, &str)] = &[
    (
        "generic-58",
        include_str!("../../printer-profiles/generic-58.toml"),
    ),
    (
        "generic-80",
        include_str!("../../printer-profiles/generic-80.toml"),
    ),
    (
        "epson-tm-t88",
        include_str!("../../printer-profiles/epson-tm-t88.toml"),
    ),
    (
        "xprinter-xp58",
        include_str!("../../printer-profiles/xprinter-xp58.toml"),
    ),
    (
        "xprinter-xp80",
        include_str!("../../printer-profiles/xprinter-xp80.toml"),
    ),
    (
        "gprinter-gp80",
        include_str!("../../printer-profiles/gprinter-gp80.toml"),
    ),
    (
        "sunmi-58",
        include_str!("../../printer-profiles/sunmi-58.toml"),
    ),
];

impl Profile {
    pub fn parse(id: &str, file: &str, text: &str) -> Result<Profile, ProfileError> {
        let invalid = |message: String| ProfileError::Invalid {
            file: file.to_string(),
            message,
        };
        let mut p: Profile = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
        p.id = id.to_string();
        let cols = p.columns();
        if !(16..=64).contains(&cols) {
            return Err(invalid(format!(
                "fonts.0.columns = {cols}: expected 16–64 (58 mm: 32, 80 mm: 48)"
            )));
        }
        if !p.media.width.pixels.is_multiple_of(8) || p.media.width.pixels < cols * 12 {
            return Err(invalid(format!(
                "media.width.pixels = {} must be a multiple of 8 and hold {cols} columns of 12 dots",
                p.media.width.pixels
            )));
        }
        if !(24..=256).contains(&p.raster.band_rows) {
            return Err(invalid("raster.band_rows must be 24–256".to_string()));
        }
        Ok(p)
    }

    /// Font A columns: what the layout wraps to.
    pub fn columns(&self) -> usize {
        self.fonts.get("0").map(|f| f.columns).unwrap_or(0)
    }

    pub fn builtin(id: &str) -> Result<Profile, ProfileError> {
        let (_, text) = BUILTIN
            .iter()
            .find(|(i, _)| *i == id)
            .ok_or_else(|| ProfileError::Unknown(id.to_string(), builtin_ids().join(", ")))?;
        Profile::parse(id, &format!("printer-profiles/{id}.toml"), text)
    }

    pub fn all_builtin() -> Result<Vec<Profile>, ProfileError> {
        BUILTIN.iter().map(|(id, _)| Profile::builtin(id)).collect()
    }

    /// Loads `id` from `dir` (`dir/ID.toml`) when the file exists, else the built-in profile.
    pub fn load(dir: Option<&Path>, id: &str) -> Result<Profile, ProfileError> {
        if let Some(dir) = dir {
            let path = dir.join(format!("{id}.toml"));
            if path.exists() {
                let text = crate::config::files::read_capped_text(
                    &path,
                    crate::config::files::MAX_CONFIG_BYTES,
                )
                .map_err(|e| ProfileError::Io(path.clone(), e))?;
                return Profile::parse(id, &path.display().to_string(), &text);
            }
        }
        Profile::builtin(id)
    }

    pub fn can_cut(&self) -> bool {
        self.features.paper_part_cut || self.features.paper_full_cut
    }
}

pub fn builtin_ids() -> Vec<&'static str> {
    BUILTIN.iter().map(|(id, _)| *id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_profiles_load_with_the_stated_columns() {
        let cols = |id: &str| Profile::builtin(id).expect(id).columns();
        assert_eq!(cols("generic-58"), 32);
        assert_eq!(cols("generic-80"), 48);
        assert_eq!(cols("epson-tm-t88"), 42);
        assert_eq!(cols("sunmi-58"), 32);
        assert_eq!(Profile::all_builtin().expect("all").len(), 7);
        assert!(!Profile::builtin("sunmi-58").expect("sunmi").can_cut());
        assert_eq!(
            Profile::builtin("epson-tm-t88")
                .expect("epson")
                .chinese
                .encoding,
            ChineseEncoding::None
        );
    }

    #[test]
    fn a_bad_profile_names_its_file() {
        let e = Profile::parse("x", "printer-profiles/x.toml", "name = 1").expect_err("bad");
        assert!(e.to_string().contains("printer-profiles/x.toml"), "{e}");
    }
}

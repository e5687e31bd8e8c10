//! `onewindow classify FILE [--at RFC3339]`: validates and classifies one intake file and prints
//! the decision as one JSON object (§7).
//!
//! Exit 0 with the JSON for every record, routed or blocked; exit 2, with `FILE:LINE:COLUMN` on
//! stderr and nothing on stdout, only for a file that is not TOML/JSON at all, cannot be read, a
//! bad `[site]` table (configuration) or a bad `--at`. It writes nothing but its output: no log
//! file, so a long run of checks leaves no trace in the working directory.

use crate::app::intake::read_intake_file;
use crate::config::{self, Config};
use crate::domain::{Decision, Lang, SiteSettings, china_time};
use crate::i18n::{cli::Strings, fill};
use chrono::{DateTime, FixedOffset, Utc};
use std::io::Write;
use std::path::Path;

/// Exit status for a file that is not an intake file at all, a bad `[site]` or a bad `--at`.
pub const EXIT_UNREADABLE: u8 = 2;

/// Runs the command; returns the process exit status.
pub fn run(
    config: &Config,
    file: &Path,
    at: Option<&str>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    match decide(&config.site, file, at, config.lang) {
        Ok(decision) => {
            // A closed stdout (`| head`) is not worth a panic; the status says it failed.
            if writeln!(out, "{}", to_json(&decision)).is_err() || out.flush().is_err() {
                return 1;
            }
            0
        }
        Err(message) => {
            let _ = writeln!(err, "onewindow: {}", printable(&message));
            EXIT_UNREADABLE
        }
    }
}

/// The decision for a file, or the message for stderr.
pub fn decide(
    site: &SiteSettings,
    file: &Path,
    at: Option<&str>,
    lang: Lang,
) -> Result<Decision, String> {
    let at = intake_time(at, lang)?;
    let parsed = read_intake_file(file).map_err(|e| e.to_string())?;
    let mut site = site.clone();
    if let Some(t) = &parsed.site {
        // What-if settings for this one decision; nothing is stored. Files are another matter:
        // every path comes from the configuration, never from a file a caller hands in.
        if t.holiday_calendars.is_some() {
            return Err(fill(
                Strings::get(lang).classify_no_calendars,
                &[("file", &file.display().to_string())],
            ));
        }
        let base = file.parent().unwrap_or(Path::new("."));
        let origin = format!("{} [site]", file.display());
        config::apply_site_table(&mut site, t, &origin, base).map_err(|e| e.to_string())?;
    }
    Ok(parsed.classify(&site, at))
}

/// `--at` (RFC 3339, any offset) or now, as a time in China: the intake date is the date in China
/// of that instant (§2).
pub fn intake_time(at: Option<&str>, lang: Lang) -> Result<DateTime<FixedOffset>, String> {
    match at {
        None => Ok(Utc::now().with_timezone(&china_time())),
        Some(s) => DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&china_time()))
            .map_err(|e| {
                fill(
                    Strings::get(lang).classify_bad_at,
                    &[("at", s), ("error", &e.to_string())],
                )
            }),
    }
}

/// The decision as pretty JSON. serde_json escapes C0 controls but writes DEL and C1 controls
/// as they are; they are escaped too, so no text reaches a terminal as a control byte.
pub fn to_json(decision: &Decision) -> String {
    // A Decision is plain data (strings, enums, dates): serialising it cannot fail, but if it
    // ever did, a JSON error object is still one JSON object.
    let json = serde_json::to_string_pretty(decision)
        .unwrap_or_else(|e| serde_json::json!({ "error": e.to_string() }).to_string());
    escape_controls(&json)
}

/// Control characters other than the newlines between JSON lines, as `\uXXXX` escapes. Outside
/// strings pretty JSON has only newlines and spaces, so every other one is inside a string,
/// where the escape means the same character.
fn escape_controls(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if c.is_control() && c != '\n' {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// A message for the terminal: control characters shown as escapes.
fn printable(message: &str) -> String {
    message
        .chars()
        .map(|c| {
            if c.is_control() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn del_and_c1_controls_are_escaped_in_the_json() {
        let json = escape_controls("{\n  \"a\": \"x\u{7f}y\u{9b}z\"\n}");
        assert_eq!(json, "{\n  \"a\": \"x\\u007fy\\u009bz\"\n}");
        let v: serde_json::Value = serde_json::from_str(&json).expect("still JSON");
        assert_eq!(v["a"], "x\u{7f}y\u{9b}z", "the same text");
    }

    #[test]
    fn messages_for_the_terminal_have_no_control_characters() {
        let m = printable("a.toml\u{1b}[2J: bad\u{9b}");
        assert!(!m.chars().any(char::is_control), "{m}");
    }

    /// §2: the intake date is the date in China of the instant, whatever its offset.
    fn intake_time_en(at: Option<&str>) -> Result<DateTime<FixedOffset>, String> {
        intake_time(at, Lang::En)
    }

    #[test]
    fn the_intake_date_is_the_date_in_china() {
        let at = intake_time_en(Some("2025-03-10T17:30:00Z")).expect("time");
        assert_eq!(at.date_naive().to_string(), "2025-03-11");
        let at = intake_time_en(Some("2025-03-10T23:59:00+09:00")).expect("time");
        assert_eq!(at.date_naive().to_string(), "2025-03-10");
        let at = intake_time_en(Some("2025-03-10T10:00:00-05:00")).expect("time");
        assert_eq!(at.date_naive().to_string(), "2025-03-10");
        let at = intake_time_en(Some("2025-03-10T11:00:00-05:00")).expect("time");
        assert_eq!(at.date_naive().to_string(), "2025-03-11");
        assert!(intake_time_en(Some("2025-03-10")).is_err());
    }
}

//! The scriptable commands: `intake`, `queue …`, `case show` and `db …` on the database (this
//! branch), `print …` on paper. The storage ones each have a clap `Args`/`Subcommand` type and
//! `run(&Config, args)` for `main` to wire; they print human text, or one JSON value with
//! `--json`.

pub mod auth;
pub mod case;
pub mod classify;
pub mod db;
pub mod display;
pub mod followup;
pub mod intake;
pub mod print;
pub mod queue;
pub mod report;
pub mod supervisor;

use crate::domain::Lang;
use crate::i18n::{cli::Strings, fill};
use anyhow::Context;
use chrono::{DateTime, Utc};

/// What a command produced: shown as text, or as JSON with `--json`.
#[derive(Debug, Clone)]
pub struct Output {
    pub text: String,
    pub json: serde_json::Value,
}

impl Output {
    /// Writes the text, or the JSON with `json`. A reader that stops early (`| head`) ends
    /// the output quietly: a closed pipe is no error of ours and must not panic as `println!`
    /// does.
    pub fn print(&self, json: bool) -> anyhow::Result<()> {
        use std::io::Write;
        let text = if json {
            serde_json::to_string_pretty(&self.json)?
        } else {
            self.text.trim_end().to_string()
        };
        let mut out = std::io::stdout().lock();
        match writeln!(out, "{text}").and_then(|()| out.flush()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            r => Ok(r?),
        }
    }
}

/// `--at` as given (RFC 3339), or now; a bad time is told in `lang`.
pub fn instant(at: Option<&str>, lang: Lang) -> anyhow::Result<DateTime<Utc>> {
    match at {
        None => Ok(Utc::now()),
        Some(s) => Ok(DateTime::parse_from_rfc3339(s)
            .with_context(|| fill(Strings::get(lang).at_not_rfc3339, &[("at", s)]))?
            .with_timezone(&Utc)),
    }
}

/// `text` padded with spaces to `width` terminal columns (a Chinese character takes two), so the
/// columns of a table of labels line up in either language.
pub fn pad(text: &str, width: usize) -> String {
    let w = unicode_width::UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(w)))
}

/// [`pad`] on the left, for the heading of a column of numbers.
pub fn lpad(text: &str, width: usize) -> String {
    let w = unicode_width::UnicodeWidthStr::width(text);
    format!("{}{text}", " ".repeat(width.saturating_sub(w)))
}

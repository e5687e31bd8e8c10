//! Reading intake files (TOML or JSON) for `classify` and imports. A file that cannot be read or
//! parsed is reported with its path, line, column and the field path.

use crate::config::SiteTable;
use crate::domain::{Applicant, Counterparty, Dispute, Employment, IntakeRecord};
use serde::Deserialize;
use std::path::Path;

/// An intake record with the optional `[site]` table that overrides site settings for one run.
#[derive(Debug, Clone, Default)]
pub struct IntakeFile {
    pub record: IntakeRecord,
    pub site: Option<SiteTable>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Shape {
    #[serde(default)]
    applicant: Applicant,
    #[serde(default)]
    counterparty: Counterparty,
    #[serde(default)]
    employment: Employment,
    #[serde(default)]
    dispute: Dispute,
    site: Option<SiteTable>,
}

#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: {field}{message}")]
    Parse {
        path: String,
        line: usize,
        column: usize,
        /// `applicant.name: ` or empty when the problem is not inside a field.
        field: String,
        message: String,
    },
}

pub fn read_intake_file(path: &Path) -> Result<IntakeFile, InputError> {
    let text = std::fs::read_to_string(path).map_err(|source| InputError::Read {
        path: path.display().to_string(),
        source,
    })?;
    parse_intake(&path.display().to_string(), &text, is_json(path, &text))
}

fn is_json(path: &Path, text: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        || text.trim_start().starts_with('{')
}

fn field_prefix(path: &serde_path_to_error::Path) -> String {
    let p = path.to_string();
    if p == "." || p.is_empty() {
        String::new()
    } else {
        format!("{p}: ")
    }
}

/// Parses an intake file's text; `origin` names it in errors.
pub fn parse_intake(origin: &str, text: &str, json: bool) -> Result<IntakeFile, InputError> {
    let shape: Shape = if json {
        let mut de = serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let field = field_prefix(e.path());
            let inner = e.into_inner();
            InputError::Parse {
                path: origin.to_string(),
                line: inner.line(),
                column: inner.column(),
                field,
                message: strip_position(&inner.to_string()),
            }
        })?
    } else {
        from_toml(origin, text)?
    };
    Ok(IntakeFile {
        record: IntakeRecord {
            applicant: shape.applicant,
            counterparty: shape.counterparty,
            employment: shape.employment,
            dispute: shape.dispute,
        },
        site: shape.site,
    })
}

/// Deserialises TOML text, naming the line, column and field path of a problem.
pub fn from_toml<T: serde::de::DeserializeOwned>(
    origin: &str,
    text: &str,
) -> Result<T, InputError> {
    let de = toml::Deserializer::parse(text).map_err(|e| toml_error(origin, text, "", &e))?;
    serde_path_to_error::deserialize(de).map_err(|e| {
        let field = field_prefix(e.path());
        toml_error(origin, text, &field, e.inner())
    })
}

fn toml_error(origin: &str, text: &str, field: &str, e: &toml::de::Error) -> InputError {
    let (line, column) = e.span().map_or((0, 0), |s| line_col(text, s.start));
    InputError::Parse {
        path: origin.to_string(),
        line,
        column,
        field: field.to_string(),
        message: e.message().trim().to_string(),
    }
}

/// serde_json appends " at line L column C"; we print the position in front instead.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_field_is_named_with_its_line() {
        let text = "[applicant]\nname = \"张三\"\nphon = \"13812345678\"\n";
        let e = parse_intake("x.toml", text, false).expect_err("misspelt field");
        let msg = e.to_string();
        assert!(msg.starts_with("x.toml:3:"), "{msg}");
        assert!(msg.contains("phon"), "{msg}");
    }

    #[test]
    fn json_errors_name_the_field_path() {
        let text = r#"{"dispute": {"categories": ["LD77"]}}"#;
        let e = parse_intake("x.json", text, true).expect_err("unknown category");
        let msg = e.to_string();
        assert!(msg.contains("dispute.categories[0]"), "{msg}");
        assert!(msg.starts_with("x.json:1:"), "{msg}");
    }

    #[test]
    fn toml_type_errors_name_the_field_path() {
        let text = "[dispute]\nworkers_involved = \"many\"\n";
        let msg = parse_intake("x.toml", text, false)
            .expect_err("type")
            .to_string();
        assert!(msg.contains("dispute.workers_involved"), "{msg}");
        assert!(msg.starts_with("x.toml:2:"), "{msg}");
    }
}

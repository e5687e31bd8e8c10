//! Reading intake files (TOML or JSON) for `classify`, `intake` and imports (§2): from the
//! file's bytes to the record, with no I/O (the caller reads the file).
//!
//! Only a file that is not TOML or JSON at all (or cannot be read) is an error here, named with
//! `FILE:LINE:COLUMN`: invalid UTF-8, a syntax error, a nesting deeper than the parsers allow.
//! Everything else is read field by field ([`record`]): unknown fields, unknown values and wrong
//! types are problems in the result, reported with every validation problem. The optional
//! `[site]` table is configuration: a bad value there is an error with its position, like a bad
//! configuration file.

pub mod record;

use super::site::SiteTable;
use super::{Decision, IntakeRecord, Problem, SiteSettings};
use chrono::{DateTime, FixedOffset};
use record::Node;
use serde::Deserialize;
use std::path::Path;

/// An intake record with the optional `[site]` table that overrides site settings for one run,
/// and the problems found while reading the record.
#[derive(Debug, Clone, Default)]
pub struct IntakeFile {
    pub record: IntakeRecord,
    pub site: Option<SiteTable>,
    /// `unknown_field`, `unknown_value`, `wrong_type` at their field paths.
    pub problems: Vec<Problem>,
}

impl IntakeFile {
    /// Validates and classifies the record; the reading problems block it like any error.
    pub fn classify(&self, site: &SiteSettings, intake_at: DateTime<FixedOffset>) -> Decision {
        super::classify_read(&self.record, &self.problems, site, intake_at)
    }
}

/// Only the `[site]` table, read with serde so its errors carry their position; every other key
/// is the record's and is read by [`record::read_record`].
#[derive(Deserialize)]
struct SiteOnly {
    #[serde(default)]
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
        /// `site.code: ` or empty when the problem is not inside a field.
        field: String,
        message: String,
    },
}

/// Reads an intake file's bytes; `path` names it in errors and says JSON by its extension.
pub fn parse_intake_bytes(path: &Path, bytes: &[u8]) -> Result<IntakeFile, InputError> {
    let origin = path.display().to_string();
    let text = utf8(&origin, bytes)?;
    parse_intake(&origin, text, is_json(path, text))
}

/// The text of a file, or the line and column of its first byte that is not UTF-8.
pub fn utf8<'a>(origin: &str, bytes: &'a [u8]) -> Result<&'a str, InputError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        // The prefix up to valid_up_to is UTF-8 by definition.
        let before = std::str::from_utf8(valid).unwrap_or_default();
        let (line, column) = line_col(before, before.len());
        InputError::Parse {
            path: origin.to_string(),
            line,
            column,
            field: String::new(),
            message: "not UTF-8 text (save the file as UTF-8)".to_string(),
        }
    })
}

fn is_json(path: &Path, text: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        || without_bom(text).trim_start().starts_with('{')
}

/// Editors on Windows often save UTF-8 with a byte-order mark; it is not part of the content.
fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
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
    let text = without_bom(text);
    let (root, site) = if json {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| json_error(origin, text, "", &e))?;
        let site = if value.get("site").is_some() {
            let mut de = serde_json::Deserializer::from_str(text);
            let only: SiteOnly = serde_path_to_error::deserialize(&mut de).map_err(|e| {
                let field = field_prefix(e.path());
                json_error(origin, text, &field, e.inner())
            })?;
            only.site
        } else {
            None
        };
        (Node::from(value), site)
    } else {
        let table: toml::Table =
            toml::from_str(text).map_err(|e| toml_error(origin, text, "", &e))?;
        let site = if table.contains_key("site") {
            from_toml::<SiteOnly>(origin, text)?.site
        } else {
            None
        };
        (Node::from(toml::Value::Table(table)), site)
    };
    let root = match root {
        Node::Table(entries) => {
            Node::Table(entries.into_iter().filter(|(k, _)| k != "site").collect())
        }
        other => other,
    };
    let (record, problems) = record::read_record(root);
    Ok(IntakeFile {
        record,
        site,
        problems,
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
    // The TOML parser gives no position for a key nested deeper than it allows; find that key.
    let offset = e
        .span()
        .map(|s| s.start)
        .or_else(|| deepest_key(text))
        .unwrap_or(0);
    let (line, column) = line_col(text, offset);
    InputError::Parse {
        path: origin.to_string(),
        line,
        column,
        field: field.to_string(),
        message: e.message().trim().to_string(),
    }
}

/// The byte offset of the dotted key with the most parts (`a.b.c…` in a table header or before
/// `=`): the only TOML error without a position is such a key past the parser's depth limit.
fn deepest_key(text: &str) -> Option<usize> {
    use toml_parser::parser::{Event, EventKind};
    let tokens = toml_parser::Source::new(text).lex().into_vec();
    let mut events: Vec<Event> = Vec::new();
    toml_parser::parser::parse_document(&tokens, &mut events, &mut ());
    let mut deepest: Option<(usize, usize)> = None;
    let mut current: Option<(usize, usize)> = None;
    for e in &events {
        match e.kind() {
            EventKind::SimpleKey => {
                let (start, parts) = current.unwrap_or((e.span().start(), 0));
                current = Some((start, parts + 1));
                if deepest.is_none_or(|(_, most)| parts + 1 > most) {
                    deepest = current;
                }
            }
            EventKind::KeySep | EventKind::Whitespace => {}
            _ => current = None,
        }
    }
    deepest.map(|(start, _)| start)
}

fn json_error(origin: &str, text: &str, field: &str, e: &serde_json::Error) -> InputError {
    let (line, column) = if e.line() == 0 {
        (1, 1)
    } else {
        (e.line(), char_column(text, e.line(), e.column()))
    };
    InputError::Parse {
        path: origin.to_string(),
        line,
        column,
        field: field.to_string(),
        message: strip_position(&e.to_string()),
    }
}

/// serde_json counts columns in bytes; people (and our TOML messages) count characters.
fn char_column(text: &str, line: usize, byte_column: usize) -> usize {
    let Some(l) = text.split('\n').nth(line.saturating_sub(1)) else {
        return byte_column.max(1);
    };
    let mut end = byte_column.min(l.len());
    while !l.is_char_boundary(end) {
        end -= 1;
    }
    l[..end].chars().count().max(1)
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
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str, json: bool) -> Vec<(String, String)> {
        parse_intake("x", text, json)
            .expect("parses")
            .problems
            .into_iter()
            .map(|p| (p.field, p.code))
            .collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(f, c)| (f.to_string(), c.to_string()))
            .collect()
    }

    #[test]
    fn unknown_fields_are_problems_at_their_path() {
        let text = "[applicant]\nname = \"张三\"\nphon = \"13812345678\"\n[extra]\na = 1\n";
        assert_eq!(
            problems(text, false),
            pairs(&[
                ("applicant.phon", "unknown_field"),
                ("extra", "unknown_field")
            ])
        );
    }

    #[test]
    fn unknown_values_are_problems_at_their_path() {
        let text = r#"{"dispute": {"categories": ["LD04", "LD77"], "claims": [{"category": "LD78"}]},
            "applicant": {"groups": ["migrant", "dispatched"]}}"#;
        assert_eq!(
            problems(text, true),
            pairs(&[
                ("applicant.groups[0]", "unknown_value"),
                ("dispute.categories[1]", "unknown_value"),
                ("dispute.claims[0].category", "unknown_value"),
            ])
        );
        let file = parse_intake("x", text, true).expect("parses");
        assert_eq!(
            file.record.dispute.categories,
            [crate::domain::Category::Ld04]
        );
        assert_eq!(
            file.record.applicant.groups,
            [crate::domain::Group::Dispatched]
        );
    }

    #[test]
    fn wrong_types_are_problems_at_their_path() {
        let text = "[dispute]\nworkers_involved = 10.0\ncommon_claim = \"yes\"\n\
            known_on = 20250301\nclaims = [5, {amount = true}]\ninjury = \"none\"\n\
            [applicant]\nname = 3\nguardian = [\"x\"]\n";
        assert_eq!(
            problems(text, false),
            pairs(&[
                ("applicant.name", "wrong_type"),
                ("applicant.guardian", "wrong_type"),
                ("dispute.claims[0]", "wrong_type"),
                ("dispute.claims[1].amount", "wrong_type"),
                ("dispute.known_on", "wrong_type"),
                ("dispute.workers_involved", "wrong_type"),
                ("dispute.common_claim", "wrong_type"),
                ("dispute.injury", "wrong_type"),
            ])
        );
    }

    #[test]
    fn json_null_is_a_wrong_type_not_absent() {
        let text = r#"{"counterparty": {"kind": null, "credit_code": null}}"#;
        assert_eq!(
            problems(text, true),
            pairs(&[
                ("counterparty.kind", "wrong_type"),
                ("counterparty.credit_code", "wrong_type"),
            ])
        );
    }

    #[test]
    fn codes_are_trimmed_and_empty_codes_are_absent() {
        let text = "[employment]\nstatus = \" ended\"\n[counterparty]\nindustry = \"  \"\n";
        let file = parse_intake("x", text, false).expect("parses");
        assert!(file.problems.is_empty(), "{:?}", file.problems);
        assert_eq!(
            file.record.employment.status,
            Some(crate::domain::EmploymentStatus::Ended)
        );
        assert_eq!(file.record.counterparty.industry, None);
    }

    #[test]
    fn toml_dates_and_numbers_are_read() {
        let text = "[dispute]\nknown_on = 2025-03-01\nworkers_involved = 12\n\
            [[dispute.claims]]\ncategory = \"LD04\"\namount = 1_000\n";
        let file = parse_intake("x", text, false).expect("parses");
        assert!(file.problems.is_empty(), "{:?}", file.problems);
        let d = &file.record.dispute;
        assert_eq!(
            d.known_on.as_ref().map(ToString::to_string).as_deref(),
            Some("2025-03-01")
        );
        assert_eq!(d.workers_involved, Some(12));
        assert_eq!(
            d.claims[0].amount.as_ref().and_then(|a| a.fen()),
            Some(crate::domain::Fen(100_000))
        );
    }

    #[test]
    fn the_site_table_is_configuration_with_its_position() {
        let text = "[applicant]\nname = \"张三\"\n[site]\nmajor_dispute_threshold = \"many\"\n";
        let msg = parse_intake("x.toml", text, false)
            .expect_err("bad site")
            .to_string();
        assert!(msg.starts_with("x.toml:4:"), "{msg}");
        assert!(msg.contains("site.major_dispute_threshold"), "{msg}");
        let text = "[site]\ncode = \"ZZ01\"\n";
        let file = parse_intake("x.toml", text, false).expect("parses");
        assert!(file.problems.is_empty(), "site is not a record field");
        assert_eq!(file.site.and_then(|s| s.code).as_deref(), Some("ZZ01"));
    }

    #[test]
    fn syntax_errors_name_line_and_column() {
        let msg = parse_intake("x.json", "{\n  \"a\": tru}", true)
            .expect_err("syntax")
            .to_string();
        assert!(msg.starts_with("x.json:2:"), "{msg}");
        // Columns count characters, not bytes.
        let msg = parse_intake("x.json", "{\"名字\": \"张\u{1}\"}", true)
            .expect_err("control")
            .to_string();
        assert!(msg.starts_with("x.json:1:10:"), "{msg}");
        let deep = format!("a = 1\n\n{} = 1\n", vec!["k"; 100].join("."));
        let msg = parse_intake("x.toml", &deep, false)
            .expect_err("too deep")
            .to_string();
        assert!(msg.starts_with("x.toml:3:1:"), "{msg}");
    }

    #[test]
    fn invalid_utf8_is_named_at_its_byte() {
        let e = utf8("x.toml", b"a = 1\nb = \"\xe5\x90\x8d\xff\"").expect_err("not UTF-8");
        assert!(e.to_string().starts_with("x.toml:2:7:"), "{e}");
    }

    #[test]
    fn a_byte_order_mark_is_not_content() {
        let file = parse_intake(
            "x.json",
            "\u{feff}{\"applicant\": {\"name\": \"张三\"}}",
            true,
        )
        .expect("parses");
        assert_eq!(file.record.applicant.name, "张三");
    }
}

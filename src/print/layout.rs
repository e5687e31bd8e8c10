//! Layout files (`layouts/*.layout`): a site edits them without recompiling.
//!
//! A layout is a MiniJinja template (placeholders `{{ v.case_no }}`, fixed sentences
//! `{{ t.free_notice }}`, `{% if %}`, `{% for %}`) whose rendered lines are either text
//! paragraphs or directives starting with `@`:
//!
//! | directive | effect |
//! |---|---|
//! | `@left` `@center` `@right` | alignment of the following lines |
//! | `@bold` `@nobold` | emphasis of the following lines |
//! | `@big` `@tall` `@normal` | double width and height / double height / normal size (and no bold) |
//! | `@sep [c]` | a separator line of `c` (default `-`) |
//! | `@qr DATA` | QR code |
//! | `@barcode DATA` | CODE128 barcode (ASCII) |
//! | `@feed [N]` | feed N lines (default 1) |
//! | `@cut` | cut the paper (a feed on printers without a cutter) |
//!
//! A value inserted from data can never start a directive or a new line: the formatter turns
//! line breaks and tabs into spaces, drops every other control character, and marks where each value begins, so only the layout's own text
//! can start with `@`. A layout naming an unknown field, using an unknown directive or with a
//! template syntax error is rejected with its file and line.

use super::document::{Align, Block, DocKind, Document, Size, Style};
use minijinja::syntax::SyntaxConfig;
use minijinja::{Environment, UndefinedBehavior, Value};
use serde::Serialize;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

/// Marks the start of every inserted value; stripped from the output. A private-use character that
/// data cannot contain because the formatter removes it from values first.
const VALUE_MARK: char = '\u{e000}';

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct LayoutError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

#[derive(Debug)]
pub struct Layout {
    pub name: String,
    pub file: String,
    pub kind: DocKind,
    env: Environment<'static>,
}

const DIRECTIVES: &[&str] = &[
    "left", "center", "right", "bold", "nobold", "big", "tall", "normal", "sep", "qr", "barcode",
    "feed", "cut",
];

/// Names a layout may use besides the view (`v.…`) and the strings (`t.…`).
const TEMPLATE_GLOBALS: &[&str] = &["loop", "range", "namespace", "dict", "debug"];

impl Layout {
    /// Parses and checks a layout. `known` holds every dotted path the context offers
    /// (`v.case_no`, `t.free_notice`, `v.reason.text`, …); see [`known_fields`].
    pub fn parse(
        kind: DocKind,
        file: &str,
        source: &str,
        known: &BTreeSet<String>,
    ) -> Result<Layout, LayoutError> {
        let err = |line: usize, message: String| LayoutError {
            file: file.to_string(),
            line,
            message,
        };
        // Directives are checked on the source, where the line numbers are the file's.
        for (i, line) in source.lines().enumerate() {
            let l = line.trim_start();
            if let Some(d) = l.strip_prefix('@') {
                check_directive(d).map_err(|m| err(i + 1, m))?;
            }
        }
        let mut env = Environment::new();
        let syntax = SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()
            .map_err(|e| err(0, e.to_string()))?;
        env.set_syntax(syntax);
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_formatter(|out, _state, value| {
            if value.is_none() || value.is_undefined() {
                return Ok(());
            }
            let text = match value.as_str() {
                Some(s) => s.to_string(),
                None => value.to_string(),
            };
            let clean: String = text
                .chars()
                .filter_map(|c| match c {
                    '\n' | '\r' | '\t' => Some(' '),
                    c if c.is_control() || c == VALUE_MARK => None,
                    c => Some(c),
                })
                .collect();
            out.write_char(VALUE_MARK)?;
            out.write_str(&clean)?;
            Ok(())
        });
        env.add_template_owned(file.to_string(), source.to_string())
            .map_err(|e| err(e.line().unwrap_or(0), template_message(&e)))?;
        let tmpl = env
            .get_template(file)
            .map_err(|e| err(e.line().unwrap_or(0), template_message(&e)))?;
        let mut unknown: Vec<String> = tmpl
            .undeclared_variables(true)
            .into_iter()
            .filter(|name| !is_known(name, known))
            .collect();
        unknown.sort();
        if let Some(name) = unknown.first() {
            return Err(err(
                line_of(source, name),
                format!("unknown field `{name}`"),
            ));
        }
        Ok(Layout {
            name: kind.code().to_string(),
            file: file.to_string(),
            kind,
            env,
        })
    }

    /// Renders the layout with `ctx` (a [`super::model::Context`]) into a document.
    pub fn render<C: Serialize>(&self, ctx: &C) -> Result<Document, LayoutError> {
        let err = |line: usize, message: String| LayoutError {
            file: self.file.clone(),
            line,
            message,
        };
        let tmpl = self
            .env
            .get_template(&self.file)
            .map_err(|e| err(e.line().unwrap_or(0), template_message(&e)))?;
        let text = tmpl
            .render(Value::from(minijinja::value::Serde(ctx)))
            .map_err(|e| err(e.line().unwrap_or(0), template_message(&e)))?;
        let mut doc = Document::new(self.kind);
        let mut style = Style::default();
        for line in text.lines() {
            let l = line.trim_start();
            if let Some(d) = l.strip_prefix('@') {
                let d: String = d.chars().filter(|c| *c != VALUE_MARK).collect();
                apply_directive(&d, &mut style, &mut doc)
                    .map_err(|m| err(0, format!("{m} (in rendered line {line:?})")))?;
            } else {
                let t: String = line.chars().filter(|c| *c != VALUE_MARK).collect();
                doc.text(t.trim_end(), style);
            }
        }
        Ok(doc)
    }
}

fn template_message(e: &minijinja::Error) -> String {
    match e.detail() {
        Some(d) => format!("{}: {d}", e.kind()),
        None => e.kind().to_string(),
    }
}

fn is_known(name: &str, known: &BTreeSet<String>) -> bool {
    if TEMPLATE_GLOBALS.contains(&name) {
        return true;
    }
    known.contains(name)
}

/// The first line that mentions `name` (or its last segment), for the error message.
fn line_of(source: &str, name: &str) -> usize {
    let last = name.rsplit('.').next().unwrap_or(name);
    source
        .lines()
        .position(|l| l.contains(name))
        .or_else(|| source.lines().position(|l| l.contains(last)))
        .map(|i| i + 1)
        .unwrap_or(0)
}

fn split_directive(d: &str) -> (&str, &str) {
    let d = d.trim();
    match d.split_once(char::is_whitespace) {
        Some((name, arg)) => (name, arg.trim()),
        None => (d, ""),
    }
}

fn check_directive(d: &str) -> Result<(), String> {
    let (name, arg) = split_directive(d);
    if !DIRECTIVES.contains(&name) {
        return Err(format!(
            "unknown directive `@{name}` (known: @{})",
            DIRECTIVES.join(" @")
        ));
    }
    let templated = arg.contains("{{");
    match name {
        "qr" | "barcode" if arg.is_empty() => Err(format!("`@{name}` needs the data to encode")),
        "feed" if !arg.is_empty() && !templated && arg.parse::<u8>().is_err() => {
            Err(format!("`@feed {arg}`: expected a number of lines 0–255"))
        }
        "sep" if !templated && arg.chars().count() > 1 => {
            Err(format!("`@sep {arg}`: expected one character"))
        }
        "left" | "center" | "right" | "bold" | "nobold" | "big" | "tall" | "normal" | "cut"
            if !arg.is_empty() =>
        {
            Err(format!("`@{name}` takes no argument"))
        }
        _ => Ok(()),
    }
}

fn apply_directive(d: &str, style: &mut Style, doc: &mut Document) -> Result<(), String> {
    check_directive(d)?;
    let (name, arg) = split_directive(d);
    match name {
        "left" => style.align = Align::Left,
        "center" => style.align = Align::Center,
        "right" => style.align = Align::Right,
        "bold" => style.bold = true,
        "nobold" => style.bold = false,
        "big" => style.size = Size::Double,
        "tall" => style.size = Size::Tall,
        "normal" => {
            style.size = Size::Normal;
            style.bold = false;
        }
        "sep" => doc.push(Block::Rule {
            ch: arg.chars().next().unwrap_or('-'),
        }),
        "qr" => doc.push(Block::Qr {
            data: arg.to_string(),
        }),
        "barcode" => doc.push(Block::Barcode {
            data: arg.to_string(),
        }),
        "feed" => doc.push(Block::Feed {
            lines: if arg.is_empty() {
                1
            } else {
                arg.parse::<u8>()
                    .map_err(|_| format!("`@feed {arg}`: expected a number of lines 0–255"))?
            },
        }),
        "cut" => doc.push(Block::Cut),
        _ => return Err(format!("unknown directive `@{name}`")),
    }
    Ok(())
}

/// Every dotted path a serialised value offers, prefixed by `prefix` (`v`, `t`); list items
/// contribute the list itself only (their fields are checked when rendered).
pub fn known_fields<T: Serialize>(prefix: &str, value: &T, out: &mut BTreeSet<String>) {
    let json = serde_json::to_value(value).unwrap_or(serde_json::Value::Null);
    collect(prefix, &json, out);
}

fn collect(path: &str, v: &serde_json::Value, out: &mut BTreeSet<String>) {
    out.insert(path.to_string());
    if let serde_json::Value::Object(map) = v {
        for (k, child) in map {
            collect(&format!("{path}.{k}"), child, out);
        }
    }
}

/// Reads `dir/NAME.layout` when it exists, else the layout shipped with the program.
pub fn load_source(
    dir: Option<&Path>,
    name: &str,
    builtin: &str,
) -> Result<(String, String), LayoutError> {
    if let Some(dir) = dir {
        let path = dir.join(format!("{name}.layout"));
        if path.exists() {
            let text = crate::config::files::read_capped_text(
                &path,
                crate::config::files::MAX_CONFIG_BYTES,
            )
            .map_err(|e| LayoutError {
                file: path.display().to_string(),
                line: 0,
                message: e.to_string(),
            })?;
            return Ok((path.display().to_string(), text));
        }
    }
    Ok((format!("layouts/{name}.layout"), builtin.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> BTreeSet<String> {
        ["v", "v.name", "v.items", "t", "t.title"]
            .into_iter()
            .map(String::from)
            .collect()
    }

    #[derive(Serialize)]
    struct V {
        name: String,
        items: Vec<String>,
    }
    #[derive(Serialize)]
    struct C {
        v: V,
        t: T,
    }
    #[derive(Serialize)]
    struct T {
        title: &'static str,
    }

    #[test]
    fn renders_directives_and_loops() {
        let src = "@center\n@big\n{{ t.title }}\n@normal\n@left\n{% for i in v.items %}\n· {{ i }}\n{% endfor %}\n@sep =\n@qr {{ v.name }}\n@feed 2\n@cut\n";
        let l = Layout::parse(DocKind::Test, "x.layout", src, &known()).expect("parse");
        let ctx = C {
            v: V {
                name: "@cut\n@feed 9".into(),
                items: vec!["a".into(), "@cut".into()],
            },
            t: T { title: "标题" },
        };
        let d = l.render(&ctx).expect("render");
        assert_eq!(
            d.blocks,
            vec![
                Block::Text {
                    text: "标题".into(),
                    style: Style {
                        align: Align::Center,
                        bold: false,
                        size: Size::Double
                    }
                },
                Block::Text {
                    text: "· a".into(),
                    style: Style::default()
                },
                Block::Text {
                    text: "· @cut".into(),
                    style: Style::default()
                },
                Block::Rule { ch: '=' },
                Block::Qr {
                    data: "@cut @feed 9".into()
                },
                Block::Feed { lines: 2 },
                Block::Cut,
            ]
        );
    }

    #[test]
    fn a_value_cannot_become_a_directive() {
        let l =
            Layout::parse(DocKind::Test, "x.layout", "{{ v.name }}\n", &known()).expect("parse");
        let ctx = C {
            v: V {
                name: "@cut\n@qr evil".into(),
                items: vec![],
            },
            t: T { title: "" },
        };
        let d = l.render(&ctx).expect("render");
        assert_eq!(d.blocks.len(), 1);
        assert!(matches!(&d.blocks[0], Block::Text { text, .. } if text == "@cut @qr evil"));
    }

    #[test]
    fn unknown_field_is_reported_with_file_and_line() {
        let e = Layout::parse(
            DocKind::Test,
            "layouts/r.layout",
            "@center\n{{ t.title }}\n{{ v.nmae }}\n",
            &known(),
        )
        .expect_err("unknown");
        assert_eq!(e.line, 3);
        assert_eq!(e.file, "layouts/r.layout");
        assert!(e.message.contains("v.nmae"), "{e}");
    }

    #[test]
    fn unknown_directive_and_syntax_errors_are_reported() {
        let e = Layout::parse(DocKind::Test, "a.layout", "x\n@bolt\n", &known())
            .expect_err("directive");
        assert_eq!((e.line, e.file.as_str()), (2, "a.layout"));
        let e = Layout::parse(
            DocKind::Test,
            "a.layout",
            "x\ny\n{% if v.name %}\nz\n",
            &known(),
        )
        .expect_err("syntax");
        assert!(e.line >= 3, "{e}");
        let e =
            Layout::parse(DocKind::Test, "a.layout", "@feed lots\n", &known()).expect_err("feed");
        assert_eq!(e.line, 1);
    }
}

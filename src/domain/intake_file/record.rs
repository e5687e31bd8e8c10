//! Reading an intake record from a parsed file, field by field (§2).
//!
//! The file is first parsed into a value tree ([`Node`]: only a syntax error ends the command).
//! The tree is then read into the one [`IntakeRecord`] type; what cannot be read is a problem at
//! its field path, reported in the `blocked` result with every validation problem:
//! `unknown_field` (a key §2 does not list), `unknown_value` (a code outside its list) and
//! `wrong_type` (a number where text belongs, a JSON `null`, a float for a count …). The value
//! is then absent from the record, so nothing is guessed.

use crate::domain::text::quote;
use crate::domain::{
    AgreementKind, AlreadyFiled, AmountInput, Applicant, Category, Claim, Code, Counterparty,
    CounterpartyKind, DateInput, Dispute, Employment, EmploymentStatus, Group, Guardian, Industry,
    Injury, IntakeRecord, PriorAgreement, Problem, Source, Unit,
};

/// A parsed TOML or JSON value, with the distinctions the reader needs (a TOML date is not text).
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
    /// A TOML date or date-time literal, as written.
    DateTime(String),
    List(Vec<Node>),
    Table(Vec<(String, Node)>),
}

impl From<toml::Value> for Node {
    fn from(v: toml::Value) -> Self {
        match v {
            toml::Value::String(s) => Node::Text(s),
            toml::Value::Integer(i) => Node::Int(i),
            toml::Value::Float(f) => Node::Float(f),
            toml::Value::Boolean(b) => Node::Bool(b),
            toml::Value::Datetime(d) => Node::DateTime(d.to_string()),
            toml::Value::Array(a) => Node::List(a.into_iter().map(Node::from).collect()),
            toml::Value::Table(t) => {
                Node::Table(t.into_iter().map(|(k, v)| (k, v.into())).collect())
            }
        }
    }
}

impl From<serde_json::Value> for Node {
    fn from(v: serde_json::Value) -> Self {
        use serde_json::Value as J;
        match v {
            J::Null => Node::Null,
            J::Bool(b) => Node::Bool(b),
            J::Number(n) => match (n.as_i64(), n.as_u64()) {
                (Some(i), _) => Node::Int(i),
                // A whole number beyond i64 is still a whole number; every field that takes one
                // has a bound far below this.
                (None, Some(_)) => Node::Int(i64::MAX),
                (None, None) => Node::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            J::String(s) => Node::Text(s),
            J::Array(a) => Node::List(a.into_iter().map(Node::from).collect()),
            J::Object(o) => Node::Table(o.into_iter().map(|(k, v)| (k, v.into())).collect()),
        }
    }
}

impl Node {
    /// What the value is, for a message.
    fn kind_zh(&self) -> &'static str {
        match self {
            Node::Null => "空值（null）",
            Node::Bool(_) => "是/否值",
            Node::Int(_) => "整数",
            Node::Float(_) => "小数",
            Node::Text(_) => "文字",
            Node::DateTime(_) => "日期时间",
            Node::List(_) => "列表",
            Node::Table(_) => "表",
        }
    }
}

/// What a field takes, for a message.
#[derive(Clone, Copy)]
enum Expected {
    Text,
    Bool,
    Count,
    Date,
    Amount,
    Code,
    List,
    Table,
}

impl Expected {
    fn zh(self) -> &'static str {
        match self {
            Expected::Text => "文字（加引号）",
            Expected::Bool => "是或否（true 或 false）",
            Expected::Count => "整数",
            Expected::Date => "日期（如\"2025-03-10\"）",
            Expected::Amount => "金额（数字，或如\"3,000.50\"的文字）",
            Expected::Code => "选项代码（文字）",
            Expected::List => "列表（[…]）",
            Expected::Table => "表（含下级字段）",
        }
    }
}

/// Reads the record from the root of a file (without its `[site]` table). The record comes back
/// normalised (§2) together with every problem found while reading it.
pub fn read_record(root: Node) -> (IntakeRecord, Vec<Problem>) {
    let mut r = Reader::default();
    let mut record = IntakeRecord::default();
    if let Some(mut t) = r.table(String::new(), root) {
        if let Some(a) = r.sub_table(&mut t, "applicant") {
            record.applicant = r.applicant(a);
        }
        if let Some(c) = r.sub_table(&mut t, "counterparty") {
            record.counterparty = r.counterparty(c);
        }
        if let Some(e) = r.sub_table(&mut t, "employment") {
            record.employment = r.employment(e);
        }
        if let Some(d) = r.sub_table(&mut t, "dispute") {
            record.dispute = r.dispute(d);
        }
        r.finish(t);
    }
    record.normalize();
    (record, r.problems)
}

/// The entries of a table not read yet, at a field path.
struct Table {
    path: String,
    entries: Vec<(String, Node)>,
}

impl Table {
    fn take(&mut self, key: &str) -> Option<(String, Node)> {
        let i = self.entries.iter().position(|(k, _)| k == key)?;
        let (k, node) = self.entries.remove(i);
        Some((join(&self.path, &k), node))
    }
}

/// `parent.key`, or `key` at the root.
fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

/// A key as a path segment: a key of letters, digits and `_` as it is, any other quoted and
/// escaped so a path stays one line of printable text however the key is spelt.
fn segment(key: &str) -> String {
    if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        key.to_string()
    } else {
        format!("[\"{}\"]", quote(key).replace('"', "\\\""))
    }
}

#[derive(Default)]
struct Reader {
    problems: Vec<Problem>,
}

impl Reader {
    fn problem(&mut self, field: &str, code: &str, message: String) {
        self.problems.push(Problem {
            field: field.to_string(),
            code: code.to_string(),
            message,
        });
    }

    fn wrong_type(&mut self, field: &str, expected: Expected, got: &Node) {
        self.problem(
            field,
            "wrong_type",
            format!("应填{}，这里是{}", expected.zh(), got.kind_zh()),
        );
    }

    fn table(&mut self, path: String, node: Node) -> Option<Table> {
        match node {
            Node::Table(entries) => Some(Table { path, entries }),
            other if path.is_empty() => {
                self.problem(
                    "",
                    "wrong_type",
                    format!(
                        "文件内容应为一个表（含 applicant、counterparty、employment、dispute），这里是{}",
                        other.kind_zh()
                    ),
                );
                None
            }
            other => {
                self.wrong_type(&path, Expected::Table, &other);
                None
            }
        }
    }

    fn sub_table(&mut self, t: &mut Table, key: &str) -> Option<Table> {
        let (path, node) = t.take(key)?;
        self.table(path, node)
    }

    /// Every key left unread is not a field of §2.
    fn finish(&mut self, t: Table) {
        for (key, _) in t.entries {
            let seg = segment(&key);
            let field = if t.path.is_empty() {
                seg
            } else if seg.starts_with('[') {
                format!("{}{seg}", t.path)
            } else {
                format!("{}.{seg}", t.path)
            };
            self.problem(
                &field,
                "unknown_field",
                format!("“{}”不是登记表的字段，请核对字段名", quote(&key)),
            );
        }
    }

    fn text(&mut self, t: &mut Table, key: &str) -> Option<String> {
        match t.take(key)? {
            (_, Node::Text(s)) => Some(s),
            (path, other) => {
                self.wrong_type(&path, Expected::Text, &other);
                None
            }
        }
    }

    fn flag(&mut self, t: &mut Table, key: &str) -> Option<bool> {
        match t.take(key)? {
            (_, Node::Bool(b)) => Some(b),
            (path, other) => {
                self.wrong_type(&path, Expected::Bool, &other);
                None
            }
        }
    }

    /// A count of people is a whole number: `10.0` is a wrong type, not ten (§2 issue 16).
    fn count(&mut self, t: &mut Table, key: &str) -> Option<i64> {
        match t.take(key)? {
            (_, Node::Int(i)) => Some(i),
            (path, other) => {
                self.wrong_type(&path, Expected::Count, &other);
                None
            }
        }
    }

    fn date(&mut self, t: &mut Table, key: &str) -> Option<DateInput> {
        match t.take(key)? {
            (_, Node::Text(s) | Node::DateTime(s)) => Some(DateInput::parse(&s)),
            (path, other) => {
                self.wrong_type(&path, Expected::Date, &other);
                None
            }
        }
    }

    fn amount(&mut self, t: &mut Table, key: &str) -> Option<AmountInput> {
        match t.take(key)? {
            (_, Node::Int(i)) => Some(AmountInput::from_int(i)),
            (_, Node::Float(f)) => Some(AmountInput::from_float(f)),
            (_, Node::Text(s)) => Some(AmountInput::parse(&s)),
            (path, other) => {
                self.wrong_type(&path, Expected::Amount, &other);
                None
            }
        }
    }

    /// A code from its list; surrounding whitespace is trimmed like any text, and a code empty
    /// after trimming is absent.
    fn code_at<C: Code>(&mut self, path: &str, node: Node) -> Option<C> {
        let Node::Text(s) = node else {
            self.wrong_type(path, Expected::Code, &node);
            return None;
        };
        let t = s.trim();
        if t.is_empty() {
            return None;
        }
        let found = C::from_code(t);
        if found.is_none() {
            let known: Vec<&str> = C::ALL.iter().map(|c| c.code()).collect();
            self.problem(
                path,
                "unknown_value",
                format!("“{}”不是可选的值；可选：{}", quote(t), known.join("、")),
            );
        }
        found
    }

    fn code<C: Code>(&mut self, t: &mut Table, key: &str) -> Option<C> {
        let (path, node) = t.take(key)?;
        self.code_at(&path, node)
    }

    /// The items of a list with their paths (`dispute.claims[0]`).
    fn list(&mut self, t: &mut Table, key: &str) -> Vec<(String, Node)> {
        match t.take(key) {
            None => vec![],
            Some((path, Node::List(items))) => items
                .into_iter()
                .enumerate()
                .map(|(i, n)| (format!("{path}[{i}]"), n))
                .collect(),
            Some((path, other)) => {
                self.wrong_type(&path, Expected::List, &other);
                vec![]
            }
        }
    }

    fn codes<C: Code>(&mut self, t: &mut Table, key: &str) -> Vec<C> {
        self.list(t, key)
            .into_iter()
            .filter_map(|(path, node)| self.code_at(&path, node))
            .collect()
    }

    fn applicant(&mut self, mut t: Table) -> Applicant {
        let a = Applicant {
            name: self.text(&mut t, "name").unwrap_or_default(),
            id_type: self.code(&mut t, "id_type").unwrap_or_default(),
            id_number: self.text(&mut t, "id_number").unwrap_or_default(),
            birth_date: self.date(&mut t, "birth_date"),
            phone: self.text(&mut t, "phone").unwrap_or_default(),
            groups: self.codes::<Group>(&mut t, "groups"),
            hardship: self.flag(&mut t, "hardship"),
            pension_before_hire: self.flag(&mut t, "pension_before_hire"),
            guardian: self.sub_table(&mut t, "guardian").map(|mut g| {
                let guardian = Guardian {
                    name: self.text(&mut g, "name").unwrap_or_default(),
                    phone: self.text(&mut g, "phone").unwrap_or_default(),
                };
                self.finish(g);
                guardian
            }),
        };
        self.finish(t);
        a
    }

    fn unit(&mut self, t: &mut Table, key: &str) -> Option<Unit> {
        let mut u = self.sub_table(t, key)?;
        let unit = Unit {
            name: self.text(&mut u, "name").unwrap_or_default(),
            credit_code: self.text(&mut u, "credit_code"),
        };
        self.finish(u);
        Some(unit)
    }

    fn counterparty(&mut self, mut t: Table) -> Counterparty {
        let c = Counterparty {
            kind: self
                .code::<CounterpartyKind>(&mut t, "kind")
                .unwrap_or_default(),
            name: self.text(&mut t, "name").unwrap_or_default(),
            credit_code: self.text(&mut t, "credit_code"),
            address: self.text(&mut t, "address"),
            region: self.text(&mut t, "region"),
            industry: self.code::<Industry>(&mut t, "industry"),
            dispatch_agency: self.unit(&mut t, "dispatch_agency"),
            general_contractor: self.unit(&mut t, "general_contractor"),
        };
        self.finish(t);
        c
    }

    fn employment(&mut self, mut t: Table) -> Employment {
        let e = Employment {
            status: self.code::<EmploymentStatus>(&mut t, "status"),
            started_on: self.date(&mut t, "started_on"),
            ended_on: self.date(&mut t, "ended_on"),
            written_contract: self.flag(&mut t, "written_contract"),
            work_region: self.text(&mut t, "work_region"),
        };
        self.finish(t);
        e
    }

    fn claim(&mut self, path: String, node: Node) -> Option<Claim> {
        let mut c = self.table(path, node)?;
        let claim = Claim {
            category: self.code::<Category>(&mut c, "category"),
            amount: self.amount(&mut c, "amount"),
            known_on: self.date(&mut c, "known_on"),
        };
        self.finish(c);
        Some(claim)
    }

    fn dispute(&mut self, mut t: Table) -> Dispute {
        let source = self.code::<Source>(&mut t, "source").unwrap_or_default();
        let categories = self.codes::<Category>(&mut t, "categories");
        // A claim that is not a table still takes its index, so later claims keep their paths.
        let claims = self
            .list(&mut t, "claims")
            .into_iter()
            .map(|(path, node)| {
                self.claim(path, node).unwrap_or(Claim {
                    category: None,
                    amount: None,
                    known_on: None,
                })
            })
            .collect();
        let d = Dispute {
            source,
            categories,
            claims,
            known_on: self.date(&mut t, "known_on"),
            last_interruption_on: self.date(&mut t, "last_interruption_on"),
            workers_involved: self.count(&mut t, "workers_involved"),
            common_claim: self.flag(&mut t, "common_claim"),
            unpaid_wages: self.flag(&mut t, "unpaid_wages"),
            social_insurance_arrears: self.flag(&mut t, "social_insurance_arrears"),
            iou: self.flag(&mut t, "iou"),
            wants_mediation: self.flag(&mut t, "wants_mediation"),
            already_filed: self
                .code::<AlreadyFiled>(&mut t, "already_filed")
                .unwrap_or_default(),
            prior_agreement: self.sub_table(&mut t, "prior_agreement").map(|mut p| {
                let agreement = PriorAgreement {
                    kind: self.code::<AgreementKind>(&mut p, "kind"),
                    effective_on: self.date(&mut p, "effective_on"),
                    performed: self.flag(&mut p, "performed"),
                };
                self.finish(p);
                agreement
            }),
            injury: self.sub_table(&mut t, "injury").map(|mut i| {
                let injury = Injury {
                    occurred_on: self.date(&mut i, "occurred_on"),
                    recognized: self.flag(&mut i, "recognized"),
                };
                self.finish(i);
                injury
            }),
            escalating: self.flag(&mut t, "escalating"),
            narrative: self.text(&mut t, "narrative"),
        };
        self.finish(t);
        d
    }
}

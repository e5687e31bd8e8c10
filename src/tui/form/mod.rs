//! The intake form: every field of the intake record (§2) as something a clerk edits, and the
//! mapping between the form and [`IntakeRecord`] in both directions.
//!
//! Values are kept as the clerk typed them (text for dates and amounts, codes for pickers,
//! three states for optional yes/no) so that nothing is lost while it is still wrong; the record is
//! derived from them on every change, and validation names the problems by field path.
//!
//! | module | what it holds |
//! |---|---|
//! | [`fields`] | the fields, their sections, kinds and paths; picker options |
//! | [`record`] | the form ⇄ [`IntakeRecord`] |
//! | here | the values as typed, the form's rows, and the draft's plain-text copy of them |

mod fields;
mod record;
pub mod typed;

pub use fields::*;

use super::text_input::TextInput;
use crate::domain::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use FieldId as F;

/// One field's value as the clerk left it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Value {
    Text(TextInput),
    Pick(Option<String>),
    Multi(Vec<String>),
    Tri(Option<bool>),
    None,
}

impl Value {
    /// The value as one line of text, for drafts.
    fn raw(&self) -> String {
        match self {
            Value::Text(t) => t.text().to_string(),
            Value::Pick(p) => p.clone().unwrap_or_default(),
            Value::Multi(m) => m.join(","),
            Value::Tri(Some(true)) => "true".into(),
            Value::Tri(Some(false)) => "false".into(),
            Value::Tri(None) | Value::None => String::new(),
        }
    }

    fn from_raw(kind: Kind, raw: &str) -> Value {
        match kind {
            Kind::Text | Kind::Date | Kind::Amount | Kind::Number => {
                Value::Text(TextInput::new(raw))
            }
            Kind::Pick(..) => Value::Pick((!raw.is_empty()).then(|| raw.to_string())),
            Kind::Multi(_) => Value::Multi(
                raw.split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect(),
            ),
            Kind::Tri => Value::Tri(match raw {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            }),
            Kind::Button => Value::None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    fixed: BTreeMap<FieldId, Value>,
    claims: Vec<[Value; 3]>,
}

impl Default for Form {
    fn default() -> Self {
        Form::from_record(&IntakeRecord::default())
    }
}

/// The form in a file: field path → text, claims as rows. Plain strings so a draft written by
/// one version reads in the next and a half-typed date survives as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormData {
    pub fields: BTreeMap<String, String>,
    pub claims: Vec<[String; 3]>,
}

impl Form {
    pub fn all_fixed() -> impl Iterator<Item = FieldId> {
        APPLICANT
            .iter()
            .chain(COUNTERPARTY)
            .chain(EMPLOYMENT)
            .chain(DISPUTE)
            .copied()
    }

    /// The fields of a section in order, including the claim rows and the add row.
    pub fn fields_of(&self, section: Section) -> Vec<FieldId> {
        match section {
            Section::Applicant => APPLICANT.to_vec(),
            Section::Counterparty => COUNTERPARTY.to_vec(),
            Section::Employment => EMPLOYMENT.to_vec(),
            Section::Dispute => DISPUTE.to_vec(),
            Section::Claims => {
                let mut v: Vec<FieldId> = (0..self.claims.len())
                    .flat_map(|i| [F::ClaimCategory(i), F::ClaimAmount(i), F::ClaimKnownOn(i)])
                    .collect();
                v.push(F::AddClaim);
                v
            }
        }
    }

    /// Every focusable field, in tab order.
    pub fn order(&self) -> Vec<FieldId> {
        Section::ALL
            .iter()
            .flat_map(|s| self.fields_of(*s))
            .collect()
    }

    pub fn claim_count(&self) -> usize {
        self.claims.len()
    }

    pub fn value(&self, id: FieldId) -> &Value {
        static NONE: Value = Value::None;
        match id {
            F::ClaimCategory(i) => self.claims.get(i).map_or(&NONE, |r| &r[0]),
            F::ClaimAmount(i) => self.claims.get(i).map_or(&NONE, |r| &r[1]),
            F::ClaimKnownOn(i) => self.claims.get(i).map_or(&NONE, |r| &r[2]),
            _ => self.fixed.get(&id).unwrap_or(&NONE),
        }
    }

    pub fn value_mut(&mut self, id: FieldId) -> Option<&mut Value> {
        match id {
            F::ClaimCategory(i) => self.claims.get_mut(i).map(|r| &mut r[0]),
            F::ClaimAmount(i) => self.claims.get_mut(i).map(|r| &mut r[1]),
            F::ClaimKnownOn(i) => self.claims.get_mut(i).map(|r| &mut r[2]),
            _ => self.fixed.get_mut(&id),
        }
    }

    /// Adds a claim row; its category starts as the only chosen category when there is one.
    pub fn add_claim(&mut self) -> usize {
        let cats = self.chosen_categories();
        let cat = if cats.len() == 1 {
            Some(cats[0].code().to_string())
        } else {
            None
        };
        self.claims.push([
            Value::Pick(cat),
            Value::Text(TextInput::default()),
            Value::Text(TextInput::default()),
        ]);
        self.claims.len() - 1
    }

    pub fn remove_claim(&mut self, i: usize) {
        if i < self.claims.len() {
            self.claims.remove(i);
        }
    }

    pub fn chosen_categories(&self) -> Vec<Category> {
        match self.value(F::Categories) {
            Value::Multi(m) => m.iter().filter_map(|c| Category::from_code(c)).collect(),
            _ => vec![],
        }
    }

    pub fn to_data(&self) -> FormData {
        FormData {
            fields: self
                .fixed
                .iter()
                .map(|(id, v)| (id.path(), v.raw()))
                .filter(|(_, raw)| !raw.is_empty())
                .collect(),
            claims: self
                .claims
                .iter()
                .map(|r| [r[0].raw(), r[1].raw(), r[2].raw()])
                .collect(),
        }
    }

    pub fn from_data(data: &FormData) -> Form {
        let mut form = Form::default();
        for id in Form::all_fixed() {
            if let Some(raw) = data.fields.get(&id.path()) {
                form.fixed.insert(id, Value::from_raw(id.kind(), raw));
            }
        }
        for (i, row) in data.claims.iter().enumerate() {
            form.claims.push([
                Value::from_raw(F::ClaimCategory(i).kind(), &row[0]),
                Value::from_raw(F::ClaimAmount(i).kind(), &row[1]),
                Value::from_raw(F::ClaimKnownOn(i).kind(), &row[2]),
            ]);
        }
        form
    }

    /// True when nothing has been entered (defaults only): such a form is not worth a draft.
    pub fn is_blank(&self) -> bool {
        *self == Form::default()
    }
}

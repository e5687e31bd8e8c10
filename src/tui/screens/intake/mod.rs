//! The intake form: the clerk fills it field by field while the decision beside it (or under it,
//! on an 80-column terminal) follows every change. Its state and keys are here; the form is drawn
//! in `draw.rs` and the decision in `panel.rs`.

mod draw;
mod panel;

use crate::app::{RouteOverride, Submission};
use crate::domain::{self, Category, Decision, IdType, SiteSettings, StaffNo, ids};
use crate::i18n::fill;
use crate::tui::app::{Ctx, Reply};
use crate::tui::draft::{DRAFT_VERSION, Draft};
use crate::tui::effect::{Effect, Request};
use crate::tui::form::{FieldId, Form, Kind, PickList, Section, Value, options, typed};
use crate::tui::keys::{ctrl, edit_text, typed};
use crate::tui::popups::{Confirm, Confirmed, OverrideRoute, Picker, Popup};
use crate::tui::text_input::TextInput;
use chrono::{DateTime, FixedOffset};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::BTreeSet;

#[derive(Debug, Clone)]
pub struct State {
    pub form: Form,
    pub focus: FieldId,
    /// Fields the clerk has left (or all, after a submit attempt): their problems are shown.
    pub touched: BTreeSet<String>,
    pub decision: Decision,
    pub route_override: Option<RouteOverride>,
    /// Category code digits typed so far (`0` of `03`).
    pub digits: String,
    pub submitting: bool,
    /// How far the decision panel is scrolled, and how far it can be (set as it is drawn).
    pub panel_scroll: u16,
    panel_max: std::cell::Cell<u16>,
    /// The birth date the form filled in from the ID number (not typed by the clerk).
    birth_filled: Option<String>,
}

/// A popup's change to the form, routed here by the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    /// The picker's choice for a one-code field (none when the list is empty); the focus moves on.
    Pick(FieldId, Option<&'static str>),
    /// The picker turned an option of a many-codes field on or off.
    Toggle(FieldId, Option<&'static str>),
    /// The route override set, changed or removed.
    Override(Option<RouteOverride>),
    /// The clerk confirmed Esc: the form and its draft are thrown away.
    Discard,
}

impl State {
    pub fn new(site: &SiteSettings, now: DateTime<FixedOffset>) -> State {
        let form = Form::default();
        State {
            decision: domain::classify(&form.to_record(), site, now),
            form,
            focus: FieldId::ApplicantName,
            touched: BTreeSet::new(),
            route_override: None,
            digits: String::new(),
            submitting: false,
            birth_filled: None,
            panel_scroll: 0,
            panel_max: std::cell::Cell::new(0),
        }
    }

    /// An empty form for the next worker.
    pub fn reset(&mut self, site: &SiteSettings, now: DateTime<FixedOffset>) {
        self.form = Form::default();
        self.focus = FieldId::ApplicantName;
        self.touched.clear();
        self.route_override = None;
        self.digits.clear();
        self.birth_filled = None;
        self.panel_scroll = 0;
        self.recompute(site, now);
    }

    /// The form of a draft, as the clerk left it.
    pub fn restore(&mut self, d: &Draft, site: &SiteSettings, now: DateTime<FixedOffset>) {
        self.form = Form::from_data(&d.form);
        self.route_override = d.route_override.clone();
        self.focus = FieldId::ApplicantName;
        self.recompute(site, now);
    }

    /// Validation and classification of the form as it stands (pure, about a microsecond).
    pub fn recompute(&mut self, site: &SiteSettings, now: DateTime<FixedOffset>) {
        self.decision = domain::classify(&self.form.to_record(), site, now);
    }

    pub fn draft(&self, now: DateTime<FixedOffset>, staff: Option<StaffNo>) -> Draft {
        Draft {
            version: DRAFT_VERSION,
            saved_at: now,
            staff: staff.map(|s| s.0),
            form: self.form.to_data(),
            route_override: self.route_override.clone(),
        }
    }

    /// After every change: the decision follows, and the form is saved soon.
    fn changed(&mut self, ctx: &Ctx) -> Reply {
        self.fill_birth_date(ctx.now);
        self.recompute(&ctx.settings.site, ctx.now);
        let staff = ctx.staff.map(|s| s.number.clone());
        Reply::Effect(Effect::SaveDraft(Box::new(self.draft(ctx.now, staff))))
    }

    /// A resident ID or residence permit number carries the birth date: once the number checks
    /// out, the birth date field shows it, unless the clerk typed another there. A date filled
    /// this way follows the number (and goes when the number stops checking out).
    fn fill_birth_date(&mut self, now: DateTime<FixedOffset>) {
        let id_type = match self.form.value(FieldId::IdType) {
            Value::Pick(Some(c)) => IdType::from_code(c),
            _ => None,
        }
        .unwrap_or_default();
        let id = match self.form.value(FieldId::IdNumber) {
            Value::Text(t) => t.text().to_string(),
            _ => return,
        };
        let birth = matches!(id_type, IdType::ResidentId | IdType::ResidencePermit)
            .then(|| {
                let permit = id_type == IdType::ResidencePermit;
                ids::check_resident_id(&id, permit, now.date_naive()).ok()
            })
            .flatten()
            .map(|d| d.format("%Y-%m-%d").to_string());
        let Some(Value::Text(shown)) = self.form.value_mut(FieldId::BirthDate) else {
            return;
        };
        let ours =
            shown.text().trim().is_empty() || self.birth_filled.as_deref() == Some(shown.text());
        if !ours {
            return;
        }
        let new = birth.clone().unwrap_or_default();
        if shown.text() != new {
            *shown = TextInput::new(&new);
        }
        self.birth_filled = birth;
    }

    /// Nothing typed or chosen yet (then leaving loses nothing and needs no question).
    pub fn is_empty(&self) -> bool {
        self.form == Form::default() && self.route_override.is_none()
    }

    /// Whether the focused field takes typed text.
    pub fn typing(&self) -> bool {
        self.focus.kind().is_typed()
    }

    fn touch(&mut self, id: FieldId) {
        self.touched.insert(id.path());
        for p in id.also_shows() {
            self.touched.insert((*p).to_string());
        }
    }

    fn focus_to(&mut self, id: FieldId) {
        let old = self.focus;
        if old != id {
            self.touch(old);
            // A date written another way reads back in the form's one way once the clerk
            // leaves it (the decision already took it as that date).
            if old.kind() == Kind::Date
                && let Some(Value::Text(t)) = self.form.value_mut(old)
            {
                let tidy = typed::tidy_date(t.text());
                if tidy != t.text() {
                    *t = TextInput::new(&tidy);
                }
            }
        }
        self.digits.clear();
        self.focus = id;
    }

    fn move_focus(&mut self, delta: isize) {
        let order = self.form.order();
        let i = order.iter().position(|f| *f == self.focus).unwrap_or(0) as isize;
        let n = order.len() as isize;
        let j = (i + delta).rem_euclid(n) as usize;
        self.focus_to(order[j]);
    }

    fn move_section(&mut self, delta: isize) {
        let cur = self.focus.section().index() as isize;
        let n = Section::ALL.len() as isize;
        let next = Section::ALL[(cur + delta).rem_euclid(n) as usize];
        let first = self.form.fields_of(next)[0];
        self.focus_to(first);
    }

    fn add_claim(&mut self, ctx: &Ctx) -> Reply {
        let i = self.form.add_claim();
        self.focus_to(FieldId::ClaimCategory(i));
        self.changed(ctx)
    }

    pub fn on_key(&mut self, k: KeyEvent, ctx: &Ctx) -> Reply {
        if k.code == KeyCode::F(10) || ctrl(&k, 's') {
            return self.submit(ctx);
        }
        if k.code == KeyCode::F(7) {
            return Reply::Open(Popup::Override(OverrideRoute::new(
                self.route_override.as_ref(),
            )));
        }
        if ctrl(&k, 'n') {
            return self.add_claim(ctx);
        }
        // Alt (or Ctrl) with ↑/↓ scrolls the decision panel; plain arrows move between fields.
        if k.modifiers
            .intersects(KeyModifiers::ALT | KeyModifiers::CONTROL)
            && matches!(k.code, KeyCode::Up | KeyCode::Down)
        {
            let max = self.panel_max.get();
            self.panel_scroll = match k.code {
                KeyCode::Up => self.panel_scroll.min(max).saturating_sub(1),
                _ => (self.panel_scroll + 1).min(max),
            };
            return Reply::Nothing;
        }
        if k.code == KeyCode::Esc {
            if self.is_empty() {
                return Reply::Nothing;
            }
            return Reply::Open(Popup::Confirm(Confirm::new(Confirmed::DiscardForm)));
        }
        if ctrl(&k, 'd') {
            if let FieldId::ClaimCategory(i) | FieldId::ClaimAmount(i) | FieldId::ClaimKnownOn(i) =
                self.focus
            {
                self.form.remove_claim(i);
                // Problems at the old row paths no longer mean the same row.
                self.touched.retain(|p| !p.starts_with("dispute.claims["));
                let n = self.form.claim_count();
                self.focus = if n == 0 {
                    FieldId::AddClaim
                } else {
                    FieldId::ClaimCategory(i.min(n - 1))
                };
                return self.changed(ctx);
            }
            return Reply::Nothing;
        }
        match k.code {
            KeyCode::Tab | KeyCode::Down => {
                self.move_focus(1);
                return Reply::Nothing;
            }
            KeyCode::BackTab | KeyCode::Up => {
                self.move_focus(-1);
                return Reply::Nothing;
            }
            KeyCode::PageDown => {
                self.move_section(1);
                return Reply::Nothing;
            }
            KeyCode::PageUp => {
                self.move_section(-1);
                return Reply::Nothing;
            }
            _ => {}
        }
        let id = self.focus;
        match id.kind() {
            Kind::Text | Kind::Date | Kind::Amount | Kind::Number => {
                if k.code == KeyCode::Enter {
                    self.move_focus(1);
                    return Reply::Nothing;
                }
                let Some(Value::Text(t)) = self.form.value_mut(id) else {
                    return Reply::Nothing;
                };
                let mut k = k;
                if let Some(c) = typed(&k)
                    && typed::folds_width(id)
                {
                    k.code = KeyCode::Char(typed::fold_char(c));
                }
                if edit_text(t, &k) {
                    return self.changed(ctx);
                }
                Reply::Nothing
            }
            Kind::Button => {
                if matches!(
                    k.code,
                    KeyCode::Enter | KeyCode::Char(' ') | KeyCode::Insert
                ) {
                    return self.add_claim(ctx);
                }
                Reply::Nothing
            }
            Kind::Tri => self.on_tri_key(id, k, ctx),
            Kind::Pick(list, optional) => self.on_pick_key(id, list, optional, k, ctx),
            Kind::Multi(list) => self.on_multi_key(id, list, k, ctx),
        }
    }

    fn on_tri_key(&mut self, id: FieldId, k: KeyEvent, ctx: &Ctx) -> Reply {
        let cur = match self.form.value(id) {
            Value::Tri(t) => *t,
            _ => None,
        };
        let (new, advance) = match typed(&k).map(|c| c.to_ascii_lowercase()) {
            Some('y' | '1') => (Some(true), true),
            Some('n' | '2') => (Some(false), true),
            Some('0') => (None, false),
            Some(' ') => (
                match cur {
                    None => Some(true),
                    Some(true) => Some(false),
                    Some(false) => None,
                },
                false,
            ),
            _ if matches!(k.code, KeyCode::Backspace | KeyCode::Delete) => (None, false),
            _ if k.code == KeyCode::Enter => {
                self.move_focus(1);
                return Reply::Nothing;
            }
            _ => return Reply::Nothing,
        };
        if let Some(v) = self.form.value_mut(id) {
            *v = Value::Tri(new);
        }
        let reply = self.changed(ctx);
        if advance {
            self.move_focus(1);
        }
        reply
    }

    fn set_pick(&mut self, id: FieldId, code: Option<&str>) {
        if let Some(v) = self.form.value_mut(id) {
            *v = Value::Pick(code.map(str::to_string));
        }
    }

    fn on_pick_key(
        &mut self,
        id: FieldId,
        list: PickList,
        optional: bool,
        k: KeyEvent,
        ctx: &Ctx,
    ) -> Reply {
        let opts = options(list, &self.form);
        let cur = match self.form.value(id) {
            Value::Pick(Some(c)) => opts.iter().position(|o| o.0 == c),
            _ => None,
        };
        match k.code {
            KeyCode::Enter | KeyCode::Char(' ') => {
                Reply::Open(Popup::Picker(Picker::new(id, cur.unwrap_or(0))))
            }
            KeyCode::Right | KeyCode::Left if !opts.is_empty() => {
                let n = opts.len();
                let next = match (cur, k.code == KeyCode::Right) {
                    (None, true) => 0,
                    (None, false) => n - 1,
                    (Some(i), true) => (i + 1) % n,
                    (Some(i), false) => (i + n - 1) % n,
                };
                self.set_pick(id, Some(opts[next].0));
                self.changed(ctx)
            }
            KeyCode::Backspace | KeyCode::Delete if optional => {
                self.set_pick(id, None);
                self.changed(ctx)
            }
            KeyCode::Char(c) if c.is_ascii_digit() => {
                let i = c.to_digit(10).unwrap_or(0) as usize;
                if i >= 1 && i <= opts.len() {
                    self.set_pick(id, Some(opts[i - 1].0));
                    let reply = self.changed(ctx);
                    self.move_focus(1);
                    return reply;
                }
                Reply::Nothing
            }
            _ => Reply::Nothing,
        }
    }

    fn toggle(&mut self, id: FieldId, code: &str) {
        if let Some(Value::Multi(m)) = self.form.value_mut(id) {
            if let Some(i) = m.iter().position(|c| c == code) {
                m.remove(i);
            } else {
                m.push(code.to_string());
            }
        }
    }

    fn on_multi_key(&mut self, id: FieldId, list: PickList, k: KeyEvent, ctx: &Ctx) -> Reply {
        let opts = options(list, &self.form);
        match k.code {
            KeyCode::Enter | KeyCode::Char(' ') => Reply::Open(Popup::Picker(Picker::new(id, 0))),
            KeyCode::Backspace | KeyCode::Delete => {
                if !self.digits.is_empty() {
                    self.digits.clear();
                    return Reply::Nothing;
                }
                if let Some(Value::Multi(m)) = self.form.value_mut(id) {
                    m.pop();
                }
                self.changed(ctx)
            }
            KeyCode::Char(c) if c.is_ascii_digit() => {
                if list == PickList::Category {
                    // Category codes are typed as their two digits: 03 → LD03.
                    self.digits.push(c);
                    if self.digits.len() < 2 {
                        return Reply::Nothing;
                    }
                    let code = format!("LD{}", self.digits);
                    self.digits.clear();
                    if Category::from_code(&code).is_some() {
                        self.toggle(id, &code);
                        return self.changed(ctx);
                    }
                    return Reply::Nothing;
                }
                let i = c.to_digit(10).unwrap_or(0) as usize;
                if i >= 1 && i <= opts.len() {
                    self.toggle(id, opts[i - 1].0);
                    return self.changed(ctx);
                }
                Reply::Nothing
            }
            _ => Reply::Nothing,
        }
    }

    /// A popup's change to the form.
    pub fn apply(&mut self, edit: Edit, ctx: &Ctx) -> Reply {
        match edit {
            Edit::Pick(id, code) => {
                if let Some(code) = code {
                    self.set_pick(id, Some(code));
                }
                let reply = self.changed(ctx);
                self.move_focus(1);
                reply
            }
            Edit::Toggle(id, code) => {
                if let Some(code) = code {
                    self.toggle(id, code);
                }
                self.changed(ctx)
            }
            Edit::Override(o) => {
                self.route_override = o;
                self.changed(ctx)
            }
            Edit::Discard => {
                self.reset(&ctx.settings.site, ctx.now);
                Reply::Effect(Effect::DiscardDraft)
            }
        }
    }

    /// Pasted text goes into the focused field when it takes text.
    pub fn on_paste(&mut self, text: &str, ctx: &Ctx) -> Reply {
        let folds = typed::folds_width(self.focus);
        match self.form.value_mut(self.focus) {
            Some(Value::Text(t)) => {
                if folds {
                    t.insert_str(&typed::fold(text));
                } else {
                    t.insert_str(text);
                }
                self.changed(ctx)
            }
            _ => Reply::Nothing,
        }
    }

    fn submit(&mut self, ctx: &Ctx) -> Reply {
        if self.submitting {
            return Reply::Nothing;
        }
        self.recompute(&ctx.settings.site, ctx.now);
        if !self.decision.errors.is_empty() {
            let n = self.decision.errors.len();
            // Show every problem now, and go to the first field that has one.
            for id in self.form.order() {
                self.touch(id);
            }
            let first = self.decision.errors[0].field.clone();
            if let Some(id) = self
                .form
                .order()
                .into_iter()
                .find(|id| id.path() == first || id.also_shows().contains(&first.as_str()))
            {
                self.focus = id;
            }
            return Reply::Error(fill(ctx.s.submit_blocked, &[("n", &n.to_string())]));
        }
        if ctx.staff.is_none() {
            return Reply::Nothing;
        }
        self.submitting = true;
        Reply::call(Request::Submit(Box::new(Submission {
            record: self.form.to_record(),
            route_override: self.route_override.clone(),
            at: ctx.now,
        })))
    }
}

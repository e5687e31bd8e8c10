//! The kiosk's state and the one place it changes: [`App::update`]. Keys, paste, ticks and the
//! answers of backend calls all arrive as [`Action`]s; what must happen outside (a backend call, a
//! draft save) leaves as [`Effect`]s. Nothing here awaits or does I/O.

use super::draft::{DRAFT_VERSION, Draft};
use super::effect::{Effect, Request};
use super::form::{FieldId, Form, Kind, PickList, Section, Value, options};
use super::strings::{Strings, fill, strings};
use super::text_input::TextInput;
use crate::app::queue::TicketOp;
use crate::app::{
    AppError, CaseSummary, CaseView, DbStatus, Health, Issued, PrinterHealth, QueueEntry,
    RouteOverride, SetUp, Staff, Submission,
};
use crate::config::Lang;
use crate::domain::{self, Category, Decision, Route, SiteSettings};
use crate::domain::{CaseNo, Outcome, PrintKind, StaffNo, TicketNo, WindowNo};
use chrono::{DateTime, FixedOffset};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::BTreeSet;

#[derive(Debug, Clone)]
pub enum Action {
    Key(KeyEvent),
    Paste(String),
    Resize(u16, u16),
    Tick(DateTime<FixedOffset>),
    NeedsSetup(Result<bool, AppError>),
    SetUpDone(Result<(), AppError>),
    SignedIn(Result<Staff, AppError>),
    SignedOut(Result<(), AppError>),
    Submitted(Result<Issued, AppError>),
    QueueLoaded(Result<Vec<QueueEntry>, AppError>),
    Called(Result<QueueEntry, AppError>),
    TicketUpdated(Result<(), AppError>),
    TransferDone(Result<TicketNo, AppError>),
    CaseLoaded(Result<Box<CaseView>, AppError>),
    SearchResults(Result<Vec<CaseSummary>, AppError>),
    Reprinted(PrintKind, Result<(), AppError>),
    Health(Result<Health, AppError>),
    /// The draft found at start (or why it could not be read).
    DraftLoaded(Result<Option<Draft>, String>),
    DraftSaveFailed(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Setup,
    SignIn,
    Intake,
    Ticket,
    Queue,
    Case,
    Search,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Info,
    Error,
}

#[derive(Debug, Clone, Default)]
pub struct SignInState {
    pub staff_no: TextInput,
    pub pin: TextInput,
    pub on_pin: bool,
    pub message: Option<String>,
    pub idle_locked: bool,
    pub waiting: bool,
}

#[derive(Debug, Clone, Default)]
pub struct SetupState {
    pub fields: [TextInput; 6],
    pub focus: usize,
    pub message: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Popup {
    /// The list of a picker field; `cursor` is the highlighted option.
    Picker {
        field: FieldId,
        cursor: usize,
    },
    Override {
        route: Option<Route>,
        reason: TextInput,
    },
    Transfer {
        ticket: TicketNo,
        route: Option<Route>,
        reason: TextInput,
    },
    Finish {
        ticket: TicketNo,
        cursor: usize,
    },
    Reprint {
        case_no: CaseNo,
        cursor: usize,
    },
    DraftOffer(Box<Draft>),
}

#[derive(Debug, Clone)]
pub struct IntakeState {
    pub form: Form,
    pub focus: FieldId,
    /// Fields the clerk has left (or all, after a submit attempt): their problems are shown.
    pub touched: BTreeSet<String>,
    pub decision: Decision,
    pub route_override: Option<RouteOverride>,
    pub digits: String,
    pub submitting: bool,
}

#[derive(Debug, Clone, Default)]
pub struct QueueState {
    pub entries: Vec<QueueEntry>,
    pub selected: usize,
    pub loaded: bool,
}

#[derive(Debug, Clone, Default)]
pub struct SearchState {
    pub query: TextInput,
    pub searched_for: Option<String>,
    pub results: Vec<CaseSummary>,
    pub selected: usize,
}

/// Everything the kiosk needs to start, besides its backend.
#[derive(Debug, Clone)]
pub struct Settings {
    pub lang: Lang,
    pub site: SiteSettings,
    pub window: WindowNo,
    pub idle_lock_minutes: u32,
    pub demo: bool,
}

pub struct App {
    pub settings: Settings,
    pub s: &'static Strings,
    pub now: DateTime<FixedOffset>,
    last_input: DateTime<FixedOffset>,
    pub screen: Screen,
    /// Where Esc returns to from a case view, and where an idle lock resumes.
    pub back: Screen,
    pub staff: Option<Staff>,
    pub health: Option<Health>,
    pub help: bool,
    pub popup: Option<Popup>,
    pub message: Option<(String, Tone)>,
    pub sign_in: SignInState,
    pub setup: SetupState,
    pub intake: IntakeState,
    pub issued: Option<Issued>,
    pub queue: QueueState,
    pub case: Option<CaseView>,
    pub search: SearchState,
    pending_draft: Option<Draft>,
    ticks: u64,
    pub quit: bool,
}

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;
/// Seconds between status polls and queue refreshes.
const HEALTH_EVERY: u64 = 5;
const QUEUE_EVERY: u64 = 10;

fn ctrl(k: &KeyEvent, c: char) -> bool {
    k.modifiers.contains(KeyModifiers::CONTROL) && k.code == KeyCode::Char(c)
}

/// A plain character to type (IME output and shifted letters included, not Ctrl/Alt chords).
fn typed(k: &KeyEvent) -> Option<char> {
    match k.code {
        KeyCode::Char(c)
            if !k
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            Some(c)
        }
        _ => None,
    }
}

fn route_by_digit(c: char) -> Option<Route> {
    let i = c.to_digit(10)? as usize;
    Route::ALL.get(i.checked_sub(1)?).copied()
}

impl App {
    pub fn new(settings: Settings, now: DateTime<FixedOffset>) -> (App, Vec<Effect>) {
        let s = strings(settings.lang);
        let form = Form::default();
        let decision = domain::classify(&form.to_record(), &settings.site, now);
        let app = App {
            s,
            now,
            last_input: now,
            screen: Screen::SignIn,
            back: Screen::Intake,
            staff: None,
            health: None,
            help: false,
            popup: None,
            message: None,
            sign_in: SignInState::default(),
            setup: SetupState::default(),
            intake: IntakeState {
                focus: FieldId::ApplicantName,
                form,
                touched: BTreeSet::new(),
                decision,
                route_override: None,
                digits: String::new(),
                submitting: false,
            },
            issued: None,
            queue: QueueState::default(),
            case: None,
            search: SearchState::default(),
            pending_draft: None,
            ticks: 0,
            quit: false,
            settings,
        };
        (
            app,
            vec![
                Effect::Call(Request::NeedsSetup),
                Effect::Call(Request::Health),
            ],
        )
    }

    fn staff_no(&self) -> Option<StaffNo> {
        self.staff.as_ref().map(|s| s.number.clone())
    }

    fn info(&mut self, text: impl Into<String>) {
        self.message = Some((text.into(), Tone::Info));
    }

    fn error(&mut self, text: impl Into<String>) {
        self.message = Some((text.into(), Tone::Error));
    }

    fn backend_error(&mut self, e: &AppError) {
        // Errors carry no personal data (numbers and names stay out of logs).
        tracing::warn!(error = %e, screen = ?self.screen, "backend call failed");
        let text = match e {
            AppError::Unavailable => self.s.unavailable.to_string(),
            AppError::NotFound => self.s.not_found.to_string(),
            AppError::QueueEmpty => self.s.queue_is_empty.to_string(),
            AppError::InvalidState => self.s.not_allowed.to_string(),
            AppError::StillPrinting => self.s.still_printing.to_string(),
            AppError::WindowBusy(t) => fill(self.s.window_busy, &[("t", t.as_str())]),
            AppError::Forbidden => self.s.not_allowed.to_string(),
            e => format!("{}: {e}", self.s.error),
        };
        self.error(text);
    }

    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Key(k) => {
                self.last_input = self.now;
                self.on_key(k)
            }
            Action::Paste(text) => {
                self.last_input = self.now;
                self.on_paste(&text)
            }
            Action::Resize(..) => vec![],
            Action::Tick(now) => self.on_tick(now),
            Action::NeedsSetup(Ok(true)) => {
                self.screen = Screen::Setup;
                vec![]
            }
            Action::NeedsSetup(Ok(false)) => vec![],
            Action::NeedsSetup(Err(e)) | Action::SetUpDone(Err(e)) => {
                self.backend_error(&e);
                vec![]
            }
            Action::SetUpDone(Ok(())) => {
                self.screen = Screen::SignIn;
                self.sign_in.staff_no.set(self.setup.fields[3].text());
                self.sign_in.on_pin = true;
                vec![]
            }
            Action::SignedIn(r) => self.on_signed_in(r),
            Action::SignedOut(Ok(())) => vec![],
            Action::SignedOut(Err(e)) => {
                self.backend_error(&e);
                vec![]
            }
            Action::Submitted(r) => self.on_submitted(r),
            Action::QueueLoaded(Ok(entries)) => {
                self.queue.entries = entries;
                self.queue.loaded = true;
                self.queue.selected = self
                    .queue
                    .selected
                    .min(self.queue.entries.len().saturating_sub(1));
                self.select_held();
                vec![]
            }
            Action::Called(Ok(e)) => {
                self.info(fill(
                    self.s.called,
                    &[
                        ("t", e.ticket.as_str()),
                        ("w", &self.settings.window.to_string()),
                    ],
                ));
                self.refresh_queue()
            }
            Action::TicketUpdated(Ok(())) => {
                self.info(self.s.done);
                self.refresh_queue()
            }
            Action::TransferDone(Ok(t)) => {
                self.info(fill(self.s.transferred, &[("t", t.as_str())]));
                self.refresh_queue()
            }
            Action::CaseLoaded(Ok(view)) => {
                if self.screen != Screen::Case {
                    self.back = self.screen;
                }
                self.case = Some(*view);
                self.screen = Screen::Case;
                vec![]
            }
            Action::SearchResults(Ok(results)) => {
                self.search.results = results;
                self.search.selected = 0;
                if self.search.results.is_empty() {
                    self.info(self.s.search_none);
                }
                vec![]
            }
            Action::Reprinted(paper, Ok(())) => {
                self.info(fill(
                    self.s.reprinted,
                    &[("p", paper.label(self.settings.lang))],
                ));
                match &self.case {
                    Some(c) => vec![Effect::Call(Request::CaseView(c.case_no.clone()))],
                    None => vec![],
                }
            }
            Action::Health(Ok(h)) => {
                self.health = Some(h);
                vec![]
            }
            Action::Health(Err(_)) => {
                // Not reaching the backend is itself the news: the database is away.
                self.health = Some(Health {
                    database: DbStatus::Reconnecting,
                    printer: self.health.map_or(PrinterHealth::Offline, |h| h.printer),
                    pending_print_jobs: self.health.map_or(0, |h| h.pending_print_jobs),
                });
                vec![]
            }
            Action::QueueLoaded(Err(e))
            | Action::Called(Err(e))
            | Action::TicketUpdated(Err(e))
            | Action::TransferDone(Err(e))
            | Action::CaseLoaded(Err(e))
            | Action::SearchResults(Err(e))
            | Action::Reprinted(_, Err(e)) => {
                self.backend_error(&e);
                vec![]
            }
            Action::DraftLoaded(Ok(d)) => {
                self.pending_draft = d;
                self.offer_draft();
                vec![]
            }
            Action::DraftLoaded(Err(e)) => {
                self.error(fill(self.s.draft_damaged, &[("p", &e)]));
                vec![]
            }
            Action::DraftSaveFailed(e) => {
                self.error(fill(self.s.draft_save_failed, &[("e", &e)]));
                vec![]
            }
        }
    }

    fn on_tick(&mut self, now: DateTime<FixedOffset>) -> Vec<Effect> {
        let new_day = now.date_naive() != self.now.date_naive();
        self.now = now;
        self.ticks += 1;
        if new_day {
            self.recompute();
        }
        let mut effects = vec![];
        if self.ticks.is_multiple_of(HEALTH_EVERY) {
            effects.push(Effect::Call(Request::Health));
        }
        if self.staff.is_some() {
            let idle = self.settings.idle_lock_minutes;
            if idle > 0 && now - self.last_input >= chrono::Duration::minutes(i64::from(idle)) {
                self.lock_idle();
                return effects;
            }
            if self.screen == Screen::Queue && self.ticks.is_multiple_of(QUEUE_EVERY) {
                effects.extend(self.refresh_queue());
            }
        }
        effects
    }

    fn lock_idle(&mut self) {
        if let Some(staff) = self.staff.take() {
            self.back = self.screen;
            self.sign_in = SignInState {
                staff_no: TextInput::new(&staff.number.0),
                on_pin: true,
                idle_locked: true,
                ..SignInState::default()
            };
            self.screen = Screen::SignIn;
            self.popup = None;
            self.help = false;
        }
    }

    fn sign_out(&mut self) -> Vec<Effect> {
        let effects = match self.staff.take() {
            Some(_) => vec![Effect::Call(Request::SignOut { at: self.now })],
            None => vec![],
        };
        self.sign_in = SignInState::default();
        self.screen = Screen::SignIn;
        self.back = Screen::Intake;
        self.popup = None;
        self.case = None;
        self.search = SearchState::default();
        self.queue = QueueState::default();
        self.info(self.s.signed_out);
        effects
    }

    fn on_signed_in(&mut self, r: Result<Staff, AppError>) -> Vec<Effect> {
        self.sign_in.waiting = false;
        match r {
            Ok(staff) => {
                let resume = self.sign_in.idle_locked;
                self.staff = Some(staff);
                self.sign_in = SignInState::default();
                self.message = None;
                self.screen = if resume { self.back } else { Screen::Intake };
                self.offer_draft();
                let mut e = vec![Effect::Call(Request::Health)];
                e.extend(self.refresh_queue());
                e
            }
            Err(AppError::BadCredentials { attempts_left }) => {
                self.sign_in.pin.clear();
                self.sign_in.message =
                    Some(fill(self.s.bad_pin, &[("n", &attempts_left.to_string())]));
                vec![]
            }
            Err(AppError::LockedOut { until }) => {
                self.sign_in.pin.clear();
                self.sign_in.message = Some(fill(
                    self.s.locked_out,
                    &[("t", &until.format("%H:%M").to_string())],
                ));
                vec![]
            }
            Err(e) => {
                self.backend_error(&e);
                vec![]
            }
        }
    }

    fn offer_draft(&mut self) {
        if self.staff.is_some()
            && self.popup.is_none()
            && let Some(d) = self.pending_draft.take()
        {
            self.popup = Some(Popup::DraftOffer(Box::new(d)));
        }
    }

    fn refresh_queue(&self) -> Vec<Effect> {
        vec![Effect::Call(Request::Queue { at: self.now })]
    }

    // ---------------------------------------------------------------- keys

    fn on_key(&mut self, k: KeyEvent) -> Vec<Effect> {
        if k.kind == crossterm::event::KeyEventKind::Release {
            return vec![];
        }
        if ctrl(&k, 'q') || ctrl(&k, 'c') {
            self.quit = true;
            return vec![Effect::Quit];
        }
        if k.code == KeyCode::F(1) {
            self.help = !self.help;
            return vec![];
        }
        if self.help {
            if matches!(k.code, KeyCode::Esc | KeyCode::Char('?') | KeyCode::Enter) {
                self.help = false;
            }
            return vec![];
        }
        self.message = None;
        if let Some(p) = self.popup.take() {
            return self.on_popup_key(p, k);
        }
        match self.screen {
            Screen::Setup => return self.on_setup_key(k),
            Screen::SignIn => return self.on_sign_in_key(k),
            _ => {}
        }
        // Signed in from here on.
        let typing = match self.screen {
            Screen::Intake => matches!(
                self.intake.focus.kind(),
                Kind::Text | Kind::Date | Kind::Amount | Kind::Number
            ),
            Screen::Search => true,
            _ => false,
        };
        match k.code {
            KeyCode::Char('?') if !typing => {
                self.help = true;
                return vec![];
            }
            KeyCode::F(2) => return self.open_intake(),
            KeyCode::F(3) => {
                self.screen = Screen::Queue;
                return self.refresh_queue();
            }
            KeyCode::F(4) => {
                self.screen = Screen::Search;
                return vec![];
            }
            KeyCode::F(9) => return self.sign_out(),
            _ => {}
        }
        match self.screen {
            Screen::Intake => self.on_intake_key(k),
            Screen::Ticket => self.on_ticket_key(k),
            Screen::Queue => self.on_queue_key(k),
            Screen::Case => self.on_case_key(k),
            Screen::Search => self.on_search_key(k),
            Screen::Setup | Screen::SignIn => vec![],
        }
    }

    fn on_paste(&mut self, text: &str) -> Vec<Effect> {
        if self.help {
            return vec![];
        }
        let target: Option<&mut TextInput> = match (&mut self.popup, self.screen) {
            (Some(Popup::Override { reason, .. }), _)
            | (Some(Popup::Transfer { reason, .. }), _) => Some(reason),
            (Some(_), _) => None,
            (None, Screen::Intake) => match self.intake.form.value_mut(self.intake.focus) {
                Some(Value::Text(t)) => Some(t),
                _ => None,
            },
            (None, Screen::Search) => Some(&mut self.search.query),
            (None, Screen::SignIn) if !self.sign_in.on_pin => Some(&mut self.sign_in.staff_no),
            (None, Screen::Setup) => self.setup.fields.get_mut(self.setup.focus),
            _ => None,
        };
        let Some(t) = target else { return vec![] };
        t.insert_str(text);
        if self.screen == Screen::Intake && self.popup.is_none() {
            return self.form_changed();
        }
        vec![]
    }

    fn on_setup_key(&mut self, k: KeyEvent) -> Vec<Effect> {
        let st = &mut self.setup;
        match k.code {
            KeyCode::Tab | KeyCode::Down => st.focus = (st.focus + 1) % st.fields.len(),
            KeyCode::BackTab | KeyCode::Up => {
                st.focus = (st.focus + st.fields.len() - 1) % st.fields.len()
            }
            KeyCode::Enter if st.focus + 1 < st.fields.len() => st.focus += 1,
            KeyCode::Enter => {
                let f: Vec<String> = st
                    .fields
                    .iter()
                    .map(|t| t.text().trim().to_string())
                    .collect();
                let windows: Option<Vec<WindowNo>> = f[2]
                    .split([',', '，', ' '])
                    .filter(|s| !s.is_empty())
                    .map(|s| s.parse().ok().map(WindowNo))
                    .collect();
                match windows {
                    Some(w) if !w.is_empty() && f.iter().all(|s| !s.is_empty()) => {
                        return vec![Effect::Call(Request::SetUp(
                            SetUp {
                                site_code: f[0].clone(),
                                site_name: f[1].clone(),
                                windows: w,
                                supervisor_no: StaffNo(f[3].clone()),
                                supervisor_name: f[4].clone(),
                                supervisor_pin: f[5].clone(),
                            },
                            self.now,
                        ))];
                    }
                    _ => st.message = Some(self.s.setup_incomplete.to_string()),
                }
            }
            _ => {
                if let Some(t) = st.fields.get_mut(st.focus) {
                    edit_text(t, &k);
                }
            }
        }
        vec![]
    }

    fn on_sign_in_key(&mut self, k: KeyEvent) -> Vec<Effect> {
        let si = &mut self.sign_in;
        match k.code {
            KeyCode::Tab | KeyCode::BackTab | KeyCode::Up | KeyCode::Down => si.on_pin = !si.on_pin,
            KeyCode::Enter if !si.on_pin => si.on_pin = true,
            KeyCode::Enter => {
                if si.waiting || si.staff_no.is_empty() {
                    return vec![];
                }
                si.waiting = true;
                return vec![Effect::Call(Request::SignIn {
                    staff: StaffNo(si.staff_no.text().trim().to_string()),
                    pin: si.pin.text().to_string(),
                    at: self.now,
                })];
            }
            _ => {
                let t = if si.on_pin {
                    &mut si.pin
                } else {
                    &mut si.staff_no
                };
                edit_text(t, &k);
            }
        }
        vec![]
    }

    // ---------------------------------------------------------------- intake

    fn open_intake(&mut self) -> Vec<Effect> {
        if self.screen == Screen::Ticket {
            self.reset_form();
        }
        self.screen = Screen::Intake;
        vec![]
    }

    fn reset_form(&mut self) {
        self.intake.form = Form::default();
        self.intake.focus = FieldId::ApplicantName;
        self.intake.touched.clear();
        self.intake.route_override = None;
        self.intake.digits.clear();
        self.recompute();
    }

    /// Validation and classification of the form as it stands (pure, about a microsecond).
    pub fn recompute(&mut self) {
        let record = self.intake.form.to_record();
        self.intake.decision = domain::classify(&record, &self.settings.site, self.now);
    }

    fn form_changed(&mut self) -> Vec<Effect> {
        self.recompute();
        vec![Effect::SaveDraft(Box::new(self.draft()))]
    }

    pub fn draft(&self) -> Draft {
        Draft {
            version: DRAFT_VERSION,
            saved_at: self.now,
            staff: self.staff_no().map(|s| s.0),
            form: self.intake.form.to_data(),
            route_override: self.intake.route_override.clone(),
        }
    }

    fn touch(&mut self, id: FieldId) {
        self.intake.touched.insert(id.path());
        for p in id.also_shows() {
            self.intake.touched.insert((*p).to_string());
        }
    }

    fn focus_to(&mut self, id: FieldId) {
        let old = self.intake.focus;
        if old != id {
            self.touch(old);
        }
        self.intake.digits.clear();
        self.intake.focus = id;
    }

    fn move_focus(&mut self, delta: isize) {
        let order = self.intake.form.order();
        let i = order
            .iter()
            .position(|f| *f == self.intake.focus)
            .unwrap_or(0) as isize;
        let n = order.len() as isize;
        let j = (i + delta).rem_euclid(n) as usize;
        self.focus_to(order[j]);
    }

    fn move_section(&mut self, delta: isize) {
        let cur = self.intake.focus.section().index() as isize;
        let n = Section::ALL.len() as isize;
        let next = Section::ALL[(cur + delta).rem_euclid(n) as usize];
        let first = self.intake.form.fields_of(next)[0];
        self.focus_to(first);
    }

    fn on_intake_key(&mut self, k: KeyEvent) -> Vec<Effect> {
        if k.code == KeyCode::F(10) || ctrl(&k, 's') {
            return self.submit();
        }
        if k.code == KeyCode::F(7) {
            let (route, reason) = match &self.intake.route_override {
                Some(o) => (Some(o.route), TextInput::new(&o.reason)),
                None => (None, TextInput::default()),
            };
            self.popup = Some(Popup::Override { route, reason });
            return vec![];
        }
        if ctrl(&k, 'n') {
            let i = self.intake.form.add_claim();
            self.focus_to(FieldId::ClaimCategory(i));
            return self.form_changed();
        }
        if ctrl(&k, 'd') {
            if let FieldId::ClaimCategory(i) | FieldId::ClaimAmount(i) | FieldId::ClaimKnownOn(i) =
                self.intake.focus
            {
                self.intake.form.remove_claim(i);
                // Problems at the old row paths no longer mean the same row.
                self.intake
                    .touched
                    .retain(|p| !p.starts_with("dispute.claims["));
                let n = self.intake.form.claim_count();
                self.intake.focus = if n == 0 {
                    FieldId::AddClaim
                } else {
                    FieldId::ClaimCategory(i.min(n - 1))
                };
                return self.form_changed();
            }
            return vec![];
        }
        match k.code {
            KeyCode::Tab | KeyCode::Down => {
                self.move_focus(1);
                return vec![];
            }
            KeyCode::BackTab | KeyCode::Up => {
                self.move_focus(-1);
                return vec![];
            }
            KeyCode::PageDown => {
                self.move_section(1);
                return vec![];
            }
            KeyCode::PageUp => {
                self.move_section(-1);
                return vec![];
            }
            _ => {}
        }
        let id = self.intake.focus;
        match id.kind() {
            Kind::Text | Kind::Date | Kind::Amount | Kind::Number => {
                if k.code == KeyCode::Enter {
                    self.move_focus(1);
                    return vec![];
                }
                let Some(Value::Text(t)) = self.intake.form.value_mut(id) else {
                    return vec![];
                };
                if edit_text(t, &k) {
                    return self.form_changed();
                }
                vec![]
            }
            Kind::Button => {
                if matches!(
                    k.code,
                    KeyCode::Enter | KeyCode::Char(' ') | KeyCode::Insert
                ) {
                    let i = self.intake.form.add_claim();
                    self.focus_to(FieldId::ClaimCategory(i));
                    return self.form_changed();
                }
                vec![]
            }
            Kind::Tri => {
                let cur = match self.intake.form.value(id) {
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
                        return vec![];
                    }
                    _ => return vec![],
                };
                if let Some(v) = self.intake.form.value_mut(id) {
                    *v = Value::Tri(new);
                }
                let e = self.form_changed();
                if advance {
                    self.move_focus(1);
                }
                e
            }
            Kind::Pick(list, optional) => self.on_pick_key(id, list, optional, k),
            Kind::Multi(list) => self.on_multi_key(id, list, k),
        }
    }

    fn on_pick_key(
        &mut self,
        id: FieldId,
        list: PickList,
        optional: bool,
        k: KeyEvent,
    ) -> Vec<Effect> {
        let opts = options(list, &self.intake.form);
        let cur = match self.intake.form.value(id) {
            Value::Pick(Some(c)) => opts.iter().position(|o| o.0 == c),
            _ => None,
        };
        let set = |app: &mut App, code: Option<&str>| {
            if let Some(v) = app.intake.form.value_mut(id) {
                *v = Value::Pick(code.map(str::to_string));
            }
        };
        match k.code {
            KeyCode::Enter | KeyCode::Char(' ') => {
                self.popup = Some(Popup::Picker {
                    field: id,
                    cursor: cur.unwrap_or(0),
                });
                vec![]
            }
            KeyCode::Right | KeyCode::Left if !opts.is_empty() => {
                let n = opts.len();
                let next = match (cur, k.code == KeyCode::Right) {
                    (None, true) => 0,
                    (None, false) => n - 1,
                    (Some(i), true) => (i + 1) % n,
                    (Some(i), false) => (i + n - 1) % n,
                };
                set(self, Some(opts[next].0));
                self.form_changed()
            }
            KeyCode::Backspace | KeyCode::Delete if optional => {
                set(self, None);
                self.form_changed()
            }
            KeyCode::Char(c) if c.is_ascii_digit() => {
                let i = c.to_digit(10).unwrap_or(0) as usize;
                if i >= 1 && i <= opts.len() {
                    set(self, Some(opts[i - 1].0));
                    let e = self.form_changed();
                    self.move_focus(1);
                    return e;
                }
                vec![]
            }
            _ => vec![],
        }
    }

    fn toggle(&mut self, id: FieldId, code: &str) {
        if let Some(Value::Multi(m)) = self.intake.form.value_mut(id) {
            if let Some(i) = m.iter().position(|c| c == code) {
                m.remove(i);
            } else {
                m.push(code.to_string());
            }
        }
    }

    fn on_multi_key(&mut self, id: FieldId, list: PickList, k: KeyEvent) -> Vec<Effect> {
        let opts = options(list, &self.intake.form);
        match k.code {
            KeyCode::Enter | KeyCode::Char(' ') => {
                self.popup = Some(Popup::Picker {
                    field: id,
                    cursor: 0,
                });
                vec![]
            }
            KeyCode::Backspace | KeyCode::Delete => {
                if !self.intake.digits.is_empty() {
                    self.intake.digits.clear();
                    return vec![];
                }
                if let Some(Value::Multi(m)) = self.intake.form.value_mut(id) {
                    m.pop();
                }
                self.form_changed()
            }
            KeyCode::Char(c) if c.is_ascii_digit() => {
                if list == PickList::Category {
                    // Category codes are typed as their two digits: 03 → LD03.
                    self.intake.digits.push(c);
                    if self.intake.digits.len() < 2 {
                        return vec![];
                    }
                    let code = format!("LD{}", self.intake.digits);
                    self.intake.digits.clear();
                    if Category::from_code(&code).is_some() {
                        self.toggle(id, &code);
                        return self.form_changed();
                    }
                    return vec![];
                }
                let i = c.to_digit(10).unwrap_or(0) as usize;
                if i >= 1 && i <= opts.len() {
                    self.toggle(id, opts[i - 1].0);
                    return self.form_changed();
                }
                vec![]
            }
            _ => vec![],
        }
    }

    fn submit(&mut self) -> Vec<Effect> {
        if self.intake.submitting {
            return vec![];
        }
        self.recompute();
        if !self.intake.decision.errors.is_empty() {
            let n = self.intake.decision.errors.len();
            // Show every problem now, and go to the first field that has one.
            for id in self.intake.form.order() {
                self.touch(id);
            }
            let first = self.intake.decision.errors[0].field.clone();
            if let Some(id) = self
                .intake
                .form
                .order()
                .into_iter()
                .find(|id| id.path() == first || id.also_shows().contains(&first.as_str()))
            {
                self.intake.focus = id;
            }
            self.error(fill(self.s.submit_blocked, &[("n", &n.to_string())]));
            return vec![];
        }
        if self.staff.is_none() {
            return vec![];
        }
        self.intake.submitting = true;
        vec![Effect::Call(Request::Submit(Box::new(Submission {
            record: self.intake.form.to_record(),
            route_override: self.intake.route_override.clone(),
            at: self.now,
        })))]
    }

    fn on_submitted(&mut self, r: Result<Issued, AppError>) -> Vec<Effect> {
        self.intake.submitting = false;
        match r {
            Ok(issued) => {
                self.issued = Some(issued);
                self.screen = Screen::Ticket;
                self.reset_form();
                vec![Effect::DiscardDraft]
            }
            Err(e) => {
                tracing::warn!(error = %e, "submit failed; the form is kept");
                let text = fill(self.s.submit_failed, &[("e", &e.to_string())]);
                self.error(text);
                vec![]
            }
        }
    }

    // ---------------------------------------------------------------- popups

    fn on_popup_key(&mut self, popup: Popup, k: KeyEvent) -> Vec<Effect> {
        match popup {
            Popup::Picker { field, cursor } => self.on_picker_key(field, cursor, k),
            Popup::Override { route, mut reason } => {
                match k.code {
                    KeyCode::Esc => return vec![],
                    KeyCode::Delete => {
                        self.intake.route_override = None;
                        return self.form_changed();
                    }
                    KeyCode::Enter => {
                        match route {
                            Some(r) if !reason.text().trim().is_empty() => {
                                self.intake.route_override = Some(RouteOverride {
                                    route: r,
                                    reason: reason.text().trim().to_string(),
                                });
                                return self.form_changed();
                            }
                            _ => self.error(self.s.override_needs_reason),
                        }
                        self.popup = Some(Popup::Override { route, reason });
                        return vec![];
                    }
                    _ => {}
                }
                let route = match typed(&k).and_then(route_by_digit) {
                    Some(r) if reason.is_empty() => Some(r),
                    _ => {
                        edit_text(&mut reason, &k);
                        route
                    }
                };
                self.popup = Some(Popup::Override { route, reason });
                vec![]
            }
            Popup::Transfer {
                ticket,
                route,
                mut reason,
            } => {
                match k.code {
                    KeyCode::Esc => return vec![],
                    KeyCode::Enter => {
                        if let (Some(to), false) = (route, reason.text().trim().is_empty()) {
                            return vec![Effect::Call(Request::Transfer {
                                ticket,
                                to,
                                reason: reason.text().trim().to_string(),
                                at: self.now,
                            })];
                        }
                        self.error(self.s.override_needs_reason);
                        self.popup = Some(Popup::Transfer {
                            ticket,
                            route,
                            reason,
                        });
                        return vec![];
                    }
                    _ => {}
                }
                // Only routes with a local queue can take a transfer.
                let route = match typed(&k).and_then(route_by_digit) {
                    Some(r) if reason.is_empty() && r != Route::Referral => Some(r),
                    _ => {
                        edit_text(&mut reason, &k);
                        route
                    }
                };
                self.popup = Some(Popup::Transfer {
                    ticket,
                    route,
                    reason,
                });
                vec![]
            }
            Popup::Finish { ticket, cursor } => {
                let n = Outcome::ALL.len();
                let pick = match (k.code, typed(&k).and_then(|c| c.to_digit(10))) {
                    (KeyCode::Esc, _) => return vec![],
                    (KeyCode::Enter, _) => Some(cursor),
                    (_, Some(d)) if d >= 1 && (d as usize) <= n => Some(d as usize - 1),
                    _ => None,
                };
                if let Some(i) = pick {
                    return vec![Effect::Call(Request::Finish {
                        ticket,
                        outcome: Outcome::ALL[i],
                        at: self.now,
                    })];
                }
                let cursor = list_move(cursor, n, &k);
                self.popup = Some(Popup::Finish { ticket, cursor });
                vec![]
            }
            Popup::Reprint { case_no, cursor } => {
                let n = PrintKind::ALL.len();
                let pick = match (k.code, typed(&k).and_then(|c| c.to_digit(10))) {
                    (KeyCode::Esc, _) => return vec![],
                    (KeyCode::Enter, _) => Some(cursor),
                    (_, Some(d)) if d >= 1 && (d as usize) <= n => Some(d as usize - 1),
                    _ => None,
                };
                if let Some(i) = pick {
                    return vec![Effect::Call(Request::Reprint {
                        case_no,
                        paper: PrintKind::ALL[i],
                        at: self.now,
                    })];
                }
                let cursor = list_move(cursor, n, &k);
                self.popup = Some(Popup::Reprint { case_no, cursor });
                vec![]
            }
            Popup::DraftOffer(d) => match typed(&k).map(|c| c.to_ascii_lowercase()) {
                Some('y') => {
                    self.intake.form = Form::from_data(&d.form);
                    self.intake.route_override = d.route_override.clone();
                    self.intake.focus = FieldId::ApplicantName;
                    self.screen = Screen::Intake;
                    self.recompute();
                    self.info(self.s.draft_restored);
                    vec![]
                }
                Some('n') => vec![Effect::DiscardDraft],
                _ => {
                    self.popup = Some(Popup::DraftOffer(d));
                    vec![]
                }
            },
        }
    }

    fn on_picker_key(&mut self, field: FieldId, cursor: usize, k: KeyEvent) -> Vec<Effect> {
        let kind = field.kind();
        let list = match kind {
            Kind::Pick(l, _) | Kind::Multi(l) => l,
            _ => return vec![],
        };
        let opts = options(list, &self.intake.form);
        let multi = matches!(kind, Kind::Multi(_));
        match k.code {
            KeyCode::Esc => return vec![],
            KeyCode::Enter if !multi => {
                if let (Some(o), Some(v)) = (opts.get(cursor), self.intake.form.value_mut(field)) {
                    *v = Value::Pick(Some(o.0.to_string()));
                }
                let e = self.form_changed();
                self.move_focus(1);
                return e;
            }
            KeyCode::Enter => return vec![],
            KeyCode::Char(' ') if multi => {
                if let Some(o) = opts.get(cursor) {
                    self.toggle(field, o.0);
                }
                self.popup = Some(Popup::Picker { field, cursor });
                return self.form_changed();
            }
            _ => {}
        }
        let cursor = list_move(cursor, opts.len(), &k);
        self.popup = Some(Popup::Picker { field, cursor });
        vec![]
    }

    // ---------------------------------------------------------------- other screens

    fn on_ticket_key(&mut self, k: KeyEvent) -> Vec<Effect> {
        match k.code {
            KeyCode::Enter => self.open_intake(),
            KeyCode::Char('p') => {
                if let Some(i) = &self.issued {
                    self.popup = Some(Popup::Reprint {
                        case_no: i.case_no.clone(),
                        cursor: 0,
                    });
                }
                vec![]
            }
            _ => vec![],
        }
    }

    fn selected_entry(&self) -> Option<&QueueEntry> {
        self.queue.entries.get(self.queue.selected)
    }

    /// The ticket this window holds (called or being served): recall, no-show, start and finish
    /// act on it whatever the selection, since they mean nothing for a ticket still waiting.
    fn held_entry(&self) -> Option<&QueueEntry> {
        self.queue.entries.iter().find(|e| e.is_held())
    }

    /// Puts the selection on the held ticket, if there is one.
    fn select_held(&mut self) {
        if let Some(i) = self.queue.entries.iter().position(QueueEntry::is_held) {
            self.queue.selected = i;
        }
    }

    fn on_queue_key(&mut self, k: KeyEvent) -> Vec<Effect> {
        if self.staff.is_none() {
            return vec![];
        }
        let at = self.now;
        let n = self.queue.entries.len();
        let op = |app: &mut App, op: TicketOp| match app.held_entry() {
            Some(e) => vec![Effect::Call(Request::Ticket {
                op,
                ticket: e.ticket.clone(),
                at,
            })],
            None => {
                app.error(app.s.nothing_held);
                vec![]
            }
        };
        match k.code {
            KeyCode::Up | KeyCode::Down | KeyCode::Home | KeyCode::End => {
                self.queue.selected = list_move(self.queue.selected, n, &k);
                vec![]
            }
            KeyCode::Char('n') => match self.held_entry() {
                // Refused here and again by the service: a window holds one ticket at a time.
                Some(e) => {
                    let t = e.ticket.clone();
                    self.error(fill(self.s.window_busy, &[("t", t.as_str())]));
                    vec![]
                }
                None => vec![Effect::Call(Request::CallNext { at })],
            },
            KeyCode::Char('r') => op(self, TicketOp::Recall),
            KeyCode::Char('x') => op(self, TicketOp::NoShow),
            KeyCode::Char('s') => op(self, TicketOp::Start),
            KeyCode::Char('g') | KeyCode::F(5) => self.refresh_queue(),
            KeyCode::Char('t') => {
                if let Some(e) = self.selected_entry() {
                    self.popup = Some(Popup::Transfer {
                        ticket: e.ticket.clone(),
                        route: None,
                        reason: TextInput::default(),
                    });
                }
                vec![]
            }
            KeyCode::Char('f') => {
                match self.held_entry() {
                    Some(e) => {
                        self.popup = Some(Popup::Finish {
                            ticket: e.ticket.clone(),
                            cursor: 0,
                        })
                    }
                    None => self.error(self.s.nothing_held),
                }
                vec![]
            }
            KeyCode::Char('p') => {
                if let Some(case_no) = self.selected_entry().and_then(|e| e.case_no.clone()) {
                    self.popup = Some(Popup::Reprint { case_no, cursor: 0 });
                }
                vec![]
            }
            KeyCode::Enter => match self.selected_entry().and_then(|e| e.case_no.clone()) {
                Some(c) => vec![Effect::Call(Request::CaseView(c))],
                None => vec![],
            },
            _ => vec![],
        }
    }

    fn on_case_key(&mut self, k: KeyEvent) -> Vec<Effect> {
        match k.code {
            KeyCode::Esc | KeyCode::Backspace => {
                self.screen = self.back;
                if self.screen == Screen::Queue {
                    return self.refresh_queue();
                }
                vec![]
            }
            KeyCode::Char('p') => {
                if let Some(c) = &self.case {
                    self.popup = Some(Popup::Reprint {
                        case_no: c.case_no.clone(),
                        cursor: 0,
                    });
                }
                vec![]
            }
            _ => vec![],
        }
    }

    fn on_search_key(&mut self, k: KeyEvent) -> Vec<Effect> {
        let n = self.search.results.len();
        match k.code {
            KeyCode::Esc => {
                self.screen = Screen::Queue;
                self.refresh_queue()
            }
            KeyCode::Up | KeyCode::Down => {
                self.search.selected = list_move(self.search.selected, n, &k);
                vec![]
            }
            KeyCode::Enter => {
                let q = self.search.query.text().trim().to_string();
                if self.search.searched_for.as_deref() == Some(q.as_str())
                    && let Some(hit) = self.search.results.get(self.search.selected)
                {
                    return vec![Effect::Call(Request::CaseView(hit.case_no.clone()))];
                }
                if q.is_empty() {
                    return vec![];
                }
                self.search.searched_for = Some(q.clone());
                vec![Effect::Call(Request::Search(q))]
            }
            _ => {
                edit_text(&mut self.search.query, &k);
                vec![]
            }
        }
    }
}

/// Applies an editing key to a text input; true when the text changed.
pub fn edit_text(t: &mut TextInput, k: &KeyEvent) -> bool {
    if k.modifiers.contains(KeyModifiers::CONTROL) {
        if k.code == KeyCode::Char('u') {
            t.clear();
            return true;
        }
        return false;
    }
    let before = t.text().len();
    match k.code {
        KeyCode::Char(c) if !k.modifiers.contains(KeyModifiers::ALT) => t.insert_char(c),
        KeyCode::Backspace => t.backspace(),
        KeyCode::Delete => t.delete(),
        KeyCode::Left => t.left(),
        KeyCode::Right => t.right(),
        KeyCode::Home => t.home(),
        KeyCode::End => t.end(),
        _ => {}
    }
    t.text().len() != before
}

fn list_move(cursor: usize, n: usize, k: &KeyEvent) -> usize {
    if n == 0 {
        return 0;
    }
    match k.code {
        KeyCode::Up => cursor.saturating_sub(1),
        KeyCode::Down => (cursor + 1).min(n - 1),
        KeyCode::Home => 0,
        KeyCode::End => n - 1,
        _ => cursor.min(n - 1),
    }
}

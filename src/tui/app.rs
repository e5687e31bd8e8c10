//! The kiosk's shared state and the one place state changes: [`App::update`]. Keys, paste, ticks
//! and the answers of backend calls all arrive as [`Action`]s; what must happen outside (a backend
//! call, a draft save) leaves as [`Effect`]s. Nothing here awaits or does I/O.
//!
//! Each screen (`screens/`) and popup (`popups/`) owns its state, its key handling and its
//! drawing. The app keeps what they share — settings, clock, the clerk, health, the message line,
//! which screen shows and which popup is open — and routes: a key goes to the open popup, else to
//! the keys every signed-in screen shares, else to the screen showing; the [`Reply`] that comes
//! back says what the app should do with what it owns.

use super::draft::Draft;
use super::effect::{Effect, Request};
use super::keys::ctrl;
use super::popups::{Answer, Confirm, Confirmed, DraftOffer, Popup, Unconfirmed};
use super::screens::{case, intake, queue, search, setup, sign_in, ticket};
use crate::app::{
    AppError, CaseSummary, CaseView, DbStatus, Health, Issued, PrinterHealth, QueueEntry, Staff,
};
use crate::config::Lang;
use crate::domain::{PrintKind, SiteSettings, StaffNo, TicketNo, WindowNo};
use crate::i18n::fill;
use crate::i18n::kiosk::{Strings, strings};
use chrono::{DateTime, FixedOffset};
use crossterm::event::{KeyCode, KeyEvent};

/// The supervisor's sign-in screen edits its fields with the kiosk's keys.
pub use super::keys::edit_text;

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
    /// The clerk's answer for unconfirmed paper was recorded (`true`: it came out).
    PrintResolved(PrintKind, bool, Result<(), AppError>),
    Health(Result<Health, AppError>),
    /// The draft the clerk who signed in left here (or why it could not be read).
    DraftLoaded(Result<Option<Draft>, String>),
    DraftSaveFailed(String),
    /// Another process (or this one) changed the database: the queue is read again.
    Changed,
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

/// Everything the kiosk needs to start, besides its backend.
#[derive(Debug, Clone)]
pub struct Settings {
    pub lang: Lang,
    pub site: SiteSettings,
    pub window: WindowNo,
    pub idle_lock_minutes: u32,
    pub demo: bool,
}

/// What a screen or popup reads of the shared state while it handles a key or draws. Only the app
/// changes these.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    pub s: &'static Strings,
    pub now: DateTime<FixedOffset>,
    pub settings: &'a Settings,
    pub staff: Option<&'a Staff>,
}

impl<'a> Ctx<'a> {
    pub fn new(
        settings: &'a Settings,
        now: DateTime<FixedOffset>,
        staff: Option<&'a Staff>,
    ) -> Self {
        Ctx {
            s: strings(settings.lang),
            now,
            settings,
            staff,
        }
    }

    pub fn lang(&self) -> Lang {
        self.settings.lang
    }
}

/// What a screen or popup asks of the app after a key.
#[derive(Debug)]
pub enum Reply {
    /// Nothing more: the key changed only the screen's own state, or nothing.
    Nothing,
    /// Something for the run loop: a call, a draft to save or to discard.
    Effect(Effect),
    Open(Popup),
    /// Show this screen. The queue is reloaded when it is shown; a new intake after a ticket
    /// starts from an empty form.
    Show(Screen),
    /// Back to the screen the case view was opened from.
    Back,
    Error(String),
    /// A popup's change to the intake form, for the intake screen.
    Edit(intake::Edit),
    /// The clerk took back the draft they left.
    RestoreDraft(Box<Draft>),
    /// Sign the clerk out (after the confirmation, when the form was not submitted).
    SignOut,
}

impl Reply {
    pub fn call(request: Request) -> Reply {
        Reply::Effect(Effect::Call(request))
    }
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
    pub sign_in: sign_in::State,
    pub setup: setup::State,
    pub intake: intake::State,
    pub issued: Option<Issued>,
    pub queue: queue::State,
    pub case: Option<CaseView>,
    pub search: search::State,
    pending_draft: Option<Draft>,
    /// The clerk the idle lock was for: only they resume where they were.
    locked: Option<StaffNo>,
    /// Their form comes back from their draft without asking, after the idle lock.
    resume_draft: bool,
    ticks: u64,
    pub quit: bool,
}

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;
/// Seconds between status polls and queue refreshes. The status comes from the kiosk's health
/// check, so asking every second costs nothing and shows a lost database within its 5 s.
const HEALTH_EVERY: u64 = 1;
const QUEUE_EVERY: u64 = 10;

impl App {
    pub fn new(settings: Settings, now: DateTime<FixedOffset>) -> (App, Vec<Effect>) {
        let app = App {
            s: strings(settings.lang),
            now,
            last_input: now,
            screen: Screen::SignIn,
            back: Screen::Intake,
            staff: None,
            health: None,
            help: false,
            popup: None,
            message: None,
            sign_in: sign_in::State::default(),
            setup: setup::State::default(),
            intake: intake::State::new(&settings.site, now),
            issued: None,
            queue: queue::State::default(),
            case: None,
            search: search::State::default(),
            pending_draft: None,
            locked: None,
            resume_draft: false,
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

    /// The shared state as screens and popups read it.
    pub fn ctx(&self) -> Ctx<'_> {
        Ctx::new(&self.settings, self.now, self.staff.as_ref())
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
            e => format!("{}: {}", self.s.error, e.words(self.settings.lang)),
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
            Action::Changed if self.staff.is_some() => self.refresh_queue(),
            Action::Changed => vec![],
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
                self.sign_in.staff_from_setup(self.setup.supervisor_no());
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
                self.queue.load(entries);
                vec![]
            }
            // What the list showed may be out of date; "nobody waiting" would be a guess.
            Action::QueueLoaded(Err(AppError::Unavailable)) => {
                self.queue.unknown = true;
                self.backend_error(&AppError::Unavailable);
                vec![]
            }
            // Refused, not queued: the clerk must know no ticket was called.
            Action::Called(Err(AppError::Unavailable)) => {
                self.error(self.s.call_refused_unavailable);
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
                self.search.found(results);
                if self.search.results.is_empty() {
                    self.info(self.s.search_none);
                }
                vec![]
            }
            Action::PrintResolved(paper, came_out, Ok(())) => {
                let msg = if came_out {
                    self.s.unconfirmed_came_out
                } else {
                    self.s.reprinted
                };
                self.info(fill(msg, &[("p", paper.label(self.settings.lang))]));
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
            Action::Health(Ok(h)) => self.on_health(h),
            Action::Health(Err(_)) => {
                // Not reaching the backend is itself the news: the database is away.
                self.on_health(Health {
                    database: DbStatus::Reconnecting,
                    printer: self.health.map_or(PrinterHealth::Offline, |h| h.printer),
                    pending_print_jobs: self.health.map_or(0, |h| h.pending_print_jobs),
                    unconfirmed: None,
                })
            }
            Action::QueueLoaded(Err(e))
            | Action::Called(Err(e))
            | Action::TicketUpdated(Err(e))
            | Action::TransferDone(Err(e))
            | Action::CaseLoaded(Err(e))
            | Action::SearchResults(Err(e))
            | Action::Reprinted(_, Err(e))
            | Action::PrintResolved(_, _, Err(e)) => {
                self.backend_error(&e);
                vec![]
            }
            Action::DraftLoaded(Ok(d)) => self.on_draft_loaded(d),
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

    /// The status line follows the health check; the queue is marked unknown while the database
    /// is away and read again as soon as it is back.
    fn on_health(&mut self, h: Health) -> Vec<Effect> {
        let was_down = self
            .health
            .is_some_and(|old| old.database == DbStatus::Reconnecting);
        self.health = Some(h);
        // Paper that may not have come out: asked at once, over whatever is on the screen
        // (never over another dialog, which the clerk finishes first).
        if let Some((job, kind)) = h.unconfirmed
            && self.staff.is_some()
            && self.popup.is_none()
        {
            self.popup = Some(Popup::Unconfirmed(Unconfirmed::new(job, kind)));
        }
        match h.database {
            DbStatus::Reconnecting => {
                self.queue.unknown = true;
                vec![]
            }
            DbStatus::Connected if was_down && self.staff.is_some() => self.refresh_queue(),
            DbStatus::Connected => vec![],
        }
    }

    fn on_tick(&mut self, now: DateTime<FixedOffset>) -> Vec<Effect> {
        let new_day = now.date_naive() != self.now.date_naive();
        self.now = now;
        self.ticks += 1;
        if new_day {
            self.intake.recompute(&self.settings.site, now);
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

    /// The idle lock: the clerk's form leaves the screen (it is in their draft file, and comes
    /// back when they sign in again); the rest waits for them, and only for them.
    fn lock_idle(&mut self) {
        if let Some(staff) = self.staff.take() {
            self.back = self.screen;
            self.sign_in = sign_in::State::idle_locked(&staff.number);
            self.locked = Some(staff.number);
            self.screen = Screen::SignIn;
            self.popup = None;
            self.help = false;
            self.intake.reset(&self.settings.site, self.now);
            self.pending_draft = None;
        }
    }

    /// Nothing of a clerk's work stays for the next one: the form (kept in the clerk's draft),
    /// the ticket shown, the case, the search and the list.
    fn clear_session(&mut self) {
        self.back = Screen::Intake;
        self.popup = None;
        self.help = false;
        self.intake.reset(&self.settings.site, self.now);
        self.pending_draft = None;
        self.resume_draft = false;
        self.locked = None;
        self.issued = None;
        self.case = None;
        self.search = search::State::default();
        self.queue = queue::State::default();
    }

    fn sign_out(&mut self) -> Vec<Effect> {
        let effects = match self.staff.take() {
            Some(_) => vec![Effect::Call(Request::SignOut { at: self.now })],
            None => vec![],
        };
        self.sign_in = sign_in::State::default();
        self.screen = Screen::SignIn;
        self.clear_session();
        self.info(self.s.signed_out);
        effects
    }

    /// A draft read for the clerk signed in: given back at once after their idle lock, offered
    /// otherwise. One that is not theirs, or arrives after they left, is dropped.
    fn on_draft_loaded(&mut self, d: Option<Draft>) -> Vec<Effect> {
        let me = self.staff.as_ref().map(|s| s.number.as_str());
        let Some(d) = d.filter(|d| me.is_some() && d.staff.as_deref() == me) else {
            self.resume_draft = false;
            return vec![];
        };
        if std::mem::take(&mut self.resume_draft) {
            self.intake.restore(&d, &self.settings.site, self.now);
            return vec![];
        }
        self.pending_draft = Some(d);
        self.offer_draft();
        vec![]
    }

    fn on_signed_in(&mut self, r: Result<Staff, AppError>) -> Vec<Effect> {
        self.sign_in.waiting = false;
        match r {
            Ok(staff) => {
                // Only the clerk the idle lock was for resumes where they were; anyone else
                // starts clean.
                let resume = self.sign_in.idle_locked
                    && self.locked.as_ref().is_some_and(|n| *n == staff.number);
                if resume {
                    self.locked = None;
                    self.screen = self.back;
                    self.resume_draft = true;
                } else {
                    self.clear_session();
                    self.screen = Screen::Intake;
                }
                let mut e = vec![Effect::LoadDraft(staff.number.clone())];
                self.staff = Some(staff);
                self.sign_in = sign_in::State::default();
                self.message = None;
                e.push(Effect::Call(Request::Health));
                e.extend(self.refresh_queue());
                e
            }
            Err(AppError::BadCredentials { attempts_left }) => {
                self.sign_in
                    .refuse(fill(self.s.bad_pin, &[("n", &attempts_left.to_string())]));
                vec![]
            }
            Err(AppError::LockedOut { until }) => {
                self.sign_in.refuse(fill(
                    self.s.locked_out,
                    &[("t", &until.format("%H:%M").to_string())],
                ));
                vec![]
            }
            Err(AppError::NoScreen { role }) => {
                self.sign_in.refuse((self.s.no_screen)(role));
                vec![]
            }
            Err(e) => {
                self.backend_error(&e);
                vec![]
            }
        }
    }

    fn on_submitted(&mut self, r: Result<Issued, AppError>) -> Vec<Effect> {
        self.intake.submitting = false;
        match r {
            Ok(issued) => {
                self.issued = Some(issued);
                self.screen = Screen::Ticket;
                self.intake.reset(&self.settings.site, self.now);
                vec![Effect::DiscardDraft]
            }
            Err(e) => {
                tracing::warn!(error = %e, "submit failed; the form is kept");
                let text = fill(self.s.submit_failed, &[("e", &e.words(self.settings.lang))]);
                self.error(text);
                vec![]
            }
        }
    }

    fn offer_draft(&mut self) {
        if self.staff.is_some()
            && self.popup.is_none()
            && let Some(d) = self.pending_draft.take()
        {
            self.popup = Some(Popup::DraftOffer(DraftOffer::new(d)));
        }
    }

    fn refresh_queue(&self) -> Vec<Effect> {
        vec![Effect::Call(Request::Queue { at: self.now })]
    }

    // ---------------------------------------------------------------- routing

    fn on_key(&mut self, k: KeyEvent) -> Vec<Effect> {
        if k.kind == crossterm::event::KeyEventKind::Release {
            return vec![];
        }
        // Ctrl-Q asks first once a clerk is signed in (a second Ctrl-Q over the question
        // quits); Ctrl-C stays the way out that never asks.
        let asking_quit =
            matches!(&self.popup, Some(Popup::Confirm(c)) if *c.what() == Confirmed::Quit);
        if ctrl(&k, 'c') || (ctrl(&k, 'q') && (self.staff.is_none() || asking_quit)) {
            self.quit = true;
            return vec![Effect::Quit];
        }
        if ctrl(&k, 'q') {
            self.help = false;
            self.popup = Some(Popup::Confirm(Confirm::new(Confirmed::Quit)));
            return vec![];
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
        if self.popup.is_some() {
            return self.on_popup_key(k);
        }
        // Signed in from here on: the keys every screen shares come first. Set-up and sign-in
        // take every key as typing.
        let signed_in = !matches!(self.screen, Screen::Setup | Screen::SignIn);
        if signed_in {
            match k.code {
                KeyCode::Char('?') if !self.typing() => {
                    self.help = true;
                    return vec![];
                }
                KeyCode::F(2) => return self.show(Screen::Intake),
                KeyCode::F(3) => return self.show(Screen::Queue),
                KeyCode::F(4) => return self.show(Screen::Search),
                KeyCode::F(9) if self.intake.is_empty() => return self.sign_out(),
                KeyCode::F(9) => {
                    self.popup = Some(Popup::Confirm(Confirm::new(Confirmed::SignOut)));
                    return vec![];
                }
                _ => {}
            }
        }
        let ctx = Ctx::new(&self.settings, self.now, self.staff.as_ref());
        let reply = match self.screen {
            Screen::Setup => self.setup.on_key(k, &ctx),
            Screen::SignIn => self.sign_in.on_key(k, &ctx),
            Screen::Intake => self.intake.on_key(k, &ctx),
            Screen::Ticket => ticket::on_key(self.issued.as_ref(), k),
            Screen::Queue => self.queue.on_key(k, &ctx),
            Screen::Case => case::on_key(self.case.as_ref(), k),
            Screen::Search => self.search.on_key(k),
        };
        self.apply(reply)
    }

    fn on_popup_key(&mut self, k: KeyEvent) -> Vec<Effect> {
        let ctx = Ctx::new(&self.settings, self.now, self.staff.as_ref());
        let Some(popup) = &mut self.popup else {
            return vec![];
        };
        let reply = match popup.on_key(k, &ctx, &self.intake.form) {
            Answer::Stay(reply) => reply,
            Answer::Close(reply) => {
                self.popup = None;
                reply
            }
        };
        self.apply(reply)
    }

    /// Whether the screen showing takes typed characters (then `?` is a character, not help).
    fn typing(&self) -> bool {
        match self.screen {
            Screen::Intake => self.intake.typing(),
            Screen::Search => true,
            _ => false,
        }
    }

    fn on_paste(&mut self, text: &str) -> Vec<Effect> {
        if self.help {
            return vec![];
        }
        if let Some(popup) = &mut self.popup {
            popup.on_paste(text);
            return vec![];
        }
        let ctx = Ctx::new(&self.settings, self.now, self.staff.as_ref());
        let reply = match self.screen {
            Screen::Intake => self.intake.on_paste(text, &ctx),
            Screen::Search => self.search.on_paste(text),
            Screen::SignIn => self.sign_in.on_paste(text),
            Screen::Setup => self.setup.on_paste(text),
            Screen::Ticket | Screen::Queue | Screen::Case => Reply::Nothing,
        };
        self.apply(reply)
    }

    /// Does what a screen or popup asked of the app.
    fn apply(&mut self, reply: Reply) -> Vec<Effect> {
        match reply {
            Reply::Nothing => vec![],
            Reply::Effect(Effect::Quit) => {
                self.quit = true;
                vec![Effect::Quit]
            }
            Reply::Effect(e) => vec![e],
            Reply::Open(popup) => {
                self.popup = Some(popup);
                vec![]
            }
            Reply::Show(screen) => self.show(screen),
            Reply::Back => self.show(self.back),
            Reply::Error(text) => {
                self.error(text);
                vec![]
            }
            Reply::Edit(edit) => {
                let discard = edit == intake::Edit::Discard;
                let ctx = Ctx::new(&self.settings, self.now, self.staff.as_ref());
                let reply = self.intake.apply(edit, &ctx);
                let effects = self.apply(reply);
                if discard {
                    self.info(self.s.form_discarded);
                }
                effects
            }
            Reply::SignOut => self.sign_out(),
            Reply::RestoreDraft(d) => {
                self.intake.restore(&d, &self.settings.site, self.now);
                self.screen = Screen::Intake;
                self.info(self.s.draft_restored);
                vec![]
            }
        }
    }

    /// Shows a screen: a new intake after a ticket starts from an empty form, and the queue is
    /// reloaded each time it is shown.
    fn show(&mut self, screen: Screen) -> Vec<Effect> {
        if screen == Screen::Intake && self.screen == Screen::Ticket {
            self.intake.reset(&self.settings.site, self.now);
        }
        self.screen = screen;
        if screen == Screen::Queue {
            return self.refresh_queue();
        }
        vec![]
    }
}

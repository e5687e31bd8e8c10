//! Drives the kiosk with key events over the real services (a temporary SQLite database, the
//! print runner writing to a spool folder) and a ratatui `TestBackend`, the way the run loop
//! would but one call at a time: for snapshot tests, flow tests and counting the keystrokes a
//! case takes. There is no second implementation of the queue here to drift from the product.

use super::app::{Action, App, Settings};
use super::draft::{Draft, Drafts};
use super::effect::{Effect, perform};
use super::screens;
use crate::app::demo::{self, DemoDir};
use crate::app::{Kiosk, Services};
use crate::config::{self, Lang};
use crate::domain::{SiteSettings, WindowNo};
use chrono::{DateTime, FixedOffset, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::future::Future;
use std::sync::Arc;
use unicode_width::UnicodeWidthStr;

/// What the database holds when the harness starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// Nothing: the kiosk runs the first-run set-up.
    Empty,
    /// The site with windows 1–3, clerk 1001 (PIN 123456), clerk 1002 and supervisor 9001.
    Staffed,
    /// As `Staffed`, plus three walk-ins registered at window 2 before `now` (the `--demo` site).
    Demo,
}

pub struct Harness {
    pub app: App,
    pub kiosk: Arc<Kiosk>,
    pub terminal: Terminal<TestBackend>,
    /// The newest draft the app asked to save, and whether a discard followed it.
    pub last_draft: Option<Draft>,
    pub draft_discarded: bool,
    /// The clerks' draft files, written as the kiosk writes them (at once, without the pause).
    pub drafts: Drafts,
    /// Keys pressed that are not typed text (navigation, pickers, commands).
    pub command_keys: usize,
    /// Characters typed into text fields.
    pub typed_chars: usize,
    runtime: tokio::runtime::Runtime,
    dir: DemoDir,
}

impl Harness {
    /// A kiosk at window 1 of `site` over a fresh SQLite database, its clock at `now`.
    pub fn new(
        lang: Lang,
        width: u16,
        height: u16,
        site: SiteSettings,
        start: Start,
        now: DateTime<FixedOffset>,
    ) -> Harness {
        Harness::on_database(lang, width, height, site, start, now, None)
    }

    /// As [`Harness::new`], on the empty database `url` (e.g. a fresh PostgreSQL database)
    /// instead of a temporary SQLite file.
    pub fn on_database(
        lang: Lang,
        width: u16,
        height: u16,
        site: SiteSettings,
        start: Start,
        now: DateTime<FixedOffset>,
        url: Option<&str>,
    ) -> Harness {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("test runtime: {e}"));
        let dir = DemoDir::create().unwrap_or_else(|e| panic!("temporary folder: {e}"));
        let mut cfg = demo::config(
            &config::load(&config::Sources::default()).unwrap_or_else(|e| panic!("config: {e}")),
            dir.path(),
        );
        cfg.lang = lang;
        cfg.site = site.clone();
        if let Some(url) = url {
            cfg.database_url = url.to_string();
        }
        cfg.site_code_set = start != Start::Empty;
        let kiosk = runtime.block_on(async {
            let services = Services::open(&cfg)
                .await
                .unwrap_or_else(|e| panic!("services: {e:#}"));
            if start != Start::Empty {
                demo::seed_staff(&services)
                    .await
                    .unwrap_or_else(|e| panic!("demo staff: {e:#}"));
            }
            if start == Start::Demo {
                demo::seed_cases(&services, now.with_timezone(&Utc))
                    .await
                    .unwrap_or_else(|e| panic!("demo cases: {e:#}"));
            }
            Kiosk::open(services, WindowNo(1))
                .await
                .unwrap_or_else(|e| panic!("kiosk: {e:#}"))
        });
        let settings = Settings {
            lang,
            site,
            window: WindowNo(1),
            idle_lock_minutes: 15,
            demo: start == Start::Demo,
        };
        let (app, effects) = App::new(settings, now);
        let drafts = Drafts::new(cfg.drafts_dir.clone(), WindowNo(1));
        let mut h = Harness {
            drafts,
            app,
            kiosk: Arc::new(kiosk),
            terminal: Terminal::new(TestBackend::new(width, height)).unwrap_or_else(|e| match e {}),
            last_draft: None,
            draft_discarded: false,
            command_keys: 0,
            typed_chars: 0,
            runtime,
            dir,
        };
        h.run_effects(effects);
        h
    }

    /// The services the kiosk runs on, to look at what it stored.
    pub fn services(&self) -> &Services {
        self.kiosk.services()
    }

    /// Runs a future on the harness's runtime (e.g. a storage query to check an effect).
    pub fn block_on<F: Future>(&self, f: F) -> F::Output {
        self.runtime.block_on(f)
    }

    /// The folder where paper is spooled (`.bin` + `.txt` per job).
    pub fn spool_dir(&self) -> std::path::PathBuf {
        self.dir.path().join("spool")
    }

    fn run_effects(&mut self, mut effects: Vec<Effect>) {
        while !effects.is_empty() {
            let mut next = vec![];
            for e in effects {
                match e {
                    Effect::Call(req) => {
                        let kiosk = self.kiosk.clone();
                        let action = self.runtime.block_on(perform(kiosk.as_ref(), req));
                        next.extend(self.app.update(action));
                    }
                    Effect::SaveDraft(d) => {
                        self.drafts
                            .save(&d)
                            .unwrap_or_else(|e| panic!("draft save: {e}"));
                        self.last_draft = Some(*d);
                        self.draft_discarded = false;
                    }
                    Effect::DiscardDraft => {
                        if let Some(staff) = &self.app.staff {
                            self.drafts
                                .of(&staff.number)
                                .discard()
                                .unwrap_or_else(|e| panic!("draft discard: {e}"));
                        }
                        self.last_draft = None;
                        self.draft_discarded = true;
                    }
                    Effect::LoadDraft(staff) => {
                        let action = super::load_draft(&self.drafts, &staff);
                        next.extend(self.app.update(action));
                    }
                    Effect::Quit => {}
                }
            }
            effects = next;
        }
    }

    pub fn dispatch(&mut self, action: Action) {
        let effects = self.app.update(action);
        self.run_effects(effects);
    }

    /// One command key (counted).
    pub fn press(&mut self, code: KeyCode) {
        self.press_with(code, KeyModifiers::NONE);
    }

    pub fn press_with(&mut self, code: KeyCode, modifiers: KeyModifiers) {
        self.command_keys += 1;
        self.dispatch(Action::Key(KeyEvent::new(code, modifiers)));
    }

    pub fn ctrl(&mut self, c: char) {
        self.press_with(KeyCode::Char(c), KeyModifiers::CONTROL);
    }

    /// Text typed character by character, as an input method delivers it (not counted as keys).
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.typed_chars += 1;
            self.dispatch(Action::Key(KeyEvent::new(
                KeyCode::Char(c),
                KeyModifiers::NONE,
            )));
        }
    }

    pub fn paste(&mut self, text: &str) {
        self.dispatch(Action::Paste(text.to_string()));
    }

    pub fn resize(&mut self, width: u16, height: u16) {
        self.terminal.backend_mut().resize(width, height);
        self.dispatch(Action::Resize(width, height));
    }

    /// Ticks (the kiosk's clock a second on each time) while real time passes, until the screen
    /// shows `text`; how long that took. Panics after `within`. For what the kiosk learns in the
    /// background, like its health check noticing the database is gone.
    pub fn tick_until(&mut self, text: &str, within: std::time::Duration) -> std::time::Duration {
        let start = std::time::Instant::now();
        loop {
            let now = self.app.now + chrono::Duration::seconds(1);
            self.dispatch(Action::Tick(now));
            let screen = self.render();
            if screen.contains(text) {
                return start.elapsed();
            }
            assert!(
                start.elapsed() < within,
                "no {text:?} within {within:?}; screen:\n{screen}"
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }

    /// The screen as text, one line per row, trailing blanks trimmed.
    pub fn render(&mut self) -> String {
        let app = &self.app;
        // A full redraw each time: the test buffer keeps cells a real terminal would have cleared
        // when a wide character is overwritten, so diffs against the last frame would leave stale
        // halves in the snapshot.
        self.terminal.clear().unwrap_or_else(|e| match e {});
        let _ = self
            .terminal
            .draw(|f| screens::draw(app, f))
            .unwrap_or_else(|e| match e {});
        buffer_text(self.terminal.backend().buffer())
    }
}

pub fn buffer_text(buf: &ratatui::buffer::Buffer) -> String {
    let area = buf.area;
    let mut out = String::new();
    for y in area.y..area.y + area.height {
        let mut line = String::new();
        let mut skip = 0;
        for x in area.x..area.x + area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            skip = sym.width().saturating_sub(1);
            line.push_str(sym);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

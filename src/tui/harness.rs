//! Drives the kiosk with key events against a [`MemoryBackend`] and a ratatui `TestBackend`, the
//! way the run loop would but synchronously: for snapshot tests, flow tests and counting the
//! keystrokes a case takes.

use super::app::{Action, App, Settings};
use super::backend::WindowId;
use super::draft::Draft;
use super::effect::{Effect, perform};
use super::memory::MemoryBackend;
use super::screens;
use crate::config::Lang;
use crate::domain::SiteSettings;
use chrono::{DateTime, FixedOffset};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::sync::Arc;
use unicode_width::UnicodeWidthStr;

pub struct Harness {
    pub app: App,
    pub backend: Arc<MemoryBackend>,
    pub terminal: Terminal<TestBackend>,
    /// The newest draft the app asked to save, and whether a discard followed it.
    pub last_draft: Option<Draft>,
    pub draft_discarded: bool,
    /// Keys pressed that are not typed text (navigation, pickers, commands).
    pub command_keys: usize,
    /// Characters typed into text fields.
    pub typed_chars: usize,
}

impl Harness {
    pub fn new(
        lang: Lang,
        width: u16,
        height: u16,
        site: SiteSettings,
        backend: Arc<MemoryBackend>,
        now: DateTime<FixedOffset>,
        demo: bool,
    ) -> Harness {
        let settings = Settings {
            lang,
            site,
            window: WindowId(1),
            idle_lock_minutes: 15,
            demo,
        };
        let (app, effects) = App::new(settings, now);
        let mut h = Harness {
            app,
            backend,
            terminal: Terminal::new(TestBackend::new(width, height)).unwrap_or_else(|e| match e {}),
            last_draft: None,
            draft_discarded: false,
            command_keys: 0,
            typed_chars: 0,
        };
        h.run_effects(effects);
        h
    }

    fn run_effects(&mut self, mut effects: Vec<Effect>) {
        while !effects.is_empty() {
            let mut next = vec![];
            for e in effects {
                match e {
                    Effect::Call(req) => {
                        let action =
                            futures::executor::block_on(perform(self.backend.as_ref(), req));
                        next.extend(self.app.update(action));
                    }
                    Effect::SaveDraft(d) => {
                        self.last_draft = Some(*d);
                        self.draft_discarded = false;
                    }
                    Effect::DiscardDraft => {
                        self.last_draft = None;
                        self.draft_discarded = true;
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

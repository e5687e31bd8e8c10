//! The supervisor's sign-in screen (`onewindow supervisor`), then the dashboard in the same
//! terminal.
//!
//! State + actions + a pure draw, like the kiosk: [`SignIn::update`] is the only place the screen
//! changes, and the check itself ([`check`]: the one sign-in of `app::auth` with no window, Argon2 off the
//! async workers) runs in a task that reports back as [`Action::Checked`], so the screen keeps
//! answering keys while the PIN is verified. Only storage is used: a supervisor's terminal runs no
//! print spool, so signing in here can never take a window's paper.

use super::console;
use super::live::{FrameSink, Keys, SupervisorSettings};
use crate::app::AppError;
use crate::app::auth::Permission;
use crate::app::auth::SignedIn;
use crate::app::{Acting, Services};
use crate::config::Lang;
use crate::domain::StaffNo;
use crate::i18n::dashboard::{self as strings, sign_in_notice};
use crate::storage::SiteInfo;
use crate::tui::app::edit_text;
use crate::tui::screens::{boxed, centered, pad, truncate, wrap_width};
use crate::tui::text_input::TextInput;
use chrono::{DateTime, FixedOffset};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use tokio::sync::mpsc;
use unicode_width::UnicodeWidthStr;

/// Columns of a field's label (a Chinese character counts two).
const LABEL_W: usize = 12;
/// Columns of a field's value.
const VALUE_W: usize = 20;
/// Width of the sign-in box, borders included.
const BOX_W: u16 = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Field {
    #[default]
    StaffNo,
    Pin,
}

/// What went wrong, shown at the field it concerns; the words are in `i18n::dashboard`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    StaffNoMissing,
    PinMissing,
    WrongPin {
        attempts_left: u32,
    },
    LockedUntil(DateTime<FixedOffset>),
    Unavailable,
    /// The PIN was right but the role has no dashboard nor any screen (a follow-up caller).
    NoScreen(crate::domain::StaffRole),
    /// Any other refusal, worded in the screen's language when drawn.
    Failed(AppError),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignIn {
    pub staff_no: TextInput,
    pub pin: TextInput,
    pub focus: Field,
    /// The last failure and the field it is shown at.
    pub notice: Option<(Field, Notice)>,
    /// A check is running; keys other than quit wait for it.
    pub checking: bool,
    /// Signed in: the screen says so while the dashboard loads.
    pub done: bool,
}

#[derive(Debug)]
pub enum Action {
    Key(KeyEvent),
    Checked(Result<SignedIn, AppError>),
}

/// What the loop does after an update.
#[derive(Debug, PartialEq, Eq)]
pub enum Step {
    Stay,
    /// Run [`check`] and report back with [`Action::Checked`].
    Check {
        staff: StaffNo,
        pin: String,
    },
    Quit,
    SignedIn(SignedIn),
}

impl SignIn {
    /// The empty screen, or with the staff number filled in (`--staff`) and the PIN focused.
    pub fn new(staff_no: Option<&str>) -> SignIn {
        match staff_no.map(str::trim).filter(|s| !s.is_empty()) {
            Some(code) => SignIn {
                staff_no: TextInput::new(code),
                focus: Field::Pin,
                ..SignIn::default()
            },
            None => SignIn::default(),
        }
    }

    pub fn update(&mut self, action: Action) -> Step {
        match action {
            Action::Key(k) => self.on_key(&k),
            Action::Checked(r) => self.on_checked(r),
        }
    }

    fn on_key(&mut self, k: &KeyEvent) -> Step {
        let ctrl_c = k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL);
        if k.code == KeyCode::Esc || ctrl_c {
            return Step::Quit;
        }
        if self.checking || self.done {
            return Step::Stay;
        }
        match (k.code, self.focus) {
            (KeyCode::Tab | KeyCode::BackTab | KeyCode::Up | KeyCode::Down, _) => {
                self.focus = match self.focus {
                    Field::StaffNo => Field::Pin,
                    Field::Pin => Field::StaffNo,
                };
            }
            (KeyCode::Enter, Field::StaffNo) if self.pin.is_empty() => {
                if self.staff_no.text().trim().is_empty() {
                    self.notice = Some((Field::StaffNo, Notice::StaffNoMissing));
                } else {
                    self.focus = Field::Pin;
                }
            }
            (KeyCode::Enter, _) => return self.submit(),
            (_, Field::StaffNo) => {
                edit_text(&mut self.staff_no, k);
            }
            (_, Field::Pin) => {
                edit_text(&mut self.pin, k);
            }
        }
        Step::Stay
    }

    fn submit(&mut self) -> Step {
        let staff = self.staff_no.text().trim().to_string();
        if staff.is_empty() {
            self.focus = Field::StaffNo;
            self.notice = Some((Field::StaffNo, Notice::StaffNoMissing));
            return Step::Stay;
        }
        if self.pin.is_empty() {
            self.focus = Field::Pin;
            self.notice = Some((Field::Pin, Notice::PinMissing));
            return Step::Stay;
        }
        self.checking = true;
        self.notice = None;
        Step::Check {
            staff: StaffNo(staff),
            pin: self.pin.text().to_string(),
        }
    }

    fn on_checked(&mut self, r: Result<SignedIn, AppError>) -> Step {
        self.checking = false;
        let notice = match r {
            // The sign-in asked for a supervisor: a clerk's right PIN is refused there like a
            // wrong one, so this screen never learns whether a clerk's PIN was right.
            Ok(who) => {
                self.pin.clear();
                self.notice = None;
                self.done = true;
                return Step::SignedIn(who);
            }
            Err(AppError::BadCredentials { attempts_left }) => {
                (Field::Pin, Notice::WrongPin { attempts_left })
            }
            Err(AppError::LockedOut { until }) => (Field::Pin, Notice::LockedUntil(until)),
            // The PIN stays so that Enter tries again once the database is back.
            Err(AppError::Unavailable) => {
                self.notice = Some((Field::Pin, Notice::Unavailable));
                return Step::Stay;
            }
            Err(AppError::NoScreen { role }) => (Field::Pin, Notice::NoScreen(role)),
            Err(e) => (Field::Pin, Notice::Failed(e)),
        };
        self.pin.clear();
        self.focus = notice.0;
        self.notice = Some(notice);
        Step::Stay
    }
}

/// The check [`Step::Check`] asks for: the one sign-in, at no window.
pub async fn check(
    services: &Services,
    staff: StaffNo,
    pin: String,
    at: DateTime<FixedOffset>,
) -> Result<SignedIn, AppError> {
    services
        .sign_in(&staff, pin, None, Permission::Dashboard, at)
        .await
}

fn field_line<'a>(label: &str, value: String, focused: bool) -> Line<'a> {
    let mut style = Style::new().add_modifier(Modifier::UNDERLINED);
    if focused {
        style = style.add_modifier(Modifier::BOLD);
    }
    Line::from(vec![
        Span::raw(if focused { " ▶" } else { "  " }),
        Span::raw(pad(label, LABEL_W)),
        Span::styled(pad(&value, VALUE_W), style),
    ])
}

/// The whole screen; pure.
pub fn draw(frame: &mut Frame, state: &SignIn, lang: Lang, site_name: &str) {
    let s = strings::sign_in_strings(lang);
    let area = frame.area();
    if area.height < 3 {
        return;
    }
    let title = Rect::new(area.x, area.y, area.width, 1);
    let title_text = format!(" {} · {}", strings::strings(lang).hall_title, s.title);
    let bar = Style::new().add_modifier(Modifier::REVERSED);
    frame.render_widget(Paragraph::new(title_text.clone()).style(bar), title);
    let room = (area.width as usize).saturating_sub(title_text.width() + 2);
    let site = truncate(site_name, room);
    let w = site.width() as u16;
    if w > 0 {
        frame.render_widget(
            Paragraph::new(site).style(bar),
            Rect::new(area.right() - w - 1, area.y, w, 1),
        );
    }
    let hint = Rect::new(area.x, area.bottom() - 1, area.width, 1);
    frame.render_widget(Paragraph::new(format!(" {}", s.hint)), hint);

    // Inside the box: the indent of a value, and the width a message may use under it.
    let indent = 2 + LABEL_W;
    let text_w = (BOX_W as usize - 2).saturating_sub(indent + 1).max(10);
    let notice_lines = |at: Field| -> Vec<Line<'static>> {
        match &state.notice {
            Some((f, n)) if *f == at => {
                wrap_width(&format!("✗ {}", sign_in_notice(lang, n)), text_w)
                    .into_iter()
                    .map(|l| {
                        Line::styled(
                            format!("{}{l}", " ".repeat(indent)),
                            Style::new().fg(Color::Red),
                        )
                    })
                    .collect()
            }
            _ => vec![],
        }
    };
    let mut lines = vec![Line::raw("")];
    let staff_row = lines.len();
    lines.push(field_line(
        s.staff_no,
        state.staff_no.text().to_string(),
        state.focus == Field::StaffNo,
    ));
    lines.extend(notice_lines(Field::StaffNo));
    let pin_row = lines.len();
    lines.push(field_line(
        s.pin,
        "•".repeat(state.pin.text().chars().count()),
        state.focus == Field::Pin,
    ));
    lines.extend(notice_lines(Field::Pin));
    lines.push(Line::raw(""));
    // The progress line has its row even when empty, so the box does not jump on Enter.
    let progress = match (state.done, state.checking) {
        (true, _) => s.opening,
        (false, true) => s.checking,
        (false, false) => "",
    };
    lines.push(Line::styled(
        format!("{}{progress}", " ".repeat(indent)),
        Style::new().fg(Color::Cyan),
    ));
    let body = Rect::new(area.x, area.y + 1, area.width, area.height - 2);
    let r = centered(body, BOX_W, lines.len() as u16 + 2);
    frame.render_widget(Clear, r);
    frame.render_widget(Paragraph::new(lines).block(boxed(s.title)), r);
    if state.checking || state.done {
        return;
    }
    let (row, col) = match state.focus {
        Field::StaffNo => (staff_row, state.staff_no.cursor_column()),
        Field::Pin => (pin_row, state.pin.text().chars().count()),
    };
    let at = Position::new(
        r.x + 1 + indent as u16 + col.min(VALUE_W) as u16,
        r.y + 1 + row as u16,
    );
    if r.contains(at) {
        frame.set_cursor_position(at);
    }
}

fn show<B: ratatui::backend::Backend>(
    terminal: &mut ratatui::Terminal<B>,
    state: &SignIn,
    lang: Lang,
    site: &SiteInfo,
    frames: &FrameSink,
) -> anyhow::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    let done = terminal.draw(|f| draw(f, state, lang, &site.name))?;
    if let Some(f) = frames {
        let _ = f.send(super::buffer_text(done.buffer));
    }
    Ok(())
}

/// The sign-in screen until a supervisor is in (`Some`) or the user quits (`None`). Keys are
/// borrowed so the same stream goes on into the dashboard.
pub async fn run_sign_in<B: ratatui::backend::Backend>(
    terminal: &mut ratatui::Terminal<B>,
    services: &Services,
    lang: Lang,
    mut state: SignIn,
    keys: &mut Keys,
    frames: &FrameSink,
) -> anyhow::Result<Option<SignedIn>>
where
    B::Error: Send + Sync + 'static,
{
    let (checked_tx, mut checked) = mpsc::unbounded_channel();
    let site = &services.site()?;
    show(terminal, &state, lang, site, frames)?;
    loop {
        let action = tokio::select! {
            key = keys.recv() => match key {
                Some(k) => Action::Key(k),
                None => return Ok(None),
            },
            Some(r) = checked.recv() => Action::Checked(r),
        };
        match state.update(action) {
            Step::Stay => {}
            Step::Quit => return Ok(None),
            Step::Check { staff, pin } => {
                let (services, tx) = (services.clone(), checked_tx.clone());
                tokio::spawn(async move {
                    let r = check(&services, staff, pin, crate::tui::event::now()).await;
                    let _ = tx.send(r);
                });
            }
            Step::SignedIn(who) => {
                show(terminal, &state, lang, site, frames)?;
                return Ok(Some(who));
            }
        }
        show(terminal, &state, lang, site, frames)?;
    }
}

/// `onewindow supervisor` on a terminal: sign-in, then the dashboard with the supervisor as the
/// actor of what they do there, until Esc. After `idle_lock_minutes` without a key the dashboard
/// locks, as the kiosk does: the sign-in screen comes back with the staff number filled in, and
/// nothing of the dashboard shows until a supervisor's PIN is typed again.
#[allow(clippy::too_many_arguments)]
pub async fn run<B: ratatui::backend::Backend>(
    terminal: &mut ratatui::Terminal<B>,
    services: &Services,
    lang: Lang,
    settings: &SupervisorSettings,
    staff_no: Option<&str>,
    mut keys: Keys,
    frames: FrameSink,
) -> anyhow::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    let mut state = SignIn::new(staff_no);
    let idle = (settings.idle_lock_minutes > 0)
        .then(|| std::time::Duration::from_secs(u64::from(settings.idle_lock_minutes) * 60));
    loop {
        let Some(who) = run_sign_in(terminal, services, lang, state, &mut keys, &frames).await?
        else {
            return Ok(());
        };
        tracing::info!(staff = %who.staff.number, "supervisor signed in");
        let by = Acting {
            staff: Some((who.id, who.staff.number.clone())),
            window: None,
        };
        let result = console::run_console(
            terminal,
            services,
            lang,
            settings,
            by.clone(),
            &mut keys,
            &frames,
            idle,
        )
        .await;
        // Best effort: a database that is gone must not turn leaving into an error.
        if let Err(e) = services
            .signed_out_of_console(&by, chrono::Utc::now())
            .await
        {
            tracing::warn!(error = %e, "sign-out not audited");
        }
        match result? {
            console::Exit::Quit => return Ok(()),
            console::Exit::Locked => {
                tracing::info!(staff = %who.staff.number, "dashboard locked after idle time");
                state = SignIn::new(Some(who.staff.number.as_str()));
            }
        }
    }
}

//! The supervisor's live dashboard loop: reload on changes (debounced) and every 30 s, keys for
//! acknowledging an alert with a note (A), the acknowledged alerts (H), moving a ticket (M),
//! changing a window's queues (Q), writing this month's report (R, asking before it overwrites
//! one), and reading a case's audit trail (L). Key handlers never await storage: each action runs
//! in a task that reports back, and the change it makes reaches the screen through the change
//! stream like anyone else's. A new MAJOR, ESCALATING or CHILD_LABOR alert rings the terminal bell
//! and flashes the alerts panel; status messages clear after [`MESSAGE_SECS`]; the dashboard
//! locks after the configured idle time, as the kiosk does.

use super::live::{self, Extras, FrameSink, Keys, SupervisorSettings};
use crate::app::error::error_chain;
use crate::app::health::DbState;
use crate::app::{Acting, Services};
use crate::config::Lang;
use crate::domain::Route;
use crate::domain::numbering::local_time;
use crate::domain::{TicketNo, WindowNo};
use crate::i18n::dashboard::{describe_alert, strings};
use crate::i18n::fill;
use chrono::{Datelike, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::widgets::Paragraph;
use std::collections::HashSet;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::Instant;

/// A status message stays this long.
pub const MESSAGE_SECS: u64 = 5;
/// The alerts panel flashes this long after a new urgent alert.
const FLASH: Duration = Duration::from_secs(5);
/// Acknowledged alerts shown by H.
const HISTORY_LINES: i64 = 200;

/// Why the dashboard ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Esc: the supervisor left.
    Quit,
    /// No key for the idle time: the screen locks until a supervisor signs in again.
    Locked,
}

/// What a prompt is asking for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ask {
    /// "T012 Z": ticket number of today, target queue prefix.
    Move,
    /// "3 T,Z": window number, queue prefixes it serves.
    Window,
    /// A case number whose audit trail to show.
    CaseAudit,
    /// What was done about alert record `id` (required to acknowledge it).
    AckNote(i64),
    /// y to overwrite this month's report file.
    Overwrite,
}

/// What a finished action reports back to the loop.
enum Done {
    /// One line for the status bar.
    Message(String),
    /// A titled panel shown over the dashboard until a key is pressed.
    Panel(String, Vec<String>),
}

struct State {
    snapshot: Option<super::dashboard::Snapshot>,
    /// The database as the health check last said.
    db: DbState,
    extras: Extras,
    selected: usize,
    prompt: Option<(Ask, String)>,
    message: String,
    /// When the message was set: it clears [`MESSAGE_SECS`] later.
    message_at: Option<Instant>,
    /// A case's audit trail or the alert history on screen (any key closes it).
    panel: Option<(String, Vec<String>)>,
    /// Alert records already on screen (`None` before the first load: what is there at sign-in
    /// is shown but does not ring).
    seen: Option<HashSet<i64>>,
    flash_until: Option<Instant>,
}

impl State {
    fn say(&mut self, message: String) {
        self.message = message;
        self.message_at = Some(Instant::now());
    }

    /// The next moment something on screen changes by itself (a message clears, a flash ends).
    fn next_timeout(&self) -> Option<Instant> {
        let clear = self
            .message_at
            .map(|at| at + Duration::from_secs(MESSAGE_SECS));
        [clear, self.flash_until].into_iter().flatten().min()
    }

    /// Ends what has timed out; true if anything did.
    fn expire(&mut self, now: Instant) -> bool {
        let mut changed = false;
        if self
            .message_at
            .is_some_and(|at| now >= at + Duration::from_secs(MESSAGE_SECS))
        {
            self.message.clear();
            self.message_at = None;
            changed = true;
        }
        if self.flash_until.is_some_and(|until| now >= until) {
            self.flash_until = None;
            changed = true;
        }
        changed
    }

    /// A new snapshot: true when it brings an urgent alert not seen before.
    fn take_snapshot(&mut self, snap: super::dashboard::Snapshot) -> bool {
        let ids: HashSet<i64> = snap.alerts.iter().filter_map(|a| a.record).collect();
        let urgent_new = self.seen.as_ref().is_some_and(|seen| {
            snap.alerts
                .iter()
                .any(|a| a.kind.urgent() && a.record.is_some_and(|id| !seen.contains(&id)))
        });
        self.seen = Some(ids);
        self.selected = self.selected.min(snap.alerts.len().saturating_sub(1));
        self.snapshot = Some(snap);
        urgent_new
    }
}

/// The terminal bell, when the dashboard is on a terminal (never into a pipe or a test's output).
fn ring_bell() {
    use std::io::{IsTerminal, Write};
    let mut out = std::io::stdout();
    if out.is_terminal() {
        let _ = out.write_all(b"\x07");
        let _ = out.flush();
    }
}

/// This month's report file, written in the current folder.
fn report_path() -> (chrono::NaiveDate, chrono::NaiveDate, std::path::PathBuf) {
    let today = crate::domain::numbering::local_day(&Utc::now());
    let from = today.with_day(1).unwrap_or(today);
    let path = std::path::PathBuf::from(format!("report-{}.xlsx", from.format("%Y-%m")));
    (from, today, path)
}

fn status_line(state: &State, lang: Lang) -> String {
    let s = strings(lang);
    let due = fill(
        s.followups_due,
        &[("n", &state.extras.followups_due.to_string())],
    );
    let ask = |question: &str, input: &str| format!("{due} | {question}{input}▏");
    match &state.prompt {
        Some((Ask::Move, input)) => ask(s.ask_move, input),
        Some((Ask::Window, input)) => ask(s.ask_window, input),
        Some((Ask::CaseAudit, input)) => ask(s.ask_case_audit, input),
        Some((Ask::AckNote(_), input)) => ask(s.ask_ack_note, input),
        Some((Ask::Overwrite, _)) => {
            let path = report_path().2.display().to_string();
            fill(s.ask_overwrite, &[("path", &path)])
        }
        // A message takes the keys' place for its few seconds, so it is never cut off.
        None if !state.message.is_empty() => format!("{due} | {}", state.message),
        None => format!("{due} | {}", s.console_keys),
    }
}

fn draw(frame: &mut ratatui::Frame, state: &State, lang: Lang) {
    if let Some(snap) = &state.snapshot {
        let view = super::dashboard::View {
            selected: state.selected,
            flash: state.flash_until.is_some(),
        };
        super::dashboard::draw(frame, snap, lang, &view);
    }
    let area = frame.area();
    if area.height == 0 {
        return;
    }
    // Over the title line while the database is away: the figures below are old, and say so.
    if let DbState::Down { since, cause } = &state.db {
        let data = state
            .snapshot
            .as_ref()
            .map_or_else(|| "—".to_string(), |s| s.now.format("%H:%M:%S").to_string());
        let text = fill(
            strings(lang).db_down,
            &[
                ("since", &local_time(since).format("%H:%M:%S").to_string()),
                ("data", &data),
                ("cause", cause),
            ],
        );
        let line = Rect::new(area.x, area.y, area.width, 1);
        frame.render_widget(ratatui::widgets::Clear, line);
        frame.render_widget(
            Paragraph::new(text).style(Style::new().fg(Color::White).bg(Color::Red)),
            line,
        );
    }
    if let Some((title, lines)) = &state.panel {
        let h = (lines.len() as u16 + 2).min(area.height.saturating_sub(2));
        let panel = Rect::new(area.x, area.y + 1, area.width, h);
        frame.render_widget(ratatui::widgets::Clear, panel);
        frame.render_widget(
            Paragraph::new(lines.join("\n"))
                .block(ratatui::widgets::Block::bordered().title(title.as_str())),
            panel,
        );
    }
    let line = Rect::new(area.x, area.bottom() - 1, area.width, 1);
    frame.render_widget(ratatui::widgets::Clear, line);
    frame.render_widget(
        Paragraph::new(status_line(state, lang)).style(Style::new().fg(Color::Yellow)),
        line,
    );
}

/// Runs an action off the key handler and reports its outcome as a status message.
fn spawn_action<F>(done: &mpsc::UnboundedSender<Done>, lang: Lang, f: F)
where
    F: std::future::Future<Output = anyhow::Result<String>> + Send + 'static,
{
    let done = done.clone();
    tokio::spawn(async move {
        let msg = match f.await {
            Ok(m) => m,
            Err(e) => format!("✗ {}", error_chain(lang, &e)),
        };
        let _ = done.send(Done::Message(msg));
    });
}

/// A case's audit trail, one line per entry, read as `by` (the read is audited).
async fn case_audit_lines(
    services: &Services,
    case_no: &str,
    by: &Acting,
) -> anyhow::Result<Vec<String>> {
    let no = crate::domain::CaseNo::parse(case_no.trim())?;
    let case = services.case_record(&no).await?;
    services
        .audit_read(
            by,
            Some(&case),
            crate::domain::ReadPurpose::Audit,
            false,
            None,
            Utc::now(),
        )
        .await?;
    let mut lines = vec![no.to_string()];
    for e in services.case_audit(&no).await? {
        lines.push(format!(
            "{} {:<20} {} {}",
            local_time(&e.at).format("%m-%d %H:%M:%S"),
            e.event.action(),
            e.staff_no.as_ref().map_or("-", |s| s.as_str()),
            e.window_no
                .map_or_else(|| "-".to_string(), |w| w.to_string()),
        ));
    }
    Ok(lines)
}

/// Text from people, without control or invisible characters, for the screen.
fn printable(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() && !crate::domain::text::is_hidden(*c))
        .collect()
}

/// Acknowledged alerts, newest first, one line each: when, what, by whom, the note.
async fn history_lines(services: &Services, lang: Lang) -> anyhow::Result<Vec<String>> {
    let staff = services.store().staff_codes(services.site()?.id).await?;
    let rows = services.alert_history(HISTORY_LINES).await?;
    if rows.is_empty() {
        return Ok(vec![strings(lang).no_history.to_string()]);
    }
    Ok(rows
        .iter()
        .map(|a| {
            let by = a
                .acknowledged_by
                .and_then(|id| staff.get(&id).cloned())
                .unwrap_or_else(|| "—".into());
            format!(
                "{} {} {} | {}",
                a.acknowledged_at
                    .map_or_else(String::new, |t| local_time(&t)
                        .format("%m-%d %H:%M")
                        .to_string()),
                describe_alert(lang, a.kind, &a.label, a.figure, 1),
                by,
                printable(a.note.as_deref().unwrap_or("")),
            )
        })
        .collect())
}

/// The dashboard until Esc (or the key channel closes). `supervisor` is who signed in: the actor
/// of every change made here and of its audit entry. Idle locking is left to [`run_console`].
#[allow(clippy::too_many_arguments)]
pub async fn run_dashboard<B: ratatui::backend::Backend>(
    terminal: &mut ratatui::Terminal<B>,
    services: &Services,
    lang: Lang,
    settings: &SupervisorSettings,
    supervisor: Acting,
    keys: Keys,
    frames: FrameSink,
) -> anyhow::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    let mut keys = keys;
    run_console(
        terminal, services, lang, settings, supervisor, &mut keys, &frames, None,
    )
    .await
    .map(|_| ())
}

/// The dashboard until Esc, or until no key came for `idle_lock` (then [`Exit::Locked`]).
#[allow(clippy::too_many_arguments)]
pub async fn run_console<B: ratatui::backend::Backend>(
    terminal: &mut ratatui::Terminal<B>,
    services: &Services,
    lang: Lang,
    settings: &SupervisorSettings,
    supervisor: Acting,
    keys: &mut Keys,
    frames: &FrameSink,
    idle_lock: Option<Duration>,
) -> anyhow::Result<Exit>
where
    B::Error: Send + Sync + 'static,
{
    use futures::StreamExt;
    use tokio::time::sleep_until;
    let mut changes = services.changes().await?;
    let mut today = crate::app::supervision::TodayTickets::default();
    let mut db = live::DbChanges::new(services.watch_database());
    let (done_tx, mut done_rx) = mpsc::unbounded_channel::<Done>();
    let mut state = State {
        snapshot: None,
        db: DbState::Up,
        extras: Extras::default(),
        selected: 0,
        prompt: None,
        message: String::new(),
        message_at: None,
        panel: None,
        seen: None,
        flash_until: None,
    };
    let mut last = Instant::now() - Duration::from_secs(1);
    let mut due: Option<Instant> = Some(Instant::now());
    let mut redraw = false;
    let mut last_key = Instant::now();
    let mut tick = tokio::time::interval(live::TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let exit = loop {
        let timeout = state.next_timeout();
        let lock_at = idle_lock.map(|d| last_key + d);
        tokio::select! {
            change = changes.next() => match change {
                Some(e) => {
                    today.note(&e);
                    if due.is_none() { due = Some(live::next_reload(last, Instant::now())) }
                }
                None => {
                    tracing::warn!("change stream ended; resubscribing");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    changes = services.changes().await?;
                    today.read_whole();
                    due = Some(Instant::now());
                }
            },
            db_state = db.next() => {
                // Back: read everything again now.
                if db_state == DbState::Up {
                    today.read_whole();
                    due = Some(Instant::now());
                }
                state.db = db_state;
                redraw = true;
            }
            _ = tick.tick() => due = Some(due.unwrap_or_else(Instant::now)),
            _ = async { match timeout { Some(t) => sleep_until(t).await, None => std::future::pending().await } } => {
                redraw = state.expire(Instant::now());
            }
            _ = async { match lock_at { Some(t) => sleep_until(t).await, None => std::future::pending().await } } => {
                break Exit::Locked;
            }
            _ = async { match due { Some(d) => sleep_until(d).await, None => std::future::pending().await } } => {
                due = None;
                last = Instant::now();
                match live::load_snapshot_from(services, settings, lang, Utc::now(), &mut today).await {
                    Ok((snap, extras)) => {
                        if state.take_snapshot(snap) {
                            ring_bell();
                            state.flash_until = Some(Instant::now() + FLASH);
                        }
                        state.extras = extras;
                    }
                    Err(e) => {
                        // The changes noted may not all have been read.
                        today.read_whole();
                        tracing::warn!(error = %e, "cannot load the dashboard");
                        state.say(strings(lang).read_failed.to_string());
                    }
                }
                redraw = true;
            }
            msg = done_rx.recv() => {
                if let Some(m) = msg {
                    match m {
                        Done::Message(m) => state.say(m),
                        Done::Panel(title, lines) => state.panel = Some((title, lines)),
                    }
                    due = Some(due.unwrap_or_else(|| live::next_reload(last, Instant::now())));
                    redraw = true;
                }
            }
            key = keys.recv() => {
                let Some(k) = key else { break Exit::Quit };
                // A resize arrives as a key with no code: redraw at the new size, nothing else.
                if k.code != KeyCode::Null {
                    last_key = Instant::now();
                    if on_key(k, &mut state, services, settings, lang, &supervisor, &done_tx) {
                        break Exit::Quit;
                    }
                }
                redraw = true;
            }
        }
        if redraw {
            redraw = false;
            let done = terminal.draw(|f| draw(f, &state, lang))?;
            if let Some(f) = frames {
                let _ = f.send(super::buffer_text(done.buffer));
            }
        }
    };
    Ok(exit)
}

/// Writes this month's report to `path` (audited as an export): the same filed report as
/// `onewindow report`, so what a supervisor saves from the dashboard is what the centre files.
async fn write_report(
    services: Services,
    by: Acting,
    lang: Lang,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    path: std::path::PathBuf,
) -> anyhow::Result<String> {
    let site = services.site()?;
    let r = services.filed_report(from, to).await?;
    services
        .audit_read(
            &by,
            None,
            crate::domain::ReadPurpose::Export,
            false,
            None,
            Utc::now(),
        )
        .await?;
    let bytes = crate::app::report_files::render_filed(
        &r,
        from,
        to,
        &site.name,
        lang,
        crate::app::report_files::Format::Xlsx,
    )?;
    let shown = path.display().to_string();
    tokio::task::spawn_blocking(move || crate::config::files::write_private(&path, &bytes))
        .await??;
    Ok(format!("✓ {shown}"))
}

fn start_report(
    state: &mut State,
    services: &Services,
    lang: Lang,
    by: &Acting,
    done: &mpsc::UnboundedSender<Done>,
) {
    let (from, to, path) = report_path();
    state.say(strings(lang).writing_report.to_string());
    spawn_action(
        done,
        lang,
        write_report(services.clone(), by.clone(), lang, from, to, path),
    );
}

/// Handles one key; true to quit.
fn on_key(
    k: KeyEvent,
    state: &mut State,
    services: &Services,
    settings: &SupervisorSettings,
    lang: Lang,
    supervisor: &Acting,
    done: &mpsc::UnboundedSender<Done>,
) -> bool {
    if k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL) {
        return true;
    }
    if state.panel.take().is_some() {
        return false;
    }
    if let Some((Ask::Overwrite, _)) = &state.prompt {
        state.prompt = None;
        if matches!(k.code, KeyCode::Char('y' | 'Y')) {
            start_report(state, services, lang, supervisor, done);
        } else {
            state.say(strings(lang).overwrite_cancelled.to_string());
        }
        return false;
    }
    if let Some((ask, input)) = &mut state.prompt {
        match k.code {
            KeyCode::Esc => state.prompt = None,
            KeyCode::Backspace => {
                input.pop();
            }
            KeyCode::Char(c) if !crate::domain::text::is_hidden(c) => input.push(c),
            KeyCode::Enter => {
                let (ask, input) = (*ask, input.clone());
                state.prompt = None;
                submit(ask, &input, services, settings, lang, supervisor, done);
            }
            _ => {}
        }
        return false;
    }
    let n = state.snapshot.as_ref().map_or(0, |s| s.alerts.len());
    let last = n.saturating_sub(1);
    match k.code {
        KeyCode::Esc => return true,
        KeyCode::Up => state.selected = state.selected.saturating_sub(1),
        KeyCode::Down => state.selected = (state.selected + 1).min(last),
        KeyCode::PageUp => state.selected = state.selected.saturating_sub(10),
        KeyCode::PageDown => state.selected = (state.selected + 10).min(last),
        KeyCode::Home => state.selected = 0,
        KeyCode::End => state.selected = last,
        KeyCode::Char('a' | 'A') => {
            let selected = state
                .snapshot
                .as_ref()
                .and_then(|s| s.alerts.get(state.selected))
                .map(|a| (live::acknowledgeable(a), a.record));
            match selected {
                Some((true, Some(id))) => state.prompt = Some((Ask::AckNote(id), String::new())),
                Some(_) => state.say(strings(lang).nothing_to_ack.to_string()),
                None => state.say(strings(lang).no_alert_selected.to_string()),
            }
        }
        KeyCode::Char('h' | 'H') => {
            let (services, done) = (services.clone(), done.clone());
            tokio::spawn(async move {
                let sent = match history_lines(&services, lang).await {
                    Ok(lines) => Done::Panel(strings(lang).history_title.to_string(), lines),
                    Err(e) => Done::Message(format!("✗ {}", error_chain(lang, &e))),
                };
                let _ = done.send(sent);
            });
        }
        KeyCode::Char('m' | 'M') => state.prompt = Some((Ask::Move, String::new())),
        KeyCode::Char('q' | 'Q') => state.prompt = Some((Ask::Window, String::new())),
        KeyCode::Char('l' | 'L') => state.prompt = Some((Ask::CaseAudit, String::new())),
        KeyCode::Char('r' | 'R') => {
            if report_path().2.exists() {
                state.prompt = Some((Ask::Overwrite, String::new()));
            } else {
                start_report(state, services, lang, supervisor, done);
            }
        }
        _ => {}
    }
    false
}

fn submit(
    ask: Ask,
    input: &str,
    services: &Services,
    settings: &SupervisorSettings,
    lang: Lang,
    supervisor: &Acting,
    done: &mpsc::UnboundedSender<Done>,
) {
    let parts: Vec<String> = input.split_whitespace().map(str::to_string).collect();
    let (services, by) = (services.clone(), supervisor.clone());
    match ask {
        Ask::Move => spawn_action(done, lang, async move {
            let [ticket_no, prefix] = parts.as_slice() else {
                anyhow::bail!("{}", strings(lang).move_format);
            };
            let ticket = TicketNo::from_stored(ticket_no.to_uppercase());
            let moved = services
                .move_ticket(&ticket, prefix, &by, Utc::now())
                .await?;
            Ok(format!("✓ {ticket_no} → {}", moved.ticket_no))
        }),
        Ask::Window => spawn_action(done, lang, async move {
            let [number, prefixes] = parts.as_slice() else {
                anyhow::bail!("{}", strings(lang).window_format);
            };
            let number = WindowNo(number.parse()?);
            let routes: Vec<Route> = prefixes
                .split(',')
                .map(|p| Ok(services.queue_by_prefix(p)?.route))
                .collect::<anyhow::Result<_>>()?;
            services
                .reassign_window(number, &routes, &by, Utc::now())
                .await?;
            Ok(format!("✓ {number}: {prefixes}"))
        }),
        Ask::AckNote(id) => {
            let (settings, note) = (settings.clone(), input.to_string());
            spawn_action(done, lang, async move {
                let done = services
                    .acknowledge_alert(&settings, id, &note, &by, Utc::now())
                    .await?;
                let s = strings(lang);
                Ok(if done {
                    s.acknowledged
                } else {
                    s.acknowledged_elsewhere
                }
                .to_string())
            })
        }
        Ask::Overwrite => {}
        Ask::CaseAudit => {
            let (done, case_no) = (done.clone(), input.to_string());
            tokio::spawn(async move {
                let sent = match case_audit_lines(&services, &case_no, &by).await {
                    Ok(lines) => Done::Panel(strings(lang).audit_title.to_string(), lines),
                    Err(e) => Done::Message(format!("✗ {}", error_chain(lang, &e))),
                };
                let _ = done.send(sent);
            });
        }
    }
}

//! The live side of the dashboard and the hall display (issue 7): reading what they show from
//! storage, and the loops that redraw when another process changes something.
//!
//! Neither screen has a refresh key. Each subscribes to storage changes and reloads at most
//! [`MAX_RELOADS_PER_SEC`] times a second (a burst of calls is one reload), plus a slow tick so wait
//! times move on a quiet morning. Loading and drawing are separate: `draw` stays pure.

use super::dashboard::{self, Inputs, Snapshot, TicketRow};
use super::display::{self, Board, Call, QueueCount};
use crate::app::Services;
use crate::app::health::{DbState, DbWatch};
use crate::app::supervision::{BoardFacts, TodayTickets};
use crate::config::Lang;
use crate::domain::alerts::{self, CaseSnapshot, PrinterSnapshot, RecordedAlert, WaitingTicket};
use crate::domain::codes::Category;
use crate::domain::numbering::local_time;
use crate::domain::{Route, china_time};
use crate::storage::TicketState;
use crate::storage::stations::{PRINTER_STALE, PrinterRow, PrinterState};
use crate::storage::{QueueId, ServedTickets, WindowId, WindowRow};
use chrono::{DateTime, FixedOffset, Utc};
use std::collections::{HashMap, HashSet};
use std::time::Duration;

/// A burst of changes becomes one reload; at most this many reloads a second.
pub const MAX_RELOADS_PER_SEC: u32 = 4;
/// Wait times move even when nothing changes.
pub const TICK: Duration = Duration::from_secs(30);

pub use crate::config::SupervisorSettings;

/// The name a queue is shown under: its route in the screen's language.
pub fn queue_name(route: Route, lang: Lang) -> String {
    route.label(lang).to_string()
}

fn window_numbers(windows: &[WindowRow]) -> HashMap<crate::storage::WindowId, i64> {
    windows.iter().map(|w| (w.id, w.number)).collect()
}

/// A call as the hall knows it, with what makes a recall a new call.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CallKey {
    pub ticket: crate::storage::TicketId,
    pub recalls: i64,
}

/// The hall board at `now`: today's calls newest first and waiting counts per queue. Ticket and
/// window numbers only.
pub async fn load_board(
    services: &Services,
    lang: Lang,
    now: DateTime<Utc>,
    keep: usize,
) -> anyhow::Result<(Board, Vec<(CallKey, Call)>)> {
    let site = services.site()?;
    let BoardFacts {
        calls,
        waiting,
        windows,
    } = services.board_facts(now).await?;
    let windows = window_numbers(&windows);
    let calls: Vec<(CallKey, Call)> = calls
        .into_iter()
        .filter_map(|t| {
            let window = *windows.get(&t.window?)?;
            Some((
                CallKey {
                    ticket: t.id,
                    recalls: t.recalls,
                },
                Call {
                    ticket_no: t.ticket_no.to_string(),
                    window,
                    at: local_time(&t.called_at?),
                },
            ))
        })
        .collect();
    let board = Board {
        site_name: site.name.clone(),
        calls: calls.iter().take(keep).map(|(_, c)| c.clone()).collect(),
        queues: site
            .queues
            .iter()
            .map(|q| QueueCount {
                name: queue_name(q.route, lang),
                prefix: q.prefix.clone(),
                waiting: waiting
                    .get(&q.id)
                    .map_or(0, |n| u32::try_from(*n).unwrap_or(u32::MAX)),
            })
            .collect(),
        stale_since: None,
    };
    Ok((board, calls))
}

/// Everything the supervisor's screen shows besides the snapshot.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extras {
    pub followups_due: i64,
}

/// The dashboard snapshot at `now`.
pub async fn load_snapshot(
    services: &Services,
    settings: &SupervisorSettings,
    lang: Lang,
    now: DateTime<Utc>,
) -> anyhow::Result<(Snapshot, Extras)> {
    load_snapshot_from(services, settings, lang, now, &mut TodayTickets::default()).await
}

/// The dashboard snapshot at `now`, today's tickets brought up to date in `today` (a screen
/// keeps it from one reload to the next and tells it of every change).
pub async fn load_snapshot_from(
    services: &Services,
    settings: &SupervisorSettings,
    lang: Lang,
    now: DateTime<Utc>,
    today: &mut TodayTickets,
) -> anyhow::Result<(Snapshot, Extras)> {
    let site = services.site()?;
    let mut facts = services.dashboard_facts_from(settings, now, today).await?;
    let tz = china_time();
    let local_now = now.with_timezone(&tz);
    let tickets = &facts.tickets;
    let numbers = window_numbers(&facts.windows);
    let staff = &facts.staff;
    let prefix_of: HashMap<_, _> = site
        .queues
        .iter()
        .map(|q| (q.id, q.prefix.clone()))
        .collect();
    let t = |x: DateTime<Utc>| x.with_timezone(&tz);
    let rows: Vec<TicketRow> = tickets
        .iter()
        .filter(|tk| tk.state != TicketState::Transferred)
        .map(|tk| TicketRow {
            ticket_no: tk.ticket_no.to_string(),
            queue_prefix: prefix_of.get(&tk.queue).cloned().unwrap_or_default(),
            state: tk.state,
            issued_at: t(tk.original_issued_at),
            reissued_at: t(tk.issued_at),
            called_at: tk.called_at.map(t),
            started_at: tk.started_at.map(t),
            finished_at: tk.finished_at.map(t),
            window: tk.window.and_then(|w| numbers.get(&w).copied()),
        })
        .collect();
    // Who is at each window comes from the kiosks' sessions. A ticket still being served at a
    // window whose kiosk has gone quiet keeps its clerk on screen, so it is not hidden.
    let sessions: HashMap<i64, (String, DateTime<Utc>)> = facts
        .sessions
        .iter()
        .map(|s| (s.window_number, (s.staff_code.clone(), s.signed_in_at)))
        .collect();
    let serving_clerk: HashMap<i64, String> = tickets
        .iter()
        .filter(|tk| matches!(tk.state, TicketState::Called | TicketState::Serving))
        .filter_map(|tk| {
            let n = numbers.get(&tk.window?)?;
            Some((*n, staff.get(&tk.staff?)?.clone()))
        })
        .collect();
    let window_infos: Vec<dashboard::WindowInfo> = facts
        .windows
        .iter()
        .map(|w| match sessions.get(&w.number) {
            Some((code, at)) => dashboard::WindowInfo {
                number: w.number,
                clerk: Some(code.clone()),
                signed_in_at: Some(t(*at)),
            },
            None => dashboard::WindowInfo {
                number: w.number,
                clerk: serving_clerk.get(&w.number).cloned(),
                signed_in_at: None,
            },
        })
        .collect();
    let queue_infos: Vec<dashboard::QueueInfo> = site
        .queues
        .iter()
        .map(|q| dashboard::QueueInfo {
            prefix: q.prefix.clone(),
            name: queue_name(q.route, lang),
        })
        .collect();

    let alert_settings = settings.alert_settings();
    let records: Vec<RecordedAlert> = facts
        .open_alerts
        .iter()
        .map(|a| RecordedAlert {
            id: a.id,
            kind: a.kind,
            label: a.label.clone(),
            figure: a.figure,
            raised_at: t(a.raised_at),
        })
        .collect();
    let case_snaps: Vec<CaseSnapshot> = facts
        .cases
        .iter()
        .map(|c| CaseSnapshot {
            case_no: c.case_no.clone(),
            route: c.route,
            deadlines: c.deadlines.clone(),
        })
        .collect();
    let queue_label: HashMap<_, _> = site
        .queues
        .iter()
        .map(|q| (q.id, format!("{} {}", q.prefix, queue_name(q.route, lang))))
        .collect();
    let waiting: Vec<WaitingTicket> = tickets
        .iter()
        .filter(|tk| tk.state == TicketState::Waiting)
        .map(|tk| WaitingTicket {
            queue: queue_label.get(&tk.queue).cloned().unwrap_or_default(),
            since: t(tk.original_issued_at),
        })
        .collect();
    let printers: Vec<PrinterSnapshot> = facts
        .printers
        .iter()
        .map(|p| printer_snapshot(p, now, lang))
        .collect();
    let alert_list = alerts::alerts(
        local_now,
        &alert_settings,
        &records,
        &case_snaps,
        &waiting,
        &printers,
    );
    let by_category = labelled(facts.by_category.clone(), |c| {
        Category::from_code(c).map(|c| c.label(lang).to_string())
    });
    let by_route = labelled(facts.by_route.clone(), |r| {
        Route::from_code(r).map(|r| queue_name(r, lang))
    });
    let finished = served_today(&facts.served, &prefix_of, &numbers, t);
    let snapshot = dashboard::build(Inputs {
        now: local_now,
        queues: &queue_infos,
        windows: &window_infos,
        today: &rows,
        finished: &finished,
        arrivals_today: facts.arrivals_today,
        arrivals_last_week: facts.arrivals_last_week,
        alerts: alert_list,
        by_category,
        by_route,
    });
    drop(rows);
    today.keep(std::mem::take(&mut facts.tickets));
    Ok((
        snapshot,
        Extras {
            followups_due: facts.followups_due,
        },
    ))
}

/// Today's served tickets as the dashboard counts them: per queue, and the last service finished
/// per window.
fn served_today(
    groups: &[ServedTickets],
    prefix_of: &HashMap<QueueId, String>,
    window_no: &HashMap<WindowId, i64>,
    local: impl Fn(DateTime<Utc>) -> DateTime<FixedOffset>,
) -> dashboard::Finished {
    let mut f = dashboard::Finished::default();
    let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
    for g in groups {
        if let Some(prefix) = prefix_of.get(&g.queue) {
            let s = f.served.entry(prefix.clone()).or_default();
            s.tickets = s.tickets.saturating_add(count(g.tickets));
            s.wait_secs += g.wait_secs;
            s.waits = s.waits.saturating_add(count(g.waits));
            s.service_secs += g.service_secs;
            s.services = s.services.saturating_add(count(g.services));
        }
        if let (Some(n), Some(at)) = (g.window.and_then(|w| window_no.get(&w)), g.last_finished_at)
        {
            let at = local(at);
            let e = f.last_done_at.entry(*n).or_insert(at);
            *e = (*e).max(at);
        }
    }
    f
}

/// Codes shown by their names; an unknown code stays as it is.
fn labelled(rows: Vec<(String, u64)>, name: impl Fn(&str) -> Option<String>) -> Vec<(String, u64)> {
    rows.into_iter()
        .map(|(code, n)| (name(&code).unwrap_or(code), n))
        .collect()
}

/// A window's printer for the alerts: a fault it reported recently, and paper waiting for it.
pub fn printer_snapshot(p: &PrinterRow, now: DateTime<Utc>, lang: Lang) -> PrinterSnapshot {
    let s = crate::i18n::dashboard::strings(lang);
    let name = match p.window_number {
        Some(n) => crate::i18n::fill(s.window_printer, &[("n", &n.to_string())]),
        None => s.no_window_printer.to_string(),
    };
    let fresh = p.updated_at.is_some_and(|at| now - at <= PRINTER_STALE);
    let fault = (p.state == Some(PrinterState::Fault) && fresh).then(|| p.detail.clone());
    PrinterSnapshot {
        name: match &fault {
            Some(detail) => format!("{name}（{detail}）"),
            None => name,
        },
        fault,
        pending_jobs: u32::try_from(p.waiting_jobs).unwrap_or(u32::MAX),
        stopped_jobs: u32::try_from(p.stopped_jobs).unwrap_or(u32::MAX),
    }
}

/// Whether an alert is one the supervisor acknowledges: a record, not a condition.
pub fn acknowledgeable(a: &alerts::Alert) -> bool {
    a.record.is_some()
}

/// A call to be spoken, with when it was made: a call still unspoken `max_age` after it was made
/// is dropped (a burst of calls must not be read out minutes late).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Announcement {
    pub text: String,
    pub called_at: DateTime<Utc>,
}

/// Runs the voice command for each announcement sent to the returned channel, one after the
/// other so two calls are not spoken over each other, each stopped after `timeout`; one older than
/// `max_age` when its turn comes is dropped. The command runs without a shell; the announcement
/// is its last argument. Never blocks the caller.
pub fn spawn_voice(
    argv: Vec<String>,
    timeout: Duration,
    max_age: Duration,
) -> Option<tokio::sync::mpsc::UnboundedSender<Announcement>> {
    let (program, args) = argv.split_first()?;
    let (program, args) = (program.clone(), args.to_vec());
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Announcement>();
    let max_age = chrono::TimeDelta::from_std(max_age).unwrap_or(chrono::TimeDelta::MAX);
    tokio::spawn(async move {
        while let Some(a) = rx.recv().await {
            if Utc::now() - a.called_at > max_age {
                tracing::info!("call not spoken: too old");
                continue;
            }
            let mut cmd = tokio::process::Command::new(&program);
            cmd.args(&args)
                .arg(&a.text)
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .kill_on_drop(true);
            match cmd.spawn() {
                Ok(mut child) => match tokio::time::timeout(timeout, child.wait()).await {
                    Ok(Ok(status)) if !status.success() => {
                        tracing::warn!(%status, "voice command failed")
                    }
                    Ok(Ok(_)) => {}
                    Ok(Err(e)) => tracing::warn!(error = %e, "voice command"),
                    Err(_) => {
                        tracing::warn!(?timeout, "voice command took too long; stopped");
                        let _ = child.kill().await;
                    }
                },
                Err(e) => {
                    tracing::warn!(error = %e, program = %program, "cannot run voice command")
                }
            }
        }
    });
    Some(tx)
}

/// When the next reload may run after a change: at once, unless the last one was too recent.
pub fn next_reload(last: tokio::time::Instant, now: tokio::time::Instant) -> tokio::time::Instant {
    let gap = Duration::from_millis(1000 / u64::from(MAX_RELOADS_PER_SEC));
    (last + gap).max(now)
}

/// Draws the hall board into a terminal; the frame's text when `text` is asked for.
pub fn draw_board<B: ratatui::backend::Backend>(
    terminal: &mut ratatui::Terminal<B>,
    board: &Board,
    lang: Lang,
    text: bool,
) -> anyhow::Result<Option<String>>
where
    B::Error: Send + Sync + 'static,
{
    let done = terminal.draw(|f| display::draw(f, board, lang))?;
    Ok(text.then(|| super::buffer_text(done.buffer)))
}

/// What the screen loops hear from outside: keys (crossterm in production, a channel in tests).
pub type Keys = tokio::sync::mpsc::UnboundedReceiver<crossterm::event::KeyEvent>;
/// Where a loop sends the text of each frame it draws (tests watch it; production passes `None`).
pub type FrameSink = Option<tokio::sync::mpsc::UnboundedSender<String>>;

fn quit_key(k: &crossterm::event::KeyEvent) -> bool {
    use crossterm::event::{KeyCode, KeyModifiers};
    matches!(k.code, KeyCode::Esc | KeyCode::Char('q'))
        || (k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL))
}

/// The hall display: reloads on every change (debounced), announces each new call once, and runs
/// until `q`/Esc or the key channel closes. While the database is away the last board stays up,
/// marked stale; it reloads as soon as the database answers again.
pub async fn run_board<B: ratatui::backend::Backend>(
    terminal: &mut ratatui::Terminal<B>,
    services: &Services,
    lang: Lang,
    settings: &SupervisorSettings,
    mut keys: Keys,
    frames: FrameSink,
) -> anyhow::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    use futures::StreamExt;
    use tokio::time::{Instant, sleep_until};
    let mut changes = services.changes().await?;
    let mut db = DbChanges::new(services.watch_database());
    let voice = spawn_voice(
        settings.voice_command.clone(),
        Duration::from_secs(settings.voice_timeout_secs),
        Duration::from_secs(settings.voice_max_age_secs),
    );
    // Calls made before the board started are shown but not spoken.
    let mut announced: HashSet<CallKey> = HashSet::new();
    let mut first = true;
    let mut board: Option<Board> = None;
    let mut last = Instant::now() - Duration::from_secs(1);
    let mut due: Option<Instant> = Some(Instant::now());
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let show = |terminal: &mut ratatui::Terminal<B>, board: &Board| -> anyhow::Result<()> {
        let text = draw_board(terminal, board, lang, frames.is_some())?;
        if let (Some(f), Some(text)) = (&frames, text) {
            let _ = f.send(text);
        }
        Ok(())
    };
    loop {
        tokio::select! {
            change = changes.next() => match change {
                Some(_) => if due.is_none() { due = Some(next_reload(last, Instant::now())) },
                None => {
                    tracing::warn!("change stream ended; resubscribing");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    changes = services.changes().await?;
                    due = Some(Instant::now());
                }
            },
            state = db.next() => match state {
                DbState::Down { since, .. } => {
                    if let Some(b) = &mut board {
                        b.stale_since = Some(local_time(&since));
                        show(terminal, b)?;
                    }
                }
                // Back: read it again now, whatever was missed meanwhile.
                DbState::Up => due = Some(Instant::now()),
            },
            _ = tick.tick() => due = Some(due.unwrap_or_else(Instant::now)),
            _ = async { match due { Some(d) => sleep_until(d).await, None => std::future::pending().await } } => {
                due = None;
                last = Instant::now();
                match load_board(services, lang, Utc::now(), settings.display_calls.max(1)).await {
                    Ok((mut fresh, calls)) => {
                        // Oldest first, so a burst is spoken in the order it was called.
                        for (key, call) in calls.iter().rev() {
                            if announced.insert(key.clone()) && !first
                                && let Some(v) = &voice
                            {
                                let _ = v.send(Announcement {
                                    text: display::spoken(lang, call),
                                    called_at: call.at.with_timezone(&Utc),
                                });
                            }
                        }
                        first = false;
                        if let DbState::Down { since, .. } = db.state() {
                            fresh.stale_since = Some(local_time(&since));
                        }
                        show(terminal, &fresh)?;
                        board = Some(fresh);
                    }
                    Err(e) => tracing::warn!(error = %e, "cannot load the board"),
                }
            }
            key = keys.recv() => match key {
                Some(k) if quit_key(&k) => break,
                // A resize (`KeyCode::Null`) or any other key: the board again at today's size.
                Some(_) => {
                    if let Some(b) = &board {
                        show(terminal, b)?;
                    }
                }
                None => break,
            },
        }
    }
    Ok(())
}

/// The health check as a stream of states for a screen's `select!`: waits forever once the
/// check has stopped, instead of answering at once in a loop.
pub struct DbChanges {
    watch: DbWatch,
    alive: bool,
}

impl DbChanges {
    pub fn new(watch: DbWatch) -> DbChanges {
        DbChanges { watch, alive: true }
    }

    pub fn state(&self) -> DbState {
        self.watch.state()
    }

    /// The next state the check reports.
    pub async fn next(&mut self) -> DbState {
        if self.alive {
            match self.watch.changed().await {
                Ok(state) => return state,
                Err(_) => self.alive = false,
            }
        }
        std::future::pending().await
    }
}

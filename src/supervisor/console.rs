//! The supervisor's live dashboard loop: reload on changes (debounced) and every 30 s, keys for
//! acknowledging an alert, moving a ticket, changing a window's queues and writing this month's
//! report, and reading a case's audit trail (L). Key handlers never await storage: each action runs in a task that reports back, and the
//! change it makes reaches the screen through the change stream like anyone else's.

use super::live::{self, Extras, FrameSink, Keys, SupervisorSettings};
use crate::app::health::DbState;
use crate::app::{Acting, Services};
use crate::config::Lang;
use crate::domain::Route;
use crate::domain::numbering::local_time;
use crate::domain::{TicketNo, WindowNo};
use chrono::{Datelike, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::widgets::Paragraph;
use std::time::Duration;
use tokio::sync::mpsc;

/// What a prompt is asking for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ask {
    /// "T012 Z": ticket number of today, target queue prefix.
    Move,
    /// "3 T,Z": window number, queue prefixes it serves.
    Window,
    /// A case number whose audit trail to show.
    CaseAudit,
}

/// What a finished action reports back to the loop.
enum Done {
    /// One line for the status bar.
    Message(String),
    /// Lines to show in a panel over the dashboard until a key is pressed.
    Panel(Vec<String>),
}

struct State {
    snapshot: Option<super::dashboard::Snapshot>,
    /// The database as the health check last said.
    db: DbState,
    extras: Extras,
    selected: usize,
    prompt: Option<(Ask, String)>,
    message: String,
    /// A case's audit trail on screen (any key closes it).
    panel: Option<Vec<String>>,
}

fn text(lang: Lang, zh: &str, en: &str) -> String {
    lang.pick(zh, en).to_string()
}

fn status_line(state: &State, lang: Lang) -> String {
    let due = match lang {
        Lang::Zh => format!("回访待办 {}", state.extras.followups_due),
        Lang::En => format!("Follow-ups due {}", state.extras.followups_due),
    };
    match &state.prompt {
        Some((Ask::Move, input)) => format!(
            "{due} | {}{input}▏",
            text(
                lang,
                "移动排队号（票号 目标队列，如 T012 Z）：",
                "Move (ticket queue, e.g. T012 Z): "
            )
        ),
        Some((Ask::Window, input)) => format!(
            "{due} | {}{input}▏",
            text(
                lang,
                "调整窗口队列（窗口号 队列，如 3 T,Z）：",
                "Window queues (number prefixes, e.g. 3 T,Z): "
            )
        ),
        Some((Ask::CaseAudit, input)) => format!(
            "{due} | {}{input}▏",
            text(
                lang,
                "案件访问记录（案件编号）：",
                "Case audit (case number): "
            )
        ),
        None => format!(
            "{due} | {} | {}",
            text(
                lang,
                "A确认 M移票 Q窗口队列 R报表 L访问记录 ↑↓选择 Esc退出",
                "A ack  M move  Q window  R report  L audit  ↑↓ select  Esc quit"
            ),
            state.message
        ),
    }
}

fn draw(frame: &mut ratatui::Frame, state: &State, lang: Lang) {
    if let Some(snap) = &state.snapshot {
        super::dashboard::draw(frame, snap, lang);
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
        let text = super::strings::strings(lang)
            .db_down
            .replace("{since}", &local_time(since).format("%H:%M:%S").to_string())
            .replace("{data}", &data)
            .replace("{cause}", cause);
        let line = Rect::new(area.x, area.y, area.width, 1);
        frame.render_widget(ratatui::widgets::Clear, line);
        frame.render_widget(
            Paragraph::new(text).style(Style::new().fg(Color::White).bg(Color::Red)),
            line,
        );
    }
    if let Some(lines) = &state.panel {
        let h = (lines.len() as u16 + 2).min(area.height.saturating_sub(2));
        let panel = Rect::new(area.x, area.y + 1, area.width, h);
        frame.render_widget(ratatui::widgets::Clear, panel);
        frame.render_widget(
            Paragraph::new(lines.join("\n")).block(ratatui::widgets::Block::bordered().title(
                text(lang, " 访问记录（任意键关闭） ", " Audit (any key closes) "),
            )),
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
fn spawn_action<F>(done: &mpsc::UnboundedSender<Done>, f: F)
where
    F: std::future::Future<Output = anyhow::Result<String>> + Send + 'static,
{
    let done = done.clone();
    tokio::spawn(async move {
        let msg = match f.await {
            Ok(m) => m,
            Err(e) => format!("✗ {e:#}"),
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

/// The dashboard until Esc (or the key channel closes). `supervisor` is who signed in: the actor
/// of every change made here and of its audit entry.
#[allow(clippy::too_many_arguments)]
pub async fn run_dashboard<B: ratatui::backend::Backend>(
    terminal: &mut ratatui::Terminal<B>,
    services: &Services,
    lang: Lang,
    settings: &SupervisorSettings,
    supervisor: Acting,
    mut keys: Keys,
    frames: FrameSink,
) -> anyhow::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    use futures::StreamExt;
    use tokio::time::{Instant, sleep_until};
    let mut changes = services.changes().await?;
    let mut db = live::DbChanges::new(services.watch_database());
    let (done_tx, mut done_rx) = mpsc::unbounded_channel::<Done>();
    let mut state = State {
        snapshot: None,
        db: DbState::Up,
        extras: Extras::default(),
        selected: 0,
        prompt: None,
        message: String::new(),
        panel: None,
    };
    let mut last = Instant::now() - Duration::from_secs(1);
    let mut due: Option<Instant> = Some(Instant::now());
    let mut redraw = false;
    let mut tick = tokio::time::interval(live::TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            change = changes.next() => match change {
                Some(_) => if due.is_none() { due = Some(live::next_reload(last, Instant::now())) },
                None => {
                    tracing::warn!("change stream ended; resubscribing");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    changes = services.changes().await?;
                    due = Some(Instant::now());
                }
            },
            db_state = db.next() => {
                // Back: read everything again now.
                if db_state == DbState::Up {
                    due = Some(Instant::now());
                }
                state.db = db_state;
                redraw = true;
            }
            _ = tick.tick() => due = Some(due.unwrap_or_else(Instant::now)),
            _ = async { match due { Some(d) => sleep_until(d).await, None => std::future::pending().await } } => {
                due = None;
                last = Instant::now();
                match live::load_snapshot(services, settings, lang, Utc::now()).await {
                    Ok((snap, extras)) => {
                        state.selected = state.selected.min(snap.alerts.len().saturating_sub(1));
                        state.snapshot = Some(snap);
                        state.extras = extras;
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot load the dashboard");
                        state.message = text(lang, "数据读取失败，稍后重试", "Cannot read the data; retrying");
                    }
                }
                redraw = true;
            }
            msg = done_rx.recv() => {
                if let Some(m) = msg {
                    match m {
                        Done::Message(m) => state.message = m,
                        Done::Panel(lines) => state.panel = Some(lines),
                    }
                    // Acknowledgements write no change event; reload so the highlight goes.
                    due = Some(due.unwrap_or_else(|| live::next_reload(last, Instant::now())));
                    redraw = true;
                }
            }
            key = keys.recv() => {
                let Some(k) = key else { break };
                if on_key(k, &mut state, services, lang, &supervisor, &done_tx) {
                    break;
                }
                redraw = true;
            }
        }
        if redraw {
            redraw = false;
            let done = terminal.draw(|f| draw(f, &state, lang))?;
            if let Some(f) = &frames {
                let _ = f.send(super::buffer_text(done.buffer));
            }
        }
    }
    Ok(())
}

/// Handles one key; true to quit.
fn on_key(
    k: KeyEvent,
    state: &mut State,
    services: &Services,
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
    if let Some((ask, input)) = &mut state.prompt {
        match k.code {
            KeyCode::Esc => state.prompt = None,
            KeyCode::Backspace => {
                input.pop();
            }
            KeyCode::Char(c) => input.push(c),
            KeyCode::Enter => {
                let (ask, input) = (*ask, input.clone());
                state.prompt = None;
                submit(ask, &input, services, lang, supervisor, done);
            }
            _ => {}
        }
        return false;
    }
    let alerts = state
        .snapshot
        .as_ref()
        .map(|s| s.alerts.clone())
        .unwrap_or_default();
    match k.code {
        KeyCode::Esc => return true,
        KeyCode::Up => state.selected = state.selected.saturating_sub(1),
        KeyCode::Down => state.selected = (state.selected + 1).min(alerts.len().saturating_sub(1)),
        KeyCode::Char('a' | 'A') => match alerts.get(state.selected) {
            Some(a) if live::acknowledgeable(a.kind) && a.highlight => {
                let (services, by, key, kind) = (
                    services.clone(),
                    supervisor.clone(),
                    a.subject.clone(),
                    format!("{:?}", a.kind),
                );
                let msg = match lang {
                    Lang::Zh => format!("已确认 {key}"),
                    Lang::En => format!("Acknowledged {key}"),
                };
                spawn_action(done, async move {
                    services
                        .acknowledge_alert(&key, &kind, &by, Utc::now())
                        .await?;
                    Ok(msg)
                });
            }
            Some(_) => {
                state.message = text(
                    lang,
                    "此提醒无需确认",
                    "This alert needs no acknowledgement",
                )
            }
            None => state.message = text(lang, "没有提醒", "No alert selected"),
        },
        KeyCode::Char('m' | 'M') => state.prompt = Some((Ask::Move, String::new())),
        KeyCode::Char('q' | 'Q') => state.prompt = Some((Ask::Window, String::new())),
        KeyCode::Char('l' | 'L') => state.prompt = Some((Ask::CaseAudit, String::new())),
        KeyCode::Char('r' | 'R') => {
            let (services, by) = (services.clone(), supervisor.clone());
            state.message = text(lang, "正在生成本月报表…", "Writing this month's report…");
            spawn_action(done, async move {
                let today = crate::domain::numbering::local_day(&Utc::now());
                let from = today.with_day(1).unwrap_or(today);
                let site = services.site()?;
                let r = services.report(from, today).await?;
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
                let bytes = crate::app::report_files::render(
                    &r,
                    from,
                    today,
                    &site.name,
                    lang,
                    crate::app::report_files::Format::Xlsx,
                )?;
                let path = format!("report-{}.xlsx", from.format("%Y-%m"));
                let file = std::path::PathBuf::from(&path);
                tokio::task::spawn_blocking(move || {
                    crate::config::files::write_private(&file, &bytes)
                })
                .await??;
                Ok(format!("✓ {path}"))
            });
        }
        _ => {}
    }
    false
}

fn submit(
    ask: Ask,
    input: &str,
    services: &Services,
    lang: Lang,
    supervisor: &Acting,
    done: &mpsc::UnboundedSender<Done>,
) {
    let parts: Vec<String> = input.split_whitespace().map(str::to_string).collect();
    let (services, by) = (services.clone(), supervisor.clone());
    match ask {
        Ask::Move => spawn_action(done, async move {
            let [ticket_no, prefix] = parts.as_slice() else {
                anyhow::bail!(
                    "{}",
                    text(lang, "格式：票号 目标队列", "format: TICKET QUEUE")
                );
            };
            let ticket = TicketNo::from_stored(ticket_no.to_uppercase());
            let moved = services
                .move_ticket(&ticket, prefix, &by, Utc::now())
                .await?;
            Ok(format!("✓ {ticket_no} → {}", moved.ticket_no))
        }),
        Ask::Window => spawn_action(done, async move {
            let [number, prefixes] = parts.as_slice() else {
                anyhow::bail!(
                    "{}",
                    text(lang, "格式：窗口号 队列", "format: WINDOW QUEUES")
                );
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
        Ask::CaseAudit => {
            let (done, case_no) = (done.clone(), input.to_string());
            tokio::spawn(async move {
                let sent = match case_audit_lines(&services, &case_no, &by).await {
                    Ok(lines) => Done::Panel(lines),
                    Err(e) => Done::Message(format!("✗ {e:#}")),
                };
                let _ = done.send(sent);
            });
        }
    }
}

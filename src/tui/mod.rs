//! The window clerk's kiosk: a keyboard-first terminal UI for intake, queue and reprint.
//!
//! | module | what it is |
//! |---|---|
//! | [`app`] | the shared state, the `Action` enum and `update()`, the only place state changes: it routes keys and answers to the screen or popup that owns them |
//! | [`screens`] | one module per screen: its state, its keys (`on_key`) and its drawing (`draw`, pure); the frame around them |
//! | [`popups`] | one module per popup, the same way; they answer keys with an `Answer` for the app |
//! | [`keys`] | reading keys alike everywhere: chords, typed characters, text editing, list moves |
//! | [`form`] | the intake form ⇄ `IntakeRecord` |
//! | [`text_input`] | a one-line editor that is right on double-width characters |
//! | [`effect`] | calls to the window's services (`app::Kiosk`) and draft saves requested by `update()` |
//! | [`terminal`] | taking and restoring the terminal, and the one input task (keys, paste, resize, tick), for the kiosk, the supervisor and the hall display |
//! | [`event`] | the kiosk's clock; terminal input as the kiosk's actions |
//! | [`draft`] | each clerk's form in progress, saved atomically in their own file |
//! | [`strings`] | the kiosk's text: `crate::i18n::kiosk`, one catalogue with Chinese and English side by side |
//! | [`harness`] | drives the app with keys over real services and a `TestBackend` (tests, keystroke counts) |

pub mod app;
pub mod draft;
pub mod effect;
pub mod event;
pub mod form;
pub mod harness;
pub mod keys;
pub mod popups;
pub mod screens;
/// The kiosk's text, under its old path for callers outside the kiosk.
pub use crate::i18n::kiosk as strings;
pub mod terminal;
pub mod text_input;

use crate::app::Kiosk;
use crate::config::Config;
use crate::domain::StaffNo;
use crate::domain::WindowNo;
use app::{Action, App, Settings};
use draft::{Draft, DraftError, Drafts};
use effect::{Effect, perform};
use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use terminal::{CrosstermTerminal, FullScreen, Paste};
use tokio::sync::mpsc;
use tokio::time::Instant;

/// How long the form must be still before the draft is written.
const DRAFT_DEBOUNCE: Duration = Duration::from_millis(400);

/// What `main` passes besides the configuration and the backend.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The window this terminal stands at.
    pub window: WindowNo,
    /// Shows the demo badge and the demo PIN on the sign-in screen.
    pub demo: bool,
    /// The folder where each clerk's form in progress is kept (`drafts/` next to the database).
    pub drafts_dir: PathBuf,
    /// Drafts nobody came back for are deleted after this many days.
    pub draft_keep_days: u32,
}

enum DraftCommand {
    Save(Box<Draft>),
    Discard(StaffNo),
    Load(StaffNo),
}

/// Reads and writes drafts one after another on a blocking thread, so a discard can never be
/// overtaken by an older save, nor a load by the save made just before a sign-out.
fn spawn_draft_writer(
    drafts: Drafts,
    tx: mpsc::UnboundedSender<Action>,
) -> (
    mpsc::UnboundedSender<DraftCommand>,
    tokio::task::JoinHandle<()>,
) {
    let (cmd_tx, mut cmd_rx) = mpsc::unbounded_channel::<DraftCommand>();
    let handle = tokio::task::spawn_blocking(move || {
        while let Some(cmd) = cmd_rx.blocking_recv() {
            let r = match cmd {
                DraftCommand::Save(d) => drafts.save(&d),
                DraftCommand::Discard(staff) => drafts.of(&staff).discard(),
                DraftCommand::Load(staff) => {
                    let _ = tx.send(load_draft(&drafts, &staff));
                    Ok(())
                }
            };
            if let Err(e) = r {
                tracing::warn!(error = %e, "draft");
                let _ = tx.send(Action::DraftSaveFailed(e.to_string()));
            }
        }
    });
    (cmd_tx, handle)
}

/// The draft `staff` left here, as the action that reports it.
pub fn load_draft(drafts: &Drafts, staff: &StaffNo) -> Action {
    match drafts.load(staff) {
        Ok(d) => Action::DraftLoaded(Ok(d)),
        Err(DraftError::Damaged { path, .. }) => {
            // Keep the damaged file for a person to look at; the next save must not overwrite it.
            let kept = path.with_extension("damaged");
            let _ = std::fs::rename(&path, &kept);
            Action::DraftLoaded(Err(kept.display().to_string()))
        }
        Err(e) => Action::DraftLoaded(Err(e.to_string())),
    }
}

/// Runs the kiosk until the clerk quits. The terminal is restored on return and on panic.
pub async fn run(config: &Config, kiosk: Arc<Kiosk>, options: RunOptions) -> anyhow::Result<()> {
    let settings = Settings {
        lang: config.lang,
        site: config.site.clone(),
        window: options.window,
        idle_lock_minutes: config.idle_lock_minutes,
        demo: options.demo,
    };
    let drafts = Drafts::new(options.drafts_dir.clone(), options.window);
    match drafts.prune(options.draft_keep_days, std::time::SystemTime::now()) {
        Ok(0) => {}
        Ok(n) => tracing::info!(drafts = n, "old drafts deleted"),
        Err(e) => tracing::warn!(error = %e, "cannot delete old drafts"),
    }

    let mut full_screen = FullScreen::enter(Paste::Bracketed)?;
    let terminal = full_screen.terminal();

    let (tx, mut rx) = mpsc::unbounded_channel::<Action>();
    let input = terminal::spawn_input(Some(event::TICK), tx.clone(), event::action);
    let (draft_tx, draft_writer) = spawn_draft_writer(drafts, tx.clone());
    let changes = spawn_change_watch(&kiosk, tx.clone()).await;

    let (mut app, effects) = App::new(settings, event::now());
    let mut pending_draft: Option<Box<Draft>> = None;
    let mut draft_due: Option<Instant> = None;
    let mut queue = effects;
    draw(terminal, &app)?;

    loop {
        for effect in queue.drain(..) {
            match effect {
                Effect::Call(request) => {
                    let kiosk = kiosk.clone();
                    let tx = tx.clone();
                    tokio::spawn(async move {
                        let action = perform(kiosk.as_ref(), request).await;
                        let _ = tx.send(action);
                    });
                }
                Effect::SaveDraft(d) => {
                    pending_draft = Some(d);
                    draft_due = Some(Instant::now() + DRAFT_DEBOUNCE);
                }
                Effect::DiscardDraft => {
                    pending_draft = None;
                    draft_due = None;
                    if let Some(staff) = &app.staff {
                        let _ = draft_tx.send(DraftCommand::Discard(staff.number.clone()));
                    }
                }
                Effect::LoadDraft(staff) => {
                    let _ = draft_tx.send(DraftCommand::Load(staff));
                }
                Effect::Quit => app.quit = true,
            }
        }
        if app.quit {
            // Leaving the kiosk signs the clerk out; a database that does not answer soon
            // leaves the session to end when it was last seen.
            if app.staff.take().is_some() {
                let done = kiosk.sign_out(event::now());
                if tokio::time::timeout(Duration::from_secs(3), done)
                    .await
                    .is_err()
                {
                    tracing::warn!("sign-out at quit timed out");
                }
            }
            break;
        }
        let action = tokio::select! {
            a = rx.recv() => match a {
                Some(a) => a,
                None => break,
            },
            _ = async {
                match draft_due {
                    Some(t) => tokio::time::sleep_until(t).await,
                    None => std::future::pending().await,
                }
            } => {
                draft_due = None;
                if let Some(d) = pending_draft.take() {
                    let _ = draft_tx.send(DraftCommand::Save(d));
                }
                continue;
            }
        };
        if let Action::Resize(..) = action {
            terminal.autoresize()?;
        }
        queue = app.update(action);
        // The clerk left (sign-out or idle lock): what they typed last is written now, to their
        // own file, before anyone else can sign in.
        if app.staff.is_none()
            && let Some(d) = pending_draft.take()
        {
            draft_due = None;
            let _ = draft_tx.send(DraftCommand::Save(d));
        }
        draw(terminal, &app)?;
    }

    // Nothing typed is lost: a save still waiting for its pause is written now.
    if let Some(d) = pending_draft.take() {
        let _ = draft_tx.send(DraftCommand::Save(d));
    }
    drop(draft_tx);
    if let Some(c) = changes {
        c.abort();
    }
    input.stop().await;
    let _ = draft_writer.await;
    Ok(())
}

/// Wakes the kiosk when any process changes the database (a ticket registered from the command
/// line, another window calling): the change feed (LISTEN/NOTIFY on PostgreSQL, the change rows
/// on SQLite) becomes [`Action::Changed`], so the queue shows new tickets within the feed's
/// latency instead of at the next poll. Changes that arrive together wake it once. Without a
/// feed the periodic refresh still runs.
async fn spawn_change_watch(
    kiosk: &Kiosk,
    tx: mpsc::UnboundedSender<Action>,
) -> Option<tokio::task::JoinHandle<()>> {
    use futures::{FutureExt, StreamExt};
    let mut feed = match kiosk.services().store().subscribe().await {
        Ok(feed) => feed,
        Err(e) => {
            tracing::warn!(error = %e, "no change feed; the queue refreshes on its timer");
            return None;
        }
    };
    Some(tokio::spawn(async move {
        while feed.next().await.is_some() {
            while let Some(Some(_)) = feed.next().now_or_never() {}
            if tx.send(Action::Changed).is_err() {
                return;
            }
        }
    }))
}

fn draw(terminal: &mut CrosstermTerminal, app: &App) -> io::Result<()> {
    terminal.draw(|f| screens::draw(app, f))?;
    Ok(())
}

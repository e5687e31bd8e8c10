//! The terminal, for every full-screen loop (the kiosk, the supervisor's screens, the hall
//! display): taken once and given back once, and read by one input task.
//!
//! [`FullScreen`] puts the terminal in raw mode on the alternate screen and restores it when it is
//! dropped, so every way out of a loop (an error, `?`) leaves the terminal usable; a panic hook,
//! installed once, restores it before the panic message is printed so the message lands on the
//! normal screen. [`spawn_input`] is the input task: terminal events and an optional tick become
//! messages on the loop's channel until the loop stops it.

use crossterm::event::{
    DisableBracketedPaste, EnableBracketedPaste, Event, EventStream, KeyEvent, KeyEventKind,
};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use futures::StreamExt;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::io::{self, Stdout};
use std::sync::Once;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio::time::{Interval, MissedTickBehavior};

pub type CrosstermTerminal = Terminal<CrosstermBackend<Stdout>>;

/// How pasted text reaches the loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paste {
    /// As one [`Input::Paste`]: the kiosk's fields take a pasted name or address whole.
    Bracketed,
    /// As the keys it is made of, as if typed (the supervisor's sign-in and the hall display).
    AsKeys,
}

/// The terminal while a full-screen loop owns it; restored when dropped.
pub struct FullScreen {
    terminal: CrosstermTerminal,
    // Declared last so it drops last: the terminal is restored after ratatui's own clean-up.
    _restore: Restore,
}

struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        restore();
    }
}

impl FullScreen {
    pub fn enter(paste: Paste) -> io::Result<FullScreen> {
        install_panic_hook();
        enable_raw_mode()?;
        // From here on, a failure below still gives the terminal back.
        let restore = Restore;
        execute!(io::stdout(), EnterAlternateScreen)?;
        if paste == Paste::Bracketed {
            execute!(io::stdout(), EnableBracketedPaste)?;
        }
        let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
        terminal.clear()?;
        Ok(FullScreen {
            terminal,
            _restore: restore,
        })
    }

    pub fn terminal(&mut self) -> &mut CrosstermTerminal {
        &mut self.terminal
    }
}

/// Gives the terminal back: cooked mode, the normal screen, no bracketed paste, a visible cursor.
/// Each step is tried even when one before it failed.
fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(io::stdout(), DisableBracketedPaste, LeaveAlternateScreen);
    let _ = execute!(io::stdout(), crossterm::cursor::Show);
}

fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}

/// What the input task reads, before a loop gives it a meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A key pressed or repeated (releases are not passed on).
    Key(KeyEvent),
    /// Text pasted with [`Paste::Bracketed`].
    Paste(String),
    Resize(u16, u16),
    /// The tick asked for in [`spawn_input`].
    Tick,
}

/// The running input task. Dropping it stops the task too, at its next wake-up.
pub struct InputTask {
    stop: oneshot::Sender<()>,
    handle: JoinHandle<()>,
}

impl InputTask {
    /// Stops the task and waits until it has let go of the terminal's event stream.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.handle.await;
    }
}

/// Starts the input task: every terminal event and (with `tick`) a tick at that interval, the
/// first at once, passed through `map` and sent to `tx`. Between events it sleeps. It ends when
/// stopped, when `tx`'s receiver goes, or when the terminal can no longer be read.
pub fn spawn_input<T, F>(tick: Option<Duration>, tx: mpsc::UnboundedSender<T>, map: F) -> InputTask
where
    T: Send + 'static,
    F: Fn(Input) -> Option<T> + Send + 'static,
{
    let (stop, mut stopped) = oneshot::channel::<()>();
    let handle = tokio::spawn(async move {
        let mut events = EventStream::new();
        let mut tick = tick.map(|period| {
            let mut t = tokio::time::interval(period);
            t.set_missed_tick_behavior(MissedTickBehavior::Skip);
            t
        });
        loop {
            let input = tokio::select! {
                _ = &mut stopped => break,
                _ = next_tick(&mut tick) => Input::Tick,
                ev = events.next() => match ev {
                    Some(Ok(Event::Key(k))) if k.kind != KeyEventKind::Release => Input::Key(k),
                    Some(Ok(Event::Paste(text))) => Input::Paste(text),
                    Some(Ok(Event::Resize(w, h))) => Input::Resize(w, h),
                    Some(Ok(_)) => continue,
                    Some(Err(e)) => {
                        tracing::warn!(error = %e, "cannot read the terminal; input stops");
                        break;
                    }
                    None => break,
                },
            };
            if let Some(message) = map(input)
                && tx.send(message).is_err()
            {
                break;
            }
        }
    });
    InputTask { stop, handle }
}

async fn next_tick(tick: &mut Option<Interval>) {
    match tick {
        Some(t) => {
            t.tick().await;
        }
        None => std::future::pending().await,
    }
}

/// Runs a full-screen loop that hears only keys (the supervisor's screens, the hall display), and
/// a resize as `KeyCode::Null`:
/// takes the terminal, sends the keys to the loop's receiver, and gives both back afterwards.
pub async fn with_keys<F>(body: F) -> anyhow::Result<()>
where
    F: AsyncFnOnce(&mut CrosstermTerminal, mpsc::UnboundedReceiver<KeyEvent>) -> anyhow::Result<()>,
{
    let mut screen = FullScreen::enter(Paste::AsKeys)?;
    let (tx, keys) = mpsc::unbounded_channel();
    let input = spawn_input(None, tx, |input| match input {
        Input::Key(k) => Some(k),
        // A resize reaches the loop as a key with no code: it redraws at once at the new size.
        Input::Resize(..) => Some(KeyEvent::from(crossterm::event::KeyCode::Null)),
        _ => None,
    });
    let result = body(screen.terminal(), keys).await;
    input.stop().await;
    result
}

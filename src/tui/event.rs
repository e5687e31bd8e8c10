//! The input task: terminal events, a one-second tick and a shutdown signal, all turned into
//! [`Action`]s on one channel. The tick drives the clock, the idle lock and status polls; between
//! ticks and keys the kiosk sleeps.

use super::app::Action;
use crate::domain::china_time;
use crossterm::event::{Event, EventStream, KeyEventKind};
use futures::StreamExt;
use std::time::Duration;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use tokio::time::MissedTickBehavior;

pub fn now() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::Utc::now().with_timezone(&china_time())
}

pub fn spawn_input(
    tx: mpsc::UnboundedSender<Action>,
    mut shutdown: watch::Receiver<bool>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut events = EventStream::new();
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        tick.set_missed_tick_behavior(MissedTickBehavior::Skip);
        loop {
            let action = tokio::select! {
                _ = shutdown.changed() => break,
                _ = tick.tick() => Action::Tick(now()),
                ev = events.next() => match ev {
                    Some(Ok(Event::Key(k))) if k.kind != KeyEventKind::Release => Action::Key(k),
                    Some(Ok(Event::Paste(text))) => Action::Paste(text),
                    Some(Ok(Event::Resize(w, h))) => Action::Resize(w, h),
                    Some(Ok(_)) => continue,
                    Some(Err(_)) | None => break,
                },
            };
            if tx.send(action).is_err() {
                break;
            }
        }
    })
}

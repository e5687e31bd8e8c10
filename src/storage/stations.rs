//! Windows as stations: who is signed in at each window (sessions) and what each window's printer
//! last said (issue 7: the dashboard's "who is signed in, for how long, idle" and "printers in
//! fault", and idle time in the report). Same SQL on both backends.
//!
//! A kiosk opens a session when a clerk signs in, refreshes it while it runs and closes it at
//! sign-out. A kiosk that is killed cannot close its session, so a session not seen for
//! [`SESSION_STALE`] counts as ended when it was last seen.

use super::types::{SiteId, StaffId, WindowId};
use super::{AnyStorage, Result};
use chrono::{DateTime, TimeDelta, Utc};
use std::future::Future;

/// How often a running kiosk refreshes its session and printer status.
pub const HEARTBEAT: std::time::Duration = std::time::Duration::from_secs(60);

/// A session not refreshed for this long belongs to a kiosk that is gone.
pub const SESSION_STALE: TimeDelta = TimeDelta::minutes(3);

/// A printer status older than this is not trusted (its kiosk is gone).
pub const PRINTER_STALE: TimeDelta = TimeDelta::minutes(10);

/// A clerk signed in at a window now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveSession {
    pub window: WindowId,
    pub window_number: i64,
    pub staff: StaffId,
    pub staff_code: String,
    pub signed_in_at: DateTime<Utc>,
}

/// Signed-in time of a clerk at a window, as stored (`end`: signed out, or last seen).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionSpan {
    pub window_number: i64,
    pub staff_code: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl SessionSpan {
    /// Seconds of the span inside `[from, to)`.
    pub fn secs_within(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
        let (a, b) = (self.start.max(from), self.end.min(to));
        (b - a).num_seconds().max(0)
    }
}

/// What a printer said about itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrinterState {
    Ok,
    Fault,
    Unknown,
}

impl PrinterState {
    pub fn code(self) -> &'static str {
        match self {
            PrinterState::Ok => "ok",
            PrinterState::Fault => "fault",
            PrinterState::Unknown => "unknown",
        }
    }

    pub(crate) fn parse(s: &str) -> PrinterState {
        match s {
            "ok" => PrinterState::Ok,
            "fault" => PrinterState::Fault,
            _ => PrinterState::Unknown,
        }
    }
}

/// A window's printer as the dashboard sees it. `window_number` is `None` for paper queued at no
/// window (any runner prints it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrinterRow {
    pub window_number: Option<i64>,
    /// `None`: no kiosk has reported on this printer yet.
    pub state: Option<PrinterState>,
    pub detail: String,
    pub updated_at: Option<DateTime<Utc>>,
    /// Jobs pending or printing that were queued before the `queued_before` asked for.
    pub waiting_jobs: i64,
}

pub trait StationStore: Send + Sync {
    /// `staff` signs in at `window`: ends any open session at that window and any of theirs
    /// elsewhere (a clerk is at one window, a window has one clerk), and opens a new one.
    fn open_session(
        &self,
        window: WindowId,
        staff: StaffId,
        at: DateTime<Utc>,
    ) -> impl Future<Output = Result<()>> + Send;
    /// The kiosk is still running with this clerk signed in. False when there is no open
    /// session (someone else signed in at the window since).
    fn touch_session(
        &self,
        window: WindowId,
        staff: StaffId,
        at: DateTime<Utc>,
    ) -> impl Future<Output = Result<bool>> + Send;
    fn close_session(
        &self,
        window: WindowId,
        staff: StaffId,
        at: DateTime<Utc>,
    ) -> impl Future<Output = Result<()>> + Send;
    /// Sessions open at `now` and seen within [`SESSION_STALE`], by window number.
    fn live_sessions(
        &self,
        site: SiteId,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<Vec<LiveSession>>> + Send;
    /// Sessions of the site that overlap `[from, to)`.
    fn session_spans(
        &self,
        site: SiteId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> impl Future<Output = Result<Vec<SessionSpan>>> + Send;
    /// Stores what the window's printer said; a change event only when it changed.
    fn set_printer_status(
        &self,
        window: WindowId,
        state: PrinterState,
        detail: &str,
        at: DateTime<Utc>,
    ) -> impl Future<Output = Result<()>> + Send;
    /// Every window's printer, plus a row for paper queued at no window when there is some.
    fn printers(
        &self,
        site: SiteId,
        queued_before: DateTime<Utc>,
    ) -> impl Future<Output = Result<Vec<PrinterRow>>> + Send;
}

macro_rules! impl_station_store {
    ($ty:ty) => {
        impl $crate::storage::stations::StationStore for $ty {
            async fn open_session(
                &self,
                window: $crate::storage::WindowId,
                staff: $crate::storage::StaffId,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::Result<()> {
                let at = $crate::storage::shared::micros(at);
                let mut tx = self.begin_write().await?;
                sqlx::query(
                    "UPDATE window_sessions SET signed_out_at = $1 \
                     WHERE signed_out_at IS NULL AND (window_id = $2 OR staff_id = $3)",
                )
                .bind(at)
                .bind(window)
                .bind(staff)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "INSERT INTO window_sessions (window_id, staff_id, signed_in_at, last_seen_at) \
                     VALUES ($1, $2, $3, $3)",
                )
                .bind(window)
                .bind(staff)
                .bind(at)
                .execute(&mut *tx)
                .await?;
                let event = Self::record_change(
                    &mut tx,
                    $crate::storage::ChangeKind::WindowSignedIn,
                    Default::default(),
                    at,
                )
                .await?;
                tx.commit().await?;
                self.publish(&[event]).await;
                Ok(())
            }

            async fn touch_session(
                &self,
                window: $crate::storage::WindowId,
                staff: $crate::storage::StaffId,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::Result<bool> {
                let done = sqlx::query(
                    "UPDATE window_sessions SET last_seen_at = $1 \
                     WHERE signed_out_at IS NULL AND window_id = $2 AND staff_id = $3",
                )
                .bind($crate::storage::shared::micros(at))
                .bind(window)
                .bind(staff)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() > 0)
            }

            async fn close_session(
                &self,
                window: $crate::storage::WindowId,
                staff: $crate::storage::StaffId,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::Result<()> {
                let at = $crate::storage::shared::micros(at);
                let mut tx = self.begin_write().await?;
                let done = sqlx::query(
                    "UPDATE window_sessions SET signed_out_at = $1, last_seen_at = $1 \
                     WHERE signed_out_at IS NULL AND window_id = $2 AND staff_id = $3",
                )
                .bind(at)
                .bind(window)
                .bind(staff)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Ok(());
                }
                let event = Self::record_change(
                    &mut tx,
                    $crate::storage::ChangeKind::WindowSignedOut,
                    Default::default(),
                    at,
                )
                .await?;
                tx.commit().await?;
                self.publish(&[event]).await;
                Ok(())
            }

            async fn live_sessions(
                &self,
                site: $crate::storage::SiteId,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::Result<Vec<$crate::storage::stations::LiveSession>> {
                type Row = (
                    $crate::storage::WindowId,
                    i64,
                    $crate::storage::StaffId,
                    String,
                    chrono::DateTime<chrono::Utc>,
                );
                let rows: Vec<Row> = sqlx::query_as(
                    "SELECT w.id, w.number, s.id, s.code, ws.signed_in_at FROM window_sessions ws \
                     JOIN windows w ON w.id = ws.window_id JOIN staff s ON s.id = ws.staff_id \
                     WHERE w.site_id = $1 AND ws.signed_out_at IS NULL AND ws.last_seen_at >= $2 \
                     ORDER BY w.number",
                )
                .bind(site)
                .bind($crate::storage::shared::micros(
                    now - $crate::storage::stations::SESSION_STALE,
                ))
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(window, window_number, staff, staff_code, signed_in_at)| {
                        $crate::storage::stations::LiveSession {
                            window,
                            window_number,
                            staff,
                            staff_code,
                            signed_in_at,
                        }
                    })
                    .collect())
            }

            async fn session_spans(
                &self,
                site: $crate::storage::SiteId,
                from: chrono::DateTime<chrono::Utc>,
                to: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::Result<Vec<$crate::storage::stations::SessionSpan>> {
                type Row = (
                    i64,
                    String,
                    chrono::DateTime<chrono::Utc>,
                    chrono::DateTime<chrono::Utc>,
                );
                let rows: Vec<Row> = sqlx::query_as(
                    "SELECT w.number, s.code, ws.signed_in_at, \
                     COALESCE(ws.signed_out_at, ws.last_seen_at) FROM window_sessions ws \
                     JOIN windows w ON w.id = ws.window_id JOIN staff s ON s.id = ws.staff_id \
                     WHERE w.site_id = $1 AND ws.signed_in_at < $3 \
                     AND COALESCE(ws.signed_out_at, ws.last_seen_at) > $2 ORDER BY ws.id",
                )
                .bind(site)
                .bind($crate::storage::shared::micros(from))
                .bind($crate::storage::shared::micros(to))
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(window_number, staff_code, start, end)| {
                        $crate::storage::stations::SessionSpan {
                            window_number,
                            staff_code,
                            start,
                            end,
                        }
                    })
                    .collect())
            }

            async fn set_printer_status(
                &self,
                window: $crate::storage::WindowId,
                state: $crate::storage::stations::PrinterState,
                detail: &str,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::Result<()> {
                let at = $crate::storage::shared::micros(at);
                let mut tx = self.begin_write().await?;
                let before: Option<(String, String)> = sqlx::query_as(
                    "SELECT state, detail FROM printer_status WHERE window_id = $1",
                )
                .bind(window)
                .fetch_optional(&mut *tx)
                .await?;
                sqlx::query(
                    "INSERT INTO printer_status (window_id, state, detail, updated_at) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (window_id) DO UPDATE \
                     SET state = EXCLUDED.state, detail = EXCLUDED.detail, \
                     updated_at = EXCLUDED.updated_at",
                )
                .bind(window)
                .bind(state.code())
                .bind(detail)
                .bind(at)
                .execute(&mut *tx)
                .await?;
                let changed = before.is_none_or(|(s, d)| s != state.code() || d != detail);
                let mut events = Vec::new();
                if changed {
                    events.push(
                        Self::record_change(
                            &mut tx,
                            $crate::storage::ChangeKind::PrinterStatus,
                            Default::default(),
                            at,
                        )
                        .await?,
                    );
                }
                tx.commit().await?;
                self.publish(&events).await;
                Ok(())
            }

            async fn printers(
                &self,
                site: $crate::storage::SiteId,
                queued_before: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::Result<Vec<$crate::storage::stations::PrinterRow>> {
                type Row = (
                    Option<i64>,
                    Option<String>,
                    Option<String>,
                    Option<chrono::DateTime<chrono::Utc>>,
                    i64,
                );
                let before = $crate::storage::shared::micros(queued_before);
                let mut rows: Vec<Row> = sqlx::query_as(
                    "SELECT w.number, p.state, p.detail, p.updated_at, \
                     (SELECT COUNT(*) FROM print_jobs j WHERE j.window_id = w.id \
                      AND j.state IN ('pending', 'printing') AND j.created_at < $2) \
                     FROM windows w LEFT JOIN printer_status p ON p.window_id = w.id \
                     WHERE w.site_id = $1 ORDER BY w.number",
                )
                .bind(site)
                .bind(before)
                .fetch_all(&self.pool)
                .await?;
                let unassigned: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM print_jobs WHERE window_id IS NULL \
                     AND state IN ('pending', 'printing') AND created_at < $1",
                )
                .bind(before)
                .fetch_one(&self.pool)
                .await?;
                if unassigned > 0 {
                    rows.push((None, None, None, None, unassigned));
                }
                Ok(rows
                    .into_iter()
                    .map(|(window_number, state, detail, updated_at, waiting_jobs)| {
                        $crate::storage::stations::PrinterRow {
                            window_number,
                            state: state.map(|s| $crate::storage::stations::PrinterState::parse(&s)),
                            detail: detail.unwrap_or_default(),
                            updated_at,
                            waiting_jobs,
                        }
                    })
                    .collect())
            }
        }
    };
}
pub(crate) use impl_station_store;

macro_rules! delegate {
    ($self:ident, $s:ident => $call:expr) => {
        match $self {
            AnyStorage::Sqlite($s) => $call.await,
            AnyStorage::Postgres($s) => $call.await,
        }
    };
}

impl StationStore for AnyStorage {
    async fn open_session(
        &self,
        window: WindowId,
        staff: StaffId,
        at: DateTime<Utc>,
    ) -> Result<()> {
        delegate!(self, s => s.open_session(window, staff, at))
    }
    async fn touch_session(
        &self,
        window: WindowId,
        staff: StaffId,
        at: DateTime<Utc>,
    ) -> Result<bool> {
        delegate!(self, s => s.touch_session(window, staff, at))
    }
    async fn close_session(
        &self,
        window: WindowId,
        staff: StaffId,
        at: DateTime<Utc>,
    ) -> Result<()> {
        delegate!(self, s => s.close_session(window, staff, at))
    }
    async fn live_sessions(&self, site: SiteId, now: DateTime<Utc>) -> Result<Vec<LiveSession>> {
        delegate!(self, s => s.live_sessions(site, now))
    }
    async fn session_spans(
        &self,
        site: SiteId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<SessionSpan>> {
        delegate!(self, s => s.session_spans(site, from, to))
    }
    async fn set_printer_status(
        &self,
        window: WindowId,
        state: PrinterState,
        detail: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        delegate!(self, s => s.set_printer_status(window, state, detail, at))
    }
    async fn printers(
        &self,
        site: SiteId,
        queued_before: DateTime<Utc>,
    ) -> Result<Vec<PrinterRow>> {
        delegate!(self, s => s.printers(site, queued_before))
    }
}

//! Windows as stations: who is signed in at each window (sessions) and what each window's printer
//! last said (issue 7: the dashboard's "who is signed in, for how long, idle" and "printers in
//! fault", and idle time in the report).
//!
//! A kiosk opens a session when a clerk signs in, refreshes it while it runs and closes it at
//! sign-out. A kiosk that is killed cannot close its session, so a session not seen for
//! [`SESSION_STALE`] counts as ended when it was last seen.

use super::db::{Conn, Sql, Text};
use super::types::{AuditRecord, ChangeIds, ChangeKind, SiteId, StaffId, WindowId};
use super::{Result, Store};
use crate::domain::codes::codes;
use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

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

codes! {
    /// What a printer said about itself.
    pub enum PrinterState {
        Ok = "ok", "正常", "OK";
        Fault = "fault", "故障", "Fault";
        Unknown = "unknown", "未知", "Unknown";
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
    /// Jobs that stopped (failed for good) or wait for a person to say whether they came out
    /// (unconfirmed): each needs someone to look at it.
    pub stopped_jobs: i64,
}

/// Updates the open session of `staff` at `window` (`set` with the time as `$1`); whether there
/// was one.
async fn update_open_session(
    c: &mut Conn,
    set: &'static str,
    window: WindowId,
    staff: StaffId,
    at: DateTime<Utc>,
) -> Result<bool> {
    let sql = format!(
        "UPDATE window_sessions SET {set} \
         WHERE signed_out_at IS NULL AND window_id = $2 AND staff_id = $3"
    );
    let done = c
        .execute(Sql::built(sql).bind(at).bind(window).bind(staff))
        .await?;
    Ok(done > 0)
}

impl Store {
    /// `staff` signs in at `window`: ends any open session at that window and any of theirs
    /// elsewhere (a clerk is at one window, a window has one clerk), and opens a new one.
    #[tracing::instrument(skip_all, err)]
    pub async fn open_session(
        &self,
        window: WindowId,
        staff: StaffId,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let mut w = self.write().await?;
        w.execute(
            Sql::new(
                "UPDATE window_sessions SET signed_out_at = $1 \
                 WHERE signed_out_at IS NULL AND (window_id = $2 OR staff_id = $3)",
            )
            .bind(at)
            .bind(window)
            .bind(staff),
        )
        .await?;
        w.execute(
            Sql::new(
                "INSERT INTO window_sessions (window_id, staff_id, signed_in_at, last_seen_at) \
                 VALUES ($1, $2, $3, $3)",
            )
            .bind(window)
            .bind(staff)
            .bind(at),
        )
        .await?;
        w.change(ChangeKind::WindowSignedIn, ChangeIds::default(), at);
        self.commit(w).await
    }

    /// The kiosk is still running with this clerk signed in. False when there is no open
    /// session (someone else signed in at the window since).
    #[tracing::instrument(skip_all, err)]
    pub async fn touch_session(
        &self,
        window: WindowId,
        staff: StaffId,
        at: DateTime<Utc>,
    ) -> Result<bool> {
        let mut c = self.read().await?;
        update_open_session(&mut c, "last_seen_at = $1", window, staff, at).await
    }

    /// The clerk's session at the window ends; the sign-out is audited.
    #[tracing::instrument(skip_all, err)]
    pub async fn close_session(
        &self,
        window: WindowId,
        staff: StaffId,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let mut w = self.write().await?;
        let set = "signed_out_at = $1, last_seen_at = $1";
        if !update_open_session(&mut w, set, window, staff, at).await? {
            // Nobody was signed in there: nothing to record.
            return self.commit(w).await;
        }
        w.change(ChangeKind::WindowSignedOut, ChangeIds::default(), at);
        let number: Option<i64> = w
            .scalar_optional(Sql::new("SELECT number FROM windows WHERE id = $1").bind(window))
            .await?;
        w.audit(&AuditRecord {
            at,
            staff: Some(staff),
            window: Some(window),
            case: None,
            ticket: None,
            event: crate::domain::audit::AuditEvent::SignedOut { window: number },
        })
        .await?;
        self.commit(w).await
    }

    /// Sessions open at `now` and seen within [`SESSION_STALE`], by window number.
    #[tracing::instrument(skip_all, err)]
    pub async fn live_sessions(
        &self,
        site: SiteId,
        now: DateTime<Utc>,
    ) -> Result<Vec<LiveSession>> {
        let rows: Vec<(WindowId, i64, StaffId, String, DateTime<Utc>)> = self
            .read()
            .await?
            .fetch_all(
                Sql::new(
                    "SELECT w.id, w.number, s.id, s.code, ws.signed_in_at FROM window_sessions ws \
                     JOIN windows w ON w.id = ws.window_id JOIN staff s ON s.id = ws.staff_id \
                     WHERE w.site_id = $1 AND ws.signed_out_at IS NULL AND ws.last_seen_at >= $2 \
                     ORDER BY w.number",
                )
                .bind(site)
                .bind(now - SESSION_STALE),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(
                |(window, window_number, staff, staff_code, signed_in_at)| LiveSession {
                    window,
                    window_number,
                    staff,
                    staff_code,
                    signed_in_at,
                },
            )
            .collect())
    }

    /// Sessions of the site that overlap `[from, to)`.
    #[tracing::instrument(skip_all, err)]
    pub async fn session_spans(
        &self,
        site: SiteId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<SessionSpan>> {
        let rows: Vec<(i64, String, DateTime<Utc>, DateTime<Utc>)> = self
            .read()
            .await?
            .fetch_all(
                Sql::new(
                    "SELECT w.number, s.code, ws.signed_in_at, \
                     COALESCE(ws.signed_out_at, ws.last_seen_at) FROM window_sessions ws \
                     JOIN windows w ON w.id = ws.window_id JOIN staff s ON s.id = ws.staff_id \
                     WHERE w.site_id = $1 AND ws.signed_in_at < $3 \
                     AND COALESCE(ws.signed_out_at, ws.last_seen_at) > $2 ORDER BY ws.id",
                )
                .bind(site)
                .bind(from)
                .bind(to),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|(window_number, staff_code, start, end)| SessionSpan {
                window_number,
                staff_code,
                start,
                end,
            })
            .collect())
    }

    /// Stores what the window's printer said; a change event only when it changed.
    #[tracing::instrument(skip_all, err)]
    pub async fn set_printer_status(
        &self,
        window: WindowId,
        state: PrinterState,
        detail: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let mut w = self.write().await?;
        let before: Option<(Text<PrinterState>, String)> = w
            .fetch_optional(
                Sql::new("SELECT state, detail FROM printer_status WHERE window_id = $1")
                    .bind(window),
            )
            .await?;
        w.execute(
            Sql::new(
                "INSERT INTO printer_status (window_id, state, detail, updated_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (window_id) DO UPDATE \
                 SET state = EXCLUDED.state, detail = EXCLUDED.detail, \
                 updated_at = EXCLUDED.updated_at",
            )
            .bind(window)
            .bind(state)
            .bind(detail)
            .bind(at),
        )
        .await?;
        if before.is_none_or(|(s, d)| s.0 != state || d != detail) {
            w.change(ChangeKind::PrinterStatus, ChangeIds::default(), at);
        }
        self.commit(w).await
    }

    /// Every window's printer, plus a row for paper queued at no window when there is some.
    #[tracing::instrument(skip_all, err)]
    pub async fn printers(
        &self,
        site: SiteId,
        queued_before: DateTime<Utc>,
    ) -> Result<Vec<PrinterRow>> {
        type Row = (
            Option<i64>,
            Option<Text<PrinterState>>,
            Option<String>,
            Option<DateTime<Utc>>,
            i64,
            i64,
        );
        let mut c = self.read().await?;
        let mut rows: Vec<Row> = c
            .fetch_all(
                Sql::new(
                    "SELECT w.number, p.state, p.detail, p.updated_at, \
                     (SELECT COUNT(*) FROM print_jobs j WHERE j.window_id = w.id \
                      AND j.state IN ('pending', 'printing') AND j.created_at < $2), \
                     (SELECT COUNT(*) FROM print_jobs j WHERE j.window_id = w.id \
                      AND j.state IN ('failed', 'unconfirmed')) \
                     FROM windows w LEFT JOIN printer_status p ON p.window_id = w.id \
                     WHERE w.site_id = $1 ORDER BY w.number",
                )
                .bind(site)
                .bind(queued_before),
            )
            .await?;
        let unassigned: i64 = c
            .scalar(
                Sql::new(
                    "SELECT COUNT(*) FROM print_jobs WHERE window_id IS NULL \
                     AND state IN ('pending', 'printing') AND created_at < $1",
                )
                .bind(queued_before),
            )
            .await?;
        let unassigned_stopped: i64 = c
            .scalar(Sql::new(
                "SELECT COUNT(*) FROM print_jobs WHERE window_id IS NULL \
                 AND state IN ('failed', 'unconfirmed')",
            ))
            .await?;
        if unassigned > 0 || unassigned_stopped > 0 {
            rows.push((None, None, None, None, unassigned, unassigned_stopped));
        }
        Ok(rows
            .into_iter()
            .map(
                |(window_number, state, detail, updated_at, waiting_jobs, stopped_jobs)| {
                    PrinterRow {
                        window_number,
                        state: state.map(|s| s.0),
                        detail: detail.unwrap_or_default(),
                        updated_at,
                        waiting_jobs,
                        stopped_jobs,
                    }
                },
            )
            .collect())
    }
}

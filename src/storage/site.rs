//! The site, its queues (one per route with a ticket prefix) and its windows with the queues each
//! serves.

use super::db::{Conn, Sql, Text};
use super::types::{
    Actor, AuditRecord, ChangeIds, ChangeKind, QueueId, QueueInfo, SiteId, SiteInfo, WindowId,
    WindowInfo,
};
use super::{Result, StorageError, Store};
use crate::domain::audit::AuditEvent;
use crate::domain::{Route, SiteSettings};
use chrono::{DateTime, Utc};

/// A window of the site with the queues it serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowRow {
    pub id: WindowId,
    pub number: i64,
    pub name: String,
    pub queues: Vec<QueueId>,
}

#[derive(sqlx::FromRow)]
struct QueueRow {
    id: QueueId,
    route: Text<Route>,
    prefix: String,
}

impl From<QueueRow> for QueueInfo {
    fn from(r: QueueRow) -> QueueInfo {
        QueueInfo {
            id: r.id,
            route: r.route.0,
            prefix: r.prefix,
        }
    }
}

async fn load_site(c: &mut Conn, id: SiteId) -> Result<SiteInfo> {
    let (id, code, name): (SiteId, String, String) = c
        .fetch_optional(Sql::new("SELECT id, code, name FROM sites WHERE id = $1").bind(id))
        .await?
        .ok_or_else(|| StorageError::NotFound(format!("site id {id}")))?;
    let queues: Vec<QueueRow> = c
        .fetch_all(
            Sql::new("SELECT id, route, prefix FROM queues WHERE site_id = $1 ORDER BY id")
                .bind(id),
        )
        .await?;
    Ok(SiteInfo {
        id,
        code,
        name,
        queues: queues.into_iter().map(QueueInfo::from).collect(),
    })
}

/// A queue by id.
pub(crate) async fn queue_by_id(c: &mut Conn, id: QueueId) -> Result<Option<QueueInfo>> {
    let row: Option<QueueRow> = c
        .fetch_optional(Sql::new("SELECT id, route, prefix FROM queues WHERE id = $1").bind(id))
        .await?;
    Ok(row.map(QueueInfo::from))
}

/// Queue `id` if it belongs to the site queue `of` belongs to.
pub(crate) async fn queue_at_site_of(
    c: &mut Conn,
    of: QueueId,
    id: QueueId,
) -> Result<Option<QueueInfo>> {
    let row: Option<QueueRow> = c
        .fetch_optional(
            Sql::new(
                "SELECT b.id, b.route, b.prefix FROM queues a JOIN queues b \
                 ON a.site_id = b.site_id WHERE a.id = $1 AND b.id = $2",
            )
            .bind(of)
            .bind(id),
        )
        .await?;
    Ok(row.map(QueueInfo::from))
}

/// A queue of a site by its ticket prefix.
pub(crate) async fn queue_by_prefix(
    c: &mut Conn,
    site: SiteId,
    prefix: &str,
) -> Result<Option<QueueInfo>> {
    let row: Option<QueueRow> = c
        .fetch_optional(
            Sql::new("SELECT id, route, prefix FROM queues WHERE site_id = $1 AND prefix = $2")
                .bind(site)
                .bind(prefix),
        )
        .await?;
    Ok(row.map(QueueInfo::from))
}

/// Sets the queues window `id` serves to those of `routes`.
pub(crate) async fn set_window_queues(
    c: &mut Conn,
    site: SiteId,
    id: WindowId,
    routes: &[Route],
) -> Result<()> {
    c.execute(Sql::new("DELETE FROM window_queues WHERE window_id = $1").bind(id))
        .await?;
    for route in routes {
        let queue: QueueId = c
            .scalar_optional(
                Sql::new("SELECT id FROM queues WHERE site_id = $1 AND route = $2")
                    .bind(site)
                    .bind(*route),
            )
            .await?
            .ok_or_else(|| {
                StorageError::NotFound(format!(
                    "no queue for route {route} at site id {site} (give the route a ticket prefix)"
                ))
            })?;
        c.execute(
            Sql::new("INSERT INTO window_queues (window_id, queue_id) VALUES ($1, $2)")
                .bind(id)
                .bind(queue),
        )
        .await?;
    }
    Ok(())
}

pub(crate) async fn upsert_window_row(
    c: &mut Conn,
    site: SiteId,
    number: i64,
    name: &str,
) -> Result<WindowId> {
    c.scalar(
        Sql::new(
            "INSERT INTO windows (site_id, number, name) VALUES ($1, $2, $3) \
             ON CONFLICT (site_id, number) DO UPDATE SET name = excluded.name RETURNING id",
        )
        .bind(site)
        .bind(number)
        .bind(name),
    )
    .await
}

impl Store {
    /// Creates or updates the site and one queue per route with a ticket prefix.
    #[tracing::instrument(skip_all, err)]
    pub async fn ensure_site(&self, site: &SiteSettings, at: DateTime<Utc>) -> Result<SiteInfo> {
        let mut w = self.write().await?;
        let existing: Option<SiteId> = w
            .scalar_optional(Sql::new("SELECT id FROM sites WHERE code = $1").bind(&site.code))
            .await?;
        let before = match existing {
            Some(id) => Some(load_site(&mut w, id).await?),
            None => None,
        };
        let id: SiteId = w
            .scalar(
                Sql::new(
                    "INSERT INTO sites (code, name) VALUES ($1, $2) \
                     ON CONFLICT (code) DO UPDATE SET name = excluded.name RETURNING id",
                )
                .bind(&site.code)
                .bind(&site.name),
            )
            .await?;
        for (route, prefix) in &site.ticket_prefixes {
            w.execute(
                Sql::new(
                    "INSERT INTO queues (site_id, route, prefix) VALUES ($1, $2, $3) \
                     ON CONFLICT (site_id, route) DO UPDATE SET prefix = excluded.prefix",
                )
                .bind(id)
                .bind(*route)
                .bind(prefix),
            )
            .await
            .map_err(|e| match e {
                StorageError::Db(sqlx::Error::Database(d)) if d.is_unique_violation() => {
                    StorageError::Conflict(format!(
                        "ticket prefix {prefix:?} is already used by another queue of site {}",
                        site.code
                    ))
                }
                e => e,
            })?;
        }
        let info = load_site(&mut w, id).await?;
        // Every command ensures its site; only a real change is news to the screens.
        if before.as_ref() != Some(&info) {
            w.change(ChangeKind::Setup, ChangeIds::default(), at);
        }
        self.commit(w).await?;
        Ok(info)
    }

    /// Creates or updates window `number` of the site and the routes whose queues it serves.
    #[tracing::instrument(skip_all, err)]
    pub async fn upsert_window(
        &self,
        site: SiteId,
        number: i64,
        name: &str,
        routes: &[Route],
        at: DateTime<Utc>,
    ) -> Result<WindowId> {
        let mut w = self.write().await?;
        let id = upsert_window_row(&mut w, site, number, name).await?;
        set_window_queues(&mut w, site, id, routes).await?;
        w.change(ChangeKind::Setup, ChangeIds::default(), at);
        self.commit(w).await?;
        Ok(id)
    }

    /// A supervisor changes the queues window `number` serves; audited. (A window number that
    /// does not exist is an answer, not a fault, so NotFound is not logged here.)
    #[tracing::instrument(skip_all)]
    pub async fn reassign_window(
        &self,
        site: SiteId,
        number: i64,
        routes: &[Route],
        by: Actor,
    ) -> Result<WindowId> {
        let mut w = self.write().await?;
        let before = window_by_number(&mut w, site, number).await?;
        let before_routes: Vec<(Text<Route>,)> = w
            .fetch_all(
                Sql::new(
                    "SELECT q.route FROM window_queues wq JOIN queues q ON q.id = wq.queue_id \
                     WHERE wq.window_id = $1 ORDER BY q.id",
                )
                .bind(before.id),
            )
            .await?;
        set_window_queues(&mut w, site, before.id, routes).await?;
        let record = AuditRecord {
            window: Some(before.id),
            ..AuditRecord::by(
                by,
                AuditEvent::WindowReassigned {
                    number,
                    before: before.queues.iter().map(|q| q.0).collect(),
                    before_routes: before_routes.into_iter().map(|(r,)| r.0).collect(),
                    routes: routes.to_vec(),
                },
            )
        };
        w.audit(&record).await?;
        w.change(ChangeKind::Setup, ChangeIds::default(), by.at);
        self.commit(w).await?;
        Ok(before.id)
    }

    // Lookups by number return NotFound as an answer (a mistyped case number, a window not set
    // up yet), so they are not logged as errors here; callers log real faults.
    #[tracing::instrument(skip_all)]
    pub async fn site_by_code(&self, code: &str) -> Result<SiteInfo> {
        let mut c = self.read().await?;
        let id: SiteId = c
            .scalar_optional(Sql::new("SELECT id FROM sites WHERE code = $1").bind(code))
            .await?
            .ok_or_else(|| StorageError::NotFound(format!("site {code:?}")))?;
        load_site(&mut c, id).await
    }

    /// The codes of every site in the database.
    #[tracing::instrument(skip_all, err)]
    pub async fn site_codes(&self) -> Result<Vec<String>> {
        let rows: Vec<(String,)> = self
            .read()
            .await?
            .fetch_all(Sql::new("SELECT code FROM sites ORDER BY id"))
            .await?;
        Ok(rows.into_iter().map(|(c,)| c).collect())
    }

    #[tracing::instrument(skip_all)]
    pub async fn window_by_number(&self, site: SiteId, number: i64) -> Result<WindowInfo> {
        window_by_number(&mut self.read().await?, site, number).await
    }

    /// The windows of the site with the queues each serves, by number.
    #[tracing::instrument(skip_all, err)]
    pub async fn windows(&self, site: SiteId) -> Result<Vec<WindowRow>> {
        let rows: Vec<(WindowId, i64, String, Option<QueueId>)> = self
            .read()
            .await?
            .fetch_all(
                Sql::new(
                    "SELECT w.id, w.number, w.name, wq.queue_id FROM windows w \
                     LEFT JOIN window_queues wq ON wq.window_id = w.id \
                     WHERE w.site_id = $1 ORDER BY w.number, wq.queue_id",
                )
                .bind(site),
            )
            .await?;
        let mut out: Vec<WindowRow> = Vec::new();
        for (id, number, name, queue) in rows {
            if out.last().is_none_or(|w| w.id != id) {
                out.push(WindowRow {
                    id,
                    number,
                    name,
                    queues: vec![],
                });
            }
            if let (Some(q), Some(w)) = (queue, out.last_mut()) {
                w.queues.push(q);
            }
        }
        Ok(out)
    }
}

async fn window_by_number(c: &mut Conn, site: SiteId, number: i64) -> Result<WindowInfo> {
    let (id, name): (WindowId, String) = c
        .fetch_optional(
            Sql::new("SELECT id, name FROM windows WHERE site_id = $1 AND number = $2")
                .bind(site)
                .bind(number),
        )
        .await?
        .ok_or_else(|| StorageError::NotFound(format!("window {number}")))?;
    let queues: Vec<(QueueId,)> = c
        .fetch_all(
            Sql::new("SELECT queue_id FROM window_queues WHERE window_id = $1 ORDER BY queue_id")
                .bind(id),
        )
        .await?;
    Ok(WindowInfo {
        id,
        site,
        number,
        name,
        queues: queues.into_iter().map(|(q,)| q).collect(),
    })
}

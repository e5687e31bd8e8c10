//! Registering a case: the one path the kiosk and the `intake` command share. The record is
//! validated and classified by the rules in force at the intake time, a clerk's route override is
//! applied, and the case, its ticket and its paper are stored in one transaction.

use super::error::{AppError, AppResult};
use super::paper::Paper;
use super::types::{Issued, RouteOverride};
use super::{Acting, Services};
use crate::domain::intake_file::{InputError, IntakeFile, parse_intake_bytes};
use crate::domain::numbering::local_time;
use crate::domain::{self, IntakeRecord, Problem, Route, SiteSettings, StaffNo, Status};
use crate::storage::{Actor, IntakeCommit, IntakeReceipt, SiteInfo, StaffId, Store, WindowId};
use chrono::{DateTime, Utc};
use std::path::Path;

/// One registration: who registers what, where and when.
pub struct Registration<'a> {
    pub record: &'a IntakeRecord,
    /// Problems found while reading the record from a file (none from the kiosk's form).
    pub read: &'a [Problem],
    pub route_override: Option<&'a RouteOverride>,
    pub staff: Option<(StaffId, StaffNo)>,
    pub window: Option<WindowId>,
    pub at: DateTime<Utc>,
}

/// What a registration stored.
#[derive(Debug, Clone)]
pub struct Registered {
    pub issued: Issued,
    pub receipt: IntakeReceipt,
}

impl Services {
    /// Registers a case as `by` at `at`: classify, apply the override, store case + ticket +
    /// paper in one transaction.
    pub async fn register(
        &self,
        record: &IntakeRecord,
        route_override: Option<&RouteOverride>,
        by: &Acting,
        at: DateTime<Utc>,
    ) -> AppResult<Registered> {
        self.register_with(record, &[], route_override, by, at)
            .await
    }

    /// Registers a case read from a file, with the problems found while reading it (unknown
    /// fields and values, wrong types): they block like any other error.
    pub async fn register_read(
        &self,
        record: &IntakeRecord,
        read: &[Problem],
        by: &Acting,
        at: DateTime<Utc>,
    ) -> AppResult<Registered> {
        self.register_with(record, read, None, by, at).await
    }

    async fn register_with(
        &self,
        record: &IntakeRecord,
        read: &[Problem],
        route_override: Option<&RouteOverride>,
        by: &Acting,
        at: DateTime<Utc>,
    ) -> AppResult<Registered> {
        let site = self.site()?;
        let settings = self.settings();
        register(
            self.store(),
            &site,
            &settings,
            self.paper(),
            Registration {
                record,
                read,
                route_override,
                staff: by.staff.clone(),
                window: by.window.map(|w| w.id),
                at,
            },
        )
        .await
    }
}

/// Classifies and stores a case with its ticket and paper. A record with errors is refused with
/// [`AppError::Blocked`] and nothing is stored.
pub async fn register(
    store: &Store,
    site: &SiteInfo,
    settings: &SiteSettings,
    paper: &Paper,
    r: Registration<'_>,
) -> AppResult<Registered> {
    let local = local_time(&r.at);
    let decision = domain::classify::classify_read(r.record, r.read, settings, local);
    if decision.status == Status::Blocked {
        return Err(AppError::Blocked(Box::new(decision)));
    }
    // Stored as the rules read it: trimmed, full-width digits made ASCII (§2).
    let record = &r.record.normalized();
    if r.route_override
        .is_some_and(|o| o.route == Route::Referral && o.referral_to.is_none())
    {
        return Err(AppError::Invalid(
            crate::i18n::cli::Errors::get(paper.settings.lang)
                .override_needs_target
                .to_string(),
        ));
    }
    let route_override = r
        .route_override
        .map(|o| crate::domain::audit::RouteOverride {
            from: decision.route,
            to: o.route,
            referral_to: o.referral_to.filter(|_| o.route == Route::Referral),
            reason: o.reason.clone(),
        });
    let decision = match r.route_override {
        Some(o) => decision.overridden(
            o.route,
            o.referral_to,
            settings.queue_prefix(o.route).map(str::to_string),
        ),
        None => decision,
    };
    let clerk = r.staff.as_ref().map(|s| s.1.0.clone()).unwrap_or_default();
    let receipt = store
        .commit_intake(IntakeCommit {
            site: site.id,
            record,
            decision: &decision,
            by: Actor::at_window(r.staff.as_ref().map(|s| s.0), r.window, r.at),
            window: r.window,
            print_jobs: paper.renderer(record, &decision, settings, clerk),
            route_override,
        })
        .await?;
    let issued = Issued {
        case_no: receipt.case_no.clone(),
        ticket: receipt.ticket.as_ref().map(|t| t.ticket_no.clone()),
        route: decision.route,
        people_ahead: receipt
            .ticket
            .as_ref()
            .map_or(0, |t| u32::try_from(t.ahead).unwrap_or(0)),
        at: local,
        decision,
    };
    Ok(Registered { issued, receipt })
}

/// Reads an intake file (TOML or JSON). Only a file that cannot be read or is not TOML/JSON at
/// all is an error; unknown fields, values and wrong types are problems in the result.
pub fn read_intake_file(path: &Path) -> Result<IntakeFile, InputError> {
    let bytes = crate::config::files::read_capped(path, crate::config::files::MAX_INTAKE_BYTES)
        .map_err(|source| InputError::Read {
            path: path.display().to_string(),
            source,
        })?;
    parse_intake_bytes(path, &bytes)
}

//! [`MemoryBackend`]: the kiosk's backend held in memory, for tests and `--demo`.
//!
//! It behaves like the real thing where the screens can tell: daily ticket numbers per queue,
//! queue order priority first then issue time, PIN lock-out after repeated failures, history that
//! follows a case through transfers. Nothing is written anywhere.

use super::backend::*;
use crate::domain::{
    self, Category, Claim, Counterparty, Dispute, Employment, EmploymentStatus, IntakeRecord,
    Route, SiteSettings,
};
use crate::domain::{AmountInput, Applicant, DateInput, Fen};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};

/// Failures before a staff number is locked, and for how long.
pub const MAX_PIN_FAILURES: u32 = 5;
pub const LOCKOUT_MINUTES: i64 = 15;

/// The demo clerk, whose PIN the sign-in screen shows in `--demo`.
pub const DEMO_STAFF_NO: &str = "1001";
pub const DEMO_PIN: &str = "123456";

struct StaffRecord {
    staff: Staff,
    pin: String,
    failures: u32,
    locked_until: Option<DateTime<FixedOffset>>,
}

struct CaseRecord {
    view: CaseView,
    applicant_phone: String,
    ticket: Option<TicketEntry>,
}

struct TicketEntry {
    entry: QueueEntry,
}

#[derive(Default)]
struct State {
    site_code: String,
    set_up: bool,
    staff: BTreeMap<StaffNo, StaffRecord>,
    windows: BTreeMap<WindowId, Vec<Route>>,
    cases: Vec<CaseRecord>,
    /// (prefix, day) → last number issued.
    ticket_counters: BTreeMap<(String, NaiveDate), u32>,
    case_counters: BTreeMap<NaiveDate, u32>,
    health: Option<Health>,
    pub printed: Vec<(CaseNo, Paper)>,
}

pub struct MemoryBackend {
    site: SiteSettings,
    state: Mutex<State>,
    /// Simulates a lost database: every call fails with `Unavailable` while set.
    offline: AtomicBool,
}

fn ready() -> Health {
    Health {
        database: DbStatus::Connected,
        printer: PrinterStatus::Ready,
        pending_print_jobs: 0,
    }
}

impl MemoryBackend {
    /// An empty install: `needs_setup` is true until `set_up` runs.
    pub fn empty(site: SiteSettings) -> Self {
        MemoryBackend {
            state: Mutex::new(State {
                site_code: site.code.clone(),
                ..State::default()
            }),
            site,
            offline: AtomicBool::new(false),
        }
    }

    /// A set-up site with the demo staff (`1001` clerk, `1002` supervisor) and window 1 serving
    /// every queue, but no cases: what the tests start from.
    pub fn with_demo_staff(site: SiteSettings) -> Self {
        let b = MemoryBackend::empty(site);
        if let Ok(mut s) = b.state.lock() {
            s.set_up = true;
            s.windows.insert(WindowId(1), Self::all_queues());
            s.windows.insert(WindowId(2), Self::all_queues());
            for (no, name, role, pin) in [
                (DEMO_STAFF_NO, "张敏", Role::Clerk, DEMO_PIN),
                ("1002", "李强", Role::Supervisor, "654321"),
            ] {
                s.staff.insert(
                    StaffNo(no.to_string()),
                    StaffRecord {
                        staff: Staff {
                            number: StaffNo(no.to_string()),
                            name: name.to_string(),
                            role,
                        },
                        pin: pin.to_string(),
                        failures: 0,
                        locked_until: None,
                    },
                );
            }
        }
        b
    }

    /// The demo site: staff as above plus a few cases waiting in the inspection, arbitration and
    /// people's-mediation queues, registered shortly before `now`.
    pub fn demo(site: SiteSettings, now: DateTime<FixedOffset>) -> Self {
        let b = MemoryBackend::with_demo_staff(site);
        for (i, record) in demo_records(now.date_naive()).into_iter().enumerate() {
            let at = now - Duration::minutes(40 - 12 * i as i64);
            let decision = domain::classify(&record, &b.site, at);
            let _ = b.submit_now(Submission {
                record,
                decision,
                route_override: None,
                window: WindowId(2),
                staff: StaffNo("1002".into()),
                at,
            });
        }
        b
    }

    fn all_queues() -> Vec<Route> {
        vec![
            Route::LaborMediation,
            Route::PeoplesMediation,
            Route::LaborInspection,
            Route::Arbitration,
        ]
    }

    /// Lets a test or the demo show a database or printer fault in the status line.
    pub fn set_health(&self, health: Health) {
        if let Ok(mut s) = self.state.lock() {
            s.health = Some(health);
        }
    }

    /// Papers sent to the (imaginary) printer, oldest first.
    pub fn printed(&self) -> Vec<(CaseNo, Paper)> {
        self.state
            .lock()
            .map(|s| s.printed.clone())
            .unwrap_or_default()
    }

    /// Makes every call fail as if the database had gone away (and come back with `false`).
    pub fn set_offline(&self, offline: bool) {
        self.offline.store(offline, Ordering::SeqCst);
    }

    fn lock(&self) -> Result<MutexGuard<'_, State>, BackendError> {
        if self.offline.load(Ordering::SeqCst) {
            return Err(BackendError::Unavailable);
        }
        self.state
            .lock()
            .map_err(|_| BackendError::Other("memory backend poisoned".into()))
    }

    fn submit_now(&self, sub: Submission) -> Result<Issued, BackendError> {
        let mut s = self.lock()?;
        let day = sub.at.date_naive();
        let n = {
            let n = s.case_counters.entry(day).or_insert(0);
            *n += 1;
            *n
        };
        let case_no = CaseNo(format!("{}-{}-{:04}", s.site_code, day.format("%Y%m%d"), n));
        let route = match &sub.route_override {
            Some(o) => Some(o.route),
            None => sub.decision.route,
        };
        let mut history = vec![HistoryEntry {
            at: sub.at,
            event: CaseEvent::Registered,
            staff: Some(sub.staff.clone()),
            window: Some(sub.window),
        }];
        if let Some(o) = &sub.route_override {
            history.push(HistoryEntry {
                at: sub.at,
                event: CaseEvent::RouteOverridden {
                    from: sub.decision.route,
                    to: o.route,
                    reason: o.reason.clone(),
                },
                staff: Some(sub.staff.clone()),
                window: Some(sub.window),
            });
        }
        let prefix = route.and_then(|r| self.site.queue_prefix(r).map(str::to_string));
        let mut ticket = None;
        let mut people_ahead = 0;
        if let (Some(route), Some(prefix)) = (route, prefix) {
            let no = {
                let no = s.ticket_counters.entry((prefix.clone(), day)).or_insert(0);
                *no += 1;
                *no
            };
            let t = TicketNo(format!("{prefix}{no:03}"));
            let priority = sub.decision.is_priority();
            people_ahead = s
                .cases
                .iter()
                .filter_map(|c| c.ticket.as_ref())
                .filter(|t| {
                    t.entry.route == route
                        && t.entry.state == TicketState::Waiting
                        && (t.entry.priority || !priority)
                })
                .count() as u32;
            history.push(HistoryEntry {
                at: sub.at,
                event: CaseEvent::TicketIssued(t.clone()),
                staff: Some(sub.staff.clone()),
                window: Some(sub.window),
            });
            ticket = Some(TicketEntry {
                entry: QueueEntry {
                    ticket: t,
                    case_no: case_no.clone(),
                    route,
                    priority,
                    flags: sub.decision.flags.clone(),
                    applicant_name: sub.record.applicant.name.clone(),
                    issued_at: sub.at,
                    state: TicketState::Waiting,
                    window: None,
                },
            });
        }
        let paper = if ticket.is_some() {
            Paper::Ticket
        } else {
            Paper::ReferralNotice
        };
        s.printed.push((case_no.clone(), paper));
        if paper == Paper::Ticket {
            s.printed.push((case_no.clone(), Paper::Receipt));
        }
        let issued = Issued {
            case_no: case_no.clone(),
            ticket: ticket.as_ref().map(|t| t.entry.ticket.clone()),
            route,
            people_ahead,
            at: sub.at,
        };
        s.cases.push(CaseRecord {
            applicant_phone: sub.record.applicant.phone.clone(),
            view: CaseView {
                case_no,
                record: sub.record,
                decision: sub.decision,
                route,
                ticket: issued.ticket.clone(),
                state: ticket.as_ref().map(|t| t.entry.state),
                registered_at: sub.at,
                history,
            },
            ticket,
        });
        Ok(issued)
    }

    fn with_ticket<T>(
        &self,
        ticket: &TicketNo,
        f: impl FnOnce(&mut CaseRecord) -> Result<T, BackendError>,
    ) -> Result<T, BackendError> {
        let mut s = self.lock()?;
        let case = s
            .cases
            .iter_mut()
            .rev()
            .find(|c| c.ticket.as_ref().is_some_and(|t| &t.entry.ticket == ticket))
            .ok_or(BackendError::NotFound)?;
        let r = f(case)?;
        case.view.state = case.ticket.as_ref().map(|t| t.entry.state);
        Ok(r)
    }

    fn ticket_event(
        &self,
        ticket: &TicketNo,
        allowed: &[TicketState],
        to: TicketState,
        event: CaseEvent,
        staff: StaffNo,
        at: DateTime<FixedOffset>,
    ) -> Result<(), BackendError> {
        self.with_ticket(ticket, |c| {
            let t = c.ticket.as_mut().ok_or(BackendError::NotFound)?;
            if !allowed.contains(&t.entry.state) {
                return Err(BackendError::InvalidState);
            }
            t.entry.state = to;
            let window = t.entry.window;
            c.view.history.push(HistoryEntry {
                at,
                event,
                staff: Some(staff),
                window,
            });
            Ok(())
        })
    }

    fn waiting_now(&self, window: WindowId) -> Result<Vec<QueueEntry>, BackendError> {
        let s = self.lock()?;
        let serves = s.windows.get(&window).cloned().unwrap_or_default();
        let mut list: Vec<QueueEntry> = s
            .cases
            .iter()
            .filter_map(|c| c.ticket.as_ref())
            .map(|t| t.entry.clone())
            .filter(|e| match e.state {
                TicketState::Waiting => serves.contains(&e.route),
                TicketState::Called | TicketState::Serving => e.window == Some(window),
                _ => false,
            })
            .collect();
        list.sort_by_key(queue_order);
        Ok(list)
    }
}

/// Being served at this window first, then waiting tickets: priority first, then by issue time.
fn queue_order(e: &QueueEntry) -> (u8, bool, DateTime<FixedOffset>, TicketNo) {
    let rank = match e.state {
        TicketState::Serving => 0,
        TicketState::Called => 1,
        _ => 2,
    };
    (rank, !e.priority, e.issued_at, e.ticket.clone())
}

impl Backend for MemoryBackend {
    fn needs_setup(&self) -> BackendResult<'_, bool> {
        Box::pin(async move { Ok(!self.lock()?.set_up) })
    }

    fn set_up(&self, setup: SetUp) -> BackendResult<'_, ()> {
        Box::pin(async move {
            let mut s = self.lock()?;
            s.site_code = setup.site_code;
            for w in setup.windows {
                s.windows.insert(w, Self::all_queues());
            }
            s.staff.insert(
                setup.supervisor_no.clone(),
                StaffRecord {
                    staff: Staff {
                        number: setup.supervisor_no,
                        name: setup.supervisor_name,
                        role: Role::Supervisor,
                    },
                    pin: setup.supervisor_pin,
                    failures: 0,
                    locked_until: None,
                },
            );
            s.set_up = true;
            Ok(())
        })
    }

    fn sign_in(
        &self,
        staff: StaffNo,
        pin: String,
        at: DateTime<FixedOffset>,
    ) -> BackendResult<'_, Staff> {
        Box::pin(async move {
            let mut s = self.lock()?;
            let Some(rec) = s.staff.get_mut(&staff) else {
                // An unknown number fails like a wrong PIN, so numbers cannot be probed.
                return Err(BackendError::BadCredentials {
                    attempts_left: MAX_PIN_FAILURES,
                });
            };
            if let Some(until) = rec.locked_until {
                if at < until {
                    return Err(BackendError::LockedOut { until });
                }
                rec.locked_until = None;
                rec.failures = 0;
            }
            if rec.pin == pin {
                rec.failures = 0;
                return Ok(rec.staff.clone());
            }
            rec.failures += 1;
            if rec.failures >= MAX_PIN_FAILURES {
                let until = at + Duration::minutes(LOCKOUT_MINUTES);
                rec.locked_until = Some(until);
                return Err(BackendError::LockedOut { until });
            }
            Err(BackendError::BadCredentials {
                attempts_left: MAX_PIN_FAILURES - rec.failures,
            })
        })
    }

    fn sign_out(&self, _staff: StaffNo, _at: DateTime<FixedOffset>) -> BackendResult<'_, ()> {
        // The demo keeps no sessions.
        Box::pin(async { Ok(()) })
    }

    fn submit(&self, submission: Submission) -> BackendResult<'_, Issued> {
        Box::pin(async move { self.submit_now(submission) })
    }

    fn waiting(
        &self,
        window: WindowId,
        _at: DateTime<FixedOffset>,
    ) -> BackendResult<'_, Vec<QueueEntry>> {
        Box::pin(async move { self.waiting_now(window) })
    }

    fn call_next(
        &self,
        window: WindowId,
        staff: StaffNo,
        at: DateTime<FixedOffset>,
    ) -> BackendResult<'_, QueueEntry> {
        Box::pin(async move {
            let next = self
                .waiting_now(window)?
                .into_iter()
                .find(|e| e.state == TicketState::Waiting)
                .ok_or(BackendError::QueueEmpty)?;
            self.with_ticket(&next.ticket, |c| {
                let t = c.ticket.as_mut().ok_or(BackendError::NotFound)?;
                t.entry.state = TicketState::Called;
                t.entry.window = Some(window);
                c.view.history.push(HistoryEntry {
                    at,
                    event: CaseEvent::Called,
                    staff: Some(staff),
                    window: Some(window),
                });
                Ok(t.entry.clone())
            })
        })
    }

    fn recall(
        &self,
        ticket: TicketNo,
        staff: StaffNo,
        at: DateTime<FixedOffset>,
    ) -> BackendResult<'_, ()> {
        Box::pin(async move {
            self.ticket_event(
                &ticket,
                &[TicketState::Called],
                TicketState::Called,
                CaseEvent::Recalled,
                staff,
                at,
            )
        })
    }

    fn no_show(
        &self,
        ticket: TicketNo,
        staff: StaffNo,
        at: DateTime<FixedOffset>,
    ) -> BackendResult<'_, ()> {
        Box::pin(async move {
            self.ticket_event(
                &ticket,
                &[TicketState::Called],
                TicketState::NoShow,
                CaseEvent::NoShow,
                staff,
                at,
            )
        })
    }

    fn start(
        &self,
        ticket: TicketNo,
        staff: StaffNo,
        at: DateTime<FixedOffset>,
    ) -> BackendResult<'_, ()> {
        Box::pin(async move {
            self.ticket_event(
                &ticket,
                &[TicketState::Called],
                TicketState::Serving,
                CaseEvent::Started,
                staff,
                at,
            )
        })
    }

    fn transfer(
        &self,
        ticket: TicketNo,
        to: Route,
        reason: String,
        staff: StaffNo,
        at: DateTime<FixedOffset>,
    ) -> BackendResult<'_, TicketNo> {
        Box::pin(async move {
            let prefix = self
                .site
                .queue_prefix(to)
                .ok_or(BackendError::InvalidState)?
                .to_string();
            let mut s = self.lock()?;
            let day = at.date_naive();
            let counter = s.ticket_counters.entry((prefix.clone(), day)).or_insert(0);
            *counter += 1;
            let new_no = TicketNo(format!("{prefix}{:03}", counter));
            let case = s
                .cases
                .iter_mut()
                .find(|c| c.ticket.as_ref().is_some_and(|t| t.entry.ticket == ticket))
                .ok_or(BackendError::NotFound)?;
            let t = case.ticket.as_mut().ok_or(BackendError::NotFound)?;
            if !matches!(
                t.entry.state,
                TicketState::Waiting | TicketState::Called | TicketState::Serving
            ) {
                return Err(BackendError::InvalidState);
            }
            let from_window = t.entry.window;
            // The new ticket keeps its place in time: a transfer is not the worker's fault.
            t.entry.ticket = new_no.clone();
            t.entry.route = to;
            t.entry.state = TicketState::Waiting;
            t.entry.window = None;
            case.view.route = Some(to);
            case.view.ticket = Some(new_no.clone());
            case.view.state = Some(TicketState::Waiting);
            case.view.history.push(HistoryEntry {
                at,
                event: CaseEvent::Transferred { to, reason },
                staff: Some(staff.clone()),
                window: from_window,
            });
            case.view.history.push(HistoryEntry {
                at,
                event: CaseEvent::TicketIssued(new_no.clone()),
                staff: Some(staff),
                window: from_window,
            });
            Ok(new_no)
        })
    }

    fn finish(
        &self,
        ticket: TicketNo,
        outcome: Outcome,
        staff: StaffNo,
        at: DateTime<FixedOffset>,
    ) -> BackendResult<'_, ()> {
        Box::pin(async move {
            self.ticket_event(
                &ticket,
                &[TicketState::Called, TicketState::Serving],
                TicketState::Finished,
                CaseEvent::Finished(outcome),
                staff,
                at,
            )
        })
    }

    fn case_view(&self, case_no: CaseNo) -> BackendResult<'_, CaseView> {
        Box::pin(async move {
            let s = self.lock()?;
            s.cases
                .iter()
                .find(|c| c.view.case_no == case_no)
                .map(|c| c.view.clone())
                .ok_or(BackendError::NotFound)
        })
    }

    fn search(&self, query: String) -> BackendResult<'_, Vec<CaseSummary>> {
        Box::pin(async move {
            let q = query.trim().to_uppercase();
            let s = self.lock()?;
            if q.is_empty() {
                return Ok(vec![]);
            }
            Ok(s.cases
                .iter()
                .rev()
                .filter(|c| {
                    c.view.case_no.0.to_uppercase().contains(&q)
                        || c.view.record.applicant.name.contains(query.trim())
                        || c.applicant_phone.contains(query.trim())
                        || c.view.ticket.as_ref().is_some_and(|t| t.0 == q)
                })
                .map(|c| CaseSummary {
                    case_no: c.view.case_no.clone(),
                    applicant_name: c.view.record.applicant.name.clone(),
                    phone: c.applicant_phone.clone(),
                    counterparty_name: c.view.record.counterparty.name.clone(),
                    route: c.view.route,
                    registered_at: c.view.registered_at,
                })
                .collect())
        })
    }

    fn reprint(
        &self,
        case_no: CaseNo,
        paper: Paper,
        staff: StaffNo,
        at: DateTime<FixedOffset>,
    ) -> BackendResult<'_, ()> {
        Box::pin(async move {
            let mut s = self.lock()?;
            let case = s
                .cases
                .iter_mut()
                .find(|c| c.view.case_no == case_no)
                .ok_or(BackendError::NotFound)?;
            if paper == Paper::Ticket && case.ticket.is_none() {
                return Err(BackendError::InvalidState);
            }
            case.view.history.push(HistoryEntry {
                at,
                event: CaseEvent::Printed(paper),
                staff: Some(staff),
                window: None,
            });
            s.printed.push((case_no, paper));
            Ok(())
        })
    }

    fn health(&self) -> BackendResult<'_, Health> {
        Box::pin(async move { Ok(self.lock()?.health.unwrap_or_else(ready)) })
    }
}

fn date(y: i32, m: u32, d: u32) -> Option<DateInput> {
    NaiveDate::from_ymd_opt(y, m, d).map(DateInput::Valid)
}

/// Sample walk-ins for the demo: plain unpaid wages (inspection), a worker who declines mediation
/// (arbitration) and a domestic helper (people's mediation).
fn demo_records(today: NaiveDate) -> Vec<IntakeRecord> {
    let _ = today;
    // Demo ID numbers are made valid here rather than typed with a check character by hand.
    let person = |name: &str, first17: &str, phone: &str| Applicant {
        name: name.into(),
        id_number: format!(
            "{first17}{}",
            domain::ids::resident_id_check_char(first17).unwrap_or('0')
        ),
        phone: phone.into(),
        ..Applicant::default()
    };
    let employer = |name: &str| Counterparty {
        name: name.into(),
        ..Counterparty::default()
    };
    let claim = |c: Category, yuan: i64| Claim {
        category: Some(c),
        amount: Some(AmountInput::Valid(Fen::from_yuan(yuan))),
        known_on: None,
    };
    vec![
        IntakeRecord {
            applicant: person("刘建国", "11010119800101003", "13900001111"),
            counterparty: employer("郑州宏达建筑劳务有限公司"),
            employment: Employment {
                status: Some(EmploymentStatus::Ended),
                started_on: date(2024, 3, 1),
                ended_on: date(2024, 12, 31),
                written_contract: Some(true),
                work_region: None,
            },
            dispute: Dispute {
                categories: vec![Category::Ld04],
                claims: vec![claim(Category::Ld04, 8600)],
                known_on: date(2025, 1, 15),
                unpaid_wages: Some(true),
                ..Dispute::default()
            },
        },
        IntakeRecord {
            applicant: Applicant {
                groups: vec![crate::domain::Group::Pregnant],
                ..person("陈晓", "11010119920315002", "13700002222")
            },
            counterparty: employer("北京星河餐饮管理有限公司"),
            employment: Employment {
                status: Some(EmploymentStatus::Ended),
                started_on: date(2022, 5, 1),
                ended_on: date(2025, 1, 20),
                written_contract: Some(true),
                work_region: None,
            },
            dispute: Dispute {
                categories: vec![Category::Ld05],
                claims: vec![claim(Category::Ld05, 15000)],
                known_on: date(2025, 1, 20),
                wants_mediation: Some(false),
                ..Dispute::default()
            },
        },
        IntakeRecord {
            applicant: person("赵秀兰", "11010119650505002", "13600003333"),
            counterparty: Counterparty {
                kind: crate::domain::CounterpartyKind::Household,
                name: "孙家".into(),
                ..Counterparty::default()
            },
            employment: Employment::default(),
            dispute: Dispute {
                categories: vec![Category::Ld04],
                claims: vec![claim(Category::Ld04, 3000)],
                known_on: date(2025, 2, 1),
                ..Dispute::default()
            },
        },
    ]
}

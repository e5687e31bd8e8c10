//! What a supervisor must act on (§9, issue 7), computed from a snapshot of the centre. Pure: the
//! dashboard gathers the snapshot from storage and printers, this decides what is an alert.

use super::codes::{Flag, Route};
use super::decision::Deadline;
use super::employer::EmployerKey;
use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use std::collections::{BTreeMap, HashMap};

/// Site settings for alerts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertSettings {
    /// A ticket waiting longer than this is an alert.
    pub wait_target_minutes: u32,
    /// N: this many cases against one employer …
    pub repeat_employer_cases: u32,
    /// … within D days raise the early warning.
    pub repeat_employer_days: u32,
    /// Mediation periods ending within this many days.
    pub mediation_warning_days: u32,
    /// Limitation dates within this many days (the TIME_BAR_NEAR window is 7).
    pub limitation_warning_days: u32,
}

impl Default for AlertSettings {
    fn default() -> Self {
        AlertSettings {
            wait_target_minutes: 30,
            repeat_employer_cases: 3,
            repeat_employer_days: 30,
            mediation_warning_days: 3,
            limitation_warning_days: 7,
        }
    }
}

/// A case as the dashboard sees it.
#[derive(Debug, Clone)]
pub struct CaseSnapshot {
    pub case_no: String,
    pub registered_at: DateTime<FixedOffset>,
    pub route: Option<Route>,
    pub flags: Vec<Flag>,
    pub deadlines: BTreeMap<Deadline, NaiveDate>,
    pub employer: EmployerKey,
    pub employer_name: String,
    /// Served to the end (an outcome recorded).
    pub finished: bool,
    /// A supervisor has acknowledged its alert.
    pub acknowledged: bool,
}

#[derive(Debug, Clone)]
pub struct WaitingTicket {
    pub ticket_no: String,
    pub issued_at: DateTime<FixedOffset>,
}

#[derive(Debug, Clone)]
pub struct PrinterSnapshot {
    pub name: String,
    /// `Some(text)` when the printer reports a fault or cannot be reached.
    pub fault: Option<String>,
    pub pending_jobs: u32,
    /// Paper that stopped or was not confirmed: a person must look at it.
    pub stopped_jobs: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AlertKind {
    Major,
    Escalating,
    ChildLabor,
    Collective,
    LongWait,
    PrinterFault,
    PrintBacklog,
    PrintJobStopped,
    MediationEnding,
    LimitationNear,
    RepeatEmployer,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    pub kind: AlertKind,
    /// Case number, ticket number, printer name or employer name.
    pub subject: String,
    /// Minutes waited, days left, or cases counted, depending on the kind.
    pub figure: i64,
    /// Shown highlighted: not yet acknowledged (cases), or always (others).
    pub highlight: bool,
}

/// All alerts for the snapshot at `now`, most urgent kinds first.
pub fn alerts(
    now: DateTime<FixedOffset>,
    s: &AlertSettings,
    cases: &[CaseSnapshot],
    waiting: &[WaitingTicket],
    printers: &[PrinterSnapshot],
) -> Vec<Alert> {
    let today = now.date_naive();
    let mut out = Vec::new();
    let mut push = |kind, subject: &str, figure, highlight| {
        out.push(Alert {
            kind,
            subject: subject.to_string(),
            figure,
            highlight,
        })
    };
    for c in cases.iter().filter(|c| !c.finished) {
        for (flag, kind) in [
            (Flag::Major, AlertKind::Major),
            (Flag::Escalating, AlertKind::Escalating),
            (Flag::ChildLabor, AlertKind::ChildLabor),
            (Flag::Collective, AlertKind::Collective),
        ] {
            if c.flags.contains(&flag) {
                push(kind, &c.case_no, 0, !c.acknowledged);
            }
        }
        if c.route == Some(Route::LaborMediation)
            && let Some(end) = c.deadlines.get(&Deadline::MediationPeriodEnds)
        {
            let left = (*end - today).num_days();
            if left <= i64::from(s.mediation_warning_days) {
                push(AlertKind::MediationEnding, &c.case_no, left, true);
            }
        }
        if let Some(end) = c.deadlines.get(&Deadline::LimitationExpires) {
            let left = (*end - today).num_days();
            if (0..=i64::from(s.limitation_warning_days)).contains(&left) {
                push(AlertKind::LimitationNear, &c.case_no, left, true);
            }
        }
    }
    for t in waiting {
        let minutes = (now - t.issued_at).num_minutes();
        if minutes > i64::from(s.wait_target_minutes) {
            push(AlertKind::LongWait, &t.ticket_no, minutes, true);
        }
    }
    for p in printers {
        if p.stopped_jobs > 0 {
            push(
                AlertKind::PrintJobStopped,
                &p.name,
                i64::from(p.stopped_jobs),
                true,
            );
        }
        if p.fault.is_some() {
            push(
                AlertKind::PrinterFault,
                &p.name,
                i64::from(p.pending_jobs),
                true,
            );
        } else if p.pending_jobs > 0 {
            push(
                AlertKind::PrintBacklog,
                &p.name,
                i64::from(p.pending_jobs),
                true,
            );
        }
    }
    // Scattered complaints against one employer are how collective disputes begin.
    let since = now - Duration::days(i64::from(s.repeat_employer_days));
    let mut per_employer: HashMap<&EmployerKey, (usize, &str)> = HashMap::new();
    for c in cases.iter().filter(|c| c.registered_at > since) {
        let e = per_employer
            .entry(&c.employer)
            .or_insert((0, &c.employer_name));
        e.0 += 1;
    }
    let mut repeat: Vec<(&str, usize)> = per_employer
        .into_values()
        .filter(|(n, _)| *n >= s.repeat_employer_cases as usize)
        .map(|(n, name)| (name, n))
        .collect();
    repeat.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    for (name, n) in repeat {
        push(AlertKind::RepeatEmployer, name, n as i64, true);
    }
    out.sort_by_key(|a| (a.kind, std::cmp::Reverse(a.figure)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<FixedOffset> {
        crate::domain::china_time()
            .with_ymd_and_hms(2025, 3, 10, h, m, 0)
            .single()
            .expect("time")
    }

    fn case(no: &str, flags: Vec<Flag>, employer: &str, days_ago: i64) -> CaseSnapshot {
        CaseSnapshot {
            case_no: no.into(),
            registered_at: at(9, 0) - Duration::days(days_ago),
            route: Some(Route::LaborMediation),
            flags,
            deadlines: BTreeMap::new(),
            employer: EmployerKey::of(employer, None),
            employer_name: employer.into(),
            finished: false,
            acknowledged: false,
        }
    }

    #[test]
    fn major_cases_stay_listed_but_stop_highlighting_when_acknowledged() {
        let mut c = case("A-1", vec![Flag::Collective, Flag::Major], "甲公司", 0);
        let a = alerts(at(10, 0), &AlertSettings::default(), &[c.clone()], &[], &[]);
        assert_eq!(
            a.iter().map(|x| x.kind).collect::<Vec<_>>(),
            [AlertKind::Major, AlertKind::Collective]
        );
        assert!(a.iter().all(|x| x.highlight));
        c.acknowledged = true;
        let a = alerts(at(10, 0), &AlertSettings::default(), &[c], &[], &[]);
        assert_eq!(a.len(), 2);
        assert!(a.iter().all(|x| !x.highlight));
    }

    #[test]
    fn waits_deadlines_printers_and_repeat_employers() {
        let s = AlertSettings::default();
        let mut m = case("A-2", vec![], "乙公司", 12);
        m.deadlines.insert(
            Deadline::MediationPeriodEnds,
            NaiveDate::from_ymd_opt(2025, 3, 13).expect("d"),
        );
        m.deadlines.insert(
            Deadline::LimitationExpires,
            NaiveDate::from_ymd_opt(2025, 3, 15).expect("d"),
        );
        let mut far = case("A-3", vec![], "丙公司", 40);
        far.deadlines.insert(
            Deadline::MediationPeriodEnds,
            NaiveDate::from_ymd_opt(2025, 3, 14).expect("d"),
        );
        let cases = vec![
            m,
            far,
            case("A-4", vec![], "丁建筑有限责任公司", 1),
            case("A-5", vec![], "丁建筑有限公司", 5),
            case("A-6", vec![], "丁建筑（有限公司）", 29),
            case("A-7", vec![], "丁建筑有限公司", 31),
        ];
        let waiting = vec![
            WaitingTicket {
                ticket_no: "T001".into(),
                issued_at: at(9, 0),
            },
            WaitingTicket {
                ticket_no: "T002".into(),
                issued_at: at(9, 40),
            },
        ];
        let printers = vec![
            PrinterSnapshot {
                name: "1号打印机".into(),
                fault: Some("缺纸".into()),
                pending_jobs: 2,
                stopped_jobs: 0,
            },
            PrinterSnapshot {
                name: "2号打印机".into(),
                fault: None,
                pending_jobs: 0,
                stopped_jobs: 1,
            },
        ];
        let a = alerts(at(10, 0), &s, &cases, &waiting, &printers);
        let find = |k: AlertKind| a.iter().filter(|x| x.kind == k).collect::<Vec<_>>();
        assert_eq!(find(AlertKind::LongWait).len(), 1);
        assert_eq!(find(AlertKind::LongWait)[0].subject, "T001");
        assert_eq!(find(AlertKind::LongWait)[0].figure, 60);
        assert_eq!(
            find(AlertKind::MediationEnding).len(),
            1,
            "3 days left alerts, 4 do not"
        );
        assert_eq!(find(AlertKind::LimitationNear).len(), 1);
        assert_eq!(find(AlertKind::LimitationNear)[0].figure, 5);
        let repeat = find(AlertKind::RepeatEmployer);
        assert_eq!(repeat.len(), 1, "{a:?}");
        assert_eq!(
            repeat[0].figure, 3,
            "the case 31 days ago is outside the 30-day window"
        );
        assert_eq!(find(AlertKind::PrinterFault)[0].subject, "1号打印机");
        assert!(find(AlertKind::PrintBacklog).is_empty());
        assert_eq!(find(AlertKind::PrintJobStopped)[0].subject, "2号打印机");
    }
}

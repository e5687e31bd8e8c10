//! What a supervisor must act on (§9, issues 7 and 14), computed from a snapshot of the centre.
//! Pure: the dashboard gathers the snapshot from storage and printers, this decides what is an
//! alert and how it is listed.
//!
//! Two sorts of alert. *Records* (MAJOR, ESCALATING, CHILD_LABOR, COLLECTIVE cases and repeat
//! employers) are rows in the database, raised once and kept until a supervisor acknowledges them
//! with a note, whatever happens to the case. *Conditions* (waits over target, printers, deadlines)
//! hold while the centre is in that state and go when it is not; waits over target are grouped,
//! one line per queue with the count and the longest wait.

use super::codes::Route;
use super::decision::Deadline;
use chrono::{DateTime, FixedOffset, NaiveDate};
use std::collections::{BTreeMap, HashMap};

/// Site settings for alerts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertSettings {
    /// A worker waiting longer than this is an alert.
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

/// A case with a deadline the dashboard watches (unfinished cases only).
#[derive(Debug, Clone)]
pub struct CaseSnapshot {
    pub case_no: String,
    pub route: Option<Route>,
    pub deadlines: BTreeMap<Deadline, NaiveDate>,
}

/// A worker waiting now. `since` is the issue of the first ticket of the visit (transfers
/// included): the one definition of a wait, shared with the report.
#[derive(Debug, Clone)]
pub struct WaitingTicket {
    /// The queue's prefix and name, as listed.
    pub queue: String,
    pub since: DateTime<FixedOffset>,
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

impl AlertKind {
    /// The code stored in `alerts.kind` for the kinds kept as records.
    pub fn record_code(self) -> Option<&'static str> {
        Some(match self {
            AlertKind::Major => "MAJOR",
            AlertKind::Escalating => "ESCALATING",
            AlertKind::ChildLabor => "CHILD_LABOR",
            AlertKind::Collective => "COLLECTIVE",
            AlertKind::RepeatEmployer => "REPEAT_EMPLOYER",
            _ => return None,
        })
    }

    pub fn from_record_code(code: &str) -> Option<AlertKind> {
        [
            AlertKind::Major,
            AlertKind::Escalating,
            AlertKind::ChildLabor,
            AlertKind::Collective,
            AlertKind::RepeatEmployer,
        ]
        .into_iter()
        .find(|k| k.record_code() == Some(code))
    }

    /// Kinds that ring the bell and flash the screen when they appear.
    pub fn urgent(self) -> bool {
        matches!(
            self,
            AlertKind::Major | AlertKind::Escalating | AlertKind::ChildLabor
        )
    }
}

/// An alert kept as a record, as read from storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedAlert {
    pub id: i64,
    pub kind: AlertKind,
    /// Case number or employer name.
    pub label: String,
    pub figure: i64,
    pub raised_at: DateTime<FixedOffset>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    pub kind: AlertKind,
    /// Case number, queue, printer name or employer name.
    pub subject: String,
    /// Minutes waited (the longest), days left, jobs or cases counted, depending on the kind.
    pub figure: i64,
    /// Waits over target: how many workers.
    pub count: i64,
    /// The record to acknowledge; `None` for a condition, which goes by itself.
    pub record: Option<i64>,
    /// Shown highlighted: every record (until acknowledged) and every condition.
    pub highlight: bool,
}

/// All alerts for the snapshot at `now`, most urgent kinds first.
pub fn alerts(
    now: DateTime<FixedOffset>,
    s: &AlertSettings,
    records: &[RecordedAlert],
    cases: &[CaseSnapshot],
    waiting: &[WaitingTicket],
    printers: &[PrinterSnapshot],
) -> Vec<Alert> {
    let today = now.date_naive();
    let mut out = Vec::new();
    let mut push = |kind, subject: &str, figure, count, record| {
        out.push(Alert {
            kind,
            subject: subject.to_string(),
            figure,
            count,
            record,
            highlight: true,
        })
    };
    for r in records {
        push(r.kind, &r.label, r.figure, 1, Some(r.id));
    }
    for c in cases {
        if c.route == Some(Route::LaborMediation)
            && let Some(end) = c.deadlines.get(&Deadline::MediationPeriodEnds)
        {
            let left = (*end - today).num_days();
            if left <= i64::from(s.mediation_warning_days) {
                push(AlertKind::MediationEnding, &c.case_no, left, 1, None);
            }
        }
        if let Some(end) = c.deadlines.get(&Deadline::LimitationExpires) {
            let left = (*end - today).num_days();
            if (0..=i64::from(s.limitation_warning_days)).contains(&left) {
                push(AlertKind::LimitationNear, &c.case_no, left, 1, None);
            }
        }
    }
    // One line per queue: 5,000 waiting tickets must not become 5,000 lines.
    let mut over: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
    for t in waiting {
        let minutes = (now - t.since).num_minutes();
        if minutes > i64::from(s.wait_target_minutes) {
            let e = over.entry(t.queue.as_str()).or_default();
            e.0 += 1;
            e.1 = e.1.max(minutes);
        }
    }
    for (queue, (count, longest)) in over {
        push(AlertKind::LongWait, queue, longest, count, None);
    }
    for p in printers {
        if p.stopped_jobs > 0 {
            let n = i64::from(p.stopped_jobs);
            push(AlertKind::PrintJobStopped, &p.name, n, 1, None);
        }
        if p.fault.is_some() {
            let n = i64::from(p.pending_jobs);
            push(AlertKind::PrinterFault, &p.name, n, 1, None);
        } else if p.pending_jobs > 0 {
            let n = i64::from(p.pending_jobs);
            push(AlertKind::PrintBacklog, &p.name, n, 1, None);
        }
    }
    // Records first within a kind (oldest first), then by figure.
    out.sort_by_key(|a| {
        (
            a.kind,
            a.record.is_none(),
            std::cmp::Reverse(a.figure),
            a.record,
        )
    });
    out
}

/// Cases against one employer on one local day (a row of the employer roll-up).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployerDay {
    pub day: NaiveDate,
    pub name: String,
    pub credit_code: Option<String>,
    pub cases: u64,
}

/// An employer named in cases, with its cases per day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployerCases {
    /// `EmployerKey::as_text`: the alert record's subject.
    pub key: String,
    /// The name written most often.
    pub name: String,
    pub per_day: BTreeMap<NaiveDate, u64>,
}

impl EmployerCases {
    pub fn total(&self) -> u64 {
        self.per_day.values().sum()
    }

    /// Cases registered on `day` or later.
    pub fn since(&self, day: NaiveDate) -> u64 {
        self.per_day.range(day..).map(|(_, n)| n).sum()
    }
}

/// Employers warned about: `repeat_employer_cases` or more cases in the rows (the caller reads
/// the last `repeat_employer_days` days), most cases first.
pub fn repeat_employers(rows: &[EmployerDay], s: &AlertSettings) -> Vec<EmployerCases> {
    let mut v: Vec<EmployerCases> = super::employer::group(rows)
        .into_iter()
        .filter(|e| e.total() >= u64::from(s.repeat_employer_cases))
        .collect();
    v.sort_by(|a, b| b.total().cmp(&a.total()).then(a.name.cmp(&b.name)));
    v
}

/// Whether an employer acknowledged on `seen_day` with `seen_count` cases from that day on has
/// had a new case since. An acknowledgement older than the rows read cannot have seen any of them.
pub fn new_case_since(
    e: &EmployerCases,
    first_day_read: NaiveDate,
    seen_day: NaiveDate,
    seen_count: u64,
) -> bool {
    if seen_day < first_day_read {
        return e.total() > 0;
    }
    e.since(seen_day) > seen_count
}

/// Counts as a map (for tests and callers that look up by key).
pub fn by_key(v: &[EmployerCases]) -> HashMap<&str, &EmployerCases> {
    v.iter().map(|e| (e.key.as_str(), e)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn at(h: u32, m: u32) -> DateTime<FixedOffset> {
        crate::domain::china_time()
            .with_ymd_and_hms(2025, 3, 10, h, m, 0)
            .single()
            .expect("time")
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, d).expect("d")
    }

    fn case(no: &str) -> CaseSnapshot {
        CaseSnapshot {
            case_no: no.into(),
            route: Some(Route::LaborMediation),
            deadlines: BTreeMap::new(),
        }
    }

    #[test]
    fn records_are_listed_with_their_id_until_acknowledged() {
        let records = [
            RecordedAlert {
                id: 7,
                kind: AlertKind::Collective,
                label: "A-1".into(),
                figure: 0,
                raised_at: at(9, 0),
            },
            RecordedAlert {
                id: 8,
                kind: AlertKind::Major,
                label: "A-1".into(),
                figure: 0,
                raised_at: at(9, 0),
            },
        ];
        let a = alerts(
            at(10, 0),
            &AlertSettings::default(),
            &records,
            &[],
            &[],
            &[],
        );
        assert_eq!(
            a.iter().map(|x| (x.kind, x.record)).collect::<Vec<_>>(),
            [
                (AlertKind::Major, Some(8)),
                (AlertKind::Collective, Some(7))
            ]
        );
    }

    #[test]
    fn waits_over_target_are_one_line_per_queue() {
        let mut waiting: Vec<WaitingTicket> = (0..5000)
            .map(|i| WaitingTicket {
                queue: if i % 2 == 0 { "T 调解" } else { "Z 仲裁" }.into(),
                since: at(8, 0) + Duration::seconds(i),
            })
            .collect();
        waiting.push(WaitingTicket {
            queue: "J 监察".into(),
            since: at(9, 50),
        });
        let a = alerts(
            at(10, 0),
            &AlertSettings::default(),
            &[],
            &[],
            &waiting,
            &[],
        );
        let waits: Vec<_> = a.iter().filter(|x| x.kind == AlertKind::LongWait).collect();
        assert_eq!(waits.len(), 2, "{waits:?}");
        assert_eq!(waits[0].subject, "T 调解");
        assert_eq!((waits[0].count, waits[0].figure), (2500, 120));
        assert_eq!(waits[1].count, 2500);
        assert!(waits.iter().all(|w| w.record.is_none()));
    }

    #[test]
    fn deadlines_and_printers() {
        let s = AlertSettings::default();
        let mut m = case("A-2");
        m.deadlines.insert(Deadline::MediationPeriodEnds, day(13));
        m.deadlines.insert(Deadline::LimitationExpires, day(15));
        let mut far = case("A-3");
        far.deadlines.insert(Deadline::MediationPeriodEnds, day(14));
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
        let a = alerts(at(10, 0), &s, &[], &[m, far], &[], &printers);
        let find = |k: AlertKind| a.iter().filter(|x| x.kind == k).collect::<Vec<_>>();
        assert_eq!(
            find(AlertKind::MediationEnding).len(),
            1,
            "3 days left alerts, 4 do not"
        );
        assert_eq!(find(AlertKind::LimitationNear)[0].figure, 5);
        assert_eq!(find(AlertKind::PrinterFault)[0].subject, "1号打印机");
        assert!(find(AlertKind::PrintBacklog).is_empty());
        assert_eq!(find(AlertKind::PrintJobStopped)[0].subject, "2号打印机");
    }

    fn row(d: u32, name: &str, code: Option<&str>, n: u64) -> EmployerDay {
        EmployerDay {
            day: day(d),
            name: name.into(),
            credit_code: code.map(str::to_string),
            cases: n,
        }
    }

    #[test]
    fn repeat_employers_match_by_code_or_name_and_come_back_after_a_new_case() {
        let code = "91410100MA9G2K7P6N";
        let rows = vec![
            row(1, "丁建筑有限责任公司", None, 1),
            row(5, "丁建筑有限公司", Some(code), 1),
            row(9, "丁建筑（有限公司）", None, 1),
            row(9, "戊公司", None, 2),
        ];
        let s = AlertSettings::default();
        let r = repeat_employers(&rows, &s);
        assert_eq!(r.len(), 1, "{r:?}");
        assert_eq!(r[0].key, format!("code:{code}"));
        assert_eq!(r[0].total(), 3, "with and without the code: one employer");
        // Acknowledged on the 9th with 1 case from that day: nothing new.
        assert!(!new_case_since(&r[0], day(1), day(9), 1));
        let mut more = rows.clone();
        more.push(row(9, "丁建筑有限公司", Some(code), 1));
        let r = repeat_employers(&more, &s);
        assert!(new_case_since(&r[0], day(1), day(9), 1));
        // An acknowledgement from before the rows read has seen none of them.
        assert!(new_case_since(
            &r[0],
            day(1),
            NaiveDate::from_ymd_opt(2025, 2, 1).expect("d"),
            9
        ));
    }
}

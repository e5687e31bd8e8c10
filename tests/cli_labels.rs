//! Issue 12 "Labels, not codes, everywhere a person reads": every command that prints routes,
//! flags, `also`, outcomes, ticket states, print states, roles or audit actions prints them in
//! the words of `--lang` (zh-CN by default, en), and `--json` keeps the codes. A case's history
//! reads as the kiosk words it (`i18n::kiosk`), other audit entries by their kind's label
//! ([`AuditKind`]). Through the real binary on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

#[path = "common/db.rs"]
mod testdb;

use chrono::{Duration, Utc};
use onewindow::app::CaseEvent;
use onewindow::domain::audit::AuditKind;
use onewindow::domain::{
    Also, Flag, Lang, Outcome, PrintKind, PrintState, Route, SiteSettings, StaffRole, TicketNo,
    TicketState,
};
use std::path::Path;
use testdb::TestDb;

/// How the kiosk words a case's event in `lang`: `case show` and `case audit` say the same.
fn event(lang: Lang, e: CaseEvent) -> String {
    (onewindow::i18n::kiosk::strings(lang).event)(&e)
}

const BOSS_PIN: &str = "246810";
const CLERK_PIN: &str = "135790";

/// p07 (twelve migrant construction workers unpaid): labour inspection, flagged COLLECTIVE,
/// MIGRANT, PRIORITY and CONSTRUCTION_ARREARS, with legal aid and the union beside it. Dated
/// two months back so the limitation stays open whenever the test runs.
fn p07() -> String {
    let day = (Utc::now() - Duration::days(60))
        .with_timezone(&onewindow::domain::china_time())
        .date_naive();
    format!(
        r#"
[applicant]
name = "张卫东"
id_number = "410122197803144713"
phone = "18737112345"
groups = ["migrant_worker"]

[counterparty]
kind = "employer"
name = "郑州恒达建筑工程有限公司"
credit_code = "91410100MA9G2K7P6N"
industry = "construction"

[employment]
status = "ended"
ended_on = "{day}"

[dispute]
categories = ["LD04"]
known_on = "{day}"
workers_involved = 12
common_claim = true
unpaid_wages = true

[[dispute.claims]]
category = "LD04"
amount = 15000
"#
    )
}

struct Site<'a> {
    db: &'a TestDb,
    dir: tempfile::TempDir,
}

impl Site<'_> {
    /// `onewindow ARGS` as staff member `staff` (PIN on standard input), paper to the spool.
    fn run(&self, staff: &str, args: &[&str]) -> String {
        let spool = format!(
            "printer.to=spool:{}",
            self.dir.path().join("spool").display()
        );
        let pin = if staff.starts_with('S') {
            BOSS_PIN
        } else {
            CLERK_PIN
        };
        let mut all = vec![
            "--db",
            self.db.url.expose(),
            "--set",
            "site.code=TEST",
            "--set",
            &spool,
        ];
        all.extend(args);
        all.extend(["--staff", staff, "--pin-stdin"]);
        let r = support::cli::onewindow(self.dir.path(), &[], &all, &format!("{pin}\n"));
        assert!(r.success, "{args:?}: {}{}", r.stdout, r.stderr);
        r.stdout
    }

    /// [`Site::run`] in `lang` (`--lang` after the command's other options).
    fn run_in(&self, staff: &str, lang: Lang, args: &[&str]) -> String {
        let mut a = args.to_vec();
        a.extend(["--lang", lang.code()]);
        self.run(staff, &a)
    }
}

/// Every label is there and no code is: `codes` are the codes that are not also words of the
/// English labels (`arbitration`, `receipt`, `ticket` are both, and are left out).
#[track_caller]
fn says(out: &str, labels: &[&str], codes: &[&str]) {
    for l in labels {
        assert!(out.contains(l), "label {l:?} missing:\n{out}");
    }
    for c in codes {
        assert!(!out.contains(c), "code {c:?} shown:\n{out}");
    }
}

fn labels<T: Copy>(
    lang: Lang,
    values: &[T],
    label: fn(T, Lang) -> &'static str,
) -> Vec<&'static str> {
    values.iter().map(|v| label(*v, lang)).collect()
}

const FLAGS: [Flag; 4] = [
    Flag::Collective,
    Flag::Migrant,
    Flag::Priority,
    Flag::ConstructionArrears,
];
const ALSO: [Also; 2] = [Also::LegalAid, Also::Union];
/// Codes of p07's decision that no English label contains (`union` is in "Trade union").
const DECISION_CODES: &[&str] = &[
    "labor_inspection",
    "COLLECTIVE",
    "MIGRANT",
    "PRIORITY",
    "CONSTRUCTION_ARREARS",
    "legal_aid",
    "limitation_expires",
];

async fn every_command_prints_labels_in_either_language_and_json_keeps_codes(db: &TestDb) {
    let site = db
        .store
        .ensure_site(
            &SiteSettings {
                code: "TEST".into(),
                name: "测试中心".into(),
                ..SiteSettings::default()
            },
            Utc::now(),
        )
        .await
        .unwrap();
    for (code, role, pin) in [
        ("S01", StaffRole::Supervisor, BOSS_PIN),
        ("C07", StaffRole::Clerk, CLERK_PIN),
    ] {
        let id = db
            .store
            .upsert_staff(site.id, code, "某某", role)
            .await
            .unwrap();
        let hash = onewindow::app::pin::hash(pin).unwrap();
        db.store.set_pin_hash(id, &hash).await.unwrap();
    }
    let s = Site {
        db,
        dir: tempfile::tempdir().unwrap(),
    };
    std::fs::write(s.dir.path().join("p07.toml"), p07()).unwrap();
    let route = Route::LaborInspection;

    // db: the window's routes and a staff member's role.
    for lang in [Lang::Zh, Lang::En] {
        let out = s.run_in("S01", lang, &["db", "window", "1"]);
        says(
            &out,
            &labels(lang, Route::ALL, Route::label)
                .into_iter()
                .filter(|l| *l != Route::Referral.label(lang))
                .collect::<Vec<_>>(),
            &["labor_mediation", "peoples_mediation", "labor_inspection"],
        );
        let out = s.run_in("S01", lang, &["db", "migrate"]);
        says(&out, &[route.label(lang)], &["labor_inspection"]);
        let out = s.run_in(
            "S01",
            lang,
            &["db", "staff", "C08", "李四", "--role", "clerk"],
        );
        says(&out, &[StaffRole::Clerk.label(lang)], &["(clerk)"]);
        // The sentences around the labels are in the same language.
        let (saved, purge) = match lang {
            Lang::Zh => ("已保存", "将被匿名化"),
            Lang::En => ("saved", "would be anonymised"),
        };
        assert!(out.contains(saved), "{out}");
        let out = s.run_in(
            "S01",
            lang,
            &[
                "--set",
                "data.retention_years=10",
                "db",
                "purge",
                "--dry-run",
            ],
        );
        assert!(out.contains(purge), "{out}");
    }
    let json = s.run("S01", &["db", "staff", "C08", "--role", "clerk", "--json"]);
    assert!(json.contains("saved (clerk)"), "{json}");
    let json = s.run("S01", &["db", "migrate", "--json"]);
    assert!(json.contains("\"labor_inspection\""), "{json}");

    // intake: the case in Chinese, then again in English; each issues a J ticket.
    let mut cases = Vec::new();
    for lang in [Lang::Zh, Lang::En] {
        let out = s.run_in("C07", lang, &["intake", "p07.toml", "--window", "1"]);
        let mut want = vec![route.label(lang)];
        want.extend(labels(lang, &FLAGS, Flag::label));
        want.extend(labels(lang, &ALSO, Also::label));
        says(&out, &want, DECISION_CODES);
        let case_no = out
            .split_whitespace()
            .find(|w| w.starts_with("TEST-"))
            .expect("case number")
            .to_string();
        cases.push(case_no);
    }
    let json = s.run("C07", &["intake", "p07.toml", "--window", "1", "--json"]);
    for code in ["labor_inspection", "COLLECTIVE", "MIGRANT", "legal_aid"] {
        assert!(json.contains(code), "{code} in --json: {json}");
    }
    let third: serde_json::Value = serde_json::from_str(&json).unwrap();
    let third = third["case_no"].as_str().unwrap().to_string();

    // queue: call, start and finish one ticket in each language, C07 signed in at window 1.
    let now = Utc::now();
    let services = db.services("TEST").await;
    let w1 = services
        .station(onewindow::domain::WindowNo(1), false, now)
        .await
        .unwrap();
    let c07 = db.store.staff_by_code(site.id, "C07").await.unwrap();
    db.store.open_session(w1.id, c07, now).await.unwrap();
    services.close().await;
    for (lang, ticket) in [(Lang::Zh, "J001"), (Lang::En, "J002")] {
        let out = s.run_in("C07", lang, &["queue", "list"]);
        says(
            &out,
            &[TicketState::Waiting.label(lang), route.label(lang)],
            &["waiting", "labor_inspection"],
        );
        let out = s.run_in("C07", lang, &["queue", "call", "--window", "1"]);
        assert!(out.contains(ticket), "{out}");
        says(&out, &[TicketState::Called.label(lang)], &["called"]);
        let out = s.run_in("C07", lang, &["queue", "start", ticket]);
        says(&out, &[TicketState::Serving.label(lang)], &["serving"]);
        let out = s.run_in(
            "C07",
            lang,
            &["queue", "finish", ticket, "--outcome", "advised"],
        );
        says(
            &out,
            &[TicketState::Done.label(lang), Outcome::Advised.label(lang)],
            &["advised", "done "],
        );
        let out = s.run_in("C07", lang, &["queue", "list", "--state", "all"]);
        says(
            &out,
            &[TicketState::Done.label(lang), Outcome::Advised.label(lang)],
            &["advised", "waiting", "labor_inspection"],
        );
    }
    let json = s.run("C07", &["queue", "list", "--state", "all", "--json"]);
    for code in ["\"done\"", "\"advised\"", "\"labor_inspection\""] {
        assert!(json.contains(code), "{code} in --json: {json}");
    }

    // A transfer: the new ticket's line and the case's history name the destination in words.
    // A clerk transfers the ticket held at their window: J003 is called there first.
    let out = s.run("C07", &["queue", "call", "--window", "1"]);
    assert!(out.contains("J003"), "{out}");
    let out = s.run_in(
        "C07",
        Lang::En,
        &[
            "queue",
            "transfer",
            "J003",
            "--to",
            "Z",
            "--reason",
            "调解不成",
        ],
    );
    says(
        &out,
        &["Z001", Route::Arbitration.label(Lang::En), "调解不成"],
        &["waiting", "labor_inspection"],
    );
    for lang in [Lang::Zh, Lang::En] {
        let out = s.run_in("C07", lang, &["case", "show", &third]);
        let moved = event(
            lang,
            CaseEvent::Transferred {
                from: Some(route),
                to: Route::Arbitration,
                ticket: Some(TicketNo::new("Z", 1)),
                reason: "调解不成".into(),
            },
        );
        // "transferred" is an English word of the kiosk's wording, a code only in Chinese.
        let codes: &[&str] = match lang {
            Lang::Zh => &["ticket_transferred", "transferred"],
            Lang::En => &["ticket_transferred"],
        };
        says(&out, &[&moved, TicketState::Transferred.label(lang)], codes);
    }

    // case show: route, flags, also, the ticket's state and outcome, the paper, the history.
    let history_codes = [
        "ticket_called",
        "ticket_started",
        "ticket_finished",
        "intake ",
        "case_read",
    ];
    for lang in [Lang::Zh, Lang::En] {
        let out = s.run_in("C07", lang, &["case", "show", &cases[0]]);
        let ticket = TicketNo::new("J", 1);
        let history: Vec<String> = [
            CaseEvent::Registered,
            CaseEvent::Called(ticket.clone()),
            CaseEvent::Started(ticket.clone()),
            CaseEvent::Finished(Outcome::Advised),
        ]
        .into_iter()
        .map(|e| event(lang, e))
        .collect();
        let mut want = vec![
            route.label(lang),
            TicketState::Done.label(lang),
            Outcome::Advised.label(lang),
            PrintKind::Receipt.label(lang),
            PrintState::Printed.label(lang),
        ];
        want.extend(labels(lang, &FLAGS, Flag::label));
        want.extend(labels(lang, &ALSO, Also::label));
        want.extend(history.iter().map(String::as_str));
        let mut codes = DECISION_CODES.to_vec();
        codes.extend(history_codes);
        codes.extend(["advised", "printed", "done "]);
        says(&out, &want, &codes);
        // Who did it, by staff and window number.
        assert!(out.contains("C07"), "{out}");

        // The audit: the case's events as in its history, the reads by their kind's label.
        let out = s.run_in("S01", lang, &["case", "audit", &cases[0]]);
        let mut want: Vec<&str> = history.iter().map(String::as_str).collect();
        want.push(AuditKind::CaseRead.label(lang));
        let mut codes = history_codes.to_vec();
        codes.extend(["advised", "labor_inspection", "\"purpose\""]);
        says(&out, &want, &codes);
    }
    let json = s.run("S01", &["case", "show", &cases[0], "--json"]);
    for code in [
        "\"ticket_called\"",
        "\"ticket_finished\"",
        "\"advised\"",
        "\"MIGRANT\"",
    ] {
        assert!(json.contains(code), "{code} in --json: {json}");
    }
    let json = s.run("S01", &["case", "audit", &cases[0], "--json"]);
    for code in ["\"case_read\"", "\"ticket_called\""] {
        assert!(json.contains(code), "{code} in --json: {json}");
    }

    // print jobs and a job's history: kinds and states in words.
    for lang in [Lang::Zh, Lang::En] {
        let out = s.run_in("C07", lang, &["print", "jobs"]);
        let mut codes = vec!["printed"];
        if lang == Lang::Zh {
            // In English the labels contain these words; in Chinese nothing may.
            codes.extend(["receipt", "ticket", "state", "kind"]);
        }
        says(
            &out,
            &[
                PrintKind::Receipt.label(lang),
                PrintKind::Ticket.label(lang),
                PrintState::Printed.label(lang),
            ],
            &codes,
        );
        let out = s.run_in("C07", lang, &["print", "history", "1"]);
        says(&out, &[PrintState::Printed.label(lang)], &["printed"]);
    }
}
both_backends!(every_command_prints_labels_in_either_language_and_json_keeps_codes);

// A case on a SQLite file set up as the README does: its history and audit, the queue and
// the paper, in words in either language.
const BOSS: &str = "654321";

fn run_sqlite(dir: &Path, args: &[&str]) -> String {
    let mut all = args.to_vec();
    all.extend(["--staff", "9001", "--pin-stdin"]);
    let r = support::cli::onewindow(dir, &[], &all, &format!("{BOSS}\n"));
    assert!(r.success, "{args:?}: {}", r.stderr);
    r.stdout
}

#[test]
fn case_history_and_audit_read_in_words_and_json_keeps_codes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("onewindow.toml"), "[site]\ncode = \"ZZ01\"\n").unwrap();
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/examples/case.toml"),
        d.join("case.toml"),
    )
    .unwrap();
    let first = support::cli::onewindow(
        d,
        &[],
        &[
            "db",
            "staff",
            "9001",
            "李主任",
            "--role",
            "supervisor",
            "--set-pin",
            "--pin-stdin",
        ],
        &format!("{BOSS}\n"),
    );
    assert!(first.success, "{}", first.stderr);
    run_sqlite(d, &["db", "window", "1"]);
    // The text of a registration, in English: labels, not codes.
    let text = run_sqlite(
        d,
        &[
            "intake",
            "case.toml",
            "--window",
            "1",
            "--lang",
            "en",
            "--at",
            "2025-03-10T09:30:00+08:00",
        ],
    );
    assert!(text.contains("route: Labour-dispute mediation"), "{text}");
    assert!(!text.contains("labor_mediation"), "{text}");
    let out = run_sqlite(d, &["intake", "case.toml", "--window", "1", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let case_no = v["case_no"].as_str().unwrap().to_string();
    run_sqlite(d, &["queue", "call", "--window", "1"]);
    run_sqlite(
        d,
        &[
            "queue",
            "transfer",
            "T001",
            "--to",
            "Z",
            "--reason",
            "申请仲裁",
        ],
    );
    run_sqlite(d, &["case", "show", &case_no]);

    let zh = run_sqlite(d, &["case", "audit", &case_no]);
    for label in [
        "登记",
        "出号 T001",
        "叫号 T001",
        "转移至劳动人事争议仲裁",
        "新号 Z001",
        "查阅",
    ] {
        assert!(zh.contains(label), "{label}: {zh}");
    }
    for code in ["intake", "ticket_called", "ticket_transferred", "case_read"] {
        assert!(!zh.contains(code), "{code} is a code: {zh}");
    }
    let en = run_sqlite(d, &["case", "audit", &case_no, "--lang", "en"]);
    assert!(en.contains("Audit of case"), "{en}");
    assert!(en.contains("read"), "{en}");
    assert!(!en.contains("查阅") && !en.contains("case_read"), "{en}");
    let shown = run_sqlite(d, &["case", "show", &case_no]);
    assert!(shown.contains("转移至劳动人事争议仲裁"), "{shown}");
    // JSON keeps the codes.
    let json = run_sqlite(d, &["case", "audit", &case_no, "--json", "--lang", "en"]);
    let rows: serde_json::Value = serde_json::from_str(&json).unwrap();
    let actions: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"ticket_transferred"), "{actions:?}");
    assert!(actions.contains(&"case_read"), "{actions:?}");

    // The queue and the paper, in words; in English with --lang en.
    let list = run_sqlite(d, &["queue", "list", "--state", "all"]);
    assert!(
        list.contains("T001 已转移") && list.contains("劳动人事争议调解"),
        "{list}"
    );
    assert!(list.contains("转移原因 申请仲裁"), "{list}");
    assert!(!list.contains("transferred"), "{list}");
    let list = run_sqlite(d, &["queue", "list", "--state", "all", "--lang", "en"]);
    assert!(
        list.contains("Z001 Waiting") && list.contains("Labour-dispute arbitration"),
        "{list}"
    );
    let json = run_sqlite(
        d,
        &["queue", "list", "--state", "all", "--json", "--lang", "en"],
    );
    assert!(
        json.contains("\"transferred\"") && json.contains("\"arbitration\""),
        "{json}"
    );
    let jobs = run_sqlite(d, &["print", "jobs"]);
    assert!(
        jobs.contains("排队号") && jobs.contains("登记回执"),
        "{jobs}"
    );
    let jobs = run_sqlite(d, &["print", "jobs", "--lang", "en"]);
    assert!(
        jobs.contains("Queue ticket") && jobs.contains("Intake receipt"),
        "{jobs}"
    );
    let history = run_sqlite(d, &["print", "history", "1", "--lang", "en"]);
    assert!(history.contains("outcome"), "{history}");

    // A reader that stops early (`| head`): the output ends quietly, no panic, success. The
    // pipe's reading end is closed before the command starts, so its first write fails.
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_onewindow"))
        .args(["case", "audit", &case_no, "--staff", "9001", "--pin-stdin"])
        .current_dir(d)
        .env_remove("ONEWINDOW_CONFIG")
        .env_remove("ONEWINDOW_DB")
        .stdin(std::process::Stdio::piped())
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut input = child.stdin.take().unwrap();
        input.write_all(format!("{BOSS}\n").as_bytes()).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && !stderr.contains("panicked"),
        "{:?}: {stderr}",
        out.status
    );
}

/// One language's run of the commands a person reads most, on a fresh SQLite file: each
/// command line with what it printed (standard output, then standard error) and whether it
/// succeeded. The paper first meets a printer that refuses connections (it stays pending), is
/// moved and retried there, then printed on a spool folder, and reprinted.
fn sentences(lang: Lang) -> Vec<(String, String)> {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("onewindow.toml"), "[site]\ncode = \"ZZ01\"\n").unwrap();
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/examples/case.toml"),
        d.join("case.toml"),
    )
    .unwrap();
    let case = std::fs::read_to_string(d.join("case.toml")).unwrap();
    std::fs::write(d.join("bad.toml"), case.replace("13812345678", "12345")).unwrap();
    let spool = format!("printer.to=spool:{}", d.join("spool").display());
    let refused = "printer.to=tcp://127.0.0.1:9".to_string();
    let day = onewindow::domain::numbering::local_day(&Utc::now()).format("%Y%m%d");
    let case_no = format!("ZZ01-{day}-0001");
    let missing = format!("ZZ01-{day}-0099");
    let steps: Vec<(Vec<&str>, &str, String)> = vec![
        (
            vec![
                "db",
                "staff",
                "9001",
                "李主任",
                "--role",
                "supervisor",
                "--set-pin",
            ],
            "",
            format!("{BOSS}\n"),
        ),
        (vec!["db", "window", "1"], "9001", String::new()),
        (
            vec!["db", "staff", "1002", "王小明", "--set-pin"],
            "9001",
            "123456\n".into(),
        ),
        (
            vec!["intake", "case.toml", "--window", "1"],
            "1002",
            String::new(),
        ),
        (
            vec!["intake", "bad.toml", "--window", "1"],
            "1002",
            String::new(),
        ),
        (vec!["print", "jobs"], "1002", String::new()),
        (
            vec!["print", "move", "1", "--window", "0"],
            "1002",
            String::new(),
        ),
        (vec!["print", "retry", "1"], "1002", String::new()),
        (
            vec!["print", "run", "--all", "--set", &spool],
            "1002",
            String::new(),
        ),
        (
            vec!["print", "reprint", "2", "--set", &spool],
            "1002",
            String::new(),
        ),
        (
            vec!["print", "move", "1", "--window", "1"],
            "1002",
            String::new(),
        ),
        (vec!["queue", "list"], "9001", String::new()),
        (
            vec!["queue", "call", "--window", "1"],
            "9001",
            String::new(),
        ),
        (
            vec!["queue", "call", "--window", "1"],
            "9001",
            String::new(),
        ),
        (vec!["queue", "start", "T009"], "9001", String::new()),
        (vec!["case", "show", &case_no], "1002", String::new()),
        (vec!["case", "show", &missing], "1002", String::new()),
        (vec!["followup", "list"], "9001", String::new()),
        (vec!["case", "show", &case_no], "", String::new()),
    ];
    let mut said = Vec::new();
    for (args, staff, more) in steps {
        // The refusing printer first: a step's own `--set printer.to` comes later and wins.
        let mut all = vec!["--lang", lang.code(), "--set", &refused];
        all.extend(args.iter().copied());
        let pin = match staff {
            "" => String::new(),
            "9001" => format!("{BOSS}\n"),
            _ => "123456\n".to_string(),
        };
        if !staff.is_empty() {
            all.extend(["--staff", staff]);
        }
        if !staff.is_empty() || !more.is_empty() {
            all.push("--pin-stdin");
        }
        let r = support::cli::onewindow(d, &[], &all, &format!("{pin}{more}"));
        said.push((args.join(" "), format!("{}\n{}", r.stdout, r.stderr)));
    }
    said
}

/// What may stand in a sentence of either language without being one: the program's name,
/// anything with a digit (case and ticket numbers, dates, job numbers, addresses), options,
/// paths and field names (`applicant.phone`), codes (`phone_invalid`), commands quoted in
/// backquotes, and a bilingual pair `中文 (English)` or `中文：detail (English)` (the printer's
/// status words and the spool's stored errors, written in both languages by the print module).
fn without_data(line: &str) -> String {
    let pair =
        regex::Regex::new(r"\p{Han}+(：[^\p{Han}]*?)?\s\((?:[^()\p{Han}]|\([^()]*\))*\)").unwrap();
    let quoted = regex::Regex::new(r"`[^`]*`").unwrap();
    let line = quoted.replace_all(line, " ");
    let line = pair.replace_all(&line, " ");
    line.split(|c: char| c.is_whitespace() || "：:；;，,（）()、".contains(c))
        .filter(|w| {
            !(w.is_empty()
                || *w == "onewindow"
                || w.chars().any(|c| c.is_ascii_digit())
                || w.starts_with('-')
                || w.contains(['/', '.', '_', '=', '*']))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Issue 12: every command of the list prints in the language asked for, its errors too.
/// Precisely, line by line after [`without_data`]: in Chinese no line is an English sentence
/// (two or more ASCII words and no Chinese character); in English no line holds a Chinese
/// character other than the people's names and the case's data (the applicant, the employer),
/// and the two terms of the kiosk kept beside their English (已打出, 补打).
#[test]
fn every_command_speaks_the_language_asked_for() {
    let names = [
        "李主任",
        "王小明",
        "王丽",
        "王*",
        "郑州云启科技有限公司",
        "已打出",
        "补打",
    ];
    let han = regex::Regex::new(r"\p{Han}").unwrap();
    for lang in [Lang::Zh, Lang::En] {
        let said = sentences(lang);
        let mut bad = Vec::new();
        for (command, out) in &said {
            for line in out.lines() {
                let mut text = without_data(line);
                for n in names {
                    text = text.replace(n, " ");
                }
                let english_words = text
                    .split_whitespace()
                    .filter(|w| w.chars().filter(char::is_ascii_alphabetic).count() >= 2)
                    .count();
                let wrong = match lang {
                    Lang::Zh => english_words >= 2 && !han.is_match(&text),
                    Lang::En => han.is_match(&text),
                };
                if wrong {
                    bad.push(format!("{command}: {line}"));
                }
            }
        }
        assert!(bad.is_empty(), "{lang:?}:\n{}", bad.join("\n"));
        // The run said something in each case, the refusals and the errors too.
        let all: String = said.iter().map(|(_, o)| o.as_str()).collect();
        let expect: &[&str] = match lang {
            Lang::Zh => &[
                "仍待打印",
                "改由第一台空闲的打印机打印",
                "已重新排队",
                "已打印",
                "补打自",
                "未登记：1 处填写有误",
                "电话号码",
                "未找到",
                "暂无待回访案件",
                "请先登录",
            ],
            Lang::En => &[
                "left pending",
                "now prints at the first printer free",
                "is due now",
                "printed",
                "reprint of",
                "not registered: 1 validation error(s)",
                "not a valid phone number",
                "not found",
                "no follow-up due",
                "sign in first",
            ],
        };
        for e in expect {
            assert!(all.contains(e), "{lang:?}: {e:?} missing:\n{all}");
        }
    }
}

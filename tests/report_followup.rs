//! Follow-up calls (issue 14) through the real binary on SQLite and PostgreSQL: the caller sees
//! the phone in full and the read is audited with its purpose; results are structured
//! (reached / unreachable / declined, satisfied, a note); a case not yet due, a case nobody
//! follows up and a second closing record are refused with a clear message; "unreachable"
//! keeps the case due; referral cases are included; results read back in `followup show`,
//! `followup list --recorded` and `case show`, in Chinese labels (no raw codes) and in English.
//! The follow-up caller (回访员), added with `db staff --role follow-up`, does the calls and
//! nothing else: every other command refuses them (audited), and a clerk may not follow up.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;
#[path = "common/db.rs"]
mod testdb;

use chrono::{Duration, NaiveDate, Utc};
use onewindow::app::queue::TicketOp;
use onewindow::app::{Acting, Services};
use onewindow::domain::{IntakeRecord, Outcome, StaffNo, StaffRole, WindowNo};
use std::path::Path;
use testdb::{Raw, TestDb};

const BOSS_PIN: &str = "246810";

/// `onewindow ARGS` on `url` for site ZZ01 as supervisor S01: (success, stdout, stderr).
pub fn onewindow(dir: &Path, url: &str, args: &[&str]) -> (bool, String, String) {
    onewindow_as(dir, url, "S01", &format!("{BOSS_PIN}\n"), args)
}

/// `onewindow ARGS` as staff member `staff`, standard input `stdin` (their PIN first).
fn onewindow_as(
    dir: &Path,
    url: &str,
    staff: &str,
    stdin: &str,
    args: &[&str],
) -> (bool, String, String) {
    let mut all = vec!["--db", url, "--set", "site.code=ZZ01"];
    all.extend(args);
    all.extend(["--staff", staff, "--pin-stdin"]);
    let run = support::cli::onewindow(dir, &[], &all, stdin);
    (run.success, run.stdout, run.stderr)
}

fn ok(dir: &Path, url: &str, args: &[&str]) -> String {
    let (success, out, err) = onewindow(dir, url, args);
    assert!(success, "onewindow {args:?} failed: {err}");
    out
}

fn refused(dir: &Path, url: &str, args: &[&str]) -> String {
    let (success, out, err) = onewindow(dir, url, args);
    assert!(!success, "onewindow {args:?} should be refused: {out}");
    err
}

async fn services(url: &str) -> Services {
    let cfg = onewindow::config::load(&onewindow::config::Sources {
        file: None,
        env: vec![],
        overrides: vec![format!("database.url={url}"), "site.code=ZZ01".into()],
    })
    .unwrap();
    Services::open(&cfg).await.unwrap()
}

fn record(name: &str, phone: &str, kind: &str, day: NaiveDate) -> IntakeRecord {
    let d = |n: i64| (day - Duration::days(n)).format("%Y-%m-%d").to_string();
    serde_json::from_value(serde_json::json!({
        "applicant": { "name": name, "id_number": "41010519900307158X", "phone": phone },
        "counterparty": { "kind": kind, "name": "郑州云启科技有限公司" },
        "employment": { "status": "ended", "started_on": d(400), "ended_on": d(30),
                        "written_contract": true },
        "dispute": { "categories": [if kind == "employer" { "LD03" } else { "LD07" }],
                     "known_on": d(20), "wants_mediation": true },
    }))
    .unwrap()
}

struct Cases {
    due: String,
    recent: String,
    referral: String,
    accepted: String,
}

/// Four cases: one mediated 10 days ago (due), one mediated yesterday (not due), one referral
/// registered 10 days ago (due, never queued), one accepted (never followed up).
async fn centre(s: &Services) -> Cases {
    let now = Utc::now();
    s.save_staff(
        &StaffNo("S01".into()),
        "李主任",
        StaffRole::Supervisor,
        Some(BOSS_PIN.into()),
    )
    .await
    .unwrap();
    s.save_window(WindowNo(1), "一号窗口", &[], now - Duration::days(20))
        .await
        .unwrap();
    let no = StaffNo("1001".into());
    let id = s
        .save_staff(&no, "张敏", StaffRole::Clerk, None)
        .await
        .unwrap();
    let by = Acting {
        staff: Some((id, no)),
        window: Some(s.station(WindowNo(1), false, now).await.unwrap()),
    };
    let mut served = vec![];
    for (name, phone, ago, outcome) in [
        ("王丽", "13812345678", 10, Outcome::Mediated),
        ("李娜", "13987654321", 1, Outcome::Mediated),
        ("赵强", "13700001111", 9, Outcome::Accepted),
    ] {
        let at = now - Duration::days(ago);
        let day = onewindow::domain::numbering::local_day(&at);
        let r = s
            .register(&record(name, phone, "employer", day), None, &by, at)
            .await
            .unwrap();
        let e = s.call_next(&by, at + Duration::minutes(5)).await.unwrap();
        let t = s
            .ticket_of_day(&e.ticket, at + Duration::minutes(5))
            .await
            .unwrap();
        let t = s
            .ticket_op(TicketOp::Start, &t, &by, at + Duration::minutes(6))
            .await
            .unwrap();
        s.finish(&t, outcome, &by, at + Duration::minutes(20))
            .await
            .unwrap();
        served.push(r.issued.case_no.to_string());
    }
    let at = now - Duration::days(10);
    let day = onewindow::domain::numbering::local_day(&at);
    let referral = s
        .register(
            &record("孙红", "18997112345", "social_insurance_agency", day),
            None,
            &by,
            at,
        )
        .await
        .unwrap();
    Cases {
        due: served[0].clone(),
        recent: served[1].clone(),
        accepted: served[2].clone(),
        referral: referral.issued.case_no.to_string(),
    }
}

async fn followup_is_structured_audited_and_refuses_what_it_should(db: &TestDb) {
    let url = db.url.expose().to_string();
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    let s = services(&url).await;
    let c = centre(&s).await;
    s.close().await;
    let raw = Raw::open(&db.url).await;

    // The due list: the mediated case and the referral, phones in full for the caller.
    let due: serde_json::Value =
        serde_json::from_str(&ok(dir, &url, &["followup", "list", "--json"])).unwrap();
    let due = due.as_array().unwrap();
    let nos: Vec<&str> = due.iter().map(|d| d["case_no"].as_str().unwrap()).collect();
    assert_eq!(nos.len(), 2, "{due:?}");
    assert!(nos.contains(&c.due.as_str()) && nos.contains(&c.referral.as_str()));
    let phones: Vec<&str> = due.iter().map(|d| d["phone"].as_str().unwrap()).collect();
    assert!(phones.contains(&"13812345678") && phones.contains(&"18997112345"));
    let text = ok(dir, &url, &["followup", "list"]);
    assert!(text.contains("13812345678"), "{text}");
    assert!(text.contains("调解成功") && text.contains("转介"), "{text}");
    assert!(
        !text.contains("mediated") && !text.contains("referral"),
        "{text}"
    );
    assert!(!text.contains("王丽"), "the name stays masked: {text}");
    // Each phone read is in the access record, with its purpose.
    let reads = raw
        .texts(
            "SELECT c.case_no FROM audit_log a JOIN cases c ON c.id = a.case_id \
             WHERE a.action = 'case_read' AND CAST(a.details AS TEXT) LIKE '%follow_up%' \
             AND REPLACE(CAST(a.details AS TEXT), ' ', '') LIKE '%\"unmasked\":true%' ORDER BY a.id",
        )
        .await;
    assert_eq!(reads.len(), 4, "two lists, two cases each: {reads:?}");
    assert!(reads.contains(&c.due) && reads.contains(&c.referral));

    // Refusals, each saying why.
    let err = refused(
        dir,
        &url,
        &["followup", "record", &c.recent, "--result", "reached"],
    );
    assert!(err.contains("尚未到回访时间"), "{err}");
    let err = refused(
        dir,
        &url,
        &[
            "--lang", "en", "followup", "record", &c.recent, "--result", "reached",
        ],
    );
    assert!(err.contains("not due for follow-up until"), "{err}");
    let err = refused(
        dir,
        &url,
        &["followup", "record", &c.accepted, "--result", "reached"],
    );
    assert!(err.contains("无需回访"), "{err}");
    let err = refused(
        dir,
        &url,
        &[
            "followup",
            "record",
            "ZZ01-20990101-0001",
            "--result",
            "reached",
        ],
    );
    assert!(err.contains("没有案件"), "{err}");
    let err = refused(dir, &url, &["followup", "list", "--days", "99999999999"]);
    assert!(err.contains("--days"), "out of range, not a panic: {err}");
    let err = refused(
        dir,
        &url,
        &["followup", "record", &c.due, "--result", "maybe"],
    );
    assert!(
        err.contains("reached") && err.contains("unreachable"),
        "{err}"
    );

    // Unreachable keeps it due; reached closes it; a second closing record is refused.
    ok(
        dir,
        &url,
        &[
            "followup",
            "record",
            &c.due,
            "--result",
            "unreachable",
            "--note",
            "无人接听",
        ],
    );
    let text = ok(dir, &url, &["followup", "list"]);
    assert!(
        text.contains(&c.due) && text.contains("已拨 1 次未接通"),
        "{text}"
    );
    let err = refused(
        dir,
        &url,
        &[
            "followup",
            "record",
            &c.due,
            "--result",
            "unreachable",
            "--satisfied",
            "no",
        ],
    );
    assert!(err.contains("--satisfied"), "{err}");
    let out = ok(
        dir,
        &url,
        &[
            "followup",
            "record",
            &c.due,
            "--result",
            "reached",
            "--satisfied",
            "yes",
            "--note",
            "已履行调解协议",
        ],
    );
    assert!(out.contains("已联系上"), "{out}");
    let err = refused(
        dir,
        &url,
        &["followup", "record", &c.due, "--result", "declined"],
    );
    assert!(
        err.contains("已回访") && err.contains("不能重复登记"),
        "{err}"
    );
    ok(
        dir,
        &url,
        &[
            "followup",
            "record",
            &c.referral,
            "--result",
            "declined",
            "--note",
            "不愿回访",
        ],
    );
    let text = ok(dir, &url, &["followup", "list"]);
    assert!(text.contains("暂无待回访案件"), "{text}");
    let text = ok(dir, &url, &["--lang", "en", "followup", "list"]);
    assert!(text.contains("no follow-up due"), "{text}");

    // Recounted from the database: three calls, one of each result, one satisfied.
    let stored = raw
        .texts(
            "SELECT c.case_no || '|' || f.contact || '|' || \
             COALESCE(CAST(CASE WHEN f.satisfied THEN 1 ELSE 0 END AS TEXT), '-') || '|' || f.result \
             FROM followups f JOIN cases c ON c.id = f.case_id ORDER BY f.id",
        )
        .await;
    assert_eq!(
        stored,
        vec![
            format!("{}|unreachable|0|无人接听", c.due),
            format!("{}|reached|1|已履行调解协议", c.due),
            format!("{}|declined|0|不愿回访", c.referral),
        ]
    );
    let recorded = raw
        .texts(
            "SELECT CAST(details AS TEXT) FROM audit_log WHERE action = 'followup_recorded' \
             ORDER BY id",
        )
        .await;
    assert_eq!(recorded.len(), 3, "{recorded:?}");
    assert!(recorded[1].contains("reached"), "{recorded:?}");

    // Results read back: list --recorded, show, case show; Chinese labels, no raw codes.
    let text = ok(dir, &url, &["followup", "list", "--recorded"]);
    assert_eq!(text.lines().count(), 3, "{text}");
    for label in ["已联系上", "未接通", "拒绝回访", "满意", "已履行调解协议"] {
        assert!(text.contains(label), "{label}: {text}");
    }
    for code in ["reached", "unreachable", "declined", "true"] {
        assert!(!text.contains(code), "raw {code} in zh: {text}");
    }
    let text = ok(
        dir,
        &url,
        &["--lang", "en", "followup", "list", "--recorded"],
    );
    assert!(
        text.contains("Reached") && text.contains("Satisfied"),
        "{text}"
    );
    let text = ok(dir, &url, &["followup", "show", &c.due]);
    assert!(
        text.contains("13812345678") && text.contains("回访已完成"),
        "{text}"
    );
    assert_eq!(text.matches("工号 S01").count(), 2, "{text}");
    let text = ok(dir, &url, &["case", "show", &c.due]);
    assert!(
        text.contains("回访") && text.contains("已联系上 满意"),
        "{text}"
    );
    let text = ok(dir, &url, &["followup", "show", &c.accepted]);
    assert!(text.contains("无需回访"), "{text}");
    raw.close().await;
}
both_backends!(followup_is_structured_audited_and_refuses_what_it_should);

const CALLER_PIN: &str = "97531";
const CLERK_PIN: &str = "135790";

/// Staff member `staff`'s commands: `ARGS` with their PIN on standard input.
fn as_staff(
    dir: &Path,
    url: &str,
    staff: &str,
    pin: &str,
    args: &[&str],
) -> (bool, String, String) {
    onewindow_as(dir, url, staff, &format!("{pin}\n"), args)
}

async fn the_follow_up_caller_calls_and_does_nothing_else(db: &TestDb) {
    let url = db.url.expose().to_string();
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    let s = services(&url).await;
    let c = centre(&s).await;
    s.close().await;
    let raw = Raw::open(&db.url).await;

    // The supervisor adds a follow-up caller (either spelling) and gives the clerk a PIN; the
    // role is named in words.
    let out = ok_stdin(
        dir,
        &url,
        &format!("{BOSS_PIN}\n{CALLER_PIN}\n"),
        &[
            "db",
            "staff",
            "F01",
            "周回访",
            "--role",
            "follow-up",
            "--set-pin",
        ],
    );
    assert!(out.contains("已保存（回访员）"), "{out}");
    let out = ok_stdin(
        dir,
        &url,
        &format!("{BOSS_PIN}\n"),
        &[
            "--lang",
            "en",
            "db",
            "staff",
            "F02",
            "Zhou",
            "--role",
            "follow_up",
        ],
    );
    assert!(out.contains("saved (Follow-up caller)"), "{out}");
    let out = ok_stdin(
        dir,
        &url,
        &format!("{BOSS_PIN}\n{CLERK_PIN}\n"),
        &["db", "staff", "1001", "--set-pin"],
    );
    assert!(out.contains("窗口工作人员"), "{out}");
    let (_, _, err) = onewindow(dir, &url, &["db", "staff", "F03", "某", "--role", "boss"]);
    assert!(err.contains("follow_up"), "the roles are listed: {err}");
    let roles = raw
        .texts("SELECT code || '|' || role FROM staff WHERE code LIKE 'F0%' ORDER BY code")
        .await;
    assert_eq!(roles, ["F01|follow_up", "F02|follow_up"]);

    // The caller lists the cases due with the phones in full; each read is audited with the
    // purpose follow_up and the caller's staff number.
    let (success, out, err) = as_staff(
        dir,
        &url,
        "F01",
        CALLER_PIN,
        &["followup", "list", "--json"],
    );
    assert!(success, "{err}");
    let due: serde_json::Value = serde_json::from_str(&out).unwrap();
    let phones: Vec<&str> = due
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["phone"].as_str().unwrap())
        .collect();
    assert!(
        phones.contains(&"13812345678") && phones.contains(&"18997112345"),
        "{phones:?}"
    );
    let reads = raw
        .texts(
            "SELECT c.case_no || '|' || s.code FROM audit_log a JOIN cases c ON c.id = a.case_id \
             JOIN staff s ON s.id = a.staff_id \
             WHERE a.action = 'case_read' AND CAST(a.details AS TEXT) LIKE '%follow_up%' \
             AND REPLACE(CAST(a.details AS TEXT), ' ', '') LIKE '%\"unmasked\":true%' ORDER BY a.id",
        )
        .await;
    let mut expected = vec![format!("{}|F01", c.due), format!("{}|F01", c.referral)];
    let mut got = reads.clone();
    got.sort();
    expected.sort();
    assert_eq!(got, expected, "{reads:?}");

    // … records a result, which names them.
    let (success, out, err) = as_staff(
        dir,
        &url,
        "F01",
        CALLER_PIN,
        &[
            "followup",
            "record",
            &c.due,
            "--result",
            "reached",
            "--satisfied",
            "yes",
        ],
    );
    assert!(success && out.contains("已联系上"), "{out}{err}");
    let (success, out, _) = as_staff(dir, &url, "F01", CALLER_PIN, &["followup", "show", &c.due]);
    assert!(success && out.contains("工号 F01"), "{out}");

    // … and is refused everything else, each refusal saying which permission and audited.
    let intake = dir.join("case.json");
    std::fs::write(
        &intake,
        serde_json::to_string(&record(
            "钱多",
            "13600001111",
            "employer",
            Utc::now().date_naive(),
        ))
        .unwrap(),
    )
    .unwrap();
    let intake = intake.display().to_string();
    let asks: [(&[&str], &str, &str); 7] = [
        (
            &["case", "show", &c.due, "--full"],
            "case show --full",
            "read_unmasked",
        ),
        (&["intake", &intake, "--window", "1"], "intake", "register"),
        (&["queue", "list"], "queue", "work_queue"),
        (&["queue", "call", "--window", "1"], "queue", "work_queue"),
        (
            &["report", "--from", "2026-01-01", "--to", "2026-01-31"],
            "report",
            "reports",
        ),
        (
            &["db", "staff", "F02", "--deactivate"],
            "db staff",
            "manage_staff",
        ),
        (&["case", "audit", &c.due], "case audit", "read_audit"),
    ];
    for (args, _, needs) in &asks {
        let (success, out, err) = as_staff(dir, &url, "F01", CALLER_PIN, args);
        assert!(!success, "{args:?} let a follow-up caller through: {out}");
        assert!(
            err.contains(&format!("需要权限 {needs}")) && err.contains("持有该权限的角色"),
            "{args:?}: {err}"
        );
    }
    let refused = raw
        .texts(
            "SELECT CAST(details AS TEXT) FROM audit_log a JOIN staff s ON s.id = a.staff_id \
             WHERE a.action = 'access_refused' AND s.code = 'F01' ORDER BY a.id",
        )
        .await;
    let refused: Vec<String> = refused
        .iter()
        .map(|d| {
            let v: serde_json::Value = serde_json::from_str(d).unwrap();
            assert_eq!(v["staff_no"], "F01", "{d}");
            format!(
                "{}|{}",
                v["operation"].as_str().unwrap(),
                v["needs"].as_str().unwrap()
            )
        })
        .collect();
    let expected: Vec<String> = asks
        .iter()
        .map(|(_, op, needs)| format!("{op}|{needs}"))
        .collect();
    assert_eq!(refused, expected);
    // The masked case is theirs to read.
    let (success, out, err) = as_staff(dir, &url, "F01", CALLER_PIN, &["case", "show", &c.due]);
    assert!(success && !out.contains("13812345678"), "{out}{err}");

    // A clerk may not follow up; the supervisor may do what the caller was refused.
    let (success, _, err) = as_staff(dir, &url, "1001", CLERK_PIN, &["followup", "list"]);
    assert!(!success && err.contains("需要权限 follow_up"), "{err}");
    assert!(err.contains("值班负责人、回访员"), "who holds it: {err}");
    for (args, _, _) in &asks {
        ok(dir, &url, args);
    }
    raw.close().await;
}
both_backends!(the_follow_up_caller_calls_and_does_nothing_else);

/// `onewindow ARGS` as S01 with `stdin` (the PIN, then any new PIN), which must succeed.
fn ok_stdin(dir: &Path, url: &str, stdin: &str, args: &[&str]) -> String {
    let (success, out, err) = onewindow_as(dir, url, "S01", stdin, args);
    assert!(success, "onewindow {args:?} failed: {err}");
    out
}

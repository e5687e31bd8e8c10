//! The storage commands end to end on a temporary SQLite database: intake from a file, the queue
//! at a window, case show, and the errors a clerk or script sees.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use onewindow::app::auth::Permission;
use onewindow::app::{Acting, Services};
use onewindow::commands::auth::SignInArgs;
use onewindow::commands::{case, db, intake, queue};
use onewindow::config::{self, Config, Sources};
use onewindow::domain::{StaffNo, StaffRole};
use std::path::Path;

const INTAKE: &str = r#"
[applicant]
name = "王丽"
id_number = "41010519900307158X"
phone = "13812345678"

[counterparty]
kind = "employer"
name = "郑州云启科技有限公司"

[employment]
status = "ended"
started_on = "2021-03-01"
ended_on = "2024-12-01"
written_contract = true

[dispute]
categories = ["LD03", "LD06"]
known_on = "2024-12-01"

[[dispute.claims]]
category = "LD06"
amount = 40000
"#;

fn config(dir: &Path) -> Config {
    config::load(&Sources {
        file: None,
        env: vec![],
        overrides: vec![
            format!("database.url=sqlite://{}", dir.join("ow.db").display()),
            "site.code=ZZ".into(),
        ],
    })
    .unwrap()
}

fn queue_args(command: queue::QueueCommand) -> queue::QueueArgs {
    queue::QueueArgs {
        command,
        json: true,
        auth: SignInArgs::with_pin("C01", CLERK_PIN),
        day: None,
    }
}

const CLERK_PIN: &str = "135790";
const BOSS_PIN: &str = "246810";

/// The clerk C01 as the commands act for them.
async fn clerk(services: &Services) -> Acting {
    SignInArgs::with_pin("C01", CLERK_PIN)
        .authorize(services, Permission::WorkQueue, "test")
        .await
        .unwrap()
}

#[tokio::test]
async fn intake_queue_and_case_show_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path());
    let file = dir.path().join("case.toml");
    std::fs::write(&file, INTAKE).unwrap();

    let services = Services::open(&cfg).await.unwrap();
    for (no, role, pin) in [
        ("S01", StaffRole::Supervisor, BOSS_PIN),
        ("C01", StaffRole::Clerk, CLERK_PIN),
    ] {
        services
            .save_staff(&StaffNo(no.into()), "王小明", role, Some(pin.into()))
            .await
            .unwrap();
    }
    for command in [
        db::DbCommand::Migrate,
        db::DbCommand::Window {
            number: 1,
            name: None,
            routes: vec![],
        },
    ] {
        db::execute(
            &cfg,
            &db::DbArgs {
                command,
                json: true,
                auth: SignInArgs::with_pin("S01", BOSS_PIN),
            },
        )
        .await
        .unwrap();
    }

    let out = intake::execute(
        &services,
        &intake::IntakeArgs {
            file: file.clone(),
            window: Some(1),
            auth: SignInArgs::default(),
            at: None,
            json: true,
        },
        clerk(&services).await,
    )
    .await
    .unwrap();
    let case_no = out.json["case_no"].as_str().unwrap().to_string();
    assert!(case_no.starts_with("ZZ-"), "{case_no}");
    assert!(case_no.ends_with("-0001"), "{case_no}");
    assert_eq!(out.json["ticket"]["ticket_no"], "T001");
    assert_eq!(out.json["decision"]["route"], "labor_mediation");
    assert_eq!(out.json["print_jobs"].as_array().unwrap().len(), 2);
    assert!(out.text.contains("T001"), "{}", out.text);

    let called = queue::execute(
        &services,
        &queue_args(queue::QueueCommand::Call { window: 1 }),
        clerk(&services).await,
    )
    .await
    .unwrap();
    assert_eq!(called.json["ticket_no"], "T001");
    assert_eq!(called.json["state"], "called");
    queue::execute(
        &services,
        &queue_args(queue::QueueCommand::Start {
            ticket: "t001".into(),
        }),
        clerk(&services).await,
    )
    .await
    .unwrap();
    let err = queue::execute(
        &services,
        &queue_args(queue::QueueCommand::Finish {
            ticket: "T001".into(),
            outcome: "settled".into(),
        }),
        clerk(&services).await,
    )
    .await
    .unwrap_err();
    assert!(format!("{err:#}").contains("not_mediated"), "{err:#}");
    let done = queue::execute(
        &services,
        &queue_args(queue::QueueCommand::Finish {
            ticket: "T001".into(),
            outcome: "mediated".into(),
        }),
        clerk(&services).await,
    )
    .await
    .unwrap();
    assert_eq!(done.json["outcome"], "mediated");
    let nobody = queue::execute(
        &services,
        &queue_args(queue::QueueCommand::Call { window: 1 }),
        clerk(&services).await,
    )
    .await
    .unwrap();
    assert!(nobody.text.contains("无人等候"), "{}", nobody.text);
    let err = queue::execute(
        &services,
        &queue_args(queue::QueueCommand::Issue {
            queue: "X".into(),
            priority: false,
            window: None,
        }),
        clerk(&services).await,
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("没有前缀为 \"X\" 的队列"), "{err}");
    let err = queue::execute(
        &services,
        &queue_args(queue::QueueCommand::Recall {
            ticket: "T009".into(),
        }),
        clerk(&services).await,
    )
    .await
    .unwrap_err();
    assert!(format!("{err:#}").contains("T009"), "{err:#}");

    // The queued paper is the rendered documents, ready for the print runner.
    let mut jobs = services.print_jobs(None, 100).await.unwrap();
    jobs.reverse();
    assert_eq!(jobs.len(), 2);
    let ticket = onewindow::print::Document::from_json(&jobs[0].payload).unwrap();
    let receipt = onewindow::print::Document::from_json(&jobs[1].payload).unwrap();
    assert_eq!(ticket.kind, onewindow::print::DocKind::Ticket);
    assert!(
        ticket.plain_text().contains("T001"),
        "{}",
        ticket.plain_text()
    );
    assert!(
        !ticket.plain_text().contains("王丽"),
        "no personal data on a ticket"
    );
    assert_eq!(receipt.kind, onewindow::print::DocKind::Receipt);
    assert!(
        receipt.plain_text().contains(&case_no),
        "{}",
        receipt.plain_text()
    );

    let shown = case::show(&services, &case_no, &clerk(&services).await, false)
        .await
        .unwrap();
    assert_eq!(
        shown.json["case"]["record"]["applicant"]["id_number"],
        "4101**********158X"
    );
    assert_eq!(shown.json["case"]["applicant_masked"], "王*");
    assert_eq!(shown.json["tickets"][0]["state"], "done");
    let actions: Vec<&str> = shown.json["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "intake",
            "ticket_called",
            "ticket_started",
            "ticket_finished"
        ]
    );
    assert!(
        !shown.text.contains("41010519900307158X") && !shown.text.contains("13812345678"),
        "personal data is masked: {}",
        shown.text
    );
    services.close().await;
}

#[tokio::test]
async fn a_blocked_intake_names_its_errors_and_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path());
    let file = dir.path().join("bad.toml");
    std::fs::write(&file, INTAKE.replace("13812345678", "12345")).unwrap();
    let services = Services::open(&cfg).await.unwrap();
    let err = intake::execute(
        &services,
        &intake::IntakeArgs {
            file,
            window: None,
            auth: SignInArgs::default(),
            at: None,
            json: false,
        },
        Acting::default(),
    )
    .await
    .unwrap_err();
    let msg = format!("{err:#}");
    assert!(msg.contains("未登记：1 处填写有误"), "{msg}");
    assert!(msg.contains("applicant.phone"), "{msg}");

    let err = intake::execute(
        &services,
        &intake::IntakeArgs {
            file: dir.path().join("case.toml"),
            window: Some(7),
            auth: SignInArgs::default(),
            at: None,
            json: false,
        },
        Acting::default(),
    )
    .await
    .unwrap_err();
    assert!(format!("{err:#}").contains("case.toml"), "{err:#}");

    let today = onewindow::domain::numbering::local_day(&chrono::Utc::now());
    let tickets = services.tickets_of(today, None, None).await.unwrap();
    assert!(tickets.is_empty());
    let store = onewindow::storage::Store::open(
        &onewindow::storage::DbUrl::new(cfg.database_url.clone()),
        Default::default(),
    )
    .await
    .unwrap();
    assert_eq!(
        store.change_version().await.unwrap(),
        1,
        "only the site setup"
    );
    store.close().await;
    services.close().await;
}

/// The command types as `main` will mount them: clap accepts their definitions and parses the
/// documented command lines.
#[derive(clap::Parser)]
struct TestCli {
    #[command(subcommand)]
    command: TestCommand,
}

#[derive(clap::Subcommand)]
enum TestCommand {
    Intake(intake::IntakeArgs),
    Queue(queue::QueueArgs),
    Case(case::CaseArgs),
    Db(db::DbArgs),
}

#[test]
fn the_command_lines_parse() {
    use clap::{CommandFactory, Parser};
    TestCli::command().debug_assert();
    let parse = |args: &[&str]| TestCli::try_parse_from(args).unwrap().command;
    match parse(&[
        "ow",
        "intake",
        "case.toml",
        "--window",
        "3",
        "--staff",
        "C01",
    ]) {
        TestCommand::Intake(a) => {
            assert_eq!((a.window, a.auth.staff.as_deref()), (Some(3), Some("C01")));
        }
        _ => panic!("intake"),
    }
    match parse(&[
        "ow",
        "queue",
        "transfer",
        "T001",
        "--to",
        "Z",
        "--reason",
        "调解不成",
        "--json",
    ]) {
        TestCommand::Queue(q) => {
            assert!(q.json);
            assert!(matches!(
                q.command,
                queue::QueueCommand::Transfer { ref to, .. } if to == "Z"
            ));
        }
        _ => panic!("queue"),
    }
    assert!(matches!(
        parse(&["ow", "case", "show", "ZZ-20260310-0001"]),
        TestCommand::Case(_)
    ));
    assert!(matches!(
        parse(&["ow", "db", "window", "2", "--routes", "arbitration,labor_mediation"]),
        TestCommand::Db(db::DbArgs {
            command: db::DbCommand::Window { ref routes, .. },
            ..
        }) if routes.len() == 2
    ));
    assert!(
        TestCli::try_parse_from(["ow", "queue", "call"]).is_err(),
        "--window is required"
    );
}

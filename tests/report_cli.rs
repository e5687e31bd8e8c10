//! `onewindow report`, `db seed` and `followup` as commands over a SQLite file: the files they
//! write and what they refuse.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use calamine::{Data, Reader, Xlsx};
use onewindow::app::auth::Permission;
use onewindow::commands::auth::SignInArgs;
use onewindow::commands::{followup, report};
use onewindow::config::{self, Config, Sources};
use std::path::Path;

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

#[tokio::test]
async fn seed_then_report_as_xlsx_csv_and_followups() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path());
    report::run_seed(
        &cfg,
        report::SeedArgs {
            cases: 800,
            month: "2026-02".into(),
            auth: Default::default(),
        },
    )
    .await
    .unwrap();
    // Reports and follow-up are a supervisor's.
    let services = onewindow::app::Services::open(&cfg).await.unwrap();
    services
        .save_staff(
            &onewindow::domain::StaffNo("S01".into()),
            "李主任",
            onewindow::domain::StaffRole::Supervisor,
            Some("246810".into()),
        )
        .await
        .unwrap();
    services.close().await;
    let boss = || SignInArgs::with_pin("S01", "246810");
    let xlsx = dir.path().join("feb.xlsx");
    let args = |format: &str, out: Option<&Path>| report::ReportArgs {
        from: "2026-02-01".parse().unwrap(),
        to: "2026-02-28".parse().unwrap(),
        format: format.into(),
        out: out.map(Path::to_path_buf),
        auth: boss(),
    };
    report::run(&cfg, args("xlsx", Some(&xlsx))).await.unwrap();
    let mut wb: Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let summary = wb.worksheet_range("概况").unwrap();
    assert!(
        summary
            .rows()
            .any(|r| r[0] == Data::String("登记案件数".into()) && r[1] == Data::Float(800.0)),
        "{summary:?}"
    );
    let csv = dir.path().join("feb.csv");
    report::run(&cfg, args("csv", Some(&csv))).await.unwrap();
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.contains("登记案件数,800"), "{text}");

    let err = report::run(&cfg, args("xlsx", None)).await.unwrap_err();
    assert!(err.to_string().contains("--out"), "{err}");
    let err = report::run(&cfg, args("pdf", Some(&csv)))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("--format pdf"), "{err}");

    // The seeded February cases ended long ago: the mediated and referred ones are due.
    let services = onewindow::app::Services::open(&cfg).await.unwrap();
    let list = followup::FollowupArgs {
        command: followup::FollowupCommand::List {
            limit: 1000,
            recorded: false,
        },
        days: Some(7),
        json: true,
        at: None,
        auth: boss(),
    };
    let by = boss()
        .authorize(&services, Permission::FollowUp, "followup")
        .await
        .unwrap();
    let out = followup::execute(&services, &list, &by).await.unwrap();
    let due = out.json.as_array().unwrap();
    // Templates 0, 4, 5 mediated and 6 referred: 4 of 8 kinds, 100 cases each.
    assert_eq!(due.len(), 400);
    let first = due[0]["case_no"].as_str().unwrap().to_string();
    let record = followup::FollowupArgs {
        command: followup::FollowupCommand::Record {
            case_no: first.clone(),
            result: onewindow::domain::followup::FollowUpContact::Reached,
            satisfied: Some(true),
            note: "已履行".into(),
        },
        days: Some(7),
        json: false,
        at: None,
        auth: boss(),
    };
    followup::execute(&services, &record, &by).await.unwrap();
    let out = followup::execute(&services, &list, &by).await.unwrap();
    assert_eq!(out.json.as_array().unwrap().len(), 399);
    assert!(!out.text.contains(&first));
    services.close().await;
}

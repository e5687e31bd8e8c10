//! Whole command lines, as a person types them: every subcommand with its options parses through
//! the real `Cli` (not one subcommand's type alone, which cannot see a clash between a global
//! option and a subcommand's), options that mean nothing for a command are refused by clap, and
//! the lines that used to panic run through the real binary.

mod support;

use clap::CommandFactory;
use onewindow::cli::{Cli, Command};
use onewindow::commands::case::CaseCommand;
use onewindow::commands::db::DbCommand;
use onewindow::commands::print::PrintCommand;
use onewindow::commands::queue::QueueCommand;

fn parse(line: &str) -> Cli {
    let args = std::iter::once("onewindow").chain(line.split_whitespace());
    Cli::try_parse_checked(args).unwrap_or_else(|e| panic!("`onewindow {line}` must parse:\n{e}"))
}

fn refused(line: &str) -> String {
    let args = std::iter::once("onewindow").chain(line.split_whitespace());
    match Cli::try_parse_checked(args) {
        Ok(cli) => panic!("`onewindow {line}` must be refused, parsed as {cli:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn the_command_definition_is_consistent() {
    Cli::command().debug_assert();
}

/// Every subcommand, with every option it has, in the positions people write them.
const LINES: &[&str] = &[
    "",
    "--window 3 --lang en --db sqlite://k.db --demo",
    "--config site.toml --set ui.idle_lock_minutes=5 --window 2",
    "classify case.toml --at 2025-03-10T09:30:00+08:00 --set site.minimum_wage_monthly=2420",
    "config --db sqlite://c.db --lang en --config site.toml",
    "--db sqlite://c.db config",
    "intake case.toml --window 1 --staff 1002 --pin-stdin --at 2025-03-10T09:30:00+08:00 --json --db sqlite://i.db --lang en",
    "queue list --queue T --state all --json --staff 1002 --pin-stdin --day 2025-03-10 --db sqlite://q.db --lang en",
    "queue issue T --priority --staff 1002 --pin-stdin",
    "queue call --window 1 --staff 1002 --pin-stdin --db sqlite://q.db",
    "queue recall T001 --staff 1002 --day 2025-03-10",
    "queue noshow T001 --staff 1002",
    "queue start T001 --staff 1002",
    "queue transfer T001 --to Z --reason 仲裁 --staff 1002",
    "queue finish T001 --outcome mediated --staff 1002 --json",
    "queue --staff 1002 --json list",
    "case show ZZ01-20250310-0001 --full --json --staff 9001 --pin-stdin --db sqlite://x.db --lang en",
    "case audit ZZ01-20250310-0001 --staff 9001",
    "db migrate --db sqlite://d.db",
    "db migrate --lang en",
    "--lang en db window 2 --staff 9001",
    "db window 2 --name 窗口二 --routes labor_mediation,arbitration --staff 9001 --pin-stdin --json",
    "db staff 9001 李主任 --role supervisor --set-pin --pin-stdin",
    "db staff 1002 王小明 --set-pin --staff 9001 --pin-stdin --db sqlite://d.db",
    "db staff 1002 --deactivate --staff 9001",
    "db staff 1002 --reactivate --staff 9001",
    "db staff 1002 --unlock --staff 9001",
    "db backup --to b.db --staff 9001 --pin-stdin",
    "db restore --from b.db --replace --staff 9001",
    "db purge --dry-run --at 2035-01-01T00:00:00+08:00 --staff 9001 --set data.retention_years=10",
    "print preview --sample",
    "print preview --sample --lang en",
    "print preview --sample --layout ticket --profile generic-58 --lang en",
    "print preview ZZ01-20250310-0001 --layout referral --staff 1002 --db sqlite://p.db",
    "print test --profile generic-80 --to tcp://10.0.0.9:9100",
    "print test --profile generic-80 --to tcp://10.0.0.9:9100 --lang en",
    "print jobs --state pending --limit 5 --staff 1002 --pin-stdin",
    "print run --window 1 --staff 1002",
    "print run --job 7 --staff 1002",
    "print run --all --staff 1002 --db sqlite://p.db",
    "print retry 7 --staff 1002",
    "print reprint 7 --staff 1002",
    "print confirm 7 --staff 1002",
    "print history 7 --staff 1002",
    "print move 7 --window 2 --staff 1002",
    "print --staff 1002 --lang en jobs",
    "supervisor --staff 9001 --followup-days 5 --db sqlite://s.db --lang en",
    "display --voice espeak-ng --voice-timeout 5 --lang en --db sqlite://s.db",
    "report --from 2025-03-01 --to 2025-03-31 --format xlsx --out m.xlsx --staff 9001 --pin-stdin --lang en --db sqlite://r.db",
    "followup list --limit 5 --days 7 --json --staff 9001 --db sqlite://f.db",
    "followup record ZZ01-20250310-0001 --result reached --staff 9001",
    "seed --cases 100 --month 2025-03 --staff 9001 --pin-stdin --db sqlite://s.db",
];

#[test]
fn every_subcommand_parses_with_its_options() {
    for line in LINES {
        parse(line);
    }
}

#[test]
fn options_land_where_they_were_written() {
    // The print subcommand's language and the test page's target, in either position.
    for line in [
        "print test --profile generic-80 --to tcp://10.0.0.9:9100 --lang en",
        "--lang en print test --profile generic-80 --to tcp://10.0.0.9:9100",
    ] {
        let cli = parse(line);
        assert_eq!(cli.lang.as_deref(), Some("en"), "{line}");
        assert!(
            cli.overrides().contains(&"ui.lang=en".to_string()),
            "{line}"
        );
        match cli.command {
            Some(Command::Print {
                command: PrintCommand::Test(t),
                ..
            }) => {
                assert_eq!(t.profile, "generic-80");
                assert_eq!(t.to, "tcp://10.0.0.9:9100");
            }
            other => panic!("{line}: {other:?}"),
        }
    }
    // `print run --window` is the run's own window, not the kiosk's.
    let cli = parse("print run --window 1 --staff 1002");
    assert_eq!(cli.kiosk.window, None);
    match cli.command {
        Some(Command::Print {
            command: PrintCommand::Run(r),
            auth,
            ..
        }) => {
            assert_eq!(r.window, Some(1));
            assert_eq!(auth.staff.as_deref(), Some("1002"));
        }
        other => panic!("{other:?}"),
    }
    // The command's own --db wins over one written before the command.
    let cli = parse("--db sqlite://before.db queue list --db sqlite://after.db");
    assert_eq!(cli.db.as_deref(), Some("sqlite://after.db"));
    assert!(
        cli.overrides()
            .contains(&"database.url=sqlite://after.db".to_string())
    );
    let cli = parse("--db sqlite://before.db db migrate");
    assert_eq!(cli.db.as_deref(), Some("sqlite://before.db"));
    // queue call's --window is the window called at.
    match parse("queue call --window 4 --staff 1002").command {
        Some(Command::Queue { args, .. }) => {
            assert!(matches!(args.command, QueueCommand::Call { window: 4 }));
            assert_eq!(args.auth.staff.as_deref(), Some("1002"));
        }
        other => panic!("{other:?}"),
    }
    match parse("db window 2 --routes labor_mediation,arbitration --staff 9001").command {
        Some(Command::Db { args, .. }) => match args.command {
            DbCommand::Window { number, routes, .. } => {
                assert_eq!(number, 2);
                assert_eq!(routes, ["labor_mediation", "arbitration"]);
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
    match parse("case show ZZ01-20250310-0001 --full --lang en").command {
        Some(Command::Case { args, .. }) => {
            assert!(matches!(args.command, CaseCommand::Show { full: true, .. }))
        }
        other => panic!("{other:?}"),
    }
    // The kiosk's options, without a command.
    let cli = parse("--window 3 --demo --lang en");
    assert!(cli.kiosk.demo);
    assert!(cli.overrides().contains(&"ui.window=3".to_string()));
}

#[test]
fn options_that_mean_nothing_for_a_command_are_refused() {
    for line in [
        "db window 2 --window 3",
        "db migrate --demo",
        "print test --profile generic-80 --to tcp://10.0.0.9:9100 --demo",
        "print preview --sample --window 2",
        "queue list --demo",
        "classify case.toml --db sqlite://x.db",
        "classify case.toml --lang en",
        "seed --cases 10 --month 2026-03 --lang en",
        "case show X --window 1",
        "report --from 2025-03-01 --to 2025-03-31 --window 1",
        "supervisor --window 1",
        "display --demo",
    ] {
        let message = refused(line);
        assert!(message.contains("unexpected argument"), "{line}: {message}");
    }
    // Before the command: the kiosk's options, or one the command does not take.
    for (line, says) in [
        ("--window 2 queue list", "--window belongs to the kiosk"),
        (
            "--demo print preview --sample",
            "--demo belongs to the kiosk",
        ),
        (
            "--lang en seed --cases 10 --month 2026-03",
            "--lang is not an option of `onewindow seed`",
        ),
        (
            "--db sqlite://x.db classify case.toml",
            "--db is not an option of `onewindow classify`",
        ),
    ] {
        let message = refused(line);
        assert!(message.contains(says), "{line}: {message}");
    }
}

/// The lines of issue 12 that panicked, through the real binary: each runs to its end.
#[test]
fn the_lines_that_panicked_run_in_the_binary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let spool = dir.path().join("paper");
    let to = format!("spool:{}", spool.display());
    for args in [
        vec!["print", "test", "--profile", "generic-80", "--to", &to],
        vec![
            "print",
            "test",
            "--profile",
            "generic-58",
            "--to",
            &to,
            "--lang",
            "en",
        ],
        vec!["print", "preview", "--sample", "--lang", "en"],
        vec!["--lang", "en", "print", "preview", "--sample"],
    ] {
        let run = support::cli::onewindow(dir.path(), &[], &args, "");
        assert!(run.success, "{args:?}: {}\n{}", run.stdout, run.stderr);
        assert!(!run.stderr.contains("panicked"), "{args:?}: {}", run.stderr);
    }
    let pages = std::fs::read_dir(&spool)
        .expect("test pages spooled")
        .count();
    assert!(pages >= 2, "two test pages in {}", spool.display());
    // An English preview is in English.
    let run = support::cli::onewindow(
        dir.path(),
        &[],
        &["print", "preview", "--sample", "--lang", "en"],
        "",
    );
    assert!(run.stdout.contains("receipt"), "{}", run.stdout);
    // `print run --window` (it panicked on the global --window's type) now asks who runs it.
    let run = support::cli::onewindow(dir.path(), &[], &["print", "run", "--window", "1"], "");
    assert!(!run.success);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(run.stderr.contains("请先登录"), "{}", run.stderr);
    // A refused option is a usage error (exit 2), not a panic.
    for args in [
        &["db", "window", "2", "--window", "3"][..],
        &[
            "print",
            "test",
            "--demo",
            "--profile",
            "generic-80",
            "--to",
            "spool:x",
        ],
        &["--window", "2", "queue", "list"],
    ] {
        let out = std::process::Command::new(support::tmux::binary())
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

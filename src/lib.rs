//! onewindow: intake, classification and routing of labour disputes at a service-centre window.
//!
//! | module | what it is |
//! |---|---|
//! | [`domain`] | pure rules: intake record, validation, classification, deadlines, numbering |
//! | [`config`] | layered settings: defaults → file → `ONEWINDOW_*` → command line |
//! | [`input`] | reading intake files (TOML or JSON) with file, line and field in errors |
//! | [`logging`] | tracing to a file; the terminal belongs to the UI |
//! | [`cli`] | the command line |
//! | [`report`] | the monthly report as CSV, XLSX or JSON |
//! | [`supervisor`] | the supervisor's sign-in and dashboard, and the waiting-hall display |
//! | [`tui`] | the window clerk's kiosk: state, actions, screens, the `Backend` boundary |
//! | [`print`] | paper: layouts, documents, ESC/POS encoding, transports, the print spool runner |
//! | [`storage`] | one `Store` over SQLite or PostgreSQL: cases, queue, print jobs, audit, live changes |
//! | [`store_spool`] | the print runner's spool on the `Store` |
//! | [`commands`] | command-line subcommands: `intake`, `queue …`, `case show`, `db …`, `print …` |
#![forbid(unsafe_code)]

pub mod cli;
pub mod commands;
pub mod config;
pub mod domain;
pub mod input;
pub mod kiosk_backend;
pub mod logging;
pub mod paper;
pub mod pin;
pub mod print;
pub mod report;
pub mod storage;
pub mod store_spool;
pub mod supervisor;
pub mod tui;

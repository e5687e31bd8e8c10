//! onewindow: intake, classification and routing of labour disputes at a service-centre window.
//!
//! | module | what it is |
//! |---|---|
//! | [`app`] | the operations people perform, used by the kiosk, the supervisor and every command |
//! | [`domain`] | pure rules: intake record, validation, classification, deadlines, numbering |
//! | [`config`] | layered settings: defaults → file → `ONEWINDOW_*` → command line |
//! | [`cli`] | the command line |
//! | [`supervisor`] | the supervisor's sign-in and dashboard, and the waiting-hall display |
//! | [`tui`] | the window clerk's kiosk: state, actions, screens |
//! | [`print`] | paper: layouts, documents, ESC/POS encoding, transports, the print spool runner |
//! | [`storage`] | one `Store` over SQLite or PostgreSQL: cases, queue, print jobs, audit, live changes |
//! | [`store_spool`] | the print runner's spool on the `Store` |
//! | [`commands`] | command-line subcommands: `intake`, `queue …`, `case show`, `db …`, `print …` |
#![forbid(unsafe_code)]

pub mod app;
pub mod cli;
pub mod commands;
pub mod config;
pub mod domain;
pub mod print;
pub mod storage;
pub mod supervisor;
pub mod tui;

//! onewindow: intake, classification and routing of labour disputes at a service-centre window.
//!
//! Layers, top to bottom; each uses only those below it:
//!
//! | module | what it is |
//! |---|---|
//! | [`cli`], [`commands`] | the command line: clap types and thin commands that call `app` |
//! | [`tui`] | the window clerk's kiosk: each screen's state, keys and draw; one terminal guard |
//! | [`supervisor`] | the supervisor's sign-in and dashboard, and the waiting-hall display |
//! | [`app`] | the operations people perform — sign in, register, call, transfer, reprint, search, report — used alike by the kiosk, the supervisor and every command; the print runner |
//! | [`storage`] | one `Store` over SQLite or PostgreSQL (chosen by URL at open): SQL per aggregate, the typed audit log, live changes |
//! | [`print`] | paper as a pipeline of values: layout → document → ESC/POS bytes → transport |
//! | [`config`] | layered settings (defaults → file → `ONEWINDOW_*` → command line) and logging to a file |
//! | [`i18n`] | the one translation mechanism: catalogues of Chinese and English text side by side |
//! | [`domain`] | pure rules, no I/O: the intake record and its reading, validation, classification and routing, deadlines, numbering, the vocabulary |
#![forbid(unsafe_code)]

pub mod app;
pub mod cli;
pub mod commands;
pub mod config;
pub mod domain;
pub mod i18n;
pub mod print;
pub mod storage;
pub mod supervisor;
pub mod tui;

//! onewindow: intake, classification and routing of labour disputes at a service-centre window.
//!
//! | module | what it is |
//! |---|---|
//! | [`domain`] | pure rules: intake record, validation, classification, deadlines, numbering |
//! | [`storage`] | one storage trait, SQLite and PostgreSQL backends, the print spool, live changes |
//! | [`commands`] | the scriptable CLI commands on storage: intake, queue, case, db |
#![forbid(unsafe_code)]

pub mod commands;
pub mod domain;
pub mod storage;

//! onewindow: intake, classification and routing of labour disputes at a service-centre window.
//!
//! | module | what it is |
//! |---|---|
//! | [`domain`] | pure rules: intake record, validation, classification, deadlines, numbering |
//! | [`print`] | paper: layouts, documents, ESC/POS encoding, transports, the print spool runner |
//! | [`commands`] | command-line subcommands (`print …`) |
#![forbid(unsafe_code)]

pub mod commands;
pub mod domain;
pub mod print;

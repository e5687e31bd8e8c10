//! onewindow: intake, classification and routing of labour disputes at a service-centre window.
//!
//! | module | what it is |
//! |---|---|
//! | [`domain`] | pure rules: intake record, validation, classification, deadlines, numbering |
#![forbid(unsafe_code)]

pub mod domain;

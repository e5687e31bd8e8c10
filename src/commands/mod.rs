//! CLI commands (filled in below).

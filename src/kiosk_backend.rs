//! The kiosk's `Backend` over storage and printing.

use crate::config::Config;
use crate::tui::backend::Backend;
use std::sync::Arc;

pub async fn open(_config: &Config) -> anyhow::Result<Arc<dyn Backend>> {
    anyhow::bail!("the storage-backed kiosk is being wired in; run `onewindow --demo` for now")
}

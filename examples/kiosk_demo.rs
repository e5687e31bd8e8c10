//! The kiosk against the in-memory demo backend, for trying it by hand or in tmux:
//! `cargo run --example kiosk_demo [-- --lang en]`. Staff number 1001, PIN 123456.
#![forbid(unsafe_code)]

use onewindow::config::{Lang, default_site};
use onewindow::tui::backend::WindowId;
use onewindow::tui::{MemoryBackend, RunOptions, event};
use std::sync::Arc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let lang = if args.iter().any(|a| a == "en") {
        Lang::En
    } else {
        Lang::Zh
    };
    let mut site = default_site();
    site.code = "DEMO".into();
    site.name = "演示劳动人事争议调解中心".into();
    site.minimum_wage_monthly = Some(onewindow::domain::Fen::from_yuan(2420));
    let mut config = onewindow::config::load(&onewindow::config::Sources::default())?;
    config.lang = lang;
    config.site = site.clone();
    let backend = Arc::new(MemoryBackend::demo(site, event::now()));
    let draft_path = std::env::var("ONEWINDOW_DRAFT").unwrap_or_else(|_| {
        std::env::temp_dir()
            .join("onewindow-demo-draft.json")
            .display()
            .to_string()
    });
    onewindow::tui::run(
        &config,
        backend,
        RunOptions {
            window: WindowId(1),
            demo: true,
            draft_path: draft_path.into(),
        },
    )
    .await
}

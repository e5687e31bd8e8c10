//! Who runs a command: the acting staff member's number and PIN, one set of options flattened
//! into every command that reads personal data or changes anything. The checks themselves are
//! the application's ([`Services::authorize`]); this module only gathers the PIN.
//!
//! The PIN is asked for at the terminal without echo (crossterm, already used by the screens, so
//! no extra crate), or read from the first line of standard input with `--pin-stdin` for scripts.

use crate::app::auth::Permission;
use crate::app::{Acting, Services};
use crate::domain::{Lang, StaffNo};
use crate::i18n::{cli::Strings, fill};
use anyhow::{Context, anyhow};
use std::io::{BufRead, IsTerminal, Write};

/// The acting staff member of a command.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct SignInArgs {
    /// Your staff number: the command runs as you once your PIN is checked (asked for at the
    /// terminal without echo, or --pin-stdin).
    #[arg(long = "staff", value_name = "NO", global = true)]
    pub staff: Option<String>,
    /// Read your PIN from the first line of standard input instead of asking for it.
    #[arg(long, global = true)]
    pub pin_stdin: bool,
    /// The PIN given by a program that runs the command in-process (never on the command line,
    /// where other users could read it).
    #[arg(skip)]
    pub pin: Option<String>,
}

impl SignInArgs {
    /// A staff member and their PIN, for running a command in-process.
    pub fn with_pin(staff: &str, pin: &str) -> SignInArgs {
        SignInArgs {
            staff: Some(staff.to_string()),
            pin_stdin: false,
            pin: Some(pin.to_string()),
        }
    }
}

impl SignInArgs {
    /// Signs the named staff member in and checks `need`; `operation` names the command in the
    /// audit log. A refusal is audited by the application and said plainly here.
    pub async fn authorize(
        &self,
        services: &Services,
        need: Permission,
        operation: &str,
    ) -> anyhow::Result<Acting> {
        let lang = services.config().lang;
        let s = Strings::get(lang);
        let staff = self.staff.as_ref().map(|s| StaffNo(s.trim().to_string()));
        let pin = match &staff {
            Some(no) => match &self.pin {
                Some(p) => Some(p.clone()),
                None => Some(self.pin(&fill(s.pin_prompt, &[("no", no.as_str())]), lang)?),
            },
            None => None,
        };
        services
            .authorize(
                staff.as_ref(),
                pin,
                need,
                operation,
                crate::tui::event::now(),
            )
            .await
            .map_err(|e| match e {
                crate::app::AppError::NotSignedIn => anyhow!(fill(
                    s.sign_in_first,
                    &[
                        ("op", operation),
                        ("code", need.code()),
                        ("permission", need.label(lang)),
                    ]
                )),
                crate::app::AppError::Forbidden => anyhow!(fill(
                    s.permission_refused,
                    &[
                        ("op", operation),
                        ("code", need.code()),
                        ("permission", need.label(lang)),
                        (
                            "roles",
                            &need
                                .holders()
                                .into_iter()
                                .map(s.role_of)
                                .collect::<Vec<_>>()
                                .join(s.role_sep),
                        ),
                    ]
                )),
                e => anyhow::Error::from(e).context(operation.to_string()),
            })
    }

    /// The next PIN: a line of standard input with `--pin-stdin`, else asked for at the
    /// terminal without echo.
    pub fn pin(&self, prompt: &str, lang: Lang) -> anyhow::Result<String> {
        if self.pin_stdin {
            read_stdin_line(lang)
        } else {
            prompt_pin(prompt, lang)
        }
    }
}

/// The next line of standard input, trimmed (each call reads one more line).
pub fn read_stdin_line(lang: Lang) -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context(Strings::get(lang).pin_stdin_unreadable)?;
    Ok(line.trim().to_string())
}

/// Asks for a PIN at the terminal, the keys not shown.
pub fn prompt_pin(prompt: &str, lang: Lang) -> anyhow::Result<String> {
    use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
    let s = Strings::get(lang);
    if !std::io::stdin().is_terminal() {
        return Err(anyhow!(s.no_terminal_for_pin));
    }
    let mut err = std::io::stderr();
    write!(err, "{prompt}")?;
    err.flush()?;
    crossterm::terminal::enable_raw_mode()?;
    let mut pin = String::new();
    let outcome = loop {
        match event::read() {
            Ok(Event::Key(k)) if k.kind != KeyEventKind::Release => match k.code {
                KeyCode::Enter => break Ok(()),
                KeyCode::Esc => break Err(anyhow!(s.cancelled)),
                KeyCode::Char('c') if k.modifiers.contains(KeyModifiers::CONTROL) => {
                    break Err(anyhow!(s.cancelled));
                }
                KeyCode::Backspace => {
                    pin.pop();
                }
                KeyCode::Char(c) if pin.len() < 64 => pin.push(c),
                _ => {}
            },
            Ok(_) => {}
            Err(e) => break Err(e.into()),
        }
    };
    crossterm::terminal::disable_raw_mode()?;
    writeln!(err)?;
    outcome.map(|()| pin)
}

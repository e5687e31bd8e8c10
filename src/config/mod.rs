//! Configuration: one `onewindow.toml`, layered defaults → file → `ONEWINDOW_*` environment →
//! command line, validated once at start-up. Every message names the key and where its value came
//! from (the file and line, the environment variable, or the command-line option).

pub mod files;
mod settings;
pub mod show;

pub use show::redact_url;
pub mod logging;
pub use settings::{DataSettings, SupervisorSettings};

use crate::domain::{Route, SiteSettings};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{origin}: {message}")]
    Invalid { origin: String, message: String },
    #[error("{path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
}

fn invalid(origin: impl fmt::Display, message: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        origin: origin.to_string(),
        message: message.into(),
    }
}

pub use crate::domain::site::SiteTable;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseTable {
    pub url: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrinterTable {
    /// A profile name from `printer-profiles/` (file name without `.toml`).
    pub profile: Option<String>,
    /// `tcp://HOST:PORT`, a device path (`/dev/usb/lp0`) or `spool:DIR`; absent = spool folder.
    pub to: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UiTable {
    pub lang: Option<String>,
    /// Minutes of inactivity before the kiosk locks.
    pub idle_lock_minutes: Option<i64>,
    /// The window number this kiosk stands at.
    pub window: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogTable {
    pub file: Option<PathBuf>,
    pub filter: Option<String>,
}

/// `[supervisor]`: alerts, follow-up and the hall display's voice.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupervisorTable {
    pub wait_target_minutes: Option<i64>,
    pub repeat_employer_cases: Option<i64>,
    pub repeat_employer_days: Option<i64>,
    pub followup_days: Option<i64>,
    /// Program and arguments (no shell); the announcement is added as the last argument.
    pub voice_command: Option<Vec<String>>,
    pub voice_timeout_secs: Option<i64>,
    /// A call not yet spoken this many seconds after it was made is dropped.
    pub voice_max_age_secs: Option<i64>,
    pub display_calls: Option<i64>,
}

/// `[data]`: how long personal data is kept.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataTable {
    pub retention_years: Option<i64>,
    pub spool_keep_days: Option<i64>,
    pub draft_keep_days: Option<i64>,
}

/// One layer of configuration as read from one place.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layer {
    pub site: Option<SiteTable>,
    pub database: Option<DatabaseTable>,
    pub printer: Option<PrinterTable>,
    pub ui: Option<UiTable>,
    pub log: Option<LogTable>,
    pub supervisor: Option<SupervisorTable>,
    pub data: Option<DataTable>,
}

pub use crate::domain::Lang;

/// Where printed paper goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrinterTarget {
    Spool(PathBuf),
    Tcp(String),
    Device(PathBuf),
}

/// The validated configuration every command works from.
#[derive(Clone)]
pub struct Config {
    pub site: SiteSettings,
    /// Whether a layer named the site's code. Without it a process works for the one site the
    /// database holds (the one the first-run set-up created), never a default code.
    pub site_code_set: bool,
    pub database_url: String,
    pub printer_profile: String,
    pub printer: PrinterTarget,
    pub lang: Lang,
    pub idle_lock_minutes: u32,
    pub window: u32,
    /// Where each clerk's form in progress is kept between runs (next to the log and database),
    /// one file per window and staff member.
    pub drafts_dir: PathBuf,
    pub log_file: PathBuf,
    pub log_filter: String,
    pub supervisor: SupervisorSettings,
    pub data: DataSettings,
    /// The config file read, if any.
    pub file: Option<PathBuf>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("site", &self.site.code)
            .field("database_url", &redact_url(&self.database_url))
            .field("printer_profile", &self.printer_profile)
            .field("printer", &self.printer)
            .field("lang", &self.lang)
            .field("file", &self.file)
            .finish()
    }
}

impl Config {
    /// A folder a site keeps next to its config file to override shipped files (`layouts`,
    /// `printer-profiles`), if it exists.
    pub fn site_folder(&self, name: &str) -> Option<PathBuf> {
        self.file
            .as_ref()
            .and_then(|f| f.parent())
            .map(|d| d.join(name))
            .filter(|d| d.is_dir())
    }
}

/// Environment variables and the key each one sets.
pub const ENV_KEYS: &[(&str, &str, &str)] = &[
    ("ONEWINDOW_SITE_CODE", "site", "code"),
    ("ONEWINDOW_SITE_NAME", "site", "name"),
    (
        "ONEWINDOW_SITE_MINIMUM_WAGE_MONTHLY",
        "site",
        "minimum_wage_monthly",
    ),
    (
        "ONEWINDOW_SITE_MAJOR_DISPUTE_THRESHOLD",
        "site",
        "major_dispute_threshold",
    ),
    (
        "ONEWINDOW_SITE_SI_ARREARS_ROUTE",
        "site",
        "si_arrears_route",
    ),
    ("ONEWINDOW_SITE_REGION_PREFIXES", "site", "region_prefixes"),
    ("ONEWINDOW_DB", "database", "url"),
    ("ONEWINDOW_PRINTER_PROFILE", "printer", "profile"),
    ("ONEWINDOW_PRINTER", "printer", "to"),
    ("ONEWINDOW_LANG", "ui", "lang"),
    ("ONEWINDOW_WINDOW", "ui", "window"),
    ("ONEWINDOW_LOG", "log", "filter"),
    ("ONEWINDOW_LOG_FILE", "log", "file"),
];

/// Where one layer came from, for messages.
#[derive(Debug, Clone)]
enum Origin {
    File(PathBuf),
    Env(&'static str),
    Cli(String),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::File(p) => write!(f, "{}", p.display()),
            Origin::Env(v) => write!(f, "environment variable {v}"),
            Origin::Cli(o) => write!(f, "command line {o}"),
        }
    }
}

/// Parses one `KEY = VALUE` into a layer: the value as TOML when it is one (numbers, booleans,
/// arrays), else as a plain string, so `ONEWINDOW_SITE_CODE=ZZ01` needs no quotes.
fn single_key_layer(table: &str, key: &str, raw: &str, origin: &str) -> Result<Layer, ConfigError> {
    let as_toml = format!("[{table}]\n{key} = {raw}\n");
    let as_string = format!(
        "[{table}]\n{key} = {}\n",
        toml::Value::String(raw.to_string())
    );
    let parsed = toml::from_str::<Layer>(&as_toml).or_else(|_| toml::from_str::<Layer>(&as_string));
    parsed.map_err(|e| invalid(origin, format!("{table}.{key}: {}", e.message())))
}

/// Inputs for loading: what the process was given.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// `--config` or `ONEWINDOW_CONFIG`.
    pub file: Option<PathBuf>,
    /// Environment pairs (normally `std::env::vars()`).
    pub env: Vec<(String, String)>,
    /// Command-line overrides as `section.key=value` (`--set`, and `--db`/`--lang` mapped to them).
    pub overrides: Vec<String>,
}

impl Sources {
    pub fn from_process(file: Option<PathBuf>, overrides: Vec<String>) -> Sources {
        let env: Vec<(String, String)> = std::env::vars()
            .filter(|(k, _)| k.starts_with("ONEWINDOW_"))
            .collect();
        let file = file.or_else(|| {
            env.iter()
                .find(|(k, _)| k == "ONEWINDOW_CONFIG")
                .map(|(_, v)| PathBuf::from(v))
        });
        Sources {
            file,
            env,
            overrides,
        }
    }
}

/// Loads and validates the configuration. Without a file, `./onewindow.toml` is used if present.
pub fn load(sources: &Sources) -> Result<Config, ConfigError> {
    let mut layers: Vec<(Origin, Layer)> = Vec::new();
    let file = match &sources.file {
        Some(p) => Some(p.clone()),
        None => Some(PathBuf::from("onewindow.toml")).filter(|p| p.exists()),
    };
    if let Some(path) = &file {
        let text = files::read_capped_text(path, files::MAX_CONFIG_BYTES).map_err(|source| {
            ConfigError::Read {
                path: path.display().to_string(),
                source,
            }
        })?;
        let layer: Layer =
            crate::domain::intake_file::from_toml(&path.display().to_string(), &text).map_err(
                |e| match e {
                    // Already names the file, line, column and field.
                    crate::domain::intake_file::InputError::Parse {
                        path,
                        line,
                        column,
                        field,
                        message,
                    } => invalid(
                        format!("{path}:{line}:{column}"),
                        format!("{field}{message}"),
                    ),
                    other => invalid(path.display(), other.to_string()),
                },
            )?;
        layers.push((Origin::File(path.clone()), layer));
    }
    for (var, value) in &sources.env {
        if var == "ONEWINDOW_CONFIG" {
            continue;
        }
        let Some((name, table, key)) = ENV_KEYS.iter().find(|(n, _, _)| n == var) else {
            let known: Vec<&str> = ENV_KEYS.iter().map(|(n, _, _)| *n).collect();
            return Err(invalid(
                format!("environment variable {var}"),
                format!(
                    "unknown setting; known: ONEWINDOW_CONFIG, {}",
                    known.join(", ")
                ),
            ));
        };
        let origin = Origin::Env(name);
        layers.push((
            origin.clone(),
            single_key_layer(table, key, value, &origin.to_string())?,
        ));
    }
    for o in &sources.overrides {
        let origin = Origin::Cli(o.clone());
        let Some((path, value)) = o.split_once('=') else {
            return Err(invalid(&origin, "expected section.key=value"));
        };
        let Some((table, key)) = path.trim().split_once('.') else {
            return Err(invalid(
                &origin,
                format!("`{path}` is not section.key (e.g. site.code)"),
            ));
        };
        layers.push((
            origin.clone(),
            single_key_layer(table, key, value.trim(), &origin.to_string())?,
        ));
    }
    let base_dir = file
        .as_ref()
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .unwrap_or_default();
    build(layers, file, &base_dir)
}

/// A value with the origin of the layer that set it last.
struct Set<T> {
    value: T,
    origin: Origin,
}

fn pick<T: Clone>(layers: &[(Origin, Layer)], get: impl Fn(&Layer) -> Option<T>) -> Option<Set<T>> {
    layers.iter().rev().find_map(|(origin, l)| {
        get(l).map(|value| Set {
            value,
            origin: origin.clone(),
        })
    })
}

fn build(
    layers: Vec<(Origin, Layer)>,
    file: Option<PathBuf>,
    base_dir: &Path,
) -> Result<Config, ConfigError> {
    let mut site = SiteSettings::default();
    apply_site_layers(&mut site, &layers, base_dir)?;
    let site_code_set = pick(&layers, |l| l.site.as_ref().and_then(|s| s.code.clone())).is_some();

    let db = pick(&layers, |l| l.database.as_ref().and_then(|d| d.url.clone()));
    let database_url = match db {
        Some(Set { value, origin }) => {
            if !(value.starts_with("sqlite:")
                || value.starts_with("postgres://")
                || value.starts_with("postgresql://"))
            {
                return Err(invalid(
                    origin,
                    format!(
                        "database.url: `{}` must start with sqlite:// or postgres://",
                        redact_url(&value)
                    ),
                ));
            }
            value
        }
        None => format!("sqlite://{}", base_dir.join("onewindow.db").display()),
    };

    let printer_profile = pick(&layers, |l| {
        l.printer.as_ref().and_then(|p| p.profile.clone())
    })
    .map(|s| s.value)
    .unwrap_or_else(|| "generic-58".to_string());
    let printer = match pick(&layers, |l| l.printer.as_ref().and_then(|p| p.to.clone())) {
        None => PrinterTarget::Spool(base_dir.join("spool")),
        Some(Set { value, origin }) => parse_printer_target(&value, base_dir).ok_or_else(|| {
            invalid(
                origin,
                format!("printer.to: `{value}` is not tcp://HOST:PORT, a /dev/ path or spool:DIR"),
            )
        })?,
    };

    let lang = match pick(&layers, |l| l.ui.as_ref().and_then(|u| u.lang.clone())) {
        None => Lang::Zh,
        Some(Set { value, origin }) => Lang::parse(&value)
            .ok_or_else(|| invalid(origin, format!("ui.lang: `{value}` is not zh-CN or en")))?,
    };
    let idle_lock_minutes = match pick(&layers, |l| l.ui.as_ref().and_then(|u| u.idle_lock_minutes))
    {
        None => 10,
        Some(Set { value, origin }) => u32::try_from(value)
            .ok()
            .filter(|m| (1..=240).contains(m))
            .ok_or_else(|| {
                invalid(
                    origin,
                    format!("ui.idle_lock_minutes: {value} must be between 1 and 240"),
                )
            })?,
    };
    let window = match pick(&layers, |l| l.ui.as_ref().and_then(|u| u.window)) {
        None => 1,
        Some(Set { value, .. }) if (1..=999).contains(&value) => value as u32,
        Some(Set { value, origin }) => {
            return Err(invalid(
                origin,
                format!("ui.window: {value} must be a window number from 1 to 999"),
            ));
        }
    };
    let drafts_dir = base_dir.join("drafts");
    let log_file = pick(&layers, |l| l.log.as_ref().and_then(|x| x.file.clone()))
        .map(|s| s.value)
        .unwrap_or_else(|| base_dir.join("onewindow.log"));
    let log_filter = match pick(&layers, |l| l.log.as_ref().and_then(|x| x.filter.clone())) {
        None => "info".to_string(),
        Some(Set { value, origin }) => {
            tracing_subscriber::EnvFilter::try_new(&value)
                .map_err(|e| invalid(origin, format!("log.filter: `{value}`: {e}")))?;
            value
        }
    };
    let mut supervisor = supervisor_settings(&layers)?;
    // The dashboard locks after the same idle time as the kiosk.
    supervisor.idle_lock_minutes = idle_lock_minutes;
    let data = data_settings(&layers)?;
    Ok(Config {
        supervisor,
        data,
        site,
        site_code_set,
        database_url,
        printer_profile,
        printer,
        lang,
        idle_lock_minutes,
        window,
        drafts_dir,
        log_file,
        log_filter,
        file,
    })
}

/// A whole number from `[supervisor]` within bounds, or the default.
fn bounded(
    layers: &[(Origin, Layer)],
    key: &str,
    get: fn(&SupervisorTable) -> Option<i64>,
    range: std::ops::RangeInclusive<i64>,
) -> Result<Option<i64>, ConfigError> {
    match pick(layers, |l| l.supervisor.as_ref().and_then(get)) {
        None => Ok(None),
        Some(Set { value, .. }) if range.contains(&value) => Ok(Some(value)),
        Some(Set { value, origin }) => Err(invalid(
            origin,
            format!(
                "supervisor.{key}: {value} must be from {} to {}",
                range.start(),
                range.end()
            ),
        )),
    }
}

/// `[data]`: a whole number within bounds, or the default.
fn data_number(
    layers: &[(Origin, Layer)],
    key: &str,
    get: fn(&DataTable) -> Option<i64>,
    range: std::ops::RangeInclusive<i64>,
) -> Result<Option<u32>, ConfigError> {
    match pick(layers, |l| l.data.as_ref().and_then(get)) {
        None => Ok(None),
        Some(Set { value, .. }) if range.contains(&value) => Ok(u32::try_from(value).ok()),
        Some(Set { value, origin }) => Err(invalid(
            origin,
            format!(
                "data.{key}: {value} must be from {} to {}",
                range.start(),
                range.end()
            ),
        )),
    }
}

fn data_settings(layers: &[(Origin, Layer)]) -> Result<DataSettings, ConfigError> {
    let d = DataSettings::default();
    Ok(DataSettings {
        // Archives keep labour-dispute files for decades; 100 years is past any of them.
        retention_years: data_number(layers, "retention_years", |t| t.retention_years, 1..=100)?,
        spool_keep_days: data_number(layers, "spool_keep_days", |t| t.spool_keep_days, 1..=3660)?
            .unwrap_or(d.spool_keep_days),
        draft_keep_days: data_number(layers, "draft_keep_days", |t| t.draft_keep_days, 1..=3660)?
            .unwrap_or(d.draft_keep_days),
    })
}

fn supervisor_settings(layers: &[(Origin, Layer)]) -> Result<SupervisorSettings, ConfigError> {
    let mut s = SupervisorSettings::default();
    let n = |v: i64| u32::try_from(v).unwrap_or(u32::MAX);
    if let Some(v) = bounded(
        layers,
        "wait_target_minutes",
        |t| t.wait_target_minutes,
        1..=600,
    )? {
        s.wait_target_minutes = n(v);
    }
    if let Some(v) = bounded(
        layers,
        "repeat_employer_cases",
        |t| t.repeat_employer_cases,
        2..=1000,
    )? {
        s.repeat_employer_cases = n(v);
    }
    if let Some(v) = bounded(
        layers,
        "repeat_employer_days",
        |t| t.repeat_employer_days,
        1..=366,
    )? {
        s.repeat_employer_days = n(v);
    }
    if let Some(v) = bounded(layers, "followup_days", |t| t.followup_days, 0..=366)? {
        s.followup_days = v;
    }
    if let Some(v) = bounded(
        layers,
        "voice_timeout_secs",
        |t| t.voice_timeout_secs,
        1..=300,
    )? {
        s.voice_timeout_secs = v as u64;
    }
    if let Some(v) = bounded(
        layers,
        "voice_max_age_secs",
        |t| t.voice_max_age_secs,
        1..=3600,
    )? {
        s.voice_max_age_secs = v as u64;
    }
    if let Some(v) = bounded(layers, "display_calls", |t| t.display_calls, 1..=50)? {
        s.display_calls = v as usize;
    }
    if let Some(Set { value, origin }) = pick(layers, |l| {
        l.supervisor.as_ref().and_then(|t| t.voice_command.clone())
    }) {
        if value.first().is_some_and(|p| p.trim().is_empty()) {
            return Err(invalid(
                origin,
                "supervisor.voice_command: the first item must name a program",
            ));
        }
        s.voice_command = value;
    }
    Ok(s)
}

fn parse_printer_target(value: &str, base_dir: &Path) -> Option<PrinterTarget> {
    if let Some(addr) = value.strip_prefix("tcp://") {
        let (host, port) = addr.rsplit_once(':')?;
        port.parse::<u16>().ok().filter(|_| !host.is_empty())?;
        return Some(PrinterTarget::Tcp(addr.to_string()));
    }
    if let Some(dir) = value.strip_prefix("spool:") {
        return Some(PrinterTarget::Spool(base_dir.join(dir)));
    }
    if value.starts_with("/dev/") {
        return Some(PrinterTarget::Device(PathBuf::from(value)));
    }
    None
}

fn apply_site_layers(
    site: &mut SiteSettings,
    layers: &[(Origin, Layer)],
    base_dir: &Path,
) -> Result<(), ConfigError> {
    for (origin, layer) in layers {
        if let Some(t) = &layer.site {
            apply_site_table(site, t, &origin.to_string(), base_dir)?;
        }
    }
    Ok(())
}

/// Applies one `[site]` table over `site`, checking each value; `origin` names where it was read.
pub fn apply_site_table(
    site: &mut SiteSettings,
    t: &SiteTable,
    origin: &str,
    base_dir: &Path,
) -> Result<(), ConfigError> {
    if let Some(code) = &t.code {
        // §2: `[A-Z0-9]{2,8}`.
        let ok = (2..=8).contains(&code.len())
            && code
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        if !ok {
            return Err(invalid(
                origin,
                format!(
                    "site.code: `{}` must be 2–8 capital letters or digits (it starts every case number)",
                    printable(code)
                ),
            ));
        }
        site.code = code.clone();
    }
    if let Some(name) = &t.name {
        if let Err(e) = crate::domain::text::check_label(name, 64)
            && !name.is_empty()
        {
            return Err(invalid(origin, format!("site.name: {e}")));
        }
        site.name = name.clone();
    }
    if let Some(url) = &t.progress_url {
        let ok = (url.starts_with("https://") || url.starts_with("http://"))
            && url.contains("{case_no}")
            && !url.chars().any(|c| c.is_control() || c.is_whitespace());
        if !ok {
            return Err(invalid(
                origin,
                format!(
                    "site.progress_url: `{url}` must be an http(s) address containing {{case_no}}"
                ),
            ));
        }
        site.progress_url = Some(url.clone());
    }
    if let Some(w) = &t.minimum_wage_monthly {
        match w.fen() {
            Some(f) if f.0 > 0 => site.minimum_wage_monthly = Some(f),
            _ => {
                return Err(invalid(
                    origin,
                    format!(
                        "site.minimum_wage_monthly: `{}` must be a positive amount in yuan with at most 2 decimals",
                        serde_json::to_string(w)
                            .unwrap_or_default()
                            .trim_matches('"')
                    ),
                ));
            }
        }
    }
    if let Some(n) = t.major_dispute_threshold {
        // §2 says only "workers": any count of at least one. A threshold below the collective 10
        // is harmless (MAJOR needs COLLECTIVE first) and can only raise more alerts, never fewer.
        site.major_dispute_threshold = u32::try_from(n)
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| {
                invalid(
                    origin,
                    format!(
                        "site.major_dispute_threshold: {n} must be a whole number of workers, at least 1"
                    ),
                )
            })?;
    }
    if let Some(r) = t.si_arrears_route {
        site.si_arrears_route = r;
    }
    if let Some(prefixes) = &t.region_prefixes {
        for p in prefixes {
            // §2: 2 to 6 digits each (a province is the shortest prefix with a meaning).
            if !(2..=6).contains(&p.len()) || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(invalid(
                    origin,
                    format!(
                        "site.region_prefixes: `{}` must be 2–6 digits of an administrative division code",
                        printable(p)
                    ),
                ));
            }
        }
        site.region_prefixes = prefixes.clone();
    }
    if let Some(map) = &t.ticket_prefixes {
        for (route_code, prefix) in map {
            let route = Route::from_code(route_code).ok_or_else(|| {
                let known: Vec<&str> = Route::ALL.iter().map(|r| r.code()).collect();
                invalid(
                    origin,
                    format!(
                        "site.ticket_prefixes.{route_code}: unknown route; known: {}",
                        known.join(", ")
                    ),
                )
            })?;
            if prefix.is_empty() {
                site.ticket_prefixes.remove(&route);
                continue;
            }
            if prefix.len() > 3 || !prefix.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(invalid(
                    origin,
                    format!(
                        "site.ticket_prefixes.{route_code}: `{prefix}` must be 1–3 capital letters"
                    ),
                ));
            }
            site.ticket_prefixes.insert(route, prefix.clone());
        }
        let mut seen = BTreeMap::new();
        for (route, prefix) in &site.ticket_prefixes {
            if let Some(other) = seen.insert(prefix.clone(), *route) {
                return Err(invalid(
                    origin,
                    format!(
                        "site.ticket_prefixes: `{prefix}` is used by both {other} and {route}; each queue needs its own prefix"
                    ),
                ));
            }
        }
    }
    if let Some(files) = &t.holiday_calendars {
        for f in files {
            let path = base_dir.join(f);
            let text = files::read_capped_text(&path, files::MAX_CALENDAR_BYTES).map_err(|e| {
                invalid(
                    origin,
                    format!("site.holiday_calendars: {}: {e}", path.display()),
                )
            })?;
            site.calendar
                .add_year_toml(&path.display().to_string(), &text)
                .map_err(|e| invalid(origin, format!("site.holiday_calendars: {e}")))?;
        }
    }
    Ok(())
}

/// A value quoted in a message: control characters shown as escapes, not sent to the terminal.
fn printable(value: &str) -> String {
    crate::domain::text::quote(value)
}

/// Settings for one run with only the shipped calendar and defaults: what tests and `classify`
/// without a config start from.
pub fn default_site() -> SiteSettings {
    SiteSettings::default()
}

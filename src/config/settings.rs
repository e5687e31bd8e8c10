//! The settings types of the `[data]` and `[supervisor]` tables, kept apart from the loader that
//! fills them.

use serde::Deserialize;

/// The `[data]` settings: how long personal data is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataSettings {
    /// Years after a case closes before `db purge` anonymises it. `None` (the default): never;
    /// a centre sets it from its archive rules, the program does not guess.
    pub retention_years: Option<u32>,
    /// Paper written to a spool folder is deleted this many days after it was printed there.
    pub spool_keep_days: u32,
    /// A clerk's unsubmitted draft is deleted this many days after it was last saved.
    pub draft_keep_days: u32,
}

impl Default for DataSettings {
    fn default() -> Self {
        DataSettings {
            retention_years: None,
            spool_keep_days: 7,
            draft_keep_days: 7,
        }
    }
}

/// The `[supervisor]` settings table (site settings for the dashboard, display and follow-up).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SupervisorSettings {
    /// Tickets waiting longer than this are alerts.
    pub wait_target_minutes: u32,
    /// N: an employer named in N or more cases within D days is an early warning.
    pub repeat_employer_cases: u32,
    /// D, in days.
    pub repeat_employer_days: u32,
    /// Mediated or referred cases are due for a follow-up call this many days after they ended.
    pub followup_days: i64,
    /// Run for each call with the announcement appended as one argument, without a shell,
    /// e.g. `["espeak-ng", "-v", "zh"]`. Empty: no voice.
    pub voice_command: Vec<String>,
    /// The voice command is stopped after this many seconds.
    pub voice_timeout_secs: u64,
    /// A call not yet spoken this many seconds after it was made is dropped (a burst of calls
    /// must not be read out minutes late).
    pub voice_max_age_secs: u64,
    /// Recent calls kept on the hall display.
    pub display_calls: usize,
    /// The dashboard locks after this many minutes without a key (`ui.idle_lock_minutes`).
    pub idle_lock_minutes: u32,
}

impl Default for SupervisorSettings {
    fn default() -> Self {
        let a = crate::domain::alerts::AlertSettings::default();
        SupervisorSettings {
            wait_target_minutes: a.wait_target_minutes,
            repeat_employer_cases: a.repeat_employer_cases,
            repeat_employer_days: a.repeat_employer_days,
            followup_days: 7,
            voice_command: Vec::new(),
            voice_timeout_secs: 15,
            voice_max_age_secs: 60,
            display_calls: 8,
            idle_lock_minutes: 10,
        }
    }
}

impl SupervisorSettings {
    pub fn alert_settings(&self) -> crate::domain::alerts::AlertSettings {
        crate::domain::alerts::AlertSettings {
            wait_target_minutes: self.wait_target_minutes,
            repeat_employer_cases: self.repeat_employer_cases,
            repeat_employer_days: self.repeat_employer_days,
            ..crate::domain::alerts::AlertSettings::default()
        }
    }
}

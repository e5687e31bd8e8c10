//! Setting a site up: the first-run set-up of an empty database, and its staff and windows.
//!
//! The set-up form's checks live here, not in the screen, so every way of setting a site up
//! gets them: the centre code is `[A-Z0-9]{2,8}` (an input method's full-width letters and lower
//! case are normalised, anything else refused), the first supervisor's PIN is 4–12 digits and
//! typed twice. Every problem is reported at its field and nothing is stored until all pass.

use super::auth::hash_pin;
use super::error::{AppError, AppResult};
use super::types::SetUp;
use super::{Acting, Services};
use crate::domain::audit::AuditEvent;
use crate::domain::text::LabelProblem;
use crate::domain::{Lang, Route, StaffNo, StaffRole, WindowNo, text};
use crate::i18n::{cli::Errors, fill};
use crate::storage::{StaffId, WindowInfo};
use chrono::{DateTime, Utc};

/// A field of the first-start set-up form, for a problem to be shown at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetUpField {
    SiteCode,
    SiteName,
    Windows,
    SupervisorNo,
    SupervisorName,
    Pin,
    PinAgain,
}

/// What is wrong with one field of the set-up form, worded in either language from the
/// catalogue ([`Errors`]).
#[derive(Debug, Clone)]
pub struct SetUpProblem {
    pub field: SetUpField,
    text: SetUpText,
}

/// Which of the catalogue's set-up messages a problem is; a label the domain refused keeps the
/// domain's reason for the English.
#[derive(Debug, Clone)]
enum SetUpText {
    Plain(fn(&Errors) -> &'static str),
    Refused(fn(&Errors) -> fn(&str) -> String, String),
}

/// Two problems are the same when they name the same field with the same words.
impl PartialEq for SetUpProblem {
    fn eq(&self, other: &SetUpProblem) -> bool {
        self.field == other.field
            && [Lang::Zh, Lang::En]
                .into_iter()
                .all(|lang| self.message(lang) == other.message(lang))
    }
}

impl Eq for SetUpProblem {}

impl SetUpProblem {
    fn plain(field: SetUpField, text: fn(&Errors) -> &'static str) -> SetUpProblem {
        SetUpProblem {
            field,
            text: SetUpText::Plain(text),
        }
    }

    fn refused(
        field: SetUpField,
        text: fn(&Errors) -> fn(&str) -> String,
        reason: String,
    ) -> SetUpProblem {
        SetUpProblem {
            field,
            text: SetUpText::Refused(text, reason),
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        let words = Errors::get(lang);
        match &self.text {
            SetUpText::Plain(text) => text(words).to_string(),
            SetUpText::Refused(text, reason) => text(words)(reason),
        }
    }
}

/// The set-up form as typed: every field as text, the PIN twice.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SetUpForm {
    pub site_code: String,
    pub site_name: String,
    /// Window numbers separated by commas (either width) or spaces.
    pub windows: String,
    pub supervisor_no: String,
    pub supervisor_name: String,
    pub pin: String,
    pub pin_again: String,
}

impl SetUpForm {
    /// The set-up the form describes, or every problem at its field.
    pub fn check(&self) -> Result<SetUp, Vec<SetUpProblem>> {
        let mut problems = Vec::new();
        let code = site_code(&self.site_code)
            .map_err(|p| problems.push(p))
            .ok();
        let name = self.site_name.trim().to_string();
        if let Err(e) = text::check_label(&name, 64)
            && !name.is_empty()
        {
            problems.push(SetUpProblem::refused(
                SetUpField::SiteName,
                |w| w.setup_site_name,
                e,
            ));
        }
        let windows = windows(&self.windows).map_err(|p| problems.push(p)).ok();
        let number = text::normalize_code(&self.supervisor_no);
        if number.is_empty() {
            problems.push(SetUpProblem::plain(SetUpField::SupervisorNo, |w| {
                w.setup_supervisor_no
            }));
        } else if let Err(e) = text::check_label(&number, 32) {
            problems.push(SetUpProblem::refused(
                SetUpField::SupervisorNo,
                |w| w.setup_staff_number,
                e,
            ));
        }
        let person = self.supervisor_name.trim().to_string();
        if let Err(e) = text::check_label(&person, 64) {
            problems.push(if person.is_empty() {
                SetUpProblem::plain(SetUpField::SupervisorName, |w| w.setup_supervisor_name)
            } else {
                SetUpProblem::refused(SetUpField::SupervisorName, |w| w.setup_name, e)
            });
        }
        // A PIN is typed on a keyboard that may be in full-width mode: its digits count.
        let pin = text::normalize_code(&self.pin);
        if crate::app::pin::check_format(&pin).is_err() {
            problems.push(SetUpProblem::plain(SetUpField::Pin, |w| w.pin_format));
        } else if text::normalize_code(&self.pin_again) != pin {
            problems.push(SetUpProblem::plain(SetUpField::PinAgain, |w| {
                w.setup_pins_differ
            }));
        }
        match (code, windows) {
            (Some(site_code), Some(windows)) if problems.is_empty() => Ok(SetUp {
                site_code,
                site_name: name,
                windows,
                supervisor_no: StaffNo(number),
                supervisor_name: person,
                supervisor_pin: pin,
            }),
            _ => Err(problems),
        }
    }
}

/// A centre code as typed, normalised (full-width to ASCII, lower case to upper) and checked
/// against `[A-Z0-9]{2,8}`: it starts every case number, so nothing else may pass.
pub fn site_code(typed: &str) -> Result<String, SetUpProblem> {
    let code = text::normalize_code(typed).to_ascii_uppercase();
    let ok = (2..=8).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if ok {
        Ok(code)
    } else {
        Err(SetUpProblem::plain(SetUpField::SiteCode, |w| {
            w.setup_site_code
        }))
    }
}

/// Window numbers, 1 to 999, separated by commas or spaces; at least one.
fn windows(typed: &str) -> Result<Vec<WindowNo>, SetUpProblem> {
    let typed = text::normalize_code(typed);
    let numbers: Option<Vec<WindowNo>> = typed
        .split([',', '，', '、', ' '])
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<u32>()
                .ok()
                .filter(|n| (1..=999).contains(n))
                .map(WindowNo)
        })
        .collect();
    match numbers {
        Some(w) if !w.is_empty() => Ok(w),
        _ => Err(SetUpProblem::plain(SetUpField::Windows, |w| {
            w.setup_windows
        })),
    }
}

/// [`text::check_label`], refused in `lang`: `what` names the label ("staff number: …").
fn check_label_in(
    lang: Lang,
    value: &str,
    max_chars: usize,
    what: fn(&Errors) -> &'static str,
) -> AppResult<()> {
    let Some(problem) = text::label_problem(value, max_chars) else {
        return Ok(());
    };
    let words = Errors::get(lang);
    let problem = match problem {
        LabelProblem::Empty => words.label_empty.to_string(),
        LabelProblem::Hidden(c) => fill(words.label_hidden, &[("code", &text::code_point(c))]),
        LabelProblem::TooLong { chars, max } => fill(
            words.label_too_long,
            &[("n", &chars.to_string()), ("max", &max.to_string())],
        ),
    };
    Err(AppError::Invalid(fill(
        what(words),
        &[("problem", &problem)],
    )))
}

impl Services {
    /// A staff member's number and name as the domain allows them, refused in the site's
    /// language.
    fn check_staff_labels(&self, number: &StaffNo, name: &str) -> AppResult<()> {
        let lang = self.config().lang;
        check_label_in(lang, number.as_str(), 32, |w| w.bad_staff_number)?;
        check_label_in(lang, name, 64, |w| w.bad_staff_name)
    }

    /// True on a database with no site or no staff: the kiosk runs the first-run set-up.
    pub async fn needs_setup(&self) -> AppResult<bool> {
        let Ok(site) = self.site() else {
            return Ok(true);
        };
        Ok(self.store().staff_count(site.id).await? == 0)
    }

    /// The first-run set-up: the site with its queues, its windows and the first supervisor.
    /// Refused once the site has staff.
    pub async fn set_up(&self, setup: SetUp, at: DateTime<Utc>) -> AppResult<()> {
        if !self.needs_setup().await? {
            return Err(AppError::InvalidState);
        }
        // The same checks as the form's, for callers that build a `SetUp` themselves.
        let lang = self.config().lang;
        let words = Errors::get(lang);
        let mut setup = setup;
        setup.site_code =
            site_code(&setup.site_code).map_err(|p| AppError::Invalid(p.message(lang)))?;
        crate::app::pin::check_format(&setup.supervisor_pin)
            .map_err(|_| AppError::Invalid(words.pin_format.to_string()))?;
        check_label_in(lang, setup.supervisor_no.as_str(), 32, |w| {
            w.bad_staff_number
        })?;
        check_label_in(lang, &setup.supervisor_name, 64, |w| w.bad_staff_name)?;
        if setup.windows.is_empty() || setup.windows.iter().any(|w| !(1..=999).contains(&w.0)) {
            return Err(AppError::Invalid(words.window_numbers_range.to_string()));
        }
        // A centre may leave its name blank (screens then show the code).
        if !setup.site_name.is_empty() {
            check_label_in(lang, &setup.site_name, 64, |w| w.bad_site_name)?;
        }
        let mut settings = self.settings();
        settings.code = setup.site_code.clone();
        settings.name = setup.site_name.clone();
        self.0.site.store_site(self.store(), settings, at).await?;
        let info = self.site()?;
        let routes: Vec<Route> = info.queues.iter().map(|q| q.route).collect();
        for w in &setup.windows {
            self.store()
                .upsert_window(info.id, i64::from(w.0), "", &routes, at)
                .await?;
        }
        self.create_first_supervisor(
            &setup.supervisor_no,
            &setup.supervisor_name,
            setup.supervisor_pin,
            at,
        )
        .await?;
        Ok(())
    }

    /// The site's first staff member, a supervisor with a PIN, created without signing in: only
    /// while the site has no staff, decided in one transaction, so parallel attempts on an empty
    /// database create exactly one ([`AppError::InvalidState`] for the others). Audited.
    pub async fn create_first_supervisor(
        &self,
        number: &StaffNo,
        name: &str,
        pin: String,
        at: DateTime<Utc>,
    ) -> AppResult<StaffId> {
        let site = self.site()?;
        self.check_staff_labels(number, name)?;
        let hash = hash_pin(pin, self.config().lang).await?;
        let id = self
            .store()
            .create_first_staff(site.id, number.as_str(), name, StaffRole::Supervisor, &hash)
            .await?
            .ok_or(AppError::InvalidState)?;
        self.audit_staff(None, number, StaffRole::Supervisor, true, true, at)
            .await?;
        Ok(id)
    }

    /// Creates or changes a staff member, with a new PIN if one is given (set-up, demo).
    pub async fn save_staff(
        &self,
        number: &StaffNo,
        name: &str,
        role: StaffRole,
        pin: Option<String>,
    ) -> AppResult<StaffId> {
        self.save_staff_as(None, number, name, role, pin, Utc::now())
            .await
    }

    /// Creates or changes a staff member for `by` (a supervisor, checked by the caller; `None`
    /// at the set-up); audited, the PIN only as "set".
    pub async fn save_staff_as(
        &self,
        by: Option<&Acting>,
        number: &StaffNo,
        name: &str,
        role: StaffRole,
        pin: Option<String>,
        at: DateTime<Utc>,
    ) -> AppResult<StaffId> {
        let site = self.site()?;
        self.check_staff_labels(number, name)?;
        if role != StaffRole::Supervisor {
            self.keep_a_supervisor(number).await?;
        }
        let pin_set = pin.is_some();
        let hash = match pin {
            Some(p) => Some(hash_pin(p, self.config().lang).await?),
            None => None,
        };
        let id = self
            .store()
            .upsert_staff(site.id, number.as_str(), name, role)
            .await?;
        if let Some(h) = hash {
            self.store().set_pin_hash(id, &h).await?;
        }
        let active = self
            .store()
            .staff_login(site.id, number.as_str())
            .await?
            .is_some_and(|l| l.active);
        self.audit_staff(by, number, role, active, pin_set, at)
            .await?;
        Ok(id)
    }

    /// A staff member's role and name, if the number exists.
    pub async fn staff_role(&self, number: &StaffNo) -> AppResult<Option<(StaffRole, String)>> {
        let site = self.site()?;
        Ok(self
            .store()
            .staff_auth_any(site.id, number.as_str())
            .await?
            .map(|a| (a.role, a.name)))
    }

    /// Deactivates (`false`) or reactivates a staff member; a deactivated one cannot sign in
    /// anywhere. Audited.
    pub async fn set_staff_active(
        &self,
        by: &Acting,
        number: &StaffNo,
        active: bool,
        at: DateTime<Utc>,
    ) -> AppResult<()> {
        let site = self.site()?;
        let login = self
            .store()
            .staff_login(site.id, number.as_str())
            .await?
            .ok_or(AppError::NotFound)?;
        if !active {
            self.keep_a_supervisor(number).await?;
        }
        self.store().set_staff_active(login.id, active).await?;
        self.audit_staff(Some(by), number, login.role, active, false, at)
            .await
    }

    /// Refuses to take the last active supervisor away (deactivated or made a clerk): nobody
    /// could manage staff any more, and a new first supervisor is only for an empty database.
    async fn keep_a_supervisor(&self, number: &StaffNo) -> AppResult<()> {
        let site = self.site()?;
        let is_active_supervisor = self
            .store()
            .staff_login(site.id, number.as_str())
            .await?
            .is_some_and(|l| l.active && l.role == StaffRole::Supervisor);
        if is_active_supervisor && self.store().active_supervisors(site.id).await? <= 1 {
            return Err(AppError::Invalid(fill(
                Errors::get(self.config().lang).last_supervisor,
                &[("no", number.as_str())],
            )));
        }
        Ok(())
    }

    /// Ends a staff member's lock-out before its time; audited.
    pub async fn unlock_staff(
        &self,
        by: &Acting,
        number: &StaffNo,
        at: DateTime<Utc>,
    ) -> AppResult<bool> {
        let site = self.site()?;
        let by = by.staff_id().ok_or(AppError::NotSignedIn)?;
        Ok(self
            .store()
            .unlock_sign_in(site.id, number.as_str(), by, at)
            .await?)
    }

    async fn audit_staff(
        &self,
        by: Option<&Acting>,
        number: &StaffNo,
        role: StaffRole,
        active: bool,
        pin_set: bool,
        at: DateTime<Utc>,
    ) -> AppResult<()> {
        self.store()
            .audit_event(
                by.and_then(Acting::staff_id),
                None,
                None,
                AuditEvent::StaffSaved {
                    staff_no: number.as_str().to_string(),
                    role,
                    active,
                    pin_set,
                },
                at,
            )
            .await?;
        Ok(())
    }

    /// Creates or changes a window and the routes whose queues it serves (all when empty).
    pub async fn save_window(
        &self,
        number: WindowNo,
        name: &str,
        routes: &[Route],
        at: DateTime<Utc>,
    ) -> AppResult<WindowInfo> {
        let site = self.site()?;
        if !name.is_empty() {
            check_label_in(self.config().lang, name, 32, |w| w.bad_window_name)?;
        }
        let routes: Vec<Route> = if routes.is_empty() {
            site.queues.iter().map(|q| q.route).collect()
        } else {
            routes.to_vec()
        };
        self.store()
            .upsert_window(site.id, i64::from(number.0), name, &routes, at)
            .await?;
        Ok(self
            .store()
            .window_by_number(site.id, i64::from(number.0))
            .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> SetUpForm {
        SetUpForm {
            site_code: "ZZ01".into(),
            site_name: "郑州中心".into(),
            windows: "1,2".into(),
            supervisor_no: "9001".into(),
            supervisor_name: "周主任".into(),
            pin: "246810".into(),
            pin_again: "246810".into(),
        }
    }

    fn fields(f: &SetUpForm) -> Vec<SetUpField> {
        f.check()
            .err()
            .unwrap_or_default()
            .iter()
            .map(|p| p.field)
            .collect()
    }

    #[test]
    fn the_site_code_is_normalised_or_refused() {
        for (typed, want) in [
            ("zz01", "ZZ01"),
            ("ＺＺ０１", "ZZ01"),
            (" ab12345 ", "AB12345"),
        ] {
            assert_eq!(site_code(typed).as_deref().ok(), Some(want), "{typed}");
        }
        for typed in [
            "zz 01",
            "Z",
            "ABCDEFGHI",
            "郑州",
            "ZZ-01",
            "",
            "ZZ\u{200b}01",
        ] {
            assert!(site_code(typed).is_err(), "{typed}");
        }
    }

    #[test]
    fn every_problem_is_at_its_field() {
        assert!(form().check().is_ok());
        let mut f = form();
        f.site_code = "zz 01".into();
        f.pin = "12".into();
        f.pin_again = "12".into();
        f.windows = "一".into();
        assert_eq!(
            fields(&f),
            [SetUpField::SiteCode, SetUpField::Windows, SetUpField::Pin]
        );
        let mut f = form();
        f.pin_again = "246811".into();
        assert_eq!(fields(&f), [SetUpField::PinAgain]);
        let mut f = form();
        f.pin = "１２３４".into();
        f.pin_again = "1234".into();
        assert_eq!(
            f.check().map(|s| s.supervisor_pin).ok().as_deref(),
            Some("1234")
        );
        let mut f = form();
        f.supervisor_name = " ".into();
        f.supervisor_no = String::new();
        assert_eq!(
            fields(&f),
            [SetUpField::SupervisorNo, SetUpField::SupervisorName]
        );
    }
}

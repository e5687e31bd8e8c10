//! `--demo`: the real services over a temporary SQLite database seeded with a demo site, so the
//! demo behaves exactly as a window does (there is no second implementation to drift from it).
//! Dates are relative to today, so the sample cases are current, not time-barred.

use super::types::SetUp;
use super::{Acting, Services};
use crate::config::{Config, PrinterTarget};
use crate::domain::numbering::local_day;
use crate::domain::{StaffNo, StaffRole, WindowNo};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use std::path::{Path, PathBuf};

/// The demo site's code: its case numbers read `DEMO-YYYYMMDD-NNNN`.
pub const DEMO_SITE_CODE: &str = "DEMO";
/// The demo clerk, whose number and PIN the sign-in screen shows in `--demo`.
pub const DEMO_STAFF_NO: &str = "1001";
pub const DEMO_PIN: &str = "123456";
/// The demo supervisor.
pub const DEMO_SUPERVISOR_NO: &str = "9001";
pub const DEMO_SUPERVISOR_PIN: &str = "654321";

/// A private folder for the demo's database and paper, removed when dropped.
pub struct DemoDir(PathBuf);

impl DemoDir {
    pub fn create() -> std::io::Result<DemoDir> {
        let nanos = Utc::now().timestamp_nanos_opt().unwrap_or_default();
        let dir =
            std::env::temp_dir().join(format!("onewindow-demo-{}-{nanos}", std::process::id()));
        std::fs::create_dir(&dir)?;
        crate::config::files::set_mode(&dir, crate::config::files::DIR_MODE)?;
        Ok(DemoDir(dir))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for DemoDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The configuration of a demo in `dir`: its own database, spool folder and draft file; the
/// rest (language, layouts, printer profile) as configured.
pub fn config(base: &Config, dir: &Path) -> Config {
    let mut c = base.clone();
    c.database_url = format!("sqlite://{}", dir.join("demo.db").display());
    c.printer = PrinterTarget::Spool(dir.join("spool"));
    c.drafts_dir = dir.join("drafts");
    c.site.code = DEMO_SITE_CODE.to_string();
    c.site.name = "演示调解中心 (demo)".to_string();
    c.site_code_set = true;
    c
}

/// Seeds a demo site: windows 1–3, the clerk and the supervisor, and three walk-ins registered
/// in the last hour before `now`.
pub async fn seed(services: &Services, now: DateTime<Utc>) -> anyhow::Result<()> {
    seed_staff(services).await?;
    seed_cases(services, now).await
}

/// The demo site with its windows and staff, and no cases.
pub async fn seed_staff(services: &Services) -> anyhow::Result<()> {
    let settings = services.settings();
    services
        .set_up(
            SetUp {
                site_code: settings.code,
                site_name: settings.name,
                windows: vec![WindowNo(1), WindowNo(2), WindowNo(3)],
                supervisor_no: StaffNo(DEMO_SUPERVISOR_NO.into()),
                supervisor_name: "李强".into(),
                supervisor_pin: DEMO_SUPERVISOR_PIN.into(),
            },
            Utc::now(),
        )
        .await?;
    let clerk = StaffNo(DEMO_STAFF_NO.into());
    services
        .save_staff(&clerk, "张敏", StaffRole::Clerk, Some(DEMO_PIN.into()))
        .await?;
    services
        .save_staff(
            &StaffNo("1002".into()),
            "王芳",
            StaffRole::Clerk,
            Some("112233".into()),
        )
        .await?;
    Ok(())
}

/// Three walk-ins registered by clerk 1002 in the hour before `now`.
pub async fn seed_cases(services: &Services, now: DateTime<Utc>) -> anyhow::Result<()> {
    let other = StaffNo("1002".into());
    let other_id = services.staff(&other).await?;
    // Registered at no window: their paper prints at the first printer free, which in a demo
    // is the kiosk's own spool folder.
    let by = Acting {
        staff: Some((other_id, other)),
        window: None,
    };
    for (i, text) in records(local_day(&now)).iter().enumerate() {
        let file = crate::domain::intake_file::parse_intake("demo", text, false)?;
        let at = now - Duration::minutes(40 - 12 * i as i64);
        services.register(&file.record, None, &by, at).await?;
    }
    Ok(())
}

/// Sample walk-ins, written as intake files are: plain unpaid wages (inspection), a pregnant
/// worker who declines mediation (arbitration), a domestic helper (people's mediation).
fn records(today: NaiveDate) -> Vec<String> {
    let d = |days: i64| {
        (today - Duration::days(days))
            .format("%Y-%m-%d")
            .to_string()
    };
    let id = |first17: &str| {
        format!(
            "{first17}{}",
            crate::domain::ids::resident_id_check_char(first17).unwrap_or('0')
        )
    };
    vec![
        format!(
            r#"
[applicant]
name = "刘建国"
id_number = "{id}"
phone = "13900001111"
[counterparty]
name = "郑州宏达建筑劳务有限公司"
[employment]
status = "ended"
started_on = {started}
ended_on = {ended}
written_contract = true
[dispute]
categories = ["LD04"]
claims = [{{ category = "LD04", amount = 8600 }}]
known_on = {known}
unpaid_wages = true
"#,
            id = id("11010119800101003"),
            started = d(400),
            ended = d(45),
            known = d(30),
        ),
        format!(
            r#"
[applicant]
name = "陈晓"
id_number = "{id}"
phone = "13700002222"
groups = ["pregnant"]
[counterparty]
name = "北京星河餐饮管理有限公司"
[employment]
status = "ended"
started_on = {started}
ended_on = {ended}
written_contract = true
[dispute]
categories = ["LD05"]
claims = [{{ category = "LD05", amount = 15000 }}]
known_on = {ended}
wants_mediation = false
"#,
            id = id("11010119920315002"),
            started = d(900),
            ended = d(20),
        ),
        format!(
            r#"
[applicant]
name = "赵秀兰"
id_number = "{id}"
phone = "13600003333"
[counterparty]
kind = "household"
name = "孙家"
[dispute]
categories = ["LD04"]
claims = [{{ category = "LD04", amount = 3000 }}]
known_on = {known}
"#,
            id = id("11010119650505002"),
            known = d(25),
        ),
    ]
}

//! User-visible text of the supervisor's sign-in and dashboard and of the waiting-hall display, per
//! language.

use crate::config::Lang;
use crate::domain::alerts::AlertKind;
use crate::supervisor::sign_in::Notice;

pub struct Strings {
    pub hall_title: &'static str,
    pub now_calling: &'static str,
    pub to_window: &'static str,
    pub recent_calls: &'static str,
    pub waiting: &'static str,
    pub people: &'static str,
    pub no_calls_yet: &'static str,
    pub dashboard_title: &'static str,
    pub queues: &'static str,
    pub queue: &'static str,
    pub longest_wait: &'static str,
    pub mean_wait: &'static str,
    pub mean_service: &'static str,
    pub served: &'static str,
    pub windows: &'static str,
    pub window: &'static str,
    pub clerk: &'static str,
    pub serving: &'static str,
    pub idle: &'static str,
    pub closed: &'static str,
    pub alerts: &'static str,
    pub no_alerts: &'static str,
    pub arrivals: &'static str,
    pub today: &'static str,
    pub last_week: &'static str,
    pub by_category: &'static str,
    pub by_route: &'static str,
    pub minutes: &'static str,
    pub too_small: &'static str,
    pub keys: &'static str,
    /// The dashboard's banner while the database is away: `{since}` when it went, `{data}` the
    /// time of the figures still shown, `{cause}` why (for the administrator).
    pub db_down: &'static str,
    /// The hall board while the database is away: `{since}`.
    pub board_stale: &'static str,
}

pub fn strings(lang: Lang) -> &'static Strings {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

static ZH: Strings = Strings {
    hall_title: "劳动人事争议一站式服务窗口",
    now_calling: "请",
    to_window: "号窗口",
    recent_calls: "最近叫号",
    waiting: "等候人数",
    people: "人",
    no_calls_yet: "尚未叫号，请取号后耐心等候",
    dashboard_title: "值班负责人看板",
    queues: "队列",
    queue: "队列",
    longest_wait: "最长等候",
    mean_wait: "平均等候",
    mean_service: "平均办理",
    served: "已办结",
    windows: "窗口",
    window: "窗口",
    clerk: "工作人员",
    serving: "正在办理",
    idle: "空闲",
    closed: "未登录",
    alerts: "需处理事项",
    no_alerts: "暂无需处理事项",
    arrivals: "今日每小时来访（青色）与上周同日（灰色）",
    today: "今日",
    last_week: "上周同日",
    by_category: "按争议类别",
    by_route: "按分流去向",
    minutes: "分钟",
    too_small: "窗口太小，请放大终端",
    keys: "A 确认提醒  M 移动排队号  Q 调整窗口队列  R 报表  F1 帮助  Esc 退出",
    db_down: "⚠ 数据库连接中断（{since} 起），画面为 {data} 的数据，恢复后自动更新。原因：{cause}",
    board_stale: "⚠ 叫号信息暂停更新（{since} 起），请留意窗口呼叫",
};

static EN: Strings = Strings {
    hall_title: "Labour Dispute One-Stop Service",
    now_calling: "",
    to_window: "",
    recent_calls: "Recent calls",
    waiting: "Waiting",
    people: "",
    no_calls_yet: "No calls yet — please take a ticket and wait",
    dashboard_title: "Supervisor dashboard",
    queues: "Queues",
    queue: "Queue",
    longest_wait: "Longest wait",
    mean_wait: "Mean wait",
    mean_service: "Mean service",
    served: "Served",
    windows: "Windows",
    window: "Window",
    clerk: "Clerk",
    serving: "Serving",
    idle: "Idle",
    closed: "Signed out",
    alerts: "Needs action",
    no_alerts: "Nothing needs action",
    arrivals: "Arrivals per hour: today (cyan), same weekday last week (grey)",
    today: "Today",
    last_week: "Last week",
    by_category: "By category",
    by_route: "By route",
    minutes: "min",
    too_small: "Terminal too small — please enlarge it",
    keys: "A acknowledge  M move ticket  Q window queues  R report  F1 help  Esc quit",
    db_down: "⚠ Database unreachable since {since}; figures as of {data}, updated when it is back. Cause: {cause}",
    board_stale: "⚠ Calls not updating since {since}; listen for the windows",
};

/// One line describing an alert.
pub fn describe_alert(lang: Lang, kind: AlertKind, subject: &str, figure: i64) -> String {
    match (lang, kind) {
        (Lang::Zh, AlertKind::Major) => format!("重大集体争议 {subject}：启动应急联合调处"),
        (Lang::Zh, AlertKind::Escalating) => format!("矛盾激化 {subject}：请立即到场"),
        (Lang::Zh, AlertKind::ChildLabor) => format!("童工 {subject}：优先处理，必要时移送公安"),
        (Lang::Zh, AlertKind::Collective) => format!("集体争议 {subject}"),
        (Lang::Zh, AlertKind::LongWait) => format!("{subject} 已等候 {figure} 分钟，超过目标"),
        (Lang::Zh, AlertKind::PrinterFault) => format!("{subject} 故障，{figure} 份待打印"),
        (Lang::Zh, AlertKind::PrintBacklog) => format!("{subject} 有 {figure} 份待打印"),
        (Lang::Zh, AlertKind::PrintJobStopped) => {
            format!("{subject} 有 {figure} 份打印已停止或未确认，请查看")
        }
        (Lang::Zh, AlertKind::MediationEnding) if figure < 0 => {
            format!("{subject} 调解期限已过 {} 天，请告知可申请仲裁", -figure)
        }
        (Lang::Zh, AlertKind::MediationEnding) => format!("{subject} 调解期限 {figure} 天内届满"),
        (Lang::Zh, AlertKind::LimitationNear) => format!("{subject} 仲裁时效 {figure} 天内届满"),
        (Lang::Zh, AlertKind::RepeatEmployer) => {
            format!("{subject} 近期被 {figure} 件案件反映，注意集体争议苗头")
        }
        (Lang::En, AlertKind::Major) => {
            format!("Major collective dispute {subject}: joint emergency handling")
        }
        (Lang::En, AlertKind::Escalating) => format!("Escalating {subject}: attend now"),
        (Lang::En, AlertKind::ChildLabor) => format!("Child labour {subject}: priority"),
        (Lang::En, AlertKind::Collective) => format!("Collective dispute {subject}"),
        (Lang::En, AlertKind::LongWait) => format!("{subject} waiting {figure} min, over target"),
        (Lang::En, AlertKind::PrinterFault) => format!("{subject} fault, {figure} jobs pending"),
        (Lang::En, AlertKind::PrintBacklog) => format!("{subject}: {figure} jobs pending"),
        (Lang::En, AlertKind::PrintJobStopped) => {
            format!("{subject}: {figure} print jobs stopped or unconfirmed")
        }
        (Lang::En, AlertKind::MediationEnding) if figure < 0 => {
            format!(
                "{subject} mediation period over by {} days: tell the worker about arbitration",
                -figure
            )
        }
        (Lang::En, AlertKind::MediationEnding) => {
            format!("{subject} mediation period ends in {figure} days")
        }
        (Lang::En, AlertKind::LimitationNear) => {
            format!("{subject} limitation ends in {figure} days")
        }
        (Lang::En, AlertKind::RepeatEmployer) => {
            format!("{subject} named in {figure} recent cases: possible collective dispute")
        }
    }
}

/// Text of the supervisor's sign-in screen (`onewindow supervisor`).
pub struct SignInStrings {
    pub title: &'static str,
    pub staff_no: &'static str,
    pub pin: &'static str,
    pub hint: &'static str,
    pub checking: &'static str,
    pub opening: &'static str,
}

pub fn sign_in_strings(lang: Lang) -> &'static SignInStrings {
    match lang {
        Lang::Zh => &SIGN_IN_ZH,
        Lang::En => &SIGN_IN_EN,
    }
}

static SIGN_IN_ZH: SignInStrings = SignInStrings {
    title: "值班负责人登录",
    staff_no: "工号",
    pin: "密码",
    hint: "Tab 切换  Enter 登录  Esc 退出",
    checking: "正在核验…",
    opening: "已登录，正在打开看板…",
};

static SIGN_IN_EN: SignInStrings = SignInStrings {
    title: "Supervisor sign-in",
    staff_no: "Staff no.",
    pin: "PIN",
    hint: "Tab switch  Enter sign in  Esc quit",
    checking: "Checking…",
    opening: "Signed in; opening the dashboard…",
};

/// The message shown at a sign-in field.
pub fn sign_in_notice(lang: Lang, notice: &Notice) -> String {
    match (lang, notice) {
        (Lang::Zh, Notice::StaffNoMissing) => "请输入工号".into(),
        (Lang::Zh, Notice::PinMissing) => "请输入密码".into(),
        (Lang::Zh, Notice::WrongPin { attempts_left }) => {
            format!("工号或密码错误，还可尝试 {attempts_left} 次")
        }
        (Lang::Zh, Notice::LockedUntil(t)) => {
            format!("尝试次数过多，已锁定至 {}", t.format("%H:%M"))
        }
        (Lang::Zh, Notice::Unavailable) => "数据库暂不可用，请稍后再试".into(),
        (Lang::Zh, Notice::Failed(e)) => format!("登录失败：{e}"),
        (Lang::En, Notice::StaffNoMissing) => "Enter your staff number".into(),
        (Lang::En, Notice::PinMissing) => "Enter your PIN".into(),
        (Lang::En, Notice::WrongPin { attempts_left }) => {
            format!("Wrong staff number or PIN; {attempts_left} attempts left")
        }
        (Lang::En, Notice::LockedUntil(t)) => {
            format!("Too many attempts: locked until {}", t.format("%H:%M"))
        }
        (Lang::En, Notice::Unavailable) => "Database unavailable; try again shortly".into(),
        (Lang::En, Notice::Failed(e)) => format!("Sign-in failed: {e}"),
    }
}

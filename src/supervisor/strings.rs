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
    /// A ticket called, the worker not yet at the window.
    pub called: &'static str,
    pub idle: &'static str,
    /// "minutes" after a figure where room is short.
    pub min_short: &'static str,
    /// The queue table's headings when the screen is narrow.
    pub short_heads: [&'static str; 5],
    /// On the title line while the alerts panel flashes.
    pub new_urgent: &'static str,
    /// The hourly chart's title when only today's bars fit.
    pub arrivals_today_only: &'static str,
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
    longest_wait: "最长等候(分)",
    mean_wait: "平均等候(分)",
    mean_service: "平均办理(分)",
    served: "已办结",
    windows: "窗口",
    window: "窗口",
    clerk: "工作人员",
    serving: "正在办理",
    called: "已叫号",
    idle: "空闲",
    min_short: "分",
    short_heads: ["等候", "最长", "均等", "均办", "办结"],
    new_urgent: "‼ 新的紧急提醒",
    arrivals_today_only: "今日每小时来访",
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
    keys: "A 确认提醒  H 历史  M 移动排队号  Q 调整窗口队列  R 报表  L 访问记录  Esc 退出",
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
    longest_wait: "Longest min",
    mean_wait: "Mean wait min",
    mean_service: "Mean service min",
    served: "Served",
    windows: "Windows",
    window: "Window",
    clerk: "Clerk",
    serving: "Serving",
    called: "Called",
    idle: "Idle",
    min_short: "m",
    short_heads: ["Wait", "Max", "Avg", "Svc", "Done"],
    new_urgent: "‼ New urgent alert",
    arrivals_today_only: "Arrivals per hour today",
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
    keys: "A acknowledge  H history  M move ticket  Q window queues  R report  L audit  Esc quit",
    db_down: "⚠ Database unreachable since {since}; figures as of {data}, updated when it is back. Cause: {cause}",
    board_stale: "⚠ Calls not updating since {since}; listen for the windows",
};

/// One line describing an alert.
pub fn describe_alert(
    lang: Lang,
    kind: AlertKind,
    subject: &str,
    figure: i64,
    count: i64,
) -> String {
    let (label, figure) = alert_parts(lang, kind, subject, figure, count);
    format!("{label} {figure}")
}

/// An alert as a label (shortened when the screen is narrow) and its figure (case number,
/// counts, minutes, days: never shortened).
pub fn alert_parts(
    lang: Lang,
    kind: AlertKind,
    subject: &str,
    figure: i64,
    count: i64,
) -> (String, String) {
    let s = subject.to_string();
    match (lang, kind) {
        (Lang::Zh, AlertKind::Major) => ("重大集体争议：启动应急联合调处".into(), s),
        (Lang::Zh, AlertKind::Escalating) => ("矛盾激化：请立即到场".into(), s),
        (Lang::Zh, AlertKind::ChildLabor) => ("童工：优先处理，必要时移送公安".into(), s),
        (Lang::Zh, AlertKind::Collective) => ("集体争议".into(), s),
        (Lang::Zh, AlertKind::LongWait) => (
            format!("超时等候 {subject}"),
            format!("{count} 人，最长 {figure} 分钟"),
        ),
        (Lang::Zh, AlertKind::PrinterFault) => {
            (format!("{subject} 故障"), format!("{figure} 份待打印"))
        }
        (Lang::Zh, AlertKind::PrintBacklog) => {
            (format!("{subject} 待打印"), format!("{figure} 份"))
        }
        (Lang::Zh, AlertKind::PrintJobStopped) => (
            format!("{subject} 打印已停止或未确认，请查看"),
            format!("{figure} 份"),
        ),
        (Lang::Zh, AlertKind::MediationEnding) if figure < 0 => (
            "调解期限已过，请告知可申请仲裁".into(),
            format!("{subject} 已过 {} 天", -figure),
        ),
        (Lang::Zh, AlertKind::MediationEnding) => {
            ("调解期限将届满".into(), format!("{subject} {figure} 天内"))
        }
        (Lang::Zh, AlertKind::LimitationNear) => {
            ("仲裁时效将届满".into(), format!("{subject} {figure} 天内"))
        }
        (Lang::Zh, AlertKind::RepeatEmployer) => (
            format!("{subject} 近期多次被反映，注意集体争议苗头"),
            format!("{figure} 件"),
        ),
        (Lang::En, AlertKind::Major) => (
            "Major collective dispute: joint emergency handling".into(),
            s,
        ),
        (Lang::En, AlertKind::Escalating) => ("Escalating: attend now".into(), s),
        (Lang::En, AlertKind::ChildLabor) => ("Child labour: priority".into(), s),
        (Lang::En, AlertKind::Collective) => ("Collective dispute".into(), s),
        (Lang::En, AlertKind::LongWait) => (
            format!("Over target: {subject}"),
            format!("{count} waiting, longest {figure} min"),
        ),
        (Lang::En, AlertKind::PrinterFault) => {
            (format!("{subject} fault"), format!("{figure} jobs pending"))
        }
        (Lang::En, AlertKind::PrintBacklog) => {
            (format!("{subject} pending"), format!("{figure} jobs"))
        }
        (Lang::En, AlertKind::PrintJobStopped) => (
            format!("{subject}: print jobs stopped or unconfirmed"),
            format!("{figure} jobs"),
        ),
        (Lang::En, AlertKind::MediationEnding) if figure < 0 => (
            "Mediation period over: tell the worker about arbitration".into(),
            format!("{subject} {} days ago", -figure),
        ),
        (Lang::En, AlertKind::MediationEnding) => (
            "Mediation period ends".into(),
            format!("{subject} in {figure} days"),
        ),
        (Lang::En, AlertKind::LimitationNear) => (
            "Limitation ends".into(),
            format!("{subject} in {figure} days"),
        ),
        (Lang::En, AlertKind::RepeatEmployer) => (
            format!("{subject}: named in recent cases, possible collective dispute"),
            format!("{figure} cases"),
        ),
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
        (Lang::Zh, Notice::NoScreen(role)) => {
            format!(
                "{}不能登录值班负责人看板：回访请使用 onewindow followup 命令",
                role.zh()
            )
        }
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
        (Lang::En, Notice::NoScreen(role)) => format!(
            "A {} does not sign in to the dashboard: make follow-up calls with onewindow followup",
            role.en().to_lowercase()
        ),
        (Lang::En, Notice::Failed(e)) => format!("Sign-in failed: {e}"),
    }
}

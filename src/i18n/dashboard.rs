//! User-visible text of the supervisor's sign-in and dashboard and of the waiting-hall display,
//! each with its Chinese and English side by side. Templates name their blanks and are filled
//! with [`crate::i18n::fill`].

use super::catalogue;
use crate::domain::Lang;
use crate::domain::alerts::AlertKind;
use crate::supervisor::sign_in::Notice;

catalogue! {
    pub struct Strings {
        hall_title: &'static str = ("劳动人事争议一站式服务窗口", "Labour Dispute One-Stop Service"),
        /// A recent call's window on the hall board: `{w}`.
        to_window: &'static str = ("{w}号窗口", "{w}"),
        recent_calls: &'static str = ("最近叫号", "Recent calls"),
        waiting: &'static str = ("等候人数", "Waiting"),
        /// How many wait in a queue on the hall board: `{n}`.
        people: &'static str = (" {n} 人", " {n} "),
        no_calls_yet: &'static str = (
            "尚未叫号，请取号后耐心等候",
            "No calls yet — please take a ticket and wait",
        ),
        dashboard_title: &'static str = ("值班负责人看板", "Supervisor dashboard"),
        queues: &'static str = ("队列", "Queues"),
        queue: &'static str = ("队列", "Queue"),
        longest_wait: &'static str = ("最长等候(分)", "Longest min"),
        mean_wait: &'static str = ("平均等候(分)", "Mean wait min"),
        mean_service: &'static str = ("平均办理(分)", "Mean service min"),
        served: &'static str = ("已办结", "Served"),
        windows: &'static str = ("窗口", "Windows"),
        window: &'static str = ("窗口", "Window"),
        clerk: &'static str = ("工作人员", "Clerk"),
        serving: &'static str = ("正在办理", "Serving"),
        /// A ticket called, the worker not yet at the window.
        called: &'static str = ("已叫号", "Called"),
        idle: &'static str = ("空闲", "Idle"),
        /// "minutes" after a figure where room is short.
        min_short: &'static str = ("分", "m"),
        /// The queue table's headings when the screen is narrow.
        short_heads: [&'static str; 5] = (
            ["等候", "最长", "均等", "均办", "办结"],
            ["Wait", "Max", "Avg", "Svc", "Done"],
        ),
        /// On the title line while the alerts panel flashes.
        new_urgent: &'static str = ("‼ 新的紧急提醒", "‼ New urgent alert"),
        /// The hourly chart's title when only today's bars fit.
        arrivals_today_only: &'static str = ("今日每小时来访", "Arrivals per hour today"),
        closed: &'static str = ("未登录", "Signed out"),
        alerts: &'static str = ("需处理事项", "Needs action"),
        no_alerts: &'static str = ("暂无需处理事项", "Nothing needs action"),
        arrivals: &'static str = (
            "今日每小时来访（青色）与上周同日（灰色）",
            "Arrivals per hour: today (cyan), same weekday last week (grey)",
        ),
        today: &'static str = ("今日", "Today"),
        last_week: &'static str = ("上周同日", "Last week"),
        by_category: &'static str = ("按争议类别", "By category"),
        by_route: &'static str = ("按分流去向", "By route"),
        minutes: &'static str = ("分钟", "min"),
        too_small: &'static str = ("窗口太小，请放大终端", "Terminal too small — please enlarge it"),
        keys: &'static str = (
            "A 确认提醒  H 历史  M 移动排队号  Q 调整窗口队列  R 报表  L 访问记录  Esc 退出",
            "A acknowledge  H history  M move ticket  Q window queues  R report  L audit  Esc quit",
        ),
        /// The dashboard's banner while the database is away: `{since}` when it went, `{data}` the
        /// time of the figures still shown, `{cause}` why (for the administrator).
        db_down: &'static str = (
            "⚠ 数据库连接中断（{since} 起），画面为 {data} 的数据，恢复后自动更新。原因：{cause}",
            "⚠ Database unreachable since {since}; figures as of {data}, updated when it is back. Cause: {cause}",
        ),
        /// The hall board while the database is away: `{since}`.
        board_stale: &'static str = (
            "⚠ 叫号信息暂停更新（{since} 起），请留意窗口呼叫",
            "⚠ Calls not updating since {since}; listen for the windows",
        ),
        // The dashboard's status line and prompts
        /// `{n}`: follow-ups due.
        followups_due: &'static str = ("回访待办 {n}", "Follow-ups due {n}"),
        ask_move: &'static str = (
            "移动排队号（票号 目标队列，如 T012 Z）：",
            "Move (ticket queue, e.g. T012 Z): ",
        ),
        ask_window: &'static str = (
            "调整窗口队列（窗口号 队列，如 3 T,Z）：",
            "Window queues (number prefixes, e.g. 3 T,Z): ",
        ),
        ask_case_audit: &'static str = ("案件访问记录（案件编号）：", "Case audit (case number): "),
        ask_ack_note: &'static str = (
            "确认提醒，请写明处理情况（回车确认，Esc取消）：",
            "Acknowledge: what was done (Enter, Esc cancels): ",
        ),
        /// `{path}`: the report file that is already there.
        ask_overwrite: &'static str = (
            "{path} 已存在，覆盖吗？（y 覆盖 / 其他键取消）",
            "{path} exists. Overwrite? (y yes / any other key no)",
        ),
        console_keys: &'static str = (
            "A确认 H历史 M移票 Q窗口队列 R报表 L访问记录 ↑↓选择 Esc退出",
            "A ack  H history  M move  Q window  R report  L audit  ↑↓ select  Esc quit",
        ),
        no_history: &'static str = ("尚无已确认的提醒", "No acknowledged alert yet"),
        read_failed: &'static str = ("数据读取失败，稍后重试", "Cannot read the data; retrying"),
        writing_report: &'static str = ("正在生成本月报表…", "Writing this month's report…"),
        overwrite_cancelled: &'static str = ("已取消，未覆盖", "Cancelled; nothing overwritten"),
        nothing_to_ack: &'static str = (
            "此项随情况消除，无需确认",
            "This clears by itself; nothing to acknowledge",
        ),
        no_alert_selected: &'static str = ("没有提醒", "No alert selected"),
        history_title: &'static str = (
            " 已确认的提醒（任意键关闭） ",
            " Acknowledged alerts (any key closes) ",
        ),
        audit_title: &'static str = (" 访问记录（任意键关闭） ", " Audit (any key closes) "),
        move_format: &'static str = ("格式：票号 目标队列", "format: TICKET QUEUE"),
        window_format: &'static str = ("格式：窗口号 队列", "format: WINDOW QUEUES"),
        acknowledged: &'static str = (
            "✓ 已确认，记入历史（H 查看）",
            "✓ Acknowledged; see the history (H)",
        ),
        acknowledged_elsewhere: &'static str = (
            "已由他人确认",
            "Already acknowledged by someone else",
        ),
        // Calls, for the voice caller
        /// What a voice caller says for a call: `{t}` the ticket, `{w}` the window.
        announcement: &'static str = ("请{t}号到{w}号窗口", "Ticket {t}, please go to window {w}"),
        /// The same, with the ticket read out character by character.
        spoken: &'static str = ("请 {t} 号，到 {w} 号窗口", "Ticket {t}, please go to window {w}"),
        /// How the voice reads each digit of a ticket number.
        spoken_digits: [&'static str; 10] = (
            ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"],
            ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
        ),
        // Printers, in the alerts
        /// `{n}`: the window.
        window_printer: &'static str = ("{n}号窗口打印机", "Window {n} printer"),
        no_window_printer: &'static str = ("未指定窗口的打印", "Paper for no window"),
        /// An alert as a label and its figure: kind, subject, figure, count.
        alert: fn(AlertKind, &str, i64, i64) -> (String, String) = (zh_alert, en_alert),
    }
}

catalogue! {
    /// Text of the supervisor's sign-in screen (`onewindow supervisor`).
    pub struct SignInStrings {
        title: &'static str = ("值班负责人登录", "Supervisor sign-in"),
        staff_no: &'static str = ("工号", "Staff no."),
        pin: &'static str = ("密码", "PIN"),
        hint: &'static str = ("Tab 切换  Enter 登录  Esc 退出", "Tab switch  Enter sign in  Esc quit"),
        checking: &'static str = ("正在核验…", "Checking…"),
        opening: &'static str = ("已登录，正在打开看板…", "Signed in; opening the dashboard…"),

        /// The message shown at a sign-in field.
        notice: fn(&Notice) -> String = (
            |notice| match notice {
                Notice::StaffNoMissing => "请输入工号".into(),
                Notice::PinMissing => "请输入密码".into(),
                Notice::WrongPin { attempts_left } => {
                    format!("工号或密码错误，还可尝试 {attempts_left} 次")
                }
                Notice::LockedUntil(t) => format!("尝试次数过多，已锁定至 {}", t.format("%H:%M")),
                Notice::Unavailable => "数据库暂不可用，请稍后再试".into(),
                Notice::NoScreen(role) => format!(
                    "{}不能登录值班负责人看板：回访请使用 onewindow followup 命令",
                    role.zh()
                ),
                Notice::Failed(e) => format!("登录失败：{}", e.words(crate::i18n::Lang::Zh)),
            },
            |notice| match notice {
                Notice::StaffNoMissing => "Enter your staff number".into(),
                Notice::PinMissing => "Enter your PIN".into(),
                Notice::WrongPin { attempts_left } => {
                    format!("Wrong staff number or PIN; {attempts_left} attempts left")
                }
                Notice::LockedUntil(t) => {
                    format!("Too many attempts: locked until {}", t.format("%H:%M"))
                }
                Notice::Unavailable => "Database unavailable; try again shortly".into(),
                Notice::NoScreen(role) => format!(
                    "A {} does not sign in to the dashboard: make follow-up calls with onewindow followup",
                    role.en().to_lowercase()
                ),
                Notice::Failed(e) => format!("Sign-in failed: {}", e.words(crate::i18n::Lang::En)),
            },
        ),
    }
}

/// The dashboard's and the hall display's table in `lang`.
pub fn strings(lang: Lang) -> &'static Strings {
    Strings::get(lang)
}

/// The sign-in screen's table in `lang`.
pub fn sign_in_strings(lang: Lang) -> &'static SignInStrings {
    SignInStrings::get(lang)
}

/// The message shown at a sign-in field.
pub fn sign_in_notice(lang: Lang, notice: &Notice) -> String {
    (SignInStrings::get(lang).notice)(notice)
}

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
    (Strings::get(lang).alert)(kind, subject, figure, count)
}

fn zh_alert(kind: AlertKind, subject: &str, figure: i64, count: i64) -> (String, String) {
    let s = subject.to_string();
    match kind {
        AlertKind::Major => ("重大集体争议：启动应急联合调处".into(), s),
        AlertKind::Escalating => ("矛盾激化：请立即到场".into(), s),
        AlertKind::ChildLabor => ("童工：优先处理，必要时移送公安".into(), s),
        AlertKind::Collective => ("集体争议".into(), s),
        AlertKind::LongWait => (
            format!("超时等候 {subject}"),
            format!("{count} 人，最长 {figure} 分钟"),
        ),
        AlertKind::PrinterFault => (format!("{subject} 故障"), format!("{figure} 份待打印")),
        AlertKind::PrintBacklog => (format!("{subject} 待打印"), format!("{figure} 份")),
        AlertKind::PrintJobStopped => (
            format!("{subject} 打印已停止或未确认，请查看"),
            format!("{figure} 份"),
        ),
        AlertKind::MediationEnding if figure < 0 => (
            "调解期限已过，请告知可申请仲裁".into(),
            format!("{subject} 已过 {} 天", -figure),
        ),
        AlertKind::MediationEnding => ("调解期限将届满".into(), format!("{subject} {figure} 天内")),
        AlertKind::LimitationNear => ("仲裁时效将届满".into(), format!("{subject} {figure} 天内")),
        AlertKind::RepeatEmployer => (
            format!("{subject} 近期多次被反映，注意集体争议苗头"),
            format!("{figure} 件"),
        ),
    }
}

fn en_alert(kind: AlertKind, subject: &str, figure: i64, count: i64) -> (String, String) {
    let s = subject.to_string();
    match kind {
        AlertKind::Major => (
            "Major collective dispute: joint emergency handling".into(),
            s,
        ),
        AlertKind::Escalating => ("Escalating: attend now".into(), s),
        AlertKind::ChildLabor => ("Child labour: priority".into(), s),
        AlertKind::Collective => ("Collective dispute".into(), s),
        AlertKind::LongWait => (
            format!("Over target: {subject}"),
            format!("{count} waiting, longest {figure} min"),
        ),
        AlertKind::PrinterFault => (format!("{subject} fault"), format!("{figure} jobs pending")),
        AlertKind::PrintBacklog => (format!("{subject} pending"), format!("{figure} jobs")),
        AlertKind::PrintJobStopped => (
            format!("{subject}: print jobs stopped or unconfirmed"),
            format!("{figure} jobs"),
        ),
        AlertKind::MediationEnding if figure < 0 => (
            "Mediation period over: tell the worker about arbitration".into(),
            format!("{subject} {} days ago", -figure),
        ),
        AlertKind::MediationEnding => (
            "Mediation period ends".into(),
            format!("{subject} in {figure} days"),
        ),
        AlertKind::LimitationNear => (
            "Limitation ends".into(),
            format!("{subject} in {figure} days"),
        ),
        AlertKind::RepeatEmployer => (
            format!("{subject}: named in recent cases, possible collective dispute"),
            format!("{figure} cases"),
        ),
    }
}

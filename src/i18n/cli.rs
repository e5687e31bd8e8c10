//! What the commands print for a person (`intake`, `queue`, `case`, `db`, `print`, `followup`,
//! `report`, `seed`, sign-in) and how an error reads, in the command's `--lang`. `--json` output
//! keeps codes and never comes here.
//!
//! [`Strings`] holds the sentences, headings and labels; [`Errors`] the wording of each
//! `AppError` and of the messages the application builds (`AppError::words` picks from it, so the
//! kiosk's and the dashboard's status lines say what the commands say).

use super::{Lang, catalogue};

catalogue! {
    #[derive(Debug)]
    pub struct Strings {
        // Shared.
        list_sep: &'static str = ("、", ", "),
        clause_sep: &'static str = ("；", "; "),
        colon: &'static str = ("：", ": "),
        none: &'static str = ("（无）", "(none)"),
        not_a_window_number: &'static str = ("--window {n}：不是窗口号", "--window {n}: not a window number"),
        window_n: &'static str = ("窗口 {n}", "window {n}"),
        case_n: &'static str = ("案件 {no}", "case {no}"),
        no_case: &'static str = ("没有案件 {no}", "no case {no}"),
        staff: &'static str = ("工号", "staff"),
        window: &'static str = ("窗口", "window"),

        // print …
        print_job_n: &'static str = ("打印任务 {id}", "print job {id}"),
        job_due_now: &'static str = ("打印任务 {id} 已重新排队，现在打印", "print job {id} is due now"),
        job_confirmed: &'static str = ("打印任务 {id} 已标记为已打出", "print job {id} marked printed (已打出)"),
        job_moved_to: &'static str = ("打印任务 {id} 改由窗口 {window} 的打印机打印", "print job {id} now prints at window {window}"),
        job_moved_first_free: &'static str = ("打印任务 {id} 改由第一台空闲的打印机打印", "print job {id} now prints at the first printer free"),
        job_reprint_queued: &'static str = ("打印任务 {new} 已排队（补打自 {id}）", "print job {new} queued (reprint of {id})"),
        job_printed: &'static str = ("打印任务 {id} 已打印", "print job {id} printed"),
        job_left_pending: &'static str = ("打印任务 {id} 仍待打印：{error}", "print job {id} left pending: {error}"),
        job_unconfirmed: &'static str = (
            "打印任务 {id} 未确认是否打出：{error}；请查看纸张，已打出用 `print confirm {id}`（已打出），未打出用 `print retry {id}`（补打）",
            "print job {id} unconfirmed: {error}; check the paper, then `print confirm {id}` (已打出) or `print retry {id}` (补打)",
        ),
        job_stopped: &'static str = ("打印任务 {id} 已停止：{error}", "print job {id} stopped: {error}"),
        nothing_due: &'static str = ("没有待打印的任务", "nothing due to print"),
        needs_database: &'static str = ("此命令需要数据库（未配置打印队列）", "this command needs the database (no print spool configured)"),
        preview_needs_case: &'static str = ("需要案件编号或 --sample", "a case number or --sample is needed"),
        preview_needs_database: &'static str = ("预览已登记的案件需要数据库", "previewing a stored case needs the database"),
        preview_stored_layouts: &'static str = ("已登记的案件只能以 --layout receipt 或 referral 预览", "a stored case previews as --layout receipt or referral"),
        printer_before: &'static str = ("打印前打印机状态：{status}", "printer status before: {status}"),
        test_not_printed: &'static str = ("测试页未打印：{error}", "test page not printed: {error}"),
        test_sent: &'static str = (
            "测试页已发送到 {to}（{bytes} 字节，打印机配置 {profile}）；打印后打印机状态：{status}",
            "test page sent to {to} ({bytes} bytes, profile {profile}); printer status after: {status}",
        ),
        test_fault_after: &'static str = ("测试页打印后打印机报告故障：{status}", "printer reports a fault after the test page: {status}"),
        history_at: &'static str = ("时间 (+08:00)", "at (+08:00)"),
        history_outcome: &'static str = ("结果", "outcome"),
        history_bytes: &'static str = ("字节", "bytes"),
        error: &'static str = ("错误", "error"),
        jobs_id: &'static str = ("编号", "id"),
        jobs_kind: &'static str = ("种类", "kind"),
        jobs_state: &'static str = ("状态", "state"),
        jobs_try: &'static str = ("次", "try"),
        jobs_created: &'static str = ("创建 (+08:00)", "created (+08:00)"),
        jobs_reprint_of: &'static str = ("补打自", "reprint of"),

        // queue …
        call_refused: &'static str = ("{op}：拒绝：窗口人员只能在自己登录的窗口叫号", "{op}: refused: a clerk calls at the window they are signed in at"),
        ticket_refused: &'static str = (
            "{op}：拒绝：窗口人员只能办理自己登录窗口上的排队号（{no} {where}）",
            "{op}: refused: a clerk acts on the ticket held at the window their kiosk is signed in at ({no} is {where})",
        ),
        at_another_window: &'static str = ("在其他窗口", "at another window"),
        at_no_window: &'static str = ("不在任何窗口", "at no window"),
        ticket_of_day: &'static str = ("{day} 的排队号 {no}", "ticket {no} of {day}"),
        nobody_waiting: &'static str = ("窗口 {window}：无人等候", "window {window}: nobody waiting"),
        window_still_holds: &'static str = (
            "窗口 {window} 还有 {ticket} 未办结：请先办结、标记过号或转移",
            "window {window} still holds {ticket}: finish, mark no-show or transfer it first",
        ),
        priority: &'static str = ("优先", "priority"),
        issued: &'static str = ("出号", "issued"),
        outcome: &'static str = ("结果", "outcome"),
        transfer_reason: &'static str = ("转移原因", "transfer:"),
        state_or_all: &'static str = ("--state：{error}，或 all", "--state: {error}, or all"),

        // case …
        audit_heading: &'static str = ("案件访问与操作记录", "Audit of case"),
        case: &'static str = ("案件", "Case"),
        registered: &'static str = ("登记", "registered"),
        applicant: &'static str = ("申请人", "Applicant"),
        counterparty: &'static str = ("被申请人", "Counterparty"),
        route: &'static str = ("分流", "Route"),
        referred_to: &'static str = ("转介至", "Referred to"),
        flags: &'static str = ("标记", "Flags"),
        also: &'static str = ("同时可", "Also"),
        ticket: &'static str = ("排队号", "Ticket"),
        print_job: &'static str = ("打印任务", "Print job"),
        attempts: &'static str = ("尝试次数", "attempts"),
        history: &'static str = ("办理记录", "History"),
        followup: &'static str = ("回访", "follow-up"),
        in_full: &'static str = ("（完整）", " (in full)"),

        // intake
        intake_case: &'static str = ("案件编号", "case"),
        intake_ticket: &'static str = ("排队号", "ticket"),
        intake_ahead: &'static str = ("前面等候 {n} 人", "{n} ahead"),
        intake_no_queue: &'static str = ("无（本中心无此队列）", "none (no local queue)"),
        intake_route: &'static str = ("分流", "route"),
        intake_referral: &'static str = ("转介", "referral to"),
        intake_flags: &'static str = ("标记", "flags"),
        intake_also: &'static str = ("同时可", "also"),
        intake_paper: &'static str = ("待打印", "paper queued"),
        intake_site_refused: &'static str = (
            "{file}：登记的案件文件中不能有 [site]（只有 `classify` 读它）；站点设置来自配置",
            "{file}: [site] is not allowed in a case to register (it is read by `classify` only); site settings come from the configuration",
        ),
        intake_blocked: &'static str = ("{file}：未登记：{n} 处填写有误", "{file}: not registered: {n} validation error(s)"),
        intake_not_registered: &'static str = ("未登记（没有保存任何内容）", "the intake was not registered (nothing was stored)"),

        // db …
        db_up_to_date: &'static str = ("数据库 {url} 已是最新；站点 {site} 的队列：{queues}", "database {url} is up to date; site {site} has queues {queues}"),
        db_no_site: &'static str = (
            "数据库 {url} 已是最新；尚未设置站点：请先启动窗口终端（`onewindow`）完成首次设置",
            "database {url} is up to date; no site yet: start the kiosk (`onewindow`) for the first-run set-up",
        ),
        db_unknown_route: &'static str = ("--routes：未知的分流 {route}", "--routes: unknown route {route}"),
        db_window_range: &'static str = ("窗口 {n}：窗口号为 1 到 999", "window {n}: a window number is 1 to 999"),
        db_window_saved: &'static str = ("窗口 {n} {name}: {routes}", "window {n} {name}: {routes}"),
        db_restored: &'static str = ("已从 {from} 恢复 {url}：{contents}", "restored {url} from {from}: {contents}"),
        db_backed_up: &'static str = ("{url} 已备份到 {to}：{contents}", "backup of {url} written to {to}: {contents}"),
        db_contents: &'static str = ("案件 {cases} 件，排队号 {tickets} 个，记录 {audit} 条", "{cases} cases, {tickets} tickets, {audit} audit entries"),
        db_purge_would: &'static str = ("{before} 前结案的 {n} 件案件（保存期限 {years} 年）将被匿名化", "{n} case(s) closed before {before} (retention {years} years) would be anonymised"),
        db_purged: &'static str = ("{before} 前结案的 {n} 件案件（保存期限 {years} 年）已匿名化", "{n} case(s) closed before {before} (retention {years} years) anonymised"),
        db_restore_opens: &'static str = ("db restore 不打开数据库运行", "db restore runs without opening the database"),
        staff_first_needed: &'static str = (
            "此数据库还没有工作人员：第一位须是设有 PIN 的值班负责人，例如 `onewindow db staff 9001 姓名 --role supervisor --set-pin`",
            "this database has no staff yet: the first is a supervisor with a PIN, e.g. `onewindow db staff 9001 NAME --role supervisor --set-pin`",
        ),
        staff_first_raced: &'static str = (
            "db staff {no}：数据库已有工作人员（刚刚已创建了第一位值班负责人）：请用 --staff 以值班负责人身份登录",
            "db staff {no}: the database has staff now (a first supervisor was created meanwhile): sign in as a supervisor with --staff",
        ),
        staff_needs_name: &'static str = ("工作人员 {no}：新工作人员需要姓名", "staff {no}: a new staff member needs a name"),
        staff_nothing: &'static str = (
            "db staff {no}：没有要做的（请给出姓名、--role、--set-pin、--deactivate、--reactivate 或 --unlock）",
            "db staff {no}: nothing to do (give a NAME, --role, --set-pin, --deactivate, --reactivate or --unlock)",
        ),
        staff_saved: &'static str = ("已保存（{role}）", "saved ({role})"),
        staff_reactivated: &'static str = ("已恢复", "reactivated"),
        staff_deactivated: &'static str = ("已停用", "deactivated"),
        staff_unlocked: &'static str = ("已解除锁定", "unlocked"),
        staff_was_not_locked: &'static str = ("未被锁定", "was not locked"),
        staff_done: &'static str = ("工作人员 {no} {done}（站点 {site}）", "staff {no} {done} at site {site}"),
        staff_done_sep: &'static str = ("，", ", "),

        // Signing in.
        pin_prompt: &'static str = ("{no} 的 PIN：", "PIN for {no}: "),
        new_pin_prompt: &'static str = ("{no} 的新 PIN：", "new PIN for {no}: "),
        sign_in_first: &'static str = (
            "{op}：请先登录：--staff 工号并输入 PIN（会询问，或用 --pin-stdin）；需要权限 {code}（{permission}）",
            "{op}: sign in first: --staff NO with your PIN (asked for, or --pin-stdin); it needs permission {code} ({permission})",
        ),
        permission_refused: &'static str = (
            "{op}：拒绝：需要权限 {code}（{permission}），持有该权限的角色：{roles}",
            "{op}: refused: it needs permission {code} ({permission}), held by: {roles}",
        ),
        /// A role holding a permission (English names the role's code, as `--role` takes it).
        role_of: fn(crate::domain::StaffRole) -> String = (|r| r.zh().to_string(), |r| r.code().to_string()),
        role_sep: &'static str = ("、", ", "),
        pin_stdin_unreadable: &'static str = ("--pin-stdin：无法读取标准输入", "--pin-stdin: cannot read standard input"),
        no_terminal_for_pin: &'static str = (
            "没有可输入 PIN 的终端：请用 --pin-stdin 从标准输入给出",
            "no terminal to ask the PIN at: give it on standard input with --pin-stdin",
        ),
        cancelled: &'static str = ("已取消", "cancelled"),

        // followup …
        note: &'static str = ("备注", "note"),
        followup_case: &'static str = ("案件", "case"),
        unreachable_calls: &'static str = ("已拨 {n} 次未接通", "{n} unreachable call(s)"),
        no_followup_due: &'static str = ("暂无待回访案件", "no follow-up due"),
        no_followup_recorded: &'static str = ("暂无回访记录", "no follow-up recorded"),
        not_followed_up: &'static str = (
            "无需回访（只回访调解成功、已转介或转介去向的案件）",
            "not followed up (only cases mediated, referred or routed to a referral are)",
        ),
        due_from: &'static str = ("回访时间自", "due from"),
        phone: &'static str = ("电话", "phone"),
        followup_done: &'static str = ("回访已完成", "follow-up done"),
        followup_open: &'static str = ("回访未完成", "follow-up open"),
        followup_recorded: &'static str = ("已登记案件 {no} 的回访：{result}", "follow-up of {no} recorded: {result}"),

        // report, seed
        report_format: &'static str = ("--format {format}：应为 csv、xlsx 或 json", "--format {format}: expected csv, xlsx or json"),
        report_to_before_from: &'static str = ("--to {to} 早于 --from {from}", "--to {to} is before --from {from}"),
        report_too_long: &'static str = ("--from {from} --to {to}：报表最多覆盖 {max} 天", "--from {from} --to {to}: a report covers at most {max} days"),
        report_xlsx_needs_out: &'static str = ("--format xlsx 写入文件：请加上 --out 文件.xlsx", "--format xlsx writes a file: add --out FILE.xlsx"),
        cannot_write: &'static str = ("无法写入 {path}", "cannot write {path}"),
        seed_month: &'static str = ("--month {month}：应为 YYYY-MM", "--month {month}: expected YYYY-MM"),
        seeded: &'static str = (
            "已生成 {month} 的 {cases} 件案件和 {tickets} 个排队号，用时 {secs} 秒",
            "seeded {cases} cases and {tickets} tickets in {month} in {secs} s",
        ),
        classify_no_calendars: &'static str = (
            "{file}：案件文件中不能有 [site] holiday_calendars；节假日日历来自配置（site.holiday_calendars）",
            "{file}: [site] holiday_calendars is not allowed in an intake file; calendars come from the configuration (site.holiday_calendars)",
        ),
        classify_bad_at: &'static str = (
            "--at `{at}`：不是 RFC 3339 时间（{error}）；例如 2025-03-10T09:30:00+08:00",
            "--at `{at}`: not an RFC 3339 time ({error}); e.g. 2025-03-10T09:30:00+08:00",
        ),
        at_not_rfc3339: &'static str = ("--at {at}：不是 RFC 3339 时间（例如 2026-03-10T09:30:00+08:00）", "--at {at}: not an RFC 3339 time (e.g. 2026-03-10T09:30:00+08:00)"),
    }
}

catalogue! {
    /// How an `AppError` reads, and the messages the application builds for a person. The
    /// English is the `Display` text of the error (logs stay in English).
    #[derive(Debug)]
    pub struct Errors {
        bad_credentials: &'static str = ("工号或 PIN 不正确；还可尝试 {n} 次", "wrong staff number or PIN; {n} attempts left"),
        locked_out: &'static str = ("已锁定至 {until}", "locked until {until}"),
        not_signed_in: &'static str = ("请先登录：给出工号（--staff 工号）和 PIN", "sign in first: give your staff number (--staff NO) and your PIN"),
        forbidden: &'static str = ("此角色无权执行", "not allowed for this role"),
        no_screen: &'static str = (
            "{role}不在此屏幕登录：请使用 `onewindow followup`",
            "{role} does not sign in at this screen: use `onewindow followup`",
        ),
        not_found: &'static str = ("未找到", "not found"),
        blocked: &'static str = ("未登记：记录中有 {n} 处错误", "not registered: {n} error(s) in the record"),
        queue_empty: &'static str = ("无人等候", "no ticket is waiting"),
        window_busy: &'static str = ("本窗口还有排队号 {ticket} 未办结", "this window still holds ticket {ticket}"),
        invalid_state: &'static str = ("当前状态下不能这样做", "not allowed in this state"),
        still_printing: &'static str = ("仍在打印队列中", "still in the print queue"),
        not_set_up: &'static str = (
            "站点尚未设置：请先启动窗口终端（`onewindow`）完成首次设置，或在 onewindow.toml 中设置站点（[site] code = \"ZZ01\"，或 --set site.code=ZZ01）",
            "the site is not set up yet: start the kiosk (`onewindow`) once for the first-start set-up, or name the site in onewindow.toml ([site] code = \"ZZ01\", or --set site.code=ZZ01)",
        ),
        unavailable: &'static str = ("数据库不可用", "database unavailable"),

        // Follow-up (app::followup).
        followup_not_followed_up: &'static str = (
            "案件 {no} 无需回访：只有调解成功、已转介或转介去向的案件回访",
            "case {no} is not followed up: only cases mediated, referred or routed to a referral are",
        ),
        followup_not_due: &'static str = ("案件 {no} 尚未到回访时间：{due} 起可回访", "case {no} is not due for follow-up until {due}"),
        followup_already: &'static str = (
            "案件 {no} 已回访（{when}，{what}，工号 {who}），不能重复登记",
            "the follow-up of case {no} is already recorded ({when}, {what}, staff {who}); it is not recorded twice",
        ),
        followup_satisfied_without_contact: &'static str = (
            "只有联系上的回访才能登记是否满意（--satisfied 只用于 --result reached）",
            "only a worker who was reached can say whether they are satisfied (--satisfied goes with --result reached)",
        ),
        followup_note_too_long: &'static str = ("备注过长（最多 500 字）", "the note is too long (500 characters at most)"),
        followup_note_controls: &'static str = ("备注含有控制字符", "the note contains control characters"),
        followup_recorded_label: &'static str = ("已回访", "Recorded"),
        satisfied: &'static str = ("满意", "Satisfied"),
        list_sep: &'static str = ("、", ", "),

        cannot_open_database: &'static str = ("无法打开数据库 {url}", "cannot open the database {url}"),
        printer_profile: &'static str = ("打印机配置 {profile}", "printer profile {profile}"),

        // Built by the application (app::data, printing, queue, site, supervision, setup).
        retention_unset: &'static str = (
            "未设置保存期限：请在配置中加上 data.retention_years（结案后保存的年数）；没有它不会删除任何内容",
            "no retention period is set: add data.retention_years (years after a case closes) to the configuration; nothing is deleted without it",
        ),
        retention_too_far: &'static str = ("data.retention_years {years}：年数过大", "data.retention_years {years}: too far"),
        override_needs_target: &'static str = (
            "改为转介时须写明转介去向（劳动者去哪里）",
            "an override to a referral needs its referral target (where the worker goes)",
        ),
        window_not_set_up: &'static str = ("窗口 {n} 尚未设置：`onewindow db window {n}`", "window {n} is not set up: `onewindow db window {n}`"),
        staff_unknown: &'static str = (
            "工号 {no}：请先用 `onewindow db staff {no} 姓名` 添加该工作人员",
            "staff {no}: add the staff member with `onewindow db staff {no} NAME`",
        ),
        ticket_no_paper: &'static str = ("排队号 {no} 没有可再次打印的纸张", "ticket {no} has no paper to print again"),
        job_already_printed: &'static str = (
            "打印任务 {id} 已打印；要再打一份请用 `print reprint {id}`",
            "print job {id} was already printed; use `print reprint {id}` to print it again",
        ),
        job_not_unconfirmed: &'static str = ("打印任务 {id} 的状态是“{state}”，不是“可能未打出”", "print job {id} is {state}, not unconfirmed"),
        /// A print state as [`Errors::job_not_unconfirmed`] names it (English: its code, as before).
        state_word: fn(crate::domain::PrintState) -> &'static str = (|s| s.zh(), |s| s.code()),
        transfer_needs_reason: &'static str = ("转移须写明原因", "a transfer needs a reason"),
        no_queue_prefix: &'static str = (
            "站点 {site} 没有前缀为 {prefix} 的队列（现有队列：{queues}）",
            "no queue with prefix {prefix} at site {site} (queues: {queues})",
        ),
        several_sites: &'static str = ("数据库中有多个站点（{codes}）；请用 site.code 指定一个", "the database holds several sites ({codes}); name one with site.code"),
        ack_needs_note: &'static str = ("确认处理时须写明做了什么（备注）", "an acknowledgement says what was done (a note)"),
        ack_note_plain: &'static str = ("备注最多 500 字，且只能是普通文字", "the note is at most 500 characters of plain text"),
        window_needs_queue: &'static str = ("一个窗口至少办理一个队列", "a window serves at least one queue"),
        last_supervisor: &'static str = (
            "工号 {no} 是最后一位在岗的值班负责人：请先添加另一位值班负责人",
            "staff {no} is the last active supervisor: add another supervisor first",
        ),
        window_numbers_range: &'static str = ("窗口号为 1 到 999，至少一个", "window numbers are 1 to 999, at least one"),
        pin_format: &'static str = ("密码须为4至12位数字", "a PIN is 4 to 12 digits"),
        /// A label the domain refused (its reason is given in English only).
        bad_staff_number: &'static str = ("工号{problem}", "staff number: {problem}"),
        bad_staff_name: &'static str = ("姓名{problem}", "staff name: {problem}"),
        bad_site_name: &'static str = ("中心名称{problem}", "site name: {problem}"),
        bad_window_name: &'static str = ("窗口名称{problem}", "window name: {problem}"),
        label_empty: &'static str = ("不能为空", "must not be empty"),
        label_hidden: &'static str = ("含有不可见或控制字符 {code}", "holds the invisible or control character {code}"),
        label_too_long: &'static str = ("有 {n} 个字，最多 {max} 个", "is {n} characters long; at most {max}"),

        // The first-start set-up form (app::setup).
        setup_site_name: fn(&str) -> String = (|_| "中心名称含有不可见或控制字符，或超过64字".to_string(), |e| format!("site name: {e}")),
        setup_staff_number: fn(&str) -> String = (|_| "工号含有不可见或控制字符，或超过32字".to_string(), |e| format!("staff number: {e}")),
        setup_name: fn(&str) -> String = (|_| "姓名含有不可见或控制字符，或超过64字".to_string(), |e| format!("name: {e}")),
        setup_supervisor_no: &'static str = ("请填写负责人工号", "enter the supervisor's staff number"),
        setup_supervisor_name: &'static str = ("请填写负责人姓名", "enter the supervisor's name"),
        setup_pins_differ: &'static str = ("两次输入的密码不一致", "the two PINs differ"),
        setup_site_code: &'static str = ("中心代码须为2至8位大写字母或数字，如 ZZ01", "the site code is 2 to 8 capital letters or digits, e.g. ZZ01"),
        setup_windows: &'static str = ("窗口号为1至999的数字，用逗号分隔，如 1,2", "window numbers are 1 to 999, separated by commas, e.g. 1,2"),
        not_satisfied: &'static str = ("不满意", "Not satisfied"),
    }
}

/// The command line's table in `lang`.
pub fn strings(lang: Lang) -> &'static Strings {
    Strings::get(lang)
}

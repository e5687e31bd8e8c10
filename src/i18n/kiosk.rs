//! Every piece of text the kiosk (the clerk's screens) shows, each with its Chinese and English
//! side by side. Code labels (routes, categories, …) come from `domain::codes`; validation
//! messages by code from [`super::problems`]. Templates name their blanks (`{n}`, `{t}`) and are
//! filled with [`crate::i18n::fill`].

use super::catalogue;
use crate::app::CaseEvent;
use crate::domain::Lang;
use crate::tui::form::FieldId;

catalogue! {
    pub struct Strings {
        app_title: &'static str = ("劳动人事争议一站式受理窗口", "Labour Dispute One-Stop Window"),
        screen_setup: &'static str = ("首次设置", "First-run set-up"),
        screen_sign_in: &'static str = ("登录", "Sign in"),
        screen_intake: &'static str = ("登记", "Intake"),
        screen_ticket: &'static str = ("排队号", "Ticket"),
        screen_queue: &'static str = ("排队叫号", "Queue"),
        screen_case: &'static str = ("案件", "Case"),
        screen_search: &'static str = ("查询", "Search"),
        demo_badge: &'static str = ("演示", "DEMO"),
        // Status line
        db: &'static str = ("数据库", "DB"),
        db_connected: &'static str = ("已连接", "connected"),
        db_reconnecting: &'static str = ("重新连接中", "reconnecting"),
        db_unknown: &'static str = ("—", "—"),
        printer: &'static str = ("打印机", "Printer"),
        printer_ready: &'static str = ("就绪", "ready"),
        printer_paper_out: &'static str = ("缺纸", "paper out"),
        printer_offline: &'static str = ("离线", "offline"),
        printer_pending: &'static str = ("待打印{n}", "{n} pending"),
        window: &'static str = ("窗口", "Window"),
        not_signed_in: &'static str = ("未登录", "not signed in"),
        supervisor: &'static str = ("值班负责人", "supervisor"),
        // Terminal
        too_small: &'static str = (
            "终端窗口太小：至少需要 {w}×{h}，当前 {cw}×{ch}。请放大窗口。",
            "Terminal too small: needs at least {w}×{h}, now {cw}×{ch}. Please enlarge it.",
        ),
        help_title: &'static str = ("按键说明", "Keys"),
        help_close: &'static str = ("按 Esc 或 F1 关闭", "Esc or F1 closes"),
        help_keys: &'static [(&'static str, &'static str)] = (
            &[
                ("F1 / ?", "打开或关闭本说明（? 仅在非输入状态）"),
                ("F2", "新登记（登记表）"),
                ("F3", "排队叫号"),
                ("F4", "查询案件"),
                ("F9", "退出登录"),
                ("Ctrl-Q", "退出程序（草稿自动保存）"),
                ("Tab / ↓", "下一项；Shift-Tab / ↑ 上一项"),
                ("PgDn / PgUp", "下一部分 / 上一部分"),
                ("Enter", "文本项：下一项；选择项：打开列表"),
                ("1–9", "选择项：直接选第几项；类别可输入两位编号（03）"),
                ("y / n / 退格", "是 / 否 / 未填"),
                ("Ctrl-N / Ctrl-D", "添加 / 删除请求事项"),
                ("F7", "改派去向（须填写原因）"),
                ("F10 / Ctrl-S", "提交登记、出号"),
                ("Esc", "放弃本次登记（先确认）"),
                ("Alt-↑ / Alt-↓", "滚动分流建议"),
                ("n r x s", "排队：叫号 重呼 过号 开始办理"),
                ("t f p Enter", "排队：转移 办结 补打 查看案件"),
            ],
            &[
                ("F1 / ?", "this help (? only when not typing)"),
                ("F2", "new intake form"),
                ("F3", "queue"),
                ("F4", "search cases"),
                ("F9", "sign out"),
                ("Ctrl-Q", "quit (the draft is kept)"),
                ("Tab / ↓", "next field; Shift-Tab / ↑ previous"),
                ("PgDn / PgUp", "next / previous section"),
                ("Enter", "text: next field; picker: open list"),
                (
                    "1–9",
                    "picker: choose item n; categories take two digits (03)",
                ),
                ("y / n / Bksp", "yes / no / not given"),
                ("Ctrl-N / Ctrl-D", "add / remove a claim"),
                ("F7", "override the route (reason required)"),
                ("F10 / Ctrl-S", "submit and issue the ticket"),
                ("Esc", "discard this intake (asks first)"),
                ("Alt-↑ / Alt-↓", "scroll the decision panel"),
                ("n r x s", "queue: call next, recall, no-show, start"),
                ("t f p Enter", "queue: transfer, finish, reprint, view case"),
            ],
        ),
        busy: &'static str = ("处理中…", "working…"),
        // Set-up
        setup_intro: &'static str = (
            "首次使用：请设置本中心信息和第一位值班负责人。",
            "First start: set up this centre and its first supervisor.",
        ),
        setup_fields: [&'static str; 7] = (
            [
                "中心代码",
                "中心名称",
                "窗口号（逗号分隔）",
                "负责人工号",
                "负责人姓名",
                "负责人密码",
                "确认密码",
            ],
            [
                "Site code",
                "Site name",
                "Windows (comma list)",
                "Supervisor no.",
                "Supervisor name",
                "Supervisor PIN",
                "PIN again",
            ],
        ),
        setup_hint: &'static str = ("Tab 下一项  Enter 完成设置", "Tab next field  Enter finish set-up"),
        setup_incomplete: &'static str = (
            "请按红字提示更正后再按 Enter",
            "Correct the items in red, then press Enter",
        ),
        // Sign-in
        staff_no: &'static str = ("工号", "Staff no."),
        pin: &'static str = ("密码", "PIN"),
        sign_in_hint: &'static str = (
            "Tab 切换  Enter 登录  Ctrl-Q 退出",
            "Tab switch  Enter sign in  Ctrl-Q quit",
        ),
        demo_credentials: &'static str = (
            "演示账号：工号 1001，密码 123456",
            "Demo: staff no. 1001, PIN 123456",
        ),
        bad_pin: &'static str = (
            "工号或密码错误，还可尝试{n}次",
            "Wrong staff number or PIN; {n} attempts left",
        ),
        locked_out: &'static str = (
            "尝试次数过多，已锁定至 {t}，请联系值班负责人",
            "Too many attempts: locked until {t}; ask the supervisor",
        ),
        /// A role with no kiosk (a follow-up caller) signed in with the right PIN.
        no_screen: fn(crate::domain::StaffRole) -> String = (
            |role| format!("{}不在窗口登录：回访请使用 onewindow followup 命令", role.zh()),
            |role| format!(
                "A {} does not sign in at a window: make follow-up calls with onewindow followup",
                role.en().to_lowercase()
            ),
        ),
        idle_locked: &'static str = (
            "长时间未操作，屏幕已锁定，请重新输入密码",
            "Locked after inactivity: enter the PIN again",
        ),
        signed_out: &'static str = ("已退出登录", "Signed out"),
        // Intake form
        sections: [&'static str; 5] = (
            ["申请人", "被申请人", "用工情况", "争议情况", "请求事项"],
            [
                "Applicant",
                "Counterparty",
                "Employment",
                "Dispute",
                "Claims",
            ],
        ),
        yes: &'static str = ("是", "yes"),
        no: &'static str = ("否", "no"),
        not_given: &'static str = ("未填", "not given"),
        none_chosen: &'static str = ("未选", "none"),
        add_claim: &'static str = ("＋ 添加请求事项", "+ add a claim"),
        claim_row: &'static str = ("请求{n}", "Claim {n}"),
        decision_title: &'static str = ("分流建议", "Routing"),
        route: &'static str = ("去向", "Route"),
        referral_to: &'static str = ("转介至", "Refer to"),
        flags: &'static str = ("标记", "Flags"),
        also: &'static str = ("同时", "Also"),
        deadlines: &'static str = ("期限", "Deadlines"),
        reasons: &'static str = ("依据", "Basis"),
        queue_suffix: &'static str = ("（号段 {q}）", " (queue {q})"),
        colon: &'static str = ("：", ": "),
        transfer_reason: &'static str = ("转移原因", "Reason"),
        blocked: &'static str = ("有{n}项错误待更正", "{n} errors to correct"),
        warnings_n: &'static str = ("{n}项提示", "warnings: {n}"),
        overridden: &'static str = ("已改派：{r}（原因：{why}）", "Overridden: {r} (reason: {why})"),
        override_title: &'static str = ("改派去向", "Override route"),
        override_reason: &'static str = ("改派原因", "Reason"),
        override_hint: &'static str = (
            "数字选去向  Enter 确认  Esc 取消  Del 撤销改派",
            "digit picks route  Enter confirm  Esc cancel  Del undo override",
        ),
        override_needs_reason: &'static str = ("改派须填写原因", "An override needs a reason"),
        submit_blocked: &'static str = (
            "尚有{n}项错误，不能提交：已跳到第一项",
            "{n} errors left, cannot submit: moved to the first",
        ),
        submit_failed: &'static str = (
            "提交未成功（{e}），内容已保留，可再次提交",
            "Submit failed ({e}); the form is kept, try again",
        ),
        intake_hint: &'static str = (
            "Tab下一项 PgDn下一部分 Enter列表 F7改派 F10提交 F1帮助",
            "Tab next PgDn section Enter list F7 override F10 submit F1 help",
        ),
        intake_hint_short: &'static str = (
            "Tab下一项 PgDn下一部分 F10提交 F1帮助",
            "Tab next PgDn section F10 submit F1 help",
        ),
        picker_hint: &'static str = (
            "↑↓选择 空格勾选 Enter确定 Esc取消",
            "↑↓ move  Space toggle  Enter choose  Esc cancel",
        ),
        draft_found: &'static str = (
            "发现未提交的草稿（{t}，工号{staff}）。Y 恢复 / N 丢弃",
            "Unsubmitted draft found ({t}, staff {staff}). Y restore / N discard",
        ),
        draft_restored: &'static str = ("草稿已恢复", "Draft restored"),
        draft_damaged: &'static str = (
            "草稿文件已损坏，已另存为 {p}",
            "The draft file was damaged; kept as {p}",
        ),
        draft_save_failed: &'static str = ("草稿保存失败：{e}", "Draft not saved: {e}"),
        // Ticket
        ticket_title: &'static str = ("请取排队号", "Please take your ticket"),
        people_ahead: &'static str = ("前面还有 {n} 人", "{n} people ahead"),
        case_no: &'static str = ("案件编号", "Case no."),
        no_ticket: &'static str = (
            "转介：本窗口不排队，已打印告知书",
            "Referral: no queue here; the referral notice was printed",
        ),
        ticket_hint: &'static str = (
            "Enter/F2 登记下一位  F3 排队  p 补打",
            "Enter/F2 next intake  F3 queue  p reprint",
        ),
        printing: &'static str = ("已送打印", "sent to printer"),
        // Queue
        queue_headers: [&'static str; 6] = (
            ["排队号", "去向", "等候", "标记", "申请人", "状态"],
            ["Ticket", "Route", "Wait", "Flags", "Applicant", "State"],
        ),
        queue_empty: &'static str = ("暂无等候", "Nobody waiting"),
        queue_unknown: &'static str = (
            "等候情况未知：数据库不可用，恢复后自动刷新",
            "Waiting list unknown: the database is away; it refreshes when it is back",
        ),
        call_refused_unavailable: &'static str = (
            "未叫号：数据库不可用，恢复后请重新叫号",
            "No ticket called: the database is away; call again when it is back",
        ),
        queue_hint: &'static str = (
            "n叫号 r重呼 x过号 s开始 t转移 f办结 p补打 Enter查看 F2登记",
            "n call r recall x no-show s start t transfer f finish p reprint Enter view",
        ),
        minutes: &'static str = ("{n}分", "{n} min"),
        called: &'static str = ("请 {t} 号到 {w} 号窗口", "Ticket {t} to window {w}"),
        queue_is_empty: &'static str = ("没有等候的号", "No ticket is waiting"),
        not_allowed: &'static str = ("当前状态不能进行此操作", "Not possible in this state"),
        still_printing: &'static str = (
            "该单据还在打印队列中，打印机就绪后会自动打出，无需补打",
            "This paper is still in the print queue and prints when the printer is ready; no reprint needed",
        ),
        /// `{t}`: the ticket this window still holds.
        window_busy: &'static str = (
            "本窗口还有 {t} 未办结：请先办结、过号或转移",
            "This window still holds {t}: finish, mark no-show or transfer it first",
        ),
        nothing_held: &'static str = (
            "本窗口没有已叫号的排队号：按 n 叫号",
            "No ticket is called to this window: press n to call the next",
        ),
        transfer_title: &'static str = ("转移到", "Transfer to"),
        transfer_hint: &'static str = (
            "数字选去向  输入原因  Enter 确认  Esc 取消",
            "digit picks route  type reason  Enter confirm  Esc cancel",
        ),
        transferred: &'static str = ("已转移，新号 {t}", "Transferred, new ticket {t}"),
        finish_title: &'static str = ("办结结果", "Outcome"),
        reprint_title: &'static str = ("补打", "Reprint"),
        reprinted: &'static str = ("已送打印：{p}", "Sent to printer: {p}"),
        /// The question when paper was sent but the printer did not confirm it.
        unconfirmed_title: &'static str = ("{p}可能未打出", "{p} may not have printed"),
        unconfirmed_came_out_choice: &'static str = ("已打出", "It came out"),
        unconfirmed_again_choice: &'static str = ("补打", "Print it again"),
        unconfirmed_came_out: &'static str = ("已记为打出：{p}", "Recorded as printed: {p}"),
        done: &'static str = ("已完成", "Done"),
        // Confirmation
        confirm_title: &'static str = ("请确认", "Please confirm"),
        confirm_hint: &'static str = ("y/Enter 确认  n/Esc 取消", "y/Enter yes  n/Esc no"),
        confirm_discard: &'static str = (
            "放弃本次登记？已填写的内容将被清除。",
            "Discard this intake? What was typed is cleared.",
        ),
        confirm_sign_out: &'static str = (
            "登记尚未提交。退出登录？（表单留作您的草稿）",
            "The intake is not submitted. Sign out? (The form is kept as your draft.)",
        ),
        confirm_quit: &'static str = ("退出程序？（草稿自动保存）", "Quit the kiosk? (The draft is saved.)"),
        /// `{t}`: the ticket to mark.
        confirm_no_show: &'static str = ("将 {t} 记为过号？", "Mark {t} as no-show?"),
        form_discarded: &'static str = ("已放弃本次登记", "Intake discarded"),
        // Decision panel
        warnings: &'static str = ("提示", "Warnings"),
        /// `{y}`: a year the site has no holiday calendar for.
        no_calendar: &'static str = (
            "{y}年无节假日日历，期限未计节假日",
            "no holiday calendar for {y}: holidays not counted",
        ),
        panel_scroll: &'static str = ("Alt-↑↓滚动", "Alt-↑↓ scroll"),
        // Case view
        case_hint: &'static str = ("p补打 Esc返回", "p reprint  Esc back"),
        registered_at: &'static str = ("登记时间", "Registered"),
        applicant: &'static str = ("申请人", "Applicant"),
        counterparty: &'static str = ("被申请人", "Counterparty"),
        categories: &'static str = ("争议类别", "Categories"),
        history: &'static str = ("办理记录", "History"),
        state: &'static str = ("状态", "State"),
        // Search
        search_prompt: &'static str = ("案件编号 / 姓名 / 电话", "Case no. / name / phone"),
        search_headers: [&'static str; 5] = (
            ["案件编号", "申请人", "电话", "被申请人", "去向"],
            ["Case no.", "Applicant", "Phone", "Counterparty", "Route"],
        ),
        search_none: &'static str = ("没有找到", "Nothing found"),
        search_hint: &'static str = (
            "输入后 Enter 查询  ↑↓ 选择  Enter 查看  Esc 返回",
            "type, Enter search  ↑↓ select  Enter view  Esc back",
        ),
        // Errors
        error: &'static str = ("出错", "Error"),
        unavailable: &'static str = ("数据库暂不可用，正在重连", "Database unavailable, reconnecting"),
        not_found: &'static str = ("未找到", "Not found"),
        /// Between the items of a list in a sentence (categories, flags).
        list_sep: &'static str = ("、", ", "),
        /// Between the choices of a many-codes field shown on one line.
        choices_sep: &'static str = ("；", "; "),
        // Route override
        referral_needs_target: &'static str = (
            "转介须选择去向（↑↓ 选择转介机构）",
            "A referral needs its target (↑↓ to choose where)",
        ),
        refer_to_list: &'static str = ("  转介去向（↑↓）：", "  Refer to (↑↓):"),
        // Tables
        /// A domain code's label from the (Chinese, English) pair its option in a list carries.
        option: fn(&'static str, &'static str) -> &'static str = (|zh, _| zh, |_, en| en),
        /// A form field's label.
        label: fn(FieldId) -> &'static str = (|id| field_label(id).0, |id| field_label(id).1),
        /// A line of a case's history.
        event: fn(&CaseEvent) -> String = (
            |e| match e {
                CaseEvent::Registered => "登记".into(),
                CaseEvent::RouteOverridden {
                    to,
                    referral_to,
                    reason,
                    ..
                } => format!(
                    "改派至{}{}（{}）",
                    to.zh(),
                    referral_to
                        .map(|r| format!("：{}", r.zh()))
                        .unwrap_or_default(),
                    reason
                ),
                CaseEvent::TicketIssued(t) => format!("出号 {t}"),
                CaseEvent::Called(t) => format!("叫号 {t}"),
                CaseEvent::Recalled(t) => format!("重呼 {t}"),
                CaseEvent::NoShow(t) => format!("过号 {t}"),
                CaseEvent::Started(t) => format!("开始办理 {t}"),
                CaseEvent::Transferred {
                    from,
                    to,
                    ticket,
                    reason,
                } => format!(
                    "{}转移至{}{}（{}）",
                    from.map(|f| format!("由{}", f.zh())).unwrap_or_default(),
                    to.zh(),
                    ticket
                        .as_ref()
                        .map(|t| format!("，新号 {t}"))
                        .unwrap_or_default(),
                    reason
                ),
                CaseEvent::Finished(o) => format!("办结：{}", o.zh()),
                CaseEvent::Reprinted(p) => format!("补打{}", p.zh()),
                CaseEvent::Viewed => "查阅".into(),
                CaseEvent::Other(a) => a.clone(),
            },
            |e| match e {
                CaseEvent::Registered => "registered".into(),
                CaseEvent::RouteOverridden {
                    to,
                    referral_to,
                    reason,
                    ..
                } => format!(
                    "route changed to {}{} ({reason})",
                    to.en(),
                    referral_to
                        .map(|r| format!(": {}", r.en()))
                        .unwrap_or_default()
                ),
                CaseEvent::TicketIssued(t) => format!("ticket {t} issued"),
                CaseEvent::Called(t) => format!("{t} called"),
                CaseEvent::Recalled(t) => format!("{t} recalled"),
                CaseEvent::NoShow(t) => format!("{t} no-show"),
                CaseEvent::Started(t) => format!("{t} service started"),
                CaseEvent::Transferred {
                    from,
                    to,
                    ticket,
                    reason,
                } => format!(
                    "transferred{} to {}{} ({reason})",
                    from.map(|f| format!(" from {}", f.en()))
                        .unwrap_or_default(),
                    to.en(),
                    ticket
                        .as_ref()
                        .map(|t| format!(", new ticket {t}"))
                        .unwrap_or_default(),
                ),
                CaseEvent::Finished(o) => format!("finished: {}", o.en()),
                CaseEvent::Reprinted(p) => format!("{} reprinted", p.en()),
                CaseEvent::Viewed => "viewed".into(),
                CaseEvent::Other(a) => a.clone(),
            },
        ),
        /// Validation messages come from the domain in Chinese; other languages translate by code.
        problem: fn(&str, &str) -> String = (
            |code, message| super::problems::message(Lang::Zh, code, message),
            |code, message| super::problems::message(Lang::En, code, message),
        ),
    }
}

/// The kiosk's table in `lang`.
pub fn strings(lang: Lang) -> &'static Strings {
    Strings::get(lang)
}

/// A form field's label: (Chinese, English).
fn field_label(id: FieldId) -> (&'static str, &'static str) {
    use FieldId as F;
    match id {
        F::ApplicantName => ("姓名", "Name"),
        F::IdType => ("证件类型", "ID type"),
        F::IdNumber => ("证件号码", "ID number"),
        F::BirthDate => ("出生日期", "Birth date"),
        F::Phone => ("联系电话", "Phone"),
        F::Groups => ("人员类别", "Groups"),
        F::Hardship => ("经济困难", "Hardship"),
        F::PensionBeforeHire => ("入职前已领养老金", "Pension before hire"),
        F::GuardianName => ("监护人姓名", "Guardian name"),
        F::GuardianPhone => ("监护人电话", "Guardian phone"),
        F::CounterpartyKind => ("单位类型", "Counterparty kind"),
        F::CounterpartyName => ("单位名称", "Counterparty name"),
        F::CreditCode => ("统一社会信用代码", "Credit code"),
        F::Address => ("地址", "Address"),
        F::Region => ("所在地区划代码", "Region code"),
        F::Industry => ("行业", "Industry"),
        F::DispatchName => ("派遣单位名称", "Dispatch agency"),
        F::DispatchCreditCode => ("派遣单位信用代码", "Agency credit code"),
        F::ContractorName => ("施工总承包单位", "General contractor"),
        F::ContractorCreditCode => ("总承包信用代码", "Contractor code"),
        F::Status => ("用工状态", "Status"),
        F::StartedOn => ("入职日期", "Started on"),
        F::EndedOn => ("离职日期", "Ended on"),
        F::WrittenContract => ("签订书面合同", "Written contract"),
        F::WorkRegion => ("工作地区划代码", "Work region code"),
        F::Source => ("来源", "Source"),
        F::Categories => ("争议类别", "Categories"),
        F::KnownOn => ("知道权利受侵害日", "Known on"),
        F::LastInterruptionOn => ("最近时效中断日", "Last interruption"),
        F::WorkersInvolved => ("涉及人数", "Workers involved"),
        F::CommonClaim => ("有共同请求", "Common claim"),
        F::UnpaidWages => ("单纯拖欠工资", "Unpaid wages"),
        F::SiArrears => ("要求补缴社保", "SI arrears"),
        F::Iou => ("持有欠条", "Holds IOU"),
        F::WantsMediation => ("愿意调解", "Wants mediation"),
        F::AlreadyFiled => ("已向何处申请", "Already filed"),
        F::AgreementKind => ("原调解协议类型", "Prior agreement"),
        F::AgreementEffectiveOn => ("协议生效日期", "Agreement effective"),
        F::AgreementPerformed => ("协议已履行", "Agreement performed"),
        F::InjuryOccurredOn => ("受伤日期", "Injury date"),
        F::InjuryRecognized => ("已认定工伤", "Injury recognized"),
        F::Escalating => ("矛盾激化", "Escalating"),
        F::Narrative => ("情况简述", "Narrative"),
        F::ClaimCategory(_) => ("类别", "Category"),
        F::ClaimAmount(_) => ("金额（元/人）", "Amount (yuan/worker)"),
        F::ClaimKnownOn(_) => ("知道受侵害日", "Known on"),
        F::AddClaim => ("", ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::form::Form;

    /// The blanks test cannot look inside functions: every field a clerk reaches has a label in
    /// both languages, and the English is not the Chinese left untranslated.
    #[test]
    fn every_field_is_labelled_in_both_languages() {
        let mut form = Form::default();
        form.add_claim();
        let (zh, en) = (strings(Lang::Zh), strings(Lang::En));
        for id in form.order() {
            let (z, e) = ((zh.label)(id), (en.label)(id));
            assert_eq!(z.is_empty(), e.is_empty(), "{id:?}: {z:?} / {e:?}");
            assert!(e.is_ascii(), "{id:?}: {e:?}");
        }
    }
}

//! The filed report's words (CSV and XLSX; JSON carries codes, not words): sheet titles, column
//! heads, row labels and chart titles, each written once with its Chinese and English side by
//! side. The labels of codes (routes, outcomes, flags, category groups …) come from
//! `domain::codes`.

use super::catalogue;

catalogue! {
    #[derive(Debug)]
    pub struct Strings {
        // Sheet titles (also the worksheet names of the XLSX).
        summary_sheet: &'static str = ("概况", "Summary"),
        comparison_sheet: &'static str = ("同比环比", "Comparison"),
        daily_sheet: &'static str = ("每日", "Daily"),
        categories_sheet: &'static str = ("争议类别", "Categories"),
        groups_sheet: &'static str = ("统计分组", "Category groups"),
        routes_sheet: &'static str = ("分流去向", "Routes"),
        outcomes_sheet: &'static str = ("办理结果", "Outcomes"),
        pointers_sheet: &'static str = ("指引事项", "Pointers"),
        referrals_sheet: &'static str = ("转介去向", "Referral destinations"),
        flags_sheet: &'static str = ("标记", "Flags"),
        key_groups_sheet: &'static str = ("重点群体", "Key groups"),
        windows_sheet: &'static str = ("窗口工作量", "Windows"),
        clerks_sheet: &'static str = ("人员工作量", "Clerks"),
        queue_sheet: &'static str = ("排队", "Queue"),
        followup_sheet: &'static str = ("回访", "Follow-up"),
        hours_sheet: &'static str = ("时段", "Hours"),
        repeat_sheet: &'static str = ("重复被申请人", "Repeat respondents"),

        // Chart titles.
        daily_chart: &'static str = ("每日登记（按去向）", "Intakes per day by route"),
        outcomes_chart: &'static str = ("办理结果占比", "Outcome shares"),
        hourly_chart: &'static str = ("分时段登记量", "Hourly load"),

        // Column heads.
        figure: &'static str = ("指标", "Figure"),
        value: &'static str = ("数值", "Value"),
        this_period: &'static str = ("本期", "This period"),
        previous_period: &'static str = ("上期", "Previous period"),
        /// Against the previous period (环比).
        period_change: &'static str = ("环比", "Change"),
        last_year: &'static str = ("去年同期", "Same period last year"),
        /// Against the same period last year (同比).
        year_change: &'static str = ("同比", "Change"),
        cases: &'static str = ("案件数", "Cases"),
        share: &'static str = ("占比", "Share"),
        date: &'static str = ("日期", "Date"),
        /// Cases registered in a day or an hour.
        cases_registered_col: &'static str = ("登记案件数", "Cases"),
        served: &'static str = ("服务人次", "Served"),
        no_shows_col: &'static str = ("过号", "No-shows"),
        mean_wait: &'static str = ("平均等候（分钟）", "Mean wait (min)"),
        category: &'static str = ("类别", "Category"),
        group: &'static str = ("分组", "Group"),
        route: &'static str = ("去向", "Route"),
        outcome: &'static str = ("结果", "Outcome"),
        step: &'static str = ("事项", "Step"),
        referred_to: &'static str = ("转介至", "Referred to"),
        flag: &'static str = ("标记", "Flag"),
        key_group: &'static str = ("群体", "Group"),
        window: &'static str = ("窗口", "Window"),
        staff_no: &'static str = ("工号", "Staff no."),
        intakes: &'static str = ("登记案件数", "Intakes"),
        mean_service: &'static str = ("平均服务时长（分钟）", "Mean service (min)"),
        idle: &'static str = ("空闲时长（分钟）", "Idle (min)"),
        tickets: &'static str = ("排队号", "Tickets"),
        count: &'static str = ("数量", "Count"),
        hour: &'static str = ("时段", "Hour"),
        employer: &'static str = ("用人单位", "Employer"),

        // Row labels of the summary and the comparison.
        site: &'static str = ("单位", "Site"),
        from: &'static str = ("统计起始日", "From"),
        to: &'static str = ("统计截止日", "To"),
        period_from: &'static str = ("起始日", "From"),
        period_to: &'static str = ("截止日", "To"),
        cases_registered: &'static str = ("登记案件数", "Cases registered"),
        mediation_success_rate: &'static str = ("调解成功率", "Mediation success rate"),
        mediation_share: &'static str = ("调解分流占比", "Share routed to mediation"),
        tickets_served: &'static str = ("服务人次", "Tickets served"),
        median_wait: &'static str = ("等候中位数（分钟）", "Median wait (min)"),
        p90_wait: &'static str = ("等候第90百分位（分钟）", "90th percentile wait (min)"),
        no_shows: &'static str = ("过号（未到）", "No-shows"),
        unfinished_tickets: &'static str = ("未办结排队号", "Unfinished tickets"),
        collective: &'static str = ("集体争议", "Collective disputes"),
        major: &'static str = ("重大集体争议", "Major collective disputes"),
        followup_completion: &'static str = ("回访完成率", "Follow-up completion"),

        // Row labels of the queue and the follow-up.
        no_show: &'static str = ("过号（未到）", "No-show"),
        /// Tickets still in a state (`未办结：等候中`).
        unfinished_in: &'static str = ("未办结：{state}", "Unfinished: {state}"),
        followup_cases: &'static str = ("应回访案件", "Cases to follow up"),
        followup_completed: &'static str = ("已完成回访", "Follow-ups completed"),
        completion_rate: &'static str = ("回访完成率", "Completion rate"),
        /// Follow-up calls that ended a way (`回访结果：未接通`).
        calls_ended: &'static str = ("回访结果：{contact}", "Calls: {contact}"),
        /// Calls recorded as free text before the contact results were coded.
        calls_recorded: &'static str = ("回访结果：已回访（旧记录）", "Calls: recorded (free text)"),
        satisfied: &'static str = ("满意", "Satisfied"),
        not_satisfied: &'static str = ("不满意", "Not satisfied"),
        satisfaction_rate: &'static str = ("满意率", "Satisfaction rate"),
    }
}

//! The paper view models: what a layout may name, built from domain values.
//!
//! Personal data reaches paper only through here, masked with `domain::mask` (§8); the ticket view
//! has no personal data at all. Each view serialises to the context a layout renders with, and the
//! set of names it offers is what a layout is checked against at load time.

use super::Lang;
use super::strings::{self, Strings};
use crate::domain::codes::Code;
use crate::domain::mask::{mask_id, mask_name};
use crate::domain::{Deadline, Decision, Fen, Flag, IntakeRecord, Route, SiteSettings};
use crate::i18n::fill;
use chrono::NaiveDateTime;
use serde::Serialize;

/// Paper settings the domain does not hold. (The progress lookup is a site setting:
/// `SiteSettings::progress_url`.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaperSettings {
    pub lang: Lang,
}

impl Default for PaperSettings {
    fn default() -> Self {
        PaperSettings { lang: Lang::Zh }
    }
}

/// What a queue ticket shows (§8): no personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TicketView {
    pub site_name: String,
    pub ticket_no: String,
    pub destination: String,
    /// The windows that serve the ticket's queue (`1、3号`), or where to listen when none is set
    /// up yet.
    pub window_group: String,
    pub issued_at: String,
    pub people_ahead: u32,
    pub estimated_wait_min: u32,
    pub priority: bool,
    /// Payload of the ticket QR: the ticket as people read it, with its site and day
    /// (`TSQ-20250310-T001`), nothing personal and no row id.
    pub qr: String,
}

/// Input for a ticket; the queue (not the domain) knows people ahead and the wait.
#[derive(Debug, Clone)]
pub struct TicketInput<'a> {
    pub ticket_no: &'a str,
    pub route: Route,
    /// Numbers of the windows whose stations serve the ticket's queue.
    pub windows: &'a [u32],
    pub issued_at: NaiveDateTime,
    pub people_ahead: u32,
    pub estimated_wait_min: u32,
    pub priority: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReasonView {
    pub rule: String,
    pub text: String,
    pub basis: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeadlineView {
    pub code: String,
    pub name: String,
    pub date: String,
    /// Said beside the date when its year has no holiday calendar: the date was counted over
    /// weekends only and may still move for a public holiday.
    pub no_calendar: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClaimView {
    pub category: String,
    pub amount: Option<String>,
}

/// What an intake receipt and a referral notice show (§8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseView {
    pub site_name: String,
    pub case_no: String,
    pub ticket_no: Option<String>,
    pub issued_at: String,
    /// The 凭证 sentence with the intake date in it.
    pub voucher: String,
    pub clerk: String,
    pub applicant_name: String,
    pub applicant_id: String,
    pub counterparty: String,
    pub counterparty_address: Option<String>,
    pub categories: Vec<String>,
    pub claims: Vec<ClaimView>,
    /// Sum of the claimed amounts per worker, `None` when no amount was given.
    pub claimed_total: Option<String>,
    pub route: String,
    /// A labour dispute (any route but 人民调解): the labour title, papers and free notice.
    pub labour: bool,
    /// A collective case: amounts are per worker.
    pub collective: bool,
    pub is_referral: bool,
    pub referral_to: Option<String>,
    pub referral_where: Option<String>,
    pub referral_bring: Vec<String>,
    pub reason: Option<ReasonView>,
    pub other_reasons: Vec<ReasonView>,
    pub also: Vec<String>,
    pub deadlines: Vec<DeadlineView>,
    pub time_bar_risk: bool,
    pub time_bar_near: bool,
    pub legal_aid: bool,
    /// The receipt's QR: the progress lookup's address when the site has one, else the case
    /// number.
    pub query: String,
    /// Whether `query` is a lookup that exists (the line under the QR promises one only then).
    pub progress_lookup: bool,
}

/// Everything a receipt or referral notice is built from.
#[derive(Debug, Clone, Copy)]
pub struct CaseInput<'a> {
    pub case_no: &'a str,
    pub ticket_no: Option<&'a str>,
    pub record: &'a IntakeRecord,
    pub decision: &'a Decision,
    pub site: &'a SiteSettings,
    pub clerk: &'a str,
    pub issued_at: NaiveDateTime,
}

pub fn ticket_view(input: &TicketInput<'_>, site: &SiteSettings, lang: Lang) -> TicketView {
    TicketView {
        site_name: site.name.clone(),
        ticket_no: input.ticket_no.to_string(),
        destination: input.route.label(lang).to_string(),
        window_group: windows_text(input.windows, lang),
        issued_at: input.issued_at.format("%Y-%m-%d %H:%M").to_string(),
        people_ahead: input.people_ahead,
        estimated_wait_min: input.estimated_wait_min,
        priority: input.priority,
        qr: format!(
            "{}-{}-{}",
            site.code,
            input.issued_at.format("%Y%m%d"),
            input.ticket_no
        ),
    }
}

/// `1、3号` / `1, 3`; when no window serves the queue yet, where to listen.
fn windows_text(windows: &[u32], lang: Lang) -> String {
    let t = strings::strings(lang);
    if windows.is_empty() {
        return t.windows_unknown.to_string();
    }
    let numbers: Vec<String> = windows.iter().map(u32::to_string).collect();
    fill(
        t.window_numbers,
        &[("numbers", numbers.join(t.list_sep).as_str())],
    )
}

pub fn case_view(input: &CaseInput<'_>, paper: &PaperSettings) -> CaseView {
    let lang = paper.lang;
    let t = strings::strings(lang);
    let rec = input.record;
    let dec = input.decision;
    let claims: Vec<ClaimView> = rec
        .dispute
        .claims
        .iter()
        .map(|c| ClaimView {
            category: c
                .category
                .map_or(String::new(), |k| k.label(lang).to_string()),
            amount: c
                .amount
                .as_ref()
                .and_then(|a| a.fen())
                .map(|f| f.yuan_text()),
        })
        .collect();
    let amounts: Vec<Fen> = rec
        .dispute
        .claims
        .iter()
        .filter_map(|c| c.amount.as_ref().and_then(|a| a.fen()))
        .collect();
    let claimed_total =
        (!amounts.is_empty()).then(|| Fen(amounts.iter().map(|f| f.0).sum()).yuan_text());
    // The domain's reasons are Chinese; English paper is English throughout.
    let reason_view = |r: &crate::domain::Reason| ReasonView {
        rule: r.rule.clone(),
        text: r.text_in(lang),
        basis: r.basis_in(lang),
    };
    let referral_to = dec.referral_to;
    let date = input.issued_at.date();
    CaseView {
        site_name: input.site.name.clone(),
        case_no: input.case_no.to_string(),
        ticket_no: input.ticket_no.map(str::to_string),
        issued_at: input.issued_at.format("%Y-%m-%d %H:%M").to_string(),
        voucher: format!(
            "{}{}{}",
            t.voucher_before,
            strings::date_long(lang, date),
            t.voucher_after
        ),
        clerk: input.clerk.to_string(),
        applicant_name: mask_name(&rec.applicant.name),
        applicant_id: mask_id(rec.applicant.id_type, &rec.applicant.id_number),
        counterparty: rec.counterparty.name.clone(),
        counterparty_address: rec.counterparty.address.clone(),
        categories: rec
            .dispute
            .categories
            .iter()
            .map(|c| c.label(lang).to_string())
            .collect(),
        claims,
        claimed_total,
        route: dec
            .route
            .map(|r| r.label(lang).to_string())
            .unwrap_or_default(),
        labour: dec.route != Some(Route::PeoplesMediation),
        collective: dec.has_flag(Flag::Collective),
        is_referral: dec.route == Some(Route::Referral),
        referral_to: referral_to.map(|r| r.label(lang).to_string()),
        referral_where: referral_to.map(|r| strings::referral_where(lang, r).to_string()),
        referral_bring: referral_to
            .map(|r| {
                strings::referral_bring(lang, r)
                    .iter()
                    .map(|s| s.to_string())
                    .collect()
            })
            .unwrap_or_default(),
        reason: dec.reasons.first().map(reason_view),
        other_reasons: dec.reasons.iter().skip(1).map(reason_view).collect(),
        also: dec.also.iter().map(|a| a.label(lang).to_string()).collect(),
        deadlines: dec
            .deadlines
            .iter()
            .map(|(d, date)| DeadlineView {
                code: d.code().to_string(),
                name: deadline_name(lang, *d),
                date: date.format("%Y-%m-%d").to_string(),
                no_calendar: no_calendar_note(lang, input.site, *date),
            })
            .collect(),
        time_bar_risk: dec.has_flag(Flag::TimeBarRisk),
        time_bar_near: dec.has_flag(Flag::TimeBarNear),
        legal_aid: dec.has_also(crate::domain::Also::LegalAid),
        query: match &input.site.progress_url {
            Some(url) => url.replace("{case_no}", input.case_no),
            None => input.case_no.to_string(),
        },
        progress_lookup: input.site.progress_url.is_some(),
    }
}

/// The note beside a deadline in a year the site has no holiday calendar for.
fn no_calendar_note(lang: Lang, site: &SiteSettings, date: chrono::NaiveDate) -> Option<String> {
    use chrono::Datelike;
    let year = date.year();
    (!site.calendar.has_year(year)).then(|| {
        fill(
            strings::strings(lang).no_calendar,
            &[("year", year.to_string().as_str())],
        )
    })
}

fn deadline_name(lang: Lang, d: Deadline) -> String {
    d.label(lang).to_string()
}

/// The context a layout renders with: the view under `v`, the fixed sentences under `t`.
#[derive(Debug, Clone, Serialize)]
pub struct Context<'a, V: Serialize> {
    pub v: &'a V,
    pub t: &'static Strings,
}

impl CaseView {
    /// A view with every optional part present: the names a layout may use.
    pub fn schema() -> CaseView {
        let r = ReasonView {
            rule: String::new(),
            text: String::new(),
            basis: String::new(),
        };
        CaseView {
            site_name: String::new(),
            case_no: String::new(),
            ticket_no: Some(String::new()),
            issued_at: String::new(),
            voucher: String::new(),
            clerk: String::new(),
            applicant_name: String::new(),
            applicant_id: String::new(),
            counterparty: String::new(),
            counterparty_address: Some(String::new()),
            categories: vec![],
            claims: vec![],
            claimed_total: Some(String::new()),
            route: String::new(),
            labour: true,
            collective: false,
            is_referral: false,
            referral_to: Some(String::new()),
            referral_where: Some(String::new()),
            referral_bring: vec![],
            reason: Some(r),
            other_reasons: vec![],
            also: vec![],
            deadlines: vec![],
            time_bar_risk: false,
            time_bar_near: false,
            legal_aid: false,
            query: String::new(),
            progress_lookup: false,
        }
    }
}

impl TicketView {
    pub fn schema() -> TicketView {
        TicketView {
            site_name: String::new(),
            ticket_no: String::new(),
            destination: String::new(),
            window_group: String::new(),
            issued_at: String::new(),
            people_ahead: 0,
            estimated_wait_min: 0,
            priority: false,
            qr: String::new(),
        }
    }
}

/// What the test page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TestView {
    pub profile: String,
    pub columns: usize,
    pub printed_at: String,
    pub ruler: String,
}

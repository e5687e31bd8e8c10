//! Printing: layout → document → ESC/POS bytes → transport. The spool that stores jobs and the
//! runner that prints them live in the application layer (`app::spool`), where storage and
//! printing meet.
//!
//! | module | stage |
//! |---|---|
//! | [`model`] | paper view models built from domain values (masked) |
//! | [`strings`] | every fixed sentence on paper (the `i18n::paper` catalogue) |
//! | [`layout`] | layout files (`layouts/*.layout`) rendered with MiniJinja |
//! | [`document`] | the device-independent document the spool stores |
//! | [`width`] | column arithmetic as the printer counts it |
//! | [`profile`] | printer profiles (`printer-profiles/*.toml`) |
//! | [`escpos`] | document → ESC/POS bytes (GBK, Chinese mode, raw commands) |
//! | [`raster`] | `GS v 0` images of lines the printer cannot print as characters |
//! | [`preview`] | document → plain text as it would come out |
//! | [`status`] | `DLE EOT` real-time status |
//! | [`transport`] | TCP 9100, device file, spool folder |

pub mod document;
pub mod escpos;
pub mod layout;
pub mod model;
pub mod preview;
pub mod profile;
pub mod raster;
pub mod sample;
pub mod status;
pub mod transport;
pub mod width;

pub use crate::domain::Lang;
/// The paper's words live in the one translation mechanism (`i18n::paper`); `print::strings`
/// stays the name the print code reaches them by.
pub use crate::i18n::paper as strings;
pub use document::{Block, DocKind, Document};
pub use layout::{Layout, LayoutError};
pub use model::{CaseInput, PaperSettings, TicketInput};
pub use profile::Profile;

use model::{CaseView, Context, TestView, TicketView};
use std::collections::BTreeSet;
use std::path::Path;

const BUILTIN_TICKET: &str = include_str!("../../layouts/ticket.layout");
const BUILTIN_RECEIPT: &str = include_str!("../../layouts/receipt.layout");
const BUILTIN_REFERRAL: &str = include_str!("../../layouts/referral.layout");
const BUILTIN_TEST: &str = include_str!("../../layouts/test.layout");

/// The four layouts, loaded and checked together at start-up.
#[derive(Debug)]
pub struct Layouts {
    pub ticket: Layout,
    pub receipt: Layout,
    pub referral: Layout,
    pub test: Layout,
}

fn known_for<V: serde::Serialize>(view: &V) -> BTreeSet<String> {
    let mut known = BTreeSet::new();
    layout::known_fields("v", view, &mut known);
    // Both languages have the same names.
    layout::known_fields("t", strings::strings(Lang::Zh), &mut known);
    known
}

impl Layouts {
    /// Loads `dir/{ticket,receipt,referral,test}.layout` where present, else the shipped ones.
    pub fn load(dir: Option<&Path>) -> Result<Layouts, LayoutError> {
        let one = |kind: DocKind, builtin: &str, known: &BTreeSet<String>| {
            let (file, text) = layout::load_source(dir, kind.code(), builtin)?;
            Layout::parse(kind, &file, &text, known)
        };
        let case_known = known_for(&CaseView::schema());
        Ok(Layouts {
            ticket: one(
                DocKind::Ticket,
                BUILTIN_TICKET,
                &known_for(&TicketView::schema()),
            )?,
            receipt: one(DocKind::Receipt, BUILTIN_RECEIPT, &case_known)?,
            referral: one(DocKind::Referral, BUILTIN_REFERRAL, &case_known)?,
            test: one(
                DocKind::Test,
                BUILTIN_TEST,
                &known_for(&TestView {
                    profile: String::new(),
                    columns: 0,
                    printed_at: String::new(),
                    ruler: String::new(),
                }),
            )?,
        })
    }

    /// The shipped layouts (they are checked by the tests, so this cannot fail in a release).
    pub fn builtin() -> Result<Layouts, LayoutError> {
        Layouts::load(None)
    }

    pub fn get(&self, kind: DocKind) -> &Layout {
        match kind {
            DocKind::Ticket => &self.ticket,
            DocKind::Receipt => &self.receipt,
            DocKind::Referral => &self.referral,
            DocKind::Test => &self.test,
        }
    }

    pub fn ticket(
        &self,
        input: &TicketInput<'_>,
        site: &crate::domain::SiteSettings,
        lang: Lang,
    ) -> Result<Document, LayoutError> {
        let v = model::ticket_view(input, site, lang);
        self.ticket.render(&Context {
            v: &v,
            t: strings::strings(lang),
        })
    }

    /// The intake receipt of a case.
    pub fn receipt(
        &self,
        input: &CaseInput<'_>,
        paper: &PaperSettings,
    ) -> Result<Document, LayoutError> {
        self.case_with(&self.receipt, input, paper)
    }

    /// The referral notice of a case (route `referral`).
    pub fn referral(
        &self,
        input: &CaseInput<'_>,
        paper: &PaperSettings,
    ) -> Result<Document, LayoutError> {
        self.case_with(&self.referral, input, paper)
    }

    /// The paper of a routed case (§8, issue 5): the intake receipt, or the referral notice when
    /// the matter belongs elsewhere (route `referral`).
    pub fn case_document(
        &self,
        input: &CaseInput<'_>,
        paper: &PaperSettings,
    ) -> Result<Document, LayoutError> {
        if input.decision.route == Some(crate::domain::Route::Referral) {
            self.referral(input, paper)
        } else {
            self.receipt(input, paper)
        }
    }

    /// Everything an intake commit prints, in order: the queue ticket (when one was issued),
    /// then the receipt or the referral notice. Pure and quick: safe to call inside the storage
    /// transaction that assigns the numbers; store each with [`Document::to_json`] as payload.
    pub fn intake_documents(
        &self,
        input: &CaseInput<'_>,
        ticket: Option<&TicketInput<'_>>,
        paper: &PaperSettings,
    ) -> Result<Vec<Document>, LayoutError> {
        let mut docs = Vec::new();
        if let Some(t) = ticket {
            docs.push(self.ticket(t, input.site, paper.lang)?);
        }
        docs.push(self.case_document(input, paper)?);
        Ok(docs)
    }

    pub fn test_page(
        &self,
        profile: &Profile,
        printed_at: chrono::NaiveDateTime,
        lang: Lang,
    ) -> Result<Document, LayoutError> {
        let cols = profile.columns();
        let ruler: String = (0..cols)
            .map(|i| char::from(b'0' + ((i + 1) % 10) as u8))
            .collect();
        let v = TestView {
            profile: format!("{} ({} cols)", profile.name, cols),
            columns: cols,
            printed_at: printed_at.format("%Y-%m-%d %H:%M:%S").to_string(),
            ruler,
        };
        self.test.render(&Context {
            v: &v,
            t: strings::strings(lang),
        })
    }

    fn case_with(
        &self,
        layout: &Layout,
        input: &CaseInput<'_>,
        paper: &PaperSettings,
    ) -> Result<Document, LayoutError> {
        let v = model::case_view(input, paper);
        layout.render(&Context {
            v: &v,
            t: strings::strings(paper.lang),
        })
    }
}

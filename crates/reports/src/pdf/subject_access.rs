//! "Indsigt: registrerede opslag": the PDF a caseworker hands to a citizen who asks who processed
//! their data (docs/domain.md §9): the date, time and purpose of every recorded read, write and
//! listing of the citizen's data, and every disclosure to a partner. It names the citizen by the
//! internal reference only (the caseworker hands it over in person; no CPR number or name is
//! printed) and the staff by role, not by name. Danish, like the committee reports.

use super::markup::{cell, lit, table};
use super::{compile, PdfError};
use crate::format;
use chrono::{DateTime, Utc};
use sikkerby_domain::access::{DisclosurePurpose, LegalBasis, Purpose, Role};
use sikkerby_store::audit::{Disclosure, SubjectRead};

/// What the report holds.
#[derive(Debug, Clone)]
pub struct SubjectAccess {
    /// The citizen's internal id (the reference the municipality files the request under).
    pub citizen_id: i64,
    pub made_at: DateTime<Utc>,
    pub reads: Vec<SubjectRead>,
    pub disclosures: Vec<Disclosure>,
}

fn purpose(p: Option<Purpose>) -> &'static str {
    match p {
        Some(Purpose::Casework) => "sagsbehandling",
        Some(Purpose::FollowUp) => "opfølgning",
        Some(Purpose::Statistics) => "statistik",
        Some(Purpose::QualityControl) => "kvalitetskontrol",
        Some(Purpose::SubjectAccess) => "indsigt",
        Some(Purpose::Supervision) => "tilsyn",
        Some(Purpose::Disclosure) => "videregivelse",
        Some(Purpose::Retention) => "sletning",
        Some(Purpose::Complaint) => "klage",
        Some(Purpose::Other) => "andet",
        None => "–",
    }
}

fn action(code: &str) -> &str {
    match code {
        "read_citizen" => "opslag i sagen",
        "search" => "vist i en liste",
        "write_case" => "registrering i sagen",
        "export" => "udtræk",
        "disclosure" => "videregivelse",
        "subject_access" => "indsigt udleveret",
        "retention_delete" => "sletning",
        other => other,
    }
}

fn role(r: Option<Role>) -> &'static str {
    match r {
        Some(Role::Caseworker) => "sagsbehandler",
        Some(Role::Analyst) => "analytiker",
        Some(Role::Manager) => "leder",
        Some(Role::Admin) => "administrator",
        Some(Role::Partner) => "samarbejdspartner",
        None => "systemet",
    }
}

/// A legal basis as the citizen reads it; a code not known here as stored.
fn legal_basis(code: &str) -> String {
    let text = match LegalBasis::parse(code) {
        Ok(LegalBasis::Rpl115) => "retsplejeloven § 115",
        Ok(LegalBasis::Dbl8_2_1) => "databeskyttelsesloven § 8, stk. 2, nr. 1",
        Ok(LegalBasis::Dbl8_2_2) => "databeskyttelsesloven § 8, stk. 2, nr. 2",
        Ok(LegalBasis::Dbl8_2_3) => "databeskyttelsesloven § 8, stk. 2, nr. 3",
        Ok(LegalBasis::Dbl8_2_4) => "databeskyttelsesloven § 8, stk. 2, nr. 4",
        Ok(LegalBasis::Consent) => "samtykke",
        Err(_) => code,
    };
    text.to_owned()
}

fn disclosure_purpose(code: &str) -> String {
    let text = match DisclosurePurpose::parse(code) {
        Ok(DisclosurePurpose::CrimePrevention) => "kriminalitetsforebyggelse",
        Ok(DisclosurePurpose::SocialSupport) => "social støtte",
        Ok(DisclosurePurpose::Control) => "kontrol",
        Ok(DisclosurePurpose::CriminalInvestigation) => "efterforskning",
        Err(_) => code,
    };
    text.to_owned()
}

fn when(at: DateTime<Utc>) -> String {
    format!("{} kl. {}", format::date(at.date_naive()), at.format("%H:%M"))
}

fn reads_table(reads: &[SubjectRead]) -> String {
    if reads.is_empty() {
        return format!("#par({})\n", lit("Der er ikke registreret opslag."));
    }
    let rows: Vec<Vec<String>> = reads
        .iter()
        .map(|r| {
            let why = match r.purpose_text.trim() {
                "" => purpose(r.purpose).to_owned(),
                text => format!("{} ({text})", purpose(r.purpose)),
            };
            vec![cell(&when(r.at)), cell(action(&r.action)), cell(&why), cell(role(r.role))]
        })
        .collect();
    table("(auto, auto, 1fr, auto)", &["Tidspunkt (UTC)", "Hvad", "Formål", "Af"], &rows, &[])
}

fn disclosures_table(disclosures: &[Disclosure]) -> String {
    if disclosures.is_empty() {
        return format!("#par({})\n", lit("Der er ikke registreret videregivelser."));
    }
    let rows: Vec<Vec<String>> = disclosures
        .iter()
        .map(|d| {
            let day = d.at.get(..10).unwrap_or(&d.at);
            let on = day.parse().map(format::date).unwrap_or_else(|_| day.to_owned());
            let (basis, why) = (legal_basis(&d.legal_basis), disclosure_purpose(&d.purpose));
            vec![cell(&on), cell(&d.recipient), cell(&d.what), cell(&basis), cell(&why)]
        })
        .collect();
    table("(auto, auto, 1fr, auto, auto)", &["Dato", "Modtager", "Hvad", "Hjemmel", "Formål"], &rows, &[])
}

/// The typst source of the report.
pub fn markup(doc: &SubjectAccess) -> String {
    let title = "Indsigt: registrerede opslag";
    let mut out = format!(
        "#set document(title: {t}, author: \"Sikker By\")\n\
         #set page(paper: \"a4\", margin: (x: 18mm, top: 22mm, bottom: 20mm),\n\
         \x20 footer: context {{ set text(size: 8pt, fill: luma(90)); [Sikker By #h(1fr) Side #counter(page).display() af #counter(page).final().first()] }})\n\
         #set text(font: \"Libertinus Serif\", size: 10pt, lang: \"da\")\n\
         #set table(stroke: 0.4pt + luma(170), inset: (x: 4pt, y: 3pt))\n\
         #show table: set text(size: 8.5pt)\n\
         #show table.cell.where(y: 0): set text(weight: \"bold\")\n\
         #text(size: 18pt, weight: \"bold\", {t})\n#v(6pt)\n",
        t = lit(title)
    );
    let intro = format!(
        "Oversigt over de registrerede behandlinger af dine oplysninger i Sikker By: hvornår og med \
         hvilket formål de er slået op, registreret eller vist, og hvornår de er videregivet. \
         Reference: borger-id {}. Udarbejdet {}.",
        doc.citizen_id,
        when(doc.made_at)
    );
    out.push_str(&format!("#par({})\n", lit(&intro)));
    out.push_str(&format!("== {}\n", "Opslag og registreringer"));
    out.push_str(&reads_table(&doc.reads));
    out.push_str(&format!("== {}\n", "Videregivelser til samarbejdspartnere"));
    out.push_str(&disclosures_table(&doc.disclosures));
    out
}

/// The report as PDF bytes.
pub fn render(doc: &SubjectAccess) -> Result<Vec<u8>, PdfError> {
    let ident = format!("sikkerby-indsigt-{}-{}", doc.citizen_id, doc.made_at.timestamp());
    compile(markup(doc), doc.made_at.date_naive(), ident)
}

//! The words of corrections and refusals: why a write to a recorded fact was refused, the
//! correction forms, and the history of corrections on the citizen page, in Danish and English.

use super::Lang;
use chrono::{Datelike, NaiveDate};
use sikkerby_domain::cpr::CprError;
use sikkerby_store::cases::{RecordKind, Refusal};

/// The strings of corrections.
#[derive(Debug)]
pub struct RecordTexts {
    pub already_ended: &'static str,
    pub already_done: &'static str,
    pub not_ended: &'static str,
    pub not_done: &'static str,
    pub in_future: &'static str,
    /// `{date}`: the start the end lies before.
    pub ends_before_start: &'static str,
    pub overlaps: &'static str,
    pub overlaps_open: &'static str,
    pub reason_required: &'static str,
    pub unchanged: &'static str,
    pub cpr_not_digits: &'static str,
    /// `{n}`: the number of digits given.
    pub cpr_wrong_length: &'static str,
    /// `{cpr}`: the masked number (`310200-xxxx`).
    pub cpr_no_such_date: &'static str,
    pub cpr_in_future: &'static str,
    pub f_correct_end: &'static str,
    pub f_correct_follow_up: &'static str,
    pub f_correct_event: &'static str,
    pub fld_record: &'static str,
    pub fld_event: &'static str,
    pub fld_correction_reason: &'static str,
    pub correction_reason_hint: &'static str,
    pub history_heading: &'static str,
    pub history_caption: &'static str,
    pub col_when: &'static str,
    pub col_record: &'static str,
    pub col_field: &'static str,
    pub col_from: &'static str,
    pub col_to: &'static str,
    pub col_reason: &'static str,
    pub col_by: &'static str,
    pub kind_enrollment: &'static str,
    pub kind_offer: &'static str,
    pub kind_follow_up: &'static str,
    pub kind_event: &'static str,
}

const DA: RecordTexts = RecordTexts {
    already_ended: "er allerede afsluttet {date}; brug «Ret afslutning» for at ændre den",
    already_done: "er allerede registreret {date}; brug «Ret opfølgning» for at ændre den",
    not_ended: "er ikke afsluttet endnu; afslut den i stedet",
    not_done: "er ikke registreret endnu; registrér den i stedet",
    in_future: "datoen ligger i fremtiden; kun det planlagte må ligge efter i dag",
    ends_before_start: "slutdatoen ligger før starten {date}",
    overlaps: "overlapper et andet forløb i samme indsats ({start} – {end})",
    overlaps_open: "overlapper et åbent forløb i samme indsats (fra {start})",
    reason_required: "en rettelse skal begrundes",
    unchanged: "rettelsen ændrer intet",
    cpr_not_digits: "et CPR-nummer består kun af cifre, evt. med bindestreg efter det sjette (DDMMÅÅ-XXXX)",
    cpr_wrong_length: "et CPR-nummer har 10 cifre, dette har {n}",
    cpr_no_such_date: "CPR-nummer {cpr}: fødselsdatoen findes ikke",
    cpr_in_future: "CPR-nummer {cpr}: fødselsdatoen ligger i fremtiden",
    f_correct_end: "Ret afslutning",
    f_correct_follow_up: "Ret opfølgning",
    f_correct_event: "Ret hændelsesdato",
    fld_record: "Forløb eller tilbud",
    fld_event: "Hændelse",
    fld_correction_reason: "Begrundelse for rettelsen",
    correction_reason_hint: "Gemmes i historikken med dit brugernavn og tidspunktet.",
    history_heading: "Rettelser",
    history_caption: "Rettelser af registrerede oplysninger, ældste først",
    col_when: "Rettet",
    col_record: "Post",
    col_field: "Felt",
    col_from: "Fra",
    col_to: "Til",
    col_reason: "Begrundelse",
    col_by: "Rettet af",
    kind_enrollment: "Forløb",
    kind_offer: "Tilbud",
    kind_follow_up: "Opfølgning",
    kind_event: "Hændelse",
};

const EN: RecordTexts = RecordTexts {
    already_ended: "was already ended on {date}; use “Correct an end” to change it",
    already_done: "was already recorded on {date}; use “Correct a follow-up” to change it",
    not_ended: "has not been ended yet; end it instead",
    not_done: "has not been recorded yet; record it instead",
    in_future: "the date lies in the future; only what is planned may lie after today",
    ends_before_start: "the end date lies before the start, {date}",
    overlaps: "overlaps another enrollment in the same initiative ({start} – {end})",
    overlaps_open: "overlaps an open enrollment in the same initiative (from {start})",
    reason_required: "a correction needs a reason",
    unchanged: "the correction changes nothing",
    cpr_not_digits:
        "a CPR number contains only digits, with an optional hyphen after the sixth (DDMMYY-XXXX)",
    cpr_wrong_length: "a CPR number has 10 digits, this one has {n}",
    cpr_no_such_date: "CPR number {cpr}: its birth date does not exist",
    cpr_in_future: "CPR number {cpr}: its birth date lies in the future",
    f_correct_end: "Correct an end",
    f_correct_follow_up: "Correct a follow-up",
    f_correct_event: "Correct an event date",
    fld_record: "Enrollment or offer",
    fld_event: "Event",
    fld_correction_reason: "Reason for the correction",
    correction_reason_hint: "Kept in the history with your username and the time.",
    history_heading: "Corrections",
    history_caption: "Corrections of recorded facts, oldest first",
    col_when: "Corrected",
    col_record: "Record",
    col_field: "Field",
    col_from: "From",
    col_to: "To",
    col_reason: "Reason",
    col_by: "Corrected by",
    kind_enrollment: "Enrollment",
    kind_offer: "Offer",
    kind_follow_up: "Follow-up",
    kind_event: "Event",
};

impl Lang {
    /// The strings of corrections and refusals.
    pub fn records(self) -> &'static RecordTexts {
        match self {
            Lang::Da => &DA,
            Lang::En => &EN,
        }
    }

    /// Why a write was refused, in this language.
    pub fn refusal(self, refusal: &Refusal) -> String {
        let t = self.records();
        let day = |d: NaiveDate| {
            let month = self.texts().case.months[d.month0() as usize];
            match self {
                Lang::Da => format!("{}. {month} {}", d.day(), d.year()),
                Lang::En => format!("{} {month} {}", d.day(), d.year()),
            }
        };
        match refusal {
            Refusal::AlreadyEnded(on) => t.already_ended.replace("{date}", &day(*on)),
            Refusal::AlreadyDone(on) => t.already_done.replace("{date}", &day(*on)),
            Refusal::NotEnded => t.not_ended.to_owned(),
            Refusal::NotDone => t.not_done.to_owned(),
            Refusal::InFuture => t.in_future.to_owned(),
            Refusal::EndsBeforeStart(start) => t.ends_before_start.replace("{date}", &day(*start)),
            Refusal::Overlaps { start, end: Some(end) } => {
                t.overlaps.replace("{start}", &day(*start)).replace("{end}", &day(*end))
            }
            Refusal::Overlaps { start, end: None } => t.overlaps_open.replace("{start}", &day(*start)),
            Refusal::ReasonRequired => t.reason_required.to_owned(),
            Refusal::Unchanged => t.unchanged.to_owned(),
            Refusal::BadCpr(error) => match error {
                CprError::NotDigits => t.cpr_not_digits.to_owned(),
                CprError::WrongLength(n) => t.cpr_wrong_length.replace("{n}", &n.to_string()),
                CprError::NoSuchDate { masked } => t.cpr_no_such_date.replace("{cpr}", masked),
                CprError::InFuture { masked } => t.cpr_in_future.replace("{cpr}", masked),
            },
        }
    }
}

impl RecordTexts {
    /// The kind of a corrected record.
    pub fn kind(&self, kind: RecordKind) -> &'static str {
        match kind {
            RecordKind::Enrollment => self.kind_enrollment,
            RecordKind::Offer => self.kind_offer,
            RecordKind::FollowUp => self.kind_follow_up,
            RecordKind::Event => self.kind_event,
        }
    }
}

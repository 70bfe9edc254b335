//! Code lists (docs/domain.md §5) and the structural enumerations of the case model (§4).
//!
//! Offer types, end reasons and follow-up statuses are data (`seed/code_lists.toml`): a new code
//! is a data change, and its flags (`lab`, `positive`) are what the criteria read. Anchors and
//! life-event kinds are enums, because the criteria's semantics depend on each of them.

use serde::{Deserialize, Serialize};

/// One entry of a code list with its Danish and English labels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Code {
    pub code: String,
    pub da: String,
    pub en: String,
    /// Offer types: an offer under the Active Employment Act (LAB).
    #[serde(default)]
    pub lab: bool,
    /// End reasons and follow-up statuses: counts as a success.
    #[serde(default)]
    pub positive: bool,
}

/// When the system schedules a follow-up by itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpRule {
    /// An initiative code, or `*` for every initiative whose data source is OPERA.
    pub initiative: String,
    pub anchor: Anchor,
    pub months: u32,
}

/// The configurable code lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeLists {
    pub offer_type: Vec<Code>,
    pub end_reason: Vec<Code>,
    pub follow_up_status: Vec<Code>,
    pub follow_up_rule: Vec<FollowUpRule>,
}

impl CodeLists {
    pub fn offer_type(&self, code: &str) -> Option<&Code> {
        self.offer_type.iter().find(|c| c.code == code)
    }

    pub fn end_reason(&self, code: &str) -> Option<&Code> {
        self.end_reason.iter().find(|c| c.code == code)
    }

    pub fn follow_up_status(&self, code: &str) -> Option<&Code> {
        self.follow_up_status.iter().find(|c| c.code == code)
    }

    /// True for the six LAB offer types ("tilbud efter Lov om en aktiv beskæftigelsesindsats").
    pub fn is_lab_offer(&self, code: &str) -> bool {
        self.offer_type(code).is_some_and(|c| c.lab)
    }

    /// True for job or education (`ordinaer_beskaeftigelse`, `uddannelse_paabegyndt`).
    pub fn is_positive_end(&self, code: &str) -> bool {
        self.end_reason(code).is_some_and(|c| c.positive)
    }

    /// True for `beskaeftiget`, `i_uddannelse`, `positiv_kontakt`.
    pub fn is_positive_status(&self, code: &str) -> bool {
        self.follow_up_status(code).is_some_and(|c| c.positive)
    }

    /// The follow-up rules that apply to an initiative (`opera` = its data source is OPERA).
    pub fn rules_for<'a>(
        &'a self,
        initiative: &'a str,
        opera: bool,
    ) -> impl Iterator<Item = &'a FollowUpRule> + 'a {
        self.follow_up_rule
            .iter()
            .filter(move |r| r.initiative == initiative || (opera && r.initiative == "*"))
    }
}

/// What a follow-up is anchored on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Anchor {
    /// The end of an enrollment.
    ForloebSlut,
    /// The start of an offer.
    TilbudStart,
    /// The end of an offer.
    TilbudSlut,
    /// A release event.
    Loesladelse,
}

impl Anchor {
    pub const ALL: [Anchor; 4] =
        [Anchor::ForloebSlut, Anchor::TilbudStart, Anchor::TilbudSlut, Anchor::Loesladelse];

    pub fn code(self) -> &'static str {
        match self {
            Anchor::ForloebSlut => "forloeb_slut",
            Anchor::TilbudStart => "tilbud_start",
            Anchor::TilbudSlut => "tilbud_slut",
            Anchor::Loesladelse => "loesladelse",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }
}

/// Kinds of life event (docs/domain.md §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Varetaegt,
    Dom,
    Loesladelse,
    JobStart,
    UddannelseStart,
    /// SSP category 1–4 (RPL §115); the only kind that carries a value.
    SspKategori,
}

impl EventKind {
    pub const ALL: [EventKind; 6] = [
        EventKind::Varetaegt,
        EventKind::Dom,
        EventKind::Loesladelse,
        EventKind::JobStart,
        EventKind::UddannelseStart,
        EventKind::SspKategori,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EventKind::Varetaegt => "varetaegt",
            EventKind::Dom => "dom",
            EventKind::Loesladelse => "loesladelse",
            EventKind::JobStart => "job_start",
            EventKind::UddannelseStart => "uddannelse_start",
            EventKind::SspKategori => "ssp_kategori",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The range of `vaerdi` the kind accepts, or `None` when it takes no value.
    pub fn value_range(self) -> Option<std::ops::RangeInclusive<i64>> {
        (self == EventKind::SspKategori).then_some(1..=4)
    }
}

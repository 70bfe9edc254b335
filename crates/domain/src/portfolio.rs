//! The initiatives of the memo (docs/domain.md §2): structured fields with the memo's own wording kept
//! verbatim beside them, so every structured value can be traced back to the memo's text.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An initiative code such as `SSPPLUS`: upper-case ASCII letters and digits, 2–20 characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct InitiativeCode(String);

/// Why a string is not an initiative code.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("initiative code {0:?} must be 2–20 upper-case letters or digits")]
pub struct InvalidInitiativeCode(pub String);

impl InitiativeCode {
    /// Parses a code; surrounding whitespace is ignored, case is not (codes are upper-case).
    pub fn parse(raw: &str) -> Result<Self, InvalidInitiativeCode> {
        let code = raw.trim();
        let valid = (2..=20).contains(&code.len())
            && code.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        if valid {
            Ok(Self(code.to_owned()))
        } else {
            Err(InvalidInitiativeCode(raw.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for InitiativeCode {
    type Error = InvalidInitiativeCode;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<InitiativeCode> for String {
    fn from(code: InitiativeCode) -> Self {
        code.0
    }
}

impl fmt::Display for InitiativeCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Scope of an initiative (bydækkende / områdebaseret / monitorering).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    CityWide,
    AreaBased,
    Monitoring,
}

impl Scope {
    pub const ALL: [Scope; 3] = [Scope::CityWide, Scope::AreaBased, Scope::Monitoring];

    pub fn code(self) -> &'static str {
        match self {
            Scope::CityWide => "city_wide",
            Scope::AreaBased => "area_based",
            Scope::Monitoring => "monitoring",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// A phase of the crime cycle (Figure 1 of the memo, missing from its text; docs/domain.md §2 [assumed]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CrimeCyclePhase {
    Forebyggelse,
    TidligIndsats,
    KriminelLoebebane,
    Afsoning,
    Loesladelse,
}

impl CrimeCyclePhase {
    /// In the order a young person may pass through them: the columns of Figure 1.
    pub const ALL: [CrimeCyclePhase; 5] = [
        CrimeCyclePhase::Forebyggelse,
        CrimeCyclePhase::TidligIndsats,
        CrimeCyclePhase::KriminelLoebebane,
        CrimeCyclePhase::Afsoning,
        CrimeCyclePhase::Loesladelse,
    ];

    pub fn code(self) -> &'static str {
        match self {
            CrimeCyclePhase::Forebyggelse => "forebyggelse",
            CrimeCyclePhase::TidligIndsats => "tidlig_indsats",
            CrimeCyclePhase::KriminelLoebebane => "kriminel_loebebane",
            CrimeCyclePhase::Afsoning => "afsoning",
            CrimeCyclePhase::Loesladelse => "loesladelse",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }
}

/// Where an initiative's figures come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataSource {
    /// The job centre's case system (OPERA): counts, end reasons, 3-month follow-ups.
    Opera,
    /// The safety index (police reports and the resident survey).
    SafetyIndex,
    /// Entered by hand and approved by a second person ("kan ikke registreres via OPERA").
    Manual,
    /// Delivered by another administration (e.g. Socialforvaltningen for Ny start).
    External,
    /// No measurement described in the memo.
    None,
}

/// How often a report goes to its recipients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cadence {
    Annual,
    HalfYearly,
    Quarterly,
}

/// A committee or body that receives reports (docs/domain.md §2, reporting recipients).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Committee {
    /// Beskæftigelses- og Integrationsudvalget.
    #[serde(rename = "BIU")]
    Biu,
    /// Økonomiudvalget, steering group of Sikker By.
    #[serde(rename = "OEU")]
    Oeu,
    /// Borgerrepræsentationen.
    #[serde(rename = "BR")]
    Br,
    /// Børne- og Ungdomsudvalget.
    #[serde(rename = "BUU")]
    Buu,
    /// Socialudvalget.
    #[serde(rename = "SOU")]
    Sou,
    /// Den politiske styregruppe for Hotspot.
    #[serde(rename = "HOTSPOT_STYREGRUPPE")]
    HotspotStyregruppe,
    /// The Sikker By secretariat (quarterly reporting, e.g. VINK).
    #[serde(rename = "SIKKERBY")]
    SikkerBy,
}

impl Committee {
    /// The abbreviation used in the UI (ØU with its Danish letter).
    pub fn abbreviation(self) -> &'static str {
        match self {
            Committee::Biu => "BIU",
            Committee::Oeu => "ØU",
            Committee::Br => "BR",
            Committee::Buu => "BUU",
            Committee::Sou => "SOU",
            Committee::HotspotStyregruppe => "Styregruppen for Hotspot",
            Committee::SikkerBy => "Sikker By",
        }
    }
}

/// One reporting duty: who receives it and how often.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reporting {
    pub recipients: Vec<Committee>,
    pub cadence: Cadence,
}

/// Who may be enrolled. Ages in whole months because the memo is finer than years (SSP+ from
/// 17½ = 210 months). `max_age_months` is exclusive: 300 means "before the 25th birthday".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetGroup {
    pub description: String,
    pub min_age_months: Option<u32>,
    pub max_age_months: Option<u32>,
    /// True when the band is our reading, not the memo's (e.g. FRITIDSJOB 13–17).
    #[serde(default)]
    pub age_band_assumed: bool,
}

/// The memo's own words for an initiative, verbatim, one entry per section of the memo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct MemoWording {
    /// The paragraph that introduces the initiative.
    pub description: String,
    /// The "Succeskriterier" section, empty when the memo gives none.
    #[serde(default)]
    pub success_criteria: String,
    /// The "Måling" section, empty when the memo gives none.
    #[serde(default)]
    pub measurement: String,
}

/// One initiative of the portfolio with every field of docs/domain.md §2.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Initiative {
    pub code: InitiativeCode,
    pub name: String,
    pub scope: Scope,
    pub phases: Vec<CrimeCyclePhase>,
    /// Id of the anchoring organisational unit (see `seed/org_units.toml`).
    pub anchor_unit: String,
    pub partners: Vec<String>,
    pub target_group: TargetGroup,
    /// Capacity in full-year places (helårspladser), where the memo gives one.
    pub capacity_full_year_places: Option<u32>,
    pub data_source: DataSource,
    pub reporting: Vec<Reporting>,
    /// Ids of the criteria (C1…C19) that measure this initiative.
    #[serde(default)]
    pub criteria: Vec<String>,
    /// Areas the initiative works in (area ids), for area-based initiatives.
    #[serde(default)]
    pub areas: Vec<String>,
    /// Free notes (figures the memo reports, e.g. "2012: 632 youths touched").
    #[serde(default)]
    pub notes: String,
    pub memo: MemoWording,
}

/// An organisational unit (forankring): a centre, administration or partner body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgUnit {
    pub id: String,
    pub name: String,
    /// The administration the unit belongs to (BIF, SOF, BUF, ØKF, …).
    pub administration: String,
    /// The parent unit's id, if any.
    #[serde(default)]
    pub parent: Option<String>,
}

/// One row of Figure 1: a scope with, per crime-cycle phase, the initiatives in that cell.
pub type FigureOneRow<'a> = (Scope, Vec<(CrimeCyclePhase, Vec<&'a Initiative>)>);

/// The whole portfolio: initiatives in the memo's order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Portfolio {
    pub initiatives: Vec<Initiative>,
}

impl Portfolio {
    pub fn get(&self, code: &str) -> Option<&Initiative> {
        self.initiatives.iter().find(|i| i.code.as_str() == code)
    }

    /// Figure 1 of the memo regenerated from data: for each scope and crime-cycle phase, the
    /// initiatives that span that cell, in portfolio order.
    pub fn figure_one(&self) -> Vec<FigureOneRow<'_>> {
        Scope::ALL
            .into_iter()
            .map(|scope| {
                let cells = CrimeCyclePhase::ALL
                    .into_iter()
                    .map(|phase| {
                        let members = self
                            .initiatives
                            .iter()
                            .filter(|i| i.scope == scope && i.phases.contains(&phase))
                            .collect();
                        (phase, members)
                    })
                    .collect();
                (scope, cells)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initiative_codes_must_be_upper_case_letters_or_digits() {
        assert!(InitiativeCode::parse("SSPPLUS").is_ok());
        assert!(InitiativeCode::parse(" EXIT ").is_ok());
        assert!(InitiativeCode::parse("exit").is_err());
        assert!(InitiativeCode::parse("SSP+").is_err());
        assert!(InitiativeCode::parse("X").is_err());
    }
}

//! Who may see what (docs/domain.md §9): the five roles, what each may do, the purposes a read of a
//! citizen's data is made for, and the legal bases and purposes of a disclosure to a partner.
//!
//! These are pure rules; the store records users, sessions and the audit log, and the web checks
//! these functions before every read. Every function answers "no" unless the role clearly needs
//! the access: an admin manages users and configuration but sees no case data, an analyst and a
//! manager see aggregates under disclosure control, and only a caseworker sees a citizen, and
//! then only through an enrollment in one of the caseworker's own centres. A partner (an SSP
//! leader group, the social services) only submits the half-yearly assessments of its own
//! districts (docs/safety-index.md "Assessments by partners") and sees nothing else.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A user's role. The code is what the database and the command line use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Own centres' citizens, full case data.
    Caseworker,
    /// Aggregates and pseudonymised data; no names or CPR numbers.
    Analyst,
    /// Aggregates and approvals.
    Manager,
    /// Users and configuration; no case data.
    Admin,
    /// A partner outside the municipality's administration (SSP leader group, social services):
    /// submits the half-yearly assessments of its own districts, nothing else.
    Partner,
}

/// A text that is not a known code; it names the code, which is never personal data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} {code:?}; expected one of: {expected}")]
pub struct UnknownCode {
    pub what: &'static str,
    pub code: String,
    pub expected: String,
}

/// Implements `code`, `parse`, `ALL`, `Display` and `FromStr` for an enum of fixed codes.
macro_rules! coded {
    ($ty:ident, $what:literal, { $($variant:ident => $code:literal),+ $(,)? }) => {
        impl $ty {
            /// Every value, in the order the user interface lists them.
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];

            /// The stored code.
            pub fn code(self) -> &'static str {
                match self { $($ty::$variant => $code),+ }
            }

            /// The value with this code.
            pub fn parse(code: &str) -> Result<Self, UnknownCode> {
                match code.trim() {
                    $($code => Ok($ty::$variant),)+
                    other => Err(UnknownCode {
                        what: $what,
                        code: other.chars().take(40).collect(),
                        expected: [$($code),+].join(", "),
                    }),
                }
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }

        impl FromStr for $ty {
            type Err = UnknownCode;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }
    };
}

coded!(Role, "role", {
    Caseworker => "caseworker",
    Analyst => "analyst",
    Manager => "manager",
    Admin => "admin",
    Partner => "partner",
});

/// Something a role may be allowed to do, regardless of centre.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Read citizens and their case records (further limited to the user's centres).
    ReadCaseData,
    /// See names and full CPR numbers.
    SeeIdentity,
    /// Work with pseudonymised records (internal ids, no names or CPR numbers).
    SeePseudonymised,
    /// See counts without disclosure control (further limited to the user's centres).
    SeeRawFigures,
    /// Approve manual indicator values and report snapshots.
    Approve,
    /// Manage users, roles and configuration, and review the audit log.
    Administer,
    /// Record a disclosure of a citizen's data to a partner.
    Disclose,
    /// Submit the half-yearly assessment of the areas of one's own districts.
    SubmitAssessment,
}

impl Role {
    /// Whether the role has the permission at all (centre limits come on top).
    pub fn has(self, permission: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Caseworker => {
                matches!(permission, ReadCaseData | SeeIdentity | SeePseudonymised | SeeRawFigures | Disclose)
            }
            Role::Analyst => matches!(permission, SeePseudonymised),
            Role::Manager => matches!(permission, Approve),
            Role::Admin => matches!(permission, Administer),
            Role::Partner => matches!(permission, SubmitAssessment),
        }
    }

    /// The role's name in the Danish user interface.
    pub fn label_da(self) -> &'static str {
        match self {
            Role::Caseworker => "Sagsbehandler",
            Role::Analyst => "Analytiker",
            Role::Manager => "Leder",
            Role::Admin => "Administrator",
            Role::Partner => "Samarbejdspartner",
        }
    }
}

/// Who a partner user assesses for: the source its assessments are stored under. The codes are
/// those of the assessments' `source` column (`vurderinger.csv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AssessmentSource {
    /// The district's SSP leader group (SSP-ledergruppen).
    SspLeaderGroup,
    /// The social services (Socialforvaltningen).
    SocialServices,
}

coded!(AssessmentSource, "assessment source", {
    SspLeaderGroup => "ssp_ledergruppe",
    SocialServices => "socialforvaltning",
});

fn in_centres(user_centres: &[String], centre: Option<&str>) -> bool {
    let Some(centre) = centre.map(str::trim).filter(|c| !c.is_empty()) else { return false };
    user_centres.iter().any(|own| own.trim() == centre)
}

/// Whether a user may read the case data behind an enrollment held by `enrollment_centre`: only a
/// caseworker, and only for one of their own centres. An enrollment without a centre is nobody's.
/// A citizen with several enrollments may be read when any of them passes.
pub fn can_read_case_data(role: Role, user_centres: &[String], enrollment_centre: Option<&str>) -> bool {
    role.has(Permission::ReadCaseData) && in_centres(user_centres, enrollment_centre)
}

/// Whether a user may see a figure without disclosure control: only a figure limited to one of a
/// caseworker's own centres (`figure_centre`), whose citizens they may read anyway. City-wide
/// figures (`None`) are suppressed for every role.
pub fn can_see_raw_figures(role: Role, user_centres: &[String], figure_centre: Option<&str>) -> bool {
    role.has(Permission::SeeRawFigures) && in_centres(user_centres, figure_centre)
}

/// Whether a user may approve manual values and reports (the approver must still differ from the
/// person who entered them; the store checks that).
pub fn can_approve(role: Role) -> bool {
    role.has(Permission::Approve)
}

/// Whether a user may manage users and configuration and review the audit log.
pub fn can_administer(role: Role) -> bool {
    role.has(Permission::Administer)
}

/// Why a citizen's data were read, recorded with every read (docs/domain.md §9). A citizen asking
/// for the reads of their data is shown these purposes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// Casework for the citizen (sagsbehandling).
    Casework,
    /// A scheduled follow-up (opfølgning).
    FollowUp,
    /// Statistics and reports; the read itself is of aggregates.
    Statistics,
    /// Checking and correcting data quality.
    QualityControl,
    /// The citizen's own request for access (indsigt).
    SubjectAccess,
    /// Supervision and review of the audit log (tilsyn).
    Supervision,
    /// A disclosure to a partner (videregivelse); see [`LegalBasis`].
    Disclosure,
    /// Deletion when the retention date has passed (sletning).
    Retention,
    /// Handling a complaint about the case (klage).
    Complaint,
    /// Anything else; the free text says what (andet).
    Other,
}

coded!(Purpose, "purpose", {
    Casework => "sagsbehandling",
    FollowUp => "opfoelgning",
    Statistics => "statistik",
    QualityControl => "kvalitetssikring",
    SubjectAccess => "indsigt",
    Supervision => "tilsyn",
    Disclosure => "videregivelse",
    Retention => "sletning",
    Complaint => "klage",
    Other => "andet",
});

impl Purpose {
    /// The purpose in the Danish user interface and in a citizen's access report.
    pub fn label_da(self) -> &'static str {
        match self {
            Purpose::Casework => "Sagsbehandling",
            Purpose::FollowUp => "Opfølgning",
            Purpose::Statistics => "Statistik",
            Purpose::QualityControl => "Kvalitetssikring",
            Purpose::SubjectAccess => "Indsigt",
            Purpose::Supervision => "Tilsyn",
            Purpose::Disclosure => "Videregivelse",
            Purpose::Retention => "Sletning",
            Purpose::Complaint => "Klage",
            Purpose::Other => "Andet",
        }
    }
}

/// The legal basis of a disclosure to a partner [law].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LegalBasis {
    /// Retsplejeloven § 115: SSP cooperation on crime prevention.
    Rpl115,
    /// Databeskyttelsesloven § 8, stk. 2, nr. 1: explicit consent.
    Dbl8_2_1,
    /// § 8, stk. 2, nr. 2: to safeguard a private or public interest that clearly outweighs.
    Dbl8_2_2,
    /// § 8, stk. 2, nr. 3: needed for the authority's own tasks.
    Dbl8_2_3,
    /// § 8, stk. 2, nr. 4: needed for a decision the authority must make.
    Dbl8_2_4,
    /// The citizen's (or the custody holder's) consent.
    Consent,
}

coded!(LegalBasis, "legal basis", {
    Rpl115 => "RPL_115",
    Dbl8_2_1 => "DBL_8_2_1",
    Dbl8_2_2 => "DBL_8_2_2",
    Dbl8_2_3 => "DBL_8_2_3",
    Dbl8_2_4 => "DBL_8_2_4",
    Consent => "CONSENT",
});

/// What a partner receives the data for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DisclosurePurpose {
    /// Crime prevention in the SSP cooperation.
    CrimePrevention,
    /// Social support (Socialforvaltningen).
    SocialSupport,
    /// Control of benefits and taxes (SKAT, the Al Capone effort).
    Control,
    /// A criminal investigation by the police.
    CriminalInvestigation,
}

coded!(DisclosurePurpose, "disclosure purpose", {
    CrimePrevention => "crime_prevention",
    SocialSupport => "social_support",
    Control => "control",
    CriminalInvestigation => "criminal_investigation",
});

/// Why a disclosure may not be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DisclosureRefused {
    /// RPL § 115 information is exchanged for prevention and never given for investigation.
    #[error("information exchanged under RPL § 115 is never disclosed for a criminal investigation")]
    Rpl115ForInvestigation,
}

/// Checks a disclosure against the rules of docs/domain.md §9 before it is made.
pub fn check_disclosure(basis: LegalBasis, purpose: DisclosurePurpose) -> Result<(), DisclosureRefused> {
    match (basis, purpose) {
        (LegalBasis::Rpl115, DisclosurePurpose::CriminalInvestigation) => {
            Err(DisclosureRefused::Rpl115ForInvestigation)
        }
        _ => Ok(()),
    }
}

/// Replaces anything in `text` that looks like a CPR number (ten digits, optionally with a hyphen
/// after the sixth) with its masked form `DDMMYY-xxxx`, so that free text written to the audit
/// log or a log line cannot carry one.
pub fn mask_cpr_like(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if run == 0 {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let digits: String = chars[i..i + run].iter().collect();
        let hyphenated = run == 6
            && chars.get(i + 6) == Some(&'-')
            && chars[i + 7..].iter().take_while(|c| c.is_ascii_digit()).count() == 4;
        if hyphenated {
            out.push_str(&format!("{digits}-xxxx"));
            i += 11;
        } else if run == 10 {
            out.push_str(&format!("{}-xxxx", &digits[..6]));
            i += 10;
        } else {
            out.push_str(&digits);
            i += run;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn centres(list: &[&str]) -> Vec<String> {
        list.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn a_caseworker_reads_only_enrollments_of_their_own_centres() {
        let own = centres(&["JKU Nord", "JKU Syd"]);
        assert!(can_read_case_data(Role::Caseworker, &own, Some("JKU Syd")));
        assert!(!can_read_case_data(Role::Caseworker, &own, Some("JKU Vest")));
        assert!(!can_read_case_data(Role::Caseworker, &own, None));
        for role in [Role::Analyst, Role::Manager, Role::Admin, Role::Partner] {
            assert!(!can_read_case_data(role, &own, Some("JKU Nord")), "{role}");
        }
    }

    #[test]
    fn raw_figures_are_only_for_a_caseworkers_own_centre_never_city_wide() {
        let own = centres(&["JKU Nord"]);
        assert!(can_see_raw_figures(Role::Caseworker, &own, Some("JKU Nord")));
        assert!(!can_see_raw_figures(Role::Caseworker, &own, None));
        assert!(!can_see_raw_figures(Role::Analyst, &own, Some("JKU Nord")));
        assert!(!can_see_raw_figures(Role::Admin, &own, None));
    }

    #[test]
    fn only_managers_approve_and_only_admins_administer() {
        assert!(can_approve(Role::Manager) && !can_approve(Role::Admin) && !can_approve(Role::Caseworker));
        assert!(can_administer(Role::Admin) && !can_administer(Role::Manager));
        assert!(!Role::Admin.has(Permission::ReadCaseData));
        assert!(!Role::Analyst.has(Permission::SeeIdentity));
    }

    #[test]
    fn a_partner_only_submits_assessments() {
        use Permission::*;
        for permission in
            [ReadCaseData, SeeIdentity, SeePseudonymised, SeeRawFigures, Approve, Administer, Disclose]
        {
            assert!(!Role::Partner.has(permission), "{permission:?}");
        }
        assert!(Role::Partner.has(SubmitAssessment));
        assert!(Role::ALL.iter().filter(|r| r.has(SubmitAssessment)).eq([&Role::Partner]));
    }

    #[test]
    fn codes_round_trip_and_unknown_codes_are_named() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.code()), Ok(*role));
        }
        for purpose in Purpose::ALL {
            assert_eq!(purpose.code().parse::<Purpose>(), Ok(*purpose));
        }
        assert_eq!(LegalBasis::parse("DBL_8_2_3"), Ok(LegalBasis::Dbl8_2_3));
        let err = Role::parse("root").unwrap_err();
        assert!(err.to_string().contains("\"root\"") && err.to_string().contains("caseworker"));
    }

    #[test]
    fn rpl_115_information_is_never_disclosed_for_a_criminal_investigation() {
        let refused = check_disclosure(LegalBasis::Rpl115, DisclosurePurpose::CriminalInvestigation);
        assert_eq!(refused, Err(DisclosureRefused::Rpl115ForInvestigation));
        assert!(check_disclosure(LegalBasis::Rpl115, DisclosurePurpose::CrimePrevention).is_ok());
        assert!(check_disclosure(LegalBasis::Dbl8_2_2, DisclosurePurpose::CriminalInvestigation).is_ok());
    }

    #[test]
    fn cpr_like_numbers_in_free_text_are_masked() {
        assert_eq!(mask_cpr_like("ringede om 010165-1234 i dag"), "ringede om 010165-xxxx i dag");
        assert_eq!(mask_cpr_like("cpr 0101651234."), "cpr 010165-xxxx.");
        assert_eq!(mask_cpr_like("sag 2012 og 12345678901"), "sag 2012 og 12345678901");
        assert_eq!(mask_cpr_like("æøå 123"), "æøå 123");
    }
}

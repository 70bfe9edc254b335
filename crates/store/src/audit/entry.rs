//! What one audit row says: who ([`Actor`]), did what ([`AuditAction`]), with what result
//! ([`AuditResult`]), about whom and why ([`AuditEntry::about`]).

use chrono::{DateTime, Utc};
use sikkerby_domain::access::{Purpose, Role};

/// Who did something: a user, or the system itself (the command line, a scheduled job).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub username: String,
    /// `None` for the system.
    pub role: Option<Role>,
}

impl Actor {
    /// The system acting on its own, e.g. `Actor::system("cli")`.
    pub fn system(name: &str) -> Self {
        Self { user_id: None, username: name.to_owned(), role: None }
    }

    /// Someone not logged in (a failed login with an unknown username); stored without a name.
    pub fn anonymous() -> Self {
        Self { user_id: None, username: String::new(), role: None }
    }

    /// True for the system, which the store treats like an administrator; never for anonymous.
    pub fn is_system(&self) -> bool {
        self.user_id.is_none() && self.role.is_none() && !self.username.is_empty()
    }
}

/// What happened. The codes are stored; add new ones at the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditAction {
    ReadCitizen,
    Search,
    Export,
    WriteCase,
    LoginOk,
    LoginFailed,
    Logout,
    PermissionChange,
    ConfigChange,
    RetentionDelete,
    Disclosure,
    SubjectAccess,
    /// An indicator entry entered, corrected, approved or sent back (docs/indicators.md).
    Indicator,
    /// A partner's half-yearly assessments submitted, or refused (docs/safety-index.md).
    Assessment,
    /// A caseworker's registration of a CPR number, whatever it came to (the detail says).
    RegisterAttempt,
    /// A takeover request granted or refused (docs/case-records.md).
    Takeover,
}

const ACTIONS: [(AuditAction, &str); 16] = [
    (AuditAction::ReadCitizen, "read_citizen"),
    (AuditAction::Search, "search"),
    (AuditAction::Export, "export"),
    (AuditAction::WriteCase, "write_case"),
    (AuditAction::LoginOk, "login_ok"),
    (AuditAction::LoginFailed, "login_failed"),
    (AuditAction::Logout, "logout"),
    (AuditAction::PermissionChange, "permission_change"),
    (AuditAction::ConfigChange, "config_change"),
    (AuditAction::RetentionDelete, "retention_delete"),
    (AuditAction::Disclosure, "disclosure"),
    (AuditAction::SubjectAccess, "subject_access"),
    (AuditAction::Indicator, "indicator"),
    (AuditAction::Assessment, "assessment"),
    (AuditAction::RegisterAttempt, "register_attempt"),
    (AuditAction::Takeover, "takeover"),
];

impl AuditAction {
    pub fn code(self) -> &'static str {
        ACTIONS.iter().find(|(a, _)| *a == self).map(|(_, c)| *c).unwrap_or("unknown")
    }

    pub fn parse(code: &str) -> Option<Self> {
        ACTIONS.iter().find(|(_, c)| *c == code).map(|(a, _)| *a)
    }

    /// Every action, in the order of their codes' introduction.
    pub fn all() -> impl Iterator<Item = AuditAction> {
        ACTIONS.iter().map(|(a, _)| *a)
    }
}

/// How it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditResult {
    Ok,
    /// Refused by an access rule.
    Denied,
    Error,
}

impl AuditResult {
    pub fn code(self) -> &'static str {
        match self {
            AuditResult::Ok => "ok",
            AuditResult::Denied => "denied",
            AuditResult::Error => "error",
        }
    }
}

/// One entry to append. An entry about a citizen always carries a purpose: the constructor
/// [`AuditEntry::about`] asks for one.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub(super) at: DateTime<Utc>,
    pub(super) actor: Actor,
    pub(super) action: AuditAction,
    pub(super) person_id: Option<i64>,
    pub(super) purpose: Option<Purpose>,
    pub(super) purpose_text: String,
    pub(super) result: AuditResult,
    pub(super) detail: String,
}

impl AuditEntry {
    /// An entry about no citizen (a login, a search, a configuration change).
    pub fn new(actor: &Actor, action: AuditAction, at: DateTime<Utc>) -> Self {
        Self {
            at,
            actor: actor.clone(),
            action,
            person_id: None,
            purpose: None,
            purpose_text: String::new(),
            result: AuditResult::Ok,
            detail: String::new(),
        }
    }

    /// A refused attempt on one citizen (internal id), without a purpose: none was given, and
    /// recording a default one would claim a purpose the user never stated.
    pub fn denied_about(actor: &Actor, action: AuditAction, person_id: i64, at: DateTime<Utc>) -> Self {
        let mut entry = Self::new(actor, action, at);
        entry.person_id = Some(person_id);
        entry.result = AuditResult::Denied;
        entry
    }

    /// An entry about one citizen (internal id), with the purpose of the read and a free text.
    pub fn about(
        actor: &Actor,
        action: AuditAction,
        person_id: i64,
        purpose: Purpose,
        purpose_text: &str,
        at: DateTime<Utc>,
    ) -> Self {
        let mut entry = Self::new(actor, action, at);
        entry.person_id = Some(person_id);
        entry.purpose = Some(purpose);
        entry.purpose_text = purpose_text.to_owned();
        entry
    }

    /// The purpose of the processing and a free text, for an entry whose citizen is set later
    /// (a registration: the store sets the new citizen's id, see `audit::audited_write`).
    pub fn purpose(mut self, purpose: Purpose, text: &str) -> Self {
        self.purpose = Some(purpose);
        self.purpose_text = text.to_owned();
        self
    }

    pub fn result(mut self, result: AuditResult) -> Self {
        self.result = result;
        self
    }

    /// A short note without personal data (CPR-like numbers are masked regardless).
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = detail.into();
        self
    }
}

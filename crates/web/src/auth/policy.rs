//! Who may reach which route: one declarative table, consulted by [`super::guard`] on every
//! request by the route's pattern (axum's `MatchedPath`, e.g. `/borgere/{id}`), whatever the
//! method. A route that is registered in the router but missing here is refused (deny by
//! default); `tests/authz_matrix.rs` walks this table for every role and fails on a route the
//! router has and the table lacks.
//!
//! The table says who may reach a route at all. What a caseworker may see on it (only citizens
//! enrolled with one of their centres) is checked by the handler through
//! [`super::citizen`], because it depends on the data, not on the route.

use sikkerby_domain::access::Role;

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not: the health check, the sign-in page, the stylesheet.
    Public,
    /// Any signed-in user, whatever the role: pages without personal data (the memo's
    /// portfolio, budget and figure; the area-level safety index) and signing out.
    SignedIn,
    /// Signed-in users with one of these roles.
    Roles(&'static [Role]),
}

impl Access {
    /// Whether a user with `role` (`None`: not signed in) may use the route.
    pub fn allows(self, role: Option<Role>) -> bool {
        match self {
            Access::Public => true,
            Access::SignedIn => role.is_some(),
            Access::Roles(roles) => role.is_some_and(|r| roles.contains(&r)),
        }
    }
}

/// One line of the table.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// The route pattern as registered, with the `/api/v1` prefix of nested routes.
    pub pattern: &'static str,
    /// The methods the route answers (for the test matrix; the check itself is per pattern).
    pub methods: &'static [&'static str],
    pub access: Access,
}

const CASEWORKER: Access = Access::Roles(&[Role::Caseworker]);
/// Aggregates under disclosure control: everyone who works with the figures, not the admin.
const FIGURES: Access = Access::Roles(&[Role::Caseworker, Role::Analyst, Role::Manager]);
const ADMIN: Access = Access::Roles(&[Role::Admin]);
/// Committee reports: made by analysts and managers, approved by managers.
const REPORTS: Access = Access::Roles(&[Role::Analyst, Role::Manager]);
const MANAGER: Access = Access::Roles(&[Role::Manager]);
/// Takeover requests: made and decided by caseworkers, decided by managers too.
const TAKEOVERS: Access = Access::Roles(&[Role::Caseworker, Role::Manager]);
/// Indicators and deliverables: entered by analysts (the secretariat) and managers, approved
/// by another of them (the four-eyes rule is the store's, docs/indicators.md).
const INDICATORS: Access = Access::Roles(&[Role::Analyst, Role::Manager]);
const GET: &[&str] = &["GET"];
const POST: &[&str] = &["POST"];
const GET_POST: &[&str] = &["GET", "POST"];

const fn rule(pattern: &'static str, methods: &'static [&'static str], access: Access) -> Rule {
    Rule { pattern, methods, access }
}

/// Every route of the application and who may use it.
pub const RULES: &[Rule] = &[
    // Open to all.
    rule("/healthz", GET, Access::Public),
    // Aggregates only, no session; the handler admits loopback callers and the bearer token.
    rule("/metrics", GET, Access::Public),
    rule("/static/style.css", GET, Access::Public),
    rule("/login", GET_POST, Access::Public),
    rule("/login/oidc", GET, Access::Public),
    rule("/login/oidc/callback", GET, Access::Public),
    // A new password with a one-time code: the user cannot sign in yet; the code authorises.
    rule("/nulstil-adgangskode", GET_POST, Access::Public),
    // Signed in, any role: no personal data.
    rule("/logout", POST, Access::SignedIn),
    rule("/", GET, Access::SignedIn),
    rule("/indsatser/{code}", GET, Access::SignedIn),
    rule("/budget", GET, Access::SignedIn),
    // Actual spend per budget line and year: the secretariat's entry (analysts, managers).
    rule("/budget/forbrug", POST, REPORTS),
    rule("/figur-1", GET, Access::SignedIn),
    rule("/rapporter", GET_POST, REPORTS),
    rule("/rapporter/{id}/{format}", GET, REPORTS),
    rule("/rapporter/{id}/godkend", POST, MANAGER),
    rule("/indikatorer", GET, INDICATORS),
    rule("/indikatorer/vurdering", POST, INDICATORS),
    rule("/indikatorer/leverance", POST, INDICATORS),
    rule("/indikatorer/levering", POST, INDICATORS),
    rule("/indikatorer/{id}/godkend", POST, INDICATORS),
    rule("/indikatorer/{id}/send-tilbage", POST, INDICATORS),
    rule("/indikatorer/{id}/ret", GET_POST, INDICATORS),
    rule("/bydele", GET, Access::SignedIn),
    rule("/omraader/{id}", GET, Access::SignedIn),
    rule("/maal", GET, Access::SignedIn),
    rule("/uroligeomraader", GET, Access::SignedIn),
    rule("/api/v1/initiatives", GET, Access::SignedIn),
    rule("/api/v1/initiatives/{code}", GET, Access::SignedIn),
    rule("/api/v1/budget", GET, Access::SignedIn),
    rule("/api/v1/openapi.json", GET, Access::SignedIn),
    // Figures under disclosure control.
    rule("/resultater", GET, FIGURES),
    rule("/resultater/eksport", GET, FIGURES),
    rule("/resultater/{criterion}", GET, FIGURES),
    rule("/resultater/{criterion}/eksport", GET, FIGURES),
    rule("/api/v1/results", GET, FIGURES),
    // Case data: caseworkers, and then only their own centres' citizens.
    rule("/borgere", GET, CASEWORKER),
    rule("/borgere/ny", GET_POST, CASEWORKER),
    rule("/borgere/{id}", GET, CASEWORKER),
    rule("/borgere/{id}/formaal", GET_POST, CASEWORKER),
    rule("/borgere/{id}/indsigt", GET, CASEWORKER),
    rule("/borgere/{id}/opfoelgninger", POST, CASEWORKER),
    rule("/borgere/{id}/forloeb", POST, CASEWORKER),
    rule("/borgere/{id}/forloeb/afslut", POST, CASEWORKER),
    rule("/borgere/{id}/tilbud", POST, CASEWORKER),
    rule("/borgere/{id}/tilbud/afslut", POST, CASEWORKER),
    rule("/borgere/{id}/haendelser", POST, CASEWORKER),
    rule("/borgere/{id}/fritidsjob", POST, CASEWORKER),
    rule("/borgere/{id}/rettelser/afslutning", POST, CASEWORKER),
    rule("/borgere/{id}/rettelser/opfoelgning", POST, CASEWORKER),
    rule("/borgere/{id}/rettelser/haendelse", POST, CASEWORKER),
    rule("/opfoelgninger", GET, CASEWORKER),
    // Takeover requests: the holding centre's caseworkers, or a manager, decide.
    rule("/overtagelser", GET, TAKEOVERS),
    rule("/overtagelser/{id}", POST, TAKEOVERS),
    // Configuration.
    rule("/admin/indstillinger", GET_POST, ADMIN),
    // Users and the audit log.
    rule("/admin/brugere", GET_POST, ADMIN),
    rule("/admin/brugere/{id}", GET_POST, ADMIN),
    rule("/admin/brugere/{id}/aktiv", POST, ADMIN),
    rule("/admin/brugere/{id}/engangskode", POST, ADMIN),
    rule("/admin/brugere/{id}/laas-op", POST, ADMIN),
    rule("/admin/revision", GET, ADMIN),
];

/// The rule for a route pattern; `None` for a route missing from the table.
pub fn rule_for(pattern: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.pattern == pattern)
}

/// Whether a user with `role` may use the route with this pattern (unknown routes: no).
pub fn allows(pattern: &str, role: Option<Role>) -> bool {
    rule_for(pattern).is_some_and(|r| r.access.allows(role))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_is_listed_once() {
        for (i, rule) in RULES.iter().enumerate() {
            assert!(RULES[i + 1..].iter().all(|r| r.pattern != rule.pattern), "{} twice", rule.pattern);
        }
    }

    #[test]
    fn no_role_but_the_caseworker_reaches_a_citizen_and_only_the_admin_the_settings() {
        for role in Role::ALL {
            let caseworker = *role == Role::Caseworker;
            assert_eq!(allows("/borgere/{id}", Some(*role)), caseworker, "{role}");
            assert_eq!(allows("/admin/indstillinger", Some(*role)), *role == Role::Admin, "{role}");
        }
        assert!(!allows("/borgere/{id}", None) && !allows("/", None) && allows("/login", None));
        assert!(!allows("/not/listed", Some(Role::Admin)));
    }
}

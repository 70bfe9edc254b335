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
    /// Any signed-in user, whatever the role: signing out, and the start page (which sends a
    /// partner on to their assessment form).
    SignedIn,
    /// The municipality's own staff, every role but the partner: pages without personal data
    /// (the memo's portfolio, budget and figure; the area-level safety index). A partner sees
    /// only the assessment form of its own districts (docs/security.md "Partners").
    Staff,
    /// Signed-in users with one of these roles.
    Roles(&'static [Role]),
}

impl Access {
    /// Whether a user with `role` (`None`: not signed in) may use the route.
    pub fn allows(self, role: Option<Role>) -> bool {
        match self {
            Access::Public => true,
            Access::SignedIn => role.is_some(),
            Access::Staff => role.is_some_and(|r| r != Role::Partner),
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
/// The half-yearly assessments: submitted by partners for their own districts.
const PARTNER: Access = Access::Roles(&[Role::Partner]);
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
    // Signed in, any role: signing out; the start page (a partner is sent on to the form).
    rule("/logout", POST, Access::SignedIn),
    rule("/", GET, Access::SignedIn),
    // Signed-in staff, any role but the partner: no personal data.
    rule("/indsatser/{code}", GET, Access::Staff),
    rule("/budget", GET, Access::Staff),
    // Actual spend per budget line and year: the secretariat's entry (analysts, managers).
    rule("/budget/forbrug", POST, REPORTS),
    rule("/figur-1", GET, Access::Staff),
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
    rule("/bydele", GET, Access::Staff),
    rule("/bydele/eksport", GET, Access::Staff),
    rule("/omraader/{id}", GET, Access::Staff),
    rule("/omraader/{id}/eksport", GET, Access::Staff),
    rule("/maal", GET, Access::Staff),
    rule("/maal/eksport", GET, Access::Staff),
    rule("/uroligeomraader", GET, Access::Staff),
    // The partners' half-yearly assessments (docs/safety-index.md "Assessments by partners"):
    // the handler refuses a district not the partner's (403). The secretariat follows the
    // round (what is missing, the deadline).
    rule("/vurdering", GET, PARTNER),
    rule("/vurdering/{district}", POST, PARTNER),
    rule("/vurderinger", GET, INDICATORS),
    rule("/vurderinger/frist", POST, INDICATORS),
    rule("/api/v1/initiatives", GET, Access::Staff),
    rule("/api/v1/initiatives/{code}", GET, Access::Staff),
    rule("/api/v1/budget", GET, Access::Staff),
    rule("/api/v1/openapi.json", GET, Access::Staff),
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

    #[test]
    fn a_partner_reaches_the_start_page_signing_out_and_its_form_only() {
        let reachable: Vec<&str> = RULES
            .iter()
            .filter(|r| r.access != Access::Public && r.access.allows(Some(Role::Partner)))
            .map(|r| r.pattern)
            .collect();
        assert_eq!(reachable, ["/logout", "/", "/vurdering", "/vurdering/{district}"]);
    }
}

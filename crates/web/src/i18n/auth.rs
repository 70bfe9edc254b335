//! The words of signing in and out, the purpose question, the forbidden page and the admin
//! settings, in one struct so that `da.rs` and `en.rs` each point at one table
//! (`auth_da.rs`, `auth_en.rs`).

use sikkerby_domain::access::{Purpose, Role};

/// The strings of the access-control pages.
#[derive(Debug)]
pub struct AuthTexts {
    pub login_title: &'static str,
    pub login_intro: &'static str,
    pub login_legend: &'static str,
    pub username: &'static str,
    pub password: &'static str,
    pub login_button: &'static str,
    pub login_failed: &'static str,
    /// `{minutes}` is replaced by the minutes until the lock ends.
    pub login_locked: &'static str,
    pub login_rate_limited: &'static str,
    pub login_expired_form: &'static str,
    pub logged_out: &'static str,
    pub signed_in_as: &'static str,
    pub logout_button: &'static str,
    pub forbidden_title: &'static str,
    pub forbidden_text: &'static str,
    pub purpose_title: &'static str,
    pub purpose_intro: &'static str,
    pub purpose_legend: &'static str,
    pub purpose_text_label: &'static str,
    pub purpose_text_hint: &'static str,
    pub purpose_button: &'static str,
    pub purpose_required: &'static str,
    pub purpose_other_needs_text: &'static str,
    pub purpose_casework: &'static str,
    pub purpose_follow_up: &'static str,
    pub purpose_complaint: &'static str,
    pub purpose_access_request: &'static str,
    pub purpose_other: &'static str,
    pub msg_own_centre: &'static str,
    pub nav_settings: &'static str,
    pub settings_title: &'static str,
    pub settings_intro: &'static str,
    pub settings_legend: &'static str,
    pub threshold_label: &'static str,
    pub threshold_hint: &'static str,
    pub settings_button: &'static str,
    pub settings_saved: &'static str,
    pub threshold_invalid: &'static str,
    pub role_caseworker: &'static str,
    pub role_analyst: &'static str,
    pub role_manager: &'static str,
    pub role_admin: &'static str,
    pub role_partner: &'static str,
    pub password_sign_in_off: &'static str,
    pub oidc_button: &'static str,
    pub oidc_signed_in: &'static str,
    pub oidc_continue: &'static str,
    pub oidc_failed_title: &'static str,
    pub oidc_failed_text: &'static str,
    pub oidc_state_text: &'static str,
    pub oidc_provider_error_text: &'static str,
    pub oidc_mfa_text: &'static str,
    pub oidc_username_text: &'static str,
    pub oidc_no_role_title: &'static str,
    pub oidc_no_role_text: &'static str,
    pub oidc_reason: &'static str,
    pub oidc_try_again: &'static str,
    pub oidc_sign_out_there: &'static str,
}

impl AuthTexts {
    /// A role's name.
    pub fn role(&self, role: Role) -> &'static str {
        match role {
            Role::Caseworker => self.role_caseworker,
            Role::Analyst => self.role_analyst,
            Role::Manager => self.role_manager,
            Role::Admin => self.role_admin,
            Role::Partner => self.role_partner,
        }
    }

    /// The purposes a caseworker chooses between, with their labels, in the order shown.
    pub fn purposes(&self) -> [(Purpose, &'static str); 5] {
        [
            (Purpose::Casework, self.purpose_casework),
            (Purpose::FollowUp, self.purpose_follow_up),
            (Purpose::Complaint, self.purpose_complaint),
            (Purpose::SubjectAccess, self.purpose_access_request),
            (Purpose::Other, self.purpose_other),
        ]
    }
}

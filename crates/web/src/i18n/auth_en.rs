//! The access-control pages in English.

use super::auth::AuthTexts;

/// English strings of the access-control pages.
pub(super) const EN: AuthTexts = AuthTexts {
    login_title: "Sign in",
    login_intro: "Sikker By holds information about young people and crime. Sign in with your own \
                  user; every access to a citizen's data is logged with its purpose.",
    login_legend: "Sign in",
    username: "Username",
    password: "Password",
    login_button: "Sign in",
    login_failed: "Wrong username or password.",
    login_locked: "The account is locked after too many failed attempts. Try again in {minutes} minutes.",
    login_rate_limited: "Too many sign-in attempts. Wait a little and try again.",
    login_expired_form: "The form had expired. Please try again.",
    logged_out: "You have signed out.",
    signed_in_as: "Signed in as",
    logout_button: "Sign out",
    forbidden_title: "No access",
    forbidden_text: "Your role does not give access to this page.",
    purpose_title: "Purpose of access",
    purpose_intro: "Before you see the citizen's data, state the purpose. You are asked once per \
                    citizen in this session; the purpose is logged with every access, and the \
                    citizen may be told about it.",
    purpose_legend: "Why are you opening the case?",
    purpose_text_label: "Details",
    purpose_text_hint: "Required for “Other”. Do not write CPR numbers or names.",
    purpose_button: "Continue to the citizen",
    purpose_required: "Choose a purpose.",
    purpose_other_needs_text: "Say what the purpose is.",
    purpose_casework: "Casework",
    purpose_follow_up: "Follow-up",
    purpose_complaint: "Complaint",
    purpose_access_request: "Access request",
    purpose_other: "Other",
    msg_own_centre: "Must be one of your own centres",
    nav_settings: "Settings",
    settings_title: "Settings",
    settings_intro: "The disclosure threshold sets how small a count is withheld (shown as <k) in \
                     every figure for groups. Changes are logged.",
    settings_legend: "Disclosure control",
    threshold_label: "Disclosure threshold (k)",
    threshold_hint: "A whole number, at least 3. Counts from 1 to k−1 are withheld.",
    settings_button: "Save",
    settings_saved: "The setting has been saved.",
    threshold_invalid: "Must be a whole number, at least 3",
    role_caseworker: "Caseworker",
    role_analyst: "Analyst",
    role_manager: "Manager",
    role_admin: "Administrator",
};

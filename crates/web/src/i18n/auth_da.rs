//! The access-control pages in Danish.

use super::auth::AuthTexts;

/// Danish strings of the access-control pages.
pub(super) const DA: AuthTexts = AuthTexts {
    login_title: "Log ind",
    login_intro: "Sikker By indeholder oplysninger om unge og kriminalitet. Log ind med din egen bruger; \
                  al adgang til borgeres data logges med formål.",
    login_legend: "Log ind",
    username: "Brugernavn",
    password: "Adgangskode",
    login_button: "Log ind",
    login_failed: "Forkert brugernavn eller adgangskode.",
    login_locked: "Kontoen er låst efter for mange forkerte forsøg. Prøv igen om {minutes} minutter.",
    login_rate_limited: "For mange loginforsøg. Vent lidt, og prøv igen.",
    login_expired_form: "Formularen var udløbet. Prøv igen.",
    logged_out: "Du er logget ud.",
    signed_in_as: "Logget ind som",
    logout_button: "Log ud",
    forbidden_title: "Ingen adgang",
    forbidden_text: "Din rolle giver ikke adgang til denne side.",
    purpose_title: "Formål med opslaget",
    purpose_intro: "Før du ser borgerens oplysninger, skal du angive formålet. Det spørges én gang \
                    pr. borger i denne session og gemmes sammen med hvert opslag i loggen, som \
                    borgeren kan få indsigt i.",
    purpose_legend: "Hvorfor åbner du sagen?",
    purpose_text_label: "Uddybning",
    purpose_text_hint: "Skal udfyldes ved »Andet«. Skriv ikke CPR-numre eller navne.",
    purpose_button: "Fortsæt til borgeren",
    purpose_required: "Vælg et formål.",
    purpose_other_needs_text: "Skriv, hvad formålet er.",
    purpose_casework: "Sagsbehandling",
    purpose_follow_up: "Opfølgning",
    purpose_complaint: "Klage",
    purpose_access_request: "Aktindsigt / indsigt",
    purpose_other: "Andet",
    msg_own_centre: "Skal være et af dine egne centre",
    nav_settings: "Indstillinger",
    settings_title: "Indstillinger",
    settings_intro: "Diskretionsgrænsen styrer, hvor små tal der skjules (vises som <k) i alle \
                     tal for grupper. Ændringer logges.",
    settings_legend: "Diskretionering",
    threshold_label: "Diskretionsgrænse (k)",
    threshold_hint: "Et helt tal, mindst 3. Tal fra 1 til k−1 skjules.",
    settings_button: "Gem",
    settings_saved: "Indstillingen er gemt.",
    threshold_invalid: "Skal være et helt tal, mindst 3",
    role_caseworker: "Sagsbehandler",
    role_analyst: "Analytiker",
    role_manager: "Leder",
    role_admin: "Administrator",
};

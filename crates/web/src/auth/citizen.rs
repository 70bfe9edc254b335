//! A caseworker's access to one citizen, and the audit of it (docs/domain.md §9).
//!
//! A caseworker may open a citizen with an enrollment held by one of their own centres
//! ([`sikkerby_domain::access::can_read_case_data`]), or one they registered themselves in this
//! session and who has no enrollment yet (so that registering is followed by enrolling), or
//! one registered by one of their centres (held by it from the start). Anybody
//! else's citizen answers 404, exactly as a citizen that does not exist, and the attempt is
//! audited as denied. Before the first read in a session the caseworker gives a purpose
//! (`/borgere/{id}/formaal`); every read and write is then audited with that purpose *before*
//! anything is shown, and a read that cannot be audited is not made.
//!
//! Lists (search, worklist) are limited to the caseworker's centres in the query itself, and
//! every citizen listed gets an audit row.

use super::CurrentUser;
use crate::{AppError, AppState};
use chrono::Utc;
use sikkerby_domain::access::Purpose;
use sikkerby_store::audit::{AuditAction, AuditEntry};
use sikkerby_store::cases::{NewTakeover, Registration};
use sikkerby_store::session_purpose::{CitizenCentres, SessionPurpose};

/// Whether the user may open the citizen, given who holds the citizen's enrollments.
fn may_open(user: &CurrentUser, centres: &CitizenCentres, purpose: Option<&SessionPurpose>) -> bool {
    let own_centre = centres.centres.iter().any(|c| user.user.can_read_case_data(Some(c)));
    let registered_here = centres.enrollments == 0 && purpose.is_some_and(|p| p.registered);
    own_centre || registered_here
}

/// Checks that the user may reach the citizen at all (without a purpose yet) and returns the
/// purpose already given, if any. Another centre's citizen: audited as denied, then 404.
pub async fn reachable(
    state: &AppState,
    user: &CurrentUser,
    citizen_id: i64,
) -> Result<Option<SessionPurpose>, AppError> {
    let not_found = || AppError::NotFound(format!("citizen {citizen_id}"));
    let access =
        state.store.citizen_access(Some(user.session_token()), citizen_id).await?.ok_or_else(not_found)?;
    let (centres, purpose) = (access.centres, access.purpose);
    if !may_open(user, &centres, purpose.as_ref()) {
        // The purpose stated in this session, if any; never one the user did not give.
        let entry = AuditEntry::denied_about(&user.actor(), AuditAction::ReadCitizen, citizen_id, Utc::now());
        let entry = match &purpose {
            Some(p) => entry.purpose(p.purpose, &p.text),
            None => entry,
        };
        let entry = entry.detail("not enrolled with the user's centres");
        state.store.audit(&entry).await?;
        tracing::warn!(user_id = user.user.id, citizen_id, "citizen outside the user's centres refused");
        return Err(not_found());
    }
    Ok(purpose)
}

/// Opens a citizen for reading (`ReadCitizen`) or writing (`WriteCase`): checks the centres,
/// asks for the purpose if none was given in this session (a redirect to the purpose form), and
/// writes the audit row before the caller reads or shows anything.
pub async fn open(
    state: &AppState,
    user: &CurrentUser,
    citizen_id: i64,
    action: AuditAction,
) -> Result<SessionPurpose, AppError> {
    let purpose = reachable(state, user, citizen_id).await?.ok_or(AppError::PurposeNeeded(citizen_id))?;
    let entry =
        AuditEntry::about(&user.actor(), action, citizen_id, purpose.purpose, &purpose.text, Utc::now());
    state.store.audit(&entry).await?;
    Ok(purpose)
}

/// A citizen opened from the worklist (`?fra=opfoelgninger`): when no purpose was given for
/// them in this session and they have an open follow-up in the user's centres (so they are on
/// the user's list), the list's purpose, follow-up, is recorded for the session; the read that
/// follows is audited with it as any other. Anyone else is asked as usual.
pub async fn carry_follow_up_purpose(
    state: &AppState,
    user: &CurrentUser,
    citizen_id: i64,
) -> Result<(), AppError> {
    if reachable(state, user, citizen_id).await?.is_some() {
        return Ok(());
    }
    let centres = scope(user).unwrap_or_default();
    if state.store.has_open_follow_up_within(citizen_id, centres).await? {
        let purpose = SessionPurpose {
            purpose: Purpose::FollowUp,
            text: FROM_WORKLIST_TEXT.into(),
            registered: false,
            set_at: Utc::now(),
        };
        state.store.set_session_purpose(user.session_token(), citizen_id, &purpose).await?;
    }
    Ok(())
}

/// The purpose text of a citizen opened from the worklist.
const FROM_WORKLIST_TEXT: &str = "fra opfølgningslisten";

/// Audits a list of citizens about to be shown (a search result, the worklist), one row each,
/// all in one transaction, before the list is shown.
pub async fn listed(
    state: &AppState,
    user: &CurrentUser,
    citizens: impl IntoIterator<Item = i64>,
    purpose: Purpose,
    what: &str,
) -> Result<(), AppError> {
    let now = Utc::now();
    let actor = user.actor();
    let entries: Vec<AuditEntry> = citizens
        .into_iter()
        .map(|id| AuditEntry::about(&actor, AuditAction::Search, id, purpose, what, now))
        .collect();
    state.store.audit_all(&entries).await?;
    Ok(())
}

/// The centres a list of citizens is limited to: the caseworker's own.
pub fn scope(user: &CurrentUser) -> Option<&[String]> {
    Some(&user.user.centres)
}

/// Where a registration leads the caseworker.
pub enum Registered {
    /// A citizen one of the caseworker's centres holds already: their page (nothing changed).
    Own(i64),
    /// Anything else: the receipt ([`RECEIVED`]), the same answer whether a new citizen was
    /// created in the caseworker's centre or the number was registered already, held by another
    /// centre or by none (then a takeover request was made); nothing of such a citizen is shown
    /// or changed.
    Received,
}

/// The receipt of a registration (see [`Registered::Received`]).
pub const RECEIVED: &str = "/borgere/ny?modtaget=1";

/// Decides what a registration may show the user (see [`Registered`]) and audits the attempt
/// (`register_attempt`; a new citizen's row committed with the citizen, in the store). A CPR
/// number registered outside the user's centres becomes a takeover request of the user's
/// registering centre, its audit row in the same transaction.
pub async fn registration(
    state: &AppState,
    user: &CurrentUser,
    outcome: Registration,
    typed_name: Option<String>,
) -> Result<Registered, AppError> {
    let (citizen_id, holders) = match outcome {
        Registration::Created(id) => {
            registered(state, user, id).await?;
            state.evaluator.citizen_changed(id).await?;
            return Ok(Registered::Received);
        }
        Registration::Existing { citizen_id, holders } => (citizen_id, holders),
    };
    let now = Utc::now();
    if holders.iter().any(|c| user.user.can_read_case_data(Some(c))) {
        let entry = AuditEntry::about(
            &user.actor(),
            AuditAction::RegisterAttempt,
            citizen_id,
            Purpose::Casework,
            REGISTRATION,
            now,
        )
        .detail("existing citizen of the user's centre: nothing changed");
        state.store.audit(&entry).await?;
        return Ok(Registered::Own(citizen_id));
    }
    // The audit may say which; the user is told neither.
    let held = if holders.is_empty() { "held by no centre" } else { "held by another centre" };
    // No purpose: none was given for this citizen (the registration's is for a new one).
    let entry = AuditEntry::denied_about(&user.actor(), AuditAction::RegisterAttempt, citizen_id, now);
    match registering_centre(user, None) {
        Some(requesting_centre) => {
            let decides = if holders.is_empty() { "a manager decides" } else { "the holding centre decides" };
            let entry = entry.detail(format!("{held}: takeover request for {requesting_centre}; {decides}"));
            let request =
                NewTakeover { citizen_id, requesting_centre, requested_by: user.user.id, typed_name };
            state.store.request_takeover(&request, &entry).await?;
        }
        None => {
            let entry = entry.detail(format!("{held}: no centre of the user's to request for"));
            state.store.audit(&entry).await?;
        }
    }
    tracing::warn!(
        user_id = user.user.id,
        "registration of a citizen outside the user's centres: receipt only"
    );
    Ok(Registered::Received)
}

/// The centre a caseworker's registration is held by: the one chosen, if it is their own,
/// else their first centre.
pub fn registering_centre(user: &CurrentUser, given: Option<String>) -> Option<String> {
    own_centre(user, given).or_else(|| user.user.centres.first().cloned())
}

/// The purpose text of a registration (the session's purpose for the new citizen, and the audit
/// row of the registration).
pub const REGISTRATION: &str = "registrering";

/// After a citizen was registered: the session may open them (purpose: casework, registration)
/// until they are enrolled. The registration itself is audited in its own transaction
/// (`sikkerby_store::audit::audited_write`).
pub async fn registered(state: &AppState, user: &CurrentUser, citizen_id: i64) -> Result<(), AppError> {
    let purpose = SessionPurpose {
        purpose: Purpose::Casework,
        text: REGISTRATION.into(),
        registered: true,
        set_at: Utc::now(),
    };
    state.store.set_session_purpose(user.session_token(), citizen_id, &purpose).await?;
    Ok(())
}

/// The centre of a new enrollment made by a caseworker: one of their own (the only one when
/// the field is left empty and they have one), so that no caseworker files a case with another
/// centre. `None` when it is not.
pub fn own_centre(user: &CurrentUser, given: Option<String>) -> Option<String> {
    let own = &user.user.centres;
    match given.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()) {
        Some(centre) if user.user.can_read_case_data(Some(&centre)) => Some(centre),
        None if own.len() == 1 => Some(own[0].clone()),
        _ => None,
    }
}

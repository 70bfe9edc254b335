//! The demo's users for `serve --demo`: one per role, each with a random password made at every
//! start and printed once to standard output (never to the log), so that someone trying the demo
//! can sign in and the passwords of an earlier start stop working. Real deployments add users with
//! `sikkerby user add`.

use anyhow::Context;
use chrono::Utc;
use rand::distributions::{Alphanumeric, DistString};
use sikkerby_domain::access::{AssessmentSource, Role};
use sikkerby_store::audit::Actor;
use sikkerby_store::users::{NewUser, PartnerAccess};
use sikkerby_store::Store;

/// The demo users: username, role, centres (the generator's centre `JKU Nord`).
const DEMO_USERS: [(&str, Role, &[&str]); 5] = [
    ("sagsbehandler", Role::Caseworker, &["JKU Nord"]),
    ("analytiker", Role::Analyst, &[]),
    ("leder", Role::Manager, &[]),
    ("admin", Role::Admin, &[]),
    ("ssp", Role::Partner, &[]),
];

/// The demo partner: the SSP leader group of Brønshøj-Husum (Tingbjerg, the memo's focus area).
const DEMO_PARTNER_DISTRICTS: &[&str] = &["broenshoej_husum"];

/// The source and districts of a demo user (none but the partner has any).
fn demo_partner(role: Role) -> PartnerAccess {
    match role {
        Role::Partner => PartnerAccess {
            source: Some(AssessmentSource::SspLeaderGroup),
            districts: DEMO_PARTNER_DISTRICTS.iter().map(|d| (*d).to_owned()).collect(),
        },
        _ => PartnerAccess::default(),
    }
}

/// How many of its centre's caseworker codes the demo caseworker works under.
const DEMO_CODES: usize = 2;

/// Gives the demo caseworker the first caseworker codes of their centre in the loaded demo data,
/// so that "Min liste" on the worklist has rows.
async fn demo_codes(
    store: &Store,
    user_id: i64,
    centres: &[&str],
    actor: &Actor,
) -> anyhow::Result<Vec<String>> {
    let mut codes = Vec::new();
    for centre in centres {
        codes.extend(store.caseworker_codes_of_centre(centre).await?.into_iter().take(DEMO_CODES));
    }
    Ok(store.set_user_caseworker_codes(user_id, &codes, actor, Utc::now()).await?)
}

/// Creates the demo users (or gives the existing ones a new password) and prints how to sign in.
pub async fn create(store: &Store, base_url: &str) -> anyhow::Result<()> {
    let actor = Actor::system("demo");
    let now = Utc::now();
    let mut lines = Vec::new();
    for (username, role, centres) in DEMO_USERS {
        let password = Alphanumeric.sample_string(&mut rand::rngs::OsRng, 20);
        let id = match store.user_by_username(username).await? {
            Some(user) => {
                store
                    .set_user_password(user.id, &password, &actor, now)
                    .await
                    .with_context(|| format!("new password for the demo user {username}"))?;
                user.id
            }
            None => {
                let new = NewUser {
                    username: username.to_owned(),
                    display_name: format!("Demo {}", role.label_da().to_lowercase()),
                    role: Some(role),
                    centres: centres.iter().map(|c| (*c).to_owned()).collect(),
                    password: password.clone(),
                };
                store
                    .create_user_with_access(&new, &[], &demo_partner(role), &actor, now)
                    .await
                    .with_context(|| format!("demo user {username}"))?
                    .id
            }
        };
        let codes =
            if role == Role::Caseworker { demo_codes(store, id, centres, &actor).await? } else { Vec::new() };
        let mut scope = if centres.is_empty() { String::new() } else { format!(", {}", centres.join(", ")) };
        if role == Role::Partner {
            scope.push_str(&format!(", SSP-ledergruppen, {}", DEMO_PARTNER_DISTRICTS.join(", ")));
        }
        if !codes.is_empty() {
            scope.push_str(&format!(", {}", codes.join(", ")));
        }
        lines.push(format!("  {username:<14} {password}   ({}{scope})", role.label_da()));
    }
    // Printed, not logged: the passwords must not end up in a log collector.
    println!("demo: sign in at {base_url}login with one of these users (new passwords at every start):");
    for line in lines {
        println!("{line}");
    }
    Ok(())
}

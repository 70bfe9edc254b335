//! The demo's users for `serve --demo`: one per role, each with a random password made at every
//! start and printed once to standard output (never to the log), so that someone trying the demo
//! can sign in and the passwords of an earlier start stop working. Real deployments add users with
//! `sikkerby user add`.

use anyhow::Context;
use chrono::Utc;
use rand::distributions::{Alphanumeric, DistString};
use sikkerby_domain::access::Role;
use sikkerby_store::audit::Actor;
use sikkerby_store::users::NewUser;
use sikkerby_store::Store;

/// The demo users: username, role, centres (the generator's centre `JKU Nord`).
const DEMO_USERS: [(&str, Role, &[&str]); 4] = [
    ("sagsbehandler", Role::Caseworker, &["JKU Nord"]),
    ("analytiker", Role::Analyst, &[]),
    ("leder", Role::Manager, &[]),
    ("admin", Role::Admin, &[]),
];

/// Creates the demo users (or gives the existing ones a new password) and prints how to sign in.
pub async fn create(store: &Store, base_url: &str) -> anyhow::Result<()> {
    let actor = Actor::system("demo");
    let now = Utc::now();
    let mut lines = Vec::new();
    for (username, role, centres) in DEMO_USERS {
        let password = Alphanumeric.sample_string(&mut rand::rngs::OsRng, 20);
        match store.user_by_username(username).await? {
            Some(user) => store
                .set_user_password(user.id, &password, &actor, now)
                .await
                .with_context(|| format!("new password for the demo user {username}"))?,
            None => {
                let new = NewUser {
                    username: username.to_owned(),
                    display_name: format!("Demo {}", role.label_da().to_lowercase()),
                    role: Some(role),
                    centres: centres.iter().map(|c| (*c).to_owned()).collect(),
                    password: password.clone(),
                };
                store
                    .create_user(&new, &actor, now)
                    .await
                    .with_context(|| format!("demo user {username}"))?;
            }
        }
        let scope = if centres.is_empty() { String::new() } else { format!(", {}", centres.join(", ")) };
        lines.push(format!("  {username:<14} {password}   ({}{scope})", role.label_da()));
    }
    // Printed, not logged: the passwords must not end up in a log collector.
    println!("demo: sign in at {base_url}login with one of these users (new passwords at every start):");
    for line in lines {
        println!("{line}");
    }
    Ok(())
}

//! `sikkerby user`, `audit` and `retention`: administration from the command line.
//!
//! The command line acts as the system (`Actor::system("cli")`): whoever can run it can reach
//! the database anyway. A password is read from standard input and never printed; a CPR number
//! is printed only masked.

use crate::admin_args::{AuditCommand, RetentionCommand, UserAddArgs, UserCommand};
use anyhow::{bail, Context};
use chrono::Utc;
use sikkerby_domain::access::Purpose;
use sikkerby_domain::cpr::Cpr;
use sikkerby_domain::terminal_text::escape_controls;
use sikkerby_store::audit::{Actor, AuditAction, AuditEntry, AuditError};
use sikkerby_store::users::password_reset::RESET_HOURS;
use sikkerby_store::users::{check_caseworker_codes, NewUser, PartnerAccess, User};
use sikkerby_store::Store;
use std::io::BufRead;

fn actor() -> Actor {
    Actor::system("cli")
}

/// The first line of standard input without its line end; an empty one is refused.
fn read_secret_line(what: &str) -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .with_context(|| format!("reading the {what} from standard input"))?;
    let line = line.trim_end_matches(['\n', '\r']).to_owned();
    if line.is_empty() {
        bail!("no {what} on standard input: pipe it in, e.g. `printf '%s' \"$PW\" | sikkerby user add …`");
    }
    Ok(line)
}

pub async fn user(store: &Store, command: UserCommand) -> anyhow::Result<()> {
    match command {
        UserCommand::Add(args) => add_user(store, args).await,
        UserCommand::List => list_users(store).await,
        UserCommand::ResetPassword { username } => {
            let user = named_user(store, &username).await?;
            let code = store
                .issue_password_reset(user.id, &actor(), Utc::now())
                .await
                .with_context(|| format!("issuing a reset code for {}", user.username))?;
            println!("one-time code for {} (valid {RESET_HOURS} hours, once):", user.username);
            println!("{code}");
            println!("the user sets a new password with it on /nulstil-adgangskode");
            Ok(())
        }
        UserCommand::Unlock { username } => {
            let user = named_user(store, &username).await?;
            store.unlock_user(user.id, &actor(), Utc::now()).await.context("unlocking the user")?;
            println!("user {} unlocked", user.username);
            Ok(())
        }
    }
}

/// The user with this login name, or an error naming it.
async fn named_user(store: &Store, username: &str) -> anyhow::Result<User> {
    let found = store.user_by_username(username).await?;
    found.with_context(|| format!("no user named {:?}", escape_controls(username)))
}

async fn add_user(store: &Store, args: UserAddArgs) -> anyhow::Result<()> {
    if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        eprint!("password for {} (shown as typed): ", args.username);
    }
    let role = args.role.into();
    // Refused before the password is read, so that a bad code asks for nothing.
    check_caseworker_codes(role, &args.caseworker_codes).context("adding the user")?;
    let password = read_secret_line("password")?;
    let new = NewUser {
        username: args.username,
        display_name: args.display_name,
        role: Some(role),
        centres: args.centres,
        password,
    };
    let partner = PartnerAccess { source: args.source.map(Into::into), districts: args.districts };
    let user = store
        .create_user_with_access(&new, &args.caseworker_codes, &partner, &actor(), Utc::now())
        .await
        .context("adding the user")?;
    let codes = store.user_caseworker_codes(user.id).await?;
    let centres =
        if user.centres.is_empty() { String::new() } else { format!(", {}", user.centres.join(", ")) };
    let codes = if codes.is_empty() { String::new() } else { format!(", codes {}", codes.join(", ")) };
    let partner = match store.partner_assignment(user.id).await? {
        Some(p) => format!(", {} for {}", p.source, p.districts.join(", ")),
        None => String::new(),
    };
    println!("user {} added (#{}, {}{centres}{codes}{partner})", user.username, user.id, user.role);
    Ok(())
}

async fn list_users(store: &Store) -> anyhow::Result<()> {
    let users = store.users().await?;
    println!("{:<5} {:<24} {:<11} {:<9} {:<30} name", "id", "username", "role", "state", "centres");
    let now = Utc::now();
    for u in &users {
        let state = match (u.active, u.locked_until) {
            (false, _) => "inactive",
            (true, Some(until)) if until > now => "locked",
            _ => "active",
        };
        // A partner's source and districts stand where a caseworker's centres do.
        let centres = match store.partner_assignment(u.id).await? {
            Some(p) => format!("{}: {}", p.source, p.districts.join(", ")),
            None => u.centres.join(", "),
        };
        println!(
            "{:<5} {:<24} {:<11} {:<9} {:<30} {}",
            u.id, u.username, u.role, state, centres, u.display_name
        );
    }
    println!("{} user(s)", users.len());
    Ok(())
}

pub async fn audit(store: &Store, command: AuditCommand) -> anyhow::Result<()> {
    match command {
        AuditCommand::Verify => verify(store).await,
        AuditCommand::Subject { cpr } => subject(store, &cpr).await,
    }
}

async fn verify(store: &Store) -> anyhow::Result<()> {
    match store.verify_audit().await {
        Ok(rows) => {
            let (seq, hash) = store.audit_head().await?;
            println!("audit log intact: {rows} rows; last seq {seq}, head hash {hash}");
            println!("(keep the head hash outside the database to detect a rewrite of the whole log)");
            Ok(())
        }
        Err(AuditError::Broken(broken)) => bail!("{broken}"),
        Err(AuditError::Store(e)) => Err(e).context("reading the audit log"),
    }
}

async fn subject(store: &Store, raw: &str) -> anyhow::Result<()> {
    let raw = if raw == "-" { read_secret_line("CPR number")? } else { raw.to_owned() };
    let cpr = Cpr::parse(&raw).context("the CPR number")?.cpr;
    let Some(id) = store.citizen_id_by_cpr(&cpr).await? else {
        bail!(
            "no citizen registered with CPR number {} (deleted citizens cannot be found by CPR)",
            cpr.masked()
        );
    };
    let reads = store.audit_subject(id).await?;
    println!("processing of the data of {} (internal id {id}): {} entries", cpr.masked(), reads.len());
    for read in &reads {
        let purpose = read.purpose.map_or("-", |p| p.code());
        let role = read.role.map_or("system", |r| r.code());
        let when = read.at.format("%Y-%m-%d %H:%M UTC");
        // Stored text is shown escaped: a row cannot forge another or drive the terminal.
        let (action, text) = (escape_controls(&read.action), escape_controls(&read.purpose_text));
        println!("{when}  {purpose:<16} {action:<16} {role:<10} {text}");
    }
    let disclosures = store.disclosures_of(id).await?;
    println!("disclosures: {}", disclosures.len());
    for d in &disclosures {
        println!(
            "{}  {}  {} {}  {}",
            escape_controls(d.at.get(..10).unwrap_or(&d.at)),
            escape_controls(&d.recipient),
            escape_controls(&d.legal_basis),
            escape_controls(&d.purpose),
            escape_controls(&d.what)
        );
    }
    let entry =
        AuditEntry::about(&actor(), AuditAction::SubjectAccess, id, Purpose::SubjectAccess, "", Utc::now());
    store.audit(&entry).await.context("auditing the access report")?;
    Ok(())
}

pub async fn retention(store: &Store, command: RetentionCommand) -> anyhow::Result<()> {
    let RetentionCommand::Run { as_of, dry_run } = command;
    let as_of = as_of.unwrap_or_else(|| Utc::now().date_naive());
    if dry_run {
        let due = store.retention_due(as_of).await?;
        for d in &due {
            println!(
                "would delete citizen #{} (retention date {}, {})",
                d.citizen_id,
                d.retention_date,
                d.rule.code()
            );
        }
        println!("{} citizen(s) due as of {as_of}; nothing deleted", due.len());
        return Ok(());
    }
    let report = store.retention_run(as_of, &actor()).await.context("deleting expired personal data")?;
    println!("retention as of {as_of}: {} citizen(s) deleted, tombstones left", report.deleted.len());
    Ok(())
}

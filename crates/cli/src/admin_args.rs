//! Arguments of the administrative commands: `user`, `audit` and `retention`.

use clap::{Args, Subcommand, ValueEnum};
use sikkerby_domain::access::{AssessmentSource, Role};

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user. The password is read from standard input (its first line, at least 12
    /// characters); there is no default password.
    Add(UserAddArgs),
    /// List the users with their roles, centres and state.
    List,
    /// Issue a one-time code with which the user sets a new password on /nulstil-adgangskode
    /// (valid 24 hours, once; an earlier code stops working). The code is printed once.
    ResetPassword {
        /// The user's login name.
        username: String,
    },
    /// Lift a lock after failed logins; the counter starts again at zero.
    Unlock {
        /// The user's login name.
        username: String,
    },
}

#[derive(Debug, Args)]
pub struct UserAddArgs {
    /// Login name (3-64 characters: a-z, digits, '.', '_', '-'; stored in lower case).
    #[arg(long)]
    pub username: String,
    /// What the user may do: caseworker (own centres' citizens), analyst (aggregates and
    /// pseudonymised data), manager (aggregates, approvals), admin (users, configuration),
    /// partner (the half-yearly assessments of its own districts, nothing else).
    #[arg(long, value_enum)]
    pub role: RoleArg,
    /// A centre the caseworker works for; repeat for several. Required for caseworkers only.
    #[arg(long = "centre")]
    pub centres: Vec<String>,
    /// A caseworker code (the extract's sagsbehandlerkode, e.g. JKU-A17) the caseworker works
    /// under; repeat for several. The worklist's "Min liste" shows these codes' follow-ups.
    #[arg(long = "caseworker-code")]
    pub caseworker_codes: Vec<String>,
    /// Whose assessments a partner submits. Required for partners only.
    #[arg(long, value_enum)]
    pub source: Option<SourceArg>,
    /// A district (its id, e.g. noerrebro) a partner assesses; repeat for several. Required
    /// for partners only.
    #[arg(long = "district")]
    pub districts: Vec<String>,
    /// Name shown in the interface (default: the username).
    #[arg(long, default_value = "")]
    pub display_name: String,
}

/// The roles as the command line spells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    Admin,
    Manager,
    Analyst,
    Caseworker,
    Partner,
}

/// The assessment sources as the command line spells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SourceArg {
    /// The district's SSP leader group.
    #[value(name = "ssp_ledergruppe")]
    SspLeaderGroup,
    /// The social services (Socialforvaltningen).
    #[value(name = "socialforvaltning")]
    SocialServices,
}

impl From<SourceArg> for AssessmentSource {
    fn from(source: SourceArg) -> Self {
        match source {
            SourceArg::SspLeaderGroup => AssessmentSource::SspLeaderGroup,
            SourceArg::SocialServices => AssessmentSource::SocialServices,
        }
    }
}

impl From<RoleArg> for Role {
    fn from(role: RoleArg) -> Self {
        match role {
            RoleArg::Admin => Role::Admin,
            RoleArg::Manager => Role::Manager,
            RoleArg::Analyst => Role::Analyst,
            RoleArg::Caseworker => Role::Caseworker,
            RoleArg::Partner => Role::Partner,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the audit log's hash chain; fails naming the first changed or missing row.
    Verify,
    /// List when and why a citizen's data were read or disclosed (for an access request).
    /// Output shows the CPR number masked only.
    Subject {
        /// The citizen's CPR number (DDMMYY-SSSS), or `-` to read it from standard input so it
        /// stays out of the shell history.
        cpr: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum RetentionCommand {
    /// Delete the personal data of citizens whose retention date has passed, leaving
    /// non-identifying tombstones; every deletion is audited.
    Run {
        /// Run as of this date (YYYY-MM-DD); default today.
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
        /// Only list what would be deleted.
        #[arg(long)]
        dry_run: bool,
    },
}

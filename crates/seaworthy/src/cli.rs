//! Command-line arguments. The global options are docker compose's, so a user can swap
//! `docker compose` for `seaworthy` in a command they already have.

use clap::{Args, Parser, Subcommand, ValueEnum};
use seaworthy_rules::settings::HostProfile;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "seaworthy",
    version,
    about = "Tells whether a Docker Compose deployment is fit for production"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalOptions,
    #[command(subcommand)]
    pub command: Command,
}

/// docker compose's global options.
#[derive(Args, Debug, Clone, Default)]
pub struct GlobalOptions {
    /// Compose configuration files (`-` for standard input); repeatable, merged in order
    #[arg(short = 'f', long = "file", value_name = "FILE", global = true)]
    pub files: Vec<PathBuf>,
    /// Project name
    #[arg(short = 'p', long = "project-name", value_name = "NAME", global = true)]
    pub project_name: Option<String>,
    /// Environment files (default: .env in the project directory); repeatable
    #[arg(long = "env-file", value_name = "FILE", global = true)]
    pub env_files: Vec<PathBuf>,
    /// Profiles to enable; repeatable
    #[arg(long = "profile", value_name = "NAME", global = true)]
    pub profiles: Vec<String>,
    /// Working directory of the project (default: the directory of the first file)
    #[arg(long = "project-directory", value_name = "DIR", global = true)]
    pub project_directory: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check each project for production readiness and show where to fix it
    Check(CheckArgs),
    /// Print the merged, normalized model exactly as `docker compose config` does
    Config(ConfigArgs),
    /// List the rules
    Rules(RulesArgs),
    /// Print one rule's documentation
    Explain(ExplainArgs),
    /// Propose the targets of seaworthy.toml from the repository's compose files
    Init(InitArgs),
    /// Post a deployment notification to a Slack, Discord or generic JSON webhook, with
    /// retries; never fails the deployment unless --strict
    Notify(NotifyArgs),
    /// Check the file secrets of every target, or create the missing ones
    Secrets(SecretsArgs),
    /// Write the production overlay that fixes what can be fixed safely, after checking the
    /// target again with it
    Harden(HardenArgs),
}

#[derive(Args, Debug)]
pub struct HardenArgs {
    /// Project directory or compose file (default: the project the global options name)
    pub paths: Vec<PathBuf>,
    /// The target of seaworthy.toml to harden (needed when it has several)
    #[arg(long, value_name = "NAME")]
    pub target: Option<String>,
    /// Where to write the overlay; `-` prints it (default: compose.hardened.yaml beside the
    /// target's last file)
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace the output file when it exists
    #[arg(long)]
    pub force: bool,
    /// Also write the fixes that may break a service (capabilities of unknown images, ...)
    #[arg(long = "unsafe")]
    pub unsafe_fixes: bool,
    /// Show what the overlay changes in the merged model instead of writing it
    #[arg(long)]
    pub diff: bool,
}

#[derive(Args, Debug)]
pub struct SecretsArgs {
    #[command(subcommand)]
    pub command: SecretsCommand,
}

#[derive(Subcommand, Debug)]
pub enum SecretsCommand {
    /// Check every file secret as the deploy host has it: it exists, is a non-empty regular
    /// file, owner-only (0600 or 0400), not tracked by git, ignored by .gitignore, and not sent
    /// by a build context
    Check(SecretsCheckArgs),
    /// Create each missing secret file from the operating system's random generator, mode
    /// 0600 in a directory of mode 0700, never over an existing file; prints names, never
    /// values
    Init(SecretsInitArgs),
}

#[derive(Args, Debug)]
pub struct SecretsCheckArgs {
    /// Project directories or compose files (default: the project the global options name)
    pub paths: Vec<PathBuf>,
    /// Check only this target of seaworthy.toml (repeatable; default: every target)
    #[arg(long, value_name = "NAME")]
    pub target: Vec<String>,
    /// Exit with status 1 when a finding is at least this severe
    #[arg(long, value_enum, default_value_t = FailOn::Medium)]
    pub fail_on: FailOn,
    /// Exit with status 0 whatever is found (the project must still load)
    #[arg(long)]
    pub exit_zero: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
    /// Write the report to this file instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct SecretsInitArgs {
    /// Project directories or compose files (default: the project the global options name)
    pub paths: Vec<PathBuf>,
    /// Only the secrets of this target of seaworthy.toml (repeatable; default: every target)
    #[arg(long, value_name = "NAME")]
    pub target: Vec<String>,
    /// Characters in each generated secret
    #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u16).range(8..))]
    pub length: u16,
    /// The characters secrets are made of
    #[arg(long, value_enum, default_value_t = SecretCharset::Alnum)]
    pub charset: SecretCharset,
    /// List the files that would be created, and create none
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecretCharset {
    /// A-Z, a-z and 0-9: safe in URLs, shells and connection strings
    Alnum,
    /// 0-9 and a-f
    Hex,
    /// Base64 characters (with + and /), no padding
    Base64,
}

#[derive(Args, Debug)]
pub struct NotifyArgs {
    /// How it went
    #[arg(value_enum)]
    pub status: NotifyStatus,
    /// What to say
    pub message: String,
    /// The file holding the webhook URL (default: the DEPLOY_WEBHOOK_URL variable, else
    /// `webhook-url-file` in seaworthy.toml's [notify])
    #[arg(long, value_name = "FILE")]
    pub webhook_url_file: Option<PathBuf>,
    /// The payload to send (default: from the URL's host, else seaworthy.toml's [notify] kind:
    /// hooks.slack.com is slack, discord.com/api/webhooks is discord, anything else generic)
    #[arg(long, value_enum)]
    pub kind: Option<NotifyKindArg>,
    /// A detail to add, such as version, commit or environment (repeatable)
    #[arg(long = "field", value_name = "KEY=VALUE", value_parser = parse_field)]
    pub fields: Vec<(String, String)>,
    /// The project named in the notification (default: seaworthy.toml's [notify] project, else
    /// the current directory's name)
    #[arg(long, value_name = "NAME")]
    pub project: Option<String>,
    /// The deployment target named in the notification
    #[arg(long, value_name = "NAME")]
    pub target: Option<String>,
    /// The longest the whole delivery may take, retries included
    #[arg(long, value_name = "SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub max_time: u64,
    /// The longest one attempt may take
    #[arg(long, value_name = "SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,
    /// Attempts after the first one, on network errors, 429 and 5xx answers
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u32).range(0..=100))]
    pub retries: u32,
    /// Exit with status 1 when the notification is not delivered (no webhook configured
    /// included)
    #[arg(long)]
    pub strict: bool,
    /// Print the payload and send nothing
    #[arg(long)]
    pub dry_run: bool,
    /// The wait before the first retry, in milliseconds (for tests)
    #[arg(long, value_name = "MS", default_value_t = 500, hide = true)]
    pub backoff_base_ms: u64,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotifyStatus {
    Success,
    Failure,
    Warning,
    Info,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotifyKindArg {
    Slack,
    Discord,
    Generic,
}

#[derive(Args, Debug)]
pub struct InitArgs {
    /// The repository root (default: the current directory)
    pub path: Option<std::path::PathBuf>,
    /// Write seaworthy.toml there (never over an existing file) instead of printing it
    #[arg(long)]
    pub write: bool,
}

#[derive(Args, Debug)]
pub struct RulesArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = RulesFormat::Table)]
    pub format: RulesFormat,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RulesFormat {
    Table,
    Json,
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// The rule's name (`memory-limit`) or code (`SW101`)
    pub rule: String,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Project directories or compose files; several are independent projects (default: the
    /// project the global options name, as docker compose would load it)
    pub paths: Vec<PathBuf>,
    /// Exit with status 1 when a finding is at least this severe (default: `fail-on` of
    /// seaworthy.toml, else high)
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// The host the project runs on, for `limit-out-of-range` and `resource-budget`
    /// (`cpus=8,memory=16GiB`; default: the files' `x-seaworthy.host`)
    #[arg(long, value_name = "cpus=N,memory=SIZE", value_parser = parse_host)]
    pub host: Option<HostProfile>,
    /// Run only these rules (repeatable or comma-separated)
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Do not run these rules (repeatable or comma-separated)
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Exit with status 0 whatever is found (the project must still load)
    #[arg(long)]
    pub exit_zero: bool,
    /// Check only this target of seaworthy.toml (repeatable; default: every target)
    #[arg(long, value_name = "NAME")]
    pub target: Vec<String>,
    /// Advisory rules judge every service, not only those where the risk is usual
    /// (reservations, read-only root file systems, image digests)
    #[arg(long)]
    pub strict: bool,
    /// The files are the deployment itself (on the server), not a checkout: judge secret files
    /// that git leaves out and their permissions
    #[arg(long)]
    pub deploy_tree: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
    /// Write the report to this file instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also post a summary (counts by severity, failing targets, first findings) to the
    /// webhook `seaworthy notify` uses; a failed delivery is a warning
    #[arg(long)]
    pub notify: bool,
}

impl CheckArgs {
    /// The targets these paths and target names select, with every check option at its
    /// default: what the commands that act on targets (`harden`, `secrets`) start from.
    pub fn for_targets(paths: &[PathBuf], target: Vec<String>) -> CheckArgs {
        CheckArgs {
            paths: paths.to_vec(),
            fail_on: None,
            host: None,
            select: Vec::new(),
            ignore: Vec::new(),
            exit_zero: false,
            target,
            strict: false,
            deploy_tree: false,
            format: CheckFormat::Human,
            output: None,
            notify: false,
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckFormat {
    Human,
    Json,
    Sarif,
    Junit,
    Github,
    Markdown,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    Info,
    Low,
    Medium,
    High,
    Critical,
    Error,
}

#[derive(Args, Debug)]
pub struct ConfigArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = ConfigFormat::Yaml)]
    pub format: ConfigFormat,
    /// Print the names of the active services, one per line
    #[arg(long)]
    pub services: bool,
    /// Print the names of every profile, one per line
    #[arg(long = "profiles", id = "list_profiles")]
    pub profiles: bool,
    /// Print the names of the volumes, one per line
    #[arg(long)]
    pub volumes: bool,
    /// Print the names of the networks, one per line
    #[arg(long)]
    pub networks: bool,
    /// Print the images of the services, one per line
    #[arg(long)]
    pub images: bool,
    /// Do not interpolate variables
    #[arg(long)]
    pub no_interpolate: bool,
    /// Only validate the configuration, print nothing
    #[arg(short, long)]
    pub quiet: bool,
    /// Annotate every value with the file and line that set it (`# docker/compose.prod.yaml:12`)
    #[arg(long)]
    pub origins: bool,
    /// Save to this file instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Only these services (and what they depend on)
    pub service_names: Vec<String>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfigFormat {
    Yaml,
    Json,
}

/// `KEY=VALUE`: the key is not empty, the value may be.
fn parse_field(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((key, value)) if !key.trim().is_empty() => {
            Ok((key.trim().to_owned(), value.to_owned()))
        }
        Some(_) => Err(format!("`{text}` has no key before `=`")),
        None => Err(format!("`{text}` is not KEY=VALUE")),
    }
}

fn parse_host(text: &str) -> Result<HostProfile, String> {
    HostProfile::parse(text)
}

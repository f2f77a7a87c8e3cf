//! `seaworthy notify STATUS MESSAGE`: finds the webhook URL (`--webhook-url-file`, then
//! `DEPLOY_WEBHOOK_URL`, then seaworthy.toml's `[notify] webhook-url-file`), builds the payload
//! the service expects and delivers it with `seaworthy-ops`. It is fail-safe: a missing
//! webhook or a failed delivery is a warning and exit 0, unless `--strict` (then 1). The URL
//! is a secret: only its host is ever printed.

use crate::cli::{NotifyArgs, NotifyKindArg, NotifyStatus};
use crate::commands::check::find_settings;
use seaworthy_compose::Sources;
use seaworthy_ops::notify::{Kind, Notification, Outcome, Policy, Status, WebhookUrl, payload};
use seaworthy_rules::settings::{NotifyKind, NotifySettings};
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, SystemTime};

const URL_VARIABLE: &str = "DEPLOY_WEBHOOK_URL";

// A URL file bigger than this is not a URL file; reading stops there.
const URL_FILE_LIMIT: u64 = 64 * 1024;

pub fn run(args: &NotifyArgs) -> anyhow::Result<ExitCode> {
    let cwd = std::env::current_dir()?;
    let (settings, settings_dir) = notify_settings(&cwd);
    let webhook = find_webhook(
        args.webhook_url_file.as_deref(),
        args.kind.map(kind_of_arg),
        &settings,
        &settings_dir,
        &cwd,
    );
    let notification = notification(args, &settings, &cwd);
    let policy = Policy {
        attempt_timeout: Duration::from_secs(args.timeout),
        max_time: Duration::from_secs(args.max_time),
        retries: args.retries,
        base_delay: Duration::from_millis(args.backoff_base_ms),
        ..Policy::default()
    };
    send(&webhook, &notification, &policy, args.strict, args.dry_run)
}

/// Where a notification goes: the URL (or why there is none) and the payload kind.
pub(crate) struct Webhook {
    pub url: Result<WebhookUrl, Problem>,
    pub kind: Kind,
}

/// The webhook from `--webhook-url-file` (`flag_file`, relative to `cwd`), else
/// `DEPLOY_WEBHOOK_URL`, else `[notify] webhook-url-file` (relative to `settings_dir`); its
/// kind from `--kind`, else `[notify] kind`, else the URL's host.
pub(crate) fn find_webhook(
    flag_file: Option<&Path>,
    flag_kind: Option<Kind>,
    settings: &NotifySettings,
    settings_dir: &Path,
    cwd: &Path,
) -> Webhook {
    let url = webhook_url(flag_file, settings, settings_dir, cwd);
    let kind = match (flag_kind, settings.kind, &url) {
        (Some(kind), _, _) => kind,
        (None, Some(kind), _) => kind_of_setting(kind),
        (None, None, Ok(url)) => url.kind(),
        (None, None, Err(_)) => Kind::Generic,
    };
    Webhook { url, kind }
}

/// Sends (or with `dry_run` prints) the notification and says how it went on standard error.
/// Exit 0 unless it was not delivered and `strict`; the URL is never printed.
pub(crate) fn send(
    webhook: &Webhook,
    notification: &Notification,
    policy: &Policy,
    strict: bool,
    dry_run: bool,
) -> anyhow::Result<ExitCode> {
    let kind = webhook.kind;
    let document = payload(kind, notification, SystemTime::now());
    let not_sent = if strict {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    if dry_run {
        anstream::println!("{}", serde_json::to_string_pretty(&document)?);
        return Ok(match &webhook.url {
            Ok(url) => {
                anstream::eprintln!("dry run: {kind} payload for {}, nothing sent", url.host());
                ExitCode::SUCCESS
            }
            Err(problem) => {
                anstream::eprintln!("warning: {problem}");
                anstream::eprintln!("dry run: {kind} payload, nothing sent");
                not_sent
            }
        });
    }
    let url = match &webhook.url {
        Ok(url) => url,
        Err(problem) => {
            anstream::eprintln!("warning: {problem}; notification not sent");
            return Ok(not_sent);
        }
    };
    let body = serde_json::to_vec(&document)?;
    let delivery = seaworthy_ops::notify::deliver(url, &body, policy);
    let attempts = match delivery.attempts.len() {
        1 => "1 attempt".to_owned(),
        n => format!("{n} attempts"),
    };
    match delivery.outcome {
        Outcome::Delivered { .. } => {
            anstream::eprintln!(
                "notified {} ({}) in {attempts}",
                delivery.host,
                notification.status.as_str()
            );
            Ok(ExitCode::SUCCESS)
        }
        Outcome::Failed { last, stop } => {
            anstream::eprintln!(
                "warning: notification not delivered to {}: {last} after {attempts} in {:.1} s ({stop})",
                delivery.host,
                delivery.elapsed.as_secs_f64()
            );
            Ok(not_sent)
        }
    }
}

/// Why there is no URL to send to. Never holds the URL's text.
pub(crate) enum Problem {
    NotConfigured,
    Unusable { source: String, reason: String },
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::NotConfigured => write!(
                f,
                "no webhook configured: pass --webhook-url-file FILE, set {URL_VARIABLE}, or name a file with `webhook-url-file` under [notify] in seaworthy.toml"
            ),
            Problem::Unusable { source, reason } => write!(f, "{source}: {reason}"),
        }
    }
}

/// seaworthy.toml's `[notify]` and the directory its paths are relative to. A file that does
/// not parse is reported and left aside: a notification must not fail a deployment over it.
pub(crate) fn notify_settings(cwd: &Path) -> (NotifySettings, PathBuf) {
    let mut sources = Sources::new();
    let problem = match find_settings(cwd, &mut sources) {
        Ok(Ok((settings, dir))) => return (settings.notify.unwrap_or_default(), dir),
        Ok(Err(rendered)) => rendered,
        Err(error) => format!("warning: {error:#}"),
    };
    anstream::eprintln!("{problem}");
    anstream::eprintln!("warning: seaworthy.toml is ignored for this notification");
    (NotifySettings::default(), cwd.to_path_buf())
}

fn webhook_url(
    flag_file: Option<&Path>,
    settings: &NotifySettings,
    settings_dir: &Path,
    cwd: &Path,
) -> Result<WebhookUrl, Problem> {
    if let Some(file) = flag_file {
        return url_from_file(&cwd.join(file), file);
    }
    if let Some(value) = std::env::var_os(URL_VARIABLE) {
        let Some(text) = value.to_str() else {
            return Err(Problem::Unusable {
                source: URL_VARIABLE.to_owned(),
                reason: "not valid unicode".to_owned(),
            });
        };
        // An empty variable is how the seeds' scripts switch notifications off.
        if !text.trim().is_empty() {
            return WebhookUrl::parse(text).map_err(|problem| Problem::Unusable {
                source: URL_VARIABLE.to_owned(),
                reason: problem.to_string(),
            });
        }
    }
    if let Some(file) = &settings.webhook_url_file {
        return url_from_file(&settings_dir.join(file), Path::new(file));
    }
    Err(Problem::NotConfigured)
}

/// The URL in `path` (shown as `shown`), surrounding whitespace ignored.
fn url_from_file(path: &Path, shown: &Path) -> Result<WebhookUrl, Problem> {
    let unusable = |reason: String| Problem::Unusable {
        source: format!("webhook url file {}", shown.display()),
        reason,
    };
    let mut text = String::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(URL_FILE_LIMIT).read_to_string(&mut text))
        .map_err(|e| {
            unusable(match e.kind() {
                std::io::ErrorKind::NotFound => "no such file".to_owned(),
                kind => format!("could not read it ({kind})"),
            })
        })?;
    WebhookUrl::parse(&text).map_err(|problem| unusable(problem.to_string()))
}

fn notification(args: &NotifyArgs, settings: &NotifySettings, cwd: &Path) -> Notification {
    let project = args
        .project
        .clone()
        .or_else(|| settings.project.clone())
        .or_else(|| {
            cwd.file_name()
                .map(|name| name.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "project".to_owned());
    let mut notification = Notification {
        status: status_of_arg(args.status),
        message: args.message.clone(),
        project,
        target: args.target.clone(),
        fields: Vec::new(),
    };
    for (key, value) in &args.fields {
        notification.set_field(key.as_str(), value.as_str());
    }
    notification
}

fn status_of_arg(status: NotifyStatus) -> Status {
    match status {
        NotifyStatus::Success => Status::Success,
        NotifyStatus::Failure => Status::Failure,
        NotifyStatus::Warning => Status::Warning,
        NotifyStatus::Info => Status::Info,
    }
}

fn kind_of_arg(kind: NotifyKindArg) -> Kind {
    match kind {
        NotifyKindArg::Slack => Kind::Slack,
        NotifyKindArg::Discord => Kind::Discord,
        NotifyKindArg::Generic => Kind::Generic,
    }
}

fn kind_of_setting(kind: NotifyKind) -> Kind {
    match kind {
        NotifyKind::Slack => Kind::Slack,
        NotifyKind::Discord => Kind::Discord,
        NotifyKind::Generic => Kind::Generic,
    }
}

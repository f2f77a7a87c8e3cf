use crate::facts::built::{built, context_copies, context_span, contexts};
use crate::facts::secrets::is_plaintext_secret;
use crate::facts::tokens;
use crate::{Context, Rule, RuleMeta, declare_rule};
use seaworthy_compose::{Node, Project, dotenv};
use seaworthy_source::{FileSystem, Severity};
use std::path::{Path, PathBuf};

declare_rule! {
    /// ## What it checks
    /// Fires on each file that a service's build context sends to the builder, after the
    /// ignore file BuildKit reads (`<Dockerfile>.dockerignore`, else `.dockerignore`, with
    /// Docker's matching: `!` re-includes, the last matching pattern wins), and that is named
    /// like a secret (`.env`, `.env.*` but the templates, `*.pem`, `*.key`, `id_rsa*`,
    /// `*.p12`, `.npmrc` with a token, `.netrc`, `.git-credentials`, `.aws/credentials`,
    /// `.docker/config.json`, `*.tfstate*`, `credentials*.json`, `secrets/**`...) or whose
    /// head holds a token of a known format (configuration files and scripts are read, up to
    /// 64 KiB each). It is **critical** when the Dockerfile stage compose builds copies the
    /// file into the image (`COPY . .`, or the directory holding it).
    ///
    /// Files used as compose secrets are reported by `secret-file-exposed`, not here; an env
    /// file is reported only when it sets a credential-named variable to a literal or holds
    /// a token (a committed `.env` of versions and ports is configuration). Each context is
    /// reported once, for the first service that builds from it.
    ///
    /// ## Why it matters in production
    /// Everything the context sends reaches the builder, remote builders and their caches
    /// included. `COPY . .` then bakes it into a layer of the image: anyone who can pull the
    /// image can read the production `.env` or the deploy key, even if a later step deletes
    /// it.
    ///
    /// ## Example
    /// ```yaml
    /// # beside it: Dockerfile = FROM node:22-alpine
    /// # beside it: .env = DB_PASSWORD=correct-horse-battery
    /// services:
    ///   api:
    ///     build: .
    /// ```
    /// Use instead: a `.dockerignore` that leaves secrets out (start from `**` and re-include
    /// what the build needs, or list `.env*`, `*.pem`, `secrets/`).
    /// ```yaml
    /// # beside it: Dockerfile = FROM node:22-alpine
    /// # beside it: .env = DB_PASSWORD=correct-horse-battery
    /// # beside it: .dockerignore = .env
    /// services:
    ///   api:
    ///     build: .
    /// ```
    ///
    /// ## Known false positives
    /// Test keys and certificates that the image needs on purpose (a CA bundle named
    /// `ca.pem`): move them out of secret-shaped names, or ignore the rule for the service with
    /// a reason. `!` patterns that re-include a secret (`*` then `!config/**`) are the classic
    /// miss this rule exists for, so they are not exempt.
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.10 (do not store secrets in Dockerfiles)
    /// - OWASP Docker Security Cheat Sheet, rule 12
    /// - Docker docs, "Build context" (.dockerignore)
    pub(crate) struct ContextSecretFiles {
        name: "context-secret-files",
        code: "SW1202",
        area: BuildContext,
        severity: High,
        fix: Never,
        summary: "a secret-shaped file is sent to the builder",
    }
}

impl Rule for ContextSecretFiles {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, cx: &mut Context<'_>, project: &Project) {
        let compose_secrets = compose_secret_files(project);
        let services = cx.services();
        for (service, build) in contexts(cx.builds, &services) {
            let copies = built(cx.builds, &service)
                .map(|b| context_copies(&b))
                .unwrap_or_default();
            let ignore_name = build.ignore.as_ref().map_or_else(
                || "a `.dockerignore` in the build context".to_owned(),
                |i| {
                    format!(
                        "`{}`",
                        i.path.file_name().unwrap_or_default().to_string_lossy()
                    )
                },
            );
            for secret in &build.scan.secrets {
                let file = build.context.join(&secret.path);
                if compose_secrets.contains(&file)
                    || (secret.kind == ENV_FILE && !holds_credentials(cx.fs, &file))
                {
                    continue;
                }
                let copy = copies.iter().find(|c| c.copies(&secret.path));
                let severity = if copy.is_some() {
                    Severity::Critical
                } else {
                    Severity::High
                };
                let finding = cx.report_at(
                    severity,
                    format!(
                        "the build context of `{}` sends `{}` ({}) to the builder",
                        service.name, secret.path, secret.kind
                    ),
                    context_span(&service),
                    "this context",
                );
                finding.service(service.name).help(format!(
                    "leave `{}` out with {ignore_name}; a secret the build needs goes in `build.secrets` and `RUN --mount=type=secret`",
                    secret.path
                ));
                if let Some(copy) = copy {
                    let span = build.dockerfile.span(&copy.instruction.span);
                    finding.secondary(span, "copied into the image here");
                }
            }
        }
    }
}

/// The kind the context scan gives `.env` and `.env.*` files.
const ENV_FILE: &str = "an env file";

/// Whether an env file sets a credential-named variable to a literal (or holds a token): a
/// `.env` of versions and ports, committed on purpose, is configuration, not a secret.
fn holds_credentials(fs: &dyn FileSystem, file: &Path) -> bool {
    let Ok(head) = fs.read_prefix(file, 64 * 1024) else {
        return true;
    };
    let text = String::from_utf8_lossy(&head);
    if tokens::find(&text).iter().any(|t| !t.test_data) {
        return true;
    }
    // Every variable reads as a marker, so values that use one are not literals.
    let Ok(entries) = dotenv::parse(&text, &|_: &str| Some("\0".to_owned())) else {
        return true;
    };
    entries
        .iter()
        .any(|e| !e.value.contains('\0') && is_plaintext_secret(&e.key, &e.value))
}

/// The files of the project's file secrets: `secret-file-exposed` reports those.
fn compose_secret_files(project: &Project) -> Vec<PathBuf> {
    project
        .model
        .get("secrets")
        .and_then(Node::as_map)
        .into_iter()
        .flatten()
        .filter_map(|(_, secret)| secret.get("file").and_then(Node::as_str))
        .map(PathBuf::from)
        .collect()
}

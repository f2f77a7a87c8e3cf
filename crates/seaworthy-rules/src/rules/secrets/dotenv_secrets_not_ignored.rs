use crate::facts::files::{git_ignores, shown};
use crate::facts::secrets::is_plaintext_secret;
use crate::facts::tokens;
use crate::{Context, Rule, RuleMeta, declare_rule};
use seaworthy_compose::{EnvFile, Project, dotenv};
use seaworthy_source::Span;

declare_rule! {
    /// ## What it checks
    /// Fires when an env file the target reads (the project's `.env` or `--env-file`, or a
    /// service's `env_file:`) sets a credential-named variable to a literal value, the
    /// project is a git work tree, and the repository's `.gitignore` does not cover the file.
    /// It is reported once per file, at its first credential; the finding lists the others.
    /// Credential names and exemptions are those of `plaintext-secret-env`; a value made of
    /// `${VAR}` references is not literal.
    ///
    /// Files meant to be committed as templates (`.env.example`, `.env.sample`,
    /// `.env.template`, `.env.dist`) are exempt unless they hold a token of a known format
    /// (see `known-token-pattern`).
    ///
    /// ## Why it matters in production
    /// Env files are where teams move credentials to get them out of the compose file. That
    /// only helps if the file stays out of git: committed, the password is in every clone,
    /// fork and CI cache, and in the history after it is "removed".
    ///
    /// ## Example
    /// ```yaml
    /// # beside it: .gitignore = secrets/
    /// # beside it: app.env = DB_PASSWORD=correct-horse-battery
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    ///     env_file: app.env
    /// ```
    /// Use instead: keep the file where git ignores it (or better, use file secrets).
    /// ```yaml
    /// # beside it: .gitignore = secrets/
    /// # beside it: secrets/app.env = DB_PASSWORD=correct-horse-battery
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    ///     env_file: secrets/app.env
    /// ```
    ///
    /// ## Known false positives
    /// A committed `.env` holding throwaway development passwords (`change-me`): those values
    /// still reach production when nobody replaces the file. Move them into the compose
    /// file's development overlay, or ignore the rule with a reason.
    ///
    /// ## References
    /// - OWASP Docker Security Cheat Sheet, rule 12
    /// - Compose specification, services `env_file`; "Set environment variables" (`.env`)
    pub(crate) struct DotenvSecretsNotIgnored {
        name: "dotenv-secrets-not-ignored",
        code: "SW509",
        area: Secrets,
        severity: Medium,
        fix: Never,
        summary: "an env file with credentials is not ignored by git",
    }
}

impl Rule for DotenvSecretsNotIgnored {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, cx: &mut Context<'_>, project: &Project) {
        for env_file in &project.env_files {
            if git_ignores(cx, &env_file.path) != Some(false) {
                continue;
            }
            let template = is_template(env_file);
            if template && tokens::find(&env_file.text).iter().all(|t| t.test_data) {
                continue;
            }
            let credentials = literal_credentials(env_file);
            let Some((first_key, first_span, _)) = credentials.first() else {
                continue;
            };
            let file = shown(project, &env_file.path);
            let finding = cx.report(
                format!("`{file}` sets credentials and git does not ignore it"),
                *first_span,
                &format!("`{first_key}` has a literal value"),
            );
            for (key, span, _) in &credentials[1..] {
                finding.secondary(*span, format!("`{key}` too"));
            }
            for (_, _, value) in &credentials {
                finding.redact(value.clone());
            }
            finding.help(format!(
                "add `{file}` to `.gitignore` and commit a template without values (`{file}.example`); if it was committed with real values, change them"
            ));
        }
    }
}

/// `.env.example` and its kin are meant to be committed.
fn is_template(env_file: &EnvFile) -> bool {
    let name = env_file
        .path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    [".example", ".sample", ".template", ".dist"]
        .iter()
        .any(|suffix| name.ends_with(suffix))
}

/// The credential-named assignments of the file whose value is written in it, with the span
/// of each statement and the value (to redact).
fn literal_credentials(env_file: &EnvFile) -> Vec<(String, Span, String)> {
    // Every variable reads as a marker, so a value that uses one (`${DB_PASSWORD}`,
    // `${X:-default}`, `${X:?required}`) is told from a literal without failing the parse.
    const REFERENCE: char = '\0';
    let Ok(entries) = dotenv::parse(&env_file.text, &|_: &str| Some(REFERENCE.to_string())) else {
        return Vec::new();
    };
    entries
        .into_iter()
        .filter(|e| !e.value.contains(REFERENCE) && is_plaintext_secret(&e.key, &e.value))
        .map(|e| {
            let span = Span::new(env_file.file, e.range.start, e.range.end);
            (e.key, span, e.value)
        })
        .collect()
}

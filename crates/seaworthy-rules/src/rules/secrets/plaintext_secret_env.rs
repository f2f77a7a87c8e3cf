use crate::facts::secrets::{is_from_env_file, is_plaintext_secret, literal_of, masked, spellings};
use crate::{Context, Rule, RuleMeta, Service, declare_rule};
use seaworthy_compose::Node;

declare_rule! {
    /// ## What it checks
    /// Fires on an `environment` entry whose key names a credential (it contains `PASSWORD`,
    /// `PASSPHRASE`, `TOKEN`, `SECRET`, `API_KEY`, `APIKEY`, `PRIVATE_KEY`, `ACCESS_KEY`,
    /// `SECRET_KEY`, `ENCRYPTION_KEY` or `CREDENTIAL`, or ends in `_PASS`, `_PWD`, `PASSWD`,
    /// `_SALT` or `_DSN`) and whose raw value ships a literal: plain text, `pa$$w0rd` (`$$` is
    /// an escape), or the default of `${DB_PASSWORD:-changeme}`.
    ///
    /// Exempt: keys ending `_FILE` or `_PATH`; toggles (`ALLOW_EMPTY_PASSWORD`,
    /// `MYSQL_RANDOM_ROOT_PASSWORD`); values `yes`/`no`/`true`/`false`/`0`/`1`/`on`/`off`;
    /// empty values; values made only of `${VAR}` references without default (the operator
    /// supplies them); and numbers or durations under quantity keys
    /// (`JWT_ACCESS_TOKEN_EXPIRE_MINUTES: 30`, `PASSWORD_MIN_LENGTH: 12`, `MAX_TOKENS`).
    /// The value is never printed: findings show it masked.
    ///
    /// ## Why it matters in production
    /// The compose file is usually in git, in CI logs and on every deploy host; a password in
    /// it is readable by everyone who can read those. In the container, environment variables
    /// show in `docker inspect` and `/proc/*/environ`.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16.4
    ///     environment:
    ///       POSTGRES_PASSWORD: changeme
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16.4
    ///     environment:
    ///       POSTGRES_PASSWORD_FILE: /run/secrets/db_password
    ///     secrets:
    ///       - db_password
    /// secrets:
    ///   db_password:
    ///     file: ./secrets/db_password.txt
    /// ```
    ///
    /// ## Known false positives
    /// Public identifiers under secret-sounding keys (`RECAPTCHA_SITE_TOKEN`), and development
    /// defaults in a base file that every production overlay replaces: judge the production
    /// combination, where the overlay's value wins.
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 4.10
    /// - OWASP Docker Security Cheat Sheet, rule 12
    pub(crate) struct PlaintextSecretEnv {
        name: "plaintext-secret-env",
        code: "SW501",
        area: Secrets,
        severity: High,
        fix: Never,
        summary: "credential in plaintext in the environment",
    }
}

impl Rule for PlaintextSecretEnv {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let Some(environment) = service.get("environment").and_then(Node::as_map) else {
            return;
        };
        for (key, value) in environment {
            // An env_file is where credentials are meant to go: whether git keeps it out is
            // `dotenv-secrets-not-ignored`'s question, and `prefer-file-secrets` advises.
            if is_from_env_file(value, cx.project) {
                continue;
            }
            let Some(literal) = literal_of(key, value) else {
                continue;
            };
            if !is_plaintext_secret(key, &literal) {
                continue;
            }
            let label = if value.raw.is_some() {
                format!(
                    "default `{}` ships when the variable is unset",
                    masked(&literal)
                )
            } else {
                format!("literal value `{}`", masked(&literal))
            };
            let finding = cx
                .report(
                    format!("service `{}` sets `{key}` to a plaintext value", service.name),
                    value.span,
                    &label,
                )
                .help(format!(
                    "pass it as a compose secret (`secrets:` with a file, read through `{key}_FILE` where the image supports it), or reference a variable without a default (`${{{key}}}`) that the operator sets"
                ));
            for secret in spellings(&literal, Some(value)) {
                finding.redact(secret);
            }
        }
    }
}

use crate::facts::images::file_secret_support;
use crate::facts::secrets::{
    is_credential_key, is_from_env_file, is_passed_through, is_plaintext_secret, literal_of,
    spellings,
};
use crate::{Context, Rule, RuleMeta, Service, declare_rule};
use seaworthy_compose::Node;

declare_rule! {
    /// ## What it checks
    /// Fires when a credential-named variable (the key list of `plaintext-secret-env`)
    /// reaches the container through its environment without being written in the compose
    /// file: interpolated from the operator's variables (`DB_PASSWORD: ${DB_PASSWORD}`),
    /// passed through from the shell (`- DB_PASSWORD`), or read from an `env_file`. When the
    /// image is one known to read `<VAR>_FILE` for that variable (postgres, mysql, mariadb,
    /// mongo, minio, wordpress; grafana's `__FILE`), the message says so.
    ///
    /// Quiet: literals written in the compose file, including `${VAR:-default}` defaults
    /// (`plaintext-secret-env` reports those); keys ending `_FILE` or `_PATH`; toggles and
    /// numbers under quantity keys (`TOKEN_TTL=3600`), as in `plaintext-secret-env`; empty
    /// values from an env file. The value is never printed.
    ///
    /// ## Why it matters in production
    /// Environment variables are not secret inside a host: `docker inspect` shows them to
    /// anyone with API access, `/proc/<pid>/environ` to the container's processes, and child
    /// processes, crash reporters and debug pages inherit or print them. A compose secret is
    /// a file under `/run/secrets/` that only the service mounts.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16.4
    ///     environment:
    ///       POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}
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
    ///     environment: POSTGRES_PASSWORD
    /// ```
    ///
    /// ## Known false positives
    /// Many programs can only read credentials from their environment: then there is no
    /// better way, which is why this is advisory (info).
    ///
    /// ## References
    /// - OWASP Docker Security Cheat Sheet, rule 12
    /// - compose-lint CL-0020 (fix text)
    pub(crate) struct PreferFileSecrets {
        name: "prefer-file-secrets",
        code: "SW510",
        area: Secrets,
        severity: Info,
        fix: Never,
        summary: "credential passed in the environment rather than as a secret file",
    }
}

/// How a variable reaches the environment, when it is not a literal of the compose file.
enum Origin {
    EnvFile,
    Interpolated,
    Shell,
}

impl Rule for PreferFileSecrets {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let Some(environment) = service.get("environment").and_then(Node::as_map) else {
            return;
        };
        let image = service.text("image").unwrap_or_default();
        for (key, value) in environment {
            if !is_credential_key(key) {
                continue;
            }
            let resolved = value.scalar_text().filter(|v| !v.trim().is_empty());
            let origin = if value.is_null() || is_passed_through(key, value) {
                Origin::Shell
            } else if is_from_env_file(value, cx.project) {
                Origin::EnvFile
            } else if value.raw.is_some() {
                Origin::Interpolated
            } else {
                continue; // a literal of the compose file: plaintext-secret-env's
            };
            let literal_default = matches!(origin, Origin::Interpolated)
                && literal_of(key, value).is_some_and(|l| is_plaintext_secret(key, &l));
            let not_a_secret = match &resolved {
                Some(text) => !is_plaintext_secret(key, text),
                None => matches!(origin, Origin::EnvFile),
            };
            if literal_default || not_a_secret {
                continue;
            }
            let label = match origin {
                Origin::EnvFile => "read from an env_file into the environment",
                Origin::Interpolated => "interpolated into the environment",
                Origin::Shell => "passed through from the shell into the environment",
            };
            let support = file_secret_support(&image, key);
            let message = match &support {
                Some(s) => format!(
                    "service `{}` gets `{key}` as an environment variable, though the `{}` image can read it from a file (`{}`)",
                    service.name, s.image, s.file_variable
                ),
                None => format!(
                    "service `{}` gets `{key}` as an environment variable",
                    service.name
                ),
            };
            let help = match &support {
                Some(s) => format!(
                    "give it as a compose secret (`secrets:`, mounted at `/run/secrets/<name>`) and set `{}: /run/secrets/<name>` instead of `{key}`",
                    s.file_variable
                ),
                None => "if the program can read the value from a file, give it as a compose secret (`secrets:`, mounted at `/run/secrets/<name>`); images that support it read `<VAR>_FILE` (postgres, mysql, mariadb, mongo, minio, …)".to_owned(),
            };
            let span = if value.span.is_synthetic() {
                value.key_span
            } else {
                value.span
            };
            let finding = cx.report(message, span, label).help(help);
            if let Some(resolved) = &resolved {
                for secret in spellings(resolved, None) {
                    finding.redact(secret);
                }
            }
        }
    }
}

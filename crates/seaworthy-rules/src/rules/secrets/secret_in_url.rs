use crate::facts::secrets::{masked, shipped_literal, spellings, url_credentials};
use crate::facts::strings;
use crate::{Context, Rule, RuleMeta, Service, declare_rule};

/// Where connection strings are written.
const FIELDS: &[&str] = &[
    "environment",
    "command",
    "entrypoint",
    "labels",
    "healthcheck.test",
    "build.args",
];

declare_rule! {
    /// ## What it checks
    /// Fires when a string in `environment`, `command`, `entrypoint`, `labels`,
    /// `healthcheck.test` or `build.args` holds a URL with a password
    /// (`scheme://user:password@host`) whose password half ships a literal: plain text, or the
    /// default of `${DB_PASSWORD:-changeme}`. A password made only of `${VAR}` references
    /// without default is the operator's and is not reported, nor is a URL with a user name
    /// only. The password is never printed.
    ///
    /// ## Why it matters in production
    /// Connection strings are the most common place a database password leaks: they are
    /// copied between files, logged by frameworks at startup and shown by `docker inspect`.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    ///     environment:
    ///       DATABASE_URL: postgres://app:s3cret-pw@db:5432/app
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    ///     environment:
    ///       DATABASE_URL: postgres://app:${DB_PASSWORD}@db:5432/app
    /// ```
    ///
    /// ## Known false positives
    /// Documentation-style placeholders (`user:password@`) in examples that are never
    /// deployed.
    ///
    /// ## References
    /// - OWASP Docker Security Cheat Sheet, rule 12
    /// - compose-lint CL-0021
    pub(crate) struct SecretInUrl {
        name: "secret-in-url",
        code: "SW502",
        area: Secrets,
        severity: High,
        fix: Never,
        summary: "password in plaintext in a URL",
    }
}

impl Rule for SecretInUrl {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        for field in FIELDS {
            let Some(node) = service.get(field) else {
                continue;
            };
            for text_node in strings(node) {
                let raw = text_node
                    .raw
                    .as_deref()
                    .map(str::to_owned)
                    .or_else(|| text_node.scalar_text())
                    .unwrap_or_default();
                let resolved = text_node.scalar_text().unwrap_or_default();
                let resolved_passwords: Vec<String> = url_credentials(&resolved)
                    .into_iter()
                    .map(|c| c.password)
                    .collect();
                for credential in url_credentials(&raw) {
                    let password = shipped_literal(&credential.password);
                    if password.is_empty() {
                        continue;
                    }
                    let finding = cx
                        .report(
                            format!(
                                "service `{}` has a plaintext password in a `{}://` URL in `{field}`",
                                service.name, credential.scheme
                            ),
                            text_node.span,
                            &format!("password `{}` in the URL", masked(&password)),
                        )
                        .help(format!(
                            "build the URL from a variable the operator sets (`{}://{}:${{DB_PASSWORD}}@…`) or read it from a secret file",
                            credential.scheme,
                            if credential.user.contains('$') { "user" } else { credential.user.as_str() }
                        ));
                    for secret in spellings(&password, None)
                        .into_iter()
                        .chain(resolved_passwords.iter().cloned())
                        .filter(|s| !s.is_empty())
                    {
                        finding.redact(secret);
                    }
                }
            }
        }
    }
}

use crate::facts::keyed_entries;
use crate::facts::secrets::{is_credential_key, is_toggle, literal_of, masked, spellings};
use crate::{Context, Rule, RuleMeta, Service, declare_rule};
use seaworthy_source::Severity;

declare_rule! {
    /// ## What it checks
    /// Fires on a `build.args` entry whose key names a credential (the key list of
    /// `plaintext-secret-env`: `NPM_TOKEN`, `GITHUB_TOKEN`, `PIP_PASSWORD`, …; not `AUTHOR`,
    /// `KEYRING_URL` or `CERT_DIR`). It is high when the raw value is a literal, and medium
    /// when the value comes from the operator (`${NPM_TOKEN}` or a bare `- NPM_TOKEN`): build
    /// arguments end up in the image history and build provenance either way. Toggles
    /// (`true`, `0`, …) are not secrets. The value is never printed.
    ///
    /// ## Why it matters in production
    /// `docker history` shows every build argument used by a `RUN`, and BuildKit records
    /// them in provenance attestations: anyone who can pull the image can read the secret.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     build:
    ///       context: .
    ///       args:
    ///         NPM_TOKEN: npm_live_token_value
    ///     image: acme-web
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   web:
    ///     build:
    ///       context: .
    ///       secrets:
    ///         - npm_token
    ///     image: acme-web
    /// secrets:
    ///   npm_token:
    ///     environment: NPM_TOKEN
    /// ```
    ///
    /// ## Known false positives
    /// Arguments only used by stages that are not part of the final image still reach the
    /// builder's provenance; there is no false positive to accept here.
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 4.10
    /// - hadolint DL3064; Docker build check SecretsUsedInArgOrEnv
    pub(crate) struct SecretBuildArg {
        name: "secret-build-arg",
        code: "SW505",
        area: Secrets,
        severity: High,
        fix: Never,
        summary: "credential passed as a build argument",
    }
}

impl Rule for SecretBuildArg {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let Some(args) = service.get("build.args") else {
            return;
        };
        for (key, value) in &keyed_entries(args) {
            if !is_credential_key(key) {
                continue;
            }
            let help = "pass it as a build secret (`build.secrets` and `RUN --mount=type=secret`), which never enters the image";
            match literal_of(key, value) {
                Some(literal) if is_toggle(&literal) => {}
                Some(literal) => {
                    let finding = cx
                        .report(
                            format!(
                                "service `{}` passes `{key}` as a plaintext build argument",
                                service.name
                            ),
                            value.span,
                            &format!("literal value `{}`", masked(&literal)),
                        )
                        .help(help);
                    for secret in spellings(&literal, Some(value)) {
                        finding.redact(secret);
                    }
                }
                None => {
                    let span = if value.key_span.is_synthetic() {
                        value.span
                    } else {
                        value.key_span
                    };
                    let finding = cx
                        .report_at(
                            Severity::Medium,
                            format!(
                                "service `{}` passes `{key}` as a build argument, which the image history keeps",
                                service.name
                            ),
                            span,
                            "credential build argument",
                        )
                        .help(help);
                    if let Some(resolved) = value.scalar_text().filter(|v| !v.trim().is_empty()) {
                        finding.redact(resolved);
                    }
                }
            }
        }
    }
}

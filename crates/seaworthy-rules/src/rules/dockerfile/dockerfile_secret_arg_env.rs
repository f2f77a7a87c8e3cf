use crate::facts::built::built;
use crate::facts::dockerfile::{already_reported, chain_instructions};
use crate::facts::secrets::{is_credential_key, is_plaintext_secret};
use crate::{Context, Rule, RuleMeta, Service, declare_rule};
use seaworthy_build::dockerfile::{ArgPair, EnvPair, InstructionKind};
use seaworthy_source::Severity;

declare_rule! {
    /// ## What it checks
    /// Fires on an `ARG` or `ENV` whose name looks like a credential (the key list of
    /// `plaintext-secret-env`: `*PASSWORD*`, `*TOKEN*`, `*SECRET*`, `*API_KEY*`, `*_PASS`…) in
    /// the stage compose builds or a stage it is built from. An `ENV` that assigns a literal
    /// is `high`: the value is in the image's configuration for anyone who can pull it. Every
    /// other case (an `ARG`, or an `ENV` copied from a variable) is `medium`: build arguments
    /// and their values are kept in the image history.
    ///
    /// Exempt: names that point at a credential rather than hold it (`*_FILE`, `*_PATH`) and
    /// names that only contain a credential word (`GOPRIVATE`, `GONOSUMDB`, `*_USERNAME`,
    /// `TRAVIS_OS_NAME`, `FACEBOOK_APP_ID`, `ALLOW_EMPTY_PASSWORD`); an `ENV` that sets an
    /// empty value, a toggle (`true`, `0`) or a quantity (`TOKEN_TTL=3600`); `ARG`s before the
    /// first `FROM` (only `FROM` reads them) and stages compose does not build. Values are
    /// never printed.
    ///
    /// ## Why it matters in production
    /// `docker history` and `docker image inspect` show every `ENV` and build argument of an
    /// image to anyone who can pull it, and registries keep old images for years. A credential
    /// baked in that way cannot be rotated by redeploying: every copy of the image must go.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:20-bookworm-slim
    /// ARG NPM_TOKEN
    /// RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci
    /// ENV API_SECRET=s3cr3t-in-the-image
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM node:20-bookworm-slim
    /// RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci
    /// ENV API_SECRET_FILE=/run/secrets/api_secret
    /// ```
    ///
    /// ## Known false positives
    /// A build argument that names a credential but carries something public (a token *name*,
    /// a public key). Rename it, or suppress the finding with a reason.
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 4.10
    /// - OWASP Docker Security Cheat Sheet, rule 12 (through `secret-*`)
    /// - Docker build check `SecretsUsedInArgOrEnv`; hadolint DL3064
    pub(crate) struct DockerfileSecretArgEnv {
        name: "dockerfile-secret-arg-env",
        code: "SW1104",
        area: Dockerfile,
        severity: High,
        fix: Never,
        summary: "credential in an ARG or ENV of the image",
    }
}

/// What one pair bakes into the image: severity, message, and the values to mask.
type Baked = (Severity, String, Vec<String>);

impl Rule for DockerfileSecretArgEnv {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let Some(built) = built(cx.builds, service) else {
            return;
        };
        for (_, instruction) in chain_instructions(&built) {
            let judged: Vec<(std::ops::Range<usize>, Baked)> = match &instruction.kind {
                InstructionKind::Arg(pairs) => pairs
                    .iter()
                    .filter_map(|p| Some((p.span.clone(), judge_arg(p)?)))
                    .collect(),
                InstructionKind::Env(pairs) => pairs
                    .iter()
                    .filter_map(|p| Some((p.span.clone(), judge_env(p)?)))
                    .collect(),
                _ => continue,
            };
            for (range, (severity, message, secrets)) in judged {
                let span = built.build.dockerfile.span(&range);
                if already_reported(cx, span) {
                    continue;
                }
                let finding = cx
                    .report_at(severity, message, span, "kept in the image")
                    .service(service.name)
                    .help("pass build-time credentials with `RUN --mount=type=secret` and runtime ones with compose `secrets:`, then rotate this credential");
                for secret in secrets {
                    finding.redact(secret);
                }
            }
        }
    }
}

fn judge_arg(pair: &ArgPair) -> Option<Baked> {
    if !is_credential_key(&pair.name) {
        return None;
    }
    let default = pair.default.as_ref().and_then(|d| d.exact());
    if let Some(value) = default
        && !value.trim().is_empty()
        && !is_plaintext_secret(&pair.name, value)
    {
        return None;
    }
    let mut secrets: Vec<String> = Vec::new();
    if let Some(word) = &pair.default {
        secrets.extend(default.map(str::to_owned));
        secrets.push(word.raw.clone());
    }
    secrets.extend(pair.value.as_ref().map(|v| v.value.clone()));
    secrets.retain(|s| !s.trim().is_empty());
    let message = if pair.default.is_some() {
        format!(
            "`ARG {}` gives a credential a default value, kept in the image history",
            pair.name
        )
    } else {
        format!(
            "`ARG {}` passes a credential as a build argument, kept in the image history",
            pair.name
        )
    };
    Some((Severity::Medium, message, secrets))
}

fn judge_env(pair: &EnvPair) -> Option<Baked> {
    if !is_credential_key(&pair.name) {
        return None;
    }
    let exact = pair.value.exact().map(str::to_owned);
    let mut secrets: Vec<String> = exact.iter().cloned().collect();
    secrets.push(pair.value.raw.clone());
    secrets.retain(|s| !s.trim().is_empty());
    if pair.value.raw.contains('$') {
        let message = format!(
            "`ENV {}` copies a credential into the image configuration",
            pair.name
        );
        return Some((Severity::Medium, message, secrets));
    }
    let value = exact?;
    if !is_plaintext_secret(&pair.name, &value) {
        return None;
    }
    let message = format!(
        "`ENV {}` sets a credential in the image configuration, readable by anyone who can pull the image",
        pair.name
    );
    Some((Severity::High, message, secrets))
}

#[cfg(test)]
mod tests {
    use super::DockerfileSecretArgEnv;
    use crate::facts::dockerfile::findings_of;
    use seaworthy_source::Severity;

    fn found(dockerfile: &str) -> Vec<(usize, Severity, String)> {
        let compose = "services:\n  app:\n    build: .\n";
        findings_of(
            &DockerfileSecretArgEnv,
            compose,
            &[("Dockerfile", dockerfile)],
        )
        .into_iter()
        .map(|(_, line, severity, message)| (line, severity, message))
        .collect()
    }

    #[test]
    fn literal_env_is_high_and_the_rest_medium() {
        let dockerfile = "FROM alpine:3.20\nARG GITHUB_TOKEN\nENV DB_PASSWORD=\"hunter2-long\" \\\n    API_KEY=$GITHUB_TOKEN\n";
        let found = found(dockerfile);
        let severities: Vec<(usize, Severity)> = found.iter().map(|f| (f.0, f.1)).collect();
        assert_eq!(
            severities,
            [
                (2, Severity::Medium),
                (3, Severity::High),
                (4, Severity::Medium)
            ]
        );
        assert!(found.iter().all(|f| !f.2.contains("hunter2")));
    }

    #[test]
    fn pointers_toggles_and_lookalikes_are_exempt() {
        let dockerfile = "FROM alpine:3.20\nARG GOPRIVATE\nARG REGISTRY_USERNAME\nENV DB_PASSWORD_FILE=/run/secrets/db AWS_WEB_IDENTITY_TOKEN_FILE=/var/token\nENV ALLOW_EMPTY_PASSWORD=yes TOKEN_TTL=3600 DB_PASSWORD=\nARG FACEBOOK_APP_ID TRAVIS_OS_NAME\n";
        assert!(found(dockerfile).is_empty(), "{:?}", found(dockerfile));
    }

    #[test]
    fn global_args_and_builder_stages_are_not_judged() {
        let dockerfile = "ARG NPM_TOKEN\nFROM node:20 AS build\nARG NPM_TOKEN\nFROM node:20-slim\n";
        assert!(found(dockerfile).is_empty());
    }
}

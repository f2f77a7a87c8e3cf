use crate::builds::ServiceBuild;
use crate::facts::built::built;
use crate::facts::dockerfile::{already_reported, chain_instructions};
use crate::{Context, Rule, RuleMeta, Service, declare_rule};
use seaworthy_build::context::secret_kind_by_name;
use seaworthy_build::dockerfile::{CopySource, InstructionKind};
use seaworthy_source::FileSystem;

declare_rule! {
    /// ## What it checks
    /// Fires on a `COPY` or `ADD`, in the stage compose builds or a stage it is built from,
    /// that names a secret-shaped source: `.env` and `.env.*` (not `.example`, `.sample`,
    /// `.template`, `.dist`), `*.pem`, `*.key`, `id_rsa*` / `id_ed25519*` (not `*.pub`),
    /// `.npmrc`, `.pypirc`, `.netrc`, `.git-credentials`, anything under `.aws/` or `.ssh/`,
    /// `*.p12`, `*.pfx`, `credentials*.json`, `*.tfstate`. Sources are read after `ARG`
    /// expansion, and `COPY --from` sources count too: the file ends up in the image either way.
    ///
    /// Exempt: `COPY . .` and other whole directories (`context-secret-files` judges what the
    /// context sends); an `.npmrc` the context scan read and found without a registry token;
    /// stages compose does not build.
    ///
    /// ## Why it matters in production
    /// A file copied into a layer stays in the image even if a later `RUN rm` deletes it:
    /// anyone who can pull the image can extract the layer and read the key or the password.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:20-bookworm-slim
    /// COPY .npmrc package.json package-lock.json ./
    /// RUN npm ci && rm .npmrc
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM node:20-bookworm-slim
    /// COPY package.json package-lock.json ./
    /// RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
    /// ```
    ///
    /// ## Known false positives
    /// Public certificates named `*.pem` (a CA bundle) and test fixtures. Rename public
    /// certificates `*.crt`, or suppress the finding with a reason.
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 4.10
    /// - OWASP Docker Security Cheat Sheet, rule 12
    pub(crate) struct DockerfileSecretCopy {
        name: "dockerfile-secret-copy",
        code: "SW1105",
        area: Dockerfile,
        severity: High,
        fix: Never,
        summary: "COPY or ADD puts a secret file into the image",
    }
}

impl Rule for DockerfileSecretCopy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let Some(built) = built(cx.builds, service) else {
            return;
        };
        for (_, instruction) in chain_instructions(&built) {
            let (keyword, copy) = match &instruction.kind {
                InstructionKind::Copy(copy) => ("COPY", copy),
                InstructionKind::Add(copy) => ("ADD", copy),
                _ => continue,
            };
            let from_context = copy.from().is_none();
            for source in &copy.sources {
                let CopySource::Path(word) = source else {
                    continue;
                };
                let path = word.exact().unwrap_or(&word.raw);
                let Some(kind) = secret_kind(path) else {
                    continue;
                };
                if from_context && !npmrc_holds_a_token(cx.fs, built.build, path) {
                    continue;
                }
                let span = built.build.dockerfile.span(&word.span);
                if already_reported(cx, span) {
                    continue;
                }
                cx.report(
                    format!("`{keyword}` puts `{path}` ({kind}) into the image"),
                    span,
                    "stays in a layer",
                )
                .service(service.name)
                .help("mount it only while it is needed (`RUN --mount=type=secret,id=...`) and keep it out of the build context with `.dockerignore`");
            }
        }
    }
}

/// The kind of secret a source is named like (URLs are `dockerfile-add-url`'s business).
fn secret_kind(source: &str) -> Option<&'static str> {
    if source.contains("://") || source.starts_with("git@") {
        return None;
    }
    let path = source.trim_end_matches('/');
    let path = path.strip_prefix("./").unwrap_or(path);
    if path
        .split('/')
        .any(|component| component == ".aws" || component == ".ssh")
    {
        return Some("a credentials directory");
    }
    let name = path.rsplit('/').next().unwrap_or(path);
    if name == ".npmrc" {
        return Some("an npm configuration with registry credentials");
    }
    secret_kind_by_name(path)
}

/// An `.npmrc` copied from the context is a secret when the context scan found a token in it,
/// or when it could not be read there; other sources are judged by name alone.
fn npmrc_holds_a_token(fs: &dyn FileSystem, build: &ServiceBuild, path: &str) -> bool {
    let path = path.trim_start_matches("./").trim_start_matches('/');
    if path.rsplit('/').next() != Some(".npmrc") {
        return true;
    }
    build.scan.secrets.iter().any(|s| s.path == path) || !fs.is_file(&build.context.join(path))
}

#[cfg(test)]
mod tests {
    use super::secret_kind;

    #[test]
    fn secret_shaped_sources() {
        for source in [
            ".env",
            "./.env.production",
            "certs/server.key",
            "tls/*.pem",
            "/root/.ssh/id_ed25519",
            ".ssh/",
            ".aws/credentials",
            "deploy/id_rsa",
            "credentials.json",
            "infra/terraform.tfstate",
            "store.p12",
        ] {
            assert!(secret_kind(source).is_some(), "{source}");
        }
        for source in [
            ".",
            "src/",
            ".env.example",
            "id_rsa.pub",
            "package.json",
            "https://example.com/app.pem",
            "keys.txt",
        ] {
            assert_eq!(secret_kind(source), None, "{source}");
        }
    }
}

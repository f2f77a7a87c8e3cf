use crate::facts::files::{file_secret, git_ignores, has_unset_variable, only_on_the_host, shown};
use crate::{Context, Resource, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Fires when a top-level secret's `file:` does not exist. Every secret left in the
    /// target is used by an active service (`secrets:`) or build (`build.secrets`), so the
    /// file is needed. Paths are relative to the compose file that declares the secret.
    ///
    /// In a checkout (the default), a missing file that the repository's `.gitignore` keeps
    /// out of git, or that lies outside the repository (`/run/secrets/db`,
    /// `${SECRETS_DIR}/db` on the host), is expected: the deploy host has it and git must not.
    /// Run with `--deploy-tree` on the host itself to require every file.
    ///
    /// ## Why it matters in production
    /// `docker compose up` fails when it mounts the secret, after images were pulled and
    /// perhaps some services were already replaced. A path that git does not ignore and that
    /// is not there is usually a typo or a path relative to the wrong file.
    ///
    /// ## Example
    /// ```yaml
    /// # beside it: .gitignore = secrets/
    /// services:
    ///   db:
    ///     image: postgres:17.2
    ///     environment:
    ///       POSTGRES_PASSWORD_FILE: /run/secrets/db_password
    ///     secrets: [db_password]
    /// secrets:
    ///   db_password:
    ///     file: ./secret/db_password.txt
    /// ```
    /// Use instead: keep secret files where git ignores them, and create them on the host.
    /// ```yaml
    /// # beside it: .gitignore = secrets/
    /// services:
    ///   db:
    ///     image: postgres:17.2
    ///     environment:
    ///       POSTGRES_PASSWORD_FILE: /run/secrets/db_password
    ///     secrets: [db_password]
    /// secrets:
    ///   db_password:
    ///     file: ./secrets/db_password.txt
    /// ```
    ///
    /// ## Known false positives
    /// A file that only the deploy host has, in a repository that does not list it in
    /// `.gitignore` (because the file never exists where developers work). Ignore it in git
    /// anyway: it is the one place that stops it from being committed. A path made of a
    /// variable that is not set is reported by `interpolation-unset` instead.
    ///
    /// ## References
    /// - Compose specification, top-level `secrets` (`file`)
    /// - OWASP Docker Security Cheat Sheet, rule 12
    pub(crate) struct SecretFileMissing {
        name: "secret-file-missing",
        code: "SW507",
        area: Secrets,
        severity: Error,
        fix: Never,
        summary: "a secret's file does not exist",
    }
}

impl Rule for SecretFileMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_resource(&self, cx: &mut Context<'_>, resource: &Resource<'_>) {
        let project = cx.project;
        if let Some(secret) = file_secret(resource) {
            if cx.fs.exists(&secret.path) || has_unset_variable(project, secret.node) {
                return;
            }
            if !cx.deploy_tree && only_on_the_host(cx, &secret.path) {
                return;
            }
            let help = if git_ignores(cx, &secret.path) == Some(false) {
                "create it on the deploy host and add it to `.gitignore`, or fix the path: it is relative to the compose file that declares the secret"
            } else {
                "create it (`seaworthy secrets init` writes missing secrets with mode 0600), or fix the path: it is relative to the compose file that declares the secret"
            };
            cx.report(
                format!(
                    "secret `{}` reads `{}`, which does not exist",
                    secret.name,
                    shown(project, &secret.path)
                ),
                secret.node.span,
                "no such file",
            )
            .help(help);
        }
    }
}

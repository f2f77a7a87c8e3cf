use crate::facts::files::{file_secret, shown};
use crate::{Context, Resource, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Fires when the `file:` of a top-level secret exists but cannot serve as a secret: it is
    /// a directory (or another kind of entry than a regular file), or it is empty.
    ///
    /// ## Why it matters in production
    /// Compose bind-mounts the path as it is. A directory lands at `/run/secrets/<name>` as a
    /// directory, and the service fails when it reads it; an empty file is a password of
    /// length zero, which some images accept silently (`POSTGRES_PASSWORD_FILE` then sets an
    /// empty password, or the database refuses to start after the volume was initialized).
    /// Both usually come from a secret that was never generated: `touch secrets/db.txt`, or
    /// a directory left behind by a bind mount of a missing file.
    ///
    /// ## Example
    /// ```yaml
    /// # beside it: .gitignore = secrets/
    /// # beside it: secrets/db_password.txt =
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
    /// Use instead: put the secret in the file (`seaworthy secrets init` generates the
    /// missing ones, with owner-only permissions).
    /// ```yaml
    /// # beside it: .gitignore = secrets/
    /// # beside it: secrets/db_password.txt = c2VjcmV0LWZyb20tYS1jc3BybmcK
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
    /// A secret that is empty on purpose (an optional setting read from a file). Ignore the
    /// rule for it with a reason.
    ///
    /// ## References
    /// - Compose specification, top-level `secrets` (`file`)
    pub(crate) struct SecretFileUnusable {
        name: "secret-file-unusable",
        code: "SW511",
        area: Secrets,
        severity: High,
        fix: Never,
        summary: "a secret's file is empty or not a regular file",
    }
}

impl Rule for SecretFileUnusable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_resource(&self, cx: &mut Context<'_>, resource: &Resource<'_>) {
        let Some(secret) = file_secret(resource) else {
            return;
        };
        let Ok(meta) = cx.fs.metadata(&secret.path) else {
            return;
        };
        let file = shown(cx.project, &secret.path);
        let (problem, label) = if !meta.is_file {
            let kind = if meta.is_dir {
                "a directory"
            } else {
                "not a regular file"
            };
            (format!("which is {kind}"), kind)
        } else if meta.len == 0 {
            ("which is empty".to_owned(), "empty file")
        } else {
            return;
        };
        cx.report(
            format!("secret `{}` reads `{file}`, {problem}", secret.name),
            secret.node.span,
            label,
        )
        .help(format!(
            "write the secret into `{file}` (`seaworthy secrets init` generates missing ones), or fix the path"
        ));
    }
}

use crate::facts::files::{file_secret, git_ignores, git_tracks, shown};
use crate::{Context, Resource, Rule, RuleMeta, declare_rule};
use seaworthy_source::Severity;

declare_rule! {
    /// ## What it checks
    /// Fires when a file used as a compose secret exists and
    /// - git tracks it (the repository's index holds it: it was committed or staged, and a
    ///   `.gitignore` line added later does not take it out); or
    /// - the project is a git work tree whose ignore rules do not cover the file: it is one
    ///   `git add .` away from being committed; or
    /// - with `--deploy-tree` (on the deploy host), every user of the host may read it
    ///   (its mode has the "other" read bit); with `--strict` too (and in `seaworthy secrets
    ///   check`), any permission for its group or others counts: only `0600` and `0400`
    ///   pass; or
    /// - it is inside a service's build context and the ignore file does not leave it out:
    ///   every build sends it to the builder, and `COPY . .` puts it in the image.
    ///
    /// ## Why it matters in production
    /// A file secret is only as secret as the file. Compose bind-mounts it into the
    /// container as it is on the host: the `uid`, `gid` and `mode` of a service's `secrets:`
    /// entry are not applied to file secrets, so the host file's owner and mode are what
    /// the container sees, and a file in git is in every clone and in its history.
    ///
    /// ## Example
    /// ```yaml
    /// # beside it: .gitignore = secrets/
    /// # beside it: db_password.txt
    /// services:
    ///   db:
    ///     image: postgres:17.2
    ///     environment:
    ///       POSTGRES_PASSWORD_FILE: /run/secrets/db_password
    ///     secrets: [db_password]
    /// secrets:
    ///   db_password:
    ///     file: ./db_password.txt
    /// ```
    /// Use instead: keep them in a directory git ignores, and `chmod 600` them on the host.
    /// ```yaml
    /// # beside it: .gitignore = secrets/
    /// # beside it: secrets/db_password.txt
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
    /// Test fixtures with dummy secrets committed on purpose: ignore the rule for them with
    /// a reason. Modes are judged only with `--deploy-tree`, because git does not keep them
    /// (a checkout shows whatever the umask gave).
    ///
    /// ## References
    /// - Compose specification, services `secrets` ("`uid`, `gid` and `mode` … not
    ///   implemented … when the source is a file")
    /// - OWASP Docker Security Cheat Sheet, rule 12
    pub(crate) struct SecretFileExposed {
        name: "secret-file-exposed",
        code: "SW508",
        area: Secrets,
        severity: Medium,
        fix: Never,
        summary: "a secret's file is in git or readable by every user",
    }
}

impl Rule for SecretFileExposed {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_resource(&self, cx: &mut Context<'_>, resource: &Resource<'_>) {
        let project = cx.project;
        if let Some(secret) = file_secret(resource) {
            let Ok(meta) = cx.fs.metadata(&secret.path) else {
                return;
            };
            let file = shown(project, &secret.path);
            if git_tracks(cx, &secret.path) == Some(true) {
                cx.report_at(
                    Severity::High,
                    format!("secret `{}` reads `{file}`, which git tracks", secret.name),
                    secret.node.span,
                    "committed to git",
                )
                .help(format!(
                    "change the secret, then `git rm --cached {file}`, add it to `.gitignore`, and remove it from the history"
                ));
            } else if git_ignores(cx, &secret.path) == Some(false) {
                cx.report(
                    format!(
                        "secret `{}` reads `{file}`, which git does not ignore",
                        secret.name
                    ),
                    secret.node.span,
                    "not in .gitignore",
                )
                .help(format!(
                    "add `{file}` to `.gitignore`; if it was ever committed, change the secret and remove the file from history"
                ));
            }
            let mut contexts: Vec<&std::path::Path> = Vec::new();
            for (service, build) in cx.builds.iter() {
                if contexts.contains(&build.context.as_path()) || !build.sends(&secret.path) {
                    continue;
                }
                contexts.push(&build.context);
                cx.report(
                    format!(
                        "secret `{}` reads `{file}`, which the build context of `{service}` sends to the builder",
                        secret.name
                    ),
                    secret.node.span,
                    "inside a build context",
                )
                .help(format!(
                    "leave `{file}` out with the context's `.dockerignore`, or keep secret files outside build contexts"
                ));
            }
            // Owner-only with --strict; otherwise what every user of the host can read.
            let loose = if cx.strict { 0o077 } else { 0o004 };
            if let Some(mode) = meta.mode.filter(|m| cx.deploy_tree && m & loose != 0) {
                let who = if mode & 0o004 != 0 {
                    "every user of the host"
                } else {
                    "users other than its owner"
                };
                cx.report(
                    format!(
                        "secret `{}` reads `{file}`, which {who} can access",
                        secret.name
                    ),
                    secret.node.span,
                    &format!("mode {:o}", mode & 0o777),
                )
                .help(format!(
                    "`chmod 600 {file}` (owned by the deploy user): compose mounts the file as it is, and ignores `mode:` for file secrets"
                ));
            }
        }
    }
}

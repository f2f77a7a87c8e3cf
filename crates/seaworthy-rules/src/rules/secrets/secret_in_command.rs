use crate::facts::command::{command_nodes, is_separator, program, raw_words, words};
use crate::facts::secrets::{is_credential_key, is_toggle, masked, shipped_literal, spellings};
use crate::{Context, Rule, RuleMeta, Service, declare_rule};

/// Flags whose value is a credential (`--password=…` or `--password …`).
const SECRET_FLAGS: &[&str] = &[
    "--password",
    "--passwd",
    "--pass",
    "--requirepass",
    "--masterauth",
    "--auth-token",
    "--token",
    "--api-key",
    "--secret-key",
];

/// Clients that read `-p<password>` glued to the flag.
const MYSQL_CLIENTS: &[&str] = &[
    "mysql",
    "mysqladmin",
    "mysqldump",
    "mariadb",
    "mariadb-admin",
    "mariadb-dump",
];

declare_rule! {
    /// ## What it checks
    /// Fires on a literal secret in the arguments of `command` or `entrypoint`:
    /// `--password=…`, `--password …` (and `--passwd`, `--pass`, `--requirepass`,
    /// `--masterauth`, `--auth-token`, `--token`, `--api-key`, `--secret-key`), `-p<password>`
    /// after `mysql`, `mysqladmin`, `mysqldump` or `mariadb`, and credential assignments in
    /// front of a command (`PGPASSWORD=… psql`). A value made only of `${VAR}` references
    /// without default is the operator's and is not reported; `-p 8080:80` is never read as a
    /// password. The value is never printed.
    ///
    /// ## Why it matters in production
    /// Arguments are visible to every process on the host (`ps`), in `docker inspect` and in
    /// the compose file itself, which usually lives in git.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   cache:
    ///     image: redis:7.4.1
    ///     command: redis-server --requirepass s3cret-redis-pw
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   cache:
    ///     image: redis:7.4.1
    ///     command: redis-server --requirepass ${REDIS_PASSWORD}
    /// ```
    ///
    /// ## Known false positives
    /// Flags that take a file name or a token *type* rather than the secret (`--token
    /// bearer`): suppress with the reason.
    ///
    /// ## References
    /// - OWASP Docker Security Cheat Sheet, rule 12
    pub(crate) struct SecretInCommand {
        name: "secret-in-command",
        code: "SW503",
        area: Secrets,
        severity: High,
        fix: Never,
        summary: "credential in plaintext in command arguments",
    }
}

/// The secret-carrying arguments of a command: (what names it, the raw value, its index).
pub(crate) fn secret_arguments(words: &[String]) -> Vec<(String, String, usize)> {
    let mut found = Vec::new();
    let mut after_mysql = false;
    for (i, word) in words.iter().enumerate() {
        if is_separator(word) {
            after_mysql = false;
        }
        if MYSQL_CLIENTS.contains(&program(word)) {
            after_mysql = true;
            continue;
        }
        if let Some((flag, value)) = word.split_once('=')
            && SECRET_FLAGS.contains(&flag)
        {
            found.push((format!("`{flag}`"), value.to_owned(), i));
        } else if SECRET_FLAGS.contains(&word.as_str())
            && let Some(value) = words.get(i + 1).filter(|v| !v.starts_with('-'))
        {
            found.push((format!("`{word}`"), value.clone(), i + 1));
        } else if after_mysql && let Some(value) = word.strip_prefix("-p").filter(|v| !v.is_empty())
        {
            found.push(("`-p`".to_owned(), value.to_owned(), i));
        } else if let Some((key, value)) = word.split_once('=')
            && !key.starts_with('-')
            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && is_credential_key(key)
        {
            found.push((format!("`{key}`"), value.to_owned(), i));
        }
    }
    found
}

impl Rule for SecretInCommand {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        for (field, node) in command_nodes(service) {
            let raw = raw_words(node);
            let resolved = words(node);
            for (name, value, index) in secret_arguments(&raw) {
                let literal = shipped_literal(&value);
                if literal.trim().is_empty() || is_toggle(&literal) {
                    continue;
                }
                let finding = cx
                    .report(
                        format!(
                            "service `{}` passes a plaintext secret to {name} in `{field}`",
                            service.name
                        ),
                        node.span,
                        &format!("{name} is `{}`", masked(&literal)),
                    )
                    .help("read the secret from a variable the operator sets (`${REDIS_PASSWORD}`) or from a secret file the program reads itself");
                for secret in spellings(&literal, None) {
                    finding.redact(secret);
                }
                if raw.len() == resolved.len()
                    && let Some(word) = resolved.get(index)
                {
                    let value = word.split_once('=').map_or(word.as_str(), |(_, v)| v);
                    let value = value.strip_prefix("-p").unwrap_or(value);
                    if !value.is_empty() {
                        finding.redact(value.to_owned());
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::command::split;

    fn values(line: &str) -> Vec<String> {
        secret_arguments(&split(line))
            .into_iter()
            .map(|(_, v, _)| v)
            .collect()
    }

    #[test]
    fn finds_flag_glued_and_assignment_forms() {
        assert_eq!(values("redis-server --requirepass pw1"), vec!["pw1"]);
        assert_eq!(values("app --password=pw2 --token tk"), vec!["pw2", "tk"]);
        assert_eq!(values("mysqladmin ping -uroot -ppw3"), vec!["pw3"]);
        assert_eq!(values("PGPASSWORD=pw4 psql -h db"), vec!["pw4"]);
    }

    #[test]
    fn docker_style_flags_are_not_passwords() {
        assert!(values("socat -p 8080:80").is_empty());
        assert!(values("app -pconfig.yaml").is_empty());
        assert!(values("mysql -p && app -pfoo").is_empty());
        assert!(values("app --password-file /run/secrets/pw").is_empty());
    }
}

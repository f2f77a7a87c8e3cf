use crate::facts::keyed_entries;
use crate::facts::secrets::{
    is_plaintext_secret, is_traefik_auth_users_key, literal_of, masked, spellings,
};
use crate::{Context, Rule, RuleMeta, Service, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Fires on a service label whose key names a credential (the key list of
    /// `plaintext-secret-env`, read with `.` and `-` as `_`: `com.acme.api-key`,
    /// `backup.db-password`) and whose raw value ships a literal; and on traefik
    /// `*.basicauth.users` / `*.digestauth.users` labels that list users with their password
    /// hashes inline. Values made only of `${VAR}` references without default, toggles
    /// (`true`, `0`, …) and `basicauth.usersfile` are quiet. The value is never printed.
    ///
    /// ## Why it matters in production
    /// Labels are metadata: anyone who can reach the Docker API (`docker inspect`, a
    /// dashboard, a monitoring agent, every container that mounts the socket) reads them,
    /// and the compose file that sets them is usually in git. An htpasswd hash is not a
    /// password, but apr1 and SHA1 hashes are cracked offline in minutes.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   proxy:
    ///     image: traefik:v3.1.4
    ///     labels:
    ///       traefik.http.middlewares.auth.basicauth.users: "admin:$$apr1$$H6uskkkW$$IgXLP6ewTrSuBkTrqE8wj/"
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   proxy:
    ///     image: traefik:v3.1.4
    ///     labels:
    ///       traefik.http.middlewares.auth.basicauth.usersfile: /run/secrets/htpasswd
    ///     secrets:
    ///       - htpasswd
    /// secrets:
    ///   htpasswd:
    ///     file: ./secrets/htpasswd
    /// ```
    ///
    /// ## Known false positives
    /// Traefik basic-auth hashes on an internal dashboard are common and deliberate, which is
    /// why this is medium: accept it with a reason (`x-seaworthy.ignore`) if the hash is
    /// strong (bcrypt) and the API is not shared.
    ///
    /// ## References
    /// - OWASP Docker Security Cheat Sheet, rule 12
    /// - KICS passwords_and_secrets (any YAML key)
    pub(crate) struct SecretInLabels {
        name: "secret-in-labels",
        code: "SW504",
        area: Secrets,
        severity: Medium,
        fix: Never,
        summary: "credential or password hash in a label",
    }
}

impl Rule for SecretInLabels {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let Some(labels) = service.get("labels") else {
            return;
        };
        for (key, value) in &keyed_entries(labels) {
            let Some(literal) = literal_of(key, value) else {
                continue;
            };
            let finding = if is_traefik_auth_users_key(key) {
                let users = literal.split(',').filter(|u| u.contains(':')).count();
                if users == 0 {
                    continue;
                }
                let hashes = if users == 1 {
                    "1 inline password hash".to_owned()
                } else {
                    format!("{users} inline password hashes")
                };
                cx.report(
                    format!(
                        "service `{}` holds password hashes in label `{key}`",
                        service.name
                    ),
                    value.span,
                    &hashes,
                )
                .help(
                    "use `usersfile` instead of `users`, pointing at an htpasswd file mounted as a compose secret (`secrets:`), so `docker inspect` does not show the hashes",
                )
            } else if is_plaintext_secret(key, &literal) {
                cx.report(
                    format!(
                        "service `{}` sets label `{key}` to a plaintext credential",
                        service.name
                    ),
                    value.span,
                    &format!("literal value `{}`", masked(&literal)),
                )
                .help(
                    "labels are readable by anyone with access to the Docker API: give the credential to the program that needs it as a compose secret, not as a label",
                )
            } else {
                continue;
            };
            for secret in spellings(&literal, Some(value)) {
                finding.redact(secret);
            }
            for user in literal.split(',') {
                if let Some((_, hash)) = user.split_once(':')
                    && !hash.trim().is_empty()
                {
                    finding.redact(hash.trim());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::facts::secrets::{is_traefik_auth_users_key, shipped_literal};

    #[test]
    fn traefik_auth_labels_match_in_any_case_but_not_usersfile() {
        assert!(is_traefik_auth_users_key(
            "traefik.http.middlewares.auth.basicauth.users"
        ));
        assert!(is_traefik_auth_users_key(
            "traefik.http.middlewares.Auth.basicAuth.users"
        ));
        assert!(is_traefik_auth_users_key(
            "traefik.http.middlewares.auth.digestauth.users"
        ));
        assert!(!is_traefik_auth_users_key(
            "traefik.http.middlewares.auth.basicauth.usersfile"
        ));
        assert!(!is_traefik_auth_users_key("com.acme.basicauth.users"));
    }

    #[test]
    fn escaped_dollars_in_htpasswd_hashes_ship_as_single_dollars() {
        assert_eq!(
            shipped_literal("admin:$$apr1$$H6uskkkW$$IgXL"),
            "admin:$apr1$H6uskkkW$IgXL"
        );
    }
}

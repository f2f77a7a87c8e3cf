//! What a compose value ships as a secret: whether an environment-style key names a
//! credential (RULES.md `plaintext-secret-env`, with its exemptions), what literal text a raw
//! value ships before the operator's variables are applied (`$$` escapes, `${VAR:-default}`
//! defaults), the `user:password@` part of URLs, traefik labels that hold password hashes,
//! which environment values came from an `env_file`, and a masked form to show instead of a
//! value.

use seaworthy_compose::{Node, Value};
use seaworthy_source::FileId;
use std::collections::BTreeSet;

/// Key fragments that name a credential anywhere in the key.
const CREDENTIAL_FRAGMENTS: &[&str] = &[
    "PASSWORD",
    "PASSPHRASE",
    "TOKEN",
    "SECRET",
    "API_KEY",
    "APIKEY",
    "PRIVATE_KEY",
    "ACCESS_KEY",
    "SECRET_KEY",
    "ENCRYPTION_KEY",
    "CREDENTIAL",
];

/// Key endings that name a credential.
const CREDENTIAL_SUFFIXES: &[&str] = &["_PASS", "_PWD", "PASSWD", "_SALT", "_DSN"];

/// Fragments of keys that hold a quantity about a credential (a lifetime, a size, a policy),
/// not the credential itself, when their value is a number or a duration.
const QUANTITY_FRAGMENTS: &[&str] = &[
    "TTL",
    "TIMEOUT",
    "EXPIRE",
    "LIFETIME",
    "MAX_AGE",
    "_SECONDS",
    "_MINUTES",
    "MIN_LENGTH",
    "_LIMIT",
    "_SIZE",
    "POLICY",
    "TOKENS",
];

/// The key, uppercase, with `-` and `.` read as `_` (labels spell keys `com.acme.api-key`).
fn normalized(key: &str) -> String {
    key.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// The key names a credential (`DB_PASSWORD`, `STRIPE_API_KEY`, `REDIS_PASS`), and is not a
/// pointer to one (`*_FILE`, `*_PATH`) or a toggle (`ALLOW_EMPTY_PASSWORD`,
/// `MYSQL_RANDOM_ROOT_PASSWORD`). A generic `_KEY` suffix does not count: `GPG_KEY`,
/// `LICENSE_KEY` and `PUBLIC_KEY` are not secrets.
pub(crate) fn is_credential_key(key: &str) -> bool {
    let key = normalized(key);
    if key.ends_with("_FILE")
        || key.ends_with("_PATH")
        || key.contains("ALLOW_EMPTY_")
        || key.contains("RANDOM_")
    {
        return false;
    }
    CREDENTIAL_FRAGMENTS.iter().any(|f| key.contains(f))
        || CREDENTIAL_SUFFIXES.iter().any(|s| key.ends_with(s))
}

/// The key holds a quantity (`JWT_ACCESS_TOKEN_EXPIRE_MINUTES`, `PASSWORD_MIN_LENGTH`,
/// `MAX_TOKENS`, `REDIS_PASSWORD_PORT`).
fn is_quantity_key(key: &str) -> bool {
    let key = normalized(key);
    key.ends_with("_PORT") || QUANTITY_FRAGMENTS.iter().any(|f| key.contains(f))
}

/// A bare number (`30`, `0.5`) or a duration (`15m`, `1h30m`, `7d`, `3600s`).
fn is_number_or_duration(value: &str) -> bool {
    let mut rest = value.trim();
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if digits == 0 {
            return false;
        }
        rest = &rest[digits..];
        let unit = rest
            .find(|c: char| !c.is_ascii_alphabetic() && c != 'µ')
            .unwrap_or(rest.len());
        let known = ["", "ns", "us", "µs", "ms", "s", "m", "h", "d", "w"];
        if !known.contains(&rest[..unit].to_ascii_lowercase().as_str()) {
            return false;
        }
        rest = &rest[unit..];
    }
    true
}

/// A value that cannot be a credential however the key reads: a toggle (`true`, `0`, `on`).
pub(crate) fn is_toggle(value: &str) -> bool {
    ["yes", "no", "true", "false", "0", "1", "on", "off"]
        .iter()
        .any(|t| value.trim().eq_ignore_ascii_case(t))
}

/// The literal `value` under credential-named `key` is a plaintext secret: not empty, not a
/// toggle, and not a number or duration under a quantity key.
pub(crate) fn is_plaintext_secret(key: &str, value: &str) -> bool {
    let value = value.trim();
    is_credential_key(key)
        && !value.is_empty()
        && !is_toggle(value)
        && (!is_quantity_key(key) || !is_number_or_duration(value))
}

/// The literal text a raw compose string ships when the operator sets no variable: plain
/// text, `$$` as `$`, and the defaults of `${VAR:-default}` / `${VAR-default}` and the
/// alternatives of `${VAR:+alt}`; a reference without default (`$VAR`, `${VAR}`,
/// `${VAR:?err}`) ships nothing of the file. An empty result means the value is entirely the
/// operator's.
pub(crate) fn shipped_literal(raw: &str) -> String {
    let mut out = String::new();
    literal_into(raw, &mut out, 0);
    out
}

/// Depth guard for nested defaults (`${A:-${B:-${C}}}`).
const MAX_NESTING: usize = 64;

fn literal_into(raw: &str, out: &mut String, depth: usize) {
    let mut rest = raw;
    while let Some(dollar) = rest.find('$') {
        out.push_str(&rest[..dollar]);
        let after = &rest[dollar + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some(braced) = after.strip_prefix('{') {
            let Some(end) = closing_brace(braced) else {
                // Unbalanced: compose rejects it; whatever ships is the text itself.
                out.push('$');
                rest = after;
                continue;
            };
            let inner = &braced[..end];
            let name_end = inner
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(inner.len());
            let operator = &inner[name_end..];
            let word = operator
                .strip_prefix(":-")
                .or_else(|| operator.strip_prefix(":+"))
                .or_else(|| operator.strip_prefix('-'))
                .or_else(|| operator.strip_prefix('+'));
            if let Some(word) = word
                && depth < MAX_NESTING
            {
                literal_into(word, out, depth + 1);
            }
            rest = &braced[end + 1..];
        } else {
            let name_end = if after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
                after
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(after.len())
            } else {
                0
            };
            if name_end == 0 {
                out.push('$');
            }
            rest = &after[name_end..];
        }
    }
    out.push_str(rest);
}

/// The index of the `}` closing a `${` whose body starts `text`, counting nested `${`.
fn closing_brace(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 1;
            }
            b'}' if depth == 0 => return Some(i),
            b'}' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    None
}

/// The raw text of an environment-style value: the text before interpolation (without the
/// `KEY=` of a list entry, which the loader may keep in `raw`), else the value as written.
pub(crate) fn raw_value(key: &str, node: &Node) -> Option<String> {
    match node.raw.as_deref() {
        Some(raw) => {
            let raw = raw
                .strip_prefix(key)
                .and_then(|r| r.strip_prefix('='))
                .unwrap_or(raw);
            Some(raw.to_owned())
        }
        None => node.scalar_text(),
    }
}

/// What a credential-named value ships from the file, when that is a literal: `None` for a
/// null value (taken from the shell) or a value made only of operator references.
pub(crate) fn literal_of(key: &str, node: &Node) -> Option<String> {
    if node.is_null() {
        return None;
    }
    let raw = raw_value(key, node)?;
    let literal = if node.raw.is_some() {
        shipped_literal(&raw)
    } else {
        raw
    };
    (!literal.trim().is_empty()).then_some(literal)
}

/// Every spelling of a secret that must not be printed: the literal, the way a file writes it
/// (`$` escaped as `$$`), and the value after interpolation.
pub(crate) fn spellings(literal: &str, resolved: Option<&Node>) -> Vec<String> {
    let mut all = vec![literal.to_owned()];
    let escaped = literal.replace('$', "$$");
    if escaped != literal {
        all.push(escaped);
    }
    if let Some(resolved) = resolved.and_then(Node::scalar_text)
        && !resolved.trim().is_empty()
        && !all.contains(&resolved)
    {
        all.push(resolved);
    }
    all
}

/// The `user:password` of a URL in a string (`postgres://app:s3cret@db/app`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct UrlCredential {
    pub scheme: String,
    pub user: String,
    /// The password half as written (it may hold `${VAR}` references).
    pub password: String,
}

/// Every URL with a password in `text`, read as raw compose text: a `${...}` group is one
/// unit, so `${A:-x}` does not split user and password at its `:`.
pub(crate) fn url_credentials(text: &str) -> Vec<UrlCredential> {
    let mut found = Vec::new();
    let mut search = 0;
    while let Some(offset) = text.get(search..).and_then(|t| t.find("://")) {
        let at = search + offset;
        search = at + 3;
        let scheme_start = text[..at]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
            .map_or(0, |i| i + 1);
        let scheme = &text[scheme_start..at];
        if scheme.is_empty() {
            continue;
        }
        let authority = authority(&text[at + 3..]);
        let Some(userinfo_end) = authority.rfind('@') else {
            continue;
        };
        let userinfo = &authority[..userinfo_end];
        let Some(colon) = top_level_colon(userinfo) else {
            continue;
        };
        found.push(UrlCredential {
            scheme: scheme.to_owned(),
            user: userinfo[..colon].to_owned(),
            password: userinfo[colon + 1..].to_owned(),
        });
    }
    found
}

/// The authority of a URL: up to the path, query, fragment, whitespace or a quote, with
/// `${...}` groups kept whole.
fn authority(text: &str) -> &str {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'$' if bytes.get(i + 1) == Some(&b'{') => match closing_brace(&text[i + 2..]) {
                Some(end) => i += end + 3,
                None => return &text[..i],
            },
            b'/' | b'?' | b'#' | b'"' | b'\'' | b',' | b';' => return &text[..i],
            c if c.is_ascii_whitespace() => return &text[..i],
            _ => i += 1,
        }
    }
    text
}

/// The first `:` outside `${...}` groups.
fn top_level_colon(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                i += closing_brace(&text[i + 2..])? + 3;
            }
            b':' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// A traefik label that lists users with their password hashes inline
/// (`traefik.http.middlewares.auth.basicauth.users`, `…digestauth.users`); traefik reads its
/// label keys case-insensitively. `usersfile` is the safe form and does not match.
pub(crate) fn is_traefik_auth_users_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key.starts_with("traefik.")
        && (key.ends_with(".basicauth.users") || key.ends_with(".digestauth.users"))
}

/// The files the compose model was written in: every file that holds a key, a value or an
/// overridden value of the model, except the `KEY=value` entries of `environment`, which
/// may come from an `env_file` (the loader folds those in with the env file's spans).
pub(crate) fn compose_file_ids(model: &Node) -> BTreeSet<FileId> {
    /// The files seen: a bit each for the first 64 (every real project), a set beyond. The
    /// walk records four spans per node of the model, for every service that checks.
    #[derive(Default)]
    struct Seen {
        first: u64,
        rest: BTreeSet<FileId>,
    }
    fn record(node: &Node, out: &mut Seen) {
        let spans = [node.span, node.key_span];
        for span in spans.iter().chain(&node.overridden).chain(&node.via_alias) {
            if span.is_synthetic() {
                continue;
            }
            match 1u64.checked_shl(span.file.0) {
                Some(bit) => out.first |= bit,
                None => {
                    out.rest.insert(span.file);
                }
            }
        }
    }
    fn walk(node: &Node, depth: usize, out: &mut Seen) {
        record(node, out);
        if depth > 64 {
            return;
        }
        match &node.value {
            Value::Map(map) => {
                for (key, value) in map {
                    if depth == 2 && key == "environment" {
                        record(value, out);
                        // An entry whose key and value share one span and that was not
                        // interpolated may be an env_file line: only its value can tell.
                        for entry in value.as_map().into_iter().flat_map(|m| m.values()) {
                            if entry.raw.is_some() || entry.key_span != entry.span {
                                record(entry, out);
                            }
                        }
                    } else {
                        walk(value, depth + 1, out);
                    }
                }
            }
            Value::Seq(items) => items.iter().for_each(|i| walk(i, depth + 1, out)),
            _ => {}
        }
    }
    let mut seen = Seen::default();
    walk(model, 0, &mut seen);
    let mut out = seen.rest;
    out.extend((0..64).filter(|id| seen.first & (1 << id) != 0).map(FileId));
    out
}

/// The value of an `environment` entry was read from an `env_file`: its text is in a file
/// the compose model was not written in. The model keeps no other trace of env files, so an
/// overlay that contributes nothing but unquoted, uninterpolated `- KEY=value` entries (no
/// other key survives the merge with its own span) reads as an env file too.
pub(crate) fn is_from_env_file(value: &Node, compose_files: &BTreeSet<FileId>) -> bool {
    !value.span.is_synthetic() && !compose_files.contains(&value.span.file)
}

/// A list-form `environment` entry written as a bare `KEY` that took its value from the
/// operator's environment (compose-go's `ResolveEnvironment` turns it into `KEY=value`; the
/// loader records its raw text as `${KEY}`, and the text written is just the key).
pub(crate) fn is_passed_through(key: &str, value: &Node) -> bool {
    let written = value.span.end.saturating_sub(value.span.start) as usize;
    !value.span.is_synthetic()
        && written == key.len()
        && value.raw.as_deref() == Some(format!("${{{key}}}").as_str())
}

/// A form of a secret safe to print: its first two characters for long values, stars only for
/// short ones (where two characters would give too much away).
pub(crate) fn masked(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    if chars.len() >= 12 {
        let head: String = chars.iter().take(2).collect();
        format!("{head}******")
    } else {
        "******".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use seaworthy_source::MapEnv;

    #[test]
    fn credential_keys_follow_the_catalog_list() {
        for key in [
            "DB_PASSWORD",
            "POSTGRES_PASSWORD",
            "GITHUB_TOKEN",
            "JWT_SECRET",
            "STRIPE_API_KEY",
            "OPENAI_APIKEY",
            "SSH_PRIVATE_KEY",
            "AWS_SECRET_ACCESS_KEY",
            "APP_ENCRYPTION_KEY",
            "GOOGLE_CREDENTIALS",
            "REDIS_PASS",
            "MYSQL_PWD",
            "LDAP_BIND_PASSWD",
            "HASH_SALT",
            "SENTRY_DSN",
            "db_password",
            "com.acme.api-key",
        ] {
            assert!(is_credential_key(key), "{key}");
        }
        for key in [
            "POSTGRES_PASSWORD_FILE",
            "SSL_PRIVATE_KEY_PATH",
            "ALLOW_EMPTY_PASSWORD",
            "MYSQL_RANDOM_ROOT_PASSWORD",
            "GPG_KEY",
            "LICENSE_KEY",
            "PUBLIC_KEY",
            "PASSENGER_APP_ENV",
            "COMPASS",
            "KEYCLOAK_URL",
        ] {
            assert!(!is_credential_key(key), "{key}");
        }
    }

    #[test]
    fn quantities_toggles_and_empty_values_are_not_secrets() {
        assert!(!is_plaintext_secret(
            "JWT_ACCESS_TOKEN_EXPIRE_MINUTES",
            "30"
        ));
        assert!(!is_plaintext_secret("TOKEN_TTL", "1h30m"));
        assert!(!is_plaintext_secret("PASSWORD_MIN_LENGTH", "12"));
        assert!(!is_plaintext_secret("MAX_TOKENS", "4096"));
        assert!(!is_plaintext_secret("REDIS_PASSWORD", "true"));
        assert!(!is_plaintext_secret("REDIS_PASSWORD", "OFF"));
        assert!(!is_plaintext_secret("REDIS_PASSWORD", "  "));
        // A number is a password when the key is not a quantity (CL-0020 #277).
        assert!(is_plaintext_secret("DB_PASSWORD", "123456"));
        assert!(is_plaintext_secret("TOKEN_TTL", "forever-secret"));
    }

    #[test]
    fn shipped_literal_reads_escapes_and_defaults() {
        assert_eq!(shipped_literal("${DB_PASSWORD}"), "");
        assert_eq!(shipped_literal("$DB_PASSWORD"), "");
        assert_eq!(shipped_literal("${DB_PASSWORD:?set it}"), "");
        assert_eq!(shipped_literal("${DB_PASSWORD:-changeme}"), "changeme");
        assert_eq!(shipped_literal("${DB_PASSWORD-changeme}"), "changeme");
        assert_eq!(shipped_literal("pa$$w0rd"), "pa$w0rd");
        assert_eq!(shipped_literal("${A:-${B}}"), "");
        assert_eq!(shipped_literal("${A:-${B:-x}y}"), "xy");
        assert_eq!(shipped_literal("${PREFIX}secret"), "secret");
        assert_eq!(shipped_literal("cost $5"), "cost $5");
        assert_eq!(shipped_literal("${broken"), "${broken");
    }

    #[test]
    fn list_and_map_entries_give_the_same_raw_value() {
        let mut list = Node::synthetic(Value::Str("changeme".into()));
        list.raw = Some("DB_PASSWORD=${DB_PASSWORD:-changeme}".into());
        let mut map = Node::synthetic(Value::Str("changeme".into()));
        map.raw = Some("${DB_PASSWORD:-changeme}".into());
        assert_eq!(
            literal_of("DB_PASSWORD", &list).as_deref(),
            Some("changeme")
        );
        assert_eq!(literal_of("DB_PASSWORD", &map).as_deref(), Some("changeme"));
        let mut reference = Node::synthetic(Value::Str(String::new()));
        reference.raw = Some("DB_PASSWORD=${DB_PASSWORD}".into());
        assert_eq!(literal_of("DB_PASSWORD", &reference), None);
        let plain = Node::synthetic(Value::Str("hunter22".into()));
        assert_eq!(
            literal_of("DB_PASSWORD", &plain).as_deref(),
            Some("hunter22")
        );
        assert_eq!(
            literal_of("DB_PASSWORD", &Node::synthetic(Value::Null)),
            None
        );
        let number = Node::synthetic(Value::Int(123456));
        assert_eq!(
            literal_of("DB_PASSWORD", &number).as_deref(),
            Some("123456")
        );
    }

    #[test]
    fn url_userinfo_keeps_variable_groups_whole() {
        let found = url_credentials("postgres://app:s3cret@db:5432/app");
        assert_eq!(
            found,
            vec![UrlCredential {
                scheme: "postgres".into(),
                user: "app".into(),
                password: "s3cret".into()
            }]
        );
        let found = url_credentials("redis://${U:-app}:${PW:-x:y}@cache/0");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].user, "${U:-app}");
        assert_eq!(found[0].password, "${PW:-x:y}");
        assert!(url_credentials("https://${USER}@example.com").is_empty());
        assert!(url_credentials("https://example.com/a:b@c").is_empty());
        assert!(url_credentials("no url here").is_empty());
        assert_eq!(
            url_credentials("--db amqp://u:p@mq --cache redis://:pw@cache").len(),
            2
        );
    }

    fn load_project(env: MapEnv) -> seaworthy_compose::Project {
        use seaworthy_compose::{LoadOptions, Sources, load};
        use seaworthy_source::MemoryFs;
        let mut fs = MemoryFs::new();
        fs.insert(
            "/project/compose.yaml",
            "services:\n  api:\n    image: api:1\n    env_file: app.env\n    environment:\n      - INLINE_PASSWORD=written-here\n      - SHELL_PASSWORD\n      - MAP_TOKEN=${MAP_TOKEN}\n",
        );
        fs.insert(
            "/project/compose.prod.yaml",
            "services:\n  api:\n    restart: always\n    environment:\n      - PROD_PASSWORD=prod-literal\n",
        );
        fs.insert("/project/app.env", "FILE_PASSWORD=from-env-file\n");
        let options = LoadOptions {
            files: vec![
                "/project/compose.yaml".into(),
                "/project/compose.prod.yaml".into(),
            ],
            cwd: "/project".into(),
            ..LoadOptions::default()
        };
        load(&options, &fs, &env, &mut Sources::new()).unwrap()
    }

    #[test]
    fn env_file_values_are_told_from_compose_values() {
        let project = load_project(MapEnv::new().with("SHELL_PASSWORD", "from-shell"));
        let compose_files = compose_file_ids(&project.model);
        let environment = project
            .model
            .path("services.api.environment")
            .and_then(Node::as_map)
            .unwrap();
        let from_file = |key: &str| is_from_env_file(&environment[key], &compose_files);
        assert!(from_file("FILE_PASSWORD"));
        assert!(!from_file("INLINE_PASSWORD"));
        assert!(!from_file("SHELL_PASSWORD"));
        assert!(!from_file("MAP_TOKEN"));
        assert!(!from_file("PROD_PASSWORD"), "an overlay's list entry");
    }

    #[test]
    fn bare_keys_resolved_from_the_environment_are_passed_through() {
        let project = load_project(MapEnv::new().with("SHELL_PASSWORD", "from-shell"));
        let environment = project
            .model
            .path("services.api.environment")
            .and_then(Node::as_map)
            .unwrap();
        assert_eq!(environment["SHELL_PASSWORD"].as_str(), Some("from-shell"));
        assert!(is_passed_through(
            "SHELL_PASSWORD",
            &environment["SHELL_PASSWORD"]
        ));
        assert!(!is_passed_through(
            "INLINE_PASSWORD",
            &environment["INLINE_PASSWORD"]
        ));
        assert!(!is_passed_through(
            "PROD_PASSWORD",
            &environment["PROD_PASSWORD"]
        ));
        assert!(!is_passed_through(
            "FILE_PASSWORD",
            &environment["FILE_PASSWORD"]
        ));
    }

    #[test]
    fn masks_never_show_short_secrets() {
        assert_eq!(masked("changeme"), "******");
        assert_eq!(masked("changeme-in-prod"), "ch******");
        assert_eq!(masked(""), "******");
    }
}

//! High-confidence credential formats (RULES.md `known-token-pattern`): cloud and SaaS keys
//! whose shape alone says what they are, and private-key blocks. A match carries the secret
//! text to redact, and whether it looks like test data (AWS's documented example key, a
//! private-key header with almost no body).

use regex::Regex;
use std::sync::LazyLock;

/// One credential found in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    /// What it is, for messages (`an AWS access key id`).
    pub kind: &'static str,
    /// The secret itself (for a private key, its body), to redact.
    pub secret: String,
    /// Test data rather than a live credential.
    pub test_data: bool,
}

/// Shorter private-key bodies are fixtures, not keys (a real RSA/EC key is hundreds of
/// base64 characters).
const MIN_KEY_BODY: usize = 64;

static PATTERNS: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    [
        (
            "an AWS access key id",
            r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[A-Z0-9]{16}\b",
        ),
        ("a GitHub token", r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
        ("a GitHub token", r"\bgithub_pat_[A-Za-z0-9_]{22,}"),
        ("a GitLab token", r"\bglpat-[A-Za-z0-9_-]{20,}"),
        ("a Slack token", r"\bxox[abprs]-[A-Za-z0-9-]{10,}"),
        (
            "a Slack webhook URL",
            r"https://hooks\.slack\.com/services/T[A-Za-z0-9]+/B[A-Za-z0-9]+/[A-Za-z0-9]+",
        ),
        ("a Stripe live key", r"\b[sr]k_live_[A-Za-z0-9]{16,}"),
        ("a Google API key", r"\bAIza[0-9A-Za-z_-]{35}"),
    ]
    .into_iter()
    .filter_map(|(kind, pattern)| Regex::new(pattern).ok().map(|re| (kind, re)))
    .collect()
});

static PRIVATE_KEY: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----")
        .ok()
});

/// AWS's documented example key id, in every AWS tutorial.
const AWS_EXAMPLE_KEY: &str = "AKIAIOSFODNN7EXAMPLE";

/// Every credential in `text`, in order of appearance per kind.
pub(crate) fn find(text: &str) -> Vec<Token> {
    let mut found = Vec::new();
    for (kind, pattern) in PATTERNS.iter() {
        for m in pattern.find_iter(text) {
            let secret = m.as_str().to_owned();
            found.push(Token {
                kind,
                test_data: secret == AWS_EXAMPLE_KEY,
                secret,
            });
        }
    }
    if let Some(header) = PRIVATE_KEY.as_ref() {
        for m in header.find_iter(text) {
            let rest = &text[m.end()..];
            let body = rest
                .find("-----END")
                .map_or(rest, |end| &rest[..end])
                .trim();
            let base64 = body
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='))
                .count();
            found.push(Token {
                kind: "a private key",
                secret: if body.is_empty() {
                    m.as_str().to_owned()
                } else {
                    body.to_owned()
                },
                test_data: base64 < MIN_KEY_BODY,
            });
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(&'static str, bool)> {
        find(text)
            .into_iter()
            .map(|t| (t.kind, t.test_data))
            .collect()
    }

    #[test]
    fn finds_cloud_and_saas_keys() {
        assert_eq!(
            kinds("AWS_ACCESS_KEY_ID=AKIAZ7Q3VN4XK2L8RT5M"),
            vec![("an AWS access key id", false)]
        );
        assert_eq!(
            kinds("ghp_0123456789abcdefghijABCDEFGHIJ012345"),
            vec![("a GitHub token", false)]
        );
        assert_eq!(
            kinds("glpat-abcdefghij0123456789"),
            vec![("a GitLab token", false)]
        );
        assert_eq!(
            kinds("xoxb-1234567890-abcdef"),
            vec![("a Slack token", false)]
        );
        assert_eq!(
            kinds("sk_live_51H8abcdefghijklmnop"),
            vec![("a Stripe live key", false)]
        );
        assert_eq!(
            kinds("AIzaSyA1234567890abcdefghijklmnopqrstuv"),
            vec![("a Google API key", false)]
        );
    }

    #[test]
    fn example_keys_and_short_key_blocks_are_test_data() {
        assert_eq!(
            kinds("AKIAIOSFODNN7EXAMPLE"),
            vec![("an AWS access key id", true)]
        );
        assert_eq!(
            kinds("-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----"),
            vec![("a private key", true)]
        );
        let body = "A".repeat(200);
        let block = format!("-----BEGIN PRIVATE KEY-----\n{body}\n-----END PRIVATE KEY-----");
        assert_eq!(find(&block)[0].secret, body);
        assert!(!find(&block)[0].test_data);
    }

    #[test]
    fn certificates_and_public_keys_are_not_secrets() {
        assert!(find("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----").is_empty());
        assert!(find("-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----").is_empty());
        assert!(find("sk_test_51H8abcdefghijklmnop").is_empty());
        assert!(find("AKIA-not-a-key").is_empty());
    }
}

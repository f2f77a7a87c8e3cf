//! High-confidence credential formats (RULES.md `known-token-pattern`): cloud and SaaS keys
//! whose shape alone says what they are, and private-key blocks. A match carries the secret
//! text to redact, and whether it looks like test data (AWS's documented example key, a
//! private-key header with almost no body).

use regex::Regex;
use std::sync::{LazyLock, OnceLock};

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

/// A credential format: what it is, its regular expression, and literals one of which every
/// match contains. Most texts contain none of them, so the expression is neither compiled nor
/// run on them (compiling all of them cost more than the rest of the rule).
struct Format {
    kind: &'static str,
    pattern: &'static str,
    literals: &'static [&'static str],
}

const FORMATS: [Format; 8] = [
    Format {
        kind: "an AWS access key id",
        pattern: r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[A-Z0-9]{16}\b",
        literals: &["AKIA", "ASIA", "AGPA", "AIDA", "AROA", "ANPA"],
    },
    Format {
        kind: "a GitHub token",
        pattern: r"\bgh[pousr]_[A-Za-z0-9]{36,}\b",
        literals: &["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
    },
    Format {
        kind: "a GitHub token",
        pattern: r"\bgithub_pat_[A-Za-z0-9_]{22,}",
        literals: &["github_pat_"],
    },
    Format {
        kind: "a GitLab token",
        pattern: r"\bglpat-[A-Za-z0-9_-]{20,}",
        literals: &["glpat-"],
    },
    Format {
        kind: "a Slack token",
        pattern: r"\bxox[abprs]-[A-Za-z0-9-]{10,}",
        literals: &["xox"],
    },
    Format {
        kind: "a Slack webhook URL",
        pattern: r"https://hooks\.slack\.com/services/T[A-Za-z0-9]+/B[A-Za-z0-9]+/[A-Za-z0-9]+",
        literals: &["https://hooks.slack.com/services/T"],
    },
    Format {
        kind: "a Stripe live key",
        pattern: r"\b[sr]k_live_[A-Za-z0-9]{16,}",
        literals: &["k_live_"],
    },
    Format {
        kind: "a Google API key",
        pattern: r"\bAIza[0-9A-Za-z_-]{35}",
        literals: &["AIza"],
    },
];

/// Each format's expression, compiled the first time a text contains one of its literals.
static COMPILED: [OnceLock<Option<Regex>>; FORMATS.len()] =
    [const { OnceLock::new() }; FORMATS.len()];

const PRIVATE_KEY_LITERAL: &str = "-----BEGIN ";

static PRIVATE_KEY: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----")
        .ok()
});

const PRIVATE_KEY_BIT: u16 = 1 << FORMATS.len();

/// The bytes a literal starts with.
static FIRST_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut f = 0;
    while f < FORMATS.len() {
        let mut l = 0;
        while l < FORMATS[f].literals.len() {
            table[FORMATS[f].literals[l].as_bytes()[0] as usize] = true;
            l += 1;
        }
        f += 1;
    }
    table[PRIVATE_KEY_LITERAL.as_bytes()[0] as usize] = true;
    table
};

/// Which formats' literals `text` holds (bit `i` for `FORMATS[i]`, then `PRIVATE_KEY_BIT`), in
/// one pass: looking for each literal in turn cost more than the rest of the
/// rule.
fn candidates(text: &str) -> u16 {
    let bytes = text.as_bytes();
    let mut found = 0;
    for (at, byte) in bytes.iter().enumerate() {
        if !FIRST_BYTES[usize::from(*byte)] {
            continue;
        }
        let rest = &bytes[at..];
        for (index, format) in FORMATS.iter().enumerate() {
            if format
                .literals
                .iter()
                .any(|literal| rest.starts_with(literal.as_bytes()))
            {
                found |= 1 << index;
            }
        }
        if rest.starts_with(PRIVATE_KEY_LITERAL.as_bytes()) {
            found |= PRIVATE_KEY_BIT;
        }
    }
    found
}

/// AWS's documented example key id, in every AWS tutorial.
const AWS_EXAMPLE_KEY: &str = "AKIAIOSFODNN7EXAMPLE";

/// Every credential in `text`, in order of appearance per kind.
pub(crate) fn find(text: &str) -> Vec<Token> {
    let mut found = Vec::new();
    let candidates = candidates(text);
    if candidates == 0 {
        return found;
    }
    for (index, (format, compiled)) in FORMATS.iter().zip(&COMPILED).enumerate() {
        if candidates & (1 << index) == 0 {
            continue;
        }
        let Some(pattern) = compiled.get_or_init(|| Regex::new(format.pattern).ok()) else {
            continue;
        };
        let kind = format.kind;
        for m in pattern.find_iter(text) {
            let secret = m.as_str().to_owned();
            found.push(Token {
                kind,
                test_data: secret == AWS_EXAMPLE_KEY,
                secret,
            });
        }
    }
    if candidates & PRIVATE_KEY_BIT != 0
        && let Some(header) = PRIVATE_KEY.as_ref()
    {
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
    fn every_match_contains_one_of_its_formats_literals() {
        let samples = [
            "AKIAZ7Q3VN4XK2L8RT5M ASIAZ7Q3VN4XK2L8RT5M AGPAZ7Q3VN4XK2L8RT5M AIDAZ7Q3VN4XK2L8RT5M",
            "AROAZ7Q3VN4XK2L8RT5M ANPAZ7Q3VN4XK2L8RT5M",
            "ghp_0123456789abcdefghijABCDEFGHIJ012345 gho_0123456789abcdefghijABCDEFGHIJ012345",
            "ghu_0123456789abcdefghijABCDEFGHIJ012345 ghs_0123456789abcdefghijABCDEFGHIJ012345",
            "ghr_0123456789abcdefghijABCDEFGHIJ012345 github_pat_0123456789abcdefghij_ABCDEF",
            "glpat-abcdefghij0123456789 xoxa-1234567890-abcdef xoxp-1234567890-abcdef",
            "https://hooks.slack.com/services/T0123/B0456/abcdef",
            "sk_live_51H8abcdefghijklmnop rk_live_51H8abcdefghijklmnop",
            "AIzaSyA1234567890abcdefghijklmnopqrstuv",
        ];
        let mut matched = 0;
        for (format, _) in FORMATS.iter().zip(&COMPILED) {
            let pattern = Regex::new(format.pattern).unwrap_or_else(|e| panic!("{e}"));
            for sample in samples {
                for m in pattern.find_iter(sample) {
                    matched += 1;
                    assert!(
                        format.literals.iter().any(|l| m.as_str().contains(l)),
                        "{} in {sample}",
                        format.pattern
                    );
                }
            }
        }
        assert_eq!(matched, 19);
        for text in samples
            .iter()
            .chain(&["", "x", "-----BEGIN PGP", "-----BEGIN x AKI", "ééAIza"])
        {
            let mut expected = 0;
            for (index, format) in FORMATS.iter().enumerate() {
                if format.literals.iter().any(|l| text.contains(l)) {
                    expected |= 1 << index;
                }
            }
            if text.contains(PRIVATE_KEY_LITERAL) {
                expected |= PRIVATE_KEY_BIT;
            }
            assert_eq!(candidates(text), expected, "{text}");
        }
        assert_eq!(find(samples[0]).len(), 4);
    }

    #[test]
    fn certificates_and_public_keys_are_not_secrets() {
        assert!(find("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----").is_empty());
        assert!(find("-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----").is_empty());
        assert!(find("sk_test_51H8abcdefghijklmnop").is_empty());
        assert!(find("AKIA-not-a-key").is_empty());
    }
}

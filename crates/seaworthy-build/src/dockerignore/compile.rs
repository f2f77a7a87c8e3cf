//! One `.dockerignore` pattern as moby/patternmatcher reads it: Go's `filepath.Clean`, the
//! `filepath.Match` syntax check that makes a bad pattern an error, and the translation into an
//! exact, prefix, suffix or regular-expression match.

use super::goregex;

/// How a cleaned pattern is compared with a path, chosen the way moby's `compile` does.
#[derive(Clone, Debug)]
pub(super) enum Matcher {
    /// The path equals the pattern.
    Exact(String),
    /// A pattern of literals ending in `**`: the path starts with what precedes the `**`.
    Prefix(String),
    /// A pattern `**` followed by literals: the path ends with them (or, for `**/x`, is `x`).
    Suffix(Vec<u8>),
    Regex(regex::Regex),
}

impl Matcher {
    pub(super) fn is_match(&self, path: &str) -> bool {
        match self {
            Matcher::Exact(text) => path == text,
            Matcher::Prefix(prefix) => path.as_bytes().starts_with(prefix.as_bytes()),
            Matcher::Suffix(suffix) => {
                path.as_bytes().ends_with(suffix)
                    || (suffix.first() == Some(&b'/') && suffix.get(1..) == Some(path.as_bytes()))
            }
            Matcher::Regex(re) => re.is_match(path),
        }
    }
}

/// The regular expression moby builds for `pattern` (in Go syntax), and which kind of match
/// it settles on; the expression only matters for [`Kind::Regex`].
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Kind {
    Exact,
    Prefix,
    Suffix,
    Regex,
}

pub(super) fn go_regex(pattern: &str) -> (Kind, String) {
    // text/scanner drops a byte-order mark at the start of its input.
    let pattern = pattern.strip_prefix('\u{FEFF}').unwrap_or(pattern);
    let mut chars = pattern.chars().peekable();
    let mut re = String::from("^");
    let mut kind = Kind::Exact;
    let mut first = true;
    while let Some(c) = chars.next() {
        match c {
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
                if chars.peek() == Some(&'/') {
                    chars.next();
                }
                if chars.peek().is_none() {
                    if kind == Kind::Exact {
                        kind = Kind::Prefix;
                    } else {
                        re.push_str(".*");
                        kind = Kind::Regex;
                    }
                } else {
                    re.push_str("(.*/)?");
                    kind = Kind::Regex;
                }
                if first {
                    kind = Kind::Suffix;
                }
            }
            '*' => {
                re.push_str("[^/]*");
                kind = Kind::Regex;
            }
            '?' => {
                re.push_str("[^/]");
                kind = Kind::Regex;
            }
            '.' | '+' | '(' | ')' | '|' | '{' | '}' | '$' => {
                re.push('\\');
                re.push(c);
            }
            '\\' => match chars.next() {
                Some(next) => {
                    re.push('\\');
                    re.push(next);
                    kind = Kind::Regex;
                }
                None => re.push('\\'),
            },
            '[' | ']' => {
                re.push(c);
                kind = Kind::Regex;
            }
            _ => re.push(c),
        }
        first = false;
    }
    if kind == Kind::Regex {
        re.push('$');
    }
    (kind, re)
}

/// The matcher for a cleaned pattern (without its `!`), or why docker would reject it.
pub(super) fn matcher(pattern: &str) -> Result<Matcher, String> {
    if !is_valid_match_pattern(pattern) {
        return Err(format!("syntax error in pattern {pattern:?}"));
    }
    let (kind, go) = go_regex(pattern);
    Ok(match kind {
        Kind::Exact => Matcher::Exact(pattern.to_string()),
        Kind::Prefix => Matcher::Prefix(pattern.strip_suffix("**").unwrap_or(pattern).to_string()),
        Kind::Suffix => Matcher::Suffix(pattern.as_bytes().get(2..).unwrap_or_default().to_vec()),
        Kind::Regex => {
            let fail = |why: String| {
                format!("pattern {pattern:?} does not compile as docker compiles it ({go}): {why}")
            };
            let rust = goregex::to_rust(&go).map_err(fail)?;
            Matcher::Regex(regex::Regex::new(&rust).map_err(|e| fail(e.to_string()))?)
        }
    })
}

/// Whether Go's `filepath.Match` accepts `pattern` (on Unix): its classes need a closing `]`,
/// at least one item, no bare `-` or `]` where a character is due, and `\` may not end it.
pub(super) fn is_valid_match_pattern(pattern: &str) -> bool {
    let bytes = pattern.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        i += 1;
        match b {
            b'\\' => {
                if i >= bytes.len() {
                    return false;
                }
                i += 1;
            }
            b'[' => {
                if bytes.get(i) == Some(&b'^') {
                    i += 1;
                }
                let mut ranges = 0;
                loop {
                    if ranges > 0 && bytes.get(i) == Some(&b']') {
                        i += 1;
                        break;
                    }
                    let Some(after_lo) = class_char_end(pattern, i) else {
                        return false;
                    };
                    i = after_lo;
                    if bytes.get(i) == Some(&b'-') {
                        let Some(after_hi) = class_char_end(pattern, i + 1) else {
                            return false;
                        };
                        i = after_hi;
                    }
                    ranges += 1;
                }
            }
            _ => {}
        }
    }
    true
}

/// Where the class character starting at byte `at` ends (Go's `getEsc`); `None` when Go
/// reports a bad pattern, which includes a class character with nothing after it.
fn class_char_end(pattern: &str, mut at: usize) -> Option<usize> {
    let bytes = pattern.as_bytes();
    match bytes.get(at)? {
        b'-' | b']' => return None,
        b'\\' => at += 1,
        _ => {}
    }
    let len = pattern.get(at..)?.chars().next()?.len_utf8();
    let end = at + len;
    (end < bytes.len()).then_some(end)
}

/// Go's `filepath.Clean` for `/`-separated paths, lexically.
pub(super) fn clean(path: &str) -> String {
    if path.is_empty() {
        return ".".to_string();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                _ if rooted => {}
                _ => parts.push(".."),
            },
            _ => parts.push(part),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_matches_go_filepath_clean() {
        for (input, cleaned) in [
            ("", "."),
            ("./", "."),
            ("a//b/./c/", "a/b/c"),
            ("a/../b", "b"),
            ("a/../..", ".."),
            ("../../x", "../../x"),
            ("/../a", "/a"),
            ("//a", "/a"),
            ("/", "/"),
            ("!/", "!"),
        ] {
            assert_eq!(clean(input), cleaned, "clean({input:?})");
        }
    }

    #[test]
    fn moby_builds_these_expressions() {
        for (pattern, kind, re) in [
            ("a**b", Kind::Regex, "^a(.*/)?b$"),
            ("**/*.go", Kind::Regex, "^(.*/)?[^/]*\\.go$"),
            ("**/foo", Kind::Suffix, "^(.*/)?foo"),
            ("**", Kind::Suffix, "^"),
            ("dir/**", Kind::Prefix, "^dir/"),
            ("a/*.txt**", Kind::Regex, "^a/[^/]*\\.txt.*$"),
            ("abc.def", Kind::Exact, "^abc\\.def"),
            ("temp?", Kind::Regex, "^temp[^/]$"),
            ("[!a]", Kind::Regex, "^[!a]$"),
            ("a\\*b", Kind::Regex, "^a\\*b$"),
        ] {
            assert_eq!(go_regex(pattern), (kind, re.to_string()), "{pattern}");
        }
    }

    #[test]
    fn filepath_match_syntax() {
        for good in ["a", "[a]", "[^a-c]", "[\\]]", "[*]", "a\\*", "x]"] {
            assert!(is_valid_match_pattern(good), "{good}");
        }
        for bad in [
            "[", "[a", "[]", "[]a]", "[^]", "a\\", "[a-]", "[-a]", "[a-", "*[a", "[a-]x",
        ] {
            assert!(!is_valid_match_pattern(bad), "{bad}");
        }
    }
}

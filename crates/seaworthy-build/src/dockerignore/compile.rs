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
    /// A pattern whose only wildcard is `*` (no `**`, `?`, classes or escapes), split at `/`:
    /// moby's regex for it is `[^/]*` between literals, so a path matches when it has as many
    /// segments and each matches its glob. Most ignore files are made of these (`*.pyc`,
    /// `.env.*`, `id_rsa*`); matching them by hand spares building an automaton for each.
    Glob(Vec<String>),
    Regex(LazyRegex),
}

/// A translated expression, checked when the file is read but compiled only when a path is
/// first matched against it: building the automaton is most of the cost of a pattern, and
/// most ignore files are read to look up a handful of paths.
#[derive(Clone, Debug)]
pub(super) struct LazyRegex {
    source: String,
    compiled: std::sync::OnceLock<Option<regex::Regex>>,
}

impl LazyRegex {
    fn is_match(&self, path: &str) -> bool {
        self.compiled
            .get_or_init(|| regex::Regex::new(&self.source).ok())
            .as_ref()
            .is_some_and(|re| re.is_match(path))
    }
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
            Matcher::Glob(segments) => {
                let mut parts = path.split('/');
                segments
                    .iter()
                    .all(|glob| parts.next().is_some_and(|part| star_match(glob, part)))
                    && parts.next().is_none()
            }
            Matcher::Regex(lazy) => lazy.is_match(path),
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

/// Whether `text` (one path segment) matches `glob`, whose only wildcard is `*` (any run of
/// characters): the classic two-pointer walk that retries from the last `*`.
fn star_match(glob: &str, text: &str) -> bool {
    let (glob, text) = (glob.as_bytes(), text.as_bytes());
    let (mut g, mut t) = (0, 0);
    let mut retry: Option<(usize, usize)> = None;
    while t < text.len() {
        match glob.get(g) {
            Some(b'*') => {
                retry = Some((g, t));
                g += 1;
            }
            Some(&c) if c == text[t] => {
                g += 1;
                t += 1;
            }
            _ => match retry {
                Some((star, from)) => {
                    g = star + 1;
                    t = from + 1;
                    retry = Some((star, from + 1));
                }
                None => return false,
            },
        }
    }
    glob[g..].iter().all(|&c| c == b'*')
}

/// Whether moby's regex for `pattern` is only literals and `[^/]*`.
fn is_star_glob(pattern: &str) -> bool {
    !pattern.contains("**") && !pattern.contains(['?', '[', '\\'])
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
        Kind::Regex if is_star_glob(pattern) => {
            Matcher::Glob(pattern.split('/').map(str::to_owned).collect())
        }
        Kind::Regex => {
            let fail = |why: String| {
                format!("pattern {pattern:?} does not compile as docker compiles it ({go}): {why}")
            };
            let rust = goregex::to_rust(&go).map_err(fail)?;
            // The same checks `Regex::new` makes before it builds anything.
            regex_syntax::Parser::new()
                .parse(&rust)
                .map_err(|e| fail(e.to_string()))?;
            Matcher::Regex(LazyRegex {
                source: rust,
                compiled: std::sync::OnceLock::new(),
            })
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
    fn star_globs_match_exactly_as_moby_regexes_do() {
        let patterns = [
            "*.pyc", ".env.*", "id_rsa*", "a/*.txt", "*", "*/*", "a*b*c", "*.tar.gz", "x*", "*x",
        ];
        let paths = [
            "a.pyc",
            "dir/a.pyc",
            ".pyc",
            ".env.prod",
            ".env",
            "id_rsa",
            "id_rsa.pub",
            "a/b.txt",
            "a/b/c.txt",
            "abc",
            "aXbYc",
            "ac",
            "a/b",
            "a.tar.gz",
            "x",
            "xx",
            "",
            "b/x",
            "abcbc",
            "aXbc/c",
        ];
        for pattern in patterns {
            let (kind, go) = go_regex(pattern);
            assert_eq!(kind, Kind::Regex, "{pattern}");
            let regex = regex::Regex::new(&goregex::to_rust(&go).unwrap()).unwrap();
            let glob = matcher(pattern).unwrap();
            assert!(matches!(glob, Matcher::Glob(_)), "{pattern}");
            for path in paths {
                assert_eq!(
                    glob.is_match(path),
                    regex.is_match(path),
                    "{pattern} on {path:?}"
                );
            }
        }
    }

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

//! `.dockerignore` with the semantics of moby/patternmatcher, as BuildKit applies it while it
//! walks a build context: which ignore file a build reads, how its lines become patterns
//! (`ignorefile.ReadAll` then `patternmatcher.New`), whether a path is excluded (each level of
//! the walk carries which patterns its parent matched, as `MatchesUsingParentResults` does),
//! and when a walker may stop descending into an excluded directory.

mod compile;
mod goregex;
#[cfg(test)]
mod tests;

use std::fmt;
use std::path::{Path, PathBuf};

use compile::Matcher;
use seaworthy_source::FileSystem;

/// A bufio.Scanner line longer than this makes docker's reader fail.
const MAX_LINE: usize = 64 * 1024;

/// A parsed ignore file: its patterns in file order.
#[derive(Clone, Debug, Default)]
pub struct DockerIgnore {
    patterns: Vec<Pattern>,
}

/// One pattern as moby keeps it: cleaned, without its `!`.
#[derive(Clone, Debug)]
pub struct Pattern {
    line: usize,
    text: String,
    exclusion: bool,
    matcher: Matcher,
}

impl Pattern {
    /// The 1-based line of the ignore file it came from.
    pub fn line(&self) -> usize {
        self.line
    }

    /// The cleaned pattern, without the leading `!` of an exception.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether it is a `!` exception, which re-includes what it matches.
    pub fn is_exception(&self) -> bool {
        self.exclusion
    }

    /// Whether the pattern itself matches `path` (no parent directories, no other patterns).
    pub fn matches(&self, path: &str) -> bool {
        self.matcher.is_match(path)
    }
}

/// Why docker refuses an ignore file; one bad line invalidates the whole file.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct IgnoreError {
    /// 1-based line of the offending pattern.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for IgnoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for IgnoreError {}

/// What matching one path produced, kept for its children: whether it is excluded and which
/// patterns it (or a parent) matched. A walker passes a directory's `PathMatch` when it matches
/// the entries inside, which is both faster and exactly what BuildKit does.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct PathMatch {
    excluded: bool,
    matched: Vec<bool>,
}

impl PathMatch {
    pub fn is_excluded(&self) -> bool {
        self.excluded
    }
}

impl DockerIgnore {
    /// Reads an ignore file as docker does. A UTF-8 byte-order mark is dropped from the first
    /// line; a line starting with `#` (before any trimming) is a comment; the rest is trimmed,
    /// a leading `!` marks an exception, and the path is cleaned with its leading `/` removed.
    pub fn parse(text: &str) -> Result<DockerIgnore, IgnoreError> {
        let mut patterns = Vec::new();
        for (index, raw) in text.split('\n').enumerate() {
            let line = index + 1;
            // bufio.Scanner counts the `\r` it later drops.
            if raw.len() >= MAX_LINE {
                return Err(IgnoreError {
                    line,
                    message: format!(
                        "line is {} bytes long; docker reads at most {} per line",
                        raw.len(),
                        MAX_LINE - 1
                    ),
                });
            }
            let raw = raw.strip_suffix('\r').unwrap_or(raw);
            let raw = if index == 0 {
                raw.strip_prefix('\u{FEFF}').unwrap_or(raw)
            } else {
                raw
            };
            if raw.starts_with('#') {
                continue;
            }
            let Some(read) = read_line(raw) else {
                continue;
            };
            if let Some(pattern) = new_pattern(&read, line)? {
                patterns.push(pattern);
            }
        }
        Ok(DockerIgnore { patterns })
    }

    /// The patterns in file order, each with its line.
    pub fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }

    /// Whether any pattern is a `!` exception.
    pub fn has_exceptions(&self) -> bool {
        self.patterns.iter().any(|p| p.exclusion)
    }

    /// Whether BuildKit leaves `path` (a file or directory, `/`-separated, relative to the
    /// context root) out of the context: the last pattern that matches it or one of its parent
    /// directories decides, and a `!` exception re-includes. The context root itself is never
    /// excluded.
    pub fn is_excluded(&self, path: &str) -> bool {
        let cleaned = compile::clean(path);
        let relative = cleaned.strip_prefix('/').unwrap_or(&cleaned);
        if relative.is_empty() || relative == "." {
            return false;
        }
        let mut state: Option<PathMatch> = None;
        for (end, _) in relative.match_indices('/') {
            let dir = relative.get(..end).unwrap_or(relative);
            state = Some(self.match_path(dir, state.as_ref()));
        }
        self.match_path(relative, state.as_ref()).excluded
    }

    /// Matches one walked entry, given the result for its parent directory (`None` for an
    /// entry at the context root). `path` is the entry's full clean relative path.
    pub fn match_path(&self, path: &str, parent: Option<&PathMatch>) -> PathMatch {
        let inherited = parent
            .map(|p| p.matched.as_slice())
            .filter(|m| m.len() == self.patterns.len());
        let mut excluded = false;
        let mut matched = vec![false; self.patterns.len()];
        for (index, pattern) in self.patterns.iter().enumerate() {
            let mut hit = inherited
                .and_then(|m| m.get(index))
                .copied()
                .unwrap_or(false);
            if !hit {
                // moby only evaluates a pattern that could change the verdict so far, and a
                // skipped pattern counts as unmatched for the children too.
                if pattern.exclusion != excluded {
                    continue;
                }
                hit = pattern.matcher.is_match(path)
                    || (inherited.is_none() && parent_dir_matches(&pattern.matcher, path));
            }
            if let Some(slot) = matched.get_mut(index) {
                *slot = hit;
            }
            if hit {
                excluded = !pattern.exclusion;
            }
        }
        PathMatch { excluded, matched }
    }

    /// Whether a walker must still descend into `dir`, an excluded directory, because an
    /// exception may re-include something inside it. Mirrors BuildKit's file walker: with no
    /// exceptions it prunes; when every exception is a plain path (no `*?[]^\` once a trailing
    /// `/**` or `/*` is dropped) it descends only toward those paths; otherwise it descends.
    pub fn may_reinclude_under(&self, dir: &str) -> bool {
        let exceptions = || self.patterns.iter().filter(|p| p.exclusion);
        let plain =
            |p: &&Pattern| !trim_trailing_glob(&p.text).contains(['*', '[', ']', '?', '^', '\\']);
        if exceptions().next().is_none() {
            return false;
        }
        if !exceptions().all(|p| plain(&p)) {
            return true;
        }
        let dir = compile::clean(dir);
        let dir_slash = format!("{}/", dir.strip_prefix('/').unwrap_or(&dir));
        exceptions().any(|p| format!("{}/", trim_trailing_glob(&p.text)).starts_with(&dir_slash))
    }
}

/// `ignorefile.ReadAll` for one line that is not a comment: `None` when it is blank.
fn read_line(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return None;
    }
    let (invert, body) = match trimmed.strip_prefix('!') {
        Some(rest) => (true, rest.trim()),
        None => (false, trimmed),
    };
    let mut body = if body.is_empty() {
        String::new()
    } else {
        compile::clean(body)
    };
    if body.len() > 1 && body.starts_with('/') {
        body.remove(0);
    }
    Some(if invert { format!("!{body}") } else { body })
}

/// `patternmatcher.New` for one pattern: `None` when it is blank.
fn new_pattern(read: &str, line: usize) -> Result<Option<Pattern>, IgnoreError> {
    let trimmed = read.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    // Cleaning again can still change an exception: `!/` becomes `!`.
    let cleaned = compile::clean(trimmed);
    let (exclusion, text) = match cleaned.strip_prefix('!') {
        Some("") => {
            return Err(IgnoreError {
                line,
                message: "illegal exclusion pattern: \"!\"".to_string(),
            });
        }
        Some(rest) => (true, rest),
        None => (false, cleaned.as_str()),
    };
    let matcher = compile::matcher(text).map_err(|message| IgnoreError { line, message })?;
    Ok(Some(Pattern {
        line,
        text: text.to_string(),
        exclusion,
        matcher,
    }))
}

/// moby's fallback for an entry matched without its parent's results: the pattern matching
/// any of its ancestor directories counts.
fn parent_dir_matches(matcher: &Matcher, path: &str) -> bool {
    path.match_indices('/')
        .any(|(end, _)| path.get(..end).is_some_and(|dir| matcher.is_match(dir)))
}

fn trim_trailing_glob(pattern: &str) -> &str {
    let pattern = pattern.strip_suffix("/**").unwrap_or(pattern);
    pattern.strip_suffix("/*").unwrap_or(pattern)
}

/// The ignore file a BuildKit build of `dockerfile` in `context` reads: `<Dockerfile>.dockerignore`
/// beside the Dockerfile (for example `docker/api.Dockerfile.dockerignore`) wins over
/// `<context>/.dockerignore`. A relative `dockerfile` is taken relative to the context.
pub fn ignore_file_for(fs: &dyn FileSystem, context: &Path, dockerfile: &Path) -> Option<PathBuf> {
    let dockerfile = context.join(dockerfile);
    if dockerfile.file_name().is_some() {
        let mut beside = dockerfile.into_os_string();
        beside.push(".dockerignore");
        let beside = PathBuf::from(beside);
        if fs.is_file(&beside) {
            return Some(beside);
        }
    }
    let root = context.join(".dockerignore");
    fs.is_file(&root).then_some(root)
}

/// Whether `path` (relative to the context) is the Dockerfile or the ignore file, which the
/// classic builder sends even when a pattern excludes them (docker/cli adds `!` exceptions for
/// both) and then removes from what `COPY` can see. Under BuildKit the Dockerfile travels on
/// its own and an excluded file is simply not in the context. Either way, a rule must neither
/// report these two as sent secrets nor treat them as copyable when excluded.
pub fn always_sent(path: &str, dockerfile_rel: &str, ignore_file_rel: &str) -> bool {
    let path = compile::clean(path);
    path == compile::clean(dockerfile_rel) || path == compile::clean(ignore_file_rel)
}

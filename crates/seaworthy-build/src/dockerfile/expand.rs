//! Word expansion as BuildKit's `shell/lex.go` does it for `FROM`, `ARG`, `ENV`, `USER`,
//! `WORKDIR`, `EXPOSE`, `COPY` and `ADD`: quote removal, escapes, `$NAME`, `${NAME}` and the
//! `${NAME:-word}`, `-`, `:+`, `+`, `:?`, `?` forms. The pattern forms (`#`, `%`, `/`) are
//! recognised but their results are not computed: the word then has no expansion.
//! parse-dockerfile does not expand words; this is ours.

use std::collections::BTreeSet;

/// What a variable holds while a word is expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Var {
    Known(String),
    /// Set, but to a value only the builder knows (`TARGETARCH`, …) or that comes from the
    /// base image.
    Unknown,
}

/// The variables in scope, in definition order; a later definition of a name wins.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Scope {
    vars: Vec<(String, Var)>,
}

impl Scope {
    pub(crate) fn set(&mut self, name: &str, value: Var) {
        match self.vars.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = value,
            None => self.vars.push((name.to_owned(), value)),
        }
    }

    pub(crate) fn get(&self, name: &str) -> Option<&Var> {
        self.vars.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }
}

/// A word after expansion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expansion {
    /// The word as BuildKit expands it; variables without a known value read as empty.
    pub value: String,
    /// Variables the word reads that have no value in scope, or whose value only the builder
    /// or the base image knows. Empty when `value` is exactly what BuildKit computes.
    pub unresolved: Vec<String>,
}

impl Expansion {
    /// Whether `value` is exactly what BuildKit computes.
    pub fn is_exact(&self) -> bool {
        self.unresolved.is_empty()
    }
}

/// Nesting of `${a:-${b:-…}}` deeper than this is refused instead of recursing further.
const MAX_DEPTH: usize = 64;

/// Expands `word` in `scope`; `None` when BuildKit would fail (a syntax error, `${X:?}` on an
/// unset variable) or when the word uses a pattern form we do not compute.
pub(crate) fn expand(word: &str, scope: &Scope, escape: char) -> Option<Expansion> {
    let mut lexer = Lexer {
        chars: word.chars().collect(),
        pos: 0,
        scope,
        escape,
        unresolved: BTreeSet::new(),
        depth: 0,
    };
    let value = lexer.until(None).ok()?;
    Some(Expansion {
        value,
        unresolved: lexer.unresolved.into_iter().collect(),
    })
}

struct Lexer<'a> {
    chars: Vec<char>,
    pos: usize,
    scope: &'a Scope,
    escape: char,
    unresolved: BTreeSet<String>,
    depth: usize,
}

/// Expansion stopped: a syntax error or a form we do not compute.
struct Stop;

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    /// Reads up to `stop` (consumed) or the end of the word when `stop` is `None`.
    fn until(&mut self, stop: Option<char>) -> Result<String, Stop> {
        let mut out = String::new();
        while let Some(c) = self.peek() {
            if Some(c) == stop {
                self.pos += 1;
                return Ok(out);
            }
            match c {
                '$' => out.push_str(&self.dollar()?),
                '\'' => out.push_str(&self.single_quoted()?),
                '"' => out.push_str(&self.double_quoted()?),
                _ => {
                    self.pos += 1;
                    if c == self.escape {
                        match self.next() {
                            Some(escaped) => out.push(escaped),
                            None => break,
                        }
                    } else {
                        out.push(c);
                    }
                }
            }
        }
        match stop {
            Some(_) => Err(Stop),
            None => Ok(out),
        }
    }

    fn single_quoted(&mut self) -> Result<String, Stop> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            match self.next() {
                None => return Err(Stop),
                Some('\'') => return Ok(out),
                Some(c) => out.push(c),
            }
        }
    }

    fn double_quoted(&mut self) -> Result<String, Stop> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            match self.peek() {
                None => return Err(Stop),
                Some('"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some('$') => out.push_str(&self.dollar()?),
                Some(c) => {
                    self.pos += 1;
                    if c == self.escape {
                        match self.peek() {
                            None => continue,
                            Some(n) if n == '"' || n == '$' || n == self.escape => {
                                self.pos += 1;
                                out.push(n);
                                continue;
                            }
                            Some(_) => {}
                        }
                    }
                    out.push(c);
                }
            }
        }
    }

    fn name(&mut self) -> String {
        let mut name = String::new();
        match self.peek() {
            Some(c) if c.is_ascii_digit() => {
                while let Some(d) = self.peek().filter(char::is_ascii_digit) {
                    self.pos += 1;
                    name.push(d);
                }
                return name;
            }
            Some(c @ ('@' | '*' | '#' | '?' | '-' | '$' | '!' | '0')) => {
                self.pos += 1;
                name.push(c);
                return name;
            }
            _ => {}
        }
        while let Some(c) = self.peek().filter(|c| c.is_alphanumeric() || *c == '_') {
            self.pos += 1;
            name.push(c);
        }
        name
    }

    /// `(value, set)`, recording variables without a known value. A form with a fallback
    /// (`unset_is_known`) decides exactly on an unset variable, so only an unknown value counts.
    fn lookup(&mut self, name: &str, unset_is_known: bool) -> (String, bool) {
        match self.scope.get(name) {
            Some(Var::Known(v)) => (v.clone(), true),
            Some(Var::Unknown) => {
                self.unresolved.insert(name.to_owned());
                (String::new(), true)
            }
            None => {
                if !unset_is_known {
                    self.unresolved.insert(name.to_owned());
                }
                (String::new(), false)
            }
        }
    }

    fn dollar(&mut self) -> Result<String, Stop> {
        self.pos += 1;
        if self.peek() != Some('{') {
            let name = self.name();
            if name.is_empty() {
                return Ok("$".to_owned());
            }
            return Ok(self.lookup(&name, false).0);
        }
        self.pos += 1;
        if matches!(self.peek(), None | Some('{' | '}' | ':')) {
            return Err(Stop);
        }
        let name = self.name();
        let mut op = self.next().ok_or(Stop)?;
        match op {
            '}' => return Ok(self.lookup(&name, false).0),
            '/' => return Err(Stop),
            _ => {}
        }
        let null_is_unset = op == ':';
        if null_is_unset {
            op = self.next().ok_or(Stop)?;
        }
        if !matches!(op, '+' | '-' | '?') {
            // `#` and `%` (and anything else) are patterns or errors: not computed.
            return Err(Stop);
        }
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Stop);
        }
        let word = self.until(Some('}'))?;
        self.depth -= 1;
        let (value, set) = self.lookup(&name, true);
        let empty = !set || (null_is_unset && value.is_empty());
        match op {
            '-' if empty => Ok(word),
            '-' => Ok(value),
            '+' if empty => Ok(String::new()),
            '+' => Ok(word),
            _ if empty => Err(Stop),
            _ => Ok(value),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(vars: &[(&str, Option<&str>)]) -> Scope {
        let mut s = Scope::default();
        for (k, v) in vars {
            s.set(k, v.map_or(Var::Unknown, |v| Var::Known(v.to_owned())));
        }
        s
    }

    fn value(word: &str, s: &Scope) -> Option<String> {
        expand(word, s, '\\').map(|e| e.value)
    }

    #[test]
    fn default_forms_follow_buildkit() {
        let s = scope(&[("SET", Some("v")), ("EMPTY", Some(""))]);
        assert_eq!(value("${UNSET:-x}", &s).as_deref(), Some("x"));
        assert_eq!(value("${EMPTY:-x}", &s).as_deref(), Some("x"));
        assert_eq!(value("${EMPTY-x}", &s).as_deref(), Some(""));
        assert_eq!(value("${SET:-x}", &s).as_deref(), Some("v"));
        assert_eq!(value("${SET:+y}", &s).as_deref(), Some("y"));
        assert_eq!(value("${UNSET+y}", &s).as_deref(), Some(""));
        assert_eq!(value("${UNSET:?boom}", &s), None);
        assert_eq!(value("${SET:?boom}", &s).as_deref(), Some("v"));
    }

    #[test]
    fn quotes_and_escapes_are_removed() {
        let s = scope(&[("A", Some("1"))]);
        assert_eq!(
            value(r#""a $A" 'b $A' c\ d"#, &s).as_deref(),
            Some("a 1 b $A c d")
        );
        assert_eq!(value(r#""x\"y\n""#, &s).as_deref(), Some(r#"x"y\n"#));
        assert_eq!(
            expand("a` b", &s, '`').map(|e| e.value).as_deref(),
            Some("a b")
        );
    }

    #[test]
    fn unset_and_builder_values_are_unresolved() {
        let s = scope(&[("TARGETARCH", None)]);
        let e = expand("img-${TARGETARCH}:$TAG", &s, '\\');
        assert_eq!(e.as_ref().map(|e| e.value.as_str()), Some("img-:"));
        assert_eq!(
            e.map(|e| e.unresolved),
            Some(vec!["TAG".to_owned(), "TARGETARCH".to_owned()])
        );
        // A fallback decides exactly when the variable is unset, not when only the builder knows.
        assert_eq!(
            expand("${TAG:-1}", &s, '\\').map(|e| e.is_exact()),
            Some(true)
        );
        assert_eq!(
            expand("${TARGETARCH:-1}", &s, '\\').map(|e| e.is_exact()),
            Some(false)
        );
    }

    #[test]
    fn syntax_errors_and_patterns_give_nothing() {
        let s = Scope::default();
        for word in [
            "${", "${}", "${A", "\"open", "'open", "${A#x}", "${A/x/y}", "${A:#x}",
        ] {
            assert_eq!(value(word, &s), None, "{word}");
        }
        assert_eq!(value("$", &s).as_deref(), Some("$"));
        assert_eq!(value("a$-b", &s).as_deref(), Some("ab"));
    }

    #[test]
    fn deep_nesting_is_refused_without_overflow() {
        let word = format!("{}x{}", "${A:-".repeat(10_000), "}".repeat(10_000));
        assert_eq!(value(&word, &Scope::default()), None);
        let ok = format!("{}x{}", "${A:-".repeat(10), "}".repeat(10));
        assert_eq!(value(&ok, &Scope::default()).as_deref(), Some("x"));
    }
}

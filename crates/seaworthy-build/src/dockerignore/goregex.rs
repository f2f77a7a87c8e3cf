//! Rewrites a regular expression in Go's RE2 syntax into the `regex` crate's syntax with the
//! same meaning. moby hands user text (classes, `^`, `\` escapes) straight to Go's parser, and
//! the two dialects disagree on a few points: inside a class Go reads `[` as a literal (Rust
//! nests classes), `&&`/`--`/`~~` are literal in Go (set operations in Rust), and Go's `\d`,
//! `\s`, `\w` and `\b` are ASCII-only. So the Go text is parsed here and every literal is
//! written out as an unambiguous `\x{..}`.

/// The `regex` crate's spelling of `go`, or the reason Go's `regexp.Compile` rejects it.
pub(super) fn to_rust(go: &str) -> Result<String, String> {
    let mut parser = Parser {
        chars: go.chars().collect(),
        pos: 0,
    };
    let mut out = String::with_capacity(go.len() * 2);
    while let Some(c) = parser.next() {
        match c {
            '\\' => parser.escape_outside_class(&mut out)?,
            '[' => parser.class(&mut out)?,
            // Operators moby itself emits, with the same meaning in both dialects (Go compiles
            // with OneLine, so `^`/`$` are text anchors and `.` stops at `\n`, as in Rust).
            '^' | '$' | '.' | '(' | ')' | '*' | '?' | '|' | '+' | '{' | '}' => out.push(c),
            _ => push_literal(&mut out, c),
        }
    }
    Ok(out)
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

const PERL_DIGIT: &str = "0-9";
const PERL_SPACE: &str = r"\t\n\x0C\r\x20";
const PERL_WORD: &str = "0-9A-Za-z_";
const POSIX_CLASSES: [&str; 14] = [
    "alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower", "print", "punct",
    "space", "upper", "word", "xdigit",
];

impl Parser {
    fn next(&mut self) -> Option<char> {
        let c = self.chars.get(self.pos).copied();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).copied()
    }

    fn escape_outside_class(&mut self, out: &mut String) -> Result<(), String> {
        match self.peek(0) {
            Some('A') => out.push_str(r"\A"),
            Some('z') => out.push_str(r"\z"),
            Some('b') => out.push_str(r"(?-u:\b)"),
            Some('B') => out.push_str(r"(?-u:\B)"),
            Some('C') => return Err(r"invalid escape sequence: `\C`".to_string()),
            Some('Q') => {
                self.pos += 1;
                while let Some(c) = self.next() {
                    if c == '\\' && self.peek(0) == Some('E') {
                        self.pos += 1;
                        return Ok(());
                    }
                    push_literal(out, c);
                }
                return Ok(());
            }
            _ => {
                // Back up so the class parsers see the backslash.
                self.pos -= 1;
                if let Some(class) = self.unicode_class()? {
                    out.push_str(&class);
                } else if let Some(class) = self.perl_class() {
                    out.push('[');
                    out.push_str(&class);
                    out.push(']');
                } else {
                    let c = self.escaped_char()?;
                    push_literal(out, c);
                }
                return Ok(());
            }
        }
        self.pos += 1;
        Ok(())
    }

    /// A class, the `[` already read; follows Go's `parseClass` with Perl flags.
    fn class(&mut self, out: &mut String) -> Result<(), String> {
        let mut items = String::new();
        let negated = self.peek(0) == Some('^');
        if negated {
            self.pos += 1;
        }
        let mut first = true;
        loop {
            match self.peek(0) {
                None => return Err("missing closing ]".to_string()),
                Some(']') if !first => {
                    self.pos += 1;
                    break;
                }
                _ => {}
            }
            first = false;
            if let Some(posix) = self.posix_class()? {
                items.push_str(&posix);
                continue;
            }
            if let Some(class) = self.unicode_class()? {
                items.push_str(&class);
                continue;
            }
            if let Some(class) = self.perl_class() {
                items.push_str(&class);
                continue;
            }
            let lo = self.class_char()?;
            let mut hi = lo;
            if self.peek(0) == Some('-') && self.peek(1).is_some_and(|c| c != ']') {
                self.pos += 1;
                hi = self.class_char()?;
                if hi < lo {
                    return Err(format!("invalid character class range: `{lo}-{hi}`"));
                }
            }
            push_literal(&mut items, lo);
            if hi != lo {
                items.push('-');
                push_literal(&mut items, hi);
            }
        }
        out.push('[');
        if negated {
            out.push('^');
        }
        if items.is_empty() {
            // Only reachable through nothing Go accepts either; keep Rust from misparsing `[]`.
            return Err("empty character class".to_string());
        }
        out.push_str(&items);
        out.push(']');
        Ok(())
    }

    /// `[:name:]`, found like Go does: the first `:]` anywhere after the `[:`.
    fn posix_class(&mut self) -> Result<Option<String>, String> {
        if self.peek(0) != Some('[') || self.peek(1) != Some(':') {
            return Ok(None);
        }
        let start = self.pos + 2;
        let Some(rest) = self.chars.get(start..) else {
            return Ok(None);
        };
        let Some(end) = rest.windows(2).position(|w| w == [':', ']']) else {
            return Ok(None);
        };
        let name: String = rest.iter().take(end).collect();
        let bare = name.strip_prefix('^').unwrap_or(&name);
        if !POSIX_CLASSES.contains(&bare) {
            return Err(format!("invalid character class range: `[:{name}:]`"));
        }
        self.pos = start + end + 2;
        Ok(Some(format!("[:{name}:]")))
    }

    /// `\pL`, `\p{Greek}`, `\P{^Greek}`: Go's Unicode groups, which Rust spells the same way.
    fn unicode_class(&mut self) -> Result<Option<String>, String> {
        if self.peek(0) != Some('\\') || !matches!(self.peek(1), Some('p' | 'P')) {
            return Ok(None);
        }
        let mut positive = self.peek(1) == Some('p');
        self.pos += 2;
        let mut name: String = match self.next() {
            Some('{') => {
                let mut name = String::new();
                loop {
                    match self.next() {
                        Some('}') => break name,
                        Some(c) => name.push(c),
                        None => return Err("invalid character class range: `\\p{`".to_string()),
                    }
                }
            }
            Some(c) => c.to_string(),
            None => String::new(),
        };
        if let Some(bare) = name.strip_prefix('^') {
            positive = !positive;
            name = bare.to_string();
        }
        // Go knows "Any", the general categories and the scripts, all spelled in ASCII letters
        // and underscores starting upper case; Rust's lookup is looser, so filter first.
        let plausible = name.starts_with(|c: char| c.is_ascii_uppercase())
            && name.chars().all(|c| c.is_ascii_alphabetic() || c == '_');
        if !plausible {
            return Err(format!("invalid character class range: `\\p{{{name}}}`"));
        }
        let letter = if positive { 'p' } else { 'P' };
        Ok(Some(format!("\\{letter}{{{name}}}")))
    }

    /// `\d`, `\s`, `\w` and their negations, ASCII-only as in Go; written as class items.
    fn perl_class(&mut self) -> Option<String> {
        if self.peek(0) != Some('\\') {
            return None;
        }
        let item = match self.peek(1)? {
            'd' => PERL_DIGIT.to_string(),
            'D' => format!("[^{PERL_DIGIT}]"),
            's' => PERL_SPACE.to_string(),
            'S' => format!("[^{PERL_SPACE}]"),
            'w' => PERL_WORD.to_string(),
            'W' => format!("[^{PERL_WORD}]"),
            _ => return None,
        };
        self.pos += 2;
        Some(item)
    }

    fn class_char(&mut self) -> Result<char, String> {
        match self.peek(0) {
            None => Err("missing closing ]".to_string()),
            Some('\\') => self.escaped_char(),
            Some(c) => {
                self.pos += 1;
                Ok(c)
            }
        }
    }

    /// One escaped character, the backslash not yet read (Go's `parseEscape`).
    fn escaped_char(&mut self) -> Result<char, String> {
        self.pos += 1;
        let Some(c) = self.next() else {
            return Err("trailing backslash at end of expression".to_string());
        };
        let invalid = || format!("invalid escape sequence: `\\{c}`");
        if c.is_ascii() && !c.is_ascii_alphanumeric() {
            return Ok(c);
        }
        let value = match c {
            '1'..='7' if !self.peek(0).is_some_and(is_octal) => return Err(invalid()),
            '0'..='7' => {
                let mut value = c.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match self.peek(0).and_then(|d| d.to_digit(8)) {
                        Some(d) => {
                            value = value * 8 + d;
                            self.pos += 1;
                        }
                        None => break,
                    }
                }
                value
            }
            'x' => self.hex_escape().ok_or_else(invalid)?,
            'a' => 0x07,
            'f' => 0x0C,
            'n' => 0x0A,
            'r' => 0x0D,
            't' => 0x09,
            'v' => 0x0B,
            _ => return Err(invalid()),
        };
        char::from_u32(value).ok_or_else(invalid)
    }

    fn hex_escape(&mut self) -> Option<u32> {
        if self.peek(0) == Some('{') {
            self.pos += 1;
            let mut value: u32 = 0;
            let mut digits = 0;
            loop {
                let c = self.next()?;
                if c == '}' {
                    break;
                }
                value = value.checked_mul(16)?.checked_add(c.to_digit(16)?)?;
                if value > 0x10FFFF {
                    return None;
                }
                digits += 1;
            }
            return (digits > 0).then_some(value);
        }
        let high = self.next()?.to_digit(16)?;
        let low = self.next()?.to_digit(16)?;
        Some(high * 16 + low)
    }
}

fn is_octal(c: char) -> bool {
    ('0'..='7').contains(&c)
}

fn push_literal(out: &mut String, c: char) {
    if c.is_ascii_alphanumeric() {
        out.push(c);
    } else {
        out.push_str(&format!("\\x{{{:X}}}", u32::from(c)));
    }
}

#[cfg(test)]
mod tests {
    use super::to_rust;

    fn matches(go: &str, text: &str) -> bool {
        let rust = to_rust(go).unwrap();
        regex::Regex::new(&rust).unwrap().is_match(text)
    }

    #[test]
    fn go_reads_an_open_bracket_inside_a_class_as_a_literal() {
        // `[[^/]*]`: the class {'[', '^', '/'} repeated, then a literal `]`.
        assert!(matches("^[[^/]*]$", "[^]"));
        assert!(matches("^[[^/]*]$", "]"));
        assert!(!matches("^[[^/]*]$", "a]"));
    }

    #[test]
    fn perl_classes_are_ascii_only_like_go() {
        assert!(matches(r"^\d$", "7"));
        assert!(!matches(r"^\d$", "٣"));
        assert!(matches(r"^[\w]+$", "a_Z9"));
        assert!(!matches(r"^\w$", "é"));
    }

    #[test]
    fn set_operators_are_literal_in_go_classes() {
        assert!(matches("^[a&&b]$", "&"));
        assert!(matches("^[+--]$", ","));
        assert!(matches("^[a~~]$", "~"));
        assert!(to_rust("[a--]").is_err());
    }

    #[test]
    fn escapes_follow_go() {
        assert!(matches(r"^\x41$", "A"));
        assert!(matches(r"^\x{263A}$", "☺"));
        assert!(matches(r"^\Qa.b\E$", "a.b"));
        assert!(!matches(r"^\Qa.b\E$", "axb"));
        assert!(matches(r"^[[:digit:]]$", "5"));
        assert!(matches(r"^\pL$", "é"));
        assert!(matches(r"^a\b", "a-"));
        // An ASCII boundary lies between `a` and `é`; a Unicode one would not.
        assert!(matches(r"^a\b", "aé"));
        assert!(!matches(r"^a\b", "ab"));
        assert!(to_rust(r"\y").is_err());
        assert!(to_rust(r"\1").is_err());
        assert!(to_rust("[z-a]").is_err());
        assert!(to_rust("[[:nope:]]").is_err());
    }
}

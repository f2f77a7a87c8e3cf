//! Compose's env-file grammar: the dotenv format of `.env`, `--env-file`, `include.env_file`
//! and services' `env_file` (compose-go v2.9.1's parser, error texts included), and the `raw`
//! format (`env_file: {format: raw}`, docker's `--env-file` parser). Reading files, choosing the
//! lookup and folding entries into an environment belong to the caller.
//!
//! Both parsers return every assignment in file order, duplicates included; collecting them
//! into a map in order (later entries override earlier ones) gives compose's result.
//!
//! The dotenv parser is character based, not line based, and reproduces compose-go's quirks:
//! - text after a closing quote is parsed as the next statement (`A="x" B=1` sets both);
//! - a key at the very end of the file with no `=`, `:` or newline after it is not a key: the
//!   text becomes the value of the empty key (`""`), as in compose;
//! - the line numbers compose prints in its messages come from its own counter, which skips the
//!   newline after a bare key written with a trailing space; messages keep that number, while
//!   [`DotenvError::line`] and [`EnvEntry::line`] are true line numbers.

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;

use crate::interpolate::{self, go_quote};

/// One assignment of an env file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvEntry {
    pub key: String,
    /// The final value: unquoted, unescaped and interpolated as the format requires.
    pub value: String,
    /// 1-based line where the statement starts.
    pub line: usize,
    /// Byte range of the statement in the text: from the key (or `export`) to the end of the
    /// value (its closing quote, or its last character before a comment or trailing spaces);
    /// the key alone for an inherited `KEY`.
    pub range: Range<usize>,
    /// Variables the value referenced without an operator that were unset; compose warns
    /// `The "X" variable is not set. Defaulting to a blank string.` for each.
    pub unset: Vec<String>,
}

/// Why an env file could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DotenvError {
    /// 1-based line of the statement at fault.
    pub line: usize,
    /// Exactly what compose prints after `failed to read <file>: ` (dotenv format) or
    /// `failed to parse env_file <file>: ` (raw format), such as
    /// `line 2: key cannot contain a space` or `required variable X is missing a value`.
    pub message: String,
}

impl fmt::Display for DotenvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DotenvError {}

/// Parses a dotenv-format file. Variables in values, and the values of bare (inherited) keys,
/// are looked up with `lookup` first, then among the keys assigned earlier in this file.
pub fn parse(
    text: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<EnvEntry>, DotenvError> {
    let mut parser = Parser {
        text,
        pos: text
            .strip_prefix('\u{FEFF}')
            .map_or(0, |_| '\u{FEFF}'.len_utf8()),
        reported_line: 1,
        lines: LineCounter::default(),
        lookup,
        defined: HashMap::new(),
        entries: Vec::new(),
        expanded_bytes: 0,
    };
    parser.run()?;
    Ok(parser.entries)
}

/// Parses a `raw`-format env file: one `KEY=VALUE` per line, values kept byte for byte (quotes
/// and `$` included), `#` lines and blank lines skipped; a bare `KEY` takes its value from
/// `lookup` and is left out when unset.
pub fn parse_raw(
    text: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<EnvEntry>, DotenvError> {
    // docker's parser reads lines with a bufio.Scanner, whose tokens stop at 64 KiB.
    const MAX_LINE: usize = 64 * 1024;
    let mut entries = Vec::new();
    let mut offset = 0;
    for (index, with_newline) in text.split_inclusive('\n').enumerate() {
        let line_number = index + 1;
        let mut start = offset;
        offset += with_newline.len();
        let without_newline = with_newline.strip_suffix('\n').unwrap_or(with_newline);
        if without_newline.len() >= MAX_LINE {
            return Err(DotenvError {
                line: line_number,
                message: "bufio.Scanner: token too long".to_owned(),
            });
        }
        let mut line = without_newline
            .strip_suffix('\r')
            .unwrap_or(without_newline);
        if index == 0
            && let Some(after_bom) = line.strip_prefix('\u{FEFF}')
        {
            line = after_bom;
            start += '\u{FEFF}'.len_utf8();
        }
        let trimmed = line.trim_start();
        start += line.len() - trimmed.len();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let (key, value) = match trimmed.split_once('=') {
            Some((key, value)) => (key, Some(value)),
            None => (trimmed, None),
        };
        if key.is_empty() {
            return Err(DotenvError {
                line: line_number,
                message: format!("no variable name on line '{trimmed}'"),
            });
        }
        if key.contains([' ', '\t']) {
            return Err(DotenvError {
                line: line_number,
                message: format!("variable '{key}' contains whitespaces"),
            });
        }
        let range = start..start + trimmed.len();
        let Some(value) = value.map(str::to_owned).or_else(|| lookup(key)) else {
            continue;
        };
        entries.push(EnvEntry {
            key: key.to_owned(),
            value,
            line: line_number,
            range,
            unset: Vec::new(),
        });
    }
    Ok(entries)
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
    /// compose-go's line counter, which its messages print.
    reported_line: usize,
    lines: LineCounter,
    lookup: &'a dyn Fn(&str) -> Option<String>,
    defined: HashMap<String, String>,
    entries: Vec<EnvEntry>,
    /// Bytes of variable values substituted so far, against `MAX_EXPANDED_BYTES`.
    expanded_bytes: usize,
}

/// Bound on the variable values one env file may substitute in total.
const MAX_EXPANDED_BYTES: usize = 16 << 20;

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a str {
        self.text.get(self.pos..).unwrap_or_default()
    }

    fn run(&mut self) -> Result<(), DotenvError> {
        while self.skip_to_statement() {
            self.statement()?;
        }
        Ok(())
    }

    /// Skips blank space and comment lines; false at the end of the text.
    fn skip_to_statement(&mut self) -> bool {
        loop {
            let rest = self.rest();
            let blank = rest.find(|c: char| !c.is_whitespace());
            let skipped = rest.get(..blank.unwrap_or(rest.len())).unwrap_or_default();
            self.reported_line += count_newlines(skipped);
            let Some(blank) = blank else {
                self.pos = self.text.len();
                return false;
            };
            self.pos += blank;
            if !self.rest().starts_with('#') {
                return true;
            }
            // The comment's newline is counted by the next round.
            match self.rest().find('\n') {
                Some(newline) => self.pos += newline,
                None => {
                    self.pos = self.text.len();
                    return false;
                }
            }
        }
    }

    fn statement(&mut self) -> Result<(), DotenvError> {
        let start = self.pos;
        let line = self.lines.line_of(self.text, start);
        if let Some(after) = self.rest().strip_prefix("export")
            && after.starts_with([' ', '\t', '\n', '\x0C', '\r'])
        {
            self.pos += "export".len() + (after.len() - after.trim_start_matches(is_blank).len());
        }
        let src = self.rest();
        if src.is_empty() {
            // Only `export` and blanks were left at the end of the file.
            return Err(DotenvError {
                line,
                message: "zero length string".to_owned(),
            });
        }
        let mut separator = None;
        for (i, c) in src.char_indices() {
            match c {
                c if is_blank(c) => {}
                '=' | ':' | '\n' => {
                    separator = Some((i, c));
                    break;
                }
                '_' | '.' | '-' | '[' | ']' => {}
                c if is_letter(c) || c.is_numeric() => {}
                c => {
                    let first_line = src.split('\n').next().unwrap_or_default();
                    return Err(DotenvError {
                        line,
                        message: format!(
                            "line {}: unexpected character {} in variable name {}",
                            self.reported_line,
                            go_quote(c.encode_utf8(&mut [0; 4])),
                            go_quote(first_line),
                        ),
                    });
                }
            }
        }
        // Without a separator compose reads no key at all: the text becomes the value of "".
        let (raw_key, value_from, inherited) = match separator {
            Some((i, c)) => (
                src.get(..i).unwrap_or_default(),
                self.pos + i + 1,
                c == '\n',
            ),
            None => ("", self.pos, false),
        };
        if inherited && !raw_key.contains(' ') {
            self.reported_line += 1;
        }
        let key = raw_key.trim_end_matches(char::is_whitespace).to_owned();
        let key_end = self.pos + key.len();
        self.pos = value_from;
        let value_text = self.rest();
        self.pos += value_text.len() - value_text.trim_start_matches(is_blank).len();
        if key.contains(' ') {
            return Err(DotenvError {
                line,
                message: format!("line {}: key cannot contain a space", self.reported_line),
            });
        }
        if inherited {
            if let Some(value) = self.resolve(&key) {
                self.push(key, value, line, start..key_end, Vec::new());
            }
            return Ok(());
        }
        let (value, end, unset) = match self.rest().chars().next() {
            Some(quote @ ('"' | '\'')) => self.quoted_value(quote, line)?,
            _ => self.unquoted_value(line)?,
        };
        self.push(key, value, line, start..end, unset);
        Ok(())
    }

    /// Reads an unquoted value to the end of the line; returns it with the offset where its
    /// text ends and its unset variables.
    fn unquoted_value(&mut self, line: usize) -> Result<(String, usize, Vec<String>), DotenvError> {
        let rest = self.rest();
        let line_len = rest.find('\n').unwrap_or(rest.len());
        let whole_line = rest.get(..line_len).unwrap_or_default();
        let value = whole_line
            .find(" #")
            .and_then(|comment| whole_line.get(..comment))
            .unwrap_or(whole_line)
            .trim_end_matches(char::is_whitespace);
        let end = self.pos + value.len();
        let (value, unset) = self.interpolate(value, line)?;
        self.reported_line += 1;
        self.pos = (self.pos + line_len + 1).min(self.text.len());
        Ok((value, end, unset))
    }

    /// Reads a quoted value, which may span lines; `rest()` starts at the opening quote.
    fn quoted_value(
        &mut self,
        quote: char,
        line: usize,
    ) -> Result<(String, usize, Vec<String>), DotenvError> {
        let rest = self.rest();
        let mut kept = String::new();
        let mut after_backslash = false;
        let mut closing = None;
        let mut newlines = 0;
        for (i, c) in rest.char_indices().skip(1) {
            if c == '\n' {
                newlines += 1;
            }
            if c == quote && !after_backslash {
                closing = Some(i);
                break;
            }
            if c == quote {
                // An escaped quote loses its backslash; every other backslash stays for now.
                after_backslash = false;
            } else if c == '\\' && !after_backslash {
                after_backslash = true;
                continue;
            } else if after_backslash {
                after_backslash = false;
                kept.push('\\');
            }
            kept.push(c);
        }
        self.reported_line += newlines;
        let Some(closing) = closing else {
            let first_line = rest.split('\n').next().unwrap_or_default();
            return Err(DotenvError {
                line,
                message: format!(
                    "line {}: unterminated quoted value {first_line}",
                    self.reported_line
                ),
            });
        };
        let end = self.pos + closing + quote.len_utf8();
        self.pos = end;
        if quote == '\'' {
            return Ok((kept, end, Vec::new()));
        }
        let (value, unset) = self.interpolate(&expand_escapes(&kept), line)?;
        Ok((value, end, unset))
    }

    fn resolve(&self, name: &str) -> Option<String> {
        (self.lookup)(name).or_else(|| self.defined.get(name).cloned())
    }

    fn interpolate(
        &mut self,
        text: &str,
        line: usize,
    ) -> Result<(String, Vec<String>), DotenvError> {
        // `A=$A$A` on consecutive lines doubles a value each time; docker compose would run
        // out of memory, seaworthy stops at a budget no real env file comes near.
        let spent = std::cell::Cell::new(self.expanded_bytes);
        let over_budget = std::cell::Cell::new(false);
        let lookup = |name: &str| {
            if over_budget.get() {
                return None;
            }
            let value = self.resolve(name)?;
            if spent.get() + value.len() > MAX_EXPANDED_BYTES {
                over_budget.set(true);
                return None;
            }
            spent.set(spent.get() + value.len());
            Some(value)
        };
        let substituted = interpolate::substitute(text, &lookup).map_err(|e| DotenvError {
            line,
            message: e.to_string(),
        })?;
        if over_budget.get() {
            return Err(DotenvError {
                line,
                message: format!(
                    "line {line}: variables expand to more than {} MiB; does a value reference itself?",
                    MAX_EXPANDED_BYTES >> 20
                ),
            });
        }
        self.expanded_bytes = spent.get();
        Ok((substituted.value, substituted.unset))
    }

    fn push(
        &mut self,
        key: String,
        value: String,
        line: usize,
        range: Range<usize>,
        unset: Vec<String>,
    ) {
        self.defined.insert(key.clone(), value.clone());
        self.entries.push(EnvEntry {
            key,
            value,
            line,
            range,
            unset,
        });
    }
}

/// Go's `unicode.IsLetter` (general category L), approximated by Unicode's Alphabetic property
/// minus the letter-like symbols it adds. Combining vowel signs that are Alphabetic (as in
/// Devanagari) are still accepted here while compose rejects them.
fn is_letter(c: char) -> bool {
    c.is_alphabetic()
        && !matches!(c as u32,
            0x24B6..=0x24E9 | 0x1F130..=0x1F149 | 0x1F150..=0x1F169 | 0x1F170..=0x1F189)
}

/// Spaces that separate tokens within a line (compose-go's `isSpace`: no newline).
fn is_blank(c: char) -> bool {
    matches!(c, '\t' | '\x0B' | '\x0C' | '\r' | ' ' | '\u{85}' | '\u{A0}')
}

fn count_newlines(s: &str) -> usize {
    s.bytes().filter(|&b| b == b'\n').count()
}

/// True line numbers of increasing offsets, without rescanning the text from the start.
#[derive(Debug)]
struct LineCounter {
    offset: usize,
    line: usize,
}

impl Default for LineCounter {
    fn default() -> Self {
        LineCounter { offset: 0, line: 1 }
    }
}

impl LineCounter {
    fn line_of(&mut self, text: &str, offset: usize) -> usize {
        if offset < self.offset {
            *self = LineCounter::default();
        }
        self.line += count_newlines(text.get(self.offset..offset).unwrap_or_default());
        self.offset = offset;
        self.line
    }
}

/// The backslash escapes of double-quoted values: `\a \b \f \n \r \t \v \\ \"`, `\$` (kept as
/// `$$` so that interpolation yields a literal `$`) and octal `\0NNN`. Like compose, an escape
/// Go cannot decode (`\c`, or `\0` with fewer than three octal digits or a value above 255)
/// is kept with its `\0` shortened to `\`; any other backslash is kept as written.
fn expand_escapes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(backslash) = rest.find('\\') {
        out.push_str(rest.get(..backslash).unwrap_or_default());
        let after = rest.get(backslash + 1..).unwrap_or_default();
        let Some(c) = after.chars().next() else {
            out.push('\\');
            rest = after;
            break;
        };
        rest = after.get(c.len_utf8()..).unwrap_or_default();
        match c {
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'f' => out.push('\x0C'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\x0B'),
            '\\' => out.push('\\'),
            '"' => out.push('"'),
            '$' => out.push_str("$$"),
            'c' => out.push_str("\\c"),
            '0' => {
                let digits_len = rest.bytes().take(3).take_while(u8::is_ascii_digit).count();
                let digits = rest.get(..digits_len).unwrap_or_default();
                rest = rest.get(digits_len..).unwrap_or_default();
                match decode_octal(digits) {
                    Some(decoded) => out.push(decoded),
                    None => {
                        out.push('\\');
                        out.push_str(digits);
                    }
                }
            }
            _ => {
                // Not an escape: the backslash stays and the next character is read as text.
                out.push('\\');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Go's `\NNN` rune: exactly three octal digits, at most 255.
fn decode_octal(digits: &str) -> Option<char> {
    if digits.len() != 3 {
        return None;
    }
    let value = u32::from_str_radix(digits, 8).ok()?;
    (value <= 255).then(|| char::from_u32(value)).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    /// The key/value pairs compose ends up with: entries folded in order, later ones winning.
    fn pairs(text: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Vec<(String, String)> {
        let entries = parse(text, lookup).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        fold(entries)
    }

    fn fold(entries: Vec<EnvEntry>) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for e in entries {
            out.retain(|(k, _)| *k != e.key);
            out.push((e.key, e.value));
        }
        out
    }

    fn error(text: &str) -> String {
        parse(text, &no_env).unwrap_err().message
    }

    #[test]
    fn worked_example_of_probe_dotenv_syntax() {
        let text = "# comment line\nexport EXP=exported\nPLAIN=abc # inline comment\nHASH=abc#def\n\
DQ=\"line1\\nline2 ${PLAIN} \\$NOTVAR \\\\ end\"\nSQ='single ${PLAIN} \\n kept'\nEMPTY=\n\
SPACES =  padded  \nINTERP=${PLAIN}-x\nDEF=${NOPE:-dflt}\nYAMLSTYLE: colon\nESCQ=\"say \\\"hi\\\"\"\n\
MULTI=\"a\nb\"\nUNQ_DOLLAR=cost$$5\nINHERIT_FROM_SHELL\nAFTER_QUOTE=\"x\" # trailing comment\nTAB=\ttabbed\n";
        let shell = |name: &str| match name {
            "PLAIN" => Some("fromshell".to_owned()),
            "INHERIT_FROM_SHELL" => Some("shellval".to_owned()),
            _ => None,
        };
        let expected = [
            ("EXP", "exported"),
            ("PLAIN", "abc"),
            ("HASH", "abc#def"),
            ("DQ", "line1\nline2 fromshell $NOTVAR \\ end"),
            ("SQ", "single ${PLAIN} \\n kept"),
            ("EMPTY", ""),
            ("SPACES", "padded"),
            ("INTERP", "fromshell-x"),
            ("DEF", "dflt"),
            ("YAMLSTYLE", "colon"),
            ("ESCQ", "say \"hi\""),
            ("MULTI", "a\nb"),
            ("UNQ_DOLLAR", "cost$5"),
            ("INHERIT_FROM_SHELL", "shellval"),
            ("AFTER_QUOTE", "x"),
            ("TAB", "tabbed"),
        ];
        let got = pairs(text, &shell);
        let got: Vec<_> = got.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn grammar_rules() {
        // (file, key, value), each checked against the oracle binary.
        let cases = [
            ("\u{FEFF}A=1\n", "A", "1"),
            ("  export   A=1\n", "A", "1"),
            ("export\tA: 2\n", "A", "2"),
            ("export=1\n", "export", "1"),
            ("exportA=1\n", "exportA", "1"),
            ("A.B-C[0]=x\n", "A.B-C[0]", "x"),
            ("ключ=значение\n", "ключ", "значение"),
            ("A\tB=1\n", "A\tB", "1"),
            ("A:=1\n", "A", "=1"),
            ("A==1\n", "A", "=1"),
            ("A= # c\n", "A", "# c"),
            ("A=#z", "A", "#z"),
            ("A=a #b #c\n", "A", "a"),
            ("A=a\t#b\n", "A", "a\t#b"),
            ("A=\u{2000}x\n", "A", "\u{2000}x"),
            ("A=x \"y\"\n", "A", "x \"y\""),
            ("A= \"x\"\n", "A", "x"),
            ("A=1\r\n", "A", "1"),
            ("A=\\$x\n", "A", "\\"),
            ("A=\"\\$x\"\n", "A", "$x"),
            ("A=' \\' '\n", "A", " ' "),
            ("A='it\\'s \\\\ x \\n'\n", "A", "it's \\\\ x \\n"),
            (
                "A=\"tab\\there\\a\\b\\f\\v\\r.\"",
                "A",
                "tab\there\x07\x08\x0C\x0B\r.",
            ),
            ("A=\"\\c|\\x|\\\\n|\\\"q\"", "A", "\\c|\\x|\\n|\"q"),
            // Octal escapes need `\0` and three octal digits; others lose the `0`.
            (
                "A=\"\\0101|\\0|\\01|\\0777|\\0200|\\01234|\\0089\"",
                "A",
                "A|\\|\\1|\\777|\u{80}|S4|\\089",
            ),
            // At the end of the file a key needs a separator, else it is the value of "".
            ("B", "", "B"),
            ("FOO BAR", "", "FOO BAR"),
        ];
        for (text, key, value) in cases {
            assert_eq!(
                pairs(text, &no_env),
                [(key.to_owned(), value.to_owned())],
                "{text:?}"
            );
        }
    }

    #[test]
    fn statements_may_follow_a_closing_quote_on_the_same_line() {
        let shell = |name: &str| (name == "junk").then(|| "j".to_owned());
        assert_eq!(
            pairs("A=\"x\" junk\nB=1", &shell),
            [
                ("A".to_owned(), "x".to_owned()),
                ("junk".to_owned(), "j".to_owned()),
                ("B".to_owned(), "1".to_owned())
            ]
        );
        assert_eq!(
            pairs("A=\"x\"B=2\n", &no_env),
            [
                ("A".to_owned(), "x".to_owned()),
                ("B".to_owned(), "2".to_owned())
            ]
        );
    }

    #[test]
    fn self_doubling_values_stop_at_the_expansion_budget() {
        // found by fuzzing: each line doubles A, so 40 lines would need a terabyte
        let text = format!("A=0123456789abcdef\n{}", "A=$A$A\n".repeat(40));
        let error = parse(&text, &|_| None).unwrap_err();
        assert!(
            error.message.contains("expand to more than 16 MiB"),
            "{error}"
        );
        assert!(error.line > 15 && error.line < 30, "{}", error.line);
    }

    #[test]
    fn lookup_comes_before_earlier_keys_of_the_file() {
        // Probe dotenv-order: evaluated top-down.
        assert_eq!(
            pairs("A=${B:-unset-at-this-point}\nB=1\nC=${B}\n", &no_env),
            [
                ("A".to_owned(), "unset-at-this-point".to_owned()),
                ("B".to_owned(), "1".to_owned()),
                ("C".to_owned(), "1".to_owned())
            ]
        );
        // Probe dotenv-syntax `INTERP`: the shell's value wins over the file's own.
        let shell = |name: &str| (name == "SET").then(|| "shell".to_owned());
        assert_eq!(
            pairs("SET=file\nX=${SET}\n", &shell),
            [
                ("SET".to_owned(), "file".to_owned()),
                ("X".to_owned(), "shell".to_owned())
            ]
        );
    }

    #[test]
    fn inherited_keys_are_looked_up_and_skipped_when_unset() {
        let shell = |name: &str| (name == "SHELL").then(|| "s".to_owned());
        assert_eq!(
            pairs("SHELL\nNOPE\nA=1\nA\n", &shell),
            [
                ("SHELL".to_owned(), "s".to_owned()),
                ("A".to_owned(), "1".to_owned())
            ]
        );
    }

    #[test]
    fn errors_have_compose_texts() {
        let cases = [
            ("X=1\nA B=2\n", "line 2: key cannot contain a space"),
            (
                "X=1\nA%=2\n",
                "line 2: unexpected character \"%\" in variable name \"A%=2\"",
            ),
            (
                "Ⓐ=1\n",
                "line 1: unexpected character \"Ⓐ\" in variable name \"Ⓐ=1\"",
            ),
            ("X=1\nA=\"2\n\n", "line 4: unterminated quoted value \"2"),
            ("A='x\n", "line 2: unterminated quoted value 'x"),
            (
                "A=${NOPE:?boom}\n",
                "required variable NOPE is missing a value: boom",
            ),
            ("A=${NOPE\n", "Invalid template: \"${NOPE\""),
            ("A=\"${\"\n", "Invalid template: \"${\""),
            ("export ", "zero length string"),
            // compose does not count the newline of a bare key with a trailing space.
            (
                "A=1\nB \nC%=1\n",
                "line 2: unexpected character \"%\" in variable name \"C%=1\"",
            ),
            (
                "A=1\nB\nC%=1\n",
                "line 3: unexpected character \"%\" in variable name \"C%=1\"",
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(error(text), expected, "{text:?}");
        }
    }

    #[test]
    fn error_lines_are_true_lines_of_the_statement() {
        let err = parse("A=1\nB \nC%=1\n", &no_env).unwrap_err();
        assert_eq!(err.line, 3);
        let err = parse("X=1\nA=\"2\n\n", &no_env).unwrap_err();
        assert_eq!(err.line, 2);
    }

    #[test]
    fn entries_keep_all_assignments_with_lines_and_ranges() {
        let text = "# c\nexport A=1 # c\nB=\"x\ny\"\nA='2'\nC\n";
        let shell = |name: &str| (name == "C").then(|| "c".to_owned());
        let entries = parse(text, &shell).unwrap();
        let got: Vec<_> = entries
            .iter()
            .map(|e| {
                (
                    e.key.as_str(),
                    e.value.as_str(),
                    e.line,
                    &text[e.range.clone()],
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("A", "1", 2, "export A=1"),
                ("B", "x\ny", 3, "B=\"x\ny\""),
                ("A", "2", 5, "A='2'"),
                ("C", "c", 6, "C"),
            ]
        );
    }

    #[test]
    fn unset_variables_of_values_are_reported() {
        let entries = parse("A=$NOPE ${NOPE} ${X-}\nB='$NOPE'\n", &no_env).unwrap();
        assert_eq!(entries[0].unset, ["NOPE"]);
        assert!(entries[1].unset.is_empty());
    }

    #[test]
    fn raw_format_keeps_values_verbatim() {
        // Probe env-file-raw, and the oracle on the other lines.
        let text = "\u{FEFF}A=\"quoted\" $NOT ${X}\nB=plain\n# c\n  \n\tC='s' \nD=a=b\r\nE\nF\n";
        let shell = |name: &str| (name == "E").then(|| "fromenv".to_owned());
        let entries = parse_raw(text, &shell).unwrap();
        let got: Vec<_> = entries
            .iter()
            .map(|e| {
                (
                    e.key.as_str(),
                    e.value.as_str(),
                    e.line,
                    &text[e.range.clone()],
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("A", "\"quoted\" $NOT ${X}", 1, "A=\"quoted\" $NOT ${X}"),
                ("B", "plain", 2, "B=plain"),
                ("C", "'s' ", 5, "C='s' "),
                ("D", "a=b", 6, "D=a=b"),
                ("E", "fromenv", 7, "E"),
            ]
        );
    }

    #[test]
    fn raw_format_errors_have_docker_texts() {
        let cases = [
            ("=x", "no variable name on line '=x'"),
            ("A=1\n  C = x\n", "variable 'C ' contains whitespaces"),
            ("A B\n", "variable 'A B' contains whitespaces"),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_raw(text, &no_env).unwrap_err().message, expected);
        }
        assert_eq!(parse_raw("A=1\n  C = x\n", &no_env).unwrap_err().line, 2);
    }

    proptest! {
        #[test]
        fn never_panics(s in r#"[=:"'\\\n \t#AB$\{\}x\-n01\r.%]{0,40}|(export )?[A-Z=#'" \n]{0,20}"#) {
            let _ = parse(&s, &no_env);
            let _ = parse_raw(&s, &no_env);
        }

        #[test]
        fn never_panics_on_any_string(s in any::<String>()) {
            let _ = parse(&s, &no_env);
            let _ = parse_raw(&s, &no_env);
        }

        #[test]
        fn simple_assignments_round_trip(key in "[A-Za-z_][A-Za-z0-9_]{0,8}", value in "[a-z0-9/.,]{0,12}") {
            let text = format!("{key}={value}\n");
            let entries = parse(&text, &no_env).unwrap();
            prop_assert_eq!(fold(entries), vec![(key, value)]);
        }

        #[test]
        fn single_quotes_keep_text_without_quotes(value in "[^'\\\\]{0,20}") {
            let entries = parse(&format!("K='{value}'"), &no_env).unwrap();
            prop_assert_eq!(fold(entries), vec![("K".to_owned(), value)]);
        }
    }
}

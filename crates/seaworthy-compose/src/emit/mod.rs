//! Writes an [`Out`] tree as the text `docker compose config` prints: YAML exactly as go-yaml v3
//! encodes it with a two-space indent (scalar styles, quoting, block layout), and JSON exactly as
//! Go's `json.MarshalIndent(v, "", "  ")`. The `$` → `$$` escaping that `config` applies
//! afterwards is left to the caller, and so is the order of entries, except that
//! [`sort_yaml_keys`] gives the order go-yaml prints a Go map in (JSON uses byte order).
//!
//! The YAML writer replays the parts of go-yaml's emitter state machine that block documents
//! use (column, indentation stack, whitespace and indentation flags) rather than formatting
//! by rule, because the byte-exact output of edge cases (`|2-` headers, keys longer than 128
//! bytes written as `? key`, line separators inside quotes) falls out of that state. Recursion
//! follows the tree, whose depth the YAML loader caps.

mod order;
mod resolve;
#[cfg(test)]
mod tests;

pub use order::{sort_yaml_keys, yaml_key_order};

use crate::gofmt::{format_float_json, format_float_v};
use crate::out::Out;

/// The document go-yaml v3 prints for `out` (`yaml.NewEncoder` with `SetIndent(2)`): no `---`,
/// ending with a newline.
pub fn to_yaml(out: &Out) -> String {
    let mut emitter = Emitter::default();
    emitter.node(out, Context::default());
    // The document end: go-yaml breaks the last line, unless a block scalar already did.
    emitter.write_indent();
    emitter.out
}

/// The text of Go's `json.MarshalIndent(v, "", "  ")` for `out`, without a trailing newline.
/// Go refuses to encode NaN and infinities; they are written as `null` here.
pub fn to_json(out: &Out) -> String {
    let mut text = String::new();
    write_json(&mut text, out, 0);
    text
}

fn write_json(text: &mut String, out: &Out, depth: usize) {
    match out {
        Out::Null => text.push_str("null"),
        Out::Bool(b) => text.push_str(if *b { "true" } else { "false" }),
        Out::Int(n) => text.push_str(&n.to_string()),
        Out::UInt(n) => text.push_str(&n.to_string()),
        Out::Float(f) if !f.is_finite() => text.push_str("null"),
        Out::Float(f) => text.push_str(&format_float_json(*f)),
        Out::Float32(f) if !f.is_finite() => text.push_str("null"),
        Out::Float32(f) => text.push_str(&format_float_json(widen_shortest(*f))),
        Out::Str(s) => write_json_string(text, s),
        Out::Seq(items) if items.is_empty() => text.push_str("[]"),
        Out::Map(entries) if entries.is_empty() => text.push_str("{}"),
        Out::Seq(items) => {
            text.push('[');
            for (index, item) in items.iter().enumerate() {
                json_item_start(text, index, depth + 1);
                write_json(text, item, depth + 1);
            }
            json_newline(text, depth);
            text.push(']');
        }
        Out::Map(entries) => {
            text.push('{');
            for (index, (key, value)) in entries.iter().enumerate() {
                json_item_start(text, index, depth + 1);
                write_json_string(text, key);
                text.push_str(": ");
                write_json(text, value, depth + 1);
            }
            json_newline(text, depth);
            text.push('}');
        }
    }
}

fn json_item_start(text: &mut String, index: usize, depth: usize) {
    if index > 0 {
        text.push(',');
    }
    json_newline(text, depth);
}

fn json_newline(text: &mut String, depth: usize) {
    text.push('\n');
    text.push_str(&"  ".repeat(depth));
}

/// Go's string encoding with HTML escaping on (the `json.Marshal` default).
fn write_json_string(text: &mut String, s: &str) {
    text.push('"');
    for c in s.chars() {
        match c {
            '"' => text.push_str("\\\""),
            '\\' => text.push_str("\\\\"),
            '\n' => text.push_str("\\n"),
            '\r' => text.push_str("\\r"),
            '\t' => text.push_str("\\t"),
            '\u{8}' => text.push_str("\\b"),
            '\u{c}' => text.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' | '\0'..='\u{1f}' => {
                text.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            _ => text.push(c),
        }
    }
    text.push('"');
}

/// Go's `encoding/json` float: shortest digits in fixed notation, exponent form only below
/// 1e-6 or from 1e21. (`gofmt::format_float_json` switches to exponents below 1e-4.)
/// A float32 as the float64 of its shortest decimal digits: Go formats a float32 with its own
/// shortest digits, and those are also the shortest digits of this float64.
fn widen_shortest(f: f32) -> f64 {
    format!("{f:e}").parse().unwrap_or(f64::from(f))
}

fn float_yaml(text: String) -> String {
    match text.as_str() {
        "+Inf" => ".inf".into(),
        "-Inf" => "-.inf".into(),
        "NaN" => ".nan".into(),
        _ => text,
    }
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
}

/// Where a node sits, as go-yaml's `emit_node` flags record it.
#[derive(Clone, Copy, Default)]
struct Context {
    /// A direct item of a block sequence (its content indents by two, past the `- `).
    sequence_item: bool,
    simple_key: bool,
}

/// The emitter state go-yaml keeps while writing a block document.
struct Emitter {
    out: String,
    /// Characters written on the current line.
    column: usize,
    indent: i32,
    indents: Vec<i32>,
    /// The last thing written was whitespace (or nothing): an indicator needs no space first.
    whitespace: bool,
    /// Only indentation (and indicators like `- `) has been written on this line.
    indention: bool,
}

impl Default for Emitter {
    fn default() -> Self {
        Emitter {
            out: String::new(),
            column: 0,
            indent: -1,
            indents: Vec::new(),
            whitespace: true,
            indention: true,
        }
    }
}

const BEST_INDENT: i32 = 2;
/// go-yaml refuses simple keys longer than this many bytes and writes `? key` instead.
const MAX_SIMPLE_KEY_LEN: usize = 128;

impl Emitter {
    fn node(&mut self, out: &Out, cx: Context) {
        match out {
            Out::Null => self.scalar("null", Style::Plain, cx),
            Out::Bool(b) => self.scalar(if *b { "true" } else { "false" }, Style::Plain, cx),
            Out::Int(n) => self.scalar(&n.to_string(), Style::Plain, cx),
            Out::UInt(n) => self.scalar(&n.to_string(), Style::Plain, cx),
            Out::Float(f) => self.scalar(&float_yaml(format_float_v(*f)), Style::Plain, cx),
            Out::Float32(f) => {
                let text = float_yaml(format_float_v(widen_shortest(*f)));
                self.scalar(&text, Style::Plain, cx);
            }
            Out::Str(s) => self.scalar(s, requested_string_style(s), cx),
            Out::Seq(items) if items.is_empty() => self.empty_flow("[", "]"),
            Out::Map(entries) if entries.is_empty() => self.empty_flow("{", "}"),
            Out::Seq(items) => {
                self.increase_indent(false, cx.sequence_item);
                for item in items {
                    self.write_indent();
                    self.write_indicator("-", true, false, true);
                    let item_cx = Context {
                        sequence_item: true,
                        simple_key: false,
                    };
                    self.node(item, item_cx);
                }
                self.pop_indent();
            }
            Out::Map(entries) => {
                self.increase_indent(false, cx.sequence_item);
                for (key, value) in entries {
                    self.write_indent();
                    let analysis = Analysis::of(key);
                    let simple = !analysis.multiline && key.len() <= MAX_SIMPLE_KEY_LEN;
                    let key_cx = Context {
                        sequence_item: false,
                        simple_key: simple,
                    };
                    if simple {
                        self.node_str(key, &analysis, key_cx);
                        self.write_indicator(":", false, false, false);
                    } else {
                        self.write_indicator("?", true, false, true);
                        self.node_str(key, &analysis, key_cx);
                        self.write_indent();
                        self.write_indicator(":", true, false, true);
                    }
                    self.node(value, Context::default());
                }
                self.pop_indent();
            }
        }
    }

    fn node_str(&mut self, s: &str, analysis: &Analysis, cx: Context) {
        self.scalar_analyzed(s, analysis, requested_string_style(s), cx);
    }

    fn scalar(&mut self, value: &str, requested: Style, cx: Context) {
        self.scalar_analyzed(value, &Analysis::of(value), requested, cx);
    }

    fn scalar_analyzed(&mut self, value: &str, analysis: &Analysis, requested: Style, cx: Context) {
        let style = select_style(value, analysis, requested, cx.simple_key);
        self.increase_indent(true, cx.sequence_item);
        match style {
            Style::Plain => self.write_plain(value),
            Style::SingleQuoted => self.write_single_quoted(value),
            Style::DoubleQuoted => self.write_double_quoted(value),
            Style::Literal => self.write_literal(value),
        }
        self.pop_indent();
    }

    fn empty_flow(&mut self, open: &str, close: &str) {
        self.write_indicator(open, true, true, false);
        self.write_indicator(close, false, false, false);
    }

    fn increase_indent(&mut self, flow: bool, sequence_item: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if sequence_item {
            self.indent += 2;
        } else {
            self.indent = BEST_INDENT * ((self.indent + BEST_INDENT) / BEST_INDENT);
        }
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
        self.indention = true;
    }

    /// Copies a line break from the value: `\n` as a newline, others (U+2028…) verbatim.
    fn write_break(&mut self, c: char) {
        if c == '\n' {
            self.put_break();
        } else {
            self.out.push(c);
            self.column = 0;
            self.indention = true;
        }
    }

    fn write_indent(&mut self) {
        let indent = usize::try_from(self.indent).unwrap_or(0);
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
    }

    fn write_indicator(
        &mut self,
        indicator: &str,
        need_whitespace: bool,
        is_whitespace: bool,
        is_indention: bool,
    ) {
        if need_whitespace && !self.whitespace {
            self.put(' ');
        }
        for c in indicator.chars() {
            self.put(c);
        }
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
    }

    fn write_plain(&mut self, value: &str) {
        if !value.is_empty() && !self.whitespace {
            self.put(' ');
        }
        // Plain scalars never hold line breaks, and the encoder's line width is unlimited.
        for c in value.chars() {
            self.put(c);
        }
        if !value.is_empty() {
            self.whitespace = false;
        }
        self.indention = false;
    }

    fn write_single_quoted(&mut self, value: &str) {
        self.write_indicator("'", true, false, false);
        let mut breaks = false;
        for c in value.chars() {
            if c == ' ' {
                // A space neither indents after a line break nor ends the run of breaks.
                self.put(c);
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if c == '\'' {
                    self.put('\'');
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double_quoted(&mut self, value: &str) {
        self.write_indicator("\"", true, false, false);
        // go-yaml tests for a byte order mark at the start of the value, not at each character,
        // so a value starting with one is escaped throughout.
        let starts_with_bom = value.starts_with('\u{feff}');
        for c in value.chars() {
            if !is_printable(c) || starts_with_bom || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                let short = match c {
                    '\0' => Some('0'),
                    '\u{7}' => Some('a'),
                    '\u{8}' => Some('b'),
                    '\t' => Some('t'),
                    '\n' => Some('n'),
                    '\u{b}' => Some('v'),
                    '\u{c}' => Some('f'),
                    '\r' => Some('r'),
                    '\u{1b}' => Some('e'),
                    '"' => Some('"'),
                    '\\' => Some('\\'),
                    '\u{85}' => Some('N'),
                    '\u{a0}' => Some('_'),
                    '\u{2028}' => Some('L'),
                    '\u{2029}' => Some('P'),
                    _ => None,
                };
                let escaped = match short {
                    Some(letter) => letter.to_string(),
                    None => match u32::from(c) {
                        code @ 0..=0xff => format!("x{code:02X}"),
                        code @ 0x100..=0xffff => format!("u{code:04X}"),
                        code => format!("U{code:08X}"),
                    },
                };
                for e in escaped.chars() {
                    self.put(e);
                }
            } else {
                self.put(c);
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_literal(&mut self, value: &str) {
        self.write_indicator("|", true, false, false);
        if value.starts_with(|c: char| c == ' ' || is_break(c)) {
            self.write_indicator(&BEST_INDENT.to_string(), false, false, false);
        }
        let mut tail = value.chars().rev();
        let chomp = match (tail.next(), tail.next()) {
            (Some(last), _) if !is_break(last) => Some("-"),
            (Some(_), None) => Some("+"),
            (Some(_), Some(previous)) if is_break(previous) => Some("+"),
            (None, _) => Some("-"),
            _ => None,
        };
        if let Some(chomp) = chomp {
            self.write_indicator(chomp, false, false, false);
        }
        // go.yaml.in/yaml/v3 v3.0.4 (what compose-go uses) ends the header line here, so a
        // leading line break in the value shows as an empty first line.
        self.put_break();
        self.whitespace = true;
        let mut breaks = true;
        for c in value.chars() {
            if is_break(c) {
                self.write_break(c);
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
    }
}

/// The style go-yaml's encoder asks for; the emitter may still change it.
fn requested_string_style(s: &str) -> Style {
    if s.contains('\n') {
        Style::Literal
    } else if resolve::plain_keeps_string(s) {
        Style::Plain
    } else {
        Style::DoubleQuoted
    }
}

/// go-yaml's `yaml_emitter_select_scalar_style` for block context, untagged scalars.
fn select_style(value: &str, analysis: &Analysis, requested: Style, simple_key: bool) -> Style {
    let mut style = requested;
    if simple_key && analysis.multiline {
        style = Style::DoubleQuoted;
    }
    if style == Style::Plain && (!analysis.block_plain_allowed || value.is_empty() && simple_key) {
        style = Style::SingleQuoted;
    }
    if style == Style::SingleQuoted && !analysis.single_quoted_allowed {
        style = Style::DoubleQuoted;
    }
    if style == Style::Literal && (!analysis.block_allowed || simple_key) {
        style = Style::DoubleQuoted;
    }
    style
}

/// What go-yaml's `yaml_emitter_analyze_scalar` learns about a value (the block-context part).
struct Analysis {
    multiline: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

impl Analysis {
    fn of(value: &str) -> Analysis {
        if value.is_empty() {
            return Analysis {
                multiline: false,
                block_plain_allowed: true,
                single_quoted_allowed: true,
                block_allowed: false,
            };
        }
        let mut block_indicators = value.starts_with("---") || value.starts_with("...");
        let (mut line_breaks, mut special_characters, mut tab_characters) = (false, false, false);
        let (mut leading_space, mut leading_break) = (false, false);
        let (mut trailing_space, mut trailing_break) = (false, false);
        let (mut break_space, mut space_break) = (false, false);
        let (mut previous_space, mut previous_break) = (false, false);
        let mut preceded_by_whitespace = true;
        let mut chars = value.chars().peekable();
        let mut first = true;
        while let Some(c) = chars.next() {
            let next = chars.peek().copied();
            let last = next.is_none();
            let followed_by_whitespace = matches!(next, None | Some(' ' | '\t'));
            if first {
                match c {
                    '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\''
                    | '"' | '%' | '@' | '`' => block_indicators = true,
                    '?' | ':' | '-' if followed_by_whitespace => block_indicators = true,
                    _ => {}
                }
            } else {
                match c {
                    ':' if followed_by_whitespace => block_indicators = true,
                    '#' if preceded_by_whitespace => block_indicators = true,
                    _ => {}
                }
            }
            if c == '\t' {
                tab_characters = true;
            } else if !is_printable(c) {
                special_characters = true;
            }
            if c == ' ' {
                leading_space |= first;
                trailing_space |= last;
                break_space |= previous_break;
                (previous_space, previous_break) = (true, false);
            } else if is_break(c) {
                line_breaks = true;
                leading_break |= first;
                trailing_break |= last;
                space_break |= previous_space;
                (previous_space, previous_break) = (false, true);
            } else {
                (previous_space, previous_break) = (false, false);
            }
            preceded_by_whitespace = matches!(c, ' ' | '\t' | '\0') || is_break(c);
            first = false;
        }
        let edges = leading_space || leading_break || trailing_space || trailing_break;
        let unquotable = break_space || space_break || tab_characters || special_characters;
        Analysis {
            multiline: line_breaks,
            block_plain_allowed: !(edges || unquotable || line_breaks || block_indicators),
            single_quoted_allowed: !unquotable,
            block_allowed: !(trailing_space || space_break || special_characters),
        }
    }
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// The characters go-yaml writes unescaped (tab is handled apart).
fn is_printable(c: char) -> bool {
    matches!(c, '\n' | ' '..='~' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
        && c != '\u{feff}'
}

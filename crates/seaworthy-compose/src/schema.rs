//! Validation of a compose dict against the Compose Specification's JSON schema, with the verdicts
//! and messages of docker compose v2.40.3: the vendored `compose-spec.json` (the file compose-go
//! v2.9.1 embeds), evaluated the way santhosh-tekuri/jsonschema v6 evaluates it, and the error
//! compose prints chosen the way compose-go's `schema` package chooses it (the most deeply nested
//! leaf, first one wins). Also the check for non-string mapping keys that compose-go runs before
//! the schema.
//!
//! The evaluation is our own interpreter of the schema's draft-7 keywords rather than the
//! `jsonschema` crate's validator, because compose's message depends on details of the Go
//! library that no other validator reproduces: evaluation stops at a failed `type`, `oneOf`
//! branches are reported in order, a YAML timestamp fails wherever the schema looks at it, and
//! `uniqueItems` names the first duplicate pair. The tests check that the `jsonschema` crate's
//! verdicts, and its matches of `pattern` and `patternProperties`, agree with ours.
//!
//! Where docker compose is not deterministic (Go walks the properties of a mapping in random
//! order, so two errors at the same depth in sibling keys win by chance), we take source order.

use crate::node::{Map, Node, Value};
use compiled::{PATTERNS, ROOT, SCHEMAS};
use seaworthy_source::Span;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

#[rustfmt::skip]
mod compiled;
#[cfg(test)]
mod generate;

/// The Compose Specification schema that docker compose v2.40.3 validates against.
pub const COMPOSE_SPEC_JSON: &str = include_str!("../schema/compose-spec.json");

/// Deeper than any real compose file; stops the evaluation (and its recursion) on hostile input.
const MAX_DEPTH: usize = 512;

/// A compose file that the schema rejects, as docker compose reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaError {
    /// Dotted path of the value at fault, as in compose's message (`services.a.ports`); empty at
    /// the top level.
    pub path: String,
    /// compose's text, without the `validating <file>: ` prefix.
    pub message: String,
    /// The node at fault; for unknown properties, the key of the first one.
    pub span: Span,
}

/// Validates a compose dict (one file after interpolation, or the merge so far) against the
/// Compose Specification, and returns the error docker compose would print.
pub fn validate(project: &Node) -> Result<(), SchemaError> {
    let mut walker = Walker {
        path: Vec::new(),
        depth: 0,
    };
    let mut leaves = Vec::new();
    walker.eval(ROOT, project, &mut leaves);
    let mut best: Option<Leaf<'_>> = None;
    for leaf in leaves {
        if best
            .as_ref()
            .is_none_or(|b| leaf.specificity() > b.specificity())
        {
            best = Some(leaf);
        }
    }
    match best {
        None => Ok(()),
        Some(leaf) => Err(leaf.into_error()),
    }
}

/// Rejects mapping keys that were not strings in YAML (`1: x`, `true: x`, `~: x`), as compose-go
/// does before validating: `non-string key in services.a.environment: 1`.
pub fn check_keys(project: &Node) -> Result<(), SchemaError> {
    check_keys_in(project, &mut Vec::new())
}

/// `path` holds the keys and indexes down to `node`; its text is only built for an error.
fn check_keys_in<'n>(node: &'n Node, path: &mut Vec<Segment<'n>>) -> Result<(), SchemaError> {
    if path.len() > MAX_DEPTH {
        return Ok(());
    }
    match &node.value {
        Value::Map(map) => {
            for (key, child) in map {
                if child.key_not_string {
                    let prefix = key_path(path);
                    let location = if prefix.is_empty() {
                        "at top level".to_owned()
                    } else {
                        format!("in {prefix}")
                    };
                    return Err(SchemaError {
                        message: format!("non-string key {location}: {}", go_key_repr(key)),
                        path: prefix,
                        span: child.key_span,
                    });
                }
                path.push(Segment::Key(key));
                let result = check_keys_in(child, path);
                path.pop();
                result?;
            }
            Ok(())
        }
        Value::Seq(items) => {
            for (index, item) in items.iter().enumerate() {
                path.push(Segment::Index(index));
                let result = check_keys_in(item, path);
                path.pop();
                result?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// compose-go's location of a key: `services.a.environment`, `services.a.ports[0]`.
fn key_path(path: &[Segment<'_>]) -> String {
    let mut text = String::new();
    for segment in path {
        match segment {
            Segment::Key(key) => {
                if !text.is_empty() {
                    text.push('.');
                }
                text.push_str(key);
            }
            Segment::Index(index) => {
                let _ = write!(text, "[{index}]");
            }
        }
    }
    text
}

fn go_key_repr(text: &str) -> String {
    if text.is_empty() {
        return "<nil>".to_owned();
    }
    if text.parse::<i64>().is_ok() {
        return text.to_owned();
    }
    if let Ok(unsigned) = text.parse::<u64>() {
        return format!("{unsigned:#x}");
    }
    go_time_repr(text).unwrap_or_else(|| text.to_owned())
}

/// Go's `%#v` of the `time.Time` go-yaml decodes from a timestamp key (`2024-01-15`,
/// `2001-12-14t21:59:43.10-05:00`). A zero offset prints `time.Local`, as on a machine whose
/// local zone is UTC (where the reference outputs were recorded).
fn go_time_repr(text: &str) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let (date, rest) = match text.find(['T', 't', ' ']) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let mut parts = date.splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: usize = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    let month_name = MONTHS.get(month.checked_sub(1)?)?;
    let (mut hour, mut minute, mut second, mut nanos) = (0u32, 0u32, 0u32, 0u64);
    let mut location = "time.UTC";
    if let Some(rest) = rest {
        let zone_at = rest.find(['Z', 'z', '+', '-']).unwrap_or(rest.len());
        let (clock, zone) = rest.split_at(zone_at);
        let mut fields = clock.trim().splitn(3, ':');
        hour = fields.next()?.parse().ok()?;
        minute = fields.next()?.parse().ok()?;
        let seconds = fields.next()?;
        let (whole, fraction) = seconds.split_once('.').unwrap_or((seconds, ""));
        second = whole.parse().ok()?;
        let digits: String = fraction
            .chars()
            .chain(std::iter::repeat('0'))
            .take(9)
            .collect();
        nanos = digits.parse().ok()?;
        if zone.starts_with(['+', '-']) {
            let offset_is_zero = zone[1..].chars().all(|c| c == '0' || c == ':');
            location = if offset_is_zero {
                "time.Local"
            } else {
                "time.Location(\"\")"
            };
        }
    }
    Some(format!(
        "time.Date({year}, time.{month_name}, {day}, {hour}, {minute}, {second}, {nanos}, {location})"
    ))
}

/// One schema of the vendored document, its keywords decoded and its `$ref` resolved (the
/// `compiled` module, generated from `compose-spec.json` by a test): reading the JSON and
/// looking keywords up by name cost more than evaluating a whole project.
pub(crate) struct Schema {
    pub(crate) kind: SchemaKind,
    /// The types `type` names, as a set of positions in [`TYPE_ORDER`]; 0 accepts any.
    pub(crate) types: u8,
    pub(crate) constant: Option<Lit>,
    pub(crate) enumeration: Option<&'static [Lit]>,
    pub(crate) reference: Ref,
    pub(crate) min_properties: Option<u64>,
    pub(crate) max_properties: Option<u64>,
    pub(crate) required: Option<&'static [&'static str]>,
    /// Sorted by name.
    pub(crate) properties: &'static [(&'static str, usize)],
    /// In the order of their patterns' text, as the Go library walks them.
    pub(crate) pattern_properties: &'static [(usize, usize)],
    pub(crate) additional_properties: Additional,
    pub(crate) items: Items,
    pub(crate) additional_items: Additional,
    pub(crate) unique_items: bool,
    pub(crate) min_items: Option<u64>,
    pub(crate) max_items: Option<u64>,
    pub(crate) min_length: Option<u64>,
    pub(crate) max_length: Option<u64>,
    /// An index in `PATTERNS`.
    pub(crate) pattern: Option<usize>,
    pub(crate) minimum: Option<Limit>,
    pub(crate) maximum: Option<Limit>,
    pub(crate) not: Option<usize>,
    pub(crate) all_of: Option<&'static [usize]>,
    pub(crate) any_of: Option<&'static [usize]>,
    pub(crate) one_of: Option<&'static [usize]>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
#[allow(dead_code)] // the generator writes any of these; the vendored schema needs only some
pub(crate) enum SchemaKind {
    /// `true`, `{}` or a value that is no schema: accepts everything, even a timestamp.
    True,
    /// `false`.
    False,
    /// An object with keywords (maybe none that the evaluation reads).
    Keywords,
}

#[derive(Clone, Copy)]
#[allow(dead_code)] // the generator writes any of these; the vendored schema needs only some
pub(crate) enum Ref {
    None,
    To(usize),
    /// A `$ref` that names nothing: the rest of the schema is skipped all the same.
    Dangling,
}

/// `additionalProperties` or `additionalItems`.
#[derive(Clone, Copy)]
#[allow(dead_code)] // the generator writes any of these; the vendored schema needs only some
pub(crate) enum Additional {
    /// Absent, or anything but `false` and an object.
    Allowed,
    Denied,
    Schema(usize),
}

#[derive(Clone, Copy)]
#[allow(dead_code)] // the generator writes any of these; the vendored schema needs only some
pub(crate) enum Items {
    None,
    Tuple(&'static [usize]),
    Each(usize),
}

/// A value of `const` or `enum`.
#[derive(Clone, Copy)]
#[allow(dead_code)] // the generator writes any of these; the vendored schema needs only some
pub(crate) enum Lit {
    Null,
    Bool(bool),
    /// The number and its text as the Go library prints it.
    Number(Num, &'static str),
    Str(&'static str),
    Array(&'static [Lit]),
    Object(&'static [(&'static str, Lit)]),
}

/// A JSON number as serde_json holds it.
#[derive(Clone, Copy)]
#[allow(dead_code)] // the generator writes any of these; the vendored schema needs only some
pub(crate) enum Num {
    Int(i64),
    UInt(u64),
    Float(f64),
}

/// `minimum` or `maximum`, with its text in messages.
#[derive(Clone, Copy)]
pub(crate) struct Limit {
    pub(crate) value: Num,
    pub(crate) text: &'static str,
}

/// Each pattern of `PATTERNS`, compiled the first time a document needs it.
static MATCHERS: [OnceLock<Option<Matcher>>; PATTERNS.len()] =
    [const { OnceLock::new() }; PATTERNS.len()];

fn matches(pattern: usize, text: &str) -> bool {
    let (Some(source), Some(matcher)) = (PATTERNS.get(pattern), MATCHERS.get(pattern)) else {
        return false;
    };
    // every pattern of the vendored schema compiles (a test checks)
    matcher
        .get_or_init(|| Matcher::new(source).ok())
        .as_ref()
        .is_some_and(|m| m.is_match(text))
}

/// A compiled `pattern`, searched as the `jsonschema` crate searches it (ECMAScript: `.` stops
/// at `\n`, `\r`, U+2028 and U+2029, `$` only at the end), which a test checks for every
/// pattern of the vendored schema. Its patterns are decided without a regex engine: building one
/// cost more than loading a whole small project.
enum Matcher {
    /// `^literal`: the text starts with the literal.
    Prefix(String),
    /// `^[a-zA-Z0-9._-]+$`: a non-empty text of those characters.
    Name,
    /// `.+`: some character that is not a line terminator.
    AnyChar,
    /// `^.+$`: a non-empty text without line terminators.
    Line,
    /// `^[a-z]+$`: a non-empty text of lowercase ASCII letters.
    Lowercase,
    /// `[a-zA-Z0-9][a-zA-Z0-9_.-]+`: a letter or digit followed by one of those characters.
    NamePair,
    /// Any other pattern, on the assumption (checked by a test for the vendored schema) that it
    /// uses no syntax whose meaning differs between ECMAScript and the `regex` crate.
    Regex(regex::Regex),
}

/// ECMAScript's line terminators, which its `.` does not match.
fn is_line_terminator(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}')
}

impl Matcher {
    fn new(source: &str) -> Result<Matcher, String> {
        match source {
            "^[a-zA-Z0-9._-]+$" => return Ok(Matcher::Name),
            ".+" => return Ok(Matcher::AnyChar),
            "^.+$" => return Ok(Matcher::Line),
            "^[a-z]+$" => return Ok(Matcher::Lowercase),
            "[a-zA-Z0-9][a-zA-Z0-9_.-]+" => return Ok(Matcher::NamePair),
            _ => {}
        }
        if let Some(literal) = source.strip_prefix('^')
            && !literal.is_empty()
            && literal
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Ok(Matcher::Prefix(literal.to_owned()));
        }
        regex::Regex::new(source)
            .map(Matcher::Regex)
            .map_err(|e| format!("invalid pattern {source:?} in compose schema: {e}"))
    }

    fn is_match(&self, text: &str) -> bool {
        match self {
            Matcher::Prefix(literal) => text.starts_with(literal.as_str()),
            Matcher::Name => {
                !text.is_empty()
                    && text
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
            }
            Matcher::AnyChar => text.chars().any(|c| !is_line_terminator(c)),
            Matcher::Line => !text.is_empty() && !text.chars().any(is_line_terminator),
            Matcher::Lowercase => !text.is_empty() && text.bytes().all(|b| b.is_ascii_lowercase()),
            Matcher::NamePair => text.as_bytes().windows(2).any(|pair| {
                pair[0].is_ascii_alphanumeric()
                    && (pair[1].is_ascii_alphanumeric() || matches!(pair[1], b'_' | b'.' | b'-'))
            }),
            Matcher::Regex(regex) => regex.is_match(text),
        }
    }
}

/// One failed check with no nested causes, in evaluation order.
struct Leaf<'n> {
    /// Kept as borrowed segments: most leaves fall in `oneOf`/`anyOf` branches that end up
    /// not being errors, so the path text is only built for the one reported.
    path: Vec<Segment<'n>>,
    kind: LeafKind,
    span: Span,
}

enum LeafKind {
    Type(Vec<&'static str>),
    InvalidJsonValue,
    FalseSchema,
    Const(String),
    Enum(String),
    Required(Vec<String>),
    AdditionalProperties(Vec<String>),
    UniqueItems(usize, usize),
    Count(&'static str, usize, u64),
    Pattern(String, String),
    Minimum(String),
    Maximum(String),
    OneOfMultiple(usize, usize),
    Not,
}

impl Leaf<'_> {
    /// compose-go prefers deeper errors, and an unknown property over an error at its level.
    fn specificity(&self) -> usize {
        let bonus = usize::from(matches!(self.kind, LeafKind::AdditionalProperties(_)));
        self.path.len() + bonus
    }

    fn into_error(self) -> SchemaError {
        let mut path = String::new();
        for (index, segment) in self.path.iter().enumerate() {
            if index > 0 {
                path.push('.');
            }
            match segment {
                Segment::Key(key) => path.push_str(key),
                Segment::Index(index) => {
                    let _ = write!(path, "{index}");
                }
            }
        }
        let message = match &self.kind {
            LeafKind::Type(want) => format!("{path} must be a {}", human_readable_type(want)),
            LeafKind::Minimum(limit) => {
                format!("{path} must be greater than or equal to {limit}")
            }
            LeafKind::Maximum(limit) => format!("{path} must be less than or equal to {limit}"),
            other => format!("{path} {}", other.text()),
        };
        SchemaError {
            path,
            message,
            span: self.span,
        }
    }
}

impl LeafKind {
    /// The Go library's English text for the error.
    fn text(&self) -> String {
        match self {
            LeafKind::Type(want) => format!("got value, want {}", want.join(" or ")),
            LeafKind::InvalidJsonValue => "invalid jsonType time.Time".to_owned(),
            LeafKind::FalseSchema => "false schema".to_owned(),
            LeafKind::Const(text) | LeafKind::Enum(text) => text.clone(),
            LeafKind::Required(missing) if missing.len() == 1 => {
                format!("missing property {}", quote(&missing[0]))
            }
            LeafKind::Required(missing) => format!("missing properties {}", join_quoted(missing)),
            LeafKind::AdditionalProperties(names) => {
                format!("additional properties {} not allowed", join_quoted(names))
            }
            LeafKind::UniqueItems(first, second) => {
                format!(
                    "items at {} and {} are equal",
                    grouped(*first),
                    grouped(*second)
                )
            }
            LeafKind::Count(keyword, got, want) => {
                format!("{keyword}: got {}, want {}", grouped(*got), grouped(*want))
            }
            LeafKind::Pattern(got, want) => {
                format!("{} does not match pattern {}", quote(got), quote(want))
            }
            LeafKind::Minimum(limit) => format!("minimum: got value, want {limit}"),
            LeafKind::Maximum(limit) => format!("maximum: got value, want {limit}"),
            LeafKind::OneOfMultiple(first, second) => {
                let (first, second) = (grouped(*first), grouped(*second));
                format!("oneOf failed, subschemas {first}, {second} matched")
            }
            LeafKind::Not => "not failed".to_owned(),
        }
    }
}

/// An integer as Go's English message printer writes `%d`: `4,000`.
fn grouped(number: impl ToString) -> String {
    let digits = number.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// compose-go's wording of the accepted types: `mapping` for object, several joined
/// `a, b or c` in alphabetical order.
fn human_readable_type(want: &[&str]) -> String {
    let mut names: Vec<&str> = want
        .iter()
        .map(|t| if *t == "object" { "mapping" } else { t })
        .collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => (*one).to_owned(),
        _ => {
            names.sort_unstable();
            let (last, init) = names.split_last().unwrap_or((&"", &[]));
            format!("{} or {last}", init.join(", "))
        }
    }
}

/// Go's `%q` with the jsonschema library's single-quote convention: `'a\'b "c"'`.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    for c in text.chars() {
        match c {
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x0b' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\x7f' => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

fn join_quoted(items: &[String]) -> String {
    items
        .iter()
        .map(|item| quote(item))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How the Go library prints a primitive schema value in `enum`/`const` messages.
fn display(value: &Lit) -> String {
    match value {
        Lit::Str(s) => quote(s),
        Lit::Null => "<nil>".to_owned(),
        Lit::Array(_) | Lit::Object(_) => "value".to_owned(),
        Lit::Bool(b) => b.to_string(),
        Lit::Number(_, text) => (*text).to_owned(),
    }
}

#[derive(Clone, Copy)]
enum Segment<'n> {
    Key(&'n str),
    Index(usize),
}

struct Walker<'n> {
    path: Vec<Segment<'n>>,
    depth: usize,
}

/// The JSON type of a value as the Go library sees the dict; `None` for a `time.Time`.
fn json_type(value: &Value) -> Option<&'static str> {
    Some(match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Int(_) | Value::UInt(_) | Value::Float(_) => "number",
        Value::Str(_) => "string",
        Value::Timestamp(_) => return None,
        Value::Seq(_) => "array",
        Value::Map(_) => "object",
    })
}

fn is_integer(value: &Value) -> bool {
    match value {
        Value::Int(_) | Value::UInt(_) => true,
        Value::Float(f) => f.is_finite() && f.fract() == 0.0,
        _ => false,
    }
}

/// Go's order of type names in a `type` error.
const TYPE_ORDER: [&str; 7] = [
    "null", "boolean", "number", "integer", "string", "array", "object",
];

/// The type names of a set, in Go's order.
fn type_names(set: u8) -> Vec<&'static str> {
    TYPE_ORDER
        .iter()
        .enumerate()
        .filter(|(p, _)| set & (1 << p) != 0)
        .map(|(_, t)| *t)
        .collect()
}

fn type_bit(name: &str) -> u8 {
    TYPE_ORDER
        .iter()
        .position(|t| *t == name)
        .map_or(0, |p| 1u8 << p)
}

impl<'n> Walker<'n> {
    fn leaf(&self, kind: LeafKind, span: Span) -> Leaf<'n> {
        Leaf {
            path: self.path.clone(),
            kind,
            span,
        }
    }

    /// Evaluates `node` against schema number `schema`, appending its failed checks to `out` in
    /// the order the Go library reports them.
    fn eval(&mut self, schema: usize, node: &'n Node, out: &mut Vec<Leaf<'n>>) {
        if self.depth > MAX_DEPTH {
            return;
        }
        let Some(schema) = SCHEMAS.get(schema) else {
            return;
        };
        self.depth += 1;
        self.eval_schema(schema, node, out);
        self.depth -= 1;
    }

    fn eval_schema(&mut self, s: &'static Schema, node: &'n Node, out: &mut Vec<Leaf<'n>>) {
        match s.kind {
            SchemaKind::True => return,
            SchemaKind::False => return out.push(self.leaf(LeafKind::FalseSchema, node.span)),
            SchemaKind::Keywords => {}
        }
        let Some(kind) = json_type(&node.value) else {
            return out.push(self.leaf(LeafKind::InvalidJsonValue, node.span));
        };
        let want = s.types;
        if want != 0
            && want & type_bit(kind) == 0
            && !(want & type_bit("integer") != 0 && is_integer(&node.value))
        {
            return out.push(self.leaf(LeafKind::Type(type_names(want)), node.span));
        }
        if let Some(expected) = &s.constant {
            match equals_lit(node, expected, 0) {
                Err(()) => return out.push(self.leaf(LeafKind::InvalidJsonValue, node.span)),
                Ok(false) => {
                    let text = match expected {
                        Lit::Array(_) | Lit::Object(_) => "const failed".to_owned(),
                        primitive => format!("value must be {}", display(primitive)),
                    };
                    return out.push(self.leaf(LeafKind::Const(text), node.span));
                }
                Ok(true) => {}
            }
        }
        if let Some(options) = s.enumeration {
            let mut matched = false;
            for option in options {
                match equals_lit(node, option, 0) {
                    Err(()) => {
                        return out.push(self.leaf(LeafKind::InvalidJsonValue, node.span));
                    }
                    Ok(true) => {
                        matched = true;
                        break;
                    }
                    Ok(false) => {}
                }
            }
            if !matched {
                return out.push(self.leaf(LeafKind::Enum(enum_text(options)), node.span));
            }
        }
        match s.reference {
            Ref::None => {}
            // Draft 7: `$ref` replaces the rest of the schema.
            Ref::To(target) => return self.eval(target, node, out),
            Ref::Dangling => return,
        }
        match &node.value {
            Value::Map(map) => self.eval_object(s, map, node, out),
            Value::Seq(items) => self.eval_array(s, items, node, out),
            Value::Str(text) => self.eval_string(s, text, node, out),
            Value::Int(_) | Value::UInt(_) | Value::Float(_) => self.eval_number(s, node, out),
            Value::Null | Value::Bool(_) | Value::Timestamp(_) => {}
        }
        self.eval_combinators(s, node, out);
    }

    fn eval_object(
        &mut self,
        s: &'static Schema,
        map: &'n Map,
        node: &'n Node,
        out: &mut Vec<Leaf<'n>>,
    ) {
        let len = map.len();
        if let Some(min) = s.min_properties
            && (len as u64) < min
        {
            out.push(self.leaf(LeafKind::Count("minProperties", len, min), node.span));
        }
        if let Some(max) = s.max_properties
            && (len as u64) > max
        {
            out.push(self.leaf(LeafKind::Count("maxProperties", len, max), node.span));
        }
        if let Some(required) = s.required {
            let missing: Vec<String> = required
                .iter()
                .filter(|name| !map.contains_key(**name))
                .map(|name| (*name).to_owned())
                .collect();
            if !missing.is_empty() {
                out.push(self.leaf(LeafKind::Required(missing), node.span));
            }
        }
        let mut unexpected: Vec<String> = Vec::new();
        let mut first_unexpected = node.span;
        for (key, child) in map {
            self.path.push(Segment::Key(key));
            let mut evaluated = false;
            if let Ok(at) = s
                .properties
                .binary_search_by(|(name, _)| (*name).cmp(key.as_str()))
                && let Some((_, property)) = s.properties.get(at)
            {
                evaluated = true;
                self.eval(*property, child, out);
            }
            for (pattern, property) in s.pattern_properties {
                if matches(*pattern, key) {
                    evaluated = true;
                    self.eval(*property, child, out);
                }
            }
            if !evaluated {
                match s.additional_properties {
                    Additional::Denied => {
                        if unexpected.is_empty() {
                            first_unexpected = child.key_span;
                        }
                        unexpected.push(key.clone());
                    }
                    Additional::Schema(schema) => self.eval(schema, child, out),
                    Additional::Allowed => {}
                }
            }
            self.path.pop();
        }
        if !unexpected.is_empty() {
            out.push(self.leaf(LeafKind::AdditionalProperties(unexpected), first_unexpected));
        }
    }

    fn eval_array(
        &mut self,
        s: &'static Schema,
        items: &'n [Node],
        node: &'n Node,
        out: &mut Vec<Leaf<'n>>,
    ) {
        let len = items.len();
        if let Some(min) = s.min_items
            && (len as u64) < min
        {
            out.push(self.leaf(LeafKind::Count("minItems", len, min), node.span));
        }
        if let Some(max) = s.max_items
            && (len as u64) > max
        {
            out.push(self.leaf(LeafKind::Count("maxItems", len, max), node.span));
        }
        if s.unique_items && len > 1 {
            match first_duplicate(items) {
                Err(()) => out.push(self.leaf(LeafKind::InvalidJsonValue, node.span)),
                Ok(Some((first, second))) => {
                    let span = items.get(second).map_or(node.span, |item| item.span);
                    out.push(self.leaf(LeafKind::UniqueItems(first, second), span));
                }
                Ok(None) => {}
            }
        }
        let evaluated = match s.items {
            Items::Tuple(tuple) => {
                for (index, (item, schema)) in items.iter().zip(tuple).enumerate() {
                    self.path.push(Segment::Index(index));
                    self.eval(*schema, item, out);
                    self.path.pop();
                }
                tuple.len().min(len)
            }
            Items::Each(schema) => {
                for (index, item) in items.iter().enumerate() {
                    self.path.push(Segment::Index(index));
                    self.eval(schema, item, out);
                    self.path.pop();
                }
                len
            }
            Items::None => 0,
        };
        match s.additional_items {
            Additional::Denied if evaluated < len => {
                let text = format!("last {} additionalItem(s) not allowed", len - evaluated);
                out.push(self.leaf(LeafKind::Enum(text), node.span));
            }
            Additional::Schema(schema) if matches!(s.items, Items::Tuple(_)) => {
                // The Go library names these items by their offset past the tuple.
                for (offset, item) in items.iter().skip(evaluated).enumerate() {
                    self.path.push(Segment::Index(offset));
                    self.eval(schema, item, out);
                    self.path.pop();
                }
            }
            _ => {}
        }
    }

    fn eval_string(
        &mut self,
        s: &'static Schema,
        text: &str,
        node: &'n Node,
        out: &mut Vec<Leaf<'n>>,
    ) {
        if s.min_length.is_some() || s.max_length.is_some() {
            let chars = text.chars().count();
            if let Some(min) = s.min_length
                && (chars as u64) < min
            {
                out.push(self.leaf(LeafKind::Count("minLength", chars, min), node.span));
            }
            if let Some(max) = s.max_length
                && (chars as u64) > max
            {
                out.push(self.leaf(LeafKind::Count("maxLength", chars, max), node.span));
            }
        }
        if let Some(pattern) = s.pattern
            && !matches(pattern, text)
        {
            let source = PATTERNS.get(pattern).copied().unwrap_or_default();
            let kind = LeafKind::Pattern(text.to_owned(), source.to_owned());
            out.push(self.leaf(kind, node.span));
        }
    }

    fn eval_number(&mut self, s: &'static Schema, node: &'n Node, out: &mut Vec<Leaf<'n>>) {
        if let Some(limit) = s.minimum
            && compare_number(&node.value, limit.value) == Some(std::cmp::Ordering::Less)
        {
            out.push(self.leaf(LeafKind::Minimum(limit_text(limit)), node.span));
        }
        if let Some(limit) = s.maximum
            && compare_number(&node.value, limit.value) == Some(std::cmp::Ordering::Greater)
        {
            out.push(self.leaf(LeafKind::Maximum(limit_text(limit)), node.span));
        }
    }

    fn eval_combinators(&mut self, s: &'static Schema, node: &'n Node, out: &mut Vec<Leaf<'n>>) {
        if let Some(negated) = s.not {
            let mut branch = Vec::new();
            self.eval(negated, node, &mut branch);
            if branch.is_empty() {
                out.push(self.leaf(LeafKind::Not, node.span));
            }
        }
        if let Some(all) = s.all_of {
            for schema in all {
                self.eval(*schema, node, out);
            }
        }
        if let Some(any) = s.any_of {
            let mut failures = Vec::new();
            let mut matched = false;
            for schema in any {
                let mut branch = Vec::new();
                self.eval(*schema, node, &mut branch);
                if branch.is_empty() {
                    matched = true;
                    break;
                }
                failures.append(&mut branch);
            }
            if !matched {
                out.append(&mut failures);
            }
        }
        if let Some(one) = s.one_of {
            let mut failures = Vec::new();
            let mut matched: Option<usize> = None;
            for (index, schema) in one.iter().enumerate() {
                let mut branch = Vec::new();
                self.eval(*schema, node, &mut branch);
                if !branch.is_empty() {
                    failures.append(&mut branch);
                    continue;
                }
                match matched {
                    None => matched = Some(index),
                    Some(first) => {
                        out.push(self.leaf(LeafKind::OneOfMultiple(first, index), node.span));
                        break;
                    }
                }
            }
            if matched.is_none() {
                out.append(&mut failures);
            }
        }
    }
}

fn enum_text(options: &[Lit]) -> String {
    if options
        .iter()
        .any(|o| matches!(o, Lit::Array(_) | Lit::Object(_)))
    {
        return "enum failed".to_owned();
    }
    match options {
        [one] => format!("value must be {}", display(one)),
        _ => format!(
            "value must be one of {}",
            options.iter().map(display).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// The limit as `big.Rat.Num()` prints it (the schema's limits are integers).
fn limit_text(limit: Limit) -> String {
    match limit.value.as_f64() {
        f if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
        _ => limit.text.to_owned(),
    }
}

impl Num {
    fn as_f64(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::UInt(u) => u as f64,
            Num::Float(f) => f,
        }
    }

    fn as_value(self) -> Value {
        match self {
            Num::Int(i) => Value::Int(i),
            Num::UInt(u) => Value::UInt(u),
            Num::Float(f) => Value::Float(f),
        }
    }
}

fn compare_number(value: &Value, limit: Num) -> Option<std::cmp::Ordering> {
    let exact = |v: i128| -> Option<std::cmp::Ordering> {
        match limit {
            Num::Int(l) => Some(v.cmp(&i128::from(l))),
            Num::UInt(l) => Some(v.cmp(&i128::from(l))),
            Num::Float(l) => (v as f64).partial_cmp(&l),
        }
    };
    match value {
        Value::Int(i) => exact(i128::from(*i)),
        Value::UInt(u) => exact(i128::from(*u)),
        Value::Float(f) => f.partial_cmp(&limit.as_f64()),
        _ => None,
    }
}

/// Numeric equality as the Go library decides it (exact rational values, so `1 == 1.0`).
fn numbers_equal(a: &Value, b: &Value) -> bool {
    fn float_is(f: f64, i: i128) -> bool {
        f.is_finite() && f.fract() == 0.0 && f.abs() < 1.8e19 && f as i128 == i
    }
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::UInt(x), Value::UInt(y)) => x == y,
        (Value::Int(x), Value::UInt(y)) | (Value::UInt(y), Value::Int(x)) => {
            i128::from(*x) == i128::from(*y)
        }
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::Float(f), Value::Int(i)) | (Value::Int(i), Value::Float(f)) => {
            float_is(*f, i128::from(*i))
        }
        (Value::Float(f), Value::UInt(u)) | (Value::UInt(u), Value::Float(f)) => {
            float_is(*f, i128::from(*u))
        }
        _ => false,
    }
}

/// The Go library's `equals(a, b)`: `Err` when it meets a value of no JSON type on the left.
fn equals_nodes(a: &Node, b: &Node, depth: usize) -> Result<bool, ()> {
    if depth > MAX_DEPTH {
        return Ok(false);
    }
    match (&a.value, &b.value) {
        (Value::Timestamp(_), _) => Err(()),
        (Value::Map(x), Value::Map(y)) => {
            if x.len() != y.len() {
                return Ok(false);
            }
            for (key, left) in x {
                let Some(right) = y.get(key) else {
                    return Ok(false);
                };
                if !equals_nodes(left, right, depth + 1)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        (Value::Seq(x), Value::Seq(y)) => {
            if x.len() != y.len() {
                return Ok(false);
            }
            for (left, right) in x.iter().zip(y) {
                if !equals_nodes(left, right, depth + 1)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        (Value::Null, Value::Null) => Ok(true),
        (Value::Bool(x), Value::Bool(y)) => Ok(x == y),
        (Value::Str(x), Value::Str(y)) => Ok(x == y),
        (x, y) => Ok(numbers_equal(x, y)),
    }
}

/// `equals` between a value of the dict and a value of the schema (`enum`, `const`).
fn equals_lit(a: &Node, b: &Lit, depth: usize) -> Result<bool, ()> {
    if depth > MAX_DEPTH {
        return Ok(false);
    }
    match (&a.value, b) {
        (Value::Timestamp(_), _) => Err(()),
        (Value::Map(x), Lit::Object(y)) => {
            if x.len() != y.len() {
                return Ok(false);
            }
            for (key, left) in x {
                let Some((_, right)) = y.iter().find(|(name, _)| *name == key.as_str()) else {
                    return Ok(false);
                };
                if !equals_lit(left, right, depth + 1)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        (Value::Seq(x), Lit::Array(y)) => {
            if x.len() != y.len() {
                return Ok(false);
            }
            for (left, right) in x.iter().zip(y.iter()) {
                if !equals_lit(left, right, depth + 1)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        (Value::Null, Lit::Null) => Ok(true),
        (Value::Bool(x), Lit::Bool(y)) => Ok(x == y),
        (Value::Str(x), Lit::Str(y)) => Ok(x == y),
        (number, Lit::Number(n, _)) => Ok(numbers_equal(number, &n.as_value())),
        _ => Ok(false),
    }
}

/// The first duplicate pair `(earlier, later)` as the Go library finds it: the smallest later
/// index, then the smallest earlier one. Long lists are compared through a canonical form, as
/// the Go library hashes them, so that a hostile list stays linear.
fn first_duplicate(items: &[Node]) -> Result<Option<(usize, usize)>, ()> {
    if items.len() <= 20 {
        for (later, item) in items.iter().enumerate().skip(1) {
            for (earlier, other) in items.iter().enumerate().take(later) {
                if equals_nodes(item, other, 0)? {
                    return Ok(Some((earlier, later)));
                }
            }
        }
        return Ok(None);
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (later, item) in items.iter().enumerate() {
        let mut key = String::new();
        canonical(item, &mut key, 0);
        if let Some(&earlier) = seen.get(&key) {
            let Some(other) = items.get(earlier) else {
                continue;
            };
            if equals_nodes(item, other, 0)? {
                return Ok(Some((earlier, later)));
            }
        } else {
            seen.insert(key, later);
        }
    }
    Ok(None)
}

/// A text that two values share exactly when the Go library finds them equal.
fn canonical(node: &Node, out: &mut String, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match &node.value {
        Value::Null => out.push('n'),
        Value::Bool(b) => out.push(if *b { 't' } else { 'f' }),
        Value::Int(i) => {
            let _ = write!(out, "i{i};");
        }
        Value::UInt(u) => {
            let _ = write!(out, "i{u};");
        }
        Value::Float(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < 1.8e19 => {
            let _ = write!(out, "i{};", *f as i128);
        }
        Value::Float(f) => {
            let _ = write!(out, "f{:e};", f);
        }
        Value::Str(s) => {
            let _ = write!(out, "s{}:{s}", s.len());
        }
        Value::Timestamp(s) => {
            let _ = write!(out, "T{}:{s}", s.len());
        }
        Value::Seq(items) => {
            out.push('[');
            for item in items {
                canonical(item, out, depth + 1);
            }
            out.push(']');
        }
        Value::Map(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_unstable();
            out.push('{');
            for key in keys {
                let _ = write!(out, "{}:{key}", key.len());
                if let Some(value) = map.get(key) {
                    canonical(value, out, depth + 1);
                }
            }
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use seaworthy_source::FileId;
    use serde_json::Value as Json;

    fn parse(text: &str) -> Node {
        let documents = crate::yaml::parse_documents(text, FileId(0));
        documents
            .ok()
            .and_then(|d| d.into_iter().next())
            .unwrap_or_else(|| panic!("test input does not parse: {text}"))
    }

    /// What docker compose prints after `validating <file>: `, or `None` when it accepts.
    fn compose_message(text: &str) -> Option<String> {
        let project = parse(text);
        check_keys(&project)
            .and_then(|()| validate(&project))
            .err()
            .map(|e| e.message)
    }

    fn assert_message(text: &str, expected: &str) {
        assert_eq!(
            compose_message(text).as_deref(),
            Some(expected),
            "input:\n{text}"
        );
    }

    /// Inputs and the message docker compose v2.40.3 printed for each (after `validating
    /// <file>: `), recorded with the real binary.
    const ORACLE_CASES: &[(&str, &str)] = &[
        (
            "services:\n  a:\n    image: x\n    ports: [[80]]\n",
            "services.a.ports.0 must be a number",
        ),
        (
            "services:\n  a:\n    image: x\n    ports:\n      - target: [1]\n",
            "services.a.ports.0.target must be a integer or string",
        ),
        (
            "services:\n  a:\n    image: x\n    ports:\n      - target: 80\n        bogus: 1\n",
            "services.a.ports.0 additional properties 'bogus' not allowed",
        ),
        (
            "services:\n  a:\n    build: [x]\n",
            "services.a.build must be a string",
        ),
        (
            "services:\n  a:\n    build:\n      context: .\n      contxt: .\n",
            "services.a.build additional properties 'contxt' not allowed",
        ),
        (
            "services:\n  a:\n    build: 1\n",
            "services.a.build must be a string",
        ),
        (
            "services:\n  a:\n    image: x\n    healthcheck: \"curl x\"\n",
            "services.a.healthcheck must be a mapping",
        ),
        (
            "services:\n  a:\n    image: x\n    healthcheck:\n      test: [CMD, x]\n      interval: [1]\n",
            "services.a.healthcheck.interval must be a string",
        ),
        (
            "services:\n  a:\n    image: x\n    deploy:\n      resources:\n        limits:\n          cpus: [1]\n",
            "services.a.deploy.resources.limits.cpus must be a number or string",
        ),
        (
            "services:\n  a:\n    image: x\n    depends_on:\n      b:\n        condition: bad\n  b:\n    image: x\n",
            "services.a.depends_on.b.condition value must be one of 'service_started', 'service_healthy', 'service_completed_successfully'",
        ),
        (
            "services:\n  a:\n    image: x\n    depends_on:\n      b:\n        restart: true\n  b:\n    image: x\n",
            "services.a.depends_on.b missing property 'condition'",
        ),
        (
            "services:\n  a:\n    image: x\n    ulimits:\n      nofile:\n        soft: 1\n",
            "services.a.ulimits.nofile must be a integer or string",
        ),
        (
            "services:\n  a:\n    image: x\n    cpu_count: -1\n",
            "services.a.cpu_count must be a string",
        ),
        (
            "services:\n  a:\n    image: x\n    cpu_percent: 101\n",
            "services.a.cpu_percent must be a string",
        ),
        (
            "services:\n  a:\n    image: x\n    oom_score_adj: 1.5\n",
            "services.a.oom_score_adj must be a string",
        ),
        (
            "services:\n  a:\n    image: x\n    container_name: c\n",
            "services.a.container_name 'c' does not match pattern '[a-zA-Z0-9][a-zA-Z0-9_.-]+'",
        ),
        (
            "services:\n  a:\n    image: x\n    restart: 1\n",
            "services.a.restart must be a string",
        ),
        (
            "services:\n  a:\n    image: x\n    pull_policy: sometimes\n",
            "services.a.pull_policy 'sometimes' does not match pattern 'always|never|build|if_not_present|missing|refresh|daily|weekly|every_([0-9]+[wdhms])+'",
        ),
        ("services:\n  a:\n", "services.a must be a mapping"),
        (
            "services:\n  a: {image: x}\nvolumes:\n  data:\n    driverr: x\n",
            "volumes.data additional properties 'driverr' not allowed",
        ),
        (
            "services:\n  a: {image: x}\nnetworks: [a]\n",
            "networks must be a mapping",
        ),
        (
            "services:\n  a:\n    image: x\n    labels:\n      a:\n        b: c\n",
            "services.a.labels.a must be a boolean, null, number or string",
        ),
        (
            "services:\n  a:\n    image: x\n    volumes:\n      - type: bind\n        source: .\n        target: /x\n        bind:\n          propagation: [x]\n",
            "services.a.volumes.0.bind.propagation must be a string",
        ),
        (
            "services:\n  a:\n    image: x\n    volumes:\n      - source: .\n        target: /x\n",
            "services.a.volumes.0 must be a string",
        ),
        (
            "services:\n  a:\n    image: x\n    command: {a: b}\n",
            "services.a.command must be a null",
        ),
        (
            "services:\n  a: {image: x}\nsecrets:\n  s:\n    file: ./s\n    bogus: 1\n",
            "secrets.s additional properties 'bogus' not allowed",
        ),
        (
            "services:\n  web:\n    image: x\n    develop:\n      watch:\n        - path: .\n",
            "services.web.develop.watch.0 missing property 'action'",
        ),
        (
            "services:\n  web:\n    image: x\n    develop:\n      watch:\n        - ignore: [x]\n",
            "services.web.develop.watch.0 missing properties 'path', 'action'",
        ),
        (
            "services:\n  a:\n    image: x\n    networks:\n      default:\n        aliases: x\n",
            "services.a.networks.default.aliases must be a array",
        ),
        (
            "services:\n  a:\n    image: [x]\n    imagee: y\n",
            "services.a.image must be a string",
        ),
        (
            "services:\n  a:\n    image: x\n    imagee: y\n    environment:\n      A: [1]\n",
            "services.a.environment.A must be a boolean, null, number or string",
        ),
        (
            "services:\n  a:\n    image: x\n    extra_hosts: [\"a:1.1.1.1\", \"a:1.1.1.1\"]\n",
            "services.a.extra_hosts must be a mapping",
        ),
        (
            "name: 1\nservices:\n  a: {image: x}\n",
            "name must be a string",
        ),
        (
            "services:\n  a:\n    image: x\n    logging:\n      options: [a]\n",
            "services.a.logging.options must be a mapping",
        ),
        (
            "services:\n  a:\n    image: x\n    sysctls:\n      a: {b: 1}\n",
            "services.a.sysctls.a must be a boolean, null, number or string",
        ),
        (
            "services:\n  a:\n    image: x\n    gpus: some\n",
            "services.a.gpus value must be 'all'",
        ),
        (
            "services:\n  a:\n    image: x\n    \"it's\": 1\n",
            "services.a additional properties 'it\\'s' not allowed",
        ),
        (
            "services:\n  a: {image: x}\nmodels:\n  m:\n    modell: x\n",
            "models.m additional properties 'modell' not allowed",
        ),
        (
            "services:\n  a:\n    image: x\n    ports:\n      - target: [1]\n        bogus: 1\n",
            "services.a.ports.0.target must be a integer or string",
        ),
        (
            "services:\n  a:\n    image: x\n    volumes:\n      - type: bind\n        target: /x\n        bogus: 1\n",
            "services.a.volumes.0 additional properties 'bogus' not allowed",
        ),
        (
            "services:\n  a:\n    image: x\n    secrets:\n      - {sourc: x}\n",
            "services.a.secrets.0 additional properties 'sourc' not allowed",
        ),
        (
            "services:\n  a:\n    image: x\n    healthcheck:\n      test: 1\n",
            "services.a.healthcheck.test must be a string",
        ),
        (
            "services:\n  a:\n    image: x\n    deploy:\n      resources:\n        reservations:\n          devices:\n            - capabilities: gpu\n",
            "services.a.deploy.resources.reservations.devices.0.capabilities must be a array",
        ),
        (
            "services:\n  a:\n    image: x\n    blkio_config:\n      weight_device: [{path: 1}]\n",
            "services.a.blkio_config.weight_device.0.path must be a string",
        ),
        (
            "services:\n  a:\n    image: x\n    networks:\n      n:\n        ipv4_address: 1\nnetworks:\n  n: {}\n",
            "services.a.networks.n.ipv4_address must be a string",
        ),
        (
            "services:\n  a:\n    build:\n      context: [x]\n",
            "services.a.build.context must be a string",
        ),
        (
            "services:\n  a:\n    image: x\n    logging:\n      driver: 1\n",
            "services.a.logging.driver must be a string",
        ),
        (
            "services:\n  a:\n    image: x\n    deploy:\n      mode: 1\n      bogus: 2\n",
            "services.a.deploy.mode must be a string",
        ),
        (
            "services:\n  a:\n    image: x\n    deploy:\n      placement:\n        constraints: x\n",
            "services.a.deploy.placement.constraints must be a array",
        ),
        (
            "services:\n  a:\n    image: x\n    ulimits:\n      nofile: [1]\n",
            "services.a.ulimits.nofile must be a integer or string",
        ),
        (
            "services:\n  a:\n    image: x\n    ulimits:\n      nofile:\n        soft: 1\n        hard: 2\n        x: 3\n",
            "services.a.ulimits.nofile additional properties 'x' not allowed",
        ),
        (
            "services:\n  a:\n    image: x\n    environment: 1\n",
            "services.a.environment must be a mapping",
        ),
        (
            "services:\n  a:\n    image: x\n    networks: [1]\n",
            "services.a.networks.0 must be a string",
        ),
        (
            "services:\n  a:\n    image: x\n    networks:\n      n: 1\n",
            "services.a.networks.n must be a mapping",
        ),
        (
            "services:\n  a:\n    image: x\n    configs:\n      - source: c\n        uid: 1\n",
            "services.a.configs.0.uid must be a string",
        ),
        (
            "services:\n  a:\n    image: x\n    depends_on: {b: 1}\n",
            "services.a.depends_on.b must be a mapping",
        ),
        (
            "services:\n  a:\n    image: x\n    depends_on: [1]\n",
            "services.a.depends_on.0 must be a string",
        ),
        (
            "services:\n  a:\n    image: x\n    develop:\n      watch:\n        - path: .\n          action: explode\n",
            "services.a.develop.watch.0.action value must be one of 'rebuild', 'sync', 'restart', 'sync+restart', 'sync+exec'",
        ),
        (
            "services:\n  a:\n    image: x\n    stop_signal: [x]\n    privileged: 1\n",
            "services.a.stop_signal must be a string",
        ),
        (
            "services:\n  a:\n    image: x\n    storage_opt: [a]\n",
            "services.a.storage_opt must be a mapping",
        ),
        (
            "services:\n  a:\n    image: x\n    post_start:\n      - command: 1\n",
            "services.a.post_start.0.command must be a null",
        ),
        (
            "services:\n  a:\n    image: x\n    cpu_count: -1.5\n",
            "services.a.cpu_count must be a string",
        ),
        (
            "networks:\n  n:\n    ipam:\n      config:\n        - subnet: 1\nservices:\n  a: {image: x}\n",
            "networks.n.ipam.config.0.subnet must be a string",
        ),
        (
            "networks:\n  n:\n    driver_opts:\n      a: [1]\nservices:\n  a: {image: x}\n",
            "networks.n.driver_opts.a must be a number or string",
        ),
        (
            "services:\n  a:\n    image: x\n    build:\n      context: .\n      ssh: 1\n",
            "services.a.build.ssh must be a mapping",
        ),
        (
            "services:\n  a:\n    image: x\n    mem_limit: [1]\n",
            "services.a.mem_limit must be a number or string",
        ),
        (
            "services:\n  a:\n    image: x\n    group_add: [1, 1]\n",
            "services.a.group_add items at 0 and 1 are equal",
        ),
        (
            "services:\n  a:\n    image: x\n    devices: [{source: /a, target: /b, permissions: 1}]\n",
            "services.a.devices.0.permissions must be a string",
        ),
        (
            "services:\n  a:\n    image: x\n    gpus: [{driver: 1}]\n",
            "services.a.gpus.0.driver must be a string",
        ),
    ];

    #[test]
    fn messages_match_docker_compose() {
        for (text, expected) in ORACLE_CASES {
            assert_message(text, expected);
        }
    }

    // The probes of the shared corpus (`err-*`, `merge-security-opt-duplicate`,
    // `yaml-date-label`, `yaml-non-string-key`).

    #[test]
    fn unknown_service_key_names_the_key() {
        assert_message(
            "services:\n  a:\n    image: x\n    imagee: y\n",
            "services.a additional properties 'imagee' not allowed",
        );
    }

    #[test]
    fn unknown_top_level_key_has_an_empty_path() {
        assert_message(
            "services:\n  a: {image: x}\nfoo: bar\n",
            " additional properties 'foo' not allowed",
        );
    }

    #[test]
    fn service_name_outside_the_allowed_characters_is_an_unknown_key() {
        assert_message(
            "services:\n  \"bad name\":\n    image: x\n",
            "services additional properties 'bad name' not allowed",
        );
    }

    #[test]
    fn wrong_types_are_named_as_compose_names_them() {
        assert_message(
            "services:\n  a:\n    image: [x]\n",
            "services.a.image must be a string",
        );
        assert_message(
            "services:\n  a:\n    image: x\n    ports: \"80:80\"\n",
            "services.a.ports must be a array",
        );
        assert_message(
            "services:\n  a:\n    image: x\n    environment:\n      A: [1, 2]\n",
            "services.a.environment.A must be a boolean, null, number or string",
        );
    }

    #[test]
    fn duplicate_items_name_the_first_pair() {
        // The merged dict of probe `merge-security-opt-duplicate`.
        assert_message(
            "services:\n  a:\n    image: x\n    security_opt: [\"label:disable\", \"label:disable\", \"no-new-privileges:true\"]\n",
            "services.a.security_opt items at 0 and 1 are equal",
        );
        // Recorded with the oracle: the pair with the smallest later index.
        assert_message(
            "services:\n  a:\n    image: x\n    security_opt: [a, b, c, b, a]\n",
            "services.a.security_opt items at 1 and 3 are equal",
        );
    }

    #[test]
    fn duplicates_in_a_long_list_are_found_without_comparing_every_pair() {
        // Recorded with the oracle; Go's English printer groups the digits.
        let mut items: Vec<String> = (0..5000).map(|i| format!("o{i}")).collect();
        items.push("o4000".into());
        let text = format!(
            "services:\n  a:\n    image: x\n    security_opt: [{}]\n",
            items.join(", ")
        );
        assert_message(
            &text,
            "services.a.security_opt items at 4,000 and 5,000 are equal",
        );
    }

    #[test]
    fn timestamps_fail_where_the_schema_looks_at_them() {
        assert_message(
            "services:\n  a:\n    image: busybox\n    labels:\n      built: 2024-01-15\n",
            "services.a.labels.built invalid jsonType time.Time",
        );
        assert_message(
            "services:\n  a:\n    image: x\n    container_name: 2024-01-15\n",
            "services.a.container_name invalid jsonType time.Time",
        );
        // `x-*` values are checked against `{}`, which accepts anything.
        assert_eq!(
            compose_message(
                "x-date: 2024-01-15\nservices:\n  a:\n    image: x\n    x-d: 2024-01-15\n"
            ),
            None
        );
    }

    #[test]
    fn unknown_keys_at_one_level_are_listed_in_source_order() {
        // docker compose lists them in Go's random map order ('foo', 'bar' or 'bar', 'foo').
        assert_message(
            "services:\n  a: {image: x}\nfoo: 1\nbar: 2\n",
            " additional properties 'foo', 'bar' not allowed",
        );
    }

    #[test]
    fn integral_floats_are_integers() {
        // Recorded: docker compose accepts `cpu_count: 2.0`.
        assert_eq!(
            compose_message("services:\n  a:\n    image: x\n    cpu_count: 2.0\n"),
            None
        );
    }

    #[test]
    fn error_points_at_the_value_or_at_the_unknown_key() {
        let text = "services:\n  a:\n    image: [x]\n";
        let error = validate(&parse(text))
            .err()
            .unwrap_or_else(|| panic!("must fail"));
        assert_eq!(error.path, "services.a.image");
        assert_eq!(&text[error.span.range()], "[x]");

        let text = "services:\n  a:\n    image: x\n    imagee: y\n    other: z\n";
        let error = validate(&parse(text))
            .err()
            .unwrap_or_else(|| panic!("must fail"));
        assert_eq!(error.path, "services.a");
        assert_eq!(&text[error.span.range()], "imagee");
    }

    #[test]
    fn non_string_keys_are_rejected_with_their_go_form() {
        let cases = [
            // Probe `yaml-non-string-key`.
            (
                "services:\n  a:\n    image: busybox\n    environment:\n      1: one\n",
                "non-string key in services.a.environment: 1",
            ),
            // Recorded with the oracle.
            (
                "123: x\nservices:\n  a:\n    image: x\n",
                "non-string key at top level: 123",
            ),
            (
                "services:\n  a:\n    image: x\n    environment:\n      ~: x\n",
                "non-string key in services.a.environment: <nil>",
            ),
            (
                "services:\n  a:\n    image: x\n    environment:\n      true: x\n",
                "non-string key in services.a.environment: true",
            ),
            (
                "services:\n  a:\n    image: x\n    environment:\n      1e3: x\n",
                "non-string key in services.a.environment: 1000",
            ),
            (
                "services:\n  a:\n    image: x\n    environment:\n      0x10: x\n",
                "non-string key in services.a.environment: 16",
            ),
            (
                "services:\n  a:\n    image: x\n    environment:\n      -.inf: x\n",
                "non-string key in services.a.environment: -Inf",
            ),
            (
                "services:\n  a:\n    image: x\n    environment:\n      9223372036854775808: x\n",
                "non-string key in services.a.environment: 0x8000000000000000",
            ),
            (
                "services:\n  a:\n    image: x\n    ports:\n      - {1: x}\n",
                "non-string key in services.a.ports[0]: 1",
            ),
            (
                "services:\n  a:\n    image: x\n    environment:\n      2024-01-15: x\n",
                "non-string key in services.a.environment: time.Date(2024, time.January, 15, 0, 0, 0, 0, time.UTC)",
            ),
            (
                "services:\n  a:\n    image: x\n    environment:\n      2024-01-15T10:20:30.5Z: x\n",
                "non-string key in services.a.environment: time.Date(2024, time.January, 15, 10, 20, 30, 500000000, time.UTC)",
            ),
            (
                "services:\n  a:\n    image: x\n    environment:\n      2024-01-15T10:20:30.123-05:30: x\n",
                "non-string key in services.a.environment: time.Date(2024, time.January, 15, 10, 20, 30, 123000000, time.Location(\"\"))",
            ),
            (
                "services:\n  a:\n    image: x\n    environment:\n      2024-1-5: x\n",
                "non-string key in services.a.environment: time.Date(2024, time.January, 5, 0, 0, 0, 0, time.UTC)",
            ),
        ];
        for (text, expected) in cases {
            let error = check_keys(&parse(text)).err();
            assert_eq!(
                error.map(|e| e.message).as_deref(),
                Some(expected),
                "input:\n{text}"
            );
        }
        assert_eq!(
            check_keys(&parse(
                "services:\n  a:\n    image: x\n    labels:\n      \"1\": x\n"
            )),
            Ok(())
        );
    }

    /// Probe inputs that docker compose accepts (single files, no interpolation).
    const ACCEPTED: &[&str] = &[
        // merge-all-fields (its compose.yaml)
        r#"services:
  web:
    image: nginx
    entrypoint: ["/a"]
    command: ["a", "b"]
    cap_add: [NET_ADMIN]
    security_opt: ["label:disable"]
    tmpfs: /run
    sysctls: {net.core.somaxconn: 1024}
    devices: ["/dev/a:/dev/a"]
    secrets: [s1, {source: s2, target: /custom}]
    configs: [c1]
    networks:
      front:
        aliases: [a1]
    deploy:
      resources:
        limits: {cpus: "0.5", memory: 512M}
        reservations: {memory: 128M}
      labels: [d1=1]
    healthcheck:
      test: ["CMD", "a"]
      interval: 30s
      retries: 3
    build:
      context: ./app
      args: [A=1, B=2]
      labels: {l1: "1"}
    extra_hosts: {h1: 1.1.1.1}
    environment: {E1: a, E2: b, NULLV: null}
    labels: [lab1=1]
    annotations: {an1: "1"}
    dns: 1.1.1.1
    expose: [80, "81"]
    ports: ["8080:80", {target: 443, published: "8443"}]
    profiles: [p1]
    volumes: ["./a:/data", "cache:/cache"]
    logging: {driver: syslog, options: {syslog-address: "tcp://a"}}
    ulimits: {nofile: {soft: 1, hard: 2}, nproc: 5}
    depends_on: [db]
  db:
    image: postgres
networks: {front: {}, back: {}}
volumes: {cache: {}}
secrets: {s1: {file: ./s1.txt}, s2: {file: ./s2.txt}, s3: {file: ./s3.txt}}
configs: {c1: {file: ./c1.txt}}
"#,
        // normalize-short-syntax
        r#"services:
  web:
    build: ./app
    image: web
    command: echo "hello world" 'x y'
    entrypoint: ""
    healthcheck:
      test: curl -f http://localhost || exit 1
      interval: 1m30s
      timeout: 90s
      start_period: 1h
    stop_grace_period: 60s
    mem_limit: 512m
    shm_size: 1gb
    depends_on: [db]
    links: ["cache:alias"]
    volumes_from: [db, "container:other:ro"]
    network_mode: "service:db"
    pull_policy: if_not_present
    expose: [80]
    environment: [A=1, B]
    labels: [x=1, y]
    extra_hosts: ["h:1.2.3.4", "h6=::1"]
    ulimits: {nofile: 1024}
    tmpfs: /tmp
    dns: 8.8.8.8
    env_file: x.env
    devices: ["/dev/fuse"]
    secrets: [s]
    configs: [c]
    gpus: all
  db:
    image: pg
    volumes:
      - db:/var/lib/db/../db/
      - ./rel/../x:/x:ro,nocopy
  cache:
    image: redis
    networks: [front]
volumes:
  db: {}
  ext:
    external: true
  named:
    name: explicit-name
networks:
  front: {}
  ext:
    external: true
    name: realnet
secrets:
  s: {file: ./s.txt}
configs:
  c: {environment: CFG}
"#,
        // extends-basic
        r#"services:
  base:
    image: busybox
    environment: {A: "1", B: "1"}
    ports: ["80:80"]
    command: base
    depends_on: [db]
    volumes_from: [db]
    links: [db]
    healthcheck: {test: ["CMD", "x"], interval: 1s}
  mid:
    extends: base
    environment: {B: "2"}
    command: mid
  leaf:
    extends:
      service: mid
    environment: [C=3]
    ports: ["81:81"]
  db:
    image: pg
"#,
        // yaml-anchors-merge
        r#"x-common: &common
  image: busybox
  restart: always
  environment: &env
    A: from-anchor
    B: from-anchor
  labels: {l: anchor}
x-extra: &extra
  restart: on-failure
  hostname: extra
  environment:
    C: extra
services:
  one:
    <<: *common
    environment:
      <<: *env
      B: explicit
  two:
    <<: [*common, *extra]
  three:
    hostname: explicit-before
    <<: [*extra, *common]
  four:
    image: busybox
    environment: *env
"#,
        // profiles-none
        r#"services:
  web:
    image: nginx
  dbg:
    image: busybox
    profiles: [debug]
  tool:
    image: busybox
    profiles: [tools, debug]
    depends_on:
      - dbg
  needs_dbg:
    image: busybox
    profiles: [x]
    depends_on:
      dbg: {condition: service_started, required: false}
networks:
  unused: {}
volumes:
  unused: {}
"#,
        // yaml-scalars
        r#"services:
  a:
    image: busybox
    restart: no
    privileged: yes
    read_only: off
    tty: True
    environment:
      YES_: yes
      NO_: no
      ON_: on
      OFF_: Off
      TRUE_: True
      Y_: y
      FLOAT: 1.10
      FLOAT2: 1e3
      OCT: 0777
      OCT12: 0o777
      HEX: 0x1F
      BIN: 0b101
      UNDERSCORE: 1_000
      SEXA: 1:20
      TILDE: ~
      NEGZERO: -0
      INF: .inf
      BIG: 12345678901234567890
      QUOTED: "0777"
    labels:
      on: x
      "2024-01-15": date-as-key-is-string
    secrets:
      - source: s
        mode: 0440
secrets:
  s: {file: ./s.txt}
"#,
        // service-x-extension
        "services:\n  a:\n    image: x\n    x-custom: {k: v}\nx-top: 1\n",
        // Recorded: the deprecated `external.name` is accepted.
        "volumes:\n  v:\n    external: {name: x}\nservices:\n  a: {image: x}\n",
        // Recorded: short, long and numeric ports together.
        "services:\n  a:\n    image: x\n    ports: [80, \"81:81\", {target: 82}]\n",
    ];

    #[test]
    fn files_docker_compose_accepts_validate() {
        for text in ACCEPTED {
            assert_eq!(compose_message(text), None, "input:\n{text}");
        }
    }

    #[test]
    fn vendored_schema_uses_only_keywords_we_evaluate() {
        const EVALUATED: &[&str] = &[
            "type",
            "const",
            "enum",
            "$ref",
            "required",
            "properties",
            "patternProperties",
            "additionalProperties",
            "items",
            "additionalItems",
            "uniqueItems",
            "minItems",
            "maxItems",
            "minProperties",
            "maxProperties",
            "pattern",
            "minLength",
            "maxLength",
            "minimum",
            "maximum",
            "not",
            "allOf",
            "anyOf",
            "oneOf",
        ];
        const ANNOTATIONS: &[&str] = &[
            "$schema",
            "$id",
            "$comment",
            "title",
            "description",
            "default",
            "deprecated",
            "examples",
            "definitions",
        ];
        fn walk(schema: &Json, unknown: &mut Vec<String>) {
            let Json::Object(object) = schema else { return };
            for (keyword, value) in object {
                if !EVALUATED.contains(&keyword.as_str())
                    && !ANNOTATIONS.contains(&keyword.as_str())
                {
                    unknown.push(keyword.clone());
                }
                match (keyword.as_str(), value) {
                    (
                        "properties" | "patternProperties" | "definitions",
                        Json::Object(children),
                    ) => {
                        children.values().for_each(|child| walk(child, unknown));
                    }
                    ("items" | "allOf" | "anyOf" | "oneOf", Json::Array(children)) => {
                        children.iter().for_each(|child| walk(child, unknown));
                    }
                    ("items" | "additionalProperties" | "additionalItems" | "not", child) => {
                        walk(child, unknown);
                    }
                    _ => {}
                }
            }
        }
        let root: Json = serde_json::from_str(COMPOSE_SPEC_JSON).unwrap_or(Json::Null);
        assert!(root.is_object());
        let mut unknown = Vec::new();
        walk(&root, &mut unknown);
        assert_eq!(unknown, Vec::<String>::new());
        for source in PATTERNS {
            assert!(Matcher::new(source).is_ok(), "{source}");
        }
    }

    #[test]
    fn compiled_schema_is_generated_from_the_vendored_json() {
        let generated = generate::compiled_module(COMPOSE_SPEC_JSON);
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/schema/compiled.rs");
        if std::env::var_os("SEAWORTHY_BLESS").is_some() {
            std::fs::write(path, &generated).unwrap_or_else(|e| panic!("{path}: {e}"));
            return;
        }
        assert!(
            include_str!("schema/compiled.rs") == generated,
            "src/schema/compiled.rs is stale: rerun with SEAWORTHY_BLESS=1 to rewrite it"
        );
    }

    #[test]
    fn every_schema_pattern_matches_as_the_jsonschema_crate_matches() {
        let texts = [
            "",
            "x",
            "x-",
            "x-a",
            "X-a",
            "ax-",
            "a",
            "ab",
            "aB",
            "web_1.b-c",
            "a b",
            "a\n",
            "\n",
            "\r",
            "a\r",
            "\u{2028}",
            "a\u{2029}b",
            "\u{85}",
            "\t",
            " ",
            "é",
            "éa",
            "aé",
            "-",
            "-a",
            "a-",
            "a.",
            ".a",
            "_a",
            "a_",
            "a/b",
            "x-\n",
            "\nx-",
            "ABC",
            "abc1",
            "always",
            "never",
            "build",
            "if_not_present",
            "missing",
            "refresh",
            "daily",
            "weekly",
            "every_",
            "every_1",
            "every_1d",
            "every_12h30m",
            "every_d",
            "xevery_5sx",
            "Always",
            "neverx",
            "pull",
            "every_1x",
            "1d",
            "every_ 1d",
        ];
        let mut sources = PATTERNS.to_vec();
        sources.sort_unstable();
        assert_eq!(sources.len(), 7, "new patterns in the schema: {sources:?}");
        for source in sources {
            let ours = Matcher::new(source).unwrap_or_else(|e| panic!("{e}"));
            if let Matcher::Regex(_) = ours {
                // The `regex` crate and ECMAScript agree on literals, classes and groups.
                assert!(
                    !source.contains(['.', '\\', '$']),
                    "{source} needs translating from ECMAScript"
                );
            }
            let theirs = jsonschema::options()
                .build(&serde_json::json!({ "pattern": source }))
                .unwrap_or_else(|e| panic!("{e}"));
            for text in texts {
                assert_eq!(
                    ours.is_match(text),
                    theirs.is_valid(&Json::String(text.to_owned())),
                    "{source} on {text:?}"
                );
            }
        }
    }

    /// The dict as a JSON value, for the `jsonschema` crate (timestamps left out).
    fn to_json(node: &Node) -> Json {
        match &node.value {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Int(i) => Json::from(*i),
            Value::UInt(u) => Json::from(*u),
            Value::Float(f) => serde_json::Number::from_f64(f.clamp(f64::MIN, f64::MAX))
                .map_or(Json::Null, Json::Number),
            Value::Str(s) | Value::Timestamp(s) => Json::String(s.clone()),
            Value::Seq(items) => Json::Array(items.iter().map(to_json).collect()),
            Value::Map(map) => {
                Json::Object(map.iter().map(|(k, v)| (k.clone(), to_json(v))).collect())
            }
        }
    }

    #[test]
    fn verdicts_agree_with_the_jsonschema_crate() {
        let root: Json = serde_json::from_str(COMPOSE_SPEC_JSON).unwrap_or(Json::Null);
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft7)
            .build(&root)
            .unwrap_or_else(|e| panic!("schema does not compile: {e}"));
        let inputs = ORACLE_CASES
            .iter()
            .map(|(text, _)| (*text, false))
            .chain(ACCEPTED.iter().map(|text| (*text, true)));
        for (text, accepted) in inputs {
            let project = parse(text);
            assert_eq!(validate(&project).is_ok(), accepted, "input:\n{text}");
            assert_eq!(
                validator.is_valid(&to_json(&project)),
                accepted,
                "input:\n{text}"
            );
        }
    }
}

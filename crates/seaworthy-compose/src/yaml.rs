//! YAML text to spanned [`Node`] trees, with go-yaml v3's semantics as docker compose uses them:
//! plain-scalar typing (YAML 1.2 core schema plus Go number parsing, no `yes`/`no` booleans),
//! anchors and aliases copied with the alias site remembered, `<<` merge keys (explicit keys
//! win, earlier sources win), `!reset`/`!override` tags kept, duplicate keys rejected, and
//! budgets against alias bombs and deep nesting.
//!
//! The event parser is granit-parser; the tree is built here with an explicit stack, because no
//! crate builds a spanned tree with go-yaml's merge-key and typing rules (CRATES.md §2).

use crate::node::{Map, Node, Tag, Value};
use granit_parser::{Event, Options, Parser, ScalarStyle, Span as YamlSpan};
use seaworthy_source::{FileId, Span};
use std::collections::HashMap;

/// Deepest nesting accepted. docker compose's YAML library allows 10,000; no real compose file
/// comes near 100, and a low cap keeps every later (recursive) stage of the pipeline safe.
pub const MAX_DEPTH: usize = 512;

/// A YAML problem with the place it was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    pub message: String,
    pub span: Span,
}

/// Parses every document of a file.
pub fn parse_documents(text: &str, file: FileId) -> Result<Vec<Node>, YamlError> {
    let mut options = Options::default();
    options.flow_nesting_limit = MAX_DEPTH;
    options.block_nesting_limit = MAX_DEPTH;
    let mut parser = Parser::new_from_str_with_options(text, options);
    let mut builder = Builder::new(file, text);
    while let Some(event) = parser.next_event() {
        let (event, span) = event.map_err(|e| {
            let offset = e.marker().byte_offset().unwrap_or(text.len());
            YamlError {
                message: e.info(),
                span: Span::new(file, offset, offset),
            }
        })?;
        builder.event(event, span)?;
    }
    Ok(builder.documents)
}

enum Frame {
    Seq {
        start: usize,
        anchor: usize,
        tag: Tag,
        items: Vec<Node>,
    },
    Map {
        start: usize,
        anchor: usize,
        tag: Tag,
        entries: Vec<(Node, Node)>,
        key: Option<Node>,
    },
}

struct Builder<'t> {
    file: FileId,
    text: &'t str,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Node>,
    documents: Vec<Node>,
    /// Nodes built so far, and how many of them came from alias expansion (go-yaml's ratio).
    node_count: usize,
    alias_count: usize,
}

impl<'t> Builder<'t> {
    fn new(file: FileId, text: &'t str) -> Self {
        Builder {
            file,
            text,
            stack: Vec::new(),
            anchors: HashMap::new(),
            documents: Vec::new(),
            node_count: 0,
            alias_count: 0,
        }
    }

    fn span(&self, span: &YamlSpan) -> Span {
        let start = span.start.byte_offset().unwrap_or(0);
        let end = span.end.byte_offset().unwrap_or(start);
        Span::new(self.file, start, end)
    }

    fn error(&self, message: impl Into<String>, span: Span) -> YamlError {
        YamlError {
            message: message.into(),
            span,
        }
    }

    fn event(&mut self, event: Event<'_>, yspan: YamlSpan) -> Result<(), YamlError> {
        let span = self.span(&yspan);
        match event {
            Event::StreamStart | Event::StreamEnd => {}
            Event::DocumentStart(..) => self.anchors.clear(),
            Event::DocumentEnd => {}
            Event::Alias(id) => {
                let Some(target) = self.anchors.get(&id) else {
                    return Err(self.error("unknown anchor referenced by this alias", span));
                };
                let copied = count_nodes(target);
                self.node_count += copied;
                self.alias_count += copied;
                self.check_alias_budget(span)?;
                let mut node = target.clone();
                mark_alias(&mut node, span);
                self.push_node(node)?;
            }
            Event::Scalar(value, style, anchor, tag) => {
                self.node_count += 1;
                let tag_text = tag
                    .as_ref()
                    .map(|t| (t.handle().to_owned(), t.suffix().to_owned()));
                let (value, tag) = resolve_scalar(&value, style, tag_text.as_ref())
                    .map_err(|message| self.error(message, span))?;
                let mut node = Node::new(value, span);
                node.tag = tag;
                if style == ScalarStyle::Plain && tag_text.is_none() && node.as_str() == Some("<<")
                {
                    // Keep merge keys recognisable after this point: only a plain, untagged
                    // `<<` is a merge key.
                    node.raw = Some("<<".into());
                }
                if anchor != 0 {
                    self.anchors.insert(anchor, node.clone());
                }
                self.push_node(node)?;
            }
            Event::SequenceStart(_, anchor, tag) => {
                self.node_count += 1;
                self.check_depth(span)?;
                let tag = custom_tag(tag.as_deref().map(|t| (t.handle(), t.suffix())));
                self.stack.push(Frame::Seq {
                    start: span.start as usize,
                    anchor,
                    tag,
                    items: vec![],
                });
            }
            Event::MappingStart(_, anchor, tag) => {
                self.node_count += 1;
                self.check_depth(span)?;
                let tag = custom_tag(tag.as_deref().map(|t| (t.handle(), t.suffix())));
                self.stack.push(Frame::Map {
                    start: span.start as usize,
                    anchor,
                    tag,
                    entries: vec![],
                    key: None,
                });
            }
            Event::SequenceEnd => {
                let Some(Frame::Seq {
                    start,
                    anchor,
                    tag,
                    items,
                }) = self.stack.pop()
                else {
                    return Err(self.error("unbalanced sequence", span));
                };
                let mut node = Node::seq(items, Span::new(self.file, start, span.end as usize));
                node.tag = tag;
                self.finish_collection(node, anchor)?;
            }
            Event::MappingEnd => {
                let Some(Frame::Map {
                    start,
                    anchor,
                    tag,
                    entries,
                    ..
                }) = self.stack.pop()
                else {
                    return Err(self.error("unbalanced mapping", span));
                };
                let map_span = Span::new(self.file, start, span.end as usize);
                let map = self.build_map(entries)?;
                let mut node = Node::map(map, map_span);
                node.tag = tag;
                self.finish_collection(node, anchor)?;
            }
            _ => {}
        }
        Ok(())
    }

    fn check_depth(&self, span: Span) -> Result<(), YamlError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(self.error(format!("nesting deeper than {MAX_DEPTH} levels"), span));
        }
        Ok(())
    }

    /// go-yaml's rule against alias bombs: past 1,000 nodes, the share of nodes that come from
    /// aliases may not exceed 99% up to 400,000 nodes, falling to 10% at 4,000,000.
    fn check_alias_budget(&self, span: Span) -> Result<(), YamlError> {
        let (nodes, aliased) = (self.node_count as f64, self.alias_count as f64);
        let allowed = if nodes <= 400_000.0 {
            0.99
        } else if nodes >= 4_000_000.0 {
            0.10
        } else {
            0.99 - 0.89 * ((nodes - 400_000.0) / 3_600_000.0)
        };
        if self.alias_count > 100 && self.node_count > 1000 && aliased / nodes > allowed {
            return Err(self.error("document contains excessive aliasing", span));
        }
        Ok(())
    }

    fn finish_collection(&mut self, node: Node, anchor: usize) -> Result<(), YamlError> {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        self.push_node(node)
    }

    fn push_node(&mut self, node: Node) -> Result<(), YamlError> {
        match self.stack.last_mut() {
            None => self.documents.push(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                None => *key = Some(node),
                Some(k) => entries.push((k, node)),
            },
        }
        Ok(())
    }

    /// Turns key/value pairs into a mapping: duplicate keys are errors, `<<` merge sources add
    /// only keys not written explicitly, and earlier sources win over later ones.
    fn build_map(&self, entries: Vec<(Node, Node)>) -> Result<Map, YamlError> {
        let mut map = Map::with_capacity_and_hasher(entries.len(), Default::default());
        // Every explicit key is in `map` with its key's span until the merges below, so only
        // the first `<<` merge key needs remembering to find duplicates.
        let mut merge_key: Option<Span> = None;
        let mut merges = Vec::new();
        for (key, value) in entries {
            let Node {
                value: key_value,
                span: key_span,
                raw: key_raw,
                ..
            } = key;
            // compose rejects non-string keys later, with the path in the message.
            let key_not_string = !matches!(key_value, Value::Str(_));
            let key_text = match key_value {
                Value::Seq(_) | Value::Map(_) => {
                    return Err(self.error("a mapping key must be a scalar", key_span));
                }
                Value::Str(text) => text,
                other => other.scalar_text().unwrap_or_default(),
            };
            let previous = match map.get(&key_text) {
                Some(earlier) => Some(earlier.key_span),
                None if key_text == "<<" => merge_key,
                None => None,
            };
            if let Some(previous) = previous {
                let line = line_of(self.text, previous.start as usize);
                return Err(self.error(
                    format!("mapping key \"{key_text}\" already defined at line {line}"),
                    key_span,
                ));
            }
            if key_raw.as_deref() == Some("<<") {
                merge_key = Some(key_span);
                merges.push(value);
                continue;
            }
            let mut value = value;
            value.key_span = key_span;
            value.key_not_string = key_not_string;
            map.insert(key_text, value);
        }
        for merge in merges {
            let sources: Vec<Node> = match merge.value {
                Value::Map(_) => vec![merge],
                Value::Seq(items) if items.iter().all(|i| matches!(i.value, Value::Map(_))) => {
                    items
                }
                _ => {
                    return Err(self.error(
                        "map merge requires map or sequence of maps as the value",
                        merge.span,
                    ));
                }
            };
            for source in sources {
                let via = source.via_alias;
                let Value::Map(source) = source.value else {
                    continue;
                };
                for (k, mut v) in source {
                    if !map.contains_key(&k) {
                        if v.via_alias.is_none() {
                            v.via_alias = via;
                        }
                        map.insert(k, v);
                    }
                }
            }
        }
        Ok(map)
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

fn count_nodes(node: &Node) -> usize {
    let mut count = 0;
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        count += 1;
        match &n.value {
            Value::Seq(items) => stack.extend(items.iter()),
            Value::Map(map) => stack.extend(map.values()),
            _ => {}
        }
    }
    count
}

/// Records the alias site on a copied subtree (only where no closer alias was recorded).
fn mark_alias(node: &mut Node, alias: Span) {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if n.via_alias.is_none() {
            n.via_alias = Some(alias);
        }
        match &mut n.value {
            Value::Seq(items) => stack.extend(items.iter_mut()),
            Value::Map(map) => stack.extend(map.values_mut()),
            _ => {}
        }
    }
}

fn custom_tag(tag: Option<(&str, &str)>) -> Tag {
    match tag {
        Some(("!", "reset")) => Tag::Reset,
        Some(("!", "override")) => Tag::Override,
        _ => Tag::None,
    }
}

/// Types a scalar as go-yaml v3 does: quoted and block scalars are strings, plain ones are
/// resolved (`resolve` in go-yaml), explicit core tags force a type.
fn resolve_scalar(
    text: &str,
    style: ScalarStyle,
    tag: Option<&(String, String)>,
) -> Result<(Value, Tag), String> {
    let compose_tag = custom_tag(tag.map(|(h, s)| (h.as_str(), s.as_str())));
    let core = tag.and_then(|(handle, suffix)| {
        let full = format!("{handle}{suffix}");
        full.strip_prefix("tag:yaml.org,2002:").map(str::to_owned)
    });
    let value = match core.as_deref() {
        Some("str") => Value::Str(text.to_owned()),
        Some("null") => Value::Null,
        Some(kind @ ("int" | "float" | "bool" | "timestamp")) => {
            let resolved = resolve_plain(text);
            match (kind, &resolved) {
                ("int", Value::Int(_) | Value::UInt(_))
                | ("float", Value::Float(_))
                | ("bool", Value::Bool(_))
                | ("timestamp", Value::Timestamp(_)) => resolved,
                ("float", Value::Int(i)) => Value::Float(*i as f64),
                _ => return Err(format!("cannot decode `{text}` as a !!{kind}")),
            }
        }
        _ if style == ScalarStyle::Plain => resolve_plain(text),
        _ => Value::Str(text.to_owned()),
    };
    Ok((value, compose_tag))
}

/// go-yaml v3's resolution of an untagged plain scalar.
pub fn resolve_plain(text: &str) -> Value {
    match text {
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        _ => {}
    }
    let first = text.as_bytes()[0];
    match first {
        b'.' => {
            if let Some(f) = go_parse_float(text) {
                return Value::Float(f);
            }
        }
        b'0'..=b'9' | b'+' | b'-' => {
            if is_timestamp(text) {
                return Value::Timestamp(text.to_owned());
            }
            let plain = text.replace('_', "");
            if let Some(v) = go_parse_int(&plain) {
                return v;
            }
            if is_yaml_float(&plain)
                && let Some(f) = go_parse_float(&plain)
            {
                return Value::Float(f);
            }
            let (negative, digits) = match plain.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, plain.as_str()),
            };
            for (prefix, radix) in [("0b", 2), ("0o", 8)] {
                if let Some(body) = digits.strip_prefix(prefix)
                    && let Ok(u) = u64::from_str_radix(body, radix)
                    && !body.starts_with(['+', '-'])
                {
                    return if negative {
                        i64::try_from(u)
                            .map(|i| Value::Int(-i))
                            .unwrap_or(Value::Str(text.into()))
                    } else {
                        i64::try_from(u).map(Value::Int).unwrap_or(Value::UInt(u))
                    };
                }
            }
        }
        _ => {}
    }
    Value::Str(text.to_owned())
}

/// Go's `strconv.ParseInt(s, 0, 64)` then `ParseUint`: sign, `0x`/`0o`/`0b` prefixes and a
/// leading `0` for octal.
fn go_parse_int(s: &str) -> Option<Value> {
    let (negative, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    if body.is_empty() || body.starts_with(['+', '-']) {
        return None;
    }
    let (radix, digits) = if let Some(d) = body.strip_prefix("0x").or(body.strip_prefix("0X")) {
        (16, d)
    } else if let Some(d) = body.strip_prefix("0o").or(body.strip_prefix("0O")) {
        (8, d)
    } else if let Some(d) = body.strip_prefix("0b").or(body.strip_prefix("0B")) {
        (2, d)
    } else if body.len() > 1 && body.starts_with('0') {
        (8, &body[1..])
    } else {
        (10, body)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u64::from_str_radix(digits, radix).ok()?;
    if negative {
        if magnitude <= i64::MAX as u64 + 1 {
            return Some(Value::Int((magnitude as i128).wrapping_neg() as i64));
        }
        return None;
    }
    Some(
        i64::try_from(magnitude)
            .map(Value::Int)
            .unwrap_or(Value::UInt(magnitude)),
    )
}

/// go-yaml's `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
pub(crate) fn is_yaml_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Go's `strconv.ParseFloat` for the decimal forms YAML plain scalars can take.
fn go_parse_float(s: &str) -> Option<f64> {
    if !is_yaml_float(s) {
        return None;
    }
    s.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// go-yaml's timestamp check: four digits, `-`, then one of its accepted layouts.
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let rest = &s[5..];
    let (date, time) = match rest.find(['T', 't', ' ']) {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let mut parts = date.split('-');
    let (Some(month), Some(day), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let in_range = |p: &str, max: u32| {
        (1..=2).contains(&p.len())
            && p.bytes().all(|c| c.is_ascii_digit())
            && p.parse::<u32>().is_ok_and(|v| (1..=max).contains(&v))
    };
    if !in_range(month, 12) || !in_range(day, 31) {
        return false;
    }
    match time {
        None => true,
        Some(t) => {
            let t = t.trim_end_matches('Z');
            let clock = t.split(['+', '-']).next().unwrap_or("");
            let clock = clock.split('.').next().unwrap_or("");
            let fields: Vec<&str> = clock.split(':').collect();
            fields.len() == 3
                && fields
                    .iter()
                    .all(|f| (1..=2).contains(&f.len()) && f.bytes().all(|c| c.is_ascii_digit()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Node {
        parse_documents(text, FileId(0)).unwrap().remove(0)
    }

    fn err(text: &str) -> String {
        parse_documents(text, FileId(0)).unwrap_err().message
    }

    #[test]
    fn plain_scalars_are_typed_like_go_yaml_v3() {
        let cases = [
            ("true", Value::Bool(true)),
            ("yes", Value::Str("yes".into())),
            ("off", Value::Str("off".into())),
            ("~", Value::Null),
            ("0777", Value::Int(511)),
            ("0o777", Value::Int(511)),
            ("0x1F", Value::Int(31)),
            ("0b101", Value::Int(5)),
            ("1_000", Value::Int(1000)),
            ("1.10", Value::Float(1.1)),
            ("1e3", Value::Float(1000.0)),
            ("-0", Value::Int(0)),
            ("12345678901234567890", Value::UInt(12345678901234567890)),
            ("1:20", Value::Str("1:20".into())),
            ("2024-01-15", Value::Timestamp("2024-01-15".into())),
            ("08", Value::Float(8.0)),
            ("+1", Value::Int(1)),
            ("1.2.3", Value::Str("1.2.3".into())),
        ];
        for (text, want) in cases {
            assert_eq!(resolve_plain(text), want, "{text}");
        }
    }

    #[test]
    fn quoted_scalars_are_strings() {
        let doc = parse("a: \"1\"\nb: '2'\n");
        assert_eq!(doc.get("a").unwrap().value, Value::Str("1".into()));
        assert_eq!(doc.get("b").unwrap().value, Value::Str("2".into()));
    }

    #[test]
    fn merge_keys_let_explicit_keys_win_whatever_their_position() {
        let doc = parse("x: &d {a: 1, b: 2}\ny:\n  b: 3\n  <<: *d\n");
        let y = doc.get("y").unwrap();
        assert_eq!(y.get("a").unwrap().value, Value::Int(1));
        assert_eq!(y.get("b").unwrap().value, Value::Int(3));
        assert!(y.get("a").unwrap().via_alias.is_some());
    }

    #[test]
    fn earlier_merge_sources_win() {
        let doc = parse("a: &a {k: 1}\nb: &b {k: 2, j: 3}\nc:\n  <<: [*a, *b]\n");
        let c = doc.get("c").unwrap();
        assert_eq!(c.get("k").unwrap().value, Value::Int(1));
        assert_eq!(c.get("j").unwrap().value, Value::Int(3));
    }

    #[test]
    fn merging_a_scalar_is_an_error() {
        assert!(err("a: &a [x, y]\nb:\n  <<: *a\n").contains("map merge requires map"));
    }

    #[test]
    fn duplicate_keys_are_errors() {
        assert_eq!(
            err("a: 1\nb: 2\na: 3\n"),
            "mapping key \"a\" already defined at line 1"
        );
    }

    #[test]
    fn a_merge_key_collides_with_another_and_with_a_quoted_one() {
        // Recorded from docker compose: `line 4: mapping key "<<" already defined at line 3`.
        let message = "mapping key \"<<\" already defined at line 2";
        assert_eq!(err("x:\n  <<: {a: 1}\n  <<: {b: 2}\n"), message);
        assert_eq!(err("x:\n  <<: {a: 1}\n  \"<<\": 2\n"), message);
        assert_eq!(err("x:\n  \"<<\": 2\n  <<: {a: 1}\n"), message);
        assert_eq!(
            err("x: {1: a, \"1\": b}\n"),
            "mapping key \"1\" already defined at line 1"
        );
    }

    #[test]
    fn tags_are_kept_for_reset_and_override() {
        let doc = parse("a: !reset []\nb: !override {x: 1}\nc: !reset\n");
        assert_eq!(doc.get("a").unwrap().tag, Tag::Reset);
        assert_eq!(doc.get("b").unwrap().tag, Tag::Override);
        assert_eq!(doc.get("c").unwrap().tag, Tag::Reset);
    }

    #[test]
    fn spans_point_at_the_value_text() {
        let text = "services:\n  web:\n    image: nginx\n";
        let doc = parse(text);
        let image = doc.path("services.web.image").unwrap();
        assert_eq!(&text[image.span.range()], "nginx");
        assert_eq!(&text[image.key_span.range()], "image");
    }

    #[test]
    fn alias_bomb_ends_in_a_clean_error() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        assert_eq!(err(&text), "document contains excessive aliasing");
    }

    #[test]
    fn deep_nesting_ends_in_a_clean_error() {
        let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(parse_documents(&text, FileId(0)).is_err());
        let mut block = String::new();
        for depth in 0..2000 {
            block.push_str(&" ".repeat(depth));
            block.push_str("a:\n");
        }
        assert!(parse_documents(&block, FileId(0)).is_err());
    }

    #[test]
    fn multiple_documents_are_returned_in_order() {
        let docs = parse_documents("a: 1\n---\nb: 2\n", FileId(0)).unwrap();
        assert_eq!(docs.len(), 2);
        assert!(docs[1].get("b").is_some());
    }
}

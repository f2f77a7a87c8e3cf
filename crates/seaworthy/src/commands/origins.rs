//! `config --origins`: each printed value annotated with the file and line of the text that
//! set it, and the definitions it overrode (`# docker/compose.prod.yaml:12 (overrides
//! docker/docker-compose.yml:8)`). The printed YAML is block style with two-space indents, so
//! the path of each line can be followed from its indentation and looked up in the model.

use crate::render::display_path;
use seaworthy_compose::{Node, Value};
use seaworthy_source::{SourceMap, Span};
use std::path::Path;

pub fn annotate(text: &str, model: &Node, sources: &SourceMap, cwd: &Path) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    // (indent, segment) of the enclosing keys and sequence items.
    let mut stack: Vec<(usize, Segment)> = Vec::new();
    let mut block_indent: Option<usize> = None;
    for line in text.lines() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(min) = block_indent {
            if indent >= min || line.trim().is_empty() {
                out.push_str(line);
                out.push('\n');
                continue;
            }
            block_indent = None;
        }
        let content = &line[indent..];
        let mut key_indent = indent;
        let mut rest = content;
        let mut annotate_here = None;
        if let Some(item) = content
            .strip_prefix("- ")
            .or((content == "-").then_some(""))
        {
            while stack.last().is_some_and(|(i, _)| *i > indent) {
                stack.pop();
            }
            let index = match stack.last() {
                Some((i, Segment::Item(n))) if *i == indent => {
                    let next = n + 1;
                    stack.pop();
                    next
                }
                _ => 0,
            };
            stack.push((indent, Segment::Item(index)));
            key_indent = indent + 2;
            rest = item;
            if split_key(rest).is_none() {
                annotate_here = Some(rest);
            }
        }
        if annotate_here.is_none()
            && let Some((key, value)) = split_key(rest)
        {
            while stack.last().is_some_and(|(i, _)| *i >= key_indent) {
                stack.pop();
            }
            stack.push((key_indent, Segment::Key(key)));
            if value.starts_with('|') || value.starts_with('>') {
                block_indent = Some(key_indent + 1);
            }
            annotate_here = Some(value);
        }
        out.push_str(line);
        if let Some(value) = annotate_here
            && !value.is_empty()
            && let Some(note) = origin_note(model, &stack, sources, cwd)
        {
            out.push_str("  # ");
            out.push_str(&note);
        }
        out.push('\n');
    }
    out
}

#[derive(Debug)]
enum Segment {
    Key(String),
    Item(usize),
}

/// Splits `key: value` / `key:`; quoted keys are unquoted.
fn split_key(content: &str) -> Option<(String, &str)> {
    let (key, after) = if let Some(quoted) = content.strip_prefix('"') {
        let end = quoted.find("\":").filter(|_| !quoted.starts_with("\\"))?;
        (quoted[..end].replace("\\\"", "\""), &quoted[end + 1..])
    } else if let Some(quoted) = content.strip_prefix('\'') {
        let end = quoted.find("':")?;
        (quoted[..end].replace("''", "'"), &quoted[end + 1..])
    } else {
        let end = content
            .find(": ")
            .or_else(|| content.strip_suffix(':').map(str::len))?;
        (content[..end].to_owned(), &content[end..])
    };
    let value = after.strip_prefix(':')?.trim_start();
    Some((key, value))
}

fn origin_note(
    model: &Node,
    stack: &[(usize, Segment)],
    sources: &SourceMap,
    cwd: &Path,
) -> Option<String> {
    let mut node = model;
    for (_, segment) in stack {
        let next = match (segment, &node.value) {
            (Segment::Key(key), Value::Map(map)) => map.get(key),
            (Segment::Item(index), Value::Seq(items)) => items.get(*index),
            // A value the printer derived from a scalar (a command split into words, a
            // `KEY=VALUE` list shown as a mapping): the scalar's origin is the answer.
            _ => None,
        };
        match next {
            Some(child) => node = child,
            None if matches!(node.value, Value::Map(_) | Value::Seq(_)) => return None,
            None => break,
        }
    }
    let place = |span: Span| -> Option<String> {
        let (path, position) = sources.locate(span)?;
        Some(format!("{}:{}", display_path(path, cwd), position.line))
    };
    let mut note = place(node.span)?;
    let earlier: Vec<String> = node.overridden.iter().filter_map(|s| place(*s)).collect();
    if !earlier.is_empty() {
        note.push_str(&format!(" (overrides {})", earlier.join(", ")));
    }
    Some(note)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_split_from_values() {
        assert_eq!(split_key("image: nginx"), Some(("image".into(), "nginx")));
        assert_eq!(split_key("ports:"), Some(("ports".into(), "")));
        assert_eq!(split_key("\"y\": \"\""), Some(("y".into(), "\"\"")));
        assert_eq!(split_key("plain scalar"), None);
    }
}

//! Reading compose values the way the engine will: sizes in bytes, and whether a value is only
//! a reference to a variable the operator provides.

use seaworthy_compose::{Node, Value};

/// A memory size as docker reads it (go-units `RAMInBytes`: `512m`, `1g`, `1.5GiB`, or a plain
/// number of bytes). `None` when it is not a size.
pub fn bytes(node: &Node) -> Option<f64> {
    match &node.value {
        Value::Int(i) => Some(*i as f64),
        Value::UInt(u) => Some(*u as f64),
        Value::Float(f) => Some(*f),
        Value::Str(s) => parse_size(s),
        _ => None,
    }
}

fn parse_size(text: &str) -> Option<f64> {
    let text = text.trim();
    let digits_end = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(digits_end);
    let number: f64 = number.parse().ok()?;
    let unit = unit.trim_start_matches(' ').to_ascii_lowercase();
    let unit = unit.trim_end_matches('b').trim_end_matches('i');
    let factor = match unit {
        "" => 1.0,
        "k" => 1024.0,
        "m" => 1024.0 * 1024.0,
        "g" => 1024.0 * 1024.0 * 1024.0,
        "t" => 1024.0f64.powi(4),
        "p" => 1024.0f64.powi(5),
        _ => return None,
    };
    Some(number * factor)
}

/// The value came only from `${VAR}` / `$VAR` references without a default: what ships is
/// whatever the operator sets, so rules treat it as set but unknown.
pub fn is_operator_supplied(node: &Node) -> bool {
    let Some(raw) = node.raw.as_deref() else {
        return false;
    };
    let mut rest = raw.trim();
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let Some(after) = rest.strip_prefix('$') else {
            return false;
        };
        let (name, tail) = match after.strip_prefix('{') {
            Some(braced) => match braced.find('}') {
                Some(end) => (&braced[..end], &braced[end + 1..]),
                None => return false,
            },
            None => {
                let end = after
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(after.len());
                (&after[..end], &after[end..])
            }
        };
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return false;
        }
        rest = tail;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn interpolated(value: &str, raw: &str) -> Node {
        let mut node = Node::synthetic(Value::Str(value.into()));
        node.raw = Some(raw.into());
        node
    }

    #[test]
    fn sizes_read_like_docker() {
        let size = |s: &str| bytes(&Node::synthetic(Value::Str(s.into())));
        assert_eq!(size("512m"), Some(512.0 * 1024.0 * 1024.0));
        assert_eq!(size("1GiB"), Some(1024.0 * 1024.0 * 1024.0));
        assert_eq!(size("1.5g"), Some(1.5 * 1024.0 * 1024.0 * 1024.0));
        assert_eq!(size("0"), Some(0.0));
        assert_eq!(size("lots"), None);
        assert_eq!(bytes(&Node::synthetic(Value::Int(1024))), Some(1024.0));
    }

    #[test]
    fn only_references_without_defaults_are_operator_supplied() {
        assert!(is_operator_supplied(&interpolated("", "${MEM}")));
        assert!(is_operator_supplied(&interpolated("", "$MEM")));
        assert!(is_operator_supplied(&interpolated("", "${A}${B}")));
        assert!(!is_operator_supplied(&interpolated("0", "${MEM:-0}")));
        assert!(!is_operator_supplied(&interpolated("1g", "${MEM}g")));
        assert!(!is_operator_supplied(&Node::synthetic(Value::Str(
            "1g".into()
        ))));
    }
}

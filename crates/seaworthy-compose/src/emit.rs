//! Placeholder until the go-yaml compatible writers land.
use crate::out::Out;

pub fn to_yaml(out: &Out) -> String {
    let mut text = String::new();
    write(out, 0, &mut text);
    text
}

fn write(out: &Out, indent: usize, text: &mut String) {
    if let Out::Map(entries) = out {
        for (k, v) in entries {
            text.push_str(&" ".repeat(indent));
            text.push_str(k);
            text.push(':');
            match v {
                Out::Map(e) if !e.is_empty() => {
                    text.push('\n');
                    write(v, indent + 2, text);
                }
                other => {
                    text.push(' ');
                    text.push_str(&scalar(other));
                    text.push('\n');
                }
            }
        }
    }
}

fn scalar(out: &Out) -> String {
    match out {
        Out::Null => "null".into(),
        Out::Bool(b) => b.to_string(),
        Out::Int(i) => i.to_string(),
        Out::UInt(u) => u.to_string(),
        Out::Float(f) => f.to_string(),
        Out::Float32(f) => f.to_string(),
        Out::Str(s) => format!("{s:?}"),
        Out::Seq(items) => format!(
            "[{}]",
            items.iter().map(scalar).collect::<Vec<_>>().join(", ")
        ),
        Out::Map(_) => "{}".into(),
    }
}

pub fn to_json(out: &Out) -> String {
    match out {
        Out::Map(entries) => format!(
            "{{{}}}",
            entries
                .iter()
                .map(|(k, v)| format!("{k:?}: {}", to_json(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Out::Seq(items) => format!(
            "[{}]",
            items.iter().map(to_json).collect::<Vec<_>>().join(", ")
        ),
        other => scalar(other),
    }
}

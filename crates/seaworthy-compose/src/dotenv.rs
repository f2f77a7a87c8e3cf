//! Placeholder until the full dotenv module lands: `KEY=VALUE` lines.
use std::ops::Range;

pub struct EnvEntry {
    pub key: String,
    pub value: String,
    pub line: usize,
    pub range: Range<usize>,
}

#[derive(Debug)]
pub struct DotenvError {
    pub line: usize,
    pub message: String,
}

pub fn parse(
    text: &str,
    _lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<EnvEntry>, DotenvError> {
    Ok(parse_raw(text))
}

pub fn parse_raw(text: &str) -> Vec<EnvEntry> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .filter_map(|(i, l)| {
            let (k, v) = l.split_once('=')?;
            Some(EnvEntry {
                key: k.trim().into(),
                value: v.into(),
                line: i + 1,
                range: 0..0,
            })
        })
        .collect()
}

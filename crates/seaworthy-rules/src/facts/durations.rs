//! Go durations as compose-go reads them (`time.ParseDuration`, plus the days and weeks that
//! its `str2duration` parser accepts): `1m30s`, `500ms`, `1.5h`, `2d`.

use seaworthy_compose::{Node, Value};

/// Nanoseconds in a second, for readable comparisons in rules.
pub(crate) const SECOND: u64 = 1_000_000_000;

fn unit_nanos(unit: &str) -> Option<u64> {
    Some(match unit {
        "ns" => 1,
        "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
        "ms" => 1_000_000,
        "s" => SECOND,
        "m" => 60 * SECOND,
        "h" => 3_600 * SECOND,
        "d" => 86_400 * SECOND,
        "w" => 604_800 * SECOND,
        _ => return None,
    })
}

/// A non-negative duration in nanoseconds; `None` for anything compose would reject or that
/// is negative (no rule reasons about negative timings).
pub(crate) fn parse(text: &str) -> Option<u64> {
    let mut rest = text.strip_prefix('+').unwrap_or(text);
    if rest == "0" {
        return Some(0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total: u64 = 0;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (number, after) = rest.split_at(number_len);
        let unit_len = after
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(after.len());
        let (unit, after) = after.split_at(unit_len);
        if number.is_empty() || number == "." || number.matches('.').count() > 1 {
            return None;
        }
        let value: f64 = number.parse().ok()?;
        let nanos = value * unit_nanos(unit)? as f64;
        if !nanos.is_finite() || nanos >= u64::MAX as f64 {
            return None;
        }
        total = total.checked_add(nanos as u64)?;
        rest = after;
    }
    Some(total)
}

/// A duration field of the model (`healthcheck.interval`), when it holds a valid duration.
pub(crate) fn of(node: &Node) -> Option<u64> {
    match &node.value {
        Value::Str(text) => parse(text),
        _ => None,
    }
}

/// A duration for messages, in the largest whole unit that fits (`90s` prints as `1m30s`).
pub(crate) fn show(nanos: u64) -> String {
    if nanos == 0 {
        return "0s".to_owned();
    }
    if !nanos.is_multiple_of(SECOND) {
        return format!("{}ms", nanos / 1_000_000);
    }
    let seconds = nanos / SECOND;
    let (hours, minutes, seconds) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    let mut text = String::new();
    if hours > 0 {
        text.push_str(&format!("{hours}h"));
    }
    if minutes > 0 {
        text.push_str(&format!("{minutes}m"));
    }
    if seconds > 0 || text.is_empty() {
        text.push_str(&format!("{seconds}s"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations_parse_with_every_unit() {
        assert_eq!(parse("30s"), Some(30 * SECOND));
        assert_eq!(parse("1m30s"), Some(90 * SECOND));
        assert_eq!(parse("1.5h"), Some(5400 * SECOND));
        assert_eq!(parse("500ms"), Some(SECOND / 2));
        assert_eq!(parse("2d"), Some(2 * 86_400 * SECOND));
        assert_eq!(parse("10us"), Some(10_000));
        assert_eq!(parse("0"), Some(0));
    }

    #[test]
    fn invalid_or_negative_durations_are_unknown() {
        for text in [
            "",
            "30",
            "s",
            "1x",
            "-5s",
            "1..5s",
            ".s",
            "99999999999999999999h",
        ] {
            assert_eq!(parse(text), None, "{text}");
        }
    }

    #[test]
    fn durations_show_in_whole_units() {
        assert_eq!(show(90 * SECOND), "1m30s");
        assert_eq!(show(3600 * SECOND), "1h");
        assert_eq!(show(SECOND / 2), "500ms");
        assert_eq!(show(0), "0s");
    }
}

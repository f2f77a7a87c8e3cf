//! The Go parsers and formatters behind compose-go's custom scalar types: durations
//! (`str2duration`, a `time.ParseDuration` that also knows days and weeks, printed by
//! `time.Duration.String`), memory sizes (`go-units`' `RAMInBytes`) and the shell word
//! splitting of string commands (`go-shellwords` with its default options). Error texts are the
//! ones those libraries produce, since docker compose shows them verbatim.

/// Nanoseconds per unit, as `str2duration` accepts them.
fn duration_unit(unit: &str) -> Option<u64> {
    Some(match unit {
        "ns" => 1,
        "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        "h" => 3_600_000_000_000,
        "d" => 86_400_000_000_000,
        "w" => 604_800_000_000_000,
        _ => return None,
    })
}

/// Go's `strconv.Quote` for the ASCII texts that reach error messages.
fn quote(s: &str) -> String {
    let mut text = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => text.push_str("\\\""),
            '\\' => text.push_str("\\\\"),
            '\n' => text.push_str("\\n"),
            '\t' => text.push_str("\\t"),
            '\r' => text.push_str("\\r"),
            c if c.is_control() => text.push_str(&format!("\\x{:02x}", u32::from(c))),
            c => text.push(c),
        }
    }
    text.push('"');
    text
}

/// `str2duration.ParseDuration`: nanoseconds, or the error text.
pub fn parse_duration(orig: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {}", quote(orig));
    let mut s = orig.as_bytes();
    let mut negative = false;
    if let Some(&c) = s.first()
        && (c == b'-' || c == b'+')
    {
        negative = c == b'-';
        s = &s[1..];
    }
    if s == b"0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    const LIMIT: u64 = 1 << 63;
    let mut total: u64 = 0;
    while !s.is_empty() {
        if !(s[0] == b'.' || s[0].is_ascii_digit()) {
            return Err(invalid());
        }
        let digits = s.iter().take_while(|c| c.is_ascii_digit()).count();
        let mut whole: u64 = 0;
        for &c in &s[..digits] {
            whole = whole
                .checked_mul(10)
                .and_then(|v| v.checked_add(u64::from(c - b'0')))
                .filter(|v| *v <= LIMIT)
                .ok_or_else(invalid)?;
        }
        s = &s[digits..];
        let mut fraction: u64 = 0;
        let mut scale = 1.0f64;
        let mut fraction_digits = 0;
        if s.first() == Some(&b'.') {
            s = &s[1..];
            fraction_digits = s.iter().take_while(|c| c.is_ascii_digit()).count();
            let mut overflow = false;
            for &c in &s[..fraction_digits] {
                if overflow {
                    continue;
                }
                match fraction
                    .checked_mul(10)
                    .and_then(|v| v.checked_add(u64::from(c - b'0')))
                    .filter(|v| *v <= LIMIT)
                {
                    Some(v) => {
                        fraction = v;
                        scale *= 10.0;
                    }
                    None => overflow = true,
                }
            }
            s = &s[fraction_digits..];
        }
        if digits == 0 && fraction_digits == 0 {
            return Err(invalid());
        }
        let unit_len = s
            .iter()
            .take_while(|c| !(**c == b'.' || c.is_ascii_digit()))
            .count();
        if unit_len == 0 {
            return Err(format!("time: missing unit in duration {}", quote(orig)));
        }
        let unit_text = String::from_utf8_lossy(&s[..unit_len]).into_owned();
        s = &s[unit_len..];
        let Some(unit) = duration_unit(&unit_text) else {
            return Err(format!(
                "time: unknown unit {} in duration {}",
                quote(&unit_text),
                quote(orig)
            ));
        };
        if whole > LIMIT / unit {
            return Err(invalid());
        }
        let mut value = whole * unit;
        if fraction > 0 {
            // Go converts the float product back with a saturating conversion.
            value = value.saturating_add((fraction as f64 * (unit as f64 / scale)) as u64);
            if value > LIMIT {
                return Err(invalid());
            }
        }
        total = total.checked_add(value).ok_or_else(invalid)?;
        if total > LIMIT {
            return Err(invalid());
        }
    }
    if negative {
        return Ok((total as i64).wrapping_neg());
    }
    i64::try_from(total).map_err(|_| invalid())
}

/// Go's `time.Duration.String`: `1h2m3.5s`, `2m0s`, `500ms`, `1.5µs`, `0s`.
pub fn format_duration(nanos: i64) -> String {
    if nanos == 0 {
        return "0s".into();
    }
    let sign = if nanos < 0 { "-" } else { "" };
    let mut u = nanos.unsigned_abs();
    if u < 1_000_000_000 {
        let (precision, unit) = if u < 1_000 {
            (0, "ns")
        } else if u < 1_000_000 {
            (3, "\u{b5}s")
        } else {
            (6, "ms")
        };
        let (fraction, rest) = fraction_text(u, precision);
        return format!("{sign}{rest}{fraction}{unit}");
    }
    let (fraction, rest) = fraction_text(u, 9);
    u = rest;
    let seconds = u % 60;
    u /= 60;
    let mut text = format!("{seconds}{fraction}s");
    if u > 0 {
        text = format!("{}m{text}", u % 60);
        u /= 60;
        if u > 0 {
            text = format!("{u}h{text}");
        }
    }
    format!("{sign}{text}")
}

/// The fraction of `value / 10^precision` without trailing zeros (`.5`, or nothing), and the
/// integer part.
fn fraction_text(value: u64, precision: u32) -> (String, u64) {
    let divisor = 10u64.pow(precision);
    let fraction = value % divisor;
    if fraction == 0 {
        return (String::new(), value / divisor);
    }
    let digits = format!("{fraction:0width$}", width = precision as usize);
    (
        format!(".{}", digits.trim_end_matches('0')),
        value / divisor,
    )
}

/// `units.RAMInBytes`: a size with an optional binary suffix (`512m`, `1.5GiB`, `64 kb`).
pub fn ram_in_bytes(size: &str) -> Result<i64, String> {
    let Some(sep) = size.rfind(|c: char| c.is_ascii_digit() || c == '.' || c == ' ') else {
        return Err(format!("invalid size: '{size}'"));
    };
    let (number, suffix) = if size.as_bytes().get(sep) == Some(&b' ') {
        (&size[..sep], &size[sep + 1..])
    } else {
        (&size[..=sep], &size[sep + 1..])
    };
    let value = parse_go_float(number).ok_or_else(|| {
        format!(
            "strconv.ParseFloat: parsing {}: invalid syntax",
            quote(number)
        )
    })?;
    if value < 0.0 {
        return Err(format!("invalid size: '{size}'"));
    }
    if suffix.is_empty() {
        return Ok(value as i64);
    }
    let bad_suffix = || format!("invalid suffix: '{}'", suffix.to_lowercase());
    if suffix.len() > 3 {
        return Err(bad_suffix());
    }
    let lower = suffix.to_lowercase();
    let bytes = lower.as_bytes();
    if bytes.first() == Some(&b'b') {
        return if bytes.len() > 1 {
            Err(bad_suffix())
        } else {
            Ok(value as i64)
        };
    }
    let multiplier: f64 = match bytes.first() {
        Some(b'k') => 1024.0,
        Some(b'm') => 1024.0 * 1024.0,
        Some(b'g') => 1024.0 * 1024.0 * 1024.0,
        Some(b't') => 1024.0 * 1024.0 * 1024.0 * 1024.0,
        Some(b'p') => 1024.0 * 1024.0 * 1024.0 * 1024.0 * 1024.0,
        _ => return Err(bad_suffix()),
    };
    match (bytes.len(), bytes.get(1..)) {
        (2, Some(rest)) if rest != b"b" => return Err(bad_suffix()),
        (3, Some(rest)) if rest != b"ib" => return Err(bad_suffix()),
        _ => {}
    }
    Ok((value * multiplier) as i64)
}

/// `strconv.ParseFloat(s, 64)` for the decimal forms compose values use.
pub fn parse_go_float(s: &str) -> Option<f64> {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let lower = body.to_ascii_lowercase();
    if matches!(lower.as_str(), "inf" | "infinity" | "nan") {
        return s.parse().ok();
    }
    if body.is_empty() || !body.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'.') {
        return None;
    }
    s.parse().ok()
}

/// `shellwords.Parse` with the default parser: splits on unquoted whitespace, honours single
/// and double quotes and backslashes, keeps backquoted and `$(...)` text as it is, and stops at
/// an unquoted `;`, `&`, `|`, `<` or `>` (dropping a file descriptor number before `>`).
pub fn split_shell_words(line: &str) -> Result<Vec<String>, String> {
    const INVALID: &str = "invalid command line string";
    let mut args = Vec::new();
    let mut buf = String::new();
    let (mut escaped, mut double, mut single, mut back, mut dollar) =
        (false, false, false, false, false);
    let mut got_arg = false;
    for r in line.chars() {
        if escaped {
            buf.push(r);
            escaped = false;
            got_arg = true;
            continue;
        }
        if r == '\\' {
            if single {
                buf.push(r);
            } else {
                escaped = true;
            }
            continue;
        }
        if matches!(r, ' ' | '\t' | '\r' | '\n') {
            if single || double || back || dollar {
                buf.push(r);
            } else if got_arg {
                args.push(std::mem::take(&mut buf));
                got_arg = false;
            }
            continue;
        }
        match r {
            '`' if !single && !double && !dollar => back = !back,
            ')' if !single && !double && !back => dollar = false,
            '(' if !single && !double && !back => {
                if !dollar && buf.ends_with('$') {
                    dollar = true;
                    buf.push('(');
                    continue;
                }
                return Err(INVALID.into());
            }
            '"' if !single && !dollar => {
                if double {
                    got_arg = true;
                }
                double = !double;
                continue;
            }
            '\'' if !double && !dollar => {
                if single {
                    got_arg = true;
                }
                single = !single;
                continue;
            }
            ';' | '&' | '|' | '<' | '>' if !(single || double || back || dollar) => {
                if r == '>' && buf.starts_with(|c: char| c.is_ascii_digit()) {
                    buf.clear();
                    got_arg = false;
                }
                break;
            }
            _ => {}
        }
        got_arg = true;
        buf.push(r);
    }
    if got_arg {
        args.push(buf);
    }
    if escaped || single || double || back || dollar {
        return Err(INVALID.into());
    }
    Ok(args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_print_like_go() {
        let cases = [
            ("90s", "1m30s"),
            ("120s", "2m0s"),
            ("500ms", "500ms"),
            ("2h", "2h0m0s"),
            ("1.5h", "1h30m0s"),
            ("1d2w", "360h0m0s"),
            ("0s", "0s"),
            ("0", "0s"),
            ("1500us", "1.5ms"),
            ("1us", "1\u{b5}s"),
            ("3ns", "3ns"),
            ("1m0.5s", "1m0.5s"),
        ];
        for (input, printed) in cases {
            let nanos = parse_duration(input).unwrap();
            assert_eq!(format_duration(nanos), printed, "{input}");
        }
    }

    #[test]
    fn duration_errors_use_go_texts() {
        assert_eq!(
            parse_duration("10x").unwrap_err(),
            "time: unknown unit \"x\" in duration \"10x\""
        );
        assert_eq!(
            parse_duration("10").unwrap_err(),
            "time: missing unit in duration \"10\""
        );
        assert_eq!(
            parse_duration("").unwrap_err(),
            "time: invalid duration \"\""
        );
    }

    #[test]
    fn sizes_parse_like_go_units() {
        assert_eq!(ram_in_bytes("50M"), Ok(52_428_800));
        assert_eq!(ram_in_bytes("1.5g"), Ok(1_610_612_736));
        assert_eq!(ram_in_bytes("12mb"), Ok(12_582_912));
        assert_eq!(ram_in_bytes("64k"), Ok(65_536));
        assert_eq!(ram_in_bytes("1GiB"), Ok(1_073_741_824));
        assert_eq!(ram_in_bytes("10x").unwrap_err(), "invalid suffix: 'x'");
        assert_eq!(ram_in_bytes("abc").unwrap_err(), "invalid size: 'abc'");
        assert_eq!(ram_in_bytes("-1").unwrap_err(), "invalid size: '-1'");
    }

    #[test]
    fn shell_words_split_like_go_shellwords() {
        let split = |s: &str| split_shell_words(s).unwrap();
        assert_eq!(split("echo a && echo b"), ["echo", "a"]);
        assert_eq!(split("echo `a b` c"), ["echo", "`a b`", "c"]);
        assert_eq!(split("echo $(a b) c"), ["echo", "$(a b)", "c"]);
        assert_eq!(
            split(r#"echo "a\nb\"c" d\ e 'x\y' """#),
            ["echo", "anb\"c", "d e", "x\\y", ""]
        );
        assert_eq!(split("echo\ta\nb  "), ["echo", "a", "b"]);
        assert_eq!(split("echo 2>&1 x"), ["echo"]);
        assert_eq!(split("a;b"), ["a"]);
        assert!(split("").is_empty());
        assert!(split_shell_words("echo (a)").is_err());
        assert!(split_shell_words("echo \"unterminated").is_err());
    }
}

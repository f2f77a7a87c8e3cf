//! Decides whether a string may be printed as a plain YAML scalar without changing type: go-yaml
//! v3 quotes every string that its own resolver would read back as null, bool, int, float or
//! timestamp, and also YAML 1.1 booleans (`yes`, `off`) and base-60 numbers (`1:20`). The
//! checks follow Go's `strconv` and `time.Parse` acceptance rules, not Rust's, because the edge
//! cases (`1e999`, `0x` with 17 digits, `2023-02-29`) print differently.

/// Whether go-yaml would print `s` as a plain scalar if the emitter allows it.
pub(super) fn plain_keeps_string(s: &str) -> bool {
    !resolves_to_other_type(s) && !is_base60_float(s) && !is_yaml11_bool(s)
}

fn resolves_to_other_type(s: &str) -> bool {
    const SPECIAL: &[&str] = &[
        "", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE", ".nan",
        ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf",
        "-.INF",
    ];
    let Some(&first) = s.as_bytes().first() else {
        return true;
    };
    match first {
        b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~' => {
            SPECIAL.contains(&s)
        }
        b'.' => SPECIAL.contains(&s) || go_parse_float(s),
        b'+' | b'-' | b'0'..=b'9' => SPECIAL.contains(&s) || is_number_or_timestamp(s),
        _ => false,
    }
}

fn is_number_or_timestamp(s: &str) -> bool {
    if is_timestamp(s) {
        return true;
    }
    let plain = s.replace('_', "");
    if go_parse_int(&plain, 0) || go_parse_uint(&plain, 0).is_some() {
        return true;
    }
    if crate::yaml::is_yaml_float(&plain) && plain.parse::<f64>().is_ok_and(f64::is_finite) {
        return true;
    }
    // go-yaml retries binary and octal prefixes with an explicit base, which also accepts a
    // sign after the prefix (`0b-1`).
    let prefixed = |prefix: &str, base: u32| {
        if let Some(rest) = plain.strip_prefix(prefix) {
            go_parse_int(rest, base) || go_parse_uint(rest, base).is_some()
        } else if let Some(rest) = plain.strip_prefix(&format!("-{prefix}")) {
            go_parse_int(&format!("-{rest}"), base)
        } else {
            false
        }
    };
    prefixed("0b", 2) || prefixed("0o", 8)
}

/// `strconv.ParseInt(s, base, 64)` succeeds.
fn go_parse_int(s: &str, base: u32) -> bool {
    let (negative, digits) = match s.as_bytes().first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    let limit = if negative {
        1u64 << 63
    } else {
        (1u64 << 63) - 1
    };
    go_parse_uint(digits, base).is_some_and(|n| n <= limit)
}

/// `strconv.ParseUint(s, base, 64)`; base 0 reads Go's prefixes and allows underscores.
fn go_parse_uint(s: &str, base: u32) -> Option<u64> {
    let whole = s;
    let mut b = s.as_bytes();
    if b.is_empty() {
        return None;
    }
    let base0 = base == 0;
    let mut base = u64::from(base);
    if base0 {
        base = 10;
        if b[0] == b'0' {
            let marker = b.get(1).map(u8::to_ascii_lowercase);
            match marker {
                Some(b'b') if b.len() >= 3 => (base, b) = (2, &b[2..]),
                Some(b'o') if b.len() >= 3 => (base, b) = (8, &b[2..]),
                Some(b'x') if b.len() >= 3 => (base, b) = (16, &b[2..]),
                _ => (base, b) = (8, &b[1..]),
            }
        }
    }
    let mut n: u64 = 0;
    let mut underscores = false;
    for &c in b {
        let digit = match c.to_ascii_lowercase() {
            b'_' if base0 => {
                underscores = true;
                continue;
            }
            d @ b'0'..=b'9' => d - b'0',
            d @ b'a'..=b'z' => d - b'a' + 10,
            _ => return None,
        };
        if u64::from(digit) >= base {
            return None;
        }
        n = n.checked_mul(base)?.checked_add(u64::from(digit))?;
    }
    if underscores && !underscores_ok(whole) {
        return None;
    }
    Some(n)
}

/// `strconv.ParseFloat(s, 64)` succeeds for a string starting with `.` (so no sign, prefix,
/// `inf` or `nan`): Go's decimal syntax with underscores between digits, and no overflow.
fn go_parse_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let mut saw_dot = false;
    let mut saw_digits = false;
    let mut underscores = false;
    while let Some(&c) = b.get(i) {
        match c {
            b'_' => underscores = true,
            b'.' if !saw_dot => saw_dot = true,
            b'0'..=b'9' => saw_digits = true,
            _ => break,
        }
        i += 1;
    }
    if !saw_digits {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !b.get(i).is_some_and(u8::is_ascii_digit) {
            return false;
        }
        while let Some(&c) = b.get(i) {
            match c {
                b'_' => underscores = true,
                b'0'..=b'9' => {}
                _ => break,
            }
            i += 1;
        }
    }
    if i != b.len() || (underscores && !underscores_ok(s)) {
        return false;
    }
    s.replace('_', "").parse::<f64>().is_ok_and(f64::is_finite)
}

/// Go's `underscoreOK`: underscores only between digits (or after a base prefix).
fn underscores_ok(s: &str) -> bool {
    let mut b = s.as_bytes();
    if let Some(b'+' | b'-') = b.first() {
        b = &b[1..];
    }
    // `^` start, `0` digit or prefix, `_` underscore, `!` anything else.
    let mut saw = b'^';
    let mut hex = false;
    if b.len() >= 2 && b[0] == b'0' && matches!(b[1].to_ascii_lowercase(), b'b' | b'o' | b'x') {
        hex = b[1].eq_ignore_ascii_case(&b'x');
        saw = b'0';
        b = &b[2..];
    }
    for &c in b {
        if c.is_ascii_digit() || (hex && c.is_ascii_hexdigit()) {
            saw = b'0';
        } else if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
        } else {
            if saw == b'_' {
                return false;
            }
            saw = b'!';
        }
    }
    saw != b'_'
}

/// go-yaml's `parseTimestamp`: `time.Parse` with the layouts `2006-1-2T15:4:5.999999999Z07:00`
/// (also with a lowercase `t`), `2006-1-2 15:4:5.999999999` and `2006-1-2`.
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let year = b[..4]
        .iter()
        .fold(0u32, |y, d| y * 10 + u32::from(d - b'0'));
    let mut rest = &b[5..];
    let Some(month) = get_num(&mut rest).filter(|m| (1..=12).contains(m)) else {
        return false;
    };
    if rest.first() != Some(&b'-') {
        return false;
    }
    rest = &rest[1..];
    let Some(day) = get_num(&mut rest) else {
        return false;
    };
    if day < 1 || day > days_in(month, year) {
        return false;
    }
    match rest.first() {
        None => true,
        Some(b'T' | b't') => {
            rest = &rest[1..];
            clock(&mut rest) && zone(rest)
        }
        Some(b' ') => {
            while rest.first() == Some(&b' ') {
                rest = &rest[1..];
            }
            clock(&mut rest) && rest.is_empty()
        }
        Some(_) => false,
    }
}

/// `15:4:5.999999999`: one- or two-digit fields in range, optional fraction (`.` or `,`).
fn clock(rest: &mut &[u8]) -> bool {
    for (index, limit) in [24, 60, 60].into_iter().enumerate() {
        if index > 0 {
            if rest.first() != Some(&b':') {
                return false;
            }
            *rest = &rest[1..];
        }
        if get_num(rest).is_none_or(|n| n >= limit) {
            return false;
        }
    }
    if let [b'.' | b',', d, ..] = rest
        && d.is_ascii_digit()
    {
        let digits = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        *rest = &rest[1 + digits..];
    }
    true
}

/// `Z07:00`: `Z`, or a sign with a two-digit hour (at most 24) and minute (at most 60).
fn zone(rest: &[u8]) -> bool {
    match rest {
        [b'Z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => {
            let two = |a: u8, b: u8| {
                (a.is_ascii_digit() && b.is_ascii_digit())
                    .then(|| u32::from(a - b'0') * 10 + u32::from(b - b'0'))
            };
            two(*h1, *h2).is_some_and(|h| h <= 24) && two(*m1, *m2).is_some_and(|m| m <= 60)
        }
        _ => false,
    }
}

/// Go's `getnum` without the fixed-width flag: one or two digits.
fn get_num(rest: &mut &[u8]) -> Option<u32> {
    let first = rest.first().filter(|c| c.is_ascii_digit())?;
    let mut n = u32::from(first - b'0');
    let mut used = 1;
    if let Some(second) = rest.get(1).filter(|c| c.is_ascii_digit()) {
        n = n * 10 + u32::from(second - b'0');
        used = 2;
    }
    *rest = &rest[used..];
    Some(n)
}

fn days_in(month: u32, year: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`
fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    if !b.get(i).is_some_and(u8::is_ascii_digit) || !s.contains(':') {
        return false;
    }
    while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while b.get(i) == Some(&b':') {
        i += 1;
        match (b.get(i), b.get(i + 1)) {
            (Some(b'0'..=b'5'), Some(b'0'..=b'9')) => i += 2,
            (Some(b'0'..=b'9'), _) => i += 1,
            _ => return false,
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

fn is_yaml11_bool(s: &str) -> bool {
    matches!(
        s,
        "y" | "Y"
            | "yes"
            | "Yes"
            | "YES"
            | "on"
            | "On"
            | "ON"
            | "n"
            | "N"
            | "no"
            | "No"
            | "NO"
            | "off"
            | "Off"
            | "OFF"
    )
}

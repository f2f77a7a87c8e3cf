//! Go's formatting of numbers, as docker compose prints them (`%v` of a float64 and the
//! shortest representation `strconv.FormatFloat(f, 'g', -1, 64)` uses).

/// `fmt.Sprint(f)` for a float64 (`strconv.FormatFloat(f, 'g', -1, 64)`): shortest digits,
/// exponent form when the exponent is below -4 or at least 6 (`1e+06`).
pub fn format_float_v(f: f64) -> String {
    format_float_g(f, 6)
}

/// `encoding/json`'s float formatting: fixed notation with the shortest digits, exponent form
/// only below 1e-6 or from 1e21 (`1e-7`, `1e+21`).
pub fn format_float_json(f: f64) -> String {
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        // Go writes `1e-07`, then trims the zero of a two-digit negative exponent: `1e-7`.
        return format_float_g(f, 0).replace("e-0", "e-");
    }
    // Rust's `Display` writes the shortest round-trip digits without an exponent.
    f.to_string()
}

fn format_float_g(f: f64, exponent_threshold: i32) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    // Rust's `{:e}` gives the shortest round-trip digits, like Go's shortest formatting.
    let sci = format!("{:e}", f.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let sign = if f < 0.0 { "-" } else { "" };
    if exp < -4 || exp >= exponent_threshold {
        let rest = &digits[1..];
        let mantissa = if rest.is_empty() {
            digits[..1].to_string()
        } else {
            format!("{}.{}", &digits[..1], rest)
        };
        let (esign, eabs) = if exp < 0 { ('-', -exp) } else { ('+', exp) };
        return format!("{sign}{mantissa}e{esign}{eabs:02}");
    }
    let point = exp + 1;
    let body = if point <= 0 {
        format!("0.{}{}", "0".repeat((-point) as usize), digits)
    } else if point as usize >= digits.len() {
        format!("{}{}", digits, "0".repeat(point as usize - digits.len()))
    } else {
        format!(
            "{}.{}",
            &digits[..point as usize],
            &digits[point as usize..]
        )
    };
    format!("{sign}{body}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_like_go_percent_v() {
        assert_eq!(format_float_v(1.1), "1.1");
        assert_eq!(format_float_v(1000.0), "1000");
        assert_eq!(format_float_v(100000.0), "100000");
        assert_eq!(format_float_v(1e6), "1e+06");
        assert_eq!(format_float_v(0.00001), "1e-05");
        assert_eq!(format_float_v(0.0001), "0.0001");
        assert_eq!(format_float_v(-2.5), "-2.5");
        assert_eq!(format_float_v(f64::INFINITY), "+Inf");
        assert_eq!(format_float_v(f64::NAN), "NaN");
    }

    #[test]
    fn json_floats_use_exponents_only_at_the_extremes() {
        assert_eq!(format_float_json(1e6), "1000000");
        assert_eq!(format_float_json(0.5), "0.5");
        assert_eq!(format_float_json(1e21), "1e+21");
        assert_eq!(format_float_json(1e-7), "1e-7");
        assert_eq!(format_float_json(0.00001), "0.00001");
        assert_eq!(format_float_json(123456789.0), "123456789");
    }
}

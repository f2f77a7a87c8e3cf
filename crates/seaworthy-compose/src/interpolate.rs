//! Compose's `${VAR}` template language, as compose-go v2.9.1 (docker compose v2.40.3)
//! evaluates it: `$$` escapes, `$NAME`, `${NAME}`, the six operators `:-  -  :+  +  :?  ?`,
//! nested payloads, and the exact error texts compose prints. This module owns one string at a
//! time; walking the YAML tree, paths and type casts belong to the caller.
//!
//! The rules are those of compose-go's regular expression and its replacement function, quirks
//! included, because a loader that is "nearly" compose would disagree on real files:
//! - a `${NAME op …}` expression first extends to the last `}` of its line (the pattern's greedy
//!   `.*`), then is cut back at the brace that balances its opening one; the text after that
//!   brace is substituted as a template of its own, which only shows in the template quoted by
//!   an "invalid interpolation format" error;
//! - the balancing count skips the character after every `{`, so `{}` inside a payload opens a
//!   level that never closes and the expression then keeps the whole greedy match;
//! - payloads (defaults, alternates, error messages) are evaluated eagerly, even when unused:
//!   `${SET:-${MISSING:?}}` fails and `${SET:-$NOPE}` warns (newer compose-go is lazy);
//! - names are matched case-insensitively by a Go regular expression, so besides ASCII letters
//!   they may contain `ſ` (U+017F) and the Kelvin sign (U+212A), which fold to `s` and `k`.

use std::fmt;
use std::ops::Range;

/// The result of substituting one template string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Substitution {
    /// The substituted text.
    pub value: String,
    /// Every variable the template looked up, nested payloads included, ordered by position.
    pub uses: Vec<VariableUse>,
    /// Variables referenced without an operator (`$X`, `${X}`) that were unset, in the order
    /// compose warns about them (`The "X" variable is not set. Defaulting to a blank string.`),
    /// without duplicates. Eagerly evaluated payloads count, as they do in compose.
    pub unset: Vec<String>,
}

/// One variable lookup made by a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariableUse {
    pub name: String,
    /// Byte range of the `$NAME` or `${…}` text in the template.
    pub range: Range<usize>,
    /// Whether the lookup found the variable (an empty value is set).
    pub set: bool,
}

/// Why a template could not be substituted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateError {
    /// A `${` that does not start a valid expression. `template` is the string compose quotes in
    /// its message: the whole value, or the payload or trailing part it was evaluating then.
    Invalid { template: String },
    /// A `:?` or `?` expression whose variable is missing (or empty, for `:?`). `message` is the
    /// interpolated text after the operator, `None` when it is empty.
    Required {
        name: String,
        message: Option<String>,
    },
}

impl TemplateError {
    /// The text docker compose prints when the value at the dotted `path` (for example
    /// `services.a.image`, or `services.a.labels.[]` for a list item) fails to interpolate.
    pub fn message(&self, path: &str) -> String {
        match self {
            TemplateError::Invalid { template } => format!(
                "invalid interpolation format for {path}.\nYou may need to escape any $ with another $.\n{template}"
            ),
            TemplateError::Required { .. } => format!("error while interpolating {path}: {self}"),
        }
    }
}

/// Go's `Error()` texts of compose-go's template errors; compose prints these bare when a
/// template inside an env file fails (`failed to read <file>: <this>`).
impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TemplateError::Invalid { template } => {
                write!(f, "Invalid template: {}", go_quote(template))
            }
            TemplateError::Required {
                name,
                message: Some(message),
            } => write!(f, "required variable {name} is missing a value: {message}"),
            TemplateError::Required {
                name,
                message: None,
            } => write!(f, "required variable {name} is missing a value"),
        }
    }
}

impl std::error::Error for TemplateError {}

/// Substitutes every expression of `template`, looking variables up with `lookup` (`None` =
/// unset, `Some("")` = set and empty).
pub fn substitute(
    template: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<Substitution, TemplateError> {
    let mut substituter = Substituter {
        lookup,
        uses: Vec::new(),
        unset: Vec::new(),
    };
    let value = substituter.expand(template, 0, 0)?;
    let mut uses = substituter.uses;
    uses.sort_by_key(|u| u.range.start);
    Ok(Substitution {
        value,
        uses,
        unset: substituter.unset,
    })
}

/// Whether substituting `s` could change it or fail: false means `substitute` returns `s`
/// unchanged without looking anything up.
pub fn has_variables(s: &str) -> bool {
    find_expression(s, 0, &mut LineCache::default()).is_some()
}

/// Payloads nest at most this deep; compose has no limit, but a deeper template would only
/// exist to exhaust the stack. Beyond it the payload is reported as an invalid template.
const MAX_PAYLOAD_DEPTH: usize = 200;

struct Substituter<'a> {
    lookup: &'a dyn Fn(&str) -> Option<String>,
    uses: Vec<VariableUse>,
    unset: Vec<String>,
}

impl Substituter<'_> {
    fn get(&mut self, name: &str, range: Range<usize>, warn_if_unset: bool) -> Option<String> {
        let value = (self.lookup)(name);
        self.uses.push(VariableUse {
            name: name.to_owned(),
            range,
            set: value.is_some(),
        });
        if value.is_none() && warn_if_unset && !self.unset.iter().any(|u| u == name) {
            self.unset.push(name.to_owned());
        }
        value
    }

    /// Substitutes `text`, a whole template or a payload that starts at byte `base` of the
    /// original template.
    fn expand(&mut self, text: &str, base: usize, depth: usize) -> Result<String, TemplateError> {
        let mut out = String::with_capacity(text.len());
        let mut pos = 0;
        // The tail after a cut-back expression, which compose substitutes as a template of its
        // own: an invalid `${` inside it quotes that tail, not the whole text.
        let mut tail: Option<Range<usize>> = None;
        let mut lines = LineCache::default();
        while let Some(found) = find_expression(text, pos, &mut lines) {
            out.push_str(text.get(pos..found.start).unwrap_or_default());
            if tail.as_ref().is_some_and(|t| found.start >= t.end) {
                tail = None;
            }
            pos = found.end;
            match found.kind {
                Kind::Escaped => out.push('$'),
                Kind::Named => {
                    let name = text.get(found.start + 1..found.end).unwrap_or_default();
                    let range = base + found.start..base + found.end;
                    out.push_str(&self.get(name, range, true).unwrap_or_default());
                }
                Kind::Invalid => {
                    let quoted = tail.clone().and_then(|t| text.get(t)).unwrap_or(text);
                    return Err(TemplateError::Invalid {
                        template: quoted.to_owned(),
                    });
                }
                Kind::Braced => {
                    let matched = text.get(found.start..found.end).unwrap_or_default();
                    let expr_end =
                        found.start + balancing_brace(matched).map_or(matched.len(), |i| i + 1);
                    // `${` + name + operator + payload + `}`
                    let inner = text.get(found.start + 2..expr_end - 1).unwrap_or_default();
                    let name_end = name_len(inner);
                    let name = inner.get(..name_end).unwrap_or_default();
                    let range = base + found.start..base + expr_end;
                    let Some((op, op_len)) =
                        Operator::parse(inner.get(name_end..).unwrap_or_default())
                    else {
                        out.push_str(&self.get(name, range, true).unwrap_or_default());
                        continue;
                    };
                    let payload_start = found.start + 2 + name_end + op_len;
                    let raw_payload = text.get(payload_start..expr_end - 1).unwrap_or_default();
                    if depth >= MAX_PAYLOAD_DEPTH {
                        return Err(TemplateError::Invalid {
                            template: raw_payload.to_owned(),
                        });
                    }
                    let payload = self.expand(raw_payload, base + payload_start, depth + 1)?;
                    let value = self.get(name, range, false);
                    out.push_str(&op.apply(name, value, payload)?);
                    if expr_end < found.end {
                        tail = Some(expr_end..found.end);
                    }
                    pos = expr_end;
                }
            }
        }
        out.push_str(text.get(pos..).unwrap_or_default());
        Ok(out)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operator {
    /// `:-`
    DefaultIfUnsetOrEmpty,
    /// `-`
    DefaultIfUnset,
    /// `:+`
    AlternateIfNotEmpty,
    /// `+`
    AlternateIfSet,
    /// `:?`
    RequireNotEmpty,
    /// `?`
    RequireSet,
}

impl Operator {
    /// The operator at the start of `s` and its length in bytes.
    fn parse(s: &str) -> Option<(Operator, usize)> {
        let bytes = s.as_bytes();
        let (colon, sign) = match bytes {
            [b':', sign, ..] => (true, *sign),
            [sign, ..] => (false, *sign),
            [] => return None,
        };
        let op = match (colon, sign) {
            (true, b'-') => Operator::DefaultIfUnsetOrEmpty,
            (false, b'-') => Operator::DefaultIfUnset,
            (true, b'+') => Operator::AlternateIfNotEmpty,
            (false, b'+') => Operator::AlternateIfSet,
            (true, b'?') => Operator::RequireNotEmpty,
            (false, b'?') => Operator::RequireSet,
            _ => return None,
        };
        Some((op, if colon { 2 } else { 1 }))
    }

    fn apply(
        self,
        name: &str,
        value: Option<String>,
        payload: String,
    ) -> Result<String, TemplateError> {
        let non_empty = value.as_deref().is_some_and(|v| !v.is_empty());
        Ok(match self {
            Operator::DefaultIfUnsetOrEmpty if non_empty => value.unwrap_or_default(),
            Operator::DefaultIfUnsetOrEmpty => payload,
            Operator::DefaultIfUnset => value.unwrap_or(payload),
            Operator::AlternateIfNotEmpty if non_empty => payload,
            Operator::AlternateIfNotEmpty => String::new(),
            Operator::AlternateIfSet if value.is_some() => payload,
            Operator::AlternateIfSet => String::new(),
            Operator::RequireNotEmpty if non_empty => value.unwrap_or_default(),
            Operator::RequireSet if value.is_some() => value.unwrap_or_default(),
            Operator::RequireNotEmpty | Operator::RequireSet => {
                return Err(TemplateError::Required {
                    name: name.to_owned(),
                    message: (!payload.is_empty()).then_some(payload),
                });
            }
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `$$`
    Escaped,
    /// `$NAME`
    Named,
    /// `${NAME}`, or `${NAME` + operator + everything up to the last `}` of the line.
    Braced,
    /// `${` that starts no valid expression.
    Invalid,
}

#[derive(Debug, Clone, Copy)]
struct Found {
    start: usize,
    end: usize,
    kind: Kind,
}

/// Remembers, for the line being scanned, the position of its last `}`: the greedy payload of
/// every operator expression on that line ends there, and looking it up again for each
/// expression would make long lines quadratic.
#[derive(Debug, Default)]
struct LineCache {
    /// Searched region `[from, line_end)` and the last `}` in it.
    from: usize,
    line_end: usize,
    last_close: Option<usize>,
    valid: bool,
}

impl LineCache {
    /// Byte index of the last `}` at or after `at` and before the end of its line.
    fn last_close_from(&mut self, text: &str, at: usize) -> Option<usize> {
        if !(self.valid && self.from <= at && at <= self.line_end) {
            let rest = text.get(at..).unwrap_or_default();
            let line_end = at + rest.find('\n').unwrap_or(rest.len());
            self.from = at;
            self.line_end = line_end;
            self.last_close = text
                .get(at..line_end)
                .and_then(|l| l.rfind('}'))
                .map(|i| at + i);
            self.valid = true;
        }
        self.last_close.filter(|&i| i >= at)
    }
}

/// The leftmost expression of compose's pattern starting at or after `from`.
fn find_expression(text: &str, from: usize, lines: &mut LineCache) -> Option<Found> {
    let mut pos = from;
    loop {
        let start = pos + text.get(pos..)?.find('$')?;
        let after = text.get(start + 1..).unwrap_or_default();
        let found = |end, kind| {
            Some(Found {
                start,
                end: start + end,
                kind,
            })
        };
        if after.starts_with('$') {
            return found(2, Kind::Escaped);
        }
        let name = name_len(after);
        if name > 0 {
            return found(1 + name, Kind::Named);
        }
        if let Some(braced) = after.strip_prefix('{') {
            let name = name_len(braced);
            if name > 0 {
                let after_name = braced.get(name..).unwrap_or_default();
                let op_at = start + 2 + name;
                if let Some((_, op_len)) = Operator::parse(after_name)
                    && let Some(close) = lines.last_close_from(text, op_at + op_len)
                {
                    return Some(Found {
                        start,
                        end: close + 1,
                        kind: Kind::Braced,
                    });
                }
                if after_name.starts_with('}') {
                    return found(2 + name + 1, Kind::Braced);
                }
            }
            return found(2, Kind::Invalid);
        }
        pos = start + 1;
    }
}

/// Length in bytes of the variable name at the start of `s`, 0 if there is none.
fn name_len(s: &str) -> usize {
    let mut chars = s.char_indices();
    match chars.next() {
        Some((_, c)) if is_name_start(c) => {}
        _ => return 0,
    }
    chars
        .find(|&(_, c)| !is_name_start(c) && !c.is_ascii_digit())
        .map_or(s.len(), |(i, _)| i)
}

fn is_name_start(c: char) -> bool {
    // Go's case-insensitive `[_a-z]` also matches the two non-ASCII letters that fold into it.
    c == '_' || c.is_ascii_alphabetic() || c == '\u{17F}' || c == '\u{212A}'
}

/// Index of the `}` that closes the `{` of a braced expression, counted as compose counts it:
/// the character after each `{` is skipped.
fn balancing_brace(expression: &str) -> Option<usize> {
    let bytes = expression.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'}' {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                return Some(i);
            }
        }
        if b == b'{' {
            depth += 1;
            i += 1;
        }
        i += 1;
    }
    None
}

/// Go's `strconv.Quote`, as `%q` and `%#v` print strings in compose's messages.
///
/// Go escapes every rune that is not "printable" by its Unicode tables; this covers control
/// characters, spaces other than U+0020, the common format characters and private use areas,
/// but prints unassigned code points as they are.
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0C' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x0B' => out.push_str("\\v"),
            c if is_go_printable(c) => out.push(c),
            c if (c as u32) < 0x20 || c == '\x7F' => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

fn is_go_printable(c: char) -> bool {
    let code = c as u32;
    if code <= 0xFF {
        return (0x20..=0x7E).contains(&code) || ((0xA1..=0xFF).contains(&code) && code != 0xAD);
    }
    !(c.is_whitespace()
        || matches!(code,
            0x0600..=0x0605
            | 0x061C
            | 0x06DD
            | 0x070F
            | 0x180E
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x2064
            | 0x2066..=0x206F
            | 0xD800..=0xF8FF
            | 0xFEFF
            | 0xFFF9..=0xFFFB
            | 0x110BD
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0001
            | 0xE0020..=0xE007F
            | 0xF0000..)
        || code & 0xFFFE == 0xFFFE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The environment of probe `interp-operators`: SET=v, EMPTY="", NOPE unset.
    fn env(name: &str) -> Option<String> {
        match name {
            "SET" => Some("v".to_owned()),
            "EMPTY" => Some(String::new()),
            "BRACES" => Some("}{".to_owned()),
            "DOLLAR" => Some("$X".to_owned()),
            _ => None,
        }
    }

    fn value(template: &str) -> String {
        match substitute(template, &env) {
            Ok(s) => s.value,
            Err(e) => panic!("{template:?} failed: {}", e.message("x")),
        }
    }

    fn error(template: &str) -> String {
        match substitute(template, &env) {
            Ok(s) => panic!("{template:?} gave {:?}", s.value),
            Err(e) => e.message("services.a.command"),
        }
    }

    #[test]
    fn operators_on_unset_empty_and_set_variables() {
        // (template, expected) from probe interp-operators and the oracle binary.
        let cases = [
            ("$SET", "v"),
            ("${SET}", "v"),
            ("$NOPE", ""),
            ("${EMPTY}", ""),
            ("${NOPE:-d}", "d"),
            ("${EMPTY:-d}", "d"),
            ("${SET:-d}", "v"),
            ("${NOPE-d}", "d"),
            ("${EMPTY-d}", ""),
            ("${SET-d}", "v"),
            ("${NOPE:+alt}", ""),
            ("${EMPTY:+alt}", ""),
            ("${SET:+alt}", "alt"),
            ("${NOPE+alt}", ""),
            ("${EMPTY+alt}", "alt"),
            ("${SET+alt}", "alt"),
            ("${SET:?msg}", "v"),
            ("${SET?msg}", "v"),
            ("${EMPTY?msg}", ""),
            ("busybox${EMPTY?must exist}", "busybox"),
            ("busybox:${TAG:-latest}", "busybox:latest"),
            ("${set:-lower-is-distinct}", "lower-is-distinct"),
        ];
        for (template, expected) in cases {
            assert_eq!(value(template), expected, "{template}");
        }
    }

    #[test]
    fn payloads_nest_and_may_contain_operators_and_braces() {
        let cases = [
            ("${NOPE:-${SET}}", "v"),
            ("${NOPE:-${NOPE2:-deep}}", "deep"),
            ("${NOPE:-${NOPE2:-${NOPE3:-deeper}}}", "deeper"),
            ("${SET:+${SET},}x", "v,x"),
            ("${NOPE:-{\"a\":1}}", "{\"a\":1}"),
            ("${NOPE-myerror?msg}", "myerror?msg"),
            ("${BAR:-/non:-alphanumeric}", "/non:-alphanumeric"),
            ("${NOPE:-x}-${SET}-${NOPE2-y}", "x-v-y"),
            ("${NOPE:-}", ""),
            ("${SET:+}", ""),
            ("${NOPE:-$$}", "$"),
            ("${NOPE:-$${X}}", "${X}"),
            ("${NOPE:-a}b}", "ab}"),
            ("${SET:-x}${NOPE:-y}", "vy"),
            ("${NOPE:-a}\n${NOPE:-b}", "a\nb"),
            // Values are never substituted again.
            ("${BRACES:-x}", "}{"),
            ("${DOLLAR}", "$X"),
        ];
        for (template, expected) in cases {
            assert_eq!(value(template), expected, "{template}");
        }
    }

    #[test]
    fn brace_counting_skips_the_character_after_an_opening_brace() {
        // Outputs of the oracle: `{}` opens a level that `}` never closes, so the expression
        // keeps everything up to the last `}` of the line as its default.
        assert_eq!(value("${NOPE:-{}}"), "{}");
        assert_eq!(value("${NOPE:-{{x}}}"), "{{x}}");
        assert_eq!(value("${NOPE:-{{}}}"), "{{}}");
        assert_eq!(value("${NOPE:-}}}}"), "}}}");
        assert_eq!(value("${SET-{}$NOPE}"), "v");
    }

    #[test]
    fn names_stop_at_the_first_character_outside_the_name_class() {
        assert_eq!(
            value("$SET-suffix $SET.x ${SET}_y $SET_y"),
            "v-suffix v.x v_y "
        );
        assert_eq!(value("$SET$SET"), "vv");
        assert_eq!(value("é$SETé${SET}é"), "évévé");
        // Go's case folding puts `ſ` and the Kelvin sign in `[_a-z]`.
        assert_eq!(substitute("$SETſ", &env).unwrap().unset, ["SETſ"]);
        assert_eq!(substitute("${\u{212A}}", &env).unwrap().unset, ["\u{212A}"]);
    }

    #[test]
    fn dollars_that_start_no_expression_are_literal() {
        let cases = [
            ("$1 and a $ sign and 100%", "$1 and a $ sign and 100%"),
            ("^RE$", "^RE$"),
            ("$", "$"),
            ("$$$", "$$"),
            ("a$-b", "a$-b"),
            ("${SET}}", "v}"),
        ];
        for (template, expected) in cases {
            assert_eq!(value(template), expected, "{template}");
        }
    }

    #[test]
    fn double_dollar_escapes() {
        assert_eq!(
            value("$$SET and $${SET} and $$$SET"),
            "$SET and ${SET} and $v"
        );
    }

    #[test]
    fn invalid_braced_expressions_quote_the_whole_value() {
        for template in [
            "echo ${A:x}",
            "${}",
            "${ foo}",
            "${foo }",
            "${foo!}",
            "${1}",
            "${",
            "x ${SET",
            "${-}",
            "${:-x}",
            "${SET:-a\n}",
        ] {
            assert_eq!(
                error(template),
                format!(
                    "invalid interpolation format for services.a.command.\nYou may need to escape any $ with another $.\n{template}"
                ),
            );
        }
    }

    #[test]
    fn invalid_expressions_in_payloads_and_tails_quote_that_part() {
        // compose substitutes payloads, and the text after a cut-back expression, as
        // templates of their own; the oracle quotes only that text.
        let prefix = "invalid interpolation format for services.a.command.\nYou may need to escape any $ with another $.\n";
        // Expected texts from the oracle binary.
        assert_eq!(error("${SET:-${}}"), format!("{prefix}${{}}"));
        assert_eq!(error("${SET:-x}${NOPE:-${}}"), format!("{prefix}${{}}"));
        assert_eq!(
            error("${A:-{}} and ${B}"),
            format!("{prefix}{{}}}} and ${{B")
        );
        assert_eq!(error("${SET:-x} ${ }"), format!("{prefix} ${{ }}"));
        assert_eq!(
            error("${SET:-x} ${ } and ${SET"),
            format!("{prefix} ${{ }}")
        );
        // Past the end of the tail, the whole value is quoted again.
        assert_eq!(
            error("${SET:-x} ${NOPE:-a} ${"),
            format!("{prefix}${{SET:-x}} ${{NOPE:-a}} ${{")
        );
        assert_eq!(
            error("${A:-{}} and ${B"),
            format!("{prefix}${{A:-{{}}}} and ${{B")
        );
    }

    #[test]
    fn required_variables_report_compose_texts() {
        let cases = [
            (
                "busybox:${TAG:?TAG must be set}",
                "error while interpolating services.a.command: required variable TAG is missing a value: TAG must be set",
            ),
            (
                "${EMPTY:?}",
                "error while interpolating services.a.command: required variable EMPTY is missing a value",
            ),
            (
                "${NOPE?}",
                "error while interpolating services.a.command: required variable NOPE is missing a value",
            ),
            (
                "${NOPE:?need ${SET}}",
                "error while interpolating services.a.command: required variable NOPE is missing a value: need v",
            ),
            (
                "${NOPE:?a:?b}",
                "error while interpolating services.a.command: required variable NOPE is missing a value: a:?b",
            ),
        ];
        for (template, expected) in cases {
            assert_eq!(error(template), expected, "{template}");
        }
    }

    #[test]
    fn payloads_are_evaluated_even_when_unused() {
        // Probe interp-eager-default: compose v2.40.3 fails although SET is set.
        let err =
            substitute("x:${SET:-${MISSING:?only needed when SET is unset}}", &env).unwrap_err();
        assert_eq!(
            err.message("services.a.image"),
            "error while interpolating services.a.image: required variable MISSING is missing a value: only needed when SET is unset"
        );
        // And it warns about unused payloads.
        let s = substitute("${SET:-${ALSO_MISSING}}", &env).unwrap();
        assert_eq!(s.value, "v");
        assert_eq!(s.unset, ["ALSO_MISSING"]);
    }

    #[test]
    fn unset_lists_plain_references_once_in_order() {
        let s = substitute("$B ${A} ${NOPE:-x} $B ${C-y} ${SET} $EMPTY", &env).unwrap();
        assert_eq!(s.unset, ["B", "A"]);
    }

    #[test]
    fn uses_give_names_ranges_and_whether_set() {
        let template = "a ${NOPE:-${SET}} $EMPTY $$X";
        let s = substitute(template, &env).unwrap();
        let uses: Vec<_> = s
            .uses
            .iter()
            .map(|u| (u.name.as_str(), &template[u.range.clone()], u.set))
            .collect();
        assert_eq!(
            uses,
            [
                ("NOPE", "${NOPE:-${SET}}", false),
                ("SET", "${SET}", true),
                ("EMPTY", "$EMPTY", true),
            ]
        );
    }

    #[test]
    fn error_display_is_go_error_text() {
        // What compose prints after `failed to read <env file>: `.
        let invalid = substitute("${NOPE", &env).unwrap_err();
        assert_eq!(invalid.to_string(), "Invalid template: \"${NOPE\"");
        let required = substitute("${NOPE:?boom}", &env).unwrap_err();
        assert_eq!(
            required.to_string(),
            "required variable NOPE is missing a value: boom"
        );
    }

    #[test]
    fn go_quote_escapes_like_strconv_quote() {
        assert_eq!(go_quote("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(go_quote("\n\t\x07\x01\x7f"), r#""\n\t\a\x01\x7f""#);
        assert_eq!(go_quote("é\u{A0}\u{200B}"), r#""é\u00a0\u200b""#);
        assert_eq!(go_quote("Ⓐ😀"), "\"Ⓐ😀\"");
    }

    #[test]
    fn has_variables_is_false_exactly_when_nothing_can_change() {
        assert!(!has_variables("plain"));
        assert!(!has_variables("100$ and $1 and $-"));
        assert!(has_variables("$$"));
        assert!(has_variables("$A"));
        assert!(has_variables("${"));
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let depth = 5000;
        let template = format!("{}x{}", "${NOPE:-".repeat(depth), "}".repeat(depth));
        assert!(matches!(
            substitute(&template, &env),
            Err(TemplateError::Invalid { .. })
        ));
        let template = format!("{}x{}", "${NOPE:-".repeat(100), "}".repeat(100));
        assert_eq!(value(&template), "x");
    }

    #[test]
    fn long_lines_of_expressions_stay_linear() {
        let template = "${NOPE:-a}".repeat(20_000);
        assert_eq!(value(&template), "a".repeat(20_000));
    }

    proptest! {
        #[test]
        fn text_without_dollar_is_unchanged(s in "[^$]*") {
            let result = substitute(&s, &env).unwrap();
            prop_assert_eq!(result.value, s);
            prop_assert!(result.uses.is_empty());
        }

        #[test]
        fn escaping_every_dollar_round_trips(s in any::<String>()) {
            let escaped = s.replace('$', "$$");
            prop_assert_eq!(substitute(&escaped, &env).unwrap().value, s);
        }

        #[test]
        fn never_panics(s in r"[${}:?+\-_a-zA-Z0-9 \n.ſ]{0,40}") {
            let _ = substitute(&s, &env);
        }

        #[test]
        fn never_panics_on_any_string(s in any::<String>()) {
            let _ = substitute(&s, &env);
        }

        #[test]
        fn uses_point_at_dollar_expressions(s in r"[${}:?+\-_A-Z ]{0,30}") {
            if let Ok(result) = substitute(&s, &env) {
                for u in result.uses {
                    prop_assert!(s.get(u.range.clone()).is_some_and(|t| t.starts_with('$')));
                }
            }
        }
    }
}

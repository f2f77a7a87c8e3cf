//! What parse-dockerfile leaves to us, written by hand after BuildKit's parser: joining the lines
//! of a continued instruction while remembering where each byte came from, splitting the
//! arguments into words with quotes kept (`parseWords`), and splitting `ENV`/`ARG` words into
//! names and values (`parseNameVal`, `parseArg`), legacy `ENV name value` included.

use std::ops::Range;

/// Text of one instruction's arguments with continuations removed, as BuildKit's parser joins
/// them, and for every byte the offset in the Dockerfile it came from.
#[derive(Debug, Clone)]
pub(crate) struct Joined {
    pub(crate) text: String,
    /// `origin[i]` is the Dockerfile offset of `text`'s byte `i`; one extra entry for the end.
    origin: Vec<usize>,
}

impl Joined {
    /// Joins `source[span]` as BuildKit does: every line but the last loses its trailing blanks
    /// and escape character, later lines that are comments or blank are dropped, and the
    /// pieces are concatenated with nothing in between.
    pub(crate) fn new(source: &str, span: Range<usize>, escape: char) -> Joined {
        let raw = source.get(span.clone()).unwrap_or("");
        let mut text = String::with_capacity(raw.len());
        let mut origin = Vec::with_capacity(raw.len() + 1);
        let mut line_start = 0;
        let mut first = true;
        let mut lines = raw.split('\n').peekable();
        while let Some(line) = lines.next() {
            let is_last = lines.peek().is_none();
            let offset = span.start + line_start;
            line_start += line.len() + 1;
            let trimmed_start = line.trim_start_matches([' ', '\t', '\r']);
            if !first && (trimmed_start.starts_with('#') || trimmed_start.trim().is_empty()) {
                continue;
            }
            first = false;
            let mut kept = line.strip_suffix('\r').unwrap_or(line);
            if !is_last {
                kept = kept.trim_end_matches([' ', '\t']);
                kept = kept.strip_suffix(escape).unwrap_or(kept);
            }
            text.push_str(kept);
            origin.extend((0..kept.len()).map(|i| offset + i));
        }
        origin.push(span.end);
        Joined { text, origin }
    }

    /// The Dockerfile span of `text[range]`.
    pub(crate) fn source_span(&self, range: Range<usize>) -> Range<usize> {
        let last = self.origin.last().copied().unwrap_or(0);
        let start = self.origin.get(range.start).copied().unwrap_or(last);
        let end = if range.end > range.start {
            self.origin.get(range.end - 1).map_or(last, |&o| o + 1)
        } else {
            start
        };
        start..end.max(start)
    }
}

/// One word of an instruction's arguments, quotes and escapes kept (BuildKit strips them later,
/// when it expands the word).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawWord {
    pub(crate) text: String,
    /// Byte range in the joined text.
    pub(crate) range: Range<usize>,
}

/// BuildKit's `parseWords`: split on unquoted white space, keep quotes and escapes in the word.
pub(crate) fn split_words(rest: &str, escape: char) -> Vec<RawWord> {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote(char),
    }
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut current = String::new();
    let mut start = 0;
    let mut blank_ok = false;
    let mut chars = rest.char_indices().peekable();
    while let Some((pos, ch)) = chars.next() {
        if phase == Phase::Spaces {
            if ch.is_whitespace() {
                continue;
            }
            phase = Phase::Word;
            start = pos;
        }
        match phase {
            Phase::Spaces => {}
            Phase::Word => {
                if ch.is_whitespace() {
                    if blank_ok || !current.is_empty() {
                        words.push(RawWord {
                            text: std::mem::take(&mut current),
                            range: start..pos,
                        });
                    }
                    current.clear();
                    blank_ok = false;
                    phase = Phase::Spaces;
                    continue;
                }
                if ch == '\'' || ch == '"' {
                    blank_ok = true;
                    phase = Phase::Quote(ch);
                }
                if ch == escape {
                    match chars.next() {
                        // An escape at the very end is dropped.
                        None => continue,
                        Some((_, next)) => {
                            current.push(ch);
                            current.push(next);
                            continue;
                        }
                    }
                }
                current.push(ch);
            }
            Phase::Quote(quote) => {
                if ch == quote {
                    phase = Phase::Word;
                }
                if ch == escape && quote != '\'' {
                    match chars.next() {
                        None => {
                            phase = Phase::Word;
                            continue;
                        }
                        Some((_, next)) => {
                            current.push(ch);
                            current.push(next);
                            continue;
                        }
                    }
                }
                current.push(ch);
            }
        }
    }
    if phase != Phase::Spaces && (blank_ok || !current.is_empty()) {
        words.push(RawWord {
            text: current,
            range: start..rest.len(),
        });
    }
    words
}

/// A `name=value` (or legacy `name value`) pair before expansion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawPair {
    pub(crate) name: String,
    pub(crate) value: Option<String>,
    /// Byte range of the whole pair in the joined text.
    pub(crate) range: Range<usize>,
    /// Byte range of the value in the joined text (empty at the end of the pair when none).
    pub(crate) value_range: Range<usize>,
    /// Written as `ENV name value`, without `=`.
    pub(crate) legacy: bool,
}

/// A problem BuildKit reports for the arguments of `ENV`, `LABEL` or `ARG`; `at` is a byte
/// offset in the joined text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PairError {
    pub(crate) message: String,
    pub(crate) at: usize,
}

/// BuildKit's `parseNameVal` for `ENV` and `LABEL`: the first word decides between the legacy
/// form (`ENV name the rest of the line`) and `name=value` words.
pub(crate) fn name_values(
    rest: &str,
    instruction: &str,
    escape: char,
) -> Result<Vec<RawPair>, PairError> {
    let words = split_words(rest, escape);
    let Some(first) = words.first() else {
        return Err(PairError {
            message: format!("{instruction} requires at least one argument"),
            at: 0,
        });
    };
    if !first.text.contains('=') {
        // The legacy form splits the raw text once on white space (BuildKit's reWhitespace is
        // `[\t\v\f\r ]+`), so the value keeps its quotes and inner spacing.
        let is_blank = |c: char| matches!(c, '\t' | '\u{b}' | '\u{c}' | '\r' | ' ');
        let text = rest.trim_start_matches(is_blank);
        let lead = rest.len() - text.len();
        let Some(name_end) = text.find(is_blank) else {
            return Err(PairError {
                message: format!("{instruction} must have two arguments"),
                at: lead,
            });
        };
        let after = &text[name_end..];
        let value = after.trim_start_matches(is_blank);
        let value_start = lead + name_end + (after.len() - value.len());
        return Ok(vec![RawPair {
            name: text[..name_end].to_owned(),
            value: Some(value.to_owned()),
            range: lead..rest.len(),
            value_range: value_start..rest.len(),
            legacy: true,
        }]);
    }
    let mut pairs = Vec::with_capacity(words.len());
    for word in words {
        let Some((name, value)) = word.text.split_once('=') else {
            return Err(PairError {
                message: format!(
                    "syntax error - can't find = in {:?}. Must be of the form: name=value",
                    word.text
                ),
                at: word.range.start,
            });
        };
        if name.is_empty() {
            return Err(PairError {
                message: format!("{instruction} names can not be blank"),
                at: word.range.start,
            });
        }
        let value_start = value_offset(rest, &word.range, name.len());
        pairs.push(RawPair {
            name: name.to_owned(),
            value: Some(value.to_owned()),
            value_range: value_start..word.range.end,
            range: word.range,
            legacy: false,
        });
    }
    Ok(pairs)
}

/// BuildKit's `parseArg`: every word is `name` or `name=default`.
pub(crate) fn arg_pairs(rest: &str, escape: char) -> Result<Vec<RawPair>, PairError> {
    let words = split_words(rest, escape);
    if words.is_empty() {
        return Err(PairError {
            message: "ARG requires at least one argument".to_owned(),
            at: 0,
        });
    }
    let mut pairs = Vec::with_capacity(words.len());
    for word in words {
        let (name, value) = match word.text.split_once('=') {
            Some((name, value)) => (name, Some(value)),
            None => (word.text.as_str(), None),
        };
        if name.is_empty() {
            return Err(PairError {
                message: "ARG names can not be blank".to_owned(),
                at: word.range.start,
            });
        }
        let value_start = match value {
            Some(_) => value_offset(rest, &word.range, name.len()),
            None => word.range.end,
        };
        pairs.push(RawPair {
            name: name.to_owned(),
            value: value.map(str::to_owned),
            value_range: value_start..word.range.end,
            range: word.range.clone(),
            legacy: false,
        });
    }
    Ok(pairs)
}

/// Where the value of a `name=value` word starts in the joined text: just after the first `=`
/// of the raw word. The word's text can differ from the raw text only by a dropped final
/// escape, which never precedes the `=`.
fn value_offset(rest: &str, word: &Range<usize>, name_len: usize) -> usize {
    let raw = rest.get(word.clone()).unwrap_or("");
    match raw.find('=') {
        Some(i) => word.start + i + 1,
        None => (word.start + name_len + 1).min(word.end),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(words: &[RawWord]) -> Vec<&str> {
        words.iter().map(|w| w.text.as_str()).collect()
    }

    #[test]
    fn words_keep_quotes_and_escapes_like_buildkit() {
        let words = split_words(r#"a=b c="d e" f='g h' i=j\ k"#, '\\');
        assert_eq!(texts(&words), ["a=b", r#"c="d e""#, "f='g h'", r"i=j\ k"]);
        assert_eq!(words[1].range, 4..11);
    }

    #[test]
    fn an_empty_quoted_word_is_a_word() {
        assert_eq!(
            texts(&split_words(r#"a="" """#, '\\')),
            [r#"a="""#, r#""""#]
        );
    }

    #[test]
    fn backtick_escape_escapes_the_space() {
        assert_eq!(texts(&split_words("a=b` c d", '`')), ["a=b` c", "d"]);
    }

    #[test]
    fn continuation_lines_join_without_separator_and_drop_comments() {
        let src = "ENV A=b \\\n    # comment\n\n    C=d";
        let joined = Joined::new(src, 4..src.len(), '\\');
        assert_eq!(joined.text, "A=b     C=d");
        // `C` is on the last line.
        let c = joined.text.find('C').unwrap_or(0);
        assert_eq!(&src[joined.source_span(c..c + 3)], "C=d");
    }

    #[test]
    fn legacy_env_keeps_the_rest_of_the_line() {
        let pairs = name_values("OLD  style \"value\"", "ENV", '\\').unwrap_or_default();
        assert_eq!(pairs.len(), 1);
        assert_eq!(pairs[0].name, "OLD");
        assert_eq!(pairs[0].value.as_deref(), Some("style \"value\""));
        assert!(pairs[0].legacy);
        assert_eq!(pairs[0].value_range, 5..18);
    }

    #[test]
    fn legacy_env_without_value_is_an_error() {
        let err = name_values("ONLY", "ENV", '\\').err().map(|e| e.message);
        assert_eq!(err.as_deref(), Some("ENV must have two arguments"));
    }

    #[test]
    fn mixed_env_words_need_an_equals_sign() {
        let err = name_values("a=b c", "ENV", '\\').err();
        assert_eq!(err.map(|e| e.at), Some(4));
    }

    #[test]
    fn arg_words_with_and_without_defaults() {
        let pairs = arg_pairs("A B=1 C=", '\\').unwrap_or_default();
        let got: Vec<_> = pairs
            .iter()
            .map(|p| (p.name.as_str(), p.value.as_deref()))
            .collect();
        assert_eq!(got, [("A", None), ("B", Some("1")), ("C", Some(""))]);
        assert!(arg_pairs("=x", '\\').is_err());
    }
}

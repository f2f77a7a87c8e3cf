//! Masking of secret values. A finding lists the values it must never print
//! (`Diagnostic::redactions`); every format masks all of them, in every text it writes,
//! including the copy of the source file the human snippets quote. A mask keeps the byte
//! length of what it hides, so spans into the masked copy stay valid.

use std::borrow::Cow;

/// Secrets shorter than this are hidden whole: two characters of a short value give away
/// too much of it.
const SHORTEST_WITH_VISIBLE_PREFIX: usize = 6;
const VISIBLE_PREFIX_CHARS: usize = 2;

/// A set of secret values to mask.
#[derive(Clone, Debug, Default)]
pub struct Masker {
    secrets: Vec<String>,
}

impl Masker {
    pub fn new<'s>(secrets: impl IntoIterator<Item = &'s str>) -> Self {
        let mut secrets: Vec<String> = secrets
            .into_iter()
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        secrets.sort();
        secrets.dedup();
        Masker { secrets }
    }

    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty()
    }

    /// Source text (the copy the human snippets quote) with every occurrence of every secret
    /// masked: its first two characters kept (for values of six characters or more), each
    /// further byte replaced by `*`.
    pub fn mask_source<'t>(&self, text: &'t str) -> Cow<'t, str> {
        self.mask_where(text, |_, _| true)
    }

    /// Prose seaworthy wrote (messages, help, labels, service names): a secret is masked where
    /// it stands as a word of its own. Rules never put values in prose; this is the safety
    /// net, and it must not turn a service called `sentry-cleanup` into `se****-cleanup`
    /// because some password happens to be `sentry`.
    pub fn mask<'t>(&self, text: &'t str) -> Cow<'t, str> {
        self.mask_where(text, |start, end| {
            // part of a name, a path or an image reference (`ghcr.io/saleor/app` when some
            // password is `saleor`)
            let glued =
                |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || "_-./:@".contains(c));
            !glued(text[..start].chars().next_back()) && !glued(text[end..].chars().next())
        })
    }

    fn mask_where<'t>(&self, text: &'t str, masks: impl Fn(usize, usize) -> bool) -> Cow<'t, str> {
        let mut hidden = vec![false; text.len()];
        let mut any = false;
        for secret in &self.secrets {
            let keep = if secret.chars().count() >= SHORTEST_WITH_VISIBLE_PREFIX {
                secret
                    .char_indices()
                    .nth(VISIBLE_PREFIX_CHARS)
                    .map_or(secret.len(), |(i, _)| i)
            } else {
                0
            };
            // Overlapping occurrences count too (`aaa` in `aaaa`).
            let mut from = 0;
            while let Some(found) = text.get(from..).and_then(|rest| rest.find(secret.as_str())) {
                let start = from + found;
                let end = start + secret.len();
                if masks(start, end)
                    && let Some(bytes) = hidden.get_mut(start + keep..end)
                {
                    bytes.fill(true);
                    any = true;
                }
                from = start + text[start..].chars().next().map_or(1, char::len_utf8);
            }
        }
        if !any {
            return Cow::Borrowed(text);
        }
        let mut masked = String::with_capacity(text.len());
        for (i, c) in text.char_indices() {
            if hidden
                .get(i..i + c.len_utf8())
                .is_some_and(|b| b.contains(&true))
            {
                masked.extend(std::iter::repeat_n('*', c.len_utf8()));
            } else {
                masked.push(c);
            }
        }
        Cow::Owned(masked)
    }

    pub fn mask_owned(&self, text: &str) -> String {
        self.mask(text).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_two_characters_and_the_byte_length() {
        let masker = Masker::new(["changeme"]);
        assert_eq!(masker.mask("PASSWORD=changeme"), "PASSWORD=ch******");
    }

    #[test]
    fn short_secrets_are_hidden_whole() {
        let masker = Masker::new(["abc12"]);
        assert_eq!(masker.mask("k=abc12;"), "k=*****;");
    }

    #[test]
    fn multibyte_characters_become_one_star_per_byte() {
        let masker = Masker::new(["pässwörd"]);
        let masked = masker.mask("x: pässwörd");
        assert_eq!(masked.len(), "x: pässwörd".len());
        assert_eq!(masked, "x: pä*******");
    }

    #[test]
    fn overlapping_and_repeated_occurrences_are_all_masked() {
        let masker = Masker::new(["aaaaaa", "secret-one", "one-two-three"]);
        let masked = masker.mask_source("aaaaaaaa secret-one-two-three secret-one");
        assert!(!masked.contains("aaaaaa"));
        assert!(!masked.contains("secret-one"));
        assert!(!masked.contains("one-two-three"));
        assert_eq!(
            masked.len(),
            "aaaaaaaa secret-one-two-three secret-one".len()
        );
    }

    #[test]
    fn prose_masks_whole_words_and_leaves_names_that_contain_a_secret() {
        let masker = Masker::new(["sentry"]);
        assert_eq!(
            masker.mask("service `sentry-cleanup` sets `KEY` to `sentry`"),
            "service `sentry-cleanup` sets `KEY` to `se****`"
        );
        assert_eq!(
            masker.mask("image `ghcr.io/sentry/app:1`"),
            "image `ghcr.io/sentry/app:1`"
        );
        assert_eq!(
            masker.mask_source("sentry-cleanup:\n  KEY: sentry"),
            "se****-cleanup:\n  KEY: se****"
        );
    }

    #[test]
    fn text_without_secrets_is_borrowed() {
        let masker = Masker::new(["", "zzzzzz"]);
        assert!(matches!(masker.mask("nothing here"), Cow::Borrowed(_)));
    }
}

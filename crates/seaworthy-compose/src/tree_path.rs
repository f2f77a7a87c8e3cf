//! Dotted paths into the compose dict (`services.web.environment`), and compose-go's path
//! patterns (`services.*.ports`, with `*` for any key and `[]` for any sequence item), which
//! decide where special merge, de-duplication, cast and path-resolution rules apply.

use std::rc::Rc;

/// A position in the dict, one segment per key or sequence marker.
///
/// The walks build a path for every node of every file, so a path shares its parent's
/// segments: `next` allocates one link instead of copying the whole path.
#[derive(Clone, Debug, Default)]
pub struct TreePath {
    len: usize,
    last: Option<Rc<Link>>,
}

#[derive(Debug)]
struct Link {
    segment: Box<str>,
    parent: Option<Rc<Link>>,
}

impl TreePath {
    pub fn root() -> Self {
        TreePath::default()
    }

    pub fn from_dotted(dotted: &str) -> Self {
        dotted
            .split('.')
            .fold(TreePath::root(), |path, segment| path.next(segment))
    }

    pub fn next(&self, segment: &str) -> TreePath {
        TreePath {
            len: self.len + 1,
            last: Some(Rc::new(Link {
                segment: segment.into(),
                parent: self.last.clone(),
            })),
        }
    }

    /// The segments from the root.
    pub fn segments(&self) -> Vec<&str> {
        let mut segments: Vec<&str> = self.links().map(|l| &*l.segment).collect();
        segments.reverse();
        segments
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn links(&self) -> impl Iterator<Item = &Link> {
        std::iter::successors(self.last.as_deref(), |link| link.parent.as_deref())
    }

    /// compose-go's `Path.Matches`: same length, each segment equal or the pattern's `*`.
    pub fn matches(&self, pattern: &str) -> bool {
        self.matches_pattern(&Pattern::new(pattern))
    }

    /// Every node of every file is checked against whole tables of patterns, so the lengths
    /// are compared first (counted once, when the table is built), then the segments from the
    /// leaf, where paths differ most.
    pub fn matches_pattern(&self, pattern: &Pattern<'_>) -> bool {
        if pattern.len != self.len {
            return false;
        }
        let text = pattern.text.as_bytes();
        let mut links = self.links();
        // The leaf first, with the segment found when the pattern was made: most paths of the
        // right length fail there.
        let mut rest = match links.next() {
            Some(link) => {
                let leaf = text.get(pattern.leaf..).unwrap_or_default();
                if leaf != b"*" && leaf != link.segment.as_bytes() {
                    return false;
                }
                text.get(..pattern.leaf.saturating_sub(1))
                    .unwrap_or_default()
            }
            None => text,
        };
        for link in links {
            let (head, segment) = match rest.iter().rposition(|&b| b == b'.') {
                Some(dot) => (&rest[..dot], &rest[dot + 1..]),
                None => (&rest[..0], rest),
            };
            if segment != b"*" && segment != link.segment.as_bytes() {
                return false;
            }
            rest = head;
        }
        true
    }
}

/// A dotted pattern with its number of segments and where its last one starts.
#[derive(Clone, Copy, Debug)]
pub struct Pattern<'a> {
    text: &'a str,
    len: usize,
    leaf: usize,
}

impl<'a> Pattern<'a> {
    pub const fn new(text: &'a str) -> Pattern<'a> {
        let bytes = text.as_bytes();
        let mut len = 1;
        let mut leaf = 0;
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'.' {
                len += 1;
                leaf = i + 1;
            }
            i += 1;
        }
        Pattern { text, len, leaf }
    }

    pub fn text(&self) -> &'a str {
        self.text
    }
}

impl PartialEq for TreePath {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len
            && self
                .links()
                .zip(other.links())
                .all(|(a, b)| a.segment == b.segment)
    }
}

impl Eq for TreePath {}

impl std::fmt::Display for TreePath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.segments().join("."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_segment_by_segment() {
        let path = TreePath::from_dotted("services.web.ports");
        assert!(path.matches("services.*.ports"));
        assert!(!path.matches("services.*"));
        assert!(!path.matches("services.*.ports.*"));
        assert!(TreePath::from_dotted("services.web.ports.[]").matches("services.*.ports.*"));
        assert!(!path.matches("services.web"));
        assert!(!path.matches("services.web.ports."));
        assert!(!TreePath::root().matches("services"));
        assert_eq!(path.to_string(), "services.web.ports");
    }

    #[test]
    fn patterns_match_as_compose_go_compares_segments() {
        let texts = [
            "",
            ".",
            "a",
            "*",
            "a.",
            ".a",
            "a.b",
            "a.*",
            "*.b",
            "*.*",
            "a.b.c",
            "a.*.c",
            "a..c",
            "services.web.ports",
            "services.*.ports",
            "services.*.ports.*",
            "x.y.ports",
        ];
        for path in texts {
            for pattern in texts {
                let expected = path.split('.').count() == pattern.split('.').count()
                    && path
                        .split('.')
                        .zip(pattern.split('.'))
                        .all(|(p, q)| q == "*" || p == q);
                let tree = TreePath::from_dotted(path);
                assert_eq!(tree.matches(pattern), expected, "{path:?} ~ {pattern:?}");
            }
        }
    }
}

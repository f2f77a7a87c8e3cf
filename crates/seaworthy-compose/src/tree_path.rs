//! Dotted paths into the compose dict (`services.web.environment`), and compose-go's path
//! patterns (`services.*.ports`, with `*` for any key and `[]` for any sequence item), which
//! decide where special merge, de-duplication, cast and path-resolution rules apply.

/// A position in the dict, one segment per key or sequence marker.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TreePath(Vec<String>);

impl TreePath {
    pub fn root() -> Self {
        TreePath(Vec::new())
    }

    pub fn from_dotted(dotted: &str) -> Self {
        TreePath(dotted.split('.').map(str::to_owned).collect())
    }

    pub fn next(&self, segment: &str) -> TreePath {
        let mut segments = self.0.clone();
        segments.push(segment.to_owned());
        TreePath(segments)
    }

    pub fn segments(&self) -> &[String] {
        &self.0
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// compose-go's `Path.Matches`: same length, each segment equal or the pattern's `*`.
    pub fn matches(&self, pattern: &str) -> bool {
        let mut pattern_segments = pattern.split('.');
        for segment in &self.0 {
            match pattern_segments.next() {
                Some("*") => {}
                Some(p) if p == segment => {}
                _ => return false,
            }
        }
        pattern_segments.next().is_none()
    }
}

impl std::fmt::Display for TreePath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.join("."))
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
        assert_eq!(path.to_string(), "services.web.ports");
    }
}

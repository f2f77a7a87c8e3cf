//! The data a finding or a load problem carries: where, what, how bad, and what to do.
//! Rendering lives elsewhere; this is plain data.

use crate::span::Span;
use std::fmt;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
    /// The project cannot be loaded as docker compose would load it.
    Error,
}

impl Severity {
    /// Every severity, worst first: the order reports list them in.
    pub const WORST_FIRST: [Severity; 6] = [
        Severity::Error,
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A span with an optional message shown next to it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

impl Label {
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        Label {
            span,
            message: message.into(),
        }
    }
}

/// One problem found in the user's files.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Diagnostic {
    /// A stable name (`yaml-syntax`, `memory-limit`, ...).
    pub code: String,
    pub severity: Severity,
    /// States the fact, lowercase, no trailing period.
    pub message: String,
    /// Where a person must look; `None` when the problem has no place in a file.
    pub primary: Option<Label>,
    pub secondary: Vec<Label>,
    /// What to do about it.
    pub help: Option<String>,
    /// Substrings that must never be printed (secret values), in any output format.
    pub redactions: Vec<String>,
}

impl Diagnostic {
    pub fn new(code: impl Into<String>, severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            code: code.into(),
            severity,
            message: message.into(),
            primary: None,
            secondary: Vec::new(),
            help: None,
            redactions: Vec::new(),
        }
    }

    pub fn error(code: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic::new(code, Severity::Error, message)
    }

    pub fn with_primary(mut self, span: Span, message: impl Into<String>) -> Self {
        self.primary = (!span.is_synthetic()).then(|| Label::new(span, message));
        self
    }

    pub fn with_secondary(mut self, span: Span, message: impl Into<String>) -> Self {
        if !span.is_synthetic() {
            self.secondary.push(Label::new(span, message));
        }
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FileId;

    #[test]
    fn synthetic_spans_never_become_labels() {
        let d = Diagnostic::error("x", "m").with_primary(Span::SYNTHETIC, "here");
        assert!(d.primary.is_none());
        let d = d.with_primary(Span::new(FileId(0), 1, 2), "here");
        assert_eq!(d.primary.unwrap().span.start, 1);
    }

    #[test]
    fn severities_are_ordered() {
        assert!(Severity::Critical > Severity::High && Severity::High > Severity::Info);
    }
}

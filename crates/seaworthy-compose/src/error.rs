//! The one error type of loading: docker compose's message, the span of the text at fault when
//! there is one, and what to do about it.

use seaworthy_source::{Diagnostic, Span};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    /// A stable name for the kind of problem (`yaml-syntax`, `interpolation`, `schema`, ...).
    pub code: &'static str,
    /// The message docker compose prints for the same problem, where it prints one.
    pub message: String,
    pub span: Option<Span>,
    pub help: Option<String>,
    /// Another place the problem involves (the first of two clashing names).
    pub secondary: Option<(Span, String)>,
}

impl LoadError {
    pub fn new(message: impl Into<String>) -> Self {
        LoadError {
            code: "load",
            message: message.into(),
            span: None,
            help: None,
            secondary: None,
        }
    }

    pub fn at(message: impl Into<String>, span: Span) -> Self {
        LoadError::new(message).with_span(span)
    }

    pub fn with_span(mut self, span: Span) -> Self {
        self.span = (!span.is_synthetic()).then_some(span);
        self
    }

    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = code;
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_secondary(mut self, span: Span, label: impl Into<String>) -> Self {
        self.secondary = (!span.is_synthetic()).then(|| (span, label.into()));
        self
    }

    pub fn to_diagnostic(&self) -> Diagnostic {
        let mut diagnostic = Diagnostic::error(self.code, self.message.clone());
        if let Some(span) = self.span {
            diagnostic = diagnostic.with_primary(span, "");
        }
        if let Some((span, label)) = &self.secondary {
            diagnostic = diagnostic.with_secondary(*span, label.clone());
        }
        if let Some(help) = &self.help {
            diagnostic = diagnostic.with_help(help.clone());
        }
        diagnostic
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for LoadError {}

//! Byte ranges in source files, and values that carry the range of the text that set them.

use std::fmt;

/// Identifies one file loaded into a [`crate::SourceMap`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Default)]
pub struct FileId(pub u32);

/// A byte range in one source file. Positions are bytes internally; lines and columns are
/// computed only when rendering.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    /// A span that points nowhere: used for values synthesized by a rule of the loader.
    pub const SYNTHETIC: Span = Span {
        file: FileId(u32::MAX),
        start: 0,
        end: 0,
    };

    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span {
            file,
            start: to_u32(start),
            end: to_u32(end.max(start)),
        }
    }

    pub fn is_synthetic(&self) -> bool {
        self.file.0 == u32::MAX
    }

    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

fn to_u32(offset: usize) -> u32 {
    u32::try_from(offset).unwrap_or(u32::MAX)
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_synthetic() {
            write!(f, "<synthetic>")
        } else {
            write!(f, "{}@{}..{}", self.file.0, self.start, self.end)
        }
    }
}

/// A value, the span of the text that set it, and the spans of the earlier definitions it
/// replaced (for example a base file's value that an overlay overrode).
#[derive(Clone, PartialEq, Debug)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
    pub overridden: Vec<Span>,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Spanned {
            value,
            span,
            overridden: Vec::new(),
        }
    }

    /// Replaces the value with one set elsewhere, remembering where the old one came from.
    pub fn override_with(&mut self, value: T, span: Span) {
        let old = std::mem::replace(&mut self.span, span);
        self.overridden.push(old);
        self.value = value;
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Spanned<U> {
        Spanned {
            value: f(self.value),
            span: self.span,
            overridden: self.overridden,
        }
    }
}

impl<T> std::ops::Deref for Spanned<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn override_keeps_the_replaced_span() {
        let base = Span::new(FileId(0), 3, 7);
        let overlay = Span::new(FileId(1), 10, 12);
        let mut value = Spanned::new("512m", base);
        value.override_with("1g", overlay);
        assert_eq!(*value, "1g");
        assert_eq!(value.span, overlay);
        assert_eq!(value.overridden, vec![base]);
    }

    #[test]
    fn synthetic_span_is_recognised() {
        assert!(Span::SYNTHETIC.is_synthetic());
        assert!(!Span::new(FileId(0), 0, 1).is_synthetic());
    }
}

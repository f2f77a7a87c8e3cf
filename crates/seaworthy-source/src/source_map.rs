//! The text of every loaded file and the index that turns byte offsets into 1-based lines and
//! columns (in bytes, code points and UTF-16 units, as different consumers expect).

use crate::span::{FileId, Span};
use std::path::{Path, PathBuf};

/// One loaded file: its path as the user would name it, its text and its line starts.
#[derive(Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
    line_starts: Vec<u32>,
}

/// A 1-based position.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct LineCol {
    pub line: usize,
    /// Column counted in bytes.
    pub column: usize,
    /// Column counted in Unicode code points.
    pub column_chars: usize,
    /// Column counted in UTF-16 code units (what LSP and SARIF consumers often expect).
    pub column_utf16: usize,
}

impl SourceFile {
    pub fn new(path: PathBuf, text: String) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| (i + 1) as u32),
        );
        SourceFile {
            path,
            text,
            line_starts,
        }
    }

    /// 1-based line and columns of a byte offset (clamped to the text).
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let line_index = match self.line_starts.binary_search(&(offset as u32)) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let line_start = self.line_starts[line_index] as usize;
        let mut boundary = offset;
        while !self.text.is_char_boundary(boundary) {
            boundary -= 1;
        }
        let prefix = &self.text[line_start..boundary];
        LineCol {
            line: line_index + 1,
            column: offset - line_start + 1,
            column_chars: prefix.chars().count() + 1,
            column_utf16: prefix.encode_utf16().count() + 1,
        }
    }

    /// The text of a 1-based line, without its line break.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line)
            .map_or(self.text.len(), |&e| e as usize);
        self.text[start as usize..end].trim_end_matches(['\n', '\r'])
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

/// Every file read while loading a project, addressed by [`FileId`].
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn new() -> Self {
        SourceMap::default()
    }

    pub fn add(&mut self, path: impl Into<PathBuf>, text: String) -> FileId {
        let id = FileId(self.files.len() as u32);
        self.files.push(SourceFile::new(path.into(), text));
        id
    }

    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    pub fn path(&self, id: FileId) -> Option<&Path> {
        self.get(id).map(|f| f.path.as_path())
    }

    /// The path and 1-based start position of a span, or `None` for synthetic spans.
    pub fn locate(&self, span: Span) -> Option<(&Path, LineCol)> {
        let file = self.get(span.file)?;
        Some((&file.path, file.line_col(span.start as usize)))
    }

    pub fn text(&self, span: Span) -> Option<&str> {
        self.get(span.file)?.text.get(span.range())
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_are_one_based() {
        let file = SourceFile::new("a.yml".into(), "a: 1\nbb: 2\n".into());
        let pos = file.line_col(6);
        assert_eq!((pos.line, pos.column), (2, 2));
        assert_eq!(file.line_text(2), "bb: 2");
    }

    #[test]
    fn columns_in_bytes_chars_and_utf16_differ_after_wide_characters() {
        // "é" is 2 bytes, 1 code point, 1 UTF-16 unit; "𝄞" is 4 bytes, 1 code point, 2 units.
        let file = SourceFile::new("a.yml".into(), "x: é𝄞z".into());
        let pos = file.line_col("x: é𝄞".len());
        assert_eq!(pos.column, 10);
        assert_eq!(pos.column_chars, 6);
        assert_eq!(pos.column_utf16, 7);
    }

    #[test]
    fn offset_past_the_end_is_clamped() {
        let file = SourceFile::new("a.yml".into(), "a\nb".into());
        assert_eq!(file.line_col(99).line, 2);
    }
}

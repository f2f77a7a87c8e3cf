//! The format for a person: rustc-style snippets (annotate-snippets) from every file a finding
//! involves, a help line, the targets it applies to, and a summary line. Suppressed findings
//! are left out. The snippets quote a copy of each file with the secrets masked.

use crate::redact::Masker;
use crate::view::View;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use seaworthy_source::{Diagnostic, FileId, Severity, SourceMap};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

pub(crate) fn render(view: &View<'_>) -> String {
    let report = view.report;
    let several_targets = report.targets.len() > 1;
    let mut texts = MaskedTexts::new(report.sources, &view.masker);
    let mut out = String::new();
    let shown = view
        .errors
        .iter()
        .chain(view.findings.iter().filter(|item| !item.is_suppressed()));
    for item in shown {
        let targets = &item.finding.targets;
        let note = match targets.as_slice() {
            [] => None,
            [one] if several_targets => Some(format!("in target {one}")),
            [_] => None,
            many => Some(format!("in targets {}", many.join(", "))),
        };
        let text = Text {
            message: &item.message,
            help: item.help.as_deref(),
            note: note.as_deref(),
        };
        out.push_str(&snippet(
            item.diagnostic(),
            &text,
            &view.masker,
            &mut texts,
            report.root,
            report.styled,
        ));
        out.push_str("\n\n");
    }
    out.push_str(&view.summary_line());
    out.push('\n');
    out
}

/// Renders one diagnostic on its own (no trailing newline), its secrets masked: what the
/// commands that only report load problems print.
pub fn render_diagnostic(
    diagnostic: &Diagnostic,
    sources: &SourceMap,
    root: &Path,
    styled: bool,
) -> String {
    let masker = Masker::new(diagnostic.redactions.iter().map(String::as_str));
    let message = masker.mask(&diagnostic.message);
    let help = diagnostic.help.as_deref().map(|h| masker.mask(h));
    let text = Text {
        message: &message,
        help: help.as_deref(),
        note: None,
    };
    let mut texts = MaskedTexts::new(sources, &masker);
    snippet(diagnostic, &text, &masker, &mut texts, root, styled)
}

/// A path relative to `root` when it is inside it, as a person would type it.
pub fn display_path(path: &Path, root: &Path) -> String {
    match path.strip_prefix(root) {
        Ok(relative) if !relative.as_os_str().is_empty() => relative.display().to_string(),
        _ => path.display().to_string(),
    }
}

/// The masked words of a diagnostic.
struct Text<'t> {
    message: &'t str,
    help: Option<&'t str>,
    note: Option<&'t str>,
}

/// Masked copies of the files, made once per file and only for files that hold a secret.
struct MaskedTexts<'s> {
    sources: &'s SourceMap,
    masker: &'s Masker,
    masked: BTreeMap<FileId, Cow<'s, str>>,
}

impl<'s> MaskedTexts<'s> {
    fn new(sources: &'s SourceMap, masker: &'s Masker) -> Self {
        MaskedTexts {
            sources,
            masker,
            masked: BTreeMap::new(),
        }
    }

    fn get(&mut self, file: FileId) -> Option<&str> {
        let source = self.sources.get(file)?;
        let masker = self.masker;
        Some(
            self.masked
                .entry(file)
                .or_insert_with(|| masker.mask_source(&source.text)),
        )
    }
}

fn snippet(
    diagnostic: &Diagnostic,
    text: &Text<'_>,
    masker: &Masker,
    texts: &mut MaskedTexts<'_>,
    root: &Path,
    styled: bool,
) -> String {
    let level = match diagnostic.severity {
        Severity::Error | Severity::Critical | Severity::High => Level::ERROR,
        Severity::Medium | Severity::Low => Level::WARNING,
        Severity::Info => Level::NOTE,
    };
    let labels: Vec<(FileId, std::ops::Range<usize>, String, AnnotationKind)> = diagnostic
        .primary
        .iter()
        .map(|l| (l, AnnotationKind::Primary))
        .chain(
            diagnostic
                .secondary
                .iter()
                .map(|l| (l, AnnotationKind::Context)),
        )
        .map(|(label, kind)| {
            (
                label.span.file,
                label.span.range(),
                masker.mask_owned(&label.message),
                kind,
            )
        })
        .collect();
    // One snippet per file, in order of first appearance, with all its labels.
    let mut files: Vec<FileId> = Vec::new();
    for (file, ..) in &labels {
        if !files.contains(file) {
            files.push(*file);
        }
    }
    let sources = texts.sources;
    let mut snippets = Vec::new();
    for file_id in files {
        let (Some(path), Some(source)) = (sources.path(file_id), texts.get(file_id)) else {
            continue;
        };
        let mut snippet = Snippet::source(source.to_owned())
            .path(display_path(path, root))
            .line_start(1);
        for (_, range, label, kind) in labels.iter().filter(|(f, ..)| *f == file_id) {
            let range = char_range(source, range.clone());
            snippet = snippet.annotation((*kind).span(range).label(label.as_str()));
        }
        snippets.push(snippet);
    }
    let mut group = Group::with_title(
        level
            .primary_title(text.message)
            .id(diagnostic.code.as_str()),
    );
    for snippet in snippets {
        group = group.element(snippet);
    }
    if let Some(note) = text.note {
        group = group.element(Level::NOTE.message(note));
    }
    if let Some(help) = text.help {
        group = group.element(Level::HELP.message(help));
    }
    let renderer = if styled {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    renderer.render(&[group])
}

/// A byte range clamped to the text and widened to character boundaries, as annotate-snippets
/// needs it.
fn char_range(text: &str, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let mut start = range.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    if range.end <= range.start {
        return start..start;
    }
    let mut end = range.end.min(text.len()).max(start);
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;
    use seaworthy_source::Span;

    #[test]
    fn a_single_diagnostic_masks_its_secret_in_the_snippet_and_message() {
        let mut sources = SourceMap::new();
        let file = sources.add("/project/compose.yaml", "x: PASSWORD=hunter22\n".into());
        let mut diagnostic = Diagnostic::error("plain-secret", "secret `hunter22` in plain text")
            .with_primary(Span::new(file, 3, 20), "here");
        diagnostic.redactions.push("hunter22".into());
        let text = render_diagnostic(&diagnostic, &sources, Path::new("/project"), false);
        assert!(!text.contains("hunter22"), "{text}");
        assert!(text.contains("PASSWORD=hu******"), "{text}");
        assert!(text.contains("compose.yaml:1:4"), "{text}");
    }

    #[test]
    fn spans_inside_a_character_are_widened() {
        assert_eq!(char_range("é", 1..1), 0..0);
        assert_eq!(char_range("aé", 2..2), 1..1);
        assert_eq!(char_range("aé", 1..2), 1..3);
        assert_eq!(char_range("ab", 5..9), 2..2);
    }
}

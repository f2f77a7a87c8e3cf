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

/// Masked copies of the files, made once per file and only for files that hold a secret, with
/// where their lines end.
struct MaskedTexts<'s> {
    sources: &'s SourceMap,
    masker: &'s Masker,
    masked: BTreeMap<FileId, Masked<'s>>,
}

struct Masked<'s> {
    text: Cow<'s, str>,
    /// Offsets of the text's newlines, to number the first line of an excerpt without counting
    /// from the top for every finding.
    newlines: Vec<usize>,
}

impl<'s> MaskedTexts<'s> {
    fn new(sources: &'s SourceMap, masker: &'s Masker) -> Self {
        MaskedTexts {
            sources,
            masker,
            masked: BTreeMap::new(),
        }
    }

    fn get(&mut self, file: FileId) -> Option<&Masked<'s>> {
        let source = self.sources.get(file)?;
        let masker = self.masker;
        Some(self.masked.entry(file).or_insert_with(|| {
            let text = masker.mask_source(&source.text);
            let newlines = text
                .bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(at, _)| at)
                .collect();
            Masked { text, newlines }
        }))
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
        let (Some(path), Some(masked)) = (sources.path(file_id), texts.get(file_id)) else {
            continue;
        };
        let source: &str = &masked.text;
        let annotations: Vec<(std::ops::Range<usize>, &str, AnnotationKind)> = labels
            .iter()
            .filter(|(f, ..)| *f == file_id)
            .map(|(_, range, label, kind)| {
                (char_range(source, range.clone()), label.as_str(), *kind)
            })
            .collect();
        snippets.push(file_snippet(
            source,
            &masked.newlines,
            display_path(path, root),
            &annotations,
        ));
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

/// The snippet of one file: only the lines its annotations touch are handed to annotate-snippets
/// (it shows no other line), since indexing a whole file for every finding cost more than the
/// rest of the report. Near the end of the text, where annotate-snippets treats positions past
/// the last line specially, it gets the whole file.
fn file_snippet<'a>(
    source: &str,
    newlines: &[usize],
    path: String,
    annotations: &[(std::ops::Range<usize>, &'a str, AnnotationKind)],
) -> Snippet<'a, annotate_snippets::Annotation<'a>> {
    let ranges = annotations.iter().map(|(range, ..)| range.clone());
    let (offset, line) = excerpt(source, newlines, ranges).unwrap_or((0..source.len(), 1));
    let start = offset.start;
    let mut snippet = Snippet::source(source.get(offset).unwrap_or(source).to_owned())
        .path(path)
        .line_start(line);
    for (range, label, kind) in annotations {
        let range = range.start - start..range.end - start;
        snippet = snippet.annotation((*kind).span(range).label(*label));
    }
    snippet
}

/// The whole lines from the first range's to the last one's, with the number of the first (from
/// the offsets of the text's newlines); `None` where annotate-snippets would show the cut text
/// differently.
fn excerpt(
    source: &str,
    newlines: &[usize],
    ranges: impl Iterator<Item = std::ops::Range<usize>>,
) -> Option<(std::ops::Range<usize>, usize)> {
    let (mut low, mut high) = (usize::MAX, 0);
    for range in ranges {
        low = low.min(range.start);
        high = high.max(range.end);
    }
    if low > high {
        return None;
    }
    // A range ending at the start of a line touches that line too.
    let end = newlines.get(newlines.partition_point(|n| *n < high))? + 1;
    if end >= source.len() {
        return None;
    }
    let line = newlines.partition_point(|n| *n < low);
    let start = match line.checked_sub(1) {
        Some(previous) => newlines.get(previous)? + 1,
        None => 0,
    };
    // annotate-snippets sizes the line-number column from the text before the last range's end,
    // which counts one line less for a file cut right there.
    if high == start && start > 0 {
        return None;
    }
    let line = line + 1;
    Some((start..end, line))
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

    fn newlines(source: &str) -> Vec<usize> {
        source.match_indices('\n').map(|(at, _)| at).collect()
    }

    /// What annotate-snippets prints for the annotations over the whole file.
    fn whole_file(
        source: &str,
        annotations: &[(std::ops::Range<usize>, &str, AnnotationKind)],
    ) -> String {
        let mut snippet = Snippet::source(source.to_owned())
            .path("compose.yaml")
            .line_start(1);
        for (range, label, kind) in annotations {
            snippet = snippet.annotation((*kind).span(range.clone()).label(*label));
        }
        let group = Group::with_title(Level::WARNING.primary_title("m").id("r")).element(snippet);
        Renderer::plain().render(&[group])
    }

    fn excerpted(
        source: &str,
        annotations: &[(std::ops::Range<usize>, &str, AnnotationKind)],
    ) -> String {
        let snippet = file_snippet(
            source,
            &newlines(source),
            "compose.yaml".to_owned(),
            annotations,
        );
        let group = Group::with_title(Level::WARNING.primary_title("m").id("r")).element(snippet);
        Renderer::plain().render(&[group])
    }

    #[test]
    fn an_excerpt_renders_as_the_whole_file_does() {
        let source = "services:\n  web:\n    image: nginx\n\n    environment:\r\n      A: é1\n      B: \"x\"\n    # note\n    ports: [\"80:80\"]\n  db:\n    image: postgres\n\n\nvolumes: {}\n";
        let bounds: Vec<usize> = (0..=source.len())
            .filter(|at| source.is_char_boundary(*at))
            .collect();
        let mut checked = 0;
        for (i, &a) in bounds.iter().enumerate() {
            for &b in bounds.iter().skip(i).step_by(4) {
                let one = [(a..b, "here", AnnotationKind::Primary)];
                assert_eq!(
                    excerpted(source, &one),
                    whole_file(source, &one),
                    "{a}..{b}"
                );
                for &c in bounds.iter().step_by(29) {
                    let near = char_range(source, c..c + 4);
                    let two = [
                        (a..b, "here", AnnotationKind::Primary),
                        (near, "there", AnnotationKind::Context),
                    ];
                    assert_eq!(
                        excerpted(source, &two),
                        whole_file(source, &two),
                        "{a}..{b}, {c}"
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 1000, "{checked}");
        assert_eq!(
            excerpt(source, &newlines(source), [20..25, 38..40].into_iter()),
            Some((17..53, 3))
        );
    }

    #[test]
    fn spans_inside_a_character_are_widened() {
        assert_eq!(char_range("é", 1..1), 0..0);
        assert_eq!(char_range("aé", 2..2), 1..1);
        assert_eq!(char_range("aé", 1..2), 1..3);
        assert_eq!(char_range("ab", 5..9), 2..2);
    }
}

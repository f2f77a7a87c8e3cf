//! Diagnostics for a person: rustc-style snippets from every file involved, with paths shown
//! relative to the directory seaworthy runs in. Colour only on a terminal and never with
//! `NO_COLOR` (anstream decides).

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use seaworthy_source::{Diagnostic, Severity, SourceMap};
use std::path::Path;

/// Renders one diagnostic to a string (no trailing newline).
pub fn render(diagnostic: &Diagnostic, sources: &SourceMap, cwd: &Path, styled: bool) -> String {
    let level = match diagnostic.severity {
        Severity::Error | Severity::Critical | Severity::High => Level::ERROR,
        Severity::Medium | Severity::Low => Level::WARNING,
        Severity::Info => Level::NOTE,
    };
    let mut group = Group::with_title(
        level
            .primary_title(diagnostic.message.as_str())
            .id(diagnostic.code.as_str()),
    );
    let mut labels = Vec::new();
    if let Some(primary) = &diagnostic.primary {
        labels.push((primary, AnnotationKind::Primary));
    }
    labels.extend(
        diagnostic
            .secondary
            .iter()
            .map(|l| (l, AnnotationKind::Context)),
    );
    // One snippet per file, in order of first appearance, with all its labels.
    let mut files: Vec<seaworthy_source::FileId> = Vec::new();
    for (label, _) in &labels {
        if !files.contains(&label.span.file) {
            files.push(label.span.file);
        }
    }
    for file_id in files {
        let Some(file) = sources.get(file_id) else {
            continue;
        };
        let path = display_path(&file.path, cwd);
        let mut snippet = Snippet::source(file.text.as_str()).path(path).line_start(1);
        for (label, kind) in labels.iter().filter(|(l, _)| l.span.file == file_id) {
            let range = label.span.range();
            let range = range.start.min(file.text.len())..range.end.min(file.text.len());
            snippet = snippet.annotation((*kind).span(range).label(label.message.as_str()));
        }
        group = group.element(snippet);
    }
    if let Some(help) = &diagnostic.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    let renderer = if styled {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    renderer.render(&[group])
}

/// A path relative to the current directory when it is inside it, as a person would type it.
pub fn display_path(path: &Path, cwd: &Path) -> String {
    match path.strip_prefix(cwd) {
        Ok(relative) if !relative.as_os_str().is_empty() => relative.display().to_string(),
        _ => path.display().to_string(),
    }
}

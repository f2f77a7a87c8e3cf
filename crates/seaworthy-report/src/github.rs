//! GitHub Actions workflow commands: one annotation per finding that is not suppressed
//! (`::error file=...,line=...::message`), shown on the pull request's diff. Critical, high and
//! load errors are errors, medium and low warnings, info notices.

use crate::view::{Item, View};
use seaworthy_source::Severity;

pub(crate) fn render(view: &View<'_>) -> String {
    let mut out = String::new();
    let shown = view
        .errors
        .iter()
        .chain(view.findings.iter().filter(|item| !item.is_suppressed()));
    for item in shown {
        out.push_str(&annotation(item));
        out.push('\n');
    }
    out
}

fn annotation(item: &Item<'_>) -> String {
    let command = match item.severity {
        Severity::Error | Severity::Critical | Severity::High => "error",
        Severity::Medium | Severity::Low => "warning",
        Severity::Info => "notice",
    };
    let mut properties = Vec::new();
    if let Some(location) = &item.location {
        properties.push(format!("file={}", escape_property(&location.file)));
        properties.push(format!("line={}", location.line));
        properties.push(format!("col={}", location.column));
        properties.push(format!("endLine={}", location.end_line));
        properties.push(format!("endColumn={}", location.end_column));
    }
    properties.push(format!("title={}", escape_property(item.rule)));
    let mut message = item.message.clone();
    if let Some(help) = &item.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!(
        "::{command} {}::{}",
        properties.join(","),
        escape_data(&message)
    )
}

/// The message of a workflow command: `%`, CR and LF are encoded, as `@actions/core` does.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: the message's escapes, and `:` and `,` which would end the value.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_follow_the_actions_toolkit() {
        assert_eq!(
            escape_data("100% done\r\nnext: a,b"),
            "100%25 done%0D%0Anext: a,b"
        );
        assert_eq!(escape_property("c:\\a,b%"), "c%3A\\a%2Cb%25");
    }
}

//! Secrets are never printed (DESIGN §4): values a finding redacts are planted in its message,
//! help, labels and suppression reason, in a load error, and in the source text that the human
//! snippets quote (also on a line that another finding, which knows nothing of the secret,
//! points at). No format may contain any of them, raw or escaped.

mod common;

use common::{Fixture, rules};
use seaworthy_report::{Finding, Format, render};
use seaworthy_source::{Diagnostic, Severity};

/// Values with characters that JSON, XML, Markdown and workflow commands escape.
const SECRETS: [&str; 3] = [
    common::SECRET,
    "p@ss\"w0rd|%,:<&>",
    "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
];

#[test]
fn no_format_prints_a_redacted_value() {
    let mut fixture = Fixture::new();
    // The token sits in the base file, on a line that a second finding also points at.
    let base = fixture.sources.get(fixture.base).unwrap().text.clone();
    let planted = base.replace(
        "POSTGRES_USER: app",
        &format!("POSTGRES_USER: app # {} {}", SECRETS[2], SECRETS[1]),
    );
    let mut sources = seaworthy_source::SourceMap::new();
    let base_file = sources.add(
        fixture.sources.path(fixture.base).unwrap().to_path_buf(),
        planted,
    );
    let prod_text = fixture.sources.get(fixture.prod).unwrap().text.clone();
    let prod_file = sources.add(
        fixture.sources.path(fixture.prod).unwrap().to_path_buf(),
        prod_text,
    );
    assert_eq!((base_file, prod_file), (fixture.base, fixture.prod));
    fixture.sources = sources;

    let mut token = Diagnostic::new(
        "known-token-pattern",
        Severity::Critical,
        format!("a GitHub token `{}` is committed", SECRETS[2]),
    )
    .with_primary(
        fixture.span(fixture.base, SECRETS[2], 0),
        format!("token {}", SECRETS[2]),
    )
    .with_secondary(
        fixture.span(fixture.prod, SECRETS[0], 0),
        format!("and {}", SECRETS[0]),
    )
    .with_help(format!("revoke `{}` and `{}`", SECRETS[2], SECRETS[1]));
    token.redactions = SECRETS.iter().map(|s| (*s).to_owned()).collect();
    // Knows nothing of the secrets, but quotes the line that holds them.
    let neighbour = Diagnostic::new("user-root", Severity::Medium, "service `db` runs as root")
        .with_primary(fixture.span(fixture.base, "POSTGRES_USER", 0), "here");
    let mut broken = Diagnostic::error("interpolation", format!("invalid value `{}`", SECRETS[1]))
        .with_primary(
            fixture.span(fixture.base, SECRETS[1], 0),
            SECRETS[1].to_owned(),
        );
    broken.redactions.push(SECRETS[1].to_owned());

    let mut report = fixture.report();
    report.findings.push(Finding {
        service: Some("db".to_owned()),
        targets: vec!["selfhosted".to_owned()],
        ..Finding::new(token.clone())
    });
    report.findings.push(Finding {
        service: Some("db".to_owned()),
        targets: vec!["selfhosted".to_owned()],
        suppressed: Some(format!("rotated {} already", SECRETS[2])),
        ..Finding::new(token)
    });
    report.findings.push(Finding {
        service: Some("db".to_owned()),
        targets: vec!["selfhosted".to_owned()],
        ..Finding::new(neighbour)
    });
    report.load_errors.push(Finding {
        targets: vec!["staging".to_owned()],
        ..Finding::new(broken)
    });

    for styled in [false, true] {
        report.styled = styled;
        for format in Format::ALL {
            let output = render(&report, format, &rules());
            assert!(
                output.contains("ch*"),
                "{format} shows the masked value: {output}"
            );
            for secret in SECRETS {
                // The whole value, and what follows its two visible characters, in any
                // escaping a format might apply.
                let tail: String = secret.chars().skip(2).collect();
                for needle in [secret, tail.as_str(), "w0rd", "ss\\\"w0rd", "ss&quot;w0rd"] {
                    assert!(
                        !output.contains(needle),
                        "{format} (styled: {styled}) prints `{needle}`:\n{output}"
                    );
                }
            }
        }
    }
}

//! The `harden` planner: the fixes the findings of one target propose, gathered into one
//! overlay file, each value under a comment that says which rule it satisfies and why.
//!
//! The overlay is written by hand rather than through the `config` printer because it holds
//! comments and `!override` tags, which the printer's model has no place for; the values
//! themselves are few and simple (strings, integers, booleans, lists of strings).

use crate::builds::{BuildCache, gather};
use crate::context::Finding;
use crate::engine::check_with;
use crate::patch::{Patch, PatchValue};
use crate::settings::Settings;
use seaworthy_compose::{LoadError, LoadOptions, Project, Sources, load};
use seaworthy_source::{Env, FileSystem, WithFile, lexical_clean};
use std::fmt::Write as _;
use std::path::Path;

/// One target hardened: the overlay, its text, and the check before and after it.
#[derive(Debug)]
pub struct Hardened {
    pub overlay: Overlay,
    pub text: String,
    /// The target as it is.
    pub before: Checked,
    /// The target with the overlay as its last file, loaded and checked before anything is
    /// written.
    pub after: Result<Checked, LoadError>,
}

/// A loaded target and its findings.
#[derive(Debug)]
pub struct Checked {
    pub project: Project,
    pub findings: Vec<Finding>,
}

/// Hardens the target `options` loads: checks it, writes the overlay the findings' fixes make
/// (for `output`, with `header` as its first comment lines), and checks the target again with
/// the overlay as its last file, read from memory.
pub fn harden(
    options: &LoadOptions,
    settings: &Settings,
    fs: &dyn FileSystem,
    env: &dyn Env,
    output: &Path,
    unsafe_allowed: bool,
    header: &[String],
) -> Result<Hardened, LoadError> {
    let settings = &Settings {
        fixes: true,
        ..settings.clone()
    };
    let before = check_one(options, settings, fs, env)?;
    let overlay = plan(&before.findings, unsafe_allowed);
    let text = overlay.to_yaml(header);
    let output = lexical_clean(&options.cwd.join(output));
    let with_overlay = WithFile {
        inner: fs,
        path: output.clone(),
        content: text.clone().into_bytes(),
    };
    let mut files = before.project.files.clone();
    files.retain(|f| *f != output);
    files.push(output);
    let options = LoadOptions {
        files,
        ..options.clone()
    };
    let after = check_one(&options, settings, &with_overlay, env);
    Ok(Hardened {
        overlay,
        text,
        before,
        after,
    })
}

fn check_one(
    options: &LoadOptions,
    settings: &Settings,
    fs: &dyn FileSystem,
    env: &dyn Env,
) -> Result<Checked, LoadError> {
    let mut sources = Sources::new();
    let project = load(options, fs, env, &mut sources)?;
    let builds = gather(&project, fs, &mut sources.map, &mut BuildCache::default());
    let findings = check_with(&project, settings, fs, &builds);
    Ok(Checked { project, findings })
}

/// The overlay for one target.
#[derive(Debug, Default)]
pub struct Overlay {
    services: Vec<(String, Vec<Entry>)>,
    /// The findings whose every fix is in the overlay.
    pub fixed: Vec<Fixed>,
    /// Fixes left out because they are unsafe and `--unsafe` was not given.
    pub left_out: Vec<Patch>,
}

/// A finding the overlay fixes, as `check` reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fixed {
    pub rule: String,
    pub service: Option<String>,
    pub message: String,
}

impl Fixed {
    /// Whether `finding` is this one.
    pub fn is(&self, finding: &Finding) -> bool {
        finding.diagnostic.code == self.rule
            && finding.service == self.service
            && finding.diagnostic.message == self.message
    }
}

/// A key of the overlay: a value with its reasons, or a mapping.
#[derive(Debug)]
struct Entry {
    key: String,
    content: Content,
}

#[derive(Debug)]
enum Content {
    Value {
        value: PatchValue,
        reasons: Vec<String>,
    },
    Map(Vec<Entry>),
}

/// Gathers the fixes of `findings` (suppressed ones aside): the safe ones, and the unsafe ones
/// too when `unsafe_allowed`. A later fix for a key already set keeps the first value (lists
/// are joined).
pub fn plan(findings: &[Finding], unsafe_allowed: bool) -> Overlay {
    let mut overlay = Overlay::default();
    let active = || findings.iter().filter(|f| f.suppressed.is_none());
    let wanted = |patch: &Patch| patch.safe || unsafe_allowed;
    // The services this overlay gives a health check, for the fixes that wait on one.
    let checked: Vec<&str> = active()
        .flat_map(|f| &f.fixes)
        .filter(|p| wanted(p) && p.path.first().is_some_and(|k| k == "healthcheck"))
        .map(|p| p.service.as_str())
        .collect();
    for finding in active() {
        if finding.fixes.is_empty() {
            continue;
        }
        let mut complete = true;
        for patch in &finding.fixes {
            if !wanted(patch) {
                complete = false;
                overlay.left_out.push(patch.clone());
                continue;
            }
            if let Some(dependency) = &patch.needs_healthcheck_of
                && !checked.contains(&dependency.as_str())
            {
                complete = false;
                continue;
            }
            overlay.set(patch, &finding.diagnostic.code);
        }
        if complete {
            overlay.fixed.push(Fixed {
                rule: finding.diagnostic.code.clone(),
                service: finding.service.clone(),
                message: finding.diagnostic.message.clone(),
            });
        }
    }
    overlay
}

impl Overlay {
    pub fn is_empty(&self) -> bool {
        self.services.is_empty()
    }

    /// Every value it sets: the service, the keys under it and the value.
    pub fn values(&self) -> Vec<(&str, Vec<String>, &PatchValue)> {
        fn walk<'a>(
            entries: &'a [Entry],
            prefix: &mut Vec<String>,
            service: &'a str,
            out: &mut Vec<(&'a str, Vec<String>, &'a PatchValue)>,
        ) {
            for entry in entries {
                prefix.push(entry.key.clone());
                match &entry.content {
                    Content::Value { value, .. } => out.push((service, prefix.clone(), value)),
                    Content::Map(inner) => walk(inner, prefix, service, out),
                }
                prefix.pop();
            }
        }
        let mut out = Vec::new();
        for (service, entries) in &self.services {
            walk(entries, &mut Vec::new(), service, &mut out);
        }
        out
    }

    /// How many values it sets.
    pub fn len(&self) -> usize {
        self.values().len()
    }

    fn set(&mut self, patch: &Patch, rule: &str) {
        let index = match self.services.iter().position(|(s, _)| *s == patch.service) {
            Some(index) => index,
            None => {
                self.services.push((patch.service.clone(), Vec::new()));
                self.services.len() - 1
            }
        };
        let reason = format!("{} ({rule})", patch.why);
        let Some((last, parents)) = patch.path.split_last() else {
            return;
        };
        let mut entries = &mut self.services[index].1;
        for key in parents {
            let position = match entries.iter().position(|e| e.key == *key) {
                Some(position) => position,
                None => {
                    entries.push(Entry {
                        key: key.clone(),
                        content: Content::Map(Vec::new()),
                    });
                    entries.len() - 1
                }
            };
            match &mut entries[position].content {
                Content::Map(inner) => entries = inner,
                // A value is already set where this fix needs a mapping: the first fix stays.
                Content::Value { .. } => return,
            }
        }
        match entries.iter_mut().find(|e| e.key == *last) {
            None => entries.push(Entry {
                key: last.clone(),
                content: Content::Value {
                    value: patch.value.clone(),
                    reasons: vec![reason],
                },
            }),
            Some(Entry {
                content: Content::Value { value, reasons },
                ..
            }) => {
                if let (PatchValue::List(have), PatchValue::List(more)) = (value, &patch.value) {
                    for item in more {
                        if !have.contains(item) {
                            have.push(item.clone());
                        }
                    }
                }
                if !reasons.contains(&reason) {
                    reasons.push(reason);
                }
            }
            Some(_) => {}
        }
    }

    /// The overlay as a compose file, after `header` (comment lines, without `#`).
    pub fn to_yaml(&self, header: &[String]) -> String {
        let mut out = String::new();
        for line in header {
            let _ = writeln!(out, "# {line}");
        }
        if self.services.is_empty() {
            out.push_str("# Nothing to add: every finding with a safe fix is fixed already.\n");
            out.push_str("services: {}\n");
            return out;
        }
        out.push_str("services:\n");
        for (service, entries) in &self.services {
            let _ = writeln!(out, "  {}:", scalar(service));
            write_entries(&mut out, entries, 2, false);
        }
        out
    }
}

/// Writes `entries`; a mapping whose values all share one reason gets it once, above its key.
fn write_entries(out: &mut String, entries: &[Entry], depth: usize, commented: bool) {
    let indent = "  ".repeat(depth);
    for entry in entries {
        match &entry.content {
            Content::Map(inner) => {
                let reasons = reasons_under(inner);
                let shared = !commented && reasons.len() == 1;
                if shared {
                    let _ = writeln!(out, "{indent}# {}", reasons[0]);
                }
                let _ = writeln!(out, "{indent}{}:", scalar(&entry.key));
                write_entries(out, inner, depth + 1, commented || shared);
            }
            Content::Value { value, reasons } => {
                if !commented {
                    for reason in reasons {
                        let _ = writeln!(out, "{indent}# {reason}");
                    }
                }
                let _ = writeln!(out, "{indent}{}: {}", scalar(&entry.key), yaml_value(value));
            }
        }
    }
}

/// The distinct reasons of every value under `entries`.
fn reasons_under(entries: &[Entry]) -> Vec<&str> {
    let mut found: Vec<&str> = Vec::new();
    for entry in entries {
        let more = match &entry.content {
            Content::Value { reasons, .. } => reasons.iter().map(String::as_str).collect(),
            Content::Map(inner) => reasons_under(inner),
        };
        for reason in more {
            if !found.contains(&reason) {
                found.push(reason);
            }
        }
    }
    found
}

fn yaml_value(value: &PatchValue) -> String {
    match value {
        PatchValue::Str(text) => scalar(text),
        PatchValue::Int(n) => n.to_string(),
        PatchValue::Bool(b) => b.to_string(),
        PatchValue::List(items) => list(items),
        PatchValue::Replace(items) => format!("!override {}", list(items)),
    }
}

fn list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|i| quoted(i)).collect();
    format!("[{}]", items.join(", "))
}

/// A string as YAML reads it back as the same string: plain when nothing in it could be read
/// as another type or as syntax, double-quoted otherwise.
fn scalar(text: &str) -> String {
    if is_plain(text) {
        text.to_owned()
    } else {
        quoted(text)
    }
}

fn is_plain(text: &str) -> bool {
    let mut chars = text.chars();
    let starts_well = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_safe = text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'));
    let reserved = [
        "true", "false", "yes", "no", "on", "off", "null", "y", "n", "nan", "inf",
    ];
    starts_well && rest_safe && !reserved.contains(&text.to_ascii_lowercase().as_str())
}

/// YAML's double-quoted style: backslash escapes for `"`, `\\` and control characters.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use seaworthy_source::{Diagnostic, Severity};

    fn finding(rule: &str, service: &str, fixes: Vec<Patch>) -> Finding {
        Finding {
            diagnostic: Diagnostic::new(rule, Severity::Medium, "m"),
            service: Some(service.to_owned()),
            suppressed: None,
            fixes,
        }
    }

    #[test]
    fn fixes_become_one_overlay_with_their_reasons() {
        let findings = vec![
            finding(
                "restart-policy-missing",
                "api",
                vec![Patch::new(
                    "api",
                    "restart",
                    PatchValue::Str("unless-stopped".into()),
                    "restart after a crash",
                )],
            ),
            finding(
                "log-rotation-missing",
                "api",
                vec![
                    Patch::new(
                        "api",
                        "logging.options.max-size",
                        PatchValue::Str("10m".into()),
                        "rotate logs",
                    ),
                    Patch::new(
                        "api",
                        "logging.options.max-file",
                        PatchValue::Str("3".into()),
                        "rotate logs",
                    ),
                ],
            ),
            finding(
                "cap-drop-all",
                "db",
                vec![
                    Patch::new(
                        "db",
                        "cap_drop",
                        PatchValue::List(vec!["ALL".into()]),
                        "drop",
                    )
                    .risky(),
                ],
            ),
            finding(
                "port-all-interfaces",
                "db",
                vec![Patch::new(
                    "db",
                    "ports",
                    PatchValue::Replace(vec!["127.0.0.1:5432:5432".into()]),
                    "loopback only",
                )],
            ),
        ];
        let overlay = plan(&findings, false);
        assert_eq!(
            overlay.to_yaml(&["generated".to_owned()]),
            "# generated\nservices:\n  api:\n    # restart after a crash (restart-policy-missing)\n    restart: unless-stopped\n    # rotate logs (log-rotation-missing)\n    logging:\n      options:\n        max-size: \"10m\"\n        max-file: \"3\"\n  db:\n    # loopback only (port-all-interfaces)\n    ports: !override [\"127.0.0.1:5432:5432\"]\n"
        );
        assert_eq!(overlay.left_out.len(), 1);
        assert_eq!(overlay.fixed.len(), 3);
        assert_eq!(overlay.len(), 4);
        let with_unsafe = plan(&findings, true);
        assert!(with_unsafe.to_yaml(&[]).contains("cap_drop: [\"ALL\"]"));
    }

    #[test]
    fn strings_that_yaml_would_read_as_something_else_are_quoted() {
        for (text, written) in [
            ("unless-stopped", "unless-stopped"),
            ("512M", "\"512M\""),
            ("0.5", "\"0.5\""),
            ("no", "\"no\""),
            ("true", "\"true\""),
            ("no-new-privileges:true", "\"no-new-privileges:true\""),
            ("say \"hi\"", "\"say \\\"hi\\\"\""),
        ] {
            assert_eq!(scalar(text), written, "{text}");
        }
    }

    #[test]
    fn an_empty_plan_is_a_valid_empty_overlay() {
        assert_eq!(
            plan(&[], false).to_yaml(&[]),
            "# Nothing to add: every finding with a safe fix is fixed already.\nservices: {}\n"
        );
    }
}

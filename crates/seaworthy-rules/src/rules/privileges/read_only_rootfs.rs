use crate::facts::images::datastore;
use crate::facts::sizing::role_of;
use crate::patch::{Patch, PatchValue};
use crate::values::is_operator_supplied;
use crate::{Context, Rule, RuleMeta, Service, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Fires when `read_only: true` is missing or set to false. Datastore images (postgres,
    /// mysql, redis, ... as in `datastore-port-published`) are exempt: they write to their
    /// data directory and often to their rootfs at start. `--strict` judges them too.
    ///
    /// ## Why it matters in production
    /// A writable root file system lets an attacker who gets code execution replace binaries,
    /// plant a web shell or persist across restarts of the process. With `read_only: true`,
    /// writes go only where you allowed them: a `tmpfs` for scratch, a named volume for data.
    ///
    /// When an image fails with it, the error names the path: add `tmpfs: [/tmp]` for
    /// temporary files, `tmpfs: [/run]` for pid files, or a volume for data it keeps.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    ///     read_only: true
    ///     tmpfs: [/tmp]
    /// ```
    ///
    /// ## Known false positives
    /// Many images render their configuration into the rootfs at start (nginx templates,
    /// entrypoints that `sed` files): give them a tmpfs at that path or suppress with a
    /// reason. That is why it is low.
    ///
    /// ## What harden writes
    /// `read_only: true` with `tmpfs` for the paths the image writes to (postgres:
    /// `/tmp`, `/var/run/postgresql`), leaving out paths a volume already mounts. Safe for the
    /// images seaworthy knows run so. For others it is unsafe (`--unsafe`), with `/tmp` only:
    /// where they write is unknown until they run.
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 5.13
    /// - OWASP Docker Security Cheat Sheet, rule 8
    pub(crate) struct ReadOnlyRootfs {
        name: "read-only-rootfs",
        code: "SW708",
        area: Privileges,
        severity: Low,
        fix: Sometimes,
        summary: "service has a writable root file system",
    }
}

impl Rule for ReadOnlyRootfs {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        if !cx.strict
            && service
                .text("image")
                .is_some_and(|i| datastore(&i).is_some())
        {
            return;
        }
        let help = format!(
            "set `read_only: true` for `{}` in {}, with `tmpfs: [/tmp]` for scratch files and a named volume for data",
            service.name,
            cx.overlay_for_fixes()
        );
        let fixes = if cx.fixes { fixes(service) } else { Vec::new() };
        let finding = match service.get("read_only") {
            Some(node) if service.is_true("read_only") || is_operator_supplied(node) => return,
            Some(node) => cx
                .report(
                    format!("service `{}` has a writable root file system", service.name),
                    node.span,
                    "read-only disabled",
                )
                .help(help),
            None => cx
                .report(
                    format!("service `{}` has a writable root file system", service.name),
                    service.declared_at(),
                    "declared here without `read_only: true`",
                )
                .help(help),
        };
        finding.fix_all(fixes);
    }
}

/// `read_only: true` with the `tmpfs` paths the image writes to, for images seaworthy knows
/// run so; for others an unsafe fix with `/tmp` only, since where they write is unknown.
fn fixes(service: &Service<'_>) -> Vec<Patch> {
    let (_, image) = role_of(service);
    let known = image.filter(|i| i.read_only.safe);
    let (tmpfs, why) = match known {
        Some(image) => (
            image.read_only.tmpfs.clone(),
            format!("the image writes only to these paths: {}", image.note),
        ),
        None => (
            vec!["/tmp".to_owned()],
            "where the image writes is unknown: run it once read-only before deploying".to_owned(),
        ),
    };
    // A path a volume or tmpfs already mounts is writable already (and compose refuses a
    // second mount there).
    let mounted: Vec<String> = service
        .get("volumes")
        .and_then(seaworthy_compose::Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .filter_map(|v| v.get("target").and_then(seaworthy_compose::Node::as_str))
        .chain(
            service
                .get("tmpfs")
                .and_then(seaworthy_compose::Node::as_seq)
                .unwrap_or(&[])
                .iter()
                .filter_map(seaworthy_compose::Node::as_str),
        )
        .map(|t| {
            t.split(':')
                .next()
                .unwrap_or(t)
                .trim_end_matches('/')
                .to_owned()
        })
        .collect();
    let tmpfs: Vec<String> = tmpfs
        .into_iter()
        .filter(|path| !mounted.contains(&path.trim_end_matches('/').to_owned()))
        .collect();
    let mut fixes = vec![Patch::new(
        service.name,
        "read_only",
        PatchValue::Bool(true),
        why.clone(),
    )];
    if !tmpfs.is_empty() {
        fixes.push(Patch::new(
            service.name,
            "tmpfs",
            PatchValue::List(tmpfs),
            why,
        ));
    }
    if known.is_none() {
        fixes = fixes.into_iter().map(Patch::risky).collect();
    }
    fixes
}

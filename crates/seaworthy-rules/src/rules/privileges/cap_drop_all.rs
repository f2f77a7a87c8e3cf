use crate::facts::sizing::role_of;
use crate::patch::{Patch, PatchValue};
use crate::{Context, Rule, RuleMeta, Service, declare_rule};
use seaworthy_compose::Node;

declare_rule! {
    /// ## What it checks
    /// Fires when `cap_drop` does not contain `ALL` (any case, with or without the `CAP_`
    /// prefix). A privileged service is left to `no-privileged`.
    ///
    /// ## Why it matters in production
    /// Docker's default set still grants 14 capabilities (`CHOWN`, `DAC_OVERRIDE`, `FOWNER`,
    /// `NET_RAW`, `SETUID`, ...). Most services need none of them once started; dropping all
    /// and adding back the one or two they need removes tools an attacker would use.
    ///
    /// When something breaks after `cap_drop: [ALL]`, the error names the missing capability:
    ///
    /// | Symptom | Add back |
    /// |---|---|
    /// | `bind: permission denied` on a port below 1024 | `NET_BIND_SERVICE` |
    /// | `chown: Operation not permitted` at start | `CHOWN` |
    /// | `setgid`/`setuid` fails when the entrypoint drops to a user (`gosu`, `su-exec`) | `SETUID`, `SETGID` |
    /// | cannot read files of another user as root | `DAC_OVERRIDE` |
    /// | `ping: socket: Operation not permitted` | `NET_RAW` |
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
    ///     cap_drop: [ALL]
    ///     cap_add: [NET_BIND_SERVICE]
    /// ```
    ///
    /// ## Known false positives
    /// Nearly every real file fires: images that start as root and drop privileges need a few
    /// capabilities back (see the table). That is why it is low.
    ///
    /// ## What harden writes
    /// `cap_drop: [ALL]`, and for an image seaworthy knows the `cap_add` its entrypoint needs
    /// (postgres: `CHOWN`, `DAC_OVERRIDE`, `FOWNER`, `SETGID`, `SETUID`; caddy:
    /// `NET_BIND_SERVICE`). Safe for those images. For others `cap_drop: [ALL]` alone is
    /// unsafe (`--unsafe`): an entrypoint that changes owners or users fails without its
    /// capabilities.
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 5.4
    /// - OWASP Docker Security Cheat Sheet, rule 3
    pub(crate) struct CapDropAll {
        name: "cap-drop-all",
        code: "SW703",
        area: Privileges,
        severity: Low,
        fix: Sometimes,
        summary: "service keeps Docker's default capabilities",
    }
}

impl Rule for CapDropAll {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        if service.is_true("privileged") {
            return;
        }
        let overlay = cx.overlay_for_fixes();
        let fixes = if cx.fixes { fixes(service) } else { Vec::new() };
        let finding = match service.get("cap_drop") {
            Some(node) if drops_all(node) => return,
            Some(node) => cx
                .report(
                    format!("service `{}` does not drop all capabilities", service.name),
                    node.span,
                    "`ALL` missing",
                )
                .help(
                    "use `cap_drop: [ALL]` and add back only what the service needs with `cap_add`",
                ),
            None => cx
                .report(
                    format!("service `{}` does not drop all capabilities", service.name),
                    service.declared_at(),
                    "declared here without `cap_drop: [ALL]`",
                )
                .help(format!(
                    "add `cap_drop: [ALL]` to `{}` in {overlay}, and `cap_add` only what it needs",
                    service.name
                )),
        };
        finding.fix_all(fixes);
    }
}

/// `cap_drop: [ALL]`, with the capabilities seaworthy knows the image needs added back. For
/// an image it does not know (or one whose needs it does not know) the fix is unsafe: the
/// entrypoint may need `CHOWN` or `SETUID` to start.
fn fixes(service: &Service<'_>) -> Vec<Patch> {
    let (_, image) = role_of(service);
    let needs = image.and_then(|i| i.cap_add.as_ref());
    let why = match (image, needs) {
        (Some(image), Some(_)) => format!("only what the image needs: {}", image.note),
        _ => "the image's needs are unknown: add back with `cap_add` what it fails without"
            .to_owned(),
    };
    let mut drop = Patch::new(
        service.name,
        "cap_drop",
        PatchValue::List(vec!["ALL".to_owned()]),
        why.clone(),
    );
    let Some(needs) = needs else {
        drop = drop.risky();
        return vec![drop];
    };
    let mut fixes = vec![drop];
    if !needs.is_empty() {
        fixes.push(Patch::new(
            service.name,
            "cap_add",
            PatchValue::List(needs.clone()),
            why,
        ));
    }
    fixes
}

fn drops_all(node: &Node) -> bool {
    node.as_seq().unwrap_or(&[]).iter().any(|entry| {
        entry.as_str().is_some_and(|cap| {
            let cap = cap.trim().to_ascii_uppercase();
            cap == "ALL" || cap == "CAP_ALL"
        })
    })
}

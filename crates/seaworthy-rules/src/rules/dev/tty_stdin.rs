use crate::facts::restart::is_one_shot;
use crate::{Context, Rule, RuleMeta, Service, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Fires on `tty: true` or `stdin_open: true` on a long-running service. One-shot
    /// services (restart policy `no`, and awaited with `service_completed_successfully` or
    /// with `deploy.restart_policy.condition: none`) are exempt: an interactive migration or
    /// setup job may want a terminal.
    ///
    /// ## Why it matters in production
    /// With a terminal, the program believes a person is watching: many loggers switch from
    /// JSON to coloured, multi-line output that log pipelines cannot parse, stderr is merged
    /// into stdout, and lines end in CRLF. An open stdin means anyone who can
    /// `docker attach` types into the process, and a stray Ctrl-C there stops it.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    ///     restart: unless-stopped
    ///     tty: true
    ///     stdin_open: true
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    ///     restart: unless-stopped
    /// ```
    ///
    /// ## Known false positives
    /// Some images only colour or flush their logs with a terminal, and a few shells-as-a-
    /// service need one; hence low.
    ///
    /// ## References
    /// - Compose spec, `tty` and `stdin_open`
    pub(crate) struct TtyStdin {
        name: "tty-stdin",
        code: "SW1006",
        area: DevLeftovers,
        severity: Low,
        fix: Never,
        summary: "long-running service allocates a terminal or keeps stdin open",
    }
}

impl Rule for TtyStdin {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let settings = [
            ("tty", "allocates a pseudo-terminal"),
            ("stdin_open", "keeps stdin open for `docker attach`"),
        ];
        let set: Vec<_> = settings
            .into_iter()
            .filter(|(field, _)| service.is_true(field))
            .filter_map(|(field, label)| Some((field, label, service.get(field)?)))
            .collect();
        if set.is_empty() || is_one_shot(cx.project, service) {
            return;
        }
        let overlay = cx.overlay_for_fixes();
        for (field, label, node) in set {
            cx.report(
                format!("service `{}` sets `{field}: true`", service.name),
                node.span,
                label,
            )
            .help(format!(
                "a long-running service needs no terminal: remove it, or reset it in {overlay} (`{field}: !reset null`)"
            ));
        }
    }
}

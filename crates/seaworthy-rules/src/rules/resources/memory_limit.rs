use crate::facts::limits::memory_reservation;
use crate::facts::sizing::{Bound, compose_size, limit_key, sizing};
use crate::patch::{Patch, PatchValue};
use crate::values::{bytes, is_operator_supplied};
use crate::{Context, Rule, RuleMeta, Service, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Fires when a service has no effective memory limit. The limit is
    /// `deploy.resources.limits.memory`, else `mem_limit`. A limit of `0`, an empty value or a
    /// `${VAR:-0}` default counts as no limit, since the engine treats it as unlimited. A bare
    /// `${VAR}` without a default is set by the operator at deploy time and does not fire.
    /// Services scaled to `deploy.replicas: 0` are exempt.
    ///
    /// ## Why it matters in production
    /// One service that leaks or spikes can take all the host's memory. The kernel's OOM
    /// killer then picks a victim, often the database or dockerd itself, and every service on
    /// the host goes down with the one that misbehaved.
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
    ///     deploy:
    ///       resources:
    ///         limits:
    ///           memory: 512M
    /// ```
    ///
    /// ## Known false positives
    /// None known. Compose v2 honours `deploy.resources` outside Swarm, so `--compatibility`
    /// is not needed.
    ///
    /// ## What harden writes
    /// The memory of the service's role, under `deploy.resources.limits.memory` (or
    /// `mem_limit` when the service already uses the legacy keys, which compose requires to
    /// agree): datastores and object stores 1 GiB, search engines 2 GiB, caches and
    /// observability 512 MiB, proxies 128 MiB, applications 512 MiB, some images their own
    /// (Kafka 2 GiB). With a host profile, every proposed limit shrinks by the same factor
    /// until the target fits the host. A memory reservation of the role comes with it. Safe
    /// for images seaworthy knows; for an application image it is unsafe (written only with
    /// `--unsafe`), because its real needs are unknown and a limit too low kills it.
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 5.11
    /// - OWASP Docker Security Cheat Sheet, rule 7
    pub(crate) struct MemoryLimit {
        name: "memory-limit",
        code: "SW101",
        area: Resources,
        severity: High,
        fix: Sometimes,
        summary: "service has no memory limit",
    }
}

impl Rule for MemoryLimit {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        if service.text("deploy.replicas").as_deref() == Some("0") {
            return;
        }
        let limit = service
            .get("deploy.resources.limits.memory")
            .or_else(|| service.get("mem_limit"));
        let overlay = cx.overlay_for_fixes();
        match limit {
            Some(node) if is_operator_supplied(node) => {}
            Some(node) if bytes(node).is_some_and(|b| b > 0.0) => {}
            Some(node) => {
                let fixes = if cx.fixes {
                    fixes(cx, service)
                } else {
                    Vec::new()
                };
                let finding = cx
                    .report(
                        format!(
                            "service `{}` sets its memory limit to zero, which means unlimited",
                            service.name
                        ),
                        node.span,
                        "no limit",
                    )
                    .help(format!(
                        "set a positive `deploy.resources.limits.memory` in {overlay}"
                    ));
                finding.fix_all(fixes);
            }
            None => {
                let fixes = if cx.fixes {
                    fixes(cx, service)
                } else {
                    Vec::new()
                };
                let finding = cx
                    .report(
                        format!("service `{}` has no memory limit", service.name),
                        service.declared_at(),
                        "declared here without a memory limit",
                    )
                    .help(format!(
                        "add `deploy.resources.limits.memory` for `{}` in {overlay}",
                        service.name
                    ));
                finding.fix_all(fixes);
            }
        }
    }
}

/// The role's memory limit, and its reservation when the service has none (a limit without
/// one is what `reservations-missing` reports next). Trusted for images seaworthy knows; for
/// others the service's real needs are unknown, so the limit is an unsafe fix.
fn fixes(cx: &Context<'_>, service: &Service<'_>) -> Vec<Patch> {
    let sizing = sizing(cx, service);
    let role = sizing.role.noun();
    let mut limit = Patch::new(
        service.name,
        limit_key(service, Bound::Memory),
        PatchValue::Str(compose_size(sizing.memory)),
        if sizing.known {
            format!("{role}'s memory: the kernel stops this service, not the host, when it grows")
        } else {
            "an application's default memory: check it against `docker stats` before deploying"
                .to_owned()
        },
    );
    if !sizing.known {
        limit = limit.risky();
    }
    let mut fixes = vec![limit];
    if !memory_reservation(service).is_bounded() {
        fixes.push(Patch::new(
            service.name,
            limit_key(service, Bound::Reservation),
            PatchValue::Str(compose_size(sizing.reservation)),
            format!("{role}'s reserved memory: reclaimed last under memory pressure"),
        ));
    }
    fixes
}

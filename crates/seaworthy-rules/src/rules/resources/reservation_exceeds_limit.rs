use crate::facts::limits::{
    Amount, cpu_limit, cpu_reservation, memory_limit, memory_reservation, show_bytes,
};
use crate::{Context, Rule, RuleMeta, Service, declare_rule};
use seaworthy_source::Severity;

declare_rule! {
    /// ## What it checks
    /// Fires when the effective memory reservation (`deploy.resources.reservations.memory`,
    /// else `mem_reservation`) is greater than the effective memory limit
    /// (`deploy.resources.limits.memory`, else `mem_limit`): the engine refuses to create the
    /// container ("Minimum memory limit can not be less than memory reservation limit").
    /// Also fires, at **low**, when `reservations.cpus` is greater than `limits.cpus`:
    /// `docker compose up` ignores CPU reservations (only Swarm reads them), so nothing fails,
    /// but the file promises what it cannot hold.
    ///
    /// ## Why it matters in production
    /// The service does not start. Overlays make this easy to miss: a production overlay that
    /// lowers the limit keeps the base file's reservation.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    ///     deploy:
    ///       resources:
    ///         limits:
    ///           memory: 512M
    ///         reservations:
    ///           memory: 1G
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    ///     deploy:
    ///       resources:
    ///         limits:
    ///           memory: 1G
    ///         reservations:
    ///           memory: 512M
    /// ```
    ///
    /// ## Known false positives
    /// None known.
    ///
    /// ## References
    /// - Docker engine validation of `--memory-reservation`
    /// - docker compose `setReservations` (only the memory reservation reaches the engine)
    pub(crate) struct ReservationExceedsLimit {
        name: "reservation-exceeds-limit",
        code: "SW104",
        area: Resources,
        severity: Error,
        fix: Never,
        summary: "a reservation is larger than the limit",
    }
}

impl Rule for ReservationExceedsLimit {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let name = service.name;
        if let (Amount::Set(reservation, reserved), Amount::Set(limit, limited)) =
            (memory_reservation(service), memory_limit(service))
            && reserved > limited
        {
            cx.report(
                format!(
                    "service `{name}` reserves {} of memory but is limited to {}; the engine \
                     refuses to start it",
                    show_bytes(reserved),
                    show_bytes(limited)
                ),
                reservation.span,
                "reservation above the limit",
            )
            .secondary(limit.span, "the limit")
            .help("lower the reservation or raise the limit, in the same file");
        }
        if let (Amount::Set(reservation, reserved), Amount::Set(limit, limited)) =
            (cpu_reservation(service), cpu_limit(service))
            && reserved > limited
        {
            cx.report_at(
                Severity::Low,
                format!(
                    "service `{name}` reserves {reserved} CPUs but is limited to {limited}; \
                     only Swarm reads CPU reservations, so it is never honoured"
                ),
                reservation.span,
                "reservation above the limit",
            )
            .secondary(limit.span, "the limit")
            .help("lower `reservations.cpus` to at most the limit, or remove it");
        }
    }
}

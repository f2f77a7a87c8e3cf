use crate::facts::images::is_datastore;
use crate::facts::limits::memory_reservation;
use crate::facts::limits::{Amount, memory_limit};
use crate::facts::sizing::{Bound, compose_size, limit_key, sizing};
use crate::patch::{Patch, PatchValue};
use crate::{Context, Rule, RuleMeta, Service, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Fires when a stateful service (a datastore image: postgres, mysql, redis, ...) has
    /// resource limits but no memory reservation (`deploy.resources.reservations.memory` or
    /// `mem_reservation`). A memory reservation is a *soft* floor: under host memory pressure
    /// the kernel reclaims from containers above their reservation first. A CPU reservation
    /// does nothing outside Swarm, so it is not asked for. With `--strict`, every service with
    /// limits needs a memory reservation.
    ///
    /// ## Why it matters in production
    /// When the host runs short of memory, a database without a reservation loses its page
    /// cache as readily as a stateless worker, and every query slows down with it.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16.4
    ///     deploy:
    ///       resources:
    ///         limits:
    ///           memory: 2G
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16.4
    ///     deploy:
    ///       resources:
    ///         limits:
    ///           memory: 2G
    ///         reservations:
    ///           memory: 1G
    /// ```
    ///
    /// ## Known false positives
    /// Advisory only (info): never gate a deployment on it.
    ///
    /// ## What harden writes
    /// The memory reservation of the service's role, at most half its limit, under
    /// `deploy.resources.reservations.memory` (or `mem_reservation`). Safe: a reservation is a
    /// soft floor the kernel honours under pressure, never a cap.
    ///
    /// ## References
    /// - Compose specification, `deploy.resources`
    /// - docker compose `setReservations` (only the memory reservation reaches the engine)
    pub(crate) struct ReservationsMissing {
        name: "reservations-missing",
        code: "SW105",
        area: Resources,
        severity: Info,
        fix: Sometimes,
        summary: "stateful service has limits but no memory reservation",
    }
}

impl Rule for ReservationsMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let image = service.text("image").unwrap_or_default();
        if !(cx.strict || is_datastore(&image)) || memory_reservation(service).is_bounded() {
            return;
        }
        let limits = service
            .get("deploy.resources.limits")
            .filter(|l| l.as_map().is_some_and(|m| !m.is_empty()));
        // Legacy limit keys count as limits too.
        let legacy = ["mem_limit", "cpus", "pids_limit"]
            .iter()
            .find_map(|key| service.get(key))
            .map(|node| node.span);
        let Some(limit_span) = limits.map(crate::facts::block_anchor).or(legacy) else {
            return;
        };
        let overlay = cx.overlay_for_fixes();
        let fix = cx.fixes.then(|| {
            let sizing = sizing(cx, service);
            // Never above half the limit the service has: `reservation-exceeds-limit` otherwise.
            let reservation = match memory_limit(service) {
                Amount::Set(_, limit) => sizing.reservation.min(limit / 2.0),
                _ => sizing.reservation,
            };
            Patch::new(
                service.name,
                limit_key(service, Bound::Reservation),
                PatchValue::Str(compose_size(reservation)),
                format!(
                    "{}'s reserved memory: reclaimed last under memory pressure",
                    sizing.role.noun()
                ),
            )
        });
        cx.report(
            format!(
                "service `{}` has limits but no memory reservation, so it is reclaimed like any \
                 other container under memory pressure",
                service.name
            ),
            limit_span,
            "limits without a reservation",
        )
        .help(format!(
            "set `deploy.resources.reservations.memory` (a soft floor) in {overlay}"
        ))
        .fix_all(fix);
    }
}

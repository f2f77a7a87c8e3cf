//! What `harden` gives a service that lacks resource bounds: the sizes of its role (from the
//! knowledge of well-known images, else an application's), shrunk together when the target's
//! host cannot hold them all, and the keys to write them under.

use crate::facts::limits::{Amount, memory_limit};
use crate::images::{self, Role};
use crate::rules::resources::resource_budget::replicas;
use crate::{Context, Service};

const MIB: f64 = 1024.0 * 1024.0;
/// No limit below this is proposed: smaller ones kill most processes at start.
const SMALLEST: f64 = 64.0 * MIB;

/// The sizes proposed for one service.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Sizing {
    pub role: Role,
    /// Whether the image is one seaworthy knows (its sizes are then trusted).
    pub known: bool,
    pub memory: f64,
    pub reservation: f64,
    pub cpus: f64,
}

/// The role of a service: its image's, else an application's (what it builds is its own).
pub(crate) fn role_of(service: &Service<'_>) -> (Role, Option<&'static images::Image>) {
    let image = if service.get("build").is_some() {
        None
    } else {
        service.text("image").and_then(|i| images::lookup(&i))
    };
    (image.map_or(Role::App, |i| i.role), image)
}

/// The role's sizes for `service`, scaled down with every other service that lacks a memory
/// limit when the host's memory (less the engine's headroom) cannot hold them next to the
/// limits already set; CPUs never above the host's.
pub(crate) fn sizing(cx: &Context<'_>, service: &Service<'_>) -> Sizing {
    let (role, image) = role_of(service);
    let memory = role_memory(service);
    let reservation = images::role_defaults(role)
        .memory_reservation_bytes()
        .unwrap_or(memory / 4.0);
    let mut cpus = images::role_defaults(role).cpus;
    let mut scale = 1.0;
    if let Some(host) = cx.host {
        if let Some(available) = host.memory_for_containers() {
            let (mut set, mut proposed) = (0.0, 0.0);
            for other in cx.services() {
                let count = replicas(&other);
                match memory_limit(&other) {
                    Amount::Set(_, bytes) => set += bytes * count,
                    _ => proposed += role_memory(&other) * count,
                }
            }
            if set + proposed > available && proposed > 0.0 {
                scale = ((available - set) / proposed).clamp(0.0, 1.0);
            }
        }
        if let Some(host_cpus) = host.cpus {
            cpus = cpus.min(host_cpus);
        }
    }
    let memory = whole_mib((memory * scale).max(SMALLEST));
    Sizing {
        role,
        known: image.is_some(),
        memory,
        reservation: whole_mib((reservation * scale).min(memory / 2.0).max(SMALLEST / 2.0)),
        cpus,
    }
}

/// The unscaled memory of a service's role (its image's own when it has one).
fn role_memory(service: &Service<'_>) -> f64 {
    let (role, image) = role_of(service);
    image
        .and_then(|i| images::size_bytes(i.memory()))
        .or_else(|| images::role_defaults(role).memory_bytes())
        .unwrap_or(512.0 * MIB)
}

fn whole_mib(bytes: f64) -> f64 {
    (bytes / MIB).floor() * MIB
}

/// A size as compose reads it back exactly (`512M`, `1G`: binary units).
pub(crate) fn compose_size(bytes: f64) -> String {
    let mib = (bytes / MIB).round() as u64;
    if mib.is_multiple_of(1024) {
        format!("{}G", mib / 1024)
    } else {
        format!("{mib}M")
    }
}

/// CPUs as compose reads them (`0.5`, `1`).
pub(crate) fn compose_cpus(cpus: f64) -> String {
    let rounded = (cpus * 100.0).round() / 100.0;
    format!("{rounded}")
}

/// Where a bound goes: the legacy keys when the service uses them (compose refuses a
/// `deploy.resources` block that disagrees with them, and a missing value disagrees), else
/// `deploy.resources`.
pub(crate) fn limit_key(service: &Service<'_>, what: Bound) -> &'static str {
    let legacy_limits = ["mem_limit", "cpus", "pids_limit"]
        .iter()
        .any(|k| service.get(k).is_some_and(|n| !n.is_null()));
    let legacy_reservation = service.get("mem_reservation").is_some_and(|n| !n.is_null());
    match (what, legacy_limits, legacy_reservation) {
        (Bound::Memory, true, _) => "mem_limit",
        (Bound::Memory, false, _) => "deploy.resources.limits.memory",
        (Bound::Cpus, true, _) => "cpus",
        (Bound::Cpus, false, _) => "deploy.resources.limits.cpus",
        (Bound::Reservation, _, true) => "mem_reservation",
        (Bound::Reservation, _, false) => "deploy.resources.reservations.memory",
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Bound {
    Memory,
    Cpus,
    Reservation,
}

//! Every rule, sorted by name. Written by hand (no link-time registration); a test checks
//! that each rule file is listed here, once, in order.

use crate::Rule;
use crate::rules::{health, logging, privileges, resources, restart};

pub static RULES: &[&dyn Rule] = &[
    &resources::cpu_limit::CpuLimit,
    &health::depends_on_healthy_without_healthcheck::DependsOnHealthyWithoutHealthcheck,
    &health::depends_on_no_health_condition::DependsOnNoHealthCondition,
    &health::healthcheck_disabled::HealthcheckDisabled,
    &health::healthcheck_missing::HealthcheckMissing,
    &health::healthcheck_timing::HealthcheckTiming,
    &resources::heap_exceeds_limit::HeapExceedsLimit,
    &logging::log_driver_none::LogDriverNone,
    &logging::log_rotation_missing::LogRotationMissing,
    &logging::loki_blocking_mode::LokiBlockingMode,
    &logging::loki_circular::LokiCircular,
    &resources::memory_limit::MemoryLimit,
    &privileges::no_privileged::NoPrivileged,
    &resources::oom_kill_disable::OomKillDisable,
    &resources::pids_limit::PidsLimit,
    &resources::reservation_exceeds_limit::ReservationExceedsLimit,
    &resources::reservations_missing::ReservationsMissing,
    &restart::restart_policy_conflict::RestartPolicyConflict,
    &restart::restart_policy_missing::RestartPolicyMissing,
    &restart::restart_unbounded_on_failure::RestartUnboundedOnFailure,
];

/// The rule with this name.
pub fn find(name: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| r.meta().name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_sorted_and_unique_by_name_and_code() {
        let names: Vec<&str> = RULES.iter().map(|r| r.meta().name).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(
            names, sorted,
            "registry must be sorted by name, without duplicates"
        );
        let mut codes: Vec<&str> = RULES.iter().map(|r| r.meta().code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), RULES.len(), "codes must be unique");
    }

    #[test]
    fn every_rule_is_documented_with_the_required_sections() {
        for rule in RULES {
            let docs = rule.meta().docs;
            for heading in [
                "## What it checks",
                "## Why it matters in production",
                "## Example",
                "Use instead:",
                "## Known false positives",
                "## References",
            ] {
                assert!(
                    docs.contains(heading),
                    "{} lacks {heading:?}",
                    rule.meta().name
                );
            }
        }
    }
}

//! Rules about healthchecks and readiness gating (RULES.md section 2).
pub(crate) mod depends_on_healthy_without_healthcheck;
pub(crate) mod depends_on_no_health_condition;
pub(crate) mod healthcheck_disabled;
pub(crate) mod healthcheck_missing;
pub(crate) mod healthcheck_timing;

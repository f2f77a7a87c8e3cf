//! Rules about restart policies (RULES.md section 3).
pub(crate) mod restart_policy_conflict;
pub(crate) mod restart_policy_missing;
pub(crate) mod restart_unbounded_on_failure;

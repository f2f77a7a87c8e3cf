//! Rules about CPU, memory and process bounds (RULES.md section 1).
pub(crate) mod cpu_limit;
pub(crate) mod heap_exceeds_limit;
pub(crate) mod limit_out_of_range;
pub(crate) mod memory_limit;
pub(crate) mod oom_kill_disable;
pub(crate) mod pids_limit;
pub(crate) mod reservation_exceeds_limit;
pub(crate) mod reservations_missing;
pub(crate) mod resource_budget;

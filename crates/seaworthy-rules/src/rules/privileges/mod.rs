//! Rules about privileges and kernel isolation (RULES.md section 7, CIS Docker Benchmark 5.x).
pub(crate) mod no_privileged;

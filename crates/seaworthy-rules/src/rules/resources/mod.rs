//! Rules about CPU, memory and process bounds (RULES.md section 1).
pub(crate) mod memory_limit;

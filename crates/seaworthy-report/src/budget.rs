//! The host budget of each target as a small bar chart for the terminal: memory and CPU limits
//! (times replicas) against what the host gives containers.

use std::fmt::Write as _;

/// One target's limits against its host.
#[derive(Clone, Debug, PartialEq)]
pub struct Budget {
    pub target: String,
    /// Bytes of memory limits; `None` when a service has none.
    pub memory: Option<f64>,
    /// The services without a memory limit.
    pub unlimited: Vec<String>,
    /// Bytes the host leaves to containers.
    pub memory_available: Option<f64>,
    pub cpus: Option<f64>,
    pub host_cpus: Option<f64>,
}

const WIDTH: usize = 24;

/// The chart of every target with a host profile; empty when none has one.
pub fn render_budgets(budgets: &[Budget]) -> String {
    let mut out = String::new();
    for budget in budgets {
        if budget.memory_available.is_none() && budget.host_cpus.is_none() {
            continue;
        }
        let _ = writeln!(out, "budget of `{}`:", budget.target);
        if let Some(available) = budget.memory_available {
            match budget.memory {
                Some(used) => {
                    let _ = writeln!(
                        out,
                        "  memory {} {} of {} ({:.0}%)",
                        bar(used, available),
                        bytes(used),
                        bytes(available),
                        used / available * 100.0
                    );
                }
                None => {
                    let names: Vec<String> =
                        budget.unlimited.iter().map(|n| format!("`{n}`")).collect();
                    let _ = writeln!(
                        out,
                        "  memory unbounded: {} without a limit, against {}",
                        names.join(", "),
                        bytes(available)
                    );
                }
            }
        }
        match (budget.host_cpus, budget.cpus) {
            (Some(host), Some(used)) => {
                let _ = writeln!(
                    out,
                    "  cpus   {} {} of {} ({:.0}%; CPU is shared, not reserved)",
                    bar(used, host),
                    trim(used),
                    trim(host),
                    used / host * 100.0
                );
            }
            (Some(host), None) => {
                let _ = writeln!(
                    out,
                    "  cpus   unbounded: a service has no CPU limit, against {}",
                    trim(host)
                );
            }
            _ => {}
        }
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// `[██████░░░░]`, full past 100 %.
fn bar(used: f64, available: f64) -> String {
    let filled = if available > 0.0 {
        ((used / available) * WIDTH as f64)
            .round()
            .clamp(0.0, WIDTH as f64) as usize
    } else {
        WIDTH
    };
    format!("[{}{}]", "█".repeat(filled), "░".repeat(WIDTH - filled))
}

fn bytes(value: f64) -> String {
    const GIB: f64 = 1024.0 * 1024.0 * 1024.0;
    if value >= GIB {
        format!("{}GiB", trim(value / GIB))
    } else {
        format!("{}MiB", trim(value / (1024.0 * 1024.0)))
    }
}

fn trim(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const GIB: f64 = 1024.0 * 1024.0 * 1024.0;

    #[test]
    fn a_chart_per_target_with_a_host() {
        let budgets = [
            Budget {
                target: "small".into(),
                memory: Some(1.5 * GIB),
                unlimited: vec![],
                memory_available: Some(0.5 * GIB),
                cpus: Some(1.0),
                host_cpus: Some(2.0),
            },
            Budget {
                target: "nohost".into(),
                memory: Some(GIB),
                unlimited: vec![],
                memory_available: None,
                cpus: None,
                host_cpus: None,
            },
            Budget {
                target: "open".into(),
                memory: None,
                unlimited: vec!["db".into()],
                memory_available: Some(7.0 * GIB),
                cpus: None,
                host_cpus: Some(4.0),
            },
        ];
        let text = render_budgets(&budgets);
        assert!(text.contains("budget of `small`:\n  memory [████████████████████████] 1.5GiB of 512MiB (300%)\n  cpus   [████████████░░░░░░░░░░░░] 1 of 2 (50%; CPU is shared, not reserved)\n"), "{text}");
        assert!(!text.contains("nohost"));
        assert!(
            text.contains("  memory unbounded: `db` without a limit, against 7GiB\n  cpus   unbounded: a service has no CPU limit, against 4\n"),
            "{text}"
        );
        assert_eq!(render_budgets(&budgets[1..2]), "");
    }
}

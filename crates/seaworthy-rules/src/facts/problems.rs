//! What the loader recorded instead of refusing the project (`LoadOptions::keep_going`): each
//! problem carries the name of the rule that reports it, with docker compose's own words.

use crate::Context;
use seaworthy_compose::Project;

/// Reports the loader's problems that belong to the current rule, as they were recorded.
pub(crate) fn report_recorded(cx: &mut Context<'_>, project: &Project, label: &str) {
    let rule = cx.meta.name;
    for problem in project.problems.iter().filter(|p| p.code == rule) {
        let Some(primary) = &problem.primary else {
            continue;
        };
        let finding = cx.report(problem.message.clone(), primary.span, label);
        for secondary in &problem.secondary {
            finding.secondary(secondary.span, secondary.message.clone());
        }
        if let Some(help) = &problem.help {
            finding.help(help.clone());
        }
    }
}

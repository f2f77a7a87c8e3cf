//! `seaworthy rules` and `seaworthy explain RULE`: what each rule checks, from the rule's own
//! declaration, so the command line, the docs and the code never disagree.

use crate::cli::{ExplainArgs, RulesArgs, RulesFormat};
use anyhow::bail;
use seaworthy_rules::registry::RULES;
use seaworthy_rules::settings::unknown_rule_help;
use std::process::ExitCode;

pub fn list(args: &RulesArgs) -> anyhow::Result<ExitCode> {
    let text = match args.format {
        RulesFormat::Table => table(),
        RulesFormat::Json => {
            let rules: Vec<serde_json::Value> = RULES
                .iter()
                .map(|rule| {
                    let meta = rule.meta();
                    serde_json::json!({
                        "name": meta.name,
                        "code": meta.code,
                        "area": meta.area.as_str(),
                        "severity": meta.severity.as_str(),
                        "summary": meta.summary,
                    })
                })
                .collect();
            serde_json::to_string_pretty(&rules)? + "\n"
        }
    };
    anstream::print!("{text}");
    Ok(ExitCode::SUCCESS)
}

fn table() -> String {
    let name_width = RULES.iter().map(|r| r.meta().name.len()).max().unwrap_or(4);
    let area_width = RULES
        .iter()
        .map(|r| r.meta().area.as_str().len())
        .max()
        .unwrap_or(4);
    let code_width = RULES.iter().map(|r| r.meta().code.len()).max().unwrap_or(4);
    let mut text = format!(
        "{:<code_width$}  {:<name_width$}  {:<area_width$}  {:<8}  summary\n",
        "code", "rule", "area", "severity"
    );
    for rule in RULES {
        let meta = rule.meta();
        text.push_str(&format!(
            "{:<code_width$}  {:<name_width$}  {:<area_width$}  {:<8}  {}\n",
            meta.code,
            meta.name,
            meta.area.as_str(),
            meta.severity.as_str(),
            meta.summary
        ));
    }
    text
}

pub fn explain(args: &ExplainArgs) -> anyhow::Result<ExitCode> {
    let Some(rule) = RULES
        .iter()
        .find(|r| r.meta().name == args.rule || r.meta().code.eq_ignore_ascii_case(&args.rule))
    else {
        bail!(
            "unknown rule `{}`: {}",
            args.rule,
            unknown_rule_help(&args.rule)
        );
    };
    let meta = rule.meta();
    anstream::println!(
        "# {} ({}, {}, default severity {})\n\n{}\n\n{}",
        meta.name,
        meta.code,
        meta.area.as_str(),
        meta.severity.as_str(),
        meta.summary,
        meta.documentation().trim_end()
    );
    Ok(ExitCode::SUCCESS)
}

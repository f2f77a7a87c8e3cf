//! `seaworthy rules` and `seaworthy explain` show what the rules' declarations say.

use assert_cmd::Command;

fn run(args: &[&str]) -> (i32, String, String) {
    let output = Command::cargo_bin("seaworthy")
        .unwrap()
        .env_clear()
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn rules_lists_every_rule_with_code_severity_and_summary() {
    let (code, stdout, _) = run(&["rules"]);
    assert_eq!(code, 0);
    let memory = stdout
        .lines()
        .find(|l| l.contains(" memory-limit "))
        .unwrap();
    assert!(memory.starts_with("SW101 "), "{memory}");
    assert!(
        memory.contains("resources") && memory.contains("high"),
        "{memory}"
    );
    assert!(memory.ends_with("service has no memory limit"), "{memory}");
}

#[test]
fn rules_as_json_are_machine_readable() {
    let (code, stdout, _) = run(&["rules", "--format", "json"]);
    assert_eq!(code, 0);
    let rules: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let privileged = rules
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "no-privileged")
        .unwrap();
    assert_eq!(privileged["code"], "SW701");
    assert_eq!(privileged["severity"], "critical");
}

#[test]
fn explain_prints_the_documentation_by_name_or_code() {
    let (code, by_name, _) = run(&["explain", "memory-limit"]);
    assert_eq!(code, 0);
    assert!(by_name.starts_with("# memory-limit (SW101, resources, default severity high)"));
    assert!(by_name.contains("## Why it matters in production"));
    assert!(by_name.contains("CIS Docker Benchmark v1.6.0, 5.11"));
    assert_eq!(run(&["explain", "sw101"]).1, by_name);
    let (code, _, stderr) = run(&["explain", "memry-limit"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("did you mean `memory-limit`?"), "{stderr}");
}

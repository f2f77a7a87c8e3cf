//! Any text through the Dockerfile model: parse, stage selection and every effective fact of
//! every stage, with and without build arguments.
#![no_main]
use libfuzzer_sys::fuzz_target;
use seaworthy_build::dockerfile::Dockerfile;
use std::collections::BTreeMap;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let args = BTreeMap::from([("VERSION".to_owned(), "1.2".to_owned())]);
    for parsed in [Dockerfile::parse(text), Dockerfile::parse_with_build_args(text, &args)] {
        let Ok(dockerfile) = parsed else {
            continue;
        };
        let _ = dockerfile.target_stage(None);
        let _ = dockerfile.target_stage(Some("builder"));
        for stage in 0..dockerfile.stages.len() {
            let _ = dockerfile.chain(stage);
            let _ = dockerfile.effective_user(stage);
            let _ = dockerfile.effective_healthcheck(stage);
            let _ = dockerfile.exposed_ports(stage);
            let _ = dockerfile.env(stage);
            let _ = dockerfile.workdir(stage);
            let _ = dockerfile.entrypoint(stage);
            let _ = dockerfile.cmd(stage);
        }
    }
});

//! Any text as a whole compose project: load, merge with itself as an overlay, normalize,
//! print. Exercises every stage after YAML on whatever the YAML loader accepts.
#![no_main]
use libfuzzer_sys::fuzz_target;
use seaworthy_compose::{LoadOptions, Sources, load};
use seaworthy_source::{MapEnv, MemoryFs};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let fs = MemoryFs::new().with("/p/compose.yaml", text).with("/p/override.yaml", text);
    let options = LoadOptions {
        files: vec!["/p/compose.yaml".into(), "/p/override.yaml".into()],
        cwd: "/p".into(),
        ..LoadOptions::default()
    };
    let env = MapEnv::new().with("SET", "v");
    if let Ok(project) = load(&options, &fs, &env, &mut Sources::new()) {
        if let Ok(out) = seaworthy_compose::printer::project_to_out(
            &project.model,
            seaworthy_compose::printer::Flavor::Yaml,
        ) {
            let _ = seaworthy_compose::emit::to_yaml(&out);
        }
    }
});

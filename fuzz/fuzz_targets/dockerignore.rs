//! Any text through the `.dockerignore` reader, then its patterns against paths taken from the
//! same input.
#![no_main]
use libfuzzer_sys::fuzz_target;
use seaworthy_build::dockerignore::DockerIgnore;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(ignore) = DockerIgnore::parse(text) else {
        return;
    };
    for path in text.lines().chain(["", ".", "a/b/c", ".env", "src/.env"]) {
        let _ = ignore.is_excluded(path);
        let _ = ignore.may_reinclude_under(path);
    }
});

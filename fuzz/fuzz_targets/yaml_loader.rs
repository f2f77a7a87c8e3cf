//! Any text through the spanned YAML loader: an error is fine, a panic or a hang is not.
#![no_main]
use libfuzzer_sys::fuzz_target;
use seaworthy_source::FileId;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = seaworthy_compose::yaml::parse_documents(text, FileId(0));
    }
});

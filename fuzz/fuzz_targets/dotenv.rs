//! Any text through the `.env` parser (compose grammar and raw format).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let lookup = |name: &str| (name == "SET").then(|| "value".to_owned());
        let _ = seaworthy_compose::dotenv::parse(text, &lookup);
        let _ = seaworthy_compose::dotenv::parse_raw(text, &lookup);
    }
});

//! Any bytes as a git index, for both object id lengths and a few paths.
#![no_main]
use libfuzzer_sys::fuzz_target;
use seaworthy_source::git_index::tracks;

fuzz_target!(|data: &[u8]| {
    for hash_len in [20, 32] {
        for path in ["a", "secrets/db.txt", ""] {
            let _ = tracks(data, hash_len, path);
        }
    }
});

//! Secret values from the operating system's CSPRNG (`getrandom`), drawn without bias.

use std::fmt;

/// The characters a generated secret is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Charset {
    /// `A-Z a-z 0-9`: safe in URLs, shells, YAML and connection strings.
    Alnum,
    /// `0-9 a-f`.
    Hex,
    /// Standard base64 characters (`+` and `/` included), no padding.
    Base64,
}

impl Charset {
    fn alphabet(self) -> &'static [u8] {
        match self {
            Charset::Alnum => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
            Charset::Hex => b"0123456789abcdef",
            Charset::Base64 => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
        }
    }
}

/// Whether a secret file holds a single generated value (a password, a token), judged by its
/// name: no extension, or `.txt`, `.secret`, `.password`, `.pass`, `.pw`, `.token`, and not
/// named after a file format (`userlist`, `htpasswd`, `pgpass`...). Other files
/// (`pgbouncer.ini`, `tls.key`, `credentials.json`) have a format a random string would break.
pub fn holds_a_plain_value(path: &std::path::Path) -> bool {
    let lower = |s: Option<&std::ffi::OsStr>| s.map(|s| s.to_string_lossy().to_ascii_lowercase());
    let plain_extension = match lower(path.extension()) {
        None => true,
        Some(extension) => {
            ["txt", "secret", "password", "pass", "pw", "token"].contains(&extension.as_str())
        }
    };
    let stem = lower(path.file_stem()).unwrap_or_default();
    let formats = [
        "userlist",
        "htpasswd",
        "htdigest",
        "pgpass",
        "netrc",
        "kubeconfig",
        "passwd",
    ];
    plain_extension
        && !formats
            .iter()
            .any(|f| stem.contains(f) && !stem.contains("password"))
}

/// The generator failed (no entropy source): nothing is written.
#[derive(Debug)]
pub struct GenerateError(getrandom::Error);

impl fmt::Display for GenerateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the operating system's random generator failed: {}",
            self.0
        )
    }
}

impl std::error::Error for GenerateError {}

/// `length` characters of `charset`, each drawn uniformly: random bytes at or above the
/// largest multiple of the alphabet's size are thrown away rather than folded with `%`, which
/// would make the first characters more likely.
pub fn generate(length: usize, charset: Charset) -> Result<String, GenerateError> {
    let alphabet = charset.alphabet();
    let size = alphabet.len();
    let limit = 256 - 256 % size;
    let mut out = String::with_capacity(length);
    let mut buffer = [0u8; 64];
    while out.len() < length {
        getrandom::fill(&mut buffer).map_err(GenerateError)?;
        for byte in buffer {
            if usize::from(byte) < limit && out.len() < length {
                out.push(char::from(alphabet[usize::from(byte) % size]));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_have_the_length_and_characters_asked_for() {
        for (charset, allowed) in [
            (Charset::Alnum, Charset::Alnum.alphabet()),
            (Charset::Hex, Charset::Hex.alphabet()),
            (Charset::Base64, Charset::Base64.alphabet()),
        ] {
            let value = generate(47, charset).unwrap();
            assert_eq!(value.len(), 47);
            assert!(value.bytes().all(|b| allowed.contains(&b)), "{value}");
        }
        assert_eq!(generate(0, Charset::Hex).unwrap(), "");
    }

    #[test]
    fn only_files_of_a_single_value_are_generated() {
        for plain in [
            "secrets/db_password",
            "db.txt",
            "api.TOKEN",
            "x.secret",
            "admin_password.txt",
        ] {
            assert!(holds_a_plain_value(std::path::Path::new(plain)), "{plain}");
        }
        for formatted in [
            "pgbouncer.ini",
            "tls.key",
            "credentials.json",
            "userlist.conf",
        ] {
            assert!(
                !holds_a_plain_value(std::path::Path::new(formatted)),
                "{formatted}"
            );
        }
    }

    #[test]
    fn values_differ_and_use_the_whole_alphabet() {
        let a = generate(64, Charset::Alnum).unwrap();
        let b = generate(64, Charset::Alnum).unwrap();
        assert_ne!(a, b);
        // 20,000 characters: every one of the 62 appears (a miss has odds below 1e-130).
        let many = generate(20_000, Charset::Alnum).unwrap();
        for c in Charset::Alnum.alphabet() {
            assert!(many.as_bytes().contains(c), "{}", char::from(*c));
        }
    }
}

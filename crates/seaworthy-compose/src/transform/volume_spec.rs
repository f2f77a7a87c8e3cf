//! The short volume syntax (`./data:/var/lib/data:ro,z`), read as compose-go's
//! `format.ParseVolume` reads it: without knowledge of the target platform, so a Windows drive
//! letter (`C:\data:/data`) is part of the source, `${...}` may hold colons, and unknown options
//! are ignored rather than reported.

/// A parsed short volume spec, with the fields the long syntax would carry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VolumeSpec {
    /// `bind` when the source looks like a path, `volume` otherwise.
    pub kind: &'static str,
    pub source: String,
    pub target: String,
    pub read_only: bool,
    pub bind: Option<BindOptions>,
    /// `Some` for a named or anonymous volume; `nocopy` sets its flag.
    pub volume: Option<VolumeOptions>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BindOptions {
    pub propagation: String,
    pub selinux: String,
    pub create_host_path: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VolumeOptions {
    pub nocopy: bool,
}

const PROPAGATIONS: [&str; 6] = [
    "rprivate", "private", "rshared", "shared", "rslave", "slave",
];
const SELINUX: [&str; 2] = ["z", "Z"];

/// Parses `[SOURCE:]TARGET[:OPTIONS]`. Errors carry docker compose's text.
pub fn parse_volume_spec(spec: &str) -> Result<VolumeSpec, String> {
    let mut volume = VolumeSpec::default();
    match spec.len() {
        0 => return Err("invalid empty volume spec".into()),
        // compose-go takes a spec this short as a bare target, whatever it holds.
        1 | 2 => {
            volume.target = spec.to_owned();
            volume.kind = "volume";
            return Ok(volume);
        }
        _ => {}
    }
    let bytes = spec.as_bytes();
    let mut buffer = String::new();
    let mut substitution_depth = 0usize;
    let chars = spec
        .char_indices()
        .map(|(i, c)| (i, Some(c)))
        .chain(std::iter::once((spec.len(), None)));
    for (i, c) in chars {
        if c == Some('$') && bytes.get(i + 1) == Some(&b'{') {
            substitution_depth += 1;
            buffer.push('$');
            continue;
        }
        if c == Some('}') && substitution_depth > 0 {
            substitution_depth -= 1;
            buffer.push('}');
            continue;
        }
        if c == Some(':') && is_drive_letter(&buffer) {
            buffer.push(':');
        } else if (c == Some(':') || c.is_none()) && substitution_depth == 0 {
            if let Err(e) = fill_field(c.is_none(), &buffer, &mut volume) {
                return Err(format!("invalid spec: {spec}: {e}"));
            }
            buffer.clear();
        } else if let Some(c) = c {
            buffer.push(c);
        }
    }
    set_kind(&mut volume);
    Ok(volume)
}

fn is_drive_letter(buffer: &str) -> bool {
    let mut chars = buffer.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if c.is_alphabetic())
}

fn fill_field(at_end: bool, buffer: &str, volume: &mut VolumeSpec) -> Result<(), &'static str> {
    if buffer.is_empty() {
        return Err("empty section between colons");
    }
    if volume.source.is_empty() && at_end {
        // a single section is an anonymous volume's target
        volume.target = buffer.to_owned();
        return Ok(());
    }
    if volume.source.is_empty() {
        volume.source = buffer.to_owned();
        return Ok(());
    }
    if volume.target.is_empty() {
        volume.target = buffer.to_owned();
        return Ok(());
    }
    if !at_end {
        return Err("too many colons");
    }
    for option in buffer.split(',') {
        match option {
            "ro" => volume.read_only = true,
            "rw" => volume.read_only = false,
            "nocopy" => volume.volume = Some(VolumeOptions { nocopy: true }),
            o if PROPAGATIONS.contains(&o) => {
                volume.bind.get_or_insert_with(Default::default).propagation = o.to_owned();
            }
            o if SELINUX.contains(&o) => {
                volume.bind.get_or_insert_with(Default::default).selinux = o.to_owned();
            }
            // docker compose ignores options it does not know
            _ => {}
        }
    }
    Ok(())
}

fn set_kind(volume: &mut VolumeSpec) {
    if is_file_path(&volume.source) {
        volume.kind = "bind";
        // short syntax creates a missing host path, as the first docker-compose did
        volume
            .bind
            .get_or_insert_with(Default::default)
            .create_host_path = true;
    } else {
        volume.kind = "volume";
        volume.volume.get_or_insert_with(Default::default);
    }
}

fn is_file_path(source: &str) -> bool {
    match source.as_bytes().first() {
        None => return false,
        Some(b'.' | b'/' | b'~') => return true,
        Some(_) => {}
    }
    if source.starts_with(r"\\") {
        return true;
    }
    let mut chars = source.chars();
    let first = chars.next().unwrap_or_default();
    // compose-go compares the byte after the first character with `:`
    let next_byte = source.as_bytes().get(first.len_utf8());
    first.is_alphabetic() && next_byte == Some(&b':')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bind(source: &str, target: &str) -> VolumeSpec {
        VolumeSpec {
            kind: "bind",
            source: source.into(),
            target: target.into(),
            bind: Some(BindOptions {
                create_host_path: true,
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    fn named(source: &str, target: &str) -> VolumeSpec {
        VolumeSpec {
            kind: "volume",
            source: source.into(),
            target: target.into(),
            volume: Some(VolumeOptions::default()),
            ..Default::default()
        }
    }

    #[test]
    fn relative_and_absolute_sources_are_binds() {
        assert_eq!(parse_volume_spec("./a:/b"), Ok(bind("./a", "/b")));
        assert_eq!(parse_volume_spec("/a:/b"), Ok(bind("/a", "/b")));
        assert_eq!(parse_volume_spec("~/a:/b"), Ok(bind("~/a", "/b")));
    }

    #[test]
    fn a_name_is_a_volume_and_a_lone_path_is_anonymous() {
        assert_eq!(
            parse_volume_spec("db:/var/lib/db"),
            Ok(named("db", "/var/lib/db"))
        );
        assert_eq!(parse_volume_spec("/data"), Ok(named("", "/data")));
    }

    #[test]
    fn very_short_specs_are_targets() {
        let spec = parse_volume_spec("ab").unwrap();
        assert_eq!((spec.kind, spec.target.as_str()), ("volume", "ab"));
        assert_eq!(spec.volume, None);
    }

    #[test]
    fn options_set_read_only_nocopy_propagation_and_selinux() {
        let spec = parse_volume_spec("./x:/x:ro,nocopy").unwrap();
        assert!(spec.read_only);
        assert_eq!(spec.volume, Some(VolumeOptions { nocopy: true }));
        assert!(spec.bind.unwrap().create_host_path);
        let spec = parse_volume_spec("data:/d:rw,rshared,z,unknown").unwrap();
        assert!(!spec.read_only);
        let bind = spec.bind.unwrap();
        assert_eq!(
            (bind.propagation.as_str(), bind.selinux.as_str()),
            ("rshared", "z")
        );
        assert!(!bind.create_host_path);
    }

    #[test]
    fn windows_drive_letters_stay_in_the_source() {
        assert_eq!(
            parse_volume_spec(r"C:\data:/data"),
            Ok(bind(r"C:\data", "/data"))
        );
        assert_eq!(
            parse_volume_spec(r"\\pipe\x:/p"),
            Ok(bind(r"\\pipe\x", "/p"))
        );
    }

    #[test]
    fn substitutions_may_hold_colons() {
        let spec = parse_volume_spec("${SRC:-./a}:/b").unwrap();
        assert_eq!(
            (spec.source.as_str(), spec.target.as_str()),
            ("${SRC:-./a}", "/b")
        );
        assert_eq!(spec.kind, "volume");
    }

    #[test]
    fn errors_carry_docker_compose_text() {
        assert_eq!(
            parse_volume_spec("/a:/b:ro:extra"),
            Err("invalid spec: /a:/b:ro:extra: too many colons".into())
        );
        assert_eq!(
            parse_volume_spec("/a::/b"),
            Err("invalid spec: /a::/b: empty section between colons".into())
        );
        assert_eq!(
            parse_volume_spec(""),
            Err("invalid empty volume spec".into())
        );
    }
}

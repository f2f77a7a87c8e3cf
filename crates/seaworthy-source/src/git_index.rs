//! Whether git tracks a path: a lookup in the work tree's index (`.git/index`), the list of
//! every file the next commit holds. A file can be tracked and ignored at once (committed
//! before the `.gitignore` line was added), so ignore rules alone cannot say it.
//!
//! Written by hand because the one crate that reads the index (`gix-index`) brings most of
//! gitoxide with it, and a lookup needs only the entry names: the header, then entries of
//! fixed-size stat data, the object id and flags followed by the path (NUL-terminated and
//! padded to 8 bytes in versions 2 and 3, prefix-compressed in version 4), sorted by path.
//! Repositories whose index is split (`link` extension) or written in a format this does not
//! know answer `None`: unknown, never a guess.

use std::path::Path;

/// Bytes of stat data before the object id in every entry.
const STAT_BYTES: usize = 40;

/// Whether `relative` (slash-separated, relative to the work tree's root) is tracked in the
/// index `bytes` of a repository whose object ids are `hash_len` bytes long (20 for SHA-1,
/// 32 for SHA-256). `None` when the index cannot be read.
pub fn tracks(bytes: &[u8], hash_len: usize, relative: &str) -> Option<bool> {
    Some(Entries::read(bytes, hash_len)?.contains(relative))
}

/// The paths an index holds, read once and looked up many times.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Entries {
    /// Sorted, as git keeps them; sparse directories end with `/`.
    names: Vec<Vec<u8>>,
}

impl Entries {
    /// The entries of an index; `None` when it cannot be read or answer alone.
    pub fn read(bytes: &[u8], hash_len: usize) -> Option<Entries> {
        let mut reader = Reader { bytes, at: 0 };
        if reader.take(4)? != b"DIRC" {
            return None;
        }
        let version = reader.u32()?;
        if !(2..=4).contains(&version) {
            return None;
        }
        let count = reader.u32()?;
        let mut names: Vec<Vec<u8>> = Vec::new();
        for _ in 0..count {
            let start = reader.at;
            reader.take(STAT_BYTES + hash_len)?;
            let flags = reader.u16()?;
            if version >= 3 && flags & 0x4000 != 0 {
                reader.u16()?;
            }
            let name = if version == 4 {
                let strip = reader.varint()?;
                let previous = names.last().map_or(&[][..], Vec::as_slice);
                let kept = previous.len().checked_sub(strip)?;
                let mut name = previous[..kept].to_vec();
                name.extend_from_slice(reader.until_nul()?);
                name
            } else {
                let name = reader.until_nul()?.to_vec();
                // The entry, NUL included, is padded with NULs to a multiple of 8 bytes.
                let length = reader.at - start;
                reader.take((8 - length % 8) % 8)?;
                name
            };
            names.push(name);
        }
        // A split index keeps most entries in another file: this one alone cannot say.
        let extensions = &bytes[reader.at..];
        if has_extension(extensions, hash_len, b"link") {
            return None;
        }
        // Merge conflicts list a path once per stage; sorting keeps the lookup exact anyway.
        names.sort_unstable();
        names.dedup();
        Some(Entries { names })
    }

    /// Whether the index holds `relative`, itself or under a sparse directory entry.
    pub fn contains(&self, relative: &str) -> bool {
        let target = relative.as_bytes();
        if self
            .names
            .binary_search_by(|name| name.as_slice().cmp(target))
            .is_ok()
        {
            return true;
        }
        // A sparse index keeps whole directories as one entry ending in `/`.
        target
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'/')
            .any(|(i, _)| {
                self.names
                    .binary_search_by(|name| name.as_slice().cmp(&target[..=i]))
                    .is_ok()
            })
    }
}

/// Whether the extensions after the entries (each a 4-byte signature and a 32-bit size, the
/// index's checksum last) include `signature`.
fn has_extension(mut rest: &[u8], hash_len: usize, signature: &[u8]) -> bool {
    while rest.len() > hash_len + 8 {
        if &rest[..4] == signature {
            return true;
        }
        let size = u32::from_be_bytes([rest[4], rest[5], rest[6], rest[7]]) as usize;
        let Some(next) = rest.get(8 + size..) else {
            return false;
        };
        rest = next;
    }
    false
}

/// The length of the repository's object ids, from its `config` (`objectformat = sha256`).
pub fn hash_len(config: &str) -> usize {
    let sha256 = config.lines().any(|line| {
        let line = line.trim().to_ascii_lowercase();
        line.starts_with("objectformat") && line.ends_with("sha256")
    });
    if sha256 { 32 } else { 20 }
}

/// The path of the git directory a work tree's `.git` names: the directory itself, or the
/// target of a `gitdir: PATH` file (linked work trees, submodules).
pub fn git_dir(dot_git: &Path, file_text: Option<&str>) -> Option<std::path::PathBuf> {
    match file_text {
        None => Some(dot_git.to_path_buf()),
        Some(text) => {
            let target = text.lines().next()?.strip_prefix("gitdir:")?.trim();
            let parent = dot_git.parent()?;
            Some(parent.join(target))
        }
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let slice = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(slice)
    }

    fn u32(&mut self) -> Option<u32> {
        let b = self.take(4)?;
        Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn u16(&mut self) -> Option<u16> {
        let b = self.take(2)?;
        Some(u16::from_be_bytes([b[0], b[1]]))
    }

    fn until_nul(&mut self) -> Option<&'a [u8]> {
        let rest = self.bytes.get(self.at..)?;
        let end = rest.iter().position(|b| *b == 0)?;
        self.at += end + 1;
        Some(&rest[..end])
    }

    /// Git's offset encoding: seven bits a byte, each continuation adding one before the
    /// shift (so every length has one encoding).
    fn varint(&mut self) -> Option<usize> {
        let mut byte = self.take(1)?[0];
        let mut value = usize::from(byte & 0x7f);
        while byte & 0x80 != 0 {
            byte = self.take(1)?[0];
            value = value
                .checked_add(1)?
                .checked_mul(128)?
                .checked_add(usize::from(byte & 0x7f))?;
        }
        Some(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An index of `names` in version 2 or 3, as git writes it (stat data and ids zeroed).
    fn index(version: u32, names: &[&str]) -> Vec<u8> {
        let mut out = b"DIRC".to_vec();
        out.extend(version.to_be_bytes());
        out.extend((names.len() as u32).to_be_bytes());
        for name in names {
            let start = out.len();
            out.extend([0u8; STAT_BYTES + 20]);
            out.extend((name.len().min(0xfff) as u16).to_be_bytes());
            out.extend(name.as_bytes());
            out.push(0);
            while !(out.len() - start).is_multiple_of(8) {
                out.push(0);
            }
        }
        out.extend([0u8; 20]);
        out
    }

    #[test]
    fn entries_of_a_version_2_index_are_found_and_others_are_not() {
        let bytes = index(2, &[".gitignore", "docker/compose.yaml", "secrets/db.txt"]);
        assert_eq!(tracks(&bytes, 20, "secrets/db.txt"), Some(true));
        assert_eq!(tracks(&bytes, 20, "docker/compose.yaml"), Some(true));
        assert_eq!(tracks(&bytes, 20, "secrets/api.txt"), Some(false));
        assert_eq!(
            tracks(&bytes, 20, "secrets"),
            Some(false),
            "directories are not entries"
        );
    }

    #[test]
    fn a_truncated_or_foreign_file_is_unknown_not_untracked() {
        let bytes = index(2, &["a", "b"]);
        assert_eq!(tracks(&bytes[..30], 20, "a"), None);
        assert_eq!(tracks(b"PACK\0\0\0\x02", 20, "a"), None);
        let mut split = index(2, &["a"]);
        let checksum = split.split_off(split.len() - 20);
        split.extend(b"link");
        split.extend(20u32.to_be_bytes());
        split.extend([0u8; 20]);
        split.extend(checksum);
        assert_eq!(tracks(&split, 20, "b"), None, "a split index");
    }

    #[test]
    fn version_4_names_share_the_previous_ones_prefix() {
        let mut bytes = b"DIRC".to_vec();
        bytes.extend(4u32.to_be_bytes());
        bytes.extend(2u32.to_be_bytes());
        for (strip, suffix) in [(0u8, "secrets/api.txt"), (7, "db.txt")] {
            bytes.extend([0u8; STAT_BYTES + 20]);
            bytes.extend(0u16.to_be_bytes());
            bytes.push(strip);
            bytes.extend(suffix.as_bytes());
            bytes.push(0);
        }
        bytes.extend([0u8; 20]);
        assert_eq!(tracks(&bytes, 20, "secrets/db.txt"), Some(true));
        assert_eq!(tracks(&bytes, 20, "secrets/api.txt"), Some(true));
        assert_eq!(tracks(&bytes, 20, "secrets/db"), Some(false));
    }

    #[test]
    fn damaged_indexes_never_panic() {
        // Every truncation and every single-byte change of valid indexes of each version.
        let mut v4 = b"DIRC".to_vec();
        v4.extend(4u32.to_be_bytes());
        v4.extend(2u32.to_be_bytes());
        for (strip, suffix) in [(0u8, "a/b.txt"), (3, "c.txt")] {
            v4.extend([0u8; STAT_BYTES + 20]);
            v4.extend(0x4000u16.to_be_bytes());
            v4.push(strip);
            v4.extend(suffix.as_bytes());
            v4.push(0);
        }
        for valid in [index(2, &["a", "bb/c"]), index(3, &["x/y/z"]), v4] {
            for end in 0..=valid.len() {
                let _ = tracks(&valid[..end], 20, "a");
            }
            for at in 0..valid.len() {
                for value in [0x00, 0x7f, 0x80, 0xff] {
                    let mut damaged = valid.clone();
                    damaged[at] = value;
                    let _ = tracks(&damaged, 20, "bb/c");
                    let _ = tracks(&damaged, 32, "bb/c");
                }
            }
        }
    }

    #[test]
    fn the_object_format_and_linked_work_trees_are_followed() {
        assert_eq!(hash_len("[core]\n\trepositoryformatversion = 0\n"), 20);
        assert_eq!(hash_len("[extensions]\n\tobjectFormat = sha256\n"), 32);
        assert_eq!(
            git_dir(
                Path::new("/wt/.git"),
                Some("gitdir: /repo/.git/worktrees/wt\n")
            ),
            Some(Path::new("/repo/.git/worktrees/wt").to_path_buf())
        );
        assert_eq!(
            git_dir(
                Path::new("/repo/sub/.git"),
                Some("gitdir: ../.git/modules/sub")
            ),
            Some(Path::new("/repo/sub/../.git/modules/sub").to_path_buf())
        );
        assert_eq!(
            git_dir(Path::new("/repo/.git"), None),
            Some(Path::new("/repo/.git").to_path_buf())
        );
    }
}

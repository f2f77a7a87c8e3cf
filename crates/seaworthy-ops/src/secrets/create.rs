//! Creating a secret file without ever exposing or replacing one: the value goes into a new
//! temporary file (mode 0600 from its creation, never wider), is flushed to disk, then
//! hard-linked to its name. The link fails when the name exists, even if another process
//! created it a moment ago, so an existing secret is never written over and a reader never
//! sees a half-written one. Missing directories are created with mode 0700.

use std::fs::{self, DirBuilder, OpenOptions};
use std::io::{self, Write};
#[cfg(unix)]
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::Path;

/// What happened to one secret file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Created {
    Written,
    /// The file exists (perhaps created by someone else meanwhile): left as it was.
    AlreadyThere,
}

/// Writes `value` to a new file at `path`, unless a file is already there.
pub fn create_secret_file(path: &Path, value: &str) -> io::Result<Created> {
    if fs::symlink_metadata(path).is_ok() {
        return Ok(Created::AlreadyThere);
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut builder = DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    builder.mode(0o700);
    builder.create(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (temporary, mut file) = temporary_in(dir, &name)?;
    let written = file
        .write_all(value.as_bytes())
        .and_then(|()| file.sync_all());
    drop(file);
    let linked = written.and_then(|()| fs::hard_link(&temporary, path));
    // The temporary name goes whatever happened; the secret keeps its own name.
    let _ = fs::remove_file(&temporary);
    match linked {
        Ok(()) => Ok(Created::Written),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(Created::AlreadyThere),
        Err(e) => Err(e),
    }
}

/// A new file beside the secret, created exclusively with owner-only permissions.
fn temporary_in(dir: &Path, name: &str) -> io::Result<(std::path::PathBuf, fs::File)> {
    let mut attempt = 0u32;
    loop {
        let suffix = super::generate(12, super::Charset::Alnum)
            .map_err(|e| io::Error::other(e.to_string()))?;
        let temporary = dir.join(format!(".{name}.{suffix}.tmp"));
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        options.mode(0o600);
        match options.open(&temporary) {
            Ok(file) => return Ok((temporary, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 8 => attempt += 1,
            Err(e) => return Err(e),
        }
    }
}

#[cfg(all(test, unix))]
#[allow(clippy::disallowed_methods)] // the tests read back the files they made
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_new_secret_is_owner_only_in_an_owner_only_directory() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secrets/db/password.txt");
        assert_eq!(
            create_secret_file(&path, "s3cret").unwrap(),
            Created::Written
        );
        assert_eq!(fs::read_to_string(&path).unwrap(), "s3cret");
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&dir.path().join("secrets")), 0o700);
        assert_eq!(mode(&dir.path().join("secrets/db")), 0o700);
        let left: Vec<_> = fs::read_dir(dir.path().join("secrets/db"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, ["password.txt"], "no temporary file is left behind");
    }

    #[test]
    fn an_existing_secret_is_left_byte_for_byte() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.txt");
        fs::write(&path, b"production password\n").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        assert_eq!(
            create_secret_file(&path, "new").unwrap(),
            Created::AlreadyThere
        );
        assert_eq!(fs::read(&path).unwrap(), b"production password\n");
        assert_eq!(mode(&path), 0o640, "its mode is the owner's business");
        // A dangling link is an entry too: nothing is written through it.
        let link = dir.path().join("link.txt");
        std::os::unix::fs::symlink(dir.path().join("elsewhere.txt"), &link).unwrap();
        assert_eq!(
            create_secret_file(&link, "new").unwrap(),
            Created::AlreadyThere
        );
        assert!(!dir.path().join("elsewhere.txt").exists());
    }

    #[test]
    fn racing_writers_leave_exactly_one_value() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("race.txt");
        let outcomes: Vec<Created> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..8)
                .map(|i| {
                    let path = &path;
                    scope.spawn(move || create_secret_file(path, &format!("value-{i}")).unwrap())
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let written = outcomes.iter().filter(|o| **o == Created::Written).count();
        assert_eq!(written, 1, "{outcomes:?}");
        let value = fs::read_to_string(&path).unwrap();
        assert!(value.starts_with("value-") && value.len() == 7, "{value}");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}

//! Read access to files. Libraries never touch the real file system directly: they take a
//! `&dyn FileSystem`, so every test can run against an in-memory tree.

use std::collections::BTreeMap;
use std::io;
use std::path::{Component, Path, PathBuf};

/// What the loader needs to know about a path.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Metadata {
    pub is_file: bool,
    pub is_dir: bool,
    /// Unix permission bits (`0o640`), where the file system has them.
    pub mode: Option<u32>,
}

pub trait FileSystem: Send + Sync {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;
    fn metadata(&self, path: &Path) -> io::Result<Metadata>;

    fn read_to_string(&self, path: &Path) -> io::Result<String> {
        let bytes = self.read(path)?;
        String::from_utf8(bytes).map_err(|_| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                "the file is not valid UTF-8 text",
            )
        })
    }

    fn is_file(&self, path: &Path) -> bool {
        self.metadata(path).is_ok_and(|m| m.is_file)
    }

    fn exists(&self, path: &Path) -> bool {
        self.metadata(path).is_ok()
    }
}

/// The machine's file system.
#[derive(Clone, Copy, Default, Debug)]
pub struct RealFs;

impl FileSystem for RealFs {
    #[allow(clippy::disallowed_methods)]
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        std::fs::read(path)
    }

    fn metadata(&self, path: &Path) -> io::Result<Metadata> {
        let meta = std::fs::metadata(path)?;
        #[cfg(unix)]
        let mode = Some(std::os::unix::fs::PermissionsExt::mode(&meta.permissions()) & 0o7777);
        #[cfg(not(unix))]
        let mode = None;
        Ok(Metadata {
            is_file: meta.is_file(),
            is_dir: meta.is_dir(),
            mode,
        })
    }
}

/// A file tree held in memory, for tests and for content that did not come from disk.
#[derive(Clone, Default, Debug)]
pub struct MemoryFs {
    files: BTreeMap<PathBuf, Vec<u8>>,
    modes: BTreeMap<PathBuf, u32>,
}

impl MemoryFs {
    pub fn new() -> Self {
        MemoryFs::default()
    }

    /// Adds a file; its parent directories exist implicitly.
    pub fn insert(&mut self, path: impl AsRef<Path>, content: impl Into<Vec<u8>>) -> &mut Self {
        self.files
            .insert(lexical_clean(path.as_ref()), content.into());
        self
    }

    pub fn with(mut self, path: impl AsRef<Path>, content: impl Into<Vec<u8>>) -> Self {
        self.insert(path, content);
        self
    }

    /// Gives a file permission bits (files have none otherwise).
    pub fn set_mode(&mut self, path: impl AsRef<Path>, mode: u32) -> &mut Self {
        self.modes.insert(lexical_clean(path.as_ref()), mode);
        self
    }
}

impl FileSystem for MemoryFs {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.files
            .get(&lexical_clean(path))
            .cloned()
            .ok_or_else(|| not_found(path))
    }

    fn metadata(&self, path: &Path) -> io::Result<Metadata> {
        let path = lexical_clean(path);
        if self.files.contains_key(&path) {
            return Ok(Metadata {
                is_file: true,
                is_dir: false,
                mode: self.modes.get(&path).copied(),
            });
        }
        if self.files.keys().any(|f| f.starts_with(&path)) {
            return Ok(Metadata {
                is_file: false,
                is_dir: true,
                mode: None,
            });
        }
        Err(not_found(&path))
    }
}

fn not_found(path: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::NotFound,
        format!("{}: no such file", path.display()),
    )
}

/// Removes `.` and resolves `..` components without touching the file system (like Go's
/// `filepath.Clean`).
pub fn lexical_clean(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() && !path.has_root() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_fs_knows_files_and_their_directories() {
        let fs = MemoryFs::new().with("/p/docker/compose.yaml", "services: {}");
        assert!(fs.is_file(Path::new("/p/docker/compose.yaml")));
        assert!(fs.metadata(Path::new("/p/docker")).unwrap().is_dir);
        assert!(fs.read(Path::new("/p/missing.yaml")).is_err());
        assert_eq!(
            fs.read_to_string(Path::new("/p/./docker/../docker/compose.yaml"))
                .unwrap(),
            "services: {}"
        );
    }

    #[test]
    fn non_utf8_content_is_an_error_not_a_panic() {
        let fs = MemoryFs::new().with("/a", vec![0xff, 0xfe]);
        assert_eq!(
            fs.read_to_string(Path::new("/a")).unwrap_err().kind(),
            io::ErrorKind::InvalidData
        );
    }

    #[test]
    fn clean_resolves_dots_like_go() {
        assert_eq!(
            lexical_clean(Path::new("/a/./b/../c/")),
            PathBuf::from("/a/c")
        );
        assert_eq!(lexical_clean(Path::new("../x")), PathBuf::from("../x"));
        assert_eq!(lexical_clean(Path::new("/..")), PathBuf::from("/"));
    }
}

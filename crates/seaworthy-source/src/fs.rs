//! Read access to files. Libraries never touch the real file system directly: they take a
//! `&dyn FileSystem`, so every test can run against an in-memory tree.

use std::collections::BTreeMap;
use std::io;
use std::ops::Bound;
use std::path::{Component, Path, PathBuf};

/// What the loader needs to know about a path.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Metadata {
    pub is_file: bool,
    pub is_dir: bool,
    /// Unix permission bits (`0o640`), where the file system has them.
    pub mode: Option<u32>,
    /// Size in bytes (0 for directories).
    pub len: u64,
}

/// What a directory entry is, without following symbolic links (a build context sends a link
/// as a link, never what it points at).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum EntryKind {
    File,
    Dir,
    Symlink,
    /// Sockets, devices, pipes.
    Other,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct DirEntry {
    pub name: String,
    pub kind: EntryKind,
}

pub trait FileSystem: Send + Sync {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;
    fn metadata(&self, path: &Path) -> io::Result<Metadata>;

    /// The entries of a directory, sorted by name. Names that are not UTF-8 are given lossily.
    fn read_dir(&self, path: &Path) -> io::Result<Vec<DirEntry>> {
        Err(io::Error::new(
            io::ErrorKind::Unsupported,
            format!("{}: cannot list directories here", path.display()),
        ))
    }

    /// At most `limit` bytes from the start of a file: content checks look at the head of a
    /// file and never load a large one whole.
    fn read_prefix(&self, path: &Path, limit: usize) -> io::Result<Vec<u8>> {
        let mut bytes = self.read(path)?;
        bytes.truncate(limit);
        Ok(bytes)
    }

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
            len: if meta.is_file() { meta.len() } else { 0 },
        })
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<DirEntry>> {
        let mut entries = Vec::new();
        for entry in std::fs::read_dir(path)? {
            let entry = entry?;
            let kind = match entry.file_type() {
                Ok(t) if t.is_symlink() => EntryKind::Symlink,
                Ok(t) if t.is_dir() => EntryKind::Dir,
                Ok(t) if t.is_file() => EntryKind::File,
                _ => EntryKind::Other,
            };
            entries.push(DirEntry {
                name: entry.file_name().to_string_lossy().into_owned(),
                kind,
            });
        }
        entries.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(entries)
    }

    #[allow(clippy::disallowed_methods)]
    fn read_prefix(&self, path: &Path, limit: usize) -> io::Result<Vec<u8>> {
        use std::io::Read;
        let mut bytes = Vec::new();
        std::fs::File::open(path)?
            .take(limit as u64)
            .read_to_end(&mut bytes)?;
        Ok(bytes)
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

impl MemoryFs {
    /// The files below `dir`. Paths order component by component, so they follow `dir`
    /// itself in one run of the map: a range, not a scan (the benchmarks hold 100,000 files).
    fn under<'a>(&'a self, dir: &'a Path) -> impl Iterator<Item = &'a PathBuf> + 'a {
        self.files
            .range::<Path, _>((Bound::Excluded(dir), Bound::Unbounded))
            .map(|(path, _)| path)
            .take_while(move |path| path.starts_with(dir))
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
                len: self.files.get(&path).map_or(0, |f| f.len() as u64),
            });
        }
        if self.under(&path).next().is_some() {
            return Ok(Metadata {
                is_file: false,
                is_dir: true,
                mode: None,
                len: 0,
            });
        }
        Err(not_found(&path))
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<DirEntry>> {
        let path = lexical_clean(path);
        let mut entries: Vec<DirEntry> = Vec::new();
        for file in self.under(&path) {
            let Ok(rest) = file.strip_prefix(&path) else {
                continue;
            };
            let mut parts = rest.components();
            let Some(first) = parts.next() else {
                continue;
            };
            let name = first.as_os_str().to_string_lossy().into_owned();
            let kind = if parts.next().is_some() {
                EntryKind::Dir
            } else {
                EntryKind::File
            };
            if entries.last().is_none_or(|e| e.name != name) {
                entries.push(DirEntry { name, kind });
            }
        }
        if entries.is_empty() && !self.metadata(&path).is_ok_and(|m| m.is_dir) {
            return Err(not_found(&path));
        }
        entries.sort_by(|a, b| a.name.cmp(&b.name));
        entries.dedup_by(|a, b| a.name == b.name);
        Ok(entries)
    }
}

/// Another file system with one more file on top: a file about to be written, checked
/// before it is.
pub struct WithFile<'a> {
    pub inner: &'a dyn FileSystem,
    pub path: PathBuf,
    pub content: Vec<u8>,
}

impl WithFile<'_> {
    fn is_it(&self, path: &Path) -> bool {
        lexical_clean(path) == lexical_clean(&self.path)
    }
}

impl FileSystem for WithFile<'_> {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        if self.is_it(path) {
            return Ok(self.content.clone());
        }
        self.inner.read(path)
    }

    fn metadata(&self, path: &Path) -> io::Result<Metadata> {
        if self.is_it(path) {
            return Ok(Metadata {
                is_file: true,
                is_dir: false,
                mode: Some(0o644),
                len: self.content.len() as u64,
            });
        }
        self.inner.metadata(path)
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<DirEntry>> {
        let mut entries = self.inner.read_dir(path)?;
        if lexical_clean(&self.path).parent() == Some(lexical_clean(path).as_path())
            && let Some(name) = self.path.file_name()
        {
            let name = name.to_string_lossy().into_owned();
            if !entries.iter().any(|e| e.name == name) {
                entries.push(DirEntry {
                    name,
                    kind: EntryKind::File,
                });
                entries.sort_by(|a, b| a.name.cmp(&b.name));
            }
        }
        Ok(entries)
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
    fn memory_fs_lists_directories_with_sizes() {
        let fs = MemoryFs::new()
            .with("/c/b.txt", "bb")
            .with("/c/a/x", "x")
            .with("/c/a/y/z", "z")
            .with("/other", "o");
        let names = |p: &str| -> Vec<(String, EntryKind)> {
            fs.read_dir(Path::new(p))
                .unwrap()
                .into_iter()
                .map(|e| (e.name, e.kind))
                .collect()
        };
        assert_eq!(
            names("/c"),
            [
                ("a".into(), EntryKind::Dir),
                ("b.txt".into(), EntryKind::File)
            ]
        );
        assert_eq!(
            names("/c/a"),
            [("x".into(), EntryKind::File), ("y".into(), EntryKind::Dir)]
        );
        assert!(fs.read_dir(Path::new("/c/b.txt")).is_err());
        assert!(fs.read_dir(Path::new("/missing")).is_err());
        assert_eq!(fs.metadata(Path::new("/c/b.txt")).unwrap().len, 2);
        assert_eq!(fs.read_prefix(Path::new("/c/b.txt"), 1).unwrap(), b"b");
    }

    #[test]
    fn real_fs_lists_without_following_links() {
        let dir = std::env::temp_dir().join(format!("seaworthy-fs-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("file.txt"), "12345").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("/etc", dir.join("link")).unwrap();
        let entries = RealFs.read_dir(&dir).unwrap();
        let kinds: Vec<(&str, EntryKind)> =
            entries.iter().map(|e| (e.name.as_str(), e.kind)).collect();
        let mut expected = vec![("file.txt", EntryKind::File), ("sub", EntryKind::Dir)];
        #[cfg(unix)]
        expected.insert(1, ("link", EntryKind::Symlink));
        assert_eq!(kinds, expected);
        assert_eq!(
            RealFs.read_prefix(&dir.join("file.txt"), 3).unwrap(),
            b"123"
        );
        assert_eq!(RealFs.metadata(&dir.join("file.txt")).unwrap().len, 5);
        std::fs::remove_dir_all(&dir).unwrap();
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

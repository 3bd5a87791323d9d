//! Where a corpus comes from: the files built into the binary, or a
//! directory (`--vectors DIR`); and the digest that pins them.

use std::path::Path;

use sha2::{Digest, Sha256};

use super::{Files, LoadError};

/// The corpus compiled into this binary (crate mimispec-vectors).
pub fn embedded() -> Files {
    mimispec_vectors::FILES
        .iter()
        .map(|(p, b)| (p.to_string(), b.to_vec()))
        .collect()
}

/// Folders nest at most this deep under the vectors directory.
pub const MAX_DIR_DEPTH: usize = 8;

/// At most this many files, and this many bytes in all, are read.
pub const MAX_FILES: usize = 10_000;
pub const MAX_TOTAL: u64 = 64 << 20;

/// Every file under `dir` but Markdown, by relative path with `/`. Links
/// are followed, but never into a folder already being walked; only
/// regular files are read, each at most [`super::read::MAX_FILE`] bytes
/// by its metadata before a byte is read.
pub fn directory(dir: &Path) -> Result<Files, Vec<LoadError>> {
    let mut walk = Walk {
        root: dir,
        files: Vec::new(),
        errors: Vec::new(),
        open: Vec::new(),
        total: 0,
    };
    walk.dir(dir, 0);
    if walk.errors.is_empty() {
        Ok(walk.files)
    } else {
        Err(walk.errors)
    }
}

struct Walk<'a> {
    root: &'a Path,
    files: Files,
    errors: Vec<LoadError>,
    /// (device, inode) of the folders on the current path: a link back
    /// to one of them is a loop.
    open: Vec<(u64, u64)>,
    total: u64,
}

impl Walk<'_> {
    fn error(&mut self, path: &Path, message: impl Into<String>) {
        self.errors
            .push(LoadError::new(&path.display().to_string(), None, message));
    }

    fn dir(&mut self, dir: &Path, depth: usize) {
        use std::os::unix::fs::MetadataExt;
        if depth > MAX_DIR_DEPTH {
            return self.error(dir, format!("folders nest more than {MAX_DIR_DEPTH} deep"));
        }
        let id = match std::fs::metadata(dir) {
            Ok(m) => (m.dev(), m.ino()),
            Err(e) => return self.error(dir, e.to_string()),
        };
        if self.open.contains(&id) {
            return self.error(dir, "a link back to a folder that contains it (a loop)");
        }
        let mut entries: Vec<_> = match std::fs::read_dir(dir) {
            Ok(e) => e.flatten().map(|e| e.path()).collect(),
            Err(e) => return self.error(dir, e.to_string()),
        };
        entries.sort();
        self.open.push(id);
        for path in entries {
            if self.errors.len() >= 50 {
                break;
            }
            // Follows a link: what it names is what counts.
            let meta = match std::fs::metadata(&path) {
                Ok(m) => m,
                Err(e) => {
                    self.error(&path, e.to_string());
                    continue;
                }
            };
            let rel = path
                .strip_prefix(self.root)
                .map(|r| r.to_string_lossy().into_owned())
                .unwrap_or_default();
            if !mimispec_vectors::is_corpus_path(&rel) {
                continue;
            } else if meta.is_dir() {
                self.dir(&path, depth + 1);
            } else if !meta.is_file() {
                self.error(
                    &path,
                    "not a regular file (a FIFO, socket or device is never read)",
                );
            } else if meta.len() > super::read::MAX_FILE as u64 {
                self.error(
                    &path,
                    format!("larger than {} bytes", super::read::MAX_FILE),
                );
            } else if self.files.len() >= MAX_FILES || self.total + meta.len() > MAX_TOTAL {
                self.error(
                    &path,
                    format!("the vectors hold more than {MAX_FILES} files or {MAX_TOTAL} bytes"),
                );
                break;
            } else {
                self.file(&path, meta.len());
            }
        }
        self.open.pop();
    }

    fn file(&mut self, path: &Path, len: u64) {
        use std::io::Read as _;
        let rel = path.strip_prefix(self.root).unwrap_or(path);
        let rel: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        // The file may grow between stat and read: read one byte past the
        // bound and no more.
        let mut bytes = Vec::with_capacity(len as usize);
        let read = std::fs::File::open(path).and_then(|f| {
            f.take(super::read::MAX_FILE as u64 + 1)
                .read_to_end(&mut bytes)
        });
        match read {
            Ok(n) if n > super::read::MAX_FILE => {
                self.error(path, format!("larger than {} bytes", super::read::MAX_FILE))
            }
            Ok(n) => {
                self.total += n as u64;
                self.files.push((rel.join("/"), bytes));
            }
            Err(e) => self.error(path, e.to_string()),
        }
    }
}

/// `sha256:` over every file's path and bytes, in path order.
pub fn digest(files: &Files) -> String {
    let mut h = Sha256::new();
    for (path, bytes) in files {
        h.update(path.as_bytes());
        h.update([0]);
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    }
    let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

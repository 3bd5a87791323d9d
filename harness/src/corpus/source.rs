//! Where a corpus comes from: the files built into the binary, or a
//! directory (`--vectors DIR`); and the digest that pins them.

use std::path::Path;

use sha2::{Digest, Sha256};

use super::{Files, LoadError};

/// The corpus compiled into this binary (harness/build.rs).
pub fn embedded() -> Files {
    crate::embedded::FILES
        .iter()
        .map(|(p, b)| (p.to_string(), b.to_vec()))
        .collect()
}

/// Every file under `dir` but Markdown, by relative path with `/`.
pub fn directory(dir: &Path) -> Result<Files, Vec<LoadError>> {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    walk(dir, dir, &mut files, &mut errors);
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
}

fn walk(root: &Path, dir: &Path, files: &mut Files, errors: &mut Vec<LoadError>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            return errors.push(LoadError::new(
                &dir.display().to_string(),
                None,
                e.to_string(),
            ));
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(root, &path, files, errors);
        } else if path.extension().is_some_and(|e| e != "md") {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            match std::fs::read(&path) {
                Ok(bytes) => files.push((rel.join("/"), bytes)),
                Err(e) => errors.push(LoadError::new(
                    &path.display().to_string(),
                    None,
                    e.to_string(),
                )),
            }
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

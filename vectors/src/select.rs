/// Is this path (relative to the vectors folder, `/`-separated) part of the
/// corpus? The crate's own files (manifest, build script, sources) and
/// Markdown notes are not. Shared by the build script that embeds the
/// corpus and by `mimispec --vectors DIR`, so both digest the same files.
pub fn is_corpus_path(rel: &str) -> bool {
    let top = rel.split('/').next().unwrap_or(rel);
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let crate_file = rel == top
        && matches!(
            top,
            "Cargo.toml" | "Cargo.toml.orig" | "Cargo.lock" | "build.rs"
        );
    !(crate_file
        || matches!(top, "src" | "target")
        || name.starts_with('.')
        || name.ends_with(".md"))
}

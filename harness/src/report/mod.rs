//! Reports: the human text on stdout, `--json` and `--junit` files.

mod human;
mod json;
mod junit;

pub use human::{Human, summary};
pub use json::to_json;
pub use junit::to_junit;

/// How the run was made, for provenance and for rerun lines.
#[derive(Debug, Clone)]
pub struct Context {
    /// `mimispec run ...` words that select the same subject and corpus.
    pub rerun_base: Vec<String>,
    pub subject: String,
    pub mode: &'static str,
    pub corpus_digest: String,
    pub strict: bool,
}

impl Context {
    pub fn rerun(&self, id: &str) -> String {
        let mut words = self.rerun_base.clone();
        words.push("--filter".into());
        words.push(id.into());
        shell_words::join(words)
    }
}

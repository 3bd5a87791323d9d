//! Reports: the human text on stdout, `--json`, `--junit` and `--html` files.

mod html;
mod human;
mod json;
mod junit;
pub mod requirements;

pub use html::{Page, check_source_url, to_html};
pub use human::{Human, summary};
pub use json::to_json;
pub use junit::to_junit;

/// How the run was made, for provenance and for rerun lines.
#[derive(Debug, Clone)]
pub struct Context {
    /// Words that rerun the same subject and corpus; the id is added after
    /// `rerun_flag` (`--filter`), or alone with `--exact` when it is `None`
    /// (a libtest filter).
    pub rerun_base: Vec<String>,
    pub rerun_flag: Option<String>,
    pub subject: String,
    pub mode: &'static str,
    pub corpus_digest: String,
    pub strict: bool,
    /// The requirements of the documents that have a catalog.
    pub requirements: Vec<crate::corpus::requirements::Requirement>,
    /// What only the HTML page shows: vector files, register, expectations.
    pub page: Page,
}

impl Context {
    pub fn rerun(&self, id: &str) -> String {
        let mut words = self.rerun_base.clone();
        match &self.rerun_flag {
            Some(flag) => words.extend([flag.clone(), id.to_owned()]),
            None => words.extend([id.to_owned(), "--exact".to_owned()]),
        }
        shell_words::join(words)
    }
}

/// `1 case`, `2 cases`.
pub fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

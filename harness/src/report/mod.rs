//! Reports: the human text on stdout, `--json`, `--junit` and `--html` files.

mod html;
mod human;
pub mod json;
mod junit;
mod markdown;
pub mod matrix;
pub mod requirements;

pub use html::{Page, check_source_url, to_html, vector_url};
pub use human::Human;
pub use json::to_json;
pub use junit::to_junit;
pub use markdown::to_markdown;

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

/// `1 case`, `2 cases`, `2 passes`.
pub fn plural(n: usize, noun: &str) -> String {
    match (n, noun.ends_with('s')) {
        (1, _) => format!("1 {noun}"),
        (_, true) => format!("{n} {noun}es"),
        (_, false) => format!("{n} {noun}s"),
    }
}

//! `--expect FILE`: an implementation's known failures and error-code map.

use std::collections::BTreeMap;

use globset::{Glob, GlobMatcher};
use serde::Deserialize;

use crate::corpus::{Case, LoadError, from_yaml};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ExpectFile {
    #[serde(default)]
    expected_failures: BTreeMap<String, EntryDoc>,
    #[serde(default)]
    error_map: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum EntryDoc {
    Reason(String),
    Full {
        reason: String,
        #[serde(default)]
        issue: Option<String>,
    },
}

#[derive(Debug, Clone)]
pub struct ExpectedFailure {
    pub glob: String,
    pub reason: String,
    pub issue: Option<String>,
    matcher: GlobMatcher,
}

#[derive(Debug, Clone, Default)]
pub struct Expectations {
    pub failures: Vec<ExpectedFailure>,
    pub error_map: BTreeMap<String, String>,
}

impl Expectations {
    /// Reads an expectations file; every glob must match a case of `all`.
    pub fn load(file: &str, bytes: &[u8], all: &[Case]) -> Result<Expectations, LoadError> {
        let doc: ExpectFile = from_yaml(file, bytes)?;
        let err = |m: String| LoadError {
            file: file.to_owned(),
            line: None,
            message: m,
        };
        let mut failures = Vec::new();
        for (glob, entry) in doc.expected_failures {
            let (reason, issue) = match entry {
                EntryDoc::Reason(r) => (r, None),
                EntryDoc::Full { reason, issue } => (reason, issue),
            };
            if reason.trim().is_empty() {
                return Err(err(format!("{glob:?}: the reason is empty")));
            }
            let matcher = Glob::new(&glob)
                .map_err(|e| err(format!("{glob:?}: {e}")))?
                .compile_matcher();
            if !all.iter().any(|c| matcher.is_match(&c.id)) {
                return Err(err(format!(
                    "{glob:?} matches no case: a stale or mistyped entry"
                )));
            }
            failures.push(ExpectedFailure {
                glob,
                reason,
                issue,
                matcher,
            });
        }
        Ok(Expectations {
            failures,
            error_map: doc.error_map,
        })
    }

    pub fn expected_failure(&self, id: &str) -> Option<&ExpectedFailure> {
        self.failures.iter().find(|f| f.matcher.is_match(id))
    }

    /// The suite's code for an implementation's code.
    pub fn map_code<'a>(&'a self, code: &'a str) -> &'a str {
        self.error_map.get(code).map(String::as_str).unwrap_or(code)
    }
}

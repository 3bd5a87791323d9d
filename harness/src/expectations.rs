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
    error_map: BTreeMap<String, MapDoc>,
}

/// `CODE: suite.code` for every op, or `OP-GLOB: {CODE: suite.code}` for
/// the ops the glob names (`immi.msg_id.parse`, `immi.*`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum MapDoc {
    Code(String),
    Scoped(BTreeMap<String, String>),
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

/// Codes of one implementation mapped onto the suite's, for the ops a
/// glob names (`*` for all).
#[derive(Debug, Clone)]
pub struct CodeMap {
    pub ops: String,
    matcher: GlobMatcher,
    pub codes: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default)]
pub struct Expectations {
    pub failures: Vec<ExpectedFailure>,
    /// Scoped maps first, in file order; the unscoped one last.
    pub error_map: Vec<CodeMap>,
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
        // A target must be a code some case expects: else the entry maps
        // onto nothing (a typo such as immi.datetime.emtpy).
        let known: std::collections::BTreeSet<&str> = all
            .iter()
            .filter_map(|c| match &c.expect {
                crate::corpus::Expect::Reject(r) => r.code.as_deref(),
                _ => None,
            })
            .collect();
        let check_target = |from: &str, to: &str| -> Result<(), LoadError> {
            if known.contains(to) {
                return Ok(());
            }
            let near = known
                .iter()
                .min_by_key(|k| strsim::levenshtein(k, to))
                .map(|k| format!(" (the nearest is {k})"))
                .unwrap_or_default();
            Err(err(format!(
                "error-map: {from} maps onto {to:?}, which no case expects{near}"
            )))
        };
        let mut scoped = Vec::new();
        let mut global = BTreeMap::new();
        for (key, value) in doc.error_map {
            match value {
                MapDoc::Code(to) => {
                    check_target(&key, &to)?;
                    global.insert(key, to);
                }
                MapDoc::Scoped(codes) => {
                    let matcher = Glob::new(&key)
                        .map_err(|e| err(format!("error-map: {key:?}: {e}")))?
                        .compile_matcher();
                    if !all.iter().any(|c| matcher.is_match(&c.op)) {
                        return Err(err(format!("error-map: {key:?} names no op of any case")));
                    }
                    for (from, to) in &codes {
                        check_target(from, to)?;
                    }
                    scoped.push(CodeMap {
                        ops: key,
                        matcher,
                        codes,
                    });
                }
            }
        }
        scoped.push(CodeMap {
            ops: "*".into(),
            matcher: Glob::new("*").expect("a valid glob").compile_matcher(),
            codes: global,
        });
        Ok(Expectations {
            failures,
            error_map: scoped,
        })
    }

    pub fn expected_failure(&self, id: &str) -> Option<&ExpectedFailure> {
        self.failures.iter().find(|f| f.matcher.is_match(id))
    }

    /// The suite's code for an implementation's code under `op`: the
    /// first map whose ops glob matches and that maps the code.
    pub fn map_code<'a>(&'a self, op: &str, code: &'a str) -> &'a str {
        self.error_map
            .iter()
            .filter(|m| m.matcher.is_match(op))
            .find_map(|m| m.codes.get(code))
            .map(String::as_str)
            .unwrap_or(code)
    }
}

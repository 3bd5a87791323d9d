//! `--expect FILE`: an implementation's known failures and error-code map.

use std::collections::BTreeMap;
use std::fmt::Write as _;

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
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum MapDoc {
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

/// A reason that begins with this is a placeholder (`mimispec expect`
/// writes them): the loader refuses it until a person writes the reason.
pub const PLACEHOLDER: &str = "TODO";

pub fn is_placeholder(reason: &str) -> bool {
    reason.trim_start().starts_with(PLACEHOLDER)
}

/// One `expected-failures` entry as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub glob: String,
    pub reason: String,
    pub issue: Option<String>,
}

/// An expectations file as written, not yet checked against a corpus:
/// what `mimispec expect` merges and writes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    pub failures: Vec<Entry>,
    pub error_map: Vec<(String, MapDoc)>,
}

impl Document {
    pub fn parse(file: &str, bytes: &[u8]) -> Result<Document, LoadError> {
        let doc: ExpectFile = from_yaml(file, bytes)?;
        let failures = doc
            .expected_failures
            .into_iter()
            .map(|(glob, entry)| {
                let (reason, issue) = match entry {
                    EntryDoc::Reason(r) => (r, None),
                    EntryDoc::Full { reason, issue } => (reason, issue),
                };
                Entry {
                    glob,
                    reason,
                    issue,
                }
            })
            .collect();
        Ok(Document {
            failures,
            error_map: doc.error_map.into_iter().collect(),
        })
    }

    /// The file's text: `header` as comment lines, then the entries. Every
    /// key and value is a double-quoted scalar with whatever YAML would
    /// not keep as it is escaped, so no text can change the structure.
    pub fn to_yaml(&self, header: &[&str]) -> String {
        let mut out = String::new();
        for line in header {
            // The header is ours; a line break in it would still end the comment.
            let line = line.replace(|c: char| c.is_control() || is_break(c), " ");
            let _ = writeln!(out, "# {line}");
        }
        if self.failures.is_empty() {
            out.push_str("expected-failures: {}\n");
        } else {
            out.push_str("expected-failures:\n");
        }
        for e in &self.failures {
            match &e.issue {
                None => {
                    let _ = writeln!(out, "  {}: {}", quote(&e.glob), quote(&e.reason));
                }
                Some(issue) => {
                    let _ = writeln!(out, "  {}:", quote(&e.glob));
                    let _ = writeln!(out, "    reason: {}", quote(&e.reason));
                    let _ = writeln!(out, "    issue: {}", quote(issue));
                }
            }
        }
        if !self.error_map.is_empty() {
            out.push_str("error-map:\n");
        }
        for (key, value) in &self.error_map {
            match value {
                MapDoc::Code(to) => {
                    let _ = writeln!(out, "  {}: {}", quote(key), quote(to));
                }
                MapDoc::Scoped(codes) => {
                    let _ = writeln!(out, "  {}:", quote(key));
                    for (from, to) in codes {
                        let _ = writeln!(out, "    {}: {}", quote(from), quote(to));
                    }
                }
            }
        }
        out
    }
}

/// NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR: line breaks to YAML 1.1.
fn is_break(c: char) -> bool {
    matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// A YAML double-quoted scalar. Only characters YAML 1.1 and 1.2 both
/// print, and neither folds as a line break, are written as they are.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if is_break(c) => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fefe}' => out.push(c),
            '\u{ff00}'..='\u{fffd}' | '\u{10000}'.. => out.push(c),
            c if (c as u32) <= 0xffff => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08X}", c as u32);
            }
        }
    }
    out.push('"');
    out
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
        let doc = Document::parse(file, bytes)?;
        let err = |m: String| LoadError {
            file: file.to_owned(),
            line: None,
            message: m,
        };
        let placeholders: Vec<&Entry> = doc
            .failures
            .iter()
            .filter(|e| is_placeholder(&e.reason))
            .collect();
        if let Some(first) = placeholders.first() {
            let more = match placeholders.len() - 1 {
                0 => String::new(),
                1 => "; so does 1 more entry".to_owned(),
                n => format!("; so do {n} more entries"),
            };
            return Err(err(format!(
                "entry {:?}: write the reason (it still says {PLACEHOLDER}{more})",
                first.glob
            )));
        }
        let mut failures = Vec::new();
        for Entry {
            glob,
            reason,
            issue,
        } in doc.failures
        {
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
            let near = crate::diff::nearest(to, known.iter().map(|k| k.as_ref()))
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

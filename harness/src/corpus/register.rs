//! The ambiguity register (`vectors/<document>/ambiguities.yaml`) and its
//! checks.

use std::collections::BTreeMap;

use globset::Glob;
use serde::{Deserialize, Serialize};

use super::model::Level;
use super::{Corpus, LoadError, REGISTER, from_yaml};
use crate::ops;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub id: String,
    /// The folder the entry's file is in.
    #[serde(skip_deserializing)]
    pub document: String,
    pub section: String,
    pub question: String,
    pub readings: Vec<Reading>,
    pub decision: String,
    /// Where the suite takes no reading, the one the in-tree reference
    /// implements: the corpus test holds the reference to its cases (so a
    /// mutation of the reference shows), never an implementation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    pub rationale: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reading {
    pub name: String,
    pub text: String,
    #[serde(default)]
    pub vectors: Vec<String>,
}

/// The decision of an entry whose readings the suite leaves open: every
/// reading's cases are informational.
pub const NO_DECISION: &str = "none";

/// The register's file of `document`.
pub fn path(document: &str) -> String {
    format!("{document}/{REGISTER}")
}

/// Every document's entries, in document order.
pub fn load(corpus: &Corpus) -> Result<Vec<Entry>, LoadError> {
    let mut all = Vec::new();
    for document in ops::documents() {
        let file = path(document);
        if let Some(bytes) = corpus.file(&file) {
            let mut entries: Vec<Entry> = from_yaml(&file, bytes)?;
            for e in &mut entries {
                e.document = document.to_owned();
            }
            all.append(&mut entries);
        }
    }
    Ok(all)
}

/// The register agrees with the corpus: every glob matches, every case of
/// a reading the suite does not take is informational, the reading it
/// takes is tested by a graded case, every case naming an ambiguity is
/// listed under one of its readings.
pub fn check(corpus: &Corpus) -> Result<(), Vec<LoadError>> {
    let entries = load(corpus).map_err(|e| vec![e])?;
    let mut errors = Vec::new();
    let mut listed: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut ids = std::collections::BTreeSet::new();
    for e in &entries {
        let mut bad = |m: String| {
            errors.push(LoadError::new(
                &path(&e.document),
                None,
                format!("{}: {m}", e.id),
            ))
        };
        if !ids.insert(e.id.as_str()) {
            bad("duplicate entry".into());
        }
        if e.decision != NO_DECISION && !e.readings.iter().any(|r| r.name == e.decision) {
            bad(format!(
                "decision {:?} is not one of its readings (or {NO_DECISION:?})",
                e.decision
            ));
        }
        match &e.reference {
            Some(r) if e.decision != NO_DECISION => bad(format!(
                "reference {r:?}: only an entry with decision {NO_DECISION:?} names the reference's reading"
            )),
            Some(r) if !e.readings.iter().any(|x| &x.name == r) => {
                bad(format!("reference {r:?} is not one of its readings"))
            }
            _ => {}
        }
        for r in &e.readings {
            let mut graded = false;
            for pattern in &r.vectors {
                let glob = match Glob::new(pattern) {
                    Ok(g) => g.compile_matcher(),
                    Err(err) => {
                        bad(format!("{pattern:?}: {err}"));
                        continue;
                    }
                };
                let hits: Vec<_> = corpus
                    .cases
                    .iter()
                    .filter(|c| glob.is_match(&c.id))
                    .collect();
                if hits.is_empty() {
                    bad(format!("reading {:?}: {pattern:?} matches no case", r.name));
                }
                for c in hits {
                    listed.entry(c.id.as_str()).or_default().push(e.id.as_str());
                    graded |= c.level != Level::Informational;
                    if r.name != e.decision && c.level != Level::Informational {
                        bad(format!(
                            "{} tests reading {:?}, which the suite does not take, so its level must be informational",
                            c.id, r.name
                        ));
                    }
                }
            }
            if r.name == e.decision && !r.vectors.is_empty() && !graded {
                bad(format!(
                    "the reading the suite takes, {:?}, is tested by informational cases alone",
                    r.name
                ));
            }
        }
    }
    for c in &corpus.cases {
        let Some(a) = &c.ambiguity else { continue };
        let mut bad = |m: String| errors.push(LoadError::new(&c.file, Some(c.line), m));
        if !ids.contains(a.as_str()) {
            bad(format!(
                "{}: ambiguity {a:?} is in no document's {REGISTER}",
                c.id
            ));
        } else if !listed
            .get(c.id.as_str())
            .is_some_and(|l| l.contains(&a.as_str()))
        {
            bad(format!(
                "{}: names ambiguity {a} but none of its readings lists it",
                c.id
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// The ids of the cases that test a reading neither the suite nor the
/// reference takes: the reference need not meet those.
pub fn other_readings(corpus: &Corpus) -> std::collections::BTreeSet<String> {
    let mut ids = std::collections::BTreeSet::new();
    for entry in load(corpus).unwrap_or_default() {
        let taken = entry.reference.as_deref().unwrap_or(&entry.decision);
        for reading in entry.readings.iter().filter(|r| r.name != taken) {
            for pattern in &reading.vectors {
                let Ok(glob) = Glob::new(pattern) else {
                    continue;
                };
                let glob = glob.compile_matcher();
                ids.extend(
                    corpus
                        .cases
                        .iter()
                        .filter(|c| glob.is_match(&c.id))
                        .map(|c| c.id.clone()),
                );
            }
        }
    }
    ids
}

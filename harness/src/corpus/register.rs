//! The ambiguity register (vectors/AMBIGUITIES.yaml) and its checks.

use std::collections::BTreeMap;

use globset::Glob;
use serde::{Deserialize, Serialize};

use super::model::Level;
use super::{Corpus, LoadError, REGISTER, from_yaml};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub id: String,
    pub document: String,
    pub section: String,
    pub question: String,
    pub readings: Vec<Reading>,
    pub decision: String,
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

pub fn load(corpus: &Corpus) -> Result<Vec<Entry>, LoadError> {
    match corpus.file(REGISTER) {
        Some(bytes) => from_yaml(REGISTER, bytes),
        None => Ok(Vec::new()),
    }
}

/// The register agrees with the corpus: every glob matches, every case of
/// a reading the suite does not take is informational, every case naming
/// an ambiguity is listed under one of its readings.
pub fn check(corpus: &Corpus) -> Result<(), Vec<LoadError>> {
    let entries = load(corpus).map_err(|e| vec![e])?;
    let mut errors = Vec::new();
    let mut bad = |m: String| errors.push(LoadError::new(REGISTER, None, m));
    let mut listed: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut ids = std::collections::BTreeSet::new();
    for e in &entries {
        if !ids.insert(e.id.as_str()) {
            bad(format!("{}: duplicate entry", e.id));
        }
        if !e.readings.iter().any(|r| r.name == e.decision) {
            bad(format!(
                "{}: decision {:?} is not one of its readings",
                e.id, e.decision
            ));
        }
        for r in &e.readings {
            for pattern in &r.vectors {
                let glob = match Glob::new(pattern) {
                    Ok(g) => g.compile_matcher(),
                    Err(err) => {
                        bad(format!("{}: {pattern:?}: {err}", e.id));
                        continue;
                    }
                };
                let hits: Vec<_> = corpus
                    .cases
                    .iter()
                    .filter(|c| glob.is_match(&c.id))
                    .collect();
                if hits.is_empty() {
                    bad(format!(
                        "{}: reading {:?}: {pattern:?} matches no case",
                        e.id, r.name
                    ));
                }
                for c in hits {
                    listed.entry(c.id.as_str()).or_default().push(e.id.as_str());
                    if r.name != e.decision && c.level != Level::Informational {
                        bad(format!(
                            "{}: {} tests reading {:?}, which the suite does not take, so its level must be informational",
                            e.id, c.id, r.name
                        ));
                    }
                }
            }
        }
    }
    for c in &corpus.cases {
        if let Some(a) = &c.ambiguity {
            if !ids.contains(a.as_str()) {
                errors.push(LoadError::new(
                    &c.file,
                    Some(c.line),
                    format!("{}: ambiguity {a:?} is not in {REGISTER}", c.id),
                ));
            } else if !listed
                .get(c.id.as_str())
                .is_some_and(|l| l.contains(&a.as_str()))
            {
                errors.push(LoadError::new(
                    &c.file,
                    Some(c.line),
                    format!(
                        "{}: names ambiguity {a} but none of its readings lists it",
                        c.id
                    ),
                ));
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// The ids of the cases that test a reading the suite does not take: the
/// reference need not meet those (it takes the suite's reading).
pub fn other_readings(corpus: &Corpus) -> std::collections::BTreeSet<String> {
    let mut ids = std::collections::BTreeSet::new();
    for entry in load(corpus).unwrap_or_default() {
        for reading in entry.readings.iter().filter(|r| r.name != entry.decision) {
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

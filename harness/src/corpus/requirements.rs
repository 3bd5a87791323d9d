//! The requirement catalogs (`vectors/<document>/requirements.yaml`): every
//! testable statement of a document, or of an RFC it cites, that a vector
//! relies on, with the words it rests on and the level the suite takes.
//! Cases name the requirements they test; the checks here keep every
//! verdict at or below the level its words support.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::model::{Case, Expect, Level};
use super::{CATALOG, Corpus, LoadError, from_yaml};
use crate::ops;

/// Whose rule a requirement is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The document's words, or a cited RFC's (`source`).
    #[default]
    Normative,
    /// The suite's own bound, choice or convention: at most SHOULD.
    Suite,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    /// Stable and unique across the corpus: `IMMI-MSGID-SYNTAX`.
    pub id: String,
    /// The section of the document (or of `source`).
    pub section: String,
    /// Where the words are when not in the document: `RFC 5322 §3.6.4`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The words, exactly as written.
    pub quote: String,
    /// The keyword as written: MUST, SHOULD NOT, MAY, must, could, none...
    pub keyword: String,
    /// The level the suite takes.
    pub level: Level,
    /// Why the level, when the keyword is not a BCP 14 one, the level is
    /// not the keyword's, or the requirement is the suite's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    #[serde(default)]
    pub kind: Kind,
    /// No case can test it, and why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub untestable: Option<String>,
    /// Why only accepting or only rejecting cases can exist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub one_sided: Option<String>,
    /// The folder of its catalog.
    #[serde(skip_deserializing)]
    pub document: String,
}

/// The level a BCP 14 keyword (RFC 2119, RFC 8174: upper case) gives.
pub fn bcp14_level(keyword: &str) -> Option<Level> {
    match keyword {
        "MUST" | "MUST NOT" | "REQUIRED" | "SHALL" | "SHALL NOT" => Some(Level::Must),
        "SHOULD" | "SHOULD NOT" | "RECOMMENDED" | "NOT RECOMMENDED" => Some(Level::Should),
        "MAY" | "OPTIONAL" => Some(Level::May),
        _ => None,
    }
}

fn valid_id(id: &str) -> bool {
    let parts: Vec<&str> = id.split('-').collect();
    parts.len() >= 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        })
        && parts[0].as_bytes()[0].is_ascii_uppercase()
}

pub fn path(document: &str) -> String {
    format!("{document}/{CATALOG}")
}

/// Every catalog, by document; a document without one is absent.
pub fn load(corpus: &Corpus) -> Result<BTreeMap<&'static str, Vec<Requirement>>, LoadError> {
    let mut all = BTreeMap::new();
    for document in ops::documents() {
        let file = path(document);
        if let Some(bytes) = corpus.file(&file) {
            let mut reqs: Vec<Requirement> = from_yaml(&file, bytes)?;
            for r in &mut reqs {
                r.document = document.to_owned();
            }
            all.insert(document, reqs);
        }
    }
    Ok(all)
}

/// Whose rule a requirement is, as a tag: `rfc6376` for a rule of RFC 6376
/// (`source`), the document's name for its own words.
pub fn layer(r: &Requirement) -> String {
    match &r.source {
        Some(s) => s
            .split('§')
            .next()
            .unwrap_or(s)
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect(),
        None => r.document.clone(),
    }
}

/// The tag prefix of derived layer tags; vectors do not write them.
pub const LAYER_TAG: &str = "layer:";

/// Gives every case a `layer:<layer>` tag per layer of the requirements it
/// names, so a run can select the cases of one layer (`--tag
/// layer:rfc6376`): a tag-list library is judged on the tag-list rules, not
/// on the MSSSI semantics above them.
pub fn tag_layers(corpus: &mut Corpus) -> Result<(), LoadError> {
    let catalogs = load(corpus)?;
    let layers: BTreeMap<&str, String> = catalogs
        .values()
        .flatten()
        .map(|r| (r.id.as_str(), format!("{LAYER_TAG}{}", layer(r))))
        .collect();
    for c in &mut corpus.cases {
        let mut mine: BTreeSet<&String> = BTreeSet::new();
        mine.extend(
            c.requirements
                .iter()
                .filter_map(|id| layers.get(id.as_str())),
        );
        for tag in mine {
            if !c.tags.contains(tag) {
                c.tags.push(tag.clone());
            }
        }
    }
    Ok(())
}

/// Does the case accept the input (a result or properties) or reject it?
fn rejects(c: &Case) -> bool {
    matches!(c.expect, Expect::Reject(_))
}

/// The catalogs agree with themselves and with the cases of their
/// documents. A document without a catalog is not checked (yet).
pub fn check(corpus: &Corpus) -> Result<(), Vec<LoadError>> {
    let catalogs = load(corpus).map_err(|e| vec![e])?;
    let mut errors = Vec::new();
    let mut by_id: BTreeMap<&str, &Requirement> = BTreeMap::new();
    for (document, reqs) in &catalogs {
        let file = path(document);
        for r in reqs {
            let mut bad =
                |m: String| errors.push(LoadError::new(&file, None, format!("{}: {m}", r.id)));
            if !valid_id(&r.id) {
                bad("an id is upper-case words joined by '-'".into());
            }
            if by_id.insert(r.id.as_str(), r).is_some() {
                bad("duplicate id".into());
            }
            if r.quote.trim().is_empty() || r.section.trim().is_empty() {
                bad("section and quote are required".into());
            }
            if r.level == Level::Informational {
                bad("a requirement's level is MUST, SHOULD or MAY".into());
            }
            let keyword_level = bcp14_level(&r.keyword);
            let explained = r.why.as_ref().is_some_and(|w| !w.trim().is_empty());
            if let Some(k) = keyword_level
                && r.level < k
            {
                bad(format!(
                    "level {} is above its keyword {:?}",
                    r.level.as_str(),
                    r.keyword
                ));
            }
            if !explained
                && (keyword_level != Some(r.level)
                    || r.kind == Kind::Suite
                    || r.untestable.is_some())
            {
                bad("`why` is required: the keyword is not a BCP 14 keyword of this level, or the requirement is the suite's".into());
            }
            if r.kind == Kind::Suite && r.level < Level::Should {
                bad("a suite requirement is at most SHOULD".into());
            }
        }
    }
    // Cases of catalogued documents.
    let mut cases_of: BTreeMap<&str, Vec<&Case>> = BTreeMap::new();
    for c in &corpus.cases {
        let Some(reqs) = catalogs.get(c.document()) else {
            continue;
        };
        let mut bad = |m: String| {
            errors.push(LoadError::new(
                &c.file,
                Some(c.line),
                format!("{}: {m}", c.id),
            ))
        };
        if c.requirements.is_empty() {
            bad(format!(
                "names no requirement of {} (`requirements:`)",
                path(c.document())
            ));
            continue;
        }
        if rejects(c) && c.requirements.len() != 1 {
            bad("a reject case breaks exactly one requirement, and names it".into());
        }
        for id in &c.requirements {
            match reqs.iter().find(|r| &r.id == id) {
                None => bad(format!("requirement {id} is not in {}", path(c.document()))),
                Some(r) => {
                    if r.untestable.is_some() {
                        bad(format!("requirement {id} is marked untestable"));
                    }
                    if c.level != Level::Informational && c.level < r.level {
                        bad(format!(
                            "level {} is above its requirement {id}'s {}",
                            c.level.as_str(),
                            r.level.as_str()
                        ));
                    }
                    cases_of.entry(r.id.as_str()).or_default().push(c);
                }
            }
        }
    }
    // Every covered requirement is tested from both sides.
    for (id, cases) in &cases_of {
        let r = by_id[id];
        let graded: Vec<&&Case> = cases
            .iter()
            .filter(|c| c.level != Level::Informational)
            .collect();
        let accepts = graded.iter().any(|c| !rejects(c));
        let rejected = graded.iter().any(|c| rejects(c));
        let both_sides = accepts && rejected;
        if !graded.is_empty() && !both_sides && r.one_sided.is_none() {
            let missing = if accepts { "rejects" } else { "accepts" };
            errors.push(LoadError::new(
                &path(&r.document),
                None,
                format!(
                    "{id}: no graded case {missing} (add one, or say why none can in `one_sided`)"
                ),
            ));
        }
        // A MUST-level fault must show as a MUST failure, not as non-strict.
        if r.level == Level::Must
            && !graded.is_empty()
            && !graded.iter().any(|c| c.level == Level::Must)
        {
            errors.push(LoadError::new(
                &path(&r.document),
                None,
                format!(
                    "{id}: a MUST requirement tested only below MUST (add a MUST case that an implementation breaking only this rule fails)"
                ),
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// One requirement and the cases that name it, for `mimispec coverage`.
pub struct Coverage<'a> {
    pub requirement: &'a Requirement,
    pub cases: Vec<&'a Case>,
}

impl Coverage<'_> {
    pub fn status(&self) -> &'static str {
        if self.requirement.untestable.is_some() {
            "untestable"
        } else if self.cases.iter().any(|c| c.level != Level::Informational) {
            "covered"
        } else {
            "uncovered"
        }
    }
}

/// Every requirement of `catalogs` with its cases, in catalog order.
pub fn coverage<'a>(
    corpus: &'a Corpus,
    catalogs: &'a BTreeMap<&'static str, Vec<Requirement>>,
) -> Vec<Coverage<'a>> {
    let mut out = Vec::new();
    for reqs in catalogs.values() {
        for r in reqs {
            let cases = corpus
                .cases
                .iter()
                .filter(|c| c.requirements.contains(&r.id))
                .collect();
            out.push(Coverage {
                requirement: r,
                cases,
            });
        }
    }
    out
}

/// The ids of the documents that have a catalog.
pub fn catalogued(corpus: &Corpus) -> BTreeSet<&'static str> {
    ops::documents()
        .filter(|d| corpus.file(&path(d)).is_some())
        .collect()
}

//! Requirements first: which requirements of the catalogs an
//! implementation meets, fails or leaves untested, from its case verdicts.

use serde::Serialize;

use crate::corpus::Level;
use crate::corpus::requirements::{Kind, Requirement};
use crate::run::RunResult;
use crate::verdict::Verdict;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Every graded case of it that was sent passed.
    Met,
    /// A graded case of it failed (expected failures included).
    Failed,
    /// No graded case of it was sent (undeclared ops, `unsupported`), or
    /// every answer left out what it is about (`accepted` without a
    /// result, a member of an undeclared feature).
    Untested,
    /// Only informational cases name it (readings the suite does not
    /// take): answered and recorded, never graded.
    InformationalOnly,
    /// The catalog says no case can test it (never named by a case, so
    /// never in a run's tally; kept for the catalog's own listings).
    Untestable,
}

impl Status {
    /// Every status; the match makes a new one a compile error here.
    pub const ALL: [Status; 5] = {
        match Status::Met {
            Status::Met
            | Status::Failed
            | Status::Untested
            | Status::InformationalOnly
            | Status::Untestable => {}
        }
        [
            Status::Met,
            Status::Failed,
            Status::Untested,
            Status::InformationalOnly,
            Status::Untestable,
        ]
    };

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Failed => "failed",
            Status::Untested => "untested",
            Status::InformationalOnly => "informational-only",
            Status::Untestable => "untestable",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Tally<'a> {
    pub id: &'a str,
    pub document: &'a str,
    pub level: Level,
    pub suite: bool,
    pub status: Status,
    /// The graded cases that were sent, and the ids of those that failed.
    pub cases: usize,
    pub failing: Vec<&'a str>,
    #[serde(skip)]
    pub requirement: &'a Requirement,
}

/// One tally per requirement that a case of the run names, in catalog
/// order (a filtered run speaks of what it selected).
pub fn tally<'a>(run: &'a RunResult, catalog: &'a [Requirement]) -> Vec<Tally<'a>> {
    catalog
        .iter()
        .filter(|r| {
            run.records
                .iter()
                .any(|rec| rec.case.requirements.contains(&r.id))
        })
        .map(|r| {
            let mut cases = 0;
            let mut informational = 0;
            let mut failing = Vec::new();
            for rec in &run.records {
                if !rec.case.requirements.contains(&r.id) {
                    continue;
                }
                // An answer that left out what this requirement is about
                // (`accepted`, an undeclared feature's member) shows nothing.
                if !rec.judgement.evidences(&r.id) {
                    continue;
                }
                if rec.case.level == Level::Informational {
                    informational += usize::from(rec.was_sent());
                    continue;
                }
                match rec.verdict() {
                    Verdict::Unsupported => {}
                    Verdict::Pass | Verdict::UnexpectedPass | Verdict::Informational => cases += 1,
                    _ => {
                        cases += 1;
                        failing.push(rec.case.id.as_str());
                    }
                }
            }
            let status = if r.untestable.is_some() {
                Status::Untestable
            } else if !failing.is_empty() {
                Status::Failed
            } else if cases == 0 && informational > 0 && !graded_named(run, &r.id) {
                Status::InformationalOnly
            } else if cases == 0 {
                Status::Untested
            } else {
                Status::Met
            };
            Tally {
                id: &r.id,
                document: &r.document,
                level: r.level,
                suite: r.kind == Kind::Suite,
                status,
                cases,
                failing,
                requirement: r,
            }
        })
        .collect()
}

/// Does a graded case of the run name this requirement?
fn graded_named(run: &RunResult, id: &str) -> bool {
    run.records.iter().any(|rec| {
        rec.case.level != Level::Informational && rec.case.requirements.iter().any(|r| r == id)
    })
}

/// `MUST 40 met, 2 failed, 3 untested; SHOULD ...` for one document.
pub fn line(tallies: &[&Tally<'_>]) -> String {
    let mut parts = Vec::new();
    for level in [Level::Must, Level::Should, Level::May] {
        let mine: Vec<_> = tallies.iter().filter(|t| t.level == level).collect();
        if mine.is_empty() {
            continue;
        }
        let n = |s: Status| mine.iter().filter(|t| t.status == s).count();
        let mut part = format!(
            "{} {} met, {} failed, {} untested",
            level.as_str(),
            n(Status::Met),
            n(Status::Failed),
            n(Status::Untested)
        );
        if n(Status::InformationalOnly) > 0 {
            part.push_str(&format!(
                ", {} informational only",
                n(Status::InformationalOnly)
            ));
        }
        parts.push(part);
    }
    parts.join("; ")
}

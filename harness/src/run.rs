//! A run: the selected cases, sent to a subject by `jobs` workers, judged.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use globset::{Glob, GlobMatcher};
use indicatif::ProgressBar;
use serde_json::Value;

use crate::corpus::{Case, Level};
use crate::dns::{MockDns, Query, TypeCodes};
use crate::protocol::ImplInfo;
use crate::subject::{Outcome, StartError, SubjectSpec};
use crate::verdict::{Finding, Judge, Judgement, Verdict};

/// Which cases a run takes. Empty lists select everything; the criteria
/// are and-ed, the values within one criterion or-ed.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub ids: Vec<IdPattern>,
    pub documents: Vec<String>,
    pub levels: Vec<Level>,
    pub tags: Vec<String>,
    /// `--skip-tag`: cases with any of these tags are left out.
    pub skip_tags: Vec<String>,
    /// `--op`: op names or globs over them.
    pub ops: Vec<GlobMatcher>,
}

/// `--filter`: a glob (`*`, `?`, `[...]`) or, without any, an id prefix.
#[derive(Debug, Clone)]
pub enum IdPattern {
    Prefix(String),
    Glob(GlobMatcher),
}

impl IdPattern {
    pub fn new(s: &str) -> Result<IdPattern, String> {
        if s.contains(['*', '?', '[', '{']) {
            Glob::new(s)
                .map(|g| IdPattern::Glob(g.compile_matcher()))
                .map_err(|e| format!("--filter {s:?}: {e}"))
        } else {
            Ok(IdPattern::Prefix(s.to_owned()))
        }
    }

    fn is_match(&self, id: &str) -> bool {
        match self {
            IdPattern::Prefix(p) => id.starts_with(p.as_str()),
            IdPattern::Glob(g) => g.is_match(id),
        }
    }
}

impl Filter {
    pub fn matches(&self, c: &Case) -> bool {
        (self.ids.is_empty() || self.ids.iter().any(|p| p.is_match(&c.id)))
            && (self.documents.is_empty() || self.documents.iter().any(|d| d == c.document()))
            && (self.levels.is_empty() || self.levels.contains(&c.level))
            && (self.ops.is_empty() || self.ops.iter().any(|g| g.is_match(&c.op)))
            && (self.tags.is_empty()
                || self
                    .tags
                    .iter()
                    .any(|t| c.tags.contains(t) || c.ambiguity.as_ref() == Some(t)))
            && !self.skip_tags.iter().any(|t| c.tags.contains(t))
    }
}

/// One case's result.
#[derive(Debug, Clone)]
pub struct Record {
    pub case: Case,
    pub judgement: Judgement,
    /// The answer as it travelled (`{"result": ...}`, `{"error": ...}`).
    pub actual: Option<Value>,
    pub stderr: String,
    pub duration: Duration,
    /// The queries the mock DNS zone received, for resolve cases.
    pub queries: Option<Vec<Query>>,
}

/// What a run needs besides the cases and the subject.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    pub judge: Judge,
    pub jobs: usize,
    /// The type codes the mock DNS zone serves MIMI and MIMIX under.
    pub types: TypeCodes,
}

impl Record {
    pub fn verdict(&self) -> Verdict {
        self.judgement.verdict
    }

    /// False when the op or the case's feature is not in the hello.
    pub fn was_sent(&self) -> bool {
        !self.judgement.findings.iter().any(|f| {
            matches!(
                f,
                Finding::OpNotDeclared { .. } | Finding::FeatureNotDeclared { .. }
            )
        })
    }

    /// A rejection that passed with another code than the suite's (it
    /// fails only under `--strict-codes`).
    pub fn passed_with_other_code(&self) -> bool {
        self.verdict() == Verdict::Pass
            && self
                .judgement
                .findings
                .iter()
                .any(|f| matches!(f, Finding::OtherCode { .. }))
    }
}

/// What a report counts for one op or document.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    pub verdicts: BTreeMap<Verdict, usize>,
    /// Passes whose rejection carried another code.
    pub other_code: usize,
    /// Passes on acceptance alone (`accepted`, no result compared).
    pub accepted_only: usize,
    /// Cases not sent: the op or the feature is not declared.
    pub not_sent: usize,
    pub features_not_declared: std::collections::BTreeSet<String>,
}

impl Tally {
    pub fn total(&self) -> usize {
        self.verdicts.values().sum()
    }
}

#[derive(Debug)]
pub struct RunResult {
    pub info: ImplInfo,
    pub records: Vec<Record>,
    pub elapsed: Duration,
}

impl RunResult {
    pub fn count(&self, v: Verdict) -> usize {
        self.records.iter().filter(|r| r.verdict() == v).count()
    }

    /// Verdict counts per document, for every report.
    pub fn counts_by_document(&self) -> BTreeMap<&str, BTreeMap<Verdict, usize>> {
        self.tally_by(|r| r.case.document())
            .into_iter()
            .map(|(d, t)| (d, t.verdicts))
            .collect()
    }

    /// Counts per key (an op, a document), in key order.
    pub fn tally_by<'a>(&'a self, key: impl Fn(&'a Record) -> &'a str) -> BTreeMap<&'a str, Tally> {
        let mut by: BTreeMap<&str, Tally> = BTreeMap::new();
        for r in &self.records {
            let t = by.entry(key(r)).or_default();
            *t.verdicts.entry(r.verdict()).or_default() += 1;
            t.other_code += usize::from(r.passed_with_other_code());
            t.accepted_only +=
                usize::from(r.verdict() == Verdict::Pass && r.judgement.acceptance_only());
            t.not_sent += usize::from(!r.was_sent());
            for f in &r.judgement.findings {
                if let Finding::FeatureNotDeclared { feature } = f {
                    t.features_not_declared.insert(feature.clone());
                }
            }
        }
        by
    }

    /// Cases sent to the implementation (not skipped as undeclared).
    pub fn sent(&self) -> usize {
        self.records.iter().filter(|r| r.was_sent()).count()
    }

    /// Cases that tested something: sent, and not answered `unsupported`.
    pub fn tested(&self) -> usize {
        self.records
            .iter()
            .filter(|r| r.was_sent() && r.verdict() != Verdict::Unsupported)
            .count()
    }

    pub fn ok(&self, strict: bool) -> bool {
        !self.records.iter().any(|r| r.verdict().fails_run(strict))
    }
}

/// Runs `cases` in order of their index; records come back in that order.
pub fn execute(
    cases: &[Case],
    spec: &SubjectSpec,
    opts: &RunOptions,
    progress: &ProgressBar,
) -> Result<RunResult, StartError> {
    let start = Instant::now();
    let jobs = opts.jobs.clamp(1, cases.len().max(1));
    let mut subjects = Vec::with_capacity(jobs);
    for _ in 0..jobs {
        subjects.push(spec.start()?);
    }
    let info = subjects[0].info().clone();
    let next = AtomicUsize::new(0);
    let slots: Mutex<Vec<Option<Record>>> = Mutex::new(vec![None; cases.len()]);
    std::thread::scope(|s| {
        for mut subject in subjects {
            let (next, slots) = (&next, &slots);
            s.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(case) = cases.get(i) else { break };
                    let record = run_case(subject.as_mut(), case, opts);
                    progress.inc(1);
                    if let Ok(mut slots) = slots.lock() {
                        slots[i] = Some(record);
                    }
                }
            });
        }
    });
    let records = slots
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .flatten()
        .collect();
    Ok(RunResult {
        info,
        records,
        elapsed: start.elapsed(),
    })
}

/// Runs one case: serves its zone, if it has one, sends it, judges it.
pub fn run_case(
    subject: &mut dyn crate::subject::Subject,
    case: &Case,
    opts: &RunOptions,
) -> Record {
    let skipped = |judgement| Record {
        case: case.clone(),
        judgement,
        actual: None,
        stderr: String::new(),
        duration: Duration::ZERO,
        queries: None,
    };
    if let Some(j) = opts.judge.not_declared(case, subject.info()) {
        return skipped(j);
    }
    let dns = match &case.zone {
        Some(zone) => match MockDns::start(zone, opts.types) {
            Ok(d) => Some(d),
            // Not the implementation's fault: say so, never pass.
            Err(e) => {
                let what = format!("mimispec could not start the mock DNS zone: {e}");
                return skipped(opts.judge.harness_fault(what));
            }
        },
        None => None,
    };
    let input = match &dns {
        Some(d) => crate::dns::inject(&case.input, d, opts.types),
        None => case.input.clone(),
    };
    let answer = subject.call(&case.id, &case.op, &input);
    let queries = dns.as_ref().map(MockDns::queries);
    let dropped = dns.as_ref().map_or(0, MockDns::dropped);
    drop(dns);
    let actual = match &answer.outcome {
        Outcome::Reply(r) => Some(r.to_json()),
        _ => None,
    };
    let extra = match (&case.queries, &queries) {
        (Some(_), Some(_)) if dropped > 0 => Some(Finding::Queries {
            message: format!(
                "the implementation sent more queries than the log keeps ({} of {} were dropped)",
                dropped,
                dropped + queries.as_ref().map_or(0, |q| q.len() as u64)
            ),
        }),
        (Some(checks), Some(log)) => checks
            .check(log)
            .err()
            .map(|message| Finding::Queries { message }),
        _ => None,
    };
    let features = &subject.info().features;
    Record {
        case: case.clone(),
        judgement: opts
            .judge
            .judge_with(case, &answer.outcome, features, extra),
        actual,
        stderr: answer.stderr,
        duration: answer.duration,
        queries,
    }
}

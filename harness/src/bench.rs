//! `mimispec bench`: cases per second for one corpus in process, through
//! `mimispec adapter` persistent, and one process per case. Figures, not
//! pass/fail: a timed test would flake on a busy machine.

use std::time::Duration;

use indicatif::ProgressBar;

use crate::corpus::Case;
use crate::run::{RunOptions, execute};
use crate::subject::{ExternalConfig, Mode, SubjectSpec};

pub struct Figure {
    pub name: &'static str,
    pub cases: usize,
    /// Median over the rounds of the time from request to answer.
    pub per_case: Duration,
    /// Median over the rounds of the rest of a run: starting processes,
    /// handshakes, scheduling.
    pub setup: Duration,
}

/// Runs each path `rounds` times (one-shot: `oneshot_rounds`) and returns
/// the medians. `adapter` is the command line of a protocol adapter.
pub fn measure(
    cases: &[Case],
    features: Vec<String>,
    adapter: (String, Vec<String>),
    rounds: usize,
    oneshot_rounds: usize,
) -> Result<Vec<Figure>, String> {
    let opts = RunOptions {
        jobs: 1,
        ..RunOptions::default()
    };
    let hidden = ProgressBar::hidden();
    let mut ext = ExternalConfig::new(adapter.0, adapter.1);
    let persistent = SubjectSpec::External(ext.clone());
    ext.mode = Mode::OneShot;
    let one_shot = SubjectSpec::External(ext);
    let paths = [
        ("in-process", SubjectSpec::Reference { features }, rounds),
        ("adapter, persistent", persistent, rounds),
        ("adapter, one-shot", one_shot, oneshot_rounds),
    ];
    let mut figures = Vec::new();
    for (name, spec, n) in paths {
        let (mut per_case, mut setup) = (Vec::new(), Vec::new());
        for _ in 0..n.max(1) {
            let run = execute(cases, &spec, &opts, &hidden).map_err(|e| e.to_string())?;
            let busy: Duration = run.records.iter().map(|r| r.duration).sum();
            per_case.push(busy / cases.len().max(1) as u32);
            setup.push(run.elapsed.saturating_sub(busy));
        }
        per_case.sort();
        setup.sort();
        figures.push(Figure {
            name,
            cases: cases.len(),
            per_case: per_case[per_case.len() / 2],
            setup: setup[setup.len() / 2],
        });
    }
    Ok(figures)
}

/// The cost of a resolve case end to end, in process: the mock zone's
/// start, the queries, the teardown. Cases whose zone drops queries are
/// left out: they wait for the client's timeout by design.
pub fn resolve_cost(
    cases: &[Case],
    features: Vec<String>,
    rounds: usize,
) -> Result<Option<(usize, Duration)>, String> {
    let resolve: Vec<&Case> = cases
        .iter()
        .filter(|c| {
            c.zone.as_ref().is_some_and(|z| {
                !z.faults
                    .iter()
                    .any(|f| f.fault == crate::dns::FaultKind::Drop)
            })
        })
        .collect();
    if resolve.is_empty() {
        return Ok(None);
    }
    let mut subject = SubjectSpec::Reference { features }
        .start()
        .map_err(|e| e.to_string())?;
    let opts = RunOptions {
        jobs: 1,
        ..RunOptions::default()
    };
    let mut per_case = Vec::new();
    for _ in 0..rounds.max(1) {
        let start = std::time::Instant::now();
        for c in &resolve {
            crate::run::run_case(subject.as_mut(), c, &opts);
        }
        per_case.push(start.elapsed() / resolve.len() as u32);
    }
    per_case.sort();
    Ok(Some((resolve.len(), per_case[per_case.len() / 2])))
}

/// The built-in corpus as `mimispec run` runs it in process: the whole
/// run's wall time, each document's, and resolve cases' per-case times.
pub struct CorpusFigures {
    pub cases: usize,
    pub jobs: usize,
    /// Median wall time of a run of every case.
    pub whole: Duration,
    /// Median wall time of a run of each document's cases alone.
    pub documents: Vec<(String, usize, Duration)>,
    /// Resolve cases: how many, and the median and 95th percentile of a
    /// case's time (zone start, queries, teardown included).
    pub resolve: Option<(usize, Duration, Duration)>,
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

pub fn corpus_in_process(
    cases: &[Case],
    features: Vec<String>,
    rounds: usize,
) -> Result<CorpusFigures, String> {
    let jobs = std::thread::available_parallelism().map_or(1, |n| n.get());
    let spec = SubjectSpec::Reference { features };
    let opts = RunOptions {
        jobs,
        ..RunOptions::default()
    };
    let hidden = ProgressBar::hidden();
    let mut whole = Vec::new();
    let mut resolve_times = Vec::new();
    for _ in 0..rounds.max(1) {
        let run = execute(cases, &spec, &opts, &hidden).map_err(|e| e.to_string())?;
        whole.push(run.elapsed);
        resolve_times.extend(
            run.records
                .iter()
                .filter(|r| r.case.zone.is_some())
                .map(|r| r.duration),
        );
    }
    let mut documents = Vec::new();
    for doc in crate::ops::documents() {
        let mine: Vec<Case> = cases
            .iter()
            .filter(|c| c.document() == doc)
            .cloned()
            .collect();
        let mut times = Vec::new();
        for _ in 0..rounds.max(1) {
            let run = execute(&mine, &spec, &opts, &hidden).map_err(|e| e.to_string())?;
            times.push(run.elapsed);
        }
        documents.push((doc.to_owned(), mine.len(), median(times)));
    }
    let n_resolve = cases.iter().filter(|c| c.zone.is_some()).count();
    let resolve = (n_resolve > 0).then(|| {
        resolve_times.sort();
        let p95 = resolve_times[(resolve_times.len() * 95 / 100).min(resolve_times.len() - 1)];
        (n_resolve, median(resolve_times.clone()), p95)
    });
    Ok(CorpusFigures {
        cases: cases.len(),
        jobs,
        whole: median(whole),
        documents,
        resolve,
    })
}

//! `mimispec bench`: cases per second for one corpus in process, through
//! `mimispec adapter` persistent, and one process per case. Figures, not
//! pass/fail: a timed test would flake on a busy machine.

use std::time::Duration;

use indicatif::ProgressBar;

use crate::run::{RunOptions, execute};
use crate::subject::{ExternalConfig, Mode, SubjectSpec};
use crate::vector::Case;

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

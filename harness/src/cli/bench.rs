//! `mimispec bench`: figures for the paths a run can take.

use std::path::PathBuf;
use std::process::ExitCode;

use super::{Error, load_corpus};

#[derive(clap::Args, Debug)]
pub struct BenchArgs {
    /// Rounds per path; the median is reported.
    #[arg(long, default_value_t = 7)]
    pub rounds: usize,
    /// Rounds for the one-shot path (a process per case is slow).
    #[arg(long, default_value_t = 3)]
    pub one_shot_rounds: usize,
    #[arg(long, value_name = "DIR")]
    pub vectors: Option<PathBuf>,
}

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

pub fn bench(args: BenchArgs) -> Result<ExitCode, Error> {
    let (rounds, one_shot_rounds) = (args.rounds, args.one_shot_rounds);
    let corpus = load_corpus(args.vectors.as_deref())?;
    let c = crate::bench::corpus_in_process(&corpus.cases, crate::reference_features(), rounds)
        .map_err(Error::Usage)?;
    outln!(
        "mimispec bench · corpus {} · {} cases in process, {} jobs · median of {rounds} rounds",
        corpus.short_digest(),
        c.cases,
        c.jobs
    );
    outln!("  {:22} {:>9.1} ms", "whole corpus", ms(c.whole));
    for (doc, n, t) in &c.documents {
        outln!("  {doc:22} {:>9.1} ms  ({n} cases)", ms(*t));
    }
    if let Some((n, med, p95)) = c.resolve {
        outln!(
            "  {:22} {:>9.1} ms median, {:.1} ms 95th percentile per answer ({n} cases)",
            "resolve",
            ms(med),
            ms(p95)
        );
    }
    let exe = std::env::current_exe()?.display().to_string();
    let adapter = vec!["adapter".to_string()];
    let features = crate::reference_features();
    // The protocol paths are measured on cases without a DNS zone: those
    // measure DNS, and are reported on their own line below.
    let plain: Vec<_> = corpus
        .cases
        .iter()
        .filter(|c| c.zone.is_none())
        .cloned()
        .collect();
    let figures = crate::bench::measure(
        &plain,
        features.clone(),
        (exe, adapter),
        rounds,
        one_shot_rounds,
    )
    .map_err(Error::Usage)?;
    outln!(
        "mimispec bench · corpus {} · {} cases without a DNS zone · median of {rounds} rounds (one-shot {one_shot_rounds})",
        corpus.short_digest(),
        plain.len()
    );
    let base = figures[0].per_case;
    for f in &figures {
        let per = f.per_case.as_secs_f64();
        let over = f.per_case.saturating_sub(base).as_secs_f64() * 1e6;
        outln!(
            "  {:22} {:>10.0} cases/s  {:>9.1} µs/case  (+{over:.1} µs/case over in-process; setup {:.1} ms)",
            f.name,
            if per > 0.0 { 1.0 / per } else { 0.0 },
            per * 1e6,
            f.setup.as_secs_f64() * 1e3
        );
    }
    if let Some((n, per)) =
        crate::bench::resolve_cost(&corpus.cases, features, rounds).map_err(Error::Usage)?
    {
        outln!(
            "  {:22} {:>10.0} cases/s  {:>9.1} µs/case  ({n} resolve cases: zone start, queries, teardown; drop faults left out)",
            "resolve, in-process",
            1.0 / per.as_secs_f64().max(1e-9),
            per.as_secs_f64() * 1e6
        );
    }
    Ok(ExitCode::SUCCESS)
}

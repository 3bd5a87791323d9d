//! Every vector, one trial each, against the reference in process and
//! through `mimispec adapter` over the protocol. `cargo test -- immi-content/`
//! filters by id. A corpus that does not load aborts before any trial runs.

use std::sync::{Arc, Mutex};

use libtest_mimic::{Arguments, Failed, Trial};
use mimispec::corpus::{Case, Corpus};
use mimispec::report::{Context, Human};
use mimispec::run::{RunOptions, run_case};
use mimispec::subject::{ExternalConfig, Subject, SubjectSpec};
use mimispec::verdict::{Judge, Verdict};

fn context(kind: &str) -> Context {
    Context {
        rerun_base: ["cargo", "test", "-p", "mimispec", "--test", "corpus", "--"]
            .map(String::from)
            .to_vec(),
        rerun_flag: None,
        subject: kind.to_owned(),
        mode: "test",
        corpus_digest: String::new(),
        strict: true,
        requirements: Vec::new(),
        page: Default::default(),
    }
}

/// The reference must meet every vector exactly, codes included; an
/// informational case too, unless it tests a reading of an ambiguity that
/// the suite does not take (`other_reading`).
fn check(
    subject: &mut dyn Subject,
    case: &Case,
    kind: &str,
    other_reading: bool,
) -> Result<(), Failed> {
    let judge = Judge {
        strict: true,
        strict_codes: true,
        ..Judge::default()
    };
    let opts = RunOptions {
        judge,
        jobs: 1,
        ..RunOptions::default()
    };
    let record = run_case(subject, case, &opts);
    match (record.verdict(), record.judgement.matched) {
        (Verdict::Pass, _) | (Verdict::Informational, Some(true)) => Ok(()),
        (Verdict::Informational, _) if other_reading => Ok(()),
        _ => Err(Human {
            ctx: &context(kind),
            verbose: true,
        }
        .block(&record)
        .into()),
    }
}

/// Adapter processes shared by the trials: one per test thread at most.
type Pool = Arc<Mutex<Vec<Box<dyn Subject>>>>;

fn adapter_spec() -> SubjectSpec {
    SubjectSpec::External(ExternalConfig::new(
        env!("CARGO_BIN_EXE_mimispec").into(),
        vec!["adapter".into()],
    ))
}

fn main() {
    let args = Arguments::from_args();
    let corpus = Corpus::embedded().unwrap_or_else(|errors| {
        for e in &errors {
            eprintln!("{e}");
        }
        eprintln!("the corpus does not load: no trial was run");
        std::process::exit(2);
    });
    assert!(!corpus.cases.is_empty(), "the corpus is empty");
    let features = mimispec::reference_features();
    // MIMISPEC_CORPUS_SUBJECTS=reference skips the adapter trials (used
    // for mutation runs: the vectors are the same, the subject differs).
    let with_adapter = std::env::var("MIMISPEC_CORPUS_SUBJECTS")
        .map_or(true, |s| s.split(',').any(|x| x == "adapter"));
    let others = mimispec::corpus::register::other_readings(&corpus);
    let pool: Pool = Arc::default();
    let mut trials = Vec::new();
    for case in &corpus.cases {
        let other = others.contains(&case.id);
        let (c, f) = (case.clone(), features.clone());
        trials.push(Trial::test(case.id.clone(), move || {
            let mut subject = SubjectSpec::Reference { features: f }
                .start()
                .map_err(|e| e.to_string())?;
            check(subject.as_mut(), &c, "in-process", other)
        }));
        if !with_adapter {
            continue;
        }
        let (c, pool) = (case.clone(), Arc::clone(&pool));
        trials.push(
            Trial::test(case.id.clone(), move || {
                let taken = pool.lock().map_err(|e| e.to_string())?.pop();
                let mut subject = match taken {
                    Some(s) => s,
                    None => adapter_spec().start().map_err(|e| e.to_string())?,
                };
                let result = check(subject.as_mut(), &c, "adapter", other);
                pool.lock().map_err(|e| e.to_string())?.push(subject);
                result
            })
            .with_kind("adapter"),
        );
    }
    libtest_mimic::run(&args, trials).exit();
}

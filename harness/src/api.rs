//! The corpus in a Rust implementer's own `cargo test`.
//!
//! An implementer adds mimispec as a dev-dependency, implements
//! [`Implementation`] for the ops it answers, and runs the built-in corpus
//! (the same one, with the same digest, as the `mimispec` binary) as
//! libtest-mimic trials from a test target with `harness = false`:
//!
//! ```no_run
//! use mimispec::api::{Answer, Implementation, Ops, Suite};
//! use mimispec::ops::Family;
//!
//! struct Mine;
//!
//! impl Implementation for Mine {
//!     fn name(&self) -> &str { "libmine" }
//!     fn version(&self) -> &str { "1.0.0" }
//!     fn ops(&self) -> Ops { Ops::families([Family::Immi]) }
//!     fn call(&self, op: &str, _input: &serde_json::Value) -> Answer {
//!         Answer::unsupported(format!("{op} is not written yet"))
//!     }
//! }
//!
//! fn main() {
//!     Suite::new(Mine).filter("immi-content/msg-id/").run()
//! }
//! ```
//!
//! The README's "Running the corpus in your Rust tests" is the complete
//! example (harness/examples/conformance.rs, which CI compiles and
//! tests/api.rs runs).
//!
//! How a run maps onto libtest:
//!
//! - One trial per selected case, named by its id, so `cargo test --
//!   immi-content/msg-id/` and `cargo test -- 'ID' --exact` select as the
//!   command line's `--filter` does. The trial's kind is the case's level
//!   (`[MUST] immi-content/...`): the id already names the document, and
//!   the level is what decides whether a failure fails.
//! - Verdicts are the command line's: the same [`Judge`], expectations and
//!   error map, the same mock DNS zone for resolve cases (started per case
//!   on loopback by [`run_case`], its address injected into the input).
//! - A verdict that fails `mimispec run` fails the trial, and the message
//!   is the terminal's failure block ([`Human::block`]: input, notes,
//!   diff, DNS queries, and a rerun line in its `cargo test` form).
//! - Cases of an op or a feature the implementation does not declare are
//!   never sent and get no trial (`mimispec run --list --impl` leaves them
//!   out too); the summary counts them per op, as `mimispec run` does.
//! - A plain pass (and an informational case that met its vector) is `ok`.
//!   Every other verdict that does not fail the run is reported as
//!   *ignored at run time*, with the reason on the trial's line:
//!   `unsupported` answers, expected failures (their reason),
//!   informational cases that differ, and SHOULD/MAY failures when not
//!   [`Suite::strict`]. libtest has no "passed with a note", and an
//!   `ignored (expected failure (...))` line is counted where `ok` would
//!   hide it. No trial carries libtest's static ignore flag, so `--ignored`
//!   selects nothing and `--include-ignored` changes nothing.
//! - After the trials, the command line's summary (counts per op, document
//!   and requirement, passes with another code) is printed where libtest
//!   printed (stdout or `--logfile`), except with `--list` and `--format
//!   json`.
//! - What cannot be run is an error before any trial: the corpus does not
//!   load, an expectations file does not load or names no case, an op or
//!   feature the suite does not know is declared, a filter matches no case,
//!   or no selected case would be sent. [`Suite::run`] prints it and exits
//!   with status 2, as `mimispec run` does.
//! - A panic in [`Implementation::call`] is a `crash` verdict for that case
//!   (caught, unless the test profile sets `panic = "abort"`; the other
//!   trials go on). There is no timeout in process: a
//!   call that never returns hangs the test, as any Rust test would.
//!
//! Inputs and results are the protocol's JSON values (harness/PROTOCOL.md,
//! `mimispec schema OP`): bytes are a JSON string when they are UTF-8 and
//! `{"$base64": "..."}` otherwise. [`Bytes`] reads either spelling with
//! serde and writes the protocol's; [`bytes`] and [`bytes_value`] do the
//! same for a bare [`Value`].

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use libtest_mimic::{Arguments, Completion, Conclusion, Failed, FormatSetting, Trial};
use serde::{Deserialize as _, Serialize};
use serde_json::Value;

pub use crate::cli::Error;
pub use crate::ops::{Bytes, Family};
pub use libtest_mimic;

use crate::corpus::{Case, Corpus};
use crate::diff::{nearest, one_line};
use crate::dns::TypeCodes;
use crate::expectations::Expectations;
use crate::protocol::{ImplInfo, Reply};
use crate::report::{Context, Human};
use crate::run::{Filter, IdPattern, Record, RunOptions, RunResult, run_case};
use crate::subject::{self, Outcome, Subject};
use crate::verdict::{Judge, Verdict};

/// An implementation under test, called in process.
pub trait Implementation: Send + Sync {
    /// Shown in the summary line, as a hello's `implementation.name`.
    fn name(&self) -> &str;
    fn version(&self) -> &str;
    /// The ops it answers; cases of other ops are not sent.
    fn ops(&self) -> Ops;
    /// The optional features it has (`mimispec::ops::FEATURES`); cases
    /// that need another are not sent.
    fn features(&self) -> &[&str] {
        &[]
    }
    /// Answers one case: `op` is one of [`Implementation::ops`], `input`
    /// the case's input as the protocol sends it.
    fn call(&self, op: &str, input: &Value) -> Answer;
}

/// An answer to one case, as the protocol's `result`, `accepted`, `error`
/// or `unsupported`.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Result(Value),
    /// Valid, with no result of the op's shape (a validator): an accepting
    /// case passes on acceptance alone and shows no requirement.
    Accepted,
    /// A rejection; only `code` is compared (and loosely: PROTOCOL.md).
    Error {
        code: String,
        message: String,
    },
    /// Not answered, with why: never a failure.
    Unsupported(String),
    /// The implementation could not make an answer (an input it cannot
    /// read, a result that does not serialize): judged as a protocol error.
    Malformed(String),
}

impl Answer {
    /// A result from any serializable value.
    pub fn result<T: Serialize>(value: &T) -> Answer {
        match serde_json::to_value(value) {
            Ok(v) => Answer::Result(v),
            Err(e) => Answer::Malformed(format!("the result does not serialize: {e}")),
        }
    }

    pub fn error(code: impl Into<String>, message: impl Into<String>) -> Answer {
        Answer::Error {
            code: code.into(),
            message: message.into(),
        }
    }

    pub fn unsupported(why: impl Into<String>) -> Answer {
        Answer::Unsupported(why.into())
    }

    fn outcome(self) -> Outcome {
        Outcome::Reply(match self {
            Answer::Result(v) => Reply::Result(v),
            Answer::Accepted => Reply::Accepted,
            Answer::Error { code, message } => Reply::Error { code, message },
            Answer::Unsupported(why) => Reply::Unsupported(why),
            Answer::Malformed(what) => return Outcome::ProtocolError(what),
        })
    }
}

/// Bytes as the protocol writes them (a string, or `{"$base64": ...}`);
/// `None` for any other value.
pub fn bytes(v: &Value) -> Option<Vec<u8>> {
    Bytes::deserialize(v).ok().map(|b| b.0)
}

/// Bytes as the protocol writes them: a string when UTF-8, else `$base64`.
pub fn bytes_value(b: &[u8]) -> Value {
    Bytes::to_value(b)
}

/// The ops an implementation declares: whole families, single ops, or both.
/// Names are checked against the suite's ops when the suite runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ops(Vec<String>);

impl Ops {
    /// Every op of these families.
    pub fn families(families: impl IntoIterator<Item = Family>) -> Ops {
        let families: Vec<Family> = families.into_iter().collect();
        Ops(crate::ops::all()
            .filter(|o| families.contains(&o.family))
            .map(|o| o.name.to_owned())
            .collect())
    }

    /// These ops, by name (`immi.msg_id.parse`).
    pub fn named<S: Into<String>>(names: impl IntoIterator<Item = S>) -> Ops {
        Ops(names.into_iter().map(Into::into).collect())
    }

    /// Every op of the suite.
    pub fn all() -> Ops {
        Ops::families(Family::ALL)
    }

    /// One more op.
    pub fn with(mut self, name: impl Into<String>) -> Ops {
        self.0.push(name.into());
        self
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }
}

/// What a trial reports for one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrialOutcome {
    Passed,
    /// Not a failure, and not a plain pass: the reason is shown.
    Ignored(String),
    /// The failure block, as `mimispec run` prints it.
    Failed(String),
}

/// One case's record and what its trial reports.
#[derive(Debug, Clone)]
pub struct CaseResult {
    pub record: Record,
    pub outcome: TrialOutcome,
}

/// Longest reason on an ignored trial's line.
const MAX_REASON: usize = 300;

/// The corpus against one implementation: a builder, then [`Suite::run`].
pub struct Suite<I> {
    imp: Arc<I>,
    filters: Vec<String>,
    expect: Vec<(String, ExpectSource)>,
    strict: bool,
    strict_codes: bool,
    types: TypeCodes,
    rerun: Option<Vec<String>>,
}

enum ExpectSource {
    File(PathBuf),
    Text(Vec<u8>),
}

/// Everything a trial needs, shared by all of them.
struct Shared<I> {
    imp: Arc<I>,
    info: ImplInfo,
    opts: RunOptions,
    ctx: Context,
}

impl<I: Implementation + 'static> Suite<I> {
    pub fn new(implementation: I) -> Self {
        Suite {
            imp: Arc::new(implementation),
            filters: Vec::new(),
            expect: Vec::new(),
            strict: false,
            strict_codes: false,
            types: TypeCodes::default(),
            rerun: None,
        }
    }

    /// Only cases whose id matches: a glob (`immi-content/msg-id/*`) or, without
    /// `*?[{`, an id prefix; repeatable (or-ed). libtest's own filter
    /// (`cargo test -- FILTER`) applies on top.
    pub fn filter(mut self, pattern: &str) -> Self {
        self.filters.push(pattern.to_owned());
        self
    }

    /// An expectations file, as `mimispec run --expect` reads it. A relative
    /// path is from the current directory, which `cargo test` sets to the
    /// package's root; `concat!(env!("CARGO_MANIFEST_DIR"), "/...")` does
    /// not depend on it. One expectations source per suite.
    pub fn expect_file(mut self, path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        self.expect
            .push((path.display().to_string(), ExpectSource::File(path)));
        self
    }

    /// Expectations given as text (`name` is shown in its errors).
    pub fn expect_yaml(mut self, name: &str, yaml: &str) -> Self {
        self.expect.push((
            name.to_owned(),
            ExpectSource::Text(yaml.as_bytes().to_vec()),
        ));
        self
    }

    /// `--strict`: SHOULD and MAY failures fail.
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// `--strict-codes`: a rejection with another code than the suite's fails.
    pub fn strict_codes(mut self, strict_codes: bool) -> Self {
        self.strict_codes = strict_codes;
        self
    }

    /// `--mimi-type`, `--mimix-type`: the type codes the mock DNS zone
    /// serves MIMI and MIMIX records under.
    pub fn dns_types(mut self, mimi: u16, mimix: u16) -> Self {
        self.types = TypeCodes { mimi, mimix };
        self
    }

    /// The words that rerun this test binary, before the case id and
    /// `--exact` (`["cargo", "test", "-p", "mine", "--test", "mimispec", "--"]`).
    /// By default they are guessed from the package and the binary's name.
    pub fn rerun_command<S: Into<String>>(mut self, words: impl IntoIterator<Item = S>) -> Self {
        self.rerun = Some(words.into_iter().map(Into::into).collect());
        self
    }

    /// Parses libtest's arguments from the command line, runs the trials
    /// and exits: 0 when nothing failed, 101 when a trial failed, 2 when
    /// the run could not be made (the error is printed first).
    pub fn run(self) -> ! {
        let args = Arguments::from_args();
        match self.run_with(&args, Vec::new()) {
            Ok(conclusion) => conclusion.exit(),
            Err(e) => {
                eprintln!("mimispec: error: {e}");
                std::process::exit(2)
            }
        }
    }

    /// [`Suite::run`] with given arguments and trials of the caller's own
    /// in the same run; returns instead of exiting.
    pub fn run_with(self, args: &Arguments, more: Vec<Trial>) -> Result<Conclusion, Error> {
        let (shared, cases) = self.prepare()?;
        let done: Arc<Mutex<Vec<(usize, Record)>>> = Arc::default();
        let mut not_sent = Vec::new();
        let mut trials = Vec::with_capacity(cases.len() + more.len());
        for (i, case) in cases.into_iter().enumerate() {
            let kind = case.level.as_str();
            if shared
                .opts
                .judge
                .not_declared(&case, &shared.info)
                .is_some()
            {
                // No trial, as `mimispec run` prints no block: the summary
                // counts them, for the cases libtest's filter selects.
                let probe = Trial::test(case.id.clone(), || Ok(())).with_kind(kind);
                if !args.is_filtered_out(&probe) {
                    not_sent.push((i, shared.check(&case).record));
                }
                continue;
            }
            let (shared, done) = (Arc::clone(&shared), Arc::clone(&done));
            trials.push(
                Trial::ignorable_test(case.id.clone(), move || {
                    let r = shared.check(&case);
                    if let Ok(mut done) = done.lock() {
                        done.push((i, r.record));
                    }
                    match r.outcome {
                        TrialOutcome::Passed => Ok(Completion::Completed),
                        TrialOutcome::Ignored(why) => Ok(Completion::ignored_with(why)),
                        TrialOutcome::Failed(block) => Err(Failed::from(block)),
                    }
                })
                .with_kind(kind),
            );
        }
        trials.extend(more);
        let start = Instant::now();
        let conclusion = libtest_mimic::run(args, trials);
        let mut records = std::mem::take(&mut *done.lock().unwrap_or_else(|e| e.into_inner()));
        records.append(&mut not_sent);
        records.sort_by_key(|(i, _)| *i);
        let quiet = args.list || matches!(args.format, Some(FormatSetting::Json));
        if !quiet && !records.is_empty() {
            let run = RunResult {
                info: shared.info.clone(),
                records: records.into_iter().map(|(_, r)| r).collect(),
                elapsed: start.elapsed(),
            };
            let summary = Human {
                ctx: &shared.ctx,
                verbose: false,
            }
            .summary(&run);
            write_summary(args, &summary);
        }
        Ok(conclusion)
    }

    /// Runs every selected case in this thread, without libtest: the
    /// records and what each trial would report, in corpus order. Cases
    /// that are not sent (they get no trial) are here, `Ignored` with why.
    pub fn results(&self) -> Result<Vec<CaseResult>, Error> {
        let (shared, cases) = self.prepare()?;
        Ok(cases.iter().map(|c| shared.check(c)).collect())
    }

    /// Loads and checks everything before any case runs.
    fn prepare(&self) -> Result<(Arc<Shared<I>>, Vec<Case>), Error> {
        let corpus = Corpus::embedded().map_err(Error::Corpus)?;
        let info = self.info()?;
        if self.types.mimi == self.types.mimix {
            return Err(Error::Usage(
                "dns_types: the MIMI and MIMIX type codes must differ".into(),
            ));
        }
        let mut filter = Filter::default();
        for f in &self.filters {
            filter.ids.push(IdPattern::new(f).map_err(Error::Usage)?);
        }
        let cases: Vec<Case> = corpus
            .cases
            .iter()
            .filter(|c| filter.matches(c))
            .cloned()
            .collect();
        if cases.is_empty() {
            return Err(Error::Usage(format!(
                "no case matches the filters {:?}",
                self.filters
            )));
        }
        let expectations = match self.expect.as_slice() {
            [] => Expectations::default(),
            [(name, source)] => {
                let bytes = match source {
                    ExpectSource::File(path) => std::fs::read(path).map_err(Error::file(path))?,
                    ExpectSource::Text(bytes) => bytes.clone(),
                };
                Expectations::load(name, &bytes, &corpus.cases).map_err(Error::Expectations)?
            }
            more => {
                let names: Vec<&str> = more.iter().map(|(n, _)| n.as_str()).collect();
                return Err(Error::Usage(format!(
                    "one expectations source per suite, not {}: {}",
                    more.len(),
                    names.join(", ")
                )));
            }
        };
        let judge = Judge {
            strict: self.strict,
            strict_codes: self.strict_codes,
            expectations,
        };
        if cases.iter().all(|c| judge.not_declared(c, &info).is_some()) {
            return Err(Error::Usage(format!(
                "no case would be sent: {} declares none of the ops (and features) of the {} selected; a run that tests nothing is not a success",
                one_line(&info.name, 80),
                crate::report::plural(cases.len(), "case")
            )));
        }
        let ctx = Context {
            rerun_base: self.rerun.clone().unwrap_or_else(default_rerun),
            rerun_flag: None,
            subject: format!("{} (Rust API, in process)", one_line(&info.name, 80)),
            mode: "in-process",
            corpus_digest: corpus.digest.clone(),
            strict: self.strict,
            requirements: crate::corpus::requirements::load(&corpus)
                .map(|c| c.into_values().flatten().collect())
                .unwrap_or_default(),
            // The page is an HTML report's; trials print terminal text.
            page: Default::default(),
        };
        let opts = RunOptions {
            judge,
            jobs: 1,
            types: self.types,
        };
        let shared = Shared {
            imp: Arc::clone(&self.imp),
            info,
            opts,
            ctx,
        };
        Ok((Arc::new(shared), cases))
    }

    /// The implementation's declaration as a hello, checked as one is.
    fn info(&self) -> Result<ImplInfo, Error> {
        let ops: Vec<String> = self.imp.ops().names().map(str::to_owned).collect();
        let features: Vec<String> = self.imp.features().iter().map(|f| f.to_string()).collect();
        let known_ops = || crate::ops::all().map(|o| o.name);
        for op in &ops {
            if crate::ops::find(op).is_none() {
                return Err(Error::Usage(format!(
                    "Implementation::ops names {:?}, not an op of the suite{}; `mimispec schema` lists them",
                    one_line(op, 80),
                    near(op, known_ops())
                )));
            }
        }
        for f in &features {
            if !crate::ops::FEATURES.contains(&f.as_str()) {
                return Err(Error::Usage(format!(
                    "Implementation::features names {:?}, not a feature of the suite{}",
                    one_line(f, 80),
                    near(f, crate::ops::FEATURES.iter().copied())
                )));
            }
        }
        if ops.is_empty() {
            return Err(Error::Usage("Implementation::ops declares no op".into()));
        }
        Ok(ImplInfo {
            name: self.imp.name().to_owned(),
            version: self.imp.version().to_owned(),
            ops,
            features,
        })
    }
}

/// After libtest's own output: on stdout, or in its `--logfile`.
fn write_summary(args: &Arguments, summary: &str) {
    use std::io::Write as _;
    // An output that is gone is libtest's to report; the verdicts stand.
    let _ = match &args.logfile {
        Some(path) => std::fs::OpenOptions::new()
            .append(true)
            .open(path)
            .and_then(|mut f| writeln!(f, "\n{summary}")),
        None => writeln!(std::io::stdout().lock(), "\n{summary}"),
    };
}

fn near<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    nearest(name, known)
        .map(|k| format!(" (the nearest is {k:?})"))
        .unwrap_or_default()
}

impl<I: Implementation> Shared<I> {
    /// Runs one case (its mock zone too) and decides what its trial shows.
    fn check(&self, case: &Case) -> CaseResult {
        let mut subject = InProcess {
            imp: &*self.imp,
            info: &self.info,
        };
        let record = run_case(&mut subject, case, &self.opts);
        let outcome = self.outcome(&record);
        CaseResult { record, outcome }
    }

    fn outcome(&self, r: &Record) -> TrialOutcome {
        let verdict = r.verdict();
        if verdict.fails_run(self.opts.judge.strict) {
            let human = Human {
                ctx: &self.ctx,
                verbose: false,
            };
            return TrialOutcome::Failed(human.block(r));
        }
        let detail = r.judgement.detail().map(|d| d.replace('\n', "; "));
        let reason = match verdict {
            Verdict::Pass => return TrialOutcome::Passed,
            Verdict::Informational if r.judgement.matched == Some(true) => {
                return TrialOutcome::Passed;
            }
            Verdict::Informational => format!(
                "informational, never a failure: {}",
                detail.unwrap_or_else(|| "the answer differs from the vector".into())
            ),
            Verdict::NonStrict => format!(
                "non-strict: a {} case failed ({}); Suite::strict(true) fails it",
                r.case.level.as_str(),
                detail.unwrap_or_else(|| "the answer differs from the vector".into())
            ),
            Verdict::Unsupported => match detail {
                Some(d) if r.was_sent() => format!("unsupported: {d}"),
                Some(d) => d,
                None => "answered unsupported".into(),
            },
            // Expected failures; every other verdict fails the run above.
            _ => detail.unwrap_or_else(|| verdict.as_str().to_owned()),
        };
        TrialOutcome::Ignored(one_line(&reason, MAX_REASON))
    }
}

/// The implementation as a subject of a run: a panic is a crash.
struct InProcess<'a, I> {
    imp: &'a I,
    info: &'a ImplInfo,
}

impl<I: Implementation> Subject for InProcess<'_, I> {
    fn info(&self) -> &ImplInfo {
        self.info
    }

    fn call(&mut self, _id: &str, op: &str, input: &Value) -> subject::Answer {
        let start = Instant::now();
        let outcome = match catch_unwind(AssertUnwindSafe(|| self.imp.call(op, input))) {
            Ok(answer) => answer.outcome(),
            Err(panic) => Outcome::Crash(format!(
                "Implementation::call panicked: {}",
                subject::panic_message(panic.as_ref())
            )),
        };
        subject::Answer {
            outcome,
            stderr: String::new(),
            duration: start.elapsed(),
        }
    }
}

/// `cargo test [-p PACKAGE] [--test TARGET] --`, from what cargo tells a
/// test it runs: the package in the environment, the target in the
/// binary's name (`deps/<target>-<hash>`).
fn default_rerun() -> Vec<String> {
    let mut words = vec!["cargo".to_owned(), "test".to_owned()];
    if let Ok(package) = std::env::var("CARGO_PKG_NAME") {
        words.extend(["-p".to_owned(), package]);
    }
    let exe = std::env::args_os().next().map(PathBuf::from);
    let in_deps = exe
        .as_ref()
        .and_then(|p| p.parent()?.file_name())
        .is_some_and(|d| d == "deps");
    let stem = exe
        .as_ref()
        .and_then(|p| p.file_stem()?.to_str().map(str::to_owned));
    if let Some((target, hash)) = stem.as_deref().and_then(|s| s.rsplit_once('-'))
        && in_deps
        && hash.chars().all(|c| c.is_ascii_hexdigit())
    {
        words.extend(["--test".to_owned(), target.to_owned()]);
    }
    words.push("--".to_owned());
    words
}

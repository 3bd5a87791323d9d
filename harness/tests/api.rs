//! The Rust API (`mimispec::api`) as an implementer uses it: the reference
//! runs the whole corpus through it as libtest-mimic trials (every one must
//! pass), and the trials named `api::...` drive deliberately wrong
//! implementations through it programmatically.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use libtest_mimic::{Arguments, Failed, Trial};
use mimispec::api::{
    Answer, CaseResult, Implementation, Ops, Suite, TrialOutcome, bytes, bytes_value,
};
use mimispec::corpus::{Corpus, Expect, Level};
use mimispec::run::{RunOptions, execute};
use mimispec::subject::SubjectSpec;
use mimispec::verdict::Verdict;
use serde_json::{Value, json};

/// The README's example, compiled into this test so its expectations are
/// checked against the corpus on every run.
#[allow(dead_code)]
#[path = "../examples/conformance.rs"]
mod example;

/// The reference's ops, as an implementer would wrap its library.
struct Reference;

fn reference_answer(op: &str, input: &Value) -> Answer {
    match mimispec::ops::run(op, input) {
        None => Answer::unsupported(format!("no op {op}")),
        Some(Ok(v)) => Answer::Result(v),
        Some(Err(e)) => Answer::error(e.code, e.message),
    }
}

impl Implementation for Reference {
    fn name(&self) -> &str {
        "mimispec-reference"
    }
    fn version(&self) -> &str {
        mimispec::SUITE_VERSION
    }
    fn ops(&self) -> Ops {
        Ops::all()
    }
    fn features(&self) -> &[&str] {
        mimispec::ops::FEATURES
    }
    fn call(&self, op: &str, input: &Value) -> Answer {
        reference_answer(op, input)
    }
}

/// Wrong on purpose: lowercases id-right, and counts its calls.
struct Lowercasing {
    calls: Arc<AtomicUsize>,
}

impl Lowercasing {
    fn new() -> (Lowercasing, Arc<AtomicUsize>) {
        let calls = Arc::new(AtomicUsize::new(0));
        (
            Lowercasing {
                calls: Arc::clone(&calls),
            },
            calls,
        )
    }
}

impl Implementation for Lowercasing {
    fn name(&self) -> &str {
        "lowercasing"
    }
    fn version(&self) -> &str {
        "0"
    }
    fn ops(&self) -> Ops {
        Ops::named(["immi.msg_id.parse"])
    }
    fn call(&self, op: &str, input: &Value) -> Answer {
        self.calls.fetch_add(1, Ordering::Relaxed);
        match reference_answer(op, input) {
            Answer::Result(mut v) => {
                if let Some(right) = v.get_mut("id_right") {
                    *right = json!(right.as_str().unwrap_or_default().to_lowercase());
                }
                Answer::Result(v)
            }
            other => other,
        }
    }
}

/// Answers every op with what `answer` makes.
struct Fixed<F>(F, Ops, &'static [&'static str]);

impl<F: Fn() -> Answer + Send + Sync> Implementation for Fixed<F> {
    fn name(&self) -> &str {
        "fixed"
    }
    fn version(&self) -> &str {
        "0"
    }
    fn ops(&self) -> Ops {
        self.1.clone()
    }
    fn features(&self) -> &[&str] {
        self.2
    }
    fn call(&self, _op: &str, _input: &Value) -> Answer {
        (self.0)()
    }
}

fn msg_id_only<F: Fn() -> Answer + Send + Sync>(f: F) -> Fixed<F> {
    Fixed(f, Ops::named(["immi.msg_id.parse"]), &[])
}

const CASE_PRESERVED: &str = "immi-content/msg-id/atext#case-preserved";
const RERUN: [&str; 7] = ["cargo", "test", "-p", "mine", "--test", "mimispec", "--"];

fn one(results: &[CaseResult], id: &str) -> Result<CaseResult, Failed> {
    results
        .iter()
        .find(|r| r.record.case.id == id)
        .cloned()
        .ok_or_else(|| format!("no result for {id}").into())
}

fn ensure(ok: bool, what: impl FnOnce() -> String) -> Result<(), Failed> {
    if ok { Ok(()) } else { Err(what().into()) }
}

/// Same verdicts, findings and answers as `mimispec run` (execute with
/// the in-process reference subject), resolve cases and their zones too.
fn same_verdicts_as_mimispec_run() -> Result<(), Failed> {
    let api = Suite::new(Reference).results()?;
    let corpus = Corpus::embedded().map_err(|e| format!("{e:?}"))?;
    let spec = SubjectSpec::Reference {
        features: mimispec::reference_features(),
    };
    let opts = RunOptions {
        jobs: std::thread::available_parallelism().map_or(1, |n| n.get()),
        ..RunOptions::default()
    };
    let cli = execute(
        &corpus.cases,
        &spec,
        &opts,
        &indicatif::ProgressBar::hidden(),
    )
    .map_err(|e| e.to_string())?;
    ensure(api.len() == cli.records.len(), || {
        format!("{} results, {} records", api.len(), cli.records.len())
    })?;
    for (a, c) in api.iter().zip(&cli.records) {
        let a = &a.record;
        ensure(a.case.id == c.case.id && a.judgement == c.judgement, || {
            format!(
                "{}: {:?} through the API, {:?} by run",
                a.case.id, a.judgement, c.judgement
            )
        })?;
        // A serializer's result may differ run to run (OpenPGP session
        // keys): its vector checks properties, and so does this.
        let exact = !matches!(a.case.expect, Expect::Properties(_));
        ensure(!exact || a.actual == c.actual, || {
            format!(
                "{}: {:?} through the API, {:?} by run",
                a.case.id, a.actual, c.actual
            )
        })?;
    }
    let resolved: Vec<_> = api
        .iter()
        .filter(|r| r.record.case.zone.is_some())
        .collect();
    ensure(!resolved.is_empty(), || "no resolve case ran".into())?;
    for r in resolved {
        let answered = matches!(r.record.verdict(), Verdict::Pass | Verdict::Informational);
        ensure(r.record.queries.is_some() && answered, || {
            format!("{}: {:?}", r.record.case.id, r.record.judgement)
        })?;
    }
    Ok(())
}

fn a_wrong_answer_fails_with_its_diff() -> Result<(), Failed> {
    let (imp, _) = Lowercasing::new();
    let results = Suite::new(imp)
        .filter(CASE_PRESERVED)
        .rerun_command(RERUN)
        .results()?;
    let r = one(&results, CASE_PRESERVED)?;
    let TrialOutcome::Failed(block) = &r.outcome else {
        return Err(format!("{:?}", r.outcome).into());
    };
    for line in [
        "---- FAIL immi-content/msg-id/atext#case-preserved",
        "input: {\"text\":\"<MiXeD@ExAmPlE.CoM>\"}",
        "expected (-) / actual (+):",
        "    -    \"id_right\": \"ExAmPlE.CoM\"",
        "    +    \"id_right\": \"example.com\"",
        "rerun: cargo test -p mine --test mimispec -- 'immi-content/msg-id/atext#case-preserved' --exact",
    ] {
        ensure(block.lines().any(|l| l == line), || {
            format!("no line {line:?} in\n{block}")
        })?;
    }
    // Without rerun_command: guessed from what cargo tells this binary.
    let (imp, _) = Lowercasing::new();
    let results = Suite::new(imp).filter(CASE_PRESERVED).results()?;
    let package = match std::env::var("CARGO_PKG_NAME") {
        Ok(p) => format!("-p {p} "),
        Err(_) => String::new(),
    };
    let want = format!("rerun: cargo test {package}--test api -- '{CASE_PRESERVED}' --exact");
    match &one(&results, CASE_PRESERVED)?.outcome {
        TrialOutcome::Failed(b) if b.lines().any(|l| l == want) => Ok(()),
        other => Err(format!("no line {want:?} in {other:?}").into()),
    }
}

/// Every failure listed with a reason passes with that reason; a listed
/// case that passes fails as stale.
fn an_expectation_turns_the_failure_into_a_pass() -> Result<(), Failed> {
    let filter = "immi-content/msg-id/atext#";
    let (imp, _) = Lowercasing::new();
    let failing: Vec<String> = Suite::new(imp)
        .filter(filter)
        .results()?
        .into_iter()
        .filter(|r| matches!(r.outcome, TrialOutcome::Failed(_)))
        .map(|r| r.record.case.id)
        .collect();
    ensure(failing.iter().any(|id| id == CASE_PRESERVED), || {
        format!("{failing:?}")
    })?;
    let mut yaml = String::from("expected-failures:\n");
    for id in &failing {
        yaml.push_str(&format!("  {id:?}: lowercases id-right\n"));
    }
    let (imp, _) = Lowercasing::new();
    let results = Suite::new(imp)
        .filter(filter)
        .expect_yaml("e.yaml", &yaml)
        .results()?;
    for r in &results {
        let listed = failing.contains(&r.record.case.id);
        let good = match &r.outcome {
            TrialOutcome::Ignored(why) if listed => {
                r.record.verdict() == Verdict::ExpectedFail
                    && why.starts_with("expected failure (lowercases id-right)")
            }
            TrialOutcome::Passed => !listed,
            _ => false,
        };
        ensure(good, || format!("{}: {:?}", r.record.case.id, r.outcome))?;
    }
    let (imp, _) = Lowercasing::new();
    let stale = Suite::new(imp)
        .filter("immi-content/msg-id/atext#simple")
        .expect_yaml(
            "e.yaml",
            "expected-failures:\n  \"immi-content/msg-id/atext#simple\": thought so\n",
        )
        .results()?;
    let r = one(&stale, "immi-content/msg-id/atext#simple")?;
    ensure(
        r.record.verdict() == Verdict::UnexpectedPass
            && matches!(&r.outcome, TrialOutcome::Failed(b) if b.contains("remove it from the expectations file")),
        || format!("{:?}", r.outcome),
    )
}

fn non_strict_fails_only_under_strict() -> Result<(), Failed> {
    let corpus = Corpus::embedded().map_err(|e| format!("{e:?}"))?;
    let case = corpus
        .cases
        .iter()
        .find(|c| c.level == Level::Should && matches!(c.expect, Expect::Result(_)))
        .ok_or("no SHOULD case with a result")?;
    let garbage = || {
        Fixed(
            || Answer::Result(json!({"garbage": true})),
            Ops::all(),
            mimispec::ops::FEATURES,
        )
    };
    let lax = Suite::new(garbage()).filter(&case.id).results()?;
    let r = one(&lax, &case.id)?;
    ensure(
        r.record.verdict() == Verdict::NonStrict
            && matches!(&r.outcome, TrialOutcome::Ignored(w) if w.starts_with("non-strict: a SHOULD case failed")),
        || format!("{}: {:?}", case.id, r.outcome),
    )?;
    let strict = Suite::new(garbage())
        .filter(&case.id)
        .strict(true)
        .results()?;
    let r = one(&strict, &case.id)?;
    ensure(
        r.record.verdict() == Verdict::Fail
            && matches!(&r.outcome, TrialOutcome::Failed(b) if b.starts_with(&format!("---- FAIL {}", case.id))),
        || format!("{}: {:?}", case.id, r.outcome),
    )
}

fn a_panic_is_a_crash_and_a_bad_result_a_protocol_error() -> Result<(), Failed> {
    let id = "immi-content/msg-id/atext#simple";
    let crashed = Suite::new(msg_id_only(|| panic!("boom")))
        .filter(id)
        .results()?;
    let r = one(&crashed, id)?;
    ensure(
        r.record.verdict() == Verdict::Crash
            && matches!(&r.outcome, TrialOutcome::Failed(b)
                if b.contains("note: Implementation::call panicked: boom")),
        || format!("{:?}", r.outcome),
    )?;
    // serde_json refuses map keys that are not strings.
    let unserializable = || Answer::result(&BTreeMap::from([(vec![1u8], 1u8)]));
    let broken = Suite::new(msg_id_only(unserializable))
        .filter(id)
        .results()?;
    let r = one(&broken, id)?;
    ensure(
        r.record.verdict() == Verdict::ProtocolError
            && matches!(&r.outcome, TrialOutcome::Failed(b)
                if b.contains("note: the result does not serialize")),
        || format!("{:?}", r.outcome),
    )
}

/// Cases of undeclared ops are never sent and get no trial; the summary
/// counts them. `unsupported` answers are ignored with their reason.
fn undeclared_ops_are_not_sent() -> Result<(), Failed> {
    let (imp, calls) = Lowercasing::new();
    let results = Suite::new(imp).filter("immi-content/msg-id/").results()?;
    let (sent, not): (Vec<_>, Vec<_>) = results
        .iter()
        .partition(|r| r.record.case.op == "immi.msg_id.parse");
    ensure(
        !not.is_empty() && calls.load(Ordering::Relaxed) == sent.len(),
        || {
            format!(
                "{} calls for {} cases",
                calls.load(Ordering::Relaxed),
                sent.len()
            )
        },
    )?;
    for r in &not {
        let why = format!(
            "the implementation does not declare op {}",
            r.record.case.op
        );
        ensure(
            !r.record.was_sent() && r.outcome == TrialOutcome::Ignored(why),
            || format!("{}: {:?}", r.record.case.id, r.outcome),
        )?;
    }
    let log = tempfile::NamedTempFile::new()?;
    let path = log.path().display().to_string();
    let (imp, _) = Lowercasing::new();
    let args = Arguments::from_iter(["api", "--list", "--logfile", &path]);
    let listing = Suite::new(imp)
        .filter("immi-content/msg-id/")
        .run_with(&args, Vec::new())?;
    let listed = std::fs::read_to_string(log.path())?;
    ensure(
        !listing.has_failed()
            && listed.lines().count() == sent.len()
            && listed.contains("[MUST] immi-content/msg-id/atext#simple: test")
            && !listed.contains("header-lines"),
        || listed.clone(),
    )?;
    let no = || Answer::unsupported("later\nmaybe");
    let results = Suite::new(msg_id_only(no))
        .filter("immi-content/msg-id/atext#simple")
        .results()?;
    let r = one(&results, "immi-content/msg-id/atext#simple")?;
    ensure(
        r.outcome == TrialOutcome::Ignored("unsupported: later; maybe".into()),
        || format!("{:?}", r.outcome),
    )
}

/// The trials' lines, the failure blocks and the summary, as libtest
/// writes them (to its --logfile here).
fn a_run_reads_as_libtest_and_mimispec_run() -> Result<(), Failed> {
    let log = tempfile::NamedTempFile::new()?;
    let path = log.path().display().to_string();
    let (imp, _) = Lowercasing::new();
    let args = Arguments::from_iter(["api", "--logfile", &path, "--test-threads", "1"]);
    let yaml = format!("expected-failures:\n  {CASE_PRESERVED:?}: lowercases id-right\n");
    let conclusion = Suite::new(imp)
        .filter("immi-content/msg-id/atext#")
        .expect_yaml("e.yaml", &yaml)
        .run_with(&args, Vec::new())?;
    let out = std::fs::read_to_string(log.path())?;
    let line = out
        .lines()
        .find(|l| l.contains(CASE_PRESERVED))
        .unwrap_or_default();
    ensure(
        line.ends_with(" ... ignored (expected failure (lowercases id-right))"),
        || format!("{line:?}"),
    )?;
    for want in [
        "---- FAIL immi-content/msg-id/atext#alpha-uppercase\n",
        "mimispec 0.1.0 · corpus sha256:",
        "immi.msg_id.parse",
        "result: FAILED (",
    ] {
        ensure(out.contains(want), || format!("no {want:?} in\n{out}"))?;
    }
    ensure(conclusion.has_failed(), || out.clone())
}

fn what_cannot_run_is_an_error_before_any_trial() -> Result<(), Failed> {
    let err = |suite: Suite<Fixed<fn() -> Answer>>| match suite.results() {
        Ok(_) => "ran".to_string(),
        Err(e) => e.to_string(),
    };
    let fixed = |ops: Ops, features: &'static [&'static str]| {
        Fixed(
            (|| Answer::unsupported("")) as fn() -> Answer,
            ops,
            features,
        )
    };
    let rows = [
        (
            err(Suite::new(fixed(Ops::named(["immi.msg_id.pars"]), &[]))),
            "Implementation::ops names \"immi.msg_id.pars\", not an op of the suite (the nearest is \"immi.msg_id.parse\")",
        ),
        (
            err(Suite::new(fixed(Ops::all(), &["enum-apx"]))),
            "Implementation::features names \"enum-apx\", not a feature of the suite (the nearest is \"enum-apex\")",
        ),
        (
            err(Suite::new(fixed(Ops::named::<&str>([]), &[]))),
            "Implementation::ops declares no op",
        ),
        (
            err(Suite::new(fixed(Ops::all(), &[])).filter("nowhere/")),
            "no case matches the filters [\"nowhere/\"]",
        ),
        (
            err(Suite::new(fixed(Ops::named(["pep.version.choose"]), &[])).filter("immi-content/")),
            "no case would be sent: fixed declares none of the ops",
        ),
        (
            err(Suite::new(fixed(Ops::all(), &[]))
                .expect_yaml("e.yaml", "expected-failures:\n  \"nowhere/*\": x\n")),
            "e.yaml",
        ),
        (
            err(Suite::new(fixed(Ops::all(), &[]))
                .expect_yaml("a.yaml", "{}")
                .expect_yaml("b.yaml", "{}")),
            "one expectations source per suite, not 2: a.yaml, b.yaml",
        ),
        (
            err(Suite::new(fixed(Ops::all(), &[])).expect_file("/nonexistent/e.yaml")),
            "/nonexistent/e.yaml: ",
        ),
        (
            err(Suite::new(fixed(Ops::all(), &[])).dns_types(7, 7)),
            "must differ",
        ),
    ];
    for (got, want) in rows {
        ensure(got.contains(want), || {
            format!("{got:?} does not say {want:?}")
        })?;
    }
    Ok(())
}

fn bytes_travel_as_the_protocol_writes_them() -> Result<(), Failed> {
    ensure(
        bytes(&json!({"$base64": "/w=="})) == Some(vec![0xff]),
        || "base64".into(),
    )?;
    ensure(bytes(&json!("hi")) == Some(b"hi".to_vec()), || {
        "text".into()
    })?;
    ensure(
        bytes(&json!(1)).is_none() && bytes(&json!({"$base64": "!"})).is_none(),
        || "junk".into(),
    )?;
    ensure(bytes_value(&[0xff]) == json!({"$base64": "/w=="}), || {
        "encode".into()
    })?;
    ensure(bytes_value(b"hi") == json!("hi"), || "encode text".into())
}

/// The README's example meets its own expectations file: nothing fails,
/// and its listed failures are the ones it has.
fn the_example_meets_its_expectations() -> Result<(), Failed> {
    let results = example::suite().results()?;
    let mut expected = 0;
    for r in &results {
        if let TrialOutcome::Failed(block) = &r.outcome {
            return Err(block.clone().into());
        }
        expected += usize::from(r.record.verdict() == Verdict::ExpectedFail);
    }
    ensure(expected > 0, || {
        "the example lists no failure it has".into()
    })
}

/// The README's example is the example file, word for word.
fn the_readme_shows_the_example() -> Result<(), Failed> {
    let readme = include_str!("../../README.md");
    let section = readme
        .split_once("## Running the corpus in your Rust tests")
        .map(|(_, rest)| rest.split("\n## ").next().unwrap_or_default())
        .ok_or("README has no section \"Running the corpus in your Rust tests\"")?;
    for (file, text) in [
        (
            "examples/conformance.rs",
            include_str!("../examples/conformance.rs"),
        ),
        (
            "examples/conformance-expect.yaml",
            include_str!("../examples/conformance-expect.yaml"),
        ),
    ] {
        ensure(section.contains(text), || {
            format!("the README's section does not show {file} as it is")
        })?;
    }
    Ok(())
}

/// One of this file's own trials.
type Check = fn() -> Result<(), Failed>;

fn main() {
    let args = Arguments::from_args();
    let checks: [(&str, Check); 11] = [
        (
            "same_verdicts_as_mimispec_run",
            same_verdicts_as_mimispec_run,
        ),
        (
            "a_wrong_answer_fails_with_its_diff",
            a_wrong_answer_fails_with_its_diff,
        ),
        (
            "an_expectation_turns_the_failure_into_a_pass",
            an_expectation_turns_the_failure_into_a_pass,
        ),
        (
            "non_strict_fails_only_under_strict",
            non_strict_fails_only_under_strict,
        ),
        (
            "a_panic_is_a_crash_and_a_bad_result_a_protocol_error",
            a_panic_is_a_crash_and_a_bad_result_a_protocol_error,
        ),
        ("undeclared_ops_are_not_sent", undeclared_ops_are_not_sent),
        (
            "a_run_reads_as_libtest_and_mimispec_run",
            a_run_reads_as_libtest_and_mimispec_run,
        ),
        (
            "what_cannot_run_is_an_error_before_any_trial",
            what_cannot_run_is_an_error_before_any_trial,
        ),
        (
            "bytes_travel_as_the_protocol_writes_them",
            bytes_travel_as_the_protocol_writes_them,
        ),
        (
            "the_example_meets_its_expectations",
            the_example_meets_its_expectations,
        ),
        ("the_readme_shows_the_example", the_readme_shows_the_example),
    ];
    let checks = checks
        .into_iter()
        .map(|(name, f)| Trial::test(format!("api::{name}"), f))
        .collect();
    // The reference is held to every vector, codes included.
    let suite = Suite::new(Reference).strict(true).strict_codes(true);
    match suite.run_with(&args, checks) {
        Ok(conclusion) => conclusion.exit(),
        Err(e) => {
            eprintln!("mimispec: error: {e}");
            std::process::exit(2)
        }
    }
}

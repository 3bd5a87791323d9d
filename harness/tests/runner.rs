//! The runner against misbehaving implementations, the CLI's contract
//! (exit status, one-line errors, expectations), snapshots of the failure
//! output and the JSON report, and the vector JSON Schema.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use indicatif::ProgressBar;
use mimispec::run::{RunOptions, RunResult, execute};
use mimispec::subject::{ExternalConfig, Mode, SubjectSpec};
use mimispec::vector::Corpus;
use mimispec::verdict::Verdict;

/// The broken adapter, built once per test run: `cargo test --test runner`
/// does not build examples, and a stale one would test old behaviour.
fn broken_adapter() -> PathBuf {
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| {
            let status = Command::new(env!("CARGO"))
                .args([
                    "build",
                    "-q",
                    "-p",
                    "mimispec",
                    "--example",
                    "broken-adapter",
                ])
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .status()
                .expect("cargo runs");
            assert!(status.success(), "building the broken adapter failed");
            // Tests run from target/<profile>/deps; examples sit beside deps.
            let exe = std::env::current_exe().unwrap();
            exe.parent()
                .unwrap()
                .parent()
                .unwrap()
                .join("examples")
                .join("broken-adapter")
        })
        .clone()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn config(args: &[&str]) -> ExternalConfig {
    let mut cfg = ExternalConfig::new(
        broken_adapter().display().to_string(),
        args.iter().map(|s| s.to_string()).collect(),
    );
    cfg.timeout = Duration::from_millis(800);
    cfg.handshake_timeout = Duration::from_millis(800);
    cfg.max_answer = 1 << 20;
    cfg
}

fn run_faults(mode: Mode, extra: &[&str]) -> RunResult {
    let corpus = Corpus::from_dir(&fixture("faults")).unwrap();
    let mut args = vec!["faults"];
    args.extend(extra);
    let mut cfg = config(&args);
    cfg.mode = mode;
    execute(
        &corpus.cases,
        &SubjectSpec::External(cfg),
        &RunOptions {
            jobs: 1,
            ..RunOptions::default()
        },
        &ProgressBar::hidden(),
    )
    .unwrap()
}

fn verdicts(run: &RunResult) -> BTreeMap<String, Verdict> {
    run.records
        .iter()
        .map(|r| {
            (
                r.case.id.rsplit('#').next().unwrap().to_owned(),
                r.verdict(),
            )
        })
        .collect()
}

fn expected_fault_verdicts() -> BTreeMap<String, Verdict> {
    use Verdict::*;
    [
        ("ok-first", Pass),
        ("hang", Timeout),
        ("ok-after-hang", Pass),
        ("crash", Crash),
        ("ok-after-crash", Pass),
        ("garbage", ProtocolError),
        ("wrong-id", ProtocolError),
        ("huge", ProtocolError),
        ("two-results", ProtocolError),
        ("flood", Pass),
        ("grandchild", Timeout),
        ("ok-last", Pass),
        ("build-undeclared", Unsupported),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

#[test]
fn every_fault_is_a_verdict_and_the_run_goes_on() {
    let run = run_faults(Mode::Persistent, &[]);
    assert_eq!(verdicts(&run), expected_fault_verdicts());
    let crash = run
        .records
        .iter()
        .find(|r| r.case.id.ends_with("#crash"))
        .unwrap();
    assert_eq!(
        crash.judgement.detail.as_deref(),
        Some("no answer: it exited with status 101")
    );
    let flood = run
        .records
        .iter()
        .find(|r| r.case.id.ends_with("#flood"))
        .unwrap();
    assert!(
        flood.stderr.len() <= (64 << 10) + 200,
        "stderr is capped per case: {}",
        flood.stderr.len()
    );
    assert!(
        flood.stderr.contains("more bytes of stderr dropped"),
        "the cap says so"
    );
}

#[test]
fn one_shot_mode_gives_the_same_verdicts() {
    let run = run_faults(Mode::OneShot, &[]);
    assert_eq!(verdicts(&run), expected_fault_verdicts());
    let crash = run
        .records
        .iter()
        .find(|r| r.case.id.ends_with("#crash"))
        .unwrap();
    assert_eq!(crash.stderr.trim(), "broken-adapter: segfault (pretend)");
}

#[test]
fn no_grandchild_outlives_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let pidfile = dir.path().join("pid");
    run_faults(Mode::Persistent, &[pidfile.to_str().unwrap()]);
    let pid = std::fs::read_to_string(&pidfile).expect("the grandchild case ran");
    // Killed processes are reaped by init; wait for that, boundedly.
    let stat = format!("/proc/{}/stat", pid.trim());
    let gone = (0..500).any(|_| {
        let alive = std::fs::read_to_string(&stat).is_ok_and(|s| !s.contains(") Z "));
        if alive {
            std::thread::sleep(Duration::from_millis(10));
        }
        !alive
    });
    assert!(gone, "the adapter's child {pid} outlived the run");
}

#[test]
fn a_handshake_that_never_comes_fails_the_run() {
    let err = SubjectSpec::External(config(&["hang-hello"]))
        .start()
        .err()
        .expect("start fails");
    assert!(err.0.ends_with("no hello within 800ms"), "{err}");
}

#[test]
fn a_bad_or_missing_hello_says_what_went_wrong() {
    let err = SubjectSpec::External(config(&["bad-hello"]))
        .start()
        .err()
        .unwrap();
    assert!(err.0.contains("bad hello: not JSON"), "{err}");
    let err = SubjectSpec::External(config(&["exit-hello"]))
        .start()
        .err()
        .unwrap();
    assert!(
        err.0.ends_with("ended before its hello: it exited with status 3; its stderr begins: broken-adapter: cannot start: no licence"),
        "{err}"
    );
}

fn mimispec(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mimispec"))
        .args(args)
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn a_missing_program_is_a_one_line_error() {
    let out = mimispec(&["run", "--impl", "/nonexistent/impl --flag"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "mimispec: error: cannot run \"/nonexistent/impl\": no such program\n"
    );
}

#[test]
fn the_reference_passes_the_whole_corpus() {
    let out = mimispec(&["run"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("result: ok."));
}

#[test]
fn a_broken_corpus_stops_before_running_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("immi-content/msg-id/bad.yaml");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(
        &file,
        "document: immi-content\nsection: \"5.1\"\nop: immi.msg_id.parse\nlevel: MUST\ncases:\n  - name: x\n    description: d\n    input: {text: \"<a>\"}\n    expect: {reject: {}}\n",
    )
    .unwrap();
    let out = mimispec(&["run", "--vectors", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("immi-content/msg-id/bad.yaml:6: immi-content/msg-id/bad#x: a reject case needs a reason"),
        "{}",
        text(&out.stderr)
    );
}

/// A run of the fixed `wrong` corpus against the deliberately wrong
/// adapter, with paths and timings made stable for snapshots.
fn wrong_run(extra: &[&str]) -> (Output, String) {
    let adapter = broken_adapter();
    let imp = format!("{} wrong", adapter.display());
    let vectors = fixture("wrong");
    let mut args = vec![
        "run",
        "--impl",
        &imp,
        "--one-shot",
        "--vectors",
        vectors.to_str().unwrap(),
    ];
    args.extend(extra);
    let out = mimispec(&args);
    let stable = text(&out.stdout)
        .replace(&adapter.display().to_string(), "[adapter]")
        .replace(vectors.to_str().unwrap(), "[vectors]");
    let stable = match stable.rfind(" cases in ") {
        Some(i) => format!("{} cases in [time]\n", &stable[..i]),
        None => stable,
    };
    (out, stable)
}

#[test]
fn snapshot_of_failure_output() {
    let (out, stable) = wrong_run(&["--verbose"]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("wrong_impl_human", stable);
}

#[test]
fn snapshot_of_json_report() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("report.json");
    let (out, _) = wrong_run(&["--json", json.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = std::fs::read_to_string(&json)
        .unwrap()
        .replace(&broken_adapter().display().to_string(), "[adapter]");
    let report: serde_json::Value = serde_json::from_str(&text).unwrap();
    insta::assert_json_snapshot!("wrong_impl_report", report, {
        ".cases[].duration_us" => "[duration]",
        ".suite.corpus_digest" => "[digest]",
        ".suite.version" => "[version]",
    });
}

#[test]
fn expectations_turn_failures_into_expected_and_catch_stale_entries() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("expect.yaml");
    std::fs::write(
        &file,
        "expected-failures:\n  \"immi-content/msg-id/wrong#right-keeps-case\": folds case, tracked upstream\n  \"immi-content/msg-id/wrong#double-space\": {reason: accepts CFWS, issue: \"https://example.invalid/1\"}\n  \"immi-content/msg-id/wrong#plain\": once failed\nerror-map:\n  E_MISSING_AT: immi.msg_id.missing_at\n",
    )
    .unwrap();
    let dir_json = dir.path().join("r.json");
    let (out, _) = wrong_run(&[
        "--expect",
        file.to_str().unwrap(),
        "--json",
        dir_json.to_str().unwrap(),
    ]);
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&dir_json).unwrap()).unwrap();
    let verdict = |name: &str| {
        report["cases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"].as_str().unwrap().ends_with(name))
            .unwrap()["verdict"]
            .clone()
    };
    assert_eq!(verdict("#right-keeps-case"), "expected-fail");
    assert_eq!(verdict("#double-space"), "expected-fail");
    assert_eq!(
        verdict("#plain"),
        "unexpected-pass",
        "a stale expectation fails the run"
    );
    assert_eq!(out.status.code(), Some(1));
    let missing_at = report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"].as_str().unwrap().ends_with("#missing-at"))
        .unwrap();
    assert_eq!(
        missing_at["detail"],
        serde_json::Value::Null,
        "E_MISSING_AT is mapped onto the suite's code"
    );

    std::fs::write(
        &file,
        "expected-failures:\n  \"immi-content/nothing/*\": typo\n",
    )
    .unwrap();
    let (out, _) = wrong_run(&["--expect", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("matches no case"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn strict_makes_should_failures_fail() {
    let filter = ["--filter", "*#should-level"];
    let (out, _) = wrong_run(&filter);
    assert_eq!(
        out.status.code(),
        Some(0),
        "non-strict alone passes the run"
    );
    let (out, _) = wrong_run(&[filter[0], filter[1], "--strict"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn junit_names_every_case() {
    let dir = tempfile::tempdir().unwrap();
    let xml = dir.path().join("r.xml");
    wrong_run(&["--junit", xml.to_str().unwrap()]);
    let xml = std::fs::read_to_string(xml).unwrap();
    assert_eq!(xml.matches("<testcase ").count(), 7, "{xml}");
    assert!(xml.contains("name=\"immi-content/msg-id/wrong#right-keeps-case\""));
    assert_eq!(xml.matches("<failure").count(), 2, "{xml}");
    assert!(
        xml.contains("name=\"mimispec.corpus_digest\" value=\"sha256:"),
        "provenance is in the report"
    );
}

#[test]
fn every_vector_file_validates_against_the_json_schema() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../vectors");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("vector.schema.json")).unwrap())
            .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let corpus = Corpus::embedded().unwrap();
    let mut checked = 0;
    for (path, bytes) in &corpus.files {
        if path.ends_with(".yaml") && path.matches('/').count() == 2 {
            let doc: serde_json::Value = mimispec::vector::from_yaml(path, bytes).unwrap();
            let errors: Vec<String> = validator
                .iter_errors(&doc)
                .map(|e| format!("{path}: {e}"))
                .collect();
            assert!(errors.is_empty(), "{errors:#?}");
            checked += 1;
        }
    }
    assert!(checked > 0);
    let bad =
        serde_json::json!({"document": "immi-content", "cases": [{"name": "x", "colour": 1}]});
    assert!(
        !validator.is_valid(&bad),
        "the schema refuses unknown fields"
    );
}

#[test]
fn every_op_is_documented_and_has_vectors() {
    let protocol =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("PROTOCOL.md")).unwrap();
    let corpus = Corpus::embedded().unwrap();
    for op in mimispec::ops::all() {
        assert!(
            protocol.contains(&format!("\n### `{}`\n", op.name)),
            "PROTOCOL.md has no section for {}",
            op.name
        );
        assert!(
            corpus.cases.iter().any(|c| c.op == op.name),
            "no vector exercises {}",
            op.name
        );
    }
}

#[test]
fn the_html_report_escapes_what_the_implementation_sent() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("r.html");
    wrong_run(&["--html", html.to_str().unwrap()]);
    let html = std::fs::read_to_string(html).unwrap();
    assert!(
        html.contains("broken-adapter: trimmed whitespace in &quot;&lt;a@b&gt;  &quot;"),
        "{html}"
    );
    assert!(
        !html.contains("<a@b>"),
        "raw markup from the implementation reached the page"
    );
}

#[test]
fn parallel_jobs_give_the_same_verdicts() {
    let corpus = Corpus::from_dir(&fixture("faults")).unwrap();
    let cfg = config(&["faults"]);
    let run = execute(
        &corpus.cases,
        &SubjectSpec::External(cfg),
        &RunOptions {
            jobs: 3,
            ..RunOptions::default()
        },
        &ProgressBar::hidden(),
    )
    .unwrap();
    assert_eq!(verdicts(&run), expected_fault_verdicts());
}

#[test]
fn the_ci_kit_example_expectations_load() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ci/expect.example.yaml");
    let corpus = Corpus::embedded().unwrap();
    let e = mimispec::expectations::Expectations::load(
        "expect.example.yaml",
        &std::fs::read(path).unwrap(),
        &corpus.cases,
    )
    .unwrap();
    assert_eq!(e.failures.len(), 2);
    assert_eq!(e.map_code("E_NO_AT"), "immi.msg_id.missing_at");
}

/// The Python example adapter in ci/examples passes every msg-id case it
/// declares, persistent and one-shot: the protocol works with a program in
/// another language, and the example implementers copy keeps working.
#[test]
fn the_python_example_adapter_passes_its_op() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ci/examples/python_adapter.py");
    let imp = format!("python3 {}", script.display());
    for extra in [&[][..], &["--one-shot", "--jobs", "2"][..]] {
        let mut args = vec![
            "run",
            "--impl",
            imp.as_str(),
            "--filter",
            "immi-content/msg-id/atext",
            "--filter",
            "immi-content/msg-id/no-fold-literal",
        ];
        args.extend(extra);
        let out = mimispec(&args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}{}",
            text(&out.stdout),
            text(&out.stderr)
        );
        assert!(
            text(&out.stdout).contains("python-example 0.1"),
            "{}",
            text(&out.stdout)
        );
        assert!(
            !text(&out.stdout).contains(" fail"),
            "{}",
            text(&out.stdout)
        );
    }
}

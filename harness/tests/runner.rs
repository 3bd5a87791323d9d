//! The runner against misbehaving implementations, the CLI's contract
//! (exit status, one-line errors, expectations), snapshots of the failure
//! output and the JSON report, and the vector JSON Schema.

mod common;
use common::{broken_adapter, mimispec, text};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use indicatif::ProgressBar;
use mimispec::corpus::Corpus;
use mimispec::run::{RunOptions, RunResult, execute};
use mimispec::subject::{ExternalConfig, Mode, SubjectSpec};
use mimispec::verdict::Verdict;

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
    // Long enough that a loaded machine never turns an answer into a
    // timeout; the hang cases wait this out.
    cfg.timeout = Duration::from_secs(2);
    cfg.handshake_timeout = Duration::from_secs(2);
    cfg.max_answer = 1 << 20;
    cfg
}

/// Runs `cases` against an external subject, one job at a time unless said.
fn run_external(cases: &[mimispec::corpus::Case], cfg: ExternalConfig, jobs: usize) -> RunResult {
    execute(
        cases,
        &SubjectSpec::External(cfg),
        &RunOptions {
            jobs,
            ..RunOptions::default()
        },
        &ProgressBar::hidden(),
    )
    .unwrap()
}

fn run_faults(mode: Mode, extra: &[&str]) -> RunResult {
    let corpus = Corpus::from_dir(&fixture("faults")).unwrap();
    let mut args = vec!["faults"];
    args.extend(extra);
    let mut cfg = config(&args);
    cfg.mode = mode;
    run_external(&corpus.cases, cfg, 1)
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
        crash.judgement.detail().as_deref(),
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
    assert!(err.0.ends_with("no hello within 2s"), "{err}");
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
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("result: ok."));
    // The reference answers every op: no requirement is left untested
    // (those named only by informational cases are counted apart).
    let requirements: Vec<&str> = stdout
        .lines()
        .skip_while(|l| *l != "  requirements:")
        .skip(1)
        .take_while(|l| l.starts_with("    "))
        .collect();
    assert_eq!(requirements.len(), 4, "{stdout}");
    for line in requirements {
        assert!(
            line.split("; ")
                .all(|part| part.contains(" 0 failed, 0 untested")),
            "{line}"
        );
    }
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
fn stderr_belongs_to_the_case_that_wrote_it_in_both_modes() {
    let corpus = Corpus::from_dir(&fixture("wrong")).unwrap();
    let with_stderr = |mode: Mode| -> Vec<String> {
        let mut cfg = config(&["wrong"]);
        cfg.mode = mode;
        run_external(&corpus.cases, cfg, 1)
            .records
            .iter()
            .filter(|r| !r.stderr.is_empty())
            .map(|r| format!("{}: {}", r.case.id, r.stderr.trim()))
            .collect()
    };
    let one_shot = with_stderr(Mode::OneShot);
    assert!(!one_shot.is_empty());
    // Persistent: what the adapter wrote before its answer is that case's.
    for _ in 0..5 {
        assert_eq!(with_stderr(Mode::Persistent), one_shot);
    }
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
fn junit_and_markdown_name_the_failures() {
    let dir = tempfile::tempdir().unwrap();
    let xml = dir.path().join("r.xml");
    wrong_run(&["--junit", xml.to_str().unwrap()]);
    let xml = std::fs::read_to_string(xml).unwrap();
    assert_eq!(xml.matches("<testcase ").count(), 7, "{xml}");
    assert!(xml.contains("name=\"immi-content/msg-id/wrong#right-keeps-case\""));
    assert_eq!(xml.matches("<failure").count(), 2, "{xml}");
    let md = dir.path().join("r.md");
    wrong_run(&["--markdown", md.to_str().unwrap()]);
    let md = std::fs::read_to_string(md).unwrap();
    assert!(md.contains(": failed (2 failing cases)"), "{md}");
    let rows: Vec<&str> = md
        .lines()
        .filter(|l| l.starts_with("| immi\\-content/"))
        .collect();
    assert_eq!(rows.len(), 2, "{md}");
    assert!(rows.iter().all(|r| r.contains("| MUST | fail |")), "{md}");
    assert!(
        md.contains("| immi-content | 7 | 2 | 2 | 1 | 1 | 1 |"),
        "{md}"
    );
    // Under --source-url each failing case links its vector at its line.
    let md = dir.path().join("linked.md");
    wrong_run(&[
        "--markdown",
        md.to_str().unwrap(),
        "--source-url",
        "https://forge.example/r/blob/abc/",
    ]);
    let md = std::fs::read_to_string(md).unwrap();
    assert!(
        md.contains("(<https://forge.example/r/blob/abc/vectors/immi-content/msg-id/wrong.yaml#L"),
        "{md}"
    );
    // A failure's body is the terminal's block: input, diff, rerun line.
    let body = &xml[xml.find("<failure").unwrap()..xml.find("</failure>").unwrap()];
    for want in [
        "input: {&quot;text&quot;:",
        "expected (-) / actual (+):",
        "rerun: mimispec run --impl",
    ] {
        assert!(body.contains(want), "{want} in {body}");
    }
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
            let doc: serde_json::Value = mimispec::corpus::from_yaml(path, bytes).unwrap();
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
    let run = run_external(&corpus.cases, cfg, 3);
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
    assert_eq!(
        e.map_code("immi.msg_id.parse", "E_NO_AT"),
        "immi.msg_id.missing_at"
    );
    assert_eq!(
        e.map_code("immi.datetime.parse", "E_SYNTAX"),
        "immi.datetime.syntax"
    );
    assert_eq!(e.map_code("immi.msg_id.parse", "E_SYNTAX"), "E_SYNTAX");
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
            !text(&out.stdout).contains("---- FAIL"),
            "{}",
            text(&out.stdout)
        );
    }
}

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_committed_op_schemas_are_the_generated_ones() {
    let dir = manifest_dir().join("schemas");
    let want = mimispec::cli::schema::files();
    let stale: Vec<&str> = want
        .iter()
        .filter(|(name, text)| std::fs::read_to_string(dir.join(name)).ok().as_ref() != Some(text))
        .map(|(name, _)| name.as_str())
        .collect();
    let extra: Vec<String> = std::fs::read_dir(&dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| !want.iter().any(|(w, _)| w == n))
                .collect()
        })
        .unwrap_or_default();
    assert!(
        stale.is_empty() && extra.is_empty(),
        "harness/schemas/ does not match the op types (stale or missing: {stale:?}; not an op's: {extra:?}); \
         regenerate with: cargo run -p mimispec -- schema --write harness/schemas"
    );
}

/// The text of PROTOCOL.md's section for `op`, up to the next heading.
/// The catalog ids PROTOCOL.md cites in its op sections, each with the
/// keyword in force where it is cited: the last MUST, SHOULD or MAY read,
/// a bullet of a list starting from the list's keyword, and a keyword
/// inside parentheses holding only until they close.
fn protocol_citations(protocol: &str) -> Vec<(String, String, Option<&'static str>)> {
    let mut out = Vec::new();
    for section in protocol.split("\n### ").skip(1) {
        let title = section.lines().next().unwrap_or_default().to_owned();
        let (mut kw, mut list_kw, mut in_list, mut parens): (Option<&str>, _, _, Vec<_>) =
            (None, None, false, Vec::new());
        for line in section.lines().skip(1) {
            if line.starts_with("- ") {
                if !in_list {
                    list_kw = kw;
                    in_list = true;
                }
                kw = list_kw;
                parens.clear();
            } else if !line.is_empty() && !line.starts_with(' ') {
                in_list = false;
            }
            let mut rest = line;
            while let Some(c) = rest.chars().next() {
                let word: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_uppercase())
                    .collect();
                let at_word_start = !word.is_empty()
                    && line[..line.len() - rest.len()]
                        .chars()
                        .last()
                        .is_none_or(|p| !p.is_ascii_alphanumeric() && p != '-');
                let after = &rest[word.len()..];
                let whole = after
                    .chars()
                    .next()
                    .is_none_or(|n| !n.is_ascii_alphanumeric() && n != '-');
                if at_word_start
                    && whole
                    && let Some(k) = ["MUST", "SHOULD", "MAY"].into_iter().find(|k| *k == word)
                {
                    kw = Some(k);
                }
                if c == '(' {
                    parens.push(kw);
                } else if c == ')' {
                    if let Some(k) = parens.pop() {
                        kw = k;
                    }
                } else if c == '['
                    && let Some(end) = rest.find(']')
                {
                    let ids: Vec<&str> = rest[1..end].split(", ").collect();
                    let is_id = |i: &str| {
                        ["IMMI-", "DISCOVERY-", "AMIME-", "PEP-"]
                            .iter()
                            .any(|p| i.starts_with(p))
                            && i.chars()
                                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
                    };
                    if ids.iter().all(|i| is_id(i)) {
                        for i in ids {
                            out.push((title.clone(), i.to_owned(), kw));
                        }
                        rest = &rest[end..];
                    }
                }
                let step = if word.is_empty() {
                    c.len_utf8()
                } else {
                    word.len()
                };
                rest = &rest[step.min(rest.len())..];
            }
        }
    }
    out
}

#[test]
fn protocol_md_rules_agree_with_the_catalogs() {
    let protocol = std::fs::read_to_string(manifest_dir().join("PROTOCOL.md")).unwrap();
    let corpus = Corpus::embedded().unwrap();
    let catalogs = mimispec::corpus::requirements::load(&corpus).unwrap();
    let reqs: BTreeMap<&str, &mimispec::corpus::requirements::Requirement> = catalogs
        .values()
        .flatten()
        .map(|r| (r.id.as_str(), r))
        .collect();
    let cited = protocol_citations(&protocol);
    assert!(cited.len() > 50, "{cited:?}");
    let mut wrong = Vec::new();
    for (title, id, kw) in &cited {
        let Some(r) = reqs.get(id.as_str()) else {
            wrong.push(format!("{title}: [{id}] is in no catalog"));
            continue;
        };
        // The rule's keyword is the requirement's level: MUST for MUST.
        if let Some(kw) = kw
            && (*kw == "MUST") != (r.level == mimispec::corpus::Level::Must)
        {
            wrong.push(format!(
                "{title}: [{id}] is cited under {kw}, its catalog level is {}",
                r.level.as_str()
            ));
        }
        // An op's rule is tested by a graded case of that op.
        if let Some(op) = title.strip_prefix('`').and_then(|t| t.strip_suffix('`')) {
            let tested = corpus.cases.iter().any(|c| {
                c.op == op
                    && c.level != mimispec::corpus::Level::Informational
                    && c.requirements.iter().any(|x| x == id)
            });
            if !tested {
                wrong.push(format!(
                    "{title}: [{id}] is tested by no graded case of {op}"
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

fn op_section<'a>(protocol: &'a str, op: &str) -> &'a str {
    let head = format!("\n### `{op}`\n");
    let start = protocol
        .find(&head)
        .unwrap_or_else(|| panic!("PROTOCOL.md has no section for {op}"))
        + head.len();
    let end = protocol[start..]
        .find("\n#")
        .map_or(protocol.len(), |i| start + i);
    &protocol[start..end]
}

#[test]
fn every_op_section_of_protocol_md_links_its_schemas() {
    let protocol = std::fs::read_to_string(manifest_dir().join("PROTOCOL.md")).unwrap();
    for op in mimispec::ops::all() {
        let section = op_section(&protocol, op.name);
        for what in ["input", "result"] {
            let link = format!("(schemas/{}.{what}.json)", op.name);
            assert!(
                section.contains(&link),
                "PROTOCOL.md's section for {} does not link {link}",
                op.name
            );
        }
    }
}

/// The schemas say what the types say: every vector's input (as sent) and
/// exact result validates, and so does every result the reference gives
/// for a case whose result is checked by property.
#[test]
fn vectors_and_the_reference_meet_the_published_schemas() {
    use mimispec::corpus::{Expect, Property};
    let corpus = Corpus::embedded().unwrap();
    let compile =
        |s: schemars::Schema| jsonschema::validator_for(&serde_json::to_value(s).unwrap()).unwrap();
    let validators: BTreeMap<&str, _> = mimispec::ops::all()
        .map(|op| {
            (
                op.name,
                (compile(op.input_schema()), compile(op.result_schema())),
            )
        })
        .collect();
    let mut problems = Vec::new();
    let mut check = |what: &str, id: &str, v: &jsonschema::Validator, value: &serde_json::Value| {
        for e in v.iter_errors(value) {
            problems.push(format!("{id}: {what}: {e} at {}", e.instance_path()));
        }
    };
    let addr = "127.0.0.1:53".parse().unwrap();
    for c in &corpus.cases {
        let (input_v, result_v) = &validators[c.op.as_str()];
        let sent = match &c.zone {
            Some(z) => mimispec::dns::inject_at(
                &c.input,
                addr,
                z.oracle.as_ref().map(|_| "http://127.0.0.1:1/"),
                Default::default(),
                mimispec::dns::client_timeout(z),
            ),
            None => c.input.clone(),
        };
        check("input", &c.id, input_v, &sent);
        match &c.expect {
            Expect::Result(want) => check("expected result", &c.id, result_v, want),
            Expect::Properties(props) => {
                for p in props {
                    if let Property::Reparse {
                        op,
                        result: Some(want),
                        ..
                    } = p
                    {
                        check("reparse result", &c.id, &validators[op.as_str()].1, want);
                    }
                }
                if c.zone.is_none()
                    && let Some(Ok(got)) = mimispec::ops::run(&c.op, &c.input)
                {
                    check("the reference's result", &c.id, result_v, &got);
                }
            }
            Expect::Reject(_) => {}
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// The codes a source tree writes as string literals: `"family.thing.code"`.
fn code_literals(dir: &Path, out: &mut std::collections::BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            code_literals(&path, out);
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for lit in text.split('"').skip(1).step_by(2) {
            let parts: Vec<&str> = lit.split('.').collect();
            let families = ["immi", "discovery", "application_mime", "pep"];
            if parts.len() >= 3
                && families.contains(&parts[0])
                && parts.iter().all(|p| {
                    !p.is_empty()
                        && p.bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
                })
            {
                out.insert(lit.to_owned());
            }
        }
    }
}

#[test]
fn every_error_code_is_in_a_code_table_of_protocol_md() {
    let protocol = std::fs::read_to_string(manifest_dir().join("PROTOCOL.md")).unwrap();
    let tabled: std::collections::BTreeSet<&str> = protocol
        .lines()
        .filter_map(|l| l.strip_prefix("| `")?.split_once('`').map(|(c, _)| c))
        .filter(|c| c.contains('.'))
        .collect();
    let mut produced = std::collections::BTreeSet::new();
    code_literals(&manifest_dir().join("../reference/src"), &mut produced);
    assert!(
        produced.len() > 100,
        "the scan finds the codes: {produced:?}"
    );
    // Literals that are op names are not codes.
    for op in mimispec::ops::all() {
        produced.remove(op.name);
    }
    produced.insert(mimispec::ops::BAD_INPUT.to_owned());
    produced.insert(mimispec::adapter::BAD_REQUEST.to_owned());
    let missing: Vec<&String> = produced
        .iter()
        .filter(|c| !tabled.contains(c.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "codes the reference or the harness can produce that no code table of PROTOCOL.md lists: {missing:?}"
    );
    let stale: Vec<&&str> = tabled
        .iter()
        .filter(|c| !c.ends_with(".*") && !produced.contains(**c))
        .collect();
    assert!(
        stale.is_empty(),
        "codes in PROTOCOL.md that nothing produces: {stale:?}"
    );
}

/// The top-level modules a module of the harness names through `crate::`.
fn module_imports() -> BTreeMap<String, std::collections::BTreeSet<String>> {
    fn texts(path: &Path, out: &mut String) {
        if path.is_dir() {
            for e in std::fs::read_dir(path).unwrap().flatten() {
                texts(&e.path(), out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push_str(&std::fs::read_to_string(path).unwrap());
        }
    }
    fn ident(s: &str) -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    }
    let src = manifest_dir().join("src");
    let mut modules = BTreeMap::new();
    for e in std::fs::read_dir(&src).unwrap().flatten() {
        let path = e.path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if name == "lib" || name == "main" {
            continue;
        }
        let mut text = String::new();
        texts(&path, &mut text);
        let mut names = std::collections::BTreeSet::new();
        for (i, _) in text.match_indices("crate::") {
            let rest = &text[i + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                // `use crate::{a, b::{c, d}}`: the first word of each item.
                let (mut depth, mut item_start) = (0, true);
                for (j, c) in group.char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => break,
                        '}' => depth -= 1,
                        ',' if depth == 0 => item_start = true,
                        c if item_start && !c.is_whitespace() => {
                            names.insert(ident(&group[j..]));
                            item_start = false;
                        }
                        _ => {}
                    }
                }
            } else {
                names.insert(ident(rest));
            }
        }
        names.remove(&name);
        modules.insert(name, names);
    }
    // Only modules count: `crate::SUITE_VERSION` and the like are the root's.
    let known: std::collections::BTreeSet<String> = modules.keys().cloned().collect();
    for names in modules.values_mut() {
        names.retain(|n| known.contains(n));
    }
    modules
}

#[test]
fn the_harness_modules_import_without_a_cycle() {
    let graph = module_imports();
    assert!(graph.len() > 10, "{graph:?}");
    assert!(graph["verdict"].contains("corpus"), "the scan sees imports");
    fn visit<'a>(
        m: &'a str,
        graph: &'a BTreeMap<String, std::collections::BTreeSet<String>>,
        path: &mut Vec<&'a str>,
        done: &mut std::collections::BTreeSet<&'a str>,
    ) {
        if done.contains(m) {
            return;
        }
        if let Some(i) = path.iter().position(|p| *p == m) {
            panic!("import cycle: {} -> {m}", path[i..].join(" -> "));
        }
        path.push(m);
        for n in &graph[m] {
            visit(n, graph, path, done);
        }
        path.pop();
        done.insert(m);
    }
    let mut done = std::collections::BTreeSet::new();
    for m in graph.keys() {
        visit(m, &graph, &mut Vec::new(), &mut done);
    }
}

/// A process is gone (or a zombie waiting for init), checked boundedly.
fn gone(pid: &str) -> bool {
    let stat = format!("/proc/{}/stat", pid.trim());
    (0..500).any(|_| {
        let alive = std::fs::read_to_string(&stat).is_ok_and(|s| !s.contains(") Z "));
        if alive {
            std::thread::sleep(Duration::from_millis(10));
        }
        !alive
    })
}

/// Runs `f` on a thread and fails if it has not returned in `limit`: a
/// liveness bound for tests whose fault would otherwise hang forever.
fn within<T: Send + 'static>(limit: Duration, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(limit)
        .unwrap_or_else(|_| panic!("did not return within {limit:?}"))
}

#[test]
fn an_implementation_that_stops_reading_gets_a_timeout() {
    use mimispec::corpus::{Case, Citation, Expect, Level};
    // Larger than a pipe's buffer, so writing it blocks on a deaf reader.
    let text = format!("<{}@b>", "a".repeat(256 << 10));
    let case = Case {
        id: "immi-content/msg-id/t#big".into(),
        file: "immi-content/msg-id/t.yaml".into(),
        line: 1,
        description: "a request larger than a pipe".into(),
        citation: Citation {
            document: "immi-content".into(),
            section: "5.1".into(),
        },
        level: Level::Must,
        op: "immi.msg_id.parse".into(),
        input: serde_json::json!({ "text": text }),
        expect: Expect::Reject(mimispec::corpus::Reject { code: None }),
        reason: Some("too long".into()),
        tags: vec![],
        requirements: vec![],
        feature: None,
        ambiguity: None,
        zone: None,
        queries: None,
    };
    for mode in [Mode::Persistent, Mode::OneShot] {
        let mut cfg = config(&["deaf"]);
        cfg.mode = mode;
        let cases = vec![case.clone()];
        let run = within(Duration::from_secs(30), move || {
            run_external(&cases, cfg, 1)
        });
        assert_eq!(run.records[0].verdict(), Verdict::Timeout, "{mode:?}");
    }
}

#[test]
fn a_descendant_that_leaves_the_group_dies_with_the_run() {
    for mode in [Mode::Persistent, Mode::OneShot] {
        let dir = tempfile::tempdir().unwrap();
        let pidfile = dir.path().join("pid");
        let corpus = Corpus::from_dir(&fixture("faults")).unwrap();
        let cases: Vec<_> = corpus
            .cases
            .into_iter()
            .filter(|c| c.id.ends_with("#ok-first"))
            .map(|mut c| {
                c.id = c.id.replace("#ok-first", "#setsid");
                c
            })
            .collect();
        let mut cfg = config(&["faults", pidfile.to_str().unwrap()]);
        cfg.mode = mode;
        let run = run_external(&cases, cfg, 1);
        assert_eq!(run.records[0].verdict(), Verdict::Pass, "{mode:?}");
        drop(run);
        let pid = std::fs::read_to_string(&pidfile).expect("the setsid case ran");
        assert!(
            gone(&pid),
            "{mode:?}: the setsid child {pid} outlived the run"
        );
    }
}

#[test]
fn sigterm_mid_run_leaves_no_process_behind() {
    let dir = tempfile::tempdir().unwrap();
    let imp = format!(
        "{} spawner {}",
        broken_adapter().display(),
        dir.path().display()
    );
    let vectors = fixture("faults");
    let mut child = Command::new(env!("CARGO_BIN_EXE_mimispec"))
        .args([
            "run",
            "--impl",
            &imp,
            "--one-shot",
            "--jobs",
            "2",
            "--timeout",
            "2",
        ])
        .arg("--vectors")
        .arg(&vectors)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until cases are in flight, then stop the run.
    let started = (0..500).any(|_| {
        std::thread::sleep(Duration::from_millis(10));
        std::fs::read_dir(dir.path()).is_ok_and(|d| d.count() >= 2)
    });
    assert!(started, "no case started");
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "{status:?}");
    for entry in std::fs::read_dir(dir.path()).unwrap().flatten() {
        if entry.file_name().to_string_lossy().ends_with(".tmp") {
            continue;
        }
        let pid = std::fs::read_to_string(entry.path()).unwrap();
        assert!(gone(&pid), "process {pid} outlived the stopped run");
    }
}

/// A vectors directory holding one good vector file, to spoil.
fn good_vectors() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("immi-content/msg-id/ok.yaml");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(
        &file,
        "document: immi-content\nsection: \"5.1\"\nop: immi.msg_id.parse\nlevel: MUST\ncases:\n  - name: x\n    description: d\n    input: {text: \"<a@b>\"}\n    expect: {result: {id_left: a, id_right: b}}\n",
    )
    .unwrap();
    dir
}

fn load_errors(dir: &Path) -> String {
    let dir = dir.to_owned();
    let errors = within(Duration::from_secs(30), move || {
        Corpus::from_dir(&dir).err().unwrap_or_default()
    });
    errors
        .iter()
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_hostile_vectors_directory_is_refused_boundedly() {
    use std::os::unix::fs::symlink;
    let dir = good_vectors();
    assert_eq!(load_errors(dir.path()), "", "the good corpus loads");

    // Two links back to the root: 2^40 paths if followed blindly.
    symlink(dir.path(), dir.path().join("immi-content/loop-a")).unwrap();
    symlink(dir.path(), dir.path().join("immi-content/loop-b")).unwrap();
    let e = load_errors(dir.path());
    assert!(
        e.contains("a link back to a folder that contains it"),
        "{e}"
    );
    std::fs::remove_file(dir.path().join("immi-content/loop-a")).unwrap();
    std::fs::remove_file(dir.path().join("immi-content/loop-b")).unwrap();

    // A FIFO named like a vector would block a reader forever.
    let fifo = dir.path().join("immi-content/msg-id/fifo.yaml");
    nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::S_IRWXU).unwrap();
    let e = load_errors(dir.path());
    assert!(e.contains("fifo.yaml: not a regular file"), "{e}");
    std::fs::remove_file(&fifo).unwrap();

    // A device would be read without end.
    symlink(
        "/dev/zero",
        dir.path().join("immi-content/msg-id/zero.yaml"),
    )
    .unwrap();
    let e = load_errors(dir.path());
    assert!(e.contains("zero.yaml: not a regular file"), "{e}");
    std::fs::remove_file(dir.path().join("immi-content/msg-id/zero.yaml")).unwrap();

    // A large file is refused by its size, whatever its name, unread.
    let big = std::fs::File::create(dir.path().join("immi-content/big.bin")).unwrap();
    big.set_len(1 << 30).unwrap();
    let e = load_errors(dir.path());
    assert!(e.contains("big.bin: larger than 1048576 bytes"), "{e}");
    std::fs::remove_file(dir.path().join("immi-content/big.bin")).unwrap();

    // Deep folders.
    let deep = dir.path().join("a/b/c/d/e/f/g/h/i/j");
    std::fs::create_dir_all(&deep).unwrap();
    let e = load_errors(dir.path());
    assert!(e.contains("folders nest more than 8 deep"), "{e}");
}

#[test]
fn hostile_yaml_is_refused_before_it_is_built() {
    let dir = good_vectors();
    let file = dir.path().join("immi-content/msg-id/hostile.yaml");
    // 0.8 MB that expands a thousandfold through aliases.
    let mut bomb = String::from("a: &a \"");
    bomb.push_str(&"x".repeat(800_000));
    bomb.push_str("\"\nb: [");
    bomb.push_str(&vec!["*a"; 1000].join(", "));
    bomb.push_str("]\n");
    std::fs::write(&file, &bomb).unwrap();
    let e = load_errors(dir.path());
    assert!(e.contains("once its aliases are expanded"), "{e}");
    // A 100,000-deep flow sequence.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    std::fs::write(&file, deep).unwrap();
    let e = load_errors(dir.path());
    assert!(e.contains("nested more than 64 deep"), "{e}");
}

#[test]
fn implementation_text_cannot_forge_or_flood_the_terminal() {
    let imp = format!("{} forger", broken_adapter().display());
    let vectors = fixture("faults");
    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().join("r.md");
    let out = mimispec(&[
        "run",
        "--impl",
        &imp,
        "--vectors",
        vectors.to_str().unwrap(),
        "--filter",
        "*#ok-first",
        "--markdown",
        md.to_str().unwrap(),
    ]);
    let stdout = text(&out.stdout);
    // The Markdown heading keeps the forged name on its own line, bounded.
    let md = std::fs::read_to_string(md).unwrap();
    assert!(md.starts_with("### mimispec "), "{md}");
    assert!(
        md.lines()
            .next()
            .unwrap()
            .contains("broken\\\\nresult\\: ok"),
        "{md}"
    );
    assert!(md.len() < 4096, "{} bytes of Markdown", md.len());
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    let results: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("result:"))
        .collect();
    assert_eq!(results.len(), 1, "{stdout}");
    assert!(stdout.contains("broken\\nresult: ok. 0 cases"), "{stdout}");
    assert!(stdout.len() < 4096, "{} bytes of output", stdout.len());
}

#[test]
fn no_silent_loss_of_coverage() {
    let adapter = broken_adapter();
    let misspelt = format!("{} misspelt", adapter.display());
    let out = mimispec(&["run", "--impl", &misspelt]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains(
            "declares op \"immi.msgid.parse\", which this suite does not know (the nearest it knows is \"immi.msg_id.parse\")"
        ),
        "{}",
        text(&out.stderr)
    );
    // Nothing the implementation declares is selected: not a success.
    let faults = format!("{} faults", adapter.display());
    let out = mimispec(&["run", "--impl", &faults, "--document", "pep-message-2"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("result: NOTHING TESTED"));
    assert!(text(&out.stderr).contains("no case was sent"));
    // Every case sent answered `unsupported` (the Python skeleton): nothing
    // was tested either.
    let skeleton = manifest_dir().join("../ci/skeletons/python/adapter.py");
    let imp = format!("python3 {}", skeleton.display());
    let out = mimispec(&[
        "run",
        "--impl",
        &imp,
        "--filter",
        "immi-content/msg-id/atext",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    assert!(
        text(&out.stdout)
            .contains("result: NOTHING TESTED (every case sent was answered unsupported)"),
        "{}",
        text(&out.stdout)
    );
    assert!(
        text(&out.stderr).contains("nothing was tested"),
        "{}",
        text(&out.stderr)
    );
    // --list --impl lists what that implementation would be sent.
    let out = mimispec(&[
        "run",
        "--impl",
        &faults,
        "--list",
        "--document",
        "immi-content",
    ]);
    let listed = text(&out.stdout);
    assert!(listed.lines().count() > 10, "{listed}");
    assert!(
        listed
            .lines()
            .all(|id| id.starts_with("immi-content/msg-id/")
                || id.starts_with("immi-content/disposition-notification/")
                || id.starts_with("immi-content/headers/")),
        "{listed}"
    );
}

#[test]
fn the_summary_counts_per_op_and_collapses_undeclared_ops() {
    let (_, plain) = wrong_run(&[]);
    let line = |text: &str, start: &str| -> String {
        text.lines()
            .find(|l| l.trim_start().starts_with(start))
            .unwrap_or_else(|| panic!("no line {start:?} in {text}"))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(
        line(&plain, "immi.msg_id.parse "),
        "immi.msg_id.parse 6 cases: 2 pass (1 with another code), 2 fail, 1 non-strict, 1 informational"
    );
    assert_eq!(
        line(&plain, "1 op not declared"),
        "1 op not declared (1 case; --verbose lists them)"
    );
    assert!(plain.contains("1 pass rejected with another code than the suite's"));
    // --verbose: one line for the undeclared op, no block per case.
    let (_, verbose) = wrong_run(&["--verbose"]);
    assert_eq!(
        line(&verbose, "immi.disposition_notification.build"),
        "immi.disposition_notification.build 1 case: not declared"
    );
    assert!(!verbose.contains("---- UNSUPPORTED"), "{verbose}");
}

#[test]
fn op_selects_cases_by_op_name_or_glob() {
    let out = mimispec(&["run", "--list", "--op", "pep.version.*"]);
    let ids = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    assert!(ids.lines().count() > 5, "{ids}");
    assert!(
        ids.lines().all(|id| id.starts_with("pep-message-2/")),
        "{ids}"
    );
    let out = mimispec(&["run", "--list", "--op", "immi.msgid.parse"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "mimispec: error: --op \"immi.msgid.parse\" names no op of the suite (the nearest is \"immi.msg_id.parse\"); `mimispec schema` lists them\n"
    );
}

#[test]
fn bad_flags_are_one_line_errors() {
    for (args, want) in [
        (&["run", "--jobs", "0"][..], "--jobs must be 1 or more"),
        (
            &["run", "--impl", "x", "--timeout", "0"][..],
            "--timeout must be a number of seconds above 0",
        ),
        (
            &["run", "--impl", "/"][..],
            "cannot run \"/\": it is a directory",
        ),
    ] {
        let out = mimispec(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(
            text(&out.stderr),
            format!("mimispec: error: {want}\n"),
            "{args:?}"
        );
    }
}

#[test]
fn a_closed_pipe_ends_the_listing_quietly() {
    use std::io::BufRead as _;
    for args in [&["run", "--list"][..], &["schema"][..], &["coverage"][..]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_mimispec"))
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        // The reader goes away, as `| head -1` does.
        let out = child.wait_with_output().unwrap();
        assert!(!first.is_empty(), "{args:?}");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(
            !text(&out.stderr).contains("panicked"),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
}

#[test]
fn the_readme_shows_each_catalog_s_coverage_line() {
    let corpus = Corpus::embedded().unwrap();
    let catalogs = mimispec::corpus::requirements::load(&corpus).unwrap();
    let rows = mimispec::corpus::requirements::coverage(&corpus, &catalogs);
    let readme = std::fs::read_to_string(manifest_dir().join("../README.md")).unwrap();
    let block = readme
        .split("these lines (checked against the catalogs by the tests):\n\n```\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .expect("README has the coverage block");
    let want: Vec<String> = mimispec::ops::documents()
        .map(|d| {
            if catalogs.contains_key(d) {
                let mine: Vec<_> = rows
                    .iter()
                    .filter(|r| r.requirement.document == d)
                    .collect();
                mimispec::cli::coverage::summary_line(d, &mine)
            } else {
                format!("{d}: no requirement catalog yet")
            }
        })
        .collect();
    assert_eq!(
        block,
        want.join("\n"),
        "README's coverage lines are stale; `mimispec coverage` prints them"
    );
}

#[test]
fn show_prints_a_case_from_the_installed_corpus() {
    let out = mimispec(&["show", "mimi-discovery/enum/separators#fullwidth-digits"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    for want in [
        "vectors/mimi-discovery/enum/separators.yaml:",
        "requirement DISCOVERY-ENUM-SEPARATORS (RFC 6116",
        "{\"id\":\"mimi-discovery/enum/separators#fullwidth-digits\",\"input\":",
        "\"code\": \"discovery.enum.invalid_char\"",
    ] {
        assert!(shown.contains(want), "{want:?} not in {shown}");
    }
    let out = mimispec(&["show", "mimi-discovery/enum/separators#fullwidth"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr)
            .contains("the nearest is mimi-discovery/enum/separators#fullwidth-digits")
    );
}

#[test]
fn an_error_map_target_must_be_a_code_the_suite_expects() {
    let corpus = Corpus::embedded().unwrap();
    let load = |yaml: &str| {
        mimispec::expectations::Expectations::load("e.yaml", yaml.as_bytes(), &corpus.cases)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    let e = load("error-map:\n  E_EMPTY: immi.datetime.emtpy\n");
    assert!(
        e.contains("E_EMPTY maps onto \"immi.datetime.emtpy\", which no case expects (the nearest is immi.datetime.empty)"),
        "{e}"
    );
    let e = load("error-map:\n  \"immi.nothing.*\":\n    E_X: immi.datetime.empty\n");
    assert!(e.contains("names no op of any case"), "{e}");
    assert_eq!(
        load("error-map:\n  \"immi.*\":\n    E_X: immi.datetime.empty\n"),
        ""
    );
}

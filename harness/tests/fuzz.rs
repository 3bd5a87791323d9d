//! `mimispec fuzz` end to end: the reference over the protocol agrees with
//! itself, a planted deviation is found and shrunk, the same seed gives
//! the same candidates, and faults are findings, not a hang.

mod common;
use common::{broken_adapter, text};
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn fuzz(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mimispec"))
        .arg("fuzz")
        .args(args)
        .output()
        .expect("mimispec runs")
}

fn reference_adapter() -> String {
    format!("{} adapter", env!("CARGO_BIN_EXE_mimispec"))
}

fn broken(mode: &str) -> String {
    format!("{} {mode}", broken_adapter().display())
}

/// The candidate files in `dir`, name and text, in name order.
fn candidates(dir: &Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    (name, std::fs::read_to_string(e.path()).unwrap())
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

#[test]
fn the_reference_over_the_protocol_agrees_with_itself() {
    let dir = tempfile::tempdir().unwrap();
    // The text ops with generators, a few hundred cases each, and the
    // others a few dozen: seconds, not minutes, in a debug build.
    let ops = [
        "immi.msg_id.parse",
        "immi.datetime.parse",
        "discovery.mssi.parse",
        "application_mime.content_type.parse",
        "discovery.mui.parse",
        "discovery.enum.domain",
    ];
    let mut args = vec![
        "--impl".to_owned(),
        reference_adapter(),
        "--cases".into(),
        "1800".into(),
    ];
    for op in ops {
        args.extend(["--op".into(), op.into()]);
    }
    args.extend(["--out".into(), dir.path().display().to_string()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = fuzz(&args);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("1800 cases"), "{stdout}");
    assert!(stdout.contains("0 disagreements, 0 faults"), "{stdout}");
    for s in ["mutate", "generate", "near-miss"] {
        assert!(stdout.contains(s), "{s}: {stdout}");
    }
    assert!(candidates(dir.path()).is_empty());

    // Every other op but resolve, from the corpus.
    let out = fuzz(&[
        "--impl",
        &reference_adapter(),
        "--cases",
        "300",
        "--op",
        "immi.message.*",
        "--op",
        "application_mime.wrapper.*",
        "--op",
        "discovery.email.mui",
        "--out",
        &dir.path().display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

#[test]
fn a_planted_deviation_is_found_shrunk_and_written_as_a_candidate() {
    let dir = tempfile::tempdir().unwrap();
    let out = fuzz(&[
        "--impl",
        &broken("lenient-dot"),
        "--op",
        "immi.msg_id.parse",
        "--cases",
        "300",
        "--seed",
        "7",
        "--out",
        &dir.path().display().to_string(),
    ]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    let files = candidates(dir.path());
    assert!(!files.is_empty(), "{stdout}");
    for (name, yaml) in &files {
        assert!(name.starts_with("immi.msg_id.parse-accepts-"), "{name}");
        assert!(yaml.starts_with("# CANDIDATE, not a vector"), "{yaml}");
        let v: serde_json::Value =
            serde_yaml::from_str(yaml).unwrap_or_else(|e| panic!("{name}: {e}\n{yaml}"));
        let case = &v["cases"][0];
        let input = case["input"]["text"].as_str().unwrap();
        assert!(input.starts_with("<."), "{input}");
        assert!(input.chars().count() < 12, "not shrunk: {input:?}");
        assert_eq!(
            case["expect"]["reject"]["code"], "immi.msg_id.bad_dot",
            "{yaml}"
        );
        assert!(
            case["description"]
                .as_str()
                .unwrap()
                .contains("the reference may be the one that is wrong")
        );
        assert_eq!(v["op"], "immi.msg_id.parse");
    }
    // Shrinking makes the letters `a`: one candidate, seen many times.
    assert!(files.len() <= 3, "{files:?}");
    assert!(
        stdout.contains("CANDIDATE, not a vector: a disagreement between broken lenient-dot"),
        "{stdout}"
    );
    assert!(stdout.contains("--seed 7 --cases 300"), "{stdout}");
}

#[test]
fn the_same_seed_gives_the_same_candidates() {
    let run = |jobs: &str| {
        let dir = tempfile::tempdir().unwrap();
        let out = fuzz(&[
            "--impl",
            &broken("lenient-dot"),
            "--op",
            "immi.msg_id.parse",
            "--cases",
            "200",
            "--seed",
            "11",
            "--jobs",
            jobs,
            "--out",
            &dir.path().display().to_string(),
        ]);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
        candidates(dir.path())
    };
    let first = run("1");
    assert!(!first.is_empty());
    assert_eq!(first, run("1"));
    // Jobs share the cases out differently; the inputs are the case's own.
    assert_eq!(first, run("2"));
}

#[test]
fn crashes_and_hangs_are_findings_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let start = Instant::now();
    let out = fuzz(&[
        "--impl",
        &broken("fuzz-faults"),
        "--op",
        "immi.msg_id.parse",
        "--cases",
        "150",
        "--timeout",
        "0.3",
        "--shrink-steps",
        "20",
        "--out",
        &dir.path().display().to_string(),
    ]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    assert!(
        start.elapsed() < Duration::from_secs(60),
        "{:?}",
        start.elapsed()
    );
    assert!(stdout.contains("150 cases"), "{stdout}");
    assert!(stdout.contains("CRASH immi.msg_id.parse"), "{stdout}");
    assert!(stdout.contains("TIMEOUT immi.msg_id.parse"), "{stdout}");
    let files = candidates(dir.path());
    assert!(
        files.iter().any(|(n, _)| n.contains("-crash-")),
        "{files:?}"
    );
    assert!(
        files.iter().any(|(n, _)| n.contains("-timeout-")),
        "{files:?}"
    );
}

#[test]
fn usage_and_startup_errors_exit_2() {
    let out = fuzz(&["--impl", &reference_adapter(), "--op", "immi.nothing"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("matches no op"),
        "{}",
        text(&out.stderr)
    );
    let out = fuzz(&["--impl", "/nonexistent/adapter"]);
    assert_eq!(out.status.code(), Some(2));
    let out = fuzz(&[
        "--impl",
        &reference_adapter(),
        "--op",
        "discovery.identifier.resolve",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("not fuzzed: discovery.identifier.resolve"),
        "{}",
        text(&out.stderr)
    );
    let out = fuzz(&[
        "--impl",
        &reference_adapter(),
        "--cases",
        "5",
        "--seconds",
        "1",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

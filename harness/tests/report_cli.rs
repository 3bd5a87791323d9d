//! The `--json` report as a typed, versioned format (its committed schema,
//! REPORT.md), and the commands that read it: `mimispec compare` and
//! `mimispec expect`, run as the binary against real and crafted reports.

mod common;
use common::{broken_adapter, mimispec, text};
use std::path::{Path, PathBuf};
use std::process::Output;

use mimispec::report::json::Report;
use serde_json::{Value, json};

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_committed_report_schema_is_the_generated_one() {
    let path = manifest_dir().join("report.schema.json");
    let want = mimispec::report::json::schema_text();
    if std::env::var_os("MIMISPEC_BLESS").is_some() {
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "harness/report.schema.json does not match the report types; if the change is meant \
         (REPORT.md says when the format version changes), regenerate it with: \
         MIMISPEC_BLESS=1 cargo test -p mimispec --test report_cli the_committed_report_schema"
    );
}

fn wrong_vectors() -> PathBuf {
    manifest_dir().join("tests/fixtures/wrong")
}

/// `mimispec run` of the fixed `wrong` corpus against the wrong adapter,
/// with the extra flags; the exit status and the report it wrote.
fn wrong_run(dir: &Path, name: &str, extra: &[&str]) -> (Option<i32>, PathBuf, Output) {
    let imp = format!("{} wrong", broken_adapter().display());
    let json = dir.join(name);
    let vectors = wrong_vectors();
    let mut args = vec![
        "run",
        "--impl",
        &imp,
        "--one-shot",
        "--vectors",
        vectors.to_str().unwrap(),
        "--json",
        json.to_str().unwrap(),
    ];
    args.extend(extra);
    let out = mimispec(&args);
    (out.status.code(), json, out)
}

/// The report of a plain wrong run, as JSON, made once.
fn base_report() -> Value {
    static BASE: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    BASE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let (code, json, out) = wrong_run(dir.path(), "base.json", &[]);
        assert_eq!(code, Some(1), "{}", text(&out.stderr));
        serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap()
    })
    .clone()
}

/// The record of the case whose id ends with `#name`.
fn case<'a>(report: &'a mut Value, name: &str) -> &'a mut Value {
    report["cases"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|c| c["id"].as_str().unwrap().ends_with(&format!("#{name}")))
        .unwrap_or_else(|| panic!("no case #{name}"))
}

fn write(dir: &Path, name: &str, v: &Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(v).unwrap()).unwrap();
    path
}

fn compare(old: &Path, new: &Path) -> (Option<i32>, String, String) {
    let out = mimispec(&["compare", old.to_str().unwrap(), new.to_str().unwrap()]);
    (out.status.code(), text(&out.stdout), text(&out.stderr))
}

#[test]
fn a_real_report_reads_back_as_written_and_meets_its_schema() {
    let written = base_report();
    let report = Report::read(serde_json::to_string(&written).unwrap().as_bytes()).unwrap();
    assert_eq!(report.cases.len(), 7);
    assert_eq!(report.implementation.name, "broken");
    assert_eq!(
        serde_json::to_value(&report).unwrap(),
        written,
        "reading and writing again changes nothing"
    );
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(manifest_dir().join("report.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&written)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let mut bad = written.clone();
    case(&mut bad, "plain")["verdict"] = json!("maybe");
    assert!(
        !validator.is_valid(&bad),
        "the schema names the verdicts, so an unknown one is invalid"
    );
}

#[test]
fn compare_exits_1_on_a_new_failure_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let old = base_report();
    let mut new = old.clone();
    let plain = case(&mut new, "plain");
    plain["verdict"] = json!("fail");
    plain["detail"] = json!("accepted, but\nthe input must be rejected\u{1b}[31m");
    let (old, new) = (
        write(dir.path(), "old.json", &old),
        write(dir.path(), "new.json", &new),
    );
    let (code, out, err) = compare(&old, &new);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(
        out.contains(
            "new failures (failing the run now, not before): 1\n  immi-content/msg-id/wrong#plain: pass -> fail\n      accepted, but\\nthe input must be rejected\\u{1b}[31m\n"
        ),
        "the detail is on one line, escaped:\n{out}"
    );
    assert!(
        out.ends_with(
            "result: 1 new failure, 0 fixed, 0 other changes, 0 added, 0 removed: a regression.\n"
        ),
        "{out}"
    );
    assert_eq!(err, "", "same implementation, same options: no warning");
}

#[test]
fn compare_exits_0_on_a_fix_and_lists_other_changes() {
    let dir = tempfile::tempdir().unwrap();
    let old = base_report();
    let mut new = old.clone();
    case(&mut new, "right-keeps-case")["verdict"] = json!("pass");
    // Failing before and still failing, differently: not a new failure.
    case(&mut new, "double-space")["verdict"] = json!("crash");
    // No longer sent: a change, never silent.
    case(&mut new, "missing-at")["verdict"] = json!("unsupported");
    let (old, new) = (
        write(dir.path(), "old.json", &old),
        write(dir.path(), "new.json", &new),
    );
    let (code, out, _) = compare(&old, &new);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("fixed (failing before, passing now): 1\n  immi-content/msg-id/wrong#right-keeps-case: fail -> pass\n"),
        "{out}"
    );
    assert!(
        out.contains(
            "other verdict changes: 2\n  immi-content/msg-id/wrong#double-space: fail -> crash\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("  immi-content/msg-id/wrong#missing-at: pass -> unsupported\n"),
        "{out}"
    );
    assert!(
        out.ends_with(
            "result: 0 new failures, 1 fixed, 2 other changes, 0 added, 0 removed: no regression.\n"
        ),
        "{out}"
    );
}

#[test]
fn compare_names_added_and_removed_cases_and_a_changed_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let old = base_report();
    let mut new = old.clone();
    new["suite"]["corpus_digest"] = json!("sha256:0000000000000000");
    let cases = new["cases"].as_array_mut().unwrap();
    cases.retain(|c| !c["id"].as_str().unwrap().ends_with("#plain"));
    let mut added = cases[0].clone();
    added["id"] = json!("immi-content/msg-id/wrong#brand-new");
    added["verdict"] = json!("fail");
    cases.push(added);
    new["implementation"]["name"] = json!("other\u{7}impl");
    let (old, new) = (
        write(dir.path(), "old.json", &old),
        write(dir.path(), "new.json", &new),
    );
    let (code, out, err) = compare(&old, &new);
    assert_eq!(
        code,
        Some(0),
        "an added failing case is not a new failure: {out}"
    );
    assert!(out.contains("the corpora differ (sha256:"), "{out}");
    assert!(
        out.contains("added (in NEW only): 1\n  immi-content/msg-id/wrong#brand-new: fail\n"),
        "{out}"
    );
    assert!(
        out.contains("removed (in OLD only): 1\n  immi-content/msg-id/wrong#plain: pass\n"),
        "{out}"
    );
    assert!(
        out.contains("1 added (1 failing the run), 1 removed: no regression."),
        "{out}"
    );
    assert_eq!(
        err,
        "mimispec: warning: OLD is a report of \"broken\" and NEW of \"other\\u{7}impl\": compared anyway\n"
    );
}

#[test]
fn compare_refuses_what_is_not_a_report_of_this_format() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.json", &base_report());
    let mut v2 = base_report();
    v2["format"] = json!("mimispec-report/99");
    let mut other = base_report();
    other["format"] = json!("junit");
    let mut verdict = base_report();
    case(&mut verdict, "build")["verdict"] = json!("maybe\nnot");
    let mut missing = base_report();
    missing["cases"][0]
        .as_object_mut()
        .unwrap()
        .remove("verdict");
    let mut twice = base_report();
    let first = twice["cases"][0].clone();
    twice["cases"].as_array_mut().unwrap().push(first);
    let no_format = json!({"cases": []});
    std::fs::write(dir.path().join("garbage.json"), "{\"format\": ").unwrap();
    let rows: Vec<(PathBuf, String)> = vec![
        (
            write(dir.path(), "v2.json", &v2),
            format!(
                "a \"mimispec-report/99\" report, and this mimispec ({}) reads mimispec-report/2 only: use the mimispec that wrote it",
                env!("CARGO_PKG_VERSION")
            ),
        ),
        (
            write(dir.path(), "other.json", &other),
            "not a mimispec report: its format is \"junit\", not \"mimispec-report/2\"".into(),
        ),
        (
            write(dir.path(), "verdict.json", &verdict),
            "not a mimispec-report/2 report: at cases[6].verdict: unknown verdict \"maybe\\nnot\", expected one of pass, fail, non-strict, informational, unsupported, expected-fail, unexpected-pass, timeout, crash, protocol-error at line ".into(),
        ),
        (
            write(dir.path(), "missing.json", &missing),
            "not a mimispec-report/2 report: at cases[0]: missing field `verdict`".into(),
        ),
        (
            write(dir.path(), "twice.json", &twice),
            "case \"immi-content/msg-id/wrong#plain\" appears twice".into(),
        ),
        (
            write(dir.path(), "no-format.json", &no_format),
            "not a mimispec report: it has no \"format\" member (\"mimispec-report/2\")".into(),
        ),
        (
            write(dir.path(), "array.json", &json!([1])),
            "not a mimispec report: not a JSON object".into(),
        ),
        (
            dir.path().join("garbage.json"),
            "not JSON (EOF while parsing a value at line 1 column 11)".into(),
        ),
    ];
    for (bad, want) in rows {
        for (old, new) in [(&good, &bad), (&bad, &good)] {
            let (code, out, err) = compare(old, new);
            assert_eq!(code, Some(2), "{}: {out}{err}", bad.display());
            // One line; serde_json may add where in the file.
            let head = format!("mimispec: error: {}: {want}", bad.display());
            assert!(
                err.starts_with(&head) && err.ends_with('\n') && err.lines().count() == 1,
                "{err}\nwanted: {head}"
            );
            assert_eq!(out, "", "nothing is compared");
        }
    }
    let (code, _, err) = compare(&good, &dir.path().join("absent.json"));
    assert_eq!(code, Some(2));
    assert!(
        err.starts_with("mimispec: error: ")
            && err.ends_with("absent.json: No such file or directory (os error 2)\n"),
        "{err}"
    );
}

fn expect(args: &[&str]) -> (Option<i32>, String, String) {
    let out = mimispec(&[&["expect"], args].concat());
    (out.status.code(), text(&out.stdout), text(&out.stderr))
}

fn verdict_of(report: &Path, name: &str) -> String {
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(report).unwrap()).unwrap();
    case(&mut v, name)["verdict"].as_str().unwrap().to_owned()
}

#[test]
fn an_expect_file_is_refused_until_its_reasons_are_written_then_turns_failures_into_expected() {
    let dir = tempfile::tempdir().unwrap();
    let (code, report, _) = wrong_run(dir.path(), "before.json", &[]);
    assert_eq!(code, Some(1));
    let file = dir.path().join("expect.yaml");
    let (code, out, err) = expect(&[report.to_str().unwrap(), "-o", file.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out, "", "written to the file, not stdout");
    assert_eq!(
        err,
        format!(
            "mimispec: wrote {}: 2 reasons to write (TODO)\n",
            file.display()
        )
    );
    let written = std::fs::read_to_string(&file).unwrap();
    // The failing MUST cases, in report order; the SHOULD case does not
    // fail a run without --strict, and passes, informational and
    // unsupported cases never get an entry.
    assert!(
        written.ends_with(
            "expected-failures:\n  \"immi-content/msg-id/wrong#right-keeps-case\": \"TODO: why it fails (fail: result-differs)\"\n  \"immi-content/msg-id/wrong#double-space\": \"TODO: why it fails (fail: accepted, but the input must be rejected)\"\n"
        ),
        "{written}"
    );

    let (code, _, out) = wrong_run(
        dir.path(),
        "refused.json",
        &["--expect", file.to_str().unwrap()],
    );
    assert_eq!(code, Some(2));
    assert_eq!(
        text(&out.stderr),
        format!(
            "mimispec: error: {}: entry \"immi-content/msg-id/wrong#double-space\": write the reason (it still says TODO; so does 1 more entry)\n",
            file.display()
        )
    );
    assert!(!dir.path().join("refused.json").exists(), "nothing ran");

    // A person writes one reason: the other is still refused.
    let one = written.replacen(
        "\"TODO: why it fails (fail: result-differs)\"",
        "\"we fold id-right to lower case; upstream issue 7\"",
        1,
    );
    std::fs::write(&file, &one).unwrap();
    let (code, _, out) = wrong_run(
        dir.path(),
        "refused.json",
        &["--expect", file.to_str().unwrap()],
    );
    assert_eq!(code, Some(2));
    assert!(
        text(&out.stderr).ends_with("entry \"immi-content/msg-id/wrong#double-space\": write the reason (it still says TODO)\n"),
        "{}",
        text(&out.stderr)
    );

    let both = one.replacen(
        "\"TODO: why it fails (fail: accepted, but the input must be rejected)\"",
        "\"we trim trailing whitespace\"",
        1,
    );
    std::fs::write(&file, &both).unwrap();
    let (code, after, out) = wrong_run(
        dir.path(),
        "after.json",
        &["--expect", file.to_str().unwrap()],
    );
    assert_eq!(code, Some(0), "{}", text(&out.stdout));
    assert_eq!(verdict_of(&after, "right-keeps-case"), "expected-fail");
    assert_eq!(verdict_of(&after, "double-space"), "expected-fail");

    // The report of that run gives the same file back, reasons and all.
    let (code, again, err) = expect(&[after.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        again.ends_with(
            "expected-failures:\n  \"immi-content/msg-id/wrong#right-keeps-case\": \"we fold id-right to lower case; upstream issue 7\"\n  \"immi-content/msg-id/wrong#double-space\": \"we trim trailing whitespace\"\n"
        ),
        "{again}"
    );
    assert!(
        err.ends_with("0 reasons to write (TODO); 2 entries with the reason the report recorded\n"),
        "{err}"
    );

    // And compare sees the change as no regression.
    let (code, out, _) = compare(&report, &after);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("wrong#double-space: fail -> expected-fail"),
        "{out}"
    );
}

#[test]
fn expect_lists_what_fails_the_run_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = base_report();
    case(&mut r, "plain")["verdict"] = json!("timeout");
    case(&mut r, "missing-at")["verdict"] = json!("protocol-error");
    case(&mut r, "double-space")["verdict"] = json!("unexpected-pass");
    case(&mut r, "right-keeps-case")["verdict"] = json!("crash");
    let path = write(dir.path(), "r.json", &r);
    let (code, out, err) = expect(&[path.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    let ids: Vec<&str> = out
        .lines()
        .filter_map(|l| l.strip_prefix("  \"immi-content/msg-id/wrong#"))
        .map(|l| l.split('"').next().unwrap())
        .collect();
    assert_eq!(ids, ["plain", "right-keeps-case", "missing-at"], "{out}");
    assert!(out.contains("\"TODO: why it fails (timeout"), "{out}");
    assert!(
        err.contains("1 case passed though listed as expected failures: remove their entries\n  immi-content/msg-id/wrong#double-space\n"),
        "{err}"
    );

    // Under --strict a SHOULD failure fails the run, so it is listed.
    let mut strict = base_report();
    strict["options"]["strict"] = json!(true);
    let path = write(dir.path(), "strict.json", &strict);
    let (_, out, _) = expect(&[path.to_str().unwrap()]);
    assert!(
        out.contains("wrong#should-level\": \"TODO: why it fails (non-strict"),
        "{out}"
    );
    let path = write(dir.path(), "lax.json", &base_report());
    let (_, out, _) = expect(&[path.to_str().unwrap()]);
    assert!(!out.contains("should-level"), "{out}");

    // Nothing failing: an empty list, said so.
    let mut clean = base_report();
    for c in clean["cases"].as_array_mut().unwrap() {
        c["verdict"] = json!("pass");
    }
    let path = write(dir.path(), "clean.json", &clean);
    let (code, out, err) = expect(&[path.to_str().unwrap()]);
    assert_eq!(code, Some(0));
    assert!(out.ends_with("expected-failures: {}\n"), "{out}");
    assert!(err.ends_with(": 0 reasons to write (TODO)\n"), "{err}");

    // A report of another format is refused as compare refuses it.
    let mut v2 = base_report();
    v2["format"] = json!("mimispec-report/99");
    let path = write(dir.path(), "v2.json", &v2);
    let (code, out, err) = expect(&[path.to_str().unwrap()]);
    assert_eq!((code, out.as_str()), (Some(2), ""));
    assert!(err.contains("a \"mimispec-report/99\" report"), "{err}");
}

#[test]
fn expect_merge_keeps_the_entries_and_error_map_it_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let mine = dir.path().join("mine.yaml");
    std::fs::write(
        &mine,
        "# my comments\nexpected-failures:\n  \"immi-content/msg-id/wrong#double-*\":\n    reason: we trim\n    issue: https://example.invalid/9\nerror-map:\n  E_MISSING_AT: immi.msg_id.missing_at\n  \"immi.msg_id.*\":\n    E_TRAIL: immi.msg_id.trailing_data\n",
    )
    .unwrap();
    let report = write(dir.path(), "r.json", &base_report());
    let (code, _, err) = expect(&[
        report.to_str().unwrap(),
        "--merge",
        mine.to_str().unwrap(),
        "-o",
        mine.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.ends_with(&format!(
            "1 reason to write (TODO); 1 entry kept from {} (covering 1 failing case)\n",
            mine.display()
        )),
        "{err}"
    );
    let merged = std::fs::read_to_string(&mine).unwrap();
    assert!(
        merged.ends_with(
            "expected-failures:\n  \"immi-content/msg-id/wrong#double-*\":\n    reason: \"we trim\"\n    issue: \"https://example.invalid/9\"\n  \"immi-content/msg-id/wrong#right-keeps-case\": \"TODO: why it fails (fail: result-differs)\"\nerror-map:\n  \"E_MISSING_AT\": \"immi.msg_id.missing_at\"\n  \"immi.msg_id.*\":\n    \"E_TRAIL\": \"immi.msg_id.trailing_data\"\n"
        ),
        "{merged}"
    );
    // The merged file is what the loader reads, once the reason is written.
    let done = merged.replace(
        "\"TODO: why it fails (fail: result-differs)\"",
        "\"we fold case\"",
    );
    let corpus = mimispec::corpus::Corpus::from_dir(&wrong_vectors()).unwrap();
    let e = mimispec::expectations::Expectations::load("mine.yaml", done.as_bytes(), &corpus.cases)
        .unwrap();
    assert_eq!(e.failures.len(), 2);
    assert_eq!(
        e.map_code("immi.msg_id.parse", "E_TRAIL"),
        "immi.msg_id.trailing_data"
    );
    assert_eq!(
        e.map_code("immi.datetime.parse", "E_MISSING_AT"),
        "immi.msg_id.missing_at"
    );

    std::fs::write(&mine, "expected-failures: [\n").unwrap();
    let (code, _, err) = expect(&[report.to_str().unwrap(), "--merge", mine.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(
        err.starts_with(&format!("mimispec: error: {}:", mine.display())),
        "{err}"
    );
}

#[test]
fn written_yaml_keeps_every_string_as_it_was() {
    use mimispec::expectations::{Document, Entry, MapDoc};
    let nasty = [
        "plain",
        "quote \" and backslash \\ and colon: hash # dash - star *",
        "line\nbreak\r\nand\ttab",
        "nel\u{85} ls\u{2028} ps\u{2029} bom\u{feff} del\u{7f} c1\u{9b} nul\u{0}",
        "astral 😀 and private \u{e000} and \u{fffe}",
        "'single' {flow} [seq] &anchor *alias !tag %dir @at `tick` |pipe >fold",
        "",
        "  leading and trailing spaces  ",
    ];
    let doc = Document {
        failures: nasty
            .iter()
            .enumerate()
            .map(|(i, s)| Entry {
                glob: format!("{i}{s}"),
                reason: s.to_string(),
                issue: (i % 2 == 0).then(|| s.to_string()),
            })
            .collect(),
        error_map: vec![
            ("E_\"X\"\n".into(), MapDoc::Code("a\u{2028}b".into())),
            (
                "immi.*".into(),
                MapDoc::Scoped([("K\u{85}".to_owned(), "v\\".to_owned())].into()),
            ),
        ],
    };
    let text = doc.to_yaml(&["header\nwith a break", "second"]);
    assert!(
        text.starts_with("# header with a break\n# second\n"),
        "{text}"
    );
    let back = Document::parse("t.yaml", text.as_bytes()).unwrap();
    let mut want = doc.clone();
    // The reader keeps entries in key order.
    want.failures.sort_by(|a, b| a.glob.cmp(&b.glob));
    assert_eq!(back, want, "{text}");
}

#[test]
fn an_exact_glob_matches_its_id_alone() {
    use mimispec::cli::expect::exact_glob;
    for id in [
        "a/b#c",
        "a/b#c*",
        "a/[b]#{c,d}?",
        "a\\b#c",
        "a/b#]x[",
        "a/b#!neg",
    ] {
        let g = globset::Glob::new(&exact_glob(id))
            .unwrap()
            .compile_matcher();
        assert!(g.is_match(id), "{id} -> {}", exact_glob(id));
        for other in ["a/b#cx", "a/b#c", "a/[b]#c?", "a/b#]y[", "ab#c"] {
            assert_eq!(g.is_match(other), other == id, "{id} vs {other}");
        }
    }
}

/// One of every finding; the match makes a new kind a compile error here,
/// so REPORT.md cannot miss it.
fn every_finding() -> Vec<mimispec::verdict::Finding> {
    use mimispec::verdict::Finding::{self, *};
    let s = || "x".to_owned();
    let all = vec![
        ResultDiffers,
        RejectedValid { code: s() },
        AcceptedInvalid,
        ResultNotCompared,
        NotCompared {
            members: vec!["fraction"],
            feature: "datetime-fraction",
        },
        OtherCode {
            code: s(),
            mapped: Some(s()),
            want: s(),
        },
        Property {
            property: "crlf",
            message: s(),
        },
        ResultShape { message: s() },
        Queries { message: s() },
        Unsupported { why: s() },
        OpNotDeclared { op: s() },
        FeatureNotDeclared { feature: s() },
        Timeout {
            after: std::time::Duration::from_millis(5),
        },
        Crash { how: s() },
        ProtocolError { what: s() },
        HarnessFault { what: s() },
        ExpectedFailure {
            reason: s(),
            issue: Some(s()),
        },
        StaleExpectation { reason: s() },
    ];
    for f in &all {
        match f {
            Finding::ResultDiffers
            | Finding::RejectedValid { .. }
            | Finding::AcceptedInvalid
            | Finding::ResultNotCompared
            | Finding::NotCompared { .. }
            | Finding::OtherCode { .. }
            | Finding::Property { .. }
            | Finding::ResultShape { .. }
            | Finding::Queries { .. }
            | Finding::Unsupported { .. }
            | Finding::OpNotDeclared { .. }
            | Finding::FeatureNotDeclared { .. }
            | Finding::Timeout { .. }
            | Finding::Crash { .. }
            | Finding::ProtocolError { .. }
            | Finding::HarnessFault { .. }
            | Finding::ExpectedFailure { .. }
            | Finding::StaleExpectation { .. } => {}
        }
    }
    all
}

#[test]
fn report_md_documents_every_member_kind_and_verdict() {
    let doc = std::fs::read_to_string(manifest_dir().join("REPORT.md")).unwrap();
    assert!(doc.starts_with(&format!(
        "# The mimispec report, format `{}`",
        mimispec::report::json::FORMAT
    )));
    // Every member of every object of the schema.
    let schema: Value = serde_json::from_str(&mimispec::report::json::schema_text()).unwrap();
    fn members(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::Object(props)) = m.get("properties") {
                    out.extend(props.keys().cloned());
                }
                m.values().for_each(|v| members(v, out));
            }
            Value::Array(a) => a.iter().for_each(|v| members(v, out)),
            _ => {}
        }
    }
    let mut names = Vec::new();
    members(&schema, &mut names);
    assert!(names.len() > 40, "{names:?}");
    let missing: Vec<&String> = names
        .iter()
        // Verdict names are the keys of the summary's maps, listed below.
        .filter(|n| {
            !mimispec::verdict::Verdict::ALL
                .iter()
                .any(|v| v.as_str() == n.as_str())
        })
        .filter(|n| !doc.contains(&format!("| `{n}` |")))
        .collect();
    assert!(missing.is_empty(), "REPORT.md does not name: {missing:?}");
    for v in mimispec::verdict::Verdict::ALL {
        assert!(doc.contains(&format!("`{}`", v.as_str())), "verdict {v:?}");
    }
    // Every finding kind has a row naming each of its members.
    for f in every_finding() {
        let record = mimispec::report::json::FindingRecord::from(&f);
        let head = format!("| `{}` |", record.kind);
        let row = doc
            .lines()
            .find(|l| l.starts_with(&head))
            .unwrap_or_else(|| panic!("REPORT.md has no row for finding kind {}", record.kind));
        for m in record.members.keys() {
            assert!(row.contains(&format!("`{m}`")), "{row} does not name {m}");
        }
    }
}

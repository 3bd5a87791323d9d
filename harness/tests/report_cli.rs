//! The `--json` report as a typed, versioned format (its committed schema,
//! REPORT.md), and the commands that read it: `mimispec compare` and
//! `mimispec expect`, run as the binary against real and crafted reports.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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

/// The broken adapter, built once per test run (as in runner.rs).
fn broken_adapter() -> PathBuf {
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| {
            let status = Command::new(env!("CARGO"))
                .args(["build", "-q", "-p", "mimispec", "--example", "broken-adapter"])
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .status()
                .expect("cargo runs");
            assert!(status.success(), "building the broken adapter failed");
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

fn mimispec(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mimispec"))
        .args(args)
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
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
    let (old, new) = (write(dir.path(), "old.json", &old), write(dir.path(), "new.json", &new));
    let (code, out, err) = compare(&old, &new);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(
        out.contains(
            "new failures (failing the run now, not before): 1\n  immi-content/msg-id/wrong#plain: pass -> fail\n      accepted, but\\nthe input must be rejected\\u{1b}[31m\n"
        ),
        "the detail is on one line, escaped:\n{out}"
    );
    assert!(
        out.ends_with("result: 1 new failure, 0 fixed, 0 other changes, 0 added, 0 removed: a regression.\n"),
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
    let (old, new) = (write(dir.path(), "old.json", &old), write(dir.path(), "new.json", &new));
    let (code, out, _) = compare(&old, &new);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("fixed (failing before, passing now): 1\n  immi-content/msg-id/wrong#right-keeps-case: fail -> pass\n"),
        "{out}"
    );
    assert!(
        out.contains("other verdict changes: 2\n  immi-content/msg-id/wrong#double-space: fail -> crash\n"),
        "{out}"
    );
    assert!(out.contains("  immi-content/msg-id/wrong#missing-at: pass -> unsupported\n"), "{out}");
    assert!(out.ends_with("result: 0 new failures, 1 fixed, 2 other changes, 0 added, 0 removed: no regression.\n"), "{out}");
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
    let (old, new) = (write(dir.path(), "old.json", &old), write(dir.path(), "new.json", &new));
    let (code, out, err) = compare(&old, &new);
    assert_eq!(code, Some(0), "an added failing case is not a new failure: {out}");
    assert!(out.contains("the corpora differ (sha256:"), "{out}");
    assert!(out.contains("added (in NEW only): 1\n  immi-content/msg-id/wrong#brand-new: fail\n"), "{out}");
    assert!(out.contains("removed (in OLD only): 1\n  immi-content/msg-id/wrong#plain: pass\n"), "{out}");
    assert!(out.contains("1 added (1 failing the run), 1 removed: no regression."), "{out}");
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
    v2["format"] = json!("mimispec-report/2");
    let mut other = base_report();
    other["format"] = json!("junit");
    let mut verdict = base_report();
    case(&mut verdict, "build")["verdict"] = json!("maybe\nnot");
    let mut missing = base_report();
    missing["cases"][0].as_object_mut().unwrap().remove("verdict");
    let mut twice = base_report();
    let first = twice["cases"][0].clone();
    twice["cases"].as_array_mut().unwrap().push(first);
    let no_format = json!({"cases": []});
    std::fs::write(dir.path().join("garbage.json"), "{\"format\": ").unwrap();
    let rows: Vec<(PathBuf, String)> = vec![
        (
            write(dir.path(), "v2.json", &v2),
            format!(
                "a \"mimispec-report/2\" report, and this mimispec ({}) reads mimispec-report/1 only: use the mimispec that wrote it",
                env!("CARGO_PKG_VERSION")
            ),
        ),
        (
            write(dir.path(), "other.json", &other),
            "not a mimispec report: its format is \"junit\", not \"mimispec-report/1\"".into(),
        ),
        (
            write(dir.path(), "verdict.json", &verdict),
            "not a mimispec-report/1 report: at cases[6].verdict: unknown verdict \"maybe\\nnot\", expected one of pass, fail, non-strict, informational, unsupported, expected-fail, unexpected-pass, timeout, crash, protocol-error at line ".into(),
        ),
        (
            write(dir.path(), "missing.json", &missing),
            "not a mimispec-report/1 report: at cases[0]: missing field `verdict`".into(),
        ),
        (
            write(dir.path(), "twice.json", &twice),
            "case \"immi-content/msg-id/wrong#plain\" appears twice".into(),
        ),
        (
            write(dir.path(), "no-format.json", &no_format),
            "not a mimispec report: it has no \"format\" member (\"mimispec-report/1\")".into(),
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
    assert!(err.starts_with("mimispec: error: ") && err.ends_with("absent.json: No such file or directory (os error 2)\n"), "{err}");
}

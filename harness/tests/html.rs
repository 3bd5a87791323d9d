//! The `--html` page: its structure (failures first with an index that
//! resolves, undeclared ops one line each, the tree with counts), what it
//! does with hostile implementation text, its links, its bounds, and the
//! page in a real browser when Chromium is on PATH.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

use indicatif::ProgressBar;
use mimispec::corpus::{Case, Corpus};
use mimispec::dns::Query;
use mimispec::expectations::Expectations;
use mimispec::protocol::{ImplInfo, Reply};
use mimispec::report::{Context, Page, check_source_url, to_html};
use mimispec::run::{Record, RunOptions, RunResult, execute};
use mimispec::subject::{Outcome, SubjectSpec};
use mimispec::verdict::{Judge, Verdict};
use serde_json::json;

mod common;

fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(|| Corpus::embedded().unwrap())
}

/// The three ops of the issue's small adapter.
const OPS: [&str; 3] = [
    "immi.msg_id.parse",
    "immi.datetime.parse",
    "discovery.identifier.resolve",
];

const HOSTILE_NAME: &str = "<script>alert('name')</script>";
const HOSTILE_VERSION: &str = "1.0\u{1b}[2J\u{202e}";

fn info() -> ImplInfo {
    ImplInfo {
        name: HOSTILE_NAME.into(),
        version: HOSTILE_VERSION.into(),
        ops: OPS.map(String::from).to_vec(),
        features: Vec::new(),
    }
}

/// The reference's records for the three ops (resolve cases with their
/// real DNS queries), made once; every other case is not declared.
fn reference_records() -> &'static [Record] {
    static RECORDS: OnceLock<Vec<Record>> = OnceLock::new();
    RECORDS.get_or_init(|| {
        let declared: Vec<Case> = corpus()
            .cases
            .iter()
            .filter(|c| OPS.contains(&c.op.as_str()))
            .cloned()
            .collect();
        let spec = SubjectSpec::Reference {
            features: mimispec::reference_features(),
        };
        let opts = RunOptions {
            jobs: 2,
            ..RunOptions::default()
        };
        let run = execute(&declared, &spec, &opts, &ProgressBar::hidden()).unwrap();
        let mut by_id: BTreeMap<String, Record> = run
            .records
            .into_iter()
            .map(|r| (r.case.id.clone(), r))
            .collect();
        let judge = Judge::default();
        corpus()
            .cases
            .iter()
            .map(|c| {
                by_id.remove(&c.id).unwrap_or_else(|| Record {
                    case: c.clone(),
                    judgement: judge.not_declared(c, &info()).expect("undeclared"),
                    actual: None,
                    stderr: String::new(),
                    duration: Duration::ZERO,
                    queries: None,
                })
            })
            .collect()
    })
}

fn case(id: &str) -> &'static Case {
    corpus()
        .cases
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no case {id}"))
}

/// A record of `id` judged on `outcome`, with `stderr`.
fn judged(judge: &Judge, id: &str, outcome: Outcome, stderr: &str) -> Record {
    let c = case(id);
    let actual = match &outcome {
        Outcome::Reply(r) => Some(r.to_json()),
        _ => None,
    };
    Record {
        case: c.clone(),
        judgement: judge.judge(c, &outcome),
        actual,
        stderr: stderr.into(),
        duration: Duration::ZERO,
        queries: None,
    }
}

const WRONG_RESULT: &str = "immi-content/msg-id/dot-rules#dot-in-id-left";
const CRASHED: &str = "immi-content/msg-id/dot-rules#dots-both-sides";
const ACCEPTED: &str = "immi-content/msg-id/dot-rules#leading-dot-id-left";
const LISTED: &str = "immi-content/msg-id/dot-rules#trailing-dot-id-left";
const STALE: &str = "immi-content/msg-id/dot-rules#doubled-dot-id-left";
const REFUSED: &str = "immi-content/datetime/syntax#one-digit-month";
const AMBIGUOUS: &str = "immi-content/datetime/case#lowercase-t";

const EXPECT: &str = r#"
expected-failures:
  "immi-content/msg-id/dot-rules#trailing-dot-id-left":
    reason: "we accept <trailing> dots"
    issue: "https://tracker.example/issues/7?a=1&b=2"
  "immi-content/msg-id/dot-rules#doubled-dot-id-left":
    reason: known
    issue: "javascript:alert('issue')"
"#;

/// The three-op run with hostile failures spliced in: a wrong result whose
/// strings are markup, a crash, an accepted invalid input, an expected
/// failure with an issue link, a stale expectation whose issue is not a
/// URL, an `unsupported` answer, and a huge stderr.
fn hostile_run(huge_stderr: bool) -> (RunResult, Context) {
    let expectations = Expectations::load("e.yaml", EXPECT.as_bytes(), &corpus().cases).unwrap();
    let judge = Judge {
        expectations: expectations.clone(),
        ..Judge::default()
    };
    let stderr = if huge_stderr {
        "<iframe src=x>\n".repeat(100_000)
    } else {
        "<iframe src=javascript:alert(3)>\n\u{1b}[31mred\u{202e}\n".to_owned()
    };
    let spliced = [
        judged(
            &judge,
            WRONG_RESULT,
            Outcome::Reply(Reply::Result(json!({
                "id_left": "</pre><script>alert(1)</script>",
                "id_right": "<img src=x onerror=alert(2)>",
            }))),
            &stderr,
        ),
        judged(
            &judge,
            CRASHED,
            Outcome::Crash("exited with <b>boom</b>".into()),
            "",
        ),
        judged(
            &judge,
            ACCEPTED,
            Outcome::Reply(Reply::Result(json!({"id_left": "a", "id_right": "b"}))),
            "",
        ),
        judged(
            &judge,
            LISTED,
            Outcome::Reply(Reply::Result(json!({"id_left": "a", "id_right": "b"}))),
            "",
        ),
        judged(
            &judge,
            STALE,
            Outcome::Reply(Reply::Error {
                code: "immi.msg_id.bad_dot".into(),
                message: String::new(),
            }),
            "",
        ),
        judged(
            &judge,
            REFUSED,
            Outcome::Reply(Reply::Unsupported("not yet <svg onload=alert(4)>".into())),
            "",
        ),
    ];
    let mut records = reference_records().to_vec();
    for s in spliced {
        let i = records.iter().position(|r| r.case.id == s.case.id).unwrap();
        records[i] = s;
    }
    let run = RunResult {
        info: info(),
        records,
        elapsed: Duration::ZERO,
    };
    (run, context(expectations))
}

fn context(expectations: Expectations) -> Context {
    let c = corpus();
    Context {
        rerun_base: ["mimispec", "run", "--impl", "./my adapter"]
            .map(String::from)
            .to_vec(),
        rerun_flag: Some("--filter".into()),
        subject: "./my adapter".into(),
        mode: "persistent",
        corpus_digest: c.digest.clone(),
        strict: false,
        requirements: mimispec::corpus::requirements::load(c)
            .unwrap()
            .into_values()
            .flatten()
            .collect(),
        page: Page {
            files: c.files.clone(),
            register: mimispec::corpus::register::load(c).unwrap(),
            expectations,
            source_url: None,
        },
    }
}

fn page() -> &'static str {
    static PAGE: OnceLock<String> = OnceLock::new();
    PAGE.get_or_init(|| {
        let (run, ctx) = hostile_run(false);
        to_html(&run, &ctx)
    })
}

/// The values of every `name="..."` attribute, in page order (maud writes
/// every attribute double-quoted, with `"` escaped inside).
fn attrs<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let pat = format!(" {name}=\"");
    html.match_indices(&pat)
        .map(|(i, _)| {
            let rest = &html[i + pat.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

/// Every start tag's name and attribute names: markup an implementation
/// smuggled in would show up here.
fn tags(html: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let end = rest.find('>').unwrap();
        let tag = &rest[..end];
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let attrs = out.entry(name.to_ascii_lowercase()).or_default();
        // Attribute names: the words before `=` outside quoted values.
        let mut quoted = false;
        let mut word = String::new();
        for c in tag[name.len()..].chars() {
            match c {
                '"' => quoted = !quoted,
                _ if quoted => {}
                c if c.is_whitespace() => {
                    if !word.is_empty() {
                        attrs.insert(std::mem::take(&mut word));
                    }
                }
                '=' => {
                    attrs.insert(std::mem::take(&mut word));
                }
                c => word.push(c),
            }
        }
        if !word.is_empty() {
            attrs.insert(word);
        }
    }
    out
}

fn position(html: &str, needle: &str) -> usize {
    html.find(needle)
        .unwrap_or_else(|| panic!("{needle:?} is not in the page"))
}

/// The text of the failure block of `id`.
fn block<'a>(html: &'a str, id: &str) -> &'a str {
    let anchor = format!("id=\"c:{}\"", id.replace('#', "%23"));
    let start = position(html, &anchor);
    let end = html[start..].find("</details><").unwrap() + start;
    &html[start..end]
}

#[test]
fn failures_come_first_with_an_index_that_resolves() {
    let html = page();
    let failures = position(html, "<section id=\"failures\">");
    let not_sent = position(html, "<section id=\"not-sent\">");
    let requirements = position(html, "<section id=\"requirements\">");
    let cases = position(html, "<section id=\"cases\">");
    assert!(failures < not_sent && not_sent < requirements && requirements < cases);
    // Each failure's block is under Failures, once; the index links it.
    let index = &html[failures..html[failures..].find("<details").unwrap() + failures];
    for id in [WRONG_RESULT, CRASHED, ACCEPTED, LISTED, STALE] {
        let anchor = format!("c:{}", id.replace('#', "%23"));
        let at: Vec<usize> = html
            .match_indices(&format!("id=\"{anchor}\""))
            .map(|(i, _)| i)
            .collect();
        assert_eq!(at.len(), 1, "{id}: one block");
        assert!(at[0] > failures && at[0] < not_sent, "{id}: under Failures");
        assert!(
            index.contains(&format!("href=\"#{anchor}\"")),
            "{id}: indexed"
        );
    }
    assert!(
        !index.contains(&format!("#c:{}", REFUSED.replace('#', "%23"))),
        "an unsupported answer is no failure"
    );
    // The heading counts them by verdict.
    let heading = &html[failures..failures + 600];
    for want in ["2 fail", "1 expected-fail", "1 unexpected-pass", "1 crash"] {
        assert!(heading.contains(want), "{want}: {heading}");
    }
    // Failing the run: open; an expected failure: closed.
    let opening = |id: &str| format!("id=\"c:{}\" data-v=", id.replace('#', "%23"));
    assert!(
        block(html, WRONG_RESULT).starts_with(&format!("{}\"fail\" open>", opening(WRONG_RESULT)))
    );
    assert!(block(html, LISTED).starts_with(&format!("{}\"expected-fail\">", opening(LISTED))));
    // Every in-page link has its target, and every id is unique.
    let ids = attrs(html, "id");
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "duplicate ids");
    let hrefs = attrs(html, "href");
    let mut internal = 0;
    for h in &hrefs {
        if let Some(target) = h.strip_prefix('#') {
            internal += 1;
            assert!(unique.contains(target), "{h} has no target");
        }
    }
    assert!(internal > 250, "{internal} in-page links");
}

#[test]
fn the_tree_is_document_area_requirement_with_counts() {
    let html = page();
    let cases = &html[position(html, "<section id=\"cases\">")..];
    // An area of the three ops: its vector file, its counts, and its
    // requirement groups with theirs.
    let area = &cases[position(cases, "id=\"f:immi-content/msg-id/dot-rules\"")..];
    let area = &area[..area.find("</details><details class=\"g area\"").unwrap()];
    assert!(area.contains("vectors/immi-content/msg-id/dot-rules.yaml"));
    assert!(
        area.contains("<span class=\"n x-fail\">2 fail</span>"),
        "{area}"
    );
    assert!(
        area.contains("<span class=\"n x-crash\">1 crash</span>"),
        "{area}"
    );
    assert!(area.contains("href=\"#r:IMMI-MSGID-DOT-ATOM\""));
    // A passing case shows its own YAML and where it is.
    let pass = block(area, "immi-content/msg-id/dot-rules#dot-between-symbols");
    assert!(
        pass.contains("<pre class=\"yaml\">- name: dot-between-symbols\n"),
        "{pass}"
    );
    assert!(pass.contains("line "));
    // A document line counts what was not sent, and links to the table.
    let amime = corpus()
        .cases
        .iter()
        .filter(|c| c.document() == "application-mime")
        .count();
    assert!(cases.contains(&format!("<a href=\"#not-sent\">{amime} not sent</a>")));
}

#[test]
fn undeclared_ops_collapse_to_one_line_each() {
    let html = page();
    let mut by_op: BTreeMap<&str, usize> = BTreeMap::new();
    for c in &corpus().cases {
        if !OPS.contains(&c.op.as_str()) {
            *by_op.entry(&c.op).or_default() += 1;
        }
    }
    let not_sent: usize = by_op.values().sum();
    assert!(not_sent > 1000, "{not_sent}");
    let section = &html[position(html, "<section id=\"not-sent\">")..];
    let section = &section[..section.find("</section>").unwrap()];
    assert!(section.contains(&format!("Not sent: {not_sent} cases")));
    let rows: Vec<&str> = section
        .split("<tr data-v=\"unsupported\">")
        .skip(1)
        .collect();
    assert_eq!(rows.len(), by_op.len(), "one line per op");
    for (row, (op, n)) in rows.iter().zip(&by_op) {
        assert!(row.contains(&format!("<code>{op}</code>")), "{row}");
        assert!(
            row.contains(&format!("<td class=\"num\">{n}</td>")),
            "{op}: {row}"
        );
    }
    // No undeclared case has a line, a block or a link of its own.
    for c in corpus()
        .cases
        .iter()
        .filter(|c| !OPS.contains(&c.op.as_str()))
    {
        assert!(!html.contains(&c.id), "{} is on the page", c.id);
    }
}

#[test]
fn what_the_implementation_sent_is_escaped() {
    let html = page();
    let t = tags(html);
    let allowed: BTreeSet<&str> = [
        "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "h4", "p",
        "code", "b", "nav", "a", "form", "label", "input", "button", "table", "tr", "th", "td",
        "section", "ul", "li", "span", "details", "summary", "div", "pre", "q", "ol", "br",
        "script",
    ]
    .into_iter()
    .collect();
    for (tag, names) in &t {
        assert!(allowed.contains(tag.as_str()), "<{tag}> on the page");
        for a in names {
            assert!(!a.starts_with("on"), "<{tag} {a}=...>");
            assert!(
                [
                    "lang",
                    "charset",
                    "name",
                    "content",
                    "class",
                    "id",
                    "href",
                    "hidden",
                    "type",
                    "value",
                    "checked",
                    "data-only",
                    "data-v",
                    "open"
                ]
                .contains(&a.as_str()),
                "<{tag} {a}>"
            );
        }
    }
    assert_eq!(html.matches("<script").count(), 1, "only the page's own");
    for raw in [
        "<script>alert",
        "<img",
        "<iframe",
        "<svg",
        "<b>boom",
        "</pre><script>",
        "\u{1b}",
        "\u{202e}",
    ] {
        assert!(!html.contains(raw), "{raw:?} reached the page");
    }
    for shown in [
        "&lt;script&gt;alert('name')&lt;/script&gt; 1.0\\u{1b}[2J\\u{202e}",
        "&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;",
        "&lt;img src=x onerror=alert(2)&gt;",
        "&lt;iframe src=javascript:alert(3)&gt;",
        "\\u{1b}[31mred\\u{202e}",
        "exited with &lt;b&gt;boom&lt;/b&gt;",
        "not yet &lt;svg onload=alert(4)&gt;",
    ] {
        assert!(html.contains(shown), "{shown:?} is not shown escaped");
    }
}

#[test]
fn every_link_is_in_page_or_http() {
    let html = page();
    let hrefs = attrs(html, "href");
    for h in &hrefs {
        assert!(
            h.starts_with('#') || h.starts_with("https://") || h.starts_with("http://"),
            "href={h:?}"
        );
    }
    // The expectation's issue is a link; one that is no URL stays text.
    let listed = block(html, LISTED);
    assert!(
        listed.contains("<a href=\"https://tracker.example/issues/7?a=1&amp;b=2\">"),
        "{listed}"
    );
    assert!(listed.contains("we accept &lt;trailing&gt; dots"));
    let stale = block(html, STALE);
    assert!(
        stale.contains("remove it from the expectations file"),
        "{stale}"
    );
    assert!(stale.contains("javascript:alert('issue')") && !stale.contains("href=\"javascript"));
    // The expectations file's entries, each with the verdicts it decided.
    let table = &html[position(html, "<section id=\"expectations\">")..];
    let table = &table[..table.find("</section>").unwrap()];
    let row = |glob: &str| {
        let at = position(table, &format!("<code>{glob}</code>"));
        &table[at..at + table[at..].find("</tr>").unwrap()]
    };
    assert!(row(LISTED).contains("1 expected-fail"), "{table}");
    assert!(row(LISTED).contains("href=\"https://tracker.example/issues/7?a=1&amp;b=2\""));
    assert!(row(STALE).contains("1 unexpected-pass"), "{table}");
    // Sections link to the documents the seeds name; the p≡p page has none.
    assert!(hrefs.contains(
        &"https://datatracker.ietf.org/doc/html/draft-mahy-dispatch-immi-content-00#section-5.1"
    ));
    assert!(hrefs.contains(&"https://datatracker.ietf.org/doc/html/rfc3339#section-5.6"));
    assert!(
        !hrefs
            .iter()
            .any(|h| h.starts_with("http") && h.contains("pep")),
        "the p≡p page has no address"
    );
    assert!(
        html.contains("(MUST, §MESSAGE-2-1)"),
        "its sections are text"
    );
    // No vector links without --source-url.
    assert!(!hrefs.iter().any(|h| h.contains("/vectors/")));
}

#[test]
fn a_failure_block_has_the_diff_the_rerun_line_and_the_vector() {
    let html = page();
    let b = block(html, WRONG_RESULT);
    assert!(
        b.contains("<span class=\"del\">-    &quot;id_left&quot;: &quot;a.b&quot;,</span>"),
        "{b}"
    );
    assert!(b.contains("<span class=\"ins\">+    &quot;id_left&quot;: &quot;&lt;/pre&gt;"));
    assert!(
        b.contains(
            "rerun: <code>mimispec run --impl './my adapter' --filter 'immi-content/msg-id/dot-rules#dot-in-id-left'</code>"
        ),
        "{b}"
    );
    assert!(b.contains("vectors/immi-content/msg-id/dot-rules.yaml:"));
    assert!(b.contains("<summary>the vector</summary><pre>- name: dot-in-id-left\n"));
    assert!(b.contains("href=\"#r:IMMI-MSGID-DOT-ATOM\""));
    let accepted = block(html, ACCEPTED);
    assert!(accepted.contains("accepted, but the input must be rejected"));
    assert!(accepted.contains("Must be rejected because: "));
}

#[test]
fn register_entries_and_dns_queries_are_on_the_page() {
    let html = page();
    let c = case(AMBIGUOUS);
    let entry = c.ambiguity.as_deref().unwrap();
    let ambiguities = &html[position(html, "<section id=\"ambiguities\">")..];
    let at = position(ambiguities, &format!("id=\"a:{entry}\""));
    let register = mimispec::corpus::register::load(corpus()).unwrap();
    let e = register.iter().find(|e| e.id == entry).unwrap();
    let shown = &ambiguities[at..at + ambiguities[at..].find("</div>").unwrap()];
    let escaped = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    assert!(shown.contains(&escaped(&e.question)), "{shown}");
    assert!(shown.contains(&format!("Decision: {}", e.decision)));
    assert!(html.contains(&format!("href=\"#a:{entry}\"")));
    // A resolve case lists the queries the mock zone received.
    let resolved = reference_records()
        .iter()
        .find(|r| r.queries.as_ref().is_some_and(|q| !q.is_empty()) && r.verdict() == Verdict::Pass)
        .expect("a resolve case that queried");
    let b = block(html, &resolved.case.id);
    let q: &Query = &resolved.queries.as_ref().unwrap()[0];
    assert!(b.contains("DNS queries the mock zone received"), "{b}");
    assert!(
        b.contains(&format!(
            "<code>{} {}</code> ({})",
            q.name, q.rtype, q.transport
        )),
        "{b}"
    );
}

#[test]
fn the_page_is_bounded() {
    let (run, ctx) = hostile_run(true);
    let html = to_html(&run, &ctx);
    let b = block(&html, WRONG_RESULT);
    assert!(b.contains("more lines; the whole text is in the --json report"));
    assert!(b.matches("&lt;iframe src=x&gt;").count() <= 200);
    assert!(
        html.len() < page().len() + 64 * 1024,
        "{} bytes",
        html.len()
    );
}

#[test]
fn source_url_links_each_vector_at_its_line() {
    let (run, mut ctx) = hostile_run(false);
    ctx.page.source_url = Some(check_source_url("https://forge.example/r/blob/abc123/").unwrap());
    let html = to_html(&run, &ctx);
    let c = case(WRONG_RESULT);
    let link = format!(
        "<a href=\"https://forge.example/r/blob/abc123/vectors/{}#L{}\">vectors/{}:{}</a>",
        c.file, c.line, c.file, c.line
    );
    assert!(block(&html, WRONG_RESULT).contains(&link), "{link}");
    assert!(html.contains(
        "href=\"https://forge.example/r/blob/abc123/vectors/immi-content/msg-id/dot-rules.yaml\""
    ));
}

fn mimispec(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_mimispec"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .output()
        .unwrap()
}

#[test]
fn source_url_is_checked_and_needs_html() {
    let out = mimispec(&["run", "--source-url", "https://h/r/"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--html"));
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("r.html");
    for bad in ["javascript:alert(1)//", "https://h/r/blob/abc"] {
        let out = mimispec(&["run", "--html", html.to_str().unwrap(), "--source-url", bad]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.starts_with("mimispec: error: --source-url"), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(!html.exists());
    }
}

/// The example adapter, end to end: one op declared, every other op one
/// line, vector links under --source-url.
#[test]
fn the_python_example_s_page() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("small.html");
    let out = mimispec(&[
        "run",
        "--impl",
        "python3 ci/examples/python_adapter.py",
        "--html",
        html.to_str().unwrap(),
        "--source-url",
        "https://forge.example/r/blob/abc123/",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(html).unwrap();
    let ops: BTreeSet<&str> = corpus().cases.iter().map(|c| c.op.as_str()).collect();
    assert_eq!(
        html.matches("<tr data-v=\"unsupported\">").count(),
        ops.len() - 1
    );
    assert!(html.contains("python-example 0.1"));
    assert!(html.contains(
        "<a href=\"https://forge.example/r/blob/abc123/vectors/immi-content/msg-id/atext.yaml#L"
    ));
    assert!(html.contains("None: every case sent passed"));
}

/// The page in a real browser: the script runs, shows the filter, and a
/// `?only=` view hides the other verdicts. Skipped without Chromium.
#[test]
fn the_page_loads_in_chromium() {
    let Some(browser) = common::chromium() else {
        println!("skipped: no chromium on PATH (apt-get install chromium)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("page.html");
    std::fs::write(&file, page()).unwrap();
    let dom = |query: &str| {
        common::dump_dom(
            browser,
            dir.path(),
            &format!("file://{}{query}", file.display()),
        )
    };
    let all = dom("");
    assert!(
        all.contains("data-filter=\"ready\""),
        "the script did not finish"
    );
    assert!(
        all.contains("<form id=\"filter\">"),
        "the filter is not shown"
    );
    assert!(!all.contains("<li data-v=\"pass\" hidden"));
    let failing = dom("?only=fail,crash");
    assert!(failing.contains("<li data-v=\"pass\" hidden=\"\">"));
    assert!(!failing.contains("<li data-v=\"fail\" hidden"));
    assert!(failing.contains("<tr data-v=\"unsupported\" hidden=\"\">"));
    let wrong = format!("id=\"c:{}\"", WRONG_RESULT.replace('#', "%23"));
    assert!(failing.contains(&wrong));
}

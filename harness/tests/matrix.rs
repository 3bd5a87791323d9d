//! `mimispec matrix`: three real runs (the reference in process, the
//! broken adapter's wrong mode, the reference adapter on msg-id only), set
//! side by side; the cells against the reports, every link against the
//! pages, hostile names, refusals, determinism, and the page in Chromium.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;

mod common;
use common::{mimispec, text};

struct Fixture {
    dir: PathBuf,
    /// The matrix's own directory, one below the reports: links are `../`.
    out: PathBuf,
    html: String,
    markdown: String,
}

const REPORTS: [&str; 3] = ["ref.json", "broken.json", "msgid.json"];

/// The reports, their pages and the matrix, made once.
fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        // Under target/: kept after the run for a look, and wiped here.
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("matrix");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("out")).unwrap();
        let path = |name: &str| dir.join(name).display().to_string();
        let broken = format!("{} wrong", common::broken_adapter().display());
        let adapter = format!("{} adapter", env!("CARGO_BIN_EXE_mimispec"));
        let runs: [(&str, Vec<&str>); 3] = [
            ("ref", vec![]),
            ("broken", vec!["--impl", &broken]),
            (
                "msgid",
                vec!["--impl", &adapter, "--filter", "immi-content/msg-id/"],
            ),
        ];
        std::thread::scope(|s| {
            for (name, extra) in &runs {
                let (json, html) = (path(&format!("{name}.json")), path(&format!("{name}.html")));
                s.spawn(move || {
                    let mut args = vec!["run", "--json", &json, "--html", &html];
                    args.extend(extra);
                    let out = mimispec(&args);
                    // The broken adapter fails cases: status 1.
                    assert!(
                        matches!(out.status.code(), Some(0 | 1)),
                        "{name}: {}",
                        text(&out.stderr)
                    );
                });
            }
        });
        let out = dir.join("out");
        let (html, markdown) = matrix_of(&dir, &out, &[]);
        Fixture {
            dir,
            out,
            html,
            markdown,
        }
    })
}

/// Runs `mimispec matrix` on the three reports (and `extra`), writing into
/// `out`; returns the page and the Markdown.
fn matrix_of(dir: &Path, out: &Path, extra: &[&str]) -> (String, String) {
    let reports: Vec<String> = REPORTS
        .iter()
        .map(|r| dir.join(r).display().to_string())
        .collect();
    let html = out.join("index.html").display().to_string();
    let md = out.join("index.md").display().to_string();
    let mut args = vec!["matrix"];
    args.extend(reports.iter().map(String::as_str));
    args.extend(["--html", &html, "--markdown", &md]);
    args.extend(extra);
    let run = mimispec(&args);
    assert!(run.status.success(), "{}", text(&run.stderr));
    (
        std::fs::read_to_string(&html).unwrap(),
        std::fs::read_to_string(&md).unwrap(),
    )
}

fn report(name: &str) -> Value {
    serde_json::from_slice(&std::fs::read(fixture().dir.join(name)).unwrap()).unwrap()
}

/// The `<td>` whose link is exactly `href`: its class and its text (tags
/// dropped), for each such cell.
fn cells<'a>(html: &'a str, href: &str) -> Vec<(&'a str, String)> {
    let needle = format!("<a class=\"cell\" href=\"{href}\">");
    html.match_indices(&needle)
        .map(|(at, _)| {
            let td = html[..at].rfind("<td class=\"").unwrap() + 11;
            let class = &html[td..td + html[td..].find('"').unwrap()];
            let body = &html[at + needle.len()..];
            let body = &body[..body.find("</a>").unwrap()];
            (class, strip_tags(body))
        })
        .collect()
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in s.chars() {
        match c {
            '<' => {
                inside = true;
                // A block-level span reads as a new line.
                out.push('\n');
            }
            '>' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out.trim().to_owned()
}

/// Cases of a report in an area (`<document>/<area>`): (passes, failures,
/// first file sent), failures as the page counts them.
fn area_counts(r: &Value, area: &str) -> (usize, usize, Option<String>) {
    let (mut pass, mut fail, mut first) = (0, 0, None);
    for c in r["cases"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        let file = id.split_once('#').unwrap().0;
        if file.rsplit_once('/').unwrap().0 != area {
            continue;
        }
        let not_sent = c["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["kind"].as_str().unwrap().ends_with("not-declared"));
        if not_sent {
            continue;
        }
        first.get_or_insert_with(|| file.to_owned());
        match c["verdict"].as_str().unwrap() {
            "pass" => pass += 1,
            "informational" | "unsupported" => {}
            _ => fail += 1,
        }
    }
    (pass, fail, first)
}

#[test]
fn cells_count_what_each_report_says() {
    let f = fixture();
    let html = &f.html;
    for (name, page) in [("ref.json", "ref"), ("broken.json", "broken")] {
        let r = report(name);
        let (pass, fail, first) = area_counts(&r, "immi-content/msg-id");
        let href = format!("../{page}.html#f:{}", first.unwrap());
        let found = cells(html, &href);
        assert_eq!(found.len(), 1, "{href}");
        let (class, text) = &found[0];
        assert!(
            text.starts_with(&format!("{pass} pass · {fail} fail")),
            "{name}: {text}"
        );
        let want = if fail > 0 { "c x-fail" } else { "c x-pass" };
        assert_eq!(*class, want, "{name}");
        assert!(
            f.markdown.contains(&format!(
                "[{} {pass} pass · {fail} fail",
                if fail > 0 { "❌" } else { "✅" }
            )),
            "{name}"
        );
    }
    // The broken adapter fails msg-id cases: the area is red, with counts.
    assert!(area_counts(&report("broken.json"), "immi-content/msg-id").1 > 0);
}

#[test]
fn undeclared_ops_read_not_declared_and_filtered_runs_not_run() {
    let f = fixture();
    let nd = cells(&f.html, "../broken.html#not-sent");
    // Every mimi-discovery area and the document's row, at least.
    assert!(nd.len() > 10, "{}", nd.len());
    for (class, text) in &nd {
        assert_eq!(*class, "c nd");
        assert_eq!(text, "not declared");
    }
    // Nothing undeclared is ever shaded as a pass.
    for (class, text) in cells(&f.html, "../msgid.html#not-sent") {
        assert_eq!((class, text.as_str()), ("c nd", "not declared"));
    }
    // msgid.json ran msg-id only: the other areas have no case of it.
    let row = f
        .html
        .split("<tr>")
        .find(|r| r.starts_with("<th><code>datetime</code>"))
        .unwrap();
    assert!(
        row.contains(
            "<td class=\"c nr\" title=\"the report has no case here (a filtered run)\">not run</td>"
        ),
        "{row}"
    );
    let md_row = f
        .markdown
        .lines()
        .find(|l| l.starts_with("| datetime |"))
        .unwrap();
    assert!(md_row.ends_with("| *not run* |"), "{md_row}");
    assert!(md_row.contains("[*not declared*](<../broken.html#not-sent>)"));
    // Nor any case of mimi-discovery: named once, no empty row or column.
    let discovery = f.markdown.split("## mimi\\-discovery").nth(1).unwrap();
    let discovery = discovery.split("\n## ").next().unwrap();
    let idle = discovery
        .lines()
        .find(|l| l.starts_with("No case of this document sent by: "))
        .unwrap();
    assert!(idle.contains("3\\. "), "{idle}");
    assert!(
        !discovery.lines().any(|l| l.starts_with("| 3\\. ")),
        "{discovery}"
    );
    assert!(f.html.contains("No case of this document sent by: "));
}

#[test]
fn failed_requirements_link_their_failing_cases() {
    let f = fixture();
    let broken = report("broken.json");
    let failed: Vec<&Value> = broken["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|q| q["status"] == "failed")
        .collect();
    assert!(!failed.is_empty());
    for q in failed {
        let id = q["id"].as_str().unwrap();
        let found = cells(&f.html, &format!("../broken.html#r:{id}"));
        assert_eq!(found.len(), 1, "{id}");
        assert_eq!(found[0].0, "c x-fail");
        assert!(found[0].1.starts_with("failed"), "{}", found[0].1);
        for case in q["failing"].as_array().unwrap().iter().take(3) {
            let anchor = case.as_str().unwrap().replace('#', "%23");
            assert!(
                f.html
                    .contains(&format!("<a href=\"../broken.html#c:{anchor}\">")),
                "{anchor}"
            );
        }
    }
}

/// Every id a page has.
fn ids(html: &str) -> HashSet<String> {
    html.split(" id=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_owned())
        .collect()
}

#[test]
fn every_link_lands_on_an_anchor_of_its_page() {
    let f = fixture();
    let mut pages: HashMap<String, HashSet<String>> = HashMap::new();
    let mut check = |href: &str, own: &str| {
        let (page, anchor) = href.split_once('#').unwrap_or((href, ""));
        let text = if page.is_empty() {
            own.to_owned()
        } else {
            std::fs::read_to_string(f.out.join(page)).unwrap_or_else(|e| panic!("{href}: {e}"))
        };
        let known = pages.entry(page.to_owned()).or_insert_with(|| ids(&text));
        assert!(anchor.is_empty() || known.contains(anchor), "{href}");
    };
    let mut n = 0;
    for part in f.html.split(" href=\"").skip(1) {
        check(&part[..part.find('"').unwrap()], &f.html);
        n += 1;
    }
    assert!(n > 500, "{n} links");
    for part in f.markdown.split("](<").skip(1) {
        check(&part[..part.find(">)").unwrap()], "");
    }
}

#[test]
fn provenance_comes_from_the_reports() {
    let f = fixture();
    let r = report("broken.json");
    let digest = r["suite"]["corpus_digest"].as_str().unwrap();
    assert!(f.html.contains(&format!(" · corpus <code>{digest}</code>")));
    assert!(f.markdown.contains(&format!("corpus `{digest}`")));
    assert!(
        f.html
            .contains("<a href=\"../broken.html\">broken wrong</a>")
    );
    assert!(f.html.contains("the in-tree reference (in process)"));
    assert!(f.html.contains(&format!(
        "<td class=\"num\">{}</td>",
        r["summary"]["total"].as_u64().unwrap()
            - r["summary"]["ops"]
                .as_object()
                .unwrap()
                .values()
                .map(|o| o["not_sent"].as_u64().unwrap())
                .sum::<u64>()
    )));
    // No date without --date; with it, as given.
    let out = f.dir.join("dated");
    std::fs::create_dir_all(&out).unwrap();
    let (html, md) = matrix_of(&f.dir, &out, &["--date", "2025-01-31"]);
    assert!(html.contains(" · 2025-01-31 · 3 implementations"));
    assert!(md.contains(", 2025\\-01\\-31, 3 implementations."));
}

#[test]
fn the_same_reports_give_the_same_bytes() {
    let f = fixture();
    let again = f.dir.join("again");
    std::fs::create_dir_all(&again).unwrap();
    let (html, md) = matrix_of(&f.dir, &again, &[]);
    assert!(html == f.html, "the page differs between two runs");
    assert_eq!(md, f.markdown);
}

#[test]
fn page_flags_set_where_cells_link() {
    let f = fixture();
    let out = f.dir.join("paged");
    std::fs::create_dir_all(&out).unwrap();
    let given = format!(
        "{}=https://example.org/impl/ref page.html",
        f.dir.join("ref.json").display()
    );
    let (html, md) = matrix_of(&f.dir, &out, &["--page", &given]);
    assert!(html.contains("href=\"https://example.org/impl/ref%20page.html#d:immi-content\""));
    assert!(md.contains("(<https://example.org/impl/ref%20page.html#d:immi-content>)"));
    assert!(html.contains("href=\"../broken.html#"));
    let bad = mimispec(&[
        "matrix",
        &f.dir.join("ref.json").display().to_string(),
        "--page",
        &format!("{}=javascript:alert(1)", f.dir.join("ref.json").display()),
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("not an http or https URL"));
}

/// A copy of broken.json with `edit` applied, written as `name`.
fn edited(name: &str, edit: impl FnOnce(&mut Value)) -> String {
    let mut r = report("broken.json");
    edit(&mut r);
    let path = fixture().dir.join(name);
    std::fs::write(&path, serde_json::to_vec(&r).unwrap()).unwrap();
    path.display().to_string()
}

#[test]
fn a_hostile_name_is_only_text() {
    let f = fixture();
    let hostile = edited("hostile.json", |r| {
        r["implementation"]["name"] =
            "<script>alert('x')</script>|[a](javascript:alert(1))\n# forged".into();
        r["implementation"]["version"] = "1\u{202e}<img src=x onerror=alert(1)>".into();
        r["implementation"]["subject"] = "<b>cmd</b> | `x`".into();
    });
    let out = f.dir.join("hostile");
    std::fs::create_dir_all(&out).unwrap();
    let html = out.join("index.html").display().to_string();
    let md = out.join("index.md").display().to_string();
    let ref_json = f.dir.join("ref.json").display().to_string();
    let run = mimispec(&[
        "matrix",
        &ref_json,
        &hostile,
        "--html",
        &html,
        "--markdown",
        &md,
    ]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let html = std::fs::read_to_string(html).unwrap();
    let md = std::fs::read_to_string(md).unwrap();
    for out in [&html, &md] {
        assert!(!out.contains("<script"));
        assert!(!out.contains("<img"));
        assert!(!out.contains("<b>"));
        assert!(!out.contains('\u{202e}'));
        assert!(out.contains("&lt;script&gt;"));
    }
    assert!(html.contains("\\u{202e}&lt;img"));
    assert!(!html.contains("href=\"javascript"));
    // One line, no live link, no table break in the Markdown.
    assert!(!md.contains("](javascript"));
    assert!(!md.contains("\n# forged"));
    assert!(md.contains("\\[a\\]\\(javascript\\:alert\\(1\\)\\)"));
    // The Markdown carries no HTML: its only `<` open link destinations.
    assert_eq!(md.matches('<').count(), md.matches("](<").count());
    let rows: Vec<&str> = md.lines().filter(|l| l.starts_with("| 2 |")).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].matches(" | ").count(), 8, "{}", rows[0]);
}

#[test]
fn what_is_not_one_corpus_s_report_is_refused() {
    let f = fixture();
    let ref_json = f.dir.join("ref.json").display().to_string();
    let other = edited("other-corpus.json", |r| {
        r["suite"]["corpus_digest"] = "sha256:0000".into();
    });
    let not_json = f.dir.join("ref.html").display().to_string();
    let not_report = f.dir.join("not-report.json");
    std::fs::write(&not_report, br#"{"format": "something/1"}"#).unwrap();
    let not_report = not_report.display().to_string();
    for (args, says) in [
        (vec![&ref_json, &other], "corpus \"sha256:0000\""),
        (vec![&ref_json, &not_json], "not JSON"),
        (vec![&not_report, &ref_json], "not a mimispec report"),
        (vec![&ref_json, &ref_json], "given twice"),
    ] {
        let mut all = vec!["matrix"];
        all.extend(args.iter().map(|s| s.as_str()));
        let out = mimispec(&all);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.starts_with("mimispec: error: "), "{err}");
        assert!(err.contains(says), "{err}");
    }
}

/// The page in a real browser: it parses into the same tables and cells
/// (a mis-nested table would be rebuilt by the parser). Skipped without
/// Chromium.
#[test]
fn the_matrix_loads_in_chromium() {
    let Some(browser) = common::chromium() else {
        println!("skipped: no chromium on PATH (apt-get install chromium)");
        return;
    };
    let f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let dom = common::dump_dom(
        browser,
        dir.path(),
        &format!("file://{}", f.out.join("index.html").display()),
    );
    assert!(dom.contains("<h1>mimispec conformance matrix</h1>"));
    for tag in ["<table", "<td class=\"c", "<details", "<a "] {
        assert_eq!(
            dom.matches(tag).count(),
            f.html.matches(tag).count(),
            "{tag}"
        );
    }
}

//! The matrix's Markdown twin, for a repository page: provenance, then per
//! document a table of implementations and a table of areas, every cell a
//! relative link. GitHub-flavoured, no HTML: a mark stands for the colour.

use std::fmt::Write as _;

use super::super::markdown::cell as text;
use super::{Cell, LEVELS, MAX_COMMAND, Matrix, Shade, area_name};
use crate::verdict::Verdict;

/// The page; `pages[i]` is where report `i`'s own page is, as this file
/// links it (no fragment).
pub fn to_markdown(m: &Matrix, pages: &[String]) -> String {
    assert_eq!(pages.len(), m.reports.len(), "one page per report");
    let mut s = String::new();
    let first = &m.reports[0].suite;
    let _ = writeln!(s, "# mimispec conformance matrix\n");
    let _ = write!(
        s,
        "mimispec {}, protocol {}, corpus `{}`",
        text(&m.suite_versions()),
        first.protocol,
        crate::diff::one_line(&first.corpus_digest, 80).replace('`', "'")
    );
    if let Some(d) = &m.date {
        let _ = write!(s, ", {}", text(d));
    }
    let _ = writeln!(
        s,
        ", {}.\n",
        super::super::plural(m.reports.len(), "implementation")
    );
    let ops = m.op_count();
    let _ = writeln!(
        s,
        "| # | implementation | mode | command | ops declared | cases sent | not sent | answered unsupported | failing |\n|---:|---|---|---|---:|---:|---:|---:|---:|"
    );
    for (i, r) in m.reports.iter().enumerate() {
        let col = &m.columns[i];
        let _ = writeln!(
            s,
            "| {} | [{}](<{}>) | {} | {} | {} of {ops} | {} | {} | {} | {} |",
            i + 1,
            text(&m.label(i)),
            pages[i],
            text(&r.implementation.mode),
            text(&crate::diff::one_line(
                &r.implementation.subject,
                MAX_COMMAND
            )),
            r.implementation.ops.len(),
            col.all.sent(),
            col.all.not_declared,
            col.all.n(Verdict::Unsupported),
            r.summary.failing,
        );
    }
    let _ = writeln!(
        s,
        "\n{}: a case failed (fail, timeout, crash, protocol error, unexpected pass) · {}: expected failure · {}: a SHOULD or MAY case failed · {}: pass · {}: informational · {}: answered unsupported · *not declared*: not sent, never a pass. Each cell links to that implementation's page.",
        mark(Shade::Verdict(Verdict::Fail)),
        mark(Shade::Verdict(Verdict::ExpectedFail)),
        mark(Shade::Verdict(Verdict::NonStrict)),
        mark(Shade::Verdict(Verdict::Pass)),
        mark(Shade::Verdict(Verdict::Informational)),
        mark(Shade::Verdict(Verdict::Unsupported)),
    );
    for (doc, rows) in &m.documents {
        let _ = writeln!(s, "\n## {}\n", text(doc));
        let (shown, idle) = m.split_by_document(doc);
        if !idle.is_empty() {
            let names: Vec<String> = idle
                .iter()
                .map(|&i| format!("{}\\. {}", i + 1, text(&m.label(i))))
                .collect();
            let _ = writeln!(
                s,
                "No case of this document sent by: {} (not run, or no op of it declared).\n",
                names.join(", ")
            );
        }
        let _ = write!(s, "| implementation |");
        for l in LEVELS {
            let _ = write!(s, " {} requirements |", l.as_str());
        }
        let _ = writeln!(s, " cases |\n|---|---|---|---|---|");
        for &i in &shown {
            let page = &pages[i];
            let _ = write!(s, "| {}\\. {} |", i + 1, text(&m.label(i)));
            for l in LEVELS {
                let _ = write!(s, " {} |", md_cell(&m.level_cell(i, doc, l, page)));
            }
            let _ = writeln!(s, " {} |", md_cell(&m.document_cell(i, doc, page)));
        }
        let _ = write!(s, "\n| {} area |", text(doc));
        for &i in &shown {
            let _ = write!(s, " {}\\. {} |", i + 1, text(&m.label(i)));
        }
        let _ = write!(s, "\n|---|");
        for _ in &shown {
            let _ = write!(s, "---|");
        }
        s.push('\n');
        for area in &rows.areas {
            let _ = write!(s, "| {} |", text(area_name(area)));
            for &i in &shown {
                let _ = write!(s, " {} |", md_cell(&m.area_cell(i, area, &pages[i])));
            }
            s.push('\n');
        }
    }
    s
}

/// What stands for a cell's colour.
fn mark(shade: Shade) -> &'static str {
    match shade {
        Shade::Verdict(v) => match v {
            Verdict::Pass => "✅",
            Verdict::Informational => "ℹ️",
            Verdict::Unsupported => "⬜",
            Verdict::NonStrict => "⚠️",
            Verdict::ExpectedFail => "🟣",
            Verdict::Fail
            | Verdict::UnexpectedPass
            | Verdict::Timeout
            | Verdict::Crash
            | Verdict::ProtocolError => "❌",
        },
        Shade::NotDeclared | Shade::NotRun | Shade::Empty => "",
    }
}

fn md_cell(c: &Cell) -> String {
    let mut body = c.headline.clone();
    if !c.rest.is_empty() {
        body.push_str(" · ");
        body.push_str(&c.rest);
    }
    let body = match c.shade {
        Shade::NotDeclared | Shade::NotRun => format!("*{body}*"),
        s => format!("{} {body}", mark(s)).trim_start().to_owned(),
    };
    match &c.link {
        Some(l) => format!("[{body}](<{l}>)"),
        None => body,
    }
}

//! `--markdown`: a short report for a CI job summary or a pull-request
//! comment: totals, requirements, the failing cases.

use std::fmt::Write as _;

use super::Context;
use super::requirements::{self, Status};
use crate::diff::one_line;
use crate::run::RunResult;
use crate::verdict::Verdict;

/// Failing cases listed; the rest are counted. A comment has to stay
/// readable and under the host's size limit (GitHub: 65,536 characters).
const MAX_FAILURES: usize = 50;
const MAX_CELL: usize = 160;

pub fn to_markdown(run: &RunResult, ctx: &Context) -> String {
    let mut s = String::new();
    let failing: Vec<_> = run
        .records
        .iter()
        .filter(|r| r.verdict().fails_run(ctx.strict))
        .collect();
    let result = if run.tested() == 0 {
        "nothing tested".to_string()
    } else if failing.is_empty() {
        "ok".to_string()
    } else {
        format!("failed ({})", super::plural(failing.len(), "failing case"))
    };
    let _ = writeln!(
        s,
        "### mimispec {}: {} {}: {result}\n",
        crate::SUITE_VERSION,
        cell(&run.info.name),
        cell(&run.info.version),
    );
    let _ = writeln!(
        s,
        "Corpus `{}`, {} mode{}.\n",
        ctx.corpus_digest,
        ctx.mode,
        if ctx.strict { ", --strict" } else { "" }
    );
    let by_doc = run.tally_by(|r| r.case.document());
    let shown: Vec<Verdict> = Verdict::ALL
        .iter()
        .copied()
        .filter(|v| by_doc.values().any(|t| t.verdicts.contains_key(v)))
        .collect();
    let _ = write!(s, "| document | cases |");
    for v in &shown {
        let _ = write!(s, " {} |", v.as_str());
    }
    let _ = write!(s, "\n|---|---:|");
    for _ in &shown {
        let _ = write!(s, "---:|");
    }
    s.push('\n');
    for (doc, t) in &by_doc {
        let _ = write!(s, "| {doc} | {} |", t.total());
        for v in &shown {
            let _ = write!(s, " {} |", t.verdicts.get(v).copied().unwrap_or(0));
        }
        s.push('\n');
    }
    let other_code: usize = by_doc.values().map(|t| t.other_code).sum();
    if other_code > 0 {
        let _ = writeln!(
            s,
            "\n{} rejected with another error code than the suite's (they fail under `--strict-codes`).",
            super::plural(other_code, "pass")
        );
    }
    let accepted_only: usize = by_doc.values().map(|t| t.accepted_only).sum();
    if accepted_only > 0 {
        let _ = writeln!(
            s,
            "\n{} on acceptance alone (answered `accepted`, no result compared).",
            super::plural(accepted_only, "pass")
        );
    }
    let tallies = requirements::tally(run, &ctx.requirements);
    if !tallies.is_empty() {
        let _ = writeln!(s, "\n**Requirements**\n");
        for doc in by_doc.keys() {
            let mine: Vec<_> = tallies.iter().filter(|t| t.document == *doc).collect();
            if !mine.is_empty() {
                let _ = writeln!(s, "- {doc}: {}", requirements::line(&mine));
            }
        }
        for t in tallies.iter().filter(|t| t.status == Status::Failed) {
            let _ = writeln!(
                s,
                "- failed {} `{}` ({} §{}): \"{}\"",
                t.level.as_str(),
                t.id,
                t.document,
                t.requirement.section,
                cell(&t.requirement.quote)
            );
        }
    }
    if !failing.is_empty() {
        let _ = writeln!(s, "\n**Failing cases**\n");
        let _ = writeln!(s, "| case | level | verdict | what |\n|---|---|---|---|");
        for r in failing.iter().take(MAX_FAILURES) {
            let c = &r.case;
            let what = r
                .judgement
                .detail()
                .unwrap_or_else(|| r.verdict().as_str().to_owned());
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} |",
                match super::vector_url(ctx.page.source_url.as_deref(), &c.file, Some(c.line)) {
                    Some(url) => format!("[{}](<{url}>)", cell(&c.id)),
                    None => cell(&c.id),
                },
                c.level.as_str(),
                r.verdict().as_str(),
                cell(&what)
            );
        }
        if failing.len() > MAX_FAILURES {
            let _ = writeln!(
                s,
                "\nand {} more: see the JSON or HTML report.",
                super::plural(failing.len() - MAX_FAILURES, "failing case")
            );
        }
        if let Some(first) = failing.first() {
            let _ = writeln!(
                s,
                "\nRerun one: `{}`",
                ctx.rerun(&first.case.id).replace('`', "'")
            );
        }
    }
    s
}

/// Text an implementation sent (or a quote), made inert: one line,
/// bounded, no Markdown or HTML markup, no table break.
pub fn cell(text: &str) -> String {
    let mut out = String::new();
    for ch in one_line(text, MAX_CELL).chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '#' | '!' | '|' | '~' | '{' | '}'
            | '+' | '-' | '.' | ':' | '@' | '"' | '\'' | '=' | '^' | '$' | '%' => {
                out.push('\\');
                out.push(ch);
            }
            _ => out.push(ch),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn cells_are_inert() {
        assert_eq!(
            cell("<img src=x onerror=alert(1)> [a](javascript:x) | `c`\nnext"),
            "&lt;img src\\=x onerror\\=alert\\(1\\)&gt; \\[a\\]\\(javascript\\:x\\) \\| \\`c\\`\\\\nnext"
        );
    }
}

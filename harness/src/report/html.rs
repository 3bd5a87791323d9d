//! `--html`: a self-contained page to publish. Everything in it that came
//! from an implementation or a vector is escaped.

use std::fmt::Write as _;

use super::Context;
use crate::diff::{expected_json, pretty, unified};
use crate::run::RunResult;
use crate::verdict::Verdict;

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => {
                let _ = write!(out, "\\u{{{:04x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:70em}\
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}\
pre{background:#f6f6f6;padding:.6em;overflow:auto}.fail,.crash,.timeout,.protocol-error,.unexpected-pass{color:#b00}\
.pass{color:#070}.non-strict{color:#a60}details{margin:.4em 0}";

pub fn to_html(run: &RunResult, ctx: &Context) -> String {
    let mut s = String::new();
    let title = format!("mimispec report: {} {}", run.info.name, run.info.version);
    let _ = write!(
        s,
        "<!doctype html><html lang=en><meta charset=utf-8><title>{}</title><style>{STYLE}</style>",
        escape(&title)
    );
    let _ = write!(s, "<h1>{}</h1>", escape(&title));
    let _ = write!(
        s,
        "<p>mimispec {} · corpus <code>{}</code> · {} ({}) · {}</p>",
        escape(crate::SUITE_VERSION),
        escape(&ctx.corpus_digest),
        escape(&ctx.subject),
        ctx.mode,
        if run.ok(ctx.strict) {
            "<b class=pass>ok</b>"
        } else {
            "<b class=fail>FAILED</b>"
        }
    );
    let by_doc = run.counts_by_document();
    s.push_str("<table><tr><th>document</th>");
    for v in Verdict::ALL {
        let _ = write!(s, "<th class={0}>{0}</th>", v.as_str());
    }
    s.push_str("</tr>");
    for (doc, counts) in &by_doc {
        let _ = write!(s, "<tr><td>{}</td>", escape(doc));
        for v in Verdict::ALL {
            let _ = write!(s, "<td>{}</td>", counts.get(&v).copied().unwrap_or(0));
        }
        s.push_str("</tr>");
    }
    s.push_str("</table>");
    let tallies = super::requirements::tally(run, &ctx.requirements);
    if !tallies.is_empty() {
        s.push_str("<h2>Requirements</h2><table><tr><th>requirement</th><th>level</th><th>section</th><th>status</th><th>cases</th><th>words</th></tr>");
        for t in &tallies {
            let _ = write!(
                s,
                "<tr><td><code>{}</code></td><td>{}</td><td>{} §{}</td><td class={}>{}</td><td>{}</td><td>{}</td></tr>",
                escape(t.id),
                t.level.as_str(),
                escape(t.document),
                escape(&t.requirement.section),
                if t.status == super::requirements::Status::Failed {
                    "fail"
                } else {
                    "pass"
                },
                t.status.as_str(),
                t.cases,
                escape(&t.requirement.quote)
            );
        }
        s.push_str("</table>");
    }
    s.push_str("<h2>Cases</h2>");
    for r in &run.records {
        let c = &r.case;
        let v = r.verdict().as_str();
        let open = if r.verdict().fails_run(ctx.strict) {
            " open"
        } else {
            ""
        };
        let _ = write!(
            s,
            "<details id=\"{}\"{open}><summary><span class={v}>{v}</span> <code>{}</code> · {} · {}</summary>",
            escape(&c.id),
            escape(&c.id),
            c.level.as_str(),
            escape(&c.citation.to_string())
        );
        let _ = write!(s, "<p>{}</p>", escape(&c.description));
        if let Some(reason) = &c.reason {
            let _ = write!(s, "<p>Must be rejected because: {}</p>", escape(reason));
        }
        if let Some(d) = r.judgement.detail() {
            let _ = write!(s, "<p>Note: {}</p>", escape(&d));
        }
        let _ = write!(s, "<pre>input: {}</pre>", escape(&pretty(&c.input)));
        match &r.actual {
            Some(actual) if r.judgement.matched == Some(false) => {
                let diff = unified(&pretty(&expected_json(&c.expect)), &pretty(actual));
                let _ = write!(
                    s,
                    "<pre>expected (-) / actual (+):\n{}</pre>",
                    escape(&diff)
                );
            }
            _ => {}
        }
        if !r.stderr.trim().is_empty() {
            let _ = write!(s, "<pre>stderr:\n{}</pre>", escape(&r.stderr));
        }
        s.push_str("</details>");
    }
    s.push_str("</html>\n");
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(
            super::escape("<script>\"&'\u{1b}"),
            "&lt;script&gt;&quot;&amp;&#39;\\u{001b}"
        );
    }
}

//! The text a person reads: a block per problem case, then a summary.

use std::fmt::Write as _;

use super::Context;
use crate::corpus::Expect;
use crate::diff::{clip, expected_json, one_line, pretty, sanitize, unified};
use crate::run::{Record, RunResult, Tally};
use crate::verdict::Verdict;

/// Bounds of what a block prints of a case; the JSON report keeps it all.
const MAX_INPUT: usize = 2000;
const MAX_LINES: usize = 200;
const MAX_BYTES: usize = 32 << 10;
/// An implementation's name and version, each on the summary line.
const MAX_NAME: usize = 80;

pub struct Human<'a> {
    pub ctx: &'a Context,
    /// Show a block for every case that is not a plain pass.
    pub verbose: bool,
}

impl Human<'_> {
    /// Does this record get a block of its own?
    pub fn shows(&self, r: &Record) -> bool {
        match r.verdict() {
            Verdict::Pass => self.verbose && r.judgement.detail().is_some(),
            // Undeclared ops and features are one line each in the summary.
            Verdict::Unsupported => self.verbose && r.was_sent(),
            Verdict::Informational | Verdict::ExpectedFail => self.verbose,
            _ => true,
        }
    }

    pub fn summary(&self, run: &RunResult) -> String {
        summary(run, self.ctx, self.verbose)
    }

    pub fn block(&self, r: &Record) -> String {
        let c = &r.case;
        let mut s = String::new();
        let _ = writeln!(s, "---- {} {}", r.verdict().as_str().to_uppercase(), c.id);
        let _ = writeln!(
            s,
            "{} · {} · {} · vectors/{}:{}",
            c.level.as_str(),
            c.citation,
            c.op,
            c.file,
            c.line
        );
        let _ = writeln!(s, "{}", c.description);
        if let Some(reason) = &c.reason {
            let _ = writeln!(s, "must be rejected because: {reason}");
        }
        let input = serde_json::to_string(&crate::protocol::display(&c.input)).unwrap_or_default();
        let _ = writeln!(s, "input: {}", one_line(&input, MAX_INPUT));
        if let Some(detail) = r.judgement.detail() {
            for line in detail.lines().take(MAX_LINES) {
                let _ = writeln!(s, "note: {}", one_line(line, MAX_INPUT));
            }
        }
        match (&r.actual, &c.expect) {
            (Some(actual), Expect::Properties(_)) => {
                let _ = writeln!(s, "actual:");
                indent(&mut s, &clip(&pretty(actual), MAX_LINES, MAX_BYTES));
            }
            (Some(actual), expect) if r.judgement.matched == Some(false) => {
                let _ = writeln!(s, "expected (-) / actual (+):");
                let diff = unified(&pretty(&expected_json(expect)), &pretty(actual));
                indent(&mut s, &clip(&diff, MAX_LINES, MAX_BYTES));
            }
            _ => {}
        }
        if let Some(queries) = r
            .queries
            .as_ref()
            .filter(|_| r.judgement.matched == Some(false))
        {
            let shown: Vec<String> = queries
                .iter()
                .map(|q| format!("{} {} ({})", q.name, q.rtype, q.transport))
                .collect();
            let _ = writeln!(
                s,
                "dns queries: {}",
                if shown.is_empty() {
                    "none".into()
                } else {
                    one_line(&shown.join(", "), MAX_INPUT)
                }
            );
        }
        if !r.stderr.trim().is_empty() {
            let _ = writeln!(s, "stderr:");
            indent(
                &mut s,
                &clip(&sanitize(r.stderr.trim_end()), MAX_LINES, MAX_BYTES),
            );
        }
        let _ = writeln!(s, "rerun: {}", self.ctx.rerun(&c.id));
        s
    }
}

fn indent(s: &mut String, text: &str) {
    for line in text.lines() {
        let _ = writeln!(s, "    {line}");
    }
}

/// Counts per op and document, requirements, and the closing line.
fn summary(run: &RunResult, ctx: &Context, verbose: bool) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "mimispec {} · corpus {} · {} {} ({})",
        crate::SUITE_VERSION,
        &ctx.corpus_digest[..ctx.corpus_digest.len().min(19)],
        one_line(&run.info.name, MAX_NAME),
        one_line(&run.info.version, MAX_NAME),
        ctx.mode
    );
    let by_op = run.tally_by(|r| r.case.op.as_str());
    let by_doc = run.tally_by(|r| r.case.document());
    let width = by_op
        .iter()
        .filter(|(_, t)| verbose || t.not_sent < t.total())
        .map(|(k, _)| k)
        .chain(by_doc.keys())
        .map(|k| k.len())
        .max()
        .unwrap_or(8);
    let _ = writeln!(s, "  by op:");
    let undeclared: Vec<_> = by_op.values().filter(|t| t.not_sent == t.total()).collect();
    for (op, t) in &by_op {
        if verbose || t.not_sent < t.total() {
            let _ = writeln!(s, "    {op:width$}  {}", op_line(t));
        }
    }
    if !verbose && !undeclared.is_empty() {
        let cases: usize = undeclared.iter().map(|t| t.total()).sum();
        let _ = writeln!(
            s,
            "    {} not declared ({}; --verbose lists them)",
            super::plural(undeclared.len(), "op"),
            super::plural(cases, "case"),
        );
    }
    let _ = writeln!(s, "  by document:");
    let mut total = Tally::default();
    for (doc, t) in &by_doc {
        let _ = writeln!(s, "    {doc:width$}  {}", tally_line(t));
        for (v, n) in &t.verdicts {
            *total.verdicts.entry(*v).or_insert(0) += n;
        }
        total.other_code += t.other_code;
        total.accepted_only += t.accepted_only;
    }
    let _ = writeln!(s, "    {:width$}  {}", "total", tally_line(&total));
    if total.other_code > 0 {
        let _ = writeln!(
            s,
            "  {} rejected with another code than the suite's: --verbose shows them, \
             --strict-codes fails them",
            super::plural(total.other_code, "pass"),
        );
    }
    if total.accepted_only > 0 {
        let _ = writeln!(
            s,
            "  {} on acceptance alone (answered accepted, no result compared): \
             the requirements they name count as untested",
            super::plural(total.accepted_only, "pass"),
        );
    }
    let tallies = super::requirements::tally(run, &ctx.requirements);
    if !tallies.is_empty() {
        let _ = writeln!(s, "  requirements:");
    }
    for doc in by_doc.keys() {
        let mine: Vec<_> = tallies.iter().filter(|t| t.document == *doc).collect();
        if !mine.is_empty() {
            let _ = writeln!(s, "    {doc:width$}  {}", super::requirements::line(&mine));
        }
    }
    let failed: Vec<_> = tallies
        .iter()
        .filter(|t| t.status == super::requirements::Status::Failed)
        .collect();
    for t in failed.iter().take(MAX_LINES) {
        let q = t.requirement;
        let _ = writeln!(
            s,
            "  failed {} {} ({} §{}): {:?}, {} of {} cases",
            t.level.as_str(),
            t.id,
            t.document,
            q.section,
            one_line(&q.quote, 160),
            t.failing.len(),
            t.cases
        );
    }
    let failing: usize = run
        .records
        .iter()
        .filter(|r| r.verdict().fails_run(ctx.strict))
        .count();
    let result = if run.sent() == 0 {
        "NOTHING TESTED (no case was sent)".to_string()
    } else if run.tested() == 0 {
        "NOTHING TESTED (every case sent was answered unsupported)".to_string()
    } else if failing == 0 {
        "ok".to_string()
    } else {
        format!("FAILED ({failing} failing)")
    };
    let _ = writeln!(
        s,
        "result: {result}. {} in {:.2}s",
        super::plural(run.records.len(), "case"),
        run.elapsed.as_secs_f64()
    );
    s
}

/// `212 cases: 200 pass (3 with another code), 12 fail`.
fn tally_line(t: &Tally) -> String {
    let parts: Vec<String> = Verdict::ALL
        .iter()
        .filter_map(|v| {
            let n = t.verdicts.get(v)?;
            let mut notes = Vec::new();
            if *v == Verdict::Pass && t.other_code > 0 {
                notes.push(format!("{} with another code", t.other_code));
            }
            if *v == Verdict::Pass && t.accepted_only > 0 {
                notes.push(format!("{} accepted, no result", t.accepted_only));
            }
            let other = if notes.is_empty() {
                String::new()
            } else {
                format!(" ({})", notes.join(", "))
            };
            Some(format!("{n} {}{other}", v.as_str()))
        })
        .collect();
    format!("{} {}", count(t.total()), parts.join(", "))
}

/// `   7 cases:`, aligned.
fn count(n: usize) -> String {
    let noun = if n == 1 { "case: " } else { "cases:" };
    format!("{n:4} {noun}")
}

/// An op none of whose cases were sent is one short line, not a count
/// of unsupported verdicts that reads like work done.
fn op_line(t: &Tally) -> String {
    if t.not_sent == t.total() {
        format!("{} not declared", count(t.total()))
    } else if t.not_sent > 0 {
        let features: Vec<&str> = t.features_not_declared.iter().map(|f| f.as_str()).collect();
        format!(
            "{} ({} not sent: feature {} not declared)",
            tally_line(t),
            t.not_sent,
            one_line(&features.join(", "), MAX_INPUT)
        )
    } else {
        tally_line(t)
    }
}

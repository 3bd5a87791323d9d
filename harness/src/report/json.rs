//! `--json`: one record per case plus provenance; stable, no timestamps.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::Context;
use crate::diff::expected_json;
use crate::run::RunResult;

pub fn to_json(run: &RunResult, ctx: &Context) -> Value {
    let by_doc = run.counts_by_document();
    let named = |counts: &BTreeMap<crate::verdict::Verdict, usize>| -> BTreeMap<&str, usize> {
        counts.iter().map(|(v, n)| (v.as_str(), *n)).collect()
    };
    let mut verdicts: BTreeMap<&str, usize> = BTreeMap::new();
    for counts in by_doc.values() {
        for (v, n) in named(counts) {
            *verdicts.entry(v).or_default() += n;
        }
    }
    let documents: BTreeMap<&str, BTreeMap<&str, usize>> =
        by_doc.iter().map(|(d, c)| (*d, named(c))).collect();
    let cases: Vec<Value> = run
        .records
        .iter()
        .map(|r| {
            let c = &r.case;
            json!({
                "id": c.id,
                "description": c.description,
                "citation": c.citation,
                "level": c.level,
                "op": c.op,
                "file": format!("vectors/{}", c.file),
                "line": c.line,
                "tags": c.tags,
                "requirements": c.requirements,
                "ambiguity": c.ambiguity,
                "reason": c.reason,
                "input": c.input,
                "expected": expected_json(&c.expect),
                "actual": r.actual,
                "verdict": r.verdict(),
                "matched": r.judgement.matched,
                "detail": r.judgement.detail(),
                "findings": r.judgement.findings,
                "duration_us": r.duration.as_micros() as u64,
                "stderr": r.stderr,
                "dns_queries": r.queries,
            })
        })
        .collect();
    json!({
        "format": "mimispec-report/1",
        "suite": {
            "name": "mimispec",
            "version": crate::SUITE_VERSION,
            "protocol": crate::protocol::PROTOCOL_VERSION,
            "corpus_digest": ctx.corpus_digest,
        },
        "implementation": {
            "name": run.info.name,
            "version": run.info.version,
            "ops": run.info.ops,
            "features": run.info.features,
            "subject": ctx.subject,
            "mode": ctx.mode,
        },
        "options": { "strict": ctx.strict },
        "summary": {
            "total": run.records.len(),
            "ok": run.ok(ctx.strict),
            "verdicts": verdicts,
            "documents": documents,
            "failing": run.records.iter().filter(|r| r.verdict().fails_run(ctx.strict)).count(),
        },
        "requirements": super::requirements::tally(run, &ctx.requirements),
        "cases": cases,
    })
}

//! A finding written as a candidate vector: a file in the format of
//! vectors/SCHEMA.md whose `expect` is what the reference answered, marked
//! as a candidate in its header and its description.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{Finding, candidate_sentence};
use crate::protocol::{Reply, canonical};
use crate::subject::Outcome;

/// What a candidate's header says of the run that found it.
pub struct Provenance<'a> {
    /// `name version` of the implementation, and its command line.
    pub implementation: &'a str,
    /// The command that finds it again.
    pub rerun: &'a str,
}

/// `<op>-<kind>-<12 hex digits of the input's digest>.yaml`: the same
/// finding always gets the same name.
pub fn file_name(f: &Finding) -> String {
    let (op, kind, input) = f.key();
    let digest = Sha256::digest(format!("{op}\n{}\n{input}", kind.as_str()).as_bytes());
    let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    format!("{op}-{}-{hex}.yaml", kind.as_str())
}

/// The answer as it travelled, or what happened instead.
pub fn outcome_json(o: &Option<Outcome>) -> Value {
    match o {
        None => Value::Null,
        Some(Outcome::Reply(r)) => r.to_json(),
        Some(Outcome::Timeout(t)) => serde_json::json!({ "timeout_ms": t.as_millis() as u64 }),
        Some(Outcome::Crash(how)) => serde_json::json!({ "crash": how }),
        Some(Outcome::ProtocolError(what)) => serde_json::json!({ "protocol_error": what }),
    }
}

pub fn reference_json(r: &Result<Reply, String>) -> Value {
    match r {
        Ok(reply) => reply.to_json(),
        Err(panic) => serde_json::json!({ "panic": panic }),
    }
}

/// The candidate file's text.
pub fn to_yaml(f: &Finding, p: &Provenance) -> String {
    let sentence = candidate_sentence(p.implementation);
    let document = crate::ops::find(f.made.op).map_or("?", |o| o.document());
    let mut out = String::new();
    for line in wrap(&sentence, 76) {
        let _ = writeln!(out, "# {line}");
    }
    let from = match &f.made.from {
        Some(id) => format!(", from corpus case {id}"),
        None => String::new(),
    };
    let lines = [
        String::new(),
        format!("{}: {}.", f.kind.as_str(), f.kind.describe()),
        format!(
            "Found by case {} ({}{from}) of: {}",
            f.made.index,
            f.made.strategy.as_str(),
            p.rerun
        ),
        format!(
            "Member {} shrunk from {} to {} units in {} calls; {} finding(s) of the run shrank to it.",
            super::mutate::pointer(&f.made.path),
            f.made.leaf.len(),
            f.leaf.len(),
            f.shrink_calls,
            f.seen
        ),
        format!(
            "The implementation answered: {}",
            flow(&canonical(&outcome_json(&f.outcome)))
        ),
        format!(
            "The reference answered: {}",
            flow(&canonical(&reference_json(&f.reference)))
        ),
        "Set section and level from the document; a reject needs the rule it breaks as reason."
            .into(),
    ];
    for line in lines {
        if line.is_empty() {
            out.push_str("#\n");
        } else {
            let _ = writeln!(out, "# {}", comment(&line));
        }
    }
    let _ = writeln!(out, "document: {document}");
    let section = f.made.section.as_deref().unwrap_or("TODO");
    let _ = writeln!(out, "section: {}", string(section));
    let _ = writeln!(out, "op: {}", f.made.op);
    out.push_str("level: informational\n");
    out.push_str("cases:\n");
    let name = file_name(f);
    let name = name
        .trim_end_matches(".yaml")
        .rsplit('-')
        .next()
        .unwrap_or("0");
    let _ = writeln!(out, "  - name: fuzz-{}-{name}", f.kind.as_str());
    let _ = writeln!(out, "    description: {}", string(&sentence));
    let _ = writeln!(out, "    input: {}", flow(&f.input));
    out.push_str("    expect:\n");
    match &f.reference {
        Ok(Reply::Error { code, message }) => {
            let _ = writeln!(out, "      reject: {{ code: {} }}", string(code));
            let reason = format!("CANDIDATE: the reference rejects it ({message}); check the rule");
            let _ = writeln!(out, "    reason: {}", string(&reason));
        }
        Ok(Reply::Result(v)) => {
            let _ = writeln!(out, "      result: {}", flow(v));
        }
        // A reference panic or an answer with no result: nothing to expect
        // yet but that it be answered.
        _ => {
            out.push_str("      reject: {}\n");
            let _ = writeln!(
                out,
                "    reason: {}",
                string(
                    "CANDIDATE: the reference gave no answer to expect; decide from the document"
                )
            );
        }
    }
    out
}

/// Writes every finding into `dir` (created if need be); returns the
/// paths, in the findings' order.
pub fn write_all(
    dir: &Path,
    findings: &[Finding],
    p: &Provenance,
) -> std::io::Result<Vec<PathBuf>> {
    if findings.is_empty() {
        return Ok(Vec::new());
    }
    std::fs::create_dir_all(dir)?;
    let mut paths = Vec::new();
    for f in findings {
        let path = dir.join(file_name(f));
        std::fs::write(&path, to_yaml(f, p))?;
        paths.push(path);
    }
    Ok(paths)
}

/// `v` as one line of YAML flow: JSON with a space after each `:` and `,`
/// (libyaml wants it), strings as [`string`] writes them.
pub fn flow(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let members: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{}: {}", string(k), flow(v)))
                .collect();
            format!("{{{}}}", members.join(", "))
        }
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(flow).collect();
            format!("[{}]", items.join(", "))
        }
        Value::String(s) => string(s),
        other => other.to_string(),
    }
}

/// A YAML double-quoted scalar of exactly `s`: JSON's escapes (which YAML
/// shares), and `\u` escapes for what YAML does not allow raw or would
/// read as a line break (DEL, C1 controls and NEL, U+2028/9, BOM,
/// non-characters).
pub fn string(s: &str) -> String {
    let json = serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        let printable = matches!(c, '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
            && c != '\u{feff}';
        if printable {
            out.push(c);
        } else {
            let _ = write!(out, "\\u{:04X}", c as u32);
        }
    }
    out
}

/// A line for a comment: nothing that would end it.
fn comment(s: &str) -> String {
    crate::diff::one_line(s, 600)
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in comment(s).split(' ') {
        let line = lines.last_mut().expect("one line at least");
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(word.to_owned());
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_round_trip_through_yaml() {
        for s in [
            "plain",
            "a\"b\\c",
            "\r\n\t\u{0}",
            "\u{7f}\u{85}\u{2028}\u{2029}\u{feff}",
            "é😀\u{9f}",
            "'",
            "# x: y",
        ] {
            let yaml = format!("v: {}\n", string(s));
            let v: serde_json::Value =
                crate::corpus::read::from_yaml("t.yaml", yaml.as_bytes()).unwrap();
            assert_eq!(v["v"], s, "{yaml}");
        }
        let v = serde_json::json!({"text": "a: b, c", "n": [1, null, true, {"k": "\u{85}"}]});
        let yaml = format!("v: {}\n", flow(&v));
        let back: serde_json::Value =
            crate::corpus::read::from_yaml("t.yaml", yaml.as_bytes()).unwrap();
        assert_eq!(back["v"], v);
    }
}

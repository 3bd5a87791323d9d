//! `--json`: one record per case plus provenance; stable, no timestamps.
//! The types here both write the report and read it back (`mimispec
//! compare`, `mimispec expect`), and give its JSON Schema
//! (harness/report.schema.json); REPORT.md documents every member.

use std::borrow::Cow;
use std::collections::BTreeMap;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use super::Context;
use super::requirements::Status;
use crate::corpus::Level;
use crate::diff::{expected_json, one_line};
use crate::run::RunResult;
use crate::verdict::{Finding, Verdict};

/// The format this mimispec writes and reads. The number changes when a
/// reader of the old format could misread the new one (REPORT.md).
pub const FORMAT: &str = "mimispec-report/2";

/// A report larger than this is refused: no real run comes near it, and
/// `compare` must not read /dev/zero to its end.
pub const MAX_REPORT: u64 = 512 << 20;

/// `s` quoted as Rust quotes it (control characters escaped), at most
/// `max` characters of it: for text from a report in a message.
pub fn quoted(s: &str, max: usize) -> String {
    let head: String = s.chars().take(max).collect();
    if head.len() < s.len() {
        format!("{head:?}…")
    } else {
        format!("{head:?}")
    }
}

/// A `mimispec run --json` report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(title = "mimispec report")]
pub struct Report {
    /// The format and its version: `mimispec-report/2`.
    #[schemars(extend("const" = FORMAT))]
    pub format: String,
    pub suite: Suite,
    pub implementation: Implementation,
    pub options: Options,
    pub summary: Summary,
    /// One entry per requirement that a case of the run tests, in catalog
    /// order.
    pub requirements: Vec<RequirementRecord>,
    /// One record per selected case, in corpus order.
    pub cases: Vec<CaseRecord>,
}

/// What ran the cases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Suite {
    /// Always `mimispec`.
    pub name: String,
    /// The version of mimispec.
    pub version: String,
    /// The protocol version spoken to the implementation (PROTOCOL.md).
    pub protocol: u64,
    /// The digest of the corpus the cases came from (`sha256:...`).
    pub corpus_digest: String,
}

/// The implementation under test, as its hello named it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Implementation {
    pub name: String,
    pub version: String,
    /// The ops its hello declared.
    pub ops: Vec<String>,
    /// The features its hello declared.
    pub features: Vec<String>,
    /// The reference, or the `--impl` command.
    pub subject: String,
    /// `in-process`, `persistent` or `one-shot`.
    pub mode: String,
}

/// The options of the run that change what fails it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Options {
    /// `--strict`: a `non-strict` case fails the run.
    pub strict: bool,
}

/// Verdict counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Summary {
    /// The number of cases.
    pub total: usize,
    /// No case fails the run (`failing` is 0).
    pub ok: bool,
    /// Cases per verdict; verdicts no case has are left out.
    pub verdicts: BTreeMap<Verdict, usize>,
    /// The same per document.
    pub documents: BTreeMap<String, BTreeMap<Verdict, usize>>,
    /// Per op: its verdict counts, passes with another code, cases not sent.
    pub ops: BTreeMap<String, OpSummary>,
    /// Cases whose verdict fails the run under `options.strict`.
    pub failing: usize,
}

/// One op's counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct OpSummary {
    pub verdicts: BTreeMap<Verdict, usize>,
    /// Passes whose rejection carried another code than the suite's.
    pub other_code: usize,
    /// Passes on acceptance alone: answered `accepted`, no result compared.
    #[serde(default)]
    pub accepted_only: usize,
    /// Cases not sent: the op or the case's feature is not declared.
    pub not_sent: usize,
}

/// How a requirement of the catalogs fared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RequirementRecord {
    pub id: String,
    pub document: String,
    pub level: Level,
    /// A rule of the suite's own (`kind: suite` in the catalog).
    pub suite: bool,
    pub status: Status,
    /// The graded cases of it that were sent.
    pub cases: usize,
    /// The ids of those that failed.
    pub failing: Vec<String>,
}

/// One case: what the vector says, what came back, and the verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CaseRecord {
    /// `<file path without .yaml>#<case name>`, stable across releases.
    pub id: String,
    pub description: String,
    pub citation: CitationRecord,
    pub level: Level,
    pub op: String,
    /// The vector file, `vectors/...`.
    pub file: String,
    /// The line of the case in that file.
    pub line: usize,
    pub tags: Vec<String>,
    /// The ids of the catalog's requirements the case tests.
    pub requirements: Vec<String>,
    /// The ambiguity register entry the case reads, if any.
    pub ambiguity: Option<String>,
    /// Why a negative case must be rejected.
    pub reason: Option<String>,
    /// The input as the vector has it (a resolve case's DNS server is
    /// added when it is sent).
    pub input: Value,
    /// `{"result": ...}`, `{"error": {"code": ...}}` (the code may be
    /// absent) or `{"properties": [...]}`.
    pub expected: Value,
    /// The answer as it travelled (`{"result": ...}`, `{"error": ...}`,
    /// `{"unsupported": ...}`); null when there was none.
    pub actual: Option<Value>,
    pub verdict: Verdict,
    /// Whether the answer met the vector; null when there was no answer.
    pub matched: Option<bool>,
    /// Every finding's sentence, one per line; null when there is none.
    pub detail: Option<String>,
    pub findings: Vec<FindingRecord>,
    pub duration_us: u64,
    /// What the implementation wrote to stderr during the case.
    pub stderr: String,
    /// The queries the mock DNS zone received, for resolve cases.
    pub dns_queries: Option<Vec<QueryRecord>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CitationRecord {
    pub document: String,
    pub section: String,
}

/// One thing the judgement found: a `kind` and that kind's members
/// (REPORT.md lists them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FindingRecord {
    pub kind: String,
    #[serde(flatten)]
    pub members: serde_json::Map<String, Value>,
}

/// One query the mock DNS zone received.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct QueryRecord {
    pub name: String,
    #[serde(rename = "type")]
    pub rtype: String,
    /// `udp`, `tcp`, or `http` for the oracle.
    pub transport: String,
}

impl From<&Finding> for FindingRecord {
    fn from(f: &Finding) -> Self {
        let mut members = match serde_json::to_value(f) {
            Ok(Value::Object(m)) => m,
            // Finding is an internally tagged enum: always an object.
            _ => serde_json::Map::new(),
        };
        let kind = match members.remove("kind") {
            Some(Value::String(k)) => k,
            _ => String::new(),
        };
        FindingRecord { kind, members }
    }
}

pub fn to_json(run: &RunResult, ctx: &Context) -> Report {
    let by_doc = run.counts_by_document();
    let mut verdicts: BTreeMap<Verdict, usize> = BTreeMap::new();
    for counts in by_doc.values() {
        for (v, n) in counts {
            *verdicts.entry(*v).or_default() += n;
        }
    }
    let documents = by_doc.into_iter().map(|(d, c)| (d.to_owned(), c)).collect();
    let cases = run
        .records
        .iter()
        .map(|r| {
            let c = &r.case;
            CaseRecord {
                id: c.id.clone(),
                description: c.description.clone(),
                citation: CitationRecord {
                    document: c.citation.document.clone(),
                    section: c.citation.section.clone(),
                },
                level: c.level,
                op: c.op.clone(),
                file: format!("vectors/{}", c.file),
                line: c.line,
                tags: c.tags.clone(),
                requirements: c.requirements.clone(),
                ambiguity: c.ambiguity.clone(),
                reason: c.reason.clone(),
                input: c.input.clone(),
                expected: expected_json(&c.expect),
                actual: r.actual.clone(),
                verdict: r.verdict(),
                matched: r.judgement.matched,
                detail: r.judgement.detail(),
                findings: r.judgement.findings.iter().map(Into::into).collect(),
                duration_us: r.duration.as_micros() as u64,
                stderr: r.stderr.clone(),
                dns_queries: r.queries.as_ref().map(|qs| {
                    qs.iter()
                        .map(|q| QueryRecord {
                            name: q.name.clone(),
                            rtype: q.rtype.clone(),
                            transport: q.transport.to_owned(),
                        })
                        .collect()
                }),
            }
        })
        .collect();
    let requirements = super::requirements::tally(run, &ctx.requirements)
        .into_iter()
        .map(|t| RequirementRecord {
            id: t.id.to_owned(),
            document: t.document.to_owned(),
            level: t.level,
            suite: t.suite,
            status: t.status,
            cases: t.cases,
            failing: t.failing.iter().map(|s| s.to_string()).collect(),
        })
        .collect();
    Report {
        format: FORMAT.to_owned(),
        suite: Suite {
            name: "mimispec".into(),
            version: crate::SUITE_VERSION.into(),
            protocol: crate::protocol::PROTOCOL_VERSION,
            corpus_digest: ctx.corpus_digest.clone(),
        },
        implementation: Implementation {
            name: run.info.name.clone(),
            version: run.info.version.clone(),
            ops: run.info.ops.clone(),
            features: run.info.features.clone(),
            subject: ctx.subject.clone(),
            mode: ctx.mode.to_owned(),
        },
        options: Options { strict: ctx.strict },
        summary: Summary {
            total: run.records.len(),
            ok: run.ok(ctx.strict),
            verdicts,
            documents,
            ops: run
                .tally_by(|r| r.case.op.as_str())
                .into_iter()
                .map(|(op, t)| {
                    let summary = OpSummary {
                        verdicts: t.verdicts,
                        other_code: t.other_code,
                        accepted_only: t.accepted_only,
                        not_sent: t.not_sent,
                    };
                    (op.to_owned(), summary)
                })
                .collect(),
            failing: run
                .records
                .iter()
                .filter(|r| r.verdict().fails_run(ctx.strict))
                .count(),
        },
        requirements,
        cases,
    }
}

/// The committed schema's text (harness/report.schema.json).
pub fn schema_text() -> String {
    let schema = schemars::schema_for!(Report);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

impl Report {
    /// Does this case fail the run it was part of?
    pub fn fails_run(&self, case: &CaseRecord) -> bool {
        case.verdict.fails_run(self.options.strict)
    }

    /// Reads a report: refuses what is not JSON, not a mimispec report, of
    /// another format version, or not of this version's shape. Every piece
    /// of the file in a message is escaped and bounded.
    pub fn read(bytes: &[u8]) -> Result<Report, String> {
        #[derive(Deserialize)]
        struct Head {
            format: Option<Value>,
        }
        let head: Head = serde_json::from_slice(bytes).map_err(|e| match e.classify() {
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                format!("not JSON ({})", one_line(&e.to_string(), 200))
            }
            _ => "not a mimispec report: not a JSON object".to_owned(),
        })?;
        // serde reads a struct from an array too.
        if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return Err("not a mimispec report: not a JSON object".to_owned());
        }
        match head.format {
            Some(Value::String(f)) if f == FORMAT => {}
            Some(Value::String(f)) if f.starts_with("mimispec-report/") => {
                return Err(format!(
                    "a {} report, and this mimispec ({}) reads {FORMAT} only: use the mimispec that wrote it",
                    quoted(&f, 40),
                    crate::SUITE_VERSION
                ));
            }
            Some(other) => {
                return Err(format!(
                    "not a mimispec report: its format is {}, not {FORMAT:?}",
                    one_line(&other.to_string(), 60)
                ));
            }
            None => {
                return Err(format!(
                    "not a mimispec report: it has no \"format\" member ({FORMAT:?})"
                ));
            }
        }
        let de = &mut serde_json::Deserializer::from_slice(bytes);
        let report: Report = serde_path_to_error::deserialize(de).map_err(|e| {
            format!(
                "not a {FORMAT} report: at {}: {}",
                one_line(&e.path().to_string(), 80),
                one_line(&e.inner().to_string(), 200)
            )
        })?;
        let mut seen = std::collections::HashSet::new();
        if let Some(dup) = report.cases.iter().find(|c| !seen.insert(c.id.as_str())) {
            return Err(format!("case {} appears twice", quoted(&dup.id, 200)));
        }
        Ok(report)
    }
}

// Verdicts, levels and statuses are read by the names their Serialize
// derives write; the lists come from the enums, so a new variant is read
// and in the schema without an edit here.

fn by_name<'de, D, T: Copy>(
    d: D,
    all: &[T],
    name: fn(T) -> &'static str,
    what: &str,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    let s = String::deserialize(d)?;
    all.iter().copied().find(|v| name(*v) == s).ok_or_else(|| {
        let names: Vec<&str> = all.iter().map(|v| name(*v)).collect();
        D::Error::custom(format!(
            "unknown {what} {}, expected one of {}",
            quoted(&s, 40),
            names.join(", ")
        ))
    })
}

fn names_schema<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> Schema {
    let names: Vec<&str> = all.iter().map(|v| name(*v)).collect();
    json_schema!({ "type": "string", "enum": names })
}

impl<'de> Deserialize<'de> for Verdict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        by_name(d, &Verdict::ALL, Verdict::as_str, "verdict")
    }
}

impl JsonSchema for Verdict {
    fn schema_name() -> Cow<'static, str> {
        "Verdict".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        names_schema(&Verdict::ALL, Verdict::as_str)
    }
}

impl JsonSchema for Level {
    fn schema_name() -> Cow<'static, str> {
        "Level".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        names_schema(&Level::ALL, Level::as_str)
    }
}

impl<'de> Deserialize<'de> for Status {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        by_name(d, &Status::ALL, Status::as_str, "requirement status")
    }
}

impl JsonSchema for Status {
    fn schema_name() -> Cow<'static, str> {
        "Status".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        names_schema(&Status::ALL, Status::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names read are the names written, for every variant.
    #[test]
    fn enums_read_what_they_write() {
        for v in Verdict::ALL {
            let text = serde_json::to_string(&v).unwrap();
            assert_eq!(text, format!("{:?}", v.as_str()));
            assert_eq!(serde_json::from_str::<Verdict>(&text).unwrap(), v);
        }
        for s in Status::ALL {
            let text = serde_json::to_string(&s).unwrap();
            assert_eq!(serde_json::from_str::<Status>(&text).unwrap(), s);
        }
        for l in Level::ALL {
            assert_eq!(
                serde_json::to_string(&l).unwrap(),
                format!("{:?}", l.as_str())
            );
        }
        let err = serde_json::from_str::<Verdict>("\"maybe\"").unwrap_err();
        assert!(
            err.to_string().contains("unknown verdict \"maybe\""),
            "{err}"
        );
    }
}

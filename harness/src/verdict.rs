//! Verdicts: one per case, from the case, what the subject did, and the
//! run's expectations. Every rule that decides a verdict is in [`Judge`];
//! what it found is typed ([`Finding`]), and each report renders it.

use std::time::Duration;

use serde::Serialize;

use crate::corpus::{Case, Expect, Level};
use crate::expectations::Expectations;
use crate::property;
use serde_json::Value;

use crate::ops::Unkeeping;
use crate::protocol::{ImplInfo, Reply, canonical};
use crate::subject::Outcome;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Pass,
    Fail,
    /// A SHOULD or MAY case failed: a failure only with `--strict`.
    NonStrict,
    /// Recorded, never a failure.
    Informational,
    Unsupported,
    /// Failed, and listed with a reason in the expectations file.
    ExpectedFail,
    /// Listed as an expected failure but passed: the list is stale.
    UnexpectedPass,
    Timeout,
    Crash,
    ProtocolError,
}

impl Verdict {
    pub const ALL: [Verdict; 10] = [
        Verdict::Pass,
        Verdict::Fail,
        Verdict::NonStrict,
        Verdict::Informational,
        Verdict::Unsupported,
        Verdict::ExpectedFail,
        Verdict::UnexpectedPass,
        Verdict::Timeout,
        Verdict::Crash,
        Verdict::ProtocolError,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::NonStrict => "non-strict",
            Verdict::Informational => "informational",
            Verdict::Unsupported => "unsupported",
            Verdict::ExpectedFail => "expected-fail",
            Verdict::UnexpectedPass => "unexpected-pass",
            Verdict::Timeout => "timeout",
            Verdict::Crash => "crash",
            Verdict::ProtocolError => "protocol-error",
        }
    }

    /// Does this verdict make the run exit non-zero?
    pub fn fails_run(self, strict: bool) -> bool {
        match self {
            Verdict::Fail
            | Verdict::UnexpectedPass
            | Verdict::Timeout
            | Verdict::Crash
            | Verdict::ProtocolError => true,
            Verdict::NonStrict => strict,
            _ => false,
        }
    }
}

/// One thing a judgement found. Reports render these; none is a string
/// built at the point of failure.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Finding {
    /// The result is not the vector's exact result (the diff shows how).
    ResultDiffers,
    /// The input is valid, and the implementation rejected it.
    RejectedValid {
        code: String,
    },
    /// The input is invalid, and the implementation accepted it.
    AcceptedInvalid,
    /// The implementation answered `accepted`: valid, with no result, so
    /// only the acceptance was judged.
    ResultNotCompared,
    /// Members of the result the implementation does not declare the
    /// feature of ([`crate::ops::UNKEPT`]) were not compared.
    NotCompared {
        members: Vec<&'static str>,
        feature: &'static str,
    },
    /// Rejected as it must be, with another code (after the error map).
    OtherCode {
        code: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        mapped: Option<String>,
        want: String,
    },
    /// A property of the result does not hold.
    Property {
        property: &'static str,
        message: String,
    },
    /// The result does not have the op's result type.
    ResultShape {
        message: String,
    },
    /// The queries the mock DNS zone received break the case's assertions.
    Queries {
        message: String,
    },
    /// The implementation answered `unsupported`.
    Unsupported {
        why: String,
    },
    /// The op is not in the implementation's hello.
    OpNotDeclared {
        op: String,
    },
    /// The case's feature is not in the implementation's hello.
    FeatureNotDeclared {
        feature: String,
    },
    Timeout {
        #[serde(rename = "after_ms", serialize_with = "millis")]
        after: Duration,
    },
    Crash {
        how: String,
    },
    ProtocolError {
        what: String,
    },
    /// mimispec itself failed (the mock zone did not start): never a pass.
    HarnessFault {
        what: String,
    },
    /// Listed in the expectations file.
    ExpectedFailure {
        reason: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        issue: Option<String>,
    },
    /// Listed in the expectations file, and passed.
    StaleExpectation {
        reason: String,
    },
}

fn millis<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(d.as_millis() as u64)
}

impl Finding {
    /// The sentence a person reads, when the finding has one of its own
    /// (a differing result is shown by its diff instead).
    pub fn note(&self) -> Option<String> {
        Some(match self {
            Finding::ResultDiffers => return None,
            Finding::RejectedValid { code } => {
                format!("rejected with {code}, but the input is valid")
            }
            Finding::AcceptedInvalid => "accepted, but the input must be rejected".into(),
            Finding::ResultNotCompared => {
                "accepted without a result: only the acceptance was judged".into()
            }
            Finding::NotCompared { members, feature } => format!(
                "not compared: {} (feature {feature} not declared)",
                members.join(", ")
            ),
            Finding::OtherCode { code, mapped, want } => {
                let shown = match mapped {
                    Some(m) => format!("{code} (mapped to {m})"),
                    None => code.clone(),
                };
                format!("rejected as it must be, with code {shown} where the suite says {want}")
            }
            Finding::Property { message, .. } => message.clone(),
            Finding::ResultShape { message } => {
                format!("the result does not have the op's shape (PROTOCOL.md): {message}")
            }
            Finding::Queries { message } => message.clone(),
            Finding::Unsupported { why } if why.is_empty() => return None,
            Finding::Unsupported { why } => why.clone(),
            Finding::OpNotDeclared { op } => {
                format!("the implementation does not declare op {op}")
            }
            Finding::FeatureNotDeclared { feature } => {
                format!("the implementation does not declare feature {feature}")
            }
            Finding::Timeout { after } => format!("no answer within {after:?}"),
            Finding::Crash { how } => how.clone(),
            Finding::ProtocolError { what } => what.clone(),
            Finding::HarnessFault { what } => what.clone(),
            Finding::ExpectedFailure { reason, issue } => match issue {
                Some(issue) => format!("expected failure ({reason}, {issue})"),
                None => format!("expected failure ({reason})"),
            },
            Finding::StaleExpectation { reason } => format!(
                "listed as an expected failure ({reason}) but passed: remove it from the expectations file"
            ),
        })
    }
}

/// How strictly to judge.
#[derive(Debug, Clone, Default)]
pub struct Judge {
    /// `--strict`: SHOULD and MAY failures are failures.
    pub strict: bool,
    /// A reject with another code fails (the reference is held to this).
    pub strict_codes: bool,
    pub expectations: Expectations,
}

/// The verdict and what was found on the way to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Judgement {
    pub verdict: Verdict,
    /// Did the answer meet the vector? (`None` when there was no answer.)
    pub matched: Option<bool>,
    pub findings: Vec<Finding>,
}

impl Judgement {
    /// Does this judgement show `requirement` met or failed? Not when the
    /// answer that decided it left out what the requirement is about: an
    /// `accepted` answer shows no result, an undeclared feature's members
    /// show nothing of their requirements.
    pub fn evidences(&self, requirement: &str) -> bool {
        !self.findings.iter().any(|f| match f {
            Finding::ResultNotCompared => self.matched == Some(true),
            Finding::NotCompared { feature, .. } => crate::ops::UNKEPT
                .iter()
                .any(|u| u.feature == *feature && u.requirements.contains(&requirement)),
            _ => false,
        })
    }

    /// Was the case passed on acceptance alone (`accepted`, no result)?
    pub fn acceptance_only(&self) -> bool {
        self.findings
            .iter()
            .any(|f| matches!(f, Finding::ResultNotCompared))
    }

    fn new(verdict: Verdict, matched: Option<bool>, findings: Vec<Finding>) -> Self {
        Judgement {
            verdict,
            matched,
            findings,
        }
    }

    /// Every finding's note, one per line; an expectation's reason leads
    /// the line it explains.
    pub fn detail(&self) -> Option<String> {
        let (listed, rest): (Vec<&Finding>, Vec<&Finding>) = self.findings.iter().partition(|f| {
            matches!(
                f,
                Finding::ExpectedFailure { .. } | Finding::StaleExpectation { .. }
            )
        });
        let notes: Vec<String> = rest.iter().filter_map(|f| f.note()).collect();
        let body = (!notes.is_empty()).then(|| notes.join("\n"));
        match listed.first() {
            Some(stale @ Finding::StaleExpectation { .. }) => stale.note(),
            Some(expected) => {
                let head = expected.note().unwrap_or_default();
                Some(match body {
                    Some(b) => format!("{head}: {b}"),
                    None => head,
                })
            }
            None => body,
        }
    }
}

impl Judge {
    /// The judgement for a case the implementation is not sent: its op or
    /// feature is not declared. `None` when it is to be sent.
    pub fn not_declared(&self, case: &Case, info: &ImplInfo) -> Option<Judgement> {
        let finding = if !info.supports(&case.op) {
            Finding::OpNotDeclared {
                op: case.op.clone(),
            }
        } else {
            let f = case.feature.as_ref().filter(|f| !info.has_feature(f))?;
            Finding::FeatureNotDeclared { feature: f.clone() }
        };
        Some(Judgement::new(Verdict::Unsupported, None, vec![finding]))
    }

    /// mimispec could not make the case (the mock zone did not start).
    pub fn harness_fault(&self, what: String) -> Judgement {
        Judgement::new(Verdict::Crash, None, vec![Finding::HarnessFault { what }])
    }

    /// Judges as for an implementation that declares every feature.
    pub fn judge(&self, case: &Case, outcome: &Outcome) -> Judgement {
        let all: Vec<String> = crate::ops::FEATURES.iter().map(|f| f.to_string()).collect();
        self.judge_with(case, outcome, &all, None)
    }

    /// Judges an answer of an implementation that declared `features`, with
    /// a failure found outside the answer (the queries a resolve case
    /// made): the case cannot pass with one.
    pub fn judge_with(
        &self,
        case: &Case,
        outcome: &Outcome,
        features: &[String],
        extra: Option<Finding>,
    ) -> Judgement {
        let listed = self.expectations.expected_failure(&case.id);
        let expected = listed.map(|x| Finding::ExpectedFailure {
            reason: x.reason.clone(),
            issue: x.issue.clone(),
        });
        let fault = match outcome {
            Outcome::Reply(Reply::Unsupported(why)) => {
                let finding = Finding::Unsupported { why: why.clone() };
                return Judgement::new(Verdict::Unsupported, None, vec![finding]);
            }
            Outcome::Reply(_) => None,
            Outcome::Timeout(t) => Some((Verdict::Timeout, Finding::Timeout { after: *t })),
            Outcome::Crash(m) => Some((Verdict::Crash, Finding::Crash { how: m.clone() })),
            Outcome::ProtocolError(m) => Some((
                Verdict::ProtocolError,
                Finding::ProtocolError { what: m.clone() },
            )),
        };
        if let Some((verdict, finding)) = fault {
            return match expected {
                Some(x) => Judgement::new(Verdict::ExpectedFail, None, vec![x, finding]),
                None => Judgement::new(verdict, None, vec![finding]),
            };
        }
        let Outcome::Reply(reply) = outcome else {
            unreachable!("every other outcome returned above")
        };
        let (mut matched, mut findings) = self.check(case, reply, features);
        if let Some(x) = extra {
            matched = false;
            findings.push(x);
        }
        let verdict = match (matched, case.level) {
            (_, Level::Informational) => Verdict::Informational,
            (true, _) if listed.is_some() => Verdict::UnexpectedPass,
            (true, _) => Verdict::Pass,
            (false, _) if listed.is_some() => Verdict::ExpectedFail,
            (false, Level::Must) => Verdict::Fail,
            (false, Level::Should | Level::May) if self.strict => Verdict::Fail,
            (false, Level::Should | Level::May) => Verdict::NonStrict,
        };
        match (verdict, listed) {
            (Verdict::UnexpectedPass, Some(x)) => findings.insert(
                0,
                Finding::StaleExpectation {
                    reason: x.reason.clone(),
                },
            ),
            (Verdict::ExpectedFail, Some(_)) => findings.insert(0, expected.expect("listed")),
            _ => {}
        }
        Judgement::new(verdict, Some(matched), findings)
    }

    /// Whether a reply meets the case's expectation, and what was found.
    fn check(&self, case: &Case, reply: &Reply, features: &[String]) -> (bool, Vec<Finding>) {
        let shape = |got| {
            crate::corpus::check::result_shape(&case.op, got)
                .map(|message| Finding::ResultShape { message })
        };
        match (&case.expect, reply) {
            (Expect::Result(want), Reply::Result(got)) => {
                let (mut want, mut got) = (canonical(want), canonical(got));
                let mut f = Vec::new();
                for u in crate::ops::unkept(&case.op, features) {
                    if leave_out(u, &mut want, &mut got) {
                        f.push(Finding::NotCompared {
                            members: u.members.to_vec(),
                            feature: u.feature,
                        });
                    }
                }
                if want == got {
                    (true, f)
                } else {
                    f.insert(0, Finding::ResultDiffers);
                    f.extend(shape(&got));
                    (false, f)
                }
            }
            (Expect::Result(_) | Expect::Properties(_), Reply::Accepted) => {
                (true, vec![Finding::ResultNotCompared])
            }
            (Expect::Reject(_), Reply::Accepted) => (false, vec![Finding::AcceptedInvalid]),
            (Expect::Result(_) | Expect::Properties(_), Reply::Error { code, .. }) => {
                (false, vec![Finding::RejectedValid { code: code.clone() }])
            }
            (Expect::Reject(r), Reply::Error { code, .. }) => {
                let mapped = self.expectations.map_code(&case.op, code);
                match &r.code {
                    Some(want) if want != mapped => {
                        let finding = Finding::OtherCode {
                            code: code.clone(),
                            mapped: (mapped != code).then(|| mapped.to_owned()),
                            want: want.clone(),
                        };
                        (!self.strict_codes, vec![finding])
                    }
                    _ => (true, Vec::new()),
                }
            }
            (Expect::Reject(_), Reply::Result(_)) => (false, vec![Finding::AcceptedInvalid]),
            (Expect::Properties(props), Reply::Result(got)) => {
                let mut failed: Vec<Finding> = props
                    .iter()
                    .filter_map(|p| {
                        property::check(p, got)
                            .err()
                            .map(|message| Finding::Property {
                                property: p.name(),
                                message,
                            })
                    })
                    .collect();
                if failed.is_empty() {
                    (true, failed)
                } else {
                    failed.extend(shape(got));
                    (false, failed)
                }
            }
            (_, Reply::Unsupported(_)) => unreachable!("handled by judge"),
        }
    }
}

/// Takes an unkept member out of the comparison. True when that hid
/// something: the vector had an ignored member, or one side had an empty
/// member the other left out.
pub(crate) fn leave_out(u: &crate::ops::Unkept, want: &mut Value, got: &mut Value) -> bool {
    let (Some(w), Some(g)) = (want.as_object_mut(), got.as_object_mut()) else {
        return false;
    };
    let mut hid = false;
    for m in u.members {
        match u.how {
            Unkeeping::Ignored => {
                hid |= w.remove(*m).is_some();
                g.remove(*m);
            }
            Unkeeping::AbsentIsEmpty => {
                hid |= w.contains_key(*m) != g.contains_key(*m);
                for side in [&mut *w, &mut *g] {
                    side.entry(*m)
                        .or_insert_with(|| Value::String(String::new()));
                }
            }
        }
    }
    hid
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::corpus::{Citation, Property, Reject};

    fn case(level: Level, expect: Expect) -> Case {
        Case {
            id: "immi-content/msg-id/t#c".into(),
            file: "immi-content/msg-id/t.yaml".into(),
            line: 1,
            description: "d".into(),
            citation: Citation {
                document: "immi-content".into(),
                section: "5.1".into(),
            },
            level,
            op: "immi.msg_id.parse".into(),
            input: json!({"text": "<a@b>"}),
            expect,
            reason: None,
            tags: Vec::new(),
            requirements: Vec::new(),
            feature: None,
            ambiguity: None,
            zone: None,
            queries: None,
        }
    }

    fn result() -> Expect {
        Expect::Result(json!({"id_left": "a", "id_right": "b"}))
    }

    fn reject(code: Option<&str>) -> Expect {
        Expect::Reject(Reject {
            code: code.map(str::to_owned),
        })
    }

    fn props() -> Expect {
        Expect::Properties(vec![Property::Equals {
            path: "/id_left".into(),
            value: json!("a"),
        }])
    }

    fn ok(v: serde_json::Value) -> Outcome {
        Outcome::Reply(Reply::Result(v))
    }

    fn right() -> Outcome {
        ok(json!({"id_left": "a", "id_right": "b"}))
    }

    fn wrong() -> Outcome {
        ok(json!({"id_left": "x", "id_right": "b"}))
    }

    fn err(code: &str) -> Outcome {
        Outcome::Reply(Reply::Error {
            code: code.into(),
            message: String::new(),
        })
    }

    fn judge(strict: bool, strict_codes: bool, expect_yaml: &str) -> Judge {
        // The case, and one that expects the code the error map targets.
        let cases = [
            case(Level::Must, result()),
            case(Level::Must, reject(Some("immi.msg_id.missing_at"))),
        ];
        let expectations = if expect_yaml.is_empty() {
            Expectations::default()
        } else {
            Expectations::load("e.yaml", expect_yaml.as_bytes(), &cases).unwrap()
        };
        Judge {
            strict,
            strict_codes,
            expectations,
        }
    }

    const LISTED: &str = "expected-failures:\n  \"immi-content/msg-id/t#c\": known\n";
    const MAPPED: &str = "error-map:\n  E_AT: immi.msg_id.missing_at\n";

    /// Flags, expectations, level, expect, outcome; verdict, matched, finding kinds.
    type Row = (
        (bool, bool),
        &'static str,
        Level,
        Expect,
        Outcome,
        Verdict,
        Option<bool>,
        Vec<&'static str>,
    );

    /// Every rule of the judge, one row each: flags, expectations file,
    /// level, what the vector expects, what came back; the verdict, whether
    /// the answer matched, and the kinds of the findings.
    #[test]
    fn every_rule_of_the_judge() {
        use Level::{May, Must, Should};
        use Verdict::*;
        let no = (false, false);
        let strict = (true, false);
        let codes = (false, true);
        #[rustfmt::skip]
        let rows: Vec<Row> = vec![
            (no, "", Must, result(), right(), Pass, Some(true), vec![]),
            (no, "", Must, result(), wrong(), Fail, Some(false), vec!["result-differs"]),
            (no, "", Must, result(), ok(json!({"id_left": 1})), Fail, Some(false), vec!["result-differs", "result-shape"]),
            (no, "", Should, result(), wrong(), NonStrict, Some(false), vec!["result-differs"]),
            (no, "", May, result(), wrong(), NonStrict, Some(false), vec!["result-differs"]),
            (strict, "", Should, result(), wrong(), Fail, Some(false), vec!["result-differs"]),
            (strict, "", May, result(), wrong(), Fail, Some(false), vec!["result-differs"]),
            (no, "", Level::Informational, result(), wrong(), Informational, Some(false), vec!["result-differs"]),
            (strict, "", Level::Informational, result(), right(), Informational, Some(true), vec![]),
            (no, "", Must, result(), err("x.y.z"), Fail, Some(false), vec!["rejected-valid"]),
            (no, "", Must, reject(Some("immi.msg_id.missing_at")), err("immi.msg_id.missing_at"), Pass, Some(true), vec![]),
            (no, "", Must, reject(None), err("anything"), Pass, Some(true), vec![]),
            (no, "", Must, reject(Some("immi.msg_id.missing_at")), err("E_OTHER"), Pass, Some(true), vec!["other-code"]),
            (codes, "", Must, reject(Some("immi.msg_id.missing_at")), err("E_OTHER"), Fail, Some(false), vec!["other-code"]),
            (codes, "", Should, reject(Some("immi.msg_id.missing_at")), err("E_OTHER"), NonStrict, Some(false), vec!["other-code"]),
            (codes, MAPPED, Must, reject(Some("immi.msg_id.missing_at")), err("E_AT"), Pass, Some(true), vec![]),
            (no, MAPPED, Must, reject(Some("immi.msg_id.bad_dot")), err("E_AT"), Pass, Some(true), vec!["other-code"]),
            (no, "", Must, reject(None), right(), Fail, Some(false), vec!["accepted-invalid"]),
            (no, "", Must, props(), right(), Pass, Some(true), vec![]),
            (no, "", Must, props(), wrong(), Fail, Some(false), vec!["property"]),
            (no, "", Must, props(), err("x.y.z"), Fail, Some(false), vec!["rejected-valid"]),
            (no, "", Must, result(), Outcome::Reply(Reply::Unsupported(String::new())), Unsupported, None, vec!["unsupported"]),
            (no, LISTED, Must, result(), Outcome::Reply(Reply::Unsupported("later".into())), Unsupported, None, vec!["unsupported"]),
            (no, "", Must, result(), Outcome::Timeout(Duration::from_secs(1)), Timeout, None, vec!["timeout"]),
            (no, "", Must, result(), Outcome::Crash("gone".into()), Crash, None, vec!["crash"]),
            (no, "", Must, result(), Outcome::ProtocolError("junk".into()), ProtocolError, None, vec!["protocol-error"]),
            (no, LISTED, Must, result(), Outcome::Timeout(Duration::from_secs(1)), ExpectedFail, None, vec!["expected-failure", "timeout"]),
            (no, LISTED, Must, result(), Outcome::Crash("gone".into()), ExpectedFail, None, vec!["expected-failure", "crash"]),
            (no, LISTED, Must, result(), Outcome::ProtocolError("junk".into()), ExpectedFail, None, vec!["expected-failure", "protocol-error"]),
            (no, LISTED, Must, result(), wrong(), ExpectedFail, Some(false), vec!["expected-failure", "result-differs"]),
            (no, LISTED, Should, result(), wrong(), ExpectedFail, Some(false), vec!["expected-failure", "result-differs"]),
            (no, LISTED, Must, result(), right(), UnexpectedPass, Some(true), vec!["stale-expectation"]),
            (no, LISTED, Level::Informational, result(), right(), Informational, Some(true), vec![]),
        ];
        for (i, ((s, sc), yaml, level, expect, outcome, verdict, matched, kinds)) in
            rows.into_iter().enumerate()
        {
            let j = judge(s, sc, yaml).judge(&case(level, expect), &outcome);
            let got: Vec<String> = j
                .findings
                .iter()
                .map(|f| {
                    serde_json::to_value(f).unwrap()["kind"]
                        .as_str()
                        .unwrap()
                        .to_owned()
                })
                .collect();
            assert_eq!(
                (j.verdict, j.matched, got),
                (
                    verdict,
                    matched,
                    kinds.iter().map(|k| k.to_string()).collect()
                ),
                "row {i}"
            );
        }
    }

    #[test]
    fn a_failed_query_assertion_fails_a_matching_answer() {
        let j = judge(false, false, "").judge_with(
            &case(Level::Must, result()),
            &right(),
            &[],
            Some(Finding::Queries {
                message: "MIMIX was not asked".into(),
            }),
        );
        assert_eq!((j.verdict, j.matched), (Verdict::Fail, Some(false)));
        assert_eq!(j.detail().as_deref(), Some("MIMIX was not asked"));
    }

    #[test]
    fn accepted_passes_an_accepting_case_on_acceptance_alone() {
        let j = Judge::default();
        let accepted = Outcome::Reply(Reply::Accepted);
        let pass = j.judge(&case(Level::Must, result()), &accepted);
        assert_eq!((pass.verdict, pass.matched), (Verdict::Pass, Some(true)));
        assert!(pass.acceptance_only());
        assert!(!pass.evidences("IMMI-MSGID-SYNTAX"), "shows no requirement");
        let fail = j.judge(&case(Level::Must, reject(None)), &accepted);
        assert_eq!(fail.verdict, Verdict::Fail);
        assert!(
            fail.evidences("IMMI-MSGID-SYNTAX"),
            "a wrong acceptance counts"
        );
        let plain = j.judge(&case(Level::Must, result()), &right());
        assert!(!plain.acceptance_only() && plain.evidences("IMMI-MSGID-SYNTAX"));
    }

    #[test]
    fn unkept_members_are_compared_only_with_their_feature() {
        let mut c = case(
            Level::Must,
            Expect::Result(json!({
                "utc": "2022-02-08T22:13:45Z", "offset_minutes": 0,
                "unknown_offset": true, "fraction": "50"
            })),
        );
        c.op = "immi.datetime.parse".into();
        let got = ok(json!({"utc": "2022-02-08T22:13:45Z", "offset_minutes": 0}));
        let j = Judge::default();
        let none = j.judge_with(&c, &got, &[], None);
        assert_eq!(none.verdict, Verdict::Pass);
        assert!(!none.evidences("IMMI-RFC3339-UNKNOWN-OFFSET"));
        assert!(none.evidences("IMMI-RFC3339-SYNTAX"));
        assert_eq!(
            none.detail().as_deref(),
            Some(
                "not compared: unknown_offset (feature datetime-unknown-offset not declared)\n\
                 not compared: fraction (feature datetime-fraction not declared)"
            )
        );
        // Declared, a missing member is a difference again.
        let declared = vec!["datetime-unknown-offset".to_string()];
        assert_eq!(
            j.judge_with(&c, &got, &declared, None).verdict,
            Verdict::Fail
        );
        // A wrong value of a compared member still fails.
        let off = ok(json!({"utc": "2022-02-08T22:13:45Z", "offset_minutes": 60}));
        assert_eq!(j.judge_with(&c, &off, &[], None).verdict, Verdict::Fail);
    }

    #[test]
    fn an_absent_epilogue_equals_an_empty_one_without_the_feature() {
        let mut c = case(
            Level::Must,
            Expect::Result(json!({
                "boundary": "b", "parts": ["x"], "epilogue": ""
            })),
        );
        c.op = "application_mime.multipart.parse".into();
        let j = Judge::default();
        let absent = ok(json!({"boundary": "b", "parts": ["x"]}));
        assert_eq!(j.judge_with(&c, &absent, &[], None).verdict, Verdict::Pass);
        let all = vec!["multipart-preamble-epilogue".to_string()];
        assert_eq!(j.judge_with(&c, &absent, &all, None).verdict, Verdict::Fail);
        let other = ok(json!({"boundary": "b", "parts": ["x"], "epilogue": "y"}));
        assert_eq!(j.judge_with(&c, &other, &[], None).verdict, Verdict::Fail);
        let preamble =
            ok(json!({"boundary": "b", "parts": ["x"], "epilogue": "", "preamble": "p"}));
        assert_eq!(
            j.judge_with(&c, &preamble, &[], None).verdict,
            Verdict::Fail
        );
    }

    #[test]
    fn undeclared_ops_and_features_are_not_sent() {
        let info = ImplInfo {
            name: "x".into(),
            version: "1".into(),
            ops: vec!["immi.msg_id.parse".into()],
            features: vec![],
        };
        let j = Judge::default();
        let mut c = case(Level::Must, result());
        assert_eq!(j.not_declared(&c, &info), None);
        c.feature = Some("enum-apex".into());
        let n = j.not_declared(&c, &info).unwrap();
        assert_eq!(n.verdict, Verdict::Unsupported);
        assert_eq!(
            n.detail().as_deref(),
            Some("the implementation does not declare feature enum-apex")
        );
        c.op = "immi.datetime.parse".into();
        assert_eq!(
            j.not_declared(&c, &info).unwrap().detail().as_deref(),
            Some("the implementation does not declare op immi.datetime.parse")
        );
        assert_eq!(j.harness_fault("no port".into()).verdict, Verdict::Crash);
    }

    #[test]
    fn details_read_as_before() {
        let listed = judge(false, false, LISTED);
        let c = case(Level::Must, reject(Some("immi.msg_id.missing_at")));
        let j = listed.judge(&c, &right());
        assert_eq!(
            j.detail().as_deref(),
            Some("expected failure (known): accepted, but the input must be rejected")
        );
        let j = judge(false, false, MAPPED).judge(
            &case(Level::Must, reject(Some("immi.msg_id.bad_dot"))),
            &err("E_AT"),
        );
        assert_eq!(
            j.detail().as_deref(),
            Some(
                "rejected as it must be, with code E_AT (mapped to immi.msg_id.missing_at) where the suite says immi.msg_id.bad_dot"
            )
        );
        let j = listed.judge(&case(Level::Must, result()), &right());
        assert_eq!(
            j.detail().as_deref(),
            Some(
                "listed as an expected failure (known) but passed: remove it from the expectations file"
            )
        );
    }
}

//! Verdicts: one per case, from the case, what the subject did, and the
//! run's expectations. Every rule that decides a verdict is in [`judge`].

use serde::Serialize;

use crate::expectations::Expectations;
use crate::property;
use crate::protocol::{Reply, canonical};
use crate::subject::Outcome;
use crate::vector::{Case, Expect, Level};

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

/// How strictly to judge.
#[derive(Debug, Clone, Default)]
pub struct Judge {
    /// `--strict`: SHOULD and MAY failures are failures.
    pub strict: bool,
    /// A reject with another code fails (the reference is held to this).
    pub strict_codes: bool,
    pub expectations: Expectations,
}

/// The verdict and, when it is not a plain pass, why.
#[derive(Debug, Clone, PartialEq)]
pub struct Judgement {
    pub verdict: Verdict,
    /// Did the answer meet the vector? (`None` when there was no answer.)
    pub matched: Option<bool>,
    pub detail: Option<String>,
}

impl Judge {
    pub fn judge(&self, case: &Case, outcome: &Outcome) -> Judgement {
        self.judge_with(case, outcome, None)
    }

    /// Judges with a failure found outside the answer (the queries a
    /// resolve case made): the case cannot pass with one.
    pub fn judge_with(&self, case: &Case, outcome: &Outcome, extra: Option<String>) -> Judgement {
        let listed = self.expectations.expected_failure(&case.id);
        let (matched, detail) = match outcome {
            Outcome::Reply(Reply::Unsupported(why)) => {
                let detail = if why.is_empty() {
                    None
                } else {
                    Some(why.clone())
                };
                return Judgement {
                    verdict: Verdict::Unsupported,
                    matched: None,
                    detail,
                };
            }
            Outcome::Reply(reply) => match (self.check(case, reply), extra) {
                ((m, d), None) => (m, d),
                ((_, d), Some(x)) => (false, Some(d.map_or(x.clone(), |d| format!("{d}\n{x}")))),
            },
            Outcome::Timeout(t) => {
                let v = if listed.is_some() {
                    Verdict::ExpectedFail
                } else {
                    Verdict::Timeout
                };
                return Judgement {
                    verdict: v,
                    matched: None,
                    detail: Some(format!("no answer within {t:?}")),
                };
            }
            Outcome::Crash(m) => {
                let v = if listed.is_some() {
                    Verdict::ExpectedFail
                } else {
                    Verdict::Crash
                };
                return Judgement {
                    verdict: v,
                    matched: None,
                    detail: Some(m.clone()),
                };
            }
            Outcome::ProtocolError(m) => {
                let v = if listed.is_some() {
                    Verdict::ExpectedFail
                } else {
                    Verdict::ProtocolError
                };
                return Judgement {
                    verdict: v,
                    matched: None,
                    detail: Some(m.clone()),
                };
            }
        };
        let verdict = match (matched, case.level) {
            (_, Level::Informational) => Verdict::Informational,
            (true, _) if listed.is_some() => Verdict::UnexpectedPass,
            (true, _) => Verdict::Pass,
            (false, _) if listed.is_some() => Verdict::ExpectedFail,
            (false, Level::Must) => Verdict::Fail,
            (false, Level::Should | Level::May) if self.strict => Verdict::Fail,
            (false, Level::Should | Level::May) => Verdict::NonStrict,
        };
        let detail = match (verdict, listed) {
            (Verdict::UnexpectedPass, Some(x)) => Some(format!(
                "listed as an expected failure ({}) but passed: remove it from the expectations file",
                x.reason
            )),
            (Verdict::ExpectedFail, Some(x)) => {
                let why = match &x.issue {
                    Some(issue) => format!("{}, {issue}", x.reason),
                    None => x.reason.clone(),
                };
                Some(match detail {
                    Some(d) => format!("expected failure ({why}): {d}"),
                    None => format!("expected failure ({why})"),
                })
            }
            _ => detail,
        };
        Judgement {
            verdict,
            matched: Some(matched),
            detail,
        }
    }

    /// Whether a reply meets the case's expectation, and a note if needed.
    fn check(&self, case: &Case, reply: &Reply) -> (bool, Option<String>) {
        match (&case.expect, reply) {
            (Expect::Result(want), Reply::Result(got)) => (canonical(want) == canonical(got), None),
            (Expect::Result(_), Reply::Error { code, .. }) => (
                false,
                Some(format!("rejected with {code}, but the input is valid")),
            ),
            (Expect::Reject(r), Reply::Error { code, .. }) => {
                let mapped = self.expectations.map_code(code);
                match &r.code {
                    Some(want) if want != mapped => {
                        let shown = if mapped == code {
                            code.clone()
                        } else {
                            format!("{code} (mapped to {mapped})")
                        };
                        let note = format!(
                            "rejected as it must be, with code {shown} where the suite says {want}"
                        );
                        (!self.strict_codes, Some(note))
                    }
                    _ => (true, None),
                }
            }
            (Expect::Reject(_), Reply::Result(_)) => (
                false,
                Some("accepted, but the input must be rejected".into()),
            ),
            (Expect::Properties(props), Reply::Result(got)) => {
                let failed: Vec<String> = props
                    .iter()
                    .filter_map(|p| property::check(p, got).err())
                    .collect();
                if failed.is_empty() {
                    (true, None)
                } else {
                    (false, Some(failed.join("\n")))
                }
            }
            (Expect::Properties(_), Reply::Error { code, .. }) => (
                false,
                Some(format!("rejected with {code}, but the input is valid")),
            ),
            (_, Reply::Unsupported(_)) => unreachable!("handled by judge"),
        }
    }
}

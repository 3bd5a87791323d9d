//! `--junit`: one test suite per document, one test case per vector case.

use std::collections::BTreeMap;

use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};

use super::Context;
use crate::run::RunResult;
use crate::verdict::Verdict;

pub fn to_junit(run: &RunResult, ctx: &Context) -> String {
    let human = super::Human {
        ctx,
        verbose: false,
    };
    let mut suites: BTreeMap<&str, TestSuite> = BTreeMap::new();
    for r in &run.records {
        let c = &r.case;
        let v = r.verdict();
        let mut status = match v {
            Verdict::Pass | Verdict::Informational => TestCaseStatus::success(),
            Verdict::NonStrict if !ctx.strict => TestCaseStatus::success(),
            Verdict::Unsupported | Verdict::ExpectedFail => TestCaseStatus::skipped(),
            Verdict::Timeout | Verdict::Crash | Verdict::ProtocolError => {
                TestCaseStatus::non_success(NonSuccessKind::Error)
            }
            Verdict::Fail | Verdict::NonStrict | Verdict::UnexpectedPass => {
                TestCaseStatus::non_success(NonSuccessKind::Failure)
            }
        };
        if let Some(d) = r.judgement.detail() {
            status.set_message(format!("{}: {d}", v.as_str()));
        } else if v != Verdict::Pass {
            status.set_message(v.as_str());
        }
        if !matches!(v, Verdict::Pass | Verdict::Informational) {
            // The terminal's block: input, expected, actual, diff, rerun.
            status.set_description(human.block(r));
        }
        let mut tc = TestCase::new(c.id.as_str(), status);
        tc.set_classname(c.file.trim_end_matches(".yaml").replace('/', "."));
        tc.set_time(r.duration);
        tc.add_property(Property::new("verdict", v.as_str()));
        tc.add_property(Property::new("level", c.level.as_str()));
        tc.add_property(Property::new("citation", c.citation.to_string()));
        if !c.requirements.is_empty() {
            tc.add_property(Property::new("requirements", c.requirements.join(" ")));
        }
        if !r.stderr.is_empty() {
            tc.set_system_err_lossy(r.stderr.as_bytes());
        }
        suites
            .entry(c.document())
            .or_insert_with(|| {
                let mut suite = TestSuite::new(c.document());
                suite.add_property(Property::new("mimispec.version", crate::SUITE_VERSION));
                suite.add_property(Property::new(
                    "mimispec.corpus_digest",
                    ctx.corpus_digest.as_str(),
                ));
                suite.add_property(Property::new(
                    "implementation",
                    format!("{} {}", run.info.name, run.info.version),
                ));
                suite
            })
            .add_test_case(tc);
    }
    let tallies = super::requirements::tally(run, &ctx.requirements);
    for (doc, suite) in suites.iter_mut() {
        let mine: Vec<_> = tallies.iter().filter(|t| t.document == *doc).collect();
        if !mine.is_empty() {
            suite.add_property(Property::new(
                "requirements",
                super::requirements::line(&mine),
            ));
        }
    }
    let mut report = Report::new("mimispec");
    report.set_time(run.elapsed);
    report.add_test_suites(suites.into_values());
    report.to_string().unwrap_or_default()
}

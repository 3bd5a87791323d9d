//! `mimispec expect REPORT`: an expectations file with an entry for each
//! case that fails the run, whose reason says TODO until a person writes
//! it (the loader refuses it until then).

use std::io::Read as _;
use std::path::PathBuf;
use std::process::ExitCode;

use globset::Glob;

use super::Error;
use super::compare::read_report;
use crate::corpus::LoadError;
use crate::corpus::read::MAX_FILE;
use crate::diff::one_line;
use crate::expectations::{Document, Entry, PLACEHOLDER};
use crate::report::json::{CaseRecord, Report};
use crate::report::plural;
use crate::verdict::Verdict;

#[derive(clap::Args, Debug)]
pub struct ExpectArgs {
    /// A report of `mimispec run --json FILE`.
    #[arg(value_name = "REPORT")]
    pub report: PathBuf,
    /// Write the expectations file here instead of to stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// An expectations file to keep: its entries and error-map are written
    /// again (its comments are not), and a case one of its globs matches
    /// gets no new entry. May be the same file as --output.
    #[arg(long, value_name = "FILE")]
    pub merge: Option<PathBuf>,
}

/// Does the case want an entry? Every verdict that fails the run except
/// `unexpected-pass` (its entry is the stale one), and `expected-fail`
/// (listed by a file the report was made with).
pub fn wants_entry(report: &Report, case: &CaseRecord) -> bool {
    match case.verdict {
        Verdict::UnexpectedPass => false,
        Verdict::ExpectedFail => true,
        _ => report.fails_run(case),
    }
}

/// A glob that matches `id` and nothing else: glob syntax in an id is put
/// in a class of its own.
pub fn exact_glob(id: &str) -> String {
    let mut g = String::with_capacity(id.len());
    for c in id.chars() {
        match c {
            '*' | '?' | '[' | ']' | '{' | '}' | '\\' => {
                g.push('[');
                g.push(c);
                g.push(']');
            }
            c => g.push(c),
        }
    }
    g
}

/// The entry for one case: an expected failure keeps the reason its
/// report recorded; anything else gets a placeholder with a hint.
fn entry(case: &CaseRecord) -> Result<Entry, String> {
    let glob = exact_glob(&case.id);
    let matches = Glob::new(&glob)
        .map(|g| g.compile_matcher().is_match(&case.id))
        .unwrap_or(false);
    if !matches {
        return Err(format!(
            "case {:?}: no glob matches this id alone",
            one_line(&case.id, 200)
        ));
    }
    let recorded = case
        .findings
        .iter()
        .find(|f| f.kind == "expected-failure")
        .and_then(|f| {
            let text = |k: &str| f.members.get(k).and_then(|v| v.as_str()).map(str::to_owned);
            Some((text("reason")?, text("issue")))
        })
        .filter(|(reason, _)| !reason.trim().is_empty());
    Ok(match recorded {
        Some((reason, issue)) => Entry {
            glob,
            reason,
            issue,
        },
        None => {
            // The detail, or the finding kinds where only a diff shows it.
            let kinds: Vec<&str> = case.findings.iter().map(|f| f.kind.as_str()).collect();
            let hint = match case.detail.as_deref().filter(|d| !d.is_empty()) {
                Some(d) => format!("{}: {}", case.verdict.as_str(), one_line(d, 120)),
                None if !kinds.is_empty() => {
                    format!(
                        "{}: {}",
                        case.verdict.as_str(),
                        one_line(&kinds.join(", "), 120)
                    )
                }
                None => case.verdict.as_str().to_owned(),
            };
            Entry {
                glob,
                reason: format!("{PLACEHOLDER}: why it fails ({hint})"),
                issue: None,
            }
        }
    })
}

pub fn expect(args: ExpectArgs) -> Result<ExitCode, Error> {
    let report = read_report(&args.report)?;
    let mut doc = match &args.merge {
        Some(path) => {
            let file = std::fs::File::open(path).map_err(Error::file(path))?;
            let mut bytes = Vec::new();
            // from_yaml refuses anything above MAX_FILE; read no more.
            file.take(MAX_FILE as u64 + 1)
                .read_to_end(&mut bytes)
                .map_err(Error::file(path))?;
            Document::parse(&path.display().to_string(), &bytes).map_err(Error::Expectations)?
        }
        None => Document::default(),
    };
    let merge_name = args
        .merge
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let mut kept = Vec::new();
    for e in &doc.failures {
        let g = Glob::new(&e.glob).map_err(|err| {
            Error::Expectations(LoadError::new(
                &merge_name,
                None,
                format!("{:?}: {err}", e.glob),
            ))
        })?;
        kept.push(g.compile_matcher());
    }
    let (mut placeholders, mut recorded, mut covered) = (0, 0, 0);
    for case in report.cases.iter().filter(|c| wants_entry(&report, c)) {
        if kept.iter().any(|m| m.is_match(&case.id)) {
            covered += 1;
            continue;
        }
        let e = entry(case).map_err(|m| Error::Usage(format!("{}: {m}", args.report.display())))?;
        if e.reason.starts_with(PLACEHOLDER) {
            placeholders += 1;
        } else {
            recorded += 1;
        }
        doc.failures.push(e);
    }
    let header = [
        format!(
            "Written by mimispec expect {} from a report of {} ({} {},",
            crate::SUITE_VERSION,
            plural(report.cases.len(), "case"),
            one_line(&report.implementation.name, 80),
            one_line(&report.implementation.version, 80),
        ),
        format!("corpus {}).", one_line(&report.suite.corpus_digest, 80)),
        format!("Replace each {PLACEHOLDER} reason with why the case fails: mimispec run --expect"),
        "refuses this file until none is left. Format: ci/expect.example.yaml.".to_owned(),
    ];
    let text = doc.to_yaml(&header.iter().map(String::as_str).collect::<Vec<_>>());
    if text.len() > MAX_FILE {
        return Err(Error::Usage(format!(
            "the file would be {} bytes, above the {MAX_FILE} an expectations file may have: \
             {} entries; cover cases with globs ('immi-content/msg-id/*') in a file given to --merge",
            text.len(),
            doc.failures.len()
        )));
    }
    match &args.output {
        Some(path) => std::fs::write(path, &text).map_err(Error::file(path))?,
        None => out!("{text}"),
    }
    let entries = |n: usize| {
        if n == 1 {
            "1 entry".to_owned()
        } else {
            format!("{n} entries")
        }
    };
    let mut said = vec![format!(
        "{} to write ({PLACEHOLDER})",
        plural(placeholders, "reason")
    )];
    if recorded > 0 {
        said.push(format!(
            "{} with the reason the report recorded",
            entries(recorded)
        ));
    }
    if args.merge.is_some() {
        said.push(format!(
            "{} kept from {merge_name} (covering {})",
            entries(doc.failures.len() - placeholders - recorded),
            plural(covered, "failing case")
        ));
    }
    let target = args
        .output
        .as_ref()
        .map_or("stdout".to_owned(), |p| p.display().to_string());
    eprintln!("mimispec: wrote {target}: {}", said.join("; "));
    let stale: Vec<&CaseRecord> = report
        .cases
        .iter()
        .filter(|c| c.verdict == Verdict::UnexpectedPass)
        .collect();
    if !stale.is_empty() {
        eprintln!(
            "mimispec: {} passed though listed as expected failures: remove their entries",
            plural(stale.len(), "case")
        );
        for c in stale.iter().take(20) {
            eprintln!("  {}", one_line(&c.id, 200));
        }
        if stale.len() > 20 {
            eprintln!("  ... and {} more", stale.len() - 20);
        }
    }
    Ok(ExitCode::SUCCESS)
}

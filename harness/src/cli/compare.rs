//! `mimispec compare OLD NEW`: what changed between two `--json` reports,
//! and exit status 1 when a case fails the run now and did not before.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::Error;
use crate::diff::one_line;
use crate::report::json::{CaseRecord, MAX_REPORT, Report, quoted};
use crate::report::plural;
use crate::verdict::Verdict;

#[derive(clap::Args, Debug)]
pub struct CompareArgs {
    /// The earlier report (`mimispec run --json FILE`).
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The later report.
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
}

/// Reads a report file, at most [`MAX_REPORT`] bytes; every problem is
/// one line naming the file.
pub fn read_report(path: &Path) -> Result<Report, Error> {
    let file = std::fs::File::open(path).map_err(Error::file(path))?;
    let mut bytes = Vec::new();
    file.take(MAX_REPORT + 1)
        .read_to_end(&mut bytes)
        .map_err(Error::file(path))?;
    if bytes.len() as u64 > MAX_REPORT {
        return Err(Error::Usage(format!(
            "{}: larger than {} MiB: not a report this mimispec reads",
            path.display(),
            MAX_REPORT >> 20
        )));
    }
    Report::read(&bytes).map_err(|m| Error::Usage(format!("{}: {m}", path.display())))
}

/// One case whose verdict changed, or that only one report has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub id: String,
    pub old: Option<Verdict>,
    pub new: Option<Verdict>,
    /// The newer record's detail (shown for a case that fails).
    pub detail: Option<String>,
    /// Does the case fail the run it is in (NEW's, or OLD's for a removed
    /// case)?
    pub fails: bool,
}

/// What changed between two reports, each list in report order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Comparison {
    /// In both; failing the run now, not before.
    pub regressions: Vec<Change>,
    /// In both; failing before, passing now.
    pub fixed: Vec<Change>,
    /// In both; any other change of verdict.
    pub changed: Vec<Change>,
    /// In NEW only.
    pub added: Vec<Change>,
    /// In OLD only.
    pub removed: Vec<Change>,
}

impl Comparison {
    pub fn of(old: &Report, new: &Report) -> Comparison {
        let before: std::collections::HashMap<&str, &CaseRecord> =
            old.cases.iter().map(|c| (c.id.as_str(), c)).collect();
        let now: std::collections::HashSet<&str> =
            new.cases.iter().map(|c| c.id.as_str()).collect();
        let mut out = Comparison::default();
        for n in &new.cases {
            let fails = new.fails_run(n);
            let change = |old: Option<Verdict>| Change {
                id: n.id.clone(),
                old,
                new: Some(n.verdict),
                detail: n.detail.clone(),
                fails,
            };
            let Some(o) = before.get(n.id.as_str()) else {
                out.added.push(change(None));
                continue;
            };
            let failed = old.fails_run(o);
            if fails && !failed {
                out.regressions.push(change(Some(o.verdict)));
            } else if failed && n.verdict == Verdict::Pass {
                out.fixed.push(Change {
                    detail: None,
                    ..change(Some(o.verdict))
                });
            } else if o.verdict != n.verdict {
                out.changed.push(change(Some(o.verdict)));
            }
        }
        for o in old.cases.iter().filter(|c| !now.contains(c.id.as_str())) {
            out.removed.push(Change {
                id: o.id.clone(),
                old: Some(o.verdict),
                new: None,
                detail: None,
                fails: old.fails_run(o),
            });
        }
        out
    }

    pub fn is_regression(&self) -> bool {
        !self.regressions.is_empty()
    }
}

pub fn compare(args: CompareArgs) -> Result<ExitCode, Error> {
    let old = read_report(&args.old)?;
    let new = read_report(&args.new)?;
    let who = |r: &Report| {
        format!(
            "{} {}",
            one_line(&r.implementation.name, 80),
            one_line(&r.implementation.version, 80)
        )
    };
    if old.implementation.name != new.implementation.name {
        eprintln!(
            "mimispec: warning: OLD is a report of {} and NEW of {}: compared anyway",
            quoted(&old.implementation.name, 80),
            quoted(&new.implementation.name, 80)
        );
    }
    if old.options.strict != new.options.strict {
        let with = |s: bool| if s { "with" } else { "without" };
        eprintln!(
            "mimispec: warning: OLD was run {} --strict and NEW {}: a non-strict case fails the run only under --strict",
            with(old.options.strict),
            with(new.options.strict)
        );
    }
    // As the run's summary shows it: `sha256:` and 12 hex digits.
    let short = |d: &str| one_line(&d.chars().take(19).collect::<String>(), 19);
    for (label, path, r) in [("old", &args.old, &old), ("new", &args.new, &new)] {
        outln!(
            "{label}: {}: {}, {} (mimispec {}, corpus {})",
            path.display(),
            who(r),
            plural(r.cases.len(), "case"),
            one_line(&r.suite.version, 40),
            short(&r.suite.corpus_digest)
        );
    }
    if old.suite.corpus_digest != new.suite.corpus_digest {
        outln!(
            "the corpora differ ({} and {}): cases may have been added, removed or changed",
            one_line(&old.suite.corpus_digest, 80),
            one_line(&new.suite.corpus_digest, 80)
        );
    }
    let cmp = Comparison::of(&old, &new);
    let sections: [(&str, &[Change]); 5] = [
        (
            "new failures (failing the run now, not before)",
            &cmp.regressions,
        ),
        ("fixed (failing before, passing now)", &cmp.fixed),
        ("other verdict changes", &cmp.changed),
        ("added (in NEW only)", &cmp.added),
        ("removed (in OLD only)", &cmp.removed),
    ];
    for (title, changes) in sections {
        if changes.is_empty() {
            continue;
        }
        outln!("\n{title}: {}", changes.len());
        for c in changes {
            outln!("{}", line(c));
        }
    }
    let added_failing = cmp.added.iter().filter(|c| c.fails).count();
    // An added failing case is not a regression: it was not there before.
    let added = match added_failing {
        0 => format!("{} added", cmp.added.len()),
        n => format!("{} added ({n} failing the run)", cmp.added.len()),
    };
    let parts = [
        plural(cmp.regressions.len(), "new failure"),
        format!("{} fixed", cmp.fixed.len()),
        plural(cmp.changed.len(), "other change"),
        added,
        format!("{} removed", cmp.removed.len()),
    ];
    outln!(
        "\nresult: {}: {}.",
        parts.join(", "),
        if cmp.is_regression() {
            "a regression"
        } else {
            "no regression"
        }
    );
    Ok(if cmp.is_regression() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `  id: pass -> fail`, and the detail of a failure on the next line.
fn line(c: &Change) -> String {
    let name = |v: Option<Verdict>| v.map_or("-", Verdict::as_str);
    let verdicts = match (c.old, c.new) {
        (Some(_), Some(_)) => format!("{} -> {}", name(c.old), name(c.new)),
        (None, _) => name(c.new).to_owned(),
        (_, None) => name(c.old).to_owned(),
    };
    let mut s = format!("  {}: {verdicts}", one_line(&c.id, 200));
    let detail = c.detail.as_deref().filter(|d| c.fails && !d.is_empty());
    if let Some(d) = detail.filter(|_| c.new.is_some()) {
        s.push_str(&format!("\n      {}", one_line(d, 200)));
    }
    s
}

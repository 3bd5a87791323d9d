//! `mimispec coverage`: every requirement of the catalogs with the cases
//! that test it, and per document one line of counts.

use std::path::PathBuf;
use std::process::ExitCode;

use super::{Error, load_corpus};
use crate::corpus::requirements::{self, Coverage, Kind};
use crate::corpus::{Expect, Level};

#[derive(clap::Args, Debug)]
pub struct CoverageArgs {
    /// Only this document (repeatable).
    #[arg(long)]
    pub document: Vec<String>,
    /// Also list each requirement's words and case ids.
    #[arg(long, short)]
    pub verbose: bool,
    #[arg(long, value_name = "DIR")]
    pub vectors: Option<PathBuf>,
}

/// `<document>: N requirements (MUST a, SHOULD b, MAY c; suite d), covered
/// e, untestable f, uncovered g`.
pub fn summary_line(document: &str, rows: &[&Coverage<'_>]) -> String {
    let count = |f: &dyn Fn(&Coverage<'_>) -> bool| rows.iter().filter(|r| f(r)).count();
    let level =
        |l: Level| count(&|r| r.requirement.level == l && r.requirement.kind != Kind::Suite);
    format!(
        "{document}: {} requirements (MUST {}, SHOULD {}, MAY {}; suite {}), covered {}, untestable {}, uncovered {}",
        rows.len(),
        level(Level::Must),
        level(Level::Should),
        level(Level::May),
        count(&|r| r.requirement.kind == Kind::Suite),
        count(&|r| r.status() == "covered"),
        count(&|r| r.status() == "untestable"),
        count(&|r| r.status() == "uncovered"),
    )
}

pub fn coverage(args: CoverageArgs) -> Result<ExitCode, Error> {
    let corpus = load_corpus(args.vectors.as_deref())?;
    let catalogs = requirements::load(&corpus).map_err(|e| Error::Corpus(vec![e]))?;
    let rows = requirements::coverage(&corpus, &catalogs);
    let mut lines = Vec::new();
    for document in crate::ops::documents() {
        if !args.document.is_empty() && !args.document.iter().any(|d| d == document) {
            continue;
        }
        let mine: Vec<&Coverage<'_>> = rows
            .iter()
            .filter(|r| r.requirement.document == document)
            .collect();
        if !catalogs.contains_key(document) {
            lines.push(format!("{document}: no requirement catalog yet"));
            continue;
        }
        outln!("{document} ({})", requirements::path(document));
        for r in &mine {
            let q = r.requirement;
            let rejects = r
                .cases
                .iter()
                .filter(|c| matches!(c.expect, Expect::Reject(_)))
                .count();
            let informational = r
                .cases
                .iter()
                .filter(|c| c.level == Level::Informational)
                .count();
            let level = match q.kind {
                Kind::Suite => format!("{} suite", q.level.as_str()),
                Kind::Normative => q.level.as_str().to_owned(),
            };
            outln!(
                "  {:32} {level:12} §{:10} {:10} {} cases ({} accept, {rejects} reject, {informational} informational)",
                q.id,
                q.section,
                r.status(),
                r.cases.len(),
                r.cases.len() - rejects,
            );
            if args.verbose {
                outln!("      {:?} ({})", q.quote, q.keyword);
                for c in &r.cases {
                    outln!("      {} {}", c.level.as_str(), c.id);
                }
            }
        }
        lines.push(summary_line(document, &mine));
    }
    for l in lines {
        outln!("{l}");
    }
    Ok(ExitCode::SUCCESS)
}

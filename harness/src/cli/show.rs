//! `mimispec show ID`: a case of the built-in corpus as an implementer
//! needs it, without a checkout: where it is, what it rests on, the exact
//! request line and the expected answer.

use std::path::PathBuf;
use std::process::ExitCode;

use super::{Error, load_corpus};
use crate::corpus::requirements;
use crate::diff::{expected_json, pretty};

#[derive(clap::Args, Debug)]
pub struct ShowArgs {
    /// The case id, `<file path without .yaml>#<case name>`.
    pub id: String,
    #[arg(long, value_name = "DIR")]
    pub vectors: Option<PathBuf>,
}

pub fn show(args: ShowArgs) -> Result<ExitCode, Error> {
    let corpus = load_corpus(args.vectors.as_deref())?;
    let Some(c) = corpus.cases.iter().find(|c| c.id == args.id) else {
        let near = crate::diff::nearest(&args.id, corpus.cases.iter().map(|c| c.id.as_str()))
            .map(|id| format!(" (the nearest is {id})"))
            .unwrap_or_default();
        return Err(Error::Usage(format!("no case {:?}{near}", args.id)));
    };
    outln!("{}", c.id);
    outln!(
        "{} · {} · {} · vectors/{}:{} (corpus {})",
        c.level.as_str(),
        c.citation,
        c.op,
        c.file,
        c.line,
        corpus.short_digest()
    );
    outln!("{}", c.description);
    if let Some(reason) = &c.reason {
        outln!("must be rejected because: {reason}");
    }
    if let Some(a) = &c.ambiguity {
        outln!(
            "ambiguity: {a} (vectors/{})",
            crate::corpus::register::path(c.document())
        );
    }
    if let Some(f) = &c.feature {
        outln!("feature: {f} (sent only to an implementation that declares it)");
    }
    outln!("tags: {}", c.tags.join(", "));
    let catalogs = requirements::load(&corpus).map_err(|e| Error::Corpus(vec![e]))?;
    for id in &c.requirements {
        if let Some(r) = catalogs.values().flatten().find(|r| &r.id == id) {
            let place = match &r.source {
                Some(source) => format!("{source}, for {} §{}", r.document, r.section),
                None => format!("{} §{}", r.document, r.section),
            };
            outln!(
                "requirement {id} ({place}, {}, keyword {}): {:?}",
                r.level.as_str(),
                r.keyword,
                r.quote
            );
        }
    }
    if c.zone.is_some() {
        outln!(
            "the harness adds input.dns (and input.oracle) when it serves the zone: `mimispec dns serve --case '{}'`",
            c.id
        );
    }
    let request = crate::protocol::case_request(&c.id, &c.op, &c.input);
    outln!(
        "request:\n{}",
        serde_json::to_string(&request).map_err(std::io::Error::other)?
    );
    outln!("expected:\n{}", pretty(&expected_json(&c.expect)));
    Ok(ExitCode::SUCCESS)
}

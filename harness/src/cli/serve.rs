//! `mimispec dns serve`: one case's mock zone, for dig and your resolver.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use super::{Error, load_corpus};
use crate::dns::{MockDns, TypeCodes};

#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// The case id, e.g. mimi-discovery/resolve/email#section-5-1-1-two-steps
    #[arg(long)]
    pub case: String,
    #[arg(long, default_value_t = TypeCodes::default().mimi, value_name = "CODE")]
    pub mimi_type: u16,
    #[arg(long, default_value_t = TypeCodes::default().mimix, value_name = "CODE")]
    pub mimix_type: u16,
    /// Stop after this many seconds (default: until Ctrl-C).
    #[arg(long, value_name = "SECONDS")]
    pub seconds: Option<u64>,
    #[arg(long, value_name = "DIR")]
    pub vectors: Option<PathBuf>,
}

pub fn serve(args: ServeArgs) -> Result<ExitCode, Error> {
    let types = TypeCodes {
        mimi: args.mimi_type,
        mimix: args.mimix_type,
    };
    let id = args.case.as_str();
    let corpus = load_corpus(args.vectors.as_deref())?;
    let case = corpus
        .cases
        .iter()
        .find(|c| c.id == id)
        .ok_or_else(|| Error::Usage(format!("no case {id:?}")))?;
    let zone = case
        .zone
        .as_ref()
        .ok_or_else(|| Error::Usage(format!("{id} has no zone")))?;
    let dns = MockDns::start(zone, types).map_err(Error::Usage)?;
    let addr = dns.addr;
    outln!(
        "{id}: serving on {addr} (UDP and TCP); MIMI is TYPE{}, MIMIX is TYPE{}",
        types.mimi,
        types.mimix
    );
    if let Some(o) = &dns.oracle {
        outln!("oracle: {}", o.url);
    }
    if let Some(r) = zone.records.first() {
        let code = if r.rtype.eq_ignore_ascii_case("MIMIX") {
            types.mimix
        } else {
            types.mimi
        };
        outln!(
            "try: dig @{} -p {} {} TYPE{code}",
            addr.ip(),
            addr.port(),
            r.name
        );
    }
    let input = crate::dns::inject(&case.input, &dns, types);
    outln!(
        "input: {}",
        serde_json::to_string(&input).map_err(std::io::Error::other)?
    );
    let _ = std::io::stdout().flush();
    let deadline = args
        .seconds
        .map(|s| Instant::now() + Duration::from_secs(s));
    let mut shown = 0;
    while deadline.is_none_or(|d| Instant::now() < d) {
        std::thread::sleep(Duration::from_millis(100));
        let (queries, lost, seen) = dns.since(shown);
        if lost > 0 {
            outln!(
                "query: ... {lost} queries not kept (the log keeps the newest {})",
                crate::dns::QueryLog::CAP
            );
        }
        for q in &queries {
            outln!(
                "query: {} {} ({})",
                crate::diff::one_line(&q.name, 255),
                q.rtype,
                q.transport
            );
        }
        shown = seen;
        let _ = std::io::stdout().flush();
    }
    Ok(ExitCode::SUCCESS)
}

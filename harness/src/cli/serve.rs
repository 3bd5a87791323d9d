//! `mimispec dns serve`: one case's mock zone, for dig and your resolver.
//! It first prints what the case holds (the zone in zone-file form, its
//! faults, the input, the outcome a resolver should end with and the query
//! checks), all from the corpus, then serves the zone and logs the queries.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use super::{Error, load_corpus};
use crate::corpus::{Case, Expect};
use crate::diff::one_line;
use crate::dns::{MockDns, TypeCodes, Zone};

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
    #[arg(long, value_name = "SECONDS", conflicts_with = "print_only")]
    pub seconds: Option<u64>,
    /// Print the zone, faults, expected outcome and query checks, and exit
    /// without serving.
    #[arg(long)]
    pub print_only: bool,
    #[arg(long, value_name = "DIR")]
    pub vectors: Option<PathBuf>,
}

/// A line of corpus text on the terminal: at most this many characters
/// (the bound `run` puts on an input or a note).
const LINE: usize = 2000;
/// Records and oracle entries listed; the rest are counted.
const SHOWN: usize = 200;

pub fn serve(args: ServeArgs) -> Result<ExitCode, Error> {
    if args.mimi_type == args.mimix_type {
        return Err(Error::Usage(
            "--mimi-type and --mimix-type must differ".into(),
        ));
    }
    let types = TypeCodes {
        mimi: args.mimi_type,
        mimix: args.mimix_type,
    };
    let id = args.case.as_str();
    let corpus = load_corpus(args.vectors.as_deref())?;
    let Some(case) = corpus.cases.iter().find(|c| c.id == id) else {
        let near = corpus
            .cases
            .iter()
            .filter(|c| c.zone.is_some())
            .min_by_key(|c| strsim::levenshtein(&c.id, id))
            .map(|c| format!(" (the nearest case with a zone is {})", c.id))
            .unwrap_or_default();
        return Err(Error::Usage(format!(
            "no case {:?}{near}",
            one_line(id, LINE)
        )));
    };
    let zone = case
        .zone
        .as_ref()
        .ok_or_else(|| Error::Usage(format!("{} has no zone", one_line(id, LINE))))?;
    describe(case, zone, types)?;
    if args.print_only {
        return Ok(ExitCode::SUCCESS);
    }
    let dns = MockDns::start(zone, types).map_err(Error::Usage)?;
    let addr = dns.addr;
    outln!(
        "{} on {addr} (UDP and TCP) {}",
        if zone.unreachable {
            "holding, answering nothing,"
        } else {
            "serving"
        },
        match args.seconds {
            Some(s) => format!("for {s} seconds"),
            None => "until Ctrl-C".into(),
        }
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
            one_line(&r.name, LINE)
        );
    }
    let input = crate::dns::inject(&case.input, &dns, types);
    outln!("request input: {}", json_line(&input));
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
                one_line(&q.name, 255),
                q.rtype,
                q.transport
            );
        }
        shown = seen;
        let _ = std::io::stdout().flush();
    }
    Ok(ExitCode::SUCCESS)
}

/// The case as a resolver's author needs it, from the corpus alone.
fn describe(case: &Case, zone: &Zone, types: TypeCodes) -> Result<(), Error> {
    outln!("{}", one_line(&case.id, LINE));
    outln!(
        "{} · {} · {} · vectors/{}:{}",
        case.level.as_str(),
        one_line(&case.citation.to_string(), LINE),
        case.op,
        one_line(&case.file, LINE),
        case.line
    );
    outln!("{}", one_line(&case.description, LINE));
    if let Some(a) = &case.ambiguity {
        outln!("ambiguity: {}", one_line(a, LINE));
    }

    if zone.unreachable {
        outln!(
            "zone: unreachable: nothing answers at the server's address (UDP draws ICMP port unreachable, TCP a reset)"
        );
    }
    let records = crate::dns::present::records(zone, types).map_err(Error::Usage)?;
    outln!(
        "zone: {} (MIMI is TYPE{}, MIMIX is TYPE{}; the RFC 3597 form a resolver receives, decoded after \";\"):",
        crate::report::plural(records.len(), "record"),
        types.mimi,
        types.mimix
    );
    for r in records.iter().take(SHOWN) {
        outln!("  {}", one_line(r, LINE));
    }
    if records.len() > SHOWN {
        outln!("  ... and {} more records", records.len() - SHOWN);
    }
    outln!(
        "  any other question: NXDOMAIN for a name with no records at or under it, else NODATA; both with an SOA"
    );

    if zone.faults.is_empty() {
        outln!("faults: none");
    } else {
        outln!("faults (the first that matches a query applies):");
        for f in zone.faults.iter().take(SHOWN) {
            outln!("  {}", one_line(&f.to_string(), LINE));
        }
        if zone.faults.len() > SHOWN {
            outln!("  ... and {} more faults", zone.faults.len() - SHOWN);
        }
    }

    match &zone.oracle {
        None => outln!("oracle: none"),
        Some(entries) => {
            outln!(
                "oracle: {} {} (GET /lookup?id=<identifier>, harness/PROTOCOL.md)",
                entries.len(),
                if entries.len() == 1 {
                    "entry"
                } else {
                    "entries"
                }
            );
            for (key, records) in entries.iter().take(SHOWN) {
                outln!(
                    "  {}: {}",
                    one_line(key, LINE),
                    json_line(&records.clone().into())
                );
            }
            if entries.len() > SHOWN {
                outln!("  ... and {} more entries", entries.len() - SHOWN);
            }
        }
    }

    outln!("input: {}", json_line(&case.input));
    outln!(
        "  the harness adds input.dns (server, mimi_type, mimix_type, timeout_ms {}){}",
        crate::dns::client_timeout(zone).as_millis(),
        if zone.oracle.is_some() {
            " and input.oracle"
        } else {
            ""
        }
    );

    match &case.expect {
        Expect::Result(v) => outln!("the resolver should end with the result: {}", json_line(v)),
        Expect::Reject(r) => {
            match &r.code {
                Some(code) => outln!(
                    "the resolver should end with an error, code {} (another code passes with a note; --strict-codes fails it)",
                    one_line(code, LINE)
                ),
                None => outln!("the resolver should end with an error (any code)"),
            }
            if let Some(reason) = &case.reason {
                outln!("  because: {}", one_line(reason, LINE));
            }
        }
        Expect::Properties(props) => {
            outln!("the resolver should end with a result that has:");
            for p in props {
                let p = serde_json::to_value(p).map_err(std::io::Error::other)?;
                outln!("  {}", json_line(&p));
            }
        }
    }

    let checks = case
        .queries
        .as_ref()
        .map(|q| q.describe())
        .unwrap_or_default();
    if checks.is_empty() {
        outln!("queries: no checks");
    } else {
        outln!("queries:");
        for c in &checks {
            outln!("  {}", one_line(c, LINE));
        }
    }
    Ok(())
}

/// JSON on one bounded line, bytes shown as text where they are UTF-8.
fn json_line(v: &serde_json::Value) -> String {
    let text = serde_json::to_string(&crate::protocol::display(v)).unwrap_or_default();
    one_line(&text, LINE)
}

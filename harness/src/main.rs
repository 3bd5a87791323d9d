//! The `mimispec` command line.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use mimispec::expectations::Expectations;
use mimispec::report::{self, Context, Human};
use mimispec::run::{Filter, IdPattern, RunOptions, execute};
use mimispec::subject::{ExternalConfig, Mode, SubjectSpec};
use mimispec::vector::{Corpus, Level};
use mimispec::verdict::Judge;

#[derive(Parser)]
#[command(
    name = "mimispec",
    about = "Conformance suite for IMMI, MIMI discovery, Application/MIME and p≡p Message 2.x"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the corpus against the reference or against --impl.
    Run(Box<RunArgs>),
    /// Serve the reference over the stdin/stdout protocol.
    Adapter,
    /// Serve one case's mock DNS zone on 127.0.0.1 until interrupted.
    Dns {
        #[command(subcommand)]
        command: DnsCommand,
    },
    /// Measure cases per second in process, persistent and one-shot.
    Bench {
        /// Rounds per path; the median is reported.
        #[arg(long, default_value_t = 7)]
        rounds: usize,
        /// Rounds for the one-shot path (a process per case is slow).
        #[arg(long, default_value_t = 3)]
        one_shot_rounds: usize,
        #[arg(long, value_name = "DIR")]
        vectors: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum DnsCommand {
    /// Start the zone of a resolve case and print where it listens.
    Serve {
        /// The case id, e.g. mimi-discovery/resolve/email#section-5-1-1-two-steps
        #[arg(long)]
        case: String,
        #[arg(long, default_value_t = 65280, value_name = "CODE")]
        mimi_type: u16,
        #[arg(long, default_value_t = 65281, value_name = "CODE")]
        mimix_type: u16,
        /// Stop after this many seconds (default: until Ctrl-C).
        #[arg(long, value_name = "SECONDS")]
        seconds: Option<u64>,
        #[arg(long, value_name = "DIR")]
        vectors: Option<PathBuf>,
    },
}

#[derive(clap::Args)]
struct RunArgs {
    /// The implementation: a program and its arguments in one string, split
    /// as a shell would but never run through one.
    #[arg(long = "impl", value_name = "COMMAND")]
    implementation: Option<String>,
    /// One process per case instead of one for the whole run.
    #[arg(long)]
    one_shot: bool,
    /// Seconds to wait for each answer.
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    timeout: f64,
    /// Seconds to wait for the hello.
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    handshake_timeout: f64,
    /// Largest answer line accepted, in bytes.
    #[arg(long, default_value_t = 16 << 20, value_name = "BYTES")]
    max_answer_bytes: usize,
    /// Cases in parallel (an external implementation: that many processes).
    #[arg(long, short)]
    jobs: Option<usize>,
    /// Case ids: a glob (`immi-content/msg-id/*`) or an id prefix. Repeatable.
    #[arg(long, value_name = "GLOB")]
    filter: Vec<String>,
    /// Only this document (repeatable).
    #[arg(long)]
    document: Vec<String>,
    /// Only this level: MUST, SHOULD, MAY, informational (repeatable).
    #[arg(long)]
    level: Vec<String>,
    /// Only cases with this tag or ambiguity id (repeatable).
    #[arg(long)]
    tag: Vec<String>,
    /// Print the selected ids and stop.
    #[arg(long)]
    list: bool,
    /// Read vectors from DIR instead of the corpus built in.
    #[arg(long, value_name = "DIR")]
    vectors: Option<PathBuf>,
    /// Expected failures and error-code map (YAML).
    #[arg(long, value_name = "FILE")]
    expect: Option<PathBuf>,
    /// SHOULD and MAY failures fail the run.
    #[arg(long)]
    strict: bool,
    /// A reject with another code than the suite's fails the case.
    #[arg(long)]
    strict_codes: bool,
    /// Write the JSON report here.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Write a JUnit XML report here.
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
    /// Write an HTML report here, to publish.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// The type code the mock DNS zone serves MIMI records under.
    #[arg(long, default_value_t = 65280, value_name = "CODE")]
    mimi_type: u16,
    /// The type code the mock DNS zone serves MIMIX records under.
    #[arg(long, default_value_t = 65281, value_name = "CODE")]
    mimix_type: u16,
    /// Show every case that is not a plain pass, informational ones too.
    #[arg(long, short)]
    verbose: bool,
}

/// A one-line error and exit status 2: the run could not be made.
struct Fatal(String);

impl<E: std::fmt::Display> From<E> for Fatal {
    fn from(e: E) -> Self {
        Fatal(e.to_string())
    }
}

fn load_corpus(dir: &Option<PathBuf>) -> Result<Corpus, Fatal> {
    let loaded = match dir {
        Some(d) => Corpus::from_dir(d),
        None => Corpus::embedded(),
    };
    loaded.map_err(|errors| {
        let shown: Vec<String> = errors.iter().take(50).map(|e| format!("  {e}")).collect();
        let more = errors.len().saturating_sub(50);
        let tail = if more > 0 {
            format!("\n  ... and {more} more")
        } else {
            String::new()
        };
        Fatal(format!(
            "the vectors do not load ({} errors):\n{}{tail}",
            errors.len(),
            shown.join("\n")
        ))
    })
}

fn main() -> ExitCode {
    let _ = ctrlc::set_handler(|| {
        mimispec::subject::kill_all_children();
        std::process::exit(130);
    });
    // Loading the corpus takes milliseconds: only for --version, so the
    // adapter starts fast.
    let wants_version = std::env::args()
        .skip(1)
        .any(|a| a == "--version" || a == "-V");
    let version = match wants_version.then(Corpus::embedded) {
        Some(Ok(c)) => format!(
            "{} (corpus {}, {} cases)",
            mimispec::SUITE_VERSION,
            c.digest,
            c.cases.len()
        ),
        Some(Err(_)) => format!("{} (corpus does not load)", mimispec::SUITE_VERSION),
        None => mimispec::SUITE_VERSION.to_string(),
    };
    let matches = Cli::command().version(version).get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => e.exit(),
    };
    let result = match cli.command {
        Command::Run(args) => run(*args),
        Command::Adapter => adapter(),
        Command::Dns {
            command:
                DnsCommand::Serve {
                    case,
                    mimi_type,
                    mimix_type,
                    seconds,
                    vectors,
                },
        } => dns_serve(
            &case,
            mimispec::dns::TypeCodes {
                mimi: mimi_type,
                mimix: mimix_type,
            },
            seconds,
            vectors,
        ),
        Command::Bench {
            rounds,
            one_shot_rounds,
            vectors,
        } => bench(rounds, one_shot_rounds, vectors),
    };
    mimispec::subject::kill_all_children();
    match result {
        Ok(code) => code,
        Err(Fatal(msg)) => {
            eprintln!("mimispec: error: {msg}");
            ExitCode::from(2)
        }
    }
}

fn seconds(s: f64, flag: &str) -> Result<Duration, Fatal> {
    Duration::try_from_secs_f64(s)
        .map_err(|_| Fatal(format!("{flag} must be a positive number of seconds")))
}

fn run(args: RunArgs) -> Result<ExitCode, Fatal> {
    let corpus = load_corpus(&args.vectors)?;
    let mut filter = Filter::default();
    for f in &args.filter {
        filter.ids.push(IdPattern::new(f)?);
    }
    for d in &args.document {
        if !mimispec::vector::DOCUMENTS.contains(&d.as_str()) {
            return Err(Fatal(format!(
                "--document {d:?}: one of {}",
                mimispec::vector::DOCUMENTS.join(", ")
            )));
        }
    }
    filter.documents = args.document.clone();
    for l in &args.level {
        filter.levels.push(
            Level::parse(l).ok_or_else(|| {
                Fatal(format!("--level {l:?}: MUST, SHOULD, MAY or informational"))
            })?,
        );
    }
    filter.tags = args.tag.clone();
    let cases: Vec<_> = corpus
        .cases
        .iter()
        .filter(|c| filter.matches(c))
        .cloned()
        .collect();
    if args.list {
        for c in &cases {
            println!("{}", c.id);
        }
        return Ok(ExitCode::SUCCESS);
    }
    if cases.is_empty() {
        return Err(Fatal("no case matches the filters".into()));
    }
    let expectations = match &args.expect {
        Some(path) => {
            let bytes =
                std::fs::read(path).map_err(|e| Fatal(format!("{}: {e}", path.display())))?;
            Expectations::load(&path.display().to_string(), &bytes, &corpus.cases)?
        }
        None => Expectations::default(),
    };
    let mut rerun = vec!["mimispec".to_string(), "run".to_string()];
    let (spec, mode) = match &args.implementation {
        None => (
            SubjectSpec::Reference {
                features: mimispec::reference_features(),
            },
            "in-process",
        ),
        Some(command) => {
            let words = shell_words::split(command).map_err(|e| Fatal(format!("--impl: {e}")))?;
            let (program, rest) = words
                .split_first()
                .ok_or_else(|| Fatal("--impl is empty".into()))?;
            let mut cfg = ExternalConfig::new(program.clone(), rest.to_vec());
            cfg.timeout = seconds(args.timeout, "--timeout")?;
            cfg.handshake_timeout = seconds(args.handshake_timeout, "--handshake-timeout")?;
            cfg.max_answer = args.max_answer_bytes;
            rerun.extend(["--impl".to_string(), command.clone()]);
            if args.one_shot {
                cfg.mode = Mode::OneShot;
                rerun.push("--one-shot".into());
            }
            (
                SubjectSpec::External(cfg),
                if args.one_shot {
                    "one-shot"
                } else {
                    "persistent"
                },
            )
        }
    };
    if let Some(v) = &args.vectors {
        rerun.extend(["--vectors".to_string(), v.display().to_string()]);
    }
    if let Some(e) = &args.expect {
        rerun.extend(["--expect".to_string(), e.display().to_string()]);
    }
    let types = mimispec::dns::TypeCodes {
        mimi: args.mimi_type,
        mimix: args.mimix_type,
    };
    if types.mimi == types.mimix {
        return Err(Fatal("--mimi-type and --mimix-type must differ".into()));
    }
    let judge = Judge {
        strict: args.strict,
        strict_codes: args.strict_codes,
        expectations,
    };
    let jobs = args.jobs.unwrap_or(match spec {
        SubjectSpec::Reference { .. } => std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
        SubjectSpec::External(_) => 1,
    });
    let progress = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(cases.len() as u64);
        if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} {elapsed}") {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    let opts = RunOptions { judge, jobs, types };
    let result = execute(&cases, &spec, &opts, &progress)?;
    progress.finish_and_clear();
    let ctx = Context {
        rerun_base: rerun,
        rerun_flag: Some("--filter".into()),
        subject: spec.describe(),
        mode,
        corpus_digest: corpus.digest.clone(),
        strict: args.strict,
    };
    let human = Human {
        ctx: &ctx,
        verbose: args.verbose,
    };
    for r in &result.records {
        if human.shows(r) {
            println!("{}", human.block(r));
        }
    }
    print!("{}", report::summary(&result, &ctx));
    if let Some(path) = &args.json {
        let text = serde_json::to_string_pretty(&report::to_json(&result, &ctx))?;
        std::fs::write(path, text + "\n").map_err(|e| Fatal(format!("{}: {e}", path.display())))?;
    }
    if let Some(path) = &args.junit {
        std::fs::write(path, report::to_junit(&result, &ctx))
            .map_err(|e| Fatal(format!("{}: {e}", path.display())))?;
    }
    if let Some(path) = &args.html {
        std::fs::write(path, report::to_html(&result, &ctx))
            .map_err(|e| Fatal(format!("{}: {e}", path.display())))?;
    }
    Ok(if result.ok(args.strict) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn adapter() -> Result<ExitCode, Fatal> {
    // No corpus is loaded: the adapter must start fast for one-shot runs.
    let features = mimispec::reference_features();
    match mimispec::adapter::serve_stdio(&features) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        // The harness closed our stdout: nothing left to answer.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(e.into()),
    }
}

fn bench(
    rounds: usize,
    one_shot_rounds: usize,
    vectors: Option<PathBuf>,
) -> Result<ExitCode, Fatal> {
    let corpus = load_corpus(&vectors)?;
    let exe = std::env::current_exe()?.display().to_string();
    let args = vec!["adapter".to_string()];
    let features = mimispec::reference_features();
    // The protocol paths are measured on cases without a DNS zone: those
    // measure DNS, and are reported on their own line below.
    let plain: Vec<_> = corpus
        .cases
        .iter()
        .filter(|c| c.zone.is_none())
        .cloned()
        .collect();
    let figures = mimispec::bench::measure(&plain, features, (exe, args), rounds, one_shot_rounds)?;
    println!(
        "mimispec bench · corpus {} · {} cases without a DNS zone · median of {rounds} rounds (one-shot {one_shot_rounds})",
        corpus.short_digest(),
        plain.len()
    );
    let base = figures[0].per_case;
    for f in &figures {
        let per = f.per_case.as_secs_f64();
        let over = f.per_case.saturating_sub(base).as_secs_f64() * 1e6;
        println!(
            "  {:22} {:>10.0} cases/s  {:>9.1} µs/case  (+{over:.1} µs/case over in-process; setup {:.1} ms)",
            f.name,
            if per > 0.0 { 1.0 / per } else { 0.0 },
            per * 1e6,
            f.setup.as_secs_f64() * 1e3
        );
    }
    if let Some((n, per)) =
        mimispec::bench::resolve_cost(&corpus.cases, mimispec::reference_features(), rounds)?
    {
        println!(
            "  {:22} {:>10.0} cases/s  {:>9.1} µs/case  ({n} resolve cases: zone start, queries, teardown; drop faults left out)",
            "resolve, in-process",
            1.0 / per.as_secs_f64().max(1e-9),
            per.as_secs_f64() * 1e6
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn dns_serve(
    id: &str,
    types: mimispec::dns::TypeCodes,
    seconds: Option<u64>,
    vectors: Option<PathBuf>,
) -> Result<ExitCode, Fatal> {
    use std::io::Write as _;
    let corpus = load_corpus(&vectors)?;
    let case = corpus
        .cases
        .iter()
        .find(|c| c.id == id)
        .ok_or_else(|| Fatal(format!("no case {id:?}")))?;
    let zone = case
        .zone
        .as_ref()
        .ok_or_else(|| Fatal(format!("{id} has no zone")))?;
    let dns = mimispec::dns::MockDns::start(zone, types)?;
    let addr = dns.addr;
    println!(
        "{id}: serving on {addr} (UDP and TCP); MIMI is TYPE{}, MIMIX is TYPE{}",
        types.mimi, types.mimix
    );
    if let Some(o) = &dns.oracle {
        println!("oracle: {}", o.url);
    }
    if let Some(r) = zone.records.first() {
        let code = if r.rtype.eq_ignore_ascii_case("MIMIX") {
            types.mimix
        } else {
            types.mimi
        };
        println!(
            "try: dig @{} -p {} {} TYPE{code}",
            addr.ip(),
            addr.port(),
            r.name
        );
    }
    println!(
        "input: {}",
        serde_json::to_string(&mimispec::dns::inject(&case.input, &dns, types))?
    );
    let _ = std::io::stdout().flush();
    let deadline = seconds.map(|s| std::time::Instant::now() + Duration::from_secs(s));
    let mut shown = 0;
    while deadline.is_none_or(|d| std::time::Instant::now() < d) {
        std::thread::sleep(Duration::from_millis(100));
        for q in dns.queries().iter().skip(shown) {
            println!("query: {} {} ({})", q.name, q.rtype, q.transport);
            shown += 1;
        }
        let _ = std::io::stdout().flush();
    }
    Ok(ExitCode::SUCCESS)
}

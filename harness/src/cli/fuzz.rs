//! `mimispec fuzz`: generated and mutated inputs against an
//! implementation and the reference; disagreements become candidates.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use globset::Glob;
use indicatif::{ProgressBar, ProgressStyle};

use super::{Error, load_corpus};
use crate::diff::one_line;
use crate::fuzz::{self, Kind, Options, Plan, SeedFilter, Strategy, candidate};
use crate::report::plural;
use crate::subject::{ExternalConfig, Mode, SubjectSpec};

const DEFAULT_CASES: usize = 2000;
/// Blocks printed in full; the rest are in their files.
const SHOWN: usize = 40;

#[derive(clap::Args, Debug)]
#[command(after_help = "\
Inputs are made three ways, each case tagged with its strategy: `mutate` \
(a corpus input of the op with one string member mutated character- and \
token-wise from the op's grammar), `generate` (valid inputs from the ABNF, \
for immi.msg_id.parse, immi.datetime.parse, discovery.mssi.parse, \
application_mime.content_type.parse, discovery.mui.parse and \
discovery.enum.domain) and `near-miss` (a generated input with one rule's \
edge crossed). discovery.identifier.resolve is not fuzzed: each of its \
cases needs a mock DNS zone of its own. Ops whose corpus cases are judged \
by properties and never by an exact result (writers, whose output is not \
unique) are compared on acceptance only. Error codes are never compared.

Each disagreement is shrunk and written to --out as a candidate vector whose \
expect is what the REFERENCE answered: the reference may be the one that is \
wrong. Exit status: 0 no finding, 1 findings, 2 usage or startup errors.")]
pub struct FuzzArgs {
    /// The implementation: a program and its arguments in one string, split
    /// as a shell would but never run through one.
    #[arg(long = "impl", value_name = "COMMAND")]
    pub implementation: String,
    /// Only this op, or ops matching a glob (`immi.*`); repeatable. Default:
    /// every op the implementation declares.
    #[arg(long, value_name = "OP")]
    pub op: Vec<String>,
    /// Cases in all, shared in turn among the ops [default: 2000].
    #[arg(long, value_name = "N", conflicts_with = "seconds")]
    pub cases: Option<usize>,
    /// Run for this long instead of a number of cases.
    #[arg(long, value_name = "S")]
    pub seconds: Option<f64>,
    /// The seed: the same seed and --cases give the same inputs.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Cases in parallel (that many processes of the implementation).
    #[arg(long, short, default_value_t = 1)]
    pub jobs: usize,
    /// Where candidate vectors are written, one YAML file per finding.
    #[arg(long, value_name = "DIR", default_value = "fuzz-candidates")]
    pub out: PathBuf,
    /// Calls per finding the shrinker may make (each asks both sides).
    #[arg(long, value_name = "N", default_value_t = 200)]
    pub shrink_steps: usize,
    /// Mutate only corpus cases with this tag (repeatable).
    #[arg(long, value_name = "TAG")]
    pub tag: Vec<String>,
    /// Do not mutate corpus cases with this tag (repeatable):
    /// `--skip-tag line-level` for a value parser.
    #[arg(long, value_name = "TAG")]
    pub skip_tag: Vec<String>,
    /// One process per case instead of one per job.
    #[arg(long)]
    pub one_shot: bool,
    /// Seconds to wait for each answer.
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    pub timeout: f64,
    /// Seconds to wait for the hello.
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    pub handshake_timeout: f64,
    /// Largest answer line accepted, in bytes.
    #[arg(long, default_value_t = 16 << 20, value_name = "BYTES")]
    pub max_answer_bytes: usize,
}

impl FuzzArgs {
    fn spec(&self) -> Result<SubjectSpec, Error> {
        let words = shell_words::split(&self.implementation)
            .map_err(|e| Error::Usage(format!("--impl: {e}")))?;
        let (program, rest) = words
            .split_first()
            .ok_or_else(|| Error::Usage("--impl is empty".into()))?;
        let mut cfg = ExternalConfig::new(program.clone(), rest.to_vec());
        cfg.timeout = super::run::seconds(self.timeout, "--timeout")?;
        cfg.handshake_timeout = super::run::seconds(self.handshake_timeout, "--handshake-timeout")?;
        cfg.max_answer = self.max_answer_bytes;
        if self.one_shot {
            cfg.mode = Mode::OneShot;
        }
        Ok(SubjectSpec::External(cfg))
    }

    /// The command that makes the same inputs again.
    fn rerun(&self, cases: usize) -> String {
        let mut w: Vec<String> = vec!["mimispec".into(), "fuzz".into()];
        w.extend(["--impl".into(), self.implementation.clone()]);
        for op in &self.op {
            w.extend(["--op".into(), op.clone()]);
        }
        for t in &self.tag {
            w.extend(["--tag".into(), t.clone()]);
        }
        for t in &self.skip_tag {
            w.extend(["--skip-tag".into(), t.clone()]);
        }
        if self.one_shot {
            w.push("--one-shot".into());
        }
        w.extend(["--seed".into(), self.seed.to_string()]);
        w.extend(["--cases".into(), cases.to_string()]);
        shell_words::join(w)
    }
}

/// The selected op names: every op, or those the `--op` globs match.
fn selected(globs: &[String]) -> Result<Vec<&'static str>, Error> {
    let all: Vec<&'static str> = crate::ops::all().map(|o| o.name).collect();
    if globs.is_empty() {
        return Ok(all);
    }
    let mut out = Vec::new();
    for g in globs {
        let m = Glob::new(g)
            .map_err(|e| Error::Usage(format!("--op {g:?}: {e}")))?
            .compile_matcher();
        let matched: Vec<&'static str> = all.iter().copied().filter(|o| m.is_match(o)).collect();
        if matched.is_empty() {
            let near = crate::diff::nearest(g, all.iter().copied())
                .map(|n| format!(" (the nearest is {n})"))
                .unwrap_or_default();
            return Err(Error::Usage(format!("--op {g:?} matches no op{near}")));
        }
        for o in matched {
            if !out.contains(&o) {
                out.push(o);
            }
        }
    }
    Ok(out)
}

pub fn fuzz(args: FuzzArgs) -> Result<ExitCode, Error> {
    let ops = selected(&args.op)?;
    let until = match args.seconds {
        Some(s) => Some(Instant::now() + super::run::seconds(s, "--seconds")?),
        None => None,
    };
    let cases = match (args.cases, until) {
        (Some(0), _) => return Err(Error::Usage("--cases must be at least 1".into())),
        (Some(n), _) => n,
        (None, Some(_)) => usize::MAX,
        (None, None) => DEFAULT_CASES,
    };
    if args.jobs == 0 {
        return Err(Error::Usage("--jobs must be at least 1".into()));
    }
    let corpus = load_corpus(None)?;
    let spec = args.spec()?;
    let first = spec.start()?;
    let info = first.info().clone();
    let filter = SeedFilter {
        tags: args.tag.clone(),
        skip_tags: args.skip_tag.clone(),
    };
    let plan = Plan::new(&corpus, &ops, &info, &filter);
    let who = format!(
        "{} {}",
        one_line(&info.name, 80),
        one_line(&info.version, 80)
    );
    if plan.ops.is_empty() {
        let not: Vec<&str> = fuzz::NOT_FUZZED.iter().map(|(o, _)| *o).collect();
        return Err(Error::Usage(format!(
            "{who} declares none of the selected ops that can be fuzzed (not fuzzed: {})",
            not.join(", ")
        )));
    }
    eprintln!(
        "mimispec fuzz: {who} ({}), seed {}, {} over {}",
        spec.describe(),
        args.seed,
        match until {
            Some(_) => format!("{} s", args.seconds.unwrap_or_default()),
            None => plural(cases, "case"),
        },
        plural(plan.ops.len(), "op")
    );
    let progress = if std::io::stderr().is_terminal() {
        let bar = match until {
            Some(_) => ProgressBar::new_spinner(),
            None => ProgressBar::new(cases as u64),
        };
        let template = match until {
            Some(_) => "{spinner} {pos} cases {elapsed}",
            None => "{bar:40} {pos}/{len} {elapsed} ({per_sec})",
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    } else {
        ProgressBar::hidden()
    };
    let opts = Options {
        seed: args.seed,
        cases,
        until,
        jobs: args.jobs,
        shrink_steps: args.shrink_steps,
    };
    let result = fuzz::execute(&plan, &spec, first, &opts, &progress)?;
    progress.finish_and_clear();
    let rerun = args.rerun(result.cases);
    let implementation = format!("{who} ({})", one_line(&spec.describe(), 200));
    let provenance = candidate::Provenance {
        implementation: &implementation,
        rerun: &rerun,
    };
    let paths = candidate::write_all(&args.out, &result.findings, &provenance)
        .map_err(Error::file(&args.out))?;
    for (f, path) in result.findings.iter().zip(&paths).take(SHOWN) {
        let from = f
            .made
            .from
            .as_deref()
            .map(|id| format!(", from {id}"))
            .unwrap_or_default();
        let seen = if f.seen > 1 {
            format!(", {} cases shrank to it", f.seen)
        } else {
            String::new()
        };
        outln!(
            "{} {}: {} (case {}, {}{from}{seen})",
            f.kind.as_str().to_uppercase(),
            f.made.op,
            f.kind.describe(),
            f.made.index,
            f.made.strategy.as_str(),
        );
        let show = |v: &serde_json::Value| one_line(&crate::protocol::display(v).to_string(), 400);
        outln!("  input:          {}", show(&f.input));
        outln!(
            "  implementation: {}",
            show(&candidate::outcome_json(&f.outcome))
        );
        outln!(
            "  reference:      {}",
            show(&candidate::reference_json(&f.reference))
        );
        outln!("  written:        {}", path.display());
    }
    if result.findings.len() > SHOWN {
        outln!(
            "... and {} more in {}",
            result.findings.len() - SHOWN,
            args.out.display()
        );
    }
    if !result.findings.is_empty() {
        outln!("");
    }
    summary(&result, &plan);
    let total = result.total();
    outln!(
        "{} in {:.1} s ({:.0} cases/s); {}, {}; {} written to {}",
        plural(result.cases, "case"),
        result.elapsed.as_secs_f64(),
        result.cases as f64 / result.elapsed.as_secs_f64().max(1e-9),
        plural(total.disagreements(), "disagreement"),
        plural(total.faults(), "fault"),
        plural(result.findings.len(), "candidate"),
        args.out.display()
    );
    for (op, why) in fuzz::NOT_FUZZED {
        if ops.contains(op) && info.supports(op) {
            outln!("not fuzzed: {op} ({why})");
        }
    }
    if !plan.not_declared.is_empty() && !args.op.is_empty() {
        outln!("not declared by {who}: {}", plan.not_declared.join(", "));
    }
    for op in &plan.nothing_to_send {
        outln!("not fuzzed: {op} (no corpus case to mutate and no generator)");
    }
    outln!("again: {rerun}");
    outln!("{}", fuzz::candidate_sentence(&who));
    Ok(if result.findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Counts per op and strategy, then the total.
fn summary(result: &fuzz::FuzzResult, plan: &Plan) {
    let label = |o: &fuzz::OpPlan| {
        let note = if o.acceptance_only {
            " (acceptance only)"
        } else {
            ""
        };
        format!("{}{note}", o.op)
    };
    let width = plan
        .ops
        .iter()
        .map(|o| label(o).len())
        .max()
        .unwrap_or(2)
        .max(5);
    outln!(
        "{:width$}  {:9}  {:>6}  {:>6}  {:>11}  {:>9}  {:>13}  {:>6}",
        "op",
        "strategy",
        "cases",
        "agreed",
        "unsupported",
        "not-input",
        "disagreements",
        "faults"
    );
    let row = |op: &str, strategy: &str, t: &fuzz::Tally| {
        outln!(
            "{op:width$}  {strategy:9}  {:>6}  {:>6}  {:>11}  {:>9}  {:>13}  {:>6}",
            t.cases,
            t.agreed,
            t.unsupported,
            t.not_input,
            t.disagreements(),
            t.faults()
        );
    };
    for op in &plan.ops {
        for s in [Strategy::Mutate, Strategy::Generate, Strategy::NearMiss] {
            if let Some(t) = result.tallies.get(&(op.op, s)) {
                row(&label(op), s.as_str(), t);
            }
        }
    }
    row("total", "", &result.total());
    let by_kind: Vec<String> = Kind::ALL
        .iter()
        .filter_map(|k| {
            let n = result.findings.iter().filter(|f| f.kind == *k).count();
            (n > 0).then(|| format!("{n} {}", k.as_str()))
        })
        .collect();
    if !by_kind.is_empty() {
        outln!("candidates by kind: {}", by_kind.join(", "));
    }
}

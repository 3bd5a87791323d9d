//! `mimispec run`: the corpus against the reference or an implementation.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use super::{Error, load_corpus};
use crate::corpus::Level;
use crate::dns::TypeCodes;
use crate::expectations::Expectations;
use crate::report::{self, Context, Human};
use crate::run::{Filter, IdPattern, RunOptions, execute};
use crate::subject::{ExternalConfig, Mode, SubjectSpec};
use crate::verdict::Judge;

const DEFAULT_TIMEOUT: f64 = 10.0;
const DEFAULT_MAX_ANSWER: usize = 16 << 20;

/// Every option that can change a verdict: the rerun line of a case
/// carries each one that differs from its default.
#[derive(clap::Args, Debug, Clone, PartialEq)]
pub struct VerdictArgs {
    /// The implementation: a program and its arguments in one string, split
    /// as a shell would but never run through one.
    #[arg(long = "impl", value_name = "COMMAND")]
    pub implementation: Option<String>,
    /// One process per case instead of one for the whole run.
    #[arg(long)]
    pub one_shot: bool,
    /// Seconds to wait for each answer.
    #[arg(long, default_value_t = DEFAULT_TIMEOUT, value_name = "SECONDS")]
    pub timeout: f64,
    /// Seconds to wait for the hello.
    #[arg(long, default_value_t = DEFAULT_TIMEOUT, value_name = "SECONDS")]
    pub handshake_timeout: f64,
    /// Largest answer line accepted, in bytes.
    #[arg(long, default_value_t = DEFAULT_MAX_ANSWER, value_name = "BYTES")]
    pub max_answer_bytes: usize,
    /// Read vectors from DIR instead of the corpus built in.
    #[arg(long, value_name = "DIR")]
    pub vectors: Option<PathBuf>,
    /// Expected failures and error-code map (YAML).
    #[arg(long, value_name = "FILE")]
    pub expect: Option<PathBuf>,
    /// SHOULD and MAY failures fail the run.
    #[arg(long)]
    pub strict: bool,
    /// A reject with another code than the suite's fails the case.
    #[arg(long)]
    pub strict_codes: bool,
    /// The type code the mock DNS zone serves MIMI records under.
    #[arg(long, default_value_t = TypeCodes::default().mimi, value_name = "CODE")]
    pub mimi_type: u16,
    /// The type code the mock DNS zone serves MIMIX records under.
    #[arg(long, default_value_t = TypeCodes::default().mimix, value_name = "CODE")]
    pub mimix_type: u16,
}

impl VerdictArgs {
    /// `mimispec run` and every option of these that is not its default:
    /// the one place a rerun line is built.
    pub fn rerun_words(&self) -> Vec<String> {
        // Destructured, so a new option does not compile until it is here.
        let VerdictArgs {
            implementation,
            one_shot,
            timeout,
            handshake_timeout,
            max_answer_bytes,
            vectors,
            expect,
            strict,
            strict_codes,
            mimi_type,
            mimix_type,
        } = self;
        let mut w: Vec<String> = vec!["mimispec".into(), "run".into()];
        let mut flag = |name: &str, value: Option<String>| {
            w.push(name.into());
            w.extend(value);
        };
        if let Some(i) = implementation {
            flag("--impl", Some(i.clone()));
        }
        if *one_shot {
            flag("--one-shot", None);
        }
        if *timeout != DEFAULT_TIMEOUT {
            flag("--timeout", Some(timeout.to_string()));
        }
        if *handshake_timeout != DEFAULT_TIMEOUT {
            flag("--handshake-timeout", Some(handshake_timeout.to_string()));
        }
        if *max_answer_bytes != DEFAULT_MAX_ANSWER {
            flag("--max-answer-bytes", Some(max_answer_bytes.to_string()));
        }
        if let Some(v) = vectors {
            flag("--vectors", Some(v.display().to_string()));
        }
        if let Some(e) = expect {
            flag("--expect", Some(e.display().to_string()));
        }
        if *strict {
            flag("--strict", None);
        }
        if *strict_codes {
            flag("--strict-codes", None);
        }
        if *mimi_type != TypeCodes::default().mimi {
            flag("--mimi-type", Some(mimi_type.to_string()));
        }
        if *mimix_type != TypeCodes::default().mimix {
            flag("--mimix-type", Some(mimix_type.to_string()));
        }
        w
    }

    fn types(&self) -> Result<TypeCodes, Error> {
        if self.mimi_type == self.mimix_type {
            return Err(Error::Usage(
                "--mimi-type and --mimix-type must differ".into(),
            ));
        }
        Ok(TypeCodes {
            mimi: self.mimi_type,
            mimix: self.mimix_type,
        })
    }

    /// The subject to run and the name of its mode.
    fn subject(&self) -> Result<(SubjectSpec, &'static str), Error> {
        let Some(command) = &self.implementation else {
            let features = crate::reference_features();
            return Ok((SubjectSpec::Reference { features }, "in-process"));
        };
        let words =
            shell_words::split(command).map_err(|e| Error::Usage(format!("--impl: {e}")))?;
        let (program, rest) = words
            .split_first()
            .ok_or_else(|| Error::Usage("--impl is empty".into()))?;
        let mut cfg = ExternalConfig::new(program.clone(), rest.to_vec());
        cfg.timeout = seconds(self.timeout, "--timeout")?;
        cfg.handshake_timeout = seconds(self.handshake_timeout, "--handshake-timeout")?;
        cfg.max_answer = self.max_answer_bytes;
        let mode = if self.one_shot {
            cfg.mode = Mode::OneShot;
            "one-shot"
        } else {
            "persistent"
        };
        Ok((SubjectSpec::External(cfg), mode))
    }
}

pub(crate) fn seconds(s: f64, flag: &str) -> Result<Duration, Error> {
    Duration::try_from_secs_f64(s)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| Error::Usage(format!("{flag} must be a number of seconds above 0")))
}

#[derive(clap::Args, Debug)]
pub struct RunArgs {
    #[command(flatten)]
    pub verdict: VerdictArgs,
    /// Cases in parallel (an external implementation: that many processes).
    #[arg(long, short)]
    pub jobs: Option<usize>,
    /// Case ids: a glob (`immi-content/msg-id/*`) or an id prefix. Repeatable.
    #[arg(long, value_name = "GLOB")]
    pub filter: Vec<String>,
    /// Only this document (repeatable).
    #[arg(long)]
    pub document: Vec<String>,
    /// Only this level: MUST, SHOULD, MAY, informational (repeatable).
    #[arg(long)]
    pub level: Vec<String>,
    /// Only cases with this tag or ambiguity id (repeatable).
    #[arg(long)]
    pub tag: Vec<String>,
    /// Leave out cases with this tag (repeatable): `--skip-tag
    /// layer:rfc5322` judges a value parser without the line rules.
    #[arg(long, value_name = "TAG")]
    pub skip_tag: Vec<String>,
    /// Only this op, or ops matching a glob (`immi.*`); repeatable.
    #[arg(long, value_name = "OP")]
    pub op: Vec<String>,
    /// Print the selected ids and stop.
    #[arg(long)]
    pub list: bool,
    /// Write the JSON report here.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Write a JUnit XML report here.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Write an HTML report here, to publish.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Write a short Markdown report here (a CI job summary, a comment).
    #[arg(long, value_name = "FILE")]
    pub markdown: Option<PathBuf>,
    /// With --html or --markdown: link vector files to BASE +
    /// vectors/<file>#L<line> (e.g. https://host/repo/blob/REV/).
    #[arg(long, value_name = "BASE")]
    pub source_url: Option<String>,
    /// Show every case that is not a plain pass, informational ones too.
    #[arg(long, short)]
    pub verbose: bool,
}

impl RunArgs {
    fn filter(&self) -> Result<Filter, Error> {
        let mut filter = Filter::default();
        for f in &self.filter {
            filter.ids.push(IdPattern::new(f).map_err(Error::Usage)?);
        }
        for d in &self.document {
            if !crate::ops::documents().any(|known| known == d) {
                return Err(Error::Usage(format!(
                    "--document {d:?}: one of {}",
                    crate::ops::documents().collect::<Vec<_>>().join(", ")
                )));
            }
        }
        filter.documents = self.document.clone();
        for l in &self.level {
            filter.levels.push(Level::parse(l).ok_or_else(|| {
                Error::Usage(format!("--level {l:?}: MUST, SHOULD, MAY or informational"))
            })?);
        }
        filter.tags = self.tag.clone();
        filter.skip_tags = self.skip_tag.clone();
        for op in &self.op {
            let glob = globset::Glob::new(op)
                .map_err(|e| Error::Usage(format!("--op {op:?}: {e}")))?
                .compile_matcher();
            if !crate::ops::all().any(|o| glob.is_match(o.name)) {
                let nearest = crate::diff::nearest(op, crate::ops::all().map(|o| o.name))
                    .map(|k| format!(" (the nearest is {k:?})"))
                    .unwrap_or_default();
                return Err(Error::Usage(format!(
                    "--op {op:?} names no op of the suite{nearest}; `mimispec schema` lists them"
                )));
            }
            filter.ops.push(glob);
        }
        Ok(filter)
    }
}

pub fn run(args: RunArgs) -> Result<ExitCode, Error> {
    let v = &args.verdict;
    let corpus = load_corpus(v.vectors.as_deref())?;
    let filter = args.filter()?;
    // A misspelt tag would select or skip nothing, silently.
    for (flag, t) in (args.tag.iter().map(|t| ("--tag", t)))
        .chain(args.skip_tag.iter().map(|t| ("--skip-tag", t)))
    {
        let known = corpus
            .cases
            .iter()
            .any(|c| c.tags.contains(t) || c.ambiguity.as_ref() == Some(t));
        if !known {
            let all: std::collections::BTreeSet<&str> = corpus
                .cases
                .iter()
                .flat_map(|c| {
                    c.tags
                        .iter()
                        .map(String::as_str)
                        .chain(c.ambiguity.as_deref())
                })
                .collect();
            let nearest = crate::diff::nearest(t, all)
                .map(|k| format!(" (the nearest is {k:?})"))
                .unwrap_or_default();
            return Err(Error::Usage(format!(
                "{flag} {t:?}: no case has this tag or ambiguity id{nearest}"
            )));
        }
    }
    let cases: Vec<_> = corpus
        .cases
        .iter()
        .filter(|c| filter.matches(c))
        .cloned()
        .collect();
    if args.jobs == Some(0) {
        return Err(Error::Usage("--jobs must be 1 or more".into()));
    }
    let types = v.types()?;
    let source_url = match &args.source_url {
        Some(_) if args.html.is_none() && args.markdown.is_none() => {
            return Err(Error::Usage(
                "--source-url links vectors in --html and --markdown reports: give one".into(),
            ));
        }
        Some(base) => Some(report::check_source_url(base).map_err(Error::Usage)?),
        None => None,
    };
    let (spec, mode) = v.subject()?;
    if args.list {
        return list(&cases, v.implementation.as_ref().map(|_| &spec));
    }
    if cases.is_empty() {
        return Err(Error::Usage("no case matches the filters".into()));
    }
    let expectations = match &v.expect {
        Some(path) => {
            let bytes = std::fs::read(path).map_err(Error::file(path))?;
            Expectations::load(&path.display().to_string(), &bytes, &corpus.cases)
                .map_err(Error::Expectations)?
        }
        None => Expectations::default(),
    };
    let judge = Judge {
        strict: v.strict,
        strict_codes: v.strict_codes,
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
    let expectations = judge.expectations.clone();
    let opts = RunOptions { judge, jobs, types };
    let result = execute(&cases, &spec, &opts, &progress)?;
    progress.finish_and_clear();
    let ctx = Context {
        rerun_base: v.rerun_words(),
        rerun_flag: Some("--filter".into()),
        subject: spec.describe(),
        mode,
        corpus_digest: corpus.digest.clone(),
        strict: v.strict,
        requirements: crate::corpus::requirements::load(&corpus)
            .map(|c| c.into_values().flatten().collect())
            .unwrap_or_default(),
        page: report::Page {
            files: corpus.files.clone(),
            register: crate::corpus::register::load(&corpus).unwrap_or_default(),
            expectations,
            source_url,
        },
    };
    let human = Human {
        ctx: &ctx,
        verbose: args.verbose,
    };
    for r in &result.records {
        if human.shows(r) {
            outln!("{}", human.block(r));
        }
    }
    out!("{}", human.summary(&result));
    if let Some(path) = &args.json {
        let text = serde_json::to_string_pretty(&report::to_json(&result, &ctx))
            .map_err(std::io::Error::other)?;
        std::fs::write(path, text + "\n").map_err(Error::file(path))?;
    }
    if let Some(path) = &args.junit {
        std::fs::write(path, report::to_junit(&result, &ctx)).map_err(Error::file(path))?;
    }
    if let Some(path) = &args.html {
        std::fs::write(path, report::to_html(&result, &ctx)).map_err(Error::file(path))?;
    }
    if let Some(path) = &args.markdown {
        std::fs::write(path, report::to_markdown(&result, &ctx)).map_err(Error::file(path))?;
    }
    if result.sent() == 0 {
        return Err(Error::Usage(format!(
            "no case was sent: {} declares none of the ops (and features) of the {} selected; a run that tests nothing is not a success",
            crate::diff::one_line(&result.info.name, 80),
            crate::report::plural(result.records.len(), "case")
        )));
    }
    if result.tested() == 0 {
        return Err(Error::Usage(format!(
            "nothing was tested: {} answered every one of the {} sent `unsupported`; a run that tests nothing is not a success",
            crate::diff::one_line(&result.info.name, 80),
            crate::report::plural(result.sent(), "case")
        )));
    }
    Ok(if result.ok(v.strict) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `--list`: the selected ids; with `--impl`, only those that
/// implementation would be sent (its hello decides).
fn list(cases: &[crate::corpus::Case], spec: Option<&SubjectSpec>) -> Result<ExitCode, Error> {
    use std::io::Write as _;
    let info = match spec {
        Some(spec) => Some(spec.start()?.info().clone()),
        None => None,
    };
    let judge = Judge::default();
    let mut out = std::io::stdout().lock();
    for c in cases {
        if info
            .as_ref()
            .is_some_and(|i| judge.not_declared(c, i).is_some())
        {
            continue;
        }
        match writeln!(out, "{}", c.id) {
            Ok(()) => {}
            // `| head`: the reader has what it wanted.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(ExitCode::SUCCESS),
            Err(e) => return Err(e.into()),
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Wrap {
        #[command(flatten)]
        verdict: VerdictArgs,
    }

    fn parse(words: &[String]) -> VerdictArgs {
        Wrap::try_parse_from(words.iter().skip(1).map(String::as_str))
            .unwrap_or_else(|e| panic!("{words:?}: {e}"))
            .verdict
    }

    #[test]
    fn a_rerun_line_carries_every_option_that_can_change_a_verdict() {
        let defaults = parse(&["mimispec".into(), "run".into()]);
        assert_eq!(defaults.rerun_words(), ["mimispec", "run"]);
        let every: Vec<String> = [
            "mimispec",
            "run",
            "--impl",
            "./my adapter --flag",
            "--one-shot",
            "--timeout",
            "2.5",
            "--handshake-timeout",
            "3",
            "--max-answer-bytes",
            "1024",
            "--vectors",
            "/v",
            "--expect",
            "e.yaml",
            "--strict",
            "--strict-codes",
            "--mimi-type",
            "65300",
            "--mimix-type",
            "65301",
        ]
        .map(String::from)
        .to_vec();
        let args = parse(&every);
        assert_ne!(args, defaults);
        let words = args.rerun_words();
        assert_eq!(parse(&words), args, "{words:?}");
        // Each option alone is carried too.
        for i in 2..every.len() {
            if !every[i].starts_with("--") {
                continue;
            }
            let mut one = vec!["mimispec".to_string(), "run".to_string(), every[i].clone()];
            if every.get(i + 1).is_some_and(|w| !w.starts_with("--")) {
                one.push(every[i + 1].clone());
            }
            let args = parse(&one);
            assert_eq!(parse(&args.rerun_words()), args, "{one:?}");
            assert_ne!(args, defaults, "{one:?} is not a default");
        }
    }
}

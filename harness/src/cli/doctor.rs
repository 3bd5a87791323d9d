//! `mimispec doctor`: checks an adapter before a run and says what to fix.
//!
//! It speaks the protocol as `mimispec run` does, with the same process
//! handling, caps and timeouts, and judges each answer with the run's own
//! rules; where the run would stop at a fault, the doctor notes it and goes
//! on, so one call names every problem. Each check prints one line,
//! `ok|warn|FAIL <check>: <what, and what to fix>`; everything the adapter
//! sent is shown escaped, on that line, and bounded.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::{Error, load_corpus};
use crate::corpus::{Case, Corpus, Level};
use crate::diff::one_line;
use crate::protocol::{self, ImplInfo};
use crate::report::plural;
use crate::run::{Record, RunOptions, run_case};
use crate::subject::process::{Process, Recv, SendError};
use crate::subject::{Answer, ExternalConfig, Mode, Outcome, Subject};
use crate::verdict::{Finding, Judge, Verdict};

/// The suite's own bound for one answer, a convention and not a rule of the
/// protocol: slower, a run of the corpus takes long, and answers drift
/// toward `--timeout`, where they become flaky timeouts.
pub const SLOW: Duration = Duration::from_secs(1);
/// How long a process gets to exit once its stdin is closed.
const EXIT_GRACE: Duration = Duration::from_secs(1);
/// How long to wait, once stdin is closed, for an answer that did not come
/// in time: a buffered stdout is written out when the process exits.
const FLUSH_GRACE: Duration = Duration::from_secs(1);
/// After this many stalls (an answer that timed out, a process that did not
/// start again) the remaining ops are not sent: each costs a timeout, and
/// the fix is the same.
const MAX_STALLS: usize = 2;
/// Stdout lines that are not protocol lines skipped while waiting for one.
const MAX_STRAYS: usize = 1000;
/// Unknown names probed for an answer under the nearest known one.
const MAX_PROBES: usize = 8;
/// Characters of an implementation's line shown.
const SHOWN: usize = 200;
/// `mimispec run`'s default for both timeouts.
const DEFAULT_TIMEOUT: f64 = 10.0;

#[derive(clap::Args, Debug)]
pub struct DoctorArgs {
    /// The adapter, as for `mimispec run --impl`: a program and its
    /// arguments in one string, split as a shell would but never run
    /// through one.
    #[arg(long = "impl", value_name = "COMMAND")]
    pub implementation: String,
    /// Check it as `mimispec run --one-shot` runs it: a process per message.
    #[arg(long)]
    pub one_shot: bool,
    /// Seconds to wait for each answer.
    #[arg(long, default_value_t = DEFAULT_TIMEOUT, value_name = "SECONDS")]
    pub timeout: f64,
    /// Seconds to wait for the hello.
    #[arg(long, default_value_t = DEFAULT_TIMEOUT, value_name = "SECONDS")]
    pub handshake_timeout: f64,
    /// Take the cases it sends from DIR instead of the corpus built in.
    #[arg(long, value_name = "DIR")]
    pub vectors: Option<PathBuf>,
}

fn seconds(s: f64, flag: &str) -> Result<Duration, Error> {
    Duration::try_from_secs_f64(s)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| Error::Usage(format!("{flag} must be a number of seconds above 0")))
}

pub fn doctor(args: DoctorArgs) -> Result<ExitCode, Error> {
    let words = shell_words::split(&args.implementation)
        .map_err(|e| Error::Usage(format!("--impl: {e}")))?;
    let (program, rest) = words
        .split_first()
        .ok_or_else(|| Error::Usage("--impl is empty".into()))?;
    let mut cfg = ExternalConfig::new(program.clone(), rest.to_vec());
    cfg.timeout = seconds(args.timeout, "--timeout")?;
    cfg.handshake_timeout = seconds(args.handshake_timeout, "--handshake-timeout")?;
    if args.one_shot {
        cfg.mode = Mode::OneShot;
    }
    let corpus = load_corpus(args.vectors.as_deref())?;
    let mut out = Lines::default();
    let mode = if args.one_shot {
        "one-shot"
    } else {
        "persistent"
    };
    outln!(
        "mimispec doctor: {} ({mode}; {} per answer, {} for the hello)",
        one_line(&cfg.command_line(), SHOWN),
        dur(cfg.timeout),
        dur(cfg.handshake_timeout)
    );
    check(&cfg, &corpus, &mut out);
    out.summary(&args);
    Ok(if out.fail > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tag {
    Ok,
    Warn,
    Fail,
}

/// The lines printed so far, counted, and what was left unchecked.
#[derive(Default)]
struct Lines {
    ok: usize,
    warn: usize,
    fail: usize,
    not_checked: Vec<String>,
}

impl Lines {
    fn line(&mut self, tag: Tag, check: &str, text: &str) {
        let tag = match tag {
            Tag::Ok => {
                self.ok += 1;
                "ok"
            }
            Tag::Warn => {
                self.warn += 1;
                "warn"
            }
            Tag::Fail => {
                self.fail += 1;
                "FAIL"
            }
        };
        // Its parts are escaped where they come from the adapter; this
        // keeps the whole on one bounded line whatever was missed.
        outln!("{tag} {check}: {}", one_line(text, 2000));
    }

    fn skip(&mut self, checks: &[&str], why: &str) {
        self.not_checked
            .push(format!("{} ({why})", checks.join(", ")));
    }

    fn summary(&self, args: &DoctorArgs) {
        if !self.not_checked.is_empty() {
            outln!("not checked: {}", self.not_checked.join("; "));
        }
        let counts = format!("{} ok, {} warn", self.ok, self.warn);
        if self.fail > 0 {
            outln!(
                "result: {} FAIL, {counts}; fix the FAIL lines, then run mimispec doctor again",
                self.fail
            );
        } else {
            let mut words = vec![
                "mimispec".to_string(),
                "run".into(),
                "--impl".into(),
                args.implementation.clone(),
            ];
            if args.one_shot {
                words.push("--one-shot".into());
            }
            // What it needed here, it needs in a run.
            for (flag, value) in [
                ("--timeout", args.timeout),
                ("--handshake-timeout", args.handshake_timeout),
            ] {
                if value != DEFAULT_TIMEOUT {
                    words.extend([flag.to_string(), value.to_string()]);
                }
            }
            outln!(
                "result: ok ({counts}); next: {}",
                one_line(&shell_words::join(words), SHOWN)
            );
        }
    }
}

/// Every check, in order; a fault that leaves nothing to check further
/// ends it early and says what was not checked.
fn check(cfg: &ExternalConfig, corpus: &Corpus, out: &mut Lines) {
    let opts = RunOptions::default();
    let mut main = Session::new(cfg.clone());
    let mut p = match main.spawn() {
        Ok(p) => {
            out.line(
                Tag::Ok,
                "start",
                &format!("{} started", one_line(&cfg.command_line(), SHOWN)),
            );
            p
        }
        Err(e) => {
            out.line(Tag::Fail, "start", &format!("{e}: {}", start_fix(&e)));
            out.skip(&["the rest"], "it did not start");
            return;
        }
    };
    let began = Instant::now();
    let hello = main.handshake(&mut p);
    let took = began.elapsed();
    let info = match hello {
        Ok(info) => {
            let after = match main.strays.count {
                0 => String::new(),
                1 => " (after a line that is not a protocol line: see stdout)".into(),
                n => format!(" (after {n} lines that are not protocol lines: see stdout)"),
            };
            out.line(
                Tag::Ok,
                "hello",
                &format!(
                    "\"{}\" {}, protocol {}, in {}{after}",
                    one_line(&info.name, 80),
                    one_line(&info.version, 80),
                    protocol::PROTOCOL_VERSION,
                    dur(took)
                ),
            );
            info
        }
        Err(fault) => {
            out.line(Tag::Fail, "hello", &fault.text(cfg, main.strays.count));
            out.skip(
                &["names", "answers", "persistent", "one-shot", "latency"],
                "the hello failed",
            );
            main.strays.report(out);
            main.stderr.report(out, cfg.max_stderr);
            return;
        }
    };
    if cfg.mode == Mode::Persistent {
        main.process = Some(p);
    }
    let known = check_names(&info, out);
    main.claimed = ImplInfo {
        ops: known.clone(),
        ..info.clone()
    };
    probe_unknown(&info, &known, corpus, &mut main, &opts, out);
    if known.is_empty() {
        out.skip(
            &["answers", "persistent", "one-shot", "latency"],
            "it declares no op this suite knows",
        );
        main.close();
        main.strays.report(out);
        main.stderr.report(out, cfg.max_stderr);
        return;
    }
    let sent = check_answers(&known, corpus, &mut main, &opts, out);
    match cfg.mode {
        Mode::Persistent => {
            check_persistent(&sent, corpus, &mut main, &opts, out);
            let mut one_shot = Session::new(ExternalConfig {
                mode: Mode::OneShot,
                ..cfg.clone()
            });
            one_shot.claimed = main.claimed.clone();
            check_one_shot(sent.first().copied(), &mut one_shot, &opts, out);
            main.strays.absorb(&one_shot.strays);
            main.stderr.absorb(&one_shot.stderr);
        }
        Mode::OneShot => {
            let n = main.exits + main.lingered.len();
            match main.lingered.first() {
                None if n == 0 => out.skip(&["one-shot"], "no process answered"),
                None => {
                    let each = match n {
                        1 => "its one process".to_string(),
                        n => format!("each of the {n} processes"),
                    };
                    out.line(
                        Tag::Ok,
                        "one-shot",
                        &format!("{each} answered its line and exited once its stdin closed"),
                    )
                }
                Some(what) => out.line(Tag::Warn, "one-shot", &linger_text(what)),
            }
        }
    }
    main.strays.report(out);
    check_latency(&main, corpus, cfg, out);
    main.stderr.report(out, cfg.max_stderr);
}

/// What to do about a program that does not start (the message is
/// `Process::spawn`'s).
fn start_fix(e: &str) -> &'static str {
    if e.ends_with("no such program") {
        "check the path: a relative path is taken from the current directory, a bare name is looked up on PATH"
    } else if e.ends_with("it is a directory") {
        "name the program inside it"
    } else if e.ends_with("permission denied") {
        "make it executable (chmod +x), or name its interpreter first (--impl 'python3 adapter.py')"
    } else {
        "a script needs a #! line, or name its interpreter first (--impl 'python3 adapter.py')"
    }
}

/// The nearest of `known` to `name`, as the run names it.
fn nearest<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
    crate::diff::nearest(name, known.iter().copied())
}

/// Every declared name must be one the suite knows; returns the known ops.
fn check_names(info: &ImplInfo, out: &mut Lines) -> Vec<String> {
    let ops: Vec<&str> = crate::ops::all().map(|o| o.name).collect();
    let mut known: Vec<String> = Vec::new();
    let mut unknown = Vec::new();
    for op in &info.ops {
        if ops.contains(&op.as_str()) {
            if !known.contains(op) {
                known.push(op.clone());
            }
        } else {
            unknown.push(("op", op.as_str(), nearest(op, &ops)));
        }
    }
    for f in &info.features {
        if !crate::ops::FEATURES.contains(&f.as_str()) {
            unknown.push(("feature", f.as_str(), nearest(f, crate::ops::FEATURES)));
        }
    }
    if info.ops.is_empty() {
        out.line(
            Tag::Fail,
            "names",
            "it declares no ops, so a run sends it nothing: list the ops it answers in its hello's \"ops\" (`mimispec schema` lists them)",
        );
    } else if !unknown.is_empty() {
        let mut said: Vec<String> = unknown
            .iter()
            .take(5)
            .map(|(what, name, near)| {
                let near = near
                    .map(|n| format!(" (the nearest it knows is {n:?})"))
                    .unwrap_or_default();
                format!(
                    "it declares {what} {:?}, which this suite does not know{near}",
                    one_line(name, 80)
                )
            })
            .collect();
        if unknown.len() > 5 {
            said.push(format!("and {} more", unknown.len() - 5));
        }
        out.line(
            Tag::Fail,
            "names",
            &format!(
                "{}: a run stops at such a name, so a misspelling never leaves cases silently unsent; declare the names `mimispec schema` lists (ops) and PROTOCOL.md (features)",
                said.join("; ")
            ),
        );
    } else {
        let listed = if known.len() <= 5 {
            format!(" ({})", known.join(", "))
        } else {
            String::new()
        };
        out.line(
            Tag::Ok,
            "names",
            &format!(
                "{}{listed} and {}, every one known to this suite",
                plural(known.len(), "op"),
                plural(info.features.len(), "feature")
            ),
        );
    }
    known
}

/// The first two cases of `op` the implementation would be sent, those
/// that can fail first: an informational case passes either way.
fn cases_of<'c>(corpus: &'c Corpus, op: &str, info: &ImplInfo) -> Vec<&'c Case> {
    let judge = Judge::default();
    let mut cases: Vec<&Case> = corpus
        .cases
        .iter()
        .filter(|c| c.op == op && judge.not_declared(c, info).is_none())
        .collect();
    cases.sort_by_key(|c| c.level == Level::Informational);
    cases.truncate(2);
    cases
}

/// For each unknown op, whether the implementation answers the nearest
/// known op it did not declare: then the fix is to rename it.
fn probe_unknown(
    info: &ImplInfo,
    known: &[String],
    corpus: &Corpus,
    main: &mut Session,
    opts: &RunOptions,
    out: &mut Lines,
) {
    let ops: Vec<&str> = crate::ops::all().map(|o| o.name).collect();
    let unknown = info.ops.iter().filter(|o| !ops.contains(&o.as_str()));
    for name in unknown.take(MAX_PROBES) {
        let Some(near) = nearest(name, &ops) else {
            continue;
        };
        if known.iter().any(|k| k == near) {
            continue;
        }
        main.claimed.ops.push(near.to_owned());
        let case = cases_of(corpus, near, &main.claimed).first().copied();
        let record = case.map(|c| run_case(main, c, opts));
        main.claimed.ops.pop();
        if let Some(r) = record.filter(|r| r.verdict() == Verdict::Pass) {
            out.line(
                Tag::Fail,
                &format!("answer {near}"),
                &format!(
                    "it is not declared, yet it answers: {} passed; declare {near:?} in its hello's \"ops\" (it declares {:?})",
                    r.case.id,
                    one_line(name, 80)
                ),
            );
        }
    }
}

/// One real case per declared op: the answer arrives, answers the case,
/// and is judged as the run judges it. Returns the cases sent.
fn check_answers<'c>(
    known: &[String],
    corpus: &'c Corpus,
    main: &mut Session,
    opts: &RunOptions,
    out: &mut Lines,
) -> Vec<&'c Case> {
    let mut sent = Vec::new();
    let mut stalls = 0;
    for (i, op) in known.iter().enumerate() {
        if stalls >= MAX_STALLS {
            out.line(
                Tag::Warn,
                "answers",
                &format!(
                    "{} not sent: {MAX_STALLS} cases stalled already (no answer in time, or no new process), each costing a timeout; fix that first",
                    plural(known.len() - i, "more op")
                ),
            );
            break;
        }
        let check = format!("answer {op}");
        let Some(case) = cases_of(corpus, op, &main.claimed).first().copied() else {
            out.line(
                Tag::Warn,
                &check,
                "not checked: the corpus has no case of this op that it would be sent",
            );
            continue;
        };
        let record = run_case(main, case, opts);
        if record.verdict() == Verdict::Timeout || main.note.not_started.is_some() {
            stalls += 1;
        }
        let (tag, text) = answer_text(&record, &main.note, &main.cfg);
        out.line(tag, &check, &text);
        sent.push(case);
    }
    sent
}

/// The line for one case's answer: how it went, and what to fix.
fn answer_text(r: &Record, note: &Note, cfg: &ExternalConfig) -> (Tag, String) {
    let (id, mode) = (&r.case.id, cfg.mode);
    let finding = r.judgement.findings.first();
    let again = if note.retried {
        " (asked of a new process: the one before had ended, see persistent)"
    } else {
        ""
    };
    match r.verdict() {
        Verdict::Pass => (
            Tag::Ok,
            format!("{id} passed in {}{again}", dur(r.duration)),
        ),
        Verdict::Unsupported => {
            let why = match finding {
                Some(Finding::Unsupported { why }) if !why.is_empty() => {
                    format!(" ({:?})", one_line(why, 80))
                }
                _ => String::new(),
            };
            (
                Tag::Ok,
                format!(
                    "{id} answered unsupported{why} in {}: allowed for any case, never a failure{again}",
                    dur(r.duration)
                ),
            )
        }
        Verdict::Informational => (
            Tag::Ok,
            format!(
                "{id} answered in {} (an informational case: recorded either way){again}",
                dur(r.duration)
            ),
        ),
        Verdict::Timeout if note.unread => (
            Tag::Fail,
            format!(
                "it did not read the request for {id} within --timeout: read stdin as lines come, one answer per line"
            ),
        ),
        Verdict::Timeout => {
            let after = match finding {
                Some(Finding::Timeout { after }) => dur(*after),
                _ => "--timeout".into(),
            };
            let text = match (mode, note.late) {
                (Mode::OneShot, _) => format!(
                    "no answer to {id} within {after}: write the answer line, flush stdout and exit (raise --timeout if it is only slow)"
                ),
                (Mode::Persistent, true) => format!(
                    "no answer to {id} within {after} after its request line was written; it came only once stdin closed, so stdout is buffered: flush stdout after every line"
                ),
                (Mode::Persistent, false) => format!(
                    "no answer to {id} within {after} after its request line was written, nor once stdin closed: flush stdout after every line, and check the op does not hang (raise --timeout if it is only slow)"
                ),
            };
            (Tag::Fail, text)
        }
        Verdict::Crash => match finding {
            _ if note.not_started.is_some() => (
                Tag::Fail,
                format!(
                    "{id} not sent: no new process started for it after the case before: {}",
                    one_line(note.not_started.as_deref().unwrap_or_default(), 400)
                ),
            ),
            Some(Finding::HarnessFault { what }) => (
                Tag::Warn,
                format!("{id} not sent: {what} (mimispec's fault, not the adapter's)"),
            ),
            Some(Finding::Crash { how }) => (
                Tag::Fail,
                format!(
                    "{id}: it ended without answering ({}){}: answer every case, a rejected input with an \"error\", {}",
                    one_line(how, 400),
                    stderr_begins(&note.stderr_head),
                    match mode {
                        Mode::Persistent => "and keep running",
                        Mode::OneShot => "then exit",
                    }
                ),
            ),
            _ => (Tag::Fail, format!("{id}: it ended without answering")),
        },
        Verdict::ProtocolError => {
            let got = note
                .line
                .as_deref()
                .and_then(|l| serde_json::from_slice::<Value>(l).ok())
                .and_then(|v| v.get("id").and_then(Value::as_str).map(str::to_owned));
            let text = match got {
                Some(got) if &got != id => format!(
                    "{id}: answered with id {:?}: copy the request's \"id\" into its answer unchanged",
                    one_line(&got, 80)
                ),
                _ => {
                    let what = match finding {
                        Some(Finding::ProtocolError { what }) => one_line(what, 400),
                        _ => String::new(),
                    };
                    format!(
                        "{id}: {what}: answer one JSON object per line, with the request's \"id\" and exactly one of \"result\", \"error\", \"unsupported\" (PROTOCOL.md, Requests and answers)"
                    )
                }
            };
            (Tag::Fail, text)
        }
        _ => {
            let detail = r
                .judgement
                .detail()
                .unwrap_or_else(|| "its result is not the vector's".into());
            (
                Tag::Warn,
                format!(
                    "{id} answered in {}, but the case fails ({}): the protocol works, the result does not; {} shows the diff{again}",
                    dur(r.duration),
                    one_line(&detail, 400),
                    one_line(
                        &shell_words::join([
                            "mimispec",
                            "run",
                            "--impl",
                            &cfg.command_line(),
                            "--filter",
                            id,
                        ]),
                        SHOWN * 2
                    )
                ),
            )
        }
    }
}

fn stderr_begins(head: &str) -> String {
    if head.is_empty() {
        String::new()
    } else {
        format!("; its stderr begins: {head}")
    }
}

/// One process answers case after case: a second case is sent when the
/// answers check sent fewer than two.
fn check_persistent(
    sent: &[&Case],
    corpus: &Corpus,
    main: &mut Session,
    opts: &RunOptions,
    out: &mut Lines,
) {
    if main.ended.is_none() && main.longest < 2 && main.process.is_some() {
        let again = sent.first().and_then(|c| {
            let next = cases_of(corpus, &c.op, &main.claimed);
            next.get(1).or(next.first()).copied()
        });
        if let Some(case) = again {
            run_case(main, case, opts);
        }
    }
    match (&main.ended, main.longest) {
        (Some((n, how)), _) => out.line(
            Tag::Fail,
            "persistent",
            &format!(
                "the process ended after answering {} ({}), and the next case went to a new process: in persistent mode keep reading stdin and answer every line until stdin ends (or run it with --one-shot)",
                plural(*n, "case"),
                one_line(how, 400)
            ),
        ),
        (None, n) if n >= 2 => out.line(
            Tag::Ok,
            "persistent",
            &format!("one process answered {n} cases in a row"),
        ),
        _ => out.skip(&["persistent"], "no process answered two cases"),
    }
    match main.close() {
        Some(how) if still_running(&how) => out.line(
            Tag::Warn,
            "exit",
            &format!(
                "it was still running {} after its stdin closed, and was killed: exit when stdin ends (PROTOCOL.md, Modes)",
                dur(EXIT_GRACE)
            ),
        ),
        Some(how) => out.line(
            Tag::Ok,
            "exit",
            &format!("{} once its stdin closed", one_line(&how, 200)),
        ),
        None => out.skip(&["exit"], "no process was left running"),
    }
}

/// `Process::finish`'s words for a process that had to be killed.
fn still_running(how: &str) -> bool {
    how.starts_with("it was still running")
}

fn linger_text(what: &str) -> String {
    format!(
        "the process for {what} was still running {} after its stdin closed, and was killed: exit when stdin ends; a one-shot run waits for it on every case",
        dur(EXIT_GRACE)
    )
}

/// One-shot mode as `mimispec run --one-shot` drives it: a process for
/// the hello, then a process for one case; each must exit once its stdin
/// closes. Only a warning here: a persistent run does not use it.
fn check_one_shot(case: Option<&Case>, os: &mut Session, opts: &RunOptions, out: &mut Lines) {
    let only = " (this matters only with --one-shot)";
    let Some(case) = case else {
        out.skip(&["one-shot"], "no case was sent");
        return;
    };
    let mut p = match os.spawn() {
        Ok(p) => p,
        Err(e) => {
            out.line(Tag::Warn, "one-shot", &format!("{e}{only}"));
            return;
        }
    };
    if let Err(fault) = os.handshake(&mut p) {
        out.line(
            Tag::Warn,
            "one-shot",
            &format!(
                "the hello, alone in a process: {}{only}",
                fault.text(&os.cfg, os.strays.count)
            ),
        );
        return;
    }
    drop(p);
    let r = run_case(os, case, opts);
    let (tag, text) = answer_text(&r, &os.note, &os.cfg);
    if tag == Tag::Fail {
        out.line(
            Tag::Warn,
            "one-shot",
            &format!(
                "a case alone in a process: {text}; in one-shot mode a process reads one line, a hello or a case, answers it and exits{only}"
            ),
        );
    } else if let Some(what) = os.lingered.first() {
        out.line(
            Tag::Warn,
            "one-shot",
            &format!("{}{only}", linger_text(what)),
        );
    } else {
        out.line(
            Tag::Ok,
            "one-shot",
            &format!(
                "a process for the hello and one for {} ({}); each exited once its stdin closed",
                r.case.id,
                r.verdict().as_str()
            ),
        );
    }
}

/// Median and slowest answer of the mode checked, against [`SLOW`].
fn check_latency(main: &Session, corpus: &Corpus, cfg: &ExternalConfig, out: &mut Lines) {
    let mut times = main.answers.clone();
    if times.is_empty() {
        out.skip(&["latency"], "nothing was answered");
        return;
    }
    times.sort();
    let median = times[times.len() / 2].0;
    let (max, slowest) = times.last().cloned().unwrap_or_default();
    let judge = Judge::default();
    let would = corpus
        .cases
        .iter()
        .filter(|c| judge.not_declared(c, &main.claimed).is_none())
        .count();
    let whole = median.saturating_mul(u32::try_from(would).unwrap_or(u32::MAX));
    let bound = SLOW.min(cfg.timeout / 2);
    let text = format!(
        "median {}, max {} ({slowest}) over {}; a run sends it {}: about {} at this median",
        dur(median),
        dur(max),
        plural(times.len(), "answer"),
        plural(would, "case"),
        dur(whole)
    );
    if max > bound {
        out.line(
            Tag::Warn,
            "latency",
            &format!(
                "{text}; above {}, the suite's own bound for an answer (its convention, not the protocol's): an answer near --timeout ({}) becomes a flaky timeout, so make it faster or raise --timeout",
                dur(bound),
                dur(cfg.timeout)
            ),
        );
    } else {
        out.line(
            Tag::Ok,
            "latency",
            &format!(
                "{text} (the suite warns above {} per answer, its own convention)",
                dur(bound)
            ),
        );
    }
}

/// `3.2 ms`, `140 ms`, `1.5 s`, `12 min`.
fn dur(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1e3;
    if ms < 10.0 {
        format!("{ms:.1} ms")
    } else if ms < 1000.0 {
        format!("{ms:.0} ms")
    } else if ms < 120_000.0 {
        let s = d.as_secs_f64();
        if s.fract() == 0.0 {
            format!("{s:.0} s")
        } else {
            format!("{s:.1} s")
        }
    } else {
        format!("{:.0} min", d.as_secs_f64() / 60.0)
    }
}

/// Stdout lines that cannot be protocol lines, where the first came.
#[derive(Default, Clone)]
struct Strays {
    count: usize,
    first: Option<(String, String)>,
}

impl Strays {
    /// Keeps note of `line`; false once too many were skipped.
    fn keep(&mut self, line: &[u8], before: &str) -> bool {
        if self.count >= MAX_STRAYS {
            return false;
        }
        self.count += 1;
        self.first.get_or_insert_with(|| {
            (
                one_line(&String::from_utf8_lossy(line), SHOWN),
                before.to_owned(),
            )
        });
        true
    }

    fn absorb(&mut self, other: &Strays) {
        self.count += other.count;
        if self.first.is_none() {
            self.first = other.first.clone();
        }
    }

    fn report(&self, out: &mut Lines) {
        match &self.first {
            None => out.line(Tag::Ok, "stdout", "it wrote only protocol lines"),
            Some((line, before)) => out.line(
                Tag::Fail,
                "stdout",
                &format!(
                    "{}, the first before {before}: \"{line}\"; a run takes such a line for the hello or the answer and fails: stdout carries protocol lines only, write banners and logs to stderr",
                    match self.count {
                        1 => "1 line is not a protocol line".to_string(),
                        n => format!("{n} lines are not protocol lines"),
                    }
                ),
            ),
        }
    }
}

/// What stderr carried, over every message.
#[derive(Default, Clone)]
struct StderrTally {
    bytes: usize,
    most: (usize, String),
    dropped: Option<String>,
}

impl StderrTally {
    fn add(&mut self, text: &str, at: &str) {
        self.bytes += text.len();
        if text.len() > self.most.0 {
            self.most = (text.len(), at.to_owned());
        }
        // `Process::take_stderr`'s note when its cap dropped some.
        if self.dropped.is_none() && text.contains("more bytes of stderr dropped") {
            self.dropped = Some(at.to_owned());
        }
    }

    fn absorb(&mut self, other: &StderrTally) {
        self.bytes += other.bytes;
        if other.most.0 > self.most.0 {
            self.most = other.most.clone();
        }
        if self.dropped.is_none() {
            self.dropped = other.dropped.clone();
        }
    }

    /// `cap`: the bytes a run keeps per case.
    fn report(&self, out: &mut Lines, cap: usize) {
        match &self.dropped {
            Some(at) => out.line(
                Tag::Warn,
                "stderr",
                &format!(
                    "{at} wrote more than the {} KiB a run keeps per case, and the rest was dropped: log less, or only on failure",
                    cap >> 10
                ),
            ),
            None if self.bytes == 0 => out.line(Tag::Ok, "stderr", "nothing written"),
            None => out.line(
                Tag::Ok,
                "stderr",
                &format!(
                    "{} bytes in all, at most {} with {} (a run keeps {} KiB per case beside its verdict)",
                    self.bytes,
                    self.most.0,
                    self.most.1,
                    cap >> 10
                ),
            ),
        }
    }
}

/// How a hello failed.
enum HelloFault {
    /// Nothing in time; `late` when it came once stdin closed.
    Timeout {
        late: bool,
    },
    Ended {
        how: String,
        stderr_head: String,
    },
    TooLong(usize),
    Failed(String),
    Bad {
        error: String,
        line: String,
    },
}

impl HelloFault {
    fn text(&self, cfg: &ExternalConfig, strays: usize) -> String {
        let within = dur(cfg.handshake_timeout);
        match self {
            HelloFault::Timeout { late: true } => format!(
                "no hello within {within}; it came only once stdin closed, so stdout is buffered: flush stdout after every line"
            ),
            HelloFault::Timeout { late: false } => {
                let wrote = if strays > 0 {
                    "; what it wrote is not a hello (see stdout)"
                } else {
                    ""
                };
                format!(
                    "no hello within {within}, nor once stdin closed{wrote}: answer the first line, the hello, with a hello and flush stdout after every line (PROTOCOL.md, Handshake); raise --handshake-timeout if it is only slow to start"
                )
            }
            HelloFault::Ended { how, stderr_head } => format!(
                "it ended before its hello ({}){}: it must keep running, read the hello and answer it; run the command by hand to see why it stops",
                one_line(how, 200),
                stderr_begins(stderr_head)
            ),
            HelloFault::TooLong(cap) => format!(
                "its hello is longer than {cap} bytes: one line, with its name, version and ops"
            ),
            HelloFault::Failed(e) => format!("reading its hello failed: {}", one_line(e, 200)),
            HelloFault::Bad { error, line } => format!(
                "bad hello: {}: {line}: answer {{\"type\":\"hello\",\"protocol\":1,\"implementation\":{{\"name\":...,\"version\":...}},\"ops\":[...],\"features\":[]}} (PROTOCOL.md, Handshake)",
                one_line(error, 200)
            ),
        }
    }
}

/// What the last call showed beyond its outcome.
#[derive(Default)]
struct Note {
    /// The answer line as it came.
    line: Option<Vec<u8>>,
    /// It timed out, and an answer came once stdin was closed.
    late: bool,
    /// It timed out without reading the request.
    unread: bool,
    /// The first line of its stderr, when it ended without answering.
    stderr_head: String,
    /// The process before had ended: the case was asked of a new one.
    retried: bool,
    /// No process could be started for it, and why.
    not_started: Option<String>,
}

enum Got {
    Line(Vec<u8>),
    Timeout,
    Eof,
    TooLong(usize),
    Failed(String),
}

/// The next line from `p` that `wanted` takes, by `deadline`; the lines
/// before it are counted as strays (up to [`MAX_STRAYS`]).
fn next_line(
    p: &mut Process,
    deadline: Instant,
    strays: &mut Strays,
    before: &str,
    wanted: fn(&[u8]) -> bool,
) -> Got {
    loop {
        match p.recv(deadline.saturating_duration_since(Instant::now())) {
            Recv::Line(l) if !wanted(&l) && strays.keep(&l, before) => continue,
            Recv::Line(l) => return Got::Line(l),
            Recv::Timeout => return Got::Timeout,
            Recv::Eof => return Got::Eof,
            Recv::TooLong(cap) => return Got::TooLong(cap),
            Recv::Failed(e) => return Got::Failed(e),
        }
    }
}

/// A line that means to be a hello; anything else before it is a stray.
fn is_hello(line: &[u8]) -> bool {
    serde_json::from_slice::<Value>(line)
        .is_ok_and(|v| v.get("type").and_then(Value::as_str) == Some("hello"))
}

/// A line that means to be an answer: JSON. A banner or log line is not.
fn is_json(line: &[u8]) -> bool {
    serde_json::from_slice::<serde::de::IgnoredAny>(line).is_ok()
}

fn first_line(s: &str) -> String {
    s.lines()
        .find(|l| !l.trim().is_empty())
        .map(|l| one_line(l, SHOWN))
        .unwrap_or_default()
}

/// A conversation with the implementation in one mode, as a [`Subject`]
/// so [`run_case`] serves each case's DNS zone and judges the answer.
struct Session {
    cfg: ExternalConfig,
    /// What `run_case` is told was declared: the known ops, and an op
    /// being probed.
    claimed: ImplInfo,
    process: Option<Process>,
    /// Answers from the process running now, and the most from any one.
    answered: usize,
    longest: usize,
    /// A process that ended by itself after answering, and how.
    ended: Option<(usize, String)>,
    /// One-shot processes that exited once stdin closed, and those that
    /// were still running (the message they answered).
    exits: usize,
    lingered: Vec<String>,
    strays: Strays,
    stderr: StderrTally,
    /// Request-to-answer time of every answer, with its case.
    answers: Vec<(Duration, String)>,
    note: Note,
}

impl Session {
    fn new(cfg: ExternalConfig) -> Session {
        Session {
            cfg,
            claimed: ImplInfo {
                name: String::new(),
                version: String::new(),
                ops: Vec::new(),
                features: Vec::new(),
            },
            process: None,
            answered: 0,
            longest: 0,
            ended: None,
            exits: 0,
            lingered: Vec::new(),
            strays: Strays::default(),
            stderr: StderrTally::default(),
            answers: Vec::new(),
            note: Note::default(),
        }
    }

    fn spawn(&self) -> Result<Process, String> {
        Process::spawn(
            &self.cfg.program,
            &self.cfg.args,
            self.cfg.max_answer,
            self.cfg.max_stderr,
        )
    }

    /// Sends the hello and reads its answer; in one-shot mode stdin closes
    /// after the hello, and the process must exit after answering.
    fn handshake(&mut self, p: &mut Process) -> Result<ImplInfo, HelloFault> {
        let one_shot = self.cfg.mode == Mode::OneShot;
        let deadline = Instant::now() + self.cfg.handshake_timeout;
        // A failed write shows up as the end of its output, read below.
        let _ = p.send(&protocol::hello_request(), deadline);
        if one_shot {
            p.close_stdin();
        }
        let result = match next_line(p, deadline, &mut self.strays, "the hello", is_hello) {
            Got::Line(l) => protocol::parse_hello(&l).map_err(|error| HelloFault::Bad {
                error,
                line: one_line(&String::from_utf8_lossy(&l), SHOWN),
            }),
            Got::Timeout => {
                let late = !one_shot && self.late_line(p, is_hello);
                p.kill();
                Err(HelloFault::Timeout { late })
            }
            Got::Eof => {
                let how = p.finish(Duration::from_millis(500));
                let s = p.take_stderr();
                self.stderr.add(&s, "the hello");
                Err(HelloFault::Ended {
                    how,
                    stderr_head: first_line(&s),
                })
            }
            Got::TooLong(cap) => {
                p.kill();
                Err(HelloFault::TooLong(cap))
            }
            Got::Failed(e) => {
                p.kill();
                Err(HelloFault::Failed(e))
            }
        };
        if one_shot && result.is_ok() {
            self.exit_check(p, "the hello");
        }
        self.stderr.add(&p.take_stderr(), "the hello");
        result
    }

    /// Closes stdin and waits briefly for a line `wanted` takes: one that
    /// comes now was held in a buffer until the process exited.
    fn late_line(&mut self, p: &mut Process, wanted: fn(&[u8]) -> bool) -> bool {
        p.close_stdin();
        let until = Instant::now() + FLUSH_GRACE;
        matches!(
            next_line(p, until, &mut self.strays, "its exit", wanted),
            Got::Line(_)
        )
    }

    /// A one-shot process has answered: it must exit by itself.
    fn exit_check(&mut self, p: &mut Process, what: &str) {
        if still_running(&p.finish(EXIT_GRACE)) {
            self.lingered.push(what.to_owned());
        } else {
            self.exits += 1;
        }
    }

    /// Reads the answer to `id`, as the run does; `by_itself` is set when
    /// the process ended on its own.
    fn await_answer(
        &mut self,
        p: &mut Process,
        id: &str,
        deadline: Instant,
        by_itself: &mut bool,
    ) -> Outcome {
        let before = format!("the answer to {id}");
        match next_line(p, deadline, &mut self.strays, &before, is_json) {
            Got::Line(l) => {
                let parsed = protocol::parse_reply(&l, id);
                let shown = one_line(&String::from_utf8_lossy(&l), SHOWN);
                self.note.line = Some(l);
                match parsed {
                    Ok(reply) => Outcome::Reply(reply),
                    Err(e) => {
                        p.kill();
                        Outcome::ProtocolError(format!("{e}: {shown}"))
                    }
                }
            }
            Got::Timeout => {
                if self.cfg.mode == Mode::Persistent {
                    self.note.late = self.late_line(p, is_json);
                }
                p.kill();
                Outcome::Timeout(self.cfg.timeout)
            }
            Got::TooLong(cap) => {
                p.kill();
                Outcome::ProtocolError(format!("an answer longer than {cap} bytes"))
            }
            Got::Failed(e) => {
                p.kill();
                Outcome::Crash(format!("reading its answer failed: {e}"))
            }
            Got::Eof => {
                *by_itself = true;
                let how = p.finish(Duration::from_millis(500));
                Outcome::Crash(format!("no answer: {how}"))
            }
        }
    }

    /// Sends one case and reads its answer; the outcome, its time, and
    /// whether the process ended by itself.
    fn ask(
        &mut self,
        p: &mut Process,
        id: &str,
        op: &str,
        input: &Value,
    ) -> (Outcome, Duration, bool) {
        let start = Instant::now();
        let deadline = start + self.cfg.timeout;
        let sent = p.send(&protocol::case_request(id, op, input), deadline);
        if self.cfg.mode == Mode::OneShot {
            p.close_stdin();
        }
        let mut by_itself = false;
        let outcome = match sent {
            Ok(()) => self.await_answer(p, id, deadline, &mut by_itself),
            Err(SendError::Timeout) => {
                self.note.unread = true;
                p.kill();
                Outcome::Timeout(self.cfg.timeout)
            }
            Err(SendError::Closed) => {
                by_itself = true;
                let how = p.finish(Duration::from_millis(500));
                Outcome::Crash(format!("it stopped reading requests: {how}"))
            }
        };
        (outcome, start.elapsed(), by_itself)
    }

    /// One attempt at a case. In persistent mode, returns how a process
    /// that had answered before ended, when it ended by itself now.
    fn attempt(&mut self, id: &str, op: &str, input: &Value) -> (Answer, Option<(usize, String)>) {
        let mut p = match self.process.take() {
            Some(p) => p,
            None => {
                let started = self.spawn().and_then(|mut p| match self.cfg.mode {
                    Mode::OneShot => Ok(p),
                    Mode::Persistent => self
                        .handshake(&mut p)
                        .map(|_| p)
                        .map_err(|f| f.text(&self.cfg, 0)),
                });
                match started {
                    Ok(p) => {
                        self.answered = 0;
                        p
                    }
                    Err(e) => {
                        let outcome = Outcome::Crash(format!(
                            "could not start the implementation again: {e}"
                        ));
                        self.note.not_started = Some(e);
                        let answer = Answer {
                            outcome,
                            stderr: String::new(),
                            duration: Duration::ZERO,
                        };
                        return (answer, None);
                    }
                }
            }
        };
        self.stderr.add(&p.take_stderr(), "between cases");
        let (outcome, duration, by_itself) = self.ask(&mut p, id, op, input);
        let answered = matches!(outcome, Outcome::Reply(_));
        if answered && self.cfg.mode == Mode::OneShot {
            self.exit_check(&mut p, id);
        }
        let stderr = p.take_stderr();
        self.stderr.add(&stderr, id);
        if !answered {
            self.note.stderr_head = first_line(&stderr);
        }
        let ended = match &outcome {
            Outcome::Crash(how) if by_itself && self.answered > 0 => {
                Some((self.answered, how.clone()))
            }
            _ => None,
        };
        if answered {
            self.answers.push((duration, id.to_owned()));
            self.answered += 1;
            self.longest = self.longest.max(self.answered);
            if self.cfg.mode == Mode::Persistent {
                self.process = Some(p);
            }
        }
        let answer = Answer {
            outcome,
            stderr,
            duration,
        };
        (answer, ended)
    }

    /// Ends the persistent process: stdin closed, a moment to exit.
    fn close(&mut self) -> Option<String> {
        let mut p = self.process.take()?;
        p.close_stdin();
        let how = p.finish(EXIT_GRACE);
        self.stderr.add(&p.take_stderr(), "its exit");
        Some(how)
    }
}

impl Subject for Session {
    fn info(&self) -> &ImplInfo {
        &self.claimed
    }

    fn call(&mut self, id: &str, op: &str, input: &Value) -> Answer {
        self.note = Note::default();
        let (answer, ended) = self.attempt(id, op, input);
        match ended {
            // Its lifetime, not this case: ask a new process.
            Some(e) => {
                self.ended.get_or_insert(e);
                self.note = Note {
                    retried: true,
                    ..Note::default()
                };
                let (again, _) = self.attempt(id, op, input);
                again
            }
            None => answer,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_at_a_glance() {
        assert_eq!(dur(Duration::from_micros(250)), "0.2 ms");
        assert_eq!(dur(Duration::from_millis(140)), "140 ms");
        assert_eq!(dur(Duration::from_millis(1500)), "1.5 s");
        assert_eq!(dur(Duration::from_secs(10)), "10 s");
        assert_eq!(dur(Duration::from_secs(720)), "12 min");
    }

    #[test]
    fn only_json_lines_are_taken_for_answers() {
        assert!(is_json(br#"{"id":"x","result":1}"#));
        assert!(is_json(br#""not an object""#));
        assert!(!is_json(b"INFO starting"));
        assert!(is_hello(br#"{"type":"hello","protocol":2}"#));
        assert!(!is_hello(br#"{"level":"info"}"#));
    }
}

//! An external implementation over the protocol (harness/PROTOCOL.md).

use std::time::{Duration, Instant};

use serde_json::Value;

use super::process::{Process, Recv, SendError};
use super::{Answer, Outcome, StartError, Subject};
use crate::protocol::{self, ImplInfo};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// One process answers every case, one JSON line each.
    Persistent,
    /// One process per case: one request on stdin, one answer on stdout.
    OneShot,
}

#[derive(Debug, Clone)]
pub struct ExternalConfig {
    pub program: String,
    pub args: Vec<String>,
    pub mode: Mode,
    /// Per case, from request to answer.
    pub timeout: Duration,
    /// From start to the hello answer.
    pub handshake_timeout: Duration,
    /// Longest answer line accepted, in bytes.
    pub max_answer: usize,
    /// Stderr kept per case, in bytes.
    pub max_stderr: usize,
}

impl ExternalConfig {
    pub fn new(program: String, args: Vec<String>) -> Self {
        ExternalConfig {
            program,
            args,
            mode: Mode::Persistent,
            timeout: Duration::from_secs(10),
            handshake_timeout: Duration::from_secs(10),
            max_answer: 16 << 20,
            max_stderr: 64 << 10,
        }
    }

    pub fn command_line(&self) -> String {
        let mut words = vec![self.program.clone()];
        words.extend(self.args.iter().cloned());
        shell_words::join(words)
    }

    fn spawn(&self) -> Result<Process, String> {
        Process::spawn(&self.program, &self.args, self.max_answer, self.max_stderr)
    }
}

pub fn start(cfg: &ExternalConfig) -> Result<Box<dyn Subject>, StartError> {
    let mut process = cfg.spawn().map_err(StartError)?;
    let info = handshake(cfg, &mut process).map_err(StartError)?;
    check_declared(&info).map_err(StartError)?;
    match cfg.mode {
        Mode::Persistent => Ok(Box::new(Persistent {
            cfg: cfg.clone(),
            process: Some(process),
            info,
        })),
        Mode::OneShot => {
            process.kill();
            Ok(Box::new(OneShot {
                cfg: cfg.clone(),
                info,
            }))
        }
    }
}

/// Every op and feature a hello declares is one the suite knows: a
/// misspelt name would leave its cases silently unsent.
pub fn check_declared(info: &ImplInfo) -> Result<(), String> {
    let ops: Vec<&str> = crate::ops::all().map(|o| o.name).collect();
    let unknown = |what: &str, name: &str, known: &[&str]| {
        let nearest = crate::diff::nearest(name, known.iter().copied())
            .map(|k| format!(" (the nearest it knows is {k:?})"))
            .unwrap_or_default();
        format!(
            "the implementation declares {what} {:?}, which this suite does not know{nearest}; \
             `mimispec schema` lists the ops and PROTOCOL.md the features",
            crate::diff::one_line(name, 80)
        )
    };
    if let Some(op) = info.ops.iter().find(|o| !ops.contains(&o.as_str())) {
        return Err(unknown("op", op, &ops));
    }
    let features = crate::ops::FEATURES;
    if let Some(f) = info
        .features
        .iter()
        .find(|f| !features.contains(&f.as_str()))
    {
        return Err(unknown("feature", f, features));
    }
    Ok(())
}

fn handshake(cfg: &ExternalConfig, p: &mut Process) -> Result<ImplInfo, String> {
    let who = cfg.command_line();
    // A failed write shows up as the end of its output, read below.
    let _ = p.send(
        &protocol::hello_request(),
        Instant::now() + cfg.handshake_timeout,
    );
    if cfg.mode == Mode::OneShot {
        p.close_stdin();
    }
    let stderr_hint = |p: &Process| {
        let s = p.take_stderr();
        let first = s
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or_default()
            .to_owned();
        if first.is_empty() {
            String::new()
        } else {
            format!("; its stderr begins: {}", truncate(&first, 200))
        }
    };
    match p.recv(cfg.handshake_timeout) {
        Recv::Line(line) => protocol::parse_hello(&line).map_err(|e| {
            let hint = if line.first() == Some(&b'{') {
                ""
            } else {
                " (stdout carries protocol lines only: write banners and logs to stderr)"
            };
            format!(
                "{who}: bad hello: {e}: {}{hint}",
                truncate(&String::from_utf8_lossy(&line), 200)
            )
        }),
        Recv::Timeout => {
            p.kill();
            Err(format!(
                "{who}: no hello within {:?}{}",
                cfg.handshake_timeout,
                stderr_hint(p)
            ))
        }
        Recv::TooLong(cap) => Err(format!("{who}: hello longer than {cap} bytes")),
        Recv::Failed(e) => Err(format!("{who}: reading its hello failed: {e}")),
        Recv::Eof => {
            let how = p.finish(Duration::from_millis(500));
            Err(format!(
                "{who}: ended before its hello: {how}{}",
                stderr_hint(p)
            ))
        }
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(max).collect();
        t.push('…');
        t
    }
}

/// Reads the answer to `id` by `deadline`; kills the process on anything
/// but a good line. `timeout` is the per-case timeout, for the verdict.
fn await_reply(p: &mut Process, id: &str, deadline: Instant, timeout: Duration) -> (Outcome, bool) {
    match p.recv(deadline.saturating_duration_since(Instant::now())) {
        Recv::Line(line) => match protocol::parse_reply(&line, id) {
            Ok(reply) => (Outcome::Reply(reply), true),
            Err(e) => {
                p.kill();
                let shown = truncate(&String::from_utf8_lossy(&line), 200);
                (Outcome::ProtocolError(format!("{e}: {shown}")), false)
            }
        },
        Recv::Timeout => {
            p.kill();
            (Outcome::Timeout(timeout), false)
        }
        Recv::TooLong(cap) => {
            p.kill();
            (
                Outcome::ProtocolError(format!("an answer longer than {cap} bytes")),
                false,
            )
        }
        Recv::Failed(e) => {
            p.kill();
            (
                Outcome::Crash(format!("reading its answer failed: {e}")),
                false,
            )
        }
        Recv::Eof => {
            let how = p.finish(Duration::from_millis(500));
            (Outcome::Crash(format!("no answer: {how}")), false)
        }
    }
}

/// The outcome when a request could not be written: an implementation
/// that does not read in time gets `timeout`, one that is gone `crash`.
fn sent_fault(p: &mut Process, e: SendError, timeout: Duration) -> (Outcome, bool) {
    match e {
        SendError::Timeout => {
            p.kill();
            (Outcome::Timeout(timeout), false)
        }
        SendError::Closed => {
            let how = p.finish(Duration::from_millis(500));
            (
                Outcome::Crash(format!("it stopped reading requests: {how}")),
                false,
            )
        }
    }
}

struct Persistent {
    cfg: ExternalConfig,
    process: Option<Process>,
    info: ImplInfo,
}

impl Subject for Persistent {
    fn info(&self) -> &ImplInfo {
        &self.info
    }

    fn call(&mut self, id: &str, op: &str, input: &Value) -> Answer {
        let start = Instant::now();
        if self.process.is_none() {
            // The last case killed it: start afresh, hello included.
            let restarted = self
                .cfg
                .spawn()
                .and_then(|mut p| handshake(&self.cfg, &mut p).map(|_| p));
            match restarted {
                Ok(p) => self.process = Some(p),
                Err(e) => {
                    let outcome =
                        Outcome::Crash(format!("could not restart the implementation: {e}"));
                    return Answer {
                        outcome,
                        stderr: String::new(),
                        duration: start.elapsed(),
                    };
                }
            }
        }
        let p = self.process.as_mut().expect("started above");
        p.take_stderr();
        let deadline = Instant::now() + self.cfg.timeout;
        let (outcome, alive) = match p.send(&protocol::case_request(id, op, input), deadline) {
            Ok(()) => await_reply(p, id, deadline, self.cfg.timeout),
            Err(e) => sent_fault(p, e, self.cfg.timeout),
        };
        let stderr = p.take_stderr();
        if !alive {
            self.process = None;
        }
        Answer {
            outcome,
            stderr,
            duration: start.elapsed(),
        }
    }
}

struct OneShot {
    cfg: ExternalConfig,
    info: ImplInfo,
}

impl Subject for OneShot {
    fn info(&self) -> &ImplInfo {
        &self.info
    }

    fn call(&mut self, id: &str, op: &str, input: &Value) -> Answer {
        let start = Instant::now();
        let mut p = match self.cfg.spawn() {
            Ok(p) => p,
            Err(e) => {
                return Answer {
                    outcome: Outcome::Crash(e),
                    stderr: String::new(),
                    duration: start.elapsed(),
                };
            }
        };
        let deadline = start + self.cfg.timeout;
        let sent = p.send(&protocol::case_request(id, op, input), deadline);
        p.close_stdin();
        let (outcome, _) = match sent {
            Ok(()) => await_reply(&mut p, id, deadline, self.cfg.timeout),
            Err(e) => sent_fault(&mut p, e, self.cfg.timeout),
        };
        // The answer is in; let it exit, then make sure its group is gone.
        let _ = p.finish(
            self.cfg
                .timeout
                .saturating_sub(start.elapsed())
                .min(Duration::from_secs(1)),
        );
        let stderr = p.take_stderr();
        Answer {
            outcome,
            stderr,
            duration: start.elapsed(),
        }
    }
}

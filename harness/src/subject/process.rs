//! A child process in its own process group, with bounded, timed reads.
//!
//! Everything the child writes is untrusted: stdout is read line by line
//! up to a cap with a bounded wait, stderr is drained continuously into
//! a capped buffer, writes are bounded by a deadline, and killing the
//! child kills its whole group. mimispec is the child subreaper (Linux), so
//! a descendant that leaves the group (setsid) comes back to it when its
//! parent dies, and is killed too: no process outlives the run.

use std::collections::BTreeSet;
use std::io::{self, Read, Write};
use std::os::fd::AsFd;
use std::os::unix::process::CommandExt;
use std::process::{Child, ChildStderr, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex, Once};
use std::time::{Duration, Instant};

use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

/// Process groups alive now, so a signal to mimispec can end them all.
/// Spawning holds this lock, so a stop never misses a process.
static LIVE: Mutex<BTreeSet<i32>> = Mutex::new(BTreeSet::new());

/// Set once a stop has begun: no process is started after it.
static STOPPING: AtomicBool = AtomicBool::new(false);

/// Kills every child process group still alive and every descendant that
/// left its group (on Ctrl-C, SIGTERM and at exit); no process starts
/// after this.
pub fn kill_all_children() {
    let live = match LIVE.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    };
    STOPPING.store(true, Ordering::SeqCst);
    for pgid in live.iter() {
        let _ = killpg(Pid::from_raw(*pgid), Signal::SIGKILL);
    }
    // A killed process hands its children to us only once it has exited:
    // sweep after that, or a descendant that left its group is missed.
    let deadline = Instant::now() + Duration::from_secs(2);
    while Instant::now() < deadline
        && processes()
            .iter()
            .any(|p| live.contains(&p.pgid) && p.state != 'Z')
    {
        std::thread::sleep(Duration::from_millis(5));
    }
    sweep_strays(&live);
}

/// Makes mimispec the reaper of its orphaned descendants (Linux), once.
fn become_subreaper() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        #[cfg(target_os = "linux")]
        let _ = nix::sys::prctl::set_child_subreaper(true);
    });
}

/// Kills and reaps every child of mimispec that is in none of the `live`
/// groups and not in mimispec's own group: descendants of an
/// implementation that left its group and were handed back to mimispec
/// as their reaper. Returns how many there were.
fn sweep_strays(live: &BTreeSet<i32>) -> usize {
    let me = std::process::id() as i32;
    let my_group = nix::unistd::getpgrp().as_raw();
    let mut swept = 0;
    // A stray's own children come back to us as it dies: a few rounds.
    for _ in 0..8 {
        let strays: Vec<i32> = children_of(me)
            .into_iter()
            .filter(|(_, pgid)| *pgid != my_group && !live.contains(pgid))
            .map(|(pid, _)| pid)
            .collect();
        if strays.is_empty() {
            break;
        }
        for pid in strays {
            let pid = Pid::from_raw(pid);
            let _ = nix::sys::signal::kill(pid, Signal::SIGKILL);
            let _ = nix::sys::wait::waitpid(pid, None);
            swept += 1;
        }
    }
    swept
}

/// One line of /proc/PID/stat, the fields the sweep needs.
struct Proc {
    pid: i32,
    ppid: i32,
    pgid: i32,
    state: char,
}

/// Every process on the machine, from /proc.
fn processes() -> Vec<Proc> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in dir.flatten() {
        let name = e.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.parse::<i32>().ok()) else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // `pid (comm) state ppid pgrp ...`; comm may hold spaces and ")".
        let Some(rest) = stat.rsplit_once(") ").map(|(_, r)| r) else {
            continue;
        };
        let fields: Vec<&str> = rest.split(' ').collect();
        let (Some(state), Some(ppid), Some(pgid)) = (
            fields.first().and_then(|f| f.chars().next()),
            fields.get(1).and_then(|f| f.parse::<i32>().ok()),
            fields.get(2).and_then(|f| f.parse::<i32>().ok()),
        ) else {
            continue;
        };
        out.push(Proc {
            pid,
            ppid,
            pgid,
            state,
        });
    }
    out
}

/// `(pid, pgid)` of every process whose parent is `parent`.
fn children_of(parent: i32) -> Vec<(i32, i32)> {
    processes()
        .into_iter()
        .filter(|p| p.ppid == parent)
        .map(|p| (p.pid, p.pgid))
        .collect()
}

/// Why a request could not be written.
#[derive(Debug)]
pub enum SendError {
    /// The implementation did not read it before the deadline.
    Timeout,
    /// Its stdin is closed: it is gone, or stopped reading for good.
    Closed,
}

pub enum Recv {
    Line(Vec<u8>),
    TooLong(usize),
    Eof,
    Failed(String),
    Timeout,
}

#[derive(Default)]
struct Capped {
    buf: Vec<u8>,
    dropped: usize,
}

pub struct Process {
    child: Child,
    pgid: i32,
    stdin: Option<ChildStdin>,
    stdout: ChildStdout,
    /// Bytes read from stdout and not yet returned as a line.
    pending: Vec<u8>,
    stdout_closed: bool,
    line_cap: usize,
    stderr: Arc<Mutex<Capped>>,
    /// The stderr pipe's read end, duplicated: only polled, to know
    /// whether the drain thread has caught up.
    stderr_peek: Option<std::os::fd::OwnedFd>,
    stderr_done: Receiver<()>,
    stderr_cap: usize,
    killed: bool,
}

impl Process {
    /// Starts `program` with `args`, never through a shell.
    pub fn spawn(
        program: &str,
        args: &[String],
        line_cap: usize,
        stderr_cap: usize,
    ) -> Result<Process, String> {
        become_subreaper();
        let mut live = match LIVE.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        if STOPPING.load(Ordering::SeqCst) {
            return Err("mimispec is stopping: no implementation is started".into());
        }
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0)
            .spawn()
            .map_err(|e| match e.kind() {
                io::ErrorKind::NotFound => format!("cannot run {program:?}: no such program"),
                io::ErrorKind::PermissionDenied if std::path::Path::new(program).is_dir() => {
                    format!("cannot run {program:?}: it is a directory")
                }
                io::ErrorKind::PermissionDenied => {
                    format!("cannot run {program:?}: permission denied")
                }
                _ => format!("cannot run {program:?}: {e}"),
            })?;
        live.insert(child.id() as i32);
        drop(live);
        if let Some(stdin) = &child.stdin {
            // Writes are bounded by a deadline: they never block.
            use nix::fcntl::{FcntlArg, OFlag, fcntl};
            let flags = fcntl(stdin.as_fd(), FcntlArg::F_GETFL).unwrap_or(0);
            let _ = fcntl(
                stdin.as_fd(),
                FcntlArg::F_SETFL(OFlag::from_bits_truncate(flags) | OFlag::O_NONBLOCK),
            );
        }
        let pgid = child.id() as i32;
        let stdout = child.stdout.take().expect("stdout is piped");
        let stderr_pipe = child.stderr.take().expect("stderr is piped");
        let stderr_peek = nix::unistd::dup(stderr_pipe.as_fd()).ok();
        let stderr = Arc::new(Mutex::new(Capped::default()));
        let sink = Arc::clone(&stderr);
        let (done, stderr_done) = channel();
        std::thread::spawn(move || {
            drain(stderr_pipe, sink, stderr_cap);
            let _ = done.send(());
        });
        Ok(Process {
            stdin: child.stdin.take(),
            child,
            pgid,
            stdout,
            pending: Vec::new(),
            stdout_closed: false,
            line_cap,
            stderr,
            stderr_peek,
            stderr_done,
            stderr_cap,
            killed: false,
        })
    }

    /// Writes one JSON line by `deadline`, reading stdout meanwhile so an
    /// implementation that answers while it reads cannot deadlock us.
    pub fn send(&mut self, line: &serde_json::Value, deadline: Instant) -> Result<(), SendError> {
        let mut bytes = serde_json::to_vec(line).map_err(|_| SendError::Closed)?;
        bytes.push(b'\n');
        let mut written = 0;
        while written < bytes.len() {
            let stdin = self.stdin.as_mut().ok_or(SendError::Closed)?;
            match stdin.write(&bytes[written..]) {
                Ok(0) => return Err(SendError::Closed),
                Ok(n) => {
                    written += n;
                    continue;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(_) => return Err(SendError::Closed),
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(SendError::Timeout);
            }
            let wait = PollTimeout::try_from(left).unwrap_or(PollTimeout::MAX);
            let reading = !self.stdout_closed && self.pending.len() <= self.line_cap;
            let stdin_fd = stdin.as_fd();
            let mut fds = vec![PollFd::new(stdin_fd, PollFlags::POLLOUT)];
            if reading {
                fds.push(PollFd::new(self.stdout.as_fd(), PollFlags::POLLIN));
            }
            match poll(&mut fds, wait) {
                Ok(0) => return Err(SendError::Timeout),
                Ok(_) => {}
                Err(nix::errno::Errno::EINTR) => continue,
                Err(_) => return Err(SendError::Closed),
            }
            let readable = fds
                .get(1)
                .and_then(|f| f.revents())
                .is_some_and(|r| !r.is_empty());
            if readable {
                self.read_some().map_err(|_| SendError::Closed)?;
            }
        }
        let _ = self.stdin.as_mut().map(|s| s.flush());
        Ok(())
    }

    /// One read from stdout into the pending buffer.
    fn read_some(&mut self) -> io::Result<()> {
        let mut chunk = [0u8; 64 * 1024];
        match self.stdout.read(&mut chunk) {
            Ok(0) => self.stdout_closed = true,
            Ok(n) => self.pending.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
        Ok(())
    }

    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// The next line from stdout, read in this thread: `poll(2)` bounds
    /// the wait, so no reader thread sits between the answer and the run.
    pub fn recv(&mut self, timeout: Duration) -> Recv {
        let deadline = Instant::now() + timeout;
        let mut scanned = 0;
        loop {
            if let Some(i) = self.pending[scanned..].iter().position(|&b| b == b'\n') {
                let end = scanned + i;
                let mut line: Vec<u8> = self.pending.drain(..=end).collect();
                line.pop();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                return if line.len() > self.line_cap {
                    Recv::TooLong(self.line_cap)
                } else {
                    Recv::Line(line)
                };
            }
            scanned = self.pending.len();
            if self.pending.len() > self.line_cap {
                return Recv::TooLong(self.line_cap);
            }
            if self.stdout_closed {
                // A last line without its newline still counts.
                return if self.pending.is_empty() {
                    Recv::Eof
                } else {
                    Recv::Line(std::mem::take(&mut self.pending))
                };
            }
            let left = deadline.saturating_duration_since(Instant::now());
            let wait = if spin_until_readable(self.stdout.as_fd(), SPIN) {
                PollTimeout::ZERO
            } else {
                PollTimeout::try_from(left).unwrap_or(PollTimeout::MAX)
            };
            let mut fds = [PollFd::new(self.stdout.as_fd(), PollFlags::POLLIN)];
            match poll(&mut fds, wait) {
                Ok(0) => return Recv::Timeout,
                Ok(_) => {}
                Err(nix::errno::Errno::EINTR) => continue,
                Err(e) => return Recv::Failed(e.to_string()),
            }
            if let Err(e) = self.read_some() {
                return Recv::Failed(e.to_string());
            }
        }
    }

    /// Empties the stderr buffer and returns what it held.
    pub fn take_stderr(&self) -> String {
        // What the implementation wrote before its answer is in the pipe
        // already: let the drain thread take it (bounded), so it is this
        // case's and not the next one's.
        if let Some(fd) = &self.stderr_peek {
            let deadline = Instant::now() + Duration::from_millis(100);
            loop {
                let mut fds = [PollFd::new(fd.as_fd(), PollFlags::POLLIN)];
                let readable = poll(&mut fds, PollTimeout::ZERO).is_ok_and(|n| n > 0)
                    && fds[0]
                        .revents()
                        .is_some_and(|r| r.contains(PollFlags::POLLIN));
                if !readable || Instant::now() >= deadline {
                    break;
                }
                std::thread::sleep(Duration::from_millis(1));
            }
        }
        let mut c = match self.stderr.lock() {
            Ok(c) => c,
            Err(p) => p.into_inner(),
        };
        let mut s = String::from_utf8_lossy(&c.buf).into_owned();
        if c.dropped > 0 {
            s.push_str(&format!(
                "\n[mimispec: {} more bytes of stderr dropped, cap {}]",
                c.dropped, self.stderr_cap
            ));
        }
        c.buf.clear();
        c.dropped = 0;
        s
    }

    /// Waits up to `grace` for the child to exit by itself; kills it after.
    /// Returns how it ended, for a crash message.
    pub fn finish(&mut self, grace: Duration) -> String {
        let deadline = Instant::now() + grace;
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) => {
                    self.kill();
                    return describe(status);
                }
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_micros(100))
                }
                _ => {
                    self.kill();
                    return "it was still running, and was killed".into();
                }
            }
        }
    }

    /// Kills the whole group, reaps the child, and collects all of stderr.
    pub fn kill(&mut self) {
        if self.killed {
            return;
        }
        self.killed = true;
        self.stdin = None;
        let _ = killpg(Pid::from_raw(self.pgid), Signal::SIGKILL);
        let _ = self.child.wait();
        let live = || match LIVE.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        live().remove(&self.pgid);
        // The stderr pipe closes once every process that holds it is dead.
        // Open past a moment, a descendant left the group: it is ours now
        // (the subreaper), so find it and end it, then wait a little more.
        // The sweep holds the lock spawning takes, so it never mistakes a
        // process just started for a stray.
        if self
            .stderr_done
            .recv_timeout(Duration::from_millis(20))
            .is_err()
        {
            sweep_strays(&live());
            let _ = self.stderr_done.recv_timeout(Duration::from_millis(500));
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.kill();
    }
}

/// How long a read busy-polls before it sleeps. Waking a sleeping process
/// on another core costs tens of microseconds on a VM; most answers come
/// sooner than this, and a slower one costs at most this much CPU.
pub const SPIN: Duration = Duration::from_micros(200);

/// Busy-polls `fd` for up to `spin`; true once it is readable (or closed).
pub fn spin_until_readable(fd: std::os::fd::BorrowedFd<'_>, spin: Duration) -> bool {
    let until = Instant::now() + spin;
    loop {
        let mut fds = [PollFd::new(fd, PollFlags::POLLIN)];
        if poll(&mut fds, PollTimeout::ZERO).is_ok_and(|n| n > 0) {
            return true;
        }
        if Instant::now() >= until {
            return false;
        }
        // Yield rather than spin: on a busy machine the peer may need this core.
        std::thread::yield_now();
    }
}

fn describe(status: ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("it exited with status {code}"),
        (None, Some(sig)) => {
            let name = Signal::try_from(sig)
                .map(|s| s.as_str())
                .unwrap_or("an unknown signal");
            format!("it was killed by signal {sig} ({name})")
        }
        _ => "it ended".into(),
    }
}

/// Reads stderr into `sink`. It waits for data first and reads it under
/// the sink's lock, so a reader that finds the pipe empty and then takes
/// the lock has every byte written before (see `Process::take_stderr`).
fn drain(mut err: ChildStderr, sink: Arc<Mutex<Capped>>, cap: usize) {
    let mut chunk = [0u8; 8192];
    loop {
        let ready = {
            let mut fds = [PollFd::new(err.as_fd(), PollFlags::POLLIN)];
            poll(&mut fds, PollTimeout::NONE)
        };
        match ready {
            Ok(_) => {}
            Err(nix::errno::Errno::EINTR) => continue,
            Err(_) => return,
        }
        let mut c = match sink.lock() {
            Ok(c) => c,
            Err(p) => p.into_inner(),
        };
        match err.read(&mut chunk) {
            Ok(0) => return,
            Ok(n) => {
                let room = cap.saturating_sub(c.buf.len()).min(n);
                c.buf.extend_from_slice(&chunk[..room]);
                c.dropped += n - room;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return,
        }
    }
}

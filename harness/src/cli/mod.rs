//! The commands behind `mimispec`'s command line. main.rs holds the
//! command enum and dispatch; each command's arguments and body are here.

use std::path::{Path, PathBuf};

use crate::corpus::{Corpus, LoadError};
use crate::subject::StartError;

/// `println!` for commands: when the reader has gone (`| head`), the
/// command ends quietly with success instead of panicking.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::cli::write_out(format_args!($($arg)*), true)
    };
}

/// `print!` for commands, as [`outln!`].
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::cli::write_out(format_args!($($arg)*), false)
    };
}

pub mod bench;
pub mod compare;
pub mod coverage;
pub mod doctor;
pub mod expect;
pub mod fuzz;
pub mod matrix;
pub mod run;
pub mod schema;
pub mod serve;
pub mod show;

#[doc(hidden)]
pub fn write_out(args: std::fmt::Arguments<'_>, newline: bool) {
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    let written = stdout.write_fmt(args).and_then(|()| {
        if newline {
            stdout.write_all(b"\n")
        } else {
            Ok(())
        }
    });
    if let Err(e) = written {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            crate::subject::kill_all_children();
            std::process::exit(0);
        }
        eprintln!("mimispec: error: writing to stdout: {e}");
        crate::subject::kill_all_children();
        std::process::exit(2);
    }
}

/// Why a command could not be made: printed as `mimispec: error: ...`
/// with exit status 2.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}", corpus_errors(.0))]
    Corpus(Vec<LoadError>),
    #[error("{0}")]
    Expectations(LoadError),
    #[error(transparent)]
    Start(#[from] StartError),
    #[error("{}: {source}", .path.display())]
    File {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A flag's value, or a combination of flags, that cannot be run.
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// At most this many corpus errors are listed; the rest are counted.
const SHOWN_ERRORS: usize = 50;

fn corpus_errors(errors: &[LoadError]) -> String {
    let mut s = format!(
        "the vectors do not load ({}):",
        crate::report::plural(errors.len(), "error")
    );
    for e in errors.iter().take(SHOWN_ERRORS) {
        s.push_str(&format!("\n  {e}"));
    }
    if errors.len() > SHOWN_ERRORS {
        s.push_str(&format!("\n  ... and {} more", errors.len() - SHOWN_ERRORS));
    }
    s
}

impl Error {
    pub fn file(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
        move |source| Error::File {
            path: path.to_owned(),
            source,
        }
    }
}

/// The built-in corpus, or the one in `dir`.
pub fn load_corpus(dir: Option<&Path>) -> Result<Corpus, Error> {
    match dir {
        Some(d) => Corpus::from_dir(d),
        None => Corpus::embedded(),
    }
    .map_err(Error::Corpus)
}

/// `--version`: the suite's version, and the corpus it carries. Loading
/// the corpus takes milliseconds, so only `--version` pays for it and the
/// adapter starts fast.
pub fn version_line(wanted: bool) -> String {
    match wanted.then(Corpus::embedded) {
        Some(Ok(c)) => format!(
            "{} (corpus {}, {} cases)",
            crate::SUITE_VERSION,
            c.digest,
            c.cases.len()
        ),
        Some(Err(_)) => format!("{} (corpus does not load)", crate::SUITE_VERSION),
        None => crate::SUITE_VERSION.to_string(),
    }
}

/// Kills every implementation process on Ctrl-C or SIGTERM.
pub fn install_signal_handler() {
    let _ = ctrlc::set_handler(|| {
        crate::subject::kill_all_children();
        std::process::exit(130);
    });
}

/// Ends a command: processes killed, a fatal error printed on one line.
pub fn finish(result: Result<std::process::ExitCode, Error>) -> std::process::ExitCode {
    crate::subject::kill_all_children();
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("mimispec: error: {e}");
            std::process::ExitCode::from(2)
        }
    }
}

/// `mimispec adapter`: no corpus is loaded, so one-shot runs start fast.
pub fn adapter() -> Result<std::process::ExitCode, Error> {
    let features = crate::reference_features();
    match crate::adapter::serve_stdio(&features) {
        Ok(()) => Ok(std::process::ExitCode::SUCCESS),
        // The harness closed our stdout: nothing left to answer.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(std::process::ExitCode::SUCCESS),
        Err(e) => Err(e.into()),
    }
}

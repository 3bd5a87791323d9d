//! Subjects: what a run tests. The reference in process, or an external
//! program over the protocol (persistent or one process per case).

mod external;
pub(crate) mod process;
mod reference;

use std::time::Duration;

use serde_json::Value;

pub use external::{ExternalConfig, Mode};
pub use process::kill_all_children;
pub use reference::{answer as reference_answer, panic_message};

use crate::protocol::{ImplInfo, Reply};

/// What happened when one case was sent.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Reply(Reply),
    /// No answer within the per-case timeout; the process was killed.
    Timeout(Duration),
    /// The implementation died or closed its output without answering.
    Crash(String),
    /// The answer broke the protocol (bad JSON, wrong id, over the cap).
    ProtocolError(String),
}

#[derive(Debug, Clone)]
pub struct Answer {
    pub outcome: Outcome,
    /// What the implementation wrote to stderr while the case was in flight.
    pub stderr: String,
    pub duration: Duration,
}

/// One running instance of a subject; a run has one per job.
pub trait Subject: Send {
    fn info(&self) -> &ImplInfo;
    fn call(&mut self, id: &str, op: &str, input: &Value) -> Answer;
}

/// How to start instances of a subject.
#[derive(Debug, Clone)]
pub enum SubjectSpec {
    /// The reference, in process; it declares these features.
    Reference {
        features: Vec<String>,
    },
    External(ExternalConfig),
}

/// Why a subject could not be started: the run stops with this line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct StartError(pub String);

impl SubjectSpec {
    pub fn start(&self) -> Result<Box<dyn Subject>, StartError> {
        match self {
            SubjectSpec::Reference { features } => {
                Ok(Box::new(reference::Reference::new(features.clone())))
            }
            SubjectSpec::External(cfg) => external::start(cfg),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            SubjectSpec::Reference { .. } => "the in-tree reference (in process)".into(),
            SubjectSpec::External(cfg) => cfg.command_line(),
        }
    }
}

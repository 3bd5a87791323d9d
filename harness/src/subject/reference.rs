//! The reference, called in process.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Instant;

use serde_json::Value;

use super::{Answer, Outcome, Subject};
use crate::ops;
use crate::protocol::{ImplInfo, Reply};

pub struct Reference {
    info: ImplInfo,
}

impl Reference {
    pub fn new(features: Vec<String>) -> Self {
        let ops = ops::all().map(|o| o.name.to_owned()).collect();
        let info = ImplInfo {
            name: "mimispec-reference".into(),
            version: crate::SUITE_VERSION.into(),
            ops,
            features,
        };
        Reference { info }
    }
}

/// The reference's answer to one request, as the adapter also sends it.
pub fn answer(op: &str, input: &Value) -> Reply {
    match ops::run(op, input) {
        None => Reply::Unsupported(format!("mimispec has no op {op:?}")),
        Some(Ok(v)) => Reply::Result(v),
        Some(Err(e)) => Reply::Error {
            code: e.code,
            message: e.message,
        },
    }
}

impl Subject for Reference {
    fn info(&self) -> &ImplInfo {
        &self.info
    }

    fn call(&mut self, _id: &str, op: &str, input: &Value) -> Answer {
        let start = Instant::now();
        let outcome = match catch_unwind(AssertUnwindSafe(|| answer(op, input))) {
            Ok(reply) => Outcome::Reply(reply),
            Err(panic) => Outcome::Crash(format!(
                "the reference panicked: {}",
                panic_message(panic.as_ref())
            )),
        };
        Answer {
            outcome,
            stderr: String::new(),
            duration: start.elapsed(),
        }
    }
}

/// The text a panic carried (`panic!("...")` or a formatted one), or "".
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

//! mimispec: the conformance suite and interop harness.
//!
//! The path from a vector to a verdict: [`corpus`] loads the vectors,
//! [`run`] sends each case to a [`subject`] (the reference in process, or
//! an external program over [`protocol`]), [`verdict`] judges the answer,
//! and [`report`] writes it for people and machines.

pub mod adapter;
pub mod api;
pub mod bench;
pub mod cli;
pub mod corpus;
pub mod diff;
pub mod dns;
pub mod expectations;
pub mod fuzz;
pub mod ops;
pub mod property;
pub mod protocol;
pub mod report;
pub mod run;
pub mod subject;
pub mod verdict;

/// The suite's version; with the corpus digest it names what was run.
pub const SUITE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The features the reference declares: all of them.
pub fn reference_features() -> Vec<String> {
    ops::FEATURES.iter().map(|f| f.to_string()).collect()
}

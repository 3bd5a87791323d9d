//! Helpers shared by the integration tests; each test crate uses some.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};

/// The broken adapter, built once per test run: `cargo test --test NAME`
/// does not build examples, and a stale one would test old behaviour.
pub fn broken_adapter() -> PathBuf {
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| {
            let status = Command::new(env!("CARGO"))
                .args([
                    "build",
                    "-q",
                    "-p",
                    "mimispec",
                    "--example",
                    "broken-adapter",
                ])
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .status()
                .expect("cargo runs");
            assert!(status.success(), "building the broken adapter failed");
            // Tests run from target/<profile>/deps; examples sit beside deps.
            let exe = std::env::current_exe().unwrap();
            exe.parent()
                .unwrap()
                .parent()
                .unwrap()
                .join("examples")
                .join("broken-adapter")
        })
        .clone()
}

/// Runs the built `mimispec` with `args`.
pub fn mimispec(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mimispec"))
        .args(args)
        .output()
        .expect("mimispec runs")
}

/// Output bytes as text, lossily.
pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

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

/// The headless browser on PATH, if any: a test that needs one skips
/// with a message without it.
pub fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

/// The DOM of `url` once its scripts ran, as `browser --dump-dom` prints
/// it; `dir` holds the browser's profile and the dump.
pub fn dump_dom(browser: &str, dir: &std::path::Path, url: &str) -> String {
    // Into a file: a pipe would fill and stall a browser that is writing a
    // 4 MB DOM while nobody reads.
    let out = dir.join("dom.html");
    let mut child = Command::new(browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu"])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg("--dump-dom")
        .arg(url)
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // A guard against a browser that never exits, not a timing check.
    let mut waited = 0;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if waited == 3000 {
            child.kill().unwrap();
            panic!("{browser} did not finish in 300 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
        waited += 1;
    };
    assert!(status.success(), "{browser}: {status}");
    std::fs::read_to_string(out).unwrap()
}

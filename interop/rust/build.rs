// Reads the exact version of each adapted library from Cargo.lock (the pin
// the binaries are built with) and hands it to the code as
// MIMISPEC_VERSION_<crate name, upper case, '-' as '_'>, so every hello
// names the version really linked. Build-time only; no network.
use std::{env, fs, path::Path};

fn main() {
    let dir = env::var("CARGO_MANIFEST_DIR").unwrap();
    let lock = Path::new(&dir).join("Cargo.lock");
    println!("cargo:rerun-if-changed={}", lock.display());
    let text = fs::read_to_string(&lock).expect("Cargo.lock");
    let mut name: Option<String> = None;
    for line in text.lines() {
        if let Some(n) = line.strip_prefix("name = ") {
            name = Some(n.trim_matches('"').to_string());
        } else if let (Some(v), Some(n)) = (line.strip_prefix("version = "), name.take())
            && ["chrono", "mailparse", "idna", "mime", "hickory-resolver"].contains(&n.as_str())
        {
            let key = n.to_uppercase().replace('-', "_");
            println!(
                "cargo:rustc-env=MIMISPEC_VERSION_{}={}",
                key,
                v.trim_matches('"')
            );
        }
    }
}

//! A deliberately broken implementation, for the runner's tests.
//!
//! `broken-adapter MODE`. Modes that break the handshake: `hang-hello`,
//! `bad-hello`, `exit-hello`. Mode `faults` answers through the reference
//! except for cases whose name (after `#`) is a fault: `hang`, `crash`,
//! `garbage`, `wrong-id`, `huge`, `flood`, `grandchild` (writes the
//! grandchild's pid to the file named by the second argument), `two-results`.
//! Mode `wrong` is a plausible but wrong implementation: it gets some
//! results wrong, uses its own error codes and writes to stderr.
//! Mode `deaf` says hello unasked and never reads stdin. Mode `forger`
//! has a name with a line feed and a 4 MiB version; mode `misspelt`
//! declares an op the suite does not know. Mode
//! `spawner DIR` answers through the reference, and for every case first
//! starts a process that leaves its group (setsid) and records its pid in
//! DIR.
//!
//! Modes for `mimispec doctor`, each otherwise answering through the
//! reference: `banner` writes a line to stdout before its hello;
//! `unflushed` never flushes stdout (it comes out at exit, as a piped
//! stdout does in many languages), `unflushed-answers` flushes only its
//! hello; `one-case` exits after its first answer; `wrong-ids` answers
//! under another id; `slow` takes 1.1 s per answer; `linger` does not exit
//! when stdin ends.
//!
//! Modes for `mimispec fuzz`, each otherwise answering through the
//! reference: `lenient-dot` accepts a msg-id whose id-left starts with a
//! dot (`<.a@b>`); `fuzz-faults` exits without answering a msg-id that
//! holds `[` and never answers one that holds a backslash.

use std::io::{BufRead, Write};

use serde_json::{Value, json};

fn main() {
    let mode = std::env::args().nth(1).unwrap_or_default();
    let stdin = std::io::stdin();
    let mut out: Box<dyn Write> = if mode.starts_with("unflushed") {
        Box::new(std::io::BufWriter::with_capacity(
            1 << 20,
            std::io::stdout(),
        ))
    } else {
        Box::new(std::io::stdout())
    };
    if mode == "banner" {
        writeln!(out, "broken-adapter 1.0 ready").unwrap();
        out.flush().unwrap();
    }
    if mode == "deaf" {
        // Says hello unasked, and never reads a byte.
        let hello = json!({"type": "hello", "protocol": 1, "implementation": {"name": "deaf", "version": "1"}, "ops": ["immi.msg_id.parse"]});
        writeln!(out, "{hello}").unwrap();
        out.flush().unwrap();
        std::thread::sleep(std::time::Duration::from_secs(3600));
    }
    for line in stdin.lock().lines() {
        let Ok(line) = line else { return };
        let req: Value = serde_json::from_str(&line).unwrap_or(Value::Null);
        if req["type"] == "hello" {
            match mode.as_str() {
                "hang-hello" => std::thread::sleep(std::time::Duration::from_secs(3600)),
                "bad-hello" => {
                    writeln!(out, "hello there").unwrap();
                    continue;
                }
                "exit-hello" => {
                    eprintln!("broken-adapter: cannot start: no licence");
                    std::process::exit(3);
                }
                _ => {}
            }
            // Only the ops its fixtures use, so the snapshots do not change as
            // the suite grows.
            let ops = [
                "immi.msg_id.parse",
                "immi.msg_id_header.parse",
                "immi.disposition_notification.parse",
            ];
            let ops: Vec<&str> = if mode == "misspelt" {
                vec!["immi.msgid.parse"]
            } else {
                ops.to_vec()
            };
            let (name, version) = if mode == "forger" {
                // A name that would forge a summary line, a 4 MiB version.
                (
                    "broken\nresult: ok. 0 cases".to_string(),
                    "9".repeat(4 << 20),
                )
            } else {
                ("broken".to_string(), mode.clone())
            };
            let hello = json!({"type": "hello", "protocol": 1, "implementation": {"name": name, "version": version}, "ops": ops});
            writeln!(out, "{hello}").unwrap();
            if mode != "unflushed" {
                out.flush().unwrap();
            }
            continue;
        }
        let id = req["id"].as_str().unwrap_or_default().to_owned();
        let fault = id.rsplit('#').next().unwrap_or_default().to_owned();
        let op = req["op"].as_str().unwrap_or_default();
        let mut answer = mimispec::subject::reference_answer(op, &req["input"]).to_json();
        answer["id"] = json!(id);
        if mode == "spawner" {
            let dir = std::env::args().nth(2).unwrap_or_default();
            let file = format!("{dir}/{}", std::process::id());
            setsid_sleeper(&file);
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        if mode == "lenient-dot" {
            lenient_dot(&req, &mut answer);
        } else if mode == "fuzz-faults" && op == "immi.msg_id.parse" {
            let text = req["input"]["text"].as_str().unwrap_or_default();
            if text.contains('[') {
                std::process::exit(101);
            }
            if text.contains('\\') {
                std::thread::sleep(std::time::Duration::from_secs(3600));
            }
        }
        if mode == "wrong" {
            wrong(&req, &mut answer);
        } else if mode == "faults" {
            match fault.as_str() {
                "hang" => std::thread::sleep(std::time::Duration::from_secs(3600)),
                "crash" => {
                    eprintln!("broken-adapter: segfault (pretend)");
                    std::process::exit(101);
                }
                "garbage" => answer = json!("not an object"),
                "wrong-id" => answer["id"] = json!("someone-else"),
                "huge" => answer["result"] = json!({"padding": "x".repeat(2 << 20)}),
                "flood" => {
                    let chunk = "e".repeat(1 << 16);
                    let mut err = std::io::stderr();
                    for _ in 0..160 {
                        let _ = writeln!(err, "{chunk}");
                    }
                }
                "two-results" => answer["error"] = json!({"code": "x"}),
                "setsid" => {
                    if let Some(path) = std::env::args().nth(2) {
                        setsid_sleeper(&path);
                    }
                }
                "grandchild" => {
                    // Left running on purpose: the harness must kill it.
                    #[allow(clippy::zombie_processes)]
                    let child = std::process::Command::new("sleep")
                        .arg("300")
                        .spawn()
                        .unwrap();
                    if let Some(path) = std::env::args().nth(2) {
                        std::fs::write(path, child.id().to_string()).unwrap();
                    }
                    std::thread::sleep(std::time::Duration::from_secs(3600));
                }
                _ => {}
            }
        }
        match mode.as_str() {
            "wrong-ids" => answer["id"] = json!("1"),
            "slow" => std::thread::sleep(std::time::Duration::from_millis(1100)),
            _ => {}
        }
        writeln!(out, "{answer}").unwrap();
        if !mode.starts_with("unflushed") {
            out.flush().unwrap();
        }
        if mode == "one-case" {
            std::process::exit(0);
        }
    }
    if mode == "linger" {
        std::thread::sleep(std::time::Duration::from_secs(3600));
    }
}

/// Starts `sleep` in a session and group of its own, as a daemon would,
/// and waits until it has written its pid to `file`.
fn setsid_sleeper(file: &str) {
    // Left running on purpose: the harness must find it and kill it.
    #[allow(clippy::zombie_processes)]
    let _child = std::process::Command::new("setsid")
        .args([
            "sh",
            "-c",
            "echo $$ > \"$0.tmp\" && mv \"$0.tmp\" \"$0\" && exec sleep 300",
            file,
        ])
        .spawn()
        .unwrap();
    while !std::path::Path::new(file).exists() {
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
}

/// Accepts `<.` where the reference would take `<`: the planted deviation
/// `mimispec fuzz` must find.
fn lenient_dot(req: &Value, answer: &mut Value) {
    let text = req["input"]["text"].as_str().unwrap_or_default();
    if req["op"] != "immi.msg_id.parse" || answer.get("error").is_none() {
        return;
    }
    let Some(rest) = text.strip_prefix("<.") else {
        return;
    };
    let fixed = json!({ "text": format!("<{rest}") });
    let reply = mimispec::subject::reference_answer("immi.msg_id.parse", &fixed).to_json();
    if let Some(left) = reply.pointer("/result/id_left").and_then(Value::as_str) {
        let right = reply["result"]["id_right"].clone();
        *answer = json!({"id": answer["id"], "result": {"id_left": format!(".{left}"), "id_right": right}});
    }
}

/// Plausible mistakes an implementer makes.
fn wrong(req: &Value, answer: &mut Value) {
    let text = req["input"]["text"].as_str().unwrap_or_default();
    if let Some(err) = answer.get_mut("error") {
        // Its own codes, as implementations have.
        let code = err["code"]
            .as_str()
            .unwrap_or_default()
            .rsplit('.')
            .next()
            .unwrap_or_default()
            .to_uppercase();
        err["code"] = json!(format!("E_{code}"));
    }
    if text.contains("UPPER") {
        // Case-folds the right part, as if it were a domain.
        if let Some(r) = answer.pointer_mut("/result/id_right") {
            *r = json!(r.as_str().unwrap_or_default().to_lowercase());
        }
    }
    if text.contains("  ") {
        // Accepts CFWS it should refuse.
        *answer = json!({"id": answer["id"], "result": {"id_left": "x", "id_right": "y"}});
        eprintln!("broken-adapter: trimmed whitespace in {text:?}");
    }
}

//! `mimispec adapter`: the reference served over the protocol, so the
//! external path is exercised against a real second process.

use std::io::{self, BufRead, Write};
use std::os::fd::AsFd;

use serde_json::{Value, json};

use crate::protocol;

/// The code for a request line the adapter cannot read (not JSON, or
/// neither a hello nor a case).
pub const BAD_REQUEST: &str = "mimispec.bad_request";

/// Serves requests from stdin until it ends, busy-polling briefly before
/// each blocking read (see `process::SPIN`).
pub fn serve_stdio(features: &[String]) -> io::Result<()> {
    let stdin = io::stdin();
    let mut input = io::BufReader::with_capacity(64 * 1024, stdin.lock());
    let mut output = io::stdout().lock();
    let mut line = String::new();
    loop {
        if input.buffer().is_empty() {
            crate::subject::process::spin_until_readable(
                stdin.as_fd(),
                crate::subject::process::SPIN,
            );
        }
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(());
        }
        answer_to(&line, &mut output, features)?;
    }
}

/// Serves requests from `input` until end of input. Lines it cannot read
/// are answered with an error rather than ending the session.
pub fn serve(input: impl BufRead, mut output: impl Write, features: &[String]) -> io::Result<()> {
    for line in input.lines() {
        answer_to(&line?, &mut output, features)?;
    }
    Ok(())
}

fn answer_to(line: &str, output: &mut impl Write, features: &[String]) -> io::Result<()> {
    {
        if line.trim().is_empty() {
            return Ok(());
        }
        let mut bytes = serde_json::to_vec(&answer_line(line, features))?;
        bytes.push(b'\n');
        output.write_all(&bytes)?;
        output.flush()
    }
}

fn answer_line(line: &str, features: &[String]) -> Value {
    let req: Value = match serde_json::from_str(line) {
        Ok(v) => v,
        Err(e) => {
            return json!({ "id": null, "error": { "code": BAD_REQUEST, "message": e.to_string() } });
        }
    };
    let id = req.get("id").cloned().unwrap_or(Value::Null);
    match req.get("type").and_then(Value::as_str) {
        Some("hello") => json!({
            "type": "hello",
            "protocol": protocol::PROTOCOL_VERSION,
            "implementation": { "name": "mimispec-reference", "version": crate::SUITE_VERSION },
            "ops": crate::ops::all().map(|o| o.name).collect::<Vec<_>>(),
            "features": features,
        }),
        Some("case") => {
            let op = req.get("op").and_then(Value::as_str).unwrap_or_default();
            let input = req.get("input").cloned().unwrap_or(Value::Null);
            let mut answer = crate::subject::reference_answer(op, &input).to_json();
            answer["id"] = id;
            answer
        }
        _ => {
            json!({ "id": id, "error": { "code": BAD_REQUEST, "message": "type must be hello or case" } })
        }
    }
}

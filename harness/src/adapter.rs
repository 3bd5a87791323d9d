//! `mimispec adapter`: the reference served over the protocol, so the
//! external path is exercised against a real second process.

use std::io::{self, BufRead, Write};

use serde_json::{Value, json};

use crate::protocol::{self, Reply};

/// Serves requests from `input` until end of input. Lines it cannot read
/// are answered with an error rather than ending the session.
pub fn serve(input: impl BufRead, mut output: impl Write, features: &[String]) -> io::Result<()> {
    for line in input.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let answer = answer_line(&line, features);
        serde_json::to_writer(&mut output, &answer)?;
        output.write_all(b"\n")?;
        output.flush()?;
    }
    Ok(())
}

fn answer_line(line: &str, features: &[String]) -> Value {
    let req: Value = match serde_json::from_str(line) {
        Ok(v) => v,
        Err(e) => {
            return json!({ "id": null, "error": { "code": "protocol.bad_request", "message": e.to_string() } });
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
            let mut answer = match crate::subject::reference_answer(op, &input) {
                Reply::Result(v) => json!({ "result": v }),
                Reply::Error { code, message } => {
                    json!({ "error": { "code": code, "message": message } })
                }
                Reply::Unsupported(why) => json!({ "unsupported": why }),
            };
            answer["id"] = id;
            answer
        }
        _ => {
            json!({ "id": id, "error": { "code": "protocol.bad_request", "message": "type must be hello or case" } })
        }
    }
}

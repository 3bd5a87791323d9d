//! mimispec adapter for chrono (https://crates.io/crates/chrono).
//!
//! Op: `immi.datetime.parse` -> `chrono::DateTime::parse_from_rfc3339(text)`.
//!
//! Glue (result shaping only):
//! - `utc`: the parsed value converted with `with_timezone(&Utc)` and written
//!   with chrono's own `to_rfc3339_opts(SecondsFormat::Secs, true)`
//!   (`YYYY-MM-DDTHH:MM:SSZ`; chrono writes a leap second as second 60).
//! - `offset_minutes`: `offset().local_minus_utc() / 60`.
//! - `unknown_offset` is always `false` and `fraction` always `null`: chrono
//!   keeps neither (-00:00 parses as +00:00, the fraction becomes
//!   nanoseconds), so the features `datetime-unknown-offset` and
//!   `datetime-fraction` are NOT declared and the harness does not compare
//!   those two members.
//! - An error is chrono's `ParseError`, its `kind()` as the code
//!   (`chrono.Invalid`, `chrono.OutOfRange`, `chrono.TooShort`, ...).

use chrono::{DateTime, SecondsFormat, Utc};
use mimispec_interop_rust::{Answer, Hello, run, text};
use serde_json::json;

fn main() {
    run(
        Hello {
            name: "chrono",
            version: env!("MIMISPEC_VERSION_CHRONO"),
            ops: &["immi.datetime.parse"],
            features: &[],
        },
        |_op, input| {
            let s = match text(input, "text") {
                Ok(s) => s,
                Err(a) => return a,
            };
            match DateTime::parse_from_rfc3339(s) {
                Ok(dt) => Answer::Result(json!({
                    "utc": dt.with_timezone(&Utc).to_rfc3339_opts(SecondsFormat::Secs, true),
                    "offset_minutes": dt.offset().local_minus_utc() / 60,
                    "unknown_offset": false,
                    "fraction": null,
                })),
                Err(e) => Answer::error(format!("chrono.{:?}", e.kind()), e.to_string()),
            }
        },
    );
}

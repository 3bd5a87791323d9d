//! mimispec adapter for mime, hyperium's media-type crate (https://crates.io/crates/mime).
//!
//! Op: `application_mime.content_type.parse` -> `text.parse::<mime::Mime>()`
//! (`impl FromStr for Mime`), then `type_()`, `subtype()` and `params()`.
//!
//! Glue:
//! - The input is what follows `Content-Type:`; leading and trailing SP and
//!   HTAB are trimmed before the call, as an HTTP message parser does before
//!   a field value reaches mime (RFC 9110 §5.5: "A field value does not
//!   include leading or trailing whitespace"). CR, LF and inner whitespace
//!   are passed as they are.
//! - `subtype` is `subtype()` followed by `+` and `suffix()` when mime splits
//!   off a structured-syntax suffix (`x-sub+json` is one subtype in RFC 2045
//!   and RFC 6838; mime reports `x-sub` and the suffix `json`).
//! - `parameters` is a JSON object built from `params()` in order, each
//!   name and value as `Name::as_str()` gives it (a later parameter of the
//!   same name would overwrite an earlier one in the object).
//! - An error is mime's `FromStrError`: code `mime.FromStrError`, message its
//!   Display and Debug (the inner kind, e.g. `MissingSlash`, is private).
//! - mime parses HTTP media types (RFC 7231 §3.1.1.1): it has no RFC 822
//!   comments, folds or RFC 2231; nothing here adds them.

use mime::Mime;
use mimispec_interop_rust::{Answer, Hello, run, text};
use serde_json::{Map, Value, json};

fn main() {
    run(
        Hello {
            name: "mime",
            version: env!("MIMISPEC_VERSION_MIME"),
            ops: &["application_mime.content_type.parse"],
            features: &[],
        },
        |_op, input| {
            let s = match text(input, "text") {
                Ok(s) => s,
                Err(a) => return a,
            };
            match s.trim_matches([' ', '\t']).parse::<Mime>() {
                Ok(m) => {
                    let mut params = Map::new();
                    for (name, value) in m.params() {
                        params.insert(
                            name.as_str().to_string(),
                            Value::String(value.as_str().to_string()),
                        );
                    }
                    Answer::Result(json!({
                        "type": m.type_().as_str(),
                        "subtype": match m.suffix() {
                            Some(suffix) => format!("{}+{}", m.subtype().as_str(), suffix.as_str()),
                            None => m.subtype().as_str().to_string(),
                        },
                        "parameters": params,
                    }))
                }
                Err(e) => Answer::error("mime.FromStrError", format!("{e} ({e:?})")),
            }
        },
    );
}

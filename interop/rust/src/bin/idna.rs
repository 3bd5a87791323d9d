//! mimispec adapter for idna, the servo/unicode UTS #46 crate (https://crates.io/crates/idna).
//!
//! Op: `discovery.mui.parse` -> `idna::uts46::Uts46::new().to_ascii(text,
//! AsciiDenyList::STD3, Hyphens::CheckFirstLast, DnsLength::VerifyAllowRootDot)`.
//!
//! The options, the closest idna 1.x offers to an IDNA2008 lookup (RFC 5891
//! §5): processing is always nontransitional (`ß` stays `ß`) with CheckBidi
//! and CheckJoiners on (they are not options in idna 1.x); `STD3` (the UTS #46
//! UseSTD3ASCIIRules flag) limits ASCII to letters, digits and hyphen, as an
//! IDNA2008 LDH label is (RFC 5890 §2.3.1); `CheckFirstLast` forbids a hyphen
//! first or last in a label, as the LDH rule does, but allows `--` in
//! positions 3 and 4, which IDNA2008 lookup does not refuse in an ASCII label
//! (CheckHyphens=true, `Hyphens::Check`, would) but does in a non-ASCII one
//! (RFC 5891 §5.4: listed in expect.yaml, no option gives exactly that); `VerifyAllowRootDot` is VerifyDNSLength=true
//! (no empty label, labels of at most 63 and names of at most 253 octets)
//! except that one trailing root dot is allowed. UTS #46 maps (case, width,
//! U+3002) where IDNA2008 would refuse; idna offers no way to turn that off.
//!
//! Glue (result shaping only): one trailing `.` of the library's output is
//! removed, since the result is the name without the root dot. The URI form
//! (`mimi:<fqdn>`) is not unwrapped: idna knows no scheme, so the text goes to
//! `to_ascii` as it is. An error is idna's `Errors` (it carries no detail):
//! code `idna.Errors`.

use idna::uts46::{AsciiDenyList, DnsLength, Hyphens, Uts46};
use mimispec_interop_rust::{Answer, Hello, run, text};
use serde_json::json;

fn main() {
    let uts46 = Uts46::new();
    run(
        Hello {
            name: "idna",
            version: env!("MIMISPEC_VERSION_IDNA"),
            ops: &["discovery.mui.parse"],
            features: &[],
        },
        |_op, input| {
            let s = match text(input, "text") {
                Ok(s) => s,
                Err(a) => return a,
            };
            match uts46.to_ascii(
                s.as_bytes(),
                AsciiDenyList::STD3,
                Hyphens::CheckFirstLast,
                DnsLength::VerifyAllowRootDot,
            ) {
                Ok(ascii) => {
                    let name = ascii.strip_suffix('.').unwrap_or(&ascii);
                    Answer::Result(json!({"mui": name}))
                }
                Err(e) => Answer::error("idna.Errors", format!("UTS #46 ToASCII failed: {e}")),
            }
        },
    );
}

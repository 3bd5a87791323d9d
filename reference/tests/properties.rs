//! Properties of the reference over generated inputs: no panics, and
//! whatever parses is written back byte for byte (both grammars have one
//! spelling per value). Inputs come from `arbitrary` over a fixed-seed
//! stream (the reference's one generator, `testgen::Gen`, one per case
//! number), biased toward the grammars' own characters so the generator
//! reaches deep states, not only the first byte's error.

use arbitrary::{Arbitrary, Unstructured};
use mimispec_reference::immi::{disposition, msg_id};
use mimispec_reference::testgen::Gen;

const PIECES: &[&str] = &[
    "<",
    ">",
    "@",
    ".",
    "[",
    "]",
    "\\",
    " ",
    "\t",
    "\r\n",
    "\n",
    "\r",
    "a",
    "Z",
    "9",
    "!",
    "~",
    "\"",
    "(",
    ")",
    "é",
    "\u{2665}",
    "example.com",
    "IMMI-Disposition",
    ": ",
    ";dispo=",
    "read",
    "hidden",
    "Message-ID",
    "In-Reply-To",
    "Supersedes",
    ":",
];

const ATEXT: &[u8] = b"aZ09!#$%&'*+-/=?^_`{|}~";

fn dot_atom(u: &mut Unstructured) -> String {
    let atoms = u.int_in_range(1..=3).unwrap_or(1);
    let mut s = String::new();
    for i in 0..atoms {
        if i > 0 {
            s.push('.');
        }
        for _ in 0..u.int_in_range(1..=4).unwrap_or(1) {
            s.push(*u.choose(ATEXT).unwrap_or(&b'a') as char);
        }
    }
    s
}

/// A valid msg-id, then up to two pieces inserted or bytes removed.
fn near_msg_id(u: &mut Unstructured) -> String {
    let right = if bool::arbitrary(u).unwrap_or(false) {
        let inner: String = (0..u.int_in_range(0..=5).unwrap_or(0))
            .map(|_| char::from(u.int_in_range(33u8..=126).unwrap_or(b'a')))
            .filter(|c| !matches!(c, '[' | ']' | '\\'))
            .collect();
        format!("[{inner}]")
    } else {
        dot_atom(u)
    };
    let mut s = format!("<{}@{right}>", dot_atom(u));
    for _ in 0..u.int_in_range(0..=2).unwrap_or(0) {
        let at = u.int_in_range(0..=s.len()).unwrap_or(0);
        if !s.is_char_boundary(at) {
            continue;
        }
        if bool::arbitrary(u).unwrap_or(false) {
            s.insert_str(at, u.choose(PIECES).unwrap_or(&""));
        } else if at < s.len() && s.is_char_boundary(at + 1) {
            s.remove(at);
        }
    }
    s
}

/// Near-valid input, grammar pieces, or raw arbitrary chars.
fn generate(u: &mut Unstructured) -> String {
    match u.int_in_range(0..=3).unwrap_or(0) {
        0 => return String::arbitrary(u).unwrap_or_default(),
        1 => return near_msg_id(u),
        2 => {
            let lines = u.int_in_range(1..=3).unwrap_or(1);
            return (0..lines)
                .map(|_| {
                    let status = *u
                        .choose(&[
                            "read",
                            "error",
                            "delivered",
                            "expired",
                            "deleted",
                            "hidden",
                            "READ",
                        ])
                        .unwrap_or(&"read");
                    format!("IMMI-Disposition: {};dispo={status}\r\n", near_msg_id(u))
                })
                .collect();
        }
        _ => {}
    }
    let n = u.int_in_range(0..=24).unwrap_or(0);
    (0..n).map(|_| *u.choose(PIECES).unwrap_or(&"")).collect()
}

const CASES: u64 = 20_000;

#[test]
fn msg_id_parse_never_panics_and_round_trips() {
    let mut parsed = 0;
    for seed in 0..CASES {
        let bytes = Gen::for_case(seed).stream(256);
        let mut u = Unstructured::new(&bytes);
        let s = generate(&mut u);
        if let Ok(id) = msg_id::parse(&s) {
            assert_eq!(id.to_string(), s, "seed {seed}");
            parsed += 1;
        }
        if let Ok((name, id)) = msg_id::parse_header_line(&s) {
            assert_eq!(format!("{}: {id}\r\n", name.as_str()), s, "seed {seed}");
        }
    }
    assert!(
        parsed > 1000,
        "the generator produced only {parsed} valid msg-ids"
    );
}

#[test]
fn disposition_parse_never_panics_and_round_trips() {
    let mut parsed = 0;
    for seed in 0..CASES {
        let bytes = Gen::for_case(seed ^ 0xD15_0000u64).stream(512);
        let mut u = Unstructured::new(&bytes);
        let s = generate(&mut u);
        if let Ok(entries) = disposition::parse(&s) {
            // "dispo" and the status match in any case and come back lowercase.
            let built = disposition::build(&entries).unwrap();
            assert_eq!(
                built.to_ascii_lowercase(),
                s.to_ascii_lowercase(),
                "seed {seed}"
            );
            assert_eq!(disposition::parse(&built).unwrap(), entries, "seed {seed}");
            parsed += 1;
        }
    }
    assert!(parsed > 0, "the generator never produced a valid body");
}

//! Properties of the message-level reference over generated inputs: no
//! panics, whatever parses is written back by `build` to a message that
//! parses to the same fields, and the parser stays linear on large inputs.
//! Inputs come from `arbitrary` over a fixed-seed stream (the reference's
//! one generator, `testgen::Gen`, one per case number), mutating valid
//! messages with the grammars' own pieces so the generator reaches deep
//! states, not only the first line's error.

use arbitrary::{Arbitrary, Unstructured};
use mimispec_reference::immi::cpim::{self, Draft};
use mimispec_reference::immi::datetime;
use mimispec_reference::testgen::Gen;

const SEEDS: &[&str] = &[
    "Content-type: message/cpim\r\n\r\nFrom: <im:alice-smith@example.com>\r\nDateTime: 2022-02-08T22:13:45-00:00\r\nMessage-ID: <28fd19857ad7@example.com>\r\n\r\nContent-Type: text/markdown;charset=utf-8\r\n\r\nHi everyone!\r\n",
    "Content-type: message/cpim\r\n\r\nFrom: <im:cathy-washington@example.com>\r\nDateTime: 2022-02-08T22:13:57-00:00\r\nMessage-ID: <1a771ca1d84f@example.com>\r\nIn-Reply-To: <28fd19857ad7@example.com>\r\n\r\nContent-Type: text/plain;charset=utf-8\r\nContent-Disposition: reaction\r\n\r\n\u{2665}\r\n",
    "Content-type: message/cpim\r\n\r\nFrom: <im:bob-jones@example.com>\r\nDateTime: 2022-02-08T22:13:57-00:00\r\nMessage-ID: <89d3472622a4@example.com>\r\nSupersedes: <e701beee59f9@example.com>\r\n\r\nContent-Length: 0\r\n\r\n",
    "Content-type: message/cpim\r\n\r\nFrom: Alice \"x\" <im:a@b>\r\nDateTime: 2016-12-31T23:59:60.5Z\r\nMessage-ID: <a@[1.2.3.4]>\r\nExpiresDateTime: 2022-02-08T22:59:03+05:30\r\nNS: P <urn:x>\r\nP.Opt: v\r\nRequire: DateTime\r\nSubject:;lang=fr x\r\n\r\nContent-Disposition: notification\r\nContent-type: message/immi-disposition-notification\r\n\r\nIMMI-Disposition: <4dcab7711a77@example.com>;dispo=read\r\n",
    "Content-Type: message/cpim\r\n\r\nFrom: \"A, B\\u00e9\" <xmpp:a@b>\r\nDateTime: 2022-02-08T22:13:45Z\r\nMessage-ID: <a@b>\r\n\r\nContent-Type: message/external-body; access-type=\"URL\";\r\n URL=\"https://example.com/x\"; size=7\r\nContent-Length: 2\r\n\r\n\r\n",
];

const PIECES: &[&str] = &[
    "\r\n",
    "\n",
    "\r",
    " ",
    "\t",
    ":",
    ": ",
    ";",
    "=",
    "\"",
    "\\",
    "\\u",
    "<",
    ">",
    "@",
    ".",
    "[",
    "]",
    "(",
    "/",
    "From: ",
    "DateTime: ",
    "Message-ID: ",
    "In-Reply-To: <a@b>\r\n",
    "Supersedes: <a@b>\r\n",
    "ExpiresDateTime: ",
    "NS: ",
    "Require: ",
    "Content-Type: ",
    "Content-Length: ",
    "Content-Disposition: alert\r\n",
    "reaction",
    "message/immi-disposition-notification",
    "message/external-body",
    "access-type=URL",
    "2022-02-30T23:59:60-00:00",
    "Z",
    "t",
    "60",
    "9999999999999999999999",
    "\u{e9}",
    "\u{2665}",
    "\u{0}",
];

/// A valid message with up to four pieces inserted or byte ranges removed.
fn generate(u: &mut Unstructured) -> Vec<u8> {
    if u.ratio(1u8, 8u8).unwrap_or(false) {
        return Vec::<u8>::arbitrary(u).unwrap_or_default();
    }
    let mut s = u.choose(SEEDS).unwrap_or(&SEEDS[0]).as_bytes().to_vec();
    for _ in 0..u.int_in_range(0..=4).unwrap_or(0) {
        let at = u.int_in_range(0..=s.len()).unwrap_or(0);
        match u.int_in_range(0..=2).unwrap_or(0) {
            0 => {
                let piece = u.choose(PIECES).unwrap_or(&"");
                s.splice(at..at, piece.bytes());
            }
            1 => {
                let len = u.int_in_range(1..=8).unwrap_or(1);
                s.drain(at..(at + len).min(s.len()));
            }
            _ => {
                if at < s.len() {
                    s[at] = u8::arbitrary(u).unwrap_or(b'x');
                }
            }
        }
    }
    s
}

const CASES: u64 = 20_000;

#[test]
fn message_parse_never_panics_and_build_round_trips() {
    let mut parsed = 0;
    for seed in 0..CASES {
        let bytes = Gen::for_case(seed ^ 0xC914_0000).stream(1024);
        let mut u = Unstructured::new(&bytes);
        let input = generate(&mut u);
        let Ok(m) = cpim::parse(&input) else {
            continue;
        };
        parsed += 1;
        let header = |name: &str| {
            m.headers
                .iter()
                .find(|h| h.name == name && h.namespace == cpim::CORE_NAMESPACE)
                .map(|h| h.value.clone())
        };
        let draft = Draft {
            from: m.from.clone(),
            datetime: header("DateTime").unwrap(),
            message_id: m.message_id.to_string(),
            in_reply_to: m.in_reply_to.as_ref().map(ToString::to_string),
            supersedes: m.supersedes.as_ref().map(ToString::to_string),
            expires: header("ExpiresDateTime"),
            content_type: None,
            content_disposition: None,
            body: m.body.clone(),
        };
        // Without the MIME headers the body is opaque octets: it must build.
        let built = cpim::build(&draft).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        let back = cpim::parse(&built).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        assert_eq!(back.from, m.from, "seed {seed}");
        assert_eq!(back.datetime, m.datetime, "seed {seed}");
        assert_eq!(back.expires, m.expires, "seed {seed}");
        assert_eq!(back.message_id, m.message_id, "seed {seed}");
        assert_eq!(back.in_reply_to, m.in_reply_to, "seed {seed}");
        assert_eq!(back.supersedes, m.supersedes, "seed {seed}");
        assert_eq!(back.body, m.body, "seed {seed}");
    }
    assert!(
        parsed > 2000,
        "the generator produced only {parsed} valid messages"
    );
}

#[test]
fn datetime_parse_never_panics() {
    let mut parsed = 0;
    for seed in 0..CASES {
        let bytes = Gen::for_case(seed ^ 0xDA7E_0000).stream(128);
        let mut u = Unstructured::new(&bytes);
        let mut s = String::from(
            *u.choose(&[
                "2022-02-08T22:13:45-00:00",
                "1990-12-31T15:59:60-08:00",
                "0000-01-01T00:00:00.123+23:59",
            ])
            .unwrap(),
        );
        for _ in 0..u.int_in_range(0..=2).unwrap_or(0) {
            let at = u.int_in_range(0..=s.len()).unwrap_or(0);
            if !s.is_char_boundary(at) {
                continue;
            }
            if bool::arbitrary(&mut u).unwrap_or(false) {
                s.insert(at, char::arbitrary(&mut u).unwrap_or('9'));
            } else if at < s.len() && s.is_char_boundary(at + 1) {
                s.remove(at);
            }
        }
        if let Ok(d) = datetime::parse(&s) {
            // The canonical form parses to the same instant.
            let again = datetime::parse(&d.to_string()).unwrap();
            assert_eq!(again.utc, d.utc, "{s:?}");
            parsed += 1;
        }
    }
    assert!(parsed > 1000, "only {parsed} valid date-times");
}

#[test]
fn parse_is_bounded_and_finishes_on_large_inputs() {
    // Many header lines: refused at the bound, whatever follows.
    let mut many = b"Content-Type: message/cpim\r\n\r\n".to_vec();
    many.extend(b"X: y\r\n".repeat(1_000_000));
    assert_eq!(
        cpim::parse(&many).unwrap_err().code(),
        "immi.message.too_many_headers"
    );
    // One long header line and one long body: time grows linearly.
    let long_line = |n: usize| {
        let mut m = b"Content-Type: message/cpim\r\n\r\nFrom: <im:a@b>\r\nDateTime: 2022-02-08T22:13:45Z\r\nMessage-ID: <a@b>\r\nSubject: "
            .to_vec();
        m.extend(std::iter::repeat_n(b'x', n));
        m.extend(b"\r\n\r\nContent-Type: text/plain;charset=utf-8\r\n\r\n");
        m.extend(std::iter::repeat_n(b'y', n));
        m
    };
    // No timing assertion (it would flake on a busy machine): a quadratic
    // scan of these 4 MB would not finish, which the test run shows.
    assert!(cpim::parse(&long_line(2_000_000)).is_ok());
    // Lines of bare CR and of unterminated strings do not rescan.
    let mut crs = b"Content-Type: message/cpim\r\n\r\nFrom: \"".to_vec();
    crs.extend(b"\\".repeat(1_000_000));
    crs.extend(b"\r\n\r\n");
    assert!(cpim::parse(&crs).is_err());
}

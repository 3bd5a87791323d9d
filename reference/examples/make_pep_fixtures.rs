//! Makes the pep-message-2 test keys and fixed ciphertexts, once:
//!
//! ```text
//! cargo run -p mimispec-reference --example make_pep_fixtures -- vectors/pep-message-2
//! ```
//!
//! Keys come from seeded generators and a fixed creation time, so their
//! fingerprints never change; signatures and ciphertexts carry the time of
//! the run and random session keys. A message file that exists is kept, so
//! a rerun only adds the new ones; `--force` rewrites them all (new,
//! equivalent messages: the vectors do not change).
//!
//! Every plaintext below is written by hand from the p≡p page and RFC 3156,
//! not produced by the reference's `wrap`: the unwrap vectors check the
//! reader against the documents, and the wrap vectors check the writer by
//! property. Each message is signed by Alice and encrypted to Bob.

use std::fs;
use std::path::{Path, PathBuf};

use mimispec_reference::pep::{PublicKey, SecretKey, openpgp, unwrap};
use pgp::armor::{self, BlockType};
use pgp::composed::{
    Deserializable, MessageBuilder, RawSessionKey, SignedPublicKey, SignedSecretKey,
};
use pgp::crypto::hash::HashAlgorithm;
use pgp::crypto::sym::SymmetricKeyAlgorithm;
use pgp::packet::{PacketTrait, PublicKeyEncryptedSessionKey, SymEncryptedProtectedData};
use pgp::ser::Serialize;
use pgp::types::Password;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;

/// The depths of the compression fixtures: once, twice (PEP-COMPRESSION-BOUND
/// asks a reader to open both) and 64 times (which it asks a reader to refuse).
const COMPRESSION_LAYERS: [usize; 3] = [1, 2, 64];

/// 2021-06-01T00:00:00Z.
const CREATED: u32 = 1_622_505_600;

/// The boundary of the page's example.
const B: &str = "515f007c5bd062c2122008544db127f8";

const BODY: &str = "So this is a very exciting MIME mail. Yay!\r\n\r\nHi Bob. Is Eve listing in on our phone calls again?\r\n";

const ORIGINAL_HEAD: &str = "From: Alice <alice@example.org>\r\nTo: Bob <bob@example.org>\r\nDate: Tue, 01 Jun 2021 10:00:00 +0000\r\nSubject: Phone calls\r\nMessage-ID: <original-1@example.org>\r\n";

const TEXT_HEAD: &str = "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n";

/// The transport headers of a 2.x outer message.
const OUTER_2X: &str = "From: Alice <alice@example.org>\r\nTo: Bob <bob@example.org>\r\nDate: Tue, 01 Jun 2021 10:00:00 +0000\r\nSubject: =?utf-8?B?cOKJoXA=?=\r\nMessage-ID: <pEp.outer-1@example.org>\r\n";

/// The IMF headers of a 1.0 message, subject replaced.
fn outer_1(subject: &str, extra: &str) -> String {
    format!(
        "From: Alice <alice@example.org>\r\nTo: Bob <bob@example.org>\r\nDate: Tue, 01 Jun 2021 10:00:00 +0000\r\nSubject: {subject}\r\nMessage-ID: <original-1@example.org>\r\n{extra}"
    )
}

fn key(seed: u64, uid: &str) -> SecretKey {
    SecretKey::generate(ChaCha20Rng::seed_from_u64(seed), uid, CREATED).expect("keygen")
}

/// RFC 3156 §4: multipart/encrypted around the armored message.
fn envelope(head: &str, armored: &str) -> String {
    format!(
        "{head}MIME-Version: 1.0\r\nContent-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\";\r\n boundary=\"{B}\"\r\n\r\nThis is an OpenPGP/MIME encrypted message (RFC 4880 and 3156)\r\n--{B}\r\nContent-Type: application/pgp-encrypted\r\nContent-Description: PGP/MIME version identification\r\n\r\nVersion: 1\r\n\r\n--{B}\r\nContent-Type: application/octet-stream; name=\"encrypted.asc\"\r\nContent-Description: OpenPGP encrypted message\r\nContent-Disposition: inline; filename=\"encrypted.asc\"\r\n\r\n{armored}\r\n--{B}--\r\n"
    )
}

/// A 2.x decrypted tree: the outer text, then the attached message.
fn wrapper(outer_text: &str, part_type: &str, inner: &str) -> String {
    format!(
        "Content-Type: multipart/mixed; boundary=\"=pEp-MIME-M=\"\r\n\r\n--=pEp-MIME-M=\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{outer_text}--=pEp-MIME-M=\r\nContent-Type: {part_type}\r\n\r\n{inner}\r\n--=pEp-MIME-M=--\r\n"
    )
}

/// A 2.1 inner message with the given pEp header lines.
fn inner_21(pep_headers: &str, tree: &str) -> String {
    format!("{ORIGINAL_HEAD}{pep_headers}{tree}")
}

fn text_tree(prefix: &str) -> String {
    format!("{TEXT_HEAD}\r\n{prefix}{BODY}")
}

const V21_TEXT: &str =
    "This message was encrypted with p\u{2261}p. Open the attached message to read it.\r\n";

struct Maker {
    dir: PathBuf,
    force: bool,
    alice: SecretKey,
    bob: SecretKey,
    seed: u64,
}

impl Maker {
    fn armored(&mut self, plaintext: &str) -> String {
        self.seed += 1;
        let a = openpgp::encrypt(
            ChaCha20Rng::seed_from_u64(1000 + self.seed),
            plaintext.as_bytes(),
            &self.alice,
            &self.bob.public(),
        )
        .expect("encrypt");
        let a = a.replace("\r\n", "\n");
        a.trim_end().replace('\n', "\r\n")
    }

    /// `plaintext` as a literal data packet inside `layers` nested
    /// compressed data packets of algorithm 0, uncompressed (RFC 4880
    /// §5.6, §9.3: the one every reader MUST read), signed by Alice inside
    /// them and encrypted to Bob. `openpgp::encrypt` compresses at most
    /// once, so the packets are put together here.
    fn compressed_armored(&mut self, plaintext: &str, layers: usize) -> String {
        self.seed += 1;
        let mut rng = ChaCha20Rng::seed_from_u64(1000 + self.seed);
        let alice_armored = self.alice.to_armored().expect("armor");
        let (alice, _) =
            SignedSecretKey::from_armor_single(alice_armored.as_bytes()).expect("alice");
        let mut signed = MessageBuilder::from_bytes("", plaintext.as_bytes().to_vec());
        signed.sign(&alice.primary_key, Password::empty(), HashAlgorithm::Sha256);
        let mut packets = signed.to_vec(&mut rng).expect("signed message");
        for _ in 0..layers {
            let mut body = vec![0];
            body.extend_from_slice(&packets);
            packets = new_packet(8, &body);
        }
        let alg = SymmetricKeyAlgorithm::AES256;
        let mut session_key = vec![0u8; alg.key_size()];
        rng.fill(&mut session_key[..]);
        let seipd =
            SymEncryptedProtectedData::encrypt_seipdv1(&mut rng, alg, &session_key, &packets)
                .expect("seipd");
        let bob_armored = self.bob.public().to_armored().expect("armor");
        let (bob, _) = SignedPublicKey::from_armor_single(bob_armored.as_bytes()).expect("bob");
        let pkesk = PublicKeyEncryptedSessionKey::from_session_key_v3(
            &mut rng,
            &RawSessionKey::from(session_key),
            alg,
            &bob.public_subkeys[0],
        )
        .expect("pkesk");
        let mut raw = Vec::new();
        pkesk.to_writer_with_header(&mut raw).expect("pkesk");
        seipd.to_writer_with_header(&mut raw).expect("seipd");
        let mut out = Vec::new();
        armor::write(&Raw(raw), BlockType::Message, &mut out, None, true).expect("armor");
        let a = String::from_utf8(out).expect("ascii").replace("\r\n", "\n");
        a.trim_end().replace('\n', "\r\n")
    }

    fn existing(&self, name: &str) -> Option<String> {
        let path = self.dir.join("messages").join(name);
        (!self.force).then(|| fs::read_to_string(path).ok())?
    }

    fn write(&self, name: &str, text: &str) {
        if self.existing(name).is_some() {
            return;
        }
        let path = self.dir.join("messages").join(name);
        fs::write(&path, text).expect("write");
        println!("{} ({} bytes)", path.display(), text.len());
    }

    fn message(&mut self, name: &str, head: &str, plaintext: &str) -> String {
        if let Some(m) = self.existing(name) {
            return m;
        }
        let armored = self.armored(plaintext);
        let m = envelope(head, &armored);
        self.write(name, &m);
        m
    }
}

/// An OpenPGP packet with a new-format header (RFC 4880 §4.2.2).
fn new_packet(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut p = vec![0xC0 | tag];
    match body.len() {
        n @ 0..192 => p.push(n as u8),
        n @ 192..8384 => {
            let n = n - 192;
            p.extend_from_slice(&[(n >> 8) as u8 + 192, n as u8]);
        }
        n => {
            p.push(0xFF);
            p.extend_from_slice(&(n as u32).to_be_bytes());
        }
    }
    p.extend_from_slice(body);
    p
}

/// Packets already serialized, for the armor writer.
struct Raw(Vec<u8>);

impl Serialize for Raw {
    fn to_writer<W: std::io::Write>(&self, w: &mut W) -> pgp::errors::Result<()> {
        w.write_all(&self.0)?;
        Ok(())
    }
    fn write_len(&self) -> usize {
        self.0.len()
    }
}

fn main() {
    let force = std::env::args().any(|a| a == "--force");
    let dir: PathBuf = std::env::args()
        .skip(1)
        .find(|a| a != "--force")
        .unwrap_or_else(|| "vectors/pep-message-2".into())
        .into();
    fs::create_dir_all(dir.join("keys")).expect("mkdir keys");
    fs::create_dir_all(dir.join("messages")).expect("mkdir messages");

    let alice = key(1, "Alice (mimispec test key) <alice@example.org>");
    let bob = key(2, "Bob (mimispec test key) <bob@example.org>");
    let carol = key(3, "Carol (mimispec test key) <carol@example.org>");
    let write_key = |name: &str, text: String| {
        let p = Path::new(&dir).join("keys").join(name);
        if !force && p.exists() {
            return;
        }
        fs::write(&p, text.replace("\r\n", "\n")).expect("write key");
        println!("{} ({})", p.display(), name);
    };
    write_key("alice.sec.asc", alice.to_armored().expect("armor"));
    write_key("alice.pub.asc", alice.public().to_armored().expect("armor"));
    write_key("bob.sec.asc", bob.to_armored().expect("armor"));
    write_key("bob.pub.asc", bob.public().to_armored().expect("armor"));
    write_key("carol.sec.asc", carol.to_armored().expect("armor"));
    write_key("carol.pub.asc", carol.public().to_armored().expect("armor"));
    println!("alice {}", alice.fingerprint());
    println!("bob   {}", bob.fingerprint());
    println!("carol {}", carol.fingerprint());
    let fpr = alice.fingerprint();

    let mut mk = Maker {
        dir: dir.clone(),
        force,
        alice,
        bob,
        seed: 0,
    };

    // ---- Message 1.0: the MIME tree alone, IMF headers kept.
    let v1_text = text_tree("Subject: Phone calls\r\n\r\n");
    mk.message("v1-0.eml", &outer_1("=?utf-8?B?cOKJoXA=?=", ""), &v1_text);
    mk.message(
        "v1-0-subject-pep.eml",
        &outer_1("pEp", "X-pEp-Version: 2.0\r\n"),
        &v1_text,
    );
    mk.message(
        "v1-0-subject-utf8.eml",
        &outer_1("p\u{2261}p", ""),
        &v1_text,
    );
    mk.message(
        "v1-0-subject-q.eml",
        &outer_1("=?utf-8?Q?p=E2=89=A1p?=", "X-Pep-Version: 2.1\r\n"),
        &v1_text,
    );
    mk.message(
        "v1-0-real-subject.eml",
        &outer_1("Phone calls", ""),
        &text_tree("Subject: Something else\r\n\r\n"),
    );
    mk.message(
        "v1-0-no-subject-line.eml",
        &outer_1("=?utf-8?B?cOKJoXA=?=", ""),
        &text_tree(""),
    );
    let forwarded = "From: Carol <carol@example.org>\r\nTo: Alice <alice@example.org>\r\nSubject: Cards on Friday\r\nContent-Type: text/plain\r\n\r\nBring snacks.\r\n";
    let mixed = |rfc822_type: &str| {
        format!(
            "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"fwd\"\r\n\r\n--fwd\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSubject: Fwd: Cards on Friday\r\n\r\nSee below.\r\n--fwd\r\nContent-Type: {rfc822_type}\r\n\r\n{forwarded}--fwd--\r\n"
        )
    };
    mk.message(
        "v1-0-forwarded.eml",
        &outer_1("=?utf-8?B?cOKJoXA=?=", ""),
        &mixed("message/rfc822"),
    );
    mk.message(
        "v1-0-forwarded-yes.eml",
        &outer_1("=?utf-8?B?cOKJoXA=?=", ""),
        &mixed("message/rfc822; forwarded=\"yes\""),
    );

    // ---- Message 2.0: markers in the plaintext (the page's chat log).
    let v20 = |outer_marker: &str, inner_marker: &str| {
        let inner = format!(
            "{ORIGINAL_HEAD}X-pEp-Version: 2.0\r\n{}",
            text_tree(&format!("{inner_marker}\r\n\r\n"))
        );
        wrapper(&format!("{outer_marker}\r\n"), "message/rfc822", &inner)
    };
    mk.message(
        "v2-0.eml",
        OUTER_2X,
        &v20(
            "X-pEp-wrapped-message-info: OUTER",
            "X-pEp-wrapped-message-info: INNER",
        ),
    );
    mk.message(
        "v2-0-engine-marker.eml",
        OUTER_2X,
        &v20(
            "pEp-Wrapped-Message-Info: OUTER",
            "pEp-Wrapped-Message-Info: INNER",
        ),
    );
    mk.message(
        "v2-0-key-reset.eml",
        OUTER_2X,
        &v20(
            "X-pEp-Wrapped-Message-Info: OUTER",
            "X-pEp-Wrapped-Message-Info: KEY_RESET",
        ),
    );
    mk.message(
        "v2-0-outer-lowercase.eml",
        OUTER_2X,
        &v20(
            "X-pEp-Wrapped-Message-Info: outer",
            "X-pEp-Wrapped-Message-Info: INNER",
        ),
    );
    mk.message(
        "v2-0-no-inner.eml",
        OUTER_2X,
        "Content-Type: multipart/mixed; boundary=\"=pEp-MIME-M=\"\r\n\r\n--=pEp-MIME-M=\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nX-pEp-Wrapped-Message-Info: OUTER\r\n--=pEp-MIME-M=--\r\n",
    );

    // ---- Message 2.1: forwarded="no" and an X-header on the inner message.
    let std_headers = |info: &str| {
        format!(
            "X-pEp-Version: 2.1\r\nX-pEp-Wrapped-Message-Info: {info}\r\nX-pEp-Sender-FPR: {fpr}\r\n"
        )
    };
    let v21 = mk.message(
        "v2-1.eml",
        OUTER_2X,
        &wrapper(
            V21_TEXT,
            "message/rfc822; forwarded=\"no\"",
            &inner_21(&std_headers("INNER"), &text_tree("")),
        ),
    );
    for (name, part_type) in [
        ("v2-1-forwarded-token.eml", "message/rfc822; forwarded=no"),
        ("v2-1-forwarded-upper.eml", "message/rfc822; FORWARDED=No"),
        // The name upper-case alone: RFC 2045 5.1 at MUST, apart from the value's case.
        (
            "v2-1-forwarded-name-upper.eml",
            "message/rfc822; FORWARDED=no",
        ),
    ] {
        mk.message(
            name,
            OUTER_2X,
            &wrapper(
                V21_TEXT,
                part_type,
                &inner_21(&std_headers("INNER"), &text_tree("")),
            ),
        );
    }
    mk.message(
        "v2-1-header-case.eml",
        OUTER_2X,
        &wrapper(
            V21_TEXT,
            "message/rfc822; forwarded=\"no\"",
            &inner_21(
                &format!(
                    "X-Pep-Version: 2.1\r\nX-Pep-Wrapped-Message-Info: INNER\r\nx-pep-sender-fpr: {fpr}\r\n"
                ),
                &text_tree(""),
            ),
        ),
    );
    for (name, info) in [
        ("v2-1-key-reset.eml", "KEY_RESET"),
        ("v2-1-transport.eml", "TRANSPORT"),
        ("v2-1-inner-lowercase.eml", "inner"),
        ("v2-1-outer-on-inner.eml", "OUTER"),
    ] {
        mk.message(
            name,
            OUTER_2X,
            &wrapper(
                V21_TEXT,
                "message/rfc822; forwarded=\"no\"",
                &inner_21(&std_headers(info), &text_tree("")),
            ),
        );
    }
    mk.message(
        "v2-1-no-info.eml",
        OUTER_2X,
        &wrapper(
            V21_TEXT,
            "message/rfc822; forwarded=\"no\"",
            &inner_21("X-pEp-Version: 2.1\r\n", &text_tree("")),
        ),
    );
    mk.message(
        "v2-1-fixme-name.eml",
        OUTER_2X,
        &wrapper(
            V21_TEXT,
            "message/rfc822; forwarded=\"no\"",
            &inner_21(
                "X-pEp-Version: 2.1\r\nX-pEp-WrappedMessageInfo: INNER\r\n",
                &text_tree(""),
            ),
        ),
    );
    mk.message(
        "v2-1-forwarded-inside.eml",
        OUTER_2X,
        &wrapper(
            V21_TEXT,
            "message/rfc822; forwarded=\"no\"",
            &inner_21(
                &std_headers("INNER"),
                &format!(
                    "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"fwd\"\r\n\r\n--fwd\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee below.\r\n--fwd\r\nContent-Type: message/rfc822\r\n\r\n{forwarded}--fwd--\r\n"
                ),
            ),
        ),
    );

    // ---- Header reading: folding (RFC 5322 §2.2.3) and RFC 2047 words in
    // ISO-8859-1, one starting with an escape, two adjacent across a fold.
    mk.message(
        "v2-1-folded-latin1.eml",
        OUTER_2X,
        &wrapper(
            V21_TEXT,
            "message/rfc822; forwarded=\"no\"",
            &format!(
                "From: Alice <alice@example.org>\r\nTo: Bob\r\n <bob@example.org>\r\nDate: Tue, 01 Jun 2021 10:00:00 +0000\r\nSubject: =?iso-8859-1?Q?=DCber_Gr=FC=DFe?=\r\n =?ISO-8859-1?B?IGF1cyBL9mxu?=\r\nMessage-ID: <original-1@example.org>\r\n{}{}",
                std_headers("INNER"),
                text_tree("")
            ),
        ),
    );
    mk.message(
        "v2-1-empty-fpr.eml",
        OUTER_2X,
        &wrapper(
            V21_TEXT,
            "message/rfc822; forwarded=\"no\"",
            &inner_21(
                "X-pEp-Version: 2.1\r\nX-pEp-Wrapped-Message-Info: INNER\r\nX-pEp-Sender-FPR:\r\n",
                &text_tree(""),
            ),
        ),
    );
    // A sender that did not canonicalise line ends (RFC 3156 §3 asks for
    // CRLF): bare LF throughout the tree, and one CRLF among them.
    mk.message(
        "v1-0-bare-lf.eml",
        &outer_1("=?utf-8?B?cOKJoXA=?=", ""),
        "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\nSubject: Phone calls\n\nSo this is a very exciting MIME mail. Yay!\r\n\nHi Bob.\n",
    );

    // A base64 text part whose decoded text ends its lines with LF: the
    // Subject line and the empty line after it are still taken out.
    mk.message(
        "v1-0-base64-lf-text.eml",
        &outer_1("=?utf-8?B?cOKJoXA=?=", ""),
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\nU3ViamVjdDogUGhvbmUgY2FsbHMKCkhpIEJvYi4K\r\n",
    );

    // ---- Nesting: 16 multiparts (the suite's bound) and 17.
    let nested = |levels: usize| {
        let mut tree = text_tree("Subject: Deep\r\n\r\n");
        for n in 0..levels {
            tree = format!(
                "Content-Type: multipart/mixed; boundary=\"lvl-{n:02}\"\r\n\r\n--lvl-{n:02}\r\n{tree}\r\n--lvl-{n:02}--\r\n"
            );
        }
        format!("MIME-Version: 1.0\r\n{tree}")
    };
    for levels in [16, 17] {
        mk.message(
            &format!("v1-0-nested-{levels}.eml"),
            &outer_1("=?utf-8?B?cOKJoXA=?=", ""),
            &nested(levels),
        );
    }

    // ---- Compression: the literal data inside nested compressed packets.
    for layers in COMPRESSION_LAYERS {
        let name = format!("v1-0-compressed-{layers}.eml");
        if mk.existing(&name).is_none() {
            let armored = mk.compressed_armored(&v1_text, layers);
            mk.write(
                &name,
                &envelope(&outer_1("=?utf-8?B?cOKJoXA=?=", ""), &armored),
            );
        }
    }

    // ---- Broken envelopes, made from the 2.1 message.
    let corrupt = {
        // Change base64 characters in the middle of the last third of the
        // armored block: the encrypted data, after the session key packet.
        let start = v21.find("-----BEGIN PGP MESSAGE-----").expect("armor");
        let end = v21.find("-----END PGP MESSAGE-----").expect("armor");
        let at = start + (end - start) * 3 / 4;
        let mut b = v21.clone().into_bytes();
        let mut changed = 0;
        let mut i = at;
        while changed < 4 {
            if b[i].is_ascii_alphanumeric() {
                b[i] = if b[i] == b'A' { b'B' } else { b'A' };
                changed += 1;
            }
            i += 3;
        }
        String::from_utf8(b).expect("ascii")
    };
    mk.write("corrupted.eml", &corrupt);
    let control = format!(
        "--{B}\r\nContent-Type: application/pgp-encrypted\r\nContent-Description: PGP/MIME version identification\r\n\r\nVersion: 1\r\n\r\n"
    );
    assert!(v21.contains(&control));
    mk.write("missing-control.eml", &v21.replace(&control, ""));
    mk.write(
        "bad-version.eml",
        &v21.replace("\r\nVersion: 1\r\n", "\r\nVersion: 2\r\n"),
    );
    mk.write(
        "not-encrypted.eml",
        &v21.replace("multipart/encrypted;", "multipart/mixed;"),
    );
    mk.write(
        "bad-protocol.eml",
        &v21.replace(
            "\"application/pgp-encrypted\"",
            "\"application/pkcs7-mime\"",
        ),
    );

    // Sanity: every well-formed message decrypts for Bob, none for Carol.
    let bob_again =
        SecretKey::read(&fs::read(dir.join("keys/bob.sec.asc")).expect("read bob")).expect("bob");
    let alice_pub: PublicKey =
        PublicKey::read(&fs::read(dir.join("keys/alice.pub.asc")).expect("read")).expect("alice");
    assert_eq!(alice_pub.fingerprint(), fpr);
    let v21_bytes = fs::read(dir.join("messages/v2-1.eml")).expect("read");
    assert!(unwrap::unwrap(&v21_bytes, &bob_again, Some(&alice_pub)).is_ok());
    assert!(unwrap::unwrap(&v21_bytes, &carol, None).is_err());
    assert!(unwrap::unwrap(corrupt.as_bytes(), &bob_again, None).is_err());
}

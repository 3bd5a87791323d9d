//! `mimispec dns serve`: what it prints of a case (zone, faults, expected
//! outcome, query checks) comes from the corpus and is escaped, and the
//! server it starts answers a real DNS client with the records it printed.

mod common;
use common::mimispec;
use std::io::{BufRead, BufReader, Lines};
use std::net::SocketAddr;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::Duration;

use hickory_net::client::{Client, ClientHandle};
use hickory_net::proto::rr::{DNSClass, Name, RData, RecordType};
use hickory_net::runtime::TokioRuntimeProvider;
use hickory_net::udp::UdpClientStream;

/// `dns serve --print-only` for a case of the built-in corpus.
fn print_only(case: &str) -> String {
    let out = mimispec(&["dns", "serve", "--print-only", "--case", case]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!stdout.contains("serving on"), "{stdout}");
    stdout
}

fn has_line(text: &str, line: &str) {
    assert!(
        text.lines().any(|l| l == line),
        "no line {line:?} in:\n{text}"
    );
}

const MIMIX_LINE: &str = "  example.com. 300 IN TYPE65281 \\# 18 046d696d69076578616d706c65036e657400 ; MIMIX mimi.example.net.";
// 0x26 = 38, the length of the definition string.
const MIMI_LINE: &str = "  mailbox.mimi.example.net. 300 IN TYPE65280 \\# 39 26763d4d494d49313b20613d6d61696c626f783b20653d6d696d692e6578616d706c652e6e6574 ; MIMI \"v=MIMI1; a=mailbox; e=mimi.example.net\"";

#[test]
fn a_two_step_email_case_prints_its_zone_decoded_its_result_and_its_query_order() {
    let out = print_only("mimi-discovery/resolve/email#section-5-1-1-two-steps");
    let want = format!(
        "\
mimi-discovery/resolve/email#section-5-1-1-two-steps
MUST · mimi-discovery §5.1.1 · discovery.identifier.resolve · vectors/mimi-discovery/resolve/email.yaml:8
mailbox@example.com finds MIMIX mimi.example.net, then the MIMI records of mailbox.mimi.example.net, in that order.
zone: 2 records (MIMI is TYPE65280, MIMIX is TYPE65281; the RFC 3597 form a resolver receives, decoded after \";\"):
{MIMIX_LINE}
{MIMI_LINE}
  any other question: NXDOMAIN for a name with no records at or under it, else NODATA; both with an SOA
faults: none
oracle: none
input: {{\"identifier\":\"mailbox@example.com\",\"kind\":\"email\"}}
  the harness adds input.dns (server, mimi_type, mimix_type, timeout_ms 400)
the resolver should end with the result: {{\"mui\":\"mailbox.mimi.example.net\",\"services\":[{{\"a\":\"mailbox\",\"e\":\"mimi.example.net\",\"v\":\"MIMI1\"}}],\"via\":\"dns\"}}
queries:
  asked, in this order (others may come between): example.com MIMIX, then mailbox.mimi.example.net MIMI
"
    );
    assert_eq!(out, want);
}

#[test]
fn other_type_codes_change_the_generic_form_and_not_the_decoding() {
    let out = mimispec(&[
        "dns",
        "serve",
        "--print-only",
        "--mimi-type",
        "65300",
        "--mimix-type",
        "65301",
        "--case",
        "mimi-discovery/resolve/email#section-5-1-1-two-steps",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    has_line(&text, &MIMIX_LINE.replace("TYPE65281", "TYPE65301"));
    has_line(&text, &MIMI_LINE.replace("TYPE65280", "TYPE65300"));
    let same = mimispec(&[
        "dns",
        "serve",
        "--print-only",
        "--mimi-type",
        "65300",
        "--mimix-type",
        "65300",
        "--case",
        "mimi-discovery/resolve/email#section-5-1-1-two-steps",
    ]);
    assert_eq!(same.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&same.stderr).contains("must differ"));
}

#[test]
fn fault_cases_print_the_fault_in_words_and_the_error_a_resolver_ends_with() {
    let out = print_only("mimi-discovery/resolve/faults#no-answer-times-out");
    has_line(&out, "faults (the first that matches a query applies):");
    has_line(
        &out,
        "  mymimi.example.com queries of every type: sends no answer, over UDP or TCP: the client must time out",
    );
    // A dropped query ends in the short client timeout.
    has_line(
        &out,
        "  the harness adds input.dns (server, mimi_type, mimix_type, timeout_ms 50)",
    );
    has_line(
        &out,
        "the resolver should end with an error, code discovery.resolve.timeout (another code passes with a note; --strict-codes fails it)",
    );
    has_line(
        &out,
        "  because: 4.4: a query with no answer has failed; input.dns.timeout_ms bounds the wait",
    );
    has_line(&out, "queries: no checks");

    let out = print_only("mimi-discovery/resolve/faults#truncated-udp-retried-over-tcp");
    has_line(
        &out,
        "  mymimi.example.com MIMI queries: answers UDP with TC set and no records, TCP in full: the client must retry over TCP",
    );
    has_line(&out, "queries:");
    has_line(
        &out,
        "  asked, in this order (others may come between): mymimi.example.com MIMI",
    );
    has_line(&out, "  some query comes over TCP");
}

#[test]
fn an_error_case_shows_why_its_rdata_is_malformed() {
    let out = print_only("mimi-discovery/resolve/email#malformed-mimix-is-no-mimix");
    has_line(
        &out,
        "  example.com. 300 IN TYPE65281 \\# 5 0f6d696d69 ; MIMIX malformed: a label of 15 octets with 4 left",
    );
    has_line(&out, MIMI_LINE);
    has_line(
        &out,
        "the resolver should end with an error, code discovery.resolve.no_mimix (another code passes with a note; --strict-codes fails it)",
    );
    let out = print_only("mimi-discovery/resolve/rdata#split-mid-tag");
    has_line(
        &out,
        "  split.example.com. 300 IN TYPE65280 \\# 46 0d763d4d494d49313b20613d6d790c757365723b20653d6d696d69127365727665722e6578616d706c652e636f6d ; MIMI \"v=MIMI1; a=my\" \"user; e=mimi\" \"server.example.com\"",
    );
    has_line(&out, "ambiguity: DISCOVERY-MIMI-RDATA");
}

#[test]
fn an_oracle_case_lists_the_oracle_and_its_checks() {
    let out = print_only("mimi-discovery/resolve/oracle#oracle-after-no-mimix");
    has_line(&out, "  example.com. 300 IN TXT \"unrelated\"");
    has_line(
        &out,
        "oracle: 1 entry (GET /lookup?id=<identifier>, harness/PROTOCOL.md)",
    );
    has_line(
        &out,
        "  mailbox@example.com: [\"v=MIMI1; a=mailbox; e=oracle-listed.example.net\"]",
    );
    has_line(
        &out,
        "  the harness adds input.dns (server, mimi_type, mimix_type, timeout_ms 400) and input.oracle",
    );
    has_line(
        &out,
        "  asked, in this order (others may come between): example.com MIMIX, then an oracle lookup",
    );
    has_line(&out, "  the oracle is consulted");
}

#[test]
fn a_hostile_corpus_reaches_the_terminal_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mimi-discovery/resolve/hostile.yaml");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(
        &file,
        r#"document: mimi-discovery
section: "4.4"
op: discovery.identifier.resolve
level: MUST
cases:
  - name: escapes
    description: "red \e[31m text\u0085"
    input: { identifier: evil.example.com, kind: mui }
    zone:
      records:
        - { name: evil.example.com, type: MIMI, data: "v=MIMI1; a=\e[2J\u202e; e=x\r\n" }
      oracle:
        "evil\a@example.com": ["v=MIMI1; a=\e]0;title\a; e=x"]
    expect: { reject: { code: discovery.resolve.nxdomain } }
    reason: "bell \a, escape \e"
"#,
    )
    .unwrap();
    let out = mimispec(&[
        "dns",
        "serve",
        "--print-only",
        "--vectors",
        dir.path().to_str().unwrap(),
        "--case",
        "mimi-discovery/resolve/hostile#escapes",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !text.contains(['\u{1b}', '\u{7}', '\r', '\u{85}', '\u{202e}']),
        "a raw control character reached stdout:\n{text:?}"
    );
    has_line(&text, "red \\u{1b}[31m text\\u{85}");
    assert!(
        text.contains("; MIMI \"v=MIMI1; a=\\027[2J\\226\\128\\174; e=x\\013\\010\""),
        "{text}"
    );
    assert!(text.contains("  evil\\u{7}@example.com: "), "{text}");
    has_line(&text, "  because: bell \\u{7}, escape \\u{1b}");
}

#[test]
fn a_case_without_a_zone_or_an_unknown_case_is_a_usage_error() {
    let out = mimispec(&[
        "dns",
        "serve",
        "--print-only",
        "--case",
        "mimi-discovery/resolve/email#no-such-case",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no case"), "{err}");
    assert!(
        err.contains("the nearest case with a zone is mimi-discovery/resolve/email#"),
        "{err}"
    );
    let out = mimispec(&[
        "dns",
        "serve",
        "--print-only",
        "--case",
        "mimi-discovery/mui/basic#two-labels",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn seconds_zero_starts_the_server_and_stops_at_once() {
    let out = mimispec(&[
        "dns",
        "serve",
        "--seconds",
        "0",
        "--case",
        "mimi-discovery/resolve/email#section-5-1-1-two-steps",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{text}");
    let serving = text
        .lines()
        .find(|l| l.starts_with("serving on 127.0.0.1:"))
        .unwrap_or_else(|| panic!("no serving line in:\n{text}"));
    assert!(
        serving.ends_with(" (UDP and TCP) for 0 seconds"),
        "{serving}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("request input: {\"dns\":{\"mimi_type\":65280,\"mimix_type\":65281,\"server\":\"127.0.0.1:")),
        "{text}"
    );
}

/// The server process, killed when the test ends however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn next_line(lines: &mut Lines<BufReader<ChildStdout>>) -> String {
    lines
        .next()
        .expect("the server printed this line before it ended")
        .unwrap()
}

/// The RDATA of every answer record, asked over UDP with hickory's client.
fn query(server: SocketAddr, name: &str, code: u16) -> Vec<Vec<u8>> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let conn = UdpClientStream::builder(server, TokioRuntimeProvider::default())
            .with_timeout(Some(Duration::from_secs(10)))
            // One datagram per query (no resend), so the log is exact.
            .with_max_retries(1)
            .build();
        let (mut client, bg) = Client::<TokioRuntimeProvider>::from_sender(conn);
        tokio::spawn(bg);
        let response = client
            .query(
                Name::from_ascii(name).unwrap(),
                DNSClass::IN,
                RecordType::from(code),
            )
            .await
            .unwrap_or_else(|e| panic!("{name} TYPE{code}: {e}"));
        response
            .answers
            .iter()
            .map(|r| match &r.data {
                RData::Unknown { rdata, .. } => rdata.anything.clone(),
                other => panic!("{name} TYPE{code}: not raw RDATA: {other:?}"),
            })
            .collect()
    })
}

/// The hex of a printed `\# N hex` line.
fn printed_hex(line: &str) -> String {
    let generic = line.split(" \\# ").nth(1).unwrap();
    generic.split(' ').nth(1).unwrap().to_owned()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn the_server_answers_a_dns_client_with_the_records_it_printed() {
    // The deadline only bounds a server a dead test leaves behind; the
    // test stops it itself, so no assertion waits on the clock.
    let child = Command::new(env!("CARGO_BIN_EXE_mimispec"))
        .args([
            "dns",
            "serve",
            "--seconds",
            "120",
            "--case",
            "mimi-discovery/resolve/email#section-5-1-1-two-steps",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut server = Server(child);
    let mut lines = BufReader::new(server.0.stdout.take().unwrap()).lines();
    let mut printed = Vec::new();
    let addr: SocketAddr = loop {
        let line = next_line(&mut lines);
        if let Some(rest) = line.strip_prefix("serving on ") {
            break rest.split(' ').next().unwrap().parse().unwrap();
        }
        printed.push(line);
    };
    assert!(printed.iter().any(|l| l == MIMIX_LINE), "{printed:#?}");
    assert!(printed.iter().any(|l| l == MIMI_LINE), "{printed:#?}");

    let mimix = query(addr, "example.com.", 65281);
    assert_eq!(
        mimix.iter().map(|r| hex(r)).collect::<Vec<_>>(),
        [printed_hex(MIMIX_LINE)]
    );
    let mimi = query(addr, "mailbox.mimi.example.net.", 65280);
    assert_eq!(
        mimi.iter().map(|r| hex(r)).collect::<Vec<_>>(),
        [printed_hex(MIMI_LINE)]
    );
    // A name the zone does not hold has no records.
    assert!(query(addr, "other.example.com.", 65280).is_empty());

    // The server logs the queries it received, in order.
    let mut logged = Vec::new();
    while logged.len() < 3 {
        let line = next_line(&mut lines);
        if let Some(q) = line.strip_prefix("query: ") {
            logged.push(q.to_owned());
        }
    }
    assert_eq!(
        logged,
        [
            "example.com MIMIX (udp)",
            "mailbox.mimi.example.net MIMI (udp)",
            "other.example.com MIMI (udp)"
        ]
    );
}

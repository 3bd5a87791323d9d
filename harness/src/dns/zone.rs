//! The zone a case declares, and the checks it makes on the queries.
//! Plain data: no hickory type appears here.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Records and faults served for one case (see vectors/SCHEMA.md).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Zone {
    #[serde(default)]
    pub records: Vec<RecordSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub faults: Vec<Fault>,
    /// The mock oracle's entries: identifier to MSSSI definition strings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oracle: Option<BTreeMap<String, Vec<String>>>,
    /// Nothing answers at the address the client is given: its UDP
    /// datagrams draw ICMP port unreachable and its TCP connections a
    /// reset. Such a zone has no records, faults or oracle.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unreachable: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordSpec {
    pub name: String,
    /// MIMI, MIMIX, CNAME, TXT, or TYPEnnn.
    #[serde(rename = "type")]
    pub rtype: String,
    /// MIMI and TXT: the text, cut into character-strings of 255 octets;
    /// MIMIX and CNAME: a domain name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
    /// MIMI and TXT: the character-strings, exactly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strings: Option<Vec<String>>,
    /// Any type: the RDATA bytes in hex, for malformed data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rdata_hex: Option<String>,
    /// Serve this many copies, `{i}` in `data` replaced by 1, 2, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fault {
    pub name: String,
    /// The query type it applies to; all types when absent.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub rtype: Option<String>,
    pub fault: FaultKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FaultKind {
    Servfail,
    Refused,
    Nxdomain,
    /// No answer at all: the client must time out.
    Drop,
    /// Over UDP, an empty answer with TC set: the client must retry over TCP.
    TruncateUdp,
    /// Over UDP, the full answer under another message id: a client must
    /// not take it (RFC 5452 §9.1), and so times out.
    WrongId,
    /// Over UDP, the full answer with QR clear, so not a response at all.
    NotResponse,
    /// Over UDP, the answer under another message id, then the answer: a
    /// client that ignores the first takes the second.
    WrongIdThenAnswer,
    /// Over UDP, the answer with QR clear, then the answer.
    NotResponseThenAnswer,
    /// The answer, plus the zone's records of the queried type at other
    /// names and its records of other types at the answer's name: none of
    /// them answers the question (RFC 1034 §4.3.2).
    UnrelatedRecords,
}

impl FaultKind {
    /// What the mock does to a query the fault applies to, for people
    /// (`mimispec dns serve`); kept beside the kinds so the two agree.
    pub fn words(self) -> &'static str {
        match self {
            FaultKind::Servfail => "answers SERVFAIL (RCODE 2), over UDP and TCP",
            FaultKind::Refused => "answers REFUSED (RCODE 5), over UDP and TCP",
            FaultKind::Nxdomain => {
                "answers NXDOMAIN (RCODE 3) with an SOA, whatever the zone holds, over UDP and TCP"
            }
            FaultKind::Drop => "sends no answer, over UDP or TCP: the client must time out",
            FaultKind::TruncateUdp => {
                "answers UDP with TC set and no records, TCP in full: the client must retry over TCP"
            }
            FaultKind::WrongId => {
                "answers UDP in full under another message id, which a client must not take (RFC 5452 9.1), so it times out; TCP in full"
            }
            FaultKind::NotResponse => {
                "answers UDP in full with QR clear, a query rather than a response, which a client must ignore, so it times out; TCP in full"
            }
            FaultKind::WrongIdThenAnswer => {
                "sends over UDP the answer under another message id, which a client must ignore, then the answer itself; TCP in full"
            }
            FaultKind::NotResponseThenAnswer => {
                "sends over UDP the answer with QR clear, which a client must ignore, then the answer itself; TCP in full"
            }
            FaultKind::UnrelatedRecords => {
                "answers with the answer plus the zone's records of the queried type at other names and its other records at the answer's name, none of which answers the question, over UDP and TCP"
            }
        }
    }

    /// The fault leaves a query unanswered, so the client's wait ends it.
    pub fn unanswered(self) -> bool {
        matches!(
            self,
            FaultKind::Drop | FaultKind::WrongId | FaultKind::NotResponse
        )
    }
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.rtype {
            Some(t) => write!(f, "{} {t} queries: ", normalize(&self.name))?,
            None => write!(f, "{} queries of every type: ", normalize(&self.name))?,
        }
        f.write_str(self.fault.words())
    }
}

/// One query the mock received, in arrival order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Query {
    pub name: String,
    #[serde(rename = "type")]
    pub rtype: String,
    /// `udp`, `tcp`, or `http` for the oracle.
    pub transport: &'static str,
}

/// The queries a zone received: the newest [`QueryLog::CAP`] kept, the
/// rest counted, so a flood costs bounded memory.
#[derive(Debug, Default)]
pub struct QueryLog {
    kept: std::collections::VecDeque<Query>,
    seen: u64,
}

impl QueryLog {
    pub const CAP: usize = 4096;

    pub fn push(&mut self, q: Query) {
        if self.kept.len() == Self::CAP {
            self.kept.pop_front();
        }
        self.kept.push_back(q);
        self.seen += 1;
    }

    /// The kept queries, oldest first.
    pub fn kept(&self) -> Vec<Query> {
        self.kept.iter().cloned().collect()
    }

    /// Queries received and not kept.
    pub fn dropped(&self) -> u64 {
        self.seen - self.kept.len() as u64
    }

    /// The queries after the first `from` received: those still kept, and
    /// how many of them were dropped.
    pub fn since(&self, from: u64) -> (Vec<Query>, u64) {
        let first_kept = self.dropped();
        let skip = from.saturating_sub(first_kept) as usize;
        let lost = first_kept.saturating_sub(from);
        (self.kept.iter().skip(skip).cloned().collect(), lost)
    }

    pub fn seen(&self) -> u64 {
        self.seen
    }
}

/// What a case asserts about the queries (vectors/SCHEMA.md).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueryChecks {
    /// Asked in this order (other queries may come between).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub asked: Vec<QueryPattern>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_asked: Vec<QueryPattern>,
    /// The oracle was (true) or was not (false) consulted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oracle: Option<bool>,
    /// Some query came over TCP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tcp: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueryPattern {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub rtype: Option<String>,
}

impl QueryPattern {
    fn matches(&self, q: &Query) -> bool {
        self.name.as_ref().is_none_or(|n| normalize(n) == q.name)
            && self
                .rtype
                .as_ref()
                .is_none_or(|t| t.eq_ignore_ascii_case(&q.rtype))
    }
}

impl QueryPattern {
    fn words(&self) -> String {
        // The oracle logs its lookups under the type ORACLE (oracle.rs).
        if self
            .rtype
            .as_deref()
            .is_some_and(|t| t.eq_ignore_ascii_case("ORACLE"))
        {
            return match &self.name {
                Some(n) => format!("an oracle lookup of {}", normalize(n)),
                None => "an oracle lookup".into(),
            };
        }
        match (&self.name, &self.rtype) {
            (Some(n), Some(t)) => format!("{} {t}", normalize(n)),
            (Some(n), None) => format!("{} (any type)", normalize(n)),
            (None, Some(t)) => format!("any name, type {t}"),
            (None, None) => "any query".into(),
        }
    }
}

impl std::fmt::Display for QueryPattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}",
            self.name.as_deref().unwrap_or("*"),
            self.rtype.as_deref().unwrap_or("*")
        )
    }
}

/// Lowercase, no trailing dot: the form names are compared in.
pub fn normalize(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

impl QueryChecks {
    /// The checks in words, one line each (none when the case makes none).
    pub fn describe(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !self.asked.is_empty() {
            let asked: Vec<String> = self.asked.iter().map(QueryPattern::words).collect();
            out.push(format!(
                "asked, in this order (others may come between): {}",
                asked.join(", then ")
            ));
        }
        for not in &self.not_asked {
            out.push(format!("never asked: {}", not.words()));
        }
        match self.oracle {
            Some(true) => out.push("the oracle is consulted".into()),
            Some(false) => out.push("the oracle is not consulted".into()),
            None => {}
        }
        // check() only holds `tcp: true` to account.
        if self.tcp == Some(true) {
            out.push("some query comes over TCP".into());
        }
        out
    }

    /// `Ok` when the log meets every check; otherwise what did not hold.
    pub fn check(&self, log: &[Query]) -> Result<(), String> {
        let mut problems = Vec::new();
        let mut rest = log.iter();
        for want in &self.asked {
            if !rest.any(|q| want.matches(q)) {
                problems.push(format!("no query for {want} (in this order)"));
                break;
            }
        }
        for not in &self.not_asked {
            if let Some(q) = log.iter().find(|q| not.matches(q)) {
                problems.push(format!(
                    "asked {} {} over {}, which it must not",
                    q.name, q.rtype, q.transport
                ));
            }
        }
        let oracle = log.iter().any(|q| q.transport == "http");
        match self.oracle {
            Some(true) if !oracle => problems.push("the oracle was not consulted".into()),
            Some(false) if oracle => {
                problems.push("the oracle was consulted, though DNS gave an answer".into())
            }
            _ => {}
        }
        if self.tcp == Some(true) && !log.iter().any(|q| q.transport == "tcp") {
            problems.push("no query came over TCP after a truncated UDP answer".into());
        }
        if problems.is_empty() {
            Ok(())
        } else {
            let seen: Vec<String> = log
                .iter()
                .map(|q| format!("{} {} ({})", q.name, q.rtype, q.transport))
                .collect();
            Err(format!(
                "{}; the queries were: {}",
                problems.join("; "),
                if seen.is_empty() {
                    "none".into()
                } else {
                    seen.join(", ")
                }
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(n: usize) -> Query {
        Query {
            name: format!("q{n}.example"),
            rtype: "MIMI".into(),
            transport: "udp",
        }
    }

    #[test]
    fn the_query_log_keeps_the_newest_and_counts_the_rest() {
        let mut log = QueryLog::default();
        for n in 0..QueryLog::CAP + 10 {
            log.push(q(n));
        }
        assert_eq!(log.kept().len(), QueryLog::CAP);
        assert_eq!(log.dropped(), 10);
        assert_eq!(log.kept()[0], q(10));
        let (after, lost) = log.since(5);
        assert_eq!((after.len(), lost), (QueryLog::CAP, 5));
        let (after, lost) = log.since((QueryLog::CAP + 8) as u64);
        assert_eq!(
            (after, lost),
            (vec![q(QueryLog::CAP + 8), q(QueryLog::CAP + 9)], 0)
        );
    }
}

//! Resolution of MUIs (§4.4), email addresses (§5.1) and telephone numbers
//! (§5.2) to the MSSSIs a client would use, over real DNS.
//!
//! Decisions the draft leaves open are in the ambiguity register:
//! DISCOVERY-MIMI-RDATA, DISCOVERY-PRIORITY-ORDER, DISCOVERY-MIMIX-MANY,
//! DISCOVERY-ORACLE-WHEN.

use std::net::SocketAddr;
use std::time::Duration;

use super::dns::{Client, DnsError, Rcode, Response};
use super::mssi::{self, MssiRecord, Parsed};
use super::{email, enum_domain, mui};

/// Where to resolve, and with which type codes.
#[derive(Debug, Clone)]
pub struct Config {
    pub server: SocketAddr,
    pub mimi_type: u16,
    pub mimix_type: u16,
    /// For each DNS query; a dropped query fails after this.
    pub timeout: Duration,
}

/// The identifier to resolve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Identifier<'a> {
    Mui(&'a str),
    Email(&'a str),
    Tel(&'a str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Dns,
    Oracle,
}

/// The MSSSIs to use, best first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    /// The name the MIMI records were found at (none via an oracle).
    pub mui: Option<String>,
    pub via: Via,
    pub services: Vec<MssiRecord>,
}

/// An oracle (§5.1.2): the definition strings it holds for an identifier,
/// `Ok(None)` when it has none.
pub type Oracle<'a> = &'a dyn Fn(&str) -> Result<Option<Vec<String>>, String>;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ResolveError {
    #[error("not a MUI: {0}")]
    Mui(#[from] mui::MuiError),
    #[error("not an email address: {0}")]
    Email(#[from] email::EmailError),
    #[error("not an E.164 number: {0}")]
    Enum(#[from] enum_domain::EnumError),
    #[error("{0}: no such name (NXDOMAIN)")]
    NxDomain(String),
    #[error("{0}: no MIMI records (NODATA)")]
    NoData(String),
    #[error("{0}: the server failed (SERVFAIL)")]
    ServFail(String),
    #[error("{0}: the server refused (REFUSED)")]
    Refused(String),
    #[error("{0}: the server answered with rcode {1}")]
    Rcode(String, u16),
    #[error("{0}: no answer in time")]
    Timeout(String),
    #[error("{0}: {1}")]
    Network(String, String),
    #[error("{0}: the answer could not be read: {1}")]
    Malformed(String, String),
    #[error("{0}: the CNAME chain loops or is longer than {MAX_CNAMES}")]
    CnameLoop(String),
    #[error("{0}: MIMI records exist but none is a valid MIMI1 definition")]
    NoValidRecords(String),
    #[error("{0}: no valid MIMIX record, and no oracle to ask")]
    NoMimix(String),
    #[error("the oracle failed: {0}")]
    OracleFailed(String),
    #[error("the oracle has no valid record for {0}")]
    OracleNotFound(String),
}

impl ResolveError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Mui(e) => e.code(),
            Self::Email(e) => e.code(),
            Self::Enum(e) => e.code(),
            Self::NxDomain(_) => "discovery.resolve.nxdomain",
            Self::NoData(_) => "discovery.resolve.nodata",
            Self::ServFail(_) => "discovery.resolve.servfail",
            Self::Refused(_) => "discovery.resolve.refused",
            Self::Rcode(..) => "discovery.resolve.rcode",
            Self::Timeout(_) => "discovery.resolve.timeout",
            Self::Network(..) => "discovery.resolve.network",
            Self::Malformed(..) => "discovery.resolve.malformed_answer",
            Self::CnameLoop(_) => "discovery.resolve.cname_loop",
            Self::NoValidRecords(_) => "discovery.resolve.no_valid_records",
            Self::NoMimix(_) => "discovery.resolve.no_mimix",
            Self::OracleFailed(_) => "discovery.resolve.oracle_failed",
            Self::OracleNotFound(_) => "discovery.resolve.oracle_not_found",
        }
    }
}

/// CNAMEs followed before giving up.
pub const MAX_CNAMES: usize = 8;

pub fn resolve(
    id: Identifier<'_>,
    cfg: &Config,
    oracle: Option<Oracle<'_>>,
) -> Result<Resolution, ResolveError> {
    let client = Client {
        server: cfg.server,
        timeout: cfg.timeout,
    };
    match id {
        Identifier::Mui(text) => {
            let name = mui::parse(text)?;
            let services = mimi_at(&client, cfg, &name)?;
            Ok(Resolution {
                mui: Some(name),
                via: Via::Dns,
                services,
            })
        }
        Identifier::Email(address) => resolve_email(&client, cfg, address, oracle),
        Identifier::Tel(number) => {
            let name = enum_domain::domain(number, None)?;
            match mimi_at(&client, cfg, &name) {
                Ok(services) => Ok(Resolution {
                    mui: Some(name),
                    via: Via::Dns,
                    services,
                }),
                // §5.2.2: the same oracles, on the same terms: only when DNS fails.
                Err(e) => match oracle {
                    Some(o) => ask_oracle(o, number),
                    None => Err(e),
                },
            }
        }
    }
}

fn resolve_email(
    client: &Client,
    cfg: &Config,
    address: &str,
    oracle: Option<Oracle<'_>>,
) -> Result<Resolution, ResolveError> {
    // Check the whole address before asking anything.
    let domain = match address.rsplit_once('@') {
        Some((local, domain)) if !local.is_empty() && !domain.is_empty() => domain,
        _ => {
            email::mui(address, "example.invalid")?;
            return Err(ResolveError::Email(email::EmailError::MissingAt));
        }
    };
    let domain = mui::canonical_name(domain)?;
    email::mui(address, "example.invalid")?;
    let targets = match mimix_at(client, cfg, &domain) {
        Ok(t) if !t.is_empty() => t,
        // §5.1.2: an oracle only when no valid MIMIX record is found.
        Ok(_) => return no_mimix(oracle, address, ResolveError::NoMimix(domain)),
        Err(e) => return no_mimix(oracle, address, e),
    };
    let mut first_error = None;
    for target in &targets {
        let name = email::mui(address, target)?;
        match mimi_at(client, cfg, &name) {
            Ok(services) => {
                return Ok(Resolution {
                    mui: Some(name),
                    via: Via::Dns,
                    services,
                });
            }
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(first_error.expect("targets is not empty"))
}

fn no_mimix(
    oracle: Option<Oracle<'_>>,
    address: &str,
    dns_error: ResolveError,
) -> Result<Resolution, ResolveError> {
    match oracle {
        Some(o) => ask_oracle(o, address),
        None => Err(match dns_error {
            ResolveError::NxDomain(d) | ResolveError::NoData(d) => ResolveError::NoMimix(d),
            other => other,
        }),
    }
}

fn ask_oracle(oracle: Oracle<'_>, id: &str) -> Result<Resolution, ResolveError> {
    let strings = oracle(id)
        .map_err(ResolveError::OracleFailed)?
        .unwrap_or_default();
    let services = valid_sorted(strings.iter().map(|s| s.as_bytes().to_vec()));
    if services.is_empty() {
        return Err(ResolveError::OracleNotFound(id.to_owned()));
    }
    Ok(Resolution {
        mui: None,
        via: Via::Oracle,
        services,
    })
}

fn dns_error(name: &str, e: DnsError) -> ResolveError {
    match e {
        DnsError::Timeout => ResolveError::Timeout(name.to_owned()),
        DnsError::Malformed(m) => ResolveError::Malformed(name.to_owned(), m),
        DnsError::Io(m) => ResolveError::Network(name.to_owned(), m),
    }
}

/// Records of `rtype` for `name`, following CNAMEs in the answer and, when
/// the answer stops at an alias, by asking the alias's target.
fn records(client: &Client, name: &str, rtype: u16) -> Result<Vec<Vec<u8>>, ResolveError> {
    let mut current = name.to_owned();
    let mut seen = vec![current.clone()];
    let mut response: Response = client
        .query(&current, rtype)
        .map_err(|e| dns_error(name, e))?;
    loop {
        match response.rcode {
            Rcode::NoError => {}
            Rcode::NxDomain => return Err(ResolveError::NxDomain(current)),
            Rcode::ServFail => return Err(ResolveError::ServFail(current)),
            Rcode::Refused => return Err(ResolveError::Refused(current)),
            Rcode::Other(c) => return Err(ResolveError::Rcode(current, c)),
        }
        // Walk the chain as far as this answer goes.
        while let Some(target) = response
            .answers
            .iter()
            .find(|r| r.owner == current)
            .and_then(|r| r.cname.clone())
        {
            if seen.contains(&target) || seen.len() > MAX_CNAMES {
                return Err(ResolveError::CnameLoop(name.to_owned()));
            }
            seen.push(target.clone());
            current = target;
        }
        let found: Vec<Vec<u8>> = response
            .answers
            .iter()
            .filter(|r| r.owner == current && r.rtype == rtype)
            .map(|r| r.rdata.clone())
            .collect();
        if !found.is_empty()
            || current == seen[0]
            || response.answers.iter().any(|r| r.owner == current)
        {
            return if found.is_empty() {
                Err(ResolveError::NoData(current))
            } else {
                Ok(found)
            };
        }
        // The answer ended at an alias whose target it did not include.
        response = client
            .query(&current, rtype)
            .map_err(|e| dns_error(name, e))?;
    }
}

/// MIMI RDATA: one or more character-strings, concatenated without
/// separator (as TXT for DKIM, RFC 6376 §3.6.2.2). `None` when malformed.
pub fn mimi_text(rdata: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut rest = rdata;
    if rest.is_empty() {
        return None;
    }
    while let Some((&len, tail)) = rest.split_first() {
        let len = len as usize;
        if tail.len() < len {
            return None;
        }
        out.extend_from_slice(&tail[..len]);
        rest = &tail[len..];
    }
    Some(out)
}

/// MIMIX RDATA: one uncompressed domain name, as unknown types carry names
/// (RFC 3597 §4). `None` when malformed.
pub fn mimix_target(rdata: &[u8]) -> Option<String> {
    let mut labels = Vec::new();
    let mut rest = rdata;
    loop {
        let (&len, tail) = rest.split_first()?;
        if len == 0 {
            return if tail.is_empty() && !labels.is_empty() {
                Some(labels.join(".").to_ascii_lowercase())
            } else {
                None
            };
        }
        if len > 63 || tail.len() < len as usize {
            return None;
        }
        labels.push(std::str::from_utf8(&tail[..len as usize]).ok()?.to_owned());
        rest = &tail[len as usize..];
    }
}

/// The valid MIMI1 records, best first: lower `p` first, records without
/// `p` after all that have one, ties in byte order of the definition.
fn valid_sorted(texts: impl Iterator<Item = Vec<u8>>) -> Vec<MssiRecord> {
    let mut valid: Vec<(Option<u32>, Vec<u8>, MssiRecord)> = texts
        .filter_map(|t| {
            let s = std::str::from_utf8(&t).ok()?;
            match mssi::parse(s) {
                Ok(Parsed::Valid { record, .. }) => Some((record.p, t.clone(), record)),
                _ => None,
            }
        })
        .collect();
    valid.sort_by(|a, b| (a.0.is_none(), a.0, &a.1).cmp(&(b.0.is_none(), b.0, &b.1)));
    valid.into_iter().map(|(_, _, r)| r).collect()
}

fn mimi_at(client: &Client, cfg: &Config, name: &str) -> Result<Vec<MssiRecord>, ResolveError> {
    let rdatas = records(client, name, cfg.mimi_type)?;
    let services = valid_sorted(rdatas.iter().filter_map(|r| mimi_text(r)));
    if services.is_empty() {
        return Err(ResolveError::NoValidRecords(name.to_owned()));
    }
    Ok(services)
}

fn mimix_at(client: &Client, cfg: &Config, domain: &str) -> Result<Vec<String>, ResolveError> {
    let rdatas = records(client, domain, cfg.mimix_type)?;
    let mut targets: Vec<String> = rdatas
        .iter()
        .filter_map(|r| mimix_target(r))
        .filter_map(|t| mui::canonical_name(&t).ok())
        .collect();
    targets.sort();
    targets.dedup();
    Ok(targets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rdata_decoders_refuse_malformed_data() {
        assert_eq!(mimi_text(b"\x03abc\x02de"), Some(b"abcde".to_vec()));
        assert_eq!(mimi_text(b"\x05abc"), None);
        assert_eq!(mimi_text(b""), None);
        assert_eq!(
            mimix_target(b"\x04mimi\x07example\x03net\x00"),
            Some("mimi.example.net".into())
        );
        assert_eq!(mimix_target(b"\x04mimi\x07example"), None);
        assert_eq!(mimix_target(b"\x00"), None);
        assert_eq!(mimix_target(b"\x04mimi\x00extra"), None);
    }

    #[test]
    fn order_is_by_priority_then_unset_then_bytes() {
        let texts = [
            "v=MIMI1; a=z; e=e",
            "v=MIMI1; p=2; a=b; e=e",
            "v=MIMI1; p=1; a=c; e=e",
            "v=MIMI1; a=y; e=e",
            "v=MIMI2; p=0",
        ];
        let got: Vec<String> = valid_sorted(texts.iter().map(|t| t.as_bytes().to_vec()))
            .into_iter()
            .map(|r| r.a)
            .collect();
        assert_eq!(got, ["c", "b", "y", "z"]);
    }
}

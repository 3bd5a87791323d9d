//! A zone as people read it: each record the mock serves in zone-file
//! presentation form (RFC 1035 §5.1), MIMI and MIMIX in the generic form of
//! RFC 3597 §5 that `dig` shows, with their RDATA decoded beside it. Made
//! from the records the server holds, so what is printed is what is served.

use hickory_server::proto::rr::{RData, Record};

use super::{TypeCodes, Zone, build_records};

/// One line per record, in the zone's order (`count` copies expanded).
/// The text is escaped as a zone file escapes it; names come from hickory's
/// ASCII form. Callers bound the number of lines and their length.
pub fn records(zone: &Zone, types: TypeCodes) -> Result<Vec<String>, String> {
    Ok(build_records(zone, types)?
        .iter()
        .map(|r| line(r, types))
        .collect())
}

fn line(r: &Record, types: TypeCodes) -> String {
    let head = format!("{} {} {}", r.name.to_ascii(), r.ttl, r.dns_class);
    match &r.data {
        RData::Unknown { code, rdata } => {
            let code = u16::from(*code);
            let bytes = &rdata.anything;
            let generic = format!("{head} TYPE{code} {}", generic(bytes));
            if code == types.mimi {
                format!("{generic} ; MIMI {}", mimi(bytes))
            } else if code == types.mimix {
                format!("{generic} ; MIMIX {}", mimix(bytes))
            } else {
                generic
            }
        }
        RData::CNAME(c) => format!("{head} CNAME {}", c.0.to_ascii()),
        RData::TXT(t) => {
            let strings: Vec<&[u8]> = t.txt_data.iter().map(|s| &**s).collect();
            format!("{head} TXT {}", quoted(&strings))
        }
        other => format!("{head} {} {other}", r.record_type()),
    }
}

/// RFC 3597 §5: `\# <length> <hex>`.
pub fn generic(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return "\\# 0".into();
    }
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("\\# {} {hex}", bytes.len())
}

/// MIMI RDATA as the MSSSI definition strings it holds (draft §4.2: TXT-like
/// character-strings), or why it holds none.
pub fn mimi(bytes: &[u8]) -> String {
    match character_strings(bytes) {
        Ok(strings) => quoted(&strings),
        Err(why) => format!("malformed: {why}"),
    }
}

/// MIMIX RDATA as the resolution domain it names (draft §5.1.1: one
/// uncompressed domain name, RFC 1035 §3.1), or why it is none.
pub fn mimix(bytes: &[u8]) -> String {
    match domain_name(bytes) {
        Ok(name) => name,
        Err(why) => format!("malformed: {why}"),
    }
}

/// RFC 1035 §3.3: a length octet and that many octets, one after another.
fn character_strings(bytes: &[u8]) -> Result<Vec<&[u8]>, String> {
    if bytes.is_empty() {
        return Err("empty RDATA, no character-string".into());
    }
    let mut out = Vec::new();
    let mut rest = bytes;
    while let Some((&len, tail)) = rest.split_first() {
        let len = usize::from(len);
        if len > tail.len() {
            return Err(format!(
                "a character-string of {len} octets with {} left",
                tail.len()
            ));
        }
        out.push(&tail[..len]);
        rest = &tail[len..];
    }
    Ok(out)
}

fn domain_name(bytes: &[u8]) -> Result<String, String> {
    let mut labels = Vec::new();
    let mut at = 0;
    loop {
        let Some(&len) = bytes.get(at) else {
            return Err("no root label at the end".into());
        };
        at += 1;
        if len == 0 {
            break;
        }
        if len > 63 {
            return Err(format!(
                "a length octet of {len} (labels are 63 octets or less, and RFC 3597 RDATA has no compression)"
            ));
        }
        let len = usize::from(len);
        let Some(label) = bytes.get(at..at + len) else {
            return Err(format!(
                "a label of {len} octets with {} left",
                bytes.len() - at
            ));
        };
        labels.push(escape(label, b".;\\\"()@$ "));
        at += len;
    }
    if at > 255 {
        return Err(format!("a name of {at} octets (255 at most)"));
    }
    if at < bytes.len() {
        return Err(format!("{} octets after the root label", bytes.len() - at));
    }
    if labels.is_empty() {
        return Ok(".".into());
    }
    Ok(format!("{}.", labels.join(".")))
}

/// Character-strings as a zone file writes them: each in quotes.
fn quoted(strings: &[&[u8]]) -> String {
    strings
        .iter()
        .map(|s| format!("\"{}\"", escape(s, b"\"\\")))
        .collect::<Vec<_>>()
        .join(" ")
}

/// RFC 1035 §5.1: `\X` for the special characters, `\DDD` for every octet
/// that is not printable ASCII, so a hostile zone cannot reach the terminal.
fn escape(bytes: &[u8], special: &[u8]) -> String {
    let mut out = String::new();
    for &b in bytes {
        if special.contains(&b) {
            out.push('\\');
            out.push(char::from(b));
        } else if (0x20..0x7f).contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("\\{b:03}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mimi_rdata_reads_as_its_character_strings() {
        assert_eq!(mimi(b"\x04v=MI\x00\x02;\""), r#""v=MI" "" ";\"""#);
        assert_eq!(mimi(b"\x03a\xff\x1b"), r#""a\255\027""#);
        assert_eq!(
            mimi(b"\xffv="),
            "malformed: a character-string of 255 octets with 2 left"
        );
        assert_eq!(mimi(b""), "malformed: empty RDATA, no character-string");
    }

    #[test]
    fn mimix_rdata_reads_as_a_domain_name() {
        assert_eq!(
            mimix(b"\x04mimi\x07example\x03net\x00"),
            "mimi.example.net."
        );
        assert_eq!(mimix(b"\x00"), ".");
        assert_eq!(mimix(b"\x03a.b\x02\n \x00"), "a\\.b.\\010\\ .");
        assert_eq!(
            mimix(b"\x0fmimi"),
            "malformed: a label of 15 octets with 4 left"
        );
        assert_eq!(
            mimix(b"\x01a\x00\xff"),
            "malformed: 1 octets after the root label"
        );
        assert_eq!(mimix(b"\x01a"), "malformed: no root label at the end");
        assert!(mimix(b"\xc0\x0c").starts_with("malformed: a length octet of 192"));
        let long: Vec<u8> = (0..5)
            .flat_map(|_| [63].into_iter().chain([b'a'; 63]))
            .chain([0])
            .collect();
        assert_eq!(
            mimix(&long),
            "malformed: a name of 321 octets (255 at most)"
        );
    }

    #[test]
    fn generic_form_counts_octets() {
        assert_eq!(generic(b""), "\\# 0");
        assert_eq!(generic(b"\x00\xff"), "\\# 2 00ff");
    }
}

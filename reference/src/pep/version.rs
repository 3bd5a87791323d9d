//! Which message format to send a peer (MESSAGE-2-1: "we keep track of the
//! highest pEp version we have seen from other users so that we know
//! whether to send them 2.0 or 2.1 messages (or 1.0 messages for OpenPGP
//! only, as usual)").
//!
//! A version is `1*DIGIT "." 1*DIGIT`, compared as numbers. A peer never
//! seen with p≡p, or whose version does not parse, gets 1.0; a 1.x peer
//! gets 1.0; 2.0 gets 2.0; 2.1 and every higher version get 2.1, the
//! highest format the reference writes (PEP-VERSION-HIGHER).

/// A message format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Version {
    /// OpenPGP/MIME only: the MIME tree encrypted, IMF headers kept.
    V1_0,
    /// The message wrapped as message/rfc822, markers in the plaintext.
    V2_0,
    /// The message wrapped as message/rfc822; forwarded="no", markers in
    /// headers.
    V2_1,
}

impl Version {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::V1_0 => "1.0",
            Self::V2_0 => "2.0",
            Self::V2_1 => "2.1",
        }
    }

    /// The three formats by name, exactly.
    pub fn from_name(s: &str) -> Option<Self> {
        match s {
            "1.0" => Some(Self::V1_0),
            "2.0" => Some(Self::V2_0),
            "2.1" => Some(Self::V2_1),
            _ => None,
        }
    }
}

/// `major.minor` as numbers; digits past what fits saturate.
pub fn parse(s: &str) -> Option<(u64, u64)> {
    let (a, b) = s.split_once('.')?;
    let num = |t: &str| {
        (!t.is_empty() && t.bytes().all(|c| c.is_ascii_digit())).then(|| {
            t.bytes().fold(0u64, |n, c| {
                n.saturating_mul(10).saturating_add(u64::from(c - b'0'))
            })
        })
    };
    Some((num(a)?, num(b)?))
}

/// The format to send a peer whose highest version seen is `peer`.
pub fn choose(peer: Option<&str>) -> Version {
    match peer.and_then(parse) {
        None => Version::V1_0,
        Some((major, _)) if major < 2 => Version::V1_0,
        Some((2, 0)) => Version::V2_0,
        Some(_) => Version::V2_1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chooses() {
        assert_eq!(choose(None), Version::V1_0);
        assert_eq!(choose(Some("1.0")), Version::V1_0);
        assert_eq!(choose(Some("1.9")), Version::V1_0);
        assert_eq!(choose(Some("2.0")), Version::V2_0);
        assert_eq!(choose(Some("2.00")), Version::V2_0);
        assert_eq!(choose(Some("2.1")), Version::V2_1);
        assert_eq!(choose(Some("2.2")), Version::V2_1);
        assert_eq!(choose(Some("3.0")), Version::V2_1);
        assert_eq!(choose(Some("99999999999999999999999.0")), Version::V2_1);
        for bad in [
            "", "2", "2.", ".1", "2.x", " 2.1", "2.1 ", "+2.1", "2.1.0", "v2",
        ] {
            assert_eq!(choose(Some(bad)), Version::V1_0, "{bad:?}");
        }
        assert_eq!(parse("0.5"), Some((0, 5)));
        for v in [Version::V1_0, Version::V2_0, Version::V2_1] {
            assert_eq!(Version::from_name(v.as_str()), Some(v));
        }
        assert_eq!(Version::from_name("2.2"), None);
    }
}

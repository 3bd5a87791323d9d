//! Where the page links: in-page anchors, the documents and RFCs a case
//! cites, and the vector files under `--source-url`. Every external link
//! goes through [`http`], so nothing but http(s) reaches an `href`.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Characters kept as they are in an anchor or a path segment; the rest is
/// percent-encoded, so a case id's `#` never ends a fragment early.
const KEPT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');
const KEPT_WITH_SLASH: &AsciiSet = &KEPT.remove(b'/');

/// The anchor of a case's block.
pub fn case(id: &str) -> String {
    format!("c:{}", utf8_percent_encode(id, KEPT_WITH_SLASH))
}

/// The anchor of a document's part of the tree of every case.
pub fn document(name: &str) -> String {
    format!("d:{}", utf8_percent_encode(name, KEPT_WITH_SLASH))
}

/// The anchor of a requirement's row.
pub fn requirement(id: &str) -> String {
    format!("r:{}", utf8_percent_encode(id, KEPT_WITH_SLASH))
}

/// The anchor of an ambiguity register entry.
pub fn entry(id: &str) -> String {
    format!("a:{}", utf8_percent_encode(id, KEPT_WITH_SLASH))
}

/// The anchor of an area (a vector file) in the tree of every case.
pub fn area(path: &str) -> String {
    format!("f:{}", utf8_percent_encode(path, KEPT_WITH_SLASH))
}

/// A relative path (another page of the same site) as an `href`: each
/// segment percent-encoded, so a file name cannot end the path early.
pub fn path(p: &str) -> String {
    let segments: Vec<String> = p
        .split('/')
        .map(|seg| utf8_percent_encode(seg, KEPT).to_string())
        .collect();
    segments.join("/")
}

/// `s` as the page may link it: an absolute http or https URL, serialized
/// by the URL parser (so it is percent-encoded), or `None`.
pub fn http(s: &str) -> Option<String> {
    let u = url::Url::parse(s.trim()).ok()?;
    matches!(u.scheme(), "http" | "https").then(|| u.to_string())
}

/// `--source-url BASE`: an http(s) URL ending in `/`, to which
/// `vectors/<file>#L<line>` is appended.
pub fn check_source_url(s: &str) -> Result<String, String> {
    let u = http(s).ok_or_else(|| format!("--source-url {s:?}: not an http or https URL"))?;
    if !u.ends_with('/') {
        return Err(format!(
            "--source-url {s:?} must end with \"/\": the page appends vectors/<file>#L<line>"
        ));
    }
    Ok(u)
}

/// A vector file (at a line) under `--source-url`.
pub fn vector(base: Option<&str>, file: &str, line: Option<usize>) -> Option<String> {
    let path: Vec<String> = file
        .split('/')
        .map(|seg| utf8_percent_encode(seg, KEPT).to_string())
        .collect();
    let line = line.map(|l| format!("#L{l}")).unwrap_or_default();
    http(&format!("{}vectors/{}{line}", base?, path.join("/")))
}

/// How a document's sections can be linked.
#[derive(Clone, Copy)]
enum Sections {
    /// Numbered sections have `#section-N` anchors.
    Numbered,
    /// The sections have names, not numbers: the document as a whole.
    Page,
}

/// Where each document is published, as its seed names it: the two
/// MIMI-area drafts and draft-crocker-wrap-02 by their draft names on
/// datatracker; the p≡p page's seed names no address, so it has no link.
const PUBLISHED: [(&str, Option<(&str, Sections)>); 4] = [
    (
        "immi-content",
        Some((
            "https://datatracker.ietf.org/doc/html/draft-mahy-dispatch-immi-content-00",
            Sections::Numbered,
        )),
    ),
    (
        "mimi-discovery",
        Some((
            "https://datatracker.ietf.org/doc/html/draft-bertola-mimi-discovery-00",
            Sections::Numbered,
        )),
    ),
    (
        "application-mime",
        Some((
            "https://datatracker.ietf.org/doc/html/draft-crocker-wrap-02",
            Sections::Page,
        )),
    ),
    ("pep-message-2", None),
];

fn numbered(section: &str) -> bool {
    !section.is_empty()
        && section
            .split('.')
            .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// A section of one of the four documents, where the document has an
/// address.
pub fn section(document: &str, section: &str) -> Option<String> {
    let (_, published) = PUBLISHED.iter().find(|(d, _)| *d == document)?;
    let (page, sections) = (*published)?;
    match sections {
        Sections::Numbered if numbered(section) => http(&format!("{page}#section-{section}")),
        _ => http(page),
    }
}

/// `RFC 5322 §3.6.4` (a requirement's `source`) on datatracker.
pub fn rfc(source: &str) -> Option<String> {
    let rest = source.strip_prefix("RFC ")?;
    let (number, section) = match rest.split_once(" §") {
        Some((n, s)) => (n, Some(s)),
        None => (rest, None),
    };
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let anchor = match section {
        Some(s) if numbered(s) => format!("#section-{s}"),
        _ => String::new(),
    };
    http(&format!(
        "https://datatracker.ietf.org/doc/html/rfc{number}{anchor}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_and_https_become_links() {
        assert_eq!(
            http("https://example.org/a b").as_deref(),
            Some("https://example.org/a%20b")
        );
        assert_eq!(
            http("http://example.org").as_deref(),
            Some("http://example.org/")
        );
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "data:text/html,<script>",
            "file:///etc/passwd",
            "//example.org/x",
            "issue 12",
            "",
        ] {
            assert_eq!(http(bad), None, "{bad}");
        }
    }

    #[test]
    fn anchors_keep_an_id_in_one_fragment() {
        assert_eq!(
            case("immi-content/msg-id/dot-rules#leading-dot"),
            "c:immi-content/msg-id/dot-rules%23leading-dot"
        );
        assert_eq!(requirement("IMMI-MSGID-SYNTAX"), "r:IMMI-MSGID-SYNTAX");
        assert_eq!(case("a\"b <c>"), "c:a%22b%20%3Cc%3E");
    }

    #[test]
    fn documents_link_where_their_seed_names_an_address() {
        assert_eq!(
            section("immi-content", "5.1").as_deref(),
            Some(
                "https://datatracker.ietf.org/doc/html/draft-mahy-dispatch-immi-content-00#section-5.1"
            )
        );
        assert_eq!(
            section("application-mime", "GATEWAY").as_deref(),
            Some("https://datatracker.ietf.org/doc/html/draft-crocker-wrap-02")
        );
        assert_eq!(section("pep-message-2", "MESSAGE-2-1"), None);
        assert_eq!(section("nonesuch", "1"), None);
        for d in crate::ops::documents() {
            assert!(
                PUBLISHED.iter().any(|(p, _)| *p == d),
                "{d} has no entry in PUBLISHED"
            );
        }
        assert_eq!(
            rfc("RFC 2045 §5.1").as_deref(),
            Some("https://datatracker.ietf.org/doc/html/rfc2045#section-5.1")
        );
        assert_eq!(rfc("RFC x §1"), None);
        assert_eq!(rfc("ISO 8601"), None);
    }

    #[test]
    fn source_urls_end_in_a_slash_and_encode_the_path() {
        assert!(check_source_url("https://h/r/blob/abc").is_err());
        assert!(check_source_url("ftp://h/r/").is_err());
        let base = check_source_url("https://h/r/blob/abc/").unwrap();
        assert_eq!(
            vector(Some(&base), "immi-content/a b#c.yaml", Some(7)).as_deref(),
            Some("https://h/r/blob/abc/vectors/immi-content/a%20b%23c.yaml#L7")
        );
        assert_eq!(vector(None, "x.yaml", None), None);
    }
}

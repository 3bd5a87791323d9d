//! Strategy 1: a corpus input with one string member mutated, character-
//! and token-wise, with the characters of the op's grammar.

use base64::Engine as _;
use rand::Rng;
use rand::seq::SliceRandom;
use serde_json::Value;

use crate::protocol::BYTES_MARKER;

/// A mutated or generated member is at most this long (characters of
/// text, octets of bytes): inputs stay small and the shrinker bounded.
pub const MAX_MEMBER: usize = 4096;

/// One step of the way from an input's root to a member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A string member's value: text, or bytes written `{"$base64": ...}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Leaf {
    Text(Vec<char>),
    Bytes(Vec<u8>),
}

impl Leaf {
    pub fn len(&self) -> usize {
        match self {
            Leaf::Text(t) => t.len(),
            Leaf::Bytes(b) => b.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn to_value(&self) -> Value {
        match self {
            Leaf::Text(t) => Value::String(t.iter().collect()),
            Leaf::Bytes(b) => serde_json::json!({
                BYTES_MARKER: base64::engine::general_purpose::STANDARD.encode(b)
            }),
        }
    }

    /// The leaf with unit `i` made `a`; None when it is one already.
    pub fn with_a(&self, i: usize) -> Option<Leaf> {
        match self {
            Leaf::Text(t) if t[i] != 'a' => {
                let mut t = t.clone();
                t[i] = 'a';
                Some(Leaf::Text(t))
            }
            Leaf::Bytes(b) if b[i] != b'a' => {
                let mut b = b.clone();
                b[i] = b'a';
                Some(Leaf::Bytes(b))
            }
            _ => None,
        }
    }

    /// The leaf without the units in `start..end`.
    pub fn without(&self, start: usize, end: usize) -> Leaf {
        match self {
            Leaf::Text(t) => Leaf::Text([&t[..start], &t[end..]].concat()),
            Leaf::Bytes(b) => Leaf::Bytes([&b[..start], &b[end..]].concat()),
        }
    }
}

/// Every string member of `v` (bytes decoded) up to [`MAX_MEMBER`], with
/// its path; object keys in their JSON order.
pub fn leaves(v: &Value) -> Vec<(Vec<Seg>, Leaf)> {
    let mut out = Vec::new();
    walk(v, &mut Vec::new(), &mut out);
    out
}

fn walk(v: &Value, path: &mut Vec<Seg>, out: &mut Vec<(Vec<Seg>, Leaf)>) {
    match v {
        Value::String(s) if s.chars().count() <= MAX_MEMBER => {
            out.push((path.clone(), Leaf::Text(s.chars().collect())));
        }
        Value::Object(map) => {
            if let Some(b) = bytes_of(v) {
                if b.len() <= MAX_MEMBER {
                    out.push((path.clone(), Leaf::Bytes(b)));
                }
                return;
            }
            for (k, item) in map {
                path.push(Seg::Key(k.clone()));
                walk(item, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(Seg::Index(i));
                walk(item, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn bytes_of(v: &Value) -> Option<Vec<u8>> {
    let map = v.as_object()?;
    if map.len() != 1 {
        return None;
    }
    let b64 = map.get(BYTES_MARKER)?.as_str()?;
    base64::engine::general_purpose::STANDARD.decode(b64).ok()
}

/// `v` with the member at `path` replaced by `leaf`.
pub fn with_leaf(v: &Value, path: &[Seg], leaf: &Leaf) -> Value {
    let mut out = v.clone();
    let mut at = &mut out;
    for seg in path {
        at = match (seg, at) {
            (Seg::Key(k), Value::Object(m)) => m.entry(k.clone()).or_insert(Value::Null),
            (Seg::Index(i), Value::Array(a)) if *i < a.len() => &mut a[*i],
            // Paths come from `leaves` of the same value.
            _ => return out,
        };
    }
    *at = leaf.to_value();
    out
}

/// The path as a JSON pointer, for people (`/entries/0/msg_id`).
pub fn pointer(path: &[Seg]) -> String {
    path.iter()
        .map(|s| match s {
            Seg::Key(k) => format!("/{}", k.replace('~', "~0").replace('/', "~1")),
            Seg::Index(i) => format!("/{i}"),
        })
        .collect()
}

/// What a mutation draws from: the op's grammar.
pub struct Alphabet {
    /// The grammar's delimiters and specials: inserted, and where tokens
    /// are split.
    pub specials: &'static str,
    /// Multi-character pieces worth inserting whole (a fold, `xn--`).
    pub tokens: &'static [&'static str],
}

/// Whitespace and line ends every grammar has an opinion on.
const SPACE: &str = " \t\r\n";
const DIGITS: &str = "0123456789";
const LETTERS: &str = "abczABCZ";
/// A few non-ASCII characters that parsers mishandle: a Latin letter, a
/// sharp s, a full-width letter and digit, an ideographic full stop, a
/// zero-width joiner, NEL, a BOM, an Arabic-Indic digit, an emoji.
const NON_ASCII: &str = "éßＡ１。\u{200D}\u{85}\u{FEFF}٣😀";

/// The alphabet of `op`'s grammar.
pub fn alphabet(op: &str) -> Alphabet {
    let (specials, tokens): (&'static str, &'static [&'static str]) = match op {
        "immi.msg_id.parse" | "immi.msg_id_header.parse" => (
            "<>@.[]\";:,()\\",
            &["\r\n", "\r\n ", "..", "[]", "Message-ID: "],
        ),
        "immi.disposition_notification.parse" | "immi.disposition_notification.build" => (
            "<>@.[];=:\",",
            &["\r\n", ";dispo=", "displayed", "IMMI-Disposition: "],
        ),
        "immi.datetime.parse" => ("-:.+TtZz", &["60", "23:59:60", "-00:00", "+24:00", "..."]),
        "discovery.mssi.parse" => ("=;_", &["\r\n ", "\r\n", "v=MIMI1", "p=", ";;"]),
        "discovery.mui.parse" | "discovery.email.mui" => {
            (".-@:/_%", &["xn--", "mimi:", "..", "--", "\u{3002}"])
        }
        "discovery.enum.domain" => ("+-.() /x", &["++", "00", "(0)", "ext"]),
        op if op.starts_with("application_mime.") => (
            "/;=\"\\()*'%,:<>@[]?",
            &[
                "\r\n",
                "\r\n ",
                "*0*=",
                "*1=",
                "utf-8''",
                "%E2%82%AC",
                "=?utf-8?q?",
            ],
        ),
        op if op.starts_with("pep.") => (
            ":;=\"<>@/-",
            &["\r\n", "-----BEGIN PGP MESSAGE-----", "\r\n\r\n", "2.1"],
        ),
        _ => (
            "<>@.[];=:\"()\\,/*'%",
            &["\r\n", "\r\n ", "\r\n\r\n", "Content-Type: "],
        ),
    };
    Alphabet { specials, tokens }
}

impl Alphabet {
    fn is_delimiter(&self, c: char) -> bool {
        self.specials.contains(c) || SPACE.contains(c)
    }

    /// One piece to insert: a character from one of the classes, or a
    /// token.
    fn piece(&self, rng: &mut impl Rng) -> Vec<char> {
        let class = match rng.gen_range(0..10) {
            0..=3 => self.specials,
            4 => SPACE,
            5 => DIGITS,
            6 => LETTERS,
            7 => NON_ASCII,
            _ => return pick(self.tokens, rng).chars().collect(),
        };
        let chars: Vec<char> = class.chars().collect();
        vec![*chars.choose(rng).unwrap_or(&'a')]
    }
}

fn pick<'a>(items: &[&'a str], rng: &mut impl Rng) -> &'a str {
    items.choose(rng).copied().unwrap_or("")
}

/// Applies one to three mutations to `leaf`, within [`MAX_MEMBER`].
pub fn mutate(leaf: &Leaf, alphabet: &Alphabet, rng: &mut impl Rng) -> Leaf {
    let rounds = 1 + usize::from(rng.gen_bool(0.5)) + usize::from(rng.gen_bool(0.25));
    match leaf {
        Leaf::Text(t) => {
            let mut t = t.clone();
            for _ in 0..rounds {
                step(&mut t, alphabet, rng, |c| alphabet.is_delimiter(*c), |p| p);
            }
            t.truncate(MAX_MEMBER);
            Leaf::Text(t)
        }
        Leaf::Bytes(b) => {
            let mut b = b.clone();
            for _ in 0..rounds {
                // Bytes take the grammar's ASCII and, for the rest, the
                // UTF-8 of its pieces and an octet that is never UTF-8.
                let to_bytes = |p: Vec<char>| -> Vec<u8> {
                    let s: String = p.into_iter().collect();
                    s.into_bytes()
                };
                step(
                    &mut b,
                    alphabet,
                    rng,
                    |c| c.is_ascii() && alphabet.is_delimiter(char::from(*c)),
                    to_bytes,
                );
                if rng.gen_bool(0.05) && !b.is_empty() {
                    let i = rng.gen_range(0..b.len());
                    b[i] = 0xff;
                }
            }
            b.truncate(MAX_MEMBER);
            Leaf::Bytes(b)
        }
    }
}

/// One mutation of `v`: character-wise or token-wise, half the time each.
fn step<T: Clone>(
    v: &mut Vec<T>,
    alphabet: &Alphabet,
    rng: &mut impl Rng,
    is_delimiter: impl Fn(&T) -> bool,
    convert: impl Fn(Vec<char>) -> Vec<T>,
) {
    if rng.gen_bool(0.5) && tokens_step(v, rng, &is_delimiter) {
        return;
    }
    let at = |rng: &mut dyn rand::RngCore, len: usize| {
        if len == 0 { 0 } else { rng.gen_range(0..len) }
    };
    match rng.gen_range(0..4) {
        // Insert a piece of the grammar.
        0 => {
            let i = if v.is_empty() {
                0
            } else {
                rng.gen_range(0..=v.len())
            };
            let piece = convert(alphabet.piece(rng));
            v.splice(i..i, piece);
        }
        // Delete one to three units.
        1 if !v.is_empty() => {
            let i = at(rng, v.len());
            let n = rng.gen_range(1..=3).min(v.len() - i);
            v.drain(i..i + n);
        }
        // Replace one unit.
        2 if !v.is_empty() => {
            let i = at(rng, v.len());
            let piece = convert(alphabet.piece(rng));
            v.splice(i..=i, piece);
        }
        // Duplicate a run of up to eight units.
        _ if !v.is_empty() => {
            let i = at(rng, v.len());
            let n = rng.gen_range(1..=8).min(v.len() - i);
            let run: Vec<T> = v[i..i + n].to_vec();
            v.splice(i..i, run);
        }
        _ => {
            let piece = convert(alphabet.piece(rng));
            v.extend(piece);
        }
    }
}

/// Splits `v` into tokens (runs between delimiters, and each delimiter)
/// and deletes, duplicates or swaps one. False when there are too few.
fn tokens_step<T: Clone>(
    v: &mut Vec<T>,
    rng: &mut impl Rng,
    is_delimiter: &impl Fn(&T) -> bool,
) -> bool {
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    for (i, u) in v.iter().enumerate() {
        if is_delimiter(u) {
            if start < i {
                spans.push((start, i));
            }
            spans.push((i, i + 1));
            start = i + 1;
        }
    }
    if start < v.len() {
        spans.push((start, v.len()));
    }
    if spans.len() < 2 {
        return false;
    }
    let (a, b) = spans[rng.gen_range(0..spans.len())];
    match rng.gen_range(0..3) {
        0 => {
            v.drain(a..b);
        }
        1 => {
            let run: Vec<T> = v[a..b].to_vec();
            v.splice(b..b, run);
        }
        _ => {
            let (c, d) = spans[rng.gen_range(0..spans.len())];
            let ((a, b), (c, d)) = if a <= c {
                ((a, b), (c, d))
            } else {
                ((c, d), (a, b))
            };
            if b > c {
                return false;
            }
            let mut out = v[..a].to_vec();
            out.extend_from_slice(&v[c..d]);
            out.extend_from_slice(&v[b..c]);
            out.extend_from_slice(&v[a..b]);
            out.extend_from_slice(&v[d..]);
            *v = out;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use serde_json::json;

    #[test]
    fn leaves_and_with_leaf_round_trip() {
        let v = json!({"text": "ab", "n": [{"x": "c"}], "b": {"$base64": "/w=="}});
        let ls = leaves(&v);
        assert_eq!(ls.len(), 3);
        for (path, leaf) in &ls {
            assert_eq!(with_leaf(&v, path, leaf), v, "{}", pointer(path));
        }
        let (path, _) = &ls[1];
        assert_eq!(pointer(path), "/n/0/x");
    }

    #[test]
    fn mutations_stay_bounded_and_are_seeded() {
        let a = alphabet("immi.msg_id.parse");
        let leaf = Leaf::Text("<a.b@example.com>".chars().collect());
        let run = |seed| {
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
            (0..200)
                .map(|_| mutate(&leaf, &a, &mut rng))
                .collect::<Vec<_>>()
        };
        assert_eq!(run(7), run(7));
        assert!(run(7).iter().all(|l| l.len() <= MAX_MEMBER));
        assert!(run(7).iter().any(|l| l != &leaf));
    }
}

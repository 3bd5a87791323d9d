//! The conversation a receiving client shows (immi-content §4): the final
//! state after a list of received messages, at an instant "now".
//!
//! - Replies (§4.2) name their target with In-Reply-To.
//! - Reactions (§4.3) attach to their target; a reaction the client does not
//!   recognize is shown as a reply prefixed "Reaction: ".
//! - Edits (§4.5) replace the superseded message, which is marked edited;
//!   deletes (§4.6) leave a placeholder, and replies to a deleted message
//!   hide their quote. Only the author (the same From URI) edits or deletes
//!   (register IMMI-CONV-AUTHOR).
//! - Messages whose ExpiresDateTime is at or before "now" are gone (§4.7;
//!   register IMMI-CONV-EXPIRY-INSTANT).
//! - Read receipts (§4.9) are aggregated per message and member (From URI),
//!   the latest notification winning (register IMMI-CONV-RECEIPT-ORDER).
//!
//! The result does not depend on arrival order except to break ties: an
//! edit, delete, reaction or receipt that arrives before its target applies
//! once the target is there (register IMMI-CONV-OUT-OF-ORDER). Messages are
//! shown by DateTime, then arrival (register IMMI-CONV-ORDER).

use std::collections::{BTreeMap, HashMap};

use super::cpim::{self, Kind, Message};
use super::datetime::{self, DateTimeError};
use super::disposition::Status;

/// One received MLS application message: the MLS sender and the bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub sender: String,
    pub message: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConversationError {
    #[error("now: {0}")]
    Now(DateTimeError),
}

impl ConversationError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Now(e) => e.code(),
        }
    }
}

/// Why a message that parses has no effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Ignored {
    /// Its Message-ID is the same as an earlier arrival's.
    DuplicateId,
    /// Supersedes names a message of another author.
    NotAuthor,
    /// Supersedes, or a reaction's In-Reply-To, names no message received
    /// (or a message that cannot be its target).
    UnknownTarget,
}

impl Ignored {
    pub fn code(self) -> &'static str {
        match self {
            Self::DuplicateId => "immi.conversation.duplicate_id",
            Self::NotAuthor => "immi.conversation.not_author",
            Self::UnknownTarget => "immi.conversation.unknown_target",
        }
    }
}

/// A reaction attached to a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reaction {
    pub from: String,
    pub content: String,
}

/// One message as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The Message-ID of the original message, with brackets.
    pub id: String,
    /// The MLS sender of the original message.
    pub sender: String,
    /// The From URI of the original message.
    pub from: String,
    /// message, reply, knock or attachment (an unknown reaction is a reply).
    pub kind: &'static str,
    /// The body shown: the latest edit's, empty when deleted.
    pub body: Vec<u8>,
    pub edited: bool,
    pub deleted: bool,
    /// In-Reply-To, resolved to the original message when it names an edit.
    pub reply_to: Option<String>,
    /// The message replied to is deleted, expired or was never received.
    pub quote_hidden: bool,
    pub reactions: Vec<Reaction>,
    /// Per member (From URI), the latest status.
    pub receipts: BTreeMap<String, Status>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Conversation {
    pub messages: Vec<Entry>,
    /// Events that fail immi.message.parse: (index, code).
    pub rejected: Vec<(usize, &'static str)>,
    /// Events that parse but change nothing: (index, reason).
    pub ignored: Vec<(usize, Ignored)>,
}

struct Received {
    index: usize,
    sender: String,
    m: Message,
}

type Key = ((i64, i64, String), usize);

fn key(r: &Received) -> Key {
    (r.m.datetime.sort_key(), r.index)
}

/// The content of a reaction: its text without one final CRLF, or `None`
/// when it is not text.
fn reaction_text(m: &Message) -> Option<String> {
    if m.content_type.as_ref().is_some_and(|ct| ct.type_ != "text") {
        return None;
    }
    let s = std::str::from_utf8(&m.body).ok()?;
    Some(s.strip_suffix("\r\n").unwrap_or(s).to_owned())
}

/// Applies `events`, in arrival order, at instant `now` (an RFC 3339
/// date-time). `known_reactions`: the reactions the client can show; `None`
/// means every text reaction.
pub fn apply(
    now: &str,
    events: &[Event],
    known_reactions: Option<&[String]>,
) -> Result<Conversation, ConversationError> {
    let now = datetime::parse(now)
        .map_err(ConversationError::Now)?
        .sort_key();
    let expired = |d: &Option<datetime::DateTime>| d.as_ref().is_some_and(|e| e.sort_key() <= now);
    let mut out = Conversation::default();
    let mut all: Vec<Received> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for (index, e) in events.iter().enumerate() {
        match cpim::parse(&e.message) {
            Err(err) => out.rejected.push((index, err.code())),
            Ok(m) => {
                let id = m.message_id.to_string();
                if by_id.contains_key(&id) {
                    out.ignored.push((index, Ignored::DuplicateId));
                    continue;
                }
                by_id.insert(id, all.len());
                all.push(Received {
                    index,
                    sender: e.sender.clone(),
                    m,
                });
            }
        }
    }
    // The original message an id names, through edits and deletes.
    let resolve = |id: &str| -> Option<usize> {
        let mut at = *by_id.get(id)?;
        for _ in 0..=all.len() {
            match all[at].m.kind {
                Kind::Edit | Kind::Delete => {
                    let next = all[at].m.supersedes.as_ref()?.to_string();
                    at = *by_id.get(&next)?;
                }
                Kind::ReadReceipt => return None,
                _ => return Some(at),
            }
        }
        None
    };
    // Edits and deletes, per original.
    let mut edits: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut deletes: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, r) in all.iter().enumerate() {
        if !matches!(r.m.kind, Kind::Edit | Kind::Delete) {
            continue;
        }
        let target = r.m.supersedes.as_ref().map(ToString::to_string);
        let Some(root) = target.as_deref().and_then(resolve) else {
            out.ignored.push((r.index, Ignored::UnknownTarget));
            continue;
        };
        if all[root].m.from.uri != r.m.from.uri {
            out.ignored.push((r.index, Ignored::NotAuthor));
            continue;
        }
        let map = if r.m.kind == Kind::Edit {
            &mut edits
        } else {
            &mut deletes
        };
        map.entry(root).or_default().push(i);
    }
    // The state of each original: (body source, edited, deleted), or None
    // when it has expired.
    let state = |root: usize| -> Option<(usize, bool, bool)> {
        let deleted = deletes.contains_key(&root);
        let list = edits.get(&root).map(Vec::as_slice).unwrap_or_default();
        if expired(&all[root].m.expires) || list.iter().any(|&e| expired(&all[e].m.expires)) {
            return None;
        }
        let latest = list.iter().copied().max_by_key(|&e| key(&all[e]));
        match latest {
            _ if deleted => Some((root, false, true)),
            Some(e) => Some((e, true, false)),
            None => Some((root, false, false)),
        }
    };
    let is_known = |text: &Option<String>| match text {
        None => false,
        Some(t) => known_reactions.is_none_or(|k| k.iter().any(|x| x == t)),
    };
    // Entries: every original but attached reactions.
    let mut entries: Vec<(Key, usize, Entry)> = Vec::new();
    let mut attach: Vec<(usize, usize, usize)> = Vec::new(); // (reaction root, body source, target root)
    for (i, r) in all.iter().enumerate() {
        if matches!(r.m.kind, Kind::Edit | Kind::Delete | Kind::ReadReceipt) {
            continue;
        }
        let Some((src, edited, deleted)) = state(i) else {
            continue;
        };
        let target_id = r.m.in_reply_to.as_ref().map(ToString::to_string);
        let target = target_id.as_deref().and_then(resolve);
        let mut kind = r.m.kind.as_str();
        let mut body = if deleted {
            Vec::new()
        } else {
            all[src].m.body.clone()
        };
        if r.m.kind == Kind::Reaction {
            let text = reaction_text(&all[src].m);
            if target.is_none() {
                out.ignored.push((r.index, Ignored::UnknownTarget));
                continue;
            }
            if is_known(&text) {
                if !deleted && let Some(t) = target {
                    attach.push((i, src, t));
                }
                continue;
            }
            kind = Kind::Reply.as_str();
            if !deleted && let Some(t) = text {
                body = format!("Reaction: {t}").into_bytes();
            }
        }
        let entry = Entry {
            id: r.m.message_id.to_string(),
            sender: r.sender.clone(),
            from: r.m.from.uri.clone(),
            kind,
            body,
            edited,
            deleted,
            reply_to: target
                .map(|t| all[t].m.message_id.to_string())
                .or(target_id),
            quote_hidden: false,
            reactions: Vec::new(),
            receipts: BTreeMap::new(),
        };
        entries.push((key(r), i, entry));
    }
    let pos: HashMap<usize, usize> = entries
        .iter()
        .enumerate()
        .map(|(p, (_, root, _))| (*root, p))
        .collect();
    // Quotes: hidden unless the target is shown and not deleted.
    for p in 0..entries.len() {
        let root = entries[p].1;
        if let Some(id) = all[root].m.in_reply_to.as_ref() {
            let shown = resolve(&id.to_string())
                .and_then(|t| pos.get(&t))
                .is_some_and(|&q| !entries[q].2.deleted);
            entries[p].2.quote_hidden = !shown;
        }
    }
    // Reactions, in (DateTime, arrival) order of the reaction.
    attach.sort_by_key(|&(r, _, _)| key(&all[r]));
    for (r, src, target) in attach {
        if let Some(&q) = pos.get(&target)
            && !entries[q].2.deleted
            && entries[q].2.kind != Kind::Reaction.as_str()
            && let Some(content) = reaction_text(&all[src].m)
        {
            entries[q].2.reactions.push(Reaction {
                from: all[r].m.from.uri.clone(),
                content,
            });
        }
    }
    // Receipts: the latest (DateTime, arrival, line) per message and member.
    let mut latest: HashMap<(usize, String), (Key, usize)> = HashMap::new();
    for r in all.iter().filter(|r| r.m.kind == Kind::ReadReceipt) {
        for (line, d) in r.m.dispositions.iter().flatten().enumerate() {
            let Some(&q) = resolve(&d.msg_id.to_string()).and_then(|t| pos.get(&t)) else {
                continue;
            };
            let k = (key(r), line);
            let slot = latest
                .entry((q, r.m.from.uri.clone()))
                .or_insert_with(|| k.clone());
            if k >= *slot {
                *slot = k;
                entries[q].2.receipts.insert(r.m.from.uri.clone(), d.status);
            }
        }
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    out.messages = entries.into_iter().map(|(_, _, e)| e).collect();
    out.ignored.sort_by_key(|&(i, _)| i);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(from: &str, id: &str, extra: &str, inner: &str, body: &str) -> Vec<u8> {
        format!(
            "Content-Type: message/cpim\r\n\r\nFrom: <{from}>\r\nDateTime: 2022-02-08T22:13:45Z\r\nMessage-ID: <{id}>\r\n{extra}\r\n{inner}\r\n{body}"
        )
        .into_bytes()
    }

    fn ev(sender: &str, message: Vec<u8>) -> Event {
        Event {
            sender: sender.to_owned(),
            message,
        }
    }

    #[test]
    fn edit_and_reaction() {
        let events = [
            ev("s1", msg("im:a@x", "m1@x", "", "", "hi")),
            ev(
                "s1",
                msg("im:a@x", "m2@x", "Supersedes: <m1@x>\r\n", "", "hello"),
            ),
            ev(
                "s2",
                msg(
                    "im:b@x",
                    "m3@x",
                    "In-Reply-To: <m2@x>\r\n",
                    "Content-Disposition: reaction\r\n",
                    "+\r\n",
                ),
            ),
        ];
        let c = apply("2022-02-09T00:00:00Z", &events, None).unwrap();
        assert_eq!(c.messages.len(), 1);
        assert_eq!(c.messages[0].body, b"hello");
        assert!(c.messages[0].edited);
        assert_eq!(c.messages[0].reactions[0].content, "+");
    }

    #[test]
    fn supersedes_cycle_is_unknown_target() {
        let events = [
            ev(
                "s1",
                msg("im:a@x", "m1@x", "Supersedes: <m2@x>\r\n", "", "a"),
            ),
            ev(
                "s1",
                msg("im:a@x", "m2@x", "Supersedes: <m1@x>\r\n", "", "b"),
            ),
        ];
        let c = apply("2022-02-09T00:00:00Z", &events, None).unwrap();
        assert!(c.messages.is_empty());
        assert_eq!(c.ignored.len(), 2);
        assert!(c.ignored.iter().all(|(_, r)| *r == Ignored::UnknownTarget));
    }

    #[test]
    fn bad_now() {
        let e = apply("yesterday", &[], None).unwrap_err();
        assert_eq!(e.code(), "immi.datetime.syntax");
    }

    #[test]
    fn no_panic_on_generated_inputs() {
        // Deterministic conversations over a few ids and header shapes.
        let ids = ["a@x", "b@x", "c@x", "d@x"];
        let froms = ["im:a@x", "im:b@x"];
        let mut g = crate::testgen::Gen::new(0x2545_f491_4f6c_dd1d);
        let mut next = || g.next_u64();
        for _ in 0..2_000 {
            let n = (next() % 6) as usize;
            let mut events = Vec::new();
            for _ in 0..n {
                let r = next();
                let id = ids[(r % 4) as usize];
                let other = ids[((r >> 2) % 4) as usize];
                let from = froms[((r >> 4) % 2) as usize];
                let extra = match (r >> 5) % 6 {
                    0 => format!("In-Reply-To: <{other}>\r\n"),
                    1 => format!("Supersedes: <{other}>\r\n"),
                    2 => "ExpiresDateTime: 2022-02-08T22:13:45Z\r\n".to_owned(),
                    _ => String::new(),
                };
                let (inner, body) = match (r >> 8) % 5 {
                    0 => ("Content-Disposition: reaction\r\n", "x\r\n".to_owned()),
                    1 => (
                        "Content-Type: message/immi-disposition-notification\r\n",
                        format!("IMMI-Disposition: <{other}>;dispo=read\r\n"),
                    ),
                    2 => ("", String::new()),
                    3 => ("Content-Type: text/plain\r\n", "garbage\n".to_owned()),
                    _ => ("", "body".to_owned()),
                };
                let mut m = msg(from, id, &extra, inner, &body);
                if (r >> 12) % 10 == 0 {
                    m.truncate((r >> 16) as usize % (m.len() + 1));
                }
                events.push(ev(from, m));
            }
            let known = ["x".to_owned()];
            let k = ((next() % 2) == 0).then_some(&known[..]);
            let c = apply("2022-02-08T22:13:45Z", &events, k).unwrap();
            assert!(c.messages.len() + c.rejected.len() + c.ignored.len() <= n * 2);
        }
    }
}

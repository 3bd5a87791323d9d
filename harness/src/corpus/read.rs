//! Reading vector files: YAML into the data model, with the file's
//! defaults applied and `$file` markers replaced. All YAML in mimispec is
//! read by [`from_yaml`]; serde_yaml is archived, so a change of crate
//! touches this file only.

use std::collections::BTreeSet;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::model::{Block, Case, Citation, Expect, Level, Property, Reject};
use super::{Files, LoadError};

/// A vector file larger than this is refused: vectors are small by design.
pub const MAX_FILE: usize = 1 << 20;

/// Collections nest at most this deep in a YAML file.
pub const MAX_DEPTH: usize = 64;

/// A file's size after alias expansion, counted as scalar bytes plus one
/// per node, is at most this: what serde_yaml would build.
pub const MAX_EXPANDED: u64 = 8 << 20;

/// Reads one YAML document into `T`: the only YAML reader in mimispec.
/// Unknown fields are refused by `T`'s own `deny_unknown_fields`. Depth
/// and alias expansion are bounded first, in one pass over the events,
/// so a hostile file costs milliseconds, not gigabytes.
pub fn from_yaml<T: DeserializeOwned>(file: &str, bytes: &[u8]) -> Result<T, LoadError> {
    if bytes.len() > MAX_FILE {
        return Err(LoadError::new(
            file,
            None,
            format!("larger than {MAX_FILE} bytes"),
        ));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|e| LoadError::new(file, None, format!("not UTF-8: {e}")))?;
    bounded(text).map_err(|(line, m)| LoadError::new(file, line, m))?;
    serde_yaml::from_str(text).map_err(|e| {
        let line = e.location().map(|l| l.line());
        // serde_yaml appends " at line L column C"; the line is ours to print.
        let msg = e.to_string();
        let msg = match msg.rfind(" at line ") {
            Some(i) if line.is_some() => msg[..i].to_owned(),
            _ => msg,
        };
        LoadError::new(file, line, msg)
    })
}

/// Checks depth and expanded size over the YAML events. A node's size is
/// its scalar bytes plus one per node; an alias costs its anchor's size.
fn bounded(text: &str) -> Result<(), (Option<usize>, String)> {
    use yaml_rust2::parser::{Event, Parser};
    let mut parser = Parser::new_from_str(text);
    // Open collections: their anchor and the size so far.
    let mut open: Vec<(usize, u64)> = Vec::new();
    let mut anchors: std::collections::HashMap<usize, u64> = Default::default();
    let mut total: u64 = 0;
    loop {
        let (event, mark) = parser.next_token().map_err(|e| {
            let info = match e.info() {
                // The scanner's own bound on flow nesting, met before ours.
                i if i.contains("recursion limit") => {
                    format!("nested more than {MAX_DEPTH} deep ({i})")
                }
                i => i.to_owned(),
            };
            (Some(e.marker().line()), info)
        })?;
        let line = Some(mark.line());
        let done = match event {
            Event::StreamEnd => return Ok(()),
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                open.push((anchor, 1));
                if open.len() > MAX_DEPTH {
                    return Err((line, format!("nested more than {MAX_DEPTH} deep")));
                }
                None
            }
            Event::SequenceEnd | Event::MappingEnd => open.pop(),
            Event::Scalar(value, _, anchor, _) => Some((anchor, value.len() as u64 + 1)),
            Event::Alias(id) => Some((0, anchors.get(&id).copied().unwrap_or(1))),
            _ => None,
        };
        if let Some((anchor, size)) = done {
            if anchor != 0 {
                anchors.insert(anchor, size);
            }
            match open.last_mut() {
                Some((_, parent)) => *parent = parent.saturating_add(size),
                None => total = total.saturating_add(size),
            }
            let inner: u64 = open.iter().map(|(_, s)| *s).fold(0, u64::saturating_add);
            if total.saturating_add(inner) > MAX_EXPANDED {
                return Err((
                    line,
                    format!("larger than {MAX_EXPANDED} bytes once its aliases are expanded"),
                ));
            }
        }
    }
}

// serde_yaml 0.9 reads enums only from YAML tags (`!result`), so the
// one-key mappings of the format are read as structs with one member set.

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectDoc {
    result: Option<Value>,
    reject: Option<Reject>,
    properties: Option<Vec<PropertyDoc>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PropertyDoc {
    reparse: Option<ReparseDoc>,
    crlf: Option<PathDoc>,
    equals: Option<EqualsDoc>,
    lines: Option<LinesDoc>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReparseDoc {
    op: String,
    with: Option<Value>,
    result: Option<Value>,
    at: Option<serde_json::Map<String, Value>>,
    not_at: Option<serde_json::Map<String, Value>>,
    msg_id: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PathDoc {
    path: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LinesDoc {
    path: String,
    max: usize,
    #[serde(rename = "in")]
    within: Option<Block>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EqualsDoc {
    path: String,
    value: Value,
}

impl ExpectDoc {
    fn resolve(self) -> Result<Expect, String> {
        match (self.result, self.reject, self.properties) {
            (Some(v), None, None) => Ok(Expect::Result(v)),
            (None, Some(r), None) => Ok(Expect::Reject(r)),
            (None, None, Some(props)) => Ok(Expect::Properties(
                props
                    .into_iter()
                    .map(PropertyDoc::resolve)
                    .collect::<Result<_, _>>()?,
            )),
            _ => Err("expect must hold exactly one of result, reject, properties".into()),
        }
    }
}

impl PropertyDoc {
    fn resolve(self) -> Result<Property, String> {
        match (self.reparse, self.crlf, self.equals, self.lines) {
            (Some(r), None, None, None) => Ok(Property::Reparse {
                op: r.op,
                with: r.with,
                result: r.result,
                at: r.at,
                not_at: r.not_at,
                msg_id: r.msg_id,
            }),
            (None, Some(c), None, None) => Ok(Property::Crlf { path: c.path }),
            (None, None, Some(e), None) => Ok(Property::Equals {
                path: e.path,
                value: e.value,
            }),
            (None, None, None, Some(l)) => Ok(Property::Lines {
                path: l.path,
                max: l.max,
                within: l.within,
            }),
            _ => Err("each property holds exactly one of reparse, crlf, equals, lines".into()),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDoc {
    document: String,
    section: Option<String>,
    op: Option<String>,
    level: Option<Level>,
    #[serde(default)]
    tags: Vec<String>,
    requirements: Option<Vec<String>>,
    feature: Option<String>,
    cases: Vec<CaseDoc>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseDoc {
    name: String,
    description: String,
    section: Option<String>,
    op: Option<String>,
    level: Option<Level>,
    #[serde(default)]
    tags: Vec<String>,
    requirements: Option<Vec<String>>,
    feature: Option<String>,
    ambiguity: Option<String>,
    input: Value,
    expect: ExpectDoc,
    reason: Option<String>,
    zone: Option<crate::dns::Zone>,
    queries: Option<crate::dns::QueryChecks>,
}

/// The line a case starts on: the line of its `name:`.
fn case_line(text: &str, name: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let l = l.trim_start().trim_start_matches("- ").trim_start();
            l.strip_prefix("name:")
                .map(|v| v.trim().trim_matches(|c| c == '"' || c == '\'') == name)
                .unwrap_or(false)
        })
        .map(|i| i + 1)
}

/// The member that names a corpus file whose bytes stand in its place.
pub const FILE_MARKER: &str = "$file";

/// Replaces every `{"$file": "path"}` in `v` with that file's bytes (a
/// string when UTF-8, else `$base64`), so vectors can share keys and
/// messages kept beside them.
fn resolve_files(v: &mut Value, files: &Files) -> Result<(), String> {
    match v {
        Value::Object(map) if map.len() == 1 && map.contains_key(FILE_MARKER) => {
            let path = map[FILE_MARKER].as_str().ok_or("$file must name a path")?;
            let (_, bytes) = files
                .iter()
                .find(|(p, _)| p == path)
                .ok_or_else(|| format!("$file {path:?} is not in the corpus"))?;
            *v = crate::ops::Bytes::to_value(bytes);
            Ok(())
        }
        Value::Object(map) => map.values_mut().try_for_each(|v| resolve_files(v, files)),
        Value::Array(items) => items.iter_mut().try_for_each(|v| resolve_files(v, files)),
        _ => Ok(()),
    }
}

/// Reads the cases of one vector file. What can be read is returned with
/// the errors of what cannot, so one run shows every error.
pub fn cases(path: &str, bytes: &[u8], files: &Files) -> (Vec<Case>, Vec<LoadError>) {
    let parts: Vec<&str> = path.split('/').collect();
    let one = |line, msg: String| (Vec::new(), vec![LoadError::new(path, line, msg)]);
    if parts.len() != 3 || !crate::ops::documents().any(|d| d == parts[0]) {
        return one(
            None,
            format!(
                "vector files live at <document>/<area>/<behaviour>.yaml, document one of {}",
                crate::ops::documents().collect::<Vec<_>>().join(", ")
            ),
        );
    }
    let doc: FileDoc = match from_yaml(path, bytes) {
        Ok(d) => d,
        Err(e) => return (Vec::new(), vec![e]),
    };
    let text = String::from_utf8_lossy(bytes);
    if doc.document != parts[0] {
        return one(
            Some(1),
            format!(
                "document is {:?} but the file is under {}/",
                doc.document, parts[0]
            ),
        );
    }
    if doc.cases.is_empty() {
        return one(None, "the file holds no case".into());
    }
    let stem = path.trim_end_matches(".yaml");
    let mut errors = Vec::new();
    let mut seen = BTreeSet::new();
    let mut cases = Vec::new();
    for c in doc.cases {
        let line = case_line(&text, &c.name);
        let mut bad = |msg: String| errors.push(LoadError::new(path, line, msg));
        let id = format!("{stem}#{}", c.name);
        if !seen.insert(c.name.clone()) {
            bad(format!("duplicate id {id}"));
        }
        let section = c.section.or_else(|| doc.section.clone());
        let op = c.op.or_else(|| doc.op.clone());
        let level = c.level.or(doc.level);
        let (Some(section), Some(op), Some(level)) = (section, op, level) else {
            bad(format!(
                "{id}: section, op and level are required (on the case or the file)"
            ));
            continue;
        };
        let mut input = c.input;
        resolve_files(&mut input, files).unwrap_or_else(|m| bad(format!("{id}: {m}")));
        let mut expect = match c.expect.resolve() {
            Ok(e) => e,
            Err(m) => {
                bad(format!("{id}: {m}"));
                continue;
            }
        };
        if let Expect::Properties(props) = &mut expect {
            for p in props.iter_mut() {
                if let Property::Reparse { with: Some(w), .. } = p {
                    resolve_files(w, files).unwrap_or_else(|m| bad(format!("{id}: {m}")));
                }
            }
        }
        let mut tags = doc.tags.clone();
        tags.extend(c.tags);
        cases.push(Case {
            id,
            file: path.to_owned(),
            line: line.unwrap_or(1),
            description: c.description,
            citation: Citation {
                document: doc.document.clone(),
                section,
            },
            level,
            op,
            input,
            expect,
            reason: c.reason.filter(|r| !r.trim().is_empty()),
            tags,
            // A case's list replaces the file's, as its op and level do.
            requirements: c
                .requirements
                .or_else(|| doc.requirements.clone())
                .unwrap_or_default(),
            feature: c.feature.or_else(|| doc.feature.clone()),
            ambiguity: c.ambiguity,
            zone: c.zone,
            queries: c.queries,
        });
    }
    (cases, errors)
}

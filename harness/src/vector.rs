//! Vectors: the YAML corpus, loaded and checked before anything runs.
//!
//! All YAML in mimispec is read by [`from_yaml`]; serde_yaml is archived,
//! so a change of crate touches this file only.

use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::ops;

/// The four documents, by the short names of `shared/seeds/README.md`.
pub const DOCUMENTS: &[&str] = &[
    "immi-content",
    "mimi-discovery",
    "application-mime",
    "pep-message-2",
];

/// The register's file name, at the top of the corpus.
pub const REGISTER: &str = "AMBIGUITIES.yaml";

/// A file larger than this is refused: vectors are small by design.
const MAX_FILE: usize = 1 << 20;

/// What is wrong with the corpus, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub file: String,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file, line, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl LoadError {
    fn new(file: &str, line: Option<usize>, message: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            line,
            message: message.into(),
        }
    }
}

/// Reads one YAML document into `T`: the only YAML reader in mimispec.
/// Unknown fields are refused by `T`'s own `deny_unknown_fields`.
pub fn from_yaml<T: DeserializeOwned>(file: &str, bytes: &[u8]) -> Result<T, LoadError> {
    if bytes.len() > MAX_FILE {
        return Err(LoadError::new(
            file,
            None,
            format!("larger than {MAX_FILE} bytes"),
        ));
    }
    serde_yaml::from_slice(bytes).map_err(|e| {
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Level {
    #[serde(rename = "MUST")]
    Must,
    #[serde(rename = "SHOULD")]
    Should,
    #[serde(rename = "MAY")]
    May,
    #[serde(rename = "informational")]
    Informational,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Must => "MUST",
            Level::Should => "SHOULD",
            Level::May => "MAY",
            Level::Informational => "informational",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        [Level::Must, Level::Should, Level::May, Level::Informational]
            .into_iter()
            .find(|l| l.as_str().eq_ignore_ascii_case(s))
    }
}

/// What a case expects of the implementation.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Expect {
    /// This exact result, compared as canonical JSON.
    Result(Value),
    /// Any error; the code is compared and reported.
    Reject(Reject),
    /// Named checks on a result that is not unique.
    Properties(Vec<Property>),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reject {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// One check of an `expect: properties` list; see SCHEMA.md.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Property {
    Reparse {
        op: String,
        /// Members added to the result to make the op's input (a key, say).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        with: Option<Value>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        result: Option<Value>,
        /// JSON pointer into the reparsed result to the value it must hold,
        /// for writers whose output may differ elsewhere.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<serde_json::Map<String, Value>>,
    },
    Crlf {
        path: String,
    },
    Equals {
        path: String,
        value: Value,
    },
    /// Every line of the string at `path` (or of its header block or body
    /// only) has at most `max` octets.
    Lines {
        path: String,
        max: usize,
        #[serde(rename = "in", default, skip_serializing_if = "Option::is_none")]
        within: Option<Block>,
    },
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

/// The part of an entity a `lines` property looks at: before or after the
/// first empty line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Block {
    Header,
    Body,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EqualsDoc {
    path: String,
    value: Value,
}

impl ExpectDoc {
    fn resolve(self) -> Result<Expect, String> {
        let expect = match (self.result, self.reject, self.properties) {
            (Some(v), None, None) => Expect::Result(v),
            (None, Some(r), None) => Expect::Reject(r),
            (None, None, Some(props)) => Expect::Properties(
                props
                    .into_iter()
                    .map(PropertyDoc::resolve)
                    .collect::<Result<_, _>>()?,
            ),
            _ => return Err("expect must hold exactly one of result, reject, properties".into()),
        };
        Ok(expect)
    }
}

impl PropertyDoc {
    fn resolve(self) -> Result<Property, String> {
        match (self.reparse, self.crlf, self.equals, self.lines) {
            (Some(r), None, None, None) => {
                if r.result.is_some() && r.at.is_some() {
                    return Err("reparse holds result or at, not both".into());
                }
                if let Some(p) =
                    r.at.iter()
                        .flat_map(|m| m.keys())
                        .find(|p| !p.starts_with('/'))
                {
                    return Err(format!(
                        "reparse.at: {p:?} is not a JSON pointer (starts with /)"
                    ));
                }
                Ok(Property::Reparse {
                    op: r.op,
                    with: r.with,
                    result: r.result,
                    at: r.at,
                })
            }
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
    feature: Option<String>,
    ambiguity: Option<String>,
    input: Value,
    expect: ExpectDoc,
    reason: Option<String>,
    zone: Option<crate::dns::Zone>,
    queries: Option<crate::dns::QueryChecks>,
}

/// Where a case's requirement comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Citation {
    pub document: String,
    pub section: String,
}

impl fmt::Display for Citation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} §{}", self.document, self.section)
    }
}

/// One case, with the file's defaults applied.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Case {
    pub id: String,
    pub file: String,
    pub line: usize,
    pub description: String,
    pub citation: Citation,
    pub level: Level,
    pub op: String,
    pub input: Value,
    pub expect: Expect,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub tags: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feature: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ambiguity: Option<String>,
    /// The mock DNS zone served while this case runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zone: Option<crate::dns::Zone>,
    /// What the case asserts about the queries the zone received.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub queries: Option<crate::dns::QueryChecks>,
}

impl Case {
    pub fn document(&self) -> &str {
        &self.citation.document
    }
}

/// The loaded corpus: every case, every file (keys and other data that
/// vectors refer to), and the digest that pins them.
#[derive(Debug, Clone)]
pub struct Corpus {
    pub cases: Vec<Case>,
    pub files: Vec<(String, Vec<u8>)>,
    pub digest: String,
}

impl Corpus {
    /// The corpus compiled into this binary.
    pub fn embedded() -> Result<Corpus, Vec<LoadError>> {
        let files = crate::embedded::FILES
            .iter()
            .map(|(p, b)| (p.to_string(), b.to_vec()))
            .collect();
        Corpus::from_files(files)
    }

    /// A corpus read from a directory (`--vectors DIR`).
    pub fn from_dir(dir: &Path) -> Result<Corpus, Vec<LoadError>> {
        let mut files = Vec::new();
        let mut errors = Vec::new();
        walk(dir, dir, &mut files, &mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        Corpus::from_files(files)
    }

    /// Checks and resolves every vector file among `files` (relative paths
    /// with `/`). All errors are collected, so one run shows them all.
    pub fn from_files(mut files: Vec<(String, Vec<u8>)>) -> Result<Corpus, Vec<LoadError>> {
        files.sort();
        let mut cases = Vec::new();
        let mut errors = Vec::new();
        for (path, bytes) in &files {
            if !path.ends_with(".yaml") || path == REGISTER {
                continue;
            }
            match load_file(path, bytes, &files) {
                Ok(mut c) => cases.append(&mut c),
                Err(mut e) => errors.append(&mut e),
            }
        }
        if cases.is_empty() && errors.is_empty() {
            errors.push(LoadError::new("vectors", None, "the corpus holds no case"));
        }
        let corpus = Corpus {
            cases,
            digest: digest(&files),
            files,
        };
        if errors.is_empty() {
            errors.extend(crate::ambiguity::check(&corpus).err().unwrap_or_default());
        }
        if errors.is_empty() {
            Ok(corpus)
        } else {
            Err(errors)
        }
    }

    pub fn file(&self, path: &str) -> Option<&[u8]> {
        self.files
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, b)| b.as_slice())
    }

    pub fn short_digest(&self) -> &str {
        &self.digest[..self.digest.len().min(19)]
    }
}

fn walk(root: &Path, dir: &Path, files: &mut Vec<(String, Vec<u8>)>, errors: &mut Vec<LoadError>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            return errors.push(LoadError::new(
                &dir.display().to_string(),
                None,
                e.to_string(),
            ));
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(root, &path, files, errors);
        } else if path.extension().is_some_and(|e| e != "md") {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            match std::fs::read(&path) {
                Ok(bytes) => files.push((rel.join("/"), bytes)),
                Err(e) => errors.push(LoadError::new(
                    &path.display().to_string(),
                    None,
                    e.to_string(),
                )),
            }
        }
    }
}

/// `sha256:` over every file's path and bytes, in path order.
pub fn digest(files: &[(String, Vec<u8>)]) -> String {
    let mut h = Sha256::new();
    for (path, bytes) in files {
        h.update(path.as_bytes());
        h.update([0]);
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    }
    let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
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

fn valid_name(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
        && b.iter()
            .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
}

/// The member that names a corpus file whose bytes stand in its place.
pub const FILE_MARKER: &str = "$file";

/// Replaces every `{"$file": "path"}` in `v` with that file's bytes (a
/// string when UTF-8, else `$base64`), so vectors can share keys and
/// messages kept beside them.
fn resolve_files(v: &mut Value, files: &[(String, Vec<u8>)]) -> Result<(), String> {
    match v {
        Value::Object(map) if map.len() == 1 && map.contains_key(FILE_MARKER) => {
            let path = map[FILE_MARKER].as_str().ok_or("$file must name a path")?;
            let (_, bytes) = files
                .iter()
                .find(|(p, _)| p == path)
                .ok_or_else(|| format!("$file {path:?} is not in the corpus"))?;
            *v = ops::bytes_value(bytes);
            Ok(())
        }
        Value::Object(map) => map.values_mut().try_for_each(|v| resolve_files(v, files)),
        Value::Array(items) => items.iter_mut().try_for_each(|v| resolve_files(v, files)),
        _ => Ok(()),
    }
}

fn load_file(
    path: &str,
    bytes: &[u8],
    files: &[(String, Vec<u8>)],
) -> Result<Vec<Case>, Vec<LoadError>> {
    let parts: Vec<&str> = path.split('/').collect();
    let err = |line, msg: String| vec![LoadError::new(path, line, msg)];
    if parts.len() != 3 || !DOCUMENTS.contains(&parts[0]) {
        return Err(err(
            None,
            format!(
                "vector files live at <document>/<area>/<behaviour>.yaml, document one of {}",
                DOCUMENTS.join(", ")
            ),
        ));
    }
    let doc: FileDoc = from_yaml(path, bytes).map_err(|e| vec![e])?;
    let text = String::from_utf8_lossy(bytes);
    if doc.document != parts[0] {
        return Err(err(
            Some(1),
            format!(
                "document is {:?} but the file is under {}/",
                doc.document, parts[0]
            ),
        ));
    }
    if doc.cases.is_empty() {
        return Err(err(None, "the file holds no case".into()));
    }
    let stem = path.trim_end_matches(".yaml");
    let mut errors = Vec::new();
    let mut seen = BTreeSet::new();
    let mut cases = Vec::new();
    for c in doc.cases {
        let line = case_line(&text, &c.name);
        let mut bad = |msg: String| errors.push(LoadError::new(path, line, msg));
        let id = format!("{stem}#{}", c.name);
        if !valid_name(&c.name) {
            bad(format!(
                "case name {:?} must match [a-z0-9][a-z0-9-]*",
                c.name
            ));
        }
        if !seen.insert(c.name.clone()) {
            bad(format!("duplicate id {id}"));
        }
        if c.description.trim().is_empty() || c.description.contains('\n') {
            bad(format!("{id}: description must be one non-empty line"));
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
        check_op(&op, &doc.document).unwrap_or_else(|m| bad(format!("{id}: {m}")));
        let mut input = c.input;
        resolve_files(&mut input, files).unwrap_or_else(|m| bad(format!("{id}: {m}")));
        if !input.is_object() {
            bad(format!("{id}: input must be a mapping"));
        }
        let expect = match c.expect.resolve() {
            Ok(e) => e,
            Err(m) => {
                bad(format!("{id}: {m}"));
                continue;
            }
        };
        let reason = c.reason.filter(|r| !r.trim().is_empty());
        if matches!(expect, Expect::Reject(_)) && reason.is_none() {
            bad(format!(
                "{id}: a reject case needs a reason naming the rule the input breaks"
            ));
        }
        let mut expect = expect;
        if let Expect::Properties(props) = &mut expect {
            for p in props.iter_mut() {
                if let Property::Reparse { with: Some(w), .. } = p {
                    resolve_files(w, files).unwrap_or_else(|m| bad(format!("{id}: {m}")));
                }
            }
        }
        if let Expect::Properties(props) = &expect {
            if props.is_empty() {
                bad(format!("{id}: properties must name at least one check"));
            }
            for p in props {
                if let Property::Reparse { op, .. } = p
                    && ops::find(op).is_none()
                {
                    bad(format!("{id}: reparse names unknown op {op:?}"));
                }
            }
        }
        let feature = c.feature.or_else(|| doc.feature.clone());
        if let Some(f) = feature.as_deref().filter(|f| !ops::FEATURES.contains(f)) {
            bad(format!(
                "{id}: unknown feature {f:?} (features are listed in harness/src/ops/mod.rs and PROTOCOL.md)"
            ));
        }
        if let Some(zone) = &c.zone {
            crate::dns::check_zone(zone).unwrap_or_else(|m| bad(format!("{id}: zone: {m}")));
        }
        if c.queries.is_some() && c.zone.is_none() {
            bad(format!(
                "{id}: queries are checked against a zone, and the case has none"
            ));
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
            reason,
            tags,
            feature,
            ambiguity: c.ambiguity,
            zone: c.zone,
            queries: c.queries,
        });
    }
    if errors.is_empty() {
        Ok(cases)
    } else {
        Err(errors)
    }
}

fn check_op(op: &str, document: &str) -> Result<(), String> {
    if ops::find(op).is_none() {
        return Err(format!(
            "unknown op {op:?} (see harness/PROTOCOL.md for the ops)"
        ));
    }
    let family = op.split('.').next().unwrap_or_default();
    match ops::FAMILIES.iter().find(|(f, _)| *f == family) {
        Some((_, d)) if *d == document => Ok(()),
        _ => Err(format!("op {op:?} does not belong to document {document}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Vec<Case>, Vec<LoadError>> {
        load_file("immi-content/msg-id/t.yaml", text.as_bytes(), &[])
    }

    const OK: &str = "document: immi-content\nsection: \"5.1\"\nop: immi.msg_id.parse\nlevel: MUST\ncases:\n  - name: a\n    description: d\n    input: {text: \"<a@b>\"}\n    expect: {result: {id_left: a, id_right: b}}\n";

    #[test]
    fn resolves_defaults_and_ids() {
        let cases = load(OK).unwrap();
        assert_eq!(cases[0].id, "immi-content/msg-id/t#a");
        assert_eq!(cases[0].line, 6);
        assert_eq!(cases[0].citation.to_string(), "immi-content §5.1");
    }

    #[test]
    fn refuses_unknown_fields_with_line() {
        let e = load(&OK.replace("    input:", "    colour: red\n    input:")).unwrap_err();
        assert_eq!(e[0].line, Some(8), "the line of the unknown key: {e:?}");
        assert!(e[0].message.contains("unknown field `colour`"), "{e:?}");
    }

    #[test]
    fn refuses_reject_without_reason_and_duplicates() {
        let text = OK.replace("{result: {id_left: a, id_right: b}}", "{reject: {}}");
        let e = load(&format!(
            "{text}{}",
            &text[text.find("  - name").unwrap()..]
        ))
        .unwrap_err();
        let all: Vec<String> = e.iter().map(|e| e.to_string()).collect();
        assert!(all.iter().any(|m| m.contains("needs a reason")), "{all:?}");
        assert!(all.iter().any(|m| m.contains("duplicate id")), "{all:?}");
    }

    #[test]
    fn refuses_unknown_op_and_wrong_family() {
        let e = load(&OK.replace("immi.msg_id.parse", "immi.nope.parse")).unwrap_err();
        assert!(e[0].message.contains("unknown op"), "{e:?}");
    }

    #[test]
    fn file_markers_become_the_files_bytes() {
        let text = OK.replace("{text: \"<a@b>\"}", "{text: {$file: keys/k.asc}}");
        let files = vec![("keys/k.asc".to_string(), b"<a@b>".to_vec())];
        let cases = load_file("immi-content/msg-id/t.yaml", text.as_bytes(), &files).unwrap();
        assert_eq!(cases[0].input, serde_json::json!({"text": "<a@b>"}));
        let e = load_file("immi-content/msg-id/t.yaml", text.as_bytes(), &[]).unwrap_err();
        assert!(
            e[0].message
                .contains("$file \"keys/k.asc\" is not in the corpus"),
            "{e:?}"
        );
    }

    #[test]
    fn reparse_at_is_checked_pointer_by_pointer() {
        let with_at = |at: &str| {
            OK.replace(
                "{result: {id_left: a, id_right: b}}",
                &format!("{{properties: [{{reparse: {{op: immi.msg_id.parse, at: {at}}}}}]}}"),
            )
        };
        let cases = load(&with_at("{/id_right: b}")).unwrap();
        let Expect::Properties(props) = &cases[0].expect else {
            panic!("{:?}", cases[0].expect)
        };
        let written = serde_json::json!({"text": "<a@b>"});
        assert_eq!(crate::property::check(&props[0], &written), Ok(()));
        let other = serde_json::json!({"text": "<a@c>"});
        assert_eq!(
            crate::property::check(&props[0], &other),
            Err(
                "reparse with immi.msg_id.parse: /id_right is \"c\", the vector wants \"b\"".into()
            )
        );
        let missing = load(&with_at("{/nothing: 1}")).unwrap();
        let Expect::Properties(props) = &missing[0].expect else {
            panic!()
        };
        assert!(
            crate::property::check(&props[0], &written)
                .unwrap_err()
                .contains("nothing at /nothing")
        );
        let e = load(&with_at("{id_right: b}")).unwrap_err();
        assert!(e[0].message.contains("not a JSON pointer"), "{e:?}");
    }

    #[test]
    fn lines_checks_the_block_it_names() {
        let p = Property::Lines {
            path: "/entity".into(),
            max: 10,
            within: Some(Block::Header),
        };
        let ok = serde_json::json!({"entity": "A: 12345\r\nB: 1\r\n\r\nbody longer than ten\r\n"});
        assert_eq!(crate::property::check(&p, &ok), Ok(()));
        let long = serde_json::json!({"entity": "A: 12345\r\nB: 12345678\r\n\r\nx\r\n"});
        assert_eq!(
            crate::property::check(&p, &long),
            Err("lines: line 2 of the header block at /entity has 11 octets, more than 10".into())
        );
    }

    #[test]
    fn an_empty_corpus_is_an_error() {
        let e = Corpus::from_files(Vec::new()).unwrap_err();
        assert_eq!(e[0].to_string(), "vectors: the corpus holds no case");
    }

    #[test]
    fn alias_bomb_is_refused_quickly() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..12 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("b{}", i - 1)
            };
            text.push_str(&format!("b{i}: &b{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        // Expanded, this is 10^13 nodes: an unguarded loader never returns.
        assert!(from_yaml::<Value>("bomb.yaml", text.as_bytes()).is_err());
    }
}

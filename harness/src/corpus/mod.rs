//! The corpus: vector files read, checked and indexed before anything runs.
//!
//! A pipeline with one job per file: [`source`] gives the files (built in
//! or a directory), [`read`] turns YAML into the [`model`] (the only YAML
//! reader), [`check`] checks each case against its op's types, and
//! [`register`] and [`requirements`] check each document's ambiguity
//! register and requirement catalog against the cases.

pub mod check;
pub mod model;
pub mod read;
pub mod register;
pub mod requirements;
pub mod source;

use std::fmt;
use std::path::Path;

pub use model::{Block, Case, Citation, Expect, Level, Property, Reject};
pub use read::{FILE_MARKER, from_yaml};

/// Each document's ambiguity register: `<document>/ambiguities.yaml`.
pub const REGISTER: &str = "ambiguities.yaml";

/// Each document's requirement catalog: `<document>/requirements.yaml`.
pub const CATALOG: &str = "requirements.yaml";

/// Files by relative path with `/`, and their bytes.
pub type Files = Vec<(String, Vec<u8>)>;

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
    pub fn new(file: &str, line: Option<usize>, message: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            line,
            message: message.into(),
        }
    }
}

/// The loaded corpus: every case, every file (keys and other data that
/// vectors refer to), and the digest that pins them.
#[derive(Debug, Clone)]
pub struct Corpus {
    pub cases: Vec<Case>,
    pub files: Files,
    pub digest: String,
}

impl Corpus {
    /// The corpus compiled into this binary.
    pub fn embedded() -> Result<Corpus, Vec<LoadError>> {
        Corpus::from_files(source::embedded())
    }

    /// A corpus read from a directory (`--vectors DIR`).
    pub fn from_dir(dir: &Path) -> Result<Corpus, Vec<LoadError>> {
        Corpus::from_files(source::directory(dir)?)
    }

    /// Reads and checks every vector file among `files`. All errors are
    /// collected, so one run shows them all.
    pub fn from_files(mut files: Files) -> Result<Corpus, Vec<LoadError>> {
        files.sort();
        let mut cases = Vec::new();
        let mut errors = Vec::new();
        for (path, bytes) in &files {
            let is_document_file = path
                .split_once('/')
                .is_some_and(|(_, rest)| rest == REGISTER || rest == CATALOG);
            if !path.ends_with(".yaml") || is_document_file {
                continue;
            }
            let (mut read, mut unread) = read::cases(path, bytes, &files);
            errors.append(&mut unread);
            for c in &read {
                errors.extend(check::case(c));
            }
            cases.append(&mut read);
        }
        if cases.is_empty() && errors.is_empty() {
            errors.push(LoadError::new("vectors", None, "the corpus holds no case"));
        }
        let mut corpus = Corpus {
            cases,
            digest: source::digest(&files),
            files,
        };
        if errors.is_empty() {
            errors.extend(register::check(&corpus).err().unwrap_or_default());
            errors.extend(requirements::check(&corpus).err().unwrap_or_default());
            errors.extend(check::unkept(&corpus.cases));
        }
        if errors.is_empty()
            && let Err(e) = requirements::tag_layers(&mut corpus)
        {
            errors.push(e);
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn load_file(path: &str, bytes: &[u8], files: &Files) -> Result<Vec<Case>, Vec<LoadError>> {
        let (cases, mut errors) = read::cases(path, bytes, files);
        for c in &cases {
            errors.extend(check::case(c));
        }
        if errors.is_empty() {
            Ok(cases)
        } else {
            Err(errors)
        }
    }

    fn load(text: &str) -> Result<Vec<Case>, Vec<LoadError>> {
        load_file("immi-content/msg-id/t.yaml", text.as_bytes(), &Vec::new())
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
        let e = load_file("immi-content/msg-id/t.yaml", text.as_bytes(), &Vec::new()).unwrap_err();
        assert!(
            e[0].message
                .contains("$file \"keys/k.asc\" is not in the corpus"),
            "{e:?}"
        );
    }

    #[test]
    fn reparse_at_holds_json_pointers() {
        let with_at = OK.replace(
            "{result: {id_left: a, id_right: b}}",
            "{properties: [{reparse: {op: immi.msg_id.parse, at: {id_right: b}}}]}",
        );
        let e = load(&with_at).unwrap_err();
        assert!(e[0].message.contains("not a JSON pointer"), "{e:?}");
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

#[cfg(test)]
mod typed_tests {
    use super::*;

    fn errors(path: &str, text: &str) -> Vec<String> {
        let (cases, mut errors) = read::cases(path, text.as_bytes(), &Vec::new());
        for c in &cases {
            errors.extend(check::case(c));
        }
        errors.iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn a_misspelt_input_member_is_refused_with_file_line_and_member() {
        let text = "document: mimi-discovery\nsection: \"5.2\"\nop: discovery.enum.domain\nlevel: MUST\ncases:\n  - name: apex\n    description: d\n    input: {number: \"+1\", apx: example.net}\n    expect: {result: {domain: 1.example.net}}\n";
        let e = errors("mimi-discovery/enum/t.yaml", text);
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].starts_with("mimi-discovery/enum/t.yaml:6: mimi-discovery/enum/t#apex: input.apx: unknown field `apx`"),
            "{e:?}"
        );
    }

    #[test]
    fn an_expected_result_of_the_wrong_shape_is_refused() {
        let text = "document: immi-content\nsection: \"5.1\"\nop: immi.msg_id.parse\nlevel: MUST\ncases:\n  - name: a\n    description: d\n    input: {text: \"<a@b>\"}\n    expect: {result: {id_left: a, id_rigth: b}}\n";
        let e = errors("immi-content/msg-id/t.yaml", text);
        assert!(
            e[0].contains("#a: expected result.id_rigth: unknown field `id_rigth`"),
            "{e:?}"
        );
        let nested = text.replace(
            "{result: {id_left: a, id_rigth: b}}",
            "{properties: [{reparse: {op: immi.msg_id.parse, result: {id_left: 1, id_right: b}}}]}",
        );
        let e = errors("immi-content/msg-id/t.yaml", &nested);
        assert!(
            e[0].contains("reparse with immi.msg_id.parse: expected result.id_left: invalid type"),
            "{e:?}"
        );
    }

    #[test]
    fn injected_members_are_the_harness_s() {
        let text = "document: mimi-discovery\nsection: \"5\"\nop: discovery.identifier.resolve\nlevel: MUST\ncases:\n  - name: a\n    description: d\n    input: {identifier: a.example, kind: mui, dns: {}}\n    zone: {records: []}\n    expect: {reject: {}}\n    reason: r\n";
        let e = errors("mimi-discovery/resolve/t.yaml", text);
        assert!(e[0].contains("input.dns is added by the harness"), "{e:?}");
        let e = errors(
            "mimi-discovery/resolve/t.yaml",
            &text
                .replace(", dns: {}", "")
                .replace("    zone: {records: []}\n", ""),
        );
        assert!(e[0].contains("needs a zone"), "{e:?}");
    }
}

#[cfg(test)]
mod catalog_tests {
    use super::*;

    const CATALOG_OK: &str = "- id: T-MSGID-AT\n  section: \"5.1\"\n  quote: 'msg-id = \"<\" id-left \"@\" id-right \">\"'\n  keyword: none\n  level: MUST\n  why: an ABNF rule; text that does not match is not a msg-id\n";

    fn vector(level: &str, reqs: &str, expect: &str) -> String {
        format!(
            "document: immi-content\nsection: \"5.1\"\nop: immi.msg_id.parse\nlevel: {level}\nrequirements: {reqs}\ncases:\n  - name: a\n    description: d\n    input: {{text: \"<a@b>\"}}\n    expect: {{result: {{id_left: a, id_right: b}}}}\n  - name: r\n    description: d\n    input: {{text: \"<ab>\"}}\n    expect: {expect}\n    reason: no @\n"
        )
    }

    fn load(catalog: &str, vector: &str) -> Vec<String> {
        let files = vec![
            (
                "immi-content/requirements.yaml".to_string(),
                catalog.as_bytes().to_vec(),
            ),
            (
                "immi-content/msg-id/t.yaml".to_string(),
                vector.as_bytes().to_vec(),
            ),
        ];
        match Corpus::from_files(files) {
            Ok(_) => Vec::new(),
            Err(e) => e.iter().map(|e| e.to_string()).collect(),
        }
    }

    #[test]
    fn a_catalogued_corpus_loads() {
        assert_eq!(
            load(CATALOG_OK, &vector("MUST", "[T-MSGID-AT]", "{reject: {}}")),
            Vec::<String>::new()
        );
    }

    #[test]
    fn every_rule_of_the_catalog_is_checked() {
        let cases = [
            (
                CATALOG_OK,
                vector("MUST", "[T-NOPE]", "{reject: {}}"),
                "requirement T-NOPE is not in",
            ),
            (
                CATALOG_OK,
                vector("MUST", "[T-MSGID-AT, T-MSGID-AT]", "{reject: {}}"),
                "breaks exactly one requirement",
            ),
            (
                CATALOG_OK,
                vector(
                    "MUST",
                    "[T-MSGID-AT]",
                    "{result: {id_left: a, id_right: b}}",
                )
                .replace("    reason: no @\n", ""),
                "no graded case rejects",
            ),
            (
                &CATALOG_OK.replace("level: MUST", "level: SHOULD"),
                vector("MUST", "[T-MSGID-AT]", "{reject: {}}"),
                "level MUST is above its requirement",
            ),
            (
                CATALOG_OK,
                vector("SHOULD", "[T-MSGID-AT]", "{reject: {}}"),
                "a MUST requirement tested only below MUST",
            ),
            (
                &CATALOG_OK.replace("keyword: none", "keyword: SHOULD"),
                vector("SHOULD", "[T-MSGID-AT]", "{reject: {}}"),
                "level MUST is above its keyword",
            ),
            (
                &CATALOG_OK.replace(
                    "  why: an ABNF rule; text that does not match is not a msg-id\n",
                    "",
                ),
                vector("MUST", "[T-MSGID-AT]", "{reject: {}}"),
                "`why` is required",
            ),
            (
                &CATALOG_OK.replace("level: MUST", "level: MUST\n  kind: suite"),
                vector("SHOULD", "[T-MSGID-AT]", "{reject: {}}"),
                "a suite requirement is at most SHOULD",
            ),
            (
                CATALOG_OK,
                vector("MUST", "[T-MSGID-AT]", "{reject: {}}")
                    .replace("requirements: [T-MSGID-AT]\n", ""),
                "names no requirement",
            ),
        ];
        for (catalog, vector, want) in cases {
            let e = load(catalog, &vector);
            assert!(e.iter().any(|m| m.contains(want)), "{want:?} not in {e:?}");
        }
    }
}

//! `mimispec matrix`: the published matrix (issue 11, item 5). Several
//! `--json` reports of one corpus side by side, one column per report,
//! against document, area (a vector directory, `<document>/<area>`) and
//! requirement; every cell links into that implementation's own `--html`
//! page. Everything shown is read from the reports, never from the clock
//! or the machine, so the same reports give the same bytes.

mod html;
mod markdown;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::html::{is_failure, links};
use super::json::{CaseRecord, Report, quoted};
use super::requirements::Status;
use crate::corpus::Level;
use crate::verdict::Verdict;

pub use html::to_html;
pub use markdown::to_markdown;

/// An implementation's name or version, a command line: text from a
/// report, shown on one line and bounded.
const MAX_NAME: usize = 80;
const MAX_COMMAND: usize = 240;

/// The levels a document's table has a column for.
const LEVELS: [Level; 3] = [Level::Must, Level::Should, Level::May];

/// The reports, checked to be of one corpus, and what each cell counts.
pub struct Matrix {
    reports: Vec<Report>,
    date: Option<String>,
    columns: Vec<Column>,
    /// Every document any report has, with its areas and requirements.
    documents: BTreeMap<String, Rows>,
}

#[derive(Default)]
struct Rows {
    areas: BTreeSet<String>,
    /// In catalog order (the reports share a corpus, so they agree on it).
    requirements: Vec<(String, Level)>,
}

/// One report's counts.
#[derive(Default)]
struct Column {
    documents: BTreeMap<String, Tally>,
    areas: BTreeMap<String, Area>,
    requirements: HashMap<String, Requirement>,
    /// The case totals of the run.
    all: Tally,
}

#[derive(Default)]
struct Area {
    tally: Tally,
    /// The first vector file (the id before `#`) with a case sent: the
    /// page has an anchor only for what was sent.
    file: Option<String>,
}

struct Requirement {
    status: Status,
    /// Its graded cases (informational ones are never graded).
    graded: Tally,
    /// Every case naming it, informational ones too.
    named: Tally,
    failing: Vec<String>,
}

/// Verdict counts of some cases of one report; cases not sent (op or
/// feature not declared) are counted apart, never as a verdict.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    verdicts: BTreeMap<Verdict, usize>,
    not_declared: usize,
}

impl Tally {
    fn add(&mut self, case: &CaseRecord) {
        if not_declared(case) {
            self.not_declared += 1;
        } else {
            *self.verdicts.entry(case.verdict).or_default() += 1;
        }
    }

    fn merge(&mut self, other: &Tally) {
        for (v, n) in &other.verdicts {
            *self.verdicts.entry(*v).or_default() += n;
        }
        self.not_declared += other.not_declared;
    }

    fn n(&self, v: Verdict) -> usize {
        self.verdicts.get(&v).copied().unwrap_or(0)
    }

    fn sent(&self) -> usize {
        self.verdicts.values().sum()
    }

    fn passed(&self) -> usize {
        self.n(Verdict::Pass)
    }

    /// Failures as the page's Failures section counts them: expected and
    /// non-strict ones too (the colour tells them apart).
    fn failed(&self) -> usize {
        self.verdicts
            .iter()
            .filter(|(v, _)| is_failure(**v))
            .map(|(_, n)| n)
            .sum()
    }

    fn worst(&self) -> Option<Verdict> {
        self.verdicts
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(v, _)| *v)
            .max_by_key(|v| severity(*v))
    }

    fn shade(&self) -> Shade {
        match self.worst() {
            Some(v) => Shade::Verdict(v),
            None if self.not_declared > 0 => Shade::NotDeclared,
            None => Shade::Empty,
        }
    }

    /// `12 pass · 1 fail`, or `not declared` when nothing was sent.
    fn headline(&self) -> String {
        if self.sent() == 0 {
            return if self.not_declared > 0 {
                "not declared".into()
            } else {
                "no cases".into()
            };
        }
        format!("{} pass · {} fail", self.passed(), self.failed())
    }

    /// What the headline leaves out, `2 informational · 3 not declared`.
    fn rest(&self) -> String {
        let mut parts = Vec::new();
        for v in [Verdict::Informational, Verdict::Unsupported] {
            if self.n(v) > 0 {
                parts.push(format!("{} {}", self.n(v), v.as_str()));
            }
        }
        if self.not_declared > 0 && self.sent() > 0 {
            parts.push(format!("{} not declared", self.not_declared));
        }
        parts.join(" · ")
    }

    /// Every count, for a tooltip.
    fn detail(&self) -> String {
        let mut parts: Vec<String> = self
            .verdicts
            .iter()
            .map(|(v, n)| format!("{n} {}", v.as_str()))
            .collect();
        if self.not_declared > 0 {
            parts.push(format!("{} not sent (not declared)", self.not_declared));
        }
        parts.join(", ")
    }
}

/// The case was not sent: its op or feature is not declared.
fn not_declared(case: &CaseRecord) -> bool {
    case.findings
        .iter()
        .any(|f| f.kind == "op-not-declared" || f.kind == "feature-not-declared")
}

/// How bad a verdict is: a cell takes the colour of its worst. Unsupported
/// is below pass, so one unanswered case does not grey out the passes.
fn severity(v: Verdict) -> u8 {
    match v {
        Verdict::Unsupported => 0,
        Verdict::Informational => 1,
        Verdict::Pass => 2,
        Verdict::NonStrict => 3,
        Verdict::ExpectedFail => 4,
        Verdict::UnexpectedPass => 5,
        Verdict::Fail => 6,
        Verdict::ProtocolError => 7,
        Verdict::Timeout => 8,
        Verdict::Crash => 9,
    }
}

/// A cell's colour.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Shade {
    Verdict(Verdict),
    /// Nothing sent: the op (or feature) is not declared.
    NotDeclared,
    /// The report has no case here (a filtered run).
    NotRun,
    Empty,
}

impl Shade {
    fn class(self) -> String {
        match self {
            Shade::Verdict(v) => format!("c x-{}", v.as_str()),
            Shade::NotDeclared => "c nd".into(),
            Shade::NotRun => "c nr".into(),
            Shade::Empty => "c".into(),
        }
    }
}

/// A document's requirements at one level, for one report.
#[derive(Debug, Default)]
struct LevelCount {
    total: usize,
    met: usize,
    failed: usize,
    untested: usize,
    not_declared: usize,
    informational: usize,
    graded: Tally,
}

impl LevelCount {
    fn headline(&self) -> String {
        if self.total == 0 {
            return "none".into();
        }
        if self.not_declared == self.total {
            return "not declared".into();
        }
        format!(
            "{} met · {} failed · {} untested",
            self.met, self.failed, self.untested
        )
    }

    fn rest(&self) -> String {
        let mut parts = Vec::new();
        if self.not_declared > 0 && self.not_declared < self.total {
            parts.push(format!("{} not declared", self.not_declared));
        }
        if self.informational > 0 {
            parts.push(format!("{} informational only", self.informational));
        }
        parts.join(" · ")
    }

    fn shade(&self) -> Shade {
        if self.total == 0 {
            return Shade::Empty;
        }
        if self.not_declared == self.total {
            return Shade::NotDeclared;
        }
        self.graded.shade()
    }
}

impl Matrix {
    /// `reports`: each with the name its messages give it (its path).
    /// Refuses reports of different corpora, with one line.
    pub fn new(reports: Vec<(String, Report)>, date: Option<String>) -> Result<Matrix, String> {
        let Some((first_name, first)) = reports.first() else {
            return Err("no report given".into());
        };
        for (name, r) in &reports[1..] {
            if r.suite.corpus_digest != first.suite.corpus_digest {
                return Err(format!(
                    "{name}: corpus {}, and {first_name} has {}: a matrix sets side by side runs of one corpus",
                    quoted(&r.suite.corpus_digest, 80),
                    quoted(&first.suite.corpus_digest, 80)
                ));
            }
        }
        let reports: Vec<Report> = reports.into_iter().map(|(_, r)| r).collect();
        let mut documents: BTreeMap<String, Rows> = BTreeMap::new();
        let mut seen = BTreeSet::new();
        for r in &reports {
            for c in &r.cases {
                documents
                    .entry(c.citation.document.clone())
                    .or_default()
                    .areas
                    .insert(area_of(&c.id).to_owned());
            }
            for q in &r.requirements {
                if seen.insert(q.id.clone()) {
                    documents
                        .entry(q.document.clone())
                        .or_default()
                        .requirements
                        .push((q.id.clone(), q.level));
                }
            }
        }
        let columns = reports.iter().map(Column::of).collect();
        Ok(Matrix {
            reports,
            date: date.map(|d| crate::diff::one_line(&d, MAX_NAME)),
            columns,
            documents,
        })
    }

    fn level(&self, col: usize, doc: &str, level: Level) -> LevelCount {
        let mut out = LevelCount::default();
        let column = &self.columns[col];
        for q in self.reports[col]
            .requirements
            .iter()
            .filter(|q| q.document == doc && q.level == level)
        {
            out.total += 1;
            let r = &column.requirements[&q.id];
            out.graded.merge(&r.graded);
            match requirement_state(r) {
                State::Met => out.met += 1,
                State::Failed => out.failed += 1,
                State::Untested => out.untested += 1,
                State::NotDeclared => out.not_declared += 1,
                State::Informational => out.informational += 1,
            }
        }
        out
    }

    /// `name version`, bounded and on one line.
    fn label(&self, col: usize) -> String {
        let i = &self.reports[col].implementation;
        format!(
            "{} {}",
            crate::diff::one_line(&i.name, MAX_NAME),
            crate::diff::one_line(&i.version, MAX_NAME)
        )
    }

    /// The distinct suite versions, in report order.
    fn suite_versions(&self) -> String {
        let mut out: Vec<String> = Vec::new();
        for r in &self.reports {
            let v = crate::diff::one_line(&r.suite.version, MAX_NAME);
            if !out.contains(&v) {
                out.push(v);
            }
        }
        out.join(", ")
    }

    /// The ops the corpus has (every report counts every op of its run).
    fn op_count(&self) -> usize {
        let ops: BTreeSet<&str> = self
            .reports
            .iter()
            .flat_map(|r| r.summary.ops.keys().map(String::as_str))
            .collect();
        ops.len()
    }
}

impl Column {
    fn of(report: &Report) -> Column {
        let mut col = Column::default();
        let mut graded: HashMap<&str, Tally> = HashMap::new();
        let mut named: HashMap<&str, Tally> = HashMap::new();
        for c in &report.cases {
            col.all.add(c);
            col.documents
                .entry(c.citation.document.clone())
                .or_default()
                .add(c);
            let area = col.areas.entry(area_of(&c.id).to_owned()).or_default();
            area.tally.add(c);
            if area.file.is_none() && !not_declared(c) {
                area.file = Some(file_of(&c.id).to_owned());
            }
            for q in &c.requirements {
                named.entry(q).or_default().add(c);
                if c.level != Level::Informational {
                    graded.entry(q).or_default().add(c);
                }
            }
        }
        for q in &report.requirements {
            col.requirements.insert(
                q.id.clone(),
                Requirement {
                    status: q.status,
                    graded: graded.remove(q.id.as_str()).unwrap_or_default(),
                    named: named.remove(q.id.as_str()).unwrap_or_default(),
                    failing: q.failing.clone(),
                },
            );
        }
        col
    }
}

/// What a requirement cell says.
#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    Met,
    Failed,
    Untested,
    /// Untested because no case of it was sent.
    NotDeclared,
    Informational,
}

fn requirement_state(r: &Requirement) -> State {
    match r.status {
        Status::Met => State::Met,
        Status::Failed => State::Failed,
        Status::InformationalOnly => State::Informational,
        Status::Untested | Status::Untestable
            if r.named.sent() == 0 && r.named.not_declared > 0 =>
        {
            State::NotDeclared
        }
        Status::Untested | Status::Untestable => State::Untested,
    }
}

impl State {
    fn as_str(self) -> &'static str {
        match self {
            State::Met => "met",
            State::Failed => "failed",
            State::Untested => "untested",
            State::NotDeclared => "not declared",
            State::Informational => "informational only",
        }
    }
}

/// The vector file of a case: its id before `#`.
fn file_of(id: &str) -> &str {
    id.split_once('#').map_or(id, |(p, _)| p)
}

/// The area of a case: its file's directory, `<document>/<area>`.
fn area_of(id: &str) -> &str {
    let file = file_of(id);
    file.rsplit_once('/').map_or(file, |(dir, _)| dir)
}

/// The area as a document's table names it: without the document.
fn area_name(area: &str) -> &str {
    area.split_once('/').map_or(area, |(_, rest)| rest)
}

/// Where a cell links: the page and an anchor on it (already encoded).
fn href(page: &str, anchor: &str) -> String {
    format!("{page}#{anchor}")
}

/// A cell: its colour, its text, where it links, and for a tooltip.
struct Cell {
    shade: Shade,
    headline: String,
    rest: String,
    link: Option<String>,
    title: String,
    /// Failing cases named in the cell: their names and links.
    cases: Vec<(String, String)>,
    more: usize,
}

/// Failing cases a requirement cell links to; the rest are counted.
const SHOWN_CASES: usize = 3;

impl Matrix {
    /// The columns that sent a case of `doc`, and those that did not (not
    /// run or not declared): a document's tables show the first, and name
    /// the others in one line, so eighteen libraries of one op each do not
    /// fill every table with empty columns.
    pub fn split_by_document(&self, doc: &str) -> (Vec<usize>, Vec<usize>) {
        (0..self.columns.len()).partition(|&i| {
            self.columns[i]
                .documents
                .get(doc)
                .is_some_and(|t| t.sent() > 0)
        })
    }

    fn document_cell(&self, col: usize, doc: &str, page: &str) -> Cell {
        let Some(t) = self.columns[col].documents.get(doc) else {
            return not_run();
        };
        let anchor = if t.sent() == 0 {
            "not-sent".to_owned()
        } else {
            links::document(doc)
        };
        Cell {
            shade: t.shade(),
            headline: t.headline(),
            rest: t.rest(),
            link: Some(href(page, &anchor)),
            title: t.detail(),
            cases: Vec::new(),
            more: 0,
        }
    }

    fn level_cell(&self, col: usize, doc: &str, level: Level, page: &str) -> Cell {
        let n = self.level(col, doc, level);
        let catalogued = self.documents[doc]
            .requirements
            .iter()
            .any(|(_, l)| *l == level);
        // Another report has requirements here, and this run selected none.
        if n.total == 0 && catalogued {
            return not_run();
        }
        let anchor = if n.total > 0 && n.not_declared == n.total {
            "not-sent"
        } else {
            "requirements"
        };
        Cell {
            shade: n.shade(),
            headline: n.headline(),
            rest: n.rest(),
            link: (n.total > 0).then(|| href(page, anchor)),
            title: format!(
                "{} {} requirements of {doc}; their graded cases: {}",
                n.total,
                level.as_str(),
                n.graded.detail()
            ),
            cases: Vec::new(),
            more: 0,
        }
    }

    fn area_cell(&self, col: usize, area: &str, page: &str) -> Cell {
        let Some(a) = self.columns[col].areas.get(area) else {
            return not_run();
        };
        let anchor = match &a.file {
            Some(file) => links::area(file),
            None => "not-sent".to_owned(),
        };
        Cell {
            shade: a.tally.shade(),
            headline: a.tally.headline(),
            rest: a.tally.rest(),
            link: Some(href(page, &anchor)),
            title: a.tally.detail(),
            cases: Vec::new(),
            more: 0,
        }
    }

    fn requirement_cell(&self, col: usize, id: &str, page: &str) -> Cell {
        let Some(r) = self.columns[col].requirements.get(id) else {
            return not_run();
        };
        let state = requirement_state(r);
        let shade = match (state, r.graded.shade()) {
            (State::NotDeclared, _) => Shade::NotDeclared,
            (State::Informational, _) => Shade::Verdict(Verdict::Informational),
            (_, s) => s,
        };
        let counts = match state {
            State::Met | State::Failed => {
                format!("{} pass · {} fail", r.graded.passed(), r.failing.len())
            }
            _ => String::new(),
        };
        let anchor = match state {
            State::NotDeclared => "not-sent".to_owned(),
            _ => links::requirement(id),
        };
        Cell {
            shade,
            headline: state.as_str().to_owned(),
            rest: counts,
            link: Some(href(page, &anchor)),
            title: r.graded.detail(),
            cases: r
                .failing
                .iter()
                .take(SHOWN_CASES)
                .map(|c| {
                    let name = c.rsplit_once('#').map_or(c.as_str(), |(_, n)| n);
                    (
                        crate::diff::one_line(name, MAX_NAME),
                        href(page, &links::case(c)),
                    )
                })
                .collect(),
            more: r.failing.len().saturating_sub(SHOWN_CASES),
        }
    }
}

fn not_run() -> Cell {
    Cell {
        shade: Shade::NotRun,
        headline: "not run".into(),
        rest: String::new(),
        link: None,
        title: "the report has no case here (a filtered run)".into(),
        cases: Vec::new(),
        more: 0,
    }
}

/// `--page REPORT.json=URL`'s URL as an `href`: an http(s) URL, or a path
/// relative to the matrix (percent-encoded here).
pub fn page_href(url: &str) -> Result<String, String> {
    let scheme = url
        .split_once(':')
        .is_some_and(|(s, _)| !s.is_empty() && !s.contains('/'));
    if scheme {
        return links::http(url)
            .ok_or_else(|| format!("{}: not an http or https URL", quoted(url, 200)));
    }
    if url.is_empty() || url.starts_with("//") {
        return Err(format!(
            "{}: not an http or https URL, nor a relative path",
            quoted(url, 200)
        ));
    }
    Ok(links::path(url))
}

/// A relative path to a page, as an `href`.
pub fn path_href(path: &str) -> String {
    links::path(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_are_directories() {
        assert_eq!(
            area_of("immi-content/msg-id/dot-rules#leading-dot"),
            "immi-content/msg-id"
        );
        assert_eq!(file_of("a/b/c#d#e"), "a/b/c");
        assert_eq!(area_name("immi-content/msg-id"), "msg-id");
    }

    #[test]
    fn the_worst_verdict_colours_a_cell() {
        let mut t = Tally::default();
        t.verdicts.insert(Verdict::Pass, 10);
        t.verdicts.insert(Verdict::Unsupported, 1);
        assert_eq!(t.shade(), Shade::Verdict(Verdict::Pass));
        t.verdicts.insert(Verdict::NonStrict, 1);
        assert_eq!(t.shade(), Shade::Verdict(Verdict::NonStrict));
        t.verdicts.insert(Verdict::Crash, 1);
        assert_eq!(t.shade(), Shade::Verdict(Verdict::Crash));
        assert_eq!(t.headline(), "10 pass · 2 fail");
        let nd = Tally {
            not_declared: 4,
            ..Tally::default()
        };
        assert_eq!(nd.shade(), Shade::NotDeclared);
        assert_eq!(nd.headline(), "not declared");
    }

    #[test]
    fn pages_are_http_or_relative() {
        assert_eq!(page_href("impl/a b.html").unwrap(), "impl/a%20b.html");
        assert_eq!(
            page_href("https://example.org/r/x.html").unwrap(),
            "https://example.org/r/x.html"
        );
        for bad in [
            "javascript:alert(1)",
            "//evil.example/x",
            "",
            "data:text/html,x",
        ] {
            assert!(page_href(bad).is_err(), "{bad}");
        }
    }
}

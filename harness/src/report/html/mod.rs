//! `--html`: one self-contained page for one implementation, to publish.
//!
//! Failures first, with an index; the expectations file; the ops and
//! features not declared, one line each; the requirements; every case
//! sent, as a tree of document, area (vector file) and requirement, with
//! counts; the register entries the cases name. A little inline script
//! filters by verdict; without it everything is shown. maud escapes every
//! interpolation; text an implementation sent is also bounded as on the
//! terminal, with control and bidirectional characters shown as escapes.
//! The only links are in-page anchors and http(s) URLs ([`links`]).

pub(super) mod links;

use std::collections::BTreeMap;

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::Context;
use super::requirements::{Status, Tally, tally};
use crate::corpus::register::{Entry, NO_DECISION};
use crate::corpus::requirements::{Kind, Requirement};
use crate::corpus::{Case, Expect, Files};
use crate::diff::{clip, expected_json, one_line, pretty, sanitize, unified};
use crate::run::{Record, RunResult};
use crate::verdict::{Finding, Verdict};

pub use links::{check_source_url, vector as vector_url};

/// What only the page shows, beside the run and its context.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// The vector files as read: each case's YAML is shown in place.
    pub files: Files,
    /// The ambiguity register, for the cases that name an entry.
    pub register: Vec<Entry>,
    /// The expectations file: each entry's reason and issue link.
    pub expectations: crate::expectations::Expectations,
    /// `--source-url`, checked: vector files link to
    /// `BASE` + `vectors/<file>#L<line>`.
    pub source_url: Option<String>,
}

/// Bounds of what the page shows of a case, as on the terminal; the JSON
/// report keeps it all.
const MAX_LINES: usize = 200;
const MAX_BYTES: usize = 32 << 10;
/// One line of a note or a query name.
const MAX_LINE: usize = 2000;
/// An implementation's name and version.
const MAX_NAME: usize = 80;

const STYLE: &str = include_str!("page.css");
const SCRIPT: &str = include_str!("page.js");

pub fn to_html(run: &RunResult, ctx: &Context) -> String {
    let view = View::new(run, ctx);
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (view.title()) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                (view.header())
                (view.summary())
                (view.failures())
                (view.expectations())
                (view.not_sent())
                (view.requirements())
                (view.cases())
                (view.ambiguities())
                script { (PreEscaped(SCRIPT)) }
            }
        }
    };
    let mut s = page.into_string();
    s.push('\n');
    s
}

/// Is this a verdict the page lists under Failures?
pub(super) fn is_failure(v: Verdict) -> bool {
    !matches!(
        v,
        Verdict::Pass | Verdict::Informational | Verdict::Unsupported
    )
}

/// The case was not sent: its op or feature is not declared.
fn not_sent(r: &Record) -> bool {
    r.judgement.findings.iter().any(|f| {
        matches!(
            f,
            Finding::OpNotDeclared { .. } | Finding::FeatureNotDeclared { .. }
        )
    })
}

/// Implementation text for one line: bounded, control and bidirectional
/// characters escaped.
fn line(s: &str, max: usize) -> String {
    bidi(one_line(s, max))
}

/// Implementation text for a block, bounded as the terminal bounds it.
fn text_block(s: &str) -> String {
    bidi(clip(&sanitize(s), MAX_LINES, MAX_BYTES))
}

/// Bidirectional controls would reorder the text around them on the page.
fn bidi(s: String) -> String {
    let hidden = |c: char| matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !s.chars().any(hidden) {
        return s;
    }
    s.chars()
        .map(|c| {
            if hidden(c) {
                format!("\\u{{{:04x}}}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The case's own lines of its vector file: from its list item to the
/// next, dedented; `None` when the file is not at hand.
fn case_yaml(files: &Files, case: &Case) -> Option<String> {
    let (_, bytes) = files.iter().find(|(p, _)| *p == case.file)?;
    let text = std::str::from_utf8(bytes).ok()?;
    let lines: Vec<&str> = text.lines().collect();
    let indent = |l: &str| l.len() - l.trim_start().len();
    let name_line = case.line.checked_sub(1)?;
    let name_indent = indent(lines.get(name_line)?);
    // The item starts at its `- ` line: the name's, or one above it.
    let mut start = name_line;
    while !lines[start].trim_start().starts_with("- ") {
        start = start.checked_sub(1)?;
        if indent(lines[start]) > name_indent
            || (indent(lines[start]) < name_indent && !lines[start].trim_start().starts_with("- "))
        {
            return None;
        }
    }
    let item = indent(lines[start]);
    let mut end = start + 1;
    while end < lines.len() && (lines[end].trim().is_empty() || indent(lines[end]) > item) {
        end += 1;
    }
    while end > start + 1 && lines[end - 1].trim().is_empty() {
        end -= 1;
    }
    let mut out = String::new();
    for (n, l) in lines[start..end].iter().enumerate() {
        if n == MAX_LINES || out.len() + l.len() > MAX_BYTES {
            out.push_str(&format!(
                "… ({} more lines in vectors/{})\n",
                end - start - n,
                case.file
            ));
            break;
        }
        out.push_str(l.get(item..).unwrap_or(l.trim_start()));
        out.push('\n');
    }
    Some(out)
}

fn counts<'r>(records: impl IntoIterator<Item = &'r Record>) -> BTreeMap<Verdict, usize> {
    let mut out = BTreeMap::new();
    for r in records {
        *out.entry(r.verdict()).or_insert(0) += 1;
    }
    out
}

fn counts_markup(counts: &BTreeMap<Verdict, usize>) -> Markup {
    html! {
        span.counts {
            @for (i, (v, n)) in counts.iter().enumerate() {
                @if i > 0 { " · " }
                span class={ "n x-" (v.as_str()) } { (n) " " (v.as_str()) }
            }
        }
    }
}

fn badge(v: Verdict) -> Markup {
    html! { b class={ "v x-" (v.as_str()) } { (v.as_str()) } }
}

/// A link when there is an address, else the text alone.
fn maybe_link(url: Option<String>, text: Markup) -> Markup {
    match url {
        Some(u) => html! { a href=(u) { (text) } },
        None => text,
    }
}

/// One area (vector file) of a document: requirement groups in the order
/// the file first names them, each case under every requirement it names.
struct Area<'r> {
    /// `<document>/<path>`, the case id before `#`.
    path: &'r str,
    file: &'r str,
    records: Vec<&'r Record>,
    groups: Vec<Group<'r>>,
}

/// A requirement (none: the case names none) and its cases, each marked
/// when this is the first requirement it names (where its block is).
type Group<'r> = (Option<&'r str>, Vec<(&'r Record, bool)>);

/// Documents, then areas, in corpus order.
fn tree<'r>(records: &[&'r Record]) -> BTreeMap<&'r str, BTreeMap<&'r str, Area<'r>>> {
    let mut docs: BTreeMap<&str, BTreeMap<&str, Area>> = BTreeMap::new();
    for r in records {
        let c = &r.case;
        let path = c.id.split_once('#').map_or(c.id.as_str(), |(p, _)| p);
        let area = docs
            .entry(c.document())
            .or_default()
            .entry(path)
            .or_insert_with(|| Area {
                path,
                file: &c.file,
                records: Vec::new(),
                groups: Vec::new(),
            });
        area.records.push(r);
        let reqs: Vec<Option<&str>> = if c.requirements.is_empty() {
            vec![None]
        } else {
            c.requirements.iter().map(|s| Some(s.as_str())).collect()
        };
        for (i, req) in reqs.into_iter().enumerate() {
            let group = match area.groups.iter().position(|(g, _)| *g == req) {
                Some(g) => g,
                None => {
                    area.groups.push((req, Vec::new()));
                    area.groups.len() - 1
                }
            };
            area.groups[group].1.push((r, i == 0));
        }
    }
    docs
}

/// How a case appears in a tree.
#[derive(Clone, Copy, PartialEq)]
enum Leaf {
    /// The index of failures: a link to the case's block.
    Index,
    /// Every case: its block where it is first listed, a link elsewhere.
    All,
}

struct View<'a> {
    run: &'a RunResult,
    ctx: &'a Context,
    catalog: BTreeMap<&'a str, &'a Requirement>,
    tallies: Vec<Tally<'a>>,
    entries: BTreeMap<&'a str, &'a Entry>,
    failing: Vec<&'a Record>,
    sent: Vec<&'a Record>,
}

impl<'a> View<'a> {
    fn new(run: &'a RunResult, ctx: &'a Context) -> Self {
        View {
            run,
            ctx,
            catalog: ctx
                .requirements
                .iter()
                .map(|r| (r.id.as_str(), r))
                .collect(),
            tallies: tally(run, &ctx.requirements),
            entries: ctx
                .page
                .register
                .iter()
                .map(|e| (e.id.as_str(), e))
                .collect(),
            failing: run
                .records
                .iter()
                .filter(|r| is_failure(r.verdict()))
                .collect(),
            sent: run.records.iter().filter(|r| !not_sent(r)).collect(),
        }
    }

    fn title(&self) -> String {
        format!(
            "mimispec: {} {}",
            line(&self.run.info.name, MAX_NAME),
            line(&self.run.info.version, MAX_NAME)
        )
    }

    fn header(&self) -> Markup {
        let failing = self
            .run
            .records
            .iter()
            .filter(|r| r.verdict().fails_run(self.ctx.strict))
            .count();
        let present = counts(&self.run.records);
        let unsent = self.run.records.len() - self.sent.len();
        html! {
            header {
                h1 { (self.title()) }
                p.meta {
                    "mimispec " (crate::SUITE_VERSION) " · corpus " code { (self.ctx.corpus_digest) }
                    " · " (self.ctx.subject) " · mode " (self.ctx.mode)
                    @if self.ctx.strict { " · strict" }
                    " · "
                    @if self.run.sent() == 0 {
                        b.bad { "NOTHING TESTED (no case was sent)" }
                    } @else if failing == 0 {
                        b.good { "ok" }
                    } @else {
                        b.bad { "FAILED (" (failing) " failing)" }
                    }
                    " · " (super::plural(self.run.records.len(), "case"))
                }
                p.meta { "run again: " code { (shell_words::join(&self.ctx.rerun_base)) } }
                nav {
                    a href="#failures" { "Failures (" (self.failing.len()) ")" }
                    @if unsent > 0 { " · " a href="#not-sent" { "Not sent (" (unsent) ")" } }
                    @if !self.tallies.is_empty() { " · " a href="#requirements" { "Requirements" } }
                    @if !self.ctx.page.expectations.failures.is_empty() { " · " a href="#expectations" { "Expectations" } }
                    " · " a href="#cases" { "Cases (" (self.sent.len()) ")" }
                    @if !self.named_entries().is_empty() { " · " a href="#ambiguities" { "Ambiguities" } }
                }
                // Shown by the script; without it there is nothing to filter.
                form #filter hidden {
                    "Show: "
                    @for (v, n) in &present {
                        label class={ "n x-" (v.as_str()) } {
                            input type="checkbox" value=(v.as_str()) checked;
                            " " (v.as_str()) " (" (n) ")"
                        }
                        " "
                    }
                    button type="button" data-only="failures" { "failures only" }
                    " "
                    button type="button" data-only="all" { "all" }
                }
            }
        }
    }

    fn summary(&self) -> Markup {
        let by_doc = self.run.counts_by_document();
        let present: Vec<Verdict> = Verdict::ALL
            .into_iter()
            .filter(|v| self.run.count(*v) > 0)
            .collect();
        html! {
            table.summary {
                tr {
                    th { "document" }
                    @for v in &present { th { (badge(*v)) } }
                    th { "cases" }
                }
                @for (doc, n) in &by_doc {
                    tr {
                        td { a href={ "#" (links::document(doc)) } { (doc) } }
                        @for v in &present { td.num { (n.get(v).copied().unwrap_or(0)) } }
                        td.num { (n.values().sum::<usize>()) }
                    }
                }
                tr.total {
                    td { "total" }
                    @for v in &present { td.num { (self.run.count(*v)) } }
                    td.num { (self.run.records.len()) }
                }
            }
            @let (other, accepted) = self.run.records.iter().fold((0, 0), |(o, a), r| {
                (o + usize::from(r.passed_with_other_code()),
                 a + usize::from(r.verdict() == Verdict::Pass && r.judgement.acceptance_only()))
            });
            @if other > 0 {
                p.hint { (super::plural(other, "pass")) " rejected with another code than the suite's (they fail under --strict-codes)." }
            }
            @if accepted > 0 {
                p.hint { (super::plural(accepted, "pass")) " on acceptance alone (answered accepted, no result compared): the requirements they name count as untested." }
            }
        }
    }

    fn failures(&self) -> Markup {
        let docs = tree(&self.failing);
        html! {
            section #failures {
                h2 { "Failures " (counts_markup(&counts(self.failing.iter().copied()))) }
                @if self.failing.is_empty() {
                    p { "None: every case sent passed, or is informational or unsupported." }
                } @else {
                    p.hint { "Each failing, non-strict or expected failure, by document, area (vector file) and requirement; the blocks follow." }
                    nav.index { (self.tree_markup(&docs, Leaf::Index)) }
                    @for area in docs.values().flat_map(|a| a.values()) {
                        @for (_, leaves) in &area.groups {
                            @for (r, first) in leaves {
                                @if *first { (self.block(r, true)) }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The cases not sent, one line per op (or op and feature).
    fn not_sent(&self) -> Markup {
        let mut rows: BTreeMap<(&str, String), (&str, usize)> = BTreeMap::new();
        for r in self.run.records.iter().filter(|r| not_sent(r)) {
            let why = r
                .judgement
                .findings
                .iter()
                .find_map(|f| match f {
                    Finding::OpNotDeclared { .. } => Some("op not declared".to_owned()),
                    Finding::FeatureNotDeclared { feature } => {
                        Some(format!("feature {feature} not declared"))
                    }
                    _ => None,
                })
                .unwrap_or_default();
            rows.entry((r.case.op.as_str(), why))
                .or_insert((r.case.document(), 0))
                .1 += 1;
        }
        if rows.is_empty() {
            return html! {};
        }
        html! {
            section #not-sent {
                h2 { "Not sent: " (super::plural(self.run.records.len() - self.sent.len(), "case")) }
                p.hint { "The implementation's hello does not declare these ops (or features): their cases are unsupported, never failures." }
                table {
                    tr { th { "op" } th { "document" } th { "cases" } th { "why" } }
                    @for ((op, why), (doc, n)) in &rows {
                        tr data-v="unsupported" {
                            td { code { (op) } } td { (doc) } td.num { (n) } td { (why) }
                        }
                    }
                }
            }
        }
    }

    /// Where a requirement's words are, linked where they have an address.
    fn requirement_place(&self, q: &Requirement) -> Markup {
        match &q.source {
            Some(source) => maybe_link(links::rfc(source), html! { (source) }),
            None => maybe_link(
                links::section(&q.document, &q.section),
                html! { "§" (q.section) },
            ),
        }
    }

    fn requirements(&self) -> Markup {
        if self.tallies.is_empty() {
            return html! {};
        }
        let mut by_doc: BTreeMap<&str, Vec<&Tally>> = BTreeMap::new();
        for t in &self.tallies {
            by_doc.entry(t.document).or_default().push(t);
        }
        let rows = |ts: &[&Tally]| {
            html! {
                table.reqs {
                    tr { th { "requirement" } th { "level" } th { "where" } th { "status" } th { "cases" } th { "words" } }
                    @for t in ts {
                        tr id=(links::requirement(t.id)) {
                            td { code { (t.id) } }
                            td { (t.level.as_str()) @if t.requirement.kind == Kind::Suite { " (suite)" } }
                            td.where { (self.requirement_place(t.requirement)) }
                            td class={ "st-" (t.status.as_str()) } { (t.status.as_str()) }
                            td.num {
                                (t.cases)
                                @if !t.failing.is_empty() { ", " (t.failing.len()) " failing" }
                            }
                            td { (t.requirement.quote) }
                        }
                    }
                }
            }
        };
        html! {
            section #requirements {
                h2 { "Requirements" }
                p.hint { "Each requirement a selected case names: met when every graded case of it that was sent passed, failed when one failed, untested when none was sent, informational-only when only informational cases name it; cases counts the graded ones sent." }
                @for (doc, ts) in &by_doc {
                    @let of = |status: Status| ts.iter().filter(|t| t.status == status).copied().collect::<Vec<&Tally>>();
                    @let (failed, met, untested) = (of(Status::Failed), of(Status::Met), of(Status::Untested));
                    @let informational = of(Status::InformationalOnly);
                    h3 { (doc) ": " (super::requirements::line(ts)) }
                    @if !failed.is_empty() { (rows(&failed)) }
                    @if !met.is_empty() {
                        details.reqs {
                            summary { (super::plural(met.len(), "met requirement")) }
                            (rows(&met))
                        }
                    }
                    @if !informational.is_empty() {
                        details.reqs {
                            summary { (super::plural(informational.len(), "requirement")) " named by informational cases only (readings the suite does not take: recorded, never graded)" }
                            (rows(&informational))
                        }
                    }
                    @if !untested.is_empty() {
                        details.reqs {
                            summary { (super::plural(untested.len(), "untested requirement")) " (no graded case of it was sent)" }
                            p.untested {
                                @for (i, t) in untested.iter().enumerate() {
                                    @if i > 0 { ", " }
                                    span id=(links::requirement(t.id)) {
                                        code { (t.id) } " (" (t.level.as_str()) ", " (self.requirement_place(t.requirement)) ")"
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The register entries the run's cases name, in register order.
    fn named_entries(&self) -> Vec<(&'a Entry, usize)> {
        self.ctx
            .page
            .register
            .iter()
            .filter_map(|e| {
                let n = self
                    .sent
                    .iter()
                    .filter(|r| r.case.ambiguity.as_deref() == Some(e.id.as_str()))
                    .count();
                (n > 0).then_some((e, n))
            })
            .collect()
    }

    fn ambiguities(&self) -> Markup {
        let named = self.named_entries();
        if named.is_empty() {
            return html! {};
        }
        html! {
            section #ambiguities {
                h2 { "Ambiguities" }
                p.hint { "Entries of the ambiguity register (vectors/<document>/ambiguities.yaml) that cases of this run name; the cases of a reading the suite does not take are informational." }
                @for (e, n) in &named {
                    div.entry id=(links::entry(&e.id)) {
                        h3 {
                            code { (e.id) } " · "
                            (maybe_link(links::section(&e.document, &e.section), html! { (e.document) " §" (e.section) }))
                            " · " (super::plural(*n, "case"))
                        }
                        p { b { "Question: " } (e.question) }
                        @if e.decision == NO_DECISION {
                            p { b { "Decision: none" } ": every reading's cases are informational." }
                        } @else {
                            p {
                                b { "Decision: " (e.decision) }
                                @if let Some(r) = e.readings.iter().find(|r| r.name == e.decision) { ": " (r.text) }
                            }
                        }
                        @let others: Vec<&str> = e.readings.iter().filter(|r| r.name != e.decision).map(|r| r.name.as_str()).collect();
                        @if !others.is_empty() { p { "Other readings: " (others.join(", ")) } }
                        details { summary { "Why" } p { (e.rationale) } }
                    }
                }
            }
        }
    }

    fn expectations(&self) -> Markup {
        let listed = &self.ctx.page.expectations.failures;
        if listed.is_empty() {
            return html! {};
        }
        // Each case counts under the entry that decides it: the first match.
        let mut hits: BTreeMap<&str, BTreeMap<Verdict, usize>> = BTreeMap::new();
        for r in &self.run.records {
            if let Some(x) = self.ctx.page.expectations.expected_failure(&r.case.id) {
                *hits
                    .entry(&x.glob)
                    .or_default()
                    .entry(r.verdict())
                    .or_default() += 1;
            }
        }
        html! {
            section #expectations {
                h2 { "Expectations file" }
                table {
                    tr { th { "cases" } th { "reason" } th { "issue" } th { "verdicts" } }
                    @for x in listed {
                        @let hit = hits.get(x.glob.as_str()).cloned().unwrap_or_default();
                        tr {
                            td { code { (x.glob) } }
                            td { (x.reason) }
                            td { @if let Some(i) = &x.issue { (self.issue(i)) } }
                            td { (counts_markup(&hit)) }
                        }
                    }
                }
            }
        }
    }

    /// An issue as the expectations file gives it: a link when it is one.
    fn issue(&self, issue: &str) -> Markup {
        maybe_link(links::http(issue), html! { (line(issue, MAX_LINE)) })
    }

    fn cases(&self) -> Markup {
        let docs = tree(&self.sent);
        let by_doc = self.run.counts_by_document();
        html! {
            section #cases {
                h2 { "Cases" }
                p.hint { "Every case sent, by document, area (vector file) and requirement; a case that names several requirements is listed under each, and shown under the first. Failures link to their block above." }
                @for doc in by_doc.keys() {
                    section.g.doc id=(links::document(doc)) {
                        @let unsent = self.run.records.iter().filter(|r| r.case.document() == *doc && not_sent(r)).count();
                        h3 {
                            (doc) " "
                            (counts_markup(&counts(docs.get(doc).into_iter().flat_map(|a| a.values()).flat_map(|a| a.records.iter().copied()))))
                            @if unsent > 0 { span data-v="unsupported" { " · " a href="#not-sent" { (unsent) " not sent" } } }
                        }
                        @if let Some(areas) = docs.get(doc) {
                            @for area in areas.values() { (self.area(area, Leaf::All)) }
                        }
                    }
                }
            }
        }
    }

    fn tree_markup(&self, docs: &BTreeMap<&str, BTreeMap<&str, Area>>, leaf: Leaf) -> Markup {
        html! {
            ul.tree {
                @for (doc, areas) in docs {
                    li.g {
                        b { (doc) } " " (counts_markup(&counts(areas.values().flat_map(|a| a.records.iter().copied()))))
                        ul { @for area in areas.values() { li.g { (self.area(area, leaf)) } } }
                    }
                }
            }
        }
    }

    fn area(&self, area: &Area, leaf: Leaf) -> Markup {
        let name = area
            .path
            .split_once('/')
            .map_or(area.path, |(_, rest)| rest);
        let rest = html! {
            " " (counts_markup(&counts(area.records.iter().copied())))
            " " span.loc { (maybe_link(links::vector(self.ctx.page.source_url.as_deref(), area.file, None), html! { "vectors/" (area.file) })) }
        };
        let groups = html! {
            @for (req, leaves) in &area.groups {
                div.g.req {
                    h4 {
                        (self.requirement_ref(*req))
                        " " (counts_markup(&counts(leaves.iter().map(|(r, _)| *r))))
                    }
                    ul.leaves { @for (r, first) in leaves { (self.leaf(r, *first, leaf)) } }
                }
            }
        };
        match leaf {
            Leaf::Index => {
                html! { a.aname href={ "#" (links::area(area.path)) } { (name) } (rest) (groups) }
            }
            Leaf::All => html! {
                details.g.area id=(links::area(area.path)) {
                    summary { span.aname { (name) } (rest) }
                    (groups)
                }
            },
        }
    }

    /// A requirement's id, linked to its row, with its level and words.
    fn requirement_ref(&self, id: Option<&str>) -> Markup {
        let Some(id) = id else {
            return html! { span.req-id { "no requirement named" } };
        };
        match self.catalog.get(id) {
            Some(q) => html! {
                a.req-id href={ "#" (links::requirement(id)) } { (id) }
                " " span.level { (q.level.as_str()) } " "
                q.words { (one_line(&q.quote, 160)) }
            },
            None => html! { span.req-id { (id) } },
        }
    }

    fn leaf(&self, r: &Record, first: bool, leaf: Leaf) -> Markup {
        let c = &r.case;
        let v = r.verdict();
        let name = c.id.rsplit_once('#').map_or(c.id.as_str(), |(_, n)| n);
        let link = html! {
            a href={ "#" (links::case(&c.id)) } { (badge(v)) " " (name) } " " span.level { (c.level.as_str()) }
        };
        html! {
            li data-v=(v.as_str()) {
                @if leaf == Leaf::All && first && !is_failure(v) {
                    (self.block(r, false))
                } @else {
                    (link)
                    @if leaf == Leaf::All && is_failure(v) { " " span.hint { "(under Failures)" } }
                }
            }
        }
    }

    /// A case in full: where it is, what it rests on, what came back and
    /// the command that reruns it. `failure`: a block under Failures.
    fn block(&self, r: &Record, failure: bool) -> Markup {
        let c = &r.case;
        let v = r.verdict();
        let name = if failure {
            c.id.as_str()
        } else {
            c.id.rsplit_once('#').map_or(c.id.as_str(), |(_, n)| n)
        };
        let mismatched = r.judgement.matched == Some(false);
        let yaml = case_yaml(&self.ctx.page.files, c);
        let body = html! {
            @if failure { p { (c.description) } }
            @if let Some(reason) = &c.reason { p { "Must be rejected because: " (reason) } }
            p.loc {
                // In the tree the headings above name the file and document.
                (maybe_link(
                    links::vector(self.ctx.page.source_url.as_deref(), &c.file, Some(c.line)),
                    html! { @if failure { "vectors/" (c.file) ":" (c.line) } @else { "line " (c.line) } },
                ))
                @if failure { " · " code { (c.op) } " · " (c.level.as_str()) }
                " · " (maybe_link(
                    links::section(c.document(), &c.citation.section),
                    html! { @if failure { (c.citation) } @else { "§" (c.citation.section) } },
                ))
                @if let Some(f) = &c.feature { " · feature " code { (f) } }
                @if let Some(a) = &c.ambiguity {
                    " · ambiguity "
                    @if self.entries.contains_key(a.as_str()) {
                        a href={ "#" (links::entry(a)) } { (a) }
                    } @else { (a) }
                }
            }
            @if failure && !c.requirements.is_empty() {
                ul.reqs { @for id in &c.requirements { li { (self.requirement_ref(Some(id))) } } }
            }
            @if let Some(e) = c.ambiguity.as_deref().and_then(|a| self.entries.get(a)).filter(|_| failure) {
                p { "The register asks: " (e.question) " The suite takes: " (e.decision) "." }
            }
            (self.findings(r))
            @if failure || mismatched {
                pre.input { "input: " (text_block(&pretty(&c.input))) }
            }
            (self.answer(r))
            @if let Some(queries) = &r.queries { (self.queries(queries)) }
            @if !r.stderr.trim().is_empty() {
                div.stderr { "stderr:" pre { (text_block(r.stderr.trim_end())) } }
            }
            @if v != Verdict::Pass {
                p.rerun { "rerun: " code { (self.ctx.rerun(&c.id)) } }
            }
            @if let Some(y) = yaml {
                @if failure {
                    details.yaml { summary { "the vector" } pre { (y) } }
                } @else {
                    pre.yaml { (y) }
                }
            }
        };
        html! {
            details.case.block[failure] id=(links::case(&c.id)) data-v=[failure.then_some(v.as_str())] open[failure && v.fails_run(self.ctx.strict)] {
                summary {
                    (badge(v)) " " code.id { (name) } " " span.level { (c.level.as_str()) }
                    @if failure { " · " (c.citation) } @else { " " span.desc { (c.description) } }
                }
                div.body { (body) }
            }
        }
    }

    /// Each finding's sentence; an expectation's issue as a link.
    fn findings(&self, r: &Record) -> Markup {
        html! {
            @for f in &r.judgement.findings {
                @match f {
                    Finding::ExpectedFailure { reason, issue } => {
                        p.note { "Expected failure, listed in the expectations file: " (reason)
                            @if let Some(i) = issue { " · " (self.issue(i)) } }
                    }
                    Finding::StaleExpectation { .. } => {
                        p.note {
                            (f.note().unwrap_or_default())
                            @if let Some(i) = self.ctx.page.expectations.expected_failure(&r.case.id).and_then(|x| x.issue.as_deref()) {
                                " · " (self.issue(i))
                            }
                        }
                    }
                    _ => {
                        @if let Some(note) = f.note() {
                            p.note { @for (i, l) in note.lines().take(MAX_LINES).enumerate() {
                                @if i > 0 { br; }
                                (line(l, MAX_LINE))
                            } }
                        }
                    }
                }
            }
        }
    }

    /// What came back, when it did not meet the vector: a coloured diff,
    /// or the answer alone for property checks (a passing writer's output,
    /// ciphertext among it, differs from run to run).
    fn answer(&self, r: &Record) -> Markup {
        let Some(actual) = &r.actual else {
            return html! {};
        };
        if r.judgement.matched != Some(false) {
            return html! {};
        }
        match &r.case.expect {
            // An informational writer's output is left to its notes: it
            // differs from run to run, and the reference's page is committed.
            Expect::Properties(_) if !is_failure(r.verdict()) => html! {},
            Expect::Properties(_) => html! {
                div { "actual:" pre { (text_block(&pretty(actual))) } }
            },
            expect => {
                let diff = text_block(&unified(&pretty(&expected_json(expect)), &pretty(actual)));
                html! {
                    div {
                        "expected (" span.del-sign { "-" } ") / actual (" span.ins-sign { "+" } "):"
                        pre.diff {
                            @for l in diff.lines() {
                                @if l.starts_with('-') { span.del { (l) } }
                                @else if l.starts_with('+') { span.ins { (l) } }
                                @else { (l) "\n" }
                            }
                        }
                    }
                }
            }
        }
    }

    fn queries(&self, queries: &[crate::dns::Query]) -> Markup {
        html! {
            div.queries {
                "DNS queries the mock zone received: "
                @if queries.is_empty() { "none" } @else { (queries.len()) }
                @if !queries.is_empty() {
                    ol {
                        @for q in queries.iter().take(MAX_LINES) {
                            li { code { (line(&q.name, MAX_LINE)) " " (line(&q.rtype, MAX_NAME)) } " (" (q.transport) ")" }
                        }
                    }
                    @if queries.len() > MAX_LINES {
                        p { "… (" (queries.len() - MAX_LINES) " more; every query is in the --json report)" }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn implementation_text_shows_its_controls() {
        assert_eq!(line("a\u{1b}[31m\nb", 80), "a\\u{1b}[31m\\nb");
        assert_eq!(line("x\u{202e}y", 80), "x\\u{202e}y");
        assert_eq!(text_block("a\r\nb\u{2066}"), "a\\r\nb\\u{2066}\n");
    }

    #[test]
    fn a_case_s_yaml_is_its_own_list_item() {
        let text = "document: d\ncases:\n  - name: one\n    input: {a: 1}\n\n  - description: x\n    name: two\n    expect:\n      result: {}\n\n  # a comment\nother: 1\n";
        let files = vec![("d/a/b.yaml".to_owned(), text.as_bytes().to_vec())];
        let mut case = crate::corpus::Corpus::embedded().unwrap().cases[0].clone();
        case.file = "d/a/b.yaml".into();
        case.line = 3;
        assert_eq!(
            case_yaml(&files, &case).as_deref(),
            Some("- name: one\n  input: {a: 1}\n")
        );
        case.line = 7;
        assert_eq!(
            case_yaml(&files, &case).as_deref(),
            Some("- description: x\n  name: two\n  expect:\n    result: {}\n")
        );
        case.line = 99;
        assert_eq!(case_yaml(&files, &case), None);
    }
}

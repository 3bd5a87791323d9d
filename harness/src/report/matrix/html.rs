//! The matrix as one self-contained page: the `--html` report's style
//! sheet and a few rules of its own, no script. maud escapes every
//! interpolation; text from a report is also put on one bounded line.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::{Cell, LEVELS, MAX_COMMAND, Matrix, area_name, links};
use crate::diff::one_line;

const STYLE: &str = include_str!("../html/page.css");
const MATRIX_STYLE: &str = include_str!("matrix.css");

/// The page; `pages[i]` is where report `i`'s own page is, as this page
/// links it (no fragment).
pub fn to_html(m: &Matrix, pages: &[String]) -> String {
    assert_eq!(pages.len(), m.reports.len(), "one page per report");
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "mimispec conformance matrix" }
                style { (PreEscaped(STYLE)) (PreEscaped(MATRIX_STYLE)) }
            }
            body {
                (header(m))
                (implementations(m, pages))
                (legend())
                @for doc in m.documents.keys() { (document(m, doc, pages)) }
            }
        }
    };
    let mut s = page.into_string();
    s.push('\n');
    s
}

fn header(m: &Matrix) -> Markup {
    let first = &m.reports[0].suite;
    html! {
        header {
            h1 { "mimispec conformance matrix" }
            p.meta {
                "mimispec " (m.suite_versions())
                " · protocol " (first.protocol)
                " · corpus " code { (one_line(&first.corpus_digest, 80)) }
                @if let Some(d) = &m.date { " · " (d) }
                " · " (super::super::plural(m.reports.len(), "implementation"))
            }
            nav {
                a href="#implementations" { "Implementations" }
                @for doc in m.documents.keys() {
                    " · " a href={ "#" (links::document(doc)) } { (doc) }
                }
            }
        }
    }
}

/// Provenance, one row per report: what ran, how, and what it was sent.
fn implementations(m: &Matrix, pages: &[String]) -> Markup {
    let ops = m.op_count();
    html! {
        section #implementations {
            h2 { "Implementations" }
            p.hint { "One column per report, in the order given. Each name links to that implementation's own page, with every case's input, expected and actual answer, diff and rerun line." }
            div.scroll {
                table.impls {
                    tr {
                        th { "#" } th { "implementation" } th { "mode" } th { "command" }
                        th { "ops declared" } th { "cases sent" } th { "not sent" } th { "answered unsupported" } th { "result" }
                    }
                    @for (i, r) in m.reports.iter().enumerate() {
                        @let col = &m.columns[i];
                        @let im = &r.implementation;
                        tr {
                            td.num { (i + 1) }
                            td.name { a href=(pages[i]) { (m.label(i)) } }
                            td { (one_line(&im.mode, 40)) }
                            td { code.cmd { (one_line(&im.subject, MAX_COMMAND)) } }
                            td.num title=(one_line(&im.ops.join(" "), 4000)) {
                                (im.ops.len()) " of " (ops)
                                @if !im.features.is_empty() {
                                    br; span.hint { "features: " (one_line(&im.features.join(", "), MAX_COMMAND)) }
                                }
                            }
                            td.num { (col.all.sent()) }
                            td.num { (col.all.not_declared) }
                            td.num { (col.all.n(crate::verdict::Verdict::Unsupported)) }
                            td {
                                @if col.all.sent() == col.all.n(crate::verdict::Verdict::Unsupported) {
                                    b.bad { "nothing tested" }
                                } @else if r.summary.failing == 0 {
                                    b.good { "ok" }
                                } @else {
                                    b.bad { "failed (" (r.summary.failing) " failing)" }
                                }
                                @if r.options.strict { " · strict" }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn legend() -> Markup {
    let swatch = |class: &str, text: &str| {
        html! { span class={ "sw " (class) } { (text.to_owned()) } " " }
    };
    html! {
        p.legend {
            "Each cell takes the colour of its worst verdict: "
            (swatch("c x-crash", "crash, timeout, protocol error, fail, unexpected pass"))
            (swatch("c x-expected-fail", "expected failure"))
            (swatch("c x-non-strict", "SHOULD or MAY failed"))
            (swatch("c x-pass", "pass"))
            (swatch("c x-informational", "informational"))
            (swatch("c x-unsupported", "answered unsupported"))
            (swatch("c nd", "not declared: not sent, never a pass"))
            (swatch("c nr", "not run"))
            br;
            "“fail” counts every failing verdict, expected and non-strict ones too. Every cell links to that implementation's page, at the document, area, requirement or case."
        }
    }
}

fn document(m: &Matrix, doc: &str, pages: &[String]) -> Markup {
    let rows = &m.documents[doc];
    let (shown, idle) = m.split_by_document(doc);
    html! {
        section.mdoc id=(links::document(doc)) {
            h2 { (doc) }
            @if !idle.is_empty() {
                p.note {
                    "No case of this document sent by: "
                    @for (k, &i) in idle.iter().enumerate() {
                        @if k > 0 { ", " }
                        a href=(pages[i]) { (i + 1) ". " (m.label(i)) }
                    }
                    " (not run, or no op of it declared)."
                }
            }
            div.scroll {
                table.matrix {
                    tr {
                        th { "implementation" }
                        @for l in LEVELS { th { (l.as_str()) " requirements" } }
                        th { "cases" }
                    }
                    @for &i in &shown {
                        tr {
                            th.impl { a href=(pages[i]) { (i + 1) ". " (m.label(i)) } }
                            @for l in LEVELS { (cell(&m.level_cell(i, doc, l, &pages[i]))) }
                            (cell(&m.document_cell(i, doc, &pages[i])))
                        }
                    }
                }
            }
            h3 { "Areas" }
            div.scroll {
                table.matrix.wide {
                    tr {
                        th { "area" }
                        @for &i in &shown { th.impl { (i + 1) ". " (m.label(i)) } }
                    }
                    @for area in &rows.areas {
                        tr {
                            th { code { (area_name(area)) } }
                            @for &i in &shown { (cell(&m.area_cell(i, area, &pages[i]))) }
                        }
                    }
                }
            }
            @if !rows.requirements.is_empty() {
                details.mreqs {
                    summary { "Requirements of " (doc) " (" (rows.requirements.len()) ")" }
                    div.scroll {
                        table.matrix.wide.reqm {
                            tr {
                                th { "requirement" }
                                @for &i in &shown { th.impl { (i + 1) ". " (m.label(i)) } }
                            }
                            @for (id, level) in &rows.requirements {
                                tr {
                                    th { code { (id) } " " span.level { (level.as_str()) } }
                                    @for &i in &shown { (cell(&m.requirement_cell(i, id, &pages[i]))) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn cell(c: &Cell) -> Markup {
    let text = html! {
        (c.headline)
        @if !c.rest.is_empty() { span.rest { (c.rest) } }
    };
    html! {
        td class=(c.shade.class()) title=(c.title) {
            @match &c.link {
                Some(l) => a.cell href=(l) { (text) },
                None => (text),
            }
            @if !c.cases.is_empty() {
                span.cases {
                    @for (name, link) in &c.cases { a href=(link) { (name) } " " }
                    @if c.more > 0 { "+" (c.more) " more" }
                }
            }
        }
    }
}

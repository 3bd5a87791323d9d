//! `mimispec matrix REPORT.json...`: the published matrix of several
//! implementations' `--json` reports, as a page and a Markdown twin
//! (src/report/matrix/).

use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use super::Error;
use super::compare::read_report;
use crate::report::matrix::{Matrix, page_href, path_href, to_html, to_markdown};

#[derive(clap::Args, Debug)]
pub struct MatrixArgs {
    /// `mimispec run --json` reports of one corpus, one per implementation
    /// (the reference's among them), in the order of the columns.
    #[arg(value_name = "REPORT.json", required = true)]
    pub reports: Vec<PathBuf>,
    /// Write the page here (one file, no external resources).
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Write the Markdown twin here. With neither --html nor --markdown,
    /// the Markdown goes to stdout.
    #[arg(long, value_name = "FILE")]
    pub markdown: Option<PathBuf>,
    /// Where a report's implementation page is: `REPORT.json=URL`, an
    /// http(s) URL or a path relative to the matrix's files. Without it,
    /// the page written by `mimispec run --html` beside the report, with
    /// the same stem (`ref.json`: `ref.html`). Repeatable.
    #[arg(long, value_name = "REPORT.json=URL")]
    pub page: Vec<String>,
    /// The date to show in the provenance, as given: the reports carry no
    /// date, and the matrix never reads the clock.
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
}

/// Where a report's page is.
enum Page {
    /// `--page`: the same `href` from every output.
    Given(String),
    /// A file, linked relative to each output.
    File(PathBuf),
}

pub fn matrix(args: MatrixArgs) -> Result<ExitCode, Error> {
    let mut pages: Vec<Option<Page>> = args.reports.iter().map(|_| None).collect();
    for p in &args.page {
        let (report, url) = p
            .split_once('=')
            .ok_or_else(|| Error::Usage(format!("--page {p:?}: expected REPORT.json=URL")))?;
        let i = args
            .reports
            .iter()
            .position(|r| same_file(r, Path::new(report)))
            .ok_or_else(|| {
                Error::Usage(format!(
                    "--page {p:?}: {report:?} is not one of the reports"
                ))
            })?;
        let href = page_href(url).map_err(|e| Error::Usage(format!("--page {p:?}: {e}")))?;
        pages[i] = Some(Page::Given(href));
    }
    let mut reports = Vec::new();
    for (i, path) in args.reports.iter().enumerate() {
        if args.reports[..i].iter().any(|q| same_file(q, path)) {
            return Err(Error::Usage(format!(
                "{}: given twice: one column per report",
                path.display()
            )));
        }
        reports.push((path.display().to_string(), read_report(path)?));
    }
    // Checked before any warning: a refusal is the only line.
    let matrix = Matrix::new(reports, args.date.clone()).map_err(Error::Usage)?;
    let pages: Vec<Page> = pages
        .into_iter()
        .zip(&args.reports)
        .map(|(given, report)| {
            given.unwrap_or_else(|| {
                let html = report.with_extension("html");
                if !html.is_file() {
                    eprintln!(
                        "mimispec: warning: {} does not exist: its cells link to it anyway (write it with `mimispec run --html`, or give --page)",
                        html.display()
                    );
                }
                Page::File(html)
            })
        })
        .collect();
    let hrefs = |out: Option<&Path>| -> Vec<String> {
        let from = out.map_or_else(|| absolute_dir(Path::new("x")), absolute_dir);
        pages
            .iter()
            .map(|p| match p {
                Page::Given(h) => h.clone(),
                Page::File(f) => path_href(&relative(&from, f)),
            })
            .collect()
    };
    if let Some(out) = &args.html {
        let page = to_html(&matrix, &hrefs(Some(out)));
        std::fs::write(out, page).map_err(Error::file(out))?;
    }
    if let Some(out) = &args.markdown {
        let md = to_markdown(&matrix, &hrefs(Some(out)));
        std::fs::write(out, md).map_err(Error::file(out))?;
    }
    if args.html.is_none() && args.markdown.is_none() {
        out!("{}", to_markdown(&matrix, &hrefs(None)));
    }
    Ok(ExitCode::SUCCESS)
}

/// The same path as given, or the same file.
fn same_file(a: &Path, b: &Path) -> bool {
    a == b
        || matches!(
            (a.canonicalize(), b.canonicalize()),
            (Ok(x), Ok(y)) if x == y
        )
}

/// The directory a file is in, absolute, symbolic links resolved where it
/// exists (a relative link must not depend on how the path was spelt).
fn absolute_dir(file: &Path) -> PathBuf {
    let parent = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    parent
        .canonicalize()
        .or_else(|_| std::path::absolute(parent))
        .unwrap_or_else(|_| parent.to_owned())
}

/// `to` (a file) as a path relative to the directory `from`, `/`-separated.
fn relative(from: &Path, to: &Path) -> String {
    let name = to.file_name().map(|n| n.to_string_lossy().into_owned());
    let dir = absolute_dir(to);
    let from: Vec<Component> = from.components().collect();
    let dir: Vec<Component> = dir.components().collect();
    let common = from.iter().zip(&dir).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); from.len() - common];
    parts.extend(
        dir[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.extend(name);
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_link_relative_to_the_output() {
        let tmp = std::env::temp_dir().canonicalize().unwrap();
        assert_eq!(relative(&tmp, &tmp.join("a.html")), "a.html");
        assert_eq!(
            relative(&tmp.join("nonesuch-out"), &tmp.join("a.html")),
            "../a.html"
        );
        assert_eq!(
            relative(&tmp, &tmp.join("nonesuch-in").join("a b.html")),
            "nonesuch-in/a b.html"
        );
    }
}

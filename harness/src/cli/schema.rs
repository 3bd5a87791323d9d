//! `mimispec schema [OP]`: the JSON Schemas of the ops' inputs and
//! results, as committed in harness/schemas/.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::Error;
use crate::ops::{self, OpSpec};

#[derive(clap::Args, Debug)]
pub struct SchemaArgs {
    /// One op (default: every op).
    pub op: Option<String>,
    /// Write `<op>.input.json` and `<op>.result.json` into DIR instead of
    /// printing.
    #[arg(long, value_name = "DIR")]
    pub write: Option<PathBuf>,
}

/// The committed schema files: name and text, for every op.
pub fn files() -> Vec<(String, String)> {
    ops::all().flat_map(files_of).collect()
}

fn files_of(op: &OpSpec) -> [(String, String); 2] {
    let text = |s: schemars::Schema| serde_json::to_string_pretty(&s).unwrap_or_default() + "\n";
    [
        (format!("{}.input.json", op.name), text(op.input_schema())),
        (format!("{}.result.json", op.name), text(op.result_schema())),
    ]
}

pub fn schema(args: SchemaArgs) -> Result<ExitCode, Error> {
    let selected: Vec<&OpSpec> = match &args.op {
        Some(name) => vec![ops::find(name).ok_or_else(|| {
            Error::Usage(format!(
                "no op {name:?} (`mimispec schema` prints every op's schemas)"
            ))
        })?],
        None => ops::all().collect(),
    };
    match &args.write {
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(Error::file(dir))?;
            for (name, text) in selected.into_iter().flat_map(files_of) {
                let path: PathBuf = Path::new(dir).join(name);
                std::fs::write(&path, text).map_err(Error::file(&path))?;
            }
        }
        None => {
            let all: serde_json::Map<String, serde_json::Value> = selected
                .iter()
                .map(|op| {
                    let both = serde_json::json!({
                        "input": op.input_schema(),
                        "result": op.result_schema(),
                    });
                    (op.name.to_owned(), both)
                })
                .collect();
            let text = serde_json::to_string_pretty(&all).map_err(std::io::Error::other)?;
            outln!("{text}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

//! `spyglass extract [FILE|-]` and `spyglass extract --jsonl FILE`.

use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Deserialize;
use spyglass_extract::TextInput;
use spyglass_store::Store;
use spyglass_store::load::text_extractor;

use crate::BadInput;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Text, Markdown or HTML file; `-` or nothing reads stdin
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,
    /// Read lines `{"id", "text"}` and write one result line per input, with its id
    #[arg(long, value_name = "FILE", conflicts_with = "file")]
    jsonl: Option<PathBuf>,
    /// Input kind: auto (by extension and content), text, markdown, html
    #[arg(long, default_value = "auto")]
    kind: String,
    /// Print JSON (the default for --jsonl)
    #[arg(long)]
    json: bool,
}

#[derive(Deserialize)]
struct Line {
    id: serde_json::Value,
    text: String,
}

fn kind_of<'a>(kind: &str, name: Option<&Path>, text: &'a str) -> Result<TextInput<'a>, BadInput> {
    let ext = name.and_then(|p| p.extension()).and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    Ok(match kind {
        "text" => TextInput::Plain(text),
        "markdown" | "md" => TextInput::Markdown(text),
        "html" => TextInput::Html(text),
        "auto" => {
            let head = text.trim_start().get(..200).unwrap_or(text.trim_start()).to_ascii_lowercase();
            if matches!(ext.as_str(), "html" | "htm") || head.starts_with("<!doctype html") || head.starts_with("<html") {
                TextInput::Html(text)
            } else if matches!(ext.as_str(), "md" | "markdown") {
                TextInput::Markdown(text)
            } else {
                TextInput::Plain(text)
            }
        }
        other => return Err(BadInput(format!("--kind {other:?}: expected auto, text, markdown or html"))),
    })
}

pub async fn run(data: &Path, a: Args) -> anyhow::Result<ExitCode> {
    let ex = text_extractor(&Store::new(data)).await?;
    if let Some(path) = &a.jsonl {
        let f = std::fs::File::open(path).map_err(|e| BadInput(format!("{}: {e}", path.display())))?;
        let mut bad = 0u64;
        for (i, line) in std::io::BufReader::new(f).lines().enumerate() {
            let line = line.map_err(|e| BadInput(format!("{} line {}: {e}", path.display(), i + 1)))?;
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<Line>(&line) {
                Ok(l) => {
                    let (_, e) = ex.extract_input(kind_of(&a.kind, None, &l.text)?);
                    let mut v = serde_json::to_value(&e)?;
                    if let Some(o) = v.as_object_mut() {
                        o.insert("id".into(), l.id);
                    }
                    outln!("{}", serde_json::to_string(&v)?);
                }
                Err(e) => {
                    bad += 1;
                    eprintln!("spyglass: {} line {}: {e}", path.display(), i + 1);
                }
            }
        }
        return Ok(if bad > 0 { ExitCode::from(2) } else { ExitCode::SUCCESS });
    }
    let mut bytes = Vec::new();
    let name = match &a.file {
        Some(p) if p.as_os_str() != "-" => {
            bytes = std::fs::read(p).map_err(|e| BadInput(format!("{}: {e}", p.display())))?;
            Some(p.as_path())
        }
        _ => {
            std::io::stdin().read_to_end(&mut bytes)?;
            None
        }
    };
    let label = name.map(|p| p.display().to_string()).unwrap_or_else(|| "stdin".into());
    let text = String::from_utf8(bytes).map_err(|e| BadInput(format!("{label}: not UTF-8 at byte {}", e.utf8_error().valid_up_to())))?;
    let (reduced, e) = ex.extract_input(kind_of(&a.kind, name, &text)?);
    if a.json {
        outln!("{}", serde_json::to_string_pretty(&e)?);
    } else {
        out!("{}", crate::render_findings::extraction(&e, &reduced));
    }
    Ok(ExitCode::SUCCESS)
}

//! `embargo names compare`: score name pairs, one JSON line each.

use std::io::{self, BufRead, BufReader};
use std::path::Path;

use anyhow::{Context, Result, bail};

use super::args::NameSchema;
use super::exit::Exit;
use super::output::Output;
use embargo::internals::screening::names::{Schema, compare as compare_names};

pub(super) fn schema(s: NameSchema) -> Schema {
    match s {
        NameSchema::Person => Schema::Person,
        NameSchema::Company => Schema::Company,
        NameSchema::Vessel => Schema::Vessel,
    }
}

/// One pair's result as a JSON line
fn pair_line(name1: &str, name2: &str, schema: Schema) -> (String, bool) {
    let m = compare_names(name1, name2, schema);
    let json = serde_json::json!({
        "name1": name1,
        "name2": name2,
        "schema": schema,
        "score": (m.score * 1000.0).round() / 1000.0,
        "strength": m.strength,
        "match": m.is_match(),
        "why": m.why,
    });
    (
        embargo::internals::report::escape::json_controls(json.to_string()),
        m.is_match(),
    )
}

/// Runs `names compare`: exit 0 when every pair matches, 1 when any does not
pub fn compare(
    default: NameSchema,
    pairs: Option<&Path>,
    name1: Option<&str>,
    name2: Option<&str>,
) -> Result<Exit> {
    let default = schema(default);
    let mut out = Output::stdout();
    let mut all = true;
    match (pairs, name1, name2) {
        (None, Some(a), Some(b)) => {
            let (text, matched) = pair_line(a, b, default);
            writeln!(out, "{text}")?;
            all = matched;
        }
        (Some(file), _, _) => {
            let input: Box<dyn BufRead> = if file == Path::new("-") {
                Box::new(BufReader::new(io::stdin().lock()))
            } else {
                let f = std::fs::File::open(file)
                    .with_context(|| format!("cannot open {}", file.display()))?;
                Box::new(BufReader::new(f))
            };
            // The csv crate reads quoted fields, including quoted line breaks, as RFC 4180 says.
            let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(input);
            let header = reader
                .headers()
                .with_context(|| format!("cannot read {}", file.display()))?
                .clone();
            let col = |name: &str| {
                header
                    .iter()
                    .position(|h| h.trim().eq_ignore_ascii_case(name))
            };
            let (Some(c1), Some(c2)) = (col("name1"), col("name2")) else {
                bail!(
                    "{}: the header must name the columns name1 and name2",
                    file.display()
                );
            };
            let cs = col("schema");
            for record in reader.records() {
                let record = record.with_context(|| format!("cannot read {}", file.display()))?;
                let line = record.position().map_or(0, |p| p.line());
                if record.iter().all(|f| f.trim().is_empty()) {
                    continue;
                }
                let (Some(a), Some(b)) = (record.get(c1), record.get(c2)) else {
                    bail!("{}:{line}: fewer columns than the header", file.display());
                };
                let s = match cs.and_then(|c| record.get(c)).map(str::trim) {
                    None | Some("") => default,
                    Some(s) => Schema::parse(s).with_context(|| {
                        format!("{}:{line}: unknown schema {s:?}", file.display())
                    })?,
                };
                let (json, matched) = pair_line(a, b, s);
                writeln!(out, "{json}")?;
                all &= matched;
            }
        }
        _ => bail!("give two names, or --pairs FILE"),
    }
    out.finish()?;
    Ok(if all { Exit::Clean } else { Exit::Found })
}

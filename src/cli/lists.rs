//! `embargo lists show`: read list files (format detected from their content) and print their counts.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::exit::Exit;
use embargo::lists::{self, Format, ListCatalog};
use embargo::report;

/// Runs `lists show`
pub fn show(files: &[PathBuf]) -> Result<Exit> {
    let mut detected = Vec::new();
    for path in files {
        detected.push((path.as_path(), detect(path)?));
    }
    let companion = |wanted: Format| -> Result<Option<&Path>> {
        let mut found = detected.iter().filter(|(_, f)| *f == wanted);
        let first = found.next().map(|(p, _)| *p);
        if found.next().is_some() {
            bail!("more than one {} given", wanted.as_str());
        }
        Ok(first)
    };
    let alt = companion(Format::OfacAlt)?;
    let add = companion(Format::OfacAdd)?;
    if (alt.is_some() || add.is_some()) && !detected.iter().any(|(_, f)| *f == Format::OfacSdn) {
        bail!("alt.csv and add.csv are read with their sdn.csv: give sdn.csv too");
    }
    let mut skipped = false;
    for (path, format) in &detected {
        let name = path.display().to_string();
        let catalog = match format {
            Format::UnXml => lists::read_un_xml(open(path)?),
            Format::Vessels => lists::read_vessels(open(path)?),
            Format::OfacSdn => {
                let mut alt = alt.map(open).transpose()?;
                let mut add = add.map(open).transpose()?;
                lists::read_ofac_sdn(
                    open(path)?,
                    alt.as_mut().map(|r| r as &mut dyn std::io::Read),
                    add.as_mut().map(|r| r as &mut dyn std::io::Read),
                )
            }
            Format::OfacAlt | Format::OfacAdd => continue,
        }
        .with_context(|| format!("cannot read {name}"))?;
        print_catalog(&name, &catalog);
        skipped |= !catalog.problems.is_empty();
    }
    Ok(if skipped { Exit::Found } else { Exit::Clean })
}

fn print_catalog(name: &str, catalog: &ListCatalog) {
    print!("{}", report::lists::summary(name, catalog));
    for problem in &catalog.problems {
        eprintln!("embargo: {name}: {problem}");
    }
}

fn open(path: &Path) -> Result<BufReader<File>> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    Ok(BufReader::new(file))
}

fn detect(path: &Path) -> Result<Format> {
    let mut reader = open(path)?;
    let head = reader
        .fill_buf()
        .with_context(|| format!("cannot read {}", path.display()))?;
    lists::detect(head).with_context(|| {
        format!(
            "{}: not a list file: expected UN XML (CONSOLIDATED_LIST), OFAC sdn.csv/alt.csv/add.csv, or the vessels CSV",
            path.display()
        )
    })
}

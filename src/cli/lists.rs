//! `embargo lists show`, `search` and `diff`: read list files (format detected from their content), then print their counts, the entries matching a name, or what changed between two versions.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::args::{IdArg, ListsFormat, NameSchema};
use super::exit::Exit;
use super::names;
use embargo::lists::{self, Candidate, Format, IdKind, ListCatalog, ListDiff};
use embargo::report;

/// Runs `lists show`
pub fn show(files: &[PathBuf]) -> Result<Exit> {
    let mut skipped = false;
    for (name, catalog) in load(files)? {
        print_catalog(&name, &catalog);
        skipped |= !catalog.problems.is_empty();
    }
    Ok(if skipped { Exit::Found } else { Exit::Clean })
}

/// Runs `lists search`: exit 1 when an entry was found
pub fn search(
    files: &[PathBuf],
    query: &str,
    schema: NameSchema,
    limit: usize,
    format: ListsFormat,
    id: Option<IdArg>,
) -> Result<Exit> {
    let catalogs = load(files)?;
    report_problems(&catalogs);
    let mut found: Vec<(&str, Candidate)> = Vec::new();
    for (name, catalog) in &catalogs {
        let candidates = match id {
            None => catalog.search(query, names::schema(schema), limit),
            Some(kind) => {
                let kind = match kind {
                    IdArg::Reference => IdKind::Reference,
                    IdArg::Document => IdKind::Document,
                    IdArg::Imo => IdKind::Imo,
                };
                catalog
                    .search_id(kind, query)
                    .into_iter()
                    .filter_map(|entry| catalog.candidate(entry, query))
                    .collect()
            }
        };
        found.extend(candidates.into_iter().map(|c| (name.as_str(), c)));
    }
    found.sort_by(|a, b| b.1.score.total_cmp(&a.1.score));
    found.truncate(limit);
    match format {
        ListsFormat::Human => print!("{}", report::lists::candidates_table(query, &found)),
        ListsFormat::Json => println!("{}", report::lists::candidates_json(query, &found)),
    }
    Ok(if found.is_empty() {
        Exit::Clean
    } else {
        Exit::Found
    })
}

/// Runs `lists diff`: exit 1 when the versions differ
pub fn diff(old: &Path, new: &Path, format: ListsFormat) -> Result<Exit> {
    let mut catalogs = load(&[old.to_path_buf()])?;
    catalogs.extend(load(&[new.to_path_buf()])?);
    report_problems(&catalogs);
    let [(_, old_catalog), (_, new_catalog)] = catalogs.as_slice() else {
        bail!("lists diff takes one list file for each version");
    };
    let diff = ListDiff::new(old_catalog, new_catalog);
    match format {
        ListsFormat::Human => print!(
            "{}",
            report::lists::diff_text(
                &old.display().to_string(),
                &new.display().to_string(),
                &diff
            )
        ),
        ListsFormat::Json => println!("{}", report::lists::diff_json(&diff)),
    }
    let same = diff.added.is_empty() && diff.removed.is_empty() && diff.changed.is_empty();
    Ok(if same { Exit::Clean } else { Exit::Found })
}

/// Reads list files: each file's name and catalog; OFAC's alt.csv and add.csv are read with
/// their sdn.csv and give no catalog of their own
fn load(files: &[PathBuf]) -> Result<Vec<(String, ListCatalog)>> {
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
    let mut catalogs = Vec::new();
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
        catalogs.push((name, catalog));
    }
    Ok(catalogs)
}

fn report_problems(catalogs: &[(String, ListCatalog)]) {
    for (name, catalog) in catalogs {
        for problem in &catalog.problems {
            eprintln!("embargo: {name}: {problem}");
        }
    }
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

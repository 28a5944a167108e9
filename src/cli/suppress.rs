//! The analyst's decisions on the command line: `--min-score` and `--suppressions FILE` of
//! `screen` and `explain`, read and checked before any record is judged, and `lists suppress`,
//! which appends a checked entry to a suppression file.

use std::path::Path;

use anyhow::{Context, Result, bail};

use super::args::DecisionArgs;
use super::exit::Exit;
use super::output::{self, say};
use embargo::internals::screening::matching::ListMatcher;
use embargo::internals::screening::suppress::{self, Decisions, MinScores, Suppression};

/// The decisions of a run: each `--min-score LIST` names a list screened against, once; the
/// suppression file reads whole (else the run stops, exit 2, naming the entry and the field)
pub fn decisions(args: &DecisionArgs, matcher: &ListMatcher<'_>) -> Result<Decisions> {
    let suppressions = match &args.suppressions {
        None => Vec::new(),
        Some(path) => suppression_file(path)?.1,
    };
    Ok(Decisions {
        min_scores: min_scores(&args.min_scores, matcher)?,
        suppressions,
    })
}

/// The minimum scores of `--min-score`, each naming a list screened against, once
pub fn min_scores(given: &[(Option<String>, f64)], matcher: &ListMatcher<'_>) -> Result<MinScores> {
    let names = matcher.names();
    let mut min_scores = MinScores::default();
    for (list, score) in given {
        match list {
            None if min_scores.all.is_some() => {
                bail!("--min-score {score}: a minimum for every list is given twice")
            }
            None => min_scores.all = Some(*score),
            Some(name) if !names.contains(&name.as_str()) => {
                let loaded = if names.is_empty() {
                    "no list is loaded".to_string()
                } else {
                    format!("the lists loaded are {}", names.join(", "))
                };
                bail!(
                    "--min-score {name}={score}: no list of that name is screened against ({loaded})"
                )
            }
            Some(name) if min_scores.lists.iter().any(|(n, _)| n == name) => {
                bail!("--min-score {name}={score}: a minimum for {name} is given twice")
            }
            Some(name) => min_scores.lists.push((name.clone(), *score)),
        }
    }
    Ok(min_scores)
}

/// A suppression file read whole: its text and its entries, or why not (naming the entry and
/// the field)
pub fn suppression_file(path: &Path) -> Result<(String, Vec<Suppression>)> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the suppression file {}", path.display()))?;
    let entries = suppress::read(&text)
        .with_context(|| format!("{}: not a valid suppression file", path.display()))?;
    Ok((text, entries))
}

/// Says at the end of a run what the decisions changed, when they changed something
pub fn say_totals(dropped: usize, suppressed: usize, expired: usize) {
    if dropped > 0 {
        say!("embargo: --min-score: {dropped} match(es) below their list's minimum were dropped");
    }
    if suppressed > 0 {
        say!("embargo: --suppressions: {suppressed} match(es) suppressed (shown, not judged)");
    }
    if expired > 0 {
        say!(
            "embargo: --suppressions: {expired} match(es) judged again, their suppressions expired \
before the record's date (each says so in its why)"
        );
    }
}

/// The fields of `lists suppress`
pub struct NewSuppression<'a> {
    /// The party's name
    pub party: Option<&'a str>,
    /// Or one of its identifiers
    pub party_id: Option<&'a str>,
    /// The list entry's reference
    pub entry: &'a str,
    /// Who decided
    pub by: &'a str,
    /// Why
    pub reason: &'a str,
    /// When, YYYY-MM-DD
    pub on: &'a str,
    /// Until when, YYYY-MM-DD
    pub expires: &'a str,
}

/// Runs `lists suppress`: appends the entry to `file` (created when missing) after checking
/// it and the file; the file is replaced whole (a temporary file renamed over it)
pub fn append(file: &Path, new: &NewSuppression<'_>) -> Result<Exit> {
    let mut fields = vec![
        ("entry", new.entry),
        ("by", new.by),
        ("reason", new.reason),
        ("on", new.on),
        ("expires", new.expires),
    ];
    if let Some(p) = new.party {
        fields.push(("party", p));
    }
    if let Some(p) = new.party_id {
        fields.push(("party_id", p));
    }
    // A field's problem is said as the option's (`--expires: ...`).
    let entry = Suppression::from_fields(&fields).map_err(|e| match e {
        suppress::SuppressionError::Field { field, problem, .. } => anyhow::anyhow!(
            "the suppression is not valid: --{}: {problem}",
            field.replace('_', "-")
        ),
        other => anyhow::anyhow!("the suppression is not valid: {other}"),
    })?;
    let existing = match std::fs::read_to_string(file) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            return Err(e).with_context(|| format!("cannot read {}", file.display()));
        }
    };
    let text = suppress::append(existing.as_deref().unwrap_or(""), &entry).with_context(|| {
        format!(
            "{}: not a valid suppression file; left as it was",
            file.display()
        )
    })?;
    match existing {
        Some(_) => output::replace_file(file, &text)?,
        None => output::write_file(file, &text)?,
    }
    say!(
        "embargo: {}: added: {} cleared of {} by {} on {}, until {}",
        embargo::internals::report::escape::for_terminal(&file.display().to_string()),
        embargo::internals::report::escape::for_terminal(&entry.party_text()),
        embargo::internals::report::escape::for_terminal(&entry.entry),
        embargo::internals::report::escape::for_terminal(&entry.by),
        entry.on,
        entry.expires
    );
    Ok(Exit::Clean)
}

//! `embargo lists show`, `search`, `diff` and `update`: read list files (format detected from their
//! content) and print their counts, the entries matching a name, or what changed between two versions;
//! download the UN list into the cache.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::args::{IdArg, ListArgs, ListsFormat, NameSchema};
use super::cache;
use super::exit::Exit;
use super::names;
use super::output::{self, say};
use embargo::internals::provenance::ListVersion;
use embargo::internals::report;
use embargo::internals::screening::index::{Candidate, IdKind};
use embargo::internals::screening::lists::{self, Format, ListCatalog, ListDiff, Snapshot};
use embargo::internals::screening::matching::ListMatcher;
use embargo::internals::screening::{Lists, read_files};

/// The official UN Security Council Consolidated List, XML
pub const UN_URL: &str = "https://scsanctions.un.org/resources/xml/en/consolidated.xml";

/// The largest body `lists update` accepts (the real list is about 2 MB)
const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// Runs `lists show`; with no file, the cached UN list
pub fn show(files: &[PathBuf], cache_dir: Option<&Path>, format: ListsFormat) -> Result<Exit> {
    if files.is_empty() {
        let dir = cache::dir(cache_dir)?;
        let _lock = cache::lock(&dir, false)?;
        let snapshots = cache::snapshots(&dir)?;
        let Some(newest) = snapshots.as_ref().and_then(|s| s.last()) else {
            say!(
                "embargo: no list in the cache ({}): run `embargo lists update` first",
                dir.display()
            );
            return Ok(Exit::Failed);
        };
        say!(
            "embargo: cached copy of {}, downloaded {}",
            newest.meta.url,
            newest.meta.downloaded_at
        );
        let catalog = cache::load(newest)?;
        return print_summaries(vec![(newest.xml.display().to_string(), catalog)], format);
    }
    print_summaries(load(files)?, format)
}

/// Runs `lists snapshots`: the cached snapshots of the UN list, oldest first, each checked
/// against its metadata (size and SHA-256); exit 2 when one does not match
pub fn snapshots(cache_dir: Option<&Path>, format: ListsFormat) -> Result<Exit> {
    let dir = cache::dir(cache_dir)?;
    let _lock = cache::lock(&dir, false)?;
    let Some(snapshots) = cache::snapshots(&dir)? else {
        say!(
            "embargo: no list in the cache ({}): run `embargo lists update` first",
            dir.display()
        );
        return Ok(Exit::Failed);
    };
    let mut failed = false;
    for s in &snapshots {
        let check = cache::verify(s);
        if let Err(e) = &check {
            say!("embargo: {e:#}");
            failed = true;
        }
        let status = if check.is_ok() { "ok" } else { "mismatch" };
        match format {
            ListsFormat::Human => output::print(&format!(
                "{}  generated {}  {} entries  sha256 {}  {}  {}\n",
                s.day,
                s.meta.date_generated,
                s.meta.entries,
                s.meta.sha256.as_deref().unwrap_or("(none)"),
                report::escape::for_terminal(&s.xml.display().to_string()),
                status
            ))?,
            ListsFormat::Json => output::print(&format!(
                "{}\n",
                serde_json::json!({
                    "day": s.day.to_string(),
                    "date_generated": s.meta.date_generated,
                    "entries": s.meta.entries,
                    "sha256": s.meta.sha256,
                    "bytes": s.meta.bytes,
                    "url": s.meta.url,
                    "downloaded_at": s.meta.downloaded_at,
                    "file": s.xml.display().to_string(),
                    "status": status,
                })
            ))?,
        }
    }
    Ok(if failed { Exit::Failed } else { Exit::Clean })
}

fn print_summaries(catalogs: Vec<(String, ListCatalog)>, format: ListsFormat) -> Result<Exit> {
    let mut skipped = false;
    for (name, catalog) in catalogs {
        match format {
            ListsFormat::Human => output::print(&report::lists::summary(&name, &catalog))?,
            ListsFormat::Json => output::print(&format!(
                "{}\n",
                report::lists::summary_json(&name, &catalog)
            ))?,
        }
        for problem in &catalog.problems {
            say!("embargo: {name}: {problem}");
        }
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
        ListsFormat::Human => output::print(&report::lists::candidates_table(query, &found))?,
        ListsFormat::Json => output::print(&format!(
            "{}\n",
            report::lists::candidates_json(query, &found)
        ))?,
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
        ListsFormat::Human => output::print(&report::lists::diff_text(
            &old.display().to_string(),
            &new.display().to_string(),
            &diff,
        ))?,
        ListsFormat::Json => output::print(&format!("{}\n", report::lists::diff_json(&diff)))?,
    }
    let same = diff.added.is_empty() && diff.removed.is_empty() && diff.changed.is_empty();
    Ok(if same { Exit::Clean } else { Exit::Found })
}

/// After screening: says on stderr which cached snapshots were read; an error when one could
/// not be read (the records that needed it had no match from the list)
pub fn after_screening(matcher: &ListMatcher<'_>) -> Result<()> {
    for (label, used) in matcher.snapshots_used() {
        if !used.is_empty() {
            say!(
                "embargo: {label}: snapshots used (generated): {}",
                used.join(", ")
            );
        }
    }
    if let Some(failure) = matcher.failure() {
        bail!(
            "a cached list could not be read: {failure}; the records that needed it were screened without it, so this output is not valid"
        );
    }
    Ok(())
}

/// The lists `screen` and `explain` use: the files of `--list`, else the cached UN list's
/// snapshots (none with `--no-lists`, or when nothing is cached: then a notice). Fails closed: a
/// file or a cache that cannot be read, or a list with no entries, is an error. What is used is
/// said on stderr. With them, the version (date, SHA-256) of each file, for `--provenance`: for
/// the cache, of every snapshot a record may be screened against.
pub fn for_screening(args: &ListArgs) -> Result<Lists> {
    if args.no_lists {
        return Ok(Default::default());
    }
    if !args.lists.is_empty() {
        // Every entry skipped is said before an empty list is refused: the reasons come first.
        let read = read_files(&args.lists)?;
        report_problems(&read.0);
        return Ok(Lists::from_read(read)?);
    }
    let dir = cache::dir(args.cache_dir.as_deref())?;
    // Under the shared lock until the newest is read: an update cannot swap a list and its
    // metadata in between.
    let lock = cache::lock(&dir, false)?;
    let cached = cache::snapshots(&dir)
        .context("the list cache cannot be read (give --no-lists to screen without lists, or run `embargo lists update`)")?;
    let mut versions = Vec::new();
    for c in cached.iter().flatten() {
        let sha256 = cache::verify(c).context(
            "the list cache cannot be used (run `embargo lists update`, or give --no-lists)",
        )?;
        versions.push(ListVersion {
            name: cache::UN_FILE.to_string(),
            generated: Some(c.meta.date_generated.clone()),
            sha256,
        });
    }
    let Some(cached) = cached else {
        say!(
            "embargo: no sanctions list: parties are judged only by the `ids.un_ref` they carry \
(run `embargo lists update` to download the UN list, or give --list FILE)"
        );
        return Ok(Default::default());
    };
    if let Some(newest) = cached.last() {
        say!(
            "embargo: screening parties against the cached UN list of {} (downloaded {})",
            newest.meta.date_generated,
            newest.meta.downloaded_at
        );
    }
    if let [oldest, .., newest] = cached.as_slice() {
        say!(
            "embargo: {} snapshots of it are cached, {} to {}: each record is screened against the one in force on its date",
            cached.len(),
            oldest.day,
            newest.day
        );
    }
    let snapshots = cached
        .into_iter()
        .map(|c| {
            let (generated, day) = (c.meta.date_generated.clone(), c.day);
            let load: lists::snapshot::Loader =
                Box::new(move || cache::load(&c).map_err(|e| format!("{e:#}")));
            Snapshot::new(generated, day, load)
        })
        .collect::<Vec<_>>();
    // The newest is read now, before any record: nearly every run needs it, and a broken copy
    // then stops the run before any verdict is written. The others, whose SHA-256 matched the
    // metadata written when they were validated, are read when a record needs them.
    if let Some(newest) = snapshots.last()
        && let Err(why) = newest.catalog()
    {
        bail!(
            "the list cache cannot be used (run `embargo lists update`, or give --no-lists): {why}"
        );
    }
    drop(lock);
    Ok(Lists::with_versions(
        Vec::new(),
        Some((cache::UN_FILE.to_string(), snapshots)),
        versions,
    ))
}

/// Reads list files: each file's name and catalog; OFAC's alt.csv and add.csv are read with
/// their sdn.csv and give no catalog of their own
fn load(files: &[PathBuf]) -> Result<Vec<(String, ListCatalog)>> {
    Ok(read_files(files)?.0)
}

fn report_problems(catalogs: &[(String, ListCatalog)]) {
    for (name, catalog) in catalogs {
        for problem in &catalog.problems {
            say!("embargo: {name}: {problem}");
        }
    }
}

/// How `lists update` judges a download against the cached copy
#[derive(Debug, Clone, Copy)]
pub struct UpdateRules {
    /// The largest drop in the number of entries accepted, in percent of the cached copy's
    pub max_shrink: u8,
    /// Keep an older, same-dated or shrunken list anyway (never a malformed, undated or empty one)
    pub force: bool,
}

/// Runs `lists update`: download, validate, and keep as a dated snapshot (the newest is the
/// last good copy)
pub fn update(url: Option<&str>, cache_dir: Option<&Path>, rules: UpdateRules) -> Result<Exit> {
    let url = url.unwrap_or(UN_URL);
    let dir = cache::dir(cache_dir)?;
    let (agent, hosts) = agent(url)?;
    let result = download(&agent, url, &hosts).and_then(|xml| validate(&xml).map(|c| (xml, c)));
    let (xml, catalog) = match result {
        Ok(ok) => ok,
        Err(why) => {
            say!("embargo: lists update: {url}: {why}");
            return kept(&dir);
        }
    };
    // Under the lock from here on: two updates at once are serialized, the second judged
    // against what the first wrote.
    let lock = cache::lock(&dir, true)?;
    let cached = match cache::snapshots(&dir) {
        Ok(cached) => cached.unwrap_or_default(),
        Err(e) if rules.force => {
            say!("embargo: lists update: the cache cannot be read ({e:#}): written over (--force)");
            Vec::new()
        }
        Err(e) => bail!(
            "{e:#}\n(the list cache cannot be read, so the download cannot be checked against it: remove the broken file, or give --force)"
        ),
    };
    let generated = catalog.date.clone().unwrap_or_default();
    let sha256 = cache::sha256(&xml);
    let entries = catalog.entries.len();
    if let Some(newest) = cached.last() {
        let theirs = &newest.meta;
        if theirs.date_generated == generated && theirs.sha256.as_deref() == Some(&sha256) {
            output::print(&format!(
                "{} is up to date: generated {}, {} entries\n",
                newest.xml.display(),
                generated,
                entries
            ))?;
            return Ok(Exit::Clean);
        }
        let refusal = if cache::generated_before(&generated, &theirs.date_generated) {
            Some(format!(
                "it was generated {generated}, before the cached copy ({})",
                theirs.date_generated
            ))
        } else if theirs.date_generated == generated {
            Some(format!(
                "it has the cached copy's dateGenerated ({generated}) but other content"
            ))
        } else if entries * 100 < theirs.entries * (100 - usize::from(rules.max_shrink.min(100))) {
            Some(format!(
                "it has {entries} entries, {} fewer than the cached copy's {} (more than --max-shrink {}%)",
                theirs.entries - entries,
                theirs.entries,
                rules.max_shrink
            ))
        } else {
            None
        };
        if let Some(why) = refusal {
            if !rules.force {
                say!(
                    "embargo: lists update: {url}: refused: {why}; give --force to keep it anyway"
                );
                drop(lock);
                return kept(&dir);
            }
            say!("embargo: lists update: {url}: {why}; kept anyway (--force)");
        }
    }
    let meta = cache::Meta {
        url: url.to_string(),
        date_generated: generated,
        downloaded_at: now(),
        entries,
        sha256: Some(sha256),
        bytes: Some(xml.len() as u64),
    };
    let file = cache::store(&dir, &xml, &meta)?;
    drop(lock);
    output::print(&format!(
        "updated {}: generated {}, {} entries\n",
        file.display(),
        meta.date_generated,
        meta.entries
    ))?;
    Ok(Exit::Clean)
}

/// After a failed update: names the last good copy (exit 1), or says there is none (exit 2)
fn kept(dir: &Path) -> Result<Exit> {
    let snapshots = {
        let _lock = cache::lock(dir, false)?;
        cache::snapshots(dir)
    };
    Ok(match snapshots {
        Ok(Some(cached)) if !cached.is_empty() => {
            if let Some(newest) = cached.last() {
                say!(
                    "embargo: kept the last good copy: {} (generated {}, downloaded {})",
                    newest.xml.display(),
                    newest.meta.date_generated,
                    newest.meta.downloaded_at
                );
            }
            Exit::Found
        }
        Ok(_) => {
            say!("embargo: there is no good copy in {} yet", dir.display());
            Exit::Failed
        }
        Err(e) => {
            say!("embargo: {e:#}: the list cache cannot be read");
            Exit::Failed
        }
    })
}

/// How many redirects `lists update` follows
const MAX_REDIRECTS: usize = 5;

/// An HTTP agent for `url`, and the hosts its redirects may lead to: HTTPS only (redirects
/// included), except plain HTTP to this machine; redirects are followed by [`download`], which
/// checks each, not by the agent
fn agent(url: &str) -> Result<(ureq::Agent, Vec<String>)> {
    let uri: ureq::http::Uri = url
        .parse()
        .with_context(|| format!("`{url}` is not a URL"))?;
    let loopback = match (uri.scheme_str(), uri.host()) {
        (Some("https"), Some(_)) => false,
        (Some("http"), Some(host)) if is_loopback(host) => true,
        (Some("http"), Some(_)) => bail!(
            "refusing plain http for `{url}`: lists are downloaded over https (plain http only to 127.0.0.1, localhost or [::1])"
        ),
        _ => bail!("`{url}` is not an https URL"),
    };
    let mut hosts: Vec<String> = uri
        .host()
        .map(str::to_ascii_lowercase)
        .into_iter()
        .collect();
    if url == UN_URL {
        hosts.extend(UN_HOSTS.iter().map(|h| h.to_string()));
    }
    let config = ureq::Agent::config_builder()
        .https_only(!loopback)
        .max_redirects(0)
        .timeout_global(Some(std::time::Duration::from_secs(120)))
        .user_agent(concat!("embargo/", env!("CARGO_PKG_VERSION")));
    // A proxy from the environment must not see requests meant for this machine.
    let config = if loopback { config.proxy(None) } else { config };
    Ok((config.build().new_agent(), hosts))
}

/// The hosts the official address may redirect to, besides its own
const UN_HOSTS: [&str; 2] = ["main.un.org", "www.un.org"];

fn is_loopback(host: &str) -> bool {
    matches!(host, "127.0.0.1" | "localhost" | "[::1]" | "::1")
}

/// Downloads `url`, following at most [`MAX_REDIRECTS`] redirects, each to https (or plain
/// http to this machine when `url` was) on one of `hosts`
fn download(agent: &ureq::Agent, url: &str, hosts: &[String]) -> Result<Vec<u8>, String> {
    let mut current = url.to_string();
    for _ in 0..=MAX_REDIRECTS {
        let mut response = agent
            .get(&current)
            .call()
            .map_err(|e| format!("download failed: {e}"))?;
        if response.status().is_redirection() {
            let location = response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .ok_or_else(|| {
                    format!(
                        "download failed: {current} answered {} without a Location",
                        response.status()
                    )
                })?;
            current = redirect(url, &current, location, hosts)?;
            continue;
        }
        return response
            .body_mut()
            .with_config()
            .limit(MAX_BYTES)
            .read_to_vec()
            .map_err(|e| format!("download failed while reading the body: {e}"));
    }
    Err(format!(
        "download failed: more than {MAX_REDIRECTS} redirects"
    ))
}

/// Where a redirect from `current` to `location` leads, if it may be followed: https, or plain
/// http to this machine when the first address was, and a host among `hosts`
fn redirect(
    first: &str,
    current: &str,
    location: &str,
    hosts: &[String],
) -> Result<String, String> {
    let refused = |why: &str| format!("refusing the redirect to `{location}`: {why}");
    let base: ureq::http::Uri = current
        .parse()
        .map_err(|_| refused("cannot read the address"))?;
    let next = if location.contains("://") {
        location.to_string()
    } else if location.starts_with("//") {
        format!("{}:{location}", base.scheme_str().unwrap_or("https"))
    } else {
        let authority = base.authority().map_or("", |a| a.as_str());
        let scheme = base.scheme_str().unwrap_or("https");
        if location.starts_with('/') {
            format!("{scheme}://{authority}{location}")
        } else {
            let path = base.path();
            let folder = path.rsplit_once('/').map_or("", |(f, _)| f);
            format!("{scheme}://{authority}{folder}/{location}")
        }
    };
    let uri: ureq::http::Uri = next.parse().map_err(|_| refused("not a URL"))?;
    let host = uri.host().unwrap_or_default().to_ascii_lowercase();
    let first_loopback = first
        .parse::<ureq::http::Uri>()
        .ok()
        .is_some_and(|u| u.scheme_str() == Some("http"));
    match uri.scheme_str() {
        Some("https") => {}
        Some("http") if first_loopback && is_loopback(&host) => {}
        _ => return Err(refused("lists are downloaded over https only")),
    }
    if !hosts.contains(&host) {
        return Err(refused(&format!(
            "`{host}` is not among the hosts allowed ({})",
            hosts.join(", ")
        )));
    }
    Ok(next)
}

/// The downloaded file must parse as the UN list, carry its date and list at least one entry
fn validate(xml: &[u8]) -> Result<ListCatalog, String> {
    let invalid = |why: String| format!("the download is not a valid UN Consolidated List: {why}");
    if lists::detect(xml) != Some(Format::UnXml) {
        return Err(invalid("no CONSOLIDATED_LIST root element".to_string()));
    }
    let catalog = lists::read_un_xml(xml).map_err(|e| invalid(e.to_string()))?;
    match catalog.date.as_deref() {
        None => return Err(invalid("no dateGenerated".to_string())),
        Some(date) if cache::day_of(date).is_none() => {
            return Err(invalid(format!("dateGenerated `{date}` is not a date")));
        }
        Some(_) => {}
    }
    if catalog.entries.is_empty() {
        return Err(invalid("no entries".to_string()));
    }
    Ok(catalog)
}

/// The current time, RFC 3339 in UTC: `lists update` records when it downloaded, `screen`
/// when an HTML report's run began
pub(super) fn now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    i64::try_from(secs)
        .ok()
        .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
        .map_or_else(
            || "unknown".to_string(),
            |t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        )
}

#[cfg(test)]
mod tests {
    use super::redirect;

    fn hosts(h: &[&str]) -> Vec<String> {
        h.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn redirects_resolve_against_the_current_address() {
        let un = hosts(&["scsanctions.un.org", "main.un.org"]);
        let from = "https://scsanctions.un.org/resources/xml/en/consolidated.xml";
        assert_eq!(
            redirect(from, from, "/x/list.xml", &un).as_deref(),
            Ok("https://scsanctions.un.org/x/list.xml")
        );
        assert_eq!(
            redirect(from, from, "other.xml", &un).as_deref(),
            Ok("https://scsanctions.un.org/resources/xml/en/other.xml")
        );
        assert_eq!(
            redirect(from, from, "https://MAIN.un.org/list.xml", &un).as_deref(),
            Ok("https://MAIN.un.org/list.xml")
        );
        assert_eq!(
            redirect(from, from, "//main.un.org/list.xml", &un).as_deref(),
            Ok("https://main.un.org/list.xml")
        );
    }

    #[test]
    fn redirects_never_leave_https_or_the_configured_hosts() {
        let un = hosts(&["scsanctions.un.org", "main.un.org"]);
        let from = "https://scsanctions.un.org/resources/xml/en/consolidated.xml";
        for (to, why) in [
            ("http://scsanctions.un.org/consolidated.xml", "https only"),
            ("http://127.0.0.1/consolidated.xml", "https only"),
            (
                "https://evil.example/consolidated.xml",
                "`evil.example` is not among",
            ),
            ("https://un.org.evil.example/x.xml", "is not among"),
            ("https://www.un.org/x.xml", "`www.un.org` is not among"),
        ] {
            let err = redirect(from, from, to, &un).unwrap_err();
            assert!(err.contains(why), "{to}: {err}");
        }
    }
}

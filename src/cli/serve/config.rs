//! The settings of `embargo serve`: the `--config` YAML file, then the command line over it.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::cli::args::{DecisionArgs, ListArgs, RuleArgs, parse_list_verdict};

/// The address served when neither `--addr` nor the config file names one: loopback only
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";

/// The config file (`docs/serve.md`, "Configuration"); every key optional
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct File {
    /// The address and port to listen on
    pub addr: Option<String>,
    /// Rule files or folders added to the embedded pack
    #[serde(default)]
    pub rules: Vec<PathBuf>,
    /// Leave the embedded pack out: the `rules` alone
    #[serde(default)]
    pub no_default_rules: bool,
    /// The verdicts of `list.NAME` findings, `NAME=VERDICT` as `--list-verdict` takes them
    #[serde(default)]
    pub list_verdicts: Vec<String>,
    /// Lists to screen against instead of the cached UN list
    #[serde(default)]
    pub lists: Vec<PathBuf>,
    /// Screen against no list
    #[serde(default)]
    pub no_lists: bool,
    /// The cache folder of `embargo lists update`
    pub cache_dir: Option<PathBuf>,
    /// Minimum scores of matches, `[LIST=]SCORE` as `screen --min-score` takes them
    #[serde(default)]
    pub min_scores: Vec<String>,
    /// A suppression file, as `screen --suppressions`: read again on each reload
    pub suppressions: Option<PathBuf>,
    /// `/readyz` answers 503 when a list served is older than this many days
    pub max_list_age_days: Option<u32>,
    /// Reload when a rule or list file changes (default true)
    pub watch: Option<bool>,
    /// Where and how each decision is logged
    pub decision_log: Option<super::log::LogSettings>,
    /// Who may call: API keys
    pub auth: Option<super::auth::AuthSettings>,
    /// Serve HTTPS with this certificate and key
    pub tls: Option<Tls>,
    /// The limits of each request
    #[serde(default)]
    pub limits: FileLimits,
}

/// `tls:` of the config file: PEM files
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tls {
    /// The certificate chain, the server's first
    pub cert: PathBuf,
    /// Its private key
    pub key: PathBuf,
}

/// `limits:` of the config file
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileLimits {
    pub body_bytes: Option<usize>,
    pub records: Option<usize>,
    pub deadline_ms: Option<u64>,
    pub concurrency: Option<usize>,
}

/// The limits a request is held to
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest body read, in bytes (413 above it)
    pub body_bytes: usize,
    /// The most records in one request (413 above it)
    pub records: usize,
    /// How long a request may take before it is answered 503
    pub deadline: Duration,
    /// Requests handled at once; one more is answered 503 with `Retry-After`
    pub concurrency: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            body_bytes: 16 << 20,
            records: 10_000,
            deadline: Duration::from_secs(10),
            concurrency: 64,
        }
    }
}

/// Everything `serve` runs with
#[derive(Debug)]
pub struct Settings {
    pub addr: SocketAddr,
    /// The rules: the embedded pack with these added, or these alone
    pub rules: RuleArgs,
    pub lists: ListArgs,
    /// The analyst's decisions: `--min-score`, `--suppressions`
    pub decisions: DecisionArgs,
    pub limits: Limits,
    /// `/readyz` is 503 when a list is older than this many days
    pub max_list_age_days: Option<u32>,
    /// Reload when a rule or list file changes
    pub watch: bool,
    /// The decision log, if one is kept
    pub decision_log: Option<super::log::LogSettings>,
    /// The keys callers must give (none: anyone who reaches the server may call)
    pub auth: super::auth::Keys,
    /// HTTPS with these files, else plain HTTP
    pub tls: Option<Tls>,
}

impl Settings {
    /// The config file (if any) under the command line's options: a rule or list path, an
    /// address or `--no-lists` given on the command line replaces the file's
    pub fn new(
        config: Option<&Path>,
        addr: Option<&str>,
        rules: &RuleArgs,
        lists: &ListArgs,
        decisions: &DecisionArgs,
    ) -> Result<Settings> {
        let file = match config {
            Some(path) => read(path)?,
            None => File::default(),
        };
        let base = config.and_then(Path::parent).unwrap_or(Path::new(""));
        // Paths in the file are relative to the file
        let relative = |paths: Vec<PathBuf>| -> Vec<PathBuf> {
            paths.into_iter().map(|p| base.join(p)).collect()
        };
        let addr_text = addr
            .map(str::to_string)
            .or(file.addr)
            .unwrap_or_else(|| DEFAULT_ADDR.to_string());
        let addr: SocketAddr = addr_text.parse().with_context(|| {
            format!("`{addr_text}` is not an address and port (such as 127.0.0.1:8080)")
        })?;
        let mut rules = rules.clone();
        if rules.rules.is_empty() {
            rules.rules = relative(file.rules);
        }
        rules.no_default_rules |= file.no_default_rules;
        let mut lists = lists.clone();
        if lists.lists.is_empty() && !lists.no_lists {
            lists.lists = relative(file.lists);
            lists.no_lists = file.no_lists;
        }
        if lists.no_lists && !lists.lists.is_empty() {
            bail!("no_lists and lists are both given: screen against the lists, or against none");
        }
        if lists.cache_dir.is_none() {
            lists.cache_dir = file.cache_dir.map(|d| base.join(d));
        }
        if lists.list_verdicts.is_empty() {
            lists.list_verdicts = file
                .list_verdicts
                .iter()
                .map(|text| {
                    parse_list_verdict(text)
                        .map_err(|e| anyhow::anyhow!("list_verdicts: `{text}`: {e}"))
                })
                .collect::<Result<_>>()?;
        }
        let mut decisions = decisions.clone();
        if decisions.min_scores.is_empty() {
            decisions.min_scores = crate::cli::config::min_scores(&file.min_scores)?;
        }
        if decisions.suppressions.is_none() {
            decisions.suppressions = file.suppressions.map(|p| base.join(p));
        }
        let defaults = Limits::default();
        let l = file.limits;
        let limits = Limits {
            body_bytes: positive("limits.body_bytes", l.body_bytes, defaults.body_bytes)?,
            records: positive("limits.records", l.records, defaults.records)?,
            deadline: Duration::from_millis(positive(
                "limits.deadline_ms",
                l.deadline_ms,
                defaults.deadline.as_millis() as u64,
            )?),
            concurrency: positive("limits.concurrency", l.concurrency, defaults.concurrency)?,
        };
        Ok(Settings {
            addr,
            rules,
            lists,
            decisions,
            limits,
            max_list_age_days: file.max_list_age_days,
            watch: file.watch.unwrap_or(true),
            decision_log: file.decision_log.map(|mut log| {
                log.path = base.join(&log.path);
                log
            }),
            auth: super::auth::Keys::new(&file.auth.unwrap_or_default())?,
            tls: file.tls.map(|t| Tls {
                cert: base.join(t.cert),
                key: base.join(t.key),
            }),
        })
    }
}

/// Reads and checks the config file: an `embargo.toml` (its `[serve]` table, the keys it
/// leaves out taken from the file's top level), or the server's YAML file
fn read(path: &Path) -> Result<File> {
    if path.extension().is_some_and(|e| e == "toml") {
        return read_toml(path);
    }
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the config file {}", path.display()))?;
    if text.trim().is_empty() {
        return Ok(File::default());
    }
    serde_yaml::from_str(&text).with_context(|| format!("{}: not a serve config", path.display()))
}

/// The server's settings of an `embargo.toml`: its `[serve]` table, with the keys shared with
/// `screen` (rules, lists, thresholds, suppressions) taken from the top level where the table
/// does not give them; paths as written (relative to the file)
fn read_toml(path: &Path) -> Result<File> {
    let config = crate::cli::config::Config::read_as_written(path)?;
    let mut file: File = match config.serve {
        Some(table) => toml::Value::Table(table)
            .try_into()
            .map_err(|e| anyhow::anyhow!("{}: [serve]: {e}", path.display()))?,
        None => File::default(),
    };
    if file.rules.is_empty() {
        file.rules = config.rules;
    }
    file.no_default_rules |= config.no_default_rules;
    if file.lists.is_empty() && !file.no_lists {
        file.lists = config.lists;
        file.no_lists = config.no_lists;
    }
    file.cache_dir = file.cache_dir.or(config.cache_dir);
    if file.min_scores.is_empty() {
        file.min_scores = config.min_scores;
    }
    file.suppressions = file.suppressions.or(config.suppressions);
    if file.list_verdicts.is_empty() {
        file.list_verdicts = config.list_verdicts;
    }
    Ok(file)
}

/// A limit given, which must be above zero, or its default
fn positive<T: PartialOrd + Default + std::fmt::Display>(
    key: &str,
    given: Option<T>,
    default: T,
) -> Result<T> {
    match given {
        Some(v) if v <= T::default() => bail!("{key} must be above 0, not {v}"),
        Some(v) => Ok(v),
        None => Ok(default),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_lists() -> ListArgs {
        ListArgs {
            lists: Vec::new(),
            no_lists: false,
            cache_dir: None,
            list_verdicts: Vec::new(),
        }
    }

    fn no_decisions() -> DecisionArgs {
        DecisionArgs {
            min_scores: Vec::new(),
            suppressions: None,
        }
    }

    fn with_file(text: &str) -> Result<Settings> {
        with_file_named(text, "yaml")
    }

    fn with_file_named(text: &str, extension: &str) -> Result<Settings> {
        let dir = std::env::temp_dir().join(format!("embargo-serve-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = dir.join(format!("{n}.{extension}"));
        std::fs::write(&path, text)?;
        let settings = Settings::new(
            Some(&path),
            None,
            &RuleArgs::default(),
            &no_lists(),
            &no_decisions(),
        );
        std::fs::remove_file(&path)?;
        settings
    }

    #[test]
    fn loopback_and_the_defaults_without_a_file() {
        let s = Settings::new(
            None,
            None,
            &RuleArgs::default(),
            &no_lists(),
            &no_decisions(),
        )
        .unwrap();
        assert_eq!(s.addr.to_string(), "127.0.0.1:8080");
        assert_eq!(s.limits, Limits::default());
        assert!(
            s.rules.rules.is_empty()
                && !s.rules.no_default_rules
                && s.lists.lists.is_empty()
                && !s.lists.no_lists
        );
        assert_eq!((s.max_list_age_days, s.watch), (None, true));
    }

    #[test]
    fn the_file_sets_limits_and_paths_relative_to_itself() {
        let s = with_file(
            "addr: 127.0.0.1:9999\nrules: [firm]\nlists: [un.xml]\nmax_list_age_days: 7\nwatch: false\nlimits:\n  body_bytes: 1000\n  records: 5\n  deadline_ms: 250\n  concurrency: 2\n",
        )
        .unwrap();
        assert_eq!(s.addr.to_string(), "127.0.0.1:9999");
        assert_eq!(
            s.limits,
            Limits {
                body_bytes: 1000,
                records: 5,
                deadline: Duration::from_millis(250),
                concurrency: 2
            }
        );
        assert_eq!((s.max_list_age_days, s.watch), (Some(7), false));
        assert!(s.rules.rules[0].ends_with("firm") && s.rules.rules[0].is_absolute());
        assert!(s.lists.lists[0].ends_with("un.xml") && s.lists.lists[0].is_absolute());
        assert!(s.decisions.min_scores.is_empty() && s.decisions.suppressions.is_none());
    }

    #[test]
    fn an_embargo_toml_gives_its_serve_table_and_the_shared_keys_of_its_top_level() {
        let s = with_file_named(
            "rules = [\"firm\"]\nno_default_rules = true\nlists = [\"un.xml\"]\n\
min_scores = [\"0.9\"]\nlist_verdicts = [\"un.xml=prohibited\"]\n\
[serve]\naddr = \"127.0.0.1:9999\"\nlists = [\"ours.xml\"]\nlimits = { records = 5 }\n",
            "toml",
        )
        .unwrap();
        assert_eq!(s.addr.to_string(), "127.0.0.1:9999");
        assert_eq!(s.limits.records, 5);
        assert!(s.rules.rules[0].ends_with("firm") && s.rules.rules[0].is_absolute());
        assert!(s.rules.no_default_rules);
        // The [serve] table's lists win over the top level's
        assert!(
            s.lists.lists[0].ends_with("ours.xml"),
            "{:?}",
            s.lists.lists
        );
        assert_eq!(s.lists.list_verdicts.len(), 1);
        assert_eq!(s.decisions.min_scores, [(None, 0.9)]);
        let e = format!(
            "{:#}",
            with_file_named("[serve]\nadr = \"127.0.0.1:1\"\n", "toml").unwrap_err()
        );
        assert!(
            e.contains("[serve]") && e.contains("unknown field `adr`"),
            "{e}"
        );
    }

    #[test]
    fn the_file_sets_the_analysts_decisions() {
        let s = with_file("min_scores: [\"0.85\", \"sdn.csv=0.95\"]\nsuppressions: ours.yaml\n")
            .unwrap();
        assert_eq!(
            s.decisions.min_scores,
            [(None, 0.85), (Some("sdn.csv".to_string()), 0.95)]
        );
        let file = s.decisions.suppressions.unwrap();
        assert!(
            file.ends_with("ours.yaml") && file.is_absolute(),
            "{file:?}"
        );
        let e = format!("{:#}", with_file("min_scores: [\"0.5\"]\n").unwrap_err());
        assert!(e.contains("min_scores: `0.5`"), "{e}");
    }

    #[test]
    fn the_command_line_wins_over_the_file() {
        let dir = std::env::temp_dir();
        let path = dir.join(format!("embargo-serve-wins-{}.yaml", std::process::id()));
        std::fs::write(&path, "addr: 127.0.0.1:9999\nlists: [un.xml]\n").unwrap();
        let mut lists = no_lists();
        lists.no_lists = true;
        let decisions = DecisionArgs {
            min_scores: vec![(None, 0.9)],
            suppressions: Some("mine.yaml".into()),
        };
        let s = Settings::new(
            Some(&path),
            Some("127.0.0.1:0"),
            &RuleArgs {
                rules: vec!["mine".into()],
                no_default_rules: false,
            },
            &lists,
            &decisions,
        )
        .unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(s.addr.to_string(), "127.0.0.1:0");
        assert_eq!(s.rules.rules, [PathBuf::from("mine")]);
        assert!(s.lists.no_lists && s.lists.lists.is_empty());
        assert_eq!(s.decisions.min_scores, [(None, 0.9)]);
        assert_eq!(s.decisions.suppressions, Some("mine.yaml".into()));
    }

    #[test]
    fn a_misspelt_key_or_a_zero_limit_is_an_error_naming_it() {
        let e = format!("{:#}", with_file("limts:\n  records: 5\n").unwrap_err());
        assert!(
            e.contains("unknown field `limts`") && e.contains("limits"),
            "{e}"
        );
        let e = format!("{:#}", with_file("limits:\n  recods: 5\n").unwrap_err());
        assert!(
            e.contains("unknown field `recods`") && e.contains("records"),
            "{e}"
        );
        let e = format!(
            "{:#}",
            with_file("limits:\n  concurrency: 0\n").unwrap_err()
        );
        assert!(
            e.contains("limits.concurrency must be above 0, not 0"),
            "{e}"
        );
        let e = format!("{:#}", with_file("addr: localhost\n").unwrap_err());
        assert!(e.contains("`localhost` is not an address and port"), "{e}");
        let e = format!(
            "{:#}",
            with_file("lists: [a.xml]\nno_lists: true\n").unwrap_err()
        );
        assert!(e.contains("no_lists and lists are both given"), "{e}");
    }
}

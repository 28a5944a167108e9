//! The settings file, `embargo.toml` (docs/config.md): the options a firm always sets (its
//! rules beside the embedded pack, its lists, thresholds and suppressions), read from `--config`
//! or found in the current folder or the nearest one above it, under the command line's options.
//!
//! The order is the usual one: what is built in, then the file, then the command line; an option
//! given on the command line replaces the file's value for that option (a repeatable option's
//! values replace the file's list, they are not added to it).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use super::args::{
    ConfigArgs, DecisionArgs, InputArgs, ListArgs, RuleArgs, parse_list_verdict, parse_min_score,
};
use super::output::say;

/// The file's name, looked for in the current folder and each one above it
pub const FILE_NAME: &str = "embargo.toml";

/// The settings file; every key optional. Paths in it are relative to its folder.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Rule files or folders added to the embedded pack, as `--rules`
    #[serde(default)]
    pub rules: Vec<PathBuf>,
    /// Leave the embedded pack out, as `--no-default-rules`
    #[serde(default)]
    pub no_default_rules: bool,
    /// Lists to screen against instead of the cached UN list, as `--list`
    #[serde(default)]
    pub lists: Vec<PathBuf>,
    /// Screen against no list, as `--no-lists`
    #[serde(default)]
    pub no_lists: bool,
    /// The cache folder of `embargo lists update`, as `--cache-dir`
    pub cache_dir: Option<PathBuf>,
    /// Minimum scores, `[LIST=]SCORE` as `--min-score` takes them
    #[serde(default)]
    pub min_scores: Vec<String>,
    /// The suppression file, as `--suppressions`
    pub suppressions: Option<PathBuf>,
    /// The verdicts of `list.NAME` findings, `NAME=VERDICT` as `--list-verdict` takes them
    #[serde(default)]
    pub list_verdicts: Vec<String>,
    /// Worker threads of `screen`, as `--threads` (taken by `cli::run`, before the pool starts)
    pub threads: Option<usize>,
    /// The map of a firm's own column headers, as `--columns`
    pub columns: Option<PathBuf>,
    /// The server's own settings (`embargo serve`), as its YAML file has them (docs/serve.md)
    pub serve: Option<toml::Table>,
}

impl Config {
    /// Reads and checks the file at `path`, its paths made relative to its folder
    pub fn read(path: &Path) -> Result<Config> {
        let mut config = Config::read_as_written(path)?;
        let base = path.parent().unwrap_or(Path::new(""));
        let join = |p: &mut PathBuf| *p = base.join(&*p);
        config.rules.iter_mut().for_each(join);
        config.lists.iter_mut().for_each(join);
        config.cache_dir.iter_mut().for_each(join);
        config.suppressions.iter_mut().for_each(join);
        config.columns.iter_mut().for_each(join);
        Ok(config)
    }

    /// Reads and checks the file at `path`, its paths as written
    pub fn read_as_written(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the settings file {}", path.display()))?;
        let config: Config =
            toml::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        if config.no_lists && !config.lists.is_empty() {
            bail!(
                "{}: no_lists and lists are both given: screen against the lists, or against none",
                path.display()
            );
        }
        if let Some(threads) = config.threads {
            let most = super::args::MAX_THREADS as usize;
            if !(1..=most).contains(&threads) {
                bail!("{}: threads = {threads}: from 1 to {most}", path.display());
            }
        }
        Ok(config)
    }
}

/// The settings file to read: `--config`, else `embargo.toml` in `start` or the nearest folder
/// above it (said on stderr, since nothing on the command line names it), else none
pub fn locate(args: &ConfigArgs, start: &Path) -> Result<Option<PathBuf>> {
    locate_path(args.config.as_deref(), args.no_config, start)
}

/// [`locate`] of the options themselves
pub fn locate_path(
    config: Option<&Path>,
    no_config: bool,
    start: &Path,
) -> Result<Option<PathBuf>> {
    if let Some(path) = config {
        if !path.is_file() {
            bail!("--config {}: no such file", path.display());
        }
        return Ok(Some(path.to_path_buf()));
    }
    if no_config {
        return Ok(None);
    }
    let found = find(start);
    if let Some(path) = &found {
        say!(
            "embargo: settings from {} (--no-config to read none)",
            path.display()
        );
    }
    Ok(found)
}

/// `embargo.toml` in `start` or the nearest folder above it
pub fn find(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|path| path.is_file())
}

/// The options of a command that judges records, each left as the command line gave it, or
/// taken from the file where the command line did not give it
pub struct Options<'a> {
    pub rules: &'a mut RuleArgs,
    pub lists: &'a mut ListArgs,
    pub decisions: Option<&'a mut DecisionArgs>,
    pub input: Option<&'a mut InputArgs>,
}

impl Options<'_> {
    /// Takes from `config` what the command line did not give
    pub fn merge(self, config: Config) -> Result<()> {
        let Options {
            rules,
            lists,
            decisions,
            input,
        } = self;
        if rules.rules.is_empty() {
            rules.rules = config.rules;
        }
        rules.no_default_rules |= config.no_default_rules;
        // `--list` and `--no-lists` are one choice: either on the command line replaces the
        // file's
        if lists.lists.is_empty() && !lists.no_lists {
            lists.lists = config.lists;
            lists.no_lists = config.no_lists;
        }
        if lists.cache_dir.is_none() {
            lists.cache_dir = config.cache_dir;
        }
        if lists.list_verdicts.is_empty() {
            lists.list_verdicts = config
                .list_verdicts
                .iter()
                .map(|text| {
                    parse_list_verdict(text)
                        .map_err(|e| anyhow::anyhow!("list_verdicts: `{text}`: {e}"))
                })
                .collect::<Result<_>>()?;
        }
        if let Some(decisions) = decisions {
            if decisions.min_scores.is_empty() {
                decisions.min_scores = min_scores(&config.min_scores)?;
            }
            if decisions.suppressions.is_none() {
                decisions.suppressions = config.suppressions;
            }
        }
        if let Some(input) = input
            && input.columns.is_none()
        {
            input.columns = config.columns;
        }
        Ok(())
    }
}

/// The `min_scores` of a settings file, read as `--min-score` reads each
pub fn min_scores(texts: &[String]) -> Result<Vec<(Option<String>, f64)>> {
    texts
        .iter()
        .map(|text| parse_min_score(text).map_err(|e| anyhow::anyhow!("min_scores: `{text}`: {e}")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A folder of its own under the temporary folder, removed at the end
    struct Dir(PathBuf);

    impl Dir {
        fn new(name: &str) -> Dir {
            let dir =
                std::env::temp_dir().join(format!("embargo-config-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(dir.join("a/b")).expect("a temporary folder");
            Dir(dir)
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn read(dir: &Dir, text: &str) -> Result<Config> {
        let path = dir.0.join(FILE_NAME);
        std::fs::write(&path, text)?;
        Config::read(&path)
    }

    #[test]
    fn found_in_the_nearest_folder_above() {
        let dir = Dir::new("find");
        assert_eq!(find(&dir.0.join("a/b")), None);
        std::fs::write(dir.0.join(FILE_NAME), "").expect("written");
        assert_eq!(find(&dir.0.join("a/b")), Some(dir.0.join(FILE_NAME)));
        std::fs::write(dir.0.join("a").join(FILE_NAME), "").expect("written");
        assert_eq!(
            find(&dir.0.join("a/b")),
            Some(dir.0.join("a").join(FILE_NAME))
        );
        let none = ConfigArgs {
            config: None,
            no_config: true,
        };
        assert_eq!(locate(&none, &dir.0.join("a/b")).expect("no error"), None);
    }

    #[test]
    fn paths_are_relative_to_the_file() {
        let dir = Dir::new("paths");
        let config = read(
            &dir,
            "rules = [\"firm/\"]\nlists = [\"un.xml\"]\nsuppressions = \"cleared.yaml\"\n",
        )
        .expect("read");
        assert_eq!(config.rules, [dir.0.join("firm/")]);
        assert_eq!(config.lists, [dir.0.join("un.xml")]);
        assert_eq!(config.suppressions, Some(dir.0.join("cleared.yaml")));
    }

    #[test]
    fn an_unknown_key_is_an_error_naming_it_and_the_known_ones() {
        let dir = Dir::new("unknown");
        let e = read(&dir, "rule = [\"firm/\"]\n")
            .expect_err("an unknown key")
            .to_string();
        assert!(e.contains("unknown field `rule`"), "{e}");
        assert!(e.contains("`rules`"), "{e}");
        assert!(e.contains("line 1"), "{e}");
    }

    #[test]
    fn bad_values_are_errors() {
        let dir = Dir::new("bad");
        let e = read(&dir, "lists = [\"a.xml\"]\nno_lists = true\n").expect_err("both");
        assert!(e.to_string().contains("no_lists and lists"), "{e}");
        let e = read(&dir, "threads = 0\n").expect_err("no thread");
        assert!(e.to_string().contains("from 1 to 256"), "{e}");
        let e = min_scores(&["0.5".to_string()]).expect_err("below the threshold");
        assert!(e.to_string().contains("min_scores: `0.5`"), "{e}");
    }

    #[test]
    fn the_command_line_wins_over_the_file() {
        let config = Config {
            rules: vec!["firm/".into()],
            lists: vec!["un.xml".into()],
            min_scores: vec!["0.9".into()],
            list_verdicts: vec!["sdn.csv=prohibited".into()],
            ..Config::default()
        };
        let mut rules = RuleArgs {
            rules: vec!["mine/".into()],
            no_default_rules: false,
        };
        let mut lists = ListArgs {
            lists: Vec::new(),
            no_lists: true,
            cache_dir: None,
            list_verdicts: Vec::new(),
        };
        let mut decisions = DecisionArgs {
            min_scores: Vec::new(),
            suppressions: Some("given.yaml".into()),
        };
        Options {
            rules: &mut rules,
            lists: &mut lists,
            decisions: Some(&mut decisions),
            input: None,
        }
        .merge(config)
        .expect("merged");
        assert_eq!(rules.rules, [PathBuf::from("mine/")]);
        // --no-lists on the command line replaces the file's lists
        assert!(lists.lists.is_empty() && lists.no_lists);
        assert_eq!(lists.list_verdicts.len(), 1);
        assert_eq!(decisions.min_scores, [(None, 0.9)]);
        assert_eq!(decisions.suppressions, Some(PathBuf::from("given.yaml")));
    }
}

//! The command line as the user typed it (clap); nothing is loaded here.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// embargo: UN Security Council sanctions as code
#[derive(Debug, Parser)]
#[command(name = "embargo", version, about, long_about = None)]
#[command(
    after_help = "Examples:\n  embargo screen examples/news-2022.jsonl\n  embargo screen --format table examples/news-2022.jsonl\n  embargo explain --id shells-2022 examples/news-2022.jsonl\n  embargo check rules/\n  embargo test rules/\n  embargo coverage --output docs/coverage.md\n  embargo fmt rules/\n  embargo names compare \"Vladimir Putin\" \"Путин Владимир\""
)]
pub struct Args {
    /// The command
    #[command(subcommand)]
    pub command: Command,
    /// Colour in output for people (the table, the summary): auto (on a terminal, unless
    /// NO_COLOR is set or CLICOLOR_FORCE asks for it anyway), always or never
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
}

/// When output for people is coloured (`--color`)
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// On a terminal, unless `NO_COLOR` is set; also off one when `CLICOLOR_FORCE` is set
    Auto,
    /// Always, whatever the environment
    Always,
    /// Never
    Never,
}

/// The commands
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Screen transaction records and print one verdict per record, in input order
    #[command(
        after_help = "Input: FILE is .jsonl (one JSON object per line), .json (an array), .yaml/.yml \
(documents separated by ---), .csv/.tsv, .xlsx, .xls or .ods (a table: a header row, then one \
record a row; docs/tabular.md), or - for JSON Lines on stdin; --input-format overrides the \
extension.\n\n\
Exit status: 0 when every record is clear or notify; 1 when any is prohibited, \
authorization_required, review or invalid; 2 when it could not run.\n\n\
Examples:\n  embargo screen records.jsonl\n  embargo screen --format table records.yaml\n  \
cat records.jsonl | embargo screen -\n  embargo screen --rules my-rules/ records.jsonl\n  \
embargo screen --list consolidated.xml --list vessels.csv records.jsonl\n  \
embargo screen --format html records.jsonl > report.html\n  \
embargo screen --report report.html records.jsonl > verdicts.jsonl"
    )]
    Screen {
        #[command(flatten)]
        rules: RuleArgs,
        #[command(flatten)]
        config: ConfigArgs,
        #[command(flatten)]
        lists: ListArgs,
        #[command(flatten)]
        decisions: DecisionArgs,
        #[command(flatten)]
        input: InputArgs,
        /// Output format
        #[arg(long, value_enum, default_value_t = ScreenFormat::Jsonl)]
        format: ScreenFormat,
        /// Worker threads, 1 to 256 (default: one per core)
        #[arg(long, value_name = "N", value_parser = count(1, MAX_THREADS))]
        threads: Option<usize>,
        /// Add to each verdict what it was decided with: engine version, SHA-256 of the rule
        /// pack, date and SHA-256 of each list (table: once, above the header)
        #[arg(long)]
        provenance: bool,
        /// Write a summary of the run to FILE as JSON: records, by_verdict, by_regime,
        /// provenance, seconds (on a terminal, a summary line goes to stderr anyway)
        #[arg(long, value_name = "FILE")]
        summary: Option<PathBuf>,
        /// Also write the HTML report (as --format html gives it) to FILE, beside the output of
        /// --format: the run's summary and every record that is not clear (docs/report.md)
        #[arg(long, value_name = "FILE")]
        report: Option<PathBuf>,
        /// The records, or - for stdin
        #[arg(value_name = "FILE")]
        file: String,
    },
    /// Explain the verdict on one record: every rule considered, each condition as a tree
    #[command(
        after_help = "Input: FILE as for `screen` (.jsonl, .json, .yaml/.yml, .csv, .xlsx, .xls, .ods, or - for JSON \
Lines on stdin; --input-format overrides the extension); \
the record with --id, else the first.\n\n\
Output: for every rule of the program, its id, title, regime and citations, whether it is in force \
on the record's date, whether the activity index or the record's places and parties let it be \
skipped, its condition evaluated node by node (✓ true, ✗ false, ! error, · not evaluated) with the \
values found, the exceptions and authorizations weighed, then the verdict `screen` gives.\n\n\
Exit status: as `screen` for that record; 2 when the record is missing or invalid.\n\n\
Examples:\n  embargo explain --id shells-2022 examples/news-2022.jsonl\n  \
embargo explain --format json --id shells-2022 examples/news-2022.jsonl\n  \
embargo explain --fired --id shells-2022 examples/news-2022.jsonl\n  \
embargo explain --regime DPRK --id shells-2022 examples/news-2022.jsonl\n  \
head -1 records.jsonl | embargo explain -\n  embargo explain --rules my-rules/ record.yaml"
    )]
    Explain {
        #[command(flatten)]
        rules: RuleArgs,
        #[command(flatten)]
        config: ConfigArgs,
        #[command(flatten)]
        lists: ListArgs,
        #[command(flatten)]
        decisions: DecisionArgs,
        #[command(flatten)]
        input: InputArgs,
        /// Output format
        #[arg(long, value_enum, default_value_t = ExplainFormat::Human)]
        format: ExplainFormat,
        /// The id of the record to explain (default: the first record)
        #[arg(long, value_name = "ID")]
        id: Option<String>,
        /// Show only this rule (repeatable); the verdict is still the whole program's
        #[arg(long = "rule", value_name = "RULE")]
        only_rules: Vec<String>,
        /// Show only the rules of this regime (repeatable)
        #[arg(long = "regime", value_name = "NAME")]
        only_regimes: Vec<String>,
        /// Show only the rules that fired (lifted, and those that could not be evaluated,
        /// included)
        #[arg(long)]
        fired: bool,
        /// Add what the verdict was decided with (engine version, SHA-256 of the rule pack, date
        /// and SHA-256 of each list): in JSON as the verdict's `provenance`, else at the end
        #[arg(long)]
        provenance: bool,
        /// The records, or - for stdin
        #[arg(value_name = "FILE")]
        file: String,
    },
    /// Check rule files: syntax, names, types, dates and citations, every problem in one run
    #[command(
        after_help = "With no PATH, checks ./rules if it exists, else the embedded pack.\n\n\
Exit status: 0 when no error was found, 1 when any was, 2 when it could not run.\n\n\
Examples:\n  embargo check rules/\n  embargo check --format json rules/dprk.rules\n  embargo check --deny warnings --format github rules/\n  embargo check --format sarif rules/ > embargo.sarif"
    )]
    Check {
        /// Output format of the diagnostics
        #[arg(long, value_enum, default_value_t = DiagnosticFormat::Human)]
        format: DiagnosticFormat,
        /// Treat warnings as errors (the same as `--deny warnings`)
        #[arg(long)]
        deny_warnings: bool,
        /// Treat these as errors: `--deny warnings`
        #[arg(long, value_enum, value_name = "WHAT")]
        deny: Vec<Deny>,
        /// Rule files or folders
        #[arg(value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Run the examples (`test` items) inside rule files
    #[command(
        after_help = "With no PATH, tests ./rules if it exists, else the embedded pack. \
All files given are compiled together, and every test is judged against all their rules.\n\n\
After the summary, a coverage section lists the rules no passing expectation showed firing \
and the exceptions no expectation showed lifting a finding.\n\n\
Exit status: 0 when every test passes, 1 when any fails (or, with --require-coverage, when \
a rule or exception is not exercised), 2 when the rules do not compile.\n\n\
Examples:\n  embargo test rules/\n  embargo test rules/un.rules rules/haiti.rules\n  \
embargo test --junit test-results.xml --require-coverage rules/"
    )]
    Test {
        /// Print every passing expectation too
        #[arg(long, short)]
        verbose: bool,
        /// Also write the results as JUnit XML to FILE (one testsuite per rule file)
        #[arg(long, value_name = "FILE")]
        junit: Option<PathBuf>,
        /// Exit 1 when a rule never fired in a passing expectation or an exception never lifted a finding
        #[arg(long)]
        require_coverage: bool,
        /// Rule files or folders
        #[arg(value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Write the coverage report (docs/coverage.md): every rule and exception, and what is not encoded
    #[command(
        after_help = "With no PATH, reports on the embedded pack, as `screen` does. Measures deliberately \
not encoded are read from docs/not-encoded/*.yaml under the current folder (none when it is missing).\n\n\
Exit status: 0 when written (with --check: FILE is up to date), 1 with --check when FILE differs, \
2 when it could not run.\n\n\
Examples:\n  embargo coverage\n  embargo coverage --output docs/coverage.md\n  \
embargo coverage --check --output docs/coverage.md\n  embargo coverage rules/un.rules rules/haiti.rules"
    )]
    Coverage {
        /// Write the report to FILE instead of stdout
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Write nothing; exit 1 when FILE (--output) differs from the report
        #[arg(long, requires = "output")]
        check: bool,
        /// Rule files or folders to report on instead of the embedded pack
        #[arg(value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Serve screening over HTTP: POST /v1/screen, /v1/explain, /v1/check; GET /v1/version,
    /// /healthz, /readyz (docs/serve.md)
    #[command(
        after_help = "Rules and lists are loaded once, before the server listens; the address it \
listens on is said on stderr. SIGTERM or Ctrl-C stops it after answering the requests in flight.\n\n\
Examples:\n  embargo serve\n  embargo serve --addr 127.0.0.1:9000 --list consolidated.xml\n  \
embargo serve --config serve.yaml\n  \
curl -s localhost:8080/v1/screen -d '{\"id\": \"tx-1\", \"date\": \"2022-09-05\", \"activity\": \"payment\"}'"
    )]
    Serve {
        /// The address and port to listen on (default 127.0.0.1:8080, loopback only; port 0
        /// takes a free one)
        #[arg(long, value_name = "ADDR:PORT")]
        addr: Option<String>,
        /// The settings: an `embargo.toml` (its `[serve]` table for the server's own keys;
        /// docs/config.md), or a YAML file of the server's settings (docs/serve.md): addr, rules,
        /// lists, no_lists, cache_dir, min_scores, suppressions, limits, decision_log, auth, tls
        /// and more; options given here win over it. Without it, the `embargo.toml` found in the
        /// current folder or the nearest one above it
        #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
        config: Option<PathBuf>,
        /// Read no `embargo.toml`, not even one found in the current folder or above it
        #[arg(long)]
        no_config: bool,
        #[command(flatten)]
        rules: RuleArgs,
        #[command(flatten)]
        lists: ListArgs,
        #[command(flatten)]
        decisions: DecisionArgs,
    },
    /// Print a shell completion script, generated from this command line's definition
    #[command(
        after_help = "Examples:\n  embargo completions bash > /etc/bash_completion.d/embargo\n  \
embargo completions zsh > \"${fpath[1]}/_embargo\"\n  embargo completions fish > ~/.config/fish/completions/embargo.fish"
    )]
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), or the reference of every command in Markdown, generated
    /// from this command line's definition
    #[command(
        after_help = "Examples:\n  embargo man > embargo.1 && man ./embargo.1\n  embargo man screen > embargo-screen.1\n  \
embargo man --markdown > docs/cli-reference.md"
    )]
    Man {
        /// A subcommand whose page to print (`screen`, `check`, ...); the main page without it
        #[arg(value_name = "COMMAND", conflicts_with = "markdown")]
        command: Option<String>,
        /// Every command and option in Markdown (docs/cli-reference.md) instead of roff
        #[arg(long)]
        markdown: bool,
    },
    /// Rewrite rule files in the canonical layout (docs/language.md), comments kept
    #[command(
        after_help = "With no PATH, formats ./rules if it exists. A folder stands for the .rules files under it; \
- reads stdin and writes the formatted text to stdout. A file is rewritten only when its layout changes; \
a file with syntax errors is left alone and its errors are shown.\n\n\
Exit status: 0 when done (with --check: every file is formatted), 1 with --check when a file would change \
(those files are listed on stdout), 2 when it could not run or a file has syntax errors.\n\n\
Examples:\n  embargo fmt rules/\n  embargo fmt --check rules/\n  embargo fmt rules/dprk.rules\n  \
cat my.rules | embargo fmt -"
    )]
    Fmt {
        /// Write nothing; exit 1 and list the files whose layout would change
        #[arg(long)]
        check: bool,
        /// Rule files or folders, or - for stdin
        #[arg(value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Serve the Language Server Protocol on stdin and stdout, for editors (docs/editors.md)
    #[command(
        after_help = "The pack is the workspace folder's rules/ folder when it has one, else the .rules files under \
the folder, overlaid with the documents open in the editor. Diagnostics (the codes, spans and hints of `check`) \
as you type, hover, go to definition, references, completion, formatting (`fmt`), quick fixes for the \
did-you-mean hints and document symbols. An editor starts it; it is not run by hand.\n\n\
Exit status: 0 after the client's shutdown and exit, 1 on exit without shutdown, 2 when the \
connection failed.\n\n\
Examples:\n  embargo lsp\n  code --install-extension target/embargo-vscode.vsix   # starts `embargo lsp`"
    )]
    Lsp,
    /// Print the engine version, the rule pack's SHA-256 and the lists' versions: the provenance `screen --provenance` would give
    #[command(
        after_help = "Takes the same --rules and list options as `screen`, and reads the rules and lists the same way \
(with no --list, the cached UN list). The pack hash is defined in docs/cli.md (Provenance).\n\n\
Exit status: 0 when printed, 2 when the rules or a list could not be read.\n\n\
Examples:\n  embargo version\n  embargo version --format json --rules my-rules/ --list consolidated.xml"
    )]
    Version {
        #[command(flatten)]
        rules: RuleArgs,
        #[command(flatten)]
        config: ConfigArgs,
        #[command(flatten)]
        lists: ListArgs,
        /// Output format: lines for people, or the provenance object as one line of JSON
        #[arg(long, value_enum, default_value_t = ListsFormat::Human)]
        format: ListsFormat,
    },
    /// Sanctions lists: import and summarize list files (docs/lists.md)
    #[command(subcommand)]
    Lists(ListsCommand),
    /// Name matching: compare names of persons, companies or vessels (docs/names.md)
    #[command(
        after_help = "Examples:\n  embargo names compare \"Vladimir Putin\" \"Путин Владимир\"\n  \
embargo names compare --pairs pairs.csv"
    )]
    Names {
        /// What to do with names
        #[command(subcommand)]
        command: NamesCommand,
    },
}

/// The most worker threads `screen --threads` starts
pub const MAX_THREADS: u64 = 256;

/// A value parser for a count option (`--threads N`, `--limit N`): a whole number from `min` to
/// `max`, else a usage error (exit 2) saying the range, such as `invalid value '0' for
/// '--threads <N>': 0 is not in 1..=256`. Every count option uses it: a nonsense value (0
/// threads, 20000 threads, a negative or huge limit) is refused before anything runs.
pub fn count(min: u64, max: u64) -> clap::builder::RangedU64ValueParser<usize> {
    clap::builder::RangedU64ValueParser::<usize>::new().range(min..=max)
}

/// The `names` subcommands
#[derive(Debug, Subcommand)]
pub enum NamesCommand {
    /// Compare two names, or every pair of a CSV file, and print score and decision as JSON lines
    #[command(
        after_help = "Output: one JSON object per pair: name1, name2, schema, score (0 to 1), strength \
(exact, strong, weak or none), match (score at or above the shipped threshold, 0.80) and why.\n\n\
--pairs FILE reads a CSV file with a header naming the columns name1 and name2, and optionally \
schema (person, company, organization, legalentity or vessel; --schema when empty or absent); \
- reads it from stdin.\n\n\
Exit status: 0 when every pair matches, 1 when any does not, 2 when it could not run.\n\n\
Examples:\n  embargo names compare \"Vladimir Putin\" \"Путин Владимир\"\n  \
embargo names compare --schema company \"Acme Trading GmbH\" \"ACME TRADING\"\n  \
embargo names compare --pairs pairs.csv"
    )]
    Compare {
        /// What the names are names of
        #[arg(long, value_enum, default_value_t = NameSchema::Person)]
        schema: NameSchema,
        /// A CSV file of pairs (columns name1,name2[,schema]), or - for stdin
        #[arg(long, value_name = "FILE", conflicts_with_all = ["name1", "name2"])]
        pairs: Option<PathBuf>,
        /// The first name
        #[arg(value_name = "A", required_unless_present = "pairs")]
        name1: Option<String>,
        /// The second name
        #[arg(value_name = "B", required_unless_present = "pairs")]
        name2: Option<String>,
    },
}

/// The kinds of party a name can belong to
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum NameSchema {
    /// A natural person
    Person,
    /// A company or other organisation
    Company,
    /// A ship
    Vessel,
}

/// The `lists` subcommands
#[derive(Debug, Subcommand)]
pub enum ListsCommand {
    /// Read list files and print each list's date and its entry counts per list type and per kind
    #[command(
        after_help = "Formats, detected from the content: the UN Consolidated List XML (root element \
CONSOLIDATED_LIST, current or legacy layout), OFAC's sdn.csv with its alt.csv and add.csv (given together, \
joined by ent_num), and the designated-vessels CSV of docs/lists.md.\n\n\
Entries that cannot be read are listed on stderr with their line or record and field; the others are kept.\n\n\
Exit status: 0 when every entry was read, 1 when some were skipped, 2 when a file could not be read.\n\n\
Examples:\n  embargo lists show consolidated.xml\n  embargo lists show sdn.csv alt.csv add.csv\n  \
embargo lists show vessels.csv consolidated.xml\n  embargo lists show"
    )]
    Show {
        /// The cache folder, for the cached list (default: EMBARGO_CACHE_DIR, else the platform's cache folder)
        #[arg(long, value_name = "DIR")]
        cache_dir: Option<PathBuf>,
        /// Output format: lines for people, or one JSON object per list, a line each
        #[arg(long, value_enum, default_value_t = ListsFormat::Human)]
        format: ListsFormat,
        /// List files (none: the UN list cached by `lists update`)
        #[arg(value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Download the UN Consolidated List (XML) into the cache, keeping the last good copy
    #[command(
        after_help = "The download must parse as the UN Consolidated List, carry its dateGenerated and list \
at least one entry; it must not be older than the newest cached copy, nor have fewer entries by more \
than --max-shrink percent (default 10), unless --force. Then it is kept as the snapshot of its day, \
un/YYYY-MM-DD.xml, with un/YYYY-MM-DD.json beside it (URL, date generated, download time, entries, \
SHA-256, size), each written to a temporary file and renamed, under a lock (un/.lock) so that two \
updates at once cannot mix files. Older snapshots are kept: screening uses the one in force on each \
record's date. A failed download or validation leaves the cache as it was.\n\n\
HTTPS only, redirects included, and redirects only to the URL's own host (for the official address, \
also main.un.org and www.un.org); plain http is accepted only for 127.0.0.1, localhost and [::1].\n\n\
Cache folder: --cache-dir, else EMBARGO_CACHE_DIR, else $XDG_CACHE_HOME/embargo or ~/.cache/embargo \
(macOS: ~/Library/Caches/embargo; Windows: %LOCALAPPDATA%\\embargo\\cache).\n\n\
Exit status: 0 when updated; 1 when the download or validation failed and a good copy is kept; \
2 when it failed and there is no good copy, or could not run.\n\n\
Examples:\n  embargo lists update\n  embargo lists update --cache-dir /var/cache/embargo\n  \
embargo lists update --url https://mirror.example/consolidated.xml\n  \
embargo lists update --force --url https://mirror.example/consolidated-2025-08-02.xml"
    )]
    Update {
        /// Where to download from
        #[arg(long, value_name = "URL")]
        url: Option<String>,
        /// The cache folder (default: EMBARGO_CACHE_DIR, else the platform's cache folder)
        #[arg(long, value_name = "DIR")]
        cache_dir: Option<PathBuf>,
        /// Refuse a list with fewer entries than the cached copy by more than this percentage (0 to 100)
        #[arg(long, value_name = "PERCENT", default_value_t = 10, value_parser = clap::value_parser!(u8).range(0..=100))]
        max_shrink: u8,
        /// Keep a list older than the cached copy, with its dateGenerated but other content, or
        /// shrunk by more than --max-shrink (a malformed, undated or empty list is never kept)
        #[arg(long)]
        force: bool,
    },
    /// List the dated snapshots of the UN list in the cache, oldest first, each checked against its metadata
    #[command(
        after_help = "One line per snapshot: the day it was generated, its dateGenerated, entries, SHA-256, file, and `ok` or `mismatch` (its size or SHA-256 differs from its metadata).\n\nScreening uses, for each record, the snapshot in force on the record's date: the newest generated on or before it, else the newest.\n\nExit status: 0 when every snapshot matches its metadata; 2 when one does not, or nothing is cached.\n\nExamples:\n  embargo lists snapshots\n  embargo lists snapshots --format json --cache-dir /var/cache/embargo"
    )]
    Snapshots {
        /// The cache folder (default: EMBARGO_CACHE_DIR, else the platform's cache folder)
        #[arg(long, value_name = "DIR")]
        cache_dir: Option<PathBuf>,
        /// Output format: lines for people, or one JSON object per snapshot, a line each
        #[arg(long, value_enum, default_value_t = ListsFormat::Human)]
        format: ListsFormat,
    },
    /// Search list files for a name (or, with --id, an identifier) and print the entries found, best first
    #[command(
        after_help = "Every name of an entry is compared: its name, its name in the original script and each alias; the best one is shown as `matched`. Only entries scoring at or above the shipped threshold (0.80) are printed; scores and strengths are those of `embargo names compare`. OFAC's alt.csv and add.csv go with their sdn.csv.

With --id KIND, NAME is an identifier compared exactly after removing spaces, dashes and case: `reference` (UN reference number, OFAC ent_num), `document` (passport or national id number) or `imo`.

Exit status: 0 when nothing was found, 1 when an entry was, 2 when it could not run.

Examples:
  embargo lists search \"Kim Jong Un\" --list consolidated.xml
  embargo lists search --schema company \"Korea Mining Development\" --list sdn.csv --list alt.csv
  embargo lists search --format json --limit 3 \"Jonathan Ketleby\" --list consolidated.xml
  embargo lists search --id imo \"IMO 9074729\" --list vessels.csv"
    )]
    Search {
        /// What the name is the name of
        #[arg(long, value_enum, default_value_t = NameSchema::Person)]
        schema: NameSchema,
        /// At most this many entries, 1 to 10000
        #[arg(long, value_name = "N", default_value_t = 10, value_parser = count(1, 10_000))]
        limit: usize,
        /// Output format
        #[arg(long, value_enum, default_value_t = ListsFormat::Human)]
        format: ListsFormat,
        /// Look NAME up as an identifier of this kind instead of a name
        #[arg(long, value_enum, value_name = "KIND")]
        id: Option<IdArg>,
        /// List files to search (repeatable)
        #[arg(long = "list", value_name = "FILE", required = true, num_args = 1..)]
        lists: Vec<PathBuf>,
        /// The name (or identifier) to look for
        #[arg(value_name = "NAME")]
        name: String,
    },
    /// Append a suppression to a suppression file (YAML, created when missing): this party was cleared of that list entry
    #[command(
        after_help = "The entry is checked as `screen --suppressions` checks it (dates YYYY-MM-DD, EXPIRES not before ON, \
no empty field), and so is the file as it is: a file that does not read is left alone. The new entry is \
appended at the end of the file, whose comments and layout are kept. `screen --suppressions FILE` then \
shows a match of that party to that entry as suppressed, with the reason, and judges the record without \
it, on records dated up to EXPIRES; after it the match counts again and says the suppression expired.\n\n\
The party is named by its name as records write it (compared ignoring case and extra spaces) or, with \
--party-id, by an identifier it carries (any of its `ids`; a vessel's IMO number); the entry by its \
reference (UN reference number, OFAC ent_num, `IMO NNNNNNN`).\n\n\
Exit status: 0 when appended, 2 when the entry or the file is not valid or the file cannot be written.\n\n\
Examples:\n  embargo lists suppress --file suppressions.yaml --party \"Kim Chol\" --entry KPi.901 \\\n    \
--by \"A. Analyst\" --reason \"born 1990 in Seoul, not the listed person\" --on 2026-03-01 --expires 2027-02-28\n  \
embargo lists suppress --file suppressions.yaml --party-id 927310455 --entry 1001 --by B --reason \"...\" \\\n    \
--on 2026-01-10 --expires 2026-07-10"
    )]
    Suppress {
        /// The suppression file (created when missing)
        #[arg(long, value_name = "FILE")]
        file: PathBuf,
        /// The party's name, as records write it
        #[arg(
            long,
            value_name = "NAME",
            required_unless_present = "party_id",
            conflicts_with = "party_id"
        )]
        party: Option<String>,
        /// An identifier the party carries (any of its `ids`; a vessel's IMO number)
        #[arg(long, value_name = "ID")]
        party_id: Option<String>,
        /// The list entry it was cleared against: its reference (`KPe.901`, an OFAC ent_num)
        #[arg(long, value_name = "REF")]
        entry: String,
        /// Who decided
        #[arg(long, value_name = "WHO")]
        by: String,
        /// Why
        #[arg(long, value_name = "WHY")]
        reason: String,
        /// When it was decided, YYYY-MM-DD
        #[arg(long, value_name = "DATE")]
        on: String,
        /// The last day it applies (records dated after it are screened without it), YYYY-MM-DD
        #[arg(long, value_name = "DATE")]
        expires: String,
    },
    /// Compare two versions of a list by reference (UN reference number, OFAC ent_num)
    #[command(
        after_help = "Prints the entries added, removed and changed, with the fields that changed (name, aliases, documents, addresses, comments, ...), then the counts.

Exit status: 0 when the versions hold the same entries, 1 when they differ, 2 when it could not run.

Examples:
  embargo lists diff consolidated-2026-02-27.xml consolidated-2026-05-08.xml
  embargo lists diff --format json old/sdn.csv new/sdn.csv"
    )]
    Diff {
        /// Output format
        #[arg(long, value_enum, default_value_t = ListsFormat::Human)]
        format: ListsFormat,
        /// The older version
        #[arg(value_name = "OLD")]
        old: PathBuf,
        /// The newer version
        #[arg(value_name = "NEW")]
        new: PathBuf,
    },
}

/// Formats of `lists search` and `lists diff` output
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListsFormat {
    /// A table or lines for people
    Human,
    /// One JSON document
    Json,
}

/// Identifier kinds of `lists search --id`
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum IdArg {
    /// UN reference number or OFAC ent_num
    Reference,
    /// Identity document number
    Document,
    /// IMO ship number
    Imo,
}

/// Formats of `screen` output
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ScreenFormat {
    /// One JSON verdict per line (spec/records.md)
    Jsonl,
    /// A table for people
    Table,
    /// One self-contained HTML page for people, written at the end: the run's summary and
    /// every record that is not clear, filterable (docs/report.md)
    Html,
}

/// Formats of `explain` output
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    /// An indented tree for people
    Human,
    /// One JSON document
    Json,
}

/// Formats of diagnostics
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiagnosticFormat {
    /// The source line with the problem underlined (colour on a terminal)
    Human,
    /// One line per diagnostic: file:line:col: error[CODE]: message
    Short,
    /// A JSON array on stdout
    Json,
    /// A SARIF 2.1.0 log on stdout, for code-scanning tools
    Sarif,
    /// GitHub Actions workflow commands on stdout (`::error file=...::`), shown as annotations
    Github,
}

/// What `--deny` can turn into errors
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    /// Every warning (lint)
    Warnings,
}

/// The rules records are judged by (`screen`, `explain`, `version`, `serve`)
#[derive(Debug, Clone, Default, clap::Args)]
pub struct RuleArgs {
    /// Rule files or folders added to the embedded pack (repeatable): a firm's own rules beside
    /// the UN pack; a rule, set or regime named as one of the pack's is an error (E206)
    #[arg(long = "rules", value_name = "PATH")]
    pub rules: Vec<PathBuf>,
    /// Leave the embedded pack out: judge by the --rules files alone
    #[arg(long)]
    pub no_default_rules: bool,
}

/// The settings file of `screen`, `explain` and `version` (docs/config.md)
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ConfigArgs {
    /// The settings file (TOML, docs/config.md): lists, thresholds, suppressions, extra rules
    /// and more; options given here win over it. Without it, the `embargo.toml` in the current
    /// folder or the nearest one above it
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Read no `embargo.toml`, not even one found in the current folder or above it
    #[arg(long)]
    pub no_config: bool,
}

/// The lists that parties and vessels are screened against (`screen`, `explain`)
#[derive(Debug, Clone, clap::Args)]
pub struct ListArgs {
    /// A sanctions list to screen parties and vessels against, instead of the cached UN list:
    /// the UN Consolidated List XML, OFAC sdn.csv (with its alt.csv and add.csv), or a
    /// designated-vessels CSV (repeatable)
    #[arg(long = "list", value_name = "FILE")]
    pub lists: Vec<PathBuf>,
    /// Screen against no list, not even the cached one: parties are then judged only by the
    /// `ids.un_ref` they carry. Without it, a list or cache that cannot be read stops the run
    /// (exit 2)
    #[arg(long, conflicts_with = "lists")]
    pub no_lists: bool,
    /// The cache folder holding the list `embargo lists update` downloaded
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// The verdict of the `list.NAME` finding that a match against list NAME (its file name,
    /// as findings name it) gives when no rule used it: prohibited, authorization_required,
    /// review (the default), notify or clear; a weak match stays review at most (repeatable)
    #[arg(long = "list-verdict", value_name = "NAME=VERDICT", value_parser = parse_list_verdict)]
    pub list_verdicts: Vec<(String, embargo::internals::ir::Level)>,
}

/// Reads `NAME=VERDICT` of `--list-verdict`
pub fn parse_list_verdict(text: &str) -> Result<(String, embargo::internals::ir::Level), String> {
    let (name, verdict) = text
        .split_once('=')
        .ok_or_else(|| format!("expected NAME=VERDICT (`sdn.csv=prohibited`), got `{text}`"))?;
    let name = name.trim();
    if name.is_empty() {
        return Err(format!("no list name before `=` in `{text}`"));
    }
    let level = embargo::internals::ir::Level::parse(verdict.trim()).ok_or_else(|| {
        format!(
            "unknown verdict `{}`: expected prohibited, authorization_required, review, notify \
or clear",
            verdict.trim()
        )
    })?;
    Ok((name.to_string(), level))
}

/// What the analyst decided about matches (`screen`, `explain`; docs/lists.md)
#[derive(Debug, Clone, clap::Args)]
pub struct DecisionArgs {
    /// Drop matches scoring below SCORE, 0.80 to 1: `LIST=SCORE` for the list LIST (its file
    /// name, as findings name it), `SCORE` for every list without its own (repeatable); without
    /// it, the shipped threshold 0.80 stays
    #[arg(long = "min-score", value_name = "[LIST=]SCORE", value_parser = parse_min_score)]
    pub min_scores: Vec<(Option<String>, f64)>,
    /// A suppression file (YAML; `embargo lists suppress` appends to it): a match it clears is
    /// shown as suppressed, with the reason, and no longer drives the verdict, until the
    /// suppression expires. A file that does not read stops the run (exit 2)
    #[arg(long, value_name = "FILE")]
    pub suppressions: Option<PathBuf>,
}

/// Reads `[LIST=]SCORE` of `--min-score`
pub fn parse_min_score(text: &str) -> Result<(Option<String>, f64), String> {
    let (list, score) = match text.rsplit_once('=') {
        Some((list, score)) => {
            let list = list.trim();
            if list.is_empty() {
                return Err(format!("no list name before `=` in `{text}`"));
            }
            (Some(list.to_string()), score.trim())
        }
        None => (None, text.trim()),
    };
    let value: f64 = score
        .parse()
        .map_err(|_| format!("`{score}` is not a score (a number from 0.80 to 1)"))?;
    let threshold = embargo::internals::screening::names::THRESHOLD;
    if !value.is_finite() || value > 1.0 {
        return Err(format!("{score} is not a score: scores run from 0 to 1"));
    }
    if value < threshold {
        return Err(format!(
            "{score} is below the shipped threshold {threshold:.2}: matches under it are never \
found, so a minimum score can only raise it"
        ));
    }
    Ok((list, value))
}

/// How records are read (`screen`, `explain`)
#[derive(Debug, Clone, clap::Args)]
pub struct InputArgs {
    /// The largest record read, in bytes (1 to 268435456): a longer line (JSON Lines), document
    /// (YAML) or array element (JSON) is `invalid`, skipped without being held in memory
    #[arg(
        long,
        value_name = "BYTES",
        default_value_t = embargo::internals::model::DEFAULT_MAX_RECORD_SIZE as u64,
        value_parser = clap::value_parser!(u64).range(1..=embargo::internals::model::MAX_RECORD_SIZE_LIMIT as u64)
    )]
    pub max_record_size: u64,
    /// Read records with fields the format does not know as if those fields were absent,
    /// instead of making them invalid; each unknown field name is reported once on stderr
    #[arg(long)]
    pub allow_unknown_fields: bool,
    /// The input's format, instead of the one its extension gives (.jsonl, .json, .yaml/.yml,
    /// .csv/.tsv, .xlsx, .xls, .ods; anything else, and stdin, is jsonl)
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<InputFormatArg>,
    /// CSV and spreadsheets: a YAML file mapping your own column headers to the record's
    /// columns (`Txn Ref: id`, `Buyer: parties.1.name`, `Branch: ~` to leave one out;
    /// docs/tabular.md)
    #[arg(long, value_name = "MAP.yaml")]
    pub columns: Option<PathBuf>,
}

/// The formats of `--input-format`
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum InputFormatArg {
    /// One JSON object a line
    Jsonl,
    /// A JSON array of objects, or objects one after another
    Json,
    /// YAML documents separated by `---`
    Yaml,
    /// CSV: a header row, then one record a row (docs/tabular.md)
    Csv,
    /// An Excel workbook (.xlsx): its first sheet, as CSV
    Xlsx,
    /// An Excel 97-2003 workbook (.xls): its first sheet, as CSV
    Xls,
    /// An OpenDocument spreadsheet (.ods): its first sheet, as CSV
    Ods,
}

impl InputFormatArg {
    /// The library's format
    pub fn format(self) -> embargo::internals::model::InputFormat {
        use embargo::internals::model::InputFormat;
        match self {
            InputFormatArg::Jsonl => InputFormat::JsonLines,
            InputFormatArg::Json => InputFormat::JsonArray,
            InputFormatArg::Yaml => InputFormat::Yaml,
            InputFormatArg::Csv => InputFormat::Csv,
            InputFormatArg::Xlsx => InputFormat::Xlsx,
            InputFormatArg::Xls => InputFormat::Xls,
            InputFormatArg::Ods => InputFormat::Ods,
        }
    }
}

impl InputArgs {
    /// The limit on a record's size, in bytes
    pub fn max_record_size(&self) -> usize {
        usize::try_from(self.max_record_size)
            .unwrap_or(embargo::internals::model::MAX_RECORD_SIZE_LIMIT)
    }
}

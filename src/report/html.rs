//! The HTML report of a `screen` run (`screen --format html`, `screen --report FILE`): one
//! self-contained page for people, with the run's summary (records by verdict and by regime,
//! how and when it was run, the engine, pack and list versions) and a table of every record that
//! is not `clear`, each with its findings, their reasons, list matches and citations linked to
//! the resolution's page in the UN's Official Document System (`docs/report.md`).
//!
//! It is fed one record at a time ([`HtmlReport::add`], in input order) and keeps the counts of
//! every record but the rows only of the records it lists, at most `limit` of them: a run of a
//! million clear records costs a few counters. [`HtmlReport::render`] writes the page at the
//! end, the summary first. The time of the run is handed in ([`Run::when`]): the library reads
//! no clock.
//!
//! The page fetches nothing: its style and script are inline (`html/report.css`,
//! `html/report.js`, embedded at build time), and a Content-Security-Policy allows only those
//! two, by their SHA-256, and nothing from any network. Every string from a record, a list or a
//! rule file goes through [`for_html`]: a party named `<script>` is text.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use sha2::{Digest, Sha256};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;

use crate::eval::{MatchUsed, Outcome, Verdict};
use crate::ir::{Citation, Level};
use crate::model::{Transaction, Vocab};
use crate::provenance::Provenance;
use crate::report::escape::{for_html, for_html_lines};
use crate::screening::suppress::SuppressedMatch;

/// The page's style
const CSS: &str = include_str!("html/report.css");
/// The page's script: the filters
const JS: &str = include_str!("html/report.js");

/// How many records the report lists by default; the others are counted, and the page says how
/// many were left out
pub const LIMIT: usize = 10_000;

/// How many characters of a record's `meta` the report shows
const META_CHARS: usize = 300;

/// Where a resolution's official page is: the UN's Official Document System, with the symbol
/// written without spaces (`S/RES/1718 (2006)` is `https://docs.un.org/en/S/RES/1718(2006)`)
pub const DOCUMENTS: &str = "https://docs.un.org/en/";

/// The address of the official page of the document `symbol` (`S/RES/1718 (2006)`,
/// `S/2023/638`): [`DOCUMENTS`] and the symbol without its spaces, any character other than
/// letters, digits and `/().-_` percent-encoded
pub fn document_url(symbol: &str) -> String {
    let mut url = DOCUMENTS.to_string();
    for b in symbol.bytes() {
        match b {
            b' ' => {}
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'(' | b')' | b'.' | b'-' | b'_' => {
                url.push(char::from(b));
            }
            _ => {
                let _ = write!(url, "%{b:02X}");
            }
        }
    }
    url
}

/// What the report shows of a record besides its verdict, read from the record: its date,
/// activity, parties and vessels, and the beginning of its `meta`
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RecordFacts {
    /// `YYYY-MM-DD`
    pub date: String,
    /// The activity
    pub activity: String,
    /// Where it goes: `KP → RU`, `via CN`, `in UA-09`, as the record gives its places
    pub route: String,
    /// Each party's role and name
    pub parties: Vec<(String, String)>,
    /// Each vessel's name or IMO number
    pub vessels: Vec<String>,
    /// `meta` as JSON, cut at [`META_CHARS`] characters
    pub meta: Option<String>,
}

impl RecordFacts {
    /// Of a record as read
    pub fn of(t: &Transaction) -> RecordFacts {
        RecordFacts {
            date: t.date.to_string(),
            activity: Vocab::Activity.value(t.activity).to_string(),
            route: route(t),
            parties: t
                .parties
                .iter()
                .map(|p| (Vocab::Role.value(p.role).to_string(), p.name.clone()))
                .collect(),
            vessels: t
                .vessels
                .iter()
                .map(|v| match (&v.name, &v.imo) {
                    (Some(name), Some(imo)) => format!("{name} (IMO {imo})"),
                    (Some(name), None) => name.clone(),
                    (None, Some(imo)) => format!("IMO {imo}"),
                    (None, None) => "(unnamed)".to_string(),
                })
                .collect(),
            meta: t.meta.as_ref().map(|m| {
                let text = m.to_string();
                if text.chars().count() > META_CHARS {
                    let mut cut: String = text.chars().take(META_CHARS).collect();
                    cut.push('…');
                    cut
                } else {
                    text
                }
            }),
        }
    }
}

/// A record's places in a few words: `KP → RU via CN`, `in UA-09` (empty when it has none)
fn route(t: &Transaction) -> String {
    let mut parts = Vec::new();
    match (t.origin, t.destination) {
        (Some(o), Some(d)) => parts.push(format!("{o} → {d}")),
        (Some(o), None) => parts.push(format!("from {o}")),
        (None, Some(d)) => parts.push(format!("to {d}")),
        (None, None) => {}
    }
    if !t.transit.is_empty() {
        let via: Vec<String> = t.transit.iter().map(ToString::to_string).collect();
        parts.push(format!("via {}", via.join(", ")));
    }
    if let Some(l) = t.location {
        parts.push(format!("in {l}"));
    }
    parts.join(" ")
}

/// One record's part of the report, made where the verdict is (on the worker threads): its
/// outcome and regimes for the counts, and its row when the report lists it
#[derive(Clone, Debug)]
pub struct Entry {
    outcome: Outcome,
    regimes: Vec<String>,
    /// The row's attributes and cells, without the `<tr>` and the record's number
    row: Option<(String, String)>,
}

/// Whether the report lists a record of this outcome: every one but `clear`
pub fn listed(outcome: Outcome) -> bool {
    outcome != Outcome::Level(Level::Clear)
}

impl Entry {
    /// Of a verdict and, for a record that could be read, what it says
    pub fn of(verdict: &Verdict, facts: Option<&RecordFacts>) -> Entry {
        let regimes = verdict.regimes();
        let row = listed(verdict.verdict).then(|| row(verdict, facts, &regimes));
        Entry {
            outcome: verdict.verdict,
            regimes,
            row,
        }
    }
}

/// How and when a run was made, for the report's summary
#[derive(Clone, Copy, Debug)]
pub struct Run<'a> {
    /// When it ran, as the caller writes it (RFC 3339, UTC)
    pub when: &'a str,
    /// The command line, as given
    pub command: &'a [String],
    /// The records' file, `-` for stdin
    pub input: &'a str,
    /// How long screening took, in seconds
    pub seconds: f64,
    /// What the verdicts were decided with
    pub provenance: &'a Provenance,
}

/// The report of a run, fed record by record
#[derive(Clone, Debug)]
pub struct HtmlReport {
    records: u64,
    by_verdict: [u64; Outcome::ALL.len()],
    by_regime: BTreeMap<String, u64>,
    rows: Vec<String>,
    limit: usize,
    /// Records that would be listed but for the limit
    omitted: u64,
}

impl Default for HtmlReport {
    fn default() -> Self {
        HtmlReport::new(LIMIT)
    }
}

impl HtmlReport {
    /// A report that lists at most `limit` records
    pub fn new(limit: usize) -> HtmlReport {
        HtmlReport {
            records: 0,
            by_verdict: [0; Outcome::ALL.len()],
            by_regime: BTreeMap::new(),
            rows: Vec::new(),
            limit,
            omitted: 0,
        }
    }

    /// Counts the next record, and keeps its row if it is listed and the limit is not reached
    pub fn add(&mut self, entry: Entry) {
        self.records += 1;
        if let Some(i) = Outcome::ALL.iter().position(|o| *o == entry.outcome)
            && let Some(n) = self.by_verdict.get_mut(i)
        {
            *n += 1;
        }
        for regime in entry.regimes {
            *self.by_regime.entry(regime).or_insert(0) += 1;
        }
        if let Some((attributes, cells)) = entry.row {
            if self.rows.len() < self.limit {
                self.rows.push(format!(
                    "<tr id=\"r{n}\"{attributes}><td class=\"n\">{n}</td>{cells}</tr>\n",
                    n = self.records
                ));
            } else {
                self.omitted += 1;
            }
        }
    }

    /// Records counted
    pub fn records(&self) -> u64 {
        self.records
    }

    /// The page
    pub fn render(&self, run: &Run<'_>) -> String {
        let rows_len: usize = self.rows.iter().map(String::len).sum();
        let mut out = String::with_capacity(rows_len + CSS.len() + JS.len() + 8192);
        out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        let _ = writeln!(
            out,
            "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">",
            content_security_policy()
        );
        out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        out.push_str("<meta name=\"referrer\" content=\"no-referrer\">\n");
        out.push_str("<meta name=\"generator\" content=\"embargo ");
        out.push_str(&for_html(&run.provenance.engine));
        out.push_str("\">\n<link rel=\"icon\" href=\"data:,\">\n");
        let _ = writeln!(
            out,
            "<title>embargo screening report: {} records, {}</title>",
            self.records,
            for_html(input_name(run.input))
        );
        out.push_str("<style>");
        out.push_str(CSS);
        out.push_str("</style>\n</head>\n<body>\n");
        self.summary(&mut out, run);
        self.table(&mut out);
        footer(&mut out);
        out.push_str("<script>");
        out.push_str(JS);
        out.push_str("</script>\n</body>\n</html>\n");
        out
    }

    fn count(&self, outcome: Outcome) -> u64 {
        Outcome::ALL
            .iter()
            .position(|o| *o == outcome)
            .and_then(|i| self.by_verdict.get(i).copied())
            .unwrap_or(0)
    }

    fn summary(&self, out: &mut String, run: &Run<'_>) {
        out.push_str("<header>\n<h1>Screening report</h1>\n");
        let _ = writeln!(
            out,
            "<p class=\"lead\"><span data-count=\"records\">{}</span> {} screened from <code>{}</code> on <time>{}</time></p>\n</header>",
            self.records,
            if self.records == 1 {
                "record"
            } else {
                "records"
            },
            for_html(input_name(run.input)),
            for_html(run.when),
        );
        out.push_str("<main>\n<section id=\"summary\" aria-labelledby=\"summary-h\">\n");
        out.push_str("<h2 id=\"summary-h\">Records by verdict</h2>\n<ul class=\"cards\">\n");
        for outcome in Outcome::ALL {
            let word = outcome.as_str();
            let n = self.count(outcome);
            let label = word.replace('_', " ");
            if listed(outcome) && n > 0 {
                let _ = writeln!(
                    out,
                    "<li class=\"card {word}\"><a href=\"#records\" data-filter-verdict=\"{word}\"><span class=\"count\" data-count=\"{word}\">{n}</span> <span class=\"label\">{label}</span></a></li>"
                );
            } else {
                let _ = writeln!(
                    out,
                    "<li class=\"card {word}\"><span class=\"count\" data-count=\"{word}\">{n}</span> <span class=\"label\">{label}</span></li>"
                );
            }
        }
        out.push_str("</ul>\n");
        out.push_str("<h2>Records by regime</h2>\n");
        if self.by_regime.is_empty() {
            out.push_str("<p class=\"none\">No record has a finding.</p>\n");
        } else {
            out.push_str("<table class=\"regimes\">\n<thead><tr><th scope=\"col\">regime</th><th scope=\"col\" class=\"num\">records with a finding of it</th></tr></thead>\n<tbody>\n");
            for (regime, n) in &self.by_regime {
                let r = for_html(regime);
                let _ = writeln!(
                    out,
                    "<tr><th scope=\"row\"><a href=\"#records\" data-filter-regime=\"{r}\">{r}</a></th><td class=\"num\" data-regime-count=\"{r}\">{n}</td></tr>"
                );
            }
            out.push_str("</tbody>\n</table>\n");
        }
        out.push_str("<h2>How it was run</h2>\n<dl class=\"run\">\n");
        let _ = writeln!(
            out,
            "<dt>when</dt><dd><time data-run=\"when\">{}</time></dd>",
            for_html(run.when)
        );
        let _ = writeln!(
            out,
            "<dt>command</dt><dd><code data-run=\"command\">{}</code></dd>",
            for_html(&command_line(run.command))
        );
        let _ = writeln!(
            out,
            "<dt>took</dt><dd data-run=\"seconds\">{:.3} s</dd>",
            run.seconds
        );
        let p = run.provenance;
        let _ = writeln!(
            out,
            "<dt>engine</dt><dd>embargo <span data-run=\"engine\">{}</span></dd>",
            for_html(&p.engine)
        );
        let _ = writeln!(
            out,
            "<dt>rule pack</dt><dd><code data-run=\"pack\">{}</code></dd>",
            for_html(&p.pack)
        );
        out.push_str("<dt>lists</dt><dd>");
        if p.lists.is_empty() {
            out.push_str(
                "none: parties and vessels were not screened against a list of designations",
            );
        } else {
            out.push_str("<table class=\"lists\">\n<thead><tr><th scope=\"col\">list</th><th scope=\"col\">generated</th><th scope=\"col\">SHA-256</th></tr></thead>\n<tbody>\n");
            for l in &p.lists {
                let _ = writeln!(
                    out,
                    "<tr><td data-list=\"name\">{}</td><td>{}</td><td><code>{}</code></td></tr>",
                    for_html(&l.name),
                    l.generated
                        .as_deref()
                        .map_or_else(|| "(not dated)".into(), for_html),
                    for_html(&l.sha256)
                );
            }
            out.push_str("</tbody>\n</table>\n");
        }
        out.push_str("</dd>\n</dl>\n</section>\n");
    }

    fn table(&self, out: &mut String) {
        let listed_total: u64 = Outcome::ALL
            .iter()
            .filter(|o| listed(**o))
            .map(|o| self.count(*o))
            .sum();
        out.push_str("<section id=\"records\" aria-labelledby=\"records-h\">\n");
        out.push_str("<h2 id=\"records-h\">Flagged and invalid records</h2>\n");
        let _ = writeln!(
            out,
            "<p class=\"note\">Every record that is not <em>clear</em> is listed here, in input order, numbered as read; clear records (<span data-count=\"clear\">{}</span>) are counted above, not listed.</p>",
            self.count(Outcome::Level(Level::Clear))
        );
        if self.omitted > 0 {
            let _ = writeln!(
                out,
                "<p class=\"note limit\" data-omitted=\"{}\">Only the first {} of these {} records are listed: <strong>{} more are counted above but not listed here</strong>. Their verdicts are in the JSON Lines output of <code>embargo screen</code>.</p>",
                self.omitted,
                super::thousands(self.rows.len() as u64),
                super::thousands(listed_total),
                super::thousands(self.omitted)
            );
        }
        if self.rows.is_empty() {
            out.push_str("<p class=\"none\">No record to list.</p>\n</section>\n</main>\n");
            return;
        }
        // Hidden until the script shows it: without JavaScript the table is all there is
        out.push_str("<form id=\"filters\" hidden>\n<label>verdict <select id=\"f-verdict\">\n<option value=\"\">every verdict</option>\n");
        for outcome in Outcome::ALL.into_iter().filter(|o| listed(*o)) {
            let n = self.count(outcome);
            if n > 0 {
                let word = outcome.as_str();
                let _ = writeln!(
                    out,
                    "<option value=\"{word}\">{} ({n})</option>",
                    word.replace('_', " ")
                );
            }
        }
        out.push_str("</select></label>\n<label>regime <select id=\"f-regime\">\n<option value=\"\">every regime</option>\n");
        for (regime, n) in &self.by_regime {
            let r = for_html(regime);
            let _ = writeln!(out, "<option value=\"{r}\">{r} ({n})</option>");
        }
        out.push_str("</select></label>\n<label>text <input id=\"f-text\" type=\"search\" placeholder=\"record id, party name, rule id\" autocomplete=\"off\"></label>\n<button type=\"reset\">show all</button>\n</form>\n");
        let _ = writeln!(
            out,
            "<p class=\"shown\">Showing <span id=\"shown\">{n}</span> of <span id=\"listed\">{n}</span> listed records.</p>",
            n = self.rows.len()
        );
        out.push_str("<table id=\"records-table\">\n<thead><tr><th scope=\"col\" class=\"n\">#</th><th scope=\"col\">verdict</th><th scope=\"col\">record</th><th scope=\"col\">findings</th></tr></thead>\n<tbody>\n");
        for row in &self.rows {
            out.push_str(row);
        }
        out.push_str("</tbody>\n</table>\n<p id=\"no-match\" class=\"none\" hidden>No listed record matches the filters.</p>\n</section>\n</main>\n");
    }
}

/// The records' file as the page names it: `standard input` for `-`
fn input_name(input: &str) -> &str {
    if input == "-" {
        "standard input"
    } else {
        input
    }
}

fn footer(out: &mut String) {
    let _ = writeln!(
        out,
        "<footer><p>Made by <code>embargo screen</code>. Citations link to the resolution's page in the UN's Official Document System (<code>{DOCUMENTS}</code>). This page loads nothing: its style and script are in this file, and its Content-Security-Policy forbids any other. Verdicts are the output of rules; a person decides.</p></footer>"
    );
}

/// The page's Content-Security-Policy: nothing but its own style and script (by their SHA-256)
/// and `data:` images (its empty icon); no connection, frame, font, form or base
pub fn content_security_policy() -> String {
    format!(
        "default-src 'none'; style-src 'sha256-{}'; script-src 'sha256-{}'; img-src data:; base-uri 'none'; form-action 'none'",
        BASE64.encode(Sha256::digest(CSS.as_bytes())),
        BASE64.encode(Sha256::digest(JS.as_bytes()))
    )
}

/// A command line as a shell would take it back: each argument that holds anything but
/// letters, digits and `-_./=:,@+%` in single quotes
fn command_line(args: &[String]) -> String {
    args.iter()
        .map(|a| {
            if !a.is_empty()
                && a.chars()
                    .all(|c| c.is_alphanumeric() || "-_./=:,@+%".contains(c))
            {
                a.clone()
            } else {
                format!("'{}'", a.replace('\'', r"'\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A verdict's row: its attributes (verdict, regimes and the text the filter searches) and
/// cells (verdict, record, findings)
fn row(verdict: &Verdict, facts: Option<&RecordFacts>, regimes: &[String]) -> (String, String) {
    let word = verdict.verdict.as_str();
    let id = verdict.id.as_deref().unwrap_or("(no id)");
    // What the text filter searches: the id, the parties' and vessels' names, the rules' ids
    let mut search: Vec<&str> = vec![id];
    if let Some(f) = facts {
        search.extend(f.parties.iter().map(|(_, name)| name.as_str()));
        search.extend(f.vessels.iter().map(String::as_str));
    }
    search.extend(verdict.findings.iter().flatten().map(|f| f.rule.as_str()));
    search.extend(verdict.lifted.iter().map(|l| l.rule.as_str()));
    let attributes = format!(
        " class=\"{word}\" data-verdict=\"{word}\" data-regimes=\"{}\" data-search=\"{}\"",
        for_html(&regimes.join("|")),
        for_html(&search.join(" | ").to_lowercase())
    );

    let mut cells = String::with_capacity(1024);
    let _ = write!(
        cells,
        "<td class=\"v\"><span class=\"badge {word}\">{}</span></td><td class=\"rec\"><span class=\"id\">{}</span>",
        word.replace('_', " "),
        for_html(id)
    );
    if let Some(f) = facts {
        let _ = write!(
            cells,
            "<div class=\"facts\">{} · {}",
            for_html(&f.date),
            for_html(&f.activity)
        );
        if !f.route.is_empty() {
            let _ = write!(cells, " · {}", for_html(&f.route));
        }
        cells.push_str("</div>");
        if !f.parties.is_empty() {
            cells.push_str("<ul class=\"parties\">");
            for (role, name) in &f.parties {
                let _ = write!(
                    cells,
                    "<li><span class=\"role\">{}</span> <span class=\"party\">{}</span></li>",
                    for_html(role),
                    for_html(name)
                );
            }
            cells.push_str("</ul>");
        }
        if !f.vessels.is_empty() {
            cells.push_str("<ul class=\"vessels\">");
            for v in &f.vessels {
                let _ = write!(
                    cells,
                    "<li><span class=\"role\">vessel</span> {}</li>",
                    for_html(v)
                );
            }
            cells.push_str("</ul>");
        }
        if let Some(meta) = &f.meta {
            let _ = write!(
                cells,
                "<details class=\"meta\"><summary>meta</summary><code>{}</code></details>",
                for_html(meta)
            );
        }
    }
    if let Some(line) = verdict.line {
        let _ = write!(cells, "<div class=\"facts\">input line {line}</div>");
    }
    cells.push_str("</td><td class=\"findings\">");
    let findings = verdict.findings.as_deref().unwrap_or(&[]);
    if !findings.is_empty() {
        cells.push_str("<ol class=\"findings\">");
        for f in findings {
            let fw = f.verdict.as_str();
            let _ = write!(
                cells,
                "<li><div class=\"head\"><code class=\"rule\">{}</code> <span class=\"badge {fw}\">{}</span> <span class=\"regime\">{}</span></div><p class=\"reason\">{}</p>",
                for_html(&f.rule),
                fw.replace('_', " "),
                for_html(&f.regime),
                for_html(&f.reason)
            );
            if !f.citations.is_empty() {
                cells.push_str("<ul class=\"cites\">");
                for c in &f.citations {
                    cells.push_str("<li>");
                    citation(&mut cells, c);
                    cells.push_str("</li>");
                }
                cells.push_str("</ul>");
            }
            matches(&mut cells, &f.matches);
            if !f.notes.is_empty() {
                cells.push_str("<ul class=\"notes\">");
                for n in &f.notes {
                    let _ = write!(cells, "<li>note: {}</li>", for_html(n));
                }
                cells.push_str("</ul>");
            }
            cells.push_str("</li>");
        }
        cells.push_str("</ol>");
    }
    if !verdict.lifted.is_empty() {
        cells.push_str("<ul class=\"lifted\">");
        for l in &verdict.lifted {
            let _ = write!(
                cells,
                "<li><code class=\"rule\">{}</code> lifted by {}",
                for_html(&l.rule),
                for_html(&l.by)
            );
            matches(&mut cells, &l.matches);
            cells.push_str("</li>");
        }
        cells.push_str("</ul>");
    }
    if let Some(errors) = &verdict.errors {
        cells.push_str("<ul class=\"errors\">");
        for e in errors {
            let _ = write!(cells, "<li>{}</li>", for_html_lines(e));
        }
        cells.push_str("</ul>");
    }
    suppressed(&mut cells, &verdict.suppressed);
    cells.push_str("</td>");
    (attributes, cells)
}

/// A citation: the resolution linked to its official page, then the paragraph
fn citation(out: &mut String, c: &Citation) {
    let _ = write!(
        out,
        "<a class=\"cite\" href=\"{}\" rel=\"noopener noreferrer\" target=\"_blank\">{}</a>, para. {}",
        for_html(&document_url(&c.resolution)),
        for_html(&c.resolution),
        for_html(&c.paragraph)
    );
    if c.unconfirmed {
        out.push_str(" <span class=\"unconfirmed\">(paragraph unconfirmed)</span>");
    }
}

/// The list entries a finding rests on
fn matches(out: &mut String, matches: &[MatchUsed]) {
    if matches.is_empty() {
        return;
    }
    out.push_str("<ul class=\"matches\">");
    for m in matches {
        let d = &m.designation;
        let _ = write!(
            out,
            "<li>match: {} is <span class=\"ref\">{}</span> <span class=\"listed\">{}</span> ({}): {}, score {:.2}",
            for_html(&m.of),
            for_html(&d.reference),
            for_html(&d.listed_name),
            for_html(&d.list),
            d.strength.as_str(),
            d.score
        );
        if !d.why.is_empty() {
            let _ = write!(out, "; {}", for_html(&d.why.join("; ")));
        }
        out.push_str("</li>");
    }
    out.push_str("</ul>");
}

/// The matches a suppression took out of the record
fn suppressed(out: &mut String, suppressed: &[SuppressedMatch]) {
    if suppressed.is_empty() {
        return;
    }
    out.push_str("<ul class=\"suppressed\">");
    for m in suppressed {
        let d = &m.designation;
        let s = &m.suppression;
        let _ = write!(
            out,
            "<li>suppressed: {} is {} {} ({}): {}, score {:.2}; cleared by {} on {} until {}: {}</li>",
            for_html(&m.of),
            for_html(&d.reference),
            for_html(&d.listed_name),
            for_html(&d.list),
            d.strength.as_str(),
            d.score,
            for_html(&s.by),
            for_html(&s.on),
            for_html(&s.expires),
            for_html(&s.reason)
        );
    }
    out.push_str("</ul>");
}

#[cfg(test)]
mod tests;

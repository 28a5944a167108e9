//! The library's facade: a rule [`Pack`] compiled once, and an [`Engine`] that judges records
//! with it against [`Lists`](crate::screening::Lists). What a payment system embeds: the rest of
//! the crate is the machinery behind these few calls.

use std::io::{self, BufRead, Write};

use thiserror::Error;

use crate::diagnostics::Diagnostics;
use crate::eval::{Evaluator, Explanation, Verdict};
use crate::ir::Program;
use crate::model::{
    InputFormat, InvalidRecord, ReadOptions, RecordReader, RecordText, Transaction, parse_record,
    parse_record_into,
};
use crate::provenance::{Provenance, pack_hash};
use crate::report::verdicts::{json_line, provenance_json, with_provenance};
use crate::screen::{Summary, stream_judged};
use crate::screening::Lists;
use crate::screening::suppress::Decisions;
use crate::source::SourceFile;

/// Rule files that do not compile: every diagnostic, errors and warnings
#[derive(Debug, Error)]
#[error("the rules have {} error(s)", .diagnostics.error_count())]
pub struct CompileError {
    /// What the checker found, as `embargo check` reports it
    pub diagnostics: Diagnostics,
}

/// A compiled rule pack and its hash (`sha256:<hex>`, as provenance gives it)
#[derive(Debug)]
pub struct Pack {
    program: Program,
    hash: String,
    warnings: Diagnostics,
}

impl Pack {
    /// The pack shipped in `rules/`, embedded in the library. It compiles (`tests/shipped_rules.rs`
    /// checks it on every build); should it not, the error says why rather than an empty pack
    /// judging every record `clear`.
    ///
    /// ```
    /// let pack = embargo::Pack::embedded().unwrap();
    /// assert!(pack.program().rules.len() > 100);
    /// assert!(pack.hash().starts_with("sha256:"));
    /// ```
    pub fn embedded() -> Result<Pack, CompileError> {
        Pack::compile(crate::rules::embedded())
    }

    /// Compiles rule files together (names are shared across files)
    ///
    /// ```
    /// use embargo::SourceFile;
    ///
    /// let text = "regime demo { title \"Demo\" }\nrule demo.r {\n  regime demo\n  when x.y\n}\n";
    /// let err = embargo::Pack::compile(vec![SourceFile::new("demo.rules", text)]).unwrap_err();
    /// assert!(err.diagnostics.has_errors());
    /// ```
    pub fn compile(files: Vec<SourceFile>) -> Result<Pack, CompileError> {
        Pack::compile_in(files, &[])
    }

    /// [`Pack::compile`] for files read from the folders or files `roots`: each file is named
    /// in the pack's hash by its path relative to the first root holding it, so that the hash is
    /// the one `embargo screen --rules ROOT --provenance` gives
    ///
    /// ```
    /// use embargo::{Pack, SourceFile};
    /// let file = SourceFile::new("/packs/firm/extra.rules", "");
    /// let pack = Pack::compile_in(vec![file.clone()], &["/packs/firm".into()]).unwrap();
    /// let moved = SourceFile::new("/elsewhere/firm/extra.rules", "");
    /// let same = Pack::compile_in(vec![moved], &["/elsewhere/firm".into()]).unwrap();
    /// assert_eq!(pack.hash(), same.hash());
    /// assert_ne!(pack.hash(), Pack::compile(vec![file]).unwrap().hash());
    /// ```
    pub fn compile_in(
        files: Vec<SourceFile>,
        roots: &[std::path::PathBuf],
    ) -> Result<Pack, CompileError> {
        let hash = pack_hash(&files, roots);
        let (program, diagnostics) = crate::compile::compile(&files);
        match program {
            Some(program) => Ok(Pack {
                program,
                hash,
                warnings: diagnostics,
            }),
            None => Err(CompileError { diagnostics }),
        }
    }

    /// Checks rule files as `embargo check` does: every diagnostic, whether or not they compile
    ///
    /// ```
    /// let text = "regime demo { title \"Demo\" }\nrule demo.r {\n  regime demo\n  when x.y\n}\n";
    /// let diagnostics = embargo::Pack::check(&[embargo::SourceFile::new("demo.rules", text)]);
    /// assert!(diagnostics.has_errors());
    /// ```
    pub fn check(files: &[SourceFile]) -> Diagnostics {
        crate::compile::compile(files).1
    }

    /// The compiled program
    pub fn program(&self) -> &Program {
        &self.program
    }

    /// The pack's hash, `sha256:<hex>` of its files' paths and texts
    pub fn hash(&self) -> &str {
        &self.hash
    }

    /// The warnings the checker gave on a pack that compiled
    pub fn warnings(&self) -> &Diagnostics {
        &self.warnings
    }
}

/// A pack and the lists its records are screened against: judges one record, a stream of
/// records, or explains one.
///
/// ```
/// use embargo::{Engine, Pack};
/// use embargo::Lists;
///
/// let engine = Engine::new(Pack::embedded().unwrap(), Lists::default());
/// let verdict = engine.screen_json(r#"{"id": "tx-1", "date": "2022-09-05", "activity": "trade",
///     "origin": "KP", "destination": "RU", "goods": [{"hs": "9306.90", "categories": ["arms"]}]}"#);
/// assert_eq!(verdict.verdict.as_str(), "prohibited");
/// assert_eq!(verdict.rule_ids(), ["un.dprk.arms.from_dprk"]);
/// ```
#[derive(Debug)]
pub struct Engine {
    pack: Pack,
    lists: Lists,
    list_verdicts: Vec<(String, crate::ir::Level)>,
    decisions: Decisions,
}

impl Engine {
    /// An engine judging by `pack`, screening parties and vessels against `lists`
    pub fn new(pack: Pack, lists: Lists) -> Engine {
        Engine {
            pack,
            lists,
            list_verdicts: Vec::new(),
            decisions: Decisions::default(),
        }
    }

    /// The analyst's decisions applied to what screening finds, before the rules judge
    /// (`screen --min-score`, `--suppressions`): a match below its list's minimum is dropped; a
    /// match a suppression in force on the record's date clears is taken out and shown in the
    /// verdict's `suppressed`
    ///
    /// ```
    /// use embargo::{Decisions, Engine, Lists, Pack};
    /// let lists = Lists::load(&["tests/screening/list.xml".into()]).unwrap();
    /// // The file `embargo lists suppress` appends to
    /// let yaml = "- party: Korea Fictive Trading Corporation\n  entry: KPe.901\n  by: A. Analyst\n  \
    ///     reason: our customer since 1998\n  on: 2024-01-02\n  expires: 2024-06-30\n";
    /// let decisions = Decisions {
    ///     suppressions: embargo::read_suppressions(yaml).unwrap(),
    ///     ..Decisions::default()
    /// };
    /// let engine = Engine::new(Pack::embedded().unwrap(), lists).with_decisions(decisions);
    /// let verdict = engine.screen_json(r#"{"id": "tx-1", "date": "2024-03-01", "activity": "payment",
    ///     "parties": [{"role": "payee", "name": "Korea Fictive Trading Corporation", "kind": "entity"}]}"#);
    /// assert_eq!(verdict.verdict.as_str(), "clear");
    /// assert_eq!(verdict.suppressed[0].suppression.by, "A. Analyst");
    /// ```
    pub fn with_decisions(mut self, decisions: Decisions) -> Engine {
        self.decisions = decisions;
        self
    }

    /// The analyst's decisions applied
    pub fn decisions(&self) -> &Decisions {
        &self.decisions
    }

    /// The verdict a match on each named list gives when no rule reads it (`--list-verdict`)
    pub fn with_list_verdicts(mut self, verdicts: Vec<(String, crate::ir::Level)>) -> Engine {
        self.list_verdicts = verdicts;
        self
    }

    /// The pack
    pub fn pack(&self) -> &Pack {
        &self.pack
    }

    /// The lists
    pub fn lists(&self) -> &Lists {
        &self.lists
    }

    /// Which engine, pack and lists decide (`--provenance`)
    pub fn provenance(&self) -> Provenance {
        Provenance::new(self.pack.hash.clone(), self.lists.versions().to_vec())
    }

    fn evaluator(&self) -> Evaluator<'_> {
        Evaluator::new(&self.pack.program).with_list_verdicts(&self.list_verdicts)
    }

    /// The verdict on one record written as a JSON object (the record contract,
    /// `docs/records.md`): `invalid`, with every problem, when it cannot be read
    ///
    /// ```
    /// use embargo::{Engine, Pack};
    /// let engine = Engine::new(Pack::embedded().unwrap(), Default::default());
    /// let verdict = engine.screen_json(r#"{"id": "x", "date": "2022-09-05", "activty": "trade"}"#);
    /// assert_eq!(verdict.verdict.as_str(), "invalid");
    /// let errors = verdict.errors.unwrap_or_default();
    /// assert!(errors.iter().any(|e| e.contains("activity")), "{errors:?}");
    /// ```
    pub fn screen_json(&self, json: &str) -> Verdict {
        self.screen_json_at(json, 1, 1)
    }

    /// [`Engine::screen_json`] of a record that begins at `line` and `column` of a larger input
    /// (an element of a JSON array): its errors name places in that input
    ///
    /// ```
    /// use embargo::{Engine, Pack};
    /// let engine = Engine::new(Pack::embedded().unwrap(), Default::default());
    /// let verdict = engine.screen_json_at("{\"id\": \"x\",\n \"dte\": 1}", 7, 3);
    /// let errors = verdict.errors.unwrap_or_default();
    /// assert!(errors.iter().any(|e| e.contains("line 8")), "{errors:?}");
    /// ```
    pub fn screen_json_at(&self, json: &str, line: usize, column: usize) -> Verdict {
        let text = RecordText {
            line,
            column,
            text: json.into(),
            yaml: false,
            table: None,
        };
        match parse_record("record", &text) {
            Ok(mut t) => {
                self.lists.annotate(&mut t);
                self.decided(&self.evaluator(), &mut t)
            }
            Err(bad) => Verdict::invalid(bad.id, bad.line, bad.errors),
        }
    }

    /// The verdict on a record whose parties and vessels were screened: the decisions applied
    /// to what screening found, then the rules, the suppressed matches in the verdict
    fn decided(&self, evaluator: &Evaluator<'_>, t: &mut Transaction) -> Verdict {
        let applied = self.decisions.apply(t);
        let mut verdict = evaluator.evaluate_taking_id(t);
        verdict.suppressed = applied.suppressed;
        verdict
    }

    /// Every record of a JSON Lines stream judged, the verdicts written to `output` as JSON
    /// lines in input order (with the provenance in each when `provenance`); N records in, N
    /// verdicts out. Records are judged in parallel on rayon's pool.
    ///
    /// ```
    /// use embargo::{Engine, Pack};
    /// let engine = Engine::new(Pack::embedded().unwrap(), Default::default());
    /// let input = "{\"id\": \"a\", \"date\": \"2022-09-05\", \"activity\": \"payment\"}\nnot json\n";
    /// let mut out = Vec::new();
    /// let summary = engine.screen_stream(input.as_bytes(), &mut out, false).unwrap();
    /// assert_eq!((summary.records, summary.invalid), (2, 1));
    /// assert_eq!(String::from_utf8(out).unwrap().lines().count(), 2);
    /// ```
    pub fn screen_stream(
        &self,
        input: impl BufRead,
        mut output: impl Write,
        provenance: bool,
    ) -> io::Result<Summary> {
        self.screen_stream_with(
            input,
            provenance,
            |_, line| line,
            |line| output.write_all(line.as_bytes()),
        )
    }

    /// [`Engine::screen_stream`] with what becomes of each verdict given by the caller: `render`
    /// runs in parallel on each verdict and its JSON line (newline included, with the
    /// provenance when `provenance`), `sink` receives what it made in input order. A server
    /// counts and logs each verdict this way without reading its line back.
    ///
    /// ```
    /// use embargo::{Engine, Pack};
    /// let engine = Engine::new(Pack::embedded().unwrap(), Default::default());
    /// let input = "{\"id\": \"a\", \"date\": \"2022-09-05\", \"activity\": \"payment\"}\nnot json\n";
    /// let mut kinds = Vec::new();
    /// engine
    ///     .screen_stream_with(input.as_bytes(), false, |v, _| v.verdict.as_str(), |k| {
    ///         kinds.push(k);
    ///         Ok(())
    ///     })
    ///     .unwrap();
    /// assert_eq!(kinds, ["clear", "invalid"]);
    /// ```
    pub fn screen_stream_with<T: Send>(
        &self,
        input: impl BufRead,
        provenance: bool,
        render: impl Fn(&Verdict, String) -> T + Sync,
        sink: impl FnMut(T) -> io::Result<()>,
    ) -> io::Result<Summary> {
        let stamp = provenance.then(|| provenance_json(&self.provenance()));
        let reader = RecordReader::new(input, InputFormat::JsonLines);
        let evaluator = self.evaluator();
        self.lists.with_matcher(|matcher| {
            let options = ReadOptions::default();
            stream_judged(
                reader,
                "input",
                |text| {
                    // Read into a record on this stack, as `screen::judge_with` does
                    let mut t = Transaction::default();
                    let verdict = match parse_record_into("input", text, &options, &mut t) {
                        Ok(()) => {
                            matcher.annotate(&mut t);
                            self.decided(&evaluator, &mut t)
                        }
                        Err(bad) => Verdict::invalid(bad.id, bad.line, bad.errors),
                    };
                    (verdict, ())
                },
                |verdict, ()| {
                    let mut line = json_line(verdict);
                    if let Some(stamp) = &stamp {
                        with_provenance(&mut line, stamp);
                    }
                    line.push('\n');
                    render(verdict, line)
                },
                sink,
            )
        })
    }

    /// Each step of the judgement of one record written as a JSON object: every rule
    /// considered, what held and what did not (as `embargo explain`)
    ///
    /// ```
    /// use embargo::{Engine, Pack};
    /// let engine = Engine::new(Pack::embedded().unwrap(), Default::default());
    /// let explanation = engine.explain_json(r#"{"id": "x", "date": "2022-09-05", "activity": "payment"}"#).unwrap();
    /// assert_eq!(explanation.verdict.verdict.as_str(), "clear");
    /// let text = embargo::explanation_text(&explanation);
    /// assert!(text.contains("clear"));
    /// ```
    pub fn explain_json(&self, json: &str) -> Result<Explanation, InvalidRecord> {
        let text = RecordText {
            line: 1,
            column: 1,
            text: json.into(),
            yaml: false,
            table: None,
        };
        let mut t = parse_record("record", &text)?;
        self.lists.annotate(&mut t);
        let applied = self.decisions.apply(&mut t);
        let mut explanation = self.evaluator().explain(&t);
        explanation.verdict.suppressed = applied.suppressed;
        Ok(explanation)
    }
}

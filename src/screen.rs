//! Batch screening: records streamed through the evaluator in chunks, on all cores, in input order.

use std::io::{self, BufRead};

use rayon::prelude::*;

use crate::eval::{Evaluator, Outcome, Verdict};
use crate::matching::ListMatcher;
use crate::model::{ReadOptions, RecordReader, RecordText, parse_record_with};

/// How many records are read before a chunk is judged in parallel; memory is bounded by it
pub const CHUNK: usize = 2048;

/// Counts over a screened batch
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Records read (every one gets a verdict)
    pub records: usize,
    /// Records flagged: `prohibited`, `authorization_required`, `review`
    pub flagged: usize,
    /// Records that could not be read
    pub invalid: usize,
}

impl Summary {
    /// Whether `screen` should exit 1
    pub fn any_flagged(&self) -> bool {
        self.flagged + self.invalid > 0
    }
}

/// Judges one record's text: its parties and vessels screened against `lists`, then a verdict;
/// `invalid` when it cannot be read
pub fn judge(
    evaluator: &Evaluator<'_>,
    lists: &ListMatcher<'_>,
    source: &str,
    record: &RecordText,
) -> Verdict {
    judge_with(evaluator, lists, source, record, &ReadOptions::default())
}

/// `judge`, reading the record as `options` say
pub fn judge_with(
    evaluator: &Evaluator<'_>,
    lists: &ListMatcher<'_>,
    source: &str,
    record: &RecordText,
    options: &ReadOptions<'_>,
) -> Verdict {
    match parse_record_with(source, record, options) {
        Ok(mut t) => {
            lists.annotate(&mut t);
            evaluator.evaluate(&t)
        }
        Err(bad) => Verdict::invalid(bad.id, bad.line, bad.errors),
    }
}

/// Screens every record of `reader` (against `lists`, when it has any), read as `options` say.
/// `render` runs in parallel on each verdict; `sink` receives
/// the rendered verdicts in input order. An I/O error ends the batch with that error.
pub fn screen_stream<R, T>(
    evaluator: &Evaluator<'_>,
    lists: &ListMatcher<'_>,
    reader: RecordReader<R>,
    source: &str,
    options: &ReadOptions<'_>,
    render: impl Fn(&Verdict) -> T + Sync,
    mut sink: impl FnMut(T) -> io::Result<()>,
) -> io::Result<Summary>
where
    R: BufRead,
    T: Send,
{
    let mut summary = Summary::default();
    let mut chunk: Vec<RecordText> = Vec::with_capacity(CHUNK);
    let mut reader = reader.peekable();
    loop {
        chunk.clear();
        while chunk.len() < CHUNK {
            match reader.next() {
                Some(Ok(text)) => chunk.push(text),
                Some(Err(e)) => return Err(e),
                None => break,
            }
        }
        if chunk.is_empty() {
            return Ok(summary);
        }
        let judged: Vec<(Outcome, T)> = chunk
            .par_iter()
            .map(|text| {
                let verdict = judge_with(evaluator, lists, source, text, options);
                (verdict.verdict, render(&verdict))
            })
            .collect();
        for (outcome, rendered) in judged {
            summary.records += 1;
            match outcome {
                Outcome::Invalid => summary.invalid += 1,
                o if o.is_flagged() => summary.flagged += 1,
                _ => {}
            }
            sink(rendered)?;
        }
        if reader.peek().is_none() {
            return Ok(summary);
        }
    }
}

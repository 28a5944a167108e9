//! Batch screening: records streamed through the evaluator in chunks, on all cores, in input order.

use std::io;

use rayon::prelude::*;

use crate::eval::{Evaluator, Outcome, Verdict};
use crate::model::{BrokenRecord, ReadError, ReadOptions, RecordText, parse_record_with};
use crate::screening::matching::ListMatcher;

/// How many records are read at most before a chunk is judged in parallel
pub const CHUNK: usize = 2048;

/// How many bytes of record text a chunk holds before it is judged (plus its last record, which
/// the limit on a record's size bounds): memory is bounded by it, whatever the records' sizes
pub const CHUNK_BYTES: usize = 8 << 20;

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

/// One record of a chunk: its text, or why it could not be read
enum Item {
    Text(RecordText),
    Broken(BrokenRecord),
}

/// How filling a chunk ended
enum Fill {
    /// The chunk is full; more records may follow
    Full,
    /// The input ended
    End,
    /// The input cannot be read further: the records before are judged, then the batch fails
    Failed(ReadError),
}

/// Reads records into `chunk` until it holds `max_records`, their text passes `max_bytes`, or the
/// input ends or fails
fn fill_chunk(
    reader: &mut impl Iterator<Item = Result<RecordText, ReadError>>,
    chunk: &mut Vec<Item>,
    max_records: usize,
    max_bytes: usize,
) -> Fill {
    let mut bytes = 0usize;
    while chunk.len() < max_records && bytes < max_bytes {
        match reader.next() {
            Some(Ok(text)) => {
                bytes = bytes.saturating_add(text.text.len());
                chunk.push(Item::Text(text));
            }
            Some(Err(ReadError::Record(broken))) => chunk.push(Item::Broken(broken)),
            Some(Err(e)) => return Fill::Failed(e),
            None => return Fill::End,
        }
    }
    Fill::Full
}

/// Screens every record of `reader` (a [`RecordReader`], or the rows of a table: any iterator of
/// records' texts; against `lists`, when it has any), read as `options` say.
/// `render` runs in parallel on each verdict; `sink` receives the rendered verdicts in input
/// order. A record that cannot be read is `invalid`; an input that cannot be split into records
/// or read further ends the batch with that error (naming `source`, line and column), after the
/// verdicts of the records before.
pub fn screen_stream<I, T>(
    evaluator: &Evaluator<'_>,
    lists: &ListMatcher<'_>,
    reader: I,
    source: &str,
    options: &ReadOptions<'_>,
    render: impl Fn(&Verdict) -> T + Sync,
    sink: impl FnMut(T) -> io::Result<()>,
) -> io::Result<Summary>
where
    I: Iterator<Item = Result<RecordText, ReadError>>,
    T: Send,
{
    stream_judged(
        reader,
        source,
        |text| (judge_with(evaluator, lists, source, text, options), ()),
        |verdict, ()| render(verdict),
        sink,
    )
}

/// [`screen_stream`] with the judging of one record given by the caller: `judge` turns a
/// record's text into its verdict and what else the caller wants to keep of it (`X`, its default
/// for a record that cannot be read), `render` runs in parallel on both, and `sink` receives the
/// rendered values in input order. The command line judges this way to apply the analyst's
/// decisions between screening and the rules.
pub fn stream_judged<I, X, T>(
    mut reader: I,
    source: &str,
    judge: impl Fn(&RecordText) -> (Verdict, X) + Sync,
    render: impl Fn(&Verdict, &X) -> T + Sync,
    mut sink: impl FnMut(T) -> io::Result<()>,
) -> io::Result<Summary>
where
    I: Iterator<Item = Result<RecordText, ReadError>>,
    X: Default,
    T: Send,
{
    let mut summary = Summary::default();
    let mut chunk: Vec<Item> = Vec::with_capacity(CHUNK);
    loop {
        chunk.clear();
        let fill = fill_chunk(&mut reader, &mut chunk, CHUNK, CHUNK_BYTES);
        let judged: Vec<(Outcome, T)> = chunk
            .par_iter()
            .map(|item| {
                let (verdict, kept) = match item {
                    Item::Text(text) => judge(text),
                    Item::Broken(b) => (
                        Verdict::invalid(b.id.clone(), b.line, vec![b.describe(source)]),
                        X::default(),
                    ),
                };
                (verdict.verdict, render(&verdict, &kept))
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
        match fill {
            Fill::Full => {}
            Fill::End => return Ok(summary),
            Fill::Failed(e) => return Err(e.into_io_error(source)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{InputFormat, RecordReader};

    fn sizes(input: &str, max_records: usize, max_bytes: usize) -> Vec<usize> {
        let mut reader = RecordReader::new(input.as_bytes(), InputFormat::JsonLines);
        let mut sizes = Vec::new();
        loop {
            let mut chunk = Vec::new();
            let fill = fill_chunk(&mut reader, &mut chunk, max_records, max_bytes);
            sizes.push(chunk.len());
            if !matches!(fill, Fill::Full) {
                return sizes;
            }
        }
    }

    #[test]
    fn chunks_end_at_a_count_or_a_byte_budget() {
        // Ten records of 10 bytes: by count, 4 + 4 + 2; by bytes (25), 3 + 3 + 3 + 1.
        let input = "{\"a\":123}\n".repeat(10);
        assert_eq!(sizes(&input, 4, usize::MAX), vec![4, 4, 2]);
        assert_eq!(sizes(&input, 100, 25), vec![3, 3, 3, 1]);
        // A record larger than the budget makes a chunk on its own.
        let big = format!("{{\"a\":\"{}\"}}\n{input}", "x".repeat(100));
        assert_eq!(sizes(&big, 100, 25).first(), Some(&1));
    }
}

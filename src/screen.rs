//! Batch screening: records streamed through the evaluator in chunks, on all cores, in input order.

use std::io;

use rayon::prelude::*;

use crate::eval::{Evaluator, Outcome, Verdict};
use crate::model::{
    BrokenRecord, ReadError, ReadOptions, RecordText, Transaction, parse_record_into,
};
use crate::screening::matching::ListMatcher;

/// How many records are read at most before a chunk is judged in parallel: few enough that a
/// chunk's text and records stay in a core's cache from reading to judging (on one thread,
/// 512 screened about 5 to 10 % faster than 2048: docs/benchmarks.md)
pub const CHUNK: usize = 512;

/// How many bytes of record text a chunk holds before it is judged (plus its last record, which
/// the limit on a record's size bounds): memory is bounded by it (two chunks' records are held
/// at once), whatever the records' sizes
pub const CHUNK_BYTES: usize = 8 << 20;

/// The most records one worker judges without letting another take some: a chunk's judging
/// ends when its last piece does, so the pieces are small enough for the workers to end together
/// (at about 3 µs a record, 64 records are 0.2 ms; left to rayon, a piece could be a quarter of
/// the chunk, and one worker waited on the other at the end of each: docs/benchmarks.md)
const PIECE: usize = 64;

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
    // Read into a record on this stack, not returned in one: a record is about 700 bytes
    let mut t = Transaction::default();
    match parse_record_into(source, record, options, &mut t) {
        Ok(()) => {
            lists.annotate(&mut t);
            evaluator.evaluate_taking_id(&mut t)
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
    reader: I,
    source: &str,
    judge: impl Fn(&RecordText) -> (Verdict, X) + Sync,
    render: impl Fn(&Verdict, &X) -> T + Sync,
    sink: impl FnMut(T) -> io::Result<()>,
) -> io::Result<Summary>
where
    I: Iterator<Item = Result<RecordText, ReadError>>,
    X: Default,
    T: Send,
{
    // Overlapping needs a core for the reading and writing: a worker of the pool has one (it
    // judges too when it has read and written), and so has a thread outside a pool with fewer
    // workers than cores. Outside a pool with a worker on every core, this thread would take
    // turns with them, and measured slower (docs/benchmarks.md): it reads, has judged and
    // writes in turn.
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let overlap = rayon::current_thread_index().is_some() || rayon::current_num_threads() < cores;
    stream_judged_overlapping(reader, source, overlap, judge, render, sink)
}

/// [`stream_judged`], overlapping the reading and writing with the judging or not as `overlap`
/// says
fn stream_judged_overlapping<I, X, T>(
    mut reader: I,
    source: &str,
    overlap: bool,
    judge: impl Fn(&RecordText) -> (Verdict, X) + Sync,
    render: impl Fn(&Verdict, &X) -> T + Sync,
    mut sink: impl FnMut(T) -> io::Result<()>,
) -> io::Result<Summary>
where
    I: Iterator<Item = Result<RecordText, ReadError>>,
    X: Default,
    T: Send,
{
    let judge_chunk = |chunk: &[Item]| -> Vec<(Outcome, T)> {
        chunk
            .par_iter()
            .with_max_len(PIECE)
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
            .collect()
    };
    streamed(&mut reader, source, overlap, &judge_chunk, &mut sink)
}

/// [`stream_judged`] chunk by chunk. With `overlap`, while rayon's pool judges one chunk, this
/// thread writes the verdicts of the chunk before it and reads the chunk after it, then waits
/// for the pool (and judges with it, when this thread is one of its workers); without, it judges,
/// writes and reads in turn. Either way at most two chunks' records are held at once (those
/// judged, and those read next, which first take the place of those judged before) and one
/// chunk's verdicts (those written), so memory stays bounded. The reading and writing stay on
/// the calling thread, so the input and the output need not be `Send`.
fn streamed<T: Send>(
    reader: &mut impl Iterator<Item = Result<RecordText, ReadError>>,
    source: &str,
    overlap: bool,
    judge_chunk: &(impl Fn(&[Item]) -> Vec<(Outcome, T)> + Sync),
    sink: &mut impl FnMut(T) -> io::Result<()>,
) -> io::Result<Summary> {
    let mut summary = Summary::default();
    let mut next: Vec<Item> = Vec::with_capacity(CHUNK);
    let mut fill = fill_chunk(reader, &mut next, CHUNK, CHUNK_BYTES);
    let mut spare: Vec<Item> = Vec::with_capacity(CHUNK);
    let mut written: Vec<(Outcome, T)> = Vec::new();
    loop {
        // The chunk read last is judged now; the one after it is read into the spare buffer
        let chunk = std::mem::replace(&mut next, std::mem::take(&mut spare));
        let ended = !matches!(fill, Fill::Full);
        let mut judged = Vec::new();
        // The verdicts before are written, then the next chunk read: while the pool judges this
        // one, or before this thread judges it
        let mut write_and_read = |written: Vec<(Outcome, T)>| {
            write_out(written, &mut summary, sink)?;
            // The records judged two chunks ago, freed by this thread, which read them
            next.clear();
            if !ended {
                fill = fill_chunk(reader, &mut next, CHUNK, CHUNK_BYTES);
            }
            Ok::<_, io::Error>(())
        };
        if overlap {
            rayon::in_place_scope(|scope| {
                scope.spawn(|_| judged = judge_chunk(&chunk));
                write_and_read(written)
            })?;
        } else {
            write_and_read(written)?;
            judged = judge_chunk(&chunk);
        }
        written = judged;
        // Its records are freed when the chunk after next is read into it
        spare = chunk;
        if ended {
            write_out(written, &mut summary, sink)?;
            return match fill {
                Fill::Failed(e) => Err(e.into_io_error(source)),
                Fill::Full | Fill::End => Ok(summary),
            };
        }
    }
}

/// Counts the verdicts of a chunk into `summary` and gives them to `sink`, in order
fn write_out<T>(
    verdicts: Vec<(Outcome, T)>,
    summary: &mut Summary,
    sink: &mut impl FnMut(T) -> io::Result<()>,
) -> io::Result<()> {
    for (outcome, rendered) in verdicts {
        summary.records += 1;
        match outcome {
            Outcome::Invalid => summary.invalid += 1,
            o if o.is_flagged() => summary.flagged += 1,
            _ => {}
        }
        sink(rendered)?;
    }
    Ok(())
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

    /// How a test streams records
    #[derive(Clone, Copy, Debug)]
    enum How {
        /// From outside any pool: read, judged and written in turn
        InTurn,
        /// From outside any pool, judging one chunk while reading and writing others
        Overlapped,
        /// As a worker of a pool of that many workers, overlapping
        Worker(usize),
    }

    const EVERY_WAY: [How; 4] = [How::InTurn, How::Overlapped, How::Worker(1), How::Worker(2)];

    /// The ids the records of `reader` come out with, streamed as `how` says, and how it ended;
    /// the output fails at record `fail_at`
    fn streamed_by(
        how: How,
        reader: impl Iterator<Item = Result<RecordText, ReadError>> + Send,
        fail_at: Option<usize>,
    ) -> (Vec<String>, io::Result<Summary>) {
        let program = crate::ir::Program::default();
        let evaluator = Evaluator::new(&program);
        let lists = ListMatcher::new();
        let mut ids = Vec::new();
        let run = |overlap| {
            stream_judged_overlapping(
                reader,
                "t.jsonl",
                overlap,
                |text| (judge(&evaluator, &lists, "t.jsonl", text), ()),
                |verdict, ()| verdict.id.clone().unwrap_or_default(),
                |id: String| {
                    if Some(ids.len()) == fail_at {
                        return Err(io::Error::other("disk full"));
                    }
                    ids.push(id);
                    Ok(())
                },
            )
        };
        let result = match how {
            How::InTurn => run(false),
            How::Overlapped => run(true),
            How::Worker(n) => rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .expect("a pool")
                .install(|| run(true)),
        };
        (ids, result)
    }

    /// [`streamed_by`] of JSON Lines every way; all must agree
    fn streamed_every_way(
        input: &str,
        fail_at: Option<usize>,
    ) -> (Vec<String>, io::Result<Summary>) {
        let read = || RecordReader::new(input.as_bytes(), InputFormat::JsonLines);
        let (ids, result) = streamed_by(How::InTurn, read(), fail_at);
        for how in EVERY_WAY {
            let (other_ids, other_result) = streamed_by(how, read(), fail_at);
            assert_eq!(ids, other_ids, "{how:?}");
            assert_eq!(
                result.as_ref().map_err(ToString::to_string),
                other_result.as_ref().map_err(ToString::to_string),
                "{how:?}"
            );
        }
        (ids, result)
    }

    fn records(n: usize) -> String {
        (0..n)
            .map(|i| {
                format!(
                    "{{\"id\": \"r{i}\", \"date\": \"2022-09-05\", \"activity\": \"payment\"}}\n"
                )
            })
            .collect()
    }

    #[test]
    fn verdicts_come_in_input_order_over_many_chunks() {
        let n = CHUNK * 3 + 17;
        let (ids, result) = streamed_every_way(&records(n), None);
        let summary = result.expect("screened");
        assert_eq!(summary.records, n);
        let expected: Vec<String> = (0..n).map(|i| format!("r{i}")).collect();
        assert_eq!(ids, expected);
        let (ids, result) = streamed_every_way("", None);
        assert!(ids.is_empty() && result.expect("nothing to screen").records == 0);
    }

    #[test]
    fn a_failed_output_stops_the_batch_with_its_error() {
        let (ids, result) = streamed_every_way(&records(CHUNK * 4), Some(CHUNK + 5));
        assert_eq!(ids.len(), CHUNK + 5);
        assert_eq!(
            result.expect_err("the sink failed").to_string(),
            "disk full"
        );
    }

    #[test]
    fn an_input_that_fails_gives_the_verdicts_before_then_its_error() {
        let text = records(CHUNK + 3);
        for how in EVERY_WAY {
            let reader = RecordReader::new(text.as_bytes(), InputFormat::JsonLines)
                .chain(std::iter::once(Err(ReadError::Io(io::Error::other(
                    "cable cut",
                )))))
                .chain(RecordReader::new(text.as_bytes(), InputFormat::JsonLines));
            let (ids, result) = streamed_by(how, reader, None);
            // Every record before the failure is written, in order, and nothing after it
            assert_eq!(ids.len(), CHUNK + 3);
            assert_eq!(
                ids.last().map(String::as_str),
                Some(format!("r{}", CHUNK + 2).as_str())
            );
            let e = result.expect_err("the input failed");
            assert!(e.to_string().contains("cable cut"), "{e}");
        }
    }
}

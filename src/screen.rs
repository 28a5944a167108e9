//! Batch screening: records streamed through the evaluator in chunks, on all cores, in input order.

use std::io;

use rayon::prelude::*;

use crate::eval::{Evaluator, Outcome, Verdict};
use crate::model::{BrokenRecord, ReadError, ReadOptions, RecordText, parse_record_with};
use crate::screening::matching::ListMatcher;

/// How many records are read at most before a chunk is judged in parallel
pub const CHUNK: usize = 2048;

/// How many bytes of record text a chunk holds before it is judged (plus its last record, which
/// the limit on a record's size bounds): memory is bounded by it (two chunks read ahead of the
/// one written), whatever the records' sizes
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
    let judge_chunk = |chunk: &[Item]| -> Vec<(Outcome, T)> {
        chunk
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
            .collect()
    };
    // Overlapping needs a core of its own for the reading and writing: with a worker on every
    // core, this thread would take turns with them, and measured slower (docs/benchmarks.md)
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    if rayon::current_thread_index().is_some() || rayon::current_num_threads() >= cores {
        return serially(&mut reader, source, judge_chunk, &mut sink);
    }
    pipelined(&mut reader, source, &judge_chunk, &mut sink)
}

/// [`stream_judged`] with reading, judging and writing overlapping: this thread reads the next
/// chunk and writes the verdicts of the last while another thread has the chunk between them
/// judged on rayon's pool. At most `IN_FLIGHT` chunks are read and not yet written, so memory
/// stays bounded.
fn pipelined<T: Send>(
    reader: &mut impl Iterator<Item = Result<RecordText, ReadError>>,
    source: &str,
    judge_chunk: &(impl Fn(&[Item]) -> Vec<(Outcome, T)> + Sync),
    sink: &mut impl FnMut(T) -> io::Result<()>,
) -> io::Result<Summary> {
    std::thread::scope(|scope| {
        let (to_judge, chunks) = std::sync::mpsc::sync_channel::<Vec<Item>>(1);
        let (to_write, judged) = std::sync::mpsc::sync_channel::<(Vec<Item>, Vec<(Outcome, T)>)>(1);
        scope.spawn(move || {
            for chunk in chunks {
                let verdicts = judge_chunk(&chunk);
                // The writer has stopped (its output failed): nothing more to judge
                if to_write.send((chunk, verdicts)).is_err() {
                    break;
                }
            }
        });
        let mut summary = Summary::default();
        let mut in_flight = 0usize;
        let mut spare: Vec<Vec<Item>> = Vec::new();
        let mut ended = None;
        loop {
            while ended.is_none() && in_flight < IN_FLIGHT {
                let mut chunk = spare.pop().unwrap_or_else(|| Vec::with_capacity(CHUNK));
                chunk.clear();
                let fill = fill_chunk(reader, &mut chunk, CHUNK, CHUNK_BYTES);
                if !chunk.is_empty() {
                    to_judge.send(chunk).map_err(|_| stopped())?;
                    in_flight += 1;
                }
                if !matches!(fill, Fill::Full) {
                    ended = Some(fill);
                }
            }
            if in_flight == 0 {
                break;
            }
            let (chunk, verdicts) = judged.recv().map_err(|_| stopped())?;
            in_flight -= 1;
            spare.push(chunk);
            write_out(verdicts, &mut summary, sink)?;
        }
        match ended {
            Some(Fill::Failed(e)) => Err(e.into_io_error(source)),
            _ => Ok(summary),
        }
    })
}

/// [`stream_judged`] on one thread that reads, has each chunk judged and writes it in turn:
/// when rayon's pool has a worker on every core, and for a caller that is itself a worker of
/// the pool, which must not wait on the pool from outside it (with one worker, nothing would
/// judge)
fn serially<T>(
    reader: &mut impl Iterator<Item = Result<RecordText, ReadError>>,
    source: &str,
    judge_chunk: impl Fn(&[Item]) -> Vec<(Outcome, T)>,
    sink: &mut impl FnMut(T) -> io::Result<()>,
) -> io::Result<Summary> {
    let mut summary = Summary::default();
    let mut chunk: Vec<Item> = Vec::with_capacity(CHUNK);
    loop {
        chunk.clear();
        let fill = fill_chunk(reader, &mut chunk, CHUNK, CHUNK_BYTES);
        write_out(judge_chunk(&chunk), &mut summary, sink)?;
        match fill {
            Fill::Full => {}
            Fill::End => return Ok(summary),
            Fill::Failed(e) => return Err(e.into_io_error(source)),
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

/// How many chunks are read ahead of the one being written: one being judged, one waiting
const IN_FLIGHT: usize = 2;

/// The error of a batch whose judging thread stopped (it panicked: the panic follows)
fn stopped() -> io::Error {
    io::Error::other("the judging of records stopped")
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

    /// The ids the records of `reader` come out with, through the overlapping path
    /// (`pipeline`) or the serial one, and how it ended; the output fails at record `fail_at`
    fn streamed_by(
        pipeline: bool,
        mut reader: impl Iterator<Item = Result<RecordText, ReadError>>,
        fail_at: Option<usize>,
    ) -> (Vec<String>, io::Result<Summary>) {
        let program = crate::ir::Program::default();
        let evaluator = Evaluator::new(&program);
        let lists = ListMatcher::new();
        let judge_chunk = |chunk: &[Item]| -> Vec<(Outcome, String)> {
            chunk
                .iter()
                .map(|item| match item {
                    Item::Text(text) => {
                        let v = judge(&evaluator, &lists, "t.jsonl", text);
                        (v.verdict, v.id.unwrap_or_default())
                    }
                    Item::Broken(b) => (Outcome::Invalid, b.id.clone().unwrap_or_default()),
                })
                .collect()
        };
        let mut ids = Vec::new();
        let mut sink = |id: String| {
            if Some(ids.len()) == fail_at {
                return Err(io::Error::other("disk full"));
            }
            ids.push(id);
            Ok(())
        };
        let result = if pipeline {
            pipelined(&mut reader, "t.jsonl", &judge_chunk, &mut sink)
        } else {
            serially(&mut reader, "t.jsonl", judge_chunk, &mut sink)
        };
        (ids, result)
    }

    /// [`streamed_by`] of JSON Lines, both ways; the two must agree
    fn streamed(input: &str, fail_at: Option<usize>) -> (Vec<String>, io::Result<Summary>) {
        let read = || RecordReader::new(input.as_bytes(), InputFormat::JsonLines);
        let (ids, result) = streamed_by(true, read(), fail_at);
        let (serial_ids, serial_result) = streamed_by(false, read(), fail_at);
        assert_eq!(ids, serial_ids);
        assert_eq!(
            result.as_ref().map_err(ToString::to_string),
            serial_result.as_ref().map_err(ToString::to_string)
        );
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
        let (ids, result) = streamed(&records(n), None);
        let summary = result.expect("screened");
        assert_eq!(summary.records, n);
        let expected: Vec<String> = (0..n).map(|i| format!("r{i}")).collect();
        assert_eq!(ids, expected);
        let (ids, result) = streamed("", None);
        assert!(ids.is_empty() && result.expect("nothing to screen").records == 0);
    }

    #[test]
    fn a_failed_output_stops_the_batch_with_its_error() {
        let (ids, result) = streamed(&records(CHUNK * 4), Some(CHUNK + 5));
        assert_eq!(ids.len(), CHUNK + 5);
        assert_eq!(
            result.expect_err("the sink failed").to_string(),
            "disk full"
        );
    }

    #[test]
    fn an_input_that_fails_gives_the_verdicts_before_then_its_error() {
        let text = records(CHUNK + 3);
        for pipeline in [true, false] {
            let reader = RecordReader::new(text.as_bytes(), InputFormat::JsonLines)
                .chain(std::iter::once(Err(ReadError::Io(io::Error::other(
                    "cable cut",
                )))))
                .chain(RecordReader::new(text.as_bytes(), InputFormat::JsonLines));
            let (ids, result) = streamed_by(pipeline, reader, None);
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

    #[test]
    fn inside_a_pool_of_one_worker_the_batch_is_judged_serially() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .expect("a pool");
        let text = records(CHUNK + 1);
        let reader = RecordReader::new(text.as_bytes(), InputFormat::JsonLines);
        let evaluator_program = crate::ir::Program::default();
        let evaluator = Evaluator::new(&evaluator_program);
        let mut ids = Vec::new();
        let result = pool.install(|| {
            screen_stream(
                &evaluator,
                &ListMatcher::new(),
                reader,
                "t.jsonl",
                &ReadOptions::default(),
                |v| v.id.clone().unwrap_or_default(),
                |id| {
                    ids.push(id);
                    Ok(())
                },
            )
        });
        assert_eq!(ids.len(), CHUNK + 1);
        assert_eq!(result.expect("screened").records, CHUNK + 1);
    }
}

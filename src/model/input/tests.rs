//! Tests of `input`.

use super::*;

/// Each record as (line, text) or (line, `!` message)
fn split(input: &[u8], format: InputFormat, max: usize) -> Vec<(usize, String)> {
    RecordReader::new(input, format)
        .with_max_record_size(max)
        .map(|r| match r {
            Ok(r) => (r.line, r.text.trim().to_string()),
            Err(ReadError::Record(b)) => (
                b.line,
                format!("! {}:{} {}", b.at_line, b.at_column, b.message),
            ),
            Err(e) => (0, format!("fatal {e}")),
        })
        .collect()
}

fn texts(input: &str, format: InputFormat) -> Vec<(usize, String)> {
    split(input.as_bytes(), format, DEFAULT_MAX_RECORD_SIZE)
}

#[test]
fn json_lines_skip_blank_lines_and_keep_line_numbers() {
    let got = texts("{\"a\":1}\n\n  {\"b\":2}\r\n", InputFormat::JsonLines);
    assert_eq!(got, vec![(1, "{\"a\":1}".into()), (3, "{\"b\":2}".into())]);
}

#[test]
fn json_arrays_split_into_elements() {
    let got = texts(
        "[\n {\"a\": \"x,]}\"},\n {\"b\": [1, 2]}\n]\n",
        InputFormat::JsonArray,
    );
    assert_eq!(
        got,
        vec![
            (2, "{\"a\": \"x,]}\"}".into()),
            (3, "{\"b\": [1, 2]}".into())
        ]
    );
    let single = texts("{\"a\": 1}", InputFormat::JsonArray);
    assert_eq!(single, vec![(1, "{\"a\": 1}".into())]);
    assert!(texts("[]", InputFormat::JsonArray).is_empty());
    assert!(texts(" \n", InputFormat::JsonArray).is_empty());
}

#[test]
fn json_values_after_the_first_are_records_or_broken() {
    let got = texts(
        "[{\"a\":1}]\n[{\"b\":2}, 3]\n{\"c\":3} {\"d\":4}\n] tail",
        InputFormat::JsonArray,
    );
    assert_eq!(
        got,
        vec![
            (1, "{\"a\":1}".into()),
            (2, "{\"b\":2}".into()),
            (2, "3".into()),
            (3, "{\"c\":3}".into()),
            (3, "{\"d\":4}".into()),
            (4, "! 4:1 text outside any array or object: `] tail`".into()),
        ]
    );
    let got = texts("[{\"a\":1},\n", InputFormat::JsonArray);
    assert_eq!(
        got.last().map(|g| g.1.as_str()),
        Some("! 2:1 the array opened at line 1 is not closed: the input may be cut short")
    );
}

#[test]
fn a_json_input_with_no_array_or_object_cannot_be_split() {
    let got = texts("\n  id: a\n", InputFormat::JsonArray);
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got.first()
            .is_some_and(|g| g.1.starts_with("fatal line 2, column 3: not a JSON array")),
        "{got:?}"
    );
}

#[test]
fn yaml_documents_split_on_separators_and_inline_documents() {
    let got = texts(
        "# head\nid: a\n---\n# c\nid: b\n--- {id: c}\n----\n--- # comment\nid: d\n...\n",
        InputFormat::Yaml,
    );
    assert_eq!(
        got,
        vec![
            (2, "id: a".into()),
            (5, "id: b".into()),
            (6, "--- {id: c}\n----".into()),
            (9, "id: d".into())
        ]
    );
}

#[test]
fn a_byte_order_mark_is_skipped_and_crlf_is_read() {
    for format in [
        InputFormat::JsonLines,
        InputFormat::JsonArray,
        InputFormat::Yaml,
    ] {
        let text: &[u8] = match format {
            InputFormat::Yaml => b"\xEF\xBB\xBFid: a\r\n---\r\nid: b\r\n",
            _ => b"\xEF\xBB\xBF{\"id\": \"a\"}\r\n{\"id\": \"b\"}\r\n",
        };
        let got = split(text, format, 100);
        assert_eq!(got.len(), 2, "{format:?}: {got:?}");
        assert!(
            got.iter().all(|g| !g.1.starts_with('!')),
            "{format:?}: {got:?}"
        );
        assert_eq!(got.first().map(|g| g.0), Some(1));
        assert_eq!(
            got.last().map(|g| g.0),
            Some(2 + usize::from(format == InputFormat::Yaml))
        );
    }
}

#[test]
fn bad_utf8_breaks_one_record_and_the_rest_are_read() {
    let got = split(
        b"{\"a\":1}\n{\"b\":\"x\xFFy\"}\n{\"c\":3}\n",
        InputFormat::JsonLines,
        100,
    );
    assert_eq!(
        got,
        vec![
            (1, "{\"a\":1}".into()),
            (
                2,
                "! 2:8 not valid UTF-8 (byte 0xFF): the record was not read".into()
            ),
            (3, "{\"c\":3}".into())
        ]
    );
    let got = split(
        b"id: a\n---\nid: b\nname: \xC3\n---\nid: c\n",
        InputFormat::Yaml,
        100,
    );
    assert_eq!(
        got.get(1),
        Some(&(
            3,
            "! 4:7 not valid UTF-8 (byte 0xC3): the record was not read".into()
        ))
    );
    assert_eq!(got.len(), 3);
    let got = split(
        b"[{\"a\":1},\n {\"b\":\"\xFF\"}, {\"c\":3}]",
        InputFormat::JsonArray,
        100,
    );
    assert_eq!(
        got.get(1),
        Some(&(
            2,
            "! 2:8 not valid UTF-8 (byte 0xFF): the record was not read".into()
        ))
    );
    assert_eq!(got.len(), 3);
}

#[test]
fn records_over_the_limit_are_broken_and_the_rest_are_read() {
    let long = "x".repeat(50);
    let lines = format!("{{\"a\":1}}\n{{\"b\":\"{long}\"}}\n{{\"c\":3}}\n");
    let got = split(lines.as_bytes(), InputFormat::JsonLines, 20);
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(
        got.get(1)
            .is_some_and(|g| g.0 == 2 && g.1.contains("line longer than 20 bytes")),
        "{got:?}"
    );
    let array = format!("[{{\"a\":1}}, {{\"b\":\"{long}\"}}, {{\"c\":3}}]");
    let got = split(array.as_bytes(), InputFormat::JsonArray, 20);
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(
        got.get(1)
            .is_some_and(|g| g.1.contains("record longer than 20 bytes")),
        "{got:?}"
    );
    let yaml =
        format!("id: a\n---\nid: b\nname: {long}\nmore: 1\n--- {{id: {long}}}\n---\nid: c\n");
    let got = split(yaml.as_bytes(), InputFormat::Yaml, 20);
    assert_eq!(got.len(), 4, "{got:?}");
    assert!(
        got.get(1)
            .is_some_and(|g| g.0 == 3 && g.1.contains("document longer than 20 bytes")),
        "{got:?}"
    );
    assert!(
        got.get(2)
            .is_some_and(|g| g.0 == 6 && g.1.contains("document longer")),
        "{got:?}"
    );
    assert_eq!(got.get(3), Some(&(8, "id: c".to_string())));
}

/// A reader that fails with `Interrupted` before each of its chunks, then with `fail` at the end
struct Flaky {
    chunks: Vec<&'static [u8]>,
    interrupted: bool,
    fail: Option<io::ErrorKind>,
}

impl io::Read for Flaky {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if !self.interrupted {
            self.interrupted = true;
            return Err(io::ErrorKind::Interrupted.into());
        }
        self.interrupted = false;
        if self.chunks.is_empty() {
            return match self.fail {
                Some(kind) => Err(kind.into()),
                None => Ok(0),
            };
        }
        let chunk = self.chunks.remove(0);
        buf[..chunk.len()].copy_from_slice(chunk);
        Ok(chunk.len())
    }
}

fn read_flaky(fail: Option<io::ErrorKind>) -> Vec<String> {
    let input = Flaky {
        chunks: vec![b"{\"a\":1}\n{\"b\"", b":2}\n"],
        interrupted: false,
        fail,
    };
    RecordReader::new(input, InputFormat::JsonLines)
        .take(10)
        .map(|r| match r {
            Ok(r) => r.text.trim().to_string(),
            Err(e) => format!("{} {e}", if e.is_fatal() { "fatal" } else { "record" }),
        })
        .collect()
}

#[test]
fn an_interrupted_read_is_retried() {
    assert_eq!(read_flaky(None), ["{\"a\":1}", "{\"b\":2}"]);
}

#[test]
fn an_input_that_fails_to_read_stops_the_reader_once() {
    // The error is said once and the reader stops: not retried, not read past
    assert_eq!(
        read_flaky(Some(io::ErrorKind::BrokenPipe)),
        ["{\"a\":1}", "{\"b\":2}", "fatal broken pipe"]
    );
}

#[test]
fn inputs_shorter_than_a_byte_order_mark_are_read() {
    // Looking for a byte-order mark must not wait for three bytes that never come
    assert_eq!(texts("", InputFormat::JsonLines), vec![]);
    assert_eq!(texts("{}", InputFormat::JsonLines), vec![(1, "{}".into())]);
    assert_eq!(texts("[]", InputFormat::JsonArray), vec![]);
    assert_eq!(texts("a", InputFormat::Yaml), vec![(1, "a".into())]);
}

#[test]
fn a_byte_order_mark_read_one_byte_at_a_time_is_skipped() {
    struct ByteByByte(&'static [u8]);
    impl io::Read for ByteByByte {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let Some((first, rest)) = self.0.split_first() else {
                return Ok(0);
            };
            buf[0] = *first;
            self.0 = rest;
            Ok(1)
        }
    }
    let got: Vec<String> = RecordReader::new(
        ByteByByte(b"\xEF\xBB\xBF{\"a\":1}\n{\"b\":2}"),
        InputFormat::JsonLines,
    )
    .map(|r| r.map(|r| r.text.trim().to_string()).unwrap_or_default())
    .collect();
    assert_eq!(got, ["{\"a\":1}", "{\"b\":2}"]);
}

#[test]
fn a_record_of_exactly_the_limit_is_read_and_one_byte_more_is_not() {
    // JSON Lines: the line's newline is not counted; a last line may have none
    let got = split(
        b"0123456789\n01234567890\n0123456789",
        InputFormat::JsonLines,
        10,
    );
    assert_eq!(
        got,
        vec![
            (1, "0123456789".into()),
            (
                2,
                "! 2:1 line longer than 10 bytes (the limit set by `--max-record-size`): not read"
                    .into()
            ),
            (3, "0123456789".into()),
        ]
    );
    let got = split(b"01234567890", InputFormat::JsonLines, 10);
    assert_eq!(
        got,
        vec![(
            1,
            "! 1:1 line longer than 10 bytes (the limit set by `--max-record-size`): not read"
                .into()
        )]
    );
    // YAML: a document's lines with their newlines; one line of the limit, then two that
    // reach it, then two that pass it
    let got = split(
        b"id: abcde\n---\na: 1\nb: 2\n---\na: 1\nb: 23\n",
        InputFormat::Yaml,
        10,
    );
    assert_eq!(
        got,
        vec![
            (1, "id: abcde".into()),
            (3, "a: 1\nb: 2".into()),
            (6, "! 6:1 document longer than 10 bytes (the limit set by `--max-record-size`): not read".into()),
        ]
    );
    // JSON: a record of an array, or one after another, of exactly the limit, then one byte more
    for (input, line, at) in [
        (&b"[{\"a\":12345},{\"a\":123456}]"[..], 1, "1:14"),
        (b"{\"a\":12345}\n{\"a\":123456}", 2, "2:1"),
    ] {
        assert_eq!(
            split(input, InputFormat::JsonArray, 11),
            vec![
                (1, "{\"a\":12345}".into()),
                (
                    line,
                    format!(
                        "! {at} record longer than 11 bytes (the limit set by `--max-record-size`): not read"
                    )
                ),
            ],
            "{}",
            String::from_utf8_lossy(input)
        );
    }
}

/// Columns in JSON inputs count characters, not bytes: a record after `é` starts at the column
/// a reader of the text sees
#[test]
fn json_columns_count_characters() {
    let got: Vec<(usize, usize, String)> = RecordReader::new(
        "[{\"a\":\"éé\"}, {\"b\":1}]".as_bytes(),
        InputFormat::JsonArray,
    )
    .map(|r| match r {
        Ok(r) => (r.line, r.column, r.text),
        Err(e) => (0, 0, e.to_string()),
    })
    .collect();
    assert_eq!(
        got,
        [
            (1, 2, "{\"a\":\"éé\"}".to_string()),
            (1, 14, "{\"b\":1}".to_string())
        ]
    );
}

/// A record with bytes that are not UTF-8 is reported with its `id` (unless the `id` holds the
/// bad byte) and the line and column, in characters, of the first bad byte
#[test]
fn a_record_not_utf8_names_its_id_and_where_the_bad_byte_is() {
    let broken = |input: &[u8], format: InputFormat| -> Vec<(Option<String>, usize, usize)> {
        RecordReader::new(input, format)
            .filter_map(|r| match r {
                Err(ReadError::Record(b)) => Some((b.id, b.at_line, b.at_column)),
                _ => None,
            })
            .collect()
    };
    assert_eq!(
        broken(
            b"{\"id\": \"r1\", \"n\": \"\xC3\xA9\xFF\"}\n",
            InputFormat::JsonLines
        ),
        [(Some("r1".to_string()), 1, 21)]
    );
    assert_eq!(
        broken(b"{\"id\": \"r\xFF\"}\n", InputFormat::JsonLines),
        [(None, 1, 10)]
    );
    assert_eq!(
        broken(b"id: y1\nn: \xC3\xA9\xC3\xA9\xFF\n", InputFormat::Yaml),
        [(Some("y1".to_string()), 2, 6)]
    );
}

/// JSON values are scanned past the brackets, braces and escaped quotes inside their strings
#[test]
fn json_strings_may_hold_brackets_braces_and_quotes() {
    let input = r#"[{"a": "}]", "b": "[{\"x\"}"}, {"c": "\\"}]"#;
    assert_eq!(
        texts(input, InputFormat::JsonArray),
        [
            (1, r#"{"a": "}]", "b": "[{\"x\"}"}"#.to_string()),
            (1, r#"{"c": "\\"}"#.to_string()),
        ]
    );
}

/// An excerpt of text in a message: up to 30 characters as they are, more marked as cut
#[test]
fn an_excerpt_is_cut_after_30_characters() {
    let thirty = "abcdefghij".repeat(3);
    assert_eq!(excerpt(thirty.as_bytes()), thirty);
    assert_eq!(
        excerpt(format!("{thirty}k").as_bytes()),
        format!("{thirty}…")
    );
    // 30 characters of 4 bytes: 120 bytes, shown whole; one byte more is cut
    let wide = "😀".repeat(30);
    assert_eq!(excerpt(wide.as_bytes()), wide);
    assert_eq!(excerpt(format!("{wide} ").as_bytes()), format!("{wide}…"));
    assert_eq!(excerpt(b"a\tb"), "a\\tb");
}

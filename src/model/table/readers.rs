//! The readers of tables: CSV streamed, spreadsheets read whole (calamine), each a stream of records.

use super::*;

/// A cell as a file holds it
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Nothing
    Empty,
    /// Text (CSV, a spreadsheet's text cell)
    Text(String),
    /// A spreadsheet's whole number
    Int(i64),
    /// A spreadsheet's number (a float: what the spreadsheet stores)
    Float(f64),
    /// A spreadsheet's boolean
    Bool(bool),
    /// A spreadsheet's date: the day (`YYYY-MM-DD`) and the time of day when it is not midnight
    Date {
        /// `YYYY-MM-DD`
        day: String,
        /// `HH:MM:SS`, when not midnight
        time: Option<String>,
    },
    /// A spreadsheet's error value (`#N/A`)
    Error(String),
    /// CSV bytes that are not UTF-8: the first bad byte
    BadUtf8(u8),
}

impl Cell {
    /// The cell's text as a field of `kind` reads it, trimmed; `None` when empty
    pub(super) fn text(&self, kind: Kind) -> Result<Option<String>, String> {
        let text = match self {
            Cell::Empty => return Ok(None),
            Cell::Text(t) => t.trim().to_string(),
            Cell::Int(n) => n.to_string(),
            Cell::Float(f) => float_text(*f),
            Cell::Bool(b) => b.to_string(),
            Cell::Date { day, time } => match (kind, time) {
                (Kind::Date, _) | (_, None) => day.clone(),
                (_, Some(time)) => format!("{day} {time}"),
            },
            Cell::Error(e) => return Err(format!("the spreadsheet error {e}")),
            Cell::BadUtf8(b) => return Err(format!("not valid UTF-8 (byte 0x{b:02X})")),
        };
        Ok((!text.is_empty()).then_some(text))
    }
}

/// A spreadsheet's number as text: a whole number without a fraction, else the shortest decimal
/// that reads back as the same float (`0.1`, not `0.1000000000000000055511151231257827`)
pub(super) fn float_text(f: f64) -> String {
    pub(super) const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53: every whole number below is exact
    if f.is_finite() && f.fract() == 0.0 && f.abs() < EXACT {
        format!("{f:.0}")
    } else {
        format!("{f}")
    }
}

/// The records of a CSV input, one a row, in the order of the rows
pub struct CsvRecords<R> {
    pub(super) reader: csv::Reader<R>,
    pub(super) layout: Option<Layout>,
    pub(super) record: csv::ByteRecord,
    /// The rows read so far: records of the file, the header included (the `csv` reader skips
    /// blank lines, and its own line numbers are not those of the records that follow them)
    pub(super) rows: usize,
    pub(super) max_record_size: usize,
    pub(super) done: bool,
}

impl<R: BufRead> CsvRecords<R> {
    /// A reader of the CSV `input`, its header read (through `map`, when given) and checked. The
    /// separator is the one of `,`, `;` and tab that the header line holds most of (`,` when
    /// none). A byte-order mark is skipped. An input with no header row has no record.
    pub fn new(
        mut input: R,
        map: Option<&ColumnMap>,
        max_record_size: usize,
    ) -> Result<CsvRecords<R>, TableError> {
        let start = input.fill_buf()?;
        if start.starts_with(b"\xEF\xBB\xBF") {
            input.consume(3);
        }
        let delimiter = separator(input.fill_buf()?);
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(input);
        let mut records = CsvRecords {
            reader,
            layout: None,
            record: csv::ByteRecord::new(),
            rows: 0,
            max_record_size,
            done: false,
        };
        while let Some(row) = records.read_row().map_err(|e| match e {
            ReadError::Io(e) => TableError::Io(e),
            other => TableError::Io(io::Error::new(
                io::ErrorKind::InvalidData,
                other.to_string(),
            )),
        })? {
            let cells = records.cells();
            if cells.iter().all(|c| matches!(c, Cell::Empty)) {
                continue;
            }
            records.layout = Some(Layout::new(&cells, row, 0, map)?);
            return Ok(records);
        }
        records.done = true;
        Ok(records)
    }

    /// Reads the next row into `self.record`: its number (the header's is 1), `None` at the end
    pub(super) fn read_row(&mut self) -> Result<Option<usize>, ReadError> {
        match self.reader.read_byte_record(&mut self.record) {
            Ok(false) => Ok(None),
            Ok(true) => {
                self.rows = self.rows.saturating_add(1);
                Ok(Some(self.rows))
            }
            Err(e) => match e.into_kind() {
                csv::ErrorKind::Io(e) => Err(ReadError::Io(e)),
                other => Err(ReadError::Split {
                    line: 0,
                    column: 0,
                    message: format!("{other:?}"),
                }),
            },
        }
    }

    /// The cells of the row read
    pub(super) fn cells(&self) -> Vec<Cell> {
        self.record
            .iter()
            .map(|bytes| match std::str::from_utf8(bytes) {
                Ok(t) if t.trim().is_empty() => Cell::Empty,
                Ok(t) => Cell::Text(t.to_string()),
                Err(e) => Cell::BadUtf8(bytes.get(e.valid_up_to()).copied().unwrap_or(0)),
            })
            .collect()
    }
}

impl<R: BufRead> Iterator for CsvRecords<R> {
    type Item = Result<RecordText, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.done {
                return None;
            }
            let row = match self.read_row() {
                Ok(Some(row)) => row,
                Ok(None) => {
                    self.done = true;
                    return None;
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            };
            let layout = self.layout.as_ref()?;
            let size = self.record.as_slice().len();
            if size > self.max_record_size {
                if self.cells().iter().all(|c| matches!(c, Cell::Empty)) {
                    continue;
                }
                return Some(Err(too_long(row, self.max_record_size)));
            }
            if let Some(record) = layout.record(row, 0, &self.cells()) {
                return Some(Ok(record));
            }
        }
    }
}

/// The separator of a CSV file: of `,`, `;` and tab, the one its first line holds most of
/// outside quotes; `,` when it holds none
pub(super) fn separator(start: &[u8]) -> u8 {
    let line = start.split(|&b| b == b'\n').next().unwrap_or(&[]);
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for &b in line {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(c) = counts.iter_mut().find(|(d, _)| *d == b) {
            c.1 += 1;
        }
    }
    counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .max_by_key(|(d, n)| (*n, *d == b','))
        .map_or(b',', |(d, _)| *d)
}

/// The records of a spreadsheet's first sheet, one a row
pub struct SheetRecords {
    pub(super) layout: Option<Layout>,
    pub(super) range: calamine::Range<calamine::Data>,
    /// The next row, from 0 in the range
    pub(super) next: usize,
    /// The sheet's row and column (from 0) of the range's first cell
    pub(super) start: (usize, usize),
    pub(super) max_record_size: usize,
}

impl SheetRecords {
    /// The records of the workbook `bytes` (`.xlsx`, `.xls` or `.ods`, whichever its content
    /// is), its first sheet's first non-empty row the header, read through `map` when given
    pub fn new(
        bytes: &[u8],
        format: InputFormat,
        map: Option<&ColumnMap>,
        max_record_size: usize,
    ) -> Result<SheetRecords, TableError> {
        check_content(bytes, format)?;
        let range = first_sheet(bytes)?;
        let start = range.start().map_or((0, 0), |(r, c)| {
            (
                usize::try_from(r).unwrap_or(usize::MAX),
                usize::try_from(c).unwrap_or(usize::MAX),
            )
        });
        let mut records = SheetRecords {
            layout: None,
            range,
            next: 0,
            start,
            max_record_size,
        };
        while let Some((row, cells)) = records.row() {
            if cells.iter().all(|c| matches!(c, Cell::Empty)) {
                continue;
            }
            records.layout = Some(Layout::new(&cells, row, start.1, map)?);
            break;
        }
        Ok(records)
    }

    /// The next row: its number (from 1) and cells
    pub(super) fn row(&mut self) -> Option<(usize, Vec<Cell>)> {
        let (height, width) = self.range.get_size();
        if self.next >= height {
            return None;
        }
        let i = self.next;
        self.next += 1;
        let cells = (0..width)
            .map(|j| self.range.get((i, j)).map_or(Cell::Empty, cell_of))
            .collect();
        Some((self.start.0 + i + 1, cells))
    }
}

impl Iterator for SheetRecords {
    type Item = Result<RecordText, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.layout.as_ref()?;
        loop {
            let (row, cells) = self.row()?;
            let layout = self.layout.as_ref()?;
            if let Some(record) = layout.record(row, self.start.1, &cells) {
                if record.text.len() > self.max_record_size {
                    return Some(Err(too_long(row, self.max_record_size)));
                }
                return Some(Ok(record));
            }
        }
    }
}

/// The first sheet of a workbook, whichever of `.xlsx`, `.xls`, `.xlsb` or `.ods` its content
/// is. The reader is guarded: a workbook that makes it panic is one that cannot be read.
pub(super) fn first_sheet(bytes: &[u8]) -> Result<calamine::Range<calamine::Data>, TableError> {
    use calamine::Reader;
    let read = || -> Result<calamine::Range<calamine::Data>, TableError> {
        let mut book = calamine::open_workbook_auto_from_rs(io::Cursor::new(bytes))
            .map_err(|e| TableError::Workbook(e.to_string()))?;
        match book.worksheet_range_at(0) {
            Some(Ok(range)) => Ok(range),
            Some(Err(e)) => Err(TableError::Workbook(e.to_string())),
            None => Err(TableError::Workbook("it has no sheet".into())),
        }
    };
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).unwrap_or_else(|_| {
        Err(TableError::Workbook(
            "the reader of workbooks failed on it".into(),
        ))
    })
}

/// A spreadsheet's cell
pub(super) fn cell_of(data: &calamine::Data) -> Cell {
    use calamine::Data;
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) if s.trim().is_empty() => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(n) => Cell::Int(*n),
        Data::Float(f) => Cell::Float(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(d) if d.is_datetime() => match d.as_datetime() {
            Some(dt) => {
                let time = dt.time();
                Cell::Date {
                    day: dt.date().format("%Y-%m-%d").to_string(),
                    time: (time != chrono::NaiveTime::MIN)
                        .then(|| time.format("%H:%M:%S").to_string()),
                }
            }
            None => Cell::Float(d.as_f64()),
        },
        Data::DateTime(d) => Cell::Float(d.as_f64()),
        Data::DateTimeIso(s) => match s.split_once('T') {
            Some((day, time)) if time.trim_start_matches(['0', ':', '.']).is_empty() => {
                Cell::Date {
                    day: day.to_string(),
                    time: None,
                }
            }
            Some((day, time)) => Cell::Date {
                day: day.to_string(),
                time: Some(time.to_string()),
            },
            None if s.len() == 10 => Cell::Date {
                day: s.clone(),
                time: None,
            },
            None => Cell::Text(s.clone()),
        },
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}

/// The error of a row longer than `--max-record-size`, which is not read
fn too_long(row: usize, max: usize) -> ReadError {
    ReadError::Record(BrokenRecord {
        id: None,
        line: row,
        at_line: row,
        at_column: 1,
        message: format!(
            "row {row} longer than {max} bytes (the limit set by `--max-record-size`): not read"
        ),
    })
}

//! Tests of `table`: column names, the header's checks, a row turned into a record, the CSV
//! reader, and what the start of an input looks like.

use super::content::*;
use super::layout::*;
use super::readers::*;
use super::*;
use crate::model::read::parse_record;

fn texts(cells: &[&str]) -> Vec<Cell> {
    cells
        .iter()
        .map(|c| {
            if c.is_empty() {
                Cell::Empty
            } else {
                Cell::Text((*c).to_string())
            }
        })
        .collect()
}

fn layout(headers: &[&str]) -> Layout {
    Layout::new(&texts(headers), 1, 0, None).unwrap()
}

fn header_problems(headers: &[&str], map: Option<&ColumnMap>) -> Vec<String> {
    match Layout::new(&texts(headers), 1, 0, map) {
        Err(TableError::Header { problems, .. }) => problems,
        Err(e) => panic!("{e}"),
        Ok(_) => Vec::new(),
    }
}

/// The JSON of the row's record, and each field's cell as `field=CELL` (`!` when empty)
fn row(headers: &[&str], cells: &[Cell]) -> Option<(serde_json::Value, Vec<String>)> {
    let record = layout(headers).record(7, 0, cells)?;
    let table = record.table.unwrap();
    let value = serde_json::from_str(&record.text).unwrap();
    let found = table
        .cells
        .iter()
        .map(|c| {
            format!(
                "{}={}{}",
                c.field,
                cell_name(c.column, table.row),
                if c.empty { "!" } else { "" }
            )
        })
        .chain(table.problems.iter().map(|(_, p)| p.clone()))
        .collect();
    Some((value, found))
}

#[test]
fn columns_are_lettered_as_spreadsheets_do() {
    for (i, name) in [
        (0, "A"),
        (2, "C"),
        (25, "Z"),
        (26, "AA"),
        (27, "AB"),
        (701, "ZZ"),
        (702, "AAA"),
    ] {
        assert_eq!(column_letters(i), name);
    }
    assert_eq!(cell_name(2, 17), "C17");
}

#[test]
fn column_names_give_fields() {
    for (name, canonical, kind) in [
        ("id", "id", Kind::Text),
        ("Date", "date", Kind::Date),
        (" transit", "", Kind::Text),
        ("transit", "transit", Kind::List),
        ("services.2", "services.2", Kind::Text),
        ("amount.amount", "amount.amount", Kind::Decimal),
        ("goods.1.hs", "goods.1.hs", Kind::Text),
        (
            "goods.12.value.amount",
            "goods.12.value.amount",
            Kind::Decimal,
        ),
        ("goods.1.categories", "goods.1.categories", Kind::List),
        ("goods.1.categories.3", "goods.1.categories.3", Kind::Text),
        ("parties.2.count", "parties.2.count", Kind::Count),
        ("parties.1.ids.un_ref", "parties.1.ids.un_ref", Kind::Text),
        ("parties.1.ids.LEI", "parties.1.ids.LEI", Kind::Text),
        ("authorizations.1.date", "authorizations.1.date", Kind::Date),
        ("meta.Account.No", "meta.Account.No", Kind::Text),
    ] {
        match parse_column(name) {
            Ok(t) => assert_eq!((t.name.as_str(), t.kind), (canonical, kind), "{name}"),
            // Only a name with spaces around it is refused here: the header is trimmed first.
            Err(e) => assert!(canonical.is_empty(), "{name}: {e}"),
        }
    }
    for (name, says) in [
        ("orgin", "did you mean \"origin\"?"),
        ("goods.1.hss", "did you mean \"goods.1.hs\"?"),
        ("goods.3.hscode", "did you mean \"goods.3.hs\"?"),
        ("goods.0.hs", "lists are numbered from 1"),
        ("goods.01.hs", "without leading zeros"),
        ("goods.hs", "did you mean \"goods.1.hs\"?"),
        ("goods.x.hs", "expected an item's number"),
        ("goods.1.value", "unknown column"),
        ("amount", "unknown column"),
        ("meta", "unknown column"),
        ("Txn Ref", "--columns"),
        ("parties.1.ids", "unknown column"),
        ("transit.1.x", "unknown column"),
    ] {
        let e = parse_column(name).unwrap_err();
        assert!(e.contains(says), "{name}: {e}");
    }
}

#[test]
fn the_header_says_every_problem_at_once() {
    assert_eq!(
        header_problems(&["id", "date", "activty", "orgin"], None),
        [
            "C1: unknown column \"activty\": did you mean \"activity\"?",
            "D1: unknown column \"orgin\": did you mean \"origin\"?",
        ]
    );
    assert_eq!(
        header_problems(&["id", "origin"], None),
        [
            "missing column \"date\": every record needs id, date and activity",
            "missing column \"activity\": every record needs id, date and activity",
        ]
    );
    assert_eq!(
        header_problems(&["id", "date", "activity", "origin", "Origin"], None),
        ["D1 and E1: both give \"origin\"; give each field once"]
    );
    let both = header_problems(&["id", "date", "activity", "transit", "transit.1"], None);
    assert!(
        both.len() == 1 && both[0].contains("either as one column"),
        "{both:?}"
    );
    assert_eq!(
        header_problems(
            &[
                "id",
                "date",
                "activity",
                "parties.2.name",
                "goods.1.value.amount",
                "amount.currency",
                "authorizations.1.reference"
            ],
            None
        ),
        [
            "missing column \"authorizations.1.by\": an authorization needs who granted it",
            "missing column \"parties.2.role\": a party needs a role and a name",
            "missing column \"amount.amount\": an amount of money needs both its amount and its currency",
            "missing column \"goods.1.value.currency\": an amount of money needs both its amount and its currency",
        ]
    );
    // Columns with an empty header are left out; so are those a map leaves out.
    assert!(header_problems(&["id", "", "date", "activity", ""], None).is_empty());
}

#[test]
fn a_map_renames_headers_and_leaves_columns_out() {
    let map = ColumnMap::parse("Txn Ref: id\nValue Date: date\nType: activity\nBuyer: parties.1.name\nBuyer Role: parties.1.role\nBranch: ~\n").unwrap();
    let l = Layout::new(
        &texts(&[
            "Txn Ref",
            "Value Date",
            "Type",
            "Buyer",
            "Buyer Role",
            "Branch",
            "origin",
        ]),
        1,
        0,
        Some(&map),
    )
    .unwrap();
    let record = l
        .record(
            2,
            0,
            &texts(&["t1", "2024-01-02", "trade", "Acme", "buyer", "Paris", "CN"]),
        )
        .unwrap();
    let value: serde_json::Value = serde_json::from_str(&record.text).unwrap();
    assert_eq!(
        value,
        serde_json::json!({"id": "t1", "date": "2024-01-02", "activity": "trade",
            "parties": [{"name": "Acme", "role": "buyer"}], "origin": "CN"})
    );
    // A header close to one of the map's is hinted at
    assert_eq!(
        header_problems(&["Txn Rf", "Value Date", "Type"], Some(&map)),
        ["A1: unknown column \"Txn Rf\": did you mean \"Txn Ref\" (of the --columns map)?"]
    );
    // The map's own problems: a column that is not one, a value that is not a name
    let e = ColumnMap::parse("Buyer: parties.1.nme\nX: [a]\n")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("\"Buyer\": unknown column \"parties.1.nme\": did you mean \"parties.1.name\"?"),
        "{e}"
    );
    assert!(e.contains("\"X\": expected a column name"), "{e}");
    assert!(
        ColumnMap::parse("- a\n- b\n")
            .unwrap_err()
            .to_string()
            .contains("expected a mapping")
    );
    assert!(
        ColumnMap::parse("a: [\n")
            .unwrap_err()
            .to_string()
            .contains("not YAML")
    );
}

#[test]
fn a_row_becomes_a_record_with_the_cell_of_each_field() {
    let headers = [
        "id",
        "date",
        "activity",
        "transit",
        "goods.1.hs",
        "goods.1.categories",
        "goods.2.hs",
        "goods.3.hs",
        "goods.3.value.amount",
        "goods.3.value.currency",
        "parties.1.name",
        "parties.1.role",
        "parties.1.count",
        "parties.1.ids.un_ref",
        "meta.batch",
    ];
    let (value, cells) = row(
        &headers,
        &texts(&[
            " t1 ",
            "2024-01-02",
            "trade",
            "CN; RU;",
            "930690",
            "arms;small_arms",
            "",
            "8471",
            "1234.50",
            "usd",
            "Acme",
            "",
            "12",
            "KPe.001",
            "B-7",
        ]),
    )
    .unwrap();
    assert_eq!(
        value,
        serde_json::json!({
            "id": "t1", "date": "2024-01-02", "activity": "trade", "transit": ["CN", "RU"],
            "goods": [
                {"hs": "930690", "categories": ["arms", "small_arms"]},
                {"hs": "8471", "value": {"amount": "1234.50", "currency": "usd"}},
            ],
            "parties": [{"name": "Acme", "count": 12, "ids": {"un_ref": "KPe.001"}}],
            "meta": {"batch": "B-7"},
        })
    );
    // The empty item 2 is left out: goods.3 is goods[1], and its cells say so.
    assert_eq!(
        cells,
        [
            "id=A7",
            "date=B7",
            "activity=C7",
            "transit=D7",
            "goods[0].hs=E7",
            "goods[0].categories=F7",
            "goods[1].hs=H7",
            "goods[1].value.amount=I7",
            "goods[1].value.currency=J7",
            "parties[0].name=K7",
            "parties[0].role=L7!",
            "parties[0].count=M7",
            "parties[0].ids.un_ref=N7",
            "meta.batch=O7",
        ]
    );
}

#[test]
fn a_row_of_empty_cells_is_no_record() {
    assert!(row(&["id", "date", "activity"], &texts(&["", " ", ""])).is_none());
    assert!(row(&["id", "date", "activity"], &[]).is_none());
}

#[test]
fn cells_that_cannot_be_read_are_problems_of_the_row() {
    let (value, found) = row(
        &["id", "date", "activity", "", "goods.1.hs"],
        &[
            Cell::Text("t".into()),
            Cell::Text("2024-01-02".into()),
            Cell::BadUtf8(0xFF),
            Cell::Text("stray".into()),
            Cell::Error("#N/A".into()),
            Cell::Text("beyond".into()),
        ],
    )
    .unwrap();
    assert_eq!(value, serde_json::json!({"id": "t", "date": "2024-01-02"}));
    assert_eq!(
        found[found.len() - 4..],
        [
            "cell C7 (column \"activity\"): not valid UTF-8 (byte 0xFF)",
            "cell D7: a value in column D, which has no header",
            "cell E7 (column \"goods.1.hs\"): the spreadsheet error #N/A",
            "cell F7: a value in column F, which has no header",
        ]
    );
}

#[test]
fn spreadsheet_cells_are_read_as_text_of_their_field() {
    let day = |time: Option<&str>| Cell::Date {
        day: "2024-03-01".into(),
        time: time.map(str::to_string),
    };
    for (cell, kind, text) in [
        (Cell::Float(930690.0), Kind::Text, "930690"),
        (Cell::Float(1234.5), Kind::Decimal, "1234.5"),
        (Cell::Float(0.1 + 0.2), Kind::Decimal, "0.30000000000000004"),
        (Cell::Float(1e300), Kind::Decimal, &format!("{}", 1e300)),
        (Cell::Int(-3), Kind::Count, "-3"),
        (Cell::Bool(true), Kind::Text, "true"),
        (day(None), Kind::Date, "2024-03-01"),
        (day(Some("10:30:00")), Kind::Date, "2024-03-01"),
        (day(Some("10:30:00")), Kind::Text, "2024-03-01 10:30:00"),
        (Cell::Text("  a b ".into()), Kind::Text, "a b"),
    ] {
        assert_eq!(cell.text(kind).unwrap().as_deref(), Some(text), "{cell:?}");
    }
    assert_eq!(Cell::Text("  ".into()).text(Kind::Text), Ok(None));
    assert_eq!(json_value("3", Kind::Count), serde_json::json!(3));
    assert_eq!(json_value("three", Kind::Count), serde_json::json!("three"));
    assert_eq!(
        json_value("10.50", Kind::Decimal),
        serde_json::json!("10.50")
    );
}

#[test]
fn a_rows_errors_name_its_cells() {
    let l = layout(&[
        "id",
        "date",
        "activity",
        "goods.1.hs",
        "parties.1.name",
        "parties.1.role",
        "transit",
    ]);
    let record = l
        .record(
            17,
            0,
            &texts(&["t", "2024-01-02", "trade", "ab", "Acme", "", "CN;XX"]),
        )
        .unwrap();
    let err = parse_record("t.csv", &record).unwrap_err();
    assert_eq!(err.line, 17);
    assert_eq!(err.id.as_deref(), Some("t"));
    assert_eq!(err.errors.len(), 3, "{:?}", err.errors);
    assert!(
        err.errors[0].starts_with(
            "field \"goods[0].hs\" at D17 (column \"goods.1.hs\"): expected an HS code"
        ),
        "{:?}",
        err.errors
    );
    assert!(err.errors[1].starts_with("missing field \"parties[0].role\" at F17 (column \"parties.1.role\", empty): expected a role"), "{:?}", err.errors);
    assert!(
        err.errors[2].starts_with(
            "field \"transit[1]\" at G17 (column \"transit\"): expected a country code"
        ),
        "{:?}",
        err.errors
    );
    // A cell that cannot be read makes the record invalid even where the rest is right
    let record = l
        .record(
            3,
            0,
            &[
                Cell::Text("t".into()),
                Cell::Text("2024-01-02".into()),
                Cell::Text("trade".into()),
                Cell::Error("#REF!".into()),
            ],
        )
        .unwrap();
    let err = parse_record("t.csv", &record).unwrap_err();
    assert_eq!(
        err.errors,
        ["cell D3 (column \"goods.1.hs\"): the spreadsheet error #REF!"]
    );
}

fn csv_rows(input: &str) -> Vec<String> {
    CsvRecords::new(input.as_bytes(), None, 1 << 20)
        .unwrap()
        .map(|r| match r {
            Ok(r) => format!("{}: {}", r.line, r.text),
            Err(e) => format!("! {e}"),
        })
        .collect()
}

#[test]
fn csv_rows_are_numbered_as_a_spreadsheet_numbers_them() {
    // The header is row 1; each record is a row, whatever line breaks its quoted cells hold;
    // a blank line is none (the `csv` reader skips it), a line of empty cells is one.
    let input = "\u{feff}id,date,activity,description\r\n\
                 a,2024-01-01,trade,\"one, two\"\r\n\
                 \r\n\
                 ,,,\r\n\
                 b,2024-01-01,trade,\"three\r\nlines\nhere\"\r\n\
                 c,2024-01-01,trade,\"say \"\"hi\"\"\"\r\n";
    assert_eq!(
        csv_rows(input),
        [
            r#"2: {"activity":"trade","date":"2024-01-01","description":"one, two","id":"a"}"#,
            r#"4: {"activity":"trade","date":"2024-01-01","description":"three\r\nlines\nhere","id":"b"}"#,
            r#"5: {"activity":"trade","date":"2024-01-01","description":"say \"hi\"","id":"c"}"#,
        ]
    );
}

#[test]
fn csv_separators_headers_and_sizes() {
    // `;` (Excel in much of Europe) and tabs, found from the header line
    assert_eq!(
        csv_rows("id;date;activity;transit\na;2024-01-01;trade;CN\n"),
        [r#"2: {"activity":"trade","date":"2024-01-01","id":"a","transit":["CN"]}"#]
    );
    assert_eq!(
        csv_rows("id\tdate\tactivity\na\t2024-01-01\ttrade\n").len(),
        1
    );
    assert_eq!(separator(b"\"a,b\";c;d\n"), b';');
    assert_eq!(separator(b"abc\n"), b',');
    // No header, or only a header: no record
    assert!(csv_rows("").is_empty());
    assert!(csv_rows("\n\n").is_empty());
    assert!(csv_rows("id,date,activity\n").is_empty());
    // A header that is wrong stops the reading
    assert!(matches!(
        CsvRecords::new("id,dat,activity\n".as_bytes(), None, 100),
        Err(TableError::Header { row: 1, .. })
    ));
    // A row over the limit is one broken record, the next is read
    let rows: Vec<String> = CsvRecords::new(
        format!(
            "id,date,activity\n{},2024-01-01,trade\nb,2024-01-01,trade\n",
            "x".repeat(100)
        )
        .as_bytes(),
        None,
        50,
    )
    .unwrap()
    .map(|r| match r {
        Ok(r) => format!("{}", r.line),
        Err(e) => format!("! {e}"),
    })
    .collect();
    assert_eq!(
        rows,
        [
            "! line 2, column 1: row 2 longer than 50 bytes (the limit set by `--max-record-size`): not read",
            "3"
        ]
    );
}

#[test]
fn bad_utf8_in_a_csv_cell_is_that_rows_problem() {
    let input =
        b"id,date,activity,description\na,2024-01-01,trade,caf\xE9\nb,2024-01-01,trade,ok\n";
    let rows: Vec<RecordText> = CsvRecords::new(&input[..], None, 1 << 20)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows.len(), 2);
    let err = parse_record("t.csv", &rows[0]).unwrap_err();
    assert_eq!(
        err.errors,
        ["cell D2 (column \"description\"): not valid UTF-8 (byte 0xE9)"]
    );
    assert!(parse_record("t.csv", &rows[1]).is_ok());
}

#[test]
fn the_start_of_an_input_says_what_it_cannot_be() {
    use InputFormat::*;
    for (start, format, fits) in [
        (&b"{\"id\":1}\n"[..], JsonLines, true),
        (b"", JsonLines, true),
        (b"\xEF\xBB\xBF  {", JsonLines, true),
        (b"id,date,activity\na,b,c\n", JsonLines, false),
        (b"[{\"id\": 1}]\n\"a text\"\n", JsonLines, true),
        (b"[\n  {\"id\": 1},\n  {\"id\": 2}\n]\n", JsonLines, false),
        (b"# a comment\n\nid: a\n", Yaml, true),
        (b"# a comment\r\n---\r\nid: a\r\n", Yaml, true),
        (b"# a comment\nid,date\n", Yaml, false),
        (b"PK\x03\x04rest", JsonLines, false),
        (b"id: a\ndate: b\n", JsonLines, false),
        // A broken first line, then records: that line is one invalid record
        (b"oops\n{\"id\": 1}\n", JsonLines, true),
        (b"id,date,activity\n", JsonArray, false),
        (b"[", JsonArray, true),
        (b"id: a\n", JsonArray, true),
        (b"id,date\n", Yaml, false),
        (b"id: a, b\n", Yaml, true),
        (b"{\"id\": 1}", Csv, false),
        (b"[1]", Csv, false),
        (b"---\nid: a\n", Csv, false),
        (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", Csv, false),
        (b"id,date\n", Csv, true),
        (b"Txn Ref: x,Value Date\n", Csv, true),
        (b"PK\x03\x04", Xlsx, true),
        (b"PK\x03\x04", Ods, true),
        (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", Xls, true),
        (b"id,date\n", Xlsx, false),
        (b"", Xls, false),
    ] {
        assert_eq!(
            check_content(start, format).is_ok(),
            fits,
            "{:?} as {format:?}",
            String::from_utf8_lossy(start)
        );
    }
    let e = check_content(b"id,date,activity\n", JsonLines).unwrap_err();
    assert_eq!(
        e.to_string(),
        "the input is read as JSON Lines (from its extension or --input-format), but it starts \
with a CSV header (`id,date,activity`); give `--input-format csv` to read it as such"
    );
    let e = check_content(b"PK\x03\x04...", Csv).unwrap_err();
    assert!(
        e.to_string()
            .contains("a ZIP file (an .xlsx or .ods workbook); give `--input-format xlsx`"),
        "{e}"
    );
}

#[test]
fn a_workbook_that_is_not_one_is_refused_without_a_panic() {
    for bytes in [
        &b"PK\x03\x04garbage"[..],
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1garbage",
    ] {
        let e = SheetRecords::new(bytes, InputFormat::Xlsx, None, 100)
            .err()
            .unwrap();
        assert!(matches!(e, TableError::Workbook(_)), "{e}");
    }
    let e = SheetRecords::new(b"id,date\n", InputFormat::Xlsx, None, 100)
        .err()
        .unwrap();
    assert!(matches!(e, TableError::Content(_)), "{e}");
}

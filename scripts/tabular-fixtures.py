#!/usr/bin/env python3
"""Makes the spreadsheet fixtures of tests/tabular/ (docs/tabular.md): the records of
examples/news-2022.jsonl as .xlsx, .xls and .ods workbooks, laid out as docs/tabular.md says
(one record a row, numbered columns for lists of mappings, `;`-separated values for lists of
words), with typed cells as a firm's export has them: dates as date cells, amounts, quantities
and counts as numbers; and bad-cells.xlsx, whose cells a reader must refuse or convert.

Run from the repository's root, with the pinned packages:

    python3 -m venv /tmp/venv
    /tmp/venv/bin/pip install openpyxl==3.1.5 odfpy==1.4.1 xlwt==1.3.0
    /tmp/venv/bin/python scripts/tabular-fixtures.py

tests/tabular.rs checks that each workbook gives the verdicts of the JSON Lines file.
"""

import datetime
import json

import openpyxl
import xlwt
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

LISTS_OF_WORDS = {"transit", "services", "categories", "tags", "covers"}
NUMBERS = {"amount.amount", "quantity", "count", "value.amount"}


def flatten(record):
    """The record's cells: column name -> value, in the order of docs/tabular.md"""
    out = {}

    def put(prefix, key, value):
        name = f"{prefix}{key}"
        if isinstance(value, dict) and key in ("amount", "value", "ids"):
            for k, v in value.items():
                put(f"{name}.", k, v)
        elif isinstance(value, list) and key in LISTS_OF_WORDS:
            out[name] = ";".join(value)
        elif isinstance(value, list):
            for i, item in enumerate(value, 1):
                for k, v in item.items():
                    put(f"{name}.{i}.", k, v)
        elif key == "meta" and not prefix:
            for k, v in value.items():
                out[f"meta.{k}"] = v if isinstance(v, str) else json.dumps(v)
        else:
            out[name] = value

    for key, value in record.items():
        put("", key, value)
    return out


def typed(column, value):
    """A cell's value as a spreadsheet holds it"""
    last = column.split(".", 2)[-1] if column.count(".") >= 2 else column
    if column == "date" or column.endswith(".date"):
        return datetime.date.fromisoformat(value)
    if column in NUMBERS or last in NUMBERS:
        return float(value) if isinstance(value, float) else int(value)
    return value


def main():
    with open("examples/news-2022.jsonl") as f:
        rows = [flatten(json.loads(line)) for line in f if line.strip()]
    columns = []
    for row in rows:
        columns.extend(c for c in row if c not in columns)
    table = [[typed(c, row[c]) if c in row else None for c in columns] for row in rows]

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "records"
    sheet.append(columns)
    for values in table:
        sheet.append(values)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
    book.save("tests/tabular/news-2022.xlsx")

    book = xlwt.Workbook()
    sheet = book.add_sheet("records")
    day = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for j, c in enumerate(columns):
        sheet.write(0, j, c)
    for i, values in enumerate(table, 1):
        for j, v in enumerate(values):
            if isinstance(v, datetime.date):
                sheet.write(i, j, v, day)
            elif v is not None:
                sheet.write(i, j, v)
    book.save("tests/tabular/news-2022.xls")

    doc = OpenDocumentSpreadsheet()
    sheet = Table(name="records")
    for values in [columns] + table:
        tr = TableRow()
        for v in values:
            if v is None:
                tr.addElement(TableCell())
            elif isinstance(v, datetime.date):
                cell = TableCell(valuetype="date", datevalue=v.isoformat())
                cell.addElement(P(text=v.isoformat()))
                tr.addElement(cell)
            elif isinstance(v, (int, float)):
                cell = TableCell(valuetype="float", value=v)
                cell.addElement(P(text=str(v)))
                tr.addElement(cell)
            else:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=v))
                tr.addElement(cell)
        sheet.addElement(tr)
    doc.spreadsheet.addElement(sheet)
    doc.save("tests/tabular/news-2022.ods")

    # Cells a reader must refuse or convert: a spreadsheet error, a number where an HS code is
    # (read as its digits), a date with a time of day (the day is the record's), a money amount
    # as a float, a header that starts in column B, row 3.
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["B3"] = "id"
    sheet["C3"] = "date"
    sheet["D3"] = "activity"
    sheet["E3"] = "origin"
    sheet["F3"] = "goods.1.hs"
    sheet["G3"] = "goods.1.value.amount"
    sheet["H3"] = "goods.1.value.currency"
    good = ["ok", datetime.datetime(2022, 9, 5, 14, 30), "trade", "KP", 930690, 1234.56, "USD"]
    bad = ["na", datetime.date(2022, 9, 5), "trade", "KP", "#N/A", 10, "USD"]
    for i, values in enumerate([good, bad]):
        for j, v in enumerate(values):
            cell = sheet.cell(row=4 + i, column=2 + j, value=v)
            if isinstance(v, datetime.date):
                cell.number_format = "yyyy-mm-dd hh:mm"
    book.save("tests/tabular/bad-cells.xlsx")


if __name__ == "__main__":
    main()

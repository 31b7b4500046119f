#!/usr/bin/env python3
"""Reads an .xlsx workbook with the standard library only (zipfile,
xml.etree) -- independent of libxlsxwriter -- and checks it against CSV files.

    check_xlsx.py BOOK.xlsx SHEET=FILE.csv:KINDS [SHEET=FILE.csv:KINDS ...]

KINDS gives, per CSV column in order, the cell type expected: s (text),
n (number) or d (date).  Checks: the workbook's sheets are exactly these,
in this order; each sheet's header row is frozen (pane ySplit=1, frozen),
bold and filtered (autoFilter over header and rows); every CSV cell is in
the sheet with its type and value (empty: no cell), and no other cell is.
Prints each problem and exits 1, or prints "ok" and exits 0."""
import csv
import datetime
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
problems = []


def col_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0)
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1, int(ref[len(letters):]) - 1


def col_letters(i):
    s = ""
    i += 1
    while i:
        i, rem = divmod(i - 1, 26)
        s = chr(65 + rem) + s
    return s


def styles(z):
    """Per style index: (number format code, bold)."""
    root = ET.fromstring(z.read("xl/styles.xml"))
    formats = {int(f.get("numFmtId")): f.get("formatCode") for f in root.iterfind("m:numFmts/m:numFmt", NS)}
    builtin_dates = {14: "m/d/yyyy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 22: "m/d/yy h:mm"}
    fonts = [f.find("m:b", NS) is not None for f in root.iterfind("m:fonts/m:font", NS)]
    out = []
    for xf in root.iterfind("m:cellXfs/m:xf", NS):
        fid = int(xf.get("numFmtId", "0"))
        out.append((formats.get(fid) or builtin_dates.get(fid, ""), fonts[int(xf.get("fontId", "0"))]))
    return out


def shared_strings(z):
    if "xl/sharedStrings.xml" not in z.namelist():
        return []
    root = ET.fromstring(z.read("xl/sharedStrings.xml"))
    return ["".join(t.text or "" for t in si.iter("{%s}t" % NS["m"])) for si in root.iterfind("m:si", NS)]


def cell_value(c, strings, style_list):
    """(kind, text) of a cell: kind s, n or d; a date as YYYY-MM-DD."""
    t = c.get("t", "n")
    if t == "inlineStr":
        return "s", "".join(x.text or "" for x in c.iter("{%s}t" % NS["m"]))
    if t == "s":
        return "s", strings[int(c.find("m:v", NS).text)]
    if t == "str":
        return "s", c.find("m:v", NS).text or ""
    if t != "n":
        return t, c.find("m:v", NS).text
    v = c.find("m:v", NS).text
    fmt = style_list[int(c.get("s", "0"))][0]
    if "yy" in fmt and "d" in fmt:
        day = datetime.date(1899, 12, 30) + datetime.timedelta(days=float(v))
        return "d", day.isoformat()
    return "n", v


def check_sheet(z, name, path, strings, style_list, csv_name, kinds):
    root = ET.fromstring(z.read(path))
    pane = root.find("m:sheetViews/m:sheetView/m:pane", NS)
    if pane is None or pane.get("ySplit") != "1" or pane.get("state") != "frozen":
        problems.append("%s: header row not frozen (pane %s)" % (name, None if pane is None else pane.attrib))
    with open(csv_name, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, data = rows[0], rows[1:]
    if len(kinds) != len(header):
        sys.exit("KINDS has %d letters for %d columns" % (len(kinds), len(header)))
    af = root.find("m:autoFilter", NS)
    want_ref = "A1:%s%d" % (col_letters(len(header) - 1), len(data) + 1)
    if af is None or af.get("ref") != want_ref:
        problems.append("%s: autofilter %s, expected %s" % (name, None if af is None else af.get("ref"), want_ref))
    cells = {}
    for c in root.iterfind("m:sheetData/m:row/m:c", NS):
        cells[col_index(c.get("r"))] = c
    for j, title in enumerate(header):
        c = cells.pop((j, 0), None)
        if c is None:
            problems.append("%s: header %s missing" % (name, title))
            continue
        kind, text = cell_value(c, strings, style_list)
        if (kind, text) != ("s", title) or not style_list[int(c.get("s", "0"))][1]:
            problems.append("%s: header cell %d is %r, not bold text %r" % (name, j, (kind, text), title))
    for i, row in enumerate(data, start=1):
        for j, want in enumerate(row):
            c = cells.pop((j, i), None)
            where = "%s!%s%d" % (name, col_letters(j), i + 1)
            if want == "":
                if c is not None:
                    problems.append("%s: expected no cell, found one" % where)
                continue
            if c is None:
                problems.append("%s: missing cell for %r" % (where, want))
                continue
            kind, text = cell_value(c, strings, style_list)
            if kind != kinds[j]:
                problems.append("%s: %r stored as %s, expected %s" % (where, want, kind, kinds[j]))
            elif kind == "n" and float(text) != float(want):
                problems.append("%s: number %s, expected %s" % (where, text, want))
            elif kind != "n" and text != want:
                problems.append("%s: %r, expected %r" % (where, text, want))
    for (j, i) in sorted(cells):
        problems.append("%s: unexpected cell %s%d" % (name, col_letters(j), i + 1))


def main():
    book, specs = sys.argv[1], sys.argv[2:]
    with zipfile.ZipFile(book) as z:
        wb = ET.fromstring(z.read("xl/workbook.xml"))
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        sheets = [(s.get("name"), "xl/" + targets[s.get(REL)].lstrip("/").replace("xl/", "", 1))
                  for s in wb.iterfind("m:sheets/m:sheet", NS)]
        want_names = [spec.split("=", 1)[0] for spec in specs]
        if [n for n, _ in sheets] != want_names:
            problems.append("sheets %s, expected %s" % ([n for n, _ in sheets], want_names))
        strings, style_list = shared_strings(z), styles(z)
        for spec, (name, path) in zip(specs, sheets):
            csv_name, kinds = spec.split("=", 1)[1].rsplit(":", 1)
            check_sheet(z, name, path, strings, style_list, csv_name, kinds)
    for p in problems:
        print(p)
    if problems:
        sys.exit(1)
    print("ok")


main()

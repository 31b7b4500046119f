#!/usr/bin/env python3
"""make_hostile.py DIR: from DIR/basic.xlsx (written by make_workbooks with
libxlsxwriter), write variants of it with Python's zipfile, each changing
one member the way a real file would differ or an attacker would:

  error.xlsx     cell D7 of sheet Cases holds the cached error #DIV/0!, as
                 Excel stores a formula dividing by zero (t="e")
  date1904.xlsx  the workbook uses the 1904 date system (date1904="1", what
                 Excel for Mac wrote by default; libxlsxwriter 1.1.4 cannot)
  bomb.xlsx      sheet Cases unzips to 64 MiB of whitespace and comments
                 (from ~70 KiB)
  dtd.xlsx       sheet Cases starts with a DTD declaring an entity
  notzip.xlsx    text, not a zip
"""
import sys
import zipfile

SHEET = "xl/worksheets/sheet1.xml"
# 64 MiB of whitespace in 4 KiB runs split by comments: well-formed, and no
# text node over libxml2's own limit, so only the unzip limit can stop it
BOMB = (b" " * 4089 + b"<!---->") * (16 << 10)


def rewrite(src, dst, change):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, change(item.filename, data), compress_type=zipfile.ZIP_DEFLATED,
                          compresslevel=9)


def replace_once(data, old, new):
    if data.count(old) != 1:
        raise SystemExit("make_hostile: %r not found once" % old)
    return data.replace(old, new)


def main(d):
    basic = d + "/basic.xlsx"
    rewrite(basic, d + "/error.xlsx", lambda name, data: replace_once(
        data, b'<c r="D7"><f>1/0</f><v>0</v></c>', b'<c r="D7" t="e"><f>1/0</f><v>#DIV/0!</v></c>')
        if name == SHEET else data)
    rewrite(basic, d + "/date1904.xlsx", lambda name, data: replace_once(
        data, b"<workbookPr ", b'<workbookPr date1904="1" ') if name == "xl/workbook.xml" else data)
    rewrite(basic, d + "/bomb.xlsx", lambda name, data: replace_once(
        data, b"<sheetData>", b"<sheetData>" + BOMB) if name == SHEET else data)
    rewrite(basic, d + "/dtd.xlsx", lambda name, data: replace_once(
        data, b"<worksheet ", b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]>\n<worksheet ')
        if name == SHEET else data)
    with open(d + "/notzip.xlsx", "w") as f:
        f.write("id,name\n1,not a workbook\n")


if __name__ == "__main__":
    main(sys.argv[1])

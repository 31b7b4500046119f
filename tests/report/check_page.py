#!/usr/bin/env python3
"""Read back what the report sink wrote, with the standard library only
(html.parser), for tests/report/test_report_sink.tap.

  check_page.py sources PAGE.html MANIFEST.json   the data sources = the manifest's inputs
  check_page.py suppression PAGE.html FLOWS.csv BY_HOST.csv
                                                  suppressed cells shown as such, totals of
                                                  published cells only, no bar for them
Prints what differs and exits 1, or exits 0."""
import csv
import json
import re
import sys
from html.parser import HTMLParser


class Cells(HTMLParser):
    """Every table row of the page as (section id, table classes, [(tag, classes, text)])."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.section = None
        self.table = None
        self.rows = []
        self.row = None
        self.cell = None
        self.rects = {}  # section id -> bar rects drawn
        self.marks = {}  # section id -> suppressed marks

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section":
            self.section = a.get("id")
        elif tag == "table":
            self.table = a.get("class", "")
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = [tag, a.get("class", ""), ""]
        elif tag == "rect" and "bar-rect" in a.get("class", ""):
            self.rects[self.section] = self.rects.get(self.section, 0) + 1
        elif tag == "abbr" and a.get("class") == "suppressed" and self.cell is not None:
            self.marks[self.section] = self.marks.get(self.section, 0) + 1
            self.cell[1] += " has-suppressed"

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append(tuple(self.cell))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.rows.append((self.section, self.table, self.row))
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[2] += data


def parse(path):
    p = Cells()
    with open(path, encoding="utf-8") as f:
        p.feed(f.read())
    return p


def num(text):
    return int(re.sub(r"[^0-9]", "", text) or "0")


def sources(page, manifest):
    rows = [r for s, t, r in parse(page).rows if s == "data-sources" and r and r[0][0] == "th" and "feed" in r[0][1]]
    with open(manifest) as f:
        inputs = json.load(f)["inputs"]
    shown = [(r[0][2], num(r[4][2]), r[5][2], num(r[2][2])) for r in rows]
    want = [(i.get("feed") or i["path"], i["size"], i["sha256"], i["records"]) for i in inputs]
    problems = []
    if len(shown) != len(want):
        problems.append("the page lists %d feeds, the manifest %d" % (len(shown), len(want)))
    for (name, size, sha, recs), (path, msize, msha, mrecs) in zip(shown, want):
        if not path.endswith(name):
            problems.append("feed %s: the manifest has %s" % (name, path))
        if (size, sha, recs) != (msize, msha, mrecs):
            problems.append("feed %s: page %s, manifest %s" % (name, (size, sha, recs), (msize, msha, mrecs)))
    return problems


def suppression(page, flows_csv, hosts_csv):
    p = parse(page)
    problems = []
    with open(flows_csv, newline="") as f:
        flows = list(csv.DictReader(f))
    with open(hosts_csv, newline="") as f:
        hosts = list(csv.DictReader(f))
    # The heat map's table: one body row per host, its cells then the row total.
    body = [r for s, t, r in p.rows if s == "flows" and "matrix" in (t or "") and r and any("cell" in c[1] for c in r)]
    suppressed_cells = sum(1 for r in body for c in r if "cell" in c[1] and "has-suppressed" in c[1])
    want = sum(1 for r in flows if r["suppressed"] == "yes")
    if suppressed_cells != want or want == 0:
        problems.append("matrix: %d cells shown suppressed, flows.csv has %d" % (suppressed_cells, want))
    for r in body:
        host = r[0][2]
        published = sum(int(x["count"]) for x in flows if x["host_country"] == host and x["suppressed"] == "no")
        partial = any(x["host_country"] == host and x["suppressed"] == "yes" for x in flows)
        total = [c for c in r if "row-total" in c[1]][0][2]
        if num(total) != published or total.endswith("+") != partial:
            problems.append("matrix row %s: total reads %r, published cells add up to %d%s" %
                            (host, total, published, " (some suppressed)" if partial else ""))
        for c in r:
            if "cell" in c[1] and "has-suppressed" not in c[1] and c[2] not in ("–",):
                if not re.fullmatch(r"[0-9,]+", c[2]):
                    problems.append("matrix row %s: a cell reads %r" % (host, c[2]))
    # Bars: one per published host, none for a suppressed one.
    published = sum(1 for h in hosts if h["suppressed"] == "no")
    if p.rects.get("hosts", 0) != published:
        problems.append("bars: %d drawn, %d published hosts" % (p.rects.get("hosts", 0), published))
    if p.marks.get("hosts", 0) != sum(1 for h in hosts if h["suppressed"] == "yes") * 2:
        problems.append("bars table: %d suppressed marks, expected count and share of %d hosts" %
                        (p.marks.get("hosts", 0), sum(1 for h in hosts if h["suppressed"] == "yes")))
    return problems


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "sources":
        why = sources(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 5 and sys.argv[1] == "suppression":
        why = suppression(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit(__doc__)
    for w in why:
        print(w)
    sys.exit(1 if why else 0)

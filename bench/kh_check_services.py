#!/usr/bin/env python3
"""kh_check_services: do DuckDB's service tables equal harmonize's?

    python3 bench/kh_check_services.py HARMONIZE_OUT DUCKDB_OUT SAMPLES TOOL

Run by bench/key-highlights.sh after the timed runs, on the last round's outputs. Prints
one line per check, prefixed with TOOL, and exits 1 if any differs:

  services        the rows of services.csv, as a multiset (the order is each tool's own)
  top_offices     top_offices.csv line by line: rank, office, count, share, in order
  service_totals  the rows of service_totals.csv, as a set (dimension, value, count, share)
  service rejects harmonize's rejected services (feed, line, reason) and DuckDB's (feed,
                  reason, case id; DuckDB has no line for a row it split) against what the
                  generator planted, SAMPLES/expected-service-rejects.tsv

Cells are compared as text after CSV parsing (the two writers quote differently); shares
with their one decimal, as both write them.
"""
import collections
import csv
import os
import sys

SERVICE_FEEDS = ("services_global.csv.gz", "services_guinee.xml")


def rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        return [tuple(r) for r in csv.reader(f)]


def expected_rejects(samples):
    """[(feed file, line, reason, case)] from the generator's list."""
    out = []
    with open(os.path.join(samples, "expected-service-rejects.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or line.startswith("feed\t"):
                continue
            feed, lineno, reason, case, _ = line.rstrip("\n").split("\t")
            out.append((feed, lineno, reason, case))
    return out


def compare_tables(h, d, ordered):
    """'identical (N rows)' or what differs."""
    if h[0] != d[0]:
        return "DIFFERENT columns: harmonize %s, duckdb %s" % (",".join(h[0]), ",".join(d[0]))
    hb, db = h[1:], d[1:]
    if ordered:
        if hb == db:
            return "identical (%d rows, same order)" % len(hb)
        return "DIFFER (%d rows harmonize, %d duckdb; first difference at row %d)" % (
            len(hb), len(db), next((i + 1 for i, (a, b) in enumerate(zip(hb, db)) if a != b), min(len(hb), len(db)) + 1))
    hc, dc = collections.Counter(hb), collections.Counter(db)
    if hc == dc:
        return "identical (%d rows)" % len(hb)
    return "DIFFER (%d rows harmonize, %d duckdb; %d only in harmonize, %d only in duckdb)" % (
        len(hb), len(db), sum((hc - dc).values()), sum((dc - hc).values()))


def main():
    if len(sys.argv) != 5:
        sys.exit("usage: kh_check_services.py HARMONIZE_OUT DUCKDB_OUT SAMPLES TOOL")
    hdir, ddir, samples, tool = sys.argv[1:]
    ok = True

    def say(what, verdict):
        nonlocal ok
        ok = ok and not verdict.startswith("DIFFER")
        print("%s %s: %s" % (tool, what, verdict))

    for table, ordered in (("services", False), ("top_offices", True), ("service_totals", False)):
        say(table, compare_tables(rows(os.path.join(hdir, table + ".csv")),
                                  rows(os.path.join(ddir, table + ".csv")), ordered))

    planted = expected_rejects(samples)
    # harmonize: feed (a path ending in the file name), line, reason.
    got = collections.Counter()
    with open(os.path.join(hdir, "rejects.csv"), encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            feed = os.path.basename(r["feed"])
            if feed in SERVICE_FEEDS:
                got[(feed, r["line"], r["reason"])] += 1
    want = collections.Counter((feed, line, reason) for feed, line, reason, _ in planted)
    say("service rejects (harmonize)", "the %d planted, same feed, line and reason" % len(planted)
        if got == want else "DIFFER from the planted ones (%d rejected, %d planted)" % (sum(got.values()), len(planted)))
    # DuckDB: feed is the source name (services_global, services_guinee), detail the case id.
    got = collections.Counter()
    with open(os.path.join(ddir, "rejects.csv"), encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if r["feed"].startswith("services_"):
                got[(r["feed"].split(".")[0], r["reason"], r["detail"])] += 1
    want = collections.Counter((feed.split(".")[0], reason, case) for feed, _, reason, case in planted)
    say("service rejects (duckdb)", "the %d planted, same feed, reason and case" % len(planted)
        if got == want else "DIFFER from the planted ones (%d rejected, %d planted)" % (sum(got.values()), len(planted)))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

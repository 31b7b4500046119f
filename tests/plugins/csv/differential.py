#!/usr/bin/env python3
"""Differential test of the csv plugin against Python's csv module.

    differential.py HARMONIZE PLUGIN_DIR [SEEDS]

For each seed: writes a random CSV (quoted delimiters, doubled quotes, LF,
CRLF and lone CR inside quoted fields, non-ASCII text, blank lines, records
with a wrong field count, fields of 100-400 KB that straddle read blocks),
runs `harmonize run` csv -> csv on it, and checks that
  - the output equals Python's reading of the file written back with
    minimal quoting (quoted only for ',', '"', CR, LF; a lone empty value
    as ""), LF line ends;
  - the rejects are the records Python reads with a wrong field count, on
    the physical lines where they start (Python's line_num).
Exit status 0 when every seed agrees.
"""
import csv
import io
import os
import random
import subprocess
import sys
import tempfile

csv.field_size_limit(1 << 30)
NCOLS = 5
PIECES = ["a", "b", "Z", " ", "\t", ",", '"', "\n", "\r\n", "\r", "é", "€", "😀", "x" * 20]


def field(rng):
    r = rng.random()
    if r < 0.3:
        return ""
    if r < 0.302:
        return "L" * rng.randint(100000, 400000)
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 12)))


def quote(f):
    return '"' + f.replace('"', '""') + '"' if any(c in f for c in ',"\r\n') else f


def write_row(out, rec):
    out.write('""\n' if rec == [""] else ",".join(quote(f) for f in rec) + "\n")


def one(harmonize, plugins, seed, work):
    rng = random.Random(seed)
    text = io.StringIO()
    w = csv.writer(text, lineterminator=rng.choice(["\n", "\r\n"]))
    w.writerow(["c%d" % i for i in range(NCOLS)])
    for _ in range(3000):
        n = NCOLS if rng.random() > 0.05 else rng.choice([NCOLS - 1, NCOLS + 1])
        row = [field(rng) for _ in range(n)]
        w.writerow(row)
        if rng.random() < 0.02:
            text.write("\n")
    with open(os.path.join(work, "in.csv"), "w", newline="", encoding="utf-8") as f:
        f.write(text.getvalue())
    with open(os.path.join(work, "p.yaml"), "w") as f:
        f.write("version: 1\nsources:\n  feed: {type: csv, path: in.csv}\n"
                "sinks:\n  result: {type: csv, inputs: [feed], path: out/result.csv, fsync: false}\n"
                "rejects: {type: csv, path: out/rejects.csv, fsync: false}\n")

    expected, rejects = io.StringIO(), []
    with open(os.path.join(work, "in.csv"), newline="", encoding="utf-8") as f:
        r = csv.reader(f)
        write_row(expected, next(r))
        start = r.line_num + 1
        for rec in r:
            if len(rec) == NCOLS:
                write_row(expected, rec)
            elif rec:
                rejects.append((start, len(rec)))
            start = r.line_num + 1

    env = dict(os.environ, HARMONIZE_PLUGIN_PATH=plugins)
    run = subprocess.run([harmonize, "run", "p.yaml"], cwd=work, env=env, capture_output=True)
    if run.returncode != 0:
        print("seed %d: harmonize exited %d: %s" % (seed, run.returncode, run.stderr.decode()[:500]))
        return False
    with open(os.path.join(work, "out", "result.csv"), newline="", encoding="utf-8") as f:
        got = f.read()
    with open(os.path.join(work, "out", "rejects.csv"), newline="", encoding="utf-8") as f:
        got_rejects = [(int(x[2]), int(x[4].split("found ")[1])) for x in list(csv.reader(f))[1:]]
    ok = True
    if got != expected.getvalue():
        print("seed %d: output differs from Python's reading" % seed)
        ok = False
    if got_rejects != rejects:
        print("seed %d: rejects differ (%d vs %d expected)" % (seed, len(got_rejects), len(rejects)))
        ok = False
    return ok


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    harmonize, plugins = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    seeds = range(1, int(sys.argv[3]) + 1) if len(sys.argv) > 3 else range(1, 6)
    ok = True
    with tempfile.TemporaryDirectory() as work:
        for seed in seeds:
            ok &= one(harmonize, plugins, seed, work)
    print("differential: %s" % ("all seeds agree" if ok else "FAILED"))
    sys.exit(0 if ok else 1)


main()

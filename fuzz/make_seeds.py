#!/usr/bin/env python3
"""Make the seed corpora of the fuzz targets from the golden pipeline cases
(tests/pipelines) and the bundled pipeline and sample (pipelines/), and fuzz/feeds/, the
feeds the pipeline seeds read while they are validated.

    fuzz/make_seeds.py [SRCDIR]     (run from the build dir: it asks ./harmonize
                                     for the plugin list, as fuzz_options orders it)

Seeds are small files; existing ones are kept, new ones added.  The first byte of a
csv_source seed is the option set its case uses (see fuzz_csv_source.c); that of an
options seed picks the option table (see fuzz_options.c)."""
import csv
import io
import os
import re
import subprocess
import sys

import yaml

MAX_SEED = 16 * 1024
src = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
corpus = os.path.join(src, "fuzz", "corpus")


seen = set()


def write(target, name, data):
    """Add a seed, unless it is too big or one with the same bytes was made."""
    folder = os.path.join(corpus, target)
    os.makedirs(folder, exist_ok=True)
    if len(data) > MAX_SEED or (target, data) in seen:
        return
    seen.add((target, data))
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def pipelines():
    """(name, path) of every pipeline file of the cases and pipelines/."""
    ok = os.path.join(src, "tests", "pipelines", "ok")
    for case in sorted(os.listdir(ok)):
        path = os.path.join(ok, case, "pipeline.yaml")
        if os.path.exists(path):
            yield case, path
    err = os.path.join(src, "tests", "pipelines", "err")
    for f in sorted(os.listdir(err)):
        if f.endswith(".yaml"):
            yield "err-" + f[:-5], os.path.join(err, f)
    yield "example", os.path.join(src, "pipelines", "example.yaml")


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
        return doc if isinstance(doc, dict) else None
    except (yaml.YAMLError, UnicodeDecodeError):
        return None


# --- pipeline: the files themselves, each feed renamed CASE-FILE and copied to fuzz/feeds/
# (fuzz_pipeline copies that folder beside the pipeline it validates).  Validation reads no
# more than a CSV header, so the copies keep the first lines only.
feeds = os.path.join(src, "fuzz", "feeds")
os.makedirs(feeds, exist_ok=True)
for name, path in pipelines():
    with open(path, "rb") as f:
        text = f.read().decode("utf-8", "replace")
    for node in ((load(path) or {}).get("sources") or {}).values():
        if not isinstance(node, dict) or not isinstance(node.get("path"), str):
            continue
        written = node["path"]
        feed = os.path.join(os.path.dirname(path), written.replace("${feeds:-samples}", "samples"))
        if not os.path.isfile(feed):
            continue
        copy = "%s-%s" % (name, os.path.basename(feed))
        with open(feed, "rb") as f:
            head = b"".join(f.readlines()[:3])[:4096]
        with open(os.path.join(feeds, copy), "wb") as f:
            f.write(head)
        # a path made with a variable keeps it (fuzz targets set feeds=.)
        renamed = os.path.join(os.path.dirname(written), copy) if "${" in written else copy
        text = re.sub(r"(path:\s*[\"']?)" + re.escape(written), lambda m: m.group(1) + renamed, text)
    write("pipeline", name + ".yaml", text.encode("utf-8"))

# --- csv_source: each csv feed of a case with its options as the first byte ---------------
DELIMITERS = {",": 0, ";": 1, "\t": 2, "\\t": 2, "|": 3}
for name, path in pipelines():
    doc = load(path)
    for comp, node in ((doc or {}).get("sources") or {}).items():
        if not isinstance(node, dict) or node.get("type") != "csv" or "path" not in node:
            continue
        feed = os.path.join(os.path.dirname(path), str(node["path"]).replace("${feeds:-samples}", "samples"))
        delimiter = DELIMITERS.get(str(node.get("delimiter", ",")))
        quote = {'"': 0, "'": 4}.get(str(node.get("quote", '"')))
        if delimiter is None or quote is None or not os.path.isfile(feed):
            continue
        options = delimiter | quote
        if str(node.get("encoding", "utf-8")) not in ("utf-8", "utf8"):
            options |= 8
        if node.get("header", True) is False:
            options |= 16
        with open(feed, "rb") as f:
            data = f.read()
        write("csv_source", "%s-%s" % (name, comp), bytes([options]) + data)
        # the same rows across the source's 64 KiB read boundary
        write("csv_source", "%s-%s-straddle" % (name, comp), bytes([options | 64]) + data)

# --- rows: rows of the cases' feeds in fuzz_rows.c's columns, the feed split in two at a form
# feed (the target's two feeds, merged on case_id) ------------------------------------------
ROW_COLUMNS = ["case_id", "departure_date", "age", "sex", "origin_country", "household_size"]
ALIASES = {"departure_date": ["departure_date", "departure", "Abreisedatum"], "age": ["age", "Alter", "age_years"],
           "sex": ["sex", "Geschlecht"], "origin_country": ["origin_country", "Herkunftsland"],
           "case_id": ["case_id", "record_id", "Fallnummer", "id"]}
for name, path in pipelines():
    doc = load(path)
    for comp, node in ((doc or {}).get("sources") or {}).items():
        if not isinstance(node, dict) or node.get("type") != "csv" or node.get("header", True) is False:
            continue
        feed = os.path.join(os.path.dirname(path), str(node.get("path")).replace("${feeds:-samples}", "samples"))
        if not os.path.isfile(feed):
            continue
        delimiter = str(node.get("delimiter", ",")).replace("\\t", "\t")
        encoding = "utf-8" if str(node.get("encoding", "utf-8")) in ("utf-8", "utf8") else "cp1252"
        with open(feed, encoding=encoding, errors="replace", newline="") as f:
            records = list(csv.reader(f, delimiter=delimiter[:1] or ","))
        if not records:
            continue
        header = [h.lstrip("\ufeff") for h in records[0]]
        where = [next((header.index(a) for a in ALIASES.get(c, [c]) if a in header), None) for c in ROW_COLUMNS]
        if sum(w is not None for w in where) < 3:
            continue
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        rows = records[1:]
        for i, r in enumerate(rows):
            if i == (len(rows) + 1) // 2:
                out.write("\f")
            writer.writerow([r[w] if w is not None and w < len(r) else "" for w in where])
        write("rows", "%s-%s" % (name, comp), out.getvalue().encode("utf-8"))

# --- xml_source: every XML feed of the cases ------------------------------------------------
for root, _, files in sorted(os.walk(os.path.join(src, "tests", "pipelines"))):
    for f in sorted(files):
        if f.endswith(".xml") and "expected" not in root.split(os.sep):
            with open(os.path.join(root, f), "rb") as fh:
                write("xml_source", os.path.basename(root) + "-" + f[:-4], fh.read())

# --- options: each component's mapping, after the index of its plugin class ----------------
env = dict(os.environ)
env.setdefault("HARMONIZE_PLUGIN_PATH", os.path.abspath("plugins/.libs"))
listing = subprocess.run(["./harmonize", "plugins"], capture_output=True, text=True, check=True, env=env).stdout
tables = [("options", "transform")]  # fuzz_options.c's own table of every type comes first
for line in listing.splitlines()[1:]:
    plugin, kinds = line.split()[:2]
    for kind in ("source", "transform", "sink"):
        if kind in kinds.split(","):
            tables.append((plugin, kind))

for name, path in pipelines():
    doc = load(path) or {}
    comps = []
    for section, kind in (("sources", "source"), ("transforms", "transform"), ("sinks", "sink")):
        for comp, node in (doc.get(section) or {}).items() if isinstance(doc.get(section), dict) else []:
            if isinstance(node, dict) and isinstance(node.get("steps"), list):
                comps += [("%s-%d" % (comp, i + 1), kind, s) for i, s in enumerate(node["steps"])]
            else:
                comps.append((comp, kind, node))
    if isinstance(doc.get("rejects"), dict):
        comps.append(("rejects", "sink", doc["rejects"]))
    for comp, kind, node in comps:
        if not isinstance(node, dict) or (node.get("type"), kind) not in tables:
            continue
        index = tables.index((node["type"], kind))
        text = yaml.safe_dump(node, allow_unicode=True, sort_keys=False)
        write("options", "%s-%s" % (name, comp), bytes([index]) + text.encode("utf-8"))

write("options", "every-type", bytes([0]) + b"""text: hello
count: -12
flag: off
mode: append
columns: [a, b, "c d"]
values: {x: 1, "": empty}
path: out/${country}.csv
spec: {child: [0, 17], adult: [18, null]}
needed: yes
""")

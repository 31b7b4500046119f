#!/usr/bin/env python3
"""kh_feeds2csv: CSV renditions of the three key-highlights feeds DuckDB cannot read.

    python3 bench/kh_feeds2csv.py SAMPLES OUT

DuckDB has no XML reader and no KEY=VALUE reader, so bench/key-highlights.sh runs this
once, untimed, before the timed runs: DuckDB is spared parsing these three feeds.

  SAMPLES/vhr_libya.xml        -> OUT/vhr_libya.csv        one row per <case>
  SAMPLES/avrr_greece.txt      -> OUT/avrr_greece.csv      one row per KEY=VALUE block
  SAMPLES/services_guinee.xml  -> OUT/services_guinee.csv  one row per <service>

Each gets the columns of the pipeline's `fields:` (returns: record_id, departure_date,
origin, sex, age, vulnerability; Guinea's services: service_id, case_id, office, stage,
dimension, level, delivery) plus `malformed`: 1 when the harmonize reader would reject
the record as malformed_row (a required element or key absent, a line without '='), so
the SQL can reject the same records. An absent optional field is an empty cell, as in the
harmonize readers.
"""
import csv
import sys
import xml.etree.ElementTree as ET

COLUMNS = ["record_id", "departure_date", "origin", "sex", "age", "vulnerability", "malformed"]
REQUIRED = ("record_id", "departure_date", "origin")

# The pipeline's xml source: column -> path relative to <case> ('@x' is an attribute).
XML_FIELDS = {
    "record_id": "@id",
    "departure_date": "departure",
    "origin": "migrant/nationality",
    "sex": "migrant/sex",
    "age": "migrant/age",
    "vulnerability": "vulnerability/@code",
}
# The pipeline's xml source services_guinee: column -> path relative to <service>.
SERVICE_COLUMNS = ["service_id", "case_id", "office", "stage", "dimension", "level", "delivery", "malformed"]
SERVICE_REQUIRED = ("service_id", "stage", "dimension", "level", "delivery")
SERVICE_XML_FIELDS = {
    "service_id": "@id",
    "case_id": "@dossier",
    "office": "@bureau",
    "stage": "phase",
    "dimension": "volet",
    "level": "niveau",
    "delivery": "modalite",
}
# The pipeline's keyvalue source: column -> key.
KV_FIELDS = {
    "record_id": "CASE",
    "departure_date": "DEPARTURE",
    "origin": "NATIONALITY",
    "sex": "GENDER",
    "age": "AGE",
    "vulnerability": "VULNERABILITY",
}


def xml_value(case, path):
    """The text at path (None when the element or attribute is absent)."""
    element, _, attribute = path.partition("@")
    node = case.find(element.rstrip("/")) if element else case
    if node is None:
        return None
    if attribute:
        return node.get(attribute)
    return node.text or ""


def convert_xml(src, out, record="case", columns=COLUMNS, fields=XML_FIELDS, required=REQUIRED):
    """One CSV row per <record> element (its parent is the one the pipeline names)."""
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(columns)
        for _, element in ET.iterparse(src):
            if element.tag != record:
                continue
            row = {c: xml_value(element, p) for c, p in fields.items()}
            bad = any(row[c] is None for c in required)
            w.writerow([row[c] or "" for c in columns[:-1]] + ["1" if bad else "0"])
            element.clear()


def kv_blocks(src):
    """Each block as (fields, malformed)."""
    fields, bad, seen = {}, False, False
    with open(src, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if not line.strip():
                if seen:
                    yield fields, bad
                fields, bad, seen = {}, False, False
                continue
            if line.startswith("#"):
                continue
            seen = True
            key, eq, value = line.partition("=")
            if not eq:
                bad = True
            else:
                fields[key.strip()] = value.strip()
    if seen:
        yield fields, bad


def convert_kv(src, out):
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS)
        for fields, bad in kv_blocks(src):
            row = {c: fields.get(k) for c, k in KV_FIELDS.items()}
            bad = bad or any(row[c] is None for c in REQUIRED)
            w.writerow([row[c] or "" for c in COLUMNS[:-1]] + ["1" if bad else "0"])


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: kh_feeds2csv.py SAMPLES OUT")
    samples, out = sys.argv[1:]
    convert_xml(samples + "/vhr_libya.xml", out + "/vhr_libya.csv")
    convert_kv(samples + "/avrr_greece.txt", out + "/avrr_greece.csv")
    convert_xml(samples + "/services_guinee.xml", out + "/services_guinee.csv", "service", SERVICE_COLUMNS,
                SERVICE_XML_FIELDS, SERVICE_REQUIRED)


if __name__ == "__main__":
    main()

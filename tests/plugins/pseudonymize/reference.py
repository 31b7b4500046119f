#!/usr/bin/env python3
"""The pseudonyms of a CSV file as plugins/transform_pseudonymize/README.md defines
them, computed with Python's hashlib and hmac only (no libsodium), to check
harmonize's output against byte for byte.

usage: reference.py KEYFILE ALGORITHM LENGTH SALT_COLUMN|- COLUMN[,COLUMN...] IN.csv OUT.csv

The key is the file's bytes, less the trailing newline when they are one line of
ASCII text.  message = value, or
salt + b"\\0" + value; the digest is keyed BLAKE2b (32 bytes) or HMAC-SHA-256;
the pseudonym is the lowercase hex of its first LENGTH bytes.  Empty cells stay
empty.  OUT.csv is written as the csv sink writes (UTF-8, LF, minimal quoting).
"""
import csv
import hashlib
import hmac
import sys


def pseudonym(key, algorithm, length, salt, value):
    message = value if salt is None else salt + b"\0" + value
    if algorithm == "blake2b":
        digest = hashlib.blake2b(message, key=key, digest_size=32).digest()
    elif algorithm == "hmac-sha256":
        digest = hmac.new(key, message, hashlib.sha256).digest()
    else:
        sys.exit("unknown algorithm " + algorithm)
    return digest[:length].hex()


def main():
    keyfile, algorithm, length, salt_column, columns, src, dst = sys.argv[1:]
    key = open(keyfile, "rb").read()
    if key.endswith(b"\n") and all(b == 9 or 0x20 <= b <= 0x7E for b in key[:-1]):
        key = key[:-1]
    columns = columns.split(",")
    with open(src, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    idx = [header.index(c) for c in columns]
    salt_idx = None if salt_column == "-" else header.index(salt_column)
    with open(dst, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for row in body:
            salt = None if salt_idx is None else row[salt_idx].encode("utf-8")
            out = list(row)
            for i in idx:
                if row[i] != "":
                    out[i] = pseudonym(key, algorithm, int(length), salt, row[i].encode("utf-8"))
            w.writerow(out)


main()

"""pandas_copy: the same CSV -> CSV copy with pandas, for the benchmark.

    /usr/bin/python3 bench/pandas_copy.py INPUT OUTPUT

Every column is read as text and empty fields stay empty strings, so the copy is
faithful; to_csv writes minimal quoting and LF line ends.
"""
import sys

import pandas as pd

if len(sys.argv) != 3:
    sys.exit("usage: pandas_copy.py INPUT OUTPUT")
df = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False, encoding="utf-8")
df.to_csv(sys.argv[2], index=False, lineterminator="\n", encoding="utf-8")

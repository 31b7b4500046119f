/* The `csv: |` text of a test's inline input (docs/pipeline-tests.md):
 * records split on a one-byte delimiter, fields quoted as in RFC 4180
 * ("" for a quote, a quoted field may hold the delimiter or a line break).
 * Blank lines are skipped; a CR before a line feed is dropped. */
#ifndef HZ_TEST_CSV_H
#define HZ_TEST_CSV_H
#include <stddef.h>

typedef struct hz_test_csv_record {
    char **fields; /* NUL-terminated copies */
    size_t nfields;
    size_t line; /* 0-based line of the text where the record starts */
} hz_test_csv_record;

typedef struct hz_test_csv {
    hz_test_csv_record *records;
    size_t count;
} hz_test_csv;

/* 0, or -1 with a message in `why` (size `n`) and the 0-based line of the
 * problem in *line; `out` is filled either way (free it). */
int hz_test_csv_parse(const char *text, char delimiter, hz_test_csv *out, char *why, size_t n, size_t *line);
void hz_test_csv_free(hz_test_csv *csv);
#endif

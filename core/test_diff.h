/* `harmonize test`: the rows and rejects a test run produced, compared with
 * the test's expectations, and the differences said row by row and column
 * by column (docs/pipeline-tests.md shows the output). */
#ifndef HZ_TEST_DIFF_H
#define HZ_TEST_DIFF_H
#include <stdbool.h>
#include <stdio.h>

#include "pipeline.h"
#include "test_file.h"

/* The rows seen at one component, named output or sink. */
typedef struct hz_test_table {
    const hz_schema *schema; /* borrowed from the planned pipeline */
    size_t nrows, cap;
    char **values; /* nrows * schema->count, owned */
} hz_test_table;

void hz_test_table_add(hz_test_table *t, const hz_batch *b);
void hz_test_table_free(hz_test_table *t);

/* One row rejected during a test run. */
typedef struct hz_test_seen_reject {
    char *component, *reason, *detail;
    char *where;             /* FILE:LINE of the rejected row in the test file, or NULL */
    const hz_schema *schema; /* its columns (borrowed), or NULL when unknown */
    char **values;           /* schema->count values, owned */
} hz_test_seen_reject;

void hz_test_seen_reject_free(hz_test_seen_reject *r);

/* Compare what `got` saw with expectation e; print the differences to
 * `out` under the name `label` and return false, or return true. */
bool hz_test_compare_rows(FILE *out, const hz_test_expect *e, const hz_test_table *got);
/* Compare the rejects of a run with those the case expects (any order). */
bool hz_test_compare_rejects(FILE *out, const hz_test_case *c, const hz_test_seen_reject *got, size_t n);
/* Every reject of a run, one per line (shown when rows differ and the
 * case did not say which rejects it expects: usually the reason). */
void hz_test_print_rejects(FILE *out, const hz_test_seen_reject *got, size_t n);
#endif

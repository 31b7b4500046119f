/* A pipeline's test file (`harmonize test`, docs/pipeline-tests.md): its
 * shape checked with positions, before any pipeline is built.  What needs
 * the planned pipeline (source and component names, columns) is checked
 * by cli_test.c.  Every value is borrowed from the loaded document. */
#ifndef HZ_TEST_FILE_H
#define HZ_TEST_FILE_H
#include <stdbool.h>
#include <stdint.h>

#include "diag.h"
#include "value.h"

/* One source's inline rows: `rows:` (a list of maps) and/or `columns:`. */
typedef struct hz_test_input {
    const hz_value *source;  /* the key naming the source */
    const hz_value *rows;    /* a list of maps of scalars, or NULL */
    const hz_value *columns; /* a list of scalars, or NULL */
    const hz_value *csv;     /* `csv:` text (a header line, then rows), or NULL */
    char delimiter;          /* of csv: ',' unless `delimiter:` says */
    bool read_feed;          /* read_feed: true: the source reads its own feed (read only) */
} hz_test_input;

/* What one component, named output or sink must have seen. */
typedef struct hz_test_expect {
    const hz_value *target; /* the key: COMPONENT, COMPONENT.OUTPUT or SINK */
    const hz_value *rows;   /* a list of maps (possibly empty), or NULL */
    int64_t count;          /* -1: not given */
    bool unordered;
} hz_test_expect;

/* One expected reject: its reason and, optionally, where and what. */
typedef struct hz_test_reject {
    const hz_value *at;
    const hz_value *reason, *component, *detail; /* scalars; NULL when not given */
    const hz_value *row;                         /* a map column -> value, or NULL */
} hz_test_reject;

typedef struct hz_test_case {
    const hz_value *name; /* a scalar */
    const hz_value *node;
    const hz_value *set; /* `set:`, values for ${NAME} in the pipeline, or NULL */
    hz_test_input *inputs;
    size_t ninputs;
    hz_test_expect *expects;
    size_t nexpects;
    bool rejects_given; /* `rejects:` written (an empty list: none expected) */
    hz_test_reject *rejects;
    size_t nrejects;
} hz_test_case;

typedef struct hz_test_file {
    hz_document *doc;
    const hz_value *pipeline; /* the `pipeline:` value */
    char *pipeline_path;      /* resolved against the test file's folder */
    hz_test_input *inputs;    /* the file's `inputs:`, for every case */
    size_t ninputs;
    hz_test_case *cases;
    size_t ncases;
} hz_test_file;

/* Load and check `path`; errors go to diag.  NULL when nothing usable
 * was read; otherwise free it with hz_test_file_free. */
hz_test_file *hz_test_file_load(const char *path, const hz_vars *vars, hz_diag *diag);
void hz_test_file_free(hz_test_file *t);
/* The inline rows a case gives `source`: its own, else the file's. */
const hz_test_input *hz_test_case_input(const hz_test_file *t, const hz_test_case *c, const char *source);
/* An error of a test file at `at`, as FILE:LINE:COL: error: ... */
void hz_test_error(hz_diag *d, const hz_value *at, const char *fmt, ...) HZ_PRINTF(3, 4);
#endif

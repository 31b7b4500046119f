/* The keyvalue plugin: a source for exports written as blocks of KEY=VALUE
 * lines, one block per record, blocks separated by blank lines. */
#ifndef HZ_KV_PLUGIN_H
#define HZ_KV_PLUGIN_H
#include <stdio.h>

#include <harmonize/plugin.h>
#include <support/hzs_input.h>
#include <support/hzs_record.h>

#include "kv_lines.h"

extern const hz_source_class kv_source_class;

/* Distinct keys that no column reads, named in the run summary (so an
 * office sees which keys, names and phone numbers among them, never enter
 * the pipeline); more are only counted. */
#define KV_IGNORED_SHOWN 8
/* A longer unread key is only counted: the summary shows names, not
 * megabytes. */
#define KV_IGNORED_KEY_MAX 200

typedef struct kv_ignored {
    char *key;
    uint64_t count;
} kv_ignored;

typedef struct kv_source {
    hz_component *c;
    hzs_input in;      /* the export, or a pipe read once */
    const char *shown; /* the path as messages show it */
    const char *sep;   /* between key and value */
    size_t seplen;
    const char *comment; /* prefix of a comment line; empty: none */
    size_t commentlen;
    bool trim;               /* spaces and tabs around keys and values */
    int64_t max_field_bytes; /* the longest line */

    size_t ncols;
    const char **names; /* the columns */
    const char **keys;  /* the key each column reads */
    size_t *keylen;
    bool *required;
    uint32_t feed;

    /* reading */
    bool reading;   /* in is open and lines are being read */
    kv_lines lines; /* its lines, each at most max_field_bytes */
    uint64_t bytes; /* read from it so far */
    bool finished;
    uint64_t line; /* physical lines read so far */

    /* the record being read */
    bool in_record;
    uint64_t rec_line;  /* where it starts */
    hzs_record rec;     /* the values of the columns' keys */
    uint64_t *seen;     /* per column: the line of its key, 0 if not seen */
    const char *reason; /* the record's first problem, or NULL */
    char detail[160];

    /* for the run summary */
    uint64_t records, comments, blanks, ignored_other;
    kv_ignored ignored[KV_IGNORED_SHOWN];
    size_t nignored;
} kv_source;

/* Reading (kv_read.c): fill `out` with the next records. */
int kv_read(hz_component *c, void *self, hz_batch *out);
#endif

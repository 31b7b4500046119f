/* hzs_record.h - a source's record assembled column by column: each
 * column's value is kept back to back in one buffer (reused for every
 * record), then the record becomes a row (one batch_alloc for all its
 * bytes) or is rejected with its fields as they are.  For sources whose
 * records arrive field by field in any order (xml, keyvalue). */
#ifndef HZS_RECORD_H
#define HZS_RECORD_H
#include <stddef.h>

#include <harmonize/plugin.h>

#include "hzs_buf.h"

typedef struct hzs_record {
    size_t ncols;
    hzs_buf text;        /* the values, back to back */
    size_t *start, *len; /* per column: its value's bytes in text */
    hz_field *fields;    /* the record's fields, for a reject */
} hzs_record;

/* Allocate for `ncols` columns (0 is allowed). */
void hzs_record_init(hzs_record *r, size_t ncols);

/* Start a new record: every column empty. */
void hzs_record_clear(hzs_record *r);

/* Column j's value is what is appended to r->text between these two
 * calls (in pieces if need be). */
static inline void hzs_record_begin(hzs_record *r, size_t j) {
    r->start[j] = r->text.len;
}
static inline void hzs_record_end(hzs_record *r, size_t j) {
    r->len[j] = r->text.len - r->start[j];
}

/* Column j's value in one piece: n bytes at p. */
void hzs_record_put(hzs_record *r, size_t j, const char *p, size_t n);

/* Append the record to `out` as a row. */
void hzs_record_emit(const hzs_record *r, hz_batch *out, hz_origin origin);

/* The record's fields (r->ncols of them) as they are, for reject_fields:
 * views into r->text, valid until the record changes. */
const hz_field *hzs_record_fields(hzs_record *r);

void hzs_record_free(hzs_record *r);
#endif

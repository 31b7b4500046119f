/* A record assembled column by column (see hzs_record.h). */
#include "hzs_record.h"

#include <stdlib.h>
#include <string.h>

void hzs_record_init(hzs_record *r, size_t ncols) {
    size_t n = ncols ? ncols : 1;
    *r = (hzs_record){.ncols = ncols};
    r->start = hz->xcalloc(n, sizeof *r->start);
    r->len = hz->xcalloc(n, sizeof *r->len);
    r->fields = hz->xcalloc(n, sizeof *r->fields);
}

void hzs_record_clear(hzs_record *r) {
    hzs_buf_clear(&r->text);
    for (size_t j = 0; j < r->ncols; j++) r->start[j] = r->len[j] = 0;
}

void hzs_record_put(hzs_record *r, size_t j, const char *p, size_t n) {
    hzs_record_begin(r, j);
    hzs_buf_add(&r->text, p, n);
    hzs_record_end(r, j);
}

void hzs_record_emit(const hzs_record *r, hz_batch *out, hz_origin origin) {
    char *bytes = r->text.len ? hz->batch_alloc(out, r->text.len) : NULL;
    if (r->text.len) memcpy(bytes, r->text.data, r->text.len);
    hz_field *row = hz->batch_add_row(out, origin);
    for (size_t j = 0; j < r->ncols; j++)
        if (r->len[j]) row[j] = (hz_field){bytes + r->start[j], r->len[j]};
}

const hz_field *hzs_record_fields(hzs_record *r) {
    /* A record without any text has no buffer: empty fields get no pointer. */
    for (size_t j = 0; j < r->ncols; j++)
        r->fields[j] = (hz_field){r->len[j] ? r->text.data + r->start[j] : NULL, r->len[j]};
    return r->fields;
}

void hzs_record_free(hzs_record *r) {
    hzs_buf_free(&r->text);
    free(r->start);
    free(r->len);
    free(r->fields);
    *r = (hzs_record){0};
}

/* Splitting a test's inline CSV text into records (test_csv.h): small on
 * purpose, since a test's rows are written by hand. */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_csv.h"
#include "util.h"

static void add_field(hz_test_csv_record *r, hz_strbuf *field) {
    r->fields = hz_xrealloc(r->fields, (r->nfields + 1) * sizeof *r->fields);
    r->fields[r->nfields++] = hz_xstrdup(hz_strbuf_cstr(field));
    field->len = 0;
}

int hz_test_csv_parse(const char *text, char delimiter, hz_test_csv *out, char *why, size_t n, size_t *line) {
    out->records = NULL;
    out->count = 0;
    hz_strbuf field = {0};
    size_t at_line = 0;
    const char *p = text;
    int rc = 0;
    while (*p) {
        if (*p == '\n' || (*p == '\r' && p[1] == '\n')) { /* a blank line */
            p += *p == '\r' ? 2 : 1;
            at_line++;
            continue;
        }
        hz_test_csv_record r = {.line = at_line};
        for (;;) { /* one field */
            if (*p == '"') {
                size_t quote_line = at_line;
                for (p++;; p++) {
                    if (!*p) {
                        snprintf(why, n, "a quoted field is not closed (its '\"' opens on this line)");
                        *line = quote_line;
                        rc = -1;
                        break;
                    }
                    if (*p == '"' && p[1] == '"') {
                        hz_strbuf_add(&field, "\"", 1);
                        p++;
                    } else if (*p == '"') {
                        p++;
                        break;
                    } else {
                        at_line += *p == '\n';
                        hz_strbuf_add(&field, p, 1);
                    }
                }
                if (rc == 0 && *p && *p != delimiter && *p != '\n' && !(*p == '\r' && p[1] == '\n')) {
                    snprintf(why, n,
                             "text after the closing quote of a field (write \"\" for a quote inside one)");
                    *line = at_line;
                    rc = -1;
                }
            } else {
                while (*p && *p != delimiter && *p != '\n' && !(*p == '\r' && p[1] == '\n'))
                    hz_strbuf_add(&field, p++, 1);
            }
            if (rc != 0) break;
            add_field(&r, &field);
            if (*p == delimiter) {
                p++;
                continue;
            }
            if (*p) p += *p == '\r' ? 2 : 1;
            at_line++;
            break;
        }
        out->records = hz_xrealloc(out->records, (out->count + 1) * sizeof *out->records);
        out->records[out->count++] = r;
        if (rc != 0) break;
    }
    hz_strbuf_free(&field);
    return rc;
}

void hz_test_csv_free(hz_test_csv *csv) {
    for (size_t i = 0; i < csv->count; i++) {
        for (size_t k = 0; k < csv->records[i].nfields; k++) free(csv->records[i].fields[k]);
        free(csv->records[i].fields);
    }
    free(csv->records);
    csv->records = NULL;
    csv->count = 0;
}
